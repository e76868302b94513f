import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteConfig } from './config.js';
import type { Diagnostic } from './diagnostics.js';
import type { SourceFile } from './load.js';
import type { Post, ResolvedBody } from './post.js';

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

const FORMAT = 3;

/** A fingerprint of Recap's own compiled code: a new Recap never reuses an old Recap's results. */
function codeFingerprint(): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha1');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js')).sort()) hash.update(name).update(readFileSync(path.join(dir, name)));
  return hash.digest('hex');
}

let code: string | undefined;

function hash(parts: Array<string | number | boolean>): string {
  code ??= codeFingerprint();
  return createHash('sha1').update(`${code}\n${parts.join('\n')}`).digest('base64');
}

/**
 * Parsed posts and resolved bodies, keyed by everything that decides them: the file's bytes and
 * path, the settings the stage reads, the other posts' URLs for a body that uses `{% post_url %}`,
 * and Recap's own code. Kept in memory across rebuilds (recap serve) and, when given a file,
 * across builds (recap build), so unchanged posts are never parsed or rendered to HTML twice.
 */
export class PostCache {
  private entries = new Map<string, Cached<Stages[Kind]>>();
  private used = new Set<string>();
  private changed = false;

  private constructor(private readonly file: string | undefined, private readonly readOnly: boolean) {}

  /**
   * A cache, loaded from its file when there is one (a missing or unreadable file is an empty
   * cache); a read-only one never writes the file back (recap check writes nothing).
   */
  static async open(file: string | undefined, readOnly = false): Promise<PostCache> {
    const cache = new PostCache(file, readOnly);
    if (file) {
      try {
        const stored = JSON.parse(await readFile(file, 'utf8')) as { format: number; entries: Array<[string, Cached<Stages[Kind]>]> };
        if (stored.format === FORMAT) cache.entries = new Map(stored.entries);
      } catch {
        // no cache yet, or one from an interrupted write: start empty
      }
    }
    return cache;
  }

  /** The key of a source file's parse under these settings. */
  static parseKey(source: SourceFile, config: SiteConfig): string {
    return hash(['parse', source.path, source.digest, config.timezone, config.permalink]);
  }

  /** The key of a post's resolved body under these settings. */
  static resolveKey(post: Post, config: SiteConfig, postUrlsKey: string): string {
    const urls = post.body.includes('post_url') ? postUrlsKey : '';
    return hash(['resolve', post.file, post.digest, config.baseurl, config.url, config.title, config.raw_html, urls]);
  }

  /** The cached result of a stage, marking it as still in use. */
  get<K extends Kind>(_kind: K, key: string): Cached<Stages[K]> | undefined {
    const hit = this.entries.get(key);
    if (hit) this.used.add(key);
    return hit as Cached<Stages[K]> | undefined;
  }

  /** Stores a stage's fresh result. */
  set<K extends Kind>(_kind: K, key: string, value: Cached<Stages[K]>): void {
    this.entries.set(key, value);
    this.used.add(key);
    this.changed = true;
  }

  /** Forgets entries no build has used since the last save, and writes the file if anything changed. */
  async save(): Promise<void> {
    for (const key of this.entries.keys()) {
      if (!this.used.has(key)) {
        this.entries.delete(key);
        this.changed = true;
      }
    }
    this.used.clear();
    if (!this.file || !this.changed || this.readOnly) return;
    this.changed = false;
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ format: FORMAT, entries: [...this.entries] }));
    await rename(temp, this.file);
  }
}
