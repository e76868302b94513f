import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const SPEAKERS = ['Priya Raman', 'Tomasz Wierzbicki', 'Hannah Oduya', 'Daniel Achterberg', 'Mei Lin Chua', 'Gareth Pryce'];
const TOPICS = ['Backstage catalogues', 'GitOps at the edge', 'Cold starts', 'Policy as code', 'Developer portals', 'Cost dashboards'];
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function clock(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = String(seconds % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
function videoId(n) {
    let id = '';
    for (let i = 0; i < 11; i++)
        id += ID_CHARS[(n * 7919 + i * 104729) % ID_CHARS.length];
    return id;
}
/** One recap post in the example's shape: front matter, three talks with timestamps, a photo. */
export function recapPost(n, date) {
    const video = videoId(n);
    const year = date.slice(0, 4);
    const talks = [0, 1, 2].map((t) => {
        const start = 300 + t * 2100 + (n % 60);
        const speaker = SPEAKERS[(n + t) % SPEAKERS.length];
        const topic = TOPICS[(n * 3 + t) % TOPICS.length];
        return `Next up was ${speaker} with [${topic}, part ${n}](https://www.youtube.com/live/${video}?si=trk${n}x${t}&t=${start})(starting at ${clock(start)}). Takeaways:

* Start small, measure, and only then automate what hurts.
* Write the runbook before the incident, and rehearse it with the team.
* Ownership belongs next to the code, not in a spreadsheet nobody opens.
`;
    });
    return `---
layout: post
title: "Benchmark Meetup ${n}: ${TOPICS[n % TOPICS.length]} and more"
description: "Speakers join us at Benchmark Meetup number ${n} to talk about platforms, delivery and the people who run them"
location: Leeds, UK
image: /images/${date}-bench-${n}.jpeg
video: https://www.youtube.com/embed/v=${video}
tags:
  - Photos
  - Video
  - Meetup
  - "${year}"
---

Three speakers joined us at meetup ${n}, in the room and on the livestream. Thank you all for coming!

## A word from our sponsor
Our hosts are hiring platform engineers. Save 20% on the [conference](https://example.org/conf?code=bench) with the code “bench”.

### Overview

${talks.join('\n')}
And of course, our usual group photo!
![The audience at meetup ${n}](/images/${date}-bench-${n}.jpeg)

## Next month

Our next meetup is on the third Wednesday. [RSVP now](https://www.meetup.com/bench/events/${n}/).

See you there!
`;
}
/** Writes a site of `count` recap posts, one a day going back from 2026-01-01. */
export function writeCorpus(dir, count) {
    mkdirSync(path.join(dir, 'posts'), { recursive: true });
    writeFileSync(path.join(dir, 'recap.yml'), 'title: Benchmark Meetups\nurl: https://bench.example\npaginate: 10\n');
    const start = Date.UTC(2026, 0, 1);
    for (let n = 0; n < count; n++) {
        const date = new Date(start - n * 86400000).toISOString().slice(0, 10);
        writeFileSync(path.join(dir, 'posts', `${date}-bench-meetup-${n}.md`), recapPost(n, date));
    }
}
