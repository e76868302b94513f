import { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../../content/config.js';
import type { Post, ResolvedBody } from '../../content/post.js';
import type { Cached } from '../../incremental/post-cache.js';
import type { PageRequest, ThemeSettings, WorkerPage } from './worker-pages.js';
import type { ReadSource } from '../stages/load.js';
import { usableCores } from '../cores.js';
import { pause } from '../pause.js';
import { compiledProgram } from '../../package-files.js';

/** What every worker starts with: the site's settings and the build's present (drafts without a date are dated by it). */
export interface WorkerSettings {
  config: SiteConfig;
  nowEpochMs: number;
}

/**
 * A message to a worker: a batch of posts to parse, or to resolve (with, for each, what its page is
 * rendered with when the worker is to render it too); the post URLs that resolving reads; the theme
 * pages are rendered with.
 */
export type WorkerRequest =
  | { kind: 'parse'; batch: number; sources: ReadSource[] }
  | { kind: 'resolve'; batch: number; posts: Post[]; pages: Array<PageRequest | undefined> | undefined }
  | { kind: 'post-urls'; postUrls: Array<[string, string]> }
  | { kind: 'theme'; theme: ThemeSettings };

/** A worker's answer to a batch: one cache entry per post, in order, or the stack of what went wrong. */
export interface WorkerReply {
  batch: number;
  entries: Array<Cached<unknown>>;
  failure?: string;
}

/** A body a worker made, and its post's page when the worker was asked to render it. */
export interface MadeBody extends Cached<ResolvedBody> {
  page?: WorkerPage;
}

/** What each post's page is rendered with when the workers render it (undefined: not theirs to render), asked for as its batch is sent. */
export type PageRequests = (post: Post, index: number) => PageRequest | undefined;

/** Each of `count` items' answer, from the answers of its batch. */
function eachOfBatches<T>(batches: Array<Promise<Array<Cached<unknown>>>>, count: number): Array<Promise<T>> {
  return batches.flatMap((batch, b) => answersOf<T>(batch, Math.min(BATCH_SIZE, count - b * BATCH_SIZE)));
}

/**
 * Each of a batch's `size` items' answer (a failure reaches whoever waits for an item; none is left
 * unhandled). Each waits on its own batch alone: a batch answered is let go of with its items, not
 * held until the last batch is.
 */
function answersOf<T>(batch: Promise<Array<Cached<unknown>>>, size: number): Array<Promise<T>> {
  return Array.from({ length: size }, (_, i) => {
    const answer = batch.then((entries) => entries[i] as T);
    answer.catch(() => undefined);
    return answer;
  });
}

/** Posts per message: small enough that the workers finish together, large enough that messages cost little. */
const BATCH_SIZE = 32;

/**
 * A worker takes ~0.35 s to start (loading the parsers) and the main thread ~0.08 ms a post to take
 * in its answers, against ~0.9 ms a post to parse and resolve: below ~600 cache misses the main
 * thread alone is as fast, and each worker needs ~100 posts to be worth starting.
 */
const MIN_MISSES = 600;
const MIN_POSTS_PER_WORKER = 100;

/**
 * A worker's young generation, in MB: 8 MB semi-spaces instead of V8's 16. A post's parse and
 * resolve leave almost nothing behind, so a smaller nursery is as fast and ~20 MB lighter (README,
 * Architecture).
 */
const WORKER_YOUNG_GENERATION_MB = 24;

/**
 * How many workers it takes for them to render post pages too (PostWorkers.resolve), not only make
 * bodies. Rendering is about as much work as the rest of what the main thread does for a post: with
 * one worker (a 2-core machine) moving it there only moves the wait, and was measured 0.1–0.3 s
 * slower on 4000 posts; with two or more, the main thread is left with what only it can do (README,
 * Architecture).
 */
const MIN_WORKERS_RENDERING_PAGES = 2;

/** Whether a pool of this many workers renders post pages too. */
export function workersRenderPages(count: number): boolean {
  return count >= MIN_WORKERS_RENDERING_PAGES;
}

/** Beyond this many workers the main thread, taking in their answers, is what a build waits for. */
const MAX_DEFAULT_WORKERS = 15;

/**
 * How many worker threads may parse and resolve posts: RECAP_WORKERS when set (0 turns them off),
 * else one per usable core beyond the first, at most 15. Even on 2 cores one worker pays: as fast
 * as none, and the main thread's heap stays smaller, because parsing's garbage is collected in the
 * worker, whose heap goes when it ends (README, Architecture).
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env, cores = usableCores()): number {
  const asked = env['RECAP_WORKERS'];
  if (asked !== undefined && /^\d{1,2}$/.test(asked.trim())) return Number(asked.trim());
  return Math.min(cores - 1, MAX_DEFAULT_WORKERS);
}

/**
 * How many of `allowed` workers (default: workerCount()) pay for this many cache misses; 0: do them
 * on the main thread. The machine is looked at only when enough posts miss: a warm build never asks.
 */
export function workersForMisses(misses: number, allowed?: number): number {
  return misses < MIN_MISSES ? 0 : Math.min(allowed ?? workerCount(), Math.floor(misses / MIN_POSTS_PER_WORKER));
}

/** A batch's answer, waited for by whoever reads its entries. */
interface PendingBatch {
  resolve: (entries: Array<Cached<unknown>>) => void;
  reject: (err: Error) => void;
}

/** What stands for a batch already answered. */
const SETTLED: PendingBatch = { resolve: () => undefined, reject: () => undefined };

/**
 * One parse or resolve request spread over the pool: an answer per batch (settled as each comes
 * back), and how to ask for each. Workers are sent batches from the first; the calling thread may
 * take them from the last (`end`: the batches before it are the workers').
 */
interface Run {
  batches: unknown[][];
  pending: PendingBatch[];
  sent: number;
  end: number;
  /** Batches that may be sent so far (raised by `allow` as answers are asked for): the workers do not run far ahead of whoever uses them. */
  limit: number;
  received: number;
  /** The message that asks for a batch. */
  request: (batch: number, items: unknown[]) => WorkerRequest;
}

/**
 * Batches each worker holds at once: while the main thread is busy (rendering the pages of posts
 * already resolved), a worker goes on with the next batch instead of waiting to be sent one.
 */
const BATCHES_IN_FLIGHT = 4;

/**
 * Worker threads that parse and resolve the posts the cache does not hold, for a build on a machine
 * with cores to spare. Each post is done by the same functions the main thread uses, so entries are
 * the same as the main thread's (a test builds sites both ways and compares every byte).
 */
export class PostWorkers {
  private run: Run | undefined;
  private closing = false;
  /** Workers with nothing to do until the run's limit rises. */
  private idle: Worker[] = [];
  /** Why the pool cannot go on (a worker failed or stopped): every later request is refused with it. */
  private broken: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      // An abandoned pool never keeps the process alive; close() ends it.
      worker.unref();
      worker.on('message', (reply: WorkerReply) => this.receive(worker, reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a post worker stopped (exit code ${code})`));
      });
    }
  }

  /** Starts `count` workers for one build. */
  static start(count: number, settings: WorkerSettings): PostWorkers {
    const script = compiledProgram('postWorker');
    return new PostWorkers(Array.from({ length: count }, () => new Worker(script, { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } })));
  }

  /**
   * Parses sources: for each, the post (null where it could not be parsed) and its diagnostics, in
   * order. `parseHere`, when given, is the calling thread's own parser: it parses batches too, from
   * the last, until none is left to send, so the calling thread does not sit idle while it waits.
   */
  async parse(sources: ReadSource[], parseHere?: (source: ReadSource) => Cached<Post | null>): Promise<Array<Cached<Post | null>>> {
    const batches = this.spread(sources, (batch, items) => ({ kind: 'parse', batch, sources: items }));
    if (parseHere) await this.shareRun(parseHere as (item: unknown) => Cached<unknown>);
    return (await Promise.all(batches)).flat() as Array<Cached<Post | null>>;
  }

  /**
   * Resolves parsed posts' bodies (Markdown, talks, links), reading other posts' URLs from
   * `postUrls`: for each post, in order, a way to ask for its answer, settled as soon as its
   * batch is back, so the caller can use the first bodies while the workers make the rest.
   * Asking for a post lets the workers go on to the batches a few after it, and no further: bodies
   * made long before the caller uses them would only wait in memory (README, Architecture).
   * With `pages` (and the theme given: see useTheme), each post comes back with its page rendered too.
   */
  resolve(posts: Post[], postUrls: ReadonlyMap<string, string>, pages?: PageRequests): Array<() => Promise<MadeBody>> {
    const urls: WorkerRequest = { kind: 'post-urls', postUrls: [...postUrls] };
    for (const worker of this.workers) worker.postMessage(urls);
    const ahead = this.workers.length * BATCHES_IN_FLIGHT;
    // What a post's page is rendered with is asked for as its batch is sent: the store is looked up for the pages it keeps only then.
    const request = (batch: number, items: Post[]): WorkerRequest => ({
      kind: 'resolve', batch, posts: items, pages: pages && items.map((post, i) => pages(post, batch * BATCH_SIZE + i)),
    });
    const answers = eachOfBatches<MadeBody>(this.spread(posts, request, ahead), posts.length);
    const run = this.run;
    // Each asker holds its own answer only: a body goes once its post is done with, not with the last.
    return answers.map((answer, n) => () => {
      if (run) this.allow(run, Math.floor(n / BATCH_SIZE) + 1 + ahead);
      return answer;
    });
  }

  /** Gives the workers the theme to render pages with (see resolve): sent as soon as it is known, it is loaded while they wait for bodies to make. */
  useTheme(theme: ThemeSettings): void {
    for (const worker of this.workers) worker.postMessage({ kind: 'theme', theme } satisfies WorkerRequest);
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Sends items in batches, a few to each worker at a time and the next as each comes back: one promise per batch, in order (throws once the pool is broken). */
  private spread<T>(items: T[], request: (batch: number, items: T[]) => WorkerRequest, limit = Infinity): Array<Promise<Array<Cached<unknown>>>> {
    if (this.broken) throw this.broken;
    const batches: T[][] = [];
    for (let start = 0; start < items.length; start += BATCH_SIZE) batches.push(items.slice(start, start + BATCH_SIZE));
    const pending: PendingBatch[] = [];
    const answers = batches.map(() => new Promise<Array<Cached<unknown>>>((resolve, reject) => pending.push({ resolve, reject })));
    for (const answer of answers) answer.catch(() => undefined);
    if (batches.length === 0) return answers;
    const run: Run = {
      batches, pending, sent: 0, end: batches.length, limit, received: 0,
      request: request as Run['request'],
    };
    this.run = run;
    this.idle = [];
    for (let round = 0; round < BATCHES_IN_FLIGHT; round++) for (const worker of this.workers) this.next(run, worker);
    return answers;
  }

  /** Raises the run's limit to `limit` batches, and gives the idle workers what it now lets be sent. */
  private allow(run: Run, limit: number): void {
    if (limit <= run.limit || this.run !== run) return;
    run.limit = limit;
    while (this.idle.length > 0 && run.sent < Math.min(run.end, run.limit)) this.next(run, this.idle.shift()!);
  }

  /**
   * The calling thread's share of the current run: the last batch no worker has been sent, made
   * here, then the next from the end, until the workers have been sent the rest. Between two
   * batches the event loop lets the workers' answers in, and sends them their next batches.
   */
  private async shareRun(make: (item: unknown) => Cached<unknown>): Promise<void> {
    const run = this.run;
    while (run && this.run === run && run.sent < run.end) {
      const batch = --run.end;
      this.settle(run, batch, run.batches[batch]!.map(make));
      await pause();
    }
  }

  /** Sends the worker the run's next batch, or counts it idle while the limit holds the batches back. */
  private next(run: Run, worker: Worker): void {
    if (run.sent < Math.min(run.end, run.limit)) {
      const batch = run.sent++;
      worker.postMessage(run.request(batch, run.batches[batch]!));
    } else if (run.sent < run.end && !this.idle.includes(worker)) {
      this.idle.push(worker);
    }
  }

  private receive(worker: Worker, reply: WorkerReply): void {
    // A failure between runs (loading the theme) breaks the pool too: the next run is refused with it.
    if (reply.failure !== undefined) return this.fail(new Error(`a post worker failed: ${reply.failure}`));
    const run = this.run;
    if (!run) return;
    this.settle(run, reply.batch, reply.entries);
    if (this.run === run) this.next(run, worker);
  }

  /** A batch's answer, from a worker or the calling thread; the run is over once every batch has one. */
  private settle(run: Run, batch: number, entries: Array<Cached<unknown>>): void {
    run.pending[batch]!.resolve(entries);
    // Settled: the batch's answer is held by whoever waits for it, not by the run.
    run.pending[batch] = SETTLED;
    run.received++;
    if (run.received === run.pending.length) this.run = undefined;
  }

  private fail(err: Error): void {
    this.broken ??= err;
    const run = this.run;
    this.run = undefined;
    // Settling an answered batch again does nothing: only those still waiting are refused.
    for (const batch of run?.pending ?? []) batch.reject(err);
  }
}
