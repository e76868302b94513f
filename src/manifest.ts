import { Diagnostics } from './diagnostics.js';
import { outputPathOf } from './permalink.js';

/** One file of the built site: its bytes, or a source file to copy as it is. */
export interface OutputFile {
  /** URL path without the base URL: `/2024/03/06/x/`, `/feed.xml`. */
  url: string;
  /** Path inside the output folder: `2024/03/06/x/index.html`. */
  path: string;
  /** Rendered content as UTF-8 bytes; absent when the file is copied from `copyFrom`. */
  content?: Buffer;
  /** Absolute path of a source file copied unchanged. */
  copyFrom?: string;
  /** Site-relative path of what produced this output (a post, a template, an image). */
  source: string;
}

/** The result of a build: every output by URL. Written to disk atomically, or served from memory. */
export class Manifest {
  private readonly files = new Map<string, OutputFile>();
  private readonly byPath = new Map<string, OutputFile>();

  /** Adds an output; a second output at the same path is an error naming both sources. */
  add(url: string, source: string, body: { content: string | Buffer } | { copyFrom: string }, diagnostics: Diagnostics): void {
    const outPath = outputPathOf(url);
    const existing = this.byPath.get(outPath);
    if (existing) {
      diagnostics.error(source, undefined, undefined, `two outputs at ${url}: this file and ${existing.source}`,
        'give one of them another permalink or slug');
      return;
    }
    // Bytes, not strings: they are what the writer and the server need, and they live outside the
    // JavaScript heap, so thousands of pages do not slow down garbage collection.
    const file: OutputFile = 'content' in body
      ? { url, path: outPath, source, content: typeof body.content === 'string' ? Buffer.from(body.content) : body.content }
      : { url, path: outPath, source, copyFrom: body.copyFrom };
    this.files.set(url, file);
    this.byPath.set(outPath, file);
  }

  /** The output at a URL path, if any. */
  get(url: string): OutputFile | undefined {
    return this.files.get(url);
  }

  /** True when something is already published at that output path. */
  has(url: string): boolean {
    return this.byPath.has(outputPathOf(url));
  }

  /** Every output in the order added (cheaper than `all()` where order does not matter). */
  values(): IterableIterator<OutputFile> {
    return this.files.values();
  }

  /** Every output, sorted by path for deterministic writes and listings. */
  all(): OutputFile[] {
    return [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Number of outputs. */
  get size(): number {
    return this.files.size;
  }
}
