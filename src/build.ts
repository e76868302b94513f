import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadThemeAssets } from './assets.js';
import { collectPages, sitemapPages, type CollectContext } from './collect.js';
import { loadConfig, type SiteConfig } from './config.js';
import { isoDay, siteDateFromEpoch } from './dates.js';
import { Diagnostics } from './diagnostics.js';
import { loadPostFile, loadSite } from './load.js';
import { Manifest } from './manifest.js';
import { createMarkdown } from './markdown.js';
import { parsePost } from './parse.js';
import type { Post, ResolvedPost } from './post.js';
import { renderPost, type RenderedPost } from './render-posts.js';
import { createRenderer } from './render.js';
import { resolvePost } from './resolve.js';
import { compareCodeUnits } from './text.js';
import { createHelpers } from './views.js';

/** What to build and how. */
export interface BuildOptions {
  siteDir: string;
  baseUrl?: string;
  drafts?: boolean;
  future?: boolean;
  /** The present, for leaving out future posts (defaults to the clock). */
  now?: Date;
}

/** What a build produced: the manifest, its diagnostics, counts and stage timings. */
export interface BuildResult {
  config: SiteConfig;
  manifest: Manifest;
  diagnostics: Diagnostics;
  posts: number;
  pages: number;
  timings: Array<{ stage: string; ms: number }>;
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
  const parsed = parsePost(source, { config, now }, diagnostics);
  if (!parsed) return { post: undefined, diagnostics };
  const markdown = createMarkdown({ rawHtml: config.raw_html });
  return { post: resolvePost(parsed, { markdown, config, postUrls: new Map() }, diagnostics), diagnostics };
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
  const sources = await loadSite(siteDir, { drafts: options.drafts ?? false });
  for (const stray of sources.strays) {
    diagnostics.warning(stray, undefined, undefined, 'skipped: not a Markdown post', 'posts are .md or .markdown files; put photos in images/');
  }
  time('load');

  // 2. Parse: front matter, dates, URLs; leave out unpublished and future posts.
  const now = siteDateFromEpoch((options.now ?? new Date()).getTime(), config.timezone);
  const parsed: Post[] = [];
  for (const source of sources.posts) {
    const post = parsePost(source, { config, now }, diagnostics);
    if (!post) continue;
    if (post.data.published === false && !options.drafts) continue;
    if (post.date.epochMs > now.epochMs && !options.future) continue;
    parsed.push(post);
  }
  parsed.sort(newestFirst);
  time('parse');

  // 3-4. Resolve (Jekyll values, Markdown tokens, links) and render (body HTML, layout), post by
  // post, so each post's tokens are dropped as soon as its page exists.
  const markdown = createMarkdown({ rawHtml: config.raw_html });
  const postUrls = new Map(parsed.map((p) => [p.id, p.url]));
  const assets = await loadThemeAssets(sources.templatesDir);
  const helpers = createHelpers(config, new Map(assets.map((a) => [a.name, a.url])));
  const renderer = createRenderer(sources.templatesDir, config, helpers);
  const site = {
    title: config.title,
    description: config.description,
    url: config.url,
    baseurl: config.baseurl,
    language: config.language,
    author: config.author,
    twitter: config.twitter,
  };
  const renderContext = { config, site, markdown, renderer, helpers };
  const rendered: RenderedPost[] = [];
  let feedSlots = config.feed_size;
  let resolveMs = 0;
  let renderMs = 0;
  parsed.forEach((post, i) => {
    const t0 = performance.now();
    const resolved = resolvePost(post, { markdown, config, postUrls }, diagnostics);
    const t1 = performance.now();
    const inFeed = !post.data.redirect_to && feedSlots-- > 0;
    rendered.push(renderPost(resolved, { next: parsed[i - 1], previous: parsed[i + 1], inFeed }, renderContext, diagnostics));
    resolveMs += t1 - t0;
    renderMs += performance.now() - t1;
  });
  const manifest = new Manifest();
  const sitemap: Array<{ url: string; lastmod?: string }> = [];
  for (const { post, page } of rendered) {
    if (page === undefined || post.data.redirect_to) continue;
    manifest.add(post.url, post.file, { content: page }, diagnostics);
    if (!post.draft && post.data.published !== false) sitemap.push({ url: post.url, lastmod: post.data.last_modified_at ?? isoDay(post.date) });
  }
  time('resolve+render');
  timings.push({ stage: '  of which resolve', ms: resolveMs }, { stage: '  of which render', ms: renderMs });

  // 5. Collect: lists, tags, archives, feed, redirects, 404, sitemap.
  const collectContext: CollectContext = { config, site, renderer, helpers };
  for (const page of collectPages(rendered, collectContext, diagnostics)) {
    manifest.add(page.url, page.source, { content: page.content }, diagnostics);
    if (page.url.endsWith('/') && page.source.startsWith('templates/')) sitemap.push({ url: page.url });
  }
  sitemap.sort((a, b) => compareCodeUnits(a.url, b.url));
  for (const page of sitemapPages(sitemap, collectContext, diagnostics)) manifest.add(page.url, page.source, { content: page.content }, diagnostics);
  time('collect');

  // 6. Assets: theme files under hashed names, static files as they are.
  for (const asset of assets) manifest.add(asset.url, asset.source, { content: asset.content }, diagnostics);
  for (const file of sources.statics) manifest.add(file.url, file.path, { copyFrom: file.absPath }, diagnostics);
  time('assets');

  return { config, manifest, diagnostics, posts: rendered.length, pages: manifest.size, timings };
}
