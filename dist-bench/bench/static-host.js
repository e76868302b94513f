import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { headersForPath } from '../src/output/headers.js';
const TYPES = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml',
    '.xml': 'application/xml', '.ics': 'text/calendar', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.avif': 'image/avif',
};
const COMPRESSED = /^(text\/|application\/(json|xml)|image\/svg)/;
/**
 * A static host for a built site as the usual ones behave: the site's `_headers` applied (its
 * Content-Security-Policy and caching), text gzipped when the browser accepts it.
 */
export async function staticHost(root) {
    const server = createServer((req, res) => {
        const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        let file = path.join(root, urlPath);
        if (file.endsWith(path.sep) || urlPath.endsWith('/'))
            file = path.join(file, 'index.html');
        if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
            res.writeHead(404, { 'content-type': 'text/html' }).end(readFileSync(path.join(root, '404.html')));
            return;
        }
        const headersText = statSync(path.join(root, '_headers'), { throwIfNoEntry: false }) ? readFileSync(path.join(root, '_headers'), 'utf8') : '';
        const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
        const headers = { 'content-type': type, ...headersForPath(headersText, urlPath) };
        const body = readFileSync(file);
        if (COMPRESSED.test(type) && /gzip/.test(String(req.headers['accept-encoding'])))
            res.writeHead(200, { ...headers, 'content-encoding': 'gzip' }).end(gzipSync(body));
        else
            res.writeHead(200, headers).end(body);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
