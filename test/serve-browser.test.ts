import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../src/preview/serve.js';
import { HAVE_CHROMIUM, launchBrowser } from './browser.js';
import { makeSite, post } from './helpers.js';
import { startServer } from './serve-helpers.js';

/** A small SVG of one colour, a file `recap serve` copies as it is. */
const BADGE = (colour: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="${colour}"/></svg>`;

describe('recap serve in a real browser', { skip: HAVE_CHROMIUM ? false : 'Chromium is not installed (.ci/run installs it)' }, () => {
  let browser: Browser;
  let server: RunningServer;
  let site: string;

  before(async () => {
    site = makeSite({
      'posts/2024-03-06-live.md': post('title: Before the edit', 'Body.\n'),
      'posts/2024-03-07-badge.md': post('title: Our badge', '![Our badge](/files/badge.svg)\n'),
      'static/files/badge.svg': BADGE('red'),
    });
    server = await startServer(site);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reloads on a title change, shows the error overlay on broken front matter, and clears it when fixed', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/2024/03/06/live/`);
    assert.equal(await page.locator('h1').textContent(), 'Before the edit');
    await page.waitForTimeout(200); // let the event stream connect

    const file = path.join(site, 'posts/2024-03-06-live.md');
    writeFileSync(file, post('title: After the edit', 'Body.\n'));
    await page.locator('h1', { hasText: 'After the edit' }).waitFor({ timeout: 20_000 });

    writeFileSync(file, '---\ntitle: [unclosed\n---\nBody.\n');
    const overlay = page.locator('#recap-overlay');
    await overlay.waitFor({ timeout: 20_000 });
    assert.match(await overlay.textContent() ?? '', /posts\/2024-03-06-live\.md:\d+:\d+ error: invalid YAML/);
    assert.equal(await page.locator('h1').textContent(), 'After the edit', 'the last good page stays underneath');

    writeFileSync(file, post('title: Fixed again', 'Body.\n'));
    await page.locator('h1', { hasText: 'Fixed again' }).waitFor({ timeout: 20_000 });
    await overlay.waitFor({ state: 'detached', timeout: 20_000 });
    await page.close();
  });

  it('reloads a page when a copied file it shows changes, and not one that does not show it', async () => {
    const showing = await browser.newPage();
    const other = await browser.newPage();
    await showing.goto(`http://127.0.0.1:${server.port}/2024/03/07/badge/`);
    await other.goto(`http://127.0.0.1:${server.port}/2024/03/06/live/`);
    for (const page of [showing, other]) await page.evaluate(() => Object.assign(globalThis, { loadedBefore: true }));
    await showing.waitForTimeout(200); // let the event streams connect
    writeFileSync(path.join(site, 'static/files/badge.svg'), BADGE('blue'));
    await showing.waitForFunction(() => !('loadedBefore' in globalThis), undefined, { timeout: 20_000 });
    assert.match(await (await showing.request.get(`http://127.0.0.1:${server.port}/files/badge.svg`)).text(), /blue/);
    assert.equal(await other.evaluate(() => 'loadedBefore' in globalThis), true, 'a page without the file stays as it was');
    await showing.close();
    await other.close();
  });
});
