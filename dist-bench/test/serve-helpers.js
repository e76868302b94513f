import { request } from 'node:http';
import { serve } from '../src/preview/serve.js';
/** Starts `recap serve` on a free loopback port, quietly. */
export function startServer(siteDir, extra = {}) {
    return serve({ siteDir, port: extra.port ?? 0, host: '127.0.0.1', baseUrl: extra.baseUrl, log: () => undefined, report: () => undefined });
}
/** Resolves once the server has gone `quietMs` without a rebuild (a start-up's late file events have passed). */
export function settled(server, quietMs = 400) {
    return new Promise((resolve) => {
        let timer = setTimeout(resolve, quietMs);
        server.onRebuild(() => {
            clearTimeout(timer);
            timer = setTimeout(resolve, quietMs);
        });
    });
}
/** Resolves with the next rebuild event (or rejects after a timeout). */
export function nextRebuild(server, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no rebuild')), timeoutMs);
        let done = false;
        server.onRebuild((event) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            resolve(event);
        });
    });
}
/** A raw HTTP request (the path is sent exactly as given, unlike fetch, which normalises it). */
export function get(port, path, headers = {}) {
    return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.end();
    });
}
/** Polls until `check` passes (file watching is asynchronous), or fails with its last error. */
export async function eventually(check, timeoutMs = 8000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            await check();
            return;
        }
        catch (err) {
            if (Date.now() > deadline)
                throw err;
            await new Promise((resolve) => setTimeout(resolve, 25));
        }
    }
}
