import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import nunjucks from 'nunjucks';
import * as cheerio from 'cheerio';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveOnePost } from '../src/pipeline/build.js';
import { speakerNames } from '../src/content/speakers.js';
import { publishSite } from '../src/pipeline/publish.js';
import { stateFolder } from '../src/output/write.js';
import { createBuildMemory, type BuildMemory } from '../src/incremental/build-memory.js';
import { REPO, buildSite, html, makeSite, messages, output, photo, post, runCli } from './helpers.js';

/** The real-world example post (shared/seed), kept as a fixture so the tests need nothing outside the repo. */
const SEED = readFileSync(path.join(REPO, 'test/fixtures/2024-03-06-cloud-native-london-march-2024.md'), 'utf8');
const V = 'Ab3dE5fG7hJ';
const link = (t: number | string) => `https://www.youtube.com/live/${V}?si=track&t=${t}`;
const FILE = 'posts/2024-05-01-forms.md';

const FORMS = post(`title: Every form\nvideo: https://youtu.be/${V}`, [
  `First, Ann Lee from Acme gave [Talk one](${link(538)})(starting at 8:58). Notes.`,
  '',
  `Then Bob Stone from Initech presented [Talk two](${link(2606)}) (starting at 43:26).`,
  '',
  `Carol Diaz from Hooli explained talk three (starting at [1:29:54](${link(5394)})).`,
  '',
  `Dan Wu from Vandelay covered talk four, starting [1:35:00](${link(5700)}).`,
  '',
  `Finally, Eve Ng from Globex with [Talk five, starts 1:40:00](${link('1h40m')}).`,
  '',
  'Doors open, starting at 6:30 with pizza.',
  '',
  'Frank spoke without a recording (starting at 2:00:00).',
  '',
  `And a mismatch: [Wrong time](${link(600)}) (starting at 9:58).`,
  '',
].join('\n'));

describe('talks', () => {
  it('resolves the example post: three talks at 538, 2606 and 5394 s, and its malformed video with a warning', async () => {
    const result = await buildSite(makeSite({
      'posts/2024-03-06-cloud-native-london-march-2024.md': SEED,
      'images/2024-03-06-cloud-native-london-march-2024.jpeg': await photo(),
    }));
    const file = 'posts/2024-03-06-cloud-native-london-march-2024.md';
    const warnings = messages(result).filter((m) => m.includes(' warning: '));
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[1]!, new RegExp(`^${file}:45 warning: image /images/2024-03-06-cloud-native-london-march-2024\\.jpeg has no text alternative`));
    assert.match(warnings[0]!, new RegExp(`^${file}:7:8 warning: malformed YouTube video: the embed path takes the bare video id, not "v=VLZIzdmtu-8" \\[R303\\]\\n  hint: write it as https://www\\.youtube\\.com/watch\\?v=VLZIzdmtu-8$`));
    const $ = html(result, '/2024/03/06/cloud-native-london-march-2024/');
    const times = $('.talk-list a.talk-time').map((_, a) => Number($(a).attr('data-start'))).get();
    assert.deepEqual(times, [538, 2606, 5394]);
    assert.deepEqual($('.talk-list .talk-speaker').map((_, s) => $(s).text()).get(), ['Mikołaj Karebski, VirtusLab', 'Subomi Oluwalana, Convoy', 'Richard Tweed']);
    assert.equal($('figure.video').attr('data-video-id'), 'VLZIzdmtu-8');
    // Talk links in the body are clean: no si= tracking.
    const bodyLinks = $('.post-body a[href*="youtube"]').map((_, a) => $(a).attr('href')).get();
    assert.deepEqual(bodyLinks, [538, 2606, 5394].map((t) => `https://www.youtube.com/watch?v=VLZIzdmtu-8&t=${t}s`));
  });

  it('places a listed talk with a recording of its own and no time at its start, and still asks for a time into the post\'s livestream', async () => {
    const result = await buildSite(makeSite({ 'posts/2024-03-06-a.md': post('title: A\nvideo: https://www.youtube.com/watch?v=Zz3dE5fG7hJ\ntalks:\n  - title: Own recording\n    speaker: Ann Lee\n    url: https://youtu.be/Ab3dE5fG7hJ\n  - title: In the livestream\n    url: https://www.youtube.com/watch?v=Zz3dE5fG7hJ\n') }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.title, t.speaker, t.start, t.url]), [['Own recording', 'Ann Lee', 0, 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ']]);
    assert.deepEqual(messages(result).filter((m) => m.includes('R306')).map((m) => m.split('\n')[0]), ['posts/2024-03-06-a.md:4 warning: talks[1] "In the livestream" has no video link or start time [R306]']);
  });

  it('takes a post that links no talk but names its recording and its speaker as one talk, as a user group\'s talk pages are written', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: User group\n',
      '_posts/2016-04-25-bots.md': post('title: Bots as proxies\nspeaker:\n  name: Flo Rapp\n  description: Flo advises.\nvideo:\n  url: https://www.youtube.com/watch?v=Ab3dE5fG7hJ\n  thumbnail: http://i1.ytimg.com/vi/Ab3dE5fG7hJ/mqdefault.jpg', 'Bots that talk.\n'),
      '_posts/2016-05-25-pair.md': post('title: Pairing\nvideo: https://youtu.be/Cd3dE5fG7hJ?t=30\nspeakers:\n  - {name: Ann Lee, org: Acme}\n  - {name: Bo Chan}\n  - Cy Diaz', 'Three of us.\n'),
      '_posts/2016-06-25-solo.md': post('title: Solo\nspeaker: Kim Ra\nvideo: https://youtu.be/Ef3dE5fG7hJ', 'Watch [the opening](https://youtu.be/Ef3dE5fG7hJ?t=90) by Kim Ra.\n'),
      '_posts/2016-07-25-nobody.md': post('title: Nobody named\nvideo: https://youtu.be/Gh3dE5fG7hJ', 'Just the video.\n'),
      // Its recording embedded once (an iframe, {% youtube %}) is its recording too; two embeds are no one talk.
      '_posts/2016-08-25-embedded.md': post('title: Embedded\nspeaker: Lee Min', 'Lee spoke.\n\n<iframe src="https://www.youtube.com/embed/Ij3dE5fG7hJ?start=42" title="Talk"></iframe>\n'),
      '_posts/2016-09-25-two.md': post('title: Two embeds\nspeaker: Lee Min', '{% youtube Kl3dE5fG7hJ %}\n\n{% youtube Mn3dE5fG7hJ %}\n'),
    }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.title, t.speaker, t.start, t.url]), [
      ['Embedded', 'Lee Min', 42, 'https://www.youtube.com/watch?v=Ij3dE5fG7hJ&t=42s'],
      ['the opening', 'Kim Ra', 90, 'https://www.youtube.com/watch?v=Ef3dE5fG7hJ&t=90s'],
      ['Pairing', 'Ann Lee & Bo Chan & Cy Diaz', 30, 'https://www.youtube.com/watch?v=Cd3dE5fG7hJ&t=30s'],
      ['Bots as proxies', 'Flo Rapp', 0, 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ'],
    ]);
    assert.equal(html(result, '/speakers/flo-rapp/')('main').text().includes('Bots as proxies'), true, 'the speaker has a page with the talk');
    for (const slug of ['ann-lee', 'bo-chan', 'cy-diaz']) assert.ok(html(result, `/speakers/${slug}/`)('main').text().includes('Pairing'), `each of three speakers has a page: ${slug}`);
  });

  it('titles the one talk of a post whose link names none ("watch it [here]") after the post, and leaves two such talks their times', async () => {
    const result = await buildSite(makeSite({
      'posts/2024-03-06-flash.md': post('title: Fast attention, explained', 'I presented my kernel. Watch the recording on YouTube [here](https://youtu.be/Ab3dE5fG7hJ?si=x&t=1739).\n'),
      'posts/2024-03-07-two.md': post('title: Two talks', 'Watch [here](https://youtu.be/Cd3dE5fG7hJ?t=60) and [here](https://youtu.be/Cd3dE5fG7hJ?t=1200).\n'),
    }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.postTitle, t.title, t.start]), [
      ['Two talks', 'Talk at 1:00', 60],
      ['Two talks', 'Talk at 20:00', 1200],
      ['Fast attention, explained', 'Fast attention, explained', 1739],
    ]);
  });

  it('takes a talk\'s recording where meetup sites keep it without url: (recording:, youtube:), and its url: where it has both', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Linz\n',
      '_posts/2024-03-06-a.md': post('title: A\ntalks:\n  - title: Tracing\n    speaker: Ann Lee\n    recording: https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=90\n    file: /slides/tracing.pdf\n'
        + '  - title: Queues\n    speaker: Bo Chan\n    youtube: https://youtu.be/Cd3dE5fG7hJ\n  - title: Both\n    url: https://youtu.be/Ef3dE5fG7hJ?t=5\n    recording: https://youtu.be/Gh3dE5fG7hJ\n'),
    }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.title, t.speaker, t.start, t.url]).sort(), [
      ['Both', null, 5, 'https://www.youtube.com/watch?v=Ef3dE5fG7hJ&t=5s'],
      ['Queues', 'Bo Chan', 0, 'https://www.youtube.com/watch?v=Cd3dE5fG7hJ'],
      ['Tracing', 'Ann Lee', 90, 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=90s'],
    ]);
    assert.ok(!messages(result).some((m) => m.includes('R306')), messages(result).join('\n'));
  });

  it('refuses a talks: entry it cannot place on a Recap site, and on a Jekyll site, whose talks: is its layout\'s list as often, leaves it out and builds', async () => {
    const talks = 'talks:\n  - title: No recording\n    speaker: Ann Lee\n  - title: An evening slot\n    start: 7pm\n';
    const own = await buildSite(makeSite({ 'posts/2024-03-06-a.md': post(`title: A\n${talks}`) }));
    assert.deepEqual(messages(own).filter((m) => m.includes('R306')).map((m) => m.split('\n')[0]), [
      'posts/2024-03-06-a.md:3 warning: talks[0] "No recording" has no video link or start time [R306]',
      'posts/2024-03-06-a.md:3 error: talks[1].start "7pm" is not a time [R306]',
    ]);
    const jekyll = await buildSite(makeSite({ '_config.yml': 'title: J\n', '_posts/2024-03-06-a.md': post(`title: A\n${talks}`) }));
    assert.equal(jekyll.diagnostics.count('error'), 0, messages(jekyll).join('\n'));
    assert.deepEqual(messages(jekyll).filter((m) => m.includes('R306')).map((m) => m.split('\n')[0]), [
      '_posts/2024-03-06-a.md:3 note: talks[0] "No recording" has no video link or start time: left out of the site\'s talks [R306]',
      '_posts/2024-03-06-a.md:3 warning: talks[1].start "7pm" is not a time into a recording: left out of the site\'s talks [R306]',
    ]);
  });

  it('understands every "starting at" form, warns on a mismatch, notes a time with no link, and ignores clock times in prose', async () => {
    const result = await buildSite(makeSite({ [FILE]: FORMS }));
    const diags = messages(result).filter((m) => !m.startsWith('recap.yml'));
    assert.equal(diags.length, 2, diags.join('\n'));
    assert.match(diags[0]!, /^posts\/2024-05-01-forms\.md:17 note: talk time 2:00:00 has no link to the recording/);
    assert.match(diags[1]!, /^posts\/2024-05-01-forms\.md:19 warning: talk "Wrong time": the text says 9:58 \(598 s\) but the link starts at 10:00 \(600 s\)/);
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.start, t.title, t.speaker, t.source]), [
      [538, 'Talk one', 'Ann Lee', `${FILE}:5`],
      [600, 'Wrong time', null, `${FILE}:19`],
      [2606, 'Talk two', 'Bob Stone', `${FILE}:7`],
      [5394, 'talk three', 'Carol Diaz', `${FILE}:9`],
      [5700, 'talk four', 'Dan Wu', `${FILE}:11`],
      [6000, 'Talk five', 'Eve Ng', `${FILE}:13`],
    ]);
    assert.deepEqual(Object.keys(talks[0]!), ['post', 'postTitle', 'date', 'title', 'speaker', 'videoId', 'start', 'url', 'embedUrl', 'source']);
    assert.equal(talks[0]!.url, `https://www.youtube.com/watch?v=${V}&t=538s`);
    assert.equal(talks[0]!.embedUrl, `https://www.youtube-nocookie.com/embed/${V}?start=538`);
    assert.equal(talks[0]!.date, '2024-05-01');
  });

  it('reads speakers from lists, dashes, parentheses and the Speaker and Company columns of a table of talks', async () => {
    const result = await buildSite(makeSite({ [FILE]: post('title: Lists', [
      `* [Scaling queues](${link(60)}) by Ann Lee (Acme)`,
      `* 3:00 [Platform roadmaps](${link(180)}) — Cy Diaz`,
      `* [Paved roads](${link(300)}) - Eve Ng, Globex`,
      '',
      `Hal Ito (Umbrella) presented [Chaos drills](${link(480)}) (starting at 8:00).`,
      '',
      '| Time | Talk | Speaker | Company | Recording |',
      '| --- | --- | --- | --- | --- |',
      `| 19:00 | Zero trust | Ivy Lo | Stark | [9:00](${link(540)}) |`,
      `| 19:30 | [Edge caching](${link(600)}) | [Jon Hu](https://example.org/jon) & Kim Ra | | |`,
      `| 19:45 | [Cell talk](${link(700)}) | Lou Ek (Initech) | | |`,
      '',
      '| When | What |',
      '| --- | --- |',
      `| 20:00 | [Lightning talks](${link(900)}) |`,
    ].join('\n')) }));
    const diags = messages(result).filter((m) => !m.startsWith('recap.yml'));
    assert.deepEqual(diags, [], 'a table\'s time of day is not checked against the recording');
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.start, t.title, t.speaker]), [
      [60, 'Scaling queues', 'Ann Lee'],
      [180, 'Platform roadmaps', 'Cy Diaz'],
      [300, 'Paved roads', 'Eve Ng'],
      [480, 'Chaos drills', 'Hal Ito'],
      [540, 'Zero trust', 'Ivy Lo'],
      [600, 'Edge caching', 'Jon Hu & Kim Ra'],
      [700, 'Cell talk', 'Lou Ek'],
      [900, 'Lightning talks', null],
    ]);
    const $ = html(result, '/talks/');
    assert.deepEqual($('.talk-list .talk-speaker').map((_, s) => $(s).text().trim()).get(),
      ['Ann Lee, Acme', 'Cy Diaz', 'Eve Ng, Globex', 'Hal Ito, Umbrella', 'Ivy Lo, Stark', 'Jon Hu & Kim Ra', 'Lou Ek, Initech']);
    for (const slug of ['ann-lee', 'cy-diaz', 'eve-ng', 'hal-ito', 'ivy-lo', 'jon-hu', 'kim-ra', 'lou-ek']) assert.ok(output(result, `/speakers/${slug}/`).includes('<h1>'), slug);
  });

  it('reads every speaker of a talk given by two or three, each organisation, and names before "of", "at" or a description', async () => {
    const result = await buildSite(makeSite({ [FILE]: post('title: Pairs', [
      `Ann Lee and Bob Stone from Acme gave [Pairing at scale](${link(60)}) (starting at 1:00).`,
      '',
      `Next, Cy Diaz & Dee Ek presented [Duo talk](${link(120)}) (starting at 2:00).`,
      '',
      `* [Trio](${link(180)}) by Eve Ng, Fay Oh and Gil Tan`,
      '',
      `Ivy Lo, a developer at Stark, spoke about [Role talk](${link(300)}) (starting at 5:00).`,
      '',
      `Jon Hu of Wayne Enterprises showed [Of form](${link(360)}) (starting at 6:00).`,
      '',
      `Kim Ra from Oscorp and Lee Min from Globex gave [Two orgs](${link(420)}) (starting at 7:00).`,
    ].join('\n')) }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.title, t.speaker]), [
      ['Pairing at scale', 'Ann Lee & Bob Stone'],
      ['Duo talk', 'Cy Diaz & Dee Ek'],
      ['Trio', 'Eve Ng & Fay Oh & Gil Tan'],
      ['Role talk', 'Ivy Lo'],
      ['Of form', 'Jon Hu'],
      ['Two orgs', 'Kim Ra & Lee Min'],
    ]);
    const $ = html(result, '/talks/');
    assert.deepEqual($('.talk-list .talk-speaker').map((_, s) => $(s).text().trim()).get(), [
      'Ann Lee & Bob Stone, Acme', 'Cy Diaz & Dee Ek', 'Eve Ng & Fay Oh & Gil Tan', 'Ivy Lo, Stark', 'Jon Hu, Wayne Enterprises', 'Kim Ra & Lee Min, Oscorp & Globex',
    ]);
    const pages = ['ann-lee', 'bob-stone', 'cy-diaz', 'dee-ek', 'eve-ng', 'fay-oh', 'gil-tan', 'ivy-lo', 'jon-hu', 'kim-ra', 'lee-min'];
    for (const slug of pages) assert.ok(output(result, `/speakers/${slug}/`).includes('<h1>'), slug);
    assert.throws(() => output(result, '/speakers/wayne-enterprises/'), 'an organisation gets no speaker page');
    const affiliationOf = (slug: string): string => cheerio.load(output(result, `/speakers/${slug}/`))('.speaker-affiliation').text();
    assert.equal(affiliationOf('bob-stone'), 'Acme', 'an organisation both speakers come from is each one\'s');
    assert.equal(affiliationOf('kim-ra'), '', 'of two organisations for two speakers, neither page claims both');
  });

  it('takes a talk\'s title and speaker from its section when the link says only "the recording"', async () => {
    const result = await buildSite(makeSite({ [FILE]: post('title: Sections', [
      '## Webhooks at scale — Ann Lee (Acme)',
      '',
      `Ann showed us how they run webhooks. [Watch the talk](${link(538)})`,
      '',
      '### Queues without tears',
      '',
      'Speaker: Bob Stone, Initech',
      '',
      `[Recording](${link(1200)}) · [Slides](https://example.org/s.pdf)`,
      '',
      '### Platform roadmaps by Cy Diaz',
      '',
      `▶️ [Watch from 30:01](${link(1800)})`,
      '',
      '### Dee Ek: Golden paths',
      '',
      `[Video](${link(2400)})`,
      '',
      '### Paved roads - Eve Ng, Globex',
      '',
      `Eve walked us through [Paved roads](${link(3000)}) (starting at 50:00).`,
      '',
      '### Zero trust',
      '',
      `<${link(3300)}>`,
      '',
      '## Recap - Cloud Native London',
      '',
      `Fay Oh gave [Chaos drills](${link(3600)}) (starting at 1:00:00) and then [Lightning](${link(3700)}).`,
    ].join('\n')) }));
    const diags = messages(result).filter((m) => !m.startsWith('recap.yml'));
    assert.equal(diags.length, 1, diags.join('\n'));
    assert.match(diags[0]!, /^posts\/2024-05-01-forms\.md:16 warning: talk "Platform roadmaps": the text says 30:01 \(1801 s\) but the link starts at 30:00 \(1800 s\)/);
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.start, t.title, t.speaker]), [
      [538, 'Webhooks at scale', 'Ann Lee'],
      [1200, 'Queues without tears', 'Bob Stone'],
      [1800, 'Platform roadmaps', 'Cy Diaz'],
      [2400, 'Golden paths', 'Dee Ek'],
      [3000, 'Paved roads', 'Eve Ng'],
      // An autolink's text is its address, which names no talk.
      [3300, 'Zero trust', null],
      [3600, 'Chaos drills', 'Fay Oh'],
      // A heading that is not about the talk lends it nothing.
      [3700, 'Lightning', null],
    ]);
    const $ = html(result, '/talks/');
    assert.deepEqual($('.talk-list .talk-speaker').map((_, s) => $(s).text().trim()).get(),
      ['Ann Lee, Acme', 'Bob Stone, Initech', 'Cy Diaz', 'Dee Ek', 'Eve Ng, Globex', 'Fay Oh']);
  });

  it('links a chapter list\'s times into the recording the front matter names, and makes the lines that name a speaker talks', async () => {
    const chapters = [
      'The livestream, chapter by chapter:',
      '',
      '- 0:00 Welcome and news',
      '- 5:12 – Webhooks at scale (Ann Lee, Acme)',
      '- 30:40 Queues without tears by Bob Stone',
      '- 58:00 Break',
      '- 1:05:00 Cy Diaz: Platform roadmaps',
      '',
      'Schedule of the evening:',
      '',
      '- 18:30 Doors open',
      '- 19:00 Talks by Dee Ek and Eve Ng',
      '- 21:00 Pub',
      '',
      '0:00 Intro',
      '1:00 Another (Fay Oh)',
    ].join('\n');
    const result = await buildSite(makeSite({
      [FILE]: post(`title: Chapters\nvideo: https://www.youtube.com/watch?v=${V}`, chapters),
      'posts/2024-05-02-no-video.md': post('title: No recording named', chapters),
    }));
    assert.deepEqual(messages(result).filter((m) => !m.startsWith('recap.yml')), []);
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.start, t.title, t.speaker, t.source]), [
      [312, 'Webhooks at scale', 'Ann Lee', `${FILE}:8`],
      [1840, 'Queues without tears', 'Bob Stone', `${FILE}:9`],
      [3900, 'Platform roadmaps', 'Cy Diaz', `${FILE}:11`],
    ]);
    const $ = html(result, '/2024/05/01/forms/');
    const lists = $('.post-body ul').toArray().map((ul) => $(ul).find('li').toArray().map((li) => [$(li).find('a').attr('href') ?? null, $(li).text()]));
    assert.deepEqual(lists[0], [
      [`https://www.youtube.com/watch?v=${V}`, '0:00 Welcome and news'],
      [`https://www.youtube.com/watch?v=${V}&t=312s`, '5:12 – Webhooks at scale (Ann Lee, Acme)'],
      [`https://www.youtube.com/watch?v=${V}&t=1840s`, '30:40 Queues without tears by Bob Stone'],
      [`https://www.youtube.com/watch?v=${V}&t=3480s`, '58:00 Break'],
      [`https://www.youtube.com/watch?v=${V}&t=3900s`, '1:05:00 Cy Diaz: Platform roadmaps'],
    ]);
    assert.equal($('.post-body ul').eq(0).find('a').first().text(), '0:00', 'only the time is the link');
    assert.ok(lists[1]!.every(([href]) => href === null), 'a schedule\'s times of day, which do not start at 0:00, stay text');
    assert.equal($('.post-body p').last().find('a').length, 0, 'two lines are too few for chapters');
    assert.equal(html(result, '/2024/05/02/no-video/')('.post-body a').length, 0, 'without a recording named, nothing is linked');
    assert.deepEqual($('.talk-list a.talk-time').map((_, a) => Number($(a).attr('data-start'))).get(), [312, 1840, 3900]);
  });

  it('reads a list of where the livestream\'s talks start, from the first talk, as chapters when one time is a moment no clock shows (Meetup Gemist\'s videos)', async () => {
    const body = (times: string[]) => [
      'devops Amsterdam, 19 March', '',
      `${times[0]} Introduction by Floor`, '',
      `${times[1]} Sara Gerion - Failure modes in serverless services`, '',
      `${times[2]} Introduction Stacy by Floor`, '',
      `${times[3]} Stacy Cashmore - Embrace the pitfalls`, '',
    ].join('\n');
    const result = await buildSite(makeSite({
      'posts/2024-05-01-livestream.md': post(`title: Livestream\nvideo: https://www.youtube.com/watch?v=${V}`, body(['[5:00]', '[7:20]', '[40:00]', '[40:45]'])),
      // A schedule's times of day, bracketed or not, are no moments of the recording.
      'posts/2024-05-02-schedule.md': post(`title: Schedule\nvideo: https://www.youtube.com/watch?v=${V}`, body(['[18:30]', '[19:00]', '[20:15]', '[21:00]'])),
      'posts/2024-05-03-plain.md': post(`title: Plain\nvideo: https://www.youtube.com/watch?v=${V}`, body(['5:00', '7:20', '1:02:00', '1:03:10'])),
    }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<{ start: number; speaker: string; postTitle: string }>;
    assert.deepEqual(talks.map((t) => [t.postTitle, t.start, t.speaker]), [
      ['Plain', 440, 'Sara Gerion'], ['Plain', 3790, 'Stacy Cashmore'],
      ['Livestream', 440, 'Sara Gerion'], ['Livestream', 2445, 'Stacy Cashmore'],
    ]);
    const $ = html(result, '/2024/05/01/livestream/');
    assert.deepEqual($('.post-body p a').map((_, a) => [[$(a).text(), $(a).attr('href')]]).get().slice(0, 2), [['[5:00]', `https://www.youtube.com/watch?v=${V}&t=300s`], ['[7:20]', `https://www.youtube.com/watch?v=${V}&t=440s`]]);
    assert.equal(html(result, '/2024/05/02/schedule/')('.post-body a').length, 0, 'a schedule stays text');
  });

  it('gives a talk the slides its line links after it, or its table row\'s Slides cell', async () => {
    const result = await buildSite(makeSite({ [FILE]: post('title: Slides', [
      `Ann Lee from Acme gave [Webhooks at scale](${link(60)}) (starting at 1:00) ([slides](https://example.org/webhooks.pdf)). Bob Stone from Initech gave [Queues](${link(120)}) (starting at 2:00).`,
      '',
      `Cy Diaz from Hooli gave [Roadmaps](${link(180)}) (starting at 3:00), see [her deck](https://speakerdeck.com/cy/roadmaps) and [our blog](https://example.org/blog).`,
      '',
      '| Talk | Speaker | Slides |',
      '| --- | --- | --- |',
      `| [Edge](${link(240)}) | Dee Ek | [PDF](https://example.org/edge.pdf) |`,
      `| [Mesh](${link(300)}) | Eve Ng | [not a link](javascript:alert(1)) |`,
    ].join('\n')) }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => t.title), ['Webhooks at scale', 'Queues', 'Roadmaps', 'Edge', 'Mesh']);
    const $ = html(result, '/2024/05/01/forms/');
    const slides = $('.talk-list li').map((_, li) => $(li).find('a.talk-slides').attr('href') ?? '-').get();
    assert.deepEqual(slides, ['https://example.org/webhooks.pdf', '-', 'https://speakerdeck.com/cy/roadmaps', 'https://example.org/edge.pdf', '-']);
    assert.equal(cheerio.load(output(result, '/speakers/dee-ek/'))('a.talk-slides').attr('href'), 'https://example.org/edge.pdf');
  });

  it('warns at its line about a talk link with a placeholder where the video id goes, and lists no talk for it', async () => {
    const result = await buildSite(makeSite({ [FILE]: post('title: Placeholder', [
      'Intro.',
      '',
      'SPEAKER gave [TALK TITLE](https://www.youtube.com/watch?v=VIDEO_ID&t=538s) (starting at 8:58).',
      '',
      `Then [A real one](${link(60)}) (starting at 1:00).`,
    ].join('\n')) }));
    const diags = messages(result).filter((m) => !m.startsWith('recap.yml'));
    assert.equal(diags.length, 1, diags.join('\n'));
    assert.match(diags[0]!, /^posts\/2024-05-01-forms\.md:6 warning: YouTube link with "VIDEO_ID" where the video id goes: it leads to no video \[R303\]/);
    const talks = JSON.parse(output(result, '/talks.json')) as Array<Record<string, unknown>>;
    assert.deepEqual(talks.map((t) => [t.title, t.start]), [['A real one', 60]]);
    const inFrontMatter = await buildSite(makeSite({ [FILE]: post('title: Placeholder video\nvideo: https://www.youtube.com/watch?v=VIDEO_ID', 'Text.') }));
    assert.deepEqual(messages(inFrontMatter).filter((m) => !m.startsWith('recap.yml')).map((m) => m.split('\n')[0]),
      ['posts/2024-05-01-forms.md:3:8 warning: YouTube video with "VIDEO_ID" where the video id goes: it leads to no video [R303]']);
  });

  it('lays /talks.json out as one JSON.stringify of every talk would, though it is made a meetup at a time into bytes, and as [] with no talks', async () => {
    // 120 meetups of twelve talks with titles near the 400-character limit: over 1 MB of JSON, in 120 parts.
    const title = (n: number, t: number) => `Talk ${n}.${t} ${'about platforms '.repeat(23)}`.trim();
    const files: Record<string, string> = {};
    for (let n = 0; n < 120; n++) {
      const day = String(1 + (n % 28)).padStart(2, '0');
      const month = String(1 + Math.floor(n / 28)).padStart(2, '0');
      files[`posts/2024-${month}-${day}-meetup-${n}.md`] = post(`title: Meetup ${n}`,
        Array.from({ length: 12 }, (_, t) => `Ann Lee gave [${title(n, t)}](${link(60 + 600 * t)}) (starting at ${1 + 10 * t}:00).\n`).join('\n'));
    }
    // Its 120 generated social cards are not what this test is about.
    const text = output(await buildSite(makeSite(files), { encodeImages: false }), '/talks.json');
    assert.ok(text.length > 1 << 20, `${text.length} characters`);
    const talks = JSON.parse(text) as Array<Record<string, unknown>>;
    assert.equal(text, `${JSON.stringify(talks, null, 2)}\n`);
    assert.equal(talks.length, 1440);
    // Body line 1 is file line 4; each talk is two lines below the one before.
    assert.deepEqual(talks.slice(11, 13).map((t) => [t.title, t.source]), [
      [title(119, 11), 'posts/2024-05-08-meetup-119.md:26'], [title(118, 0), 'posts/2024-05-07-meetup-118.md:4'],
    ]);
    const none = await buildSite(makeSite({ 'posts/2024-05-01-quiet.md': post('title: No recording') }));
    assert.equal(output(none, '/talks.json'), '[]\n');
  });

  it('makes a mismatch an error under --strict', () => {
    const site = makeSite({ [FILE]: FORMS });
    assert.equal(runCli(['build', site]).code, 0);
    const strict = runCli(['build', site, '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /Wrong time/);
  });

  it('reports the line of a talk inside a multi-line paragraph', async () => {
    const result = await buildSite(makeSite({ [FILE]: post('title: Lines', `Intro line\nsecond line with [A talk](${link(60)}) (starting at 1:30).\n`) }));
    assert.match(messages(result).find((m) => m.includes('warning'))!, /^posts\/2024-05-01-forms\.md:5 warning: talk "A talk"/);
  });

  it('takes speakers from front-matter talks, and adds listed talks the body does not link', async () => {
    const result = await buildSite(makeSite({
      [FILE]: post(`title: Listed\nvideo: https://www.youtube.com/watch?v=${V}\ntalks:\n  - title: Talk one\n    speaker: Ann Lee-Smith\n    affiliation: Acme Ltd\n    slides: https://slides.example/one\n  - title: Lightning round\n    speaker: Gus Ray\n    start: "1:50:00"`,
        `Someone gave [Talk one](${link(538)}) (starting at 8:58).\n`),
    }));
    assert.equal(result.diagnostics.count('error') + result.diagnostics.count('warning'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/05/01/forms/');
    assert.deepEqual($('.talk-speaker').map((_, s) => $(s).text()).get(), ['Ann Lee-Smith, Acme Ltd', 'Gus Ray']);
    assert.equal($('.talk-slides').attr('href'), 'https://slides.example/one');
    assert.deepEqual($('a.talk-time').map((_, a) => $(a).attr('data-start')).get(), ['538', '6600']);
  });

  it('gives the video as a click-to-play facade that loads nothing from YouTube, and JSON-LD key moments', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://talks.example\n',
      'images/photo.jpeg': await photo(),
      [FILE]: post(`title: Facade\nimage: /images/photo.jpeg\nvideo: https://www.youtube.com/watch?v=${V}`,
        `A from B gave [One](${link(60)}). C from D gave [Two](${link(1200)}).\n`),
    }));
    const $ = html(result, '/2024/05/01/forms/');
    const facade = $('figure.video a.video-facade');
    assert.equal(facade.attr('href'), `https://www.youtube.com/watch?v=${V}`);
    assert.match(facade.find('img').attr('src')!, /^\/assets\/images\/photo-640\.[0-9a-f]{10}\.jpg$/);
    assert.equal(facade.find('img').attr('loading'), undefined, 'the poster is above the fold: not lazy');
    assert.match(facade.text().replace(/\s+/g, ' '), /Play the recording of Facade/);
    // Nothing in the page loads from a YouTube host before a click: no iframe, script, image or preconnect.
    const loads = $('iframe[src], script[src], img[src], link[href]').map((_, e) => $(e).attr('src') ?? $(e).attr('href')).get();
    assert.ok(loads.every((u) => !/youtube|youtu\.be|ytimg/.test(u)), loads.join(' '));
    const ld = JSON.parse($('script[type="application/ld+json"]').text());
    assert.equal(ld.video['@type'], 'VideoObject');
    assert.match(ld.video.thumbnailUrl, /^https:\/\/talks\.example\/assets\/images\/photo-social\.[0-9a-f]{10}\.jpg$/);
    assert.deepEqual(ld.video.hasPart, [
      { '@type': 'Clip', name: 'One', startOffset: 60, endOffset: 1200, url: `https://www.youtube.com/watch?v=${V}&t=60s` },
      { '@type': 'Clip', name: 'Two', startOffset: 1200, url: `https://www.youtube.com/watch?v=${V}&t=1200s` },
    ]);
  });

  it('lists every talk on /talks/, newest meetup first, with filters for speaker and tag', async () => {
    const result = await buildSite(makeSite({
      'posts/2024-01-01-old.md': post('title: Old\ntags: [Rust]', `Ann Lee from X gave [Old talk](${link(60)}).\n`),
      'posts/2024-02-01-new.md': post('title: New\ntags: [Go, "2024"]', `Bob Stone from Y gave [New talk](${link(90)}).\n`),
    }));
    const $ = html(result, '/talks/');
    assert.deepEqual($('.talk-list .talk-title').map((_, t) => $(t).text()).get(), ['New talk', 'Old talk']);
    assert.deepEqual($('select[name="speaker"] option').map((_, o) => $(o).text()).get(), ['Everyone', 'Ann Lee', 'Bob Stone']);
    assert.deepEqual($('select[name="tag"] option').map((_, o) => $(o).attr('value')).get(), ['', '2024', 'go', 'rust']);
    assert.deepEqual($('.talk-group h2').map((_, h) => $(h).text()).get(), ['New', 'Old'], 'grouped by meetup');
    assert.equal($('.talk-list .talk-title').first().attr('href'), `https://www.youtube.com/watch?v=${V}&t=90s`, 'the title links to the moment');
    assert.equal($('.talk-group').first().attr('data-tags'), 'go|2024');
    assert.ok($('form.talk-filters').is('[hidden]'), 'filters appear only with JavaScript');
  });

  it('puts each meetup\'s section into /talks/ as it is, however a site\'s own talks.njk shows it: once, twice, escaped or not at all', async () => {
    const posts = {
      'posts/2024-01-01-old.md': post('title: "Old <!--recap-part:0:0--> meetup"', `Ann Lee from X gave [Old talk](${link(60)}).\n`),
      'posts/2024-02-01-new.md': post('title: New', `Bob Stone from Y gave [New talk](${link(90)}).\n`),
    };
    const page = async (template: string | undefined) => {
      const result = await buildSite(makeSite({ ...posts, ...(template ? { 'templates/talks.njk': template } : {}) }));
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
      return output(result, '/talks/');
    };
    const sectionCount = (text: string) => text.split('<section class="talk-group"').length - 1;
    const themed = await page(undefined);
    assert.equal(sectionCount(themed), 2);
    assert.doesNotMatch(themed.replace('Old &lt;!--recap-part:0:0--&gt; meetup', ''), /recap-part/, 'no marker is left, and a title that looks like one is text');
    const once = await page('<main>{% for group in groups %}{{ group.html | safe }}{% endfor %}</main>');
    assert.equal(sectionCount(once), 2);
    assert.ok(themed.includes(once.slice('<main>'.length, -'</main>'.length)), 'the sections are the theme\'s own, byte for byte');
    const twice = await page('{% for group in groups %}{{ group.html | safe }}{{ group.html | safe }}{% endfor %}');
    assert.equal(sectionCount(twice), 4);
    const escaped = await page('{% for group in groups %}{{ group.html }}{% endfor %}');
    assert.equal(sectionCount(escaped), 0);
    assert.equal(escaped.split('&lt;section class=&quot;talk-group&quot;').length - 1, 2, 'escaped as the template asks');
    const asked = await page('{% for group in groups %}{% set unused = group.html %}<p>{{ group.post.title }}</p>{% endfor %}');
    assert.equal(sectionCount(asked), 0);
    assert.match(asked, /<p>New<\/p>/);
    assert.doesNotMatch(asked, /recap-part:[0-9a-f]{16}/);
  });

  it('prints YouTube chapters for a post, and says why YouTube would reject them', () => {
    const site = makeSite({
      [FILE]: FORMS,
      'posts/2024-06-01-short.md': post('title: Short', `A from B gave [Only](${link(5)}).\n`),
    });
    const ok = runCli(['chapters', path.join(site, FILE)]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.split('\n')[0], '0:00 Welcome');
    assert.equal(ok.stdout.split('\n')[1], '8:58 Talk one (Ann Lee)');
    assert.equal(ok.stdout.trim().split('\n').length, 7);
    const short = runCli(['chapters', path.join(site, 'posts/2024-06-01-short.md')]);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /YouTube would reject these chapters: YouTube needs at least 3 chapters; this video has 2/);
    assert.match(short.stderr, /are 5 s apart; YouTube needs at least 10 s/);
    assert.equal(runCli(['chapters']).code, 2);
  });
});

describe('talks on real posts', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    [`Kicking off was Ann Lee from Acme with [Talk](${'URL'}) (starting at 1:00).`, 'Ann Lee', 'Acme'],
    [`Ann Lee talked about [Talk](${'URL'}) (starting at 1:00).`, 'Ann Lee', undefined],
    [`Then Bo Chen presented [Talk](${'URL'}).`, 'Bo Chen', undefined],
    [`Ann Lee: [Talk](${'URL'})`, 'Ann Lee', undefined],
    [`Ann Lee – [Talk](${'URL'}) (starting at 1:00)`, 'Ann Lee', undefined],
    [`[Talk](${'URL'}) by Carla Gómez`, 'Carla Gómez', undefined],
    [`[Talk](${'URL'}) (starting at 1:00) by Carla Gómez, who flew in for it.`, 'Carla Gómez', undefined],
    [`Next up we had Dev Patel telling us about [Talk](${'URL'}).`, 'Dev Patel', undefined],
    [`The next talk was [Talk](${'URL'}).`, undefined, undefined],
  ];
  for (const [sentence, speaker, affiliation] of cases) {
    it(`reads the speaker of "${sentence.replace('URL', '…')}"`, async () => {
      const { buildSite } = await import('./helpers.js');
      const body = sentence.replace('URL', `https://youtu.be/${V}?t=60`);
      const result = await buildSite(makeSite({ [FILE]: post(`title: T\nvideo: https://www.youtube.com/watch?v=${V}`, `${body}\n`) }));
      const [talk] = result.postList[0]!.body.talks;
      assert.equal(talk?.speaker, speaker);
      assert.equal(talk?.affiliation, affiliation);
      assert.equal(talk?.title, 'Talk');
    });
  }

  it('never takes a lone clip for the recording: video:, or a video two talk links share', async () => {
    // The post as resolved (a one-off build lets go of its video once the page is made).
    const videoOf = async (body: string, frontMatter = 'title: T') => {
      const site = makeSite({ [FILE]: post(frontMatter, body) });
      return (await resolveOnePost(site, path.join(site, FILE))).post!.body.video?.videoId;
    };
    assert.equal(await videoOf(`A funny [clip](https://youtu.be/${V}?t=30) someone shared.\n`), undefined);
    assert.equal(await videoOf(`A [clip](https://youtu.be/Zy9xW8vU7tS?t=3).\n\nAnn Lee: [One](https://youtu.be/${V}?t=60)\n\nBo Chen: [Two](https://youtu.be/${V}?t=900)\n`), V);
    assert.equal(await videoOf(`Ann Lee: [One](https://youtu.be/${V}?t=60)\n`, 'title: T\nvideo: https://youtu.be/Zy9xW8vU7tS'), 'Zy9xW8vU7tS');
  });

  it('in recap serve, makes again only the edited meetup\'s part of the talks page and /talks.json, and the same pages a fresh build makes', async () => {
    const meetup = (i: number, title = `Meetup ${i}`) => post(`title: ${title}`, `Ann Lee from Acme gave [Talk ${i}](https://youtu.be/${V}?t=${60 + i}) (starting at 1:${String(i).padStart(2, '0')}).\n`);
    const files: Record<string, string> = {};
    for (let i = 10; i < 16; i++) files[`posts/2024-01-${i}-meetup-${i}.md`] = meetup(i);
    const site = makeSite(files);
    const memory = await createBuildMemory();
    // Counts the renders of each template in the next build (the renderer is kept between builds).
    const rendersIn = async (memory: BuildMemory): Promise<Map<string, number>> => {
      const counts = new Map<string, number>();
      const renderer = memory.renderer!;
      const render = renderer.render.bind(renderer);
      renderer.render = (name, ...rest) => (counts.set(name, (counts.get(name) ?? 0) + 1), render(name, ...rest));
      await buildSite(site, { memory });
      renderer.render = render;
      return counts;
    };
    await buildSite(site, { memory });
    const edit = async (file: string, text: string) => {
      writeFileSync(path.join(site, file), text);
      memory.changed.add(path.join(site, file));
      return rendersIn(memory);
    };
    // A body edit that leaves the card as it was: the talks page is kept whole.
    const kept = await edit('posts/2024-01-12-meetup-12.md', `${meetup(12)}\nMore photos soon.\n`);
    assert.equal(kept.get('talks.njk'), undefined);
    assert.equal(kept.get('partials/talk-group.njk'), undefined);
    // A title edit, after the body edit kept every part: the page is made again, with one meetup's section made again.
    const renamed = await edit('posts/2024-01-13-meetup-13.md', meetup(13, 'Renamed'));
    assert.equal(renamed.get('talks.njk'), 1);
    assert.equal(renamed.get('partials/talk-group.njk'), 1);
    const served = await buildSite(site, { memory });
    const fresh = await buildSite(site);
    for (const url of ['/talks/', '/talks.json']) assert.equal(output(served, url), output(fresh, url), url);
    const $ = html(served, '/talks/');
    assert.deepEqual($('.talk-group h2').map((_, h) => $(h).text()).get(), ['Meetup 15', 'Meetup 14', 'Renamed', 'Meetup 12', 'Meetup 11', 'Meetup 10']);
    // Each section's id comes from its post's address, so it stays put as meetups are added.
    assert.deepEqual(($('.talk-group h2').map((_, h) => $(h).attr('id')).get()), [15, 14, 13, 12, 11, 10].map((i) => `meetup-2024-01-${i}-meetup-${i}`));
    assert.deepEqual(($('.talk-group').map((_, section) => $(section).attr('aria-labelledby')).get()), [15, 14, 13, 12, 11, 10].map((i) => `meetup-2024-01-${i}-meetup-${i}`));
    assert.equal((JSON.parse(output(served, '/talks.json')) as Array<{ postTitle: string }>)[2]!.postTitle, 'Renamed');
  });

  it('in recap build, makes again only a retitled meetup\'s section, taking the others from the live output while it is as written', async () => {
    const meetup = (i: number, title = `Meetup ${i}`) => post(`title: ${title}`, `Ann Lee from Acme gave [Talk ${i}](https://youtu.be/${V}?t=${60 + i}) (starting at 1:${String(i).padStart(2, '0')}).\n`);
    const files: Record<string, string> = {};
    for (let i = 10; i < 16; i++) files[`posts/2024-01-${i}-meetup-${i}.md`] = meetup(i);
    const site = makeSite(files);
    const out = path.join(site, '_site');
    const now = new Date('2026-01-01T00:00:00Z');
    // Writes one meetup's post, builds, and counts the renders of each template in that recap build (every renderer is a Nunjucks environment).
    const writeMeetup = async (i: number, title: string): Promise<Map<string, number>> => {
      // A few milliseconds keep the edit out of the last build's own millisecond.
      await sleep(5);
      writeFileSync(path.join(site, `posts/2024-01-${i}-meetup-${i}.md`), meetup(i, title));
      const counts = new Map<string, number>();
      const render = nunjucks.Environment.prototype.render;
      nunjucks.Environment.prototype.render = function (this: nunjucks.Environment, name: string, ...rest: unknown[]) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return (render as (...args: unknown[]) => string).call(this, name, ...rest);
      } as typeof render;
      try {
        assert.equal((await publishSite({ siteDir: site, outDir: out, now, settledMs: 0 })).outcome, 'built');
      } finally {
        nunjucks.Environment.prototype.render = render;
      }
      const fresh = await buildSite(site, { now });
      for (const [url, file] of [['/talks/', 'talks/index.html'], ['/talks.json', 'talks.json']] as const) {
        assert.equal(readFileSync(path.join(out, file), 'utf8'), output(fresh, url), `${title}: ${url} is a fresh build's`);
      }
      return counts;
    };
    await publishSite({ siteDir: site, outDir: out, now, settledMs: 0 });
    const renamed = await writeMeetup(13, 'Renamed');
    assert.equal(renamed.get('talks.njk'), 1);
    assert.equal(renamed.get('partials/talk-group.njk'), 1, 'one section made, five read from the live page');
    const $ = cheerio.load(readFileSync(path.join(out, 'talks/index.html'), 'utf8'));
    assert.deepEqual($('.talk-group h2').map((_, h) => $(h).text()).get(), ['Meetup 15', 'Meetup 14', 'Renamed', 'Meetup 12', 'Meetup 11', 'Meetup 10']);
    assert.equal((JSON.parse(readFileSync(path.join(out, 'talks.json'), 'utf8')) as Array<{ postTitle: string }>)[2]!.postTitle, 'Renamed');

    // The live page edited since it was written (to the same size): every section is made again.
    const page = path.join(out, 'talks/index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('Meetup 15', 'Meetup XV'));
    assert.equal((await writeMeetup(12, 'Twelve')).get('partials/talk-group.njk'), 6);
    // Places past the end of the live page (a store tampered with) are not read.
    const store = path.join(stateFolder(out), 'pages.json');
    const stored = JSON.parse(readFileSync(store, 'utf8')) as { parts: Record<string, { parts: Array<[string, number, number]> }> };
    for (const { parts } of Object.values(stored.parts)) for (const part of parts) part[1] += 1e9;
    writeFileSync(store, JSON.stringify(stored));
    assert.equal((await writeMeetup(11, 'Eleven')).get('partials/talk-group.njk'), 6);
    // And the next build reads them again.
    assert.equal((await writeMeetup(10, 'Ten')).get('partials/talk-group.njk'), 1);
    // A new meetup at the top moves every section down, and each keeps its id: only the new one is made.
    assert.equal((await writeMeetup(16, 'Sixteen')).get('partials/talk-group.njk'), 1);
    // A site's own section may show its place (`index`): then every section below the new one is made again.
    mkdirSync(path.join(site, 'templates/partials'), { recursive: true });
    writeFileSync(path.join(site, 'templates/partials/talk-group.njk'), '<section id="{{ group.id }}"><h2>{{ index }}. {{ group.post.title }}</h2></section>\n');
    await writeMeetup(16, 'Sixteen');
    assert.equal((await writeMeetup(17, 'Seventeen')).get('partials/talk-group.njk'), 8);
    assert.equal((await writeMeetup(17, 'Seventeen again')).get('partials/talk-group.njk'), 1);
    assert.match(readFileSync(path.join(out, 'talks/index.html'), 'utf8'), /<h2>8\. Ten<\/h2>/);
  });

  it('names a renamed post file as the source of its talks, in recap serve and in recap build, when nothing else about it changed', async () => {
    const text = post('title: Kept\npermalink: /kept/', `Ann Lee from Acme gave [A talk](https://youtu.be/${V}?t=60) (starting at 1:00).\n`);
    const site = makeSite({ 'posts/2024-01-10-old-name.md': text, 'posts/2024-01-11-other.md': post('title: Other') });
    const memory = await createBuildMemory();
    const out = path.join(site, '_site');
    await buildSite(site, { memory });
    runCli(['build', site, '--quiet']);
    renameSync(path.join(site, 'posts/2024-01-10-old-name.md'), path.join(site, 'posts/2024-01-10-new-name.md'));
    memory.changed.add(path.join(site, 'posts/2024-01-10-old-name.md'));
    memory.changed.add(path.join(site, 'posts/2024-01-10-new-name.md'));
    const sourceOf = (json: string) => (JSON.parse(json) as Array<{ source: string }>)[0]!.source;
    assert.equal(sourceOf(output(await buildSite(site, { memory }), '/talks.json')), 'posts/2024-01-10-new-name.md:5');
    const built = runCli(['build', site, '--quiet']);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(sourceOf(readFileSync(path.join(out, 'talks.json'), 'utf8')), 'posts/2024-01-10-new-name.md:5');
  });
});

describe('speakerNames', () => {
  it('reads the people a speaker text names, one or joined by &, and or +', () => {
    assert.deepEqual(speakerNames('  Ann Lee '), ['Ann Lee']);
    assert.deepEqual(speakerNames('Alexandra Sandberg'), ['Alexandra Sandberg']);
    assert.deepEqual(speakerNames('Ann Lee & Bo Chen'), ['Ann Lee', 'Bo Chen']);
    assert.deepEqual(speakerNames('Ann Lee and Bo Chen + Cy Dee'), ['Ann Lee', 'Bo Chen', 'Cy Dee']);
    assert.deepEqual(speakerNames('R&D team'), ['R&D team']);
    assert.deepEqual(speakerNames('   '), []);
    assert.deepEqual(speakerNames(undefined), []);
  });
});
