import { request } from 'node:http';
import { serve, type RebuildEvent, type RunningServer } from '../src/preview/serve.js';

/** Starts `recap serve` on a free loopback port, quietly. */
export function startServer(siteDir: string, extra: { baseUrl?: string; port?: number } = {}): Promise<RunningServer> {
  return serve({ siteDir, port: extra.port ?? 0, host: '127.0.0.1', baseUrl: extra.baseUrl, log: () => undefined, report: () => undefined });
}

/** Resolves once the server has gone `quietMs` without a rebuild (a start-up's late file events have passed). */
export function settled(server: RunningServer, quietMs = 400): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(resolve, quietMs);
    server.onRebuild(() => {
      clearTimeout(timer);
      timer = setTimeout(resolve, quietMs);
    });
  });
}

/** Resolves with the next rebuild event (or rejects after a timeout). */
export function nextRebuild(server: RunningServer, timeoutMs = 15_000): Promise<RebuildEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no rebuild')), timeoutMs);
    let done = false;
    server.onRebuild((event) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(event);
    });
  });
}

/** A raw HTTP request (the path is sent exactly as given, unlike fetch, which normalises it). */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `check` passes (file watching is asynchronous), or fails with its last error. */
export async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
