import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Diagnostics, UserError } from '../src/diagnostics/diagnostics.js';
import { EarlyWrites } from '../src/output/early-writes.js';
import { Manifest } from '../src/output/manifest.js';
import { commitStandby, openStandby, writeManifest } from '../src/output/write.js';
import { publishSite, type PublishOptions } from '../src/pipeline/publish.js';
import { buildSite, makeSite, outputFolder, post, tempDir } from './helpers.js';

async function buildAndWrite(site: string) {
  const result = await buildSite(site);
  assert.equal(result.diagnostics.count('error'), 0);
  return writeManifest(result.manifest, path.join(site, '_site'), site);
}

describe('writing the output', () => {
  it('writes only what changed, and removes what is gone, across rebuilds', async () => {
    const site = makeSite({
      'recap.yml': 'title: W\nurl: https://w.example\n',
      'posts/2024-03-06-a.md': post('title: A'),
      'posts/2024-03-07-b.md': post('title: B'),
    });
    const first = await buildAndWrite(site);
    assert.equal(first.unchanged, 0);
    const second = await buildAndWrite(site);
    assert.equal(second.written, first.written, 'the standby tree starts empty, so it is written in full once');
    const third = await buildAndWrite(site);
    assert.equal(third.written, 0, 'nothing changed: nothing is written');
    writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A', 'A new body.\n'));
    const fourth = await buildAndWrite(site);
    assert.ok(fourth.written >= 1 && fourth.written < 5, `wrote ${fourth.written}`);
    assert.match(readFileSync(path.join(site, '_site/2024/03/06/a/index.html'), 'utf8'), /A new body\./);
    unlinkSync(path.join(site, 'posts/2024-03-07-b.md'));
    await buildAndWrite(site);
    assert.equal(existsSync(path.join(site, '_site/2024/03/07/b/index.html')), false);
    assert.equal(existsSync(path.join(site, '_site/2024/03/07')), false, 'emptied folders are removed');
    await buildAndWrite(site);
    assert.equal(existsSync(path.join(site, '_site/2024/03/07/b/index.html')), false, 'the standby tree lost it too');
    assert.match(readFileSync(path.join(site, '_site/2024/03/06/a/index.html'), 'utf8'), /A new body\./);
  });

  it('recovers when the standby tree was damaged or removed', async () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A') });
    await buildAndWrite(site);
    await buildAndWrite(site);
    rmSync(path.join(site, '._site.recap/standby/2024'), { recursive: true });
    await buildAndWrite(site);
    assert.ok(existsSync(path.join(site, '_site/2024/03/06/a/index.html')));
    await buildAndWrite(site);
    assert.ok(existsSync(path.join(site, '_site/2024/03/06/a/index.html')));
    rmSync(path.join(site, '._site.recap'), { recursive: true });
    await buildAndWrite(site);
    assert.ok(existsSync(path.join(site, '_site/2024/03/06/a/index.html')));
  });
});

/** Six posts over two tags: post pages, tag pages and lists to write. */
function sixPosts(): string {
  const files: Record<string, string> = { 'recap.yml': 'title: W\nurl: https://w.example\npaginate: 2\n' };
  for (let i = 1; i <= 6; i++) files[`posts/2024-03-0${i}-p${i}.md`] = post(`title: Post ${i}\ntags: [t${i % 2}]`, `Body ${i}.\n`);
  return makeSite(files);
}

function publish(site: string, out: string, options: Partial<PublishOptions> = {}) {
  return publishSite({ siteDir: site, outDir: path.join(site, out), settledMs: 0, ...options });
}

/** The outputs a build wrote while it was still building: their bytes are no longer in the manifest. */
function writtenAhead(published: Awaited<ReturnType<typeof publishSite>>): string[] {
  assert.equal(published.outcome, 'built');
  if (published.outcome !== 'built') return [];
  return [...published.result.manifest.values()].filter((f) => f.content === undefined && f.copyFrom === undefined && f.reuse === undefined).map((f) => f.url).sort();
}

describe('pages written ahead, while the build goes on', () => {
  it('give the very output, record and next builds that writing after the build gives', async () => {
    const site = sixPosts();
    const first = await publish(site, '_ahead', { writeAheadAfter: 1 });
    const ahead = writtenAhead(first);
    for (let i = 1; i <= 6; i++) assert.ok(ahead.includes(`/2024/03/0${i}/p${i}/`), `post ${i} was written ahead: ${ahead.join(' ')}`);
    assert.ok(ahead.includes('/tags/t0/') && ahead.includes('/page2/'), 'and so were the lists');
    // The record holds each file as it is on disk: nothing changed, so nothing is built. (Before the
    // other output is built: the two share the site's cache, whose save the record stands for.)
    assert.equal((await publish(site, '_ahead', { writeAheadAfter: 1 })).outcome, 'up-to-date');
    assert.deepEqual(writtenAhead(await publish(site, '_after', { writeAheadAfter: Infinity })), [], 'below the threshold nothing is written ahead');
    assert.deepEqual(outputFolder(path.join(site, '_ahead')), outputFolder(path.join(site, '_after')));
    // Edits go ahead into the standby tree (the output before last, with files of its own) and are swapped in.
    for (const edit of [3, 5]) {
      writeFileSync(path.join(site, `posts/2024-03-0${edit}-p${edit}.md`), post(`title: Post ${edit} again\ntags: [t2]`, `Body ${edit}, edited.\n`));
      assert.ok(writtenAhead(await publish(site, '_ahead', { writeAheadAfter: 1 })).includes(`/2024/03/0${edit}/p${edit}/`));
      assert.equal((await publish(site, '_ahead', { writeAheadAfter: 1 })).outcome, 'up-to-date');
      writtenAhead(await publish(site, '_after', { writeAheadAfter: Infinity }));
      assert.deepEqual(outputFolder(path.join(site, '_ahead')), outputFolder(path.join(site, '_after')), `after editing post ${edit}`);
    }
  });

  it('leave a Jekyll site\'s own feed, a copy of Recap\'s, whole', async () => {
    const site = makeSite({
      '_config.yml': 'title: Feeds\nurl: https://feeds.example\n',
      // Bodies long enough that the feed's bytes are a buffer of their own, which moves to the thread.
      '_posts/2019-01-02-first.md': post('title: First', 'A long first body. '.repeat(300)),
      '_posts/2019-01-03-second.md': post('title: Second', 'A long second body. '.repeat(300)),
      'atom.xml': '---\nlayout: null\n---\n<feed>{% for post in site.posts %}{{ post.title }}{% endfor %}</feed>\n',
    });
    assert.ok(writtenAhead(await publish(site, '_site', { writeAheadAfter: 1 })).includes('/feed.xml'));
    const feed = readFileSync(path.join(site, '_site/feed.xml'), 'utf8');
    assert.match(feed, /<title>Second<\/title>/);
    assert.ok(feed.length > 8192, `${feed.length} bytes`);
    assert.equal(readFileSync(path.join(site, '_site/atom.xml'), 'utf8'), feed);
  });

  it('never write through links planted in the standby tree', async () => {
    const site = sixPosts();
    const outside = tempDir();
    writeFileSync(path.join(outside, 'victim.html'), 'precious');
    writtenAhead(await publish(site, '_site', { writeAheadAfter: 1 }));
    writtenAhead(await publish(site, '_site', { writeAheadAfter: 1, force: true }));
    const standby = path.join(site, '._site.recap/standby');
    rmSync(path.join(standby, '2024/03/01'), { recursive: true });
    symlinkSync(outside, path.join(standby, '2024/03/01'));
    rmSync(path.join(standby, '2024/03/02/p2/index.html'));
    symlinkSync(path.join(outside, 'victim.html'), path.join(standby, '2024/03/02/p2/index.html'));
    const built = await publish(site, '_site', { writeAheadAfter: 1, force: true });
    assert.ok(writtenAhead(built).includes('/2024/03/01/p1/'));
    assert.deepEqual(readdirSync(outside), ['victim.html']);
    assert.equal(readFileSync(path.join(outside, 'victim.html'), 'utf8'), 'precious');
    for (const file of ['_site/2024/03/01/p1/index.html', '_site/2024/03/02/p2/index.html']) {
      assert.ok(lstatSync(path.join(site, file)).isFile(), `${file} is a file of its own`);
      assert.match(readFileSync(path.join(site, file), 'utf8'), /<h1[^>]*>Post [12]</);
    }
  });

  it('leave the live output untouched when the build fails after writing them', async () => {
    const site = sixPosts();
    writtenAhead(await publish(site, '_site', { writeAheadAfter: 1 }));
    const before = outputFolder(path.join(site, '_site'));
    // A warning fails a strict build only after its pages were written ahead.
    writeFileSync(path.join(site, 'posts/2024-03-06-p6.md'), post('title: Post 6\ntags: [t0]', 'Body 6.\n\n![](/images/missing.jpeg)\n'));
    writeFileSync(path.join(site, 'posts/2024-03-01-p1.md'), post('title: Post 1, renamed\ntags: [t1]', 'Body 1.\n'));
    const failed = await publish(site, '_site', { writeAheadAfter: 1, strict: true });
    assert.equal(failed.outcome, 'failed');
    assert.deepEqual(outputFolder(path.join(site, '_site')), before);
    // The standby tree, half written, is rebuilt: the next build gives what a fresh one gives.
    writtenAhead(await publish(site, '_site', { writeAheadAfter: 1 }));
    writtenAhead(await publish(site, '_fresh', { writeAheadAfter: Infinity }));
    assert.deepEqual(outputFolder(path.join(site, '_site')), outputFolder(path.join(site, '_fresh')));
    assert.match(readFileSync(path.join(site, '_site/2024/03/01/p1/index.html'), 'utf8'), /Post 1, renamed/);
  });

  it('turn a file-system fault of the writing thread into an error naming the path, the live output untouched', async () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A') });
    const out = path.join(site, '_site');
    mkdirSync(out);
    writeFileSync(path.join(out, '.recap-output'), '');
    writeFileSync(path.join(out, 'mine.html'), 'live');
    const standby = await openStandby(out, site);
    const early = new EarlyWrites(standby.tree, 1);
    const manifest = new Manifest();
    const page = manifest.add('/2024/03/06/a/', 'posts/2024-03-06-a.md', { content: '<p>A</p>' }, new Diagnostics(), 'content')!;
    // The standby tree goes away under the thread: its first folder cannot be made.
    rmSync(standby.tree, { recursive: true });
    early.take(page);
    await assert.rejects(commitStandby(standby, manifest, early), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.diagnostic.code, 'R701');
      assert.match(err.diagnostic.message, /^cannot write the output: a file or folder disappeared while Recap used it/);
      assert.ok(err.diagnostic.file.startsWith(standby.tree), err.diagnostic.file);
      return true;
    });
    assert.deepEqual(readdirSync(out).sort(), ['.recap-output', 'mine.html']);
  });
});
