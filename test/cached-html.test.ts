import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { publishSite } from '../src/pipeline/publish.js';
import { freshFiles, makeSite, outputFolder, post, readPostCacheEntries, writePostCache } from './helpers.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const DAYS = ['01', '02', '03', '04', '05', '06', '07', '08'];

/** The file of the post of day N of January 2027. */
function postFile(day: string): string {
  return `posts/2027-01-${day}-day-${day}.md`;
}

/** Puts a script into the cached HTML of a post's body, as someone tampering with a restored cache would (the rest of the entry kept as it is). */
function tamperWithHtml(site: string, day: string): void {
  const file = path.join(site, '.cache/recap/posts.json');
  const { magic, code, entries } = readPostCacheEntries(file);
  const target = `resolve\0${postFile(day)}\0`;
  assert.ok(entries.some(([key]) => key.startsWith(target)), `the cache holds the body of day ${day}`);
  writePostCache(file, magic, code, entries.map(([key, entry]) => [key, key.startsWith(target) ? entry.replace('<p>', '<p><script>alert(1)</script>') : entry]));
}

describe('the post cache reads a body\'s HTML only where a page shows it', () => {
  it('leaves the HTML of a page the store keeps unread, and discards HTML that fails its checks wherever a page or the feed needs it', async () => {
    const files: Record<string, string> = { 'recap.yml': 'title: Lazy\nurl: https://lazy.example\nfeed_size: 2\nraw_html: false\n' };
    for (const day of DAYS) files[postFile(day)] = post(`title: Day ${day}`, `Notes of day ${day}, with [a link](https://example.org/${day}).\n`);
    const site = makeSite(files);
    const out = path.join(site, '_site');
    const publish = async (change: string): Promise<string[]> => {
      // settledMs 0 trusts any input older than the build; a few milliseconds keep an edit out of the build's own millisecond.
      await sleep(5);
      const published = await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 });
      assert.equal(published.outcome, 'built', change);
      assert.deepEqual(outputFolder(out), await freshFiles(site, { now: NOW }), `${change}: the output is a fresh build's`);
      return published.diagnostics.list.filter((d) => d.code === 'R111').map((d) => d.message);
    };
    await publish('first build');

    // Day 04's page is kept (its post and neighbours are unchanged) and the feed shows days 08 and 07 only: its HTML is never read.
    tamperWithHtml(site, '04');
    appendFileSync(path.join(site, postFile('01')), 'One more line.\n');
    assert.deepEqual(await publish('the oldest post edited'), [], 'a kept page\'s HTML is not read, so nothing is found wanting');

    // Its newer neighbour retitled: day 04's page shows the new title, so its HTML is read, found wanting and made again from the post.
    tamperWithHtml(site, '04');
    writeFileSync(path.join(site, postFile('05')), post('title: Day 05, retitled', 'Notes of day 05, with [a link](https://example.org/05).\n'));
    assert.deepEqual(await publish('a neighbour retitled'), ['discarded a resolve entry of the post cache: not what Recap writes (damaged, old, or tampered with)']);

    // The feed shows the newest post's body: its HTML is read for the feed, though its page is kept.
    tamperWithHtml(site, '08');
    appendFileSync(path.join(site, postFile('01')), 'And another.\n');
    assert.deepEqual(await publish('a feed post\'s HTML tampered with'), ['discarded a resolve entry of the post cache: not what Recap writes (damaged, old, or tampered with)']);
  });
});
