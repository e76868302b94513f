import { hash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import mime from 'mime';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { LIVE_RELOAD_CLIENT } from './livereload-client.js';
import { isPage, type Manifest, type OutputFile } from '../output/manifest.js';
import { headersForPath } from '../output/headers.js';
import { escapeHtml } from '../content/text.js';

/** What the preview server answers from: the last good build, and the errors of the latest one. */
export interface PreviewState {
  manifest: Manifest;
  baseurl: string;
  /** Errors of the latest build; while there are any, pages carry an overlay showing them. */
  errors: Diagnostic[];
}

const MAX_URL_LENGTH = 2048;
const CLIENT_URL = '/__recap/client.js';
export const EVENTS_URL = '/__recap/events';

/** Host names a browser may use to reach the preview: loopback names and IP literals (DNS rebinding needs a name). */
export function isAllowedHost(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || isIP(host) !== 0 || host === boundHost.toLowerCase();
}

/**
 * True when a request's Origin, if it has one, is the preview itself: a localhost name, or the
 * bound host. An IP-literal Origin is another site unless it is the address the preview listens on.
 */
export function isAllowedOrigin(origin: string | undefined, boundHost: string): boolean {
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return false;
  }
  const bound = boundHost.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === bound || (isIP(host) === 0 && (host === 'localhost' || host.endsWith('.localhost')));
}

/** The site path a request asks for, or an HTTP status for requests that are malformed or hostile. */
export function requestPath(rawUrl: string): { path: string } | { status: number } {
  if (rawUrl.length > MAX_URL_LENGTH) return { status: 414 };
  const raw = rawUrl.split('?')[0]!.split('#')[0]!;
  if (!raw.startsWith('/') || raw.includes('\\') || /%(00|2f|5c)/i.test(raw)) return { status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { status: 400 };
  if (segments.some((s) => s.startsWith('.'))) return { status: 404 };
  return { path: decoded };
}

/** ETags of outputs, made once per output (a rebuild's new outputs get new ones). */
type EtagMemo = WeakMap<OutputFile, string>;

function etagOf(file: OutputFile, etags: EtagMemo): string {
  let tag = etags.get(file);
  if (!tag) {
    if (file.content) tag = `"${hash('sha1', file.content, 'base64url')}"`;
    else {
      const info = statSync(file.copyFrom!);
      tag = `"${info.mtimeMs.toString(36)}-${info.size.toString(36)}"`;
    }
    etags.set(file, tag);
  }
  return tag;
}

/** The overlay's look, a file of its own so that the site's Content-Security-Policy (no inline styles) lets it apply. */
const OVERLAY_CSS_URL = '/__recap/overlay.css';
const OVERLAY_CSS = `#recap-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;background:rgb(20,20,24);color:#fff;font:14px/1.5 ui-monospace,monospace}
#recap-overlay h2{color:#ff6b6b;font:bold 18px system-ui;margin-top:0}
#recap-overlay ol{padding-left:1.2rem}
#recap-overlay pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
`;

function overlay(errors: Diagnostic[]): string {
  const items = errors.map((d) => `<li><pre>${escapeHtml(formatDiagnostic(d))}</pre></li>`).join('');
  return `<link rel="stylesheet" href="${OVERLAY_CSS_URL}"><div id="recap-overlay" role="alert">`
    + `<h2>The last change broke the build: showing the last good version</h2>`
    + `<ol>${items}</ol><p>Fix the file and this page reloads.</p></div>`;
}

function withPreviewScripts(html: Buffer, errors: Diagnostic[]): Buffer {
  const text = html.toString();
  const addition = `${errors.length ? overlay(errors) : ''}<script src="${CLIENT_URL}"></script>`;
  const at = text.lastIndexOf('</body>');
  return Buffer.from(at === -1 ? text + addition : text.slice(0, at) + addition + text.slice(at));
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, type: string, etag?: string, site: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = {
    ...site,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (etag) headers['etag'] = etag;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function contentType(file: OutputFile): string {
  if (isPage(file)) return 'text/html; charset=utf-8';
  const type = mime.getType(file.path) ?? 'application/octet-stream';
  return /^text\/|json|xml|javascript/.test(type) ? `${type}; charset=utf-8` : type;
}

/** Answers a copied file whose source vanished since the build (a deleted photo, `rm -rf .cache`): 404, and a rebuild. */
function vanished(req: IncomingMessage, res: ServerResponse, onVanished: (file: OutputFile) => void, file: OutputFile): void {
  onVanished(file);
  send(req, res, 404, 'Not found: the file changed since the last build; rebuilding\n', 'text/plain; charset=utf-8');
}

/** The headers the build's `_headers` gives a request path, as production hosts send them (so the preview shows what visitors see). */
function siteHeaders(state: PreviewState, requestPath: string): Record<string, string> {
  return headersForPath(state.manifest.get('/_headers')?.content?.toString() ?? '', requestPath);
}

function serveFile(req: IncomingMessage, res: ServerResponse, file: OutputFile, status: number, state: PreviewState, onVanished: (file: OutputFile) => void, etags: EtagMemo): void {
  const type = contentType(file);
  if (file.content && type.startsWith('text/html')) {
    // Pages differ from the build by the live-reload script (and the overlay): no ETag for them.
    send(req, res, status, withPreviewScripts(file.content, state.errors), type, undefined, siteHeaders(state, state.baseurl + file.url));
    return;
  }
  const etag = file.content ? etagOf(file, etags) : statSync(file.copyFrom!, { throwIfNoEntry: false }) && etagOf(file, etags);
  if (!etag) return vanished(req, res, onVanished, file);
  if (status === 200 && req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': 'no-cache' });
    res.end();
    return;
  }
  if (file.content) {
    send(req, res, status, file.content, type, etag);
    return;
  }
  const info = statSync(file.copyFrom!, { throwIfNoEntry: false });
  if (!info) return vanished(req, res, onVanished, file);
  res.writeHead(status, { 'content-type': type, 'content-length': info.size, etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.copyFrom!);
  stream.on('error', () => {
    res.destroy();
    onVanished(file);
  });
  stream.pipe(res);
}

/**
 * The preview server's request handler. It answers only with what the build produced (a lookup
 * in the manifest: no file-system path is ever built from a request), and refuses foreign Host
 * headers (DNS rebinding), traversal attempts and malformed URLs.
 */
export function createPreviewHandler(getState: () => PreviewState, boundHost: string, onEvents: (req: IncomingMessage, res: ServerResponse) => void,
  onVanished: (file: OutputFile) => void, log: (line: string) => void) {
  const handle = answer(getState, boundHost, onEvents, onVanished);
  // No request may take the preview down: a fault while answering is a 500 and a line in the log.
  return (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handle(req, res);
    } catch (err) {
      log(`Request for ${req.url} failed: ${(err as Error).message}`);
      if (!res.headersSent) send(req, res, 500, 'Internal error in the preview server\n', 'text/plain; charset=utf-8');
      else res.destroy();
    }
  };
}

function answer(getState: () => PreviewState, boundHost: string, onEvents: (req: IncomingMessage, res: ServerResponse) => void, onVanished: (file: OutputFile) => void) {
  const etags: EtagMemo = new WeakMap();
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!isAllowedHost(req.headers.host, boundHost)) return send(req, res, 421, 'Misdirected request: unknown host\n', 'text/plain; charset=utf-8');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const target = requestPath(req.url ?? '/');
    if ('status' in target) return send(req, res, target.status, `${target.status}\n`, 'text/plain; charset=utf-8');
    if (target.path === EVENTS_URL) {
      if (!isAllowedOrigin(req.headers.origin, boundHost)) return send(req, res, 403, 'Forbidden origin\n', 'text/plain; charset=utf-8');
      return onEvents(req, res);
    }
    if (target.path === CLIENT_URL) return send(req, res, 200, LIVE_RELOAD_CLIENT, 'text/javascript; charset=utf-8');
    if (target.path === OVERLAY_CSS_URL) return send(req, res, 200, OVERLAY_CSS, 'text/css; charset=utf-8');
    const state = getState();
    const { baseurl, manifest } = state;
    if (baseurl && (target.path === '/' || target.path === baseurl)) {
      res.writeHead(302, { location: `${baseurl}/` });
      res.end();
      return;
    }
    const notFound = manifest.get('/404.html');
    if (baseurl && !target.path.startsWith(baseurl + '/')) {
      return notFound ? serveFile(req, res, notFound, 404, state, onVanished, etags) : send(req, res, 404, 'Not found\n', 'text/plain; charset=utf-8');
    }
    const url = target.path.slice(baseurl.length);
    const file = manifest.servedByHosts(url);
    if (file) return serveFile(req, res, file, 200, state, onVanished, etags);
    if (!url.endsWith('/') && manifest.get(`${url}/`)) {
      res.writeHead(301, { location: encodeURI(`${baseurl}${url}/`) });
      res.end();
      return;
    }
    return notFound ? serveFile(req, res, notFound, 404, state, onVanished, etags) : send(req, res, 404, 'Not found\n', 'text/plain; charset=utf-8');
  };
}
