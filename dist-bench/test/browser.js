import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
/** Debian's Chromium, installed by .ci/run; browser tests are skipped with a reason where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Launches headless Chromium the way this machine allows: no sandbox as root, no background networking. */
export function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}
const TYPES = {
    '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.ics': 'text/calendar',
    '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.avif': 'image/avif',
};
/** Serves a build manifest on a free loopback port (a test fixture, not the preview server). */
export async function serveManifest(manifest, headers = {}) {
    const server = createServer((req, res) => {
        const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        const file = manifest.get(url);
        if (!file) {
            res.writeHead(404).end();
            return;
        }
        const type = url.endsWith('/') ? 'text/html' : TYPES[path.extname(url)] ?? 'application/octet-stream';
        res.writeHead(200, { 'content-type': type, ...headers }).end(file.content ?? readFileSync(file.copyFrom));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { origin: `http://127.0.0.1:${server.address().port}`, server };
}
