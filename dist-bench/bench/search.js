import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from '../src/pipeline/build.js';
import { writeManifest } from '../src/output/write.js';
import { writeCorpus } from './corpus.js';
import { staticHost } from './static-host.js';
/**
 * Search on the 4000-post site: what the build spends on the index, what the first query
 * transfers (the index and the engine, compressed as hosts send them), how long the first
 * query takes (loading included) and the median of later ones, in Debian's Chromium.
 */
export async function benchSearch(count = 4000) {
    const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-search-'));
    try {
        writeCorpus(dir, count);
        const result = await build({ siteDir: dir });
        const buildMs = result.timings.find((t) => t.stage === 'collect.search').ms;
        const out = path.join(dir, '_site');
        await writeManifest(result.manifest, out, dir);
        const { server, origin } = await staticHost(out);
        const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
        try {
            const page = await browser.newPage();
            await page.goto(`${origin}/search/`);
            let transferred = 0;
            const cdp = await page.context().newCDPSession(page);
            await cdp.send('Network.enable');
            cdp.on('Network.loadingFinished', (event) => { transferred += event.encodedDataLength; });
            // In the page (as a string: this project compiles without the DOM's types): time from typing to the announced result.
            const timeQuery = (query) => page.evaluate(`new Promise((resolve) => {
        const input = document.querySelector('#search-input');
        const status = document.querySelector('.search-status');
        const started = performance.now();
        new MutationObserver((_, observer) => { observer.disconnect(); resolve(performance.now() - started); }).observe(status, { childList: true, characterData: true, subtree: true });
        input.value = ${JSON.stringify(query)};
        input.dispatchEvent(new Event('input'));
      })`);
            const firstMs = await timeQuery('backstge');
            const later = [];
            for (const query of ['gitops', 'priya', 'cold strts', 'policy code', 'meetup 1234', 'dashbords', 'hannah', 'portals', 'edge', 'catalogue'])
                later.push(await timeQuery(query));
            later.sort((a, b) => a - b);
            const results = await page.locator('.search-results li').count();
            console.log(`search on ${count} posts: index built in ${buildMs.toFixed(0)} ms of the build (` +
                `${(readFileSync(path.join(out, 'search/index.html'), 'utf8').length / 1024).toFixed(1)} KB page); first query transfers ${(transferred / 1024).toFixed(0)} KB ` +
                `and answers in ${firstMs.toFixed(0)} ms (loading included); later queries ${later[Math.floor(later.length / 2)].toFixed(1)} ms median, ` +
                `${later[later.length - 1].toFixed(1)} ms worst (${results} results for the last)`);
        }
        finally {
            await browser.close();
            server.close();
        }
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
