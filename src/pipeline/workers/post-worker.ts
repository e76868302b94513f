import { parentPort, workerData } from 'node:worker_threads';
import { SiteClock, type SiteDate } from '../../content/dates.js';
import { createMarkdown, loadEmoji, type MarkdownEngine } from '../../content/markdown.js';
import type { Post, ResolvedBody } from '../../content/post.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import type { Cached } from '../../incremental/post-cache.js';
import { parsePost } from '../stages/parse.js';
import type { ReadSource } from '../stages/load.js';
import { resolveBody } from '../stages/resolve.js';
import type { WorkerReply, WorkerRequest, WorkerSettings } from './post-workers.js';

// The program of a post worker thread (started by PostWorkers): it answers each request in turn.

/** One worker's state: parses and resolves the posts it is sent exactly as the main thread would (the same functions, settings and clock). */
class PostWorker {
  private readonly clock: SiteClock;
  private readonly now: SiteDate;
  private markdown: MarkdownEngine | undefined;
  private postUrls: ReadonlyMap<string, string> = new Map();

  constructor(private readonly settings: WorkerSettings) {
    this.clock = new SiteClock(settings.config.timezone);
    this.now = this.clock.fromEpoch(settings.nowEpochMs);
  }

  /** The answer to a request: a batch's cache entries, or nothing for the post URLs that later batches read. */
  answer(request: WorkerRequest): WorkerReply | undefined {
    switch (request.kind) {
      case 'post-urls':
        this.postUrls = new Map(request.postUrls);
        return undefined;
      case 'parse':
        return { batch: request.batch, entries: request.sources.map((source) => this.parse(source)) };
      case 'resolve':
        return { batch: request.batch, entries: request.posts.map((post) => this.resolve(post)) };
    }
  }

  private parse(source: ReadSource): Cached<Post | null> {
    const { config } = this.settings;
    // Bytes arrive as a plain Uint8Array: parsing reads them as a Buffer.
    const bytes = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
    const diagnostics = new Diagnostics();
    return { value: parsePost({ ...source, bytes }, { config, now: this.now, clock: this.clock }, diagnostics) ?? null, diagnostics: diagnostics.list };
  }

  private resolve(post: Post): Cached<ResolvedBody> {
    const { config } = this.settings;
    this.markdown ??= createMarkdown({ rawHtml: config.raw_html, emoji });
    const diagnostics = new Diagnostics();
    return { value: resolveBody(post, { markdown: this.markdown, config, postUrls: this.postUrls }, diagnostics), diagnostics: diagnostics.list };
  }
}

// jemoji's names are loaded before the first request, and only for a site that wants them.
const emoji = await loadEmoji((workerData as WorkerSettings).config.jekyll?.emoji);
const worker = new PostWorker(workerData as WorkerSettings);
parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply | undefined;
  try {
    reply = worker.answer(request);
  } catch (err) {
    reply = { batch: 'batch' in request ? request.batch : -1, entries: [], failure: (err as Error).stack ?? String(err) };
  }
  if (reply) parentPort!.postMessage(reply);
});
