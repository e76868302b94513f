import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as cheerio from 'cheerio';
import { build } from '../src/pipeline/build.js';
import { publishSite } from '../src/pipeline/publish.js';
import { stateFolder } from '../src/output/write.js';
import type { Diagnostic } from '../src/diagnostics/diagnostics.js';
import { BUILTIN_TEMPLATES } from '../src/views/renderer.js';
import { toolchainFingerprint } from '../src/incremental/code-fingerprint.js';
import { makeSite, outputFolder, post, tempDir } from './helpers.js';

const NOW = new Date('2027-03-01T12:00:00Z');

function said(list: readonly Diagnostic[]): string[] {
  return list.map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);
}

/** What a fresh build in memory (no cache, no store) makes of the site, and what it reports. */
async function freshBuild(siteDir: string): Promise<{ files: Record<string, string>; diagnostics: string[] }> {
  const result = await build({ siteDir, now: NOW });
  const files: Record<string, string> = {};
  for (const file of result.manifest.all()) files[file.path] = (file.content ?? readFileSync(file.copyFrom!)).toString('base64');
  return { files, diagnostics: said(result.diagnostics.list) };
}

function pageText(out: string, page: string): string {
  return readFileSync(path.join(out, page), 'utf8');
}

/** A post with a talk by a speaker no other post has. */
const LATE_FEBRUARY = 'More from February: Bob Stone talked about [queues](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=120s) (starting at 2:00).\n';

describe('recap build keeps the pages whose inputs did not change', () => {
  it('after each change makes what a fresh build makes, reporting what it reports, and renders only what changed', async () => {
    const site = makeSite({
      'recap.yml': 'title: Reuse Test\nurl: https://reuse.example\ntimezone: Europe/London\npaginate: 2\n',
      'posts/2027-01-10-january.md': post('title: January\ntags: [talks]', 'Alice Liddell talked about [caching](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=65s) (starting at 1:05).\n\nSee also [late February]({% post_url 2027-02-20-late-february %}).\n'),
      'posts/2027-02-14-february.md': post('title: February\nimage: /images/missing.jpg\nlayout: jekyll-post', 'Hello from February.\n'),
      'posts/2027-02-20-late-february.md': post('title: Late February\nlayout: jekyll-post', LATE_FEBRUARY),
      'posts/2027-03-23-march.md': post('title: March\nevent:\n  start: 2027-03-23 18:30\n  end: "21:00"\n  venue: The Hall\n  address: 1 Road, Leeds LS1 1AA'),
      'pages/about.md': post('title: About', 'About us.\n'),
    });
    const out = path.join(site, '_site');
    let force = false;
    const publish = async (change: string) => {
      // settledMs 0 trusts any input older than the build; a few milliseconds keep an edit out of the build's own millisecond.
      await sleep(5);
      const published = await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0, force });
      assert.equal(published.outcome, 'built', `${change}: built`);
      const fresh = await freshBuild(site);
      assert.deepEqual(outputFolder(out), fresh.files, `${change}: the output is a fresh build's`);
      assert.deepEqual(said(published.diagnostics.list), fresh.diagnostics, `${change}: and so is what it reports`);
      return published.outcome === 'built' ? published.result : assert.fail();
    };
    const first = await publish('first build');
    assert.equal(first.reusedPages, 0);
    assert.ok(first.diagnostics.list.some((d) => d.code === 'R502'), 'the missing layout is reported');

    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nA last word, far below the card.\n');
    const bodyEdit = await publish('a body edited below its card');
    // Every post and page but March's, and every list (no card changed), is the live output's file;
    // calendars, whose addresses come from the posts, are made by every build (they are cheap).
    const remade = bodyEdit.manifest.all().filter((file) => !file.reuse && /\.(html|json)$/.test(file.path) && !file.path.startsWith('assets/')).map((file) => file.path);
    assert.deepEqual(remade, ['2027/03/23/march/index.html']);
    assert.equal(bodyEdit.reusedPages, bodyEdit.manifest.all().filter((file) => file.reuse).length);
    assert.match(pageText(out, '2027/03/23/march/index.html'), /A last word/);

    // January is no neighbour of late February's: only its link says where that post is.
    writeFileSync(path.join(site, 'posts/2027-02-20-late-february.md'), post('title: Late February\nlayout: jekyll-post\npermalink: /late-february/', LATE_FEBRUARY));
    await publish('a post another links to with post_url moved');
    const january = cheerio.load(pageText(out, '2027/01/10/january/index.html'));
    assert.ok(january('a').toArray().some((a) => january(a).attr('href') === '/late-february/'), 'the linking post was made again with the new address');

    writeFileSync(path.join(site, 'posts/2027-02-20-late-february.md'), post('title: Late in February\nlayout: jekyll-post\npermalink: /late-february/', LATE_FEBRUARY));
    const retitled = await publish('a neighbour retitled');
    assert.match(pageText(out, '2027/02/14/february/index.html'), /Late in February/);
    // A card reaches only the list pages that show it: the first home page and its year, not the second page, the archive or the tags.
    const kept = (page: string) => retitled.manifest.all().find((file) => file.path === page)?.reuse !== undefined;
    assert.deepEqual(['index.html', '2027/index.html', 'page2/index.html', 'archive/index.html', 'tags/index.html', 'tags/talks/index.html'].map(kept),
      [false, false, true, true, true, true]);
    // And only the speakers it names: the index (which shows each one's latest meetup) and Bob's page, not Alice's.
    assert.deepEqual(['speakers/index.html', 'speakers/bob-stone/index.html', 'speakers/alice-liddell/index.html'].map(kept), [false, false, true]);
    assert.match(pageText(out, 'speakers/bob-stone/index.html'), /Late in February/);

    // A kept page must be the live file exactly as written: one edited (even keeping its size) or
    // replaced by a link is made again, and nothing outside the output is read through the link.
    // Both pages changed in the last build, so the standby tree holds their older selves, not these.
    const februaryPage = path.join(out, '2027/02/14/february/index.html');
    writeFileSync(februaryPage, pageText(out, '2027/02/14/february/index.html').replace('Hello from February', 'HELLO FROM FEBRUARY'));
    const outside = path.join(tempDir(), 'secret.html');
    writeFileSync(outside, '<p>secret</p>');
    const lateFebruaryPage = path.join(out, 'late-february/index.html');
    rmSync(lateFebruaryPage);
    symlinkSync(outside, lateFebruaryPage);
    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nOne more word.\n');
    await publish('kept pages tampered with in the live output');

    const store = path.join(stateFolder(out), 'pages.json');
    const stored = JSON.parse(readFileSync(store, 'utf8')) as { entries: Record<string, { outputs: Array<{ path: string }> }> };
    for (const entry of Object.values(stored.entries)) for (const output of entry.outputs) output.path = '../../outside.html';
    writeFileSync(store, JSON.stringify(stored));
    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nAnd another.\n');
    const tampered = await publish('the store naming paths outside the output');
    assert.equal(tampered.reusedPages, 0, 'no entry naming a path outside is trusted');
    assert.equal(existsSync(path.join(site, 'outside.html')), false);

    // Entries that drop, double or move pages (keeping the live files' fingerprints) are not trusted either.
    const intact = JSON.parse(readFileSync(store, 'utf8')) as { entries: Record<string, { outputs: Array<{ url: string; path: string }> }> };
    const entries = Object.values(intact.entries);
    const [lateFebruary, february] = [entries.find((e) => e.outputs[0]?.url === '/late-february/')!, entries.find((e) => e.outputs[0]?.url === '/2027/02/14/february/')!];
    [lateFebruary.outputs, february.outputs] = [february.outputs, lateFebruary.outputs];
    for (const entry of entries.filter((e) => e !== lateFebruary && e !== february)) entry.outputs = entry.outputs.length > 1 ? entry.outputs.slice(1) : [...entry.outputs, ...entry.outputs];
    writeFileSync(store, JSON.stringify(intact));
    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nA word for the shuffled store.\n');
    assert.equal((await publish('the store dropping, doubling and swapping pages')).reusedPages, 0);

    writeFileSync(store, '{"format":');
    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nAnd the last.\n');
    assert.equal((await publish('the store not JSON')).reusedPages, 0);

    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nReally the last.\n');
    assert.ok((await publish('then the next edit')).reusedPages > 0, 'a store is kept again');

    mkdirSync(path.join(site, 'templates'), { recursive: true });
    writeFileSync(path.join(site, 'templates/post.njk'), readFileSync(path.join(BUILTIN_TEMPLATES, 'post.njk'), 'utf8').replace('{% block main %}', '{% block main %}<p class="own">Own theme</p>'));
    assert.equal((await publish('a template of the site')).reusedPages, 0, 'a template reaches every page');
    assert.match(pageText(out, '2027/01/10/january/index.html'), /class="own"/);

    appendFileSync(path.join(site, 'recap.yml'), 'description: Now with words\n');
    assert.equal((await publish('the settings')).reusedPages, 0);

    appendFileSync(path.join(site, 'posts/2027-03-23-march.md'), '\nA word for --force.\n');
    force = true;
    assert.equal((await publish('--force')).reusedPages, 0, '--force makes every page afresh');
  });

  it('keeps nothing from a build whose templates or settings changed too recently to trust their timestamps', async () => {
    const site = makeSite({
      'recap.yml': 'title: Racy\nurl: https://racy.example\n',
      'posts/2027-01-10-january.md': post('title: January'),
    });
    const out = path.join(site, '_site');
    assert.equal((await publishSite({ siteDir: site, outDir: out, now: NOW })).outcome, 'built');
    assert.equal(existsSync(path.join(stateFolder(out), 'pages.json')), false);
  });

  it('takes Recap\'s built-in theme as part of Recap: a site without templates of its own keeps no page across a theme change', () => {
    // A copy of the parts of a package the fingerprint reads; the installed package itself is shared by the tests running beside this one.
    const root = tempDir();
    for (const [name, text] of Object.entries({ 'dist/src/cli.js': 'export {};\n', 'templates/post.njk': '<p>{{ content }}</p>\n', 'templates/assets/style.css': 'p {}\n', 'package.json': '{"dependencies":{}}\n' })) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    }
    const before = toolchainFingerprint(root);
    assert.equal(toolchainFingerprint(root), before);
    writeFileSync(path.join(root, 'templates/assets/style.css'), 'p { color: red }\n');
    assert.notEqual(toolchainFingerprint(root), before, 'a theme asset is part of it');
    const asset = toolchainFingerprint(root);
    writeFileSync(path.join(root, 'templates/post.njk'), '<div>{{ content }}</div>\n');
    assert.notEqual(toolchainFingerprint(root), asset, 'a built-in template is part of it');
  });
});
