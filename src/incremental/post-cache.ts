import { realFolderInside } from '../output/real-folders.js';
import { RegularFileReader, StateFileWriter } from '../output/state-file.js';
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

/** What every post cache file starts with, before its format's number. */
const KIND = 'recap post cache ';

/**
 * The cache file's first line: what it is and its format. Then each entry's JSON, one after the
 * other, then the last line: the header. It comes last so each entry can be written as soon as it
 * is made, not held until the end (a 10000-post cache is ~75 MB).
 */
const MAGIC = `${KIND}6\n`;

/** The file's last line: Recap's code, then each entry's key and where its JSON is in the entries. */
interface Header {
  code: string;
  entries: Array<[key: string, offset: number, length: number]>;
}

/** A cache file being written: its writer, and where each entry written so far is in it. */
interface Spool {
  writer: StateFileWriter;
  entries: Header['entries'];
  offset: number;
}

/**
 * A key: the parts themselves, joined, not a hash of them — building one costs a string, and a
 * lookup a Map's own hashing. Recap's code is checked once per cache file instead (`code`).
 */
function key(parts: Array<string | number | boolean>): string {
  return parts.join('\0');
}

/** Where an entry's JSON is in the cache file: its first byte's position, and its length. */
type Place = readonly [position: number, length: number];

/** Bytes read from the end of the file at first, looking for the header's line (doubled until it is found). */
const TAIL_CHUNK = 64 * 1024;

/** The file's last line, the header, and where it starts; undefined when the file does not end in one. */
function readLastLine(file: RegularFileReader, from: number): { text: string; start: number } | undefined {
  const end = file.size;
  for (let chunk = TAIL_CHUNK; ; chunk *= 2) {
    const start = Math.max(from, end - chunk);
    const tail = file.read(start, end - start);
    if (tail.length !== end - start || tail[tail.length - 1] !== 10) return undefined;
    const newline = tail.lastIndexOf(10, tail.length - 2);
    if (newline >= 0) return { text: tail.toString('utf8', newline + 1, tail.length - 1), start: start + newline + 1 };
    if (start === from) return undefined;
  }
}

/**
 * Where each entry of a cache file is, by key: checked for shape and place, not yet read (the
 * file is read an entry at a time, as a build asks for them, so it is never held whole).
 */
function readPlaces(file: RegularFileReader): Map<string, Place> | 'other code' {
  const head = file.read(0, MAGIC.length);
  // Recap before these formats wrote one JSON object, and later ones other formats: an old Recap's
  // file, which every upgrade meets once.
  if (head[0] === 0x7b) return 'other code';
  if (!head.equals(Buffer.from(MAGIC))) {
    if (head.subarray(0, KIND.length).equals(Buffer.from(KIND))) return 'other code';
    throw new Error('not a post cache of this Recap');
  }
  const last = file.size >= MAGIC.length + 2 ? readLastLine(file, MAGIC.length) : undefined;
  if (!last) throw new Error('no entries');
  const header = JSON.parse(last.text) as Partial<Header> | null;
  // A new Recap never reuses an old Recap's results (not an error: every upgrade does this once).
  if (header?.code !== TOOLCHAIN) return 'other code';
  if (!Array.isArray(header.entries)) throw new Error('no entries');
  const bodyLength = last.start - 1 - MAGIC.length;
  const places = new Map<string, Place>();
  for (const entry of header.entries as unknown[]) {
    const [name, offset, length] = Array.isArray(entry) ? entry : [];
    const valid = typeof name === 'string' && Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= bodyLength;
    if (!valid) throw new Error('an entry of another shape, or past the end');
    places.set(name, [MAGIC.length + offset, length]);
  }
  return places;
}

/** Places next to each other in a file, read as one: up to this many bytes at a time. */
const COPY_RUN_BYTES = 4 * 1024 * 1024;

/**
 * Bytes read at a time while a build asks for entries in the order they were written (it mostly
 * does): one read serves the next few hundred, and the file is never held whole.
 */
const READ_WINDOW_BYTES = 1024 * 1024;

/**
 * Parsed posts and resolved bodies, keyed by everything that decides them: the file's bytes and
 * path, the settings the stage reads, the other posts' URLs for a body that uses `{% post_url %}`,
 * and Recap's own code. Kept in memory across rebuilds (recap serve) and, when given a file,
 * across builds (recap build), so unchanged posts are never parsed or rendered to HTML twice.
 * The file is each entry's JSON, then an index of keys and places: an entry is read only when a
 * build asks for it, and one the build did not change is copied into the next file as the same bytes.
 */
export class PostCache {
  /**
   * The memo of entries this build read, and of those it made where it writes no file (recap serve
   * keeps it in memory between builds; recap check writes nothing).
   */
  private memo = new Memo<Cached<Stages[Kind]>>();
  /**
   * The file being written, where this build writes one: each fresh entry goes into it as soon as
   * it is made, so the cache does not keep what the build has let go of (a post's HTML, once its
   * page is made) until the end.
   */
  private spool: Spool | undefined;
  /** The file the entries are read from, open from the build's first question to its save. */
  private source: RegularFileReader | undefined;
  /** The part of the file read last, which the next entries asked for are likely in. */
  private window: { position: number; bytes: Buffer } | undefined;
  /** Where the entry after the last one read starts. */
  private nextInOrder = -1;
  /** Where the file's entries not yet asked for are (not read or validated: the file is untrusted input, a restored CI cache). */
  private stored = new Map<string, Place>();
  /** Entries read from the file and still as they were, to be copied into the next file as they are. */
  private readonly unchanged = new Map<string, Place>();
  private changed = false;
  /** Why entries or the whole file were discarded, for one note in the build's report. */
  readonly discarded: string[] = [];

  private constructor(private readonly file: string | undefined, private readonly root: string, private readonly readOnly: boolean, private readonly rawHtml: boolean) {}

  /**
   * A cache, loaded from its file when there is one (a missing file, or an old Recap's, is an empty cache; an
   * unreadable or truncated one is discarded with a note); a read-only one never
   * writes the file back (recap check writes nothing). `rawHtml` is the site's setting, which
   * cached bodies must respect.
   */
  static async open(file: string | undefined, options: { readOnly?: boolean; rawHtml: boolean; siteDir?: string }): Promise<PostCache> {
    const cache = new PostCache(file, options.siteDir ?? (file ? path.dirname(file) : ''), options.readOnly ?? false, options.rawHtml);
    if (!file) return cache;
    const source = RegularFileReader.open(file);
    if (source === undefined) return cache; // no cache yet (or not a file Recap could have written)
    try {
      const places = readPlaces(source);
      if (places === 'other code') cache.changed = true;
      else {
        cache.stored = places;
        cache.source = source;
      }
    } catch (err) {
      cache.changed = true;
      cache.discarded.push(`the whole file (${(err as Error).message})`);
    }
    if (!cache.source) source.close();
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
    if (hit) return hit as Cached<Stages[K]>;
    const place = this.stored.get(key);
    if (!place) return undefined;
    this.stored.delete(key);
    let cached: Cached<Stages[K]> | undefined;
    try {
      const bytes = this.readPlace(place);
      // A file cut short since it was opened reads as less: that entry is discarded like a damaged one.
      cached = bytes.length === place[1] ? JSON.parse(bytes.toString('utf8')) as Cached<Stages[K]> : undefined;
    } catch {
      cached = undefined;
    }
    if (!cached || typeof cached !== 'object' || !Array.isArray(cached.diagnostics) || !this.valid(kind, cached)) {
      this.changed = true;
      this.discarded.push(`a ${kind} entry`);
      return undefined;
    }
    this.memo.set(key, cached);
    this.unchanged.set(key, place);
    return cached;
  }

  /**
   * Stores a stage's fresh result: into the file being written, where the build writes one (a
   * build asks for each key once), else in memory.
   */
  set<K extends Kind>(_kind: K, key: string, value: Cached<Stages[K]>): void {
    this.changed = true;
    if (this.file && !this.readOnly) return this.write(key, Buffer.from(JSON.stringify(value)));
    this.memo.set(key, value);
    this.unchanged.delete(key);
  }

  /** Appends an entry's JSON to the file being written, which the first entry starts. */
  private write(key: string, bytes: Buffer): void {
    const spool = (this.spool ??= this.startFile());
    spool.writer.append(bytes);
    spool.entries.push([key, spool.offset, bytes.length]);
    spool.offset += bytes.length;
  }

  /** Starts writing the file, in a real folder inside the site. */
  private startFile(): Spool {
    realFolderInside(this.root, path.dirname(this.file!));
    const writer = StateFileWriter.open(this.file!);
    writer.append(Buffer.from(MAGIC));
    return { writer, entries: [], offset: 0 };
  }

  /**
   * Forgets entries no build has used since the last save, and, if anything changed, ends the file
   * (the entries read and still used, as the very bytes they were, then the header) and puts it in
   * place.
   */
  async save(): Promise<void> {
    if (this.memo.settle() || this.stored.size > 0) this.changed = true;
    this.stored = new Map();
    if (!this.file || !this.changed || this.readOnly) return this.closeSource();
    this.changed = false;
    this.copyUnchanged();
    this.closeSource();
    // With no entry at all (every post gone), the file is still written: the old one's entries are not to be read again.
    const { writer, entries } = this.spool ?? this.startFile();
    this.spool = undefined;
    writer.append(Buffer.from(`\n${JSON.stringify({ code: TOOLCHAIN, entries } satisfies Header)}\n`));
    await writer.commit();
  }

  /**
   * Copies the entries read and still used into the file being written, as the very bytes they
   * were: entries that lie next to each other in the old file (most do) are read together.
   */
  private copyUnchanged(): void {
    const kept = [...this.memo.entries()].flatMap(([name]) => {
      const place = this.unchanged.get(name);
      return place ? [[name, place] as const] : [];
    });
    this.unchanged.clear();
    for (let first = 0; first < kept.length; ) {
      let end = first + 1;
      let [position, length] = kept[first]![1];
      while (end < kept.length && kept[end]![1][0] === position + length && length + kept[end]![1][1] <= COPY_RUN_BYTES) length += kept[end++]![1][1];
      const run = this.readRun(position, length);
      const spool = (this.spool ??= this.startFile());
      // Written with one call: the run's whole entries (what a file cut short since it was opened lacks is made again next time).
      let whole = 0;
      for (let n = first; n < end && whole + kept[n]![1][1] <= run.length; n++) {
        spool.entries.push([kept[n]![0], spool.offset + whole, kept[n]![1][1]]);
        whole += kept[n]![1][1];
      }
      spool.writer.append(run.subarray(0, whole));
      spool.offset += whole;
      first = end;
    }
  }

  /** Bytes of the old file to copy; none where it cannot be read any more (its entries are made again next time, like damaged ones). */
  private readRun(position: number, length: number): Buffer {
    try {
      return this.source!.read(position, length);
    } catch {
      return Buffer.alloc(0);
    }
  }

  /**
   * An entry's bytes, from the part of the file read last; else read alone, or, when it is the
   * entry right after the last one read (a build reading the file in order), with the next ones.
   * Only reading in order reads ahead, so an index in another order never reads more than its entries.
   */
  private readPlace([position, length]: Place): Buffer {
    const window = this.window;
    if (window && position >= window.position && position + length <= window.position + window.bytes.length) {
      this.nextInOrder = position + length;
      return window.bytes.subarray(position - window.position, position - window.position + length);
    }
    const inOrder = position === this.nextInOrder;
    const bytes = this.source!.read(position, inOrder ? Math.max(length, READ_WINDOW_BYTES) : length);
    this.window = inOrder ? { position, bytes } : undefined;
    this.nextInOrder = position + length;
    return bytes.subarray(0, length);
  }

  /** Closes the old file: nothing more is read from it. */
  private closeSource(): void {
    this.source?.close();
    this.source = undefined;
    this.window = undefined;
  }

  /** Forgets every entry held in memory, for a one-off build done with the cache (it has saved, or writes nothing); a file not saved is left as it was. */
  release(): void {
    this.spool?.writer.abandon();
    this.spool = undefined;
    this.closeSource();
    this.memo = new Memo();
    this.stored = new Map();
    this.unchanged.clear();
  }
}
