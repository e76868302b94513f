import { HTML_FILE } from '../content/post.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { outputPathOf, pageOutputPathOf, recapOwnerOf, unsafeOutputReason } from '../policy/output-policy.js';

/** One file of the built site: its bytes, or a source file to copy as it is. */
export interface OutputFile {
  /** URL path without the base URL: `/2024/03/06/x/`, `/feed.xml`. */
  url: string;
  /** Path inside the output folder: `2024/03/06/x/index.html`. */
  path: string;
  /** Rendered content as UTF-8 bytes; absent when the file is copied from `copyFrom`, or was written ahead (early-writes.ts: its fingerprint is kept). */
  content?: Buffer;
  /** Absolute path of a source file copied unchanged. */
  copyFrom?: string;
  /** The same bytes as the live output at `from`, which must still have the identity `mark` when copied (an unchanged page not rendered again). */
  reuse?: ReusedBytes;
  /** Content fingerprint (`hash:size`) when already known, so the writer does not hash the bytes again. */
  fingerprint?: string;
  /** Site-relative path of what produced this output (a post, a template, an image). */
  source: string;
}

/** True for an HTML page: an output written as a `.html` file (`/x/` as `x/index.html`, `/x` as `x.html`, `/x.html`), or a Jekyll site's `.htm` or `.xhtml`. */
export function isPage(file: OutputFile): boolean {
  return HTML_FILE.test(file.path);
}

/** Where an unchanged page's bytes are: a file of the live output, as it was written. */
export interface ReusedBytes {
  from: string;
  mark: string;
}

/** What an output holds: bytes (with their fingerprint when known), a file to copy, or a live output's bytes reused. */
export type OutputBody = { content: string | Buffer; fingerprint?: string } | { copyFrom: string } | { reuse: ReusedBytes; fingerprint: string };

/**
 * Who asks for an output: Recap itself (list pages, feeds, assets), the site's static files, or
 * content from posts (pages, redirects), which may never claim what Recap owns.
 */
export type OutputOrigin = 'recap' | 'static' | 'content';

/** The result of a build: every output by URL. Written to disk atomically, or served from memory. */
export class Manifest {
  private readonly files = new Map<string, OutputFile>();
  private readonly byPath = new Map<string, OutputFile>();
  /** Each folder that outputs need, with one output inside it (a file may not stand there). */
  private readonly filesBelow = new Map<string, OutputFile>();

  /**
   * Adds an output. A path outside the output folder, a path Recap owns asked for by content, and
   * a second output at the same path are errors naming the sources; the output is not added.
   * `outputExtension` is a post's or page's own (see contentOutputExtension).
   * Returns the output added, if it was.
   */
  add(url: string, source: string, body: OutputBody, diagnostics: Diagnostics, origin: OutputOrigin, claimable?: (outputPath: string) => boolean, outputExtension?: string): OutputFile | undefined {
    const unsafe = unsafeOutputReason(url);
    if (unsafe) {
      diagnostics.error('R211', source, undefined, undefined, `${url} cannot be an output path: ${unsafe}`, 'use a plain path such as /2024/03/06/my-meetup/');
      return undefined;
    }
    const outPath = origin === 'content' ? pageOutputPathOf(url, outputExtension) : outputPathOf(url);
    // Content may claim neither Recap's file nor its URL (`/_headers` written as `_headers.html`).
    // A Jekyll site's page may take some of them (`claimable`: its own /talks/), where Recap's yields.
    const owner = origin === 'content' && !claimable?.(outPath) ? recapOwnerOf(outPath) ?? recapOwnerOf(outputPathOf(url)) : undefined;
    if (owner) {
      diagnostics.error('R212', source, undefined, undefined, `${url} is Recap's own output (${owner}): a post cannot claim it`, 'give the post another permalink, slug or redirect_from');
      return undefined;
    }
    const folders = this.newFoldersOf(outPath);
    const existing = this.files.get(url) ?? this.byPath.get(outPath) ?? this.filesBelow.get(outPath) ?? (folders instanceof Array ? undefined : folders);
    if (existing) {
      diagnostics.error('R213', source, undefined, undefined, `two outputs at ${url}: this file and ${existing.source}`,
        'give one of them another permalink or slug');
      return undefined;
    }
    // Bytes, not strings: they are what the writer and the server need, and they live outside the
    // JavaScript heap, so thousands of pages do not slow down garbage collection.
    const file: OutputFile = 'content' in body
      ? { url, path: outPath, source, content: typeof body.content === 'string' ? Buffer.from(body.content) : body.content, fingerprint: body.fingerprint }
      : 'reuse' in body ? { url, path: outPath, source, reuse: body.reuse, fingerprint: body.fingerprint } : { url, path: outPath, source, copyFrom: body.copyFrom };
    this.files.set(url, file);
    this.byPath.set(outPath, file);
    for (const folder of folders as string[]) this.filesBelow.set(folder, file);
    return file;
  }

  /**
   * The folders a path needs that no output needed before, deepest first; or the output that is a
   * file where one of them must be (`/a` as a file, then `/a/b/`). A folder seen before was checked
   * then, with all above it, so the walk stops there.
   */
  private newFoldersOf(outPath: string): string[] | OutputFile {
    const folders: string[] = [];
    for (let dir = outPath.lastIndexOf('/'); dir > 0; dir = outPath.lastIndexOf('/', dir - 1)) {
      const folder = outPath.slice(0, dir);
      if (this.filesBelow.has(folder)) break;
      const file = this.byPath.get(folder);
      if (file) return file;
      folders.push(folder);
    }
    return folders;
  }

  /** The output at a URL path, if any. */
  get(url: string): OutputFile | undefined {
    return this.files.get(url);
  }

  /**
   * The output a static host serves at a URL path: the one published at it, else the file at its
   * path (`/x/index.html` is the page `/x/`, and `/x.html` the page `/x`, written as `x.html`).
   */
  served(url: string): OutputFile | undefined {
    return this.files.get(url) ?? this.byPath.get(outputPathOf(url));
  }

  /**
   * The output GitHub Pages, Netlify, Cloudflare Pages and `jekyll serve` answer a URL path with:
   * as `served`, else the page of its name with `.html` (a Jekyll site's link to `/community`
   * reaches its `community.html`).
   */
  servedByHosts(url: string): OutputFile | undefined {
    return this.served(url) ?? (url.endsWith('/') ? undefined : this.served(`${url}.html`));
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
