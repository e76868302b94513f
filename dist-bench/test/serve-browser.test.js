import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HAVE_CHROMIUM, launchBrowser } from './browser.js';
import { makeSite, post } from './helpers.js';
import { startServer } from './serve-helpers.js';
describe('recap serve in a real browser', { skip: HAVE_CHROMIUM ? false : 'Chromium is not installed (.ci/run installs it)' }, () => {
    let browser;
    let server;
    let site;
    before(async () => {
        site = makeSite({ 'posts/2024-03-06-live.md': post('title: Before the edit', 'Body.\n') });
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
        await page.locator('h1', { hasText: 'After the edit' }).waitFor({ timeout: 8000 });
        writeFileSync(file, '---\ntitle: [unclosed\n---\nBody.\n');
        const overlay = page.locator('#recap-overlay');
        await overlay.waitFor({ timeout: 8000 });
        assert.match(await overlay.textContent() ?? '', /posts\/2024-03-06-live\.md:\d+:\d+ error: invalid YAML/);
        assert.equal(await page.locator('h1').textContent(), 'After the edit', 'the last good page stays underneath');
        writeFileSync(file, post('title: Fixed again', 'Body.\n'));
        await page.locator('h1', { hasText: 'Fixed again' }).waitFor({ timeout: 8000 });
        await overlay.waitFor({ state: 'detached', timeout: 8000 });
        await page.close();
    });
});
