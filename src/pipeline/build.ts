import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generatedAsset, loadThemeAssets, type ThemeAsset } from './stages/assets.js';
import { DEFAULT_ACCENT, faviconSvg, themeStylesheet } from '../images/favicon.js';
import { collectPages, LIST_PAGE_OF_LAYOUT, sitemapPages, yieldsToSitePage, type CollectContext, type CollectedPage, type Redirecting } from './stages/collect.js';
import { loadConfig, paginatorFolder, type SiteConfig } from '../content/config.js';
import type { TemplatedSite } from './stages/templated-files.js';
import { isoDay, SiteClock } from '../content/dates.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { digestOf, loadPostFile, loadSite, readKnownSource, alreadyRead, type ReadSource, type SiteSources, type SourceDigests, type SourceFile } from './stages/load.js';
import { Manifest, type OutputBody, type OutputFile } from '../output/manifest.js';
import { claimableByJekyllPage, outputPathOf, contentOutputExtension, JEKYLL_CLAIMABLE_FILES, pageOutputPathOf } from '../policy/output-policy.js';
import { jekyllFeeds } from '../content/jekyll-feed.js';
import { contentFingerprint } from '../output/write.js';
import type { PageStore, ReusedPages } from '../incremental/page-store.js';
import { frontMatterLine, isHomeIntroduction, isMeetupDocument, mayBeMeetupDocument, namesInBody, type Post, type ResolvedBody, type ResolvedPost } from '../content/post.js';
import { firstPageUrl, paginationOf, type PaginatedList } from '../content/jekyll-paginate-v2.js';
import { overwrittenAsInJekyll } from '../content/jekyll-conflicts.js';
import { layoutTextOf, readSiteLayouts, withoutTitleHeading } from '../content/jekyll-layouts.js';
import { AS_WRITTEN } from '../content/schema.js';
import { lineOfYamlKey } from '../content/yaml.js';
import type { SiteDate } from '../content/dates.js';
import { layoutTemplate, listViewOf, renderPost, ViewMemo, type Neighbours, type RenderedPost } from './stages/render.js';
import { createRenderer, type TemplateHelpers, type TemplateRenderer } from '../views/renderer.js';
import type { ResolveContext } from './stages/resolve.js';
import { PostCache, type Cached, type StoredBody } from '../incremental/post-cache.js';
import { PostWorkers, workersForMisses, workersRenderPages, type MadeBody } from './workers/post-workers.js';
import type { PageRequest, ThemeSettings, WorkerPage } from './workers/worker-pages.js';
import { pause } from './pause.js';
import { compareCodeUnits } from '../content/text.js';
import { ImagePlan, isRasterPhoto, photosNamedIn } from './stages/images.js';
import { mediaSubpathOf } from '../content/media-subpath.js';
import { Stylesheets } from './stages/stylesheets.js';
import { StylesheetStore } from '../incremental/stylesheet-store.js';
import { stableKey } from '../incremental/stable-keys.js';
import { findThemeGem } from '../content/theme-gem.js';
import { checkImages, socialImageOf } from '../images/references.js';
import type { BuildMemory } from '../incremental/build-memory.js';
import type { EarlyWrites } from '../output/early-writes.js';
import { embedHosts, headersFile, immutablePatterns } from '../output/headers.js';
import { createHelpers, siteNav, siteView, TagRefs, type NavItem, type PostView } from '../views/views.js';
import { readJekyllInputs, type JekyllInputs, readRelativeInclude, readsBuildTime, readsSiteLists, rubyTime, readsListedContent, relativeIncludeNames, relativeIncludePath, showsPaginator, siteListsOf } from '../content/jekyll-inputs.js';
import { jekyllMenu } from '../views/jekyll-menu.js';
import { excerptSourceOf, excerptsOf } from '../content/jekyll-excerpt.js';
import { createEventViews, eventChangesAt, type EventView } from '../content/events.js';
import { readSpeakers, SPEAKERS_FILE, type SpeakerDirectory } from '../content/speakers.js';
import { utf8Bytes } from '../output/utf8.js';

/** What to build and how. */
export interface BuildOptions {
  siteDir: string;
  baseUrl?: string;
  drafts?: boolean;
  future?: boolean;
  /** The present, for leaving out future posts (defaults to the clock). */
  now?: Date;
  /** What earlier builds in this process learned (recap serve): only what changed is redone. */
  memory?: BuildMemory;
  /** Keep parsed posts and resolved bodies in the site's cache folder between builds (recap build), or only read them from there ('read', recap check). */
  persistCache?: boolean | 'read';
  /** Called as images are encoded, for a progress bar. */
  onImageProgress?: (done: number, total: number) => void;
  /** False to plan photos without encoding them (recap check needs only their addresses). */
  encodeImages?: boolean;
  /** Keep every post's links once its page is made, for a check of the whole site after the build (recap check). */
  keepLinks?: boolean;
  /** One post file (absolute path) that the resolve stage resolves alone, for commands that look at one post (recap chapters). */
  only?: string;
  /** recap build's pages from the last build: unchanged post pages and list sections are the live output's files, not made again. */
  pages?: PageStore;
  /** recap build's digests of the post and page files the last build read, for files that kept their identity since: those are read only if their parse is to be made. */
  digests?: SourceDigests;
  /** recap build's pages written into the standby tree as they are rendered, while the build goes on. */
  writeAhead?: EarlyWrites;
  /** Worker threads for parsing and resolving posts the cache lacks (default: workerCount(), one per usable core beyond the first). */
  workers?: number;
  /** How many post bodies a one-off build must make (not find in the cache) to collect garbage after its settling stages (default 1000; tests lower it). */
  collectFrom?: number;
  /** How long, in ms, a Jekyll site's Liquid may run in all in one build (default 60 s; tests lower it). */
  liquidBudgetMs?: number;
}

/** What a build produced: the manifest, its diagnostics, counts and stage timings. */
export interface BuildResult {
  config: SiteConfig;
  manifest: Manifest;
  diagnostics: Diagnostics;
  posts: number;
  pages: number;
  timings: Array<{ stage: string; ms: number }>;
  /** The posts built, newest first. */
  postList: ResolvedPost[];
  /** Posts whose resolved body came from the cache. */
  cachedBodies: number;
  /** Image files encoded by this build, and found in the image cache. */
  images: { encoded: number; cached: number };
  /** Pages not made again: the live output's files, unchanged since the last build (recap build). */
  reusedPages: number;
  /** Worker threads that parsed and resolved posts (0: all on the main thread). */
  postWorkers: number;
  /** How many post pages the worker threads rendered (the rest, this thread). */
  workerPages: number;
  /** The earliest instant at which the clock alone changes what this build made (Infinity for never). */
  changesAt: number;
  /** The post cache file this build read and wrote, if it kept one. */
  cacheFile: string | undefined;
  /** The post and page files built from (site paths), with the digests of what they held. */
  sources: ReadonlyArray<{ path: string; digest: string }>;
}

/** Posts handled between two pauses of a long stage. */
const POSTS_PER_SLICE = 128;

/** True at the end of each slice of a long stage, where it pauses. */
function endOfSlice(index: number): boolean {
  return index % POSTS_PER_SLICE === POSTS_PER_SLICE - 1;
}

/** Newest first; on the same date, by file path, so the order never depends on the file system. */
function newestFirst(a: Post, b: Post): number {
  return b.date.epochMs - a.date.epochMs || compareCodeUnits(a.file, b.file);
}

/** Where a site keeps its parsed posts and resolved bodies between builds: in its `cache_dir`. */
function sitePostCachePath(siteDir: string, config: SiteConfig): string {
  return path.resolve(siteDir, config.cache_dir, 'recap', 'posts.json');
}

type Encoded = Awaited<ReturnType<ImagePlan['encode']>>;

/** What a source file's bytes are once a one-off build no longer needs them. */
const RELEASED_BYTES = Buffer.alloc(0);

/**
 * What the stages of one build share: its options and diagnostics, and what each stage has made,
 * filled in stage order (markdown-it's StateCore is the model). A stage reads only what the
 * stages before it wrote.
 */
export class BuildState {
  readonly siteDir: string;
  readonly diagnostics = new Diagnostics();
  readonly timings: BuildResult['timings'] = [];
  readonly manifest = new Manifest();
  /** The earliest instant at which the clock alone changes this build's output: a future post's date, an event's next change. */
  changesAt = Infinity;
  /** A Jekyll site's includes and data, read once a build by the first stage that needs them (see jekyllInputsOf). */
  jekyllInputs: Promise<JekyllInputs | undefined> | undefined;
  // load
  config!: SiteConfig;
  sources!: SiteSources;
  speakers!: SpeakerDirectory;
  clock!: SiteClock;
  now!: SiteDate;
  // parse
  cache!: PostCache;
  cacheFile: string | undefined;
  parsed: Post[] = [];
  /** A Jekyll site's posts another at their address takes the place of: not published, but `{% post_url %}` still finds them, as in Jekyll. */
  overwritten: Post[] = [];
  /** Worker threads making the posts the cache lacks, from parse until every post is resolved (when they pay). */
  workers: PostWorkers | undefined;
  /** How many workers this build started (0: none). */
  postWorkers = 0;
  /** How many post pages the workers rendered. */
  workerPages = 0;
  // images
  plan!: ImagePlan;
  /** The URLs of the site's static files, which posts may reference. */
  knownFiles = new Set<string>();
  /** The site's own files copied as they are, by output path: Recap's list page, sitemap or robots.txt there is left out. */
  ownFiles = new Map<string, string>();
  // theme
  assets: ThemeAsset[] = [];
  ownIcon: string | undefined;
  helpers!: TemplateHelpers;
  renderer!: TemplateRenderer;
  nav: NavItem[] = [];
  site!: Record<string, unknown>;
  siteKey = '';
  // posts (resolve, then each post's photos and page)
  resolved: ResolvedPost[] = [];
  /** What each resolved post was made from (its body's key, URL and date), for the keys of the pages showing it. */
  resolvedKeys = new Map<ResolvedPost, string>();
  cachedBodies = 0;
  socialImages = new Map<string, string>();
  rendered: RenderedPost[] = [];
  renderedPages: RenderedPost[] = [];
  /** The site's pages jekyll-paginate-v2 paginates: lists the collect stage makes, not pages of their own. */
  paginatedPages: Array<{ page: ResolvedPost; list: PaginatedList }> = [];
  /**
   * The site's own page at `/` (a Jekyll site's index.md), not a page of its own: its HTML is the
   * first home page's introduction, its `description:` (else `subtitle:`, else its first paragraph)
   * the home pages' description, and its `redirect_from` is kept by the collect stage's redirects.
   */
  homePage: ResolvedPost | undefined;
  /** Pages (and list pages, in collect) kept from the live output instead of made again. */
  reusedPages = 0;
  // encode
  encoding: Promise<Encoded> = Promise.resolve({ files: [], encoded: 0, cached: 0 });
  // collect
  /** The list pages collected (their addresses: the pages themselves are in the manifest). */
  collected: Array<Pick<CollectedPage, 'url' | 'source'>> = [];
  collectContext!: CollectContext;
  // assets
  encoded: Encoded = { files: [], encoded: 0, cached: 0 };

  constructor(readonly options: BuildOptions) {
    this.siteDir = path.resolve(options.siteDir);
  }

  /**
   * Lets go of what only resolve read — the posts' parse and the post cache's copies of it — once a
   * one-off build has resolved every post (recap serve keeps them for its next build; the posts'
   * bytes went after parse). The rest of the build then holds the resolved posts alone.
   */
  releaseParse(): void {
    this.parsed = [];
    this.cache.release();
  }

  /** A page's bytes, kept (recap serve) by the object that holds the page: while the render or list memo hands back that holder, its page is not encoded again. */
  toBytes(holder: object, html: string): Buffer {
    const memory = this.options.memory;
    let bytes = memory?.bytes.get(holder);
    if (!bytes) {
      bytes = utf8Bytes(html);
      memory?.bytes.set(holder, bytes);
    }
    return bytes;
  }
}

/** One step of the build, run in order and timed by the runner. */
export type Stage = (state: BuildState) => Promise<void> | void;

/** Load: settings, speakers, posts, drafts, pages and static files. */
async function load(state: BuildState): Promise<void> {
  const { options, siteDir, diagnostics } = state;
  const config = (state.config = await loadConfig(siteDir, { baseUrl: options.baseUrl }, diagnostics));
  state.clock = new SiteClock(config.timezone);
  state.now = state.clock.fromEpoch((options.now ?? new Date()).getTime());
  // A one-off build with no post cache to read parses every post: on a big site its worker threads
  // start as soon as the posts are listed, so their start-up (~0.35 s) passes while the posts are
  // read, not while they are parsed.
  const everyPostMisses = !options.memory && !options.only && !(options.persistCache && existsSync(sitePostCachePath(siteDir, config)));
  const onPostsListed = everyPostMisses ? (count: number) => void workersFor(state, count) : undefined;
  // A gem theme installed here adds its assets, as Jekyll adds them.
  const jekyll = config.jekyll && { ...config.jekyll, permalink: config.permalink, themeGem: config.jekyll.theme ? findThemeGem(config.jekyll.theme, siteDir) : undefined };
  state.sources = await loadSite(siteDir, { drafts: options.drafts || (config.jekyll?.showDrafts ?? false), memory: options.memory, digests: options.digests, jekyll, onPostsListed });
  // A command about one post may name a file the site would not build (a draft, or one outside it).
  if (options.only && !state.sources.posts.some((s) => s.absPath === options.only)) state.sources.posts.push(loadPostFile(siteDir, options.only));
  state.speakers = readSpeakers(siteDir, digestOf, diagnostics);
  diagnostics.addAll(state.sources.problems);
  for (const stray of state.sources.strays) {
    diagnostics.warning('R106', stray, undefined, undefined, 'skipped: not a post', 'posts are Markdown (.md, .markdown) or .html files; put photos in images/');
  }
}

/** One post's way through the resolve stage: from this process's memory, from the cache, or made (here or in a worker). */
interface ResolvePlan {
  post: Post;
  key: string;
  memoKey: string;
  known: Cached<ResolvedPost> | undefined;
  /** The cache holds an entry under the key, read (and checked) only when the post's turn comes, so its HTML is not held from the start. */
  cached: boolean;
  /** Its Liquid, or its links to other posts' Markdown files, need what only this thread has: it is made here. */
  madeHere: boolean;
  /** Asks for the entry a worker thread is making. */
  making?: () => Promise<MadeBody>;
}

/** Parse: front matter, dates, URLs; unpublished and future posts left out. */
async function parse(state: BuildState): Promise<void> {
  const { options, config, now, diagnostics, sources } = state;
  const memory = options.memory;
  state.cacheFile = options.persistCache ? sitePostCachePath(state.siteDir, config) : undefined;
  const cache = (state.cache = memory?.posts ?? (await PostCache.open(state.cacheFile, { readOnly: options.persistCache === 'read', rawHtml: config.raw_html, siteDir: state.siteDir })));
  // A draft without a date is dated now, which no key holds: drafts are parsed every time.
  const keyOf = (source: SourceFile) => (source.draft ? undefined : PostCache.parseKey(source, config, memory?.keys.parse));
  let keys = sources.posts.map(keyOf);
  let entries = keys.map((key) => (key ? cache.getParse(key) : undefined));
  // A file known by its digest alone (recap build's KnownDigests) is read only if its parse is to be
  // made. Read, its digest is what it holds: one the record got wrong finds the file's own parse.
  const unread = sources.posts.flatMap((source, index) => (entries[index] || source.bytes ? [] : [index]));
  for (const index of unread) {
    const source = sources.posts[index]!;
    const problem = readKnownSource(state.siteDir, source);
    if (problem) diagnostics.list.push(problem);
    else {
      const key = (keys[index] = keyOf(source));
      entries[index] = key === undefined ? undefined : cache.getParse(key);
    }
  }
  // One that could not be read (gone since the build began) is left out, as load leaves out what it cannot read.
  const lost = new Set(unread.filter((index) => sources.posts[index]!.bytes === undefined));
  if (lost.size > 0) {
    sources.posts = sources.posts.filter((_, index) => !lost.has(index));
    keys = keys.filter((_, index) => !lost.has(index));
    entries = entries.filter((_, index) => !lost.has(index));
  }
  const misses = entries.flatMap((entry, index) => (entry ? [] : [index]));
  const made = await parseMisses(state, misses.map((index) => alreadyRead(sources.posts[index]!)));
  misses.forEach((index, n) => {
    entries[index] = made[n];
    const key = keys[index];
    if (key) cache.set('parse', key, made[n]!);
  });
  for (const [index, source] of sources.posts.entries()) {
    if (endOfSlice(index)) await pause();
    const entry = entries[index]!;
    diagnostics.addAll(entry.diagnostics);
    const post = entry.value;
    if (!post) continue;
    const asked = options.only === source.absPath;
    if (post.data.published === false && !options.drafts && !config.jekyll?.unpublished && !asked) continue;
    // A post about a meetup is built whatever its date: before the meetup it is the announcement.
    if (post.kind === 'post' && post.date.epochMs > now.epochMs && !options.future && !config.jekyll?.future && !post.event && !asked) {
      state.changesAt = Math.min(state.changesAt, post.date.epochMs);
      continue;
    }
    state.parsed.push(post);
  }
  // Two files of a Jekyll site at one address build as in Jekyll: the one it writes last is published, with a warning.
  if (config.jekyll) {
    const overwritten = overwrittenAsInJekyll(state.parsed, config.jekyll.collections.map((collection) => collection.label));
    for (const { post, by } of overwritten) {
      diagnostics.warning('R213', post.file, undefined, undefined, `${post.url} is also the address of ${by.file}, which Jekyll writes last: that one is published, not this one`, 'give one of them another permalink or slug, or remove the one you do not want');
    }
    const gone = new Set(overwritten.map(({ post }) => post));
    if (gone.size > 0) state.parsed = state.parsed.filter((post) => !gone.has(post));
    state.overwritten = [...gone];
  }
  state.parsed.sort(newestFirst);
  // A one-off build has read the posts' files for good: their bytes go now, not after resolve.
  if (!memory) for (const source of sources.posts) source.bytes = RELEASED_BYTES;
}

/**
 * A Jekyll site's pages and posts whose own site layout makes what they show get its text
 * (Post.layoutText), rendered around their body: one with no text of its own, where the layout
 * shows anything of the site or the page (a `schedule.html` whose layout lists
 * `site.data.sessions`; a meetup whose layout lists its `talks:`), and one with text, where the
 * layout shows data its front matter holds (a meetup's `speakers:`, `host:` or `location: {name:
 * ...}` around its description) — a blog theme's post layout (comments, share buttons, its own
 * keys: see FRAME_FIELDS) is Recap's theme's to stand in for. Not the home page, nor a page whose layout is a list Recap makes
 * itself (LIST_PAGE_OF_LAYOUT), nor a redirect. Where pages with text are in a layout that shows
 * other front matter of theirs, one note at the layout says what Recap's theme does not show.
 */
function withLayoutTexts(parsed: Post[], layouts: ReadonlyMap<string, string>, diagnostics: Diagnostics): Post[] {
  const unshown = new Map<string, { fields: string[]; count: number }>();
  // Each layout is read once a build, however many posts name it.
  const texts = new Map<string, ReturnType<typeof layoutTextOf>>();
  const textOf = (layout: string) => (texts.has(layout) ? texts.get(layout) : texts.set(layout, layoutTextOf(layout, layouts)).get(layout));
  const made = parsed.map((post): Post => {
    if (post.noLayout || post.data.redirect_to || (post.kind === 'page' && (post.url === '/' || LIST_PAGE_OF_LAYOUT.has(post.layout)))) return post;
    const layoutText = textOf(post.layout);
    if (layoutText === undefined) return post;
    if (post.body.trim() !== '' && !showsItsData(post, layoutText.fields)) {
      const seen = unshown.get(post.layout) ?? { fields: layoutText.fields, count: 0 };
      unshown.set(post.layout, { ...seen, count: seen.count + 1 });
      return post;
    }
    // A page's heading is then its layout's (see PostView.layoutMade); a post's title and date are the theme's.
    const text = post.kind === 'post' ? withoutTitleHeading(layoutText.text) : layoutText.text;
    // Its key holds the layout's text: an edit to the layout makes the page again.
    return { ...post, layoutText: { ...layoutText, text }, digest: digestOf(`${post.digest}\0${text}`) };
  });
  for (const [layout, { fields, count }] of unshown) {
    if (fields.length === 0) continue;
    const named = fields.slice(0, 6).map((field) => `page.${field}`).join(', ') + (fields.length > 6 ? ', ...' : '');
    diagnostics.note('R503', `_layouts/${layout}.html`, undefined, undefined, `shows ${named} of ${count === 1 ? 'the page in this layout that has text of its own' : `the ${count} pages in this layout that have text of their own`}: Recap's theme shows their text, not this layout`,
      'write what they should show into their text, or leave a page\'s text empty to have this layout\'s shown');
  }
  return made;
}

/** The Liquid a post's body is made with: its own text's, and its layout's where it has one of its own (Post.layoutText): what its key is read from. */
function liquidSourceOf(post: Post): string {
  return post.layoutText ? `${post.body}\n${post.layoutText.text}` : post.body;
}

/** True when a page's front matter holds data (talks, speakers, a place, a host, a number: not a flag) under a key its layout shows. */
function showsItsData(post: Post, fields: readonly string[]): boolean {
  const asWritten = (post.data as Record<string, unknown>)[AS_WRITTEN] as Record<string, unknown> | undefined;
  return fields.some((field) => {
    const value = (post.data as Record<string, unknown>)[field] ?? asWritten?.[field];
    if (typeof value === 'string') return value.trim() !== '';
    return typeof value === 'number' || (typeof value === 'object' && value !== null && (!Array.isArray(value) || value.length > 0));
  });
}

/** Worker threads for this many cache misses, started once per build and kept for resolve; undefined when the main thread is faster. */
function workersFor(state: BuildState, misses: number): PostWorkers | undefined {
  if (state.workers) return state.workers;
  const count = workersForMisses(misses, state.options.workers);
  if (count === 0) return undefined;
  state.postWorkers = count;
  return (state.workers = PostWorkers.start(count, { config: state.config, nowEpochMs: state.now.epochMs }));
}

/**
 * Parses the posts the cache does not hold: here, and in worker threads too when there are enough
 * of them and cores to spare (the main thread, which has nothing else to do until every post is
 * parsed, takes batches from the end while the workers take them from the start).
 */
async function parseMisses(state: BuildState, sources: ReadSource[]): Promise<Array<Cached<Post | null>>> {
  const workers = workersFor(state, sources.length);
  const { config, now, clock } = state;
  // Loaded on the first cache miss (while the workers start): a build of unchanged posts never needs the parsers.
  const parser = sources.length > 0 ? await import('./stages/parse.js') : undefined;
  const parseHere = (source: ReadSource): Cached<Post | null> => {
    const parseDiagnostics = new Diagnostics();
    const post = parser!.parsePost(source, { config, now, clock }, parseDiagnostics);
    return { value: post ? withOwnStrings(post) : null, diagnostics: parseDiagnostics.list };
  };
  if (workers) return (await workers.parse(sources, parseHere)).map((entry) => (entry.value ? { ...entry, value: withFrontMatterShared(entry.value) } : entry));
  const entries: Array<Cached<Post | null>> = [];
  for (const [index, source] of sources.entries()) {
    if (endOfSlice(index)) await pause();
    entries.push(parseHere(source));
  }
  return entries;
}

/**
 * A post parsed on this thread, its values copied into strings of their own: js-yaml cuts them out
 * of the file's text, and one title would keep all of that text alive for the whole build (a
 * worker's posts arrive copied). The body and the front matter's text stay cut out: they are let go
 * of once the body is made.
 */
function withOwnStrings(post: Post): Post {
  const copy = withFrontMatterShared(structuredClone({ ...post, matterText: '', body: '' }));
  copy.matterText = post.matterText;
  copy.body = post.body;
  return copy;
}

/**
 * A copied post (from a worker, or by withOwnStrings) holds its title, description and tags twice:
 * as its own and in its front matter (`data`), for copying makes each string anew. Where they are
 * the same, its own are the front matter's, so a build keeps each once (~0.5 KB a post).
 */
function withFrontMatterShared(post: Post): Post {
  const { data } = post;
  if (post.title === data.title) post.title = data.title;
  if (post.description === data.description) post.description = data.description;
  const tags: unknown = data.tags;
  if (Array.isArray(tags)) post.tags = post.tags.map((tag, i) => (tag === tags[i] ? (tags[i] as string) : tag));
  return post;
}

/**
 * Resolve: Jekyll values, Markdown, talks, links, body HTML (from the cache when the post, the
 * settings it sees and Recap itself are unchanged), for every post in order — or, under `only`,
 * just that post. Each resolved post is handed to `onResolved` as soon as its body is there, so
 * its page can be rendered while worker threads still make the bodies after it.
 */
async function resolvePosts(state: BuildState, onResolved?: (post: ResolvedPost, page?: WorkerPage) => void, wantsHtml?: WantsHtml, pagesAhead?: PagesAhead): Promise<void> {
  if (state.config.jekyll && state.sources.layouts.length > 0) state.parsed = withLayoutTexts(state.parsed, readSiteLayouts(state.sources.layouts), state.diagnostics);
  const { options, config, sources, diagnostics, cache, parsed } = state;
  const memory = options.memory;
  // Workers that parsed (enough of them to render pages) load the theme now, while this thread works out what is to be made.
  const themed = pagesAhead !== undefined && state.workers !== undefined && workersRenderPages(state.postWorkers);
  if (themed) state.workers!.useTheme(pagesAhead!.theme());
  // A post another took the place of is still found by its name, at its address (the other's), as Jekyll finds it.
  const postUrls = new Map([...state.overwritten, ...parsed].filter((p) => p.kind === 'post').map((p) => [p.id, p.url]));
  // Only bodies that name other posts read every post's URL: their key is made once a build, when the first asks.
  let postUrlsKey: string | undefined;
  // A Jekyll site's posts are Liquid templates: what they may include or name is part of their inputs.
  const jekyllInputs = await jekyllInputsOf(state);
  const urlsBySource = new Map(parsed.map((p) => [p.file, p.url]));
  let sourceUrlsKey: string | undefined;
  // Each Jekyll post's excerpt text, cut (before any body is let go of) once a body that lists the posts asks for them; a post's own from its text.
  const excerptSeparator = config.jekyll?.site['excerpt_separator'];
  let excerpts: Map<Post, string | undefined> | undefined;
  const excerptTextOf = (post: Post) => (excerpts ? excerpts.get(post) : excerptSourceOf(post, excerptSeparator));
  const liquidKey = jekyllInputs ? digestOf(JSON.stringify([jekyllInputs.includes, jekyllInputs.data, jekyllInputs.unpublished, jekyllInputs.staticFiles, [...urlsBySource]])) : '';
  // A body whose Liquid reads site.posts (or includes that do), or the paginator where it has one, shows every post's front matter: that is part of its key.
  let listsKey: string | undefined;
  const paginatesAt = paginatorFolder(config.paginate_path);
  const listsKeyFor = (post: Post) => {
    const paginated = jekyllInputs && showsPaginator(post, liquidSourceOf(post), paginatesAt, jekyllInputs) ? `\0${config.paginate}\0${config.paginate_path}` : '';
    return jekyllInputs?.includesReadLists || readsSiteLists(liquidSourceOf(post)) || paginated ? (listsKey ??= digestOf(JSON.stringify(siteListsOf(parsed, (post) => (excerpts ??= excerptsOf(parsed, excerptSeparator)).get(post) ?? post.description, config.jekyll)))) + paginated : '';
  };
  // A body whose Liquid reads the build's time (or includes one that may) is made again each build, as Jekyll makes it, and so is the next build.
  const timeKeyFor = (post: Post) => {
    if (!readsBuildTime(liquidSourceOf(post)) && !(jekyllInputs?.includesReadTime && /\{%-?\s*include/.test(liquidSourceOf(post)))) return '';
    state.changesAt = Math.min(state.changesAt, state.now.epochMs);
    return rubyTime(state.now);
  };
  // Files {% include_relative %} names are read once a build; their text is part of the key of each body that names them.
  const relativeTexts = new Map<string, string | Error>();
  const readRelative = (sitePath: string): string | Error => {
    if (!relativeTexts.has(sitePath)) relativeTexts.set(sitePath, readRelativeInclude(state.siteDir, sitePath));
    return relativeTexts.get(sitePath)!;
  };
  const relativeKeyFor = (post: Post) => {
    const names = relativeIncludeNames(liquidSourceOf(post));
    return names.length === 0 ? '' : digestOf(names.map((name) => {
      const target = relativeIncludePath(post.file, name);
      return target === undefined ? '' : String(readRelative(target));
    }).join('\0'));
  };
  const onlyPath = options.only && sources.posts.find((s) => s.absPath === options.only)?.path;
  // A Jekyll site's stylesheets, remembered by recap serve or kept beside the post cache: Dart Sass starts loading now, in a thread of its own, while the posts are made, unless they may all be known.
  const sassSettings = sources.stylesheets.length > 0 && onlyPath === undefined ? config.jekyll?.sass : undefined;
  const kept = sassSettings && !memory && state.cacheFile ? new StylesheetStore(path.join(path.dirname(state.cacheFile), 'stylesheets.json')) : undefined;
  const stylesheets = sassSettings ? new Stylesheets(sources.stylesheets, sources.sass, sassSettings, diagnostics, memory?.stylesheets ?? kept?.memo) : undefined;
  stylesheets?.warm();
  // A Jekyll page whose Liquid lists posts with their content (a search index, an archive of
  // snippets) is made after every other body and sees their HTML, as Jekyll renders posts before
  // pages; its key holds every other body's. Those bodies are kept (`contents`) only for such a page.
  const readsContent = (post: Post) => jekyllInputs !== undefined && onlyPath === undefined && post.kind === 'page'
    && (jekyllInputs.includesReadListedContent || readsListedContent(liquidSourceOf(post)));
  const readers: Post[] = [];
  const planOf = (post: Post, contentKey: string): ResolvePlan => {
    // What the body names, read once per post where a memory keeps the post from build to build.
    const names = memory ? (memory.bodyNames.get(post) ?? memory.bodyNames.set(post, namesInBody(liquidSourceOf(post))).get(post)!) : namesInBody(liquidSourceOf(post));
    const usesLiquid = jekyllInputs !== undefined && names.liquid;
    // A link to another post's or page's Markdown file is made the URL it is published at.
    const linksSources = names.sources;
    const namesOthers = usesLiquid || linksSources || names.postUrl;
    const others = () => `${(postUrlsKey ??= digestOf(JSON.stringify([...postUrls])))}\0${liquidKey}\0${linksSources ? (sourceUrlsKey ??= digestOf(JSON.stringify([...urlsBySource]))) : ''}`;
    const key = PostCache.resolveKey(post, config, names.liquid, namesOthers ? `${others()}\0${usesLiquid ? `${listsKeyFor(post)}\0${relativeKeyFor(post)}\0${contentKey}\0${timeKeyFor(post)}` : ''}` : '', memory?.keys.body);
    // recap serve keeps whole resolved posts (the very same objects, which later keys stand for by
    // identity), keyed by the body's key and what the parse decided (URL, date).
    const memoKey = stableKey(memory?.keys.resolved, post, [key, post.url, post.date.iso]);
    const known = memory?.resolved.get(memoKey);
    return { post, key, memoKey, known, cached: !known && cache.has(key), madeHere: usesLiquid || linksSources };
  };
  // Each post in order: kept from an earlier build in this process, found in the cache, or to be made.
  const plans: ResolvePlan[] = [];
  for (const post of parsed) {
    if (onlyPath !== undefined && post.file !== onlyPath) continue;
    if (readsContent(post)) readers.push(post);
    else plans.push(planOf(post, ''));
  }
  const contentKey = readers.length > 0 ? digestOf(plans.map((plan) => plan.key).join('\0')) : '';
  const firstReader = plans.length;
  plans.push(...readers.map((post) => planOf(post, contentKey)));
  // Every other body's HTML, for the pages that read it; shown to them once every one is made.
  const contents = readers.length > 0 || sources.templated.some((source) => readsListedContent(String(source.bytes ?? ''))) ? new Map<Post, string>() : undefined;
  let contentsWhole = false;
  const contentOf = (post: Post) => (contentsWhole ? contents?.get(post) : undefined);
  // Posts that use Liquid or link to other posts' files are made here, where the site's Liquid engine and every post's URL are; the rest in workers when they pay.
  const portable = plans.filter((plan) => !plan.known && !plan.cached && !plan.madeHere);
  const workers = portable.length > 0 ? workersFor(state, portable.length) : undefined;
  if (workers) {
    // Each plan holds its own way to its body, and lets go of it once used: no list of them outlives this line.
    const renders = pagesAhead !== undefined && workersRenderPages(state.postWorkers);
    if (renders && !themed) workers.useTheme(pagesAhead.theme());
    const pages = renders ? (post: Post, n: number) => pagesAhead.requestOf(post, portable[n]!.memoKey) : undefined;
    for (const [n, ask] of workers.resolve(portable.map((plan) => plan.post), postUrls, pages).entries()) portable[n]!.making = ask;
  } else {
    await state.workers?.close();
    state.workers = undefined;
  }
  let resolveContext: ResolveContext | undefined;
  let resolver: typeof import('./stages/resolve.js') | undefined;
  // Markdown and the site's Liquid engine are loaded on the first body made here, as the parsers are.
  const contextHere = async (): Promise<ResolveContext> => {
    if (!resolveContext) {
      const { createMarkdown, loadEmoji } = await import('../content/markdown.js');
      // recap serve keeps its engine while the settings it is made with stay (making one compiles linkify's patterns, ~1 ms).
      const kramdown = JSON.stringify(config.jekyll?.kramdown ?? null, (_, value: unknown) => (value instanceof Set ? [...value as Set<number>] : value));
      const settings = `${config.raw_html}\0${config.jekyll?.emoji ?? false}\0${kramdown}`;
      const kept = memory?.markdown?.settings === settings ? memory.markdown.engine : undefined;
      const markdown = kept ?? createMarkdown({ rawHtml: config.raw_html, emoji: await loadEmoji(config.jekyll?.emoji), jekyll: config.jekyll?.kramdown });
      if (memory) memory.markdown = { settings, engine: markdown };
      const liquid = jekyllInputs && (await import('../content/jekyll-liquid.js')).createJekyllLiquid({
        config, now: state.now, ...jekyllInputs, postUrls, urlsBySource, markdownify: (text) => markdown.render(markdown.parse(text)), parsed, excerptTextOf, contentOf, readRelative, budgetMs: options.liquidBudgetMs,
      });
      resolveContext = { markdown, config, postUrls, liquid, sourceUrls: urlsBySource };
    }
    return resolveContext;
  };
  // A body neither kept nor made by a worker is made here.
  const makeHere = async (post: Post): Promise<Cached<ResolvedBody>> => {
    resolver ??= await import('./stages/resolve.js');
    const bodyDiagnostics = new Diagnostics();
    return { value: resolver.resolveBody(post, await contextHere(), bodyDiagnostics), diagnostics: bodyDiagnostics.list };
  };
  // recap serve's first build leaves every body to the workers, so its first edit would be the first
  // body this thread makes, with code and patterns never run here. It makes one now, thrown away,
  // while the workers make their first batch.
  if (memory && workers) await makeHere(portable[0]!.post);
  for (const [index, plan] of plans.entries()) {
    const { post, key, memoKey, known, making } = plan;
    // From here the body is held by its post alone, which a one-off build trims once its page is made.
    plan.making = undefined;
    // Pausing also lets the workers' answers in, and sends them their next batches.
    if (endOfSlice(index)) await pause();
    contentsWhole ||= index === firstReader;
    // A page that reads the others' content is not among them: none sees another's, so their order decides nothing.
    const listedContents = index < firstReader ? contents : undefined;
    if (known) {
      listedContents?.set(post, known.value.body.html);
      state.cachedBodies++;
      diagnostics.addAll(known.diagnostics);
      state.resolved.push(known.value);
      state.resolvedKeys.set(known.value, memoKey);
      onResolved?.(known.value);
      continue;
    }
    // An entry that fails its checks is discarded (with a note) and made here.
    const found = plan.cached ? bodyFromCache(cache.getBody(key), post, memoKey, contents ? undefined : wantsHtml) : undefined;
    const { page, ...entry }: MadeBody = found ?? (making ? await making() : await makeHere(post));
    if (found) state.cachedBodies++;
    else cache.set('resolve', key, entry);
    diagnostics.addAll(entry.diagnostics);
    listedContents?.set(post, entry.value.html);
    const resolvedPost = { ...post, body: entry.value };
    // A one-off build lets go of the Markdown and the front matter's text as soon as the body is made
    // from them (the resolved post holds the text itself until its page is made), not once every post is.
    if (!memory) letGoOfText(post);
    memory?.resolved.set(memoKey, { value: resolvedPost, diagnostics: entry.diagnostics });
    state.resolved.push(resolvedPost);
    state.resolvedKeys.set(resolvedPost, memoKey);
    onResolved?.(resolvedPost, page);
  }
  await state.workers?.close();
  state.workers = undefined;
  contentsWhole = true;
  // A Jekyll site's other templates (feed.json, search.json) and stylesheets are rendered every build, while the posts' front matter is still here for site.posts.
  const { liquid } = (sources.templated.length > 0 || stylesheets) && onlyPath === undefined ? await contextHere() : {};
  if (liquid) {
    const { renderTemplatedFile } = await import('./stages/templated-files.js');
    // Made again each build, these show the build's time where they read it: the next build is then never skipped.
    if (jekyllInputs?.includesReadTime || [...sources.templated, ...sources.stylesheets].some((source) => readsBuildTime(String(source.bytes ?? '')))) {
      state.changesAt = Math.min(state.changesAt, state.now.epochMs);
    }
    // The site's own files, as copied ones are: they may be below /assets/ (a theme's search.json), and a list of Recap's at their address yields to them.
    // A post or page at the same file is what Jekyll leaves there (it writes pages before posts, and
    // Recap cannot tell its order among pages): the templated file is left out, not a failed build.
    const pageFiles = new Map(state.resolved.map((post) => [pageOutputPathOf(post.url, contentOutputExtension(post)), post.file]));
    const publish = (url: string, source: string, content: Buffer): void => {
      const page = pageFiles.get(outputPathOf(url));
      if (page !== undefined) {
        diagnostics.warning('R213', source, undefined, undefined, `not published: ${page} is published at ${url}, as Jekyll writes it over this file`, 'give one of them another permalink');
        return;
      }
      // Two such files at one address: the first is kept, the other left out (Jekyll keeps the one it writes last).
      const other = state.manifest.served(url);
      if (other) {
        diagnostics.warning('R213', source, undefined, undefined, `not published: ${other.source} is published at ${url} too`, 'give one of them another permalink');
        return;
      }
      state.ownFiles.set(outputPathOf(url), source);
      state.manifest.add(url, source, { content }, diagnostics, 'static');
    };
    const { documentDestination } = await import('./stages/parse.js');
    const site: TemplatedSite = { defaults: config.defaults, placeDocument: (document, written, data, given) => documentDestination(document, written, data, given, config, state.clock, state.now) };
    for (const source of sources.templated) {
      const made = renderTemplatedFile(source, liquid, state.clock, diagnostics, site);
      if (made) publish(made.url, source.path, made.content);
    }
    for (const stylesheet of await stylesheets?.compile(liquid, state.clock, diagnostics) ?? []) {
      publish(stylesheet.url, stylesheet.source, stylesheet.css);
      if (stylesheet.map) publish(stylesheet.map.url, stylesheet.source, stylesheet.map.content);
    }
    if (kept && options.persistCache !== 'read') await kept.save(state.siteDir);
  }
  await cache.save();
  if (cache.discarded.length > 0 && state.cacheFile) {
    diagnostics.note('R111', path.relative(state.siteDir, state.cacheFile).split(path.sep).join('/'), undefined, undefined,
      `discarded ${cache.discarded.length === 1 ? cache.discarded[0] : `${cache.discarded.length} entries`} of the post cache: not what Recap writes (damaged, old, or tampered with)`,
      'nothing to do: those posts were read again from their files');
  }
  if (!memory) state.releaseParse();
}

/**
 * Whether a post whose body is in the cache needs its HTML (given the post with its body but for
 * the HTML, and the key its resolved post goes by): recap build's posts stage says no for a page
 * the store keeps as it is and the feed does not show.
 */
type WantsHtml = (post: ResolvedPost, resolvedKey: string) => boolean;

/**
 * Pages a one-off build lets the worker threads render beside the bodies they make: the theme they
 * render with (made only when workers are started), and what a post's page is rendered with, given
 * the key its resolved post goes by (undefined: its page is not theirs to render).
 */
interface PagesAhead {
  theme(): ThemeSettings;
  requestOf(post: Post, resolvedKey: string): PageRequest | undefined;
}

/**
 * A post's body from the cache, with its HTML when `wantsHtml` (by default, always) says so, or ''
 * in its place — what a one-off build leaves once a page is made, which nothing reads; the HTML is
 * then neither decoded nor checked. Undefined where the entry fails its checks.
 */
function bodyFromCache(stored: StoredBody | undefined, post: Post, resolvedKey: string, wantsHtml: WantsHtml | undefined): Cached<ResolvedBody> | undefined {
  if (!stored) return undefined;
  const html = !wantsHtml || wantsHtml({ ...post, body: { ...stored.value, html: '' } }, resolvedKey) ? stored.html() : '';
  return html === undefined ? undefined : { value: { ...stored.value, html }, diagnostics: stored.diagnostics };
}

/** Empties a parsed post's Markdown and front matter text: what resolve read, once its resolved post is made. */
function letGoOfText(post: Post): void {
  post.body = '';
  post.matterText = '';
}

/** A Jekyll site's includes and data (undefined for a Recap site), read the first time a stage asks: the theme's menu and the posts' Liquid share one reading. */
function jekyllInputsOf(state: BuildState): Promise<JekyllInputs | undefined> {
  return (state.jekyllInputs ??= state.config.jekyll ? readJekyllInputs(state.sources, state.config.jekyll, state.diagnostics) : Promise.resolve(undefined));
}

/** Resolve alone (recap chapters): every post's body, or under `only` just that post's, with no pages rendered. */
function resolve(state: BuildState): Promise<void> {
  return resolvePosts(state);
}

/**
 * Images: plan every photo's variants (sizes from headers, names from content hashes), start
 * encoding what the image cache lacks (sharp works on its own threads while the pages are made),
 * and check the speakers' photos; each post's photos are checked as it is resolved (the posts stage).
 */
async function images(state: BuildState): Promise<void> {
  const { options, config, sources, diagnostics } = state;
  const named = photosNamedElsewhere(state);
  const plan = (state.plan = await ImagePlan.create(sources.statics, { widths: config.image_widths, cacheDir: path.resolve(state.siteDir, config.cache_dir, 'images'), siteDir: state.siteDir, url: config.url, baseurl: config.baseurl, copyUnreadable: config.jekyll !== undefined }, diagnostics, named));
  const knownFiles = (state.knownFiles = new Set(sources.statics.map((f) => f.url)));
  for (const file of sources.statics) if (!plan.has(file.url)) state.ownFiles.set(outputPathOf(file.url), file.path);
  for (const profile of state.speakers.profiles) if (profile.photo) plan.checkReference(profile.photo, SPEAKERS_FILE, () => ({ line: profile.line }), knownFiles, diagnostics);
  if (options.encodeImages === false) return;
  state.encoding = plan.encode(diagnostics, { prune: !options.memory, onProgress: options.onImageProgress });
  state.encoding.catch(() => undefined); // awaited by the assets stage; this only keeps an early failure from going unhandled
}

/**
 * The photos outside images/ (a Jekyll site's /assets/img/) that posts, pages (their front matter
 * defaults too) and speakers.yml name, which the image stage makes responsive: the texts are read
 * only when the site has such photos.
 */
function photosNamedElsewhere(state: BuildState): ReadonlySet<string> | undefined {
  const { config, sources } = state;
  if (!sources.statics.some((file) => !file.url.startsWith('/images/') && isRasterPhoto(file.url))) return undefined;
  const texts = state.parsed.flatMap((post) => [post.matterText, post.data.image ?? '', { text: post.body, mediaSubpath: config.jekyll ? mediaSubpathOf(post.data) : undefined }]);
  return photosNamedIn([...texts, ...state.speakers.profiles.flatMap((profile) => profile.photo ?? [])], config);
}

/** Theme: the templates, their assets and helpers, and the site view every page shows. */
async function theme(state: BuildState): Promise<void> {
  const { options, config, sources, speakers } = state;
  const memory = options.memory;
  state.assets = await loadThemeAssets(sources.templatesDir);
  if (config.theme.accent) state.assets.push(generatedAsset('theme.css', themeStylesheet(config.theme.accent), config.file || 'recap.yml'));
  // The search page's engine, loaded by templates/assets/search.js on first use.
  state.assets.push(generatedAsset('minisearch.js', await readFile(fileURLToPath(import.meta.resolve('minisearch')), 'utf8'), 'node_modules/minisearch'));
  // A site's own icon wins; otherwise one is drawn from its initials.
  state.ownIcon = ['/favicon.svg', '/favicon.ico', '/favicon.png'].find((url) => sources.statics.some((f) => f.url === url));
  const pages = state.parsed.filter((p) => p.kind === 'page');
  const jekyllData = (await jekyllInputsOf(state))?.data;
  const listed = state.parsed.some((p) => p.kind === 'post') ? 'posts' : pages.some(mayBeMeetupDocument) ? 'meetup documents' : 'nothing';
  const nav = (state.nav = siteNav(config, pages, config.jekyll && jekyllData ? jekyllMenu(config.jekyll.site, jekyllData, pages) : [], listed));
  const helpers = (state.helpers = createHelpers(config, new Map(state.assets.map((a) => [a.name, a.url])), state.plan, nav));
  const reusable = memory?.renderer;
  const renderer = (state.renderer = reusable && reusable.siteTemplates === sources.templatesDir && reusable.language === config.language
    ? reusable
    : createRenderer(sources.templatesDir, config));
  renderer.bind(helpers, memory ? { pages: memory.pages, tokens: memory.tokens } : undefined);
  if (memory) memory.renderer = renderer;
  const site = (state.site = siteView(config, nav, state.ownIcon ?? '/favicon.svg'));
  // Every page shows the site's navigation and name, and may name speakers: a change to them is a change to every page.
  state.siteKey = digestOf(JSON.stringify(site) + speakers.digest);
}

/**
 * Posts: each post resolved (as the resolve stage does), its photos checked and its page rendered
 * in its layout as soon as its body is there — while worker threads make the next bodies — then
 * the site's pages; with every card planned, the image plan is then sealed.
 */
async function posts(state: BuildState): Promise<void> {
  const { options, config, sources, diagnostics, speakers } = state;
  const memory = options.memory;
  const parsedPosts = state.parsed.filter((p) => p.kind === 'post');
  const store = options.pages;
  store?.begin(new Set(sources.posts.map((source) => source.path)), path.resolve(state.siteDir, config.cache_dir));
  const eventView = createEventViews(config.language, config.timezone, state.now);
  // Lists made before are reused by their posts' tokens, which a store needs as much as a memory.
  const views = new ViewMemo(memory?.views, memory?.tokens, memory !== undefined || store !== undefined);
  const { socialImages, siteKey, renderer, helpers } = state;
  const renderContext = { config, site: state.site, siteKey, renderer, helpers, socialImages, views, speakers, tags: new TagRefs(), unknownLayouts: new Set<string>(), postKeys: state.resolvedKeys };
  const neighbour = (post: Post | undefined) => (post ? { title: post.title, url: post.url } : undefined);
  const renderOne = (post: ResolvedPost, neighbours: Neighbours, event: EventView | undefined, key: string): RenderedPost => {
    const known = memory?.rendered.get(key);
    if (known) return known;
    const fresh = renderPost(post, neighbours, event, renderContext, diagnostics);
    memory?.rendered.set(key, fresh);
    return fresh;
  };
  // The feeds show the newest posts' bodies (jekyll-feed's category and tag feeds theirs); lists show only what the posts' views hold.
  const listedPosts = parsedPosts.filter((p) => !p.data.redirect_to);
  const inFeed = new Set(listedPosts.slice(0, config.feed_size).map((p) => p.file));
  const feedSettings = config.jekyll?.feed;
  for (const { shows } of feedSettings ? jekyllFeeds(feedSettings, [...new Set(listedPosts.flatMap((p) => p.tags))]) : []) {
    for (const post of listedPosts.filter(shows).slice(0, config.feed_size)) inFeed.add(post.file);
  }
  // A Jekyll site's own page may take the talks page's address, a tag's, or one below /assets/, as Jekyll publishes it there.
  const claimable = config.jekyll ? claimableByJekyllPage : undefined;
  // Once a one-off build has made a post's page, it lets go of what only that page read: the HTML
  // (but for the feed's posts), the excerpt and the video (its view holds them now), the links (but
  // for a check) and the front matter's text (for the line numbers of reports). Peak memory then
  // grows with the posts' views, not their bodies.
  const letGo = (post: ResolvedPost): void => {
    if (memory) return;
    post.body = { ...post.body, html: inFeed.has(post.file) ? post.body.html : '', excerpt: '', video: undefined, links: options.keepLinks ? post.body.links : [] };
    post.matterText = '';
  };
  // Each page goes to the manifest as bytes as soon as it is rendered. Without a memory to keep
  // pages for the next build, its string is let go there and then.
  const handOver = (rendered: RenderedPost, made?: WorkerPage): RenderedPost => {
    const { post, page } = rendered;
    letGo(post);
    if (page === undefined || post.data.redirect_to) return rendered;
    const file = state.manifest.add(post.url, post.file, { content: made?.content ? Buffer.from(made.content.buffer) : state.toBytes(rendered, page) }, diagnostics, 'content', claimable, contentOutputExtension(post));
    if (file) options.writeAhead?.take(file);
    return memory ? rendered : { ...rendered, page: '' };
  };
  // Pages the store was asked for before their post's body was whole, by key (see wantsHtml).
  const keptEarly = new Map<string, ReusedPages | undefined>();
  // recap build: a page made before from the same key is the live output's file, neither rendered nor written again.
  const fromStore = (pages: PageStore, post: ResolvedPost, neighbours: Neighbours, event: EventView | undefined, key: string, made: WorkerPage | undefined): RenderedPost => {
    // A missing layout is reported at the first post naming it, whether its page is made or reused.
    layoutTemplate(post, renderContext, diagnostics);
    // Looked up already where the body was read without its HTML (wantsHtml).
    const reused = keptEarly.has(key) ? keptEarly.get(key) : pages.reuse(key, (urls) => urls.length === 1 && urls[0] === post.url);
    keptEarly.delete(key);
    if (reused?.token !== undefined) {
      diagnostics.addAll(reused.diagnostics);
      state.reusedPages += reused.outputs.length;
      for (const output of reused.outputs) state.manifest.add(output.url, output.source, { reuse: output.reuse, fingerprint: output.fingerprint }, diagnostics, output.origin, claimable, contentOutputExtension(post));
      // Its HTML is not shown again (but in the feed); the rest of the body stays, for the views a list may make.
      if (!memory && !inFeed.has(post.file)) post.body = { ...post.body, html: '' };
      // The key stands for everything the views show, so the token is the stored one; the views are made only if a list is.
      let view: PostView | undefined;
      return { post, token: reused.token, page: '', get view() { return (view ??= listViewOf(post, event, renderContext)); } };
    }
    const own = new Diagnostics();
    const rendered = made ? renderedByWorker(state, post, made, own) : renderPost(post, neighbours, event, renderContext, own);
    diagnostics.addAll(own.list);
    letGo(post);
    if (rendered.page === undefined) return rendered;
    const content = made?.content ? Buffer.from(made.content.buffer) : state.toBytes(rendered, rendered.page);
    const file = state.manifest.add(post.url, post.file, { content, fingerprint: made?.fingerprint || contentFingerprint(content) }, diagnostics, 'content', claimable, contentOutputExtension(post));
    if (file?.fingerprint) pages.remember(key, { outputs: [{ url: post.url, source: post.file, origin: 'content', path: file.path, fingerprint: file.fingerprint }], diagnostics: own.list, token: rendered.token });
    if (file) options.writeAhead?.take(file);
    return { ...rendered, page: '' };
  };
  // An unchanged post beside unchanged neighbours, in an unchanged site, is the very same page as last time.
  // Where its event stands changes with the clock, so a page with one is keyed by that too.
  const pageKey = (post: Pick<Post, 'file'>, resolvedKey: string | undefined, neighbours: Neighbours, event: EventView | undefined, socialImage: string | undefined): string =>
    stableKey(memory?.keys.page, post, [post.file, String(resolvedKey), String(neighbours.next?.url), String(neighbours.next?.title), String(neighbours.previous?.url), String(neighbours.previous?.title),
      String(socialImage), siteKey, String(event?.phase), String(event?.countdown)]);
  // Posts are resolved in the order they are listed, so each post's neighbours are the parsed posts beside it (pages have none).
  const neighboursAt = (index: number): Neighbours => ({ next: neighbour(parsedPosts[index - 1]), previous: neighbour(parsedPosts[index + 1]) });
  const neighboursOf = (post: Post | ResolvedPost): Neighbours => (post.kind === 'page' ? {} : neighboursAt(state.rendered.length));
  // `made`: the page a worker rendered (see pagesAhead), taken as it is.
  const publishPage = (post: ResolvedPost, neighbours: Neighbours, made?: WorkerPage): RenderedPost => {
    const event = post.event ? eventView(post.event, post.url) : undefined;
    if (post.event) state.changesAt = Math.min(state.changesAt, eventChangesAt(post.event, state.now, state.clock));
    const key = pageKey(post, state.resolvedKeys.get(post), neighbours, event, socialImages.get(post.file));
    // A redirecting post's page is not published, only looked at (the sitemap leaves it out).
    if (store && !post.data.redirect_to) return fromStore(store, post, neighbours, event, key, made);
    if (!made) return handOver(renderOne(post, neighbours, event, key));
    // A missing layout is reported here, whoever renders the page.
    layoutTemplate(post, renderContext, diagnostics);
    return handOver(renderedByWorker(state, post, made, diagnostics), made);
  };
  // A one-off build with enough worker threads (workersRenderPages) lets them render post pages
  // too, with what this thread would render them with, decided here before the post is resolved:
  // where each post is among the posts, its event, its social image. A page the store keeps is
  // not rendered at all.
  const postIndex = new Map(parsedPosts.map((post, index) => [post, index]));
  const pagesAhead: PagesAhead | undefined = memory ? undefined : {
    theme: () => ({
      templatesDir: sources.templatesDir, assetUrls: state.assets.map((asset) => [asset.name, asset.url]), photos: state.plan.catalog(), nav: state.nav, site: state.site,
      speakers: { profiles: speakers.profiles, digest: speakers.digest }, tokenize: store !== undefined,
    }),
    requestOf: (post, resolvedKey) => {
      const index = postIndex.get(post);
      if (index === undefined || post.data.redirect_to) return undefined;
      const event = post.event ? eventView(post.event, post.url) : undefined;
      const socialImage = socialImageOf(post, state.plan, config);
      const neighbours = neighboursAt(index);
      if (store) {
        const key = pageKey(post, resolvedKey, neighbours, event, socialImage);
        const reused = store.reuse(key, (urls) => urls.length === 1 && urls[0] === post.url);
        keptEarly.set(key, reused);
        if (reused?.token !== undefined) return undefined;
      }
      return { neighbours, event, socialImage };
    },
  };
  // recap build: a cached body's HTML is read only for a page the store does not keep, or the feed.
  // Its page is looked up in the store before the body is whole, with the key publishPage makes.
  const wantsHtml = store && ((post: ResolvedPost, resolvedKey: string): boolean => {
    // A page's HTML is read whole: whether it has any decides where it goes (see blank, below).
    if (post.data.redirect_to || inFeed.has(post.file) || post.kind === 'page') return true;
    const event = post.event ? eventView(post.event, post.url) : undefined;
    const key = pageKey(post, resolvedKey, neighboursOf(post), event, socialImageOf(post, state.plan, config));
    const reused = store.reuse(key, (urls) => urls.length === 1 && urls[0] === post.url);
    keptEarly.set(key, reused);
    return reused?.token === undefined;
  });
  const pages: ResolvedPost[] = [];
  await resolvePosts(state, (post, made) => {
    checkImages(post, state.plan, state.knownFiles, config, diagnostics, memory && { checks: memory.imageChecks, keys: memory.keys.imageCheck }, socialImages);
    if (post.kind === 'page') return void pages.push(post);
    state.rendered.push(publishPage(post, neighboursOf(post), made));
  }, wantsHtml, pagesAhead);
  // A page at / (a Jekyll site's index.md, or pages/index.md) is the home page's introduction, not a page of its own,
  // unless it is in no layout (a Jekyll site's index.html that is a whole document): then it is the home page, as in Jekyll.
  const home = pages.find((page) => isHomeIntroduction(page) && !page.noLayout);
  state.homePage = home;
  // A page without text of its own where Recap makes one (a Jekyll theme's tags.html, whose list came from its layout) leaves the URL to Recap's.
  const blank = (page: ResolvedPost) => yieldsToSitePage(page.url) && page.body.html.trim() === '';
  for (const page of pages.filter(blank)) {
    diagnostics.note('R117', page.file, undefined, undefined, `${page.url} has no text of its own (its layout "${page.layout}" made it in Jekyll): Recap's ${page.url} is published there`, 'nothing to do; give the page text to publish it instead');
  }
  // Elsewhere, such a page (Minimal Mistakes' /year-archive/, layout: posts) sends its readers to Recap's list.
  const pointed = (page: ResolvedPost): ResolvedPost => {
    const list = page.body.html.trim() === '' && !page.data.redirect_to ? LIST_PAGE_OF_LAYOUT.get(page.layout) : undefined;
    if (list === undefined || list === page.url) return page;
    diagnostics.note('R120', page.file, undefined, undefined, `${page.url} has no text of its own (its layout "${page.layout}" made its list in Jekyll): it redirects to Recap's ${list}`, 'nothing to do; give the page text to publish it instead');
    return { ...page, layout: 'page', data: { ...page.data, redirect_to: list } };
  };
  state.paginatedPages = pages.flatMap((page) => (page === home ? [] : paginatedTemplateOf(page, config, diagnostics)));
  const lists = new Set(state.paginatedPages.map((template) => template.page));
  // Jekyll writes copied files after pages: where one is at a page's address (about/index.html beside an about.md at /about/), it is what is published.
  const copies = new Map(config.jekyll ? state.sources.statics.map((file) => [outputPathOf(file.url), file.path]) : []);
  const copiedOver = (page: ResolvedPost): boolean => {
    const copied = copies.get(pageOutputPathOf(page.url, contentOutputExtension(page)));
    if (copied !== undefined) diagnostics.warning('R213', page.file, undefined, undefined, `two outputs at ${page.url}: this page and ${copied}: the copied file is published, as Jekyll writes it last`, 'give the page another permalink, or remove the file');
    return copied !== undefined;
  };
  state.renderedPages = pages.filter((page) => page !== home && !blank(page) && !lists.has(page) && !copiedOver(page)).map((page) => publishPage(pointed(page), {}));
  // Every page's social card is planned: the photo encoders, at work since the images stage, stop once their queue is empty.
  state.plan.seal();
}

/** A post's page as a worker rendered it (its bytes stay with `made`), with what rendering reported. */
function renderedByWorker(state: BuildState, post: ResolvedPost, made: WorkerPage, diagnostics: Diagnostics): RenderedPost {
  state.workerPages++;
  diagnostics.addAll(made.diagnostics);
  return { post, view: made.view, token: made.token, page: made.content ? '' : undefined };
}

/**
 * A page of a Jekyll site that jekyll-paginate-v2 paginates (`pagination: {enabled: true}` where
 * `_config.yml` says so too), with its settings: a list whose pages the collect stage makes, the
 * first at the page's folder. Settings it cannot follow are reported at the page. Not one where
 * the first page would be the home page (Recap's own home pages list every post), nor a redirect.
 */
function paginatedTemplateOf(page: ResolvedPost, config: SiteConfig, diagnostics: Diagnostics): Array<{ page: ResolvedPost; list: PaginatedList }> {
  if (page.data.redirect_to) return [];
  const problems: string[] = [];
  const settings = paginationOf(page.data, config.jekyll?.pagination, problems);
  const first = firstPageUrl({ url: page.url, permalink: page.data.permalink });
  if (!settings || first === '/') return [];
  const at = lineOfYamlKey(page.matterText, ['pagination']);
  for (const problem of problems) diagnostics.warning('R214', page.file, at ? frontMatterLine(at.line) : undefined, undefined, problem, 'see jekyll-paginate-v2\'s settings: per_page and limit are whole numbers, permalink and title text');
  return [{ page, list: { first, title: page.title, settings, source: page.file, intro: page.body.html, description: page.description || undefined } }];
}

/**
 * The site's page at `/` as the redirects see it, where it asks for any (academicpages' about.md,
 * `permalink: /` with `redirect_from: [/about/]`): it is the home page's introduction, not a page
 * of its own, but the addresses it names still lead to it.
 */
function homeRedirecting(state: BuildState): Redirecting[] {
  const home = state.homePage;
  return home?.data.redirect_from?.length ? [{ post: { ...home, data: { ...home.data, redirect_to: undefined } } }] : [];
}

/**
 * The redirects of a Jekyll site's posts that another took the address of: jekyll-redirect-from
 * writes each one's `redirect_from` stubs, to the address they share, though only the other is
 * published there.
 */
function overwrittenRedirecting(state: BuildState): Redirecting[] {
  return state.overwritten.filter((post) => post.data.redirect_from?.length).map((post) => ({ post: { url: post.url, file: post.file, data: { ...post.data, redirect_to: undefined } } }));
}

/** Collect: lists, tags, archives, talks, speakers, search, feed, calendars, redirects, 404 (each section timed). */
function collect(state: BuildState): void {
  const { options, config, diagnostics, manifest } = state;
  const store = options.pages;
  const home = state.homePage;
  state.collectContext = { config, site: state.site, siteKey: state.siteKey, renderer: state.renderer, helpers: state.helpers, speakers: state.speakers, clock: state.clock, memo: options.memory?.lists, sections: options.memory?.sections, byMeetup: options.memory?.byMeetup ?? store?.parts, meetupKeys: options.memory?.keys, store, homeIntro: home?.body.html, homeDescription: home && (home.data.description || home.data.subtitle || home.body.excerpt || undefined), paginated: state.paginatedPages.map(({ list }) => list) };
  const sections: BuildResult['timings'] = [];
  const made: OutputFile[] = [];
  // Each list page goes to the manifest as bytes as soon as its section is made; only its address is kept, for the sitemap.
  const pages = [...state.renderedPages, ...state.paginatedPages.map(({ page }) => ({ post: page })), ...homeRedirecting(state), ...overwrittenRedirecting(state)];
  // A Jekyll site's page or post at one of Recap's files (`permalink: /robots.txt`) is published there, as Jekyll publishes it: Recap's yields, as to a file of the site's own.
  for (const { post, page } of config.jekyll ? [...state.rendered, ...state.renderedPages] : []) {
    const file = pageOutputPathOf(post.url, contentOutputExtension(post));
    if (page !== undefined && !post.data.redirect_to && JEKYLL_CLAIMABLE_FILES.has(file)) state.ownFiles.set(file, post.file);
  }
  // A Jekyll site's meetups kept as a collection's documents are listed with the posts' talks, speakers and events.
  const documents = state.renderedPages.filter((r) => r.page !== undefined && !r.post.data.redirect_to && isMeetupDocument(r.post));
  collectPages(state.rendered, documents, pages, state.collectContext, diagnostics, (page) => {
    // A site's own page at a URL Recap would fill but need not (a Jekyll site's /speakers/) keeps it, and so does a file of its own there (search/index.html).
    const own = page.origin === 'recap' ? state.ownFiles.get(outputPathOf(page.url)) : undefined;
    const taken = page.optional ? manifest.served(page.url) : undefined;
    if (taken && page.origin === 'content') {
      // A Jekyll site's redirect_from at an address a page or post is published at: the page is what readers get.
      diagnostics.warning('R213', page.source, undefined, undefined, `redirect_from ${page.url} is left out: ${taken.source} is published at that address`, 'remove the redirect, or move the page');
      return undefined;
    }
    if (own !== undefined || taken) {
      // A page Recap made itself (a jekyll-archives address on its home page) is no site's own: nothing to say.
      const recaps = own === undefined && /^(templates|src)\//.test(taken!.source);
      if (!recaps) keptOwn(own ?? taken!.source, page.url, diagnostics);
      return undefined;
    }
    let body: OutputBody;
    if ('reuse' in page) {
      body = { reuse: page.reuse, fingerprint: page.fingerprint };
      state.reusedPages++;
    } else {
      const content = typeof page.content === 'string' ? state.toBytes(page, page.content) : page.content;
      body = { content, fingerprint: store && (page.fingerprint ?? contentFingerprint(content)) };
    }
    // A Jekyll site's redirect may stand where its pages may (its /page2/, below /tags/), as Jekyll writes it.
    const file = manifest.add(page.url, page.source, body, diagnostics, page.origin, config.jekyll ? claimableByJekyllPage : undefined);
    if (file) made.push(file);
    state.collected.push({ url: page.url, source: page.source });
    return file;
  }, sections);
  // A Jekyll site's own feed file (atom.xml, ...) keeps its URL, with Recap's feed in it: subscribers keep their feed.
  const feed = state.ownFiles.has('feed.xml') ? undefined : manifest.get('/feed.xml');
  // Bytes of their own: a page written ahead moves its bytes to the writing thread.
  const feedBody: OutputBody | undefined = feed?.content ? { content: Buffer.from(feed.content), fingerprint: feed.fingerprint } : feed?.reuse && feed.fingerprint ? { reuse: feed.reuse, fingerprint: feed.fingerprint } : undefined;
  for (const own of state.sources.feeds) {
    if (!feedBody || own.url === '/feed.xml') continue;
    // A post or page at its address is what Jekyll leaves there (it writes them after such a file).
    const page = manifest.served(own.url);
    if (page) diagnostics.warning('R213', own.path, undefined, undefined, `not published: ${page.source} is published at ${own.url}, as Jekyll writes it over this file`, 'give one of them another permalink');
    else manifest.add(own.url, own.path, feedBody, diagnostics, 'static');
  }
  // So does the address jekyll-feed gave the posts' feed (`feed: {path: atom.xml}`), where no file of the site's is.
  const feedPath = config.jekyll?.feed?.path;
  if (feedBody && feedPath && !manifest.has(feedPath) && !state.ownFiles.has(outputPathOf(feedPath))) manifest.add(feedPath, config.file, feedBody, diagnostics, 'recap');
  // Written ahead only now: until here the feed's copies needed its bytes.
  for (const file of made) options.writeAhead?.take(file);
  state.timings.push(...sections);
}

/** Sitemap: every published post and page (with its date) and Recap's own list pages, then robots.txt. */
function sitemap(state: BuildState): void {
  const entries: Array<{ url: string; lastmod?: string }> = [];
  for (const { post, page } of [...state.rendered, ...state.renderedPages]) {
    // A site's own 404 page is not a page to be found, nor one that says `sitemap: false` (as jekyll-sitemap leaves them out).
    if (page === undefined || post.data.redirect_to || post.draft || post.data.published === false || post.url === '/404.html' || post.data['sitemap'] === false) continue;
    entries.push({ url: post.url, lastmod: post.data.last_modified_at ?? (post.kind === 'post' ? isoDay(post.date) : undefined) });
  }
  for (const page of state.collected) if (page.url.endsWith('/') && page.source.startsWith('templates/')) entries.push({ url: page.url });
  entries.sort((a, b) => compareCodeUnits(a.url, b.url));
  for (const page of sitemapPages(entries, state.collectContext, state.diagnostics)) {
    // A site's own robots.txt or sitemap.xml is kept, as jekyll-sitemap keeps them.
    const own = state.ownFiles.get(outputPathOf(page.url));
    if (own !== undefined) keptOwn(own, page.url, state.diagnostics);
    else state.manifest.add(page.url, page.source, { content: typeof page.content === 'string' ? state.toBytes(page, page.content) : page.content }, state.diagnostics, page.origin);
  }
}

/** Says that the site's own page or file at a URL is published instead of Recap's. */
function keptOwn(file: string, url: string, diagnostics: Diagnostics): void {
  diagnostics.note('R112', file, undefined, undefined, `the site's own ${url} is kept in place of Recap's`, 'nothing to do; remove or move that file to get Recap\'s');
}

/**
 * Assets: theme files under hashed names, encoded photos, other static files as they are, the
 * favicon, and the headers file for hosts that read one.
 */
async function assets(state: BuildState): Promise<void> {
  const { options, config, diagnostics, manifest, plan } = state;
  for (const asset of state.assets) manifest.add(asset.url, asset.source, { content: asset.content }, diagnostics, 'recap');
  for (const file of state.sources.statics) if (!plan.has(file.url)) manifest.add(file.url, file.path, { copyFrom: file.absPath }, diagnostics, 'static');
  // A Jekyll site's own icon made by its Liquid (a templated favicon.svg) is published in place of Recap's, as a copied one is.
  if (!state.ownIcon && !manifest.has('/favicon.svg')) manifest.add('/favicon.svg', 'src/images/favicon.ts', { content: faviconSvg(config.title, config.theme.accent ?? DEFAULT_ACCENT) }, diagnostics, 'recap');
  state.encoded = await state.encoding;
  for (const file of state.encoded.files) manifest.add(file.url, file.source, { copyFrom: file.path }, diagnostics, 'recap');
  if (options.encodeImages === false) for (const file of plan.files()) manifest.add(file.url, file.source, { content: Buffer.alloc(0) }, diagnostics, 'recap');
  // A site's own static/_headers wins over the default one, made last: its cache rules name what the build publishes.
  if (!manifest.has('/_headers')) {
    const hosts = embedHosts(state.resolved.flatMap((post) => post.body.embeds));
    const immutable = immutablePatterns(Array.from(manifest.values(), (file) => file.url));
    manifest.add('/_headers', 'src/output/headers.ts', { content: headersFile(config.baseurl, hosts, immutable) }, diagnostics, 'recap');
  }
}

/** Remember (recap serve): what this build used becomes what the next one may reuse; the rest is forgotten. */
function remember(state: BuildState): void {
  const memory = state.options.memory;
  if (!memory) return;
  for (const memo of [memory.resolved, memory.imageChecks, memory.rendered, memory.pages, memory.views, memory.lists, memory.sections, memory.byMeetup, memory.stylesheets]) memo.settle();
}

/** The build's stages in order, by name: each a function of what the stages before it made. */
export const STAGES: ReadonlyArray<readonly [string, Stage]> = [
  ['load', load],
  ['parse', parse],
  ['images', images],
  ['theme', theme],
  ['posts', posts],
  ['collect', collect],
  ['sitemap', sitemap],
  ['assets', assets],
  ['remember', remember],
];

/**
 * The stages after which a one-off build has let go of most of what it held (posts: the posts'
 * sources and parse, and the page strings; collect: the list pages'), where a full garbage
 * collection gives the memory back before the next stage grows the heap past it — in a build that
 * made at least `collectFrom` post bodies, which frees 20–90 MB a stage. Cold builds: 4000 posts
 * peak at 345–357 MB instead of ~400, 10000 at 601–604 MB instead of ~710, wall time within noise
 * (~50–130 ms a collection). A rebuild from the cache frees only 20–30 MB a stage, and collecting
 * made a one-post edit 7–12% slower, so it does not collect. It needs Node's --expose-gc, which
 * the recap binary passes (src/cli.ts); recap serve, whose rebuilds must be quick, never collects.
 */
const SETTLING_STAGES: ReadonlySet<string> = new Set(['posts', 'collect']);

/** Post bodies a build must make for its settling stages to collect garbage. */
const COLLECT_FROM_BODIES = 1000;

/** True when a one-off build made enough post bodies for a collection after a settling stage to pay. */
function collectsGarbage(state: BuildState): boolean {
  return !state.options.memory && state.resolved.length - state.cachedBodies >= (state.options.collectFrom ?? COLLECT_FROM_BODIES);
}

/** Runs stages in order on one state, timing each; the site's silenced codes are dropped at the end. */
export async function runStages(state: BuildState, stages: ReadonlyArray<readonly [string, Stage]>): Promise<BuildState> {
  try {
    for (const [name, stage] of stages) {
      const started = performance.now();
      const before = state.timings.length;
      await stage(state);
      if (SETTLING_STAGES.has(name) && collectsGarbage(state)) globalThis.gc?.();
      // A stage's own time comes before the parts it timed itself (collect's sections).
      state.timings.splice(before, 0, { stage: name, ms: performance.now() - started });
    }
  } finally {
    // Resolve ends its workers; a build that stopped before (or ran only parse) ends them here.
    await state.workers?.close();
    // A build that stopped before the end of its posts stage lets its photo encoders finish what they have and stop.
    state.plan?.seal();
    // A one-off build that stopped before saving its post cache leaves the file as it was.
    if (!state.options.memory) state.cache?.release();
  }
  state.diagnostics.silence(new Set(state.config?.silence ?? []));
  return state;
}

/** Builds a site in memory, through every stage of STAGES. Nothing is written. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const state = await runStages(new BuildState(options), STAGES);
  return {
    config: state.config, manifest: state.manifest, diagnostics: state.diagnostics, posts: state.rendered.length, postList: state.resolved,
    pages: state.manifest.size, timings: state.timings, cachedBodies: state.cachedBodies, images: { encoded: state.encoded.encoded, cached: state.encoded.cached },
    changesAt: state.changesAt, cacheFile: state.cacheFile, reusedPages: state.reusedPages, postWorkers: state.postWorkers, workerPages: state.workerPages,
    sources: state.sources.posts.map(({ path: sitePath, digest }) => ({ path: sitePath, digest })),
  };
}

/** A single post read and resolved the way a build would (the site loaded and parsed, that post alone resolved), for commands that look at one post. */
export async function resolveOnePost(siteDir: string, postPath: string): Promise<{ post: ResolvedPost | undefined; diagnostics: Diagnostics }> {
  const only = path.resolve(postPath);
  const state = await runStages(new BuildState({ siteDir, only, persistCache: 'read' }), [...STAGES.filter(([name]) => ['load', 'parse'].includes(name)), ['resolve', resolve]]);
  // What the command reports is about its post (and the settings it was read with), not the rest of the site.
  const file = state.sources.posts.find((s) => s.absPath === only)?.path;
  const diagnostics = new Diagnostics();
  diagnostics.addAll(state.diagnostics.list.filter((d) => d.file === file || d.file === (state.config.file || 'recap.yml')));
  return { post: state.resolved[0], diagnostics };
}
