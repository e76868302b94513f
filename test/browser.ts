import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { Manifest } from '../src/manifest.js';

/** Debian's Chromium, installed by .ci/run; browser tests are skipped with a reason where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Launches headless Chromium the way this machine allows: no sandbox as root, no background networking. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves a build manifest on a free loopback port (a test fixture, not the preview server). */
export async function serveManifest(manifest: Manifest, headers: Record<string, string> = {}): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = manifest.get(url);
    if (!file || file.content === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = url.endsWith('/') ? 'text/html' : url.endsWith('.js') ? 'text/javascript' : url.endsWith('.css') ? 'text/css' : url.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, ...headers }).end(file.content);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
