import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import type { RunningServer } from '../src/preview/serve.js';
import type { Diagnostic } from '../src/diagnostics/diagnostics.js';
import { makeSite, photo, post } from './helpers.js';
import { eventually, get, nextRebuild, settled, startServer } from './serve-helpers.js';

/** The status of a request whose body may never end (the event stream), then the connection is closed. */
function statusOf(port: number, urlPath: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

describe('recap serve never dies and never stalls', () => {
  let site: string;
  let server: RunningServer;
  const logged: string[] = [];
  const reported: Diagnostic[] = [];

  before(async () => {
    site = makeSite({
      'recap.yml': 'title: Trust\nurl: https://trust.example\n',
      'images/photo.jpeg': await photo(),
      'static/guide.pdf': 'a pdf',
      'posts/2024-03-06-card.md': post('title: A post with a generated card'),
      'posts/2024-03-07-photo.md': post('title: A post with a photo\nimage: /images/photo.jpeg'),
    });
    mkdirSync(path.join(site, 'posts/nested'));
    symlinkSync(path.join(site, 'posts'), path.join(site, 'posts/nested/loop'));
    const { serve } = await import('../src/preview/serve.js');
    server = await serve({ siteDir: site, port: 0, host: '127.0.0.1', log: (line) => logged.push(line), report: (diagnostics) => reported.push(...diagnostics.list) });
    // The watcher reports the link loop as a change once it meets it: let that rebuild pass first.
    await settled(server);
  });

  after(async () => {
    await server?.close();
  });

  it('keeps serving what the last good build references after a rebuild fails', async () => {
    const page = cheerio.load((await get(server.port, '/2024/03/06/card/')).body);
    const card = new URL(page('meta[property="og:image"]').attr('content')!, 'http://x').pathname;
    assert.match(card, /^\/assets\/social\//);
    assert.equal((await get(server.port, card)).status, 200);
    const failed = nextRebuild(server);
    // The browsers hear of the rebuild before the terminal's report is printed.
    const reportedBefore = reported.length;
    let reportedAtEvent: number | undefined;
    server.onRebuild(() => (reportedAtEvent ??= reported.length));
    writeFileSync(path.join(site, 'posts/2024-03-06-card.md'), '---\ntitle: [broken\n---\n');
    assert.equal((await failed).errors, true);
    assert.equal(reportedAtEvent, reportedBefore, 'the event came before the report');
    assert.ok(reported.length > reportedBefore, 'the failed rebuild was reported');
    assert.equal((await get(server.port, card)).status, 200, 'the failed rebuild did not delete the served card');
    const fixed = nextRebuild(server);
    writeFileSync(path.join(site, 'posts/2024-03-06-card.md'), post('title: A post with a generated card'));
    assert.equal((await fixed).errors, false);
  });

  it('answers 404 for a file whose source vanished, and rebuilds', async () => {
    const page = cheerio.load((await get(server.port, '/2024/03/07/photo/')).body);
    const variant = page('.post-hero img').attr('src')!;
    assert.equal((await get(server.port, variant)).status, 200);
    rmSync(path.join(site, '.cache'), { recursive: true, force: true });
    const rebuilt = nextRebuild(server, 20000);
    assert.equal((await get(server.port, variant)).status, 404);
    await rebuilt;
    await eventually(async () => assert.equal((await get(server.port, variant)).status, 200), 20000);
    assert.equal((await get(server.port, '/guide.pdf')).status, 200);
    unlinkSync(path.join(site, 'static/guide.pdf'));
    const status = (await get(server.port, '/guide.pdf')).status;
    assert.ok(status === 404, `a deleted static file answers 404, got ${status}`);
    await eventually(async () => assert.equal((await get(server.port, '/')).status, 200));
  });

  it('accepts an IP-literal Origin on the event stream only when it is the bound host', async () => {
    assert.equal(await statusOf(server.port, '/__recap/events', { origin: `http://127.0.0.1:${server.port}` }), 200);
    assert.equal(await statusOf(server.port, '/__recap/events', { origin: `http://localhost:${server.port}` }), 200);
    assert.equal(await statusOf(server.port, '/__recap/events', { origin: 'http://10.1.2.3' }), 403);
    assert.equal(await statusOf(server.port, '/__recap/events', { origin: 'http://[::2]:4000' }), 403);
    assert.equal(await statusOf(server.port, '/__recap/events', { origin: 'http://attacker.example' }), 403);
  });

  it('survives a symbolic-link loop in a watched folder, with a warning', async () => {
    assert.equal((await get(server.port, '/')).status, 200);
    writeFileSync(path.join(site, 'posts/2024-03-08-more.md'), post('title: More'));
    await eventually(async () => assert.equal((await get(server.port, '/2024/03/08/more/')).status, 200), 15000);
    assert.ok(reported.some((d) => d.severity === 'warning' && d.file === 'posts/nested/loop' && d.message.includes('symbolic link')), reported.map((d) => d.message).join('\n'));
  });
});

describe('a slow rebuild never blocks requests', () => {
  it('answers from the last good build while a large site rebuilds', async () => {
    // Every post shows one photo, so the site has no social cards to draw.
    const files: Record<string, string | Buffer> = { 'recap.yml': 'title: Large\nurl: https://large.example\n', 'images/p.jpeg': await photo(64, 48) };
    for (let i = 0; i < 1500; i++) files[`posts/2024-01-01-post-${i}.md`] = post(`title: Post ${i}\ntags: [t${i % 20}]\nimage: /images/p.jpeg`, `Paragraph ${i} with [a link](https://example.org/${i}).\n`);
    const site = makeSite(files);
    const server = await startServer(site);
    try {
      let rebuiltAt = 0;
      const rebuilt = nextRebuild(server, 30000).then((event) => {
        rebuiltAt = performance.now();
        return event;
      });
      // A settings change re-renders every page.
      writeFileSync(path.join(site, 'recap.yml'), 'title: Large, renamed\nurl: https://large.example\n');
      await new Promise((resolve) => setTimeout(resolve, 60));
      const answeredAt: number[] = [];
      const page = await get(server.port, '/2024/01/01/post-7/');
      answeredAt.push(performance.now());
      assert.equal(page.status, 200);
      await rebuilt;
      assert.ok(answeredAt[0]! < rebuiltAt, 'the request was answered before the rebuild finished');
    } finally {
      await server.close();
    }
  });
});
