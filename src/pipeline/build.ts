import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generatedAsset, loadThemeAssets } from './stages/assets.js';
import { DEFAULT_ACCENT, faviconSvg, themeStylesheet } from '../images/favicon.js';
import { collectPages, sitemapPages, type CollectContext, type CollectedPage } from './stages/collect.js';
import { loadConfig, type SiteConfig } from '../content/config.js';
import { isoDay, SiteClock } from '../content/dates.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { digestOf, loadPostFile, loadSite } from './stages/load.js';
import { Manifest } from '../output/manifest.js';
import type { Post, ResolvedPost } from '../content/post.js';
import { renderPost, ViewMemo, type Neighbour, type RenderedPost } from './stages/render.js';
import { createRenderer } from '../views/renderer.js';
import type { ResolveContext } from './stages/resolve.js';
import { PostCache } from '../incremental/post-cache.js';
import { compareCodeUnits } from '../content/text.js';
import { ImagePlan } from './stages/images.js';
import { checkImages } from '../images/references.js';
import type { BuildMemory } from '../incremental/build-memory.js';
import { embedHosts, headersFile } from '../output/headers.js';
import { createHelpers, siteNav, siteView } from '../views/views.js';
import { readJekyllInputs } from '../content/jekyll-inputs.js';
import { createEventViews } from '../content/events.js';
import { readSpeakers, SPEAKERS_FILE } from '../content/speakers.js';

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
}

/** Posts handled between two pauses of a long stage. */
const POSTS_PER_SLICE = 128;

/**
 * Lets waiting work through in the middle of a long stage: recap serve keeps answering requests
 * (from the last good build) and hearing file events while it rebuilds a large site.
 */
function pause(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** True at the end of each slice of a long stage, where it pauses. */
function endOfSlice(index: number): boolean {
  return index % POSTS_PER_SLICE === POSTS_PER_SLICE - 1;
}

/** Newest first; on the same date, by file path, so the order never depends on the file system. */
function newestFirst(a: Post, b: Post): number {
  return b.date.epochMs - a.date.epochMs || compareCodeUnits(a.file, b.file);
}

/** A single post read and resolved the way a build would, for commands that look at one post. */
export async function resolveOnePost(siteDir: string, postPath: string): Promise<{ post: ResolvedPost | undefined; diagnostics: Diagnostics }> {
  const diagnostics = new Diagnostics();
  const config = await loadConfig(siteDir, {}, diagnostics);
  const source = await loadPostFile(siteDir, postPath);
  const clock = new SiteClock(config.timezone);
  const now = clock.fromEpoch(Date.now());
  const { parsePost } = await import('./stages/parse.js');
  const parsed = parsePost(source, { config, now, clock }, diagnostics);
  if (!parsed) return { post: undefined, diagnostics };
  const markdown = (await import('../content/markdown.js')).createMarkdown({ rawHtml: config.raw_html });
  const { resolveBody } = await import('./stages/resolve.js');
  const post = { ...parsed, body: resolveBody(parsed, { markdown, config, postUrls: new Map() }, diagnostics) };
  diagnostics.silence(new Set(config.silence));
  return { post, diagnostics };
}

/** Where a site keeps its parsed posts and resolved bodies between builds: in its `cache_dir`. */
function sitePostCachePath(siteDir: string, config: SiteConfig): string {
  return path.resolve(siteDir, config.cache_dir, 'recap', 'posts.json');
}

/** Builds a site in memory: load, parse, resolve, render, collect, assets. Nothing is written. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const siteDir = path.resolve(options.siteDir);
  const diagnostics = new Diagnostics();
  const timings: BuildResult['timings'] = [];
  let started = performance.now();
  const time = (stage: string): void => {
    const now = performance.now();
    timings.push({ stage, ms: now - started });
    started = now;
  };

  // 1. Load: configuration, posts, drafts, static files.
  const config = await loadConfig(siteDir, { baseUrl: options.baseUrl }, diagnostics);
  const sources = await loadSite(siteDir, { drafts: options.drafts ?? false, memory: options.memory, jekyll: config.jekyll });
  const speakers = readSpeakers(siteDir, digestOf, diagnostics);
  diagnostics.list.push(...sources.problems);
  for (const stray of sources.strays) {
    diagnostics.warning('R106', stray, undefined, undefined, 'skipped: not a Markdown post', 'posts are .md or .markdown files; put photos in images/');
  }
  time('load');

  // 2. Parse: front matter, dates, URLs; leave out unpublished and future posts.
  const cacheFile = options.persistCache ? sitePostCachePath(siteDir, config) : undefined;
  const cache = options.memory?.posts ?? (await PostCache.open(cacheFile, { readOnly: options.persistCache === 'read', rawHtml: config.raw_html, siteDir }));
  const clock = new SiteClock(config.timezone);
  const now = clock.fromEpoch((options.now ?? new Date()).getTime());
  const parsed: Post[] = [];
  const memory = options.memory;
  let parser: typeof import('./stages/parse.js') | undefined;
  for (const [index, source] of sources.posts.entries()) {
    if (endOfSlice(index)) await pause();
    let entry = source.draft ? undefined : memory?.parsedBySource.get(source);
    const key = entry || source.draft ? undefined : PostCache.parseKey(source, config);
    if (key) entry = cache.get('parse', key);
    if (!entry) {
      // Loaded on the first cache miss: a build of unchanged posts never needs the parsers.
      parser ??= await import('./stages/parse.js');
      const parseDiagnostics = new Diagnostics();
      entry = { value: parser.parsePost(source, { config, now, clock }, parseDiagnostics) ?? null, diagnostics: parseDiagnostics.list };
      if (key) cache.set('parse', key, entry);
    }
    if (!source.draft) memory?.parsedBySource.set(source, entry);
    diagnostics.list.push(...entry.diagnostics);
    const post = entry.value;
    if (!post) continue;
    if (post.data.published === false && !options.drafts) continue;
    // A post about a meetup is built whatever its date: before the meetup it is the announcement.
    if (post.kind === 'post' && post.date.epochMs > now.epochMs && !options.future && !post.event) continue;
    parsed.push(post);
  }
  parsed.sort(newestFirst);
  time('parse');

  // 3. Resolve: Jekyll values, Markdown, talks, links, body HTML (from the cache when the post,
  // the settings it sees and Recap itself are unchanged).
  const postUrls = new Map(parsed.filter((p) => p.kind === 'post').map((p) => [p.id, p.url]));
  const postUrlsKey = JSON.stringify([...postUrls]);
  // A Jekyll site's posts are Liquid templates: what they may include or name is part of their inputs.
  const jekyllInputs = config.jekyll ? readJekyllInputs(sources, diagnostics) : undefined;
  const urlsBySource = new Map(parsed.map((p) => [p.file, p.url]));
  const liquidKey = jekyllInputs ? digestOf(JSON.stringify([jekyllInputs.includes, jekyllInputs.data, [...urlsBySource]])) : '';
  let resolveContext: ResolveContext | undefined;
  let resolver: typeof import('./stages/resolve.js') | undefined;
  let hits = 0;
  const resolved: ResolvedPost[] = [];
  for (const [index, post] of parsed.entries()) {
    if (endOfSlice(index)) await pause();
    const usesLiquid = jekyllInputs !== undefined && (post.body.includes('{{') || post.body.includes('{%'));
    const namesOthers = usesLiquid || post.body.includes('post_url');
    const known = namesOthers ? undefined : memory?.resolvedByPost.get(post);
    if (known) {
      hits++;
      diagnostics.list.push(...known.diagnostics);
      resolved.push(known.value);
      continue;
    }
    const key = PostCache.resolveKey(post, config, namesOthers ? `${postUrlsKey}\0${liquidKey}` : '');
    let entry = cache.get('resolve', key);
    if (entry) hits++;
    else {
      // Markdown is loaded on the first cache miss, as the parsers are.
      resolver ??= await import('./stages/resolve.js');
      if (!resolveContext) {
        const markdown = (await import('../content/markdown.js')).createMarkdown({ rawHtml: config.raw_html });
        const liquid = jekyllInputs && (await import('../content/jekyll-liquid.js')).createJekyllLiquid({
          config, ...jekyllInputs, postUrls, urlsBySource, markdownify: (text) => markdown.render(markdown.parse(text)),
        });
        resolveContext = { markdown, config, postUrls, liquid };
      }
      const bodyDiagnostics = new Diagnostics();
      entry = { value: resolver.resolveBody(post, resolveContext, bodyDiagnostics), diagnostics: bodyDiagnostics.list };
      cache.set('resolve', key, entry);
    }
    diagnostics.list.push(...entry.diagnostics);
    const resolvedPost = { ...post, body: entry.value };
    if (!namesOthers) memory?.resolvedByPost.set(post, { value: resolvedPost, diagnostics: entry.diagnostics });
    resolved.push(resolvedPost);
  }
  await cache.save();
  if (cache.discarded.length > 0 && cacheFile) {
    diagnostics.note('R111', path.relative(siteDir, cacheFile).split(path.sep).join('/'), undefined, undefined,
      `discarded ${cache.discarded.length === 1 ? cache.discarded[0] : `${cache.discarded.length} entries`} of the post cache: not what Recap writes (damaged, old, or tampered with)`,
      'nothing to do: those posts were read again from their files');
  }
  time('resolve');

  // 4. Images: plan every photo's variants (sizes from headers, names from content hashes), check
  // what posts reference, then encode what the cache lacks while the pages render.
  const plan = await ImagePlan.create(sources.statics, { widths: config.image_widths, cacheDir: path.resolve(siteDir, config.cache_dir, 'images'), siteDir, baseurl: config.baseurl }, diagnostics);
  const knownFiles = new Set(sources.statics.map((f) => f.url));
  const socialImages = checkImages(resolved, plan, knownFiles, config, diagnostics, memory?.imageChecks);
  for (const profile of speakers.profiles) if (profile.photo) plan.checkReference(profile.photo, SPEAKERS_FILE, () => ({ line: profile.line }), knownFiles, diagnostics);
  const noEncoding = { files: [] as Array<{ url: string; path: string; source: string }>, encoded: 0, cached: 0 };
  const encoding = options.encodeImages === false ? Promise.resolve(noEncoding) : plan.encode(diagnostics, { prune: !options.memory, onProgress: options.onImageProgress });
  encoding.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  time('images');

  // 5. Render: each post's body in its layout.
  const assets = await loadThemeAssets(sources.templatesDir);
  if (config.theme.accent) assets.push(generatedAsset('theme.css', themeStylesheet(config.theme.accent), config.file || 'recap.yml'));
  // The search page's engine, loaded by templates/assets/search.js on first use.
  assets.push(generatedAsset('minisearch.js', await readFile(fileURLToPath(import.meta.resolve('minisearch')), 'utf8'), 'node_modules/minisearch'));
  // A site's own icon wins; otherwise one is drawn from its initials.
  const ownIcon = ['/favicon.svg', '/favicon.ico', '/favicon.png'].find((url) => sources.statics.some((f) => f.url === url));
  const posts = resolved.filter((p) => p.kind === 'post');
  const pages = resolved.filter((p) => p.kind === 'page');
  const nav = siteNav(config, pages);
  const helpers = createHelpers(config, new Map(assets.map((a) => [a.name, a.url])), plan, nav);
  const memo = options.memory ? { previous: options.memory.pages, next: new Map<string, string>(), tokens: options.memory.tokens } : undefined;
  const reusable = memory?.renderer;
  const renderer = reusable && reusable.siteTemplates === sources.templatesDir && reusable.language === config.language
    ? reusable
    : createRenderer(sources.templatesDir, config);
  renderer.bind(helpers, memo);
  if (memory) memory.renderer = renderer;
  const site = siteView(config, nav, ownIcon ?? '/favicon.svg');
  // Every page shows the site's navigation and name, and may name speakers: a change to them is a change to every page.
  const siteKey = digestOf(JSON.stringify(site) + speakers.digest);
  const eventView = createEventViews(config.language, config.timezone, now);
  const views = new ViewMemo(options.memory?.views, memo?.tokens);
  const renderContext = { config, site, siteKey, renderer, helpers, socialImages, views, eventView, speakers, unknownLayouts: new Set<string>() };
  const neighbour = (post: ResolvedPost | undefined) => (post ? { title: post.title, url: post.url } : undefined);
  const renderOne = (post: ResolvedPost, neighbours: { next?: Neighbour; previous?: Neighbour }): RenderedPost => {
    // An unchanged post beside unchanged neighbours, in an unchanged site, is the very same page as last time.
    // Where its event stands changes with the clock, so a page with one is keyed by that too.
    const phase = post.event ? eventView(post.event, post.url) : undefined;
    const key = `${neighbours.next?.url}\0${neighbours.next?.title}\0${neighbours.previous?.url}\0${neighbours.previous?.title}\0${socialImages.get(post.file)}\0${siteKey}\0${phase?.phase}\0${phase?.countdown}`;
    const known = memory?.renderedByPost.get(post);
    if (known && known.key === key) return known.rendered;
    const fresh = renderPost(post, neighbours, renderContext, diagnostics);
    memory?.renderedByPost.set(post, { key, rendered: fresh });
    return fresh;
  };
  const rendered: RenderedPost[] = [];
  for (const [i, post] of posts.entries()) {
    if (endOfSlice(i)) await pause();
    rendered.push(renderOne(post, { next: neighbour(posts[i - 1]), previous: neighbour(posts[i + 1]) }));
  }
  const renderedPages = pages.map((page) => renderOne(page, {}));
  const manifest = new Manifest();
  const bytesUsed = new Map<string, Buffer>();
  // Pages from the render memo are the same strings as last time: reuse their bytes too.
  const toBytes = (html: string): Buffer => {
    const bytes = options.memory?.bytes.get(html) ?? Buffer.from(html);
    if (options.memory) bytesUsed.set(html, bytes);
    return bytes;
  };
  const sitemap: Array<{ url: string; lastmod?: string }> = [];
  for (const { post, page } of [...rendered, ...renderedPages]) {
    if (page === undefined || post.data.redirect_to) continue;
    manifest.add(post.url, post.file, { content: toBytes(page) }, diagnostics, 'content');
    const lastmod = post.data.last_modified_at ?? (post.kind === 'post' ? isoDay(post.date) : undefined);
    if (!post.draft && post.data.published !== false) sitemap.push({ url: post.url, lastmod });
  }
  time('render');

  // 6. Collect: lists, tags, archives, feed, redirects, 404, sitemap.
  const collectMemo = options.memory ? { previous: options.memory.lists, next: new Map<string, CollectedPage[]>() } : undefined;
  const collectContext: CollectContext = { config, site, siteKey, renderer, helpers, speakers, clock, memo: collectMemo };
  const sectionTimings: BuildResult['timings'] = [];
  for (const page of collectPages(rendered, renderedPages, collectContext, diagnostics, sectionTimings)) {
    // A site's own page at a URL Recap would fill but need not (a Jekyll site's /speakers/) keeps it.
    if (page.optional && manifest.has(page.url)) {
      diagnostics.note('R112', manifest.get(page.url)?.source ?? page.source, undefined, undefined, `the site's own ${page.url} is kept in place of Recap's`, 'nothing to do; remove or move that page to get Recap\'s');
      continue;
    }
    manifest.add(page.url, page.source, { content: toBytes(page.content) }, diagnostics, page.origin);
    if (page.url.endsWith('/') && page.source.startsWith('templates/')) sitemap.push({ url: page.url });
  }
  // A Jekyll site's own feed file (atom.xml, ...) keeps its URL, with Recap's feed in it: subscribers keep their feed.
  const feed = manifest.get('/feed.xml');
  for (const own of sources.feeds) if (feed?.content && own.url !== '/feed.xml') manifest.add(own.url, own.path, { content: feed.content }, diagnostics, 'static');
  sitemap.sort((a, b) => compareCodeUnits(a.url, b.url));
  for (const page of sitemapPages(sitemap, collectContext, diagnostics)) manifest.add(page.url, page.source, { content: page.content }, diagnostics, page.origin);
  time('collect');
  timings.push(...sectionTimings);

  // 7. Assets: theme files under hashed names, encoded photos, other static files as they are,
  // and the headers file for hosts that read one.
  for (const asset of assets) manifest.add(asset.url, asset.source, { content: asset.content }, diagnostics, 'recap');
  for (const file of sources.statics) if (!plan.has(file.url)) manifest.add(file.url, file.path, { copyFrom: file.absPath }, diagnostics, 'static');
  if (!ownIcon) manifest.add('/favicon.svg', 'src/images/favicon.ts', { content: faviconSvg(config.title, config.theme.accent ?? DEFAULT_ACCENT) }, diagnostics, 'recap');
  // A site's own static/_headers wins over the default one.
  if (!manifest.has('/_headers')) {
    const hosts = embedHosts(resolved.flatMap((post) => post.body.embeds));
    manifest.add('/_headers', 'src/output/headers.ts', { content: headersFile(config.baseurl, hosts) }, diagnostics, 'recap');
  }
  const encoded = await encoding;
  if (options.memory && memo) {
    options.memory.pages = memo.next;
    options.memory.views = views.used;
    options.memory.bytes = bytesUsed;
    options.memory.lists = collectMemo!.next;
  }
  for (const file of encoded.files) manifest.add(file.url, file.source, { copyFrom: file.path }, diagnostics, 'recap');
  if (options.encodeImages === false) for (const file of plan.files()) manifest.add(file.url, file.source, { content: Buffer.alloc(0) }, diagnostics, 'recap');
  time('assets');

  diagnostics.silence(new Set(config.silence));
  return { config, manifest, diagnostics, posts: rendered.length, postList: resolved, pages: manifest.size, timings, cachedBodies: hits,
    images: { encoded: encoded.encoded, cached: encoded.cached } };
}
