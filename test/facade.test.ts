import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { HAVE_CHROMIUM, launchBrowser, serveManifest } from './browser.js';
import { buildSite, makeSite, photo, post } from './helpers.js';
import type { BuildResult } from '../src/pipeline/build.js';

const V = 'Ab3dE5fG7hJ';

describe('the video facade in a real browser', { skip: HAVE_CHROMIUM ? false : 'Chromium is not installed (.ci/run installs it)' }, () => {
  let browser: Browser;
  let origin: string;
  let close: () => void;

  before(async () => {
    const result = await buildSite(makeSite({
      'posts/2024-05-01-talks.md': post(`title: Facade night\nvideo: https://www.youtube.com/watch?v=${V}`,
        `Ann Lee from Acme gave [One](https://youtu.be/${V}?t=60) (starting at 1:00).\n\nBob Stone from Initech gave [Two](https://youtu.be/${V}?t=1200) (starting at 20:00).\n`),
    }));
    const served = await serveManifest(result.manifest);
    origin = served.origin;
    close = () => served.server.close();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    close?.();
  });

  /** Serves a build with the Content-Security-Policy its `_headers` gives hosts and runs `use` on a page there, which records each violation; the policy. */
  async function underItsPolicy(result: BuildResult, use: (page: Page, origin: string, violations: string[]) => Promise<void>): Promise<string> {
    const policy = /Content-Security-Policy: (.*)/.exec(result.manifest.get('/_headers')!.content!.toString())![1]!;
    const served = await serveManifest(result.manifest, { 'content-security-policy': policy });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await use(page, served.origin, violations);
      await page.close();
    } finally {
      served.server.close();
    }
    return policy;
  }

  it('requests nothing from YouTube until a click, then plays the privacy-enhanced embed; timestamps start it at the talk', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route(/youtube|ytimg|youtu\.be/, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>player</p>' }));
    await page.goto(`${origin}/2024/05/01/talks/`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    assert.deepEqual(requests.filter((u) => /youtube|ytimg|youtu\.be/.test(u)), []);

    const facade = page.getByRole('link', { name: 'Play the recording of Facade night' });
    await facade.focus();
    await page.keyboard.press('Enter');
    const iframe = page.locator('figure.video iframe');
    await iframe.waitFor();
    assert.equal(await iframe.getAttribute('src'), `https://www.youtube-nocookie.com/embed/${V}?autoplay=1`);
    assert.equal(await iframe.getAttribute('title'), 'Recording of Facade night');
    assert.equal(page.url(), `${origin}/2024/05/01/talks/`, 'the page did not navigate away');

    await page.locator('a.talk-time[data-start="1200"]').click();
    assert.equal(await iframe.getAttribute('src'), `https://www.youtube-nocookie.com/embed/${V}?autoplay=1&start=1200`);
    assert.ok(requests.some((u) => u.startsWith('https://www.youtube-nocookie.com/embed/')));
    assert.ok(!requests.some((u) => /www\.youtube\.com|ytimg/.test(u)), 'only the privacy-enhanced host is contacted');
    await page.close();
  });

  it('runs under the Content-Security-Policy that _headers gives hosts, with no violation', async () => {
    const result = await buildSite(makeSite({
      'images/photo.jpeg': await photo(),
      'posts/2024-05-01-csp.md': post(`title: CSP night\nimage: /images/photo.jpeg\nvideo: https://www.youtube.com/watch?v=${V}`, `Ann Lee from Acme gave [One](https://youtu.be/${V}?t=60).\n\n![The room](/images/photo.jpeg)\n`),
    }));
    await underItsPolicy(result, async (page, origin, violations) => {
      await page.route(/youtube/, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>player</p>' }));
      for (const url of ['/2024/05/01/csp/', '/', '/talks/']) await page.goto(origin + url, { waitUntil: 'load' });
      await page.goto(origin + '/2024/05/01/csp/');
      await page.getByRole('link', { name: 'Play the recording of CSP night' }).click();
      await page.locator('figure.video iframe').waitFor();
      await page.waitForTimeout(200);
      assert.deepEqual(violations, []);
      assert.equal(await page.evaluate('getComputedStyle(document.body).marginTop'), '0px', 'the stylesheet loaded');
    });
  });

  it('shows a post\'s inline styles (a <style> element, style= attributes) under the policy, which allows each by its hash', async () => {
    const result = await buildSite(makeSite({
      'posts/2024-05-01-styled.md': post('title: Styled', [
        '<style>\n  #styled-by-element { color: rgb(200, 0, 0); }\n</style>',
        '',
        '<p id="styled-by-element">Red.</p>',
        '',
        '<p id="styled-by-attribute" style="text-align: center">Centred.</p>',
        '',
        'Inline <span id="styled-span" style="font-weight: 700">bold</span> text.',
        '',
      ].join('\n')),
    }));
    const policy = await underItsPolicy(result, async (page, origin, violations) => {
      await page.goto(origin + '/2024/05/01/styled/', { waitUntil: 'load' });
      assert.deepEqual(violations, []);
      const computed = await page.evaluate(`[getComputedStyle(document.getElementById('styled-by-element')).color,
        getComputedStyle(document.getElementById('styled-by-attribute')).textAlign, getComputedStyle(document.getElementById('styled-span')).fontWeight]`);
      assert.deepEqual(computed, ['rgb(200, 0, 0)', 'center', '700']);
    });
    const styleSources = policy.split('; ').find((d) => d.startsWith('style-src'))!.split(' ').slice(1);
    assert.deepEqual(styleSources.slice(0, 2), ["'self'", "'unsafe-hashes'"]);
    assert.equal(styleSources.length, 5, policy);
    assert.ok(!styleSources.includes("'unsafe-inline'"));
  });

  it('plays a recording from another host under the policy, which names that host in media-src', async () => {
    const asked: string[] = [];
    const media = createServer((request, response) => {
      asked.push(request.url ?? '');
      response.writeHead(404).end();
    }).listen(0, '127.0.0.1');
    await once(media, 'listening');
    const host = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
    try {
      const result = await buildSite(makeSite({ 'posts/2024-05-01-recorded.md': post('title: Recorded', `<video controls preload="auto" src="${host}/talk.mp4"></video>\n`) }));
      const policy = await underItsPolicy(result, async (page, origin, violations) => {
        await page.goto(origin + '/2024/05/01/recorded/', { waitUntil: 'load' });
        for (let waited = 0; asked.length === 0 && waited < 5000; waited += 100) await page.waitForTimeout(100);
        assert.deepEqual(violations, []);
      });
      assert.match(policy, new RegExp(`; media-src 'self' ${host};`));
      assert.deepEqual(asked, ['/talk.mp4'], 'the browser asked the recording\'s host for it');
    } finally {
      media.close();
    }
  });

  it('lets a widget\'s script from another host frame its own host, as a tweet\'s widgets.js does', async () => {
    const asked: string[] = [];
    const widgets = createServer((request, response) => {
      asked.push(request.url ?? '');
      if (request.url === '/widgets.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        response.end("const frame = document.createElement('iframe'); frame.src = new URL('/embed.html', document.currentScript.src).href; document.body.append(frame);");
      } else response.writeHead(200, { 'content-type': 'text/html' }).end('<p>embedded</p>');
    }).listen(0, '127.0.0.1');
    await once(widgets, 'listening');
    const host = `http://127.0.0.1:${(widgets.address() as AddressInfo).port}`;
    try {
      const result = await buildSite(makeSite({ 'posts/2024-05-01-tweeted.md': post('title: Tweeted', `<blockquote class="tweet">A tweet.</blockquote>\n<script src="${host}/widgets.js"></script>\n`) }));
      await underItsPolicy(result, async (page, origin, violations) => {
        await page.goto(origin + '/2024/05/01/tweeted/', { waitUntil: 'load' });
        for (let waited = 0; asked.length < 2 && waited < 5000; waited += 100) await page.waitForTimeout(100);
        assert.deepEqual(violations, []);
      });
      assert.deepEqual(asked, ['/widgets.js', '/embed.html'], 'the script ran and its frame loaded');
    } finally {
      widgets.close();
    }
  });

  it('filters the talks page by speaker without a server', async () => {
    const page = await browser.newPage();
    await page.route(/youtube|ytimg|youtu\.be/, (route) => route.abort());
    await page.goto(`${origin}/talks/`);
    assert.equal(await page.locator('.talk-list li:visible').count(), 2);
    await page.getByLabel('Speaker', { exact: true }).selectOption('Bob Stone');
    assert.equal(await page.locator('.talk-list li:visible').count(), 1);
    assert.equal(await page.locator('.talk-list li:visible .talk-title').textContent(), 'Two');
    assert.equal(await page.locator('.talk-count').textContent(), '1 talk');
    await page.close();
  });
});
