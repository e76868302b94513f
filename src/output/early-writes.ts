import { Worker } from 'node:worker_threads';
import { isSafeOutputPath } from '../policy/output-policy.js';
import type { EarlyBatch, EarlyReply } from './early-write-thread.js';
import type { OutputFile } from './manifest.js';
import { contentFingerprint } from './write.js';
import { compiledProgram } from '../package-files.js';

/** Pages per message to the thread: few messages, and bytes let go soon after they are rendered. */
const BATCH_SIZE = 64;

/**
 * The writing thread's young generation, in MB (2 MB semi-spaces): it makes almost no garbage of
 * its own, and the pages' bytes it frees live outside V8's heap.
 */
const WRITER_YOUNG_GENERATION_MB = 6;

/**
 * The thread is ready ~70 ms after it is asked for (measured), about what writing 256 pages costs
 * the write stage: a site with fewer pages has them written with the rest.
 */
const DEFAULT_START_AFTER = 256;

/** What was written ahead: each page's identity as written, by path (every folder above one was made real for it). */
export type WrittenAhead = ReadonlyMap<string, string>;

/**
 * Pages written into the standby tree while the build goes on, by a thread of their own: a cold
 * build of thousands of posts writes each batch of pages as they are rendered, instead of all of
 * them after everything is made, and holds their bytes only until the thread has them. The
 * standby tree is not live (openStandby marked it incomplete), so a build that fails leaves the
 * output as it was; the write stage keeps what was written here as written.
 */
export class EarlyWrites {
  private worker: Worker | undefined;
  /** Pages taken but not sent yet: all of them until there are enough to start the thread. */
  private readonly held: OutputFile[] = [];
  private readonly marks = new Map<string, string>();
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(private readonly tree: string, private readonly startAfter = DEFAULT_START_AFTER) {}

  /**
   * Takes a page just added to the manifest: held until there are enough to be worth a thread,
   * then sent with the next ones. Once written ahead, the manifest keeps only its fingerprint.
   * Its bytes must be its own (no other output's): they move to the thread.
   */
  take(file: OutputFile): void {
    if (!file.content || !isSafeOutputPath(file.path)) return;
    this.held.push(file);
    if (this.held.length >= (this.worker ? BATCH_SIZE : this.startAfter)) while (this.held.length > 0) this.send();
  }

  private send(): void {
    const files = this.held.splice(0, BATCH_SIZE);
    const batch: EarlyBatch = { files: [] };
    const moved: ArrayBuffer[] = [];
    for (const file of files) {
      const content = file.content!;
      file.fingerprint ??= contentFingerprint(content);
      batch.files.push({ path: file.path, content });
      // A page's bytes of its own (not a slice of Node's shared pool) move to the thread without a copy.
      if (content.byteOffset === 0 && content.byteLength === content.buffer.byteLength) moved.push(content.buffer as ArrayBuffer);
      file.content = undefined;
    }
    this.start().postMessage(batch, moved);
    this.inFlight++;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(compiledProgram('earlyWriteThread'), { workerData: { tree: this.tree }, resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
    worker.on('message', (reply: EarlyReply) => {
      for (const [file, mark] of reply.marks) this.marks.set(file, mark);
      if (reply.error) this.failure ??= Object.assign(new Error(reply.error.message), { code: reply.error.code, path: reply.error.path });
      if (--this.inFlight === 0) this.drained?.();
    });
    // The thread itself failing is a bug in Recap: reported as one, with nothing more waited for.
    worker.on('error', (err) => {
      this.failure ??= err;
      this.inFlight = 0;
      this.drained?.();
    });
    return (this.worker = worker);
  }

  /**
   * Waits until every page sent is written and stops the thread. Pages still held (too few to
   * start the thread) stay in the manifest with their bytes. A file-system fault of the thread is
   * thrown here, as the writer's own would be.
   */
  async finish(): Promise<WrittenAhead> {
    if (this.worker) while (this.held.length > 0) this.send();
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    } finally {
      await this.abort();
    }
    if (this.failure) throw this.failure;
    return this.marks;
  }

  /** Stops the thread, written or not (a failed build: the standby tree is rebuilt next time). */
  async abort(): Promise<void> {
    await this.worker?.terminate();
  }
}
