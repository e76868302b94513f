import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as cheerio from 'cheerio';
import { publishSite, type Published } from '../src/pipeline/publish.js';
import { build } from '../src/pipeline/build.js';
import { lastBuild, snapshotInputs, type LastBuild } from '../src/incremental/build-record.js';
import { stateFolder } from '../src/output/write.js';
import { eventChangesAt, type MeetupEvent } from '../src/content/events.js';
import { SiteClock, type SiteDate } from '../src/content/dates.js';
import { freshFiles, makeSite, outputFolder, photo, post, runCli } from './helpers.js';
import { BUILTIN_TEMPLATES } from '../src/views/renderer.js';

const NOW = new Date('2027-03-01T12:00:00Z');

function meetupSite(): string {
  return makeSite({
    'recap.yml': 'title: Record Test\nurl: https://record.example\ntimezone: Europe/London\n',
    'posts/2027-01-10-january.md': post('title: January\ntags: [talks]', 'Alice on [caching](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=65s) (starting at 1:05).\n'),
    'posts/2027-02-14-february.md': post('title: February\nimage: /images/missing.jpg', 'Hello from February.\n'),
    'posts/2027-04-01-april.md': post('title: April, not yet'),
    'posts/2027-03-23-march.md': post('title: March\nevent:\n  start: 2027-03-23 18:30\n  end: "21:00"\n  venue: The Hall\n  address: 1 Road, Leeds LS1 1AA'),
    'static/notes.txt': 'notes\n',
  });
}

describe('recap build when nothing changed', () => {
  it('finds the output up to date, and after any change of input, option, cache, output or clock builds what a fresh build makes', async () => {
    const site = meetupSite();
    const out = path.join(site, '_site');
    let now = NOW;
    let baseUrl: string | undefined;
    // settledMs 0 trusts any input older than the build; a few milliseconds keep an edit out of the build's own millisecond.
    const publish = async () => {
      await sleep(5);
      return publishSite({ siteDir: site, outDir: out, now, baseUrl, settledMs: 0 });
    };
    const expectBuilt = async (change: string) => {
      const published: Published = await publish();
      assert.equal(published.outcome, 'built', `${change}: a full build`);
      assert.deepEqual(outputFolder(out), await freshFiles(site, { now, baseUrl }), `${change}: the output is a fresh build's`);
      const again = await publish();
      assert.equal(again.outcome, 'up-to-date', `${change}: then nothing changed`);
      assert.deepEqual(outputFolder(out), await freshFiles(site, { now, baseUrl }), `${change}: and the output stays a fresh build's`);
    };
    await expectBuilt('first build');
    const upToDate = await publish();
    assert.equal(upToDate.outcome, 'up-to-date');
    if (upToDate.outcome === 'up-to-date') {
      assert.equal(upToDate.posts, 3, 'the April post waits for its day');
      // The diagnostics of the build it stands for are reported again.
      assert.ok(upToDate.diagnostics.list.some((d) => d.code === 'R403' && d.file === 'posts/2027-02-14-february.md'));
    }
    const changes: Array<[string, () => void | Promise<void>]> = [
      ['a post edited, same size', () => writeFileSync(path.join(site, 'posts/2027-02-14-february.md'), post('title: February\nimage: /images/missing.jpg', 'Hallo from February.\n'))],
      ['a post added', () => writeFileSync(path.join(site, 'posts/2027-02-20-extra.md'), post('title: Extra'))],
      ['a post removed', () => rmSync(path.join(site, 'posts/2027-02-20-extra.md'))],
      ['the settings', () => appendFileSync(path.join(site, 'recap.yml'), 'description: Now with words\n')],
      ['a template of the site', () => {
        mkdirSync(path.join(site, 'templates'), { recursive: true });
        writeFileSync(path.join(site, 'templates/post.njk'), readFileSync(path.join(BUILTIN_TEMPLATES, 'post.njk'), 'utf8').replace('{% block main %}', '{% block main %}<p class="own">Own theme</p>'));
      }],
      ['a static file', () => writeFileSync(path.join(site, 'static/notes.txt'), 'Notes\n')],
      ['a photo added', async () => {
        mkdirSync(path.join(site, 'images'), { recursive: true });
        writeFileSync(path.join(site, 'images/missing.jpg'), await photo(320, 200));
      }],
      ['speakers.yml', () => writeFileSync(path.join(site, 'speakers.yml'), '- name: Alice\n  bio: Caches things.\n')],
      ['the cache deleted', () => rmSync(path.join(site, '.cache'), { recursive: true })],
      ['an output edited, same size', () => {
        const page = path.join(out, 'notes.txt');
        writeFileSync(page, readFileSync(page, 'utf8').toUpperCase());
      }],
      ['an output deleted', () => rmSync(path.join(out, 'index.html'))],
      // What a fresh build would not make does not survive in either tree (the old live tree is the next standby).
      ['a file planted in the output', () => writeFileSync(path.join(out, 'planted.html'), '<p>not ours</p>')],
      ['a folder planted deep in the output', () => {
        mkdirSync(path.join(out, '2027/01/10/january/planted'));
        writeFileSync(path.join(out, '2027/01/10/january/planted/index.html'), '<p>not ours</p>');
      }],
      ['the base URL', () => {
        baseUrl = '/meetups/';
      }],
      ['the base URL back', () => {
        baseUrl = undefined;
      }],
      // The countdown counts days in the site's zone, so the next midnight there changes the page.
      ['the next day', () => {
        now = new Date('2027-03-02T00:00:01Z');
      }],
      // A future post is published when its date comes.
      ['a future post\'s date', () => {
        now = new Date('2027-04-01T00:00:01+01:00');
      }],
      ['the record tampered with', () => {
        const record = path.join(stateFolder(out), 'build.json');
        const [first, diagnostics] = readFileSync(record, 'utf8').split('\n');
        const text = JSON.parse(first!) as { outputs: string[] };
        text.outputs.push('../../outside.txt');
        writeFileSync(record, `${JSON.stringify(text)}\n${diagnostics}\n`);
      }],
      ['the record\'s diagnostics not the ones its counts describe', () => {
        const record = path.join(stateFolder(out), 'build.json');
        const [first, diagnostics] = readFileSync(record, 'utf8').split('\n');
        const planted = { code: 'R403', severity: 'warning', file: 'posts/2027-02-14-february.md', line: 1, column: 1, message: 'planted' };
        writeFileSync(record, `${first}\n${JSON.stringify([...JSON.parse(diagnostics!) as unknown[], planted])}\n`);
      }],
      ['the record not JSON', () => writeFileSync(path.join(stateFolder(out), 'build.json'), '{"format":')],
    ];
    for (const [change, apply] of changes) {
      await apply();
      await expectBuilt(change);
    }
    assert.ok(outputFolder(out)['2027/04/01/april/index.html'], 'the April post is out once its day came');
    assert.match(Buffer.from(outputFolder(out)['2027/02/14/february/index.html']!, 'base64').toString(), /class="own"/);
  });

  it("makes what a Jekyll site's Liquid shows of the build's time again on every build, as a fresh build at that time makes it", async () => {
    const site = makeSite({
      '_config.yml': 'title: Stamps\nurl: https://stamps.example\ntimezone: Europe/Berlin\n',
      '_includes/stamp.html': 'built {{ site.time | date: "%Y-%m-%d %H:%M" }}',
      '_posts/2027-01-10-stamped.md': post('title: Stamped', 'In {{ site.time | date: "%Y" }}, at {{ "now" | date: "%H:%M %z" }}.\n'),
      '_posts/2027-01-11-included.md': post('title: Included', '{% include stamp.html %}\n'),
      // A quoted "now" in prose is not Liquid's.
      '_posts/2027-01-12-plain.md': post('title: Plain', 'No time in {{ page.title }}, "now" or "today".\n'),
      'about.md': post('title: About', '© {{ site.time | date: "%Y" }} Stamps\n'),
      'humans.txt': post('layout: null', '/* SITE */\nLast update: {{ site.time | date_to_rfc822 }}\n'),
    });
    const out = path.join(site, '_site');
    const text = (file: string) => Buffer.from(outputFolder(out)[file]!, 'base64').toString();
    const shown = () => [
      cheerio.load(text('2027/01/10/stamped.html'))('.post-body p').text(),
      cheerio.load(text('2027/01/11/included.html'))('.post-body p').text(),
      cheerio.load(text('2027/01/12/plain.html'))('.post-body p').text(),
      cheerio.load(text('about.html'))('.post-body p').text(),
      /Last update: (.*)/.exec(text('humans.txt'))?.[1],
    ];
    const at = async (now: Date) => {
      await sleep(5);
      const published = await publishSite({ siteDir: site, outDir: out, now, settledMs: 0 });
      assert.equal(published.outcome, 'built', `at ${now.toISOString()}: a build, never "up to date", as the time it shows moved`);
      assert.deepEqual(outputFolder(out), await freshFiles(site, { now }), `at ${now.toISOString()}: what a fresh build makes`);
    };
    await at(NOW);
    assert.deepEqual(shown(), ['In 2027, at 13:00 +0100.', 'built 2027-03-01 13:00', 'No time in Plain, “now” or “today”.', '© 2027 Stamps', 'Mon, 01 Mar 2027 13:00:00 +0100']);
    await at(new Date('2028-07-04T08:30:00Z'));
    assert.deepEqual(shown(), ['In 2028, at 10:30 +0200.', 'built 2028-07-04 10:30', 'No time in Plain, “now” or “today”.', '© 2028 Stamps', 'Tue, 04 Jul 2028 10:30:00 +0200']);
    // Only the bodies that show the time are made again: the rest come from the post cache.
    const again = await build({ siteDir: site, now: new Date('2028-07-04T09:00:00Z'), persistCache: true });
    assert.equal(again.cachedBodies, 1, 'the plain post alone');
  });

  it("leaves the last build's cache folder out of the inputs it looks at, but only a folder a cache may be", async () => {
    const site = makeSite({
      'recap.yml': 'title: Photos\nurl: https://photos.example\n',
      'images/group.jpeg': await photo(640, 427),
      'posts/2027-01-10-january.md': post('title: January\nimage: /images/group.jpeg'),
    });
    const out = path.join(site, '_site');
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 })).outcome, 'built');
    const last = await lastBuild(out);
    assert.equal(last?.record.cacheDir, '.cache');
    const paths = (record?: LastBuild) => snapshotInputs(site, out, record).entries.map((e) => e.path);
    assert.ok(paths(undefined).some((p) => p.startsWith('.cache/images/')), 'the encoded photos are in the cache folder');
    assert.deepEqual(paths(last).filter((p) => p.startsWith('.cache')), [], 'and not looked at');
    assert.ok(paths(last).includes('posts/2027-01-10-january.md'));
    // The record is as untrusted as the output: one naming an input folder leaves nothing out.
    const tampered = { ...last!, record: { ...last!.record, cacheDir: 'posts' } };
    assert.ok(paths(tampered).includes('posts/2027-01-10-january.md'));
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 })).outcome, 'up-to-date');
  });

  it('never records a build with drafts, nor one whose inputs changed too recently to trust their timestamps', async () => {
    const site = meetupSite();
    const out = path.join(site, '_site');
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW })).outcome, 'built');
    // Just written: a same-size edit within the file system's timestamp tick could go unseen.
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW })).outcome, 'built');
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW, drafts: true, settledMs: 0 })).outcome, 'built');
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW, drafts: true, settledMs: 0 })).outcome, 'built');
  });

  it('a warning fails an up-to-date build under --strict as it failed the full one', async () => {
    const site = meetupSite();
    const out = path.join(site, '_site');
    await sleep(5);
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 })).outcome, 'built');
    const strict = await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0, strict: true });
    assert.equal(strict.outcome, 'failed');
    assert.ok(strict.diagnostics.count('warning') > 0);
    // A caller that prints errors only is told none (there were none), and still fails under --strict.
    const quiet = await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0, errorsOnly: true });
    assert.equal(quiet.outcome, 'up-to-date');
    assert.equal(quiet.diagnostics.list.length, 0);
    const quietStrict = await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0, errorsOnly: true, strict: true });
    assert.equal(quietStrict.outcome, 'failed');
    assert.deepEqual(quietStrict.diagnostics.list, strict.diagnostics.list);
  });

  it('the CLI says so, in a fraction of a build', async () => {
    const site = makeSite({
      'recap.yml': 'title: CLI Record\nurl: https://record.example\n',
      'posts/2025-01-10-january.md': post('title: January', 'Alice talked.\n'),
      'posts/2025-02-14-february.md': post('title: February\nimage: /images/missing.jpg'),
    });
    // Inputs must have stood still for two seconds before a build is recorded.
    await sleep(2100);
    const first = runCli(['build', site]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Built \d+ files from 2 posts/m);
    const second = runCli(['build', site]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Up to date: \d+ files from 2 posts, nothing changed since the last build \(checked in [\d.]+ s; 0 errors, 1 warning\) → /m);
    assert.match(second.stderr, /february\.md:\d+:\d+ warning: image \/images\/missing\.jpg does not exist \[R403\]/);
    assert.equal(runCli(['build', site, '--strict']).code, 1);
    const forced = runCli(['build', site, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^Built /m, '--force builds though nothing changed');
    assert.match(runCli(['build', site]).stdout, /^Up to date: /m, 'and records that build in turn');
    // Deleting the cache forces a full build, which is recorded in turn: the folder it left changed, no input did.
    rmSync(path.join(site, '.cache'), { recursive: true });
    assert.match(runCli(['build', site]).stdout, /^Built /m);
    assert.match(runCli(['build', site]).stdout, /^Up to date: /m);
    writeFileSync(path.join(site, 'posts/2025-01-10-january.md'), readFileSync(path.join(site, 'posts/2025-01-10-january.md'), 'utf8').replace('Alice', 'Alise'));
    const third = runCli(['build', site]);
    assert.match(third.stdout, /^Built /m);
    assert.match(readFileSync(path.join(site, '_site/2025/01/10/january/index.html'), 'utf8'), /Alise/);
  });
});

describe('when the clock changes an event page', () => {
  const clock = new SiteClock('Asia/Kathmandu');
  const at = (text: string): SiteDate => {
    const parsed = clock.parse(text);
    assert.ok(parsed.ok, text);
    return parsed.date;
  };
  const event = (start: string, end?: string) => ({ start: at(start), end: end === undefined ? undefined : at(end) }) as MeetupEvent;
  it('is the next midnight in the site zone or the start while upcoming, the end while live, never when over', () => {
    const now = at('2027-03-01 20:00');
    assert.equal(eventChangesAt(event('2027-03-10 18:00'), now, clock), at('2027-03-02 00:00').epochMs);
    assert.equal(eventChangesAt(event('2027-03-01 21:00'), now, clock), at('2027-03-01 21:00').epochMs);
    assert.equal(eventChangesAt(event('2027-03-01 19:00', '2027-03-01 22:00'), now, clock), at('2027-03-01 22:00').epochMs);
    assert.equal(eventChangesAt(event('2027-02-01 19:00', '2027-02-01 22:00'), now, clock), Infinity);
  });
});
