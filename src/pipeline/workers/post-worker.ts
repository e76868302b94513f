import { parentPort, workerData } from 'node:worker_threads';
import { SiteClock, type SiteDate } from '../../content/dates.js';
import { createMarkdown, loadEmoji, type MarkdownEngine } from '../../content/markdown.js';
import type { Post } from '../../content/post.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import type { Cached } from '../../incremental/post-cache.js';
import { parsePost } from '../stages/parse.js';
import type { ReadSource } from '../stages/load.js';
import { resolveBody } from '../stages/resolve.js';
import type { MadeBody, WorkerReply, WorkerRequest, WorkerSettings } from './post-workers.js';
import type { PageRequest, ThemeSettings, WorkerPages } from './worker-pages.js';

// The program of a post worker thread (started by PostWorkers): it answers each request in turn.

/** One worker's state: parses and resolves the posts it is sent exactly as the main thread would (the same functions, settings and clock). */
class PostWorker {
  private readonly clock: SiteClock;
  private readonly now: SiteDate;
  private markdown: MarkdownEngine | undefined;
  private postUrls: ReadonlyMap<string, string> = new Map();
  private pages: WorkerPages | undefined;
  /** The last request's answer: each is answered once the one before is. */
  private answered = Promise.resolve();

  constructor(private readonly settings: WorkerSettings) {
    this.clock = new SiteClock(settings.config.timezone);
    this.now = this.clock.fromEpoch(settings.nowEpochMs);
  }

  /**
   * Makes ready to render pages with the theme: sent while this worker has nothing else to do (after
   * parsing), it loads the renderer and the Markdown parser then, not when the first body is asked for.
   */
  private async useTheme(theme: ThemeSettings): Promise<void> {
    const { WorkerPages } = await import('./worker-pages.js');
    this.pages = new WorkerPages(this.settings.config, theme);
    this.markdown ??= createMarkdown({ rawHtml: this.settings.config.raw_html, emoji, jekyll: this.settings.config.jekyll?.kramdown });
  }

  /** Answers requests through `send` in the order they come, each once the one before is (loading the theme takes a while). */
  receive(request: WorkerRequest, send: (reply: WorkerReply) => void): void {
    this.answered = this.answered.then(async () => {
      const reply = await this.respond(request);
      if (reply) send(reply);
    });
  }

  /** A request's answer (a failure too, as the reply to its batch). */
  private async respond(request: WorkerRequest): Promise<WorkerReply | undefined> {
    try {
      if (request.kind !== 'theme') return this.answer(request);
      await this.useTheme(request.theme);
    } catch (err) {
      return { batch: 'batch' in request ? request.batch : -1, entries: [], failure: (err as Error).stack ?? String(err) };
    }
    return undefined;
  }

  /** The answer to a request: a batch's cache entries, or nothing for the post URLs that later batches read. */
  private answer(request: Exclude<WorkerRequest, { kind: 'theme' }>): WorkerReply | undefined {
    switch (request.kind) {
      case 'post-urls':
        this.postUrls = new Map(request.postUrls);
        return undefined;
      case 'parse':
        return { batch: request.batch, entries: request.sources.map((source) => this.parse(source)) };
      case 'resolve':
        return { batch: request.batch, entries: request.posts.map((post, i) => this.resolve(post, request.pages?.[i])) };
    }
  }

  private parse(source: ReadSource): Cached<Post | null> {
    const { config } = this.settings;
    // Bytes arrive as a plain Uint8Array: parsing reads them as a Buffer.
    const bytes = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
    const diagnostics = new Diagnostics();
    return { value: parsePost({ ...source, bytes }, { config, now: this.now, clock: this.clock }, diagnostics) ?? null, diagnostics: diagnostics.list };
  }

  /** A post's body, and its page where the request asks for it. */
  private resolve(post: Post, page: PageRequest | undefined): MadeBody {
    const { config } = this.settings;
    this.markdown ??= createMarkdown({ rawHtml: config.raw_html, emoji, jekyll: config.jekyll?.kramdown });
    const diagnostics = new Diagnostics();
    const body = resolveBody(post, { markdown: this.markdown, config, postUrls: this.postUrls }, diagnostics);
    if (!page || !this.pages) return { value: body, diagnostics: diagnostics.list };
    return { value: body, diagnostics: diagnostics.list, page: this.pages.render({ ...post, body }, page) };
  }
}

/** The buffers of the pages in a reply: handed over to the main thread, not copied. */
function pageBuffers(reply: WorkerReply): ArrayBuffer[] {
  return reply.entries.flatMap((entry) => {
    const content = (entry as MadeBody).page?.content;
    return content ? [content.buffer] : [];
  });
}

// jemoji's names are loaded before the first request, and only for a site that wants them.
const emoji = await loadEmoji((workerData as WorkerSettings).config.jekyll?.emoji);
const worker = new PostWorker(workerData as WorkerSettings);
parentPort!.on('message', (request: WorkerRequest) => worker.receive(request, (reply) => parentPort!.postMessage(reply, pageBuffers(reply))));
