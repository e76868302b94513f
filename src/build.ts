import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadThemeAssets } from './assets.js';
import { collectPages, sitemapPages, type CollectContext } from './collect.js';
import { loadConfig, type SiteConfig } from './config.js';
import { isoDay, siteDateFromEpoch } from './dates.js';
import { Diagnostics } from './diagnostics.js';
import { loadPostFile, loadSite, type SourceFile } from './load.js';
import { Manifest } from './manifest.js';
import type { Post, ResolvedPost } from './post.js';
import { renderPost } from './render-posts.js';
import { createRenderer } from './render.js';
import type { ResolveContext } from './resolve.js';
import { PostCache } from './post-cache.js';
import { compareCodeUnits } from './text.js';
import { ImagePlan } from './image-stage.js';
import { frontMatterLine } from './post.js';
import { lineOfYamlKey } from './yaml.js';
import { createHelpers, siteView } from './views.js';

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
  /** Keep parsed posts and resolved bodies in the site's cache folder between builds (recap build). */
  persistCache?: boolean;
  /** Called as images are encoded, for a progress bar. */
  onImageProgress?: (done: number, total: number) => void;
}

/** What recap serve keeps between rebuilds, so that a change re-does only what depends on it. */
export interface BuildMemory {
  /** Parsed posts and resolved bodies, by content. */
  posts: PostCache;
  /** Source files read before, by absolute path. */
  sources: Map<string, SourceFile>;
  /** Absolute paths the watcher saw change since the last build: only these are read again. */
  changed: Set<string>;
  /** Rendered templates by name and context. */
  pages: Map<string, string>;
}

/** A fresh memory for a series of builds of one site. */
export async function createBuildMemory(): Promise<BuildMemory> {
  return { posts: await PostCache.open(undefined), sources: new Map(), changed: new Set(), pages: new Map() };
}

/** What a build produced: the manifest, its diagnostics, counts and stage timings. */
export interface BuildResult {
  config: SiteConfig;
  manifest: Manifest;
  diagnostics: Diagnostics;
  posts: number;
  pages: number;
  timings: Array<{ stage: string; ms: number }>;
  /** Posts whose resolved body came from the cache. */
  cachedBodies: number;
  /** Image files encoded by this build, and found in the image cache. */
  images: { encoded: number; cached: number };
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
  const now = siteDateFromEpoch(Date.now(), config.timezone);
  const { parsePost } = await import('./parse.js');
  const parsed = parsePost(source, { config, now }, diagnostics);
  if (!parsed) return { post: undefined, diagnostics };
  const markdown = (await import('./markdown.js')).createMarkdown({ rawHtml: config.raw_html });
  const { resolveBody } = await import('./resolve.js');
  return { post: { ...parsed, body: resolveBody(parsed, { markdown, config, postUrls: new Map() }, diagnostics) }, diagnostics };
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
  const sources = await loadSite(siteDir, { drafts: options.drafts ?? false, memory: options.memory });
  for (const stray of sources.strays) {
    diagnostics.warning(stray, undefined, undefined, 'skipped: not a Markdown post', 'posts are .md or .markdown files; put photos in images/');
  }
  time('load');

  // 2. Parse: front matter, dates, URLs; leave out unpublished and future posts.
  const cache = options.memory?.posts ?? (await PostCache.open(options.persistCache ? sitePostCachePath(siteDir, config) : undefined));
  const now = siteDateFromEpoch((options.now ?? new Date()).getTime(), config.timezone);
  const parsed: Post[] = [];
  for (const source of sources.posts) {
    const key = source.draft ? undefined : PostCache.parseKey(source, config);
    let entry = key ? cache.get('parse', key) : undefined;
    if (!entry) {
      // Loaded on the first cache miss: a build of unchanged posts never needs the parsers.
      const { parsePost } = await import('./parse.js');
      const parseDiagnostics = new Diagnostics();
      entry = { value: parsePost(source, { config, now }, parseDiagnostics) ?? null, diagnostics: parseDiagnostics.list };
      if (key) cache.set('parse', key, entry);
    }
    diagnostics.list.push(...entry.diagnostics);
    const post = entry.value;
    if (!post) continue;
    if (post.data.published === false && !options.drafts) continue;
    if (post.date.epochMs > now.epochMs && !options.future) continue;
    parsed.push(post);
  }
  parsed.sort(newestFirst);
  time('parse');

  // 3. Resolve: Jekyll values, Markdown, talks, links, body HTML (from the cache when the post,
  // the settings it sees and Recap itself are unchanged).
  const postUrls = new Map(parsed.map((p) => [p.id, p.url]));
  const postUrlsKey = JSON.stringify([...postUrls]);
  let resolveContext: ResolveContext | undefined;
  let hits = 0;
  const resolved: ResolvedPost[] = [];
  for (const post of parsed) {
    const key = PostCache.resolveKey(post, config, postUrlsKey);
    let entry = cache.get('resolve', key);
    if (entry) hits++;
    else {
      // Markdown is loaded on the first cache miss, as the parsers are.
      resolveContext ??= { markdown: (await import('./markdown.js')).createMarkdown({ rawHtml: config.raw_html }), config, postUrls };
      const bodyDiagnostics = new Diagnostics();
      entry = { value: (await import('./resolve.js')).resolveBody(post, resolveContext, bodyDiagnostics), diagnostics: bodyDiagnostics.list };
      cache.set('resolve', key, entry);
    }
    diagnostics.list.push(...entry.diagnostics);
    resolved.push({ ...post, body: entry.value });
  }
  await cache.save();
  time('resolve');

  // 4. Images: plan every photo's variants (sizes from headers, names from content hashes), check
  // what posts reference, then encode what the cache lacks while the pages render.
  const plan = await ImagePlan.create(sources.statics, { widths: config.image_widths, cacheDir: path.resolve(siteDir, config.cache_dir, 'images'), baseurl: config.baseurl }, diagnostics);
  const socialImages = checkImages(resolved, plan, new Set(sources.statics.map((f) => f.url)), config, diagnostics);
  const encoding = plan.encode(diagnostics, options.onImageProgress);
  encoding.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  time('images');

  // 5. Render: each post's body in its layout.
  const assets = await loadThemeAssets(sources.templatesDir);
  const helpers = createHelpers(config, new Map(assets.map((a) => [a.name, a.url])), plan);
  const memo = options.memory ? { previous: options.memory.pages, next: new Map<string, string>() } : undefined;
  const renderer = createRenderer(sources.templatesDir, config, helpers, memo);
  const site = siteView(config);
  const renderContext = { config, site, renderer, helpers, socialImages };
  const rendered = resolved.map((post, i) => renderPost(post, { next: resolved[i - 1], previous: resolved[i + 1] }, renderContext, diagnostics));
  const manifest = new Manifest();
  const sitemap: Array<{ url: string; lastmod?: string }> = [];
  for (const { post, page } of rendered) {
    if (page === undefined || post.data.redirect_to) continue;
    manifest.add(post.url, post.file, { content: page }, diagnostics);
    if (!post.draft && post.data.published !== false) sitemap.push({ url: post.url, lastmod: post.data.last_modified_at ?? isoDay(post.date) });
  }
  time('render');

  // 6. Collect: lists, tags, archives, feed, redirects, 404, sitemap.
  const collectContext: CollectContext = { config, site, renderer, helpers };
  for (const page of collectPages(rendered, collectContext, diagnostics)) {
    manifest.add(page.url, page.source, { content: page.content }, diagnostics);
    if (page.url.endsWith('/') && page.source.startsWith('templates/')) sitemap.push({ url: page.url });
  }
  sitemap.sort((a, b) => compareCodeUnits(a.url, b.url));
  for (const page of sitemapPages(sitemap, collectContext, diagnostics)) manifest.add(page.url, page.source, { content: page.content }, diagnostics);
  time('collect');

  // 7. Assets: theme files under hashed names, encoded photos, other static files as they are.
  for (const asset of assets) manifest.add(asset.url, asset.source, { content: asset.content }, diagnostics);
  for (const file of sources.statics) if (!plan.has(file.url)) manifest.add(file.url, file.path, { copyFrom: file.absPath }, diagnostics);
  const encoded = await encoding;
  if (options.memory && memo) options.memory.pages = memo.next;
  for (const file of encoded.files) manifest.add(file.url, file.source, { copyFrom: file.path }, diagnostics);
  time('assets');

  return { config, manifest, diagnostics, posts: rendered.length, pages: manifest.size, timings, cachedBodies: hits,
    images: { encoded: encoded.encoded, cached: encoded.cached } };
}

/**
 * Checks every photo a post references (front matter `image:` and Markdown images) and chooses
 * each post's social image: its photo's 1200×630 crop, a remote image as it is, or a generated card.
 */
function checkImages(posts: ResolvedPost[], plan: ImagePlan, known: ReadonlySet<string>, config: SiteConfig, diagnostics: Diagnostics): Map<string, string> {
  const social = new Map<string, string>();
  for (const post of posts) {
    for (const image of post.body.images) plan.checkReference(image.src, post.file, image.line, undefined, known, diagnostics);
    const image = post.data.image;
    if (image) {
      const at = lineOfYamlKey(post.matterText, ['image']);
      plan.checkReference(image, post.file, at ? frontMatterLine(at.line) : undefined, at?.column, known, diagnostics);
      const local = plan.localPath(image);
      const planned = local ? plan.get(local) : undefined;
      if (planned) social.set(post.file, planned.social.url);
      else if (!local) social.set(post.file, image);
    }
    if (!social.has(post.file)) social.set(post.file, plan.card(config.title, post.title, post.file).url);
  }
  return social;
}
