import { rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { realFolderInside } from '../output/real-folders.js';
import { readStateFile } from '../output/state-file.js';
import path from 'node:path';
import type { SiteConfig } from '../content/config.js';
import { isValidDiagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { SourceFile } from '../pipeline/stages/load.js';
import type { Post, ResolvedBody } from '../content/post.js';
import { isValidCachedBody, isValidCachedPost } from './cache-validation.js';
import { Memo } from './memo.js';
import { TOOLCHAIN } from './code-fingerprint.js';

/** A stage's result for one post with the diagnostics it produced, so a cache hit reports them again. */
export interface Cached<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** What the cache holds: parsed posts (or null where parsing failed) and resolved bodies. */
interface Stages {
  parse: Post | null;
  resolve: ResolvedBody;
}

type Kind = keyof Stages;

const FORMAT = 4;
/** Characters of the cache file written at a time. */
const SAVE_CHUNK = 1 << 20;

/**
 * A key: the parts themselves, joined, not a hash of them — building one costs a string, and a
 * lookup a Map's own hashing. Recap's code is checked once per cache file instead (`code`).
 */
function key(parts: Array<string | number | boolean>): string {
  return parts.join('\0');
}

/**
 * Parsed posts and resolved bodies, keyed by everything that decides them: the file's bytes and
 * path, the settings the stage reads, the other posts' URLs for a body that uses `{% post_url %}`,
 * and Recap's own code. Kept in memory across rebuilds (recap serve) and, when given a file,
 * across builds (recap build), so unchanged posts are never parsed or rendered to HTML twice.
 */
export class PostCache {
  /** The memo, in memory (recap serve) or with a file as its store (recap build). */
  private memo = new Memo<Cached<Stages[Kind]>>();
  /** Entries read from the file, not yet validated: the file is untrusted input (a restored CI cache). */
  private readonly unchecked = new Set<string>();
  private changed = false;
  /** Why entries or the whole file were discarded, for one note in the build's report. */
  readonly discarded: string[] = [];

  private constructor(private readonly file: string | undefined, private readonly root: string, private readonly readOnly: boolean, private readonly rawHtml: boolean) {}

  /**
   * A cache, loaded from its file when there is one (a missing file is an empty cache; an
   * unreadable, truncated or old-format one is discarded with a note); a read-only one never
   * writes the file back (recap check writes nothing). `rawHtml` is the site's setting, which
   * cached bodies must respect.
   */
  static async open(file: string | undefined, options: { readOnly?: boolean; rawHtml: boolean; siteDir?: string }): Promise<PostCache> {
    const cache = new PostCache(file, options.siteDir ?? (file ? path.dirname(file) : ''), options.readOnly ?? false, options.rawHtml);
    if (!file) return cache;
    const text = readStateFile(file);
    if (text === undefined) return cache; // no cache yet (or not a file Recap could have written)
    try {
      const stored = JSON.parse(text) as { format?: unknown; code?: unknown; entries?: unknown };
      if (stored?.format !== FORMAT) throw new Error(`format ${String(stored?.format)}, not ${FORMAT}`);
      // A new Recap never reuses an old Recap's results (not an error: every upgrade does this once).
      if (stored.code !== TOOLCHAIN) return cache;
      if (!Array.isArray(stored.entries)) throw new Error('no entries');
      const entries: Array<[string, Cached<Stages[Kind]>]> = [];
      for (const entry of stored.entries as unknown[]) {
        const [key, cached] = Array.isArray(entry) ? entry : [];
        const valid = typeof key === 'string' && cached !== null && typeof cached === 'object' && Array.isArray((cached as Cached<unknown>).diagnostics);
        if (!valid) throw new Error('an entry of another shape');
        entries.push([key, cached as Cached<Stages[Kind]>]);
        cache.unchecked.add(key);
      }
      cache.memo = new Memo(entries);
    } catch (err) {
      cache.unchecked.clear();
      cache.discarded.push(`the whole file (${(err as Error).message})`);
    }
    return cache;
  }

  /** True when an entry read from the file has the shape and passes the policies its stage's fresh result would. */
  private valid(kind: Kind, cached: Cached<Stages[Kind]>): boolean {
    if (!cached.diagnostics.every(isValidDiagnostic)) return false;
    return kind === 'parse' ? cached.value === null || isValidCachedPost(cached.value) : isValidCachedBody(cached.value, this.rawHtml);
  }

  /** The key of a source file's parse under these settings. */
  static parseKey(source: SourceFile, config: SiteConfig): string {
    return key(['parse', source.path, source.digest, config.timezone, config.permalink, source.kind, (source.folderCategories ?? []).join('/')]);
  }

  /** The key of a post's resolved body under these settings, and what it names of the rest of the site (other posts' URLs, includes, data), if anything. */
  static resolveKey(post: Post, config: SiteConfig, othersKey: string): string {
    return key(['resolve', post.file, post.digest, config.baseurl, config.url, config.title, config.description, config.raw_html, config.timezone, othersKey]);
  }

  /** The cached result of a stage, marking it as still in use; an entry from the file that fails validation is discarded. */
  get<K extends Kind>(kind: K, key: string): Cached<Stages[K]> | undefined {
    const hit = this.memo.get(key);
    if (!hit) return undefined;
    if (this.unchecked.delete(key) && !this.valid(kind, hit)) {
      this.memo.delete(key);
      this.changed = true;
      this.discarded.push(`a ${kind} entry`);
      return undefined;
    }
    return hit as Cached<Stages[K]>;
  }

  /** Stores a stage's fresh result. */
  set<K extends Kind>(_kind: K, key: string, value: Cached<Stages[K]>): void {
    this.memo.set(key, value);
    this.changed = true;
  }

  /** Forgets entries no build has used since the last save, and writes the file if anything changed. */
  async save(): Promise<void> {
    if (this.memo.settle()) this.changed = true;
    if (!this.file || !this.changed || this.readOnly) return;
    this.changed = false;
    realFolderInside(this.root, path.dirname(this.file));
    // A fresh temporary file (never through whatever a restored cache left at that name), renamed over the old one.
    const temp = `${this.file}.${process.pid}.tmp`;
    rmSync(temp, { force: true });
    // Written an entry at a time in chunks of about a megabyte: one string of the whole file (tens of
    // megabytes for thousands of posts) and its bytes were the build's largest allocation.
    const out = await open(temp, 'wx');
    try {
      let chunk = `{"format":${FORMAT},"code":${JSON.stringify(TOOLCHAIN)},"entries":[`;
      let first = true;
      for (const entry of this.memo.entries()) {
        chunk += (first ? '' : ',') + JSON.stringify(entry);
        first = false;
        if (chunk.length >= SAVE_CHUNK) {
          await out.write(chunk);
          chunk = '';
        }
      }
      await out.write(`${chunk}]}`);
    } finally {
      await out.close();
    }
    await rename(temp, this.file);
  }
}
