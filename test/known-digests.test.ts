import assert from 'node:assert/strict';
import fs, { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { build, BuildState, runStages, STAGES } from '../src/pipeline/build.js';
import { publishSite } from '../src/pipeline/publish.js';
import { stateFolder } from '../src/output/write.js';
import { freshFiles, makeSite, outputFolder, post } from './helpers.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const DIGESTS = 'digests.json';

/** The site paths of the post and page files a step opened (through node:fs, as Recap's own modules see it). */
async function filesOpenedBy(site: string, step: () => Promise<unknown>): Promise<string[]> {
  const opened = new Set<string>();
  const original = fs.openSync;
  fs.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    const relative = path.relative(site, String(file)).split(path.sep).join('/');
    if (/^(posts|pages)\//.test(relative)) opened.add(relative);
    return (original as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  syncBuiltinESMExports();
  try {
    await step();
  } finally {
    fs.openSync = original;
    syncBuiltinESMExports();
  }
  return [...opened].sort();
}

/**
 * Publishes the site (settledMs 0 trusts any file older than the build; a few milliseconds keep an
 * edit out of the build's own millisecond) and returns the post and page files it opened, once its
 * output is held to a fresh build's (which reads every file itself, so it is not counted).
 */
async function publishedFresh(site: string, out: string, force = false): Promise<string[]> {
  await sleep(5);
  const opened = await filesOpenedBy(site, async () => assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0, force })).outcome, 'built'));
  assert.deepEqual(outputFolder(out), await freshFiles(site, { now: NOW }), 'the output is a fresh build\'s');
  return opened;
}

function fixture(): string {
  return makeSite({
    'recap.yml': 'title: Digests\nurl: https://digests.example\n',
    'posts/2027-01-10-january.md': post('title: January', 'Alice Liddell talked about [caching](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=65s) (starting at 1:05).\n'),
    'posts/2027-02-14-february.md': post('title: February', 'Hello from February.\n'),
    'posts/2027-02-20-late-february.md': post('title: Late February', 'See [January]({% post_url 2027-01-10-january %}).\n'),
    'pages/about.md': post('title: About', 'About us.\n'),
  });
}

describe('recap build reads only the post and page files that changed since the last build', () => {
  it('knows the others by the digests it recorded with their identities, and makes what a fresh build makes', async () => {
    const site = fixture();
    const out = path.join(site, '_site');
    // settledMs 0 trusts any file older than the build; a few milliseconds keep an edit out of the build's own millisecond.
    const publish = (force = false) => publishedFresh(site, out, force);
    const every = ['pages/about.md', 'posts/2027-01-10-january.md', 'posts/2027-02-14-february.md', 'posts/2027-02-20-late-february.md'];
    assert.deepEqual(await publish(), every, 'a first build reads every file');

    appendFileSync(path.join(site, 'posts/2027-02-14-february.md'), 'One more line.\n');
    assert.deepEqual(await publish(), ['posts/2027-02-14-february.md'], 'the edited post alone is read');

    // A setting the parse reads (the permalink) changes every post's parse key: each is read to be parsed again.
    writeFileSync(path.join(site, 'recap.yml'), 'title: Digests\nurl: https://digests.example\npermalink: /:year/:title/\n');
    assert.deepEqual(await publish(), every, 'a parse the cache lacks is made from the file');

    assert.deepEqual(await publish(true), every, '--force reads every file');
    appendFileSync(path.join(site, 'pages/about.md'), 'More about us.\n');
    assert.deepEqual(await publish(), ['pages/about.md'], 'and records them all again');
  });

  it('reads a file whose recorded digest is wrong (a tampered or damaged record) and builds it from what it holds', async () => {
    const site = fixture();
    const out = path.join(site, '_site');
    const publish = () => publishedFresh(site, out);
    await publish();
    const record = path.join(stateFolder(out), DIGESTS);
    const recorded = JSON.parse(readFileSync(record, 'utf8')) as { format: number; files: Record<string, [string, string]> };
    assert.equal(Object.keys(recorded.files).length, 4);
    // January claims February's digest (whose parse the cache holds, under February's path), February a digest of nothing it held.
    const files = { ...recorded.files };
    files['posts/2027-01-10-january.md'] = [files['posts/2027-01-10-january.md']![0], files['posts/2027-02-14-february.md']![1]];
    files['posts/2027-02-14-february.md'] = [files['posts/2027-02-14-february.md']![0], 'f'.repeat(40)];
    // Touch another file so the build cannot stop early as up to date.
    appendFileSync(path.join(site, 'pages/about.md'), 'More about us.\n');
    writeFileSync(record, JSON.stringify({ ...recorded, files }));
    assert.deepEqual(await publish(), ['pages/about.md', 'posts/2027-01-10-january.md', 'posts/2027-02-14-february.md']);
    // Read, each file's digest is what it holds again, for the next build.
    const mended = (JSON.parse(readFileSync(record, 'utf8')) as typeof recorded).files;
    for (const file of ['posts/2027-01-10-january.md', 'posts/2027-02-14-february.md']) assert.equal(mended[file]![1], recorded.files[file]![1], file);

    // A record that is not one Recap wrote is as good as none: every file is read.
    for (const damaged of ['{"format": 1, "files": ', JSON.stringify({ format: 99, files: recorded.files }), JSON.stringify({ format: 1, files: { 'posts/2027-01-10-january.md': [1, 'x'] } })]) {
      appendFileSync(path.join(site, 'pages/about.md'), 'Even more.\n');
      writeFileSync(record, damaged);
      assert.equal((await publish()).length, 4);
    }
  });

  it('reports a file known by its digest that is gone when its parse is to be made, and builds the rest', async () => {
    const site = fixture();
    // A digest no cache entry has: every post is read when parsed, and one has been removed since the posts were listed.
    const state = new BuildState({ siteDir: site, now: NOW, persistCache: true, digests: { digestOf: () => '0'.repeat(40) } });
    await runStages(state, STAGES.slice(0, 1));
    assert.ok(state.sources.posts.every((source) => source.bytes === undefined), 'load read none of them');
    rmSync(path.join(site, 'posts/2027-02-14-february.md'));
    await runStages(state, STAGES.slice(1));
    const reported = state.diagnostics.list.filter((d) => d.severity === 'error');
    assert.deepEqual(reported.map((d) => [d.code, d.file]), [['R109', 'posts/2027-02-14-february.md']]);
    assert.deepEqual(state.resolved.map((r) => r.file).sort(), ['pages/about.md', 'posts/2027-01-10-january.md', 'posts/2027-02-20-late-february.md']);
    // The others were read, and their digests are now what they hold: their pages are a fresh build's.
    const fresh = await build({ siteDir: site, now: NOW });
    for (const url of ['/2027/01/10/january/', '/2027/02/20/late-february/']) {
      assert.equal(state.manifest.get(url)?.content?.toString(), fresh.manifest.get(url)?.content?.toString(), url);
    }
  });
});
