import { Worker } from 'node:worker_threads';
import type { SassJob, SassOutcome } from '../../content/sass.js';
import { compiledProgram } from '../../package-files.js';

/** How long one stylesheet may take to compile: a large theme takes about a second; a Sass loop may never end. */
const STYLESHEET_DEADLINE_MS = 15_000;

/** How long a build's stylesheets may take in all, so that many slow ones cannot stall it either. */
const BUILD_BUDGET_MS = 30_000;

/** The Sass thread's heap: a theme needs tens of MB; a stylesheet that needs more is stopped. */
const MAX_HEAP_MB = 256;

/**
 * A thread that compiles a Jekyll site's stylesheets, one at a time, from the site's Sass files
 * (site path → text) given at the start. It starts when asked for (loading Dart Sass takes ~0.4 s,
 * which the rest of the build overlaps), and a stylesheet that runs past its deadline or out of
 * memory is reported as not compiled: the thread is stopped, and the next stylesheet gets a new one.
 */
export class SassThread {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private spentMs = 0;

  constructor(private readonly files: ReadonlyMap<string, string>, private readonly deadlineMs = STYLESHEET_DEADLINE_MS, private readonly budgetMs = BUILD_BUDGET_MS) {}

  /** Starts the thread now, so Dart Sass loads while the build goes on. */
  warm(): void {
    this.worker ??= this.start();
  }

  /** Compiles one stylesheet after those asked for before it. */
  compile(job: SassJob): Promise<SassOutcome> {
    const outcome = this.queue.then(() => this.run(job));
    this.queue = outcome.catch(() => undefined);
    return outcome;
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    await this.queue;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(compiledProgram('sassWorker'), { workerData: [...this.files], resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB } });
    // An abandoned thread never keeps the process alive; close() ends it.
    worker.unref();
    return worker;
  }

  private run(job: SassJob): Promise<SassOutcome> {
    const left = this.budgetMs - this.spentMs;
    const notCompiled = (message: string): SassOutcome => ({ ok: false, file: job.file, line: undefined, column: undefined, message, missingImport: false });
    const overBudget = `Sass has run ${this.budgetMs / 1000} s in all in this build, its limit`;
    if (left <= 0) return Promise.resolve(notCompiled(overBudget));
    const worker = (this.worker ??= this.start());
    const started = performance.now();
    const deadline = Math.min(this.deadlineMs, left);
    return new Promise<SassOutcome>((resolve) => {
      const failed = (message: string): void => {
        finish();
        // The thread may be mid-compile: a new one serves the next stylesheet.
        this.worker = undefined;
        void worker.terminate();
        resolve(notCompiled(message));
      };
      const onMessage = (outcome: SassOutcome): void => {
        finish();
        resolve(outcome);
      };
      const onError = (err: Error): void => failed(/memory/i.test(err.message) ? `it needs more than ${MAX_HEAP_MB} MB to compile` : `Sass stopped: ${err.message}`);
      const onExit = (code: number): void => failed(`the Sass thread stopped (exit code ${code})`);
      const timer = setTimeout(() => failed(deadline < this.deadlineMs ? overBudget : `it took longer than ${deadline / 1000} s to compile (a loop that does not end?)`), deadline);
      const finish = (): void => {
        this.spentMs += performance.now() - started;
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(job);
    });
  }
}
