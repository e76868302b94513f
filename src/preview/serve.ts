import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type BuildResult } from '../pipeline/build.js';
import { createBuildMemory, forgetChanged, type BuildMemory } from '../incremental/build-memory.js';
import { Diagnostics, type Diagnostic } from '../diagnostics/diagnostics.js';
import { isPage, type Manifest, type OutputFile } from '../output/manifest.js';
import { createPreviewHandler, type PreviewState } from './preview-http.js';
import { BURST_QUIET_MS, watchSiteInThread, type ChangeBatch } from './watch.js';
import { ONE_FILE_QUIET_MS, RebuildQueue } from './rebuild-queue.js';

/** How to run the preview server. */
export interface ServeOptions {
  siteDir: string;
  port: number;
  host: string;
  drafts?: boolean;
  future?: boolean;
  baseUrl?: string;
  /** Where to say what happened (diagnostics, rebuilds). */
  log: (line: string) => void;
  /** Prints a build's diagnostics. */
  report: (diagnostics: Diagnostics) => void;
}

/** What a rebuild changed, as sent to the browsers. */
export interface RebuildEvent {
  /** Changed pages, as the browser's paths (base URL included). */
  pages: string[];
  /** Stylesheets that moved to a new hashed URL. */
  styles: Array<{ from: string; to: string }>;
  /** True when the changed pages differ only by their stylesheet URLs: swap styles, keep the page. */
  stylesOnly: boolean;
  /** Copied files whose source changed (base URL included): a page that links or shows one reloads. */
  files: string[];
  /** True when the build failed: pages show the error overlay. */
  errors: boolean;
  /** Milliseconds from the batch of file changes to this event. */
  ms: number;
}

/** A running preview server. */
export interface RunningServer {
  url: string;
  port: number;
  /** The latest rebuild's event, for tests and benchmarks. */
  onRebuild: (listener: (event: RebuildEvent) => void) => void;
  /** The build being served (the last good one), and the errors of the latest rebuild, for tests. */
  served: () => Manifest;
  errors: () => Diagnostic[];
  close: () => Promise<void>;
}

const MAX_PORT_TRIES = 20;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Compares two builds' manifests: the pages that changed, and stylesheets that moved to a new hash. */
export function diffManifests(before: Manifest, after: Manifest, baseurl: string): Pick<RebuildEvent, 'pages' | 'styles' | 'stylesOnly'> {
  const cssName = (url: string) => url.replace(/\.[0-9a-f]{10}\.css$/, '.css');
  const oldCss = new Map([...before.values()].filter((f) => f.url.endsWith('.css')).map((f) => [cssName(f.url), f.url]));
  const styles: RebuildEvent['styles'] = [];
  for (const file of after.values()) {
    const from = file.url.endsWith('.css') ? oldCss.get(cssName(file.url)) : undefined;
    if (from && from !== file.url) styles.push({ from: baseurl + from, to: baseurl + file.url });
  }
  const pages: string[] = [];
  let stylesOnly = true;
  for (const file of after.values()) {
    if (!file.content || !isPage(file)) continue;
    const old = before.get(file.url)?.content;
    if (old && (old === file.content || old.equals(file.content))) continue;
    pages.push(baseurl + file.url);
    // Only a page that differs by nothing but moved stylesheets can keep its place (decoding a large page costs a rebuild's worth).
    if (!stylesOnly || styles.length === 0 || !old) {
      stylesOnly = false;
      continue;
    }
    let restyled = file.content.toString();
    for (const swap of styles) restyled = restyled.replaceAll(swap.to, swap.from);
    if (restyled !== old.toString()) stylesOnly = false;
  }
  for (const file of before.values()) if (isPage(file) && !after.get(file.url)) pages.push(baseurl + file.url);
  return { pages, styles, stylesOnly: stylesOnly && styles.length > 0 };
}

/**
 * `recap serve`: builds once, serves the build from memory, watches the inputs, rebuilds only
 * what a change touches, and tells the browsers what changed. Bad input never stops it: the
 * last good build stays served, with the errors shown over it.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const siteDir = path.resolve(options.siteDir);
  const memory: BuildMemory = await createBuildMemory();
  const buildOnce = (): Promise<BuildResult> => build({ siteDir, drafts: options.drafts, future: options.future, baseUrl: options.baseUrl, memory });

  const clients = new Set<ServerResponse>();
  const listeners: Array<(event: RebuildEvent) => void> = [];
  let state: PreviewState | undefined;

  const onEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  };
  const broadcast = (event: RebuildEvent): void => {
    for (const client of clients) client.write(`event: rebuild\ndata: ${JSON.stringify(event)}\n\n`);
    for (const listener of listeners) listener(event);
  };

  const rebuilds = new RebuildQueue<BuildResult>({
    build: (batch) => {
      for (const file of batch.paths) memory.changed.add(file);
      forgetChanged(memory, batch.kinds);
      return buildOnce();
    },
    show: (result, batch, started) => {
      const errors = errorsOf(result.diagnostics.list);
      const previous = state!;
      const hadErrors = previous.errors.length > 0;
      // The browsers hear first; the terminal's report follows (a site's thousands of warnings take a while to print).
      if (errors.length > 0) {
        state = { ...previous, errors };
        broadcast({ pages: [], styles: [], stylesOnly: false, files: [], errors: true, ms: performance.now() - started });
        options.report(result.diagnostics);
        options.log(`Rebuild failed (${errors.length} error${errors.length === 1 ? '' : 's'}): still serving the last good build.`);
        return;
      }
      const diff = diffManifests(previous.manifest, result.manifest, result.config.baseurl);
      state = { manifest: result.manifest, baseurl: result.config.baseurl, errors: [] };
      const files = result.manifest.all().filter((file) => file.copyFrom && batch.paths.has(file.copyFrom)).map((file) => result.config.baseurl + file.url);
      const ms = performance.now() - started;
      broadcast({ ...diff, files, errors: false, ms });
      options.report(result.diagnostics);
      options.log(`Rebuilt in ${ms.toFixed(0)} ms: ${diff.pages.length} page${diff.pages.length === 1 ? '' : 's'} changed${hadErrors ? ', errors fixed' : ''}.`);
    },
    // A bug of Recap's own must not take the preview down either.
    crashed: (err) => options.log(`Rebuild crashed: ${(err as Error).stack ?? String(err)}`),
  });
  const schedule = (batch: ChangeBatch): void => {
    const names = [...batch.paths].map((p) => path.relative(siteDir, p));
    options.log(`Changed: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`);
    rebuilds.schedule(batch);
  };

  // Watch first, then build: a file saved while the first build runs is a change like any other.
  const watcher = watchSiteInThread(siteDir, schedule, { quietMs: BURST_QUIET_MS, oneFileQuietMs: ONE_FILE_QUIET_MS, onWarning: (line) => options.log(`warning: ${line}`) });
  await watcher.ready;
  const firstBuild = buildOnce();
  rebuilds.runFirst(firstBuild);
  let first: BuildResult;
  try {
    first = await firstBuild;
  } catch (err) {
    await watcher.close();
    throw err;
  }
  options.report(first.diagnostics);
  state = { manifest: first.manifest, baseurl: first.config.baseurl, errors: errorsOf(first.diagnostics.list) };

  // A copied file whose source vanished since the build: rebuild, so the next request finds what is there now.
  const onVanished = (file: OutputFile): void => schedule({ paths: new Set([file.copyFrom!]), kinds: new Set(['static']), lastChangeAt: 0 });
  const server = createServer(createPreviewHandler(() => state!, options.host, onEvents, onVanished, options.log));
  server.keepAliveTimeout = 1000;
  let port = options.port;
  for (let attempt = 0; ; attempt++) {
    try {
      port = await listen(server, port, options.host);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= MAX_PORT_TRIES) {
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
    served: () => state!.manifest,
    errors: () => state!.errors,
    close: async () => {
      await watcher.close();
      for (const client of clients) client.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rebuilds.idle();
    },
  };
}

function errorsOf(list: Diagnostic[]): Diagnostic[] {
  return list.filter((d) => d.severity === 'error');
}
