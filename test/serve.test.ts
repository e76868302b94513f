import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import type { RebuildEvent, RunningServer } from '../src/preview/serve.js';
import { makeSite, photo, post } from './helpers.js';
import { eventually, get, nextRebuild, startServer } from './serve-helpers.js';
import { epochNow, watchSiteInThread, type ChangeBatch } from '../src/preview/watch.js';
import { missedFolders } from '../src/preview/missed-folders.js';

const V = 'Ab3dE5fG7hJ';

describe('recap serve', () => {
  let site: string;
  let server: RunningServer;

  before(async () => {
    site = makeSite({
      'recap.yml': 'title: Serve Test\nurl: https://serve.example\npaginate: 5\n',
      'images/photo.jpeg': await photo(),
      'posts/2024-03-06-alpha.md': post('title: Alpha night\ntags: [Rust]', `Ann Lee from X gave [Alpha talk](https://youtu.be/${V}?t=60).\n`),
      'posts/2024-03-07-beta.md': post('title: Beta night\ntags: [Rust]\nimage: /images/photo.jpeg', 'Beta body.\n'),
    });
    server = await startServer(site);
  });

  after(async () => {
    await server?.close();
  });

  it('serves pages from memory with clean URLs, content types, a 404 page and ETags', async () => {
    const page = await get(server.port, '/2024/03/06/alpha/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(cheerio.load(page.body)('h1').text(), 'Alpha night');
    assert.equal(cheerio.load(page.body)('script[src="/__recap/client.js"]').length, 1, 'live reload is injected');
    assert.equal((await get(server.port, '/2024/03/06/alpha')).status, 301);
    assert.equal((await get(server.port, '/2024/03/06/alpha/index.html')).status, 200);
    const missing = await get(server.port, '/no/such/page/');
    assert.equal(missing.status, 404);
    assert.equal(cheerio.load(missing.body)('h1').text(), 'Page not found');
    assert.match((await get(server.port, '/feed.xml')).headers['content-type'] as string, /^application\/(atom\+)?xml/);
    assert.match((await get(server.port, '/talks.json')).headers['content-type'] as string, /^application\/json/);
    const css = cheerio.load(page.body)('link[rel="stylesheet"]').attr('href')!;
    const first = await get(server.port, css);
    assert.equal(first.headers['content-type'], 'text/css; charset=utf-8');
    const again = await get(server.port, css, { 'if-none-match': first.headers['etag'] as string });
    assert.equal(again.status, 304);
    const img = cheerio.load((await get(server.port, '/2024/03/07/beta/')).body)('.post-hero img').attr('src')!;
    assert.equal((await get(server.port, img)).headers['content-type'], 'image/jpeg');
  });

  it('refuses foreign hosts, traversal, malformed URLs, and never shows sources or dotfiles', async () => {
    assert.equal((await get(server.port, '/', { host: 'attacker.example' })).status, 421);
    assert.equal((await get(server.port, '/', { host: `localhost:${server.port}` })).status, 200);
    assert.equal((await get(server.port, '/', { host: `[::1]:${server.port}` })).status, 200);
    const hostile: Array<[string, number]> = [
      ['/../recap.yml', 400],
      ['/%2e%2e/recap.yml', 400],
      ['/2024/%2e%2e/%2e%2e/recap.yml', 400],
      ['/images%2f..%2f..%2fposts', 400],
      ['/..\\recap.yml', 400],
      ['/index.html%00.css', 400],
      ['/%E0%A4%A', 400],
      ['/' + 'a'.repeat(5000), 414],
      ['/posts/2024-03-06-alpha.md', 404],
      ['/recap.yml', 404],
      ['/templates/base.njk', 404],
      ['/.recap-output', 404],
      ['/.cache/recap/posts.json', 404],
      ['/images/', 404],
    ];
    for (const [url, status] of hostile) assert.equal((await get(server.port, url)).status, status, url);
    assert.equal((await get(server.port, '/')).status, 200, 'still serving');
    assert.equal((await get(server.port, '/__recap/events', { origin: 'https://attacker.example' })).status, 403);
  });

  it('rebuilds a body edit into the page, and a title edit into every list that shows it', async () => {
    const file = path.join(site, 'posts/2024-03-06-alpha.md');
    const events: RebuildEvent[] = [];
    server.onRebuild((event) => events.push(event));
    writeFileSync(file, post('title: Alpha night\ntags: [Rust]', `Ann Lee from X gave [Alpha talk](https://youtu.be/${V}?t=60).\n\nA new paragraph.\n`));
    await eventually(async () => assert.match((await get(server.port, '/2024/03/06/alpha/')).body, /A new paragraph\./));
    assert.ok(events.some((e) => e.pages.includes('/2024/03/06/alpha/')), 'browsers were told the page changed');
    events.length = 0;
    writeFileSync(file, post('title: Alpha renamed\ntags: [Rust]', `Ann Lee from X gave [Alpha talk](https://youtu.be/${V}?t=60).\n\nA new paragraph.\n`));
    for (const page of ['/', '/tags/rust/', '/2024/', '/talks/', '/2024/03/07/beta/']) {
      await eventually(async () => assert.match((await get(server.port, page)).body, /Alpha renamed/, page));
      assert.ok(events.some((e) => e.pages.includes(page)), `${page} announced`);
    }
  });

  it('shows errors over the last good page without dying, and clears them when fixed', async () => {
    const file = path.join(site, 'posts/2024-03-07-beta.md');
    writeFileSync(file, '---\ntitle: [Beta\n---\nBroken.\n');
    await eventually(async () => {
      const $ = cheerio.load((await get(server.port, '/2024/03/07/beta/')).body);
      assert.match($('#recap-overlay').text(), /posts\/2024-03-07-beta\.md:\d+:\d+ error: invalid YAML/);
      assert.equal($('h1').text(), 'Beta night', 'the last good build is still served');
    });
    writeFileSync(file, post('title: Beta fixed\nimage: /images/photo.jpeg', 'Beta body.\n'));
    await eventually(async () => {
      const fixed = cheerio.load((await get(server.port, '/2024/03/07/beta/')).body);
      assert.equal(fixed('#recap-overlay').length, 0);
      assert.equal(fixed('h1').text(), 'Beta fixed');
    });
  });

  it('drops a deleted post from every list, and turns a burst of writes into one rebuild', async () => {
    await new Promise((r) => setTimeout(r, 200));
    let events = 0;
    server.onRebuild(() => events++);
    for (let i = 0; i < 40; i++) writeFileSync(path.join(site, `posts/2023-01-${String((i % 28) + 1).padStart(2, '0')}-burst-${i}.md`), post(`title: Burst ${i}`));
    rmSync(path.join(site, 'posts/2024-03-06-alpha.md'));
    await eventually(async () => assert.equal((await get(server.port, '/2024/03/06/alpha/')).status, 404));
    await eventually(async () => assert.match((await get(server.port, '/2023/')).body, /Burst 39/));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(events <= 2, `${events} rebuilds for one burst`);
    for (const page of ['/', '/tags/rust/', '/2024/', '/talks/', '/sitemap.xml', '/feed.xml']) {
      assert.doesNotMatch((await get(server.port, page)).body, /Alpha/, page);
    }
  });

  it('swaps the stylesheet without reloading when only the styles changed', async () => {
    // The site has no templates/ folder yet: the first stylesheet of its own replaces the theme's.
    mkdirSync(path.join(site, 'templates/assets'), { recursive: true });
    const added = nextRebuild(server);
    writeFileSync(path.join(site, 'templates/assets/style.css'), 'body { color: red; }\n');
    await added;
    const first = nextRebuild(server);
    writeFileSync(path.join(site, 'templates/assets/style.css'), 'body { color: blue; }\n');
    const event = await first;
    assert.equal(event.stylesOnly, true, JSON.stringify(event));
    assert.equal(event.styles.length, 1);
  });

  it('takes the next port when the one asked for is busy', async () => {
    const blocker = createServer();
    const busy = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    const other = await startServer(site, { port: busy });
    try {
      assert.notEqual(other.port, busy);
      assert.equal((await get(other.port, '/')).status, 200);
    } finally {
      await other.close();
      blocker.close();
    }
  });
});

describe('recap serve on a Jekyll site', () => {
  it('rebuilds what changes in any of its folders: a page below the root, a collection below collections_dir, a copied file, its own posts/ and pages/', async () => {
    const site = makeSite({
      '_config.yml': 'title: Jekyll Serve\ncollections_dir: my_collections\ncollections:\n  events:\n    output: true\n',
      'my_collections/_posts/2024-02-01-b.md': post('title: Bee night', 'Bee one.\n'),
      'my_collections/_events/e.md': post('title: Event', 'Event one.\n'),
      'about/index.md': post('title: About', 'About one.\n'),
      'assets/site.css': 'body { color: red; }\n',
      'posts/index.html': post('title: All posts', 'List one.\n'),
      'pages/notes.txt': 'Notes one.\n',
      'pages/shot.png': await photo(200, 100),
      'notes.md': '# Notes\n\nNo front matter.\n',
      'node_modules/pkg/readme.md': post('title: Not an input'),
    });
    const server = await startServer(site);
    try {
      for (const [file, page, text] of [['about/index.md', '/about/', 'About two.'], ['my_collections/_events/e.md', '/events/e.html', 'Event two.'], ['my_collections/_posts/2024-02-01-b.md', '/2024/02/01/b.html', 'Bee two.'], ['posts/index.html', '/posts/', 'List two.']] as const) {
        writeFileSync(path.join(site, file), post(`title: ${file}`, `${text}\n`));
        await eventually(async () => assert.match((await get(server.port, page)).body, new RegExp(text.replace('.', '\\.')), page));
      }
      const copied = nextRebuild(server);
      writeFileSync(path.join(site, 'assets/site.css'), 'body { color: blue; }\n');
      assert.deepEqual((await copied).files, ['/assets/site.css'], 'browsers are told which copied file changed');
      assert.match((await get(server.port, '/assets/site.css')).body, /blue/);
      // A Jekyll site's pages/ is a folder of its own, whose other files are copied files too.
      const notes = nextRebuild(server);
      writeFileSync(path.join(site, 'pages/notes.txt'), 'Notes two.\n');
      assert.deepEqual((await notes).files, ['/pages/notes.txt']);
      assert.equal((await get(server.port, '/pages/notes.txt')).body, 'Notes two.\n');
      // A photo there that a post shows: the post's page follows it.
      const widthShown = async () => cheerio.load((await get(server.port, '/2024/02/01/b.html')).body)('.post-body img').attr('width');
      writeFileSync(path.join(site, 'my_collections/_posts/2024-02-01-b.md'), post('title: Bee night', 'Bee three.\n\n![The room](/pages/shot.png)\n'));
      await eventually(async () => assert.equal(await widthShown(), '200'));
      writeFileSync(path.join(site, 'pages/shot.png'), await photo(300, 200, 2));
      await eventually(async () => assert.equal(await widthShown(), '300'));
      // A Gemfile naming github-pages turns GitHub Pages' plugins on: the Markdown file becomes a page.
      assert.equal((await get(server.port, '/notes.html')).status, 404);
      writeFileSync(path.join(site, 'Gemfile'), 'gem "github-pages", group: :jekyll_plugins\n');
      await eventually(async () => assert.match((await get(server.port, '/notes.html')).body, /No front matter\./));
      // A folder Jekyll never reads (node_modules) is not watched: writing there rebuilds nothing.
      let rebuilt = false;
      server.onRebuild(() => (rebuilt = true));
      writeFileSync(path.join(site, 'node_modules/pkg/readme.md'), post('title: Still not an input'));
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(rebuilt, false);
    } finally {
      await server.close();
    }
  });
});

describe("recap serve's watching thread", () => {
  it('reports the changed inputs with their kinds, as the watcher on this thread would, and nothing once closed', async () => {
    const site = makeSite({ 'recap.yml': 'title: Watched\n', 'posts/2024-01-01-a.md': post('title: A'), 'templates/post.njk': '{{ content | safe }}\n' });
    const batches: ChangeBatch[] = [];
    const warnings: string[] = [];
    const watch = watchSiteInThread(site, (batch) => batches.push(batch), { onWarning: (line) => warnings.push(line) });
    await watch.ready;
    writeFileSync(path.join(site, 'posts/2024-01-01-a.md'), post('title: A, edited'));
    writeFileSync(path.join(site, 'posts/2024-01-02-b.md'), post('title: B'));
    writeFileSync(path.join(site, 'templates/post.njk'), '<main>{{ content | safe }}</main>\n');
    writeFileSync(path.join(site, 'notes.txt'), 'not an input\n');
    const expected = ['posts/2024-01-01-a.md', 'posts/2024-01-02-b.md', 'templates/post.njk'].map((file) => path.join(site, file));
    await eventually(async () => assert.deepEqual([...new Set(batches.flatMap((batch) => [...batch.paths]))].sort(), expected));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual([...new Set(batches.flatMap((batch) => [...batch.kinds]))].sort(), ['post', 'template']);
    await watch.close();
    const reported = batches.length;
    writeFileSync(path.join(site, 'posts/2024-01-03-c.md'), post('title: C'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(batches.length, reported, 'nothing is reported once closed');
    assert.deepEqual(warnings, [], 'closing is not a failure');
  });

  it("hands over one file's change after the short quiet, and more files' after the burst's, with when the last change was seen", async () => {
    const site = makeSite({ 'recap.yml': 'title: Watched\n', 'posts/2024-01-01-a.md': post('title: A'), 'posts/2024-01-02-b.md': post('title: B') });
    const batches: Array<ChangeBatch & { at: number }> = [];
    const watch = watchSiteInThread(site, (batch) => batches.push({ ...batch, at: epochNow() }), { quietMs: 400, oneFileQuietMs: 40 });
    await watch.ready;
    try {
      const one = epochNow();
      writeFileSync(path.join(site, 'posts/2024-01-01-a.md'), post('title: A, edited'));
      await eventually(async () => assert.equal(batches.length, 1));
      const first = batches[0]!;
      assert.ok(first.at - one < 300, `one file: handed over after ${(first.at - one).toFixed(0)} ms`);
      assert.ok(first.lastChangeAt >= one && first.at - first.lastChangeAt >= 35, 'after the short quiet, counted from the change');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const two = epochNow();
      writeFileSync(path.join(site, 'posts/2024-01-01-a.md'), post('title: A, again'));
      writeFileSync(path.join(site, 'posts/2024-01-02-b.md'), post('title: B, edited'));
      await eventually(async () => assert.ok(batches.length >= 2));
      const burst = batches.slice(1).flatMap((batch) => [...batch.paths]);
      assert.deepEqual([...new Set(burst)].sort(), ['posts/2024-01-01-a.md', 'posts/2024-01-02-b.md'].map((file) => path.join(site, file)));
      const last = batches.at(-1)!;
      assert.ok(last.at - last.lastChangeAt >= 390, `more files: handed over ${(last.at - last.lastChangeAt).toFixed(0)} ms after the last change`);
      assert.ok(last.at - two >= 390);
    } finally {
      await watch.close();
    }
  });

  it('watches what is made in a new folder at once, and sees it edited later (chokidar reads a new folder before it watches it)', async () => {
    const site = makeSite({ 'recap.yml': 'title: Watched\n', 'posts/2024-01-01-a.md': post('title: A') });
    const batches: ChangeBatch[] = [];
    const watch = watchSiteInThread(site, (batch) => batches.push(batch));
    await watch.ready;
    try {
      const reported = (file: string): boolean => batches.some((batch) => batch.paths.has(file));
      // Each round makes a nested folder and a file in it at once, as `mkdir -p` and an editor's save do.
      for (const [round, folder] of ['templates', 'static', 'images', 'pages', 'drafts', 'posts/2024'].entries()) {
        const file = path.join(site, `${folder}/a/b/2024-01-0${round + 1}-deep.md`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, post(`title: Deep ${round}`));
        await eventually(async () => assert.ok(batches.some((batch) => batch.paths.has(path.join(site, folder))), `${folder}: the new folder`));
        await new Promise((resolve) => setTimeout(resolve, 150));
        batches.length = 0;
        writeFileSync(file, post(`title: Deep ${round}, edited`));
        await eventually(async () => assert.ok(reported(file), `${folder}: the edit in the new folder is seen`), 3000);
      }
    } finally {
      await watch.close();
    }
  });
});

describe('the folders chokidar missed', () => {
  it('names the topmost folder it does not watch, every file below it, and nothing it ignores', () => {
    const site = makeSite({ 'posts/new/a.md': 'a', 'posts/new/deep/b.md': 'b', 'posts/new/deep/.git/c': 'c', 'posts/new/seen/d.md': 'd', 'posts/old.md': 'o' });
    const at = (file: string): string => path.join(site, file);
    const watched = new Set([at('posts'), at('posts/new'), at('posts/new/seen')]);
    const ignored = (file: string): boolean => path.basename(file).startsWith('.');
    assert.deepEqual(missedFolders(at('posts'), (dir) => watched.has(dir), ignored), { folders: [at('posts/new/deep')], files: [at('posts/new/deep/b.md')] });
    watched.delete(at('posts/new'));
    const missed = missedFolders(at('posts'), (dir) => watched.has(dir), ignored);
    assert.deepEqual(missed.folders, [at('posts/new')], 'below a missed folder, chokidar watches everything once it is added');
    assert.deepEqual(missed.files.sort(), [at('posts/new/a.md'), at('posts/new/deep/b.md'), at('posts/new/seen/d.md')]);
    assert.deepEqual(missedFolders(at('posts/gone'), () => false, ignored), { folders: [], files: [] }, 'a folder gone by now is not watched');
  });
});
