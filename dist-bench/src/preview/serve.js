import { createServer } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from '../pipeline/build.js';
import { createBuildMemory, forgetChanged } from '../incremental/build-memory.js';
import { createPreviewHandler } from './preview-http.js';
import { watchSite } from './watch.js';
const MAX_PORT_TRIES = 20;
function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        const onError = (err) => {
            server.off('listening', onListening);
            reject(err);
        };
        const onListening = () => {
            server.off('error', onError);
            resolve(server.address().port);
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, host);
    });
}
/** Compares two builds' manifests: the pages that changed, and stylesheets that moved to a new hash. */
export function diffManifests(before, after, baseurl) {
    const cssName = (url) => url.replace(/\.[0-9a-f]{10}\.css$/, '.css');
    const oldCss = new Map([...before.values()].filter((f) => f.url.endsWith('.css')).map((f) => [cssName(f.url), f.url]));
    const styles = [];
    for (const file of after.values()) {
        const from = file.url.endsWith('.css') ? oldCss.get(cssName(file.url)) : undefined;
        if (from && from !== file.url)
            styles.push({ from: baseurl + from, to: baseurl + file.url });
    }
    const pages = [];
    let stylesOnly = true;
    for (const file of after.values()) {
        if (!file.content || !(file.url.endsWith('/') || file.url.endsWith('.html')))
            continue;
        const old = before.get(file.url)?.content;
        if (old && (old === file.content || old.equals(file.content)))
            continue;
        pages.push(baseurl + file.url);
        let restyled = file.content.toString();
        for (const swap of styles)
            restyled = restyled.replaceAll(swap.to, swap.from);
        if (!old || restyled !== old.toString())
            stylesOnly = false;
    }
    for (const file of before.values())
        if ((file.url.endsWith('/') || file.url.endsWith('.html')) && !after.get(file.url))
            pages.push(baseurl + file.url);
    return { pages, styles, stylesOnly: stylesOnly && styles.length > 0 };
}
/**
 * `recap serve`: builds once, serves the build from memory, watches the inputs, rebuilds only
 * what a change touches, and tells the browsers what changed. Bad input never stops it: the
 * last good build stays served, with the errors shown over it.
 */
export async function serve(options) {
    const siteDir = path.resolve(options.siteDir);
    const memory = await createBuildMemory();
    const buildOnce = () => build({ siteDir, drafts: options.drafts, future: options.future, baseUrl: options.baseUrl, memory });
    const clients = new Set();
    const listeners = [];
    let state;
    const onEvents = (req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
    };
    const broadcast = (event) => {
        for (const client of clients)
            client.write(`event: rebuild\ndata: ${JSON.stringify(event)}\n\n`);
        for (const listener of listeners)
            listener(event);
    };
    let running;
    let queued;
    const rebuild = async (batch) => {
        const started = performance.now();
        for (const file of batch.paths)
            memory.changed.add(file);
        forgetChanged(memory, batch.kinds);
        try {
            const result = await buildOnce();
            options.report(result.diagnostics);
            const errors = errorsOf(result.diagnostics.list);
            const previous = state;
            const hadErrors = previous.errors.length > 0;
            if (errors.length > 0) {
                state = { ...previous, errors };
                broadcast({ pages: [], styles: [], stylesOnly: false, errors: true, ms: performance.now() - started });
                options.log(`Rebuild failed (${errors.length} error${errors.length === 1 ? '' : 's'}): still serving the last good build.`);
                return;
            }
            const diff = diffManifests(previous.manifest, result.manifest, result.config.baseurl);
            state = { manifest: result.manifest, baseurl: result.config.baseurl, errors: [] };
            const ms = performance.now() - started;
            broadcast({ ...diff, errors: false, ms });
            options.log(`Rebuilt in ${ms.toFixed(0)} ms: ${diff.pages.length} page${diff.pages.length === 1 ? '' : 's'} changed${hadErrors ? ', errors fixed' : ''}.`);
        }
        catch (err) {
            // A bug of Recap's own must not take the preview down either.
            options.log(`Rebuild crashed: ${err.stack ?? String(err)}`);
        }
    };
    const merge = (a, b) => ({ paths: new Set([...a.paths, ...b.paths]), kinds: new Set([...a.kinds, ...b.kinds]) });
    const startNext = () => {
        running = undefined;
        const next = queued;
        queued = undefined;
        if (next)
            schedule(next);
    };
    const schedule = (batch) => {
        const names = [...batch.paths].map((p) => path.relative(siteDir, p));
        options.log(`Changed: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`);
        if (running) {
            queued = queued ? merge(queued, batch) : batch;
            return;
        }
        running = rebuild(batch).finally(startNext);
    };
    // Watch first, then build: a file saved while the first build runs is a change like any other.
    const watcher = watchSite(siteDir, schedule, { onWarning: (line) => options.log(`warning: ${line}`) });
    await watcher.ready;
    const firstBuild = buildOnce();
    running = firstBuild.then(() => undefined, () => undefined).finally(startNext);
    let first;
    try {
        first = await firstBuild;
    }
    catch (err) {
        await watcher.close();
        throw err;
    }
    options.report(first.diagnostics);
    state = { manifest: first.manifest, baseurl: first.config.baseurl, errors: errorsOf(first.diagnostics.list) };
    // A copied file whose source vanished since the build: rebuild, so the next request finds what is there now.
    const onVanished = (file) => schedule({ paths: new Set([file.copyFrom]), kinds: new Set(['static']) });
    const server = createServer(createPreviewHandler(() => state, options.host, onEvents, onVanished, options.log));
    server.keepAliveTimeout = 1000;
    let port = options.port;
    for (let attempt = 0;; attempt++) {
        try {
            port = await listen(server, port, options.host);
            break;
        }
        catch (err) {
            if (err.code !== 'EADDRINUSE' || attempt >= MAX_PORT_TRIES) {
                await watcher.close();
                throw err;
            }
            options.log(`Port ${port} is busy; trying ${port + 1}.`);
            port++;
        }
    }
    const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
        url: `http://${hostForUrl}:${port}${state.baseurl}/`,
        port,
        onRebuild: (listener) => listeners.push(listener),
        served: () => state.manifest,
        errors: () => state.errors,
        close: async () => {
            await watcher.close();
            for (const client of clients)
                client.end();
            const closed = new Promise((resolve) => server.close(() => resolve()));
            server.closeAllConnections();
            await closed;
            await running;
        },
    };
}
function errorsOf(list) {
    return list.filter((d) => d.severity === 'error');
}
