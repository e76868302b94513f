import { createHash, type Hash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { realFolderInside } from '../output/real-folders.js';
import { RegularFileReader, StateFileWriter } from '../output/state-file.js';
import { utf8Bytes } from '../output/utf8.js';
import path from 'node:path';
import type { SiteConfig } from '../content/config.js';
import { defaultsKey, defaultsType } from '../content/front-matter-defaults.js';
import { collectionPermalink } from '../content/jekyll-collections.js';
import { isValidDiagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { SourceFile } from '../pipeline/stages/load.js';
import type { Post, ResolvedBody } from '../content/post.js';
import { isValidCachedBody, isValidCachedHtml, isValidCachedPost, type BodyWithoutHtml } from './cache-validation.js';
import { Memo } from './memo.js';
import { stableKey, type StableKeys } from './stable-keys.js';
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

/** What the memo holds: entries made or read whole, and bodies read whose HTML was not asked for. */
type Held = Cached<Post | null | ResolvedBody | BodyWithoutHtml>;

/**
 * A body read from the cache with its HTML aside: the rest is read and checked, the HTML is decoded
 * and checked only when `html()` asks for it (a page that is kept, not rendered, never does).
 */
export interface StoredBody extends Cached<BodyWithoutHtml> {
  /** The body's HTML, or undefined where it fails the checks a fresh body passes (the entry is then discarded, with a note). */
  html(): string | undefined;
}

/**
 * An entry's bytes: its JSON and, for a body, a newline and its HTML as it is (JSON never holds a
 * raw newline), so reading the rest of a body does not decode its HTML.
 */
function entryBytes<K extends Kind>(kind: K, cached: Cached<Stages[K]>): Buffer {
  if (kind === 'parse') return Buffer.from(JSON.stringify(cached));
  const { html, ...rest } = cached.value as ResolvedBody;
  return utf8Bytes(`${JSON.stringify({ value: rest, diagnostics: cached.diagnostics })}\n${html}`);
}

/** What every post cache index starts with, before its format's number. */
const KIND = 'recap post cache ';

/**
 * The index's first line: what it is and its format. Its second and last line is the Index. The
 * entries themselves are in segment files beside it, each made by one build and never changed
 * after: a build writes a segment of only the entries it made (as it makes them, not held until the
 * end: a 10000-post cache is ~75 MB), and an index naming the segments still used.
 */
const MAGIC = `${KIND}8\n`;

/** The index: Recap's code, the segments by id, and each entry's key and place (its segment's position in `segments`, offset, length). */
interface Index {
  code: string;
  segments: string[];
  entries: Array<[key: string, segment: number, offset: number, length: number]>;
}

/** A segment's id: the start of the SHA-1 of its bytes, so the same entries make the same file. */
const SEGMENT_ID = /^[0-9a-f]{16}$/;

/** The segment with this id: beside the index, named after it (`posts.json.<id>.seg`). */
function segmentPath(index: string, id: string): string {
  return `${index}.${id}.seg`;
}

/** The id of a file beside the index when it is one of its segments (used or not), else undefined. */
function segmentIdOf(name: string, index: string): string | undefined {
  const base = path.basename(index);
  const id = name.startsWith(`${base}.`) && name.endsWith('.seg') ? name.slice(base.length + 1, -'.seg'.length) : '';
  return SEGMENT_ID.test(id) ? id : undefined;
}

/** A segment being written: its writer, the hash that names it, and where each entry written so far is in it. */
interface Spool {
  writer: StateFileWriter;
  hash: Hash;
  entries: Array<[key: string, offset: number, length: number]>;
  offset: number;
}


/** Where an entry's JSON is: its segment, its first byte's position there, and its length. */
type Place = readonly [segment: string, position: number, length: number];

/**
 * Where each entry of the cache is, by key, from its index: checked for shape, not yet read (a
 * segment is read an entry at a time, as a build asks for them, so it is never held whole).
 */
function readIndex(file: RegularFileReader): Map<string, Place> | 'other code' {
  const bytes = file.read(0, file.size);
  // Recap before these formats wrote one JSON object, and later ones other formats: an old Recap's
  // file, which every upgrade meets once.
  if (bytes[0] === 0x7b) return 'other code';
  if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) {
    if (bytes.subarray(0, KIND.length).equals(Buffer.from(KIND))) return 'other code';
    throw new Error('not a post cache of this Recap');
  }
  if (bytes.length < MAGIC.length + 2 || bytes[bytes.length - 1] !== 10) throw new Error('no entries');
  const index = JSON.parse(bytes.toString('utf8', MAGIC.length, bytes.length - 1)) as Partial<Index> | null;
  // A new Recap never reuses an old Recap's results (not an error: every upgrade does this once).
  if (index?.code !== TOOLCHAIN) return 'other code';
  const { segments, entries } = index;
  if (!Array.isArray(segments) || !segments.every((id) => typeof id === 'string' && SEGMENT_ID.test(id)) || !Array.isArray(entries)) throw new Error('no entries');
  const places = new Map<string, Place>();
  for (const entry of entries as unknown[]) {
    const [name, segment, offset, length] = Array.isArray(entry) ? entry : [];
    const valid = typeof name === 'string' && Number.isSafeInteger(segment) && segment >= 0 && segment < segments.length && Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0;
    if (!valid) throw new Error('an entry of another shape');
    places.set(name, [segments[segment]!, offset, length]);
  }
  return places;
}

/** Places next to each other in a segment, read as one: up to this many bytes at a time. */
const COPY_RUN_BYTES = 4 * 1024 * 1024;

/**
 * Bytes read at a time while a build asks for entries in the order they were written (it mostly
 * does): one read serves the next few hundred, and a segment is never held whole.
 */
const READ_WINDOW_BYTES = 1024 * 1024;

/**
 * Segments an index names at most. A segment stays as it is while at least half its bytes are
 * entries still used; past this many, the smallest are folded into the new one, so a site edited
 * a post at a time does not gather a file per build.
 */
const MAX_SEGMENTS = 8;

/**
 * Parsed posts and resolved bodies, keyed by everything that decides them: the file's bytes and
 * path, the settings the stage reads, the other posts' URLs for a body that uses `{% post_url %}`,
 * and Recap's own code. Kept in memory across rebuilds (recap serve) and, when given a file,
 * across builds (recap build), so unchanged posts are never parsed or rendered to HTML twice.
 * The file is an index of keys and places in segment files: an entry is read only when a build
 * asks for it, and written only by the build that made it (or, when most of its segment is no
 * longer used, copied into a new one as the same bytes).
 */
export class PostCache {
  /**
   * The memo of entries this build read, and of those it made where it writes no file (recap serve
   * keeps it in memory between builds; recap check writes nothing).
   */
  private memo = new Memo<Held>();
  /**
   * The segment being written, where this build writes one: each fresh entry goes into it as soon
   * as it is made, so the cache does not keep what the build has let go of (a post's HTML, once
   * its page is made) until the end.
   */
  private spool: Spool | undefined;
  /** Each segment read from, open from the build's first question to its save (null: it cannot be opened). */
  private segments = new Map<string, RegularFileReader | null>();
  /** The part of a segment read last, which the next entries asked for are likely in. */
  private window: { segment: string; position: number; bytes: Buffer } | undefined;
  /** Where the entry after the last one read starts. */
  private nextInOrder: { segment: string; position: number } | undefined;
  /** Where the entries not yet asked for are (not read or validated: the files are untrusted input, a restored CI cache). */
  private stored = new Map<string, Place>();
  /** Entries read from a segment and still as they were, to be named again by the next index. */
  private readonly unchanged = new Map<string, Place>();
  private changed = false;
  /** Why entries or the whole file were discarded, for one note in the build's report. */
  readonly discarded: string[] = [];

  private constructor(private readonly file: string | undefined, private readonly root: string, private readonly readOnly: boolean, private readonly rawHtml: boolean) {}

  /**
   * A cache, loaded from its index when there is one (a missing index, or an old Recap's, is an
   * empty cache; an unreadable or truncated one is discarded with a note); a read-only one never
   * writes back (recap check writes nothing). `rawHtml` is the site's setting, which cached
   * bodies must respect.
   */
  static async open(file: string | undefined, options: { readOnly?: boolean; rawHtml: boolean; siteDir?: string }): Promise<PostCache> {
    const cache = new PostCache(file, options.siteDir ?? (file ? path.dirname(file) : ''), options.readOnly ?? false, options.rawHtml);
    if (!file) return cache;
    const source = RegularFileReader.open(file);
    if (source === undefined) return cache; // no cache yet (or not a file Recap could have written)
    try {
      const places = readIndex(source);
      if (places === 'other code') cache.changed = true;
      else cache.stored = places;
    } catch (err) {
      cache.changed = true;
      cache.discarded.push(`the whole file (${(err as Error).message})`);
    } finally {
      source.close();
    }
    return cache;
  }

  /**
   * The key of a source file's parse under these settings. A key is the parts themselves, joined,
   * not a hash of them — building one costs a string, and a lookup a Map's own hashing (which
   * `keys`, where a build remembers them, spares for an unchanged file). Recap's code is checked
   * once per cache file instead (`code`).
   */
  static parseKey(source: SourceFile, config: SiteConfig, keys?: StableKeys): string {
    return stableKey(keys, source, ['parse', source.path, source.digest, config.timezone, config.permalink, source.kind, (source.folderCategories ?? []).join('/'), defaultsKey(config.defaults, source.path, defaultsType(source)),
      source.collection ?? '', source.documentPath ?? '', collectionPermalink(source.collection ?? 'posts', config.jekyll?.collections, config.permalink),
      source.plain ? `plain:${source.plain.permalink ?? ''}` : '', source.inPagesFolder ? 'pages-folder' : '', config.jekyll?.plainMarkdown.titlesFromHeadings ? 'headings' : '',
      // A Jekyll site's posts are read by Jekyll's rules (its dates, keys of the wrong kind left out: see parsePost).
      config.jekyll ? 'jekyll-rules' : '']);
  }

  /**
   * The key of a post's resolved body under these settings, and what it names of the rest of the
   * site (other posts' URLs, includes, data), if anything. The site's title and address are in it
   * only where the body may show them: a Jekyll site's (its Liquid sees the whole site), or one
   * with Liquid in it (`{{ site.title }}`), so retitling a site does not make every body again.
   */
  static resolveKey(post: Post, config: SiteConfig, usesLiquid: boolean, othersKey: string, keys?: StableKeys): string {
    const shown = config.jekyll || usesLiquid ? `${config.url}\0${config.title}\0${config.description}` : '';
    return stableKey(keys, post, ['resolve', post.file, post.digest, config.baseurl, shown, config.raw_html, config.jekyll?.emoji ?? false, config.jekyll?.theme ?? '', config.jekyll?.siteDigest ?? '', config.timezone, othersKey, defaultsKey(config.defaults, post.file, defaultsType(post))]);
  }

  /** True when the cache may hold a key's result: get() reads and checks it (and finds nothing where it fails the checks). */
  has(key: string): boolean {
    return this.memo.has(key) || this.stored.has(key);
  }

  /** The cached parse of a post, marking it as still in use; an entry from the file that fails validation is discarded. */
  getParse(key: string): Cached<Post | null> | undefined {
    const hit = this.memo.get(key);
    if (hit) return hit as Cached<Post | null>;
    const read = this.read(key, 'parse');
    if (!read) return undefined;
    const cached = read.entry as Cached<Post | null>;
    if (read.html !== undefined || !(cached.value === null || isValidCachedPost(cached.value))) return this.discard(key, 'parse');
    this.keep(key, cached, read.place);
    return cached;
  }

  /**
   * The cached body of a post, marking it as still in use; an entry from the file that fails
   * validation is discarded, the rest when it is read, the HTML when it is asked for.
   */
  getBody(key: string): StoredBody | undefined {
    const hit = this.memo.get(key);
    if (hit) {
      const value = hit.value as ResolvedBody | BodyWithoutHtml;
      if ('html' in value) return { value, diagnostics: hit.diagnostics, html: () => value.html };
      // A body whose HTML this process did not ask for is made again (no caller asks twice: recap serve keeps whole bodies).
      this.memo.delete(key);
      this.unchanged.delete(key);
      return undefined;
    }
    const read = this.read(key, 'resolve');
    if (!read) return undefined;
    const cached = read.entry as Cached<BodyWithoutHtml>;
    const htmlBytes = read.html;
    if (htmlBytes === undefined || !isValidCachedBody(cached.value)) return this.discard(key, 'resolve');
    this.keep(key, cached, read.place);
    let html: string | undefined | null = null;
    return {
      value: cached.value,
      diagnostics: cached.diagnostics,
      html: () => {
        if (html !== null) return html;
        html = htmlBytes.toString('utf8');
        if (!isValidCachedHtml(html, cached.value, this.rawHtml)) return (html = this.discard(key, 'resolve'));
        this.memo.set(key, { value: { ...cached.value, html }, diagnostics: cached.diagnostics });
        return html;
      },
    };
  }

  /** An entry from the file: its JSON (checked only for its diagnostics) and a body's HTML bytes; undefined, and discarded, where it is gone, cut short or not JSON. */
  private read(key: string, kind: Kind): { entry: Cached<unknown>; html: Buffer | undefined; place: Place } | undefined {
    const place = this.stored.get(key);
    if (!place) return undefined;
    this.stored.delete(key);
    let entry: Cached<unknown> | undefined;
    let html: Buffer | undefined;
    try {
      const bytes = this.readPlace(place);
      // A segment missing, or cut short since it was opened, reads as less: that entry is discarded like a damaged one.
      if (bytes.length === place[2]) {
        const end = bytes.indexOf(10);
        entry = JSON.parse(bytes.toString('utf8', 0, end < 0 ? bytes.length : end)) as Cached<unknown>;
        html = end < 0 ? undefined : bytes.subarray(end + 1);
      }
    } catch {
      entry = undefined;
    }
    if (!entry || typeof entry !== 'object' || !Array.isArray(entry.diagnostics) || !entry.diagnostics.every(isValidDiagnostic)) return this.discard(key, kind);
    return { entry, html, place };
  }

  /** Marks an entry read from the file as used by this build, as it is in its segment. */
  private keep(key: string, cached: Held, place: Place): void {
    this.memo.set(key, cached);
    this.unchanged.set(key, place);
  }

  /** Forgets an entry that failed its checks, for the build's note; the build makes it again. */
  private discard(key: string, kind: Kind): undefined {
    this.memo.delete(key);
    this.unchanged.delete(key);
    this.changed = true;
    this.discarded.push(`a ${kind} entry`);
    return undefined;
  }

  /**
   * Stores a stage's fresh result: into the segment being written, where the build writes one (a
   * build asks for each key once), else in memory.
   */
  set<K extends Kind>(kind: K, key: string, value: Cached<Stages[K]>): void {
    this.changed = true;
    if (this.file && !this.readOnly) return this.write(key, entryBytes(kind, value));
    this.memo.set(key, value);
    this.unchanged.delete(key);
  }

  /** Appends an entry's JSON to the segment being written, which the first entry starts. */
  private write(key: string, bytes: Buffer): void {
    const spool = (this.spool ??= this.startSegment());
    spool.writer.append(bytes);
    spool.hash.update(bytes);
    spool.entries.push([key, spool.offset, bytes.length]);
    spool.offset += bytes.length;
  }

  /** Starts writing a segment, in a real folder inside the site (named once it is whole, after its bytes). */
  private startSegment(): Spool {
    realFolderInside(this.root, path.dirname(this.file!));
    return { writer: StateFileWriter.open(`${this.file!}.seg`), hash: createHash('sha1'), entries: [], offset: 0 };
  }

  /**
   * Forgets entries no build has used since the last save, and, if anything changed, puts the new
   * segment in place (the entries this build made, and those of segments mostly unused now, as the
   * very bytes they were), then the index naming it and the segments kept as they are, and removes
   * the segments no longer named.
   */
  async save(): Promise<void> {
    if (this.memo.settle() || this.stored.size > 0) this.changed = true;
    this.stored = new Map();
    if (!this.file || !this.changed || this.readOnly) return this.closeSegments();
    this.changed = false;
    const kept = [...this.memo.entries()].flatMap(([name]) => {
      const place = this.unchanged.get(name);
      return place ? [[name, place] as const] : [];
    });
    this.unchanged.clear();
    const staying = this.segmentsKept(kept);
    this.copyIntoSpool(kept.filter(([, [segment]]) => !staying.has(segment)));
    this.closeSegments();
    const index: Index = { code: TOOLCHAIN, segments: [], entries: [] };
    const numbers = new Map<string, number>();
    const numberOf = (id: string): number => {
      let number = numbers.get(id);
      if (number === undefined) numbers.set(id, (number = index.segments.push(id) - 1));
      return number;
    };
    for (const [name, [segment, position, length]] of kept) if (staying.has(segment)) index.entries.push([name, numberOf(segment), position, length]);
    const spool = this.spool;
    this.spool = undefined;
    if (spool && spool.entries.length > 0) {
      const id = spool.hash.digest('hex').slice(0, 16);
      await spool.writer.commit(segmentPath(this.file, id));
      const number = numberOf(id);
      for (const [name, offset, length] of spool.entries) index.entries.push([name, number, offset, length]);
    } else {
      spool?.writer.abandon();
    }
    // With no entry at all (every post gone), the index is still written: the old one's entries are not to be read again.
    realFolderInside(this.root, path.dirname(this.file));
    const writer = StateFileWriter.open(this.file);
    writer.append(Buffer.from(`${MAGIC}${JSON.stringify(index)}\n`));
    await writer.commit();
    this.removeSegmentsOtherThan(new Set(index.segments));
  }

  /**
   * The segments the next index names as they are: those at least half of whose bytes are entries
   * still used, at most MAX_SEGMENTS - 1 of them (the largest), leaving room for the new one.
   */
  private segmentsKept(kept: ReadonlyArray<readonly [string, Place]>): Set<string> {
    const used = new Map<string, number>();
    for (const [, [segment, , length]] of kept) used.set(segment, (used.get(segment) ?? 0) + length);
    const worthKeeping = [...used].filter(([segment, bytes]) => bytes * 2 >= (this.segments.get(segment)?.size ?? Infinity));
    worthKeeping.sort((a, b) => b[1] - a[1]);
    return new Set(worthKeeping.slice(0, MAX_SEGMENTS - 1).map(([segment]) => segment));
  }

  /**
   * Copies entries still used into the segment being written, as the very bytes they were: entries
   * that lie next to each other in their segment (most do) are read together.
   */
  private copyIntoSpool(entries: ReadonlyArray<readonly [string, Place]>): void {
    for (let first = 0; first < entries.length; ) {
      let end = first + 1;
      const [segment, position] = entries[first]![1];
      let length = entries[first]![1][2];
      while (end < entries.length && entries[end]![1][0] === segment && entries[end]![1][1] === position + length && length + entries[end]![1][2] <= COPY_RUN_BYTES) length += entries[end++]![1][2];
      const run = this.readRun(segment, position, length);
      // The run's whole entries (what a segment cut short since it was opened lacks is made again next time).
      let whole = 0;
      for (let n = first; n < end && whole + entries[n]![1][2] <= run.length; n++) {
        this.write(entries[n]![0], run.subarray(whole, whole + entries[n]![1][2]));
        whole += entries[n]![1][2];
      }
      first = end;
    }
  }

  /** Bytes of a segment to copy, up to its end; none where it cannot be read any more (its entries are made again next time, like damaged ones). */
  private readRun(segment: string, position: number, length: number): Buffer {
    try {
      const reader = this.segment(segment);
      return reader.read(position, Math.max(0, Math.min(length, reader.size - position)));
    } catch {
      return Buffer.alloc(0);
    }
  }

  /** A segment, opened on the first entry read from it; throws when there is none to trust (missing, a link, not a file). */
  private segment(id: string): RegularFileReader {
    let reader = this.segments.get(id);
    if (reader === undefined) this.segments.set(id, (reader = RegularFileReader.open(segmentPath(this.file!, id)) ?? null));
    if (!reader) throw new Error(`no segment ${id}`);
    return reader;
  }

  /**
   * An entry's bytes, from the part of its segment read last; else read alone, or, when it is the
   * entry right after the last one read (a build reading in order), with the next ones. Only
   * reading in order reads ahead, so an index in another order never reads more than its entries.
   */
  private readPlace([segment, position, length]: Place): Buffer {
    const window = this.window;
    if (window && window.segment === segment && position >= window.position && position + length <= window.position + window.bytes.length) {
      this.nextInOrder = { segment, position: position + length };
      return window.bytes.subarray(position - window.position, position - window.position + length);
    }
    const reader = this.segment(segment);
    // The index is as untrusted as the segments: a place past a segment's end (as it was opened) is not read at all.
    if (position + length > reader.size) throw new Error('an entry past the end of its segment');
    const inOrder = this.nextInOrder?.segment === segment && this.nextInOrder.position === position;
    const bytes = reader.read(position, inOrder ? Math.max(length, READ_WINDOW_BYTES) : length);
    this.window = inOrder ? { segment, position, bytes } : undefined;
    this.nextInOrder = { segment, position: position + length };
    return bytes.subarray(0, length);
  }

  /** Removes the segments beside the index that it does not name (left by earlier builds, or by one that stopped). */
  private removeSegmentsOtherThan(named: ReadonlySet<string>): void {
    const folder = path.dirname(this.file!);
    for (const name of readdirSync(folder)) {
      const id = segmentIdOf(name, this.file!);
      if (id !== undefined && !named.has(id)) rmSync(path.join(folder, name), { recursive: true, force: true });
    }
  }

  /** Closes the segments: nothing more is read from them. */
  private closeSegments(): void {
    for (const reader of this.segments.values()) reader?.close();
    this.segments = new Map();
    this.window = undefined;
    this.nextInOrder = undefined;
  }

  /** Forgets every entry held in memory, for a one-off build done with the cache (it has saved, or writes nothing); a file not saved is left as it was. */
  release(): void {
    this.spool?.writer.abandon();
    this.spool = undefined;
    this.closeSegments();
    this.memo = new Memo();
    this.stored = new Map();
    this.unchanged.clear();
  }
}
