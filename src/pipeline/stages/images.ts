import { hash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { realFolderInside, replaceFile } from '../../output/real-folders.js';
import { readStateFile, writeStateFile } from '../../output/state-file.js';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import { underMediaSubpath } from '../../content/media-subpath.js';
import { ENCODER_FINGERPRINT, ImageError, checkDecodes, decodeImage, encodeVariant, readImageInfo, renderCard, resizeImage, setThreadsPerImage, type DecodedImage, type ImageInfo, type VariantFormat, type VariantSpec } from '../../images/encode.js';
import type { StaticFile } from './load.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import { MAX_CARD_TITLE } from '../../policy/limits.js';
import { photoEncoding } from '../cores.js';

/** Image settings from the site configuration. */
export interface ImageSettings extends SiteAddress {
  /** Widths of the responsive variants, in pixels; none wider than the source. */
  widths: number[];
  /** Folder of encoded images, kept between builds (inside the site folder). */
  cacheDir: string;
  siteDir: string;
  /**
   * A photo that cannot be read (not an image, corrupt, too large) is copied as it is, with a
   * warning, instead of being an error: a Jekyll site's, as Jekyll copies every file.
   */
  copyUnreadable?: boolean;
}

/** One encoded file: where it is published, its size, and how to make it. */
export interface Variant {
  url: string;
  width: number;
  height: number;
  format: VariantFormat;
  /** Cache key: source bytes, spec and encoder settings. */
  key: string;
}

/** A photo from images/ with every variant the build publishes for it. */
export interface PlannedImage {
  /** The original's URL path, e.g. `/images/photo.jpeg` (republished without metadata). */
  url: string;
  source: string;
  info: ImageInfo;
  /** Responsive variants, by format then width. */
  variants: Variant[];
  /** The 1200×630 crop for social cards. */
  social: Variant;
}

/** One encode to do (or to find in the cache). */
interface EncodeJob {
  variant: Variant;
  spec: VariantSpec;
  /** Absolute path of the source file; undefined for generated cards. */
  sourcePath: string | undefined;
  source: string;
  /** A generated card's titles. */
  card?: { site: string; title: string };
}

const RASTER = /\.(jpe?g|png|webp|avif|tiff?|heic|heif)$/i;

/** True for a file of a kind the image stage makes responsive (JPEG, PNG, WebP, AVIF, TIFF, HEIC), by its name. */
export function isRasterPhoto(url: string): boolean {
  return RASTER.test(url);
}
const MAX_FILE_BYTES = 50 * 1024 * 1024;
const SOCIAL = { width: 1200, height: 630 } as const;
const MIME: Record<VariantFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };

function keyOf(parts: string[]): string {
  return hash('sha1', `${ENCODER_FINGERPRINT}\n${parts.join('\n')}`, 'hex').slice(0, 20);
}

/**
 * Variants live under /assets/ with the other content-hashed files, so one header rule can let
 * hosts cache them forever: `/images/photo.jpeg` -> `/assets/images/photo-960.1a2b3c4d5e.avif`;
 * a photo elsewhere (a Jekyll site's, whose own files may be under /assets/ too) has them in a
 * folder of Recap's own: `/assets/img/x.png` -> `/assets/recap/assets/img/x-960.1a2b3c4d5e.avif`.
 */
function variantUrl(original: string, suffix: string, key: string, format: VariantFormat): string {
  const ext = format === 'jpeg' ? 'jpg' : format;
  return `${original.startsWith('/images/') ? '/assets' : '/assets/recap'}${original.replace(/\.[^./]+$/, '')}-${suffix}.${key.slice(0, 10)}.${ext}`;
}

/** What a photo's bytes said when they were last read, valid while its size and modification time stay. */
interface SourceRecord {
  size: number;
  mtimeMs: number;
  digest: string;
  info: ImageInfo;
}

const SOURCES_INDEX = 'sources.json';
/** The record of the files Recap wrote in the image cache: the only ones it ever deletes. */
const WRITTEN_RECORD = 'written.json';
/** The name of every file Recap writes in the image cache. */
const CACHE_ENTRY = /^[0-9a-f]{20}\.(avif|webp|jpeg|png)$/;

/** A sources-index record read from the cache, if it has the shape Recap writes (the cache is untrusted input). */
function validRecord(value: unknown): value is SourceRecord {
  const record = value as Partial<SourceRecord> | null;
  const info = record?.info as Partial<ImageInfo> | undefined;
  const dimension = (n: unknown) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 100_000;
  return typeof record?.size === 'number' && typeof record.mtimeMs === 'number' && typeof record.digest === 'string' && /^[0-9a-f]{40}$/.test(record.digest)
    && dimension(info?.width) && dimension(info?.height) && typeof info?.format === 'string' && typeof info.hasAlpha === 'boolean' && typeof info.animated === 'boolean';
}

/** Reads a JSON file of the cache, or undefined when it is missing or unreadable. */
function readCacheJson(file: string): { text: string; value: unknown } | undefined {
  try {
    const text = readStateFile(file);
    return text === undefined ? undefined : { text, value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** What templates look photos up in: the URL path of a photo reference, and a photo's plan by its URL path (an ImagePlan, or a worker's PlannedPhotos). */
export type PhotoCatalog = Pick<ImagePlan, 'localPath' | 'get'>;

/** Where a site is published: its origin (`url`, '' when not set) and the path below it (`baseurl`). */
export interface SiteAddress {
  url: string;
  baseurl: string;
}

/**
 * The URL path of a local photo reference from a post (`/images/x.jpeg`, `{{ site.baseurl }}/images/x.jpeg`,
 * `../images/x.jpeg`, `images/my%20photo.jpeg`, `{{ site.url }}{{ site.baseurl }}/assets/x.jpg`) on a
 * site published at `site`, or undefined for remote and non-image links.
 */
export function localPhotoPath(src: string, site: SiteAddress): string | undefined {
  let ref = src.trim();
  // The site's own address, as Jekyll posts write it ({{ site.url }}{{ site.baseurl }}/...), is a path of the site.
  if (site.url && ref.startsWith(`${site.url}/`)) ref = ref.slice(site.url.length);
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(ref)) return undefined;
  ref = ref.replace(/[?#].*$/, '');
  try {
    ref = decodeURI(ref);
  } catch {
    // keep it as written
  }
  if (site.baseurl && ref.startsWith(`${site.baseurl}/`)) ref = ref.slice(site.baseurl.length);
  // A photo elsewhere in the site (a Jekyll site's /assets/img/x.jpg), named from the site's root.
  if (ref.startsWith('/') && !ref.startsWith('/images/')) return RASTER.test(ref) ? ref : undefined;
  ref = ref.replace(/^(\.\.\/)+/, '/').replace(/^\.?\/?(?=images\/)/, '/');
  return ref.startsWith('/images/') ? ref : undefined;
}

/** A photo's extension in a post's text, ending a name: where a name of a photo may end. */
const PHOTO_EXTENSION = /\.(?:jpe?g|png|webp|avif|tiff?|heic|heif)(?![\w.])/gi;

/** The longest name of a photo read from a text: a longer run of characters names none. */
const MAX_PHOTO_NAME = 2048;

/** Characters that cannot be in a photo's path as a post writes it (so a name starts after the last of them). */
const NOT_IN_PATH = new Set([...' \t\r\n"\'()<>[]{}|,`*']);

/**
 * The URL paths of the photos outside images/ that these texts (posts' and pages' sources) name
 * from the site's root, as Markdown, HTML, Liquid (`{{ site.baseurl }}/assets/x.jpg`) or front
 * matter: the ones made responsive where they are named (see ImagePlan.create). Each extension
 * is found first and its name read back from it, so a text costs one pass (a pattern for the
 * whole name tried at every character was ~0.1 ms a post).
 */
export function photosNamedIn(texts: Iterable<string | { text: string; mediaSubpath: string | undefined }>, site: SiteAddress): Set<string> {
  const named = new Set<string>();
  for (const each of texts) {
    // A text of a post with a media folder (Chirpy's media_subpath) names its relative photos in that folder.
    const { text, mediaSubpath } = typeof each === 'string' ? { text: each, mediaSubpath: undefined } : each;
    // Where the last name began and ended: a name is read back only to there, so a text costs one pass however its names run together.
    let lastStart = 0;
    let lastEnd = 0;
    for (const match of text.matchAll(PHOTO_EXTENSION)) {
      let start = match.index;
      while (start > lastEnd && !NOT_IN_PATH.has(text[start - 1]!)) start--;
      if (start === lastEnd && start > 0 && !NOT_IN_PATH.has(text[start - 1]!)) start = lastStart;
      lastStart = start;
      lastEnd = match.index + match[0].length;
      if (lastEnd - start > MAX_PHOTO_NAME) continue;
      const name = underMediaSubpath(text.slice(start, lastEnd), mediaSubpath);
      // A name from the site's folder without its slash (al-folio's {% include figure.liquid path="assets/img/x.jpg" %}, which relative_url makes /assets/img/x.jpg) may be one too: a name that is no file of the site costs nothing.
      const local = localPhotoPath(name, site) ?? (name.startsWith('/') ? undefined : localPhotoPath(`/${name.replace(/^\.\//, '')}`, site));
      if (local !== undefined && !local.startsWith('/images/')) named.add(local);
    }
  }
  return named;
}

/** A photo catalog made from an ImagePlan's (catalog()), for a worker thread that renders pages as the main thread does. */
export class PlannedPhotos implements PhotoCatalog {
  private readonly byUrl: ReadonlyMap<string, PlannedImage>;

  constructor(images: readonly PlannedImage[], private readonly site: SiteAddress) {
    this.byUrl = new Map(images.map((image) => [image.url, image]));
  }

  localPath(src: string): string | undefined {
    return localPhotoPath(src, this.site);
  }

  get(url: string): PlannedImage | undefined {
    return this.byUrl.get(url);
  }
}

/** The image-stage plan: the catalog for templates, the files to publish, and the encodes they need. */
export class ImagePlan {
  private readonly images = new Map<string, PlannedImage>();
  private readonly jobs: EncodeJob[] = [];
  private readonly cards = new Map<string, Variant>();
  private readonly sources: Record<string, SourceRecord> = {};
  private readonly localPaths = new Map<string, string | undefined>();
  /** Photos outside images/ made responsive where posts name them, whose own files are copied as they are. */
  private readonly copiedAsTheyAre = new Set<string>();
  /** The URL of every file of the site the plan was made from. */
  private readonly siteFiles = new Set<string>();
  /** The sources index as read, to leave the file alone when nothing changed. */
  private indexText = '';

  /** How many photos are encoded at once, each on how many threads: set by the machine's cores. */
  private readonly encoding = photoEncoding();
  /** No more encodes will be planned (see seal): the encoders stop once the queue is empty. */
  private sealed = false;
  /** Encoders waiting for the next planned encode, or for the seal. */
  private waiting: Array<() => void> = [];

  private constructor(private readonly settings: ImageSettings) {}

  /**
   * Plans every raster photo in images/, and every other one of the site's files that `named`
   * holds (photos that posts name elsewhere, see photosNamedIn: their variants are made, their own
   * files copied as they are): its size and kind come from its header, or, for a photo whose size
   * and modification time did not change, from the last build (its bytes are not read).
   */
  static async create(statics: StaticFile[], settings: ImageSettings, diagnostics: Diagnostics, named: ReadonlySet<string> = new Set()): Promise<ImagePlan> {
    const plan = new ImagePlan(settings);
    for (const file of statics) plan.siteFiles.add(file.url);
    const known = new Map<string, SourceRecord>();
    // First build, or an unreadable index: every photo is read. Records of another shape are ignored.
    const index = readCacheJson(path.join(settings.cacheDir, SOURCES_INDEX));
    if (index && index.value !== null && typeof index.value === 'object') {
      plan.indexText = index.text;
      for (const [file, record] of Object.entries(index.value)) if (validRecord(record)) known.set(file, record);
    }
    await Promise.all(statics.filter((f) => RASTER.test(f.url) && (f.url.startsWith('/images/') || named.has(f.url)))
      .map((f) => plan.add(f, known.get(f.path), diagnostics, !f.url.startsWith('/images/'))));
    return plan;
  }

  /**
   * A photo's record: its header read, and, for one `elsewhere` than images/, its pixels too (once,
   * while its size and modification time stay), since its own file is copied whatever happens and
   * its variants must not fail to encode after pages name them.
   */
  private async read(file: StaticFile, previous: SourceRecord | undefined, diagnostics: Diagnostics, elsewhere: boolean): Promise<SourceRecord | undefined> {
    const { size, mtimeMs } = await stat(file.absPath);
    if (previous && previous.size === size && previous.mtimeMs === mtimeMs) return previous;
    const report = (code: 'R401' | 'R402', message: string, hint: string): undefined => {
      diagnostics.problem(elsewhere || (this.settings.copyUnreadable ?? false), code, file.path, undefined, undefined, message, elsewhere ? 'copied as it is, and shown as it is' : 'copied as it is, as Jekyll copies it', hint);
      return undefined;
    };
    if (size > MAX_FILE_BYTES) return report('R401', `image is ${(size / 1048576).toFixed(0)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit`, 'export a smaller copy of the photo');
    const bytes = await readFile(file.absPath);
    try {
      const info = await readImageInfo(bytes);
      if (elsewhere) await checkDecodes(bytes);
      return { size, mtimeMs, digest: hash('sha1', bytes, 'hex'), info };
    } catch (err) {
      if (!(err instanceof ImageError)) throw err;
      return report('R402', `cannot read image: ${err.message}`, 'replace it with a JPEG, PNG, WebP or AVIF file');
    }
  }

  private async add(file: StaticFile, previous: SourceRecord | undefined, diagnostics: Diagnostics, elsewhere: boolean): Promise<void> {
    const record = await this.read(file, previous, diagnostics, elsewhere);
    if (!record) return;
    this.sources[file.path] = record;
    const { digest, info } = record;
    const fallback: VariantFormat = info.hasAlpha ? 'png' : 'jpeg';
    const widths = [...new Set(this.settings.widths.map((w) => Math.min(w, info.width)))].sort((a, b) => a - b);
    const variants: Variant[] = [];
    const queue = (spec: VariantSpec, url: (key: string) => string): Variant => {
      // libaom's bytes depend on its threads: an AVIF made with more than one has them in its key.
      const threads = spec.format === 'avif' && this.encoding.threadsPerImage > 1 ? [`threads ${this.encoding.threadsPerImage}`] : [];
      const key = keyOf([digest, JSON.stringify(spec), ...threads]);
      const height = spec.cropHeight ?? Math.round((info.height * spec.width) / info.width);
      const variant = { url: url(key), width: spec.width, height, format: spec.format, key };
      this.plan({ variant, spec, sourcePath: file.absPath, source: file.path });
      return variant;
    };
    for (const format of ['avif', 'webp'] as const) {
      for (const width of widths) variants.push(queue({ width, format }, (key) => variantUrl(file.url, String(width), key, format)));
    }
    // Every current browser reads AVIF or WebP: the JPEG (PNG) fallback is for the rest, and for
    // readers that take only <img src> (feed readers, mail), so it comes in one size, the largest.
    const largest = widths[widths.length - 1]!;
    const widest = queue({ width: largest, format: fallback }, (key) => variantUrl(file.url, String(largest), key, fallback));
    variants.push(widest);
    // The original's own URL keeps working (old links, feeds), as that fallback without metadata;
    // one outside images/ (a Jekyll site's) is copied as it is, as Jekyll copies it.
    if (elsewhere) this.copiedAsTheyAre.add(file.url);
    else queue({ width: largest, format: fallback }, () => file.url);
    const social = queue({ width: SOCIAL.width, cropHeight: SOCIAL.height, format: 'jpeg', ...socialSource(info, widest) }, (key) => variantUrl(file.url, 'social', key, 'jpeg'));
    this.images.set(file.url, { url: file.url, source: file.path, info, variants, social });
  }

  /** True when the build copies the site's file at this path as it is (not a photo it made responsive, or one it could not read). */
  copiesAsItIs(url: string): boolean {
    return this.siteFiles.has(url) && !this.has(url);
  }

  /** A photo's plan by its URL path. */
  get(url: string): PlannedImage | undefined {
    return this.images.get(url);
  }

  /** Every photo's plan: the catalog a worker thread renders pages with (see PlannedPhotos). */
  catalog(): PlannedImage[] {
    return [...this.images.values()];
  }

  /** True when the build publishes this path as a processed photo (not to be copied as it is). */
  has(url: string): boolean {
    return this.images.has(url) && !this.copiedAsTheyAre.has(url);
  }

  /** A generated social card for a post without a photo. */
  card(siteTitle: string, postTitle: string, source: string): Variant {
    // A card draws a line or three: a title of any length costs the same to render.
    siteTitle = shortened(siteTitle, MAX_CARD_TITLE);
    postTitle = shortened(postTitle, MAX_CARD_TITLE);
    const key = keyOf(['card', siteTitle, postTitle]);
    let variant = this.cards.get(key);
    if (!variant) {
      variant = { url: `/assets/social/${key.slice(0, 16)}.jpg`, width: SOCIAL.width, height: SOCIAL.height, format: 'jpeg', key };
      this.cards.set(key, variant);
      this.plan({ variant, spec: { width: SOCIAL.width, cropHeight: SOCIAL.height, format: 'jpeg' }, sourcePath: undefined, source, card: { site: siteTitle, title: postTitle } });
    }
    return variant;
  }

  /** Plans an encode, waking the encoders if they wait for one. */
  private plan(job: EncodeJob): void {
    this.jobs.push(job);
    this.wake();
  }

  /** Says that every encode is planned (the posts stage has planned its cards): the encoders finish those queued and stop. */
  seal(): void {
    this.sealed = true;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }

  /** The URL path of a local photo reference from a post on this site (see localPhotoPath), or undefined for remote and non-image links. */
  localPath(src: string): string | undefined {
    // Asked for the same few photos thousands of times (cards, heroes, bodies): remember the answers.
    if (this.localPaths.has(src)) return this.localPaths.get(src);
    const local = localPhotoPath(src, this.settings);
    this.localPaths.set(src, local);
    return local;
  }

  /** Warns about a reference to a photo that does not exist, with a "did you mean" for near misses. */
  checkReference(src: string, file: string, where: () => { line?: number; column?: number }, known: ReadonlySet<string>, diagnostics: Diagnostics): void {
    const url = this.localPath(src);
    if (url === undefined || known.has(url)) return;
    const { line, column } = where();
    const candidates = [...known];
    const lower = url.toLowerCase();
    const swapped = lower.replace(/\.jpeg$/, '.jpg') === lower ? lower.replace(/\.jpg$/, '.jpeg') : lower.replace(/\.jpeg$/, '.jpg');
    const near = candidates.find((c) => c.toLowerCase() === lower || c.toLowerCase() === swapped) ?? didYouMean(url, candidates);
    const hint = near ? `did you mean ${near}?` : url.startsWith('/images/') ? 'put the photo in images/ and link it as /images/NAME' : `no file of the site is at ${url}: check its folder and name`;
    diagnostics.warning('R403', file, line, column, `image ${src} does not exist`, hint);
  }

  /** Every file the plan publishes (without encoding anything), for checks that only need the addresses. */
  files(): Array<{ url: string; source: string }> {
    const seen = new Map<string, string>();
    for (const job of this.jobs) seen.set(job.variant.url, job.source);
    return [...seen].map(([url, source]) => ({ url, source }));
  }

  /**
   * Encodes what the cache does not hold, a few at a time (sharp's work runs off the main thread,
   * so the build goes on meanwhile), as the encodes are planned: started once the photos are
   * planned, it takes each card the posts stage plans after, and ends once the plan is sealed and
   * the queue empty. With `prune`, it then deletes the cache files it wrote that this build did
   * not use — only those, by its record: never a file it did not make. Cache files are used only
   * when they are plain files Recap recorded (a link planted there is never copied).
   */
  async encode(diagnostics: Diagnostics, options: { prune: boolean; onProgress?: (done: number, total: number) => void }): Promise<{ files: Array<{ url: string; path: string; source: string }>; encoded: number; cached: number }> {
    const { onProgress } = options;
    const cacheDir = this.settings.cacheDir;
    // The small bookkeeping is synchronous: in recap serve, the watcher's thread-pool work would make it wait.
    realFolderInside(this.settings.siteDir, cacheDir);
    const index = JSON.stringify(this.sources);
    if (index !== this.indexText) replaceFile(path.join(cacheDir, SOURCES_INDEX), index);
    const recorded = readCacheJson(path.join(cacheDir, WRITTEN_RECORD))?.value;
    const written = new Set(Array.isArray(recorded) ? recorded.filter((name): name is string => typeof name === 'string' && CACHE_ENTRY.test(name)) : []);
    const recordBefore = JSON.stringify([...written].sort());
    const present = new Set(readdirSync(cacheDir, { withFileTypes: true }).filter((e) => e.isFile() && written.has(e.name)).map((e) => e.name));
    const nameOf = (job: EncodeJob) => `${job.variant.key}.${job.variant.format}`;
    const missing: EncodeJob[] = [];
    const queued = new Set<string>();
    const sources = new Map<string, PhotoPixels>();
    const remaining = new Map<string, number>();
    // The jobs planned since the last look: those the cache lacks join the queue.
    let seen = 0;
    const look = (): void => {
      for (; seen < this.jobs.length; seen++) {
        const job = this.jobs[seen]!;
        const name = nameOf(job);
        // The original's URL and the widest fallback variant are the same bytes: encode them once.
        if (!present.has(name) && !queued.has(name)) {
          missing.push(job);
          if (job.sourcePath) remaining.set(job.sourcePath, (remaining.get(job.sourcePath) ?? 0) + 1);
        }
        queued.add(name);
      }
    };
    const failed = new Set<string>();
    let done = 0;
    let next = 0;
    // sharp is loaded, and its threads set, for the first encode: a build whose photos are all cached never loads it.
    let threadsSet: Promise<void> | undefined;
    const nextJob = async (): Promise<EncodeJob | undefined> => {
      for (;;) {
        look();
        if (next < missing.length) return missing[next++];
        if (this.sealed) return undefined;
        await new Promise<void>((resume) => this.waiting.push(resume));
      }
    };
    const worker = async (): Promise<void> => {
      for (let job = await nextJob(); job; job = await nextJob()) {
        if (failed.has(job.source)) continue;
        await (threadsSet ??= setThreadsPerImage(this.encoding.threadsPerImage));
        try {
          const bytes = job.card
            ? await renderCard(job.card.site, job.card.title, SOCIAL.width, SOCIAL.height)
            : await encodeVariant(await pixelsOnce(sources, job.sourcePath!, job.spec.cropHeight ? job.spec.cropFrom : job.spec.width), job.spec);
          const name = nameOf(job);
          await writeStateFile(path.join(cacheDir, name), bytes);
          written.add(name);
        } catch (err) {
          if (!(err instanceof ImageError)) throw err;
          // Variants of one photo share its decode: report its failure once.
          if (!failed.has(job.source)) diagnostics.error('R402', job.source, undefined, undefined, `cannot encode image: ${err.message}`, 'the file may be truncated or corrupt: export it again');
          failed.add(job.source);
        }
        // A photo's bytes are dropped once its last variant is done, so memory holds a few photos, not all.
        if (job.sourcePath && (remaining.set(job.sourcePath, remaining.get(job.sourcePath)! - 1).get(job.sourcePath) === 0)) sources.delete(job.sourcePath);
        onProgress?.(++done, missing.length);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.encoding.images }, worker));
    } finally {
      if (options.prune) {
        const used = new Set(this.jobs.map(nameOf));
        const unused = [...written].filter((name) => !used.has(name));
        await Promise.all(unused.map((name) => rm(path.join(cacheDir, name), { recursive: true, force: true })));
        for (const name of unused) written.delete(name);
      }
      const record = JSON.stringify([...written].sort());
      if (record !== recordBefore || !Array.isArray(recorded)) replaceFile(path.join(cacheDir, WRITTEN_RECORD), record);
    }
    const files = this.jobs.filter((job) => !failed.has(job.source)).map((job) => ({ url: job.variant.url, path: path.join(cacheDir, nameOf(job)), source: job.source }));
    return { files, encoded: missing.length, cached: queued.size - missing.length };
  }
}

function shortened(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * Where a photo's social crop is cut from: its largest responsive width's pixels, made anyway, when
 * they cover the crop without enlarging it — scaling a 12-megapixel photo down to the crop cost
 * more than the rest of the crop (45 against 24 ms, README, Images) — else the photo as decoded.
 */
function socialSource(info: ImageInfo, widest: Variant): { cropFrom?: number } {
  return widest.width < info.width && widest.width >= SOCIAL.width && widest.height >= SOCIAL.height ? { cropFrom: widest.width } : {};
}

/** A photo's pixels while its variants are encoded: decoded once, resized once per width. */
interface PhotoPixels {
  decoded: Promise<DecodedImage>;
  byWidth: Map<number, Promise<DecodedImage>>;
}

/** A photo's pixels, decoded on first use, at a width (resized on first use) or as decoded. */
function pixelsOnce(cache: Map<string, PhotoPixels>, file: string, width: number | undefined): Promise<DecodedImage> {
  let photo = cache.get(file);
  if (!photo) cache.set(file, (photo = { decoded: readFile(file).then(decodeImage), byWidth: new Map() }));
  if (width === undefined) return photo.decoded;
  let resized = photo.byWidth.get(width);
  if (!resized) photo.byWidth.set(width, (resized = photo.decoded.then((decoded) => resizeImage(decoded, width))));
  return resized;
}

/** The data a `<picture>` needs: a source per modern format and the fallback `<img>`. */
export interface PictureData {
  sources: Array<{ type: string; srcset: string }>;
  src: string;
  srcset: string;
  width: number;
  height: number;
}

/** Picture data of a planned photo, URLs already turned into hrefs. */
export function pictureData(image: PlannedImage, href: (url: string) => string): PictureData {
  const byFormat = new Map<VariantFormat, Variant[]>();
  for (const v of image.variants) byFormat.set(v.format, [...(byFormat.get(v.format) ?? []), v]);
  const srcset = (list: Variant[]) => list.map((v) => `${href(v.url)} ${v.width}w`).join(', ');
  const fallback = byFormat.get(image.info.hasAlpha ? 'png' : 'jpeg')!;
  const largest = fallback[fallback.length - 1]!;
  return {
    sources: (['avif', 'webp'] as const).map((format) => ({ type: MIME[format], srcset: srcset(byFormat.get(format)!) })),
    src: href(largest.url),
    srcset: srcset(fallback),
    width: largest.width,
    height: largest.height,
  };
}
