import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { watch } from 'chokidar';
import { CONTENT_FILE } from '../content/post.js';
import { missedFolders } from './missed-folders.js';
import { compiledProgram } from '../package-files.js';

/**
 * What kind of input a changed file is: each kind invalidates different work. `data` (speakers.yml)
 * is shown by pages but read by no earlier stage: the render keys carry its digest, nothing is
 * forgotten; nor for `style`, a Jekyll site's Sass, whose CSS is remembered by every file it loads.
 */
export type ChangeKind = 'post' | 'template' | 'image' | 'static' | 'config' | 'data' | 'style';

/** The changes of one burst of file events (an editor's save, a `git checkout`), or of its start. */
export interface ChangeBatch {
  /** Absolute paths that were added, changed or removed. */
  paths: Set<string>;
  kinds: Set<ChangeKind>;
  /** When the watcher saw the batch's last change, in ms since the epoch (see epochNow); 0 for a change no watcher saw. */
  lastChangeAt: number;
}

/** Now, in ms since the epoch, to a fraction of a ms, on the same clock in every thread. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

const KINDS: Record<string, ChangeKind> = {
  posts: 'post',
  _posts: 'post',
  drafts: 'post',
  _drafts: 'post',
  pages: 'post',
  templates: 'template',
  images: 'image',
  static: 'static',
  'recap.yml': 'config',
  '_config.yml': 'config',
  'speakers.yml': 'data',
  // What a Jekyll site's Liquid may include or read: a change reaches any post.
  _includes: 'config',
  _data: 'config',
  // A layout that makes a page's text (see layoutTextOf).
  _layouts: 'config',
};

/** A Jekyll site's `_`-folders that hold no content: every other one may be a collection, whose documents are content. */
const NOT_CONTENT = new Set(['_site', '_plugins']);

/** Folders of a Jekyll site that Jekyll leaves out by default and that may hold thousands of files: never watched. */
const NOT_JEKYLL_INPUT = new Set(['node_modules', 'vendor', 'gemfiles']);

const CHOKIDAR_CHANGE_THROTTLE_MS = 50;

/**
 * A burst of file changes (a save that renames a backup, 200 files from a `git checkout`) is over
 * once none has come for this long: what the watcher waits for by default before it hands a batch
 * over, and what recap serve waits for before it shows a rebuild (RebuildQueue). Measured: a
 * checkout of 200 posts left gaps of up to 11.4 ms.
 */
export const BURST_QUIET_MS = 20;

/** Size and modification time of a file, or '' when it is gone. */
function fingerprint(file: string): string {
  const info = statSync(file, { throwIfNoEntry: false });
  return info ? `${info.size}:${info.mtimeMs}` : '';
}

/** Editors' backup and swap files, which are never inputs. */
const EDITOR_DEBRIS = /(~|\.swp|\.swx|\.tmp|\.bak)$|^\.#|^#.*#$/;

/**
 * The kind of input a path is, or undefined when it is not an input of the site. Every folder of a
 * Jekyll site may hold its inputs (about/index.md, assets/site.css, collections below
 * collections_dir): there a Markdown or HTML file is content like a post, and any other file is
 * copied as a static file is. A Recap site's inputs are its own folders, and its root's pages.
 */
export function classify(siteDir: string, file: string, jekyll = false): ChangeKind | undefined {
  const parts = path.relative(siteDir, file).split(path.sep);
  const other = (): ChangeKind | undefined => {
    if (NOT_CONTENT.has(parts[0]!)) return undefined;
    const name = parts[parts.length - 1]!;
    if (jekyll) return NOT_JEKYLL_INPUT.has(parts[0]!) ? undefined : CONTENT_FILE.test(name) ? 'post' : /\.s[ac]ss$/i.test(name) ? 'style' : 'static';
    // A page at the root of a Jekyll site (about.md, events.html), or a collection's document (_events/x.md), is content like a post.
    return (parts.length === 1 && CONTENT_FILE.test(parts[0]!)) || parts[0]!.startsWith('_') ? 'post' : undefined;
  };
  const own = KINDS[parts[0]!];
  // A Jekyll site's posts/, drafts/ or pages/ may be a folder of its own, whose other files are copied.
  const kind = jekyll && own === 'post' && !CONTENT_FILE.test(parts[parts.length - 1]!) ? other() : own ?? other();
  if (!kind || parts.some((part) => part.startsWith('.')) || EDITOR_DEBRIS.test(parts[parts.length - 1]!)) return undefined;
  if ((parts[0] === 'recap.yml' || parts[0] === '_config.yml' || parts[0] === 'speakers.yml') && parts.length !== 1) return undefined;
  return kind;
}

/**
 * How a site is watched: `quietMs` of quiet ends a batch, `oneFileQuietMs` one of a single file (an
 * editor's save, handed over sooner: see RebuildQueue); `onWarning` hears what cannot be watched.
 */
export interface WatchOptions {
  quietMs?: number;
  oneFileQuietMs?: number;
  onWarning?: (line: string) => void;
}

/** A running watch: ready once every input is watched; close ends it. */
export interface SiteWatch {
  ready: Promise<void>;
  close: () => Promise<void>;
}

/**
 * Watches a site's inputs with chokidar and reports bursts of changes as one batch, once the
 * file system has been quiet for `quietMs` (a save that renames a backup, or 200 files from a
 * `git checkout`, become one rebuild); a batch of one file once it has been quiet for
 * `oneFileQuietMs` (recap serve starts rebuilding then, and shows the result only once the burst
 * is over: see RebuildQueue).
 */
export function watchSite(siteDir: string, onBatch: (batch: ChangeBatch) => void, options: WatchOptions = {}): SiteWatch {
  const quietMs = options.quietMs ?? BURST_QUIET_MS;
  const oneFileQuietMs = options.oneFileQuietMs ?? quietMs;
  // Which site it is, as its settings decide (a _config.yml and no recap.yml), when the watch starts.
  const jekyll = !existsSync(path.join(siteDir, 'recap.yml')) && existsSync(path.join(siteDir, '_config.yml'));
  let pending: ChangeBatch = { paths: new Set(), kinds: new Set(), lastChangeAt: 0 };
  // The folders chokidar reported as new since the last batch: it may have missed what was made in them (see missedFolders).
  let addedFolders = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  // chokidar asks again of every entry of a folder each time it reads the folder again (see
  // watchSiteInThread); a path's answer never changes while the watch runs, so each is worked out once.
  const inputFolders = new Set(Object.keys(KINDS).map((name) => path.join(siteDir, name)));
  const ignoredPaths = new Map<string, boolean>();
  const isIgnored = (file: string): boolean => file !== siteDir && classify(siteDir, file, jekyll) === undefined && !inputFolders.has(file);
  const ignored = (file: string): boolean => ignoredPaths.get(file) ?? ignoredPaths.set(file, isIgnored(file)).get(file)!;
  const watcher = watch(siteDir, {
    ignoreInitial: true,
    // chokidar would hold back deletions 100 ms to spot editors' atomic saves; the quiet window
    // already folds a delete-and-rename into one batch, and a held-back deletion splits a burst.
    atomic: false,
    // Links are never followed, as the build never follows them: a link loop cannot trap the watcher.
    followSymlinks: false,
    // Never descend into what is not an input (node_modules, _site, .cache, .git, ...).
    ignored,
  });
  const add = (file: string, kind: ChangeKind): void => {
    pending.paths.add(path.resolve(file));
    pending.kinds.add(kind);
    pending.lastChangeAt = epochNow();
    clearTimeout(timer);
    timer = setTimeout(flush, pending.paths.size === 1 ? oneFileQuietMs : quietMs);
  };
  const flush = (): void => {
    const batch = pending;
    const folders = addedFolders;
    pending = { paths: new Set(), kinds: new Set(), lastChangeAt: 0 };
    addedFolders = new Set();
    onBatch(batch);
    // chokidar drops a second change to a file within 50 ms of the first (its change throttle):
    // look at the files again once that window has passed, and report any that moved on.
    const seen = new Map([...batch.paths].map((file) => [file, fingerprint(file)]));
    const recheck = setTimeout(() => {
      rechecks.delete(recheck);
      for (const [file, before] of seen) if (fingerprint(file) !== before) add(file, classify(siteDir, file, jekyll)!);
      if (folders.size > 0) watchMissed(folders);
    }, CHOKIDAR_CHANGE_THROTTLE_MS + quietMs);
    rechecks.add(recheck);
  };
  // Watches the folders chokidar missed below new ones, and reports the files in them (once it has settled: the recheck's delay).
  const watchMissed = (folders: Set<string>): void => {
    const watched = new Set(Object.keys(watcher.getWatched()));
    for (const folder of folders) {
      const missed = missedFolders(folder, (dir) => watched.has(dir), ignored);
      for (const dir of missed.folders) watcher.add(dir);
      for (const file of missed.files) {
        const kind = classify(siteDir, file, jekyll);
        if (kind) add(file, kind);
      }
    }
  };
  const rechecks = new Set<NodeJS.Timeout>();
  watcher.on('all', (event: string, file: string) => {
    if (event === 'addDir') addedFolders.add(file);
    const kind = classify(siteDir, file, jekyll);
    if (kind) add(file, kind);
  });
  // A folder that cannot be watched (a link loop, permissions, too many files) is a warning, never the end of the preview.
  watcher.on('error', (err: unknown) => options.onWarning?.(`cannot watch ${(err as NodeJS.ErrnoException).path ?? 'a file'}: ${(err as Error).message}`));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      for (const recheck of rechecks) clearTimeout(recheck);
      await watcher.close();
    },
  };
}

/** What the watching thread tells the thread that started it (see watch-thread.ts). */
export type WatchMessage = { kind: 'ready' } | { kind: 'batch'; paths: string[]; kinds: ChangeKind[]; lastChangeAt: number } | { kind: 'warning'; line: string };

/**
 * The thread's young generation, in MB: chokidar makes short-lived garbage only, but much of it (a
 * folder's entries and their stats, each time it reads the folder again). With 8 MB, one save in a
 * folder of 1000 posts cost the thread 4 scavenges (~8 ms), beside the rebuild on a 2-core machine;
 * with 32 MB, one (~2 ms), for ~15 MB more of the process's memory (README, Architecture).
 */
const WATCH_THREAD_YOUNG_GENERATION_MB = 32;

/**
 * watchSite in a thread of its own: the batches are the same. chokidar reads a folder again
 * whenever a file in it changes (an lstat of each entry, at most once a second): ~4000 per save in a
 * folder of 4000 posts, which on the rebuilding thread delayed every rebuild after a save
 * (README, Architecture). A failure of the thread after it started is a warning: the preview goes
 * on serving what it built.
 */
export function watchSiteInThread(siteDir: string, onBatch: (batch: ChangeBatch) => void, options: WatchOptions = {}): SiteWatch {
  const thread = new Worker(compiledProgram('watchThread'), {
    workerData: { siteDir, quietMs: options.quietMs, oneFileQuietMs: options.oneFileQuietMs },
    resourceLimits: { maxYoungGenerationSizeMb: WATCH_THREAD_YOUNG_GENERATION_MB },
  });
  // Over once closed, or once the thread's end was reported: nothing more is said of it.
  let over = false;
  let watching = false;
  const ready = new Promise<void>((resolve, reject) => {
    thread.on('message', (message: WatchMessage) => {
      if (message.kind === 'ready') {
        watching = true;
        resolve();
      } else if (message.kind === 'batch') onBatch({ paths: new Set(message.paths), kinds: new Set(message.kinds), lastChangeAt: message.lastChangeAt });
      else options.onWarning?.(message.line);
    });
    // A thread that fails emits 'error', then 'exit': the first says why, once.
    const stopped = (why: string) => {
      if (over) return;
      over = true;
      if (watching) options.onWarning?.(`the watcher stopped (${why}): restart recap serve to see changes again`);
      else reject(new Error(`the watcher could not start: ${why}`));
    };
    thread.on('error', (err) => stopped(err.message));
    thread.once('exit', (code) => stopped(`exit code ${code}`));
  });
  return {
    ready,
    close: async () => {
      over = true;
      await thread.terminate();
    },
  };
}
