import { performance } from 'node:perf_hooks';
import { BURST_QUIET_MS, epochNow, type ChangeBatch } from './watch.js';

/**
 * The watcher hands over a change to one file (an editor's save) after this much quiet, and others
 * once their burst is over: a save's rebuild starts while a burst it may be the start of could still
 * go on. Its result waits for the burst to be over, and is dropped for the next rebuild's if
 * another change came (README, Architecture).
 */
export const ONE_FILE_QUIET_MS = 5;

/** How long a batch takes at most from the watcher's thread to the rebuilding one (measured: ~1 ms). */
const HANDOVER_MS = 2;

/** How long after its last change a batch's rebuild is shown at the soonest. */
const HOLD_MS = BURST_QUIET_MS + ONE_FILE_QUIET_MS + HANDOVER_MS;

/** When a rebuild of `batch` may be shown: by then any change within its burst has been handed over. */
export function showableAt(batch: ChangeBatch): number {
  return batch.lastChangeAt + HOLD_MS;
}

/** Both batches' changes as one. */
export function mergeBatches(a: ChangeBatch, b: ChangeBatch): ChangeBatch {
  return { paths: new Set([...a.paths, ...b.paths]), kinds: new Set([...a.kinds, ...b.kinds]), lastChangeAt: Math.max(a.lastChangeAt, b.lastChangeAt) };
}

/** What the queue runs: a rebuild, what is done with a result that is shown, and the clock (the real one but in tests). */
export interface RebuildSteps<R> {
  /** Rebuilds the site as it is now, told of `batch`'s changes. */
  build: (batch: ChangeBatch) => Promise<R>;
  /** Shows a rebuild's result: `batch` holds every change since the last result shown, `startedMs` when its rebuild started (performance.now()). */
  show: (result: R, batch: ChangeBatch, startedMs: number) => void;
  /** Hears of a rebuild that threw (a bug of Recap's own: the preview goes on). */
  crashed: (err: unknown) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * recap serve's rebuilds, one at a time: batches that come while one runs wait, merged, for the
 * next. A result is shown once its batch's burst is over (showableAt); if a batch came by then,
 * the result is dropped and the next rebuild's result, shown with both batches' changes, replaces it.
 */
export class RebuildQueue<R> {
  private running: Promise<void> | undefined;
  private queued: ChangeBatch | undefined;
  // The changes of results dropped for a later one: the browsers hear of them with its result.
  private unshown: ChangeBatch | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly steps: RebuildSteps<R>) {
    this.now = steps.now ?? epochNow;
    this.sleep = steps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Counts `work` (the first build) as a rebuild running: batches that come meanwhile wait for it. */
  runFirst(work: Promise<unknown>): void {
    this.running = work.then(() => undefined, () => undefined).finally(() => this.startNext());
  }

  /** Rebuilds for `batch` now, or after the rebuild running. */
  schedule(batch: ChangeBatch): void {
    if (this.running) {
      this.queued = this.queued ? mergeBatches(this.queued, batch) : batch;
      return;
    }
    this.running = this.rebuild(batch).finally(() => this.startNext());
  }

  /** Settles once no rebuild runs (or waits to run). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private startNext(): void {
    this.running = undefined;
    const next = this.queued;
    this.queued = undefined;
    if (next) this.schedule(next);
  }

  private async rebuild(made: ChangeBatch): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.steps.build(made);
      // Never longer than the hold itself: each thread's clock was set from the wall clock when it
      // started, and a wall clock that jumped in between must not keep a result back.
      const wait = Math.min(showableAt(made) - this.now(), HOLD_MS);
      if (wait > 0) await this.sleep(wait);
      // A change came within the burst: this result is of half of it, the next rebuild's of all of it.
      if (this.queued) {
        this.unshown = this.unshown ? mergeBatches(this.unshown, made) : made;
        return;
      }
      const batch = this.unshown ? mergeBatches(this.unshown, made) : made;
      this.unshown = undefined;
      this.steps.show(result, batch, started);
    } catch (err) {
      this.steps.crashed(err);
    }
  }
}
