import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../../content/config.js';
import { SiteClock } from '../../content/dates.js';
import { createMarkdown, type MarkdownEngine } from '../../content/markdown.js';
import type { Post } from '../../content/post.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import { parsePost } from '../stages/parse.js';
import type { SourceFile } from '../stages/load.js';
import { resolveBody } from '../stages/resolve.js';
import type { WorkerReply, WorkerRequest, WorkerSettings } from './post-workers.js';

// A worker thread of the post pool: parses and resolves the posts it is sent, exactly as the main
// thread would (the same functions, settings and clock), and sends back cache entries.

const settings = workerData as WorkerSettings;
const config: SiteConfig = settings.config;
const clock = new SiteClock(config.timezone);
const now = clock.fromEpoch(settings.nowEpochMs);
let markdown: MarkdownEngine | undefined;
let postUrls: ReadonlyMap<string, string> = new Map();

function parseOne(source: SourceFile): { value: Post | null; diagnostics: Diagnostics['list'] } {
  // Bytes arrive as a plain Uint8Array: parsing reads them as a Buffer.
  const bytes = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
  const diagnostics = new Diagnostics();
  return { value: parsePost({ ...source, bytes }, { config, now, clock }, diagnostics) ?? null, diagnostics: diagnostics.list };
}

function resolveOne(post: Post): { value: unknown; diagnostics: Diagnostics['list'] } {
  markdown ??= createMarkdown({ rawHtml: config.raw_html });
  const diagnostics = new Diagnostics();
  return { value: resolveBody(post, { markdown, config, postUrls }, diagnostics), diagnostics: diagnostics.list };
}

function answer(request: WorkerRequest): WorkerReply | undefined {
  switch (request.kind) {
    case 'post-urls':
      postUrls = new Map(request.postUrls);
      return undefined;
    case 'parse':
      return { batch: request.batch, entries: request.sources.map(parseOne) };
    case 'resolve':
      return { batch: request.batch, entries: request.posts.map(resolveOne) };
  }
}

parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply | undefined;
  try {
    reply = answer(request);
  } catch (err) {
    reply = { batch: 'batch' in request ? request.batch : -1, entries: [], failure: (err as Error).stack ?? String(err) };
  }
  if (reply) parentPort!.postMessage(reply);
});
