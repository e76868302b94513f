import path from 'node:path';
import type { JekyllLiquid } from '../../content/jekyll-liquid.js';
import { decodeUtf8, splitFrontMatter } from '../../content/frontmatter.js';
import { expandPagePattern } from '../../content/permalink.js';
import type { Post } from '../../content/post.js';
import type { FrontMatter } from '../../content/schema.js';
import { defaultsFor, withDefaults, type FrontMatterDefault } from '../../content/front-matter-defaults.js';
import type { Diagnostics } from '../../diagnostics/diagnostics.js';
import { jekyllOutputPathOf, permalinkExtension, unsafeOutputReason } from '../../policy/output-policy.js';
import { UNDATED, type SiteClock, type SiteDate } from '../../content/dates.js';
import type { SourceFile } from './load.js';

/** A file a Jekyll site publishes as its Liquid makes it: where, and its bytes. */
export interface TemplatedOutput {
  url: string;
  content: Buffer;
}

/** A templated file's text as its Liquid makes it, where it goes, and the line of the file the text starts on. */
export interface TemplatedText {
  /** The URL of the file written for it (see templatedDestination). */
  url: string;
  text: string;
  firstLine: number;
  /** Whether its front matter gave the address (`permalink:`). */
  permalinked: boolean;
}

/**
 * A Jekyll site's file with front matter that is neither Markdown nor HTML (`feed.json`,
 * `search.json`, `humans.txt`), as Jekyll publishes it: its Liquid rendered with
 * the site and the page, no layout, at its own path or its `permalink`. Undefined, with an error at
 * the file, when it is not UTF-8 or its front matter or Liquid fails, and with a warning when its
 * permalink cannot be a file.
 */
export function renderTemplatedFile(source: SourceFile, liquid: JekyllLiquid, clock: SiteClock, diagnostics: Diagnostics, site?: TemplatedSite): TemplatedOutput | undefined {
  const made = renderTemplatedText(source, liquid, clock, diagnostics, undefined, site);
  return made && { url: made.url, content: Buffer.from(made.text) };
}

/**
 * Where a collection's document goes (see documentDestination), given its front matter's
 * `permalink` and its front matter, with its date where it gives one.
 */
export type DocumentPlacement = (document: { path: string; collection: string; documentPath: string }, written: string | undefined, data: FrontMatter, given: SiteDate | undefined) => { address: string; url: string };

/** What a site's settings give its templated files: the front matter defaults (a `permalink` among them), and where a collection's document goes. */
export interface TemplatedSite {
  defaults: ReadonlyArray<FrontMatterDefault>;
  placeDocument: DocumentPlacement;
}

/**
 * A templated file's text, rendered as renderTemplatedFile renders it. `extension` is the one its
 * address takes when its front matter gives none (`.css` for a stylesheet: Jekyll's output extension);
 * `site` gives it the front matter defaults, and places a collection's document.
 */
export function renderTemplatedText(source: SourceFile, liquid: JekyllLiquid, clock: SiteClock, diagnostics: Diagnostics, extension?: string, site?: TemplatedSite): TemplatedText | undefined {
  const file = source.path;
  const decoded = decodeUtf8(source.bytes ?? Buffer.alloc(0));
  if (!decoded.ok) {
    diagnostics.error('R209', file, decoded.line, undefined, 'the file is not valid UTF-8 text', 'save it as UTF-8 in your editor');
    return undefined;
  }
  const split = splitFrontMatter(decoded.text, file, diagnostics, true);
  if (!split) return undefined;
  // As Jekyll gives every page and document its defaults (scoped by path and by `pages` or the collection's label).
  const data = (site ? withDefaults(split.data, defaultsFor(site.defaults, file, source.collection ?? 'pages')) : split.data) as FrontMatter;
  const written = typeof data.permalink === 'string' && data.permalink.trim() !== '' ? data.permalink : undefined;
  // Dated as its front matter says, else as Recap dates a page (its date shows only in a permalink that names it).
  const given = clock.parse(typeof data.date === 'string' ? data.date : '');
  const date = given.ok ? given.date : UNDATED;
  const { collection, documentPath } = source;
  const { address, url } = collection !== undefined && documentPath !== undefined && site
    ? site.placeDocument({ path: file, collection, documentPath }, written, data, given.ok ? given.date : undefined)
    : templatedDestination(file, written, extension);
  const unsafe = unsafeOutputReason(url);
  if (unsafe) {
    // Jekyll writes it there (a hidden `/.txt` from `/:path:output_ext`): Recap cannot, and builds the rest.
    diagnostics.warning('R211', file, undefined, undefined, `not published: ${url} cannot be an output path: ${unsafe}`, 'use a plain path inside the site, such as /feed.json');
    return undefined;
  }
  const page: Post = {
    file, digest: source.digest, id: file, draft: false, kind: 'page', ...(collection !== undefined ? { collection } : {}), data, matterText: split.matterText,
    title: typeof data.title === 'string' ? data.title : path.posix.basename(file), ...(typeof data.title === 'string' ? {} : { untitled: true as const }), description: '', date,
    url: address, tags: [], categories: [], layout: 'none', event: undefined, body: split.body, bodyLine: split.bodyLine,
  };
  return { url, text: liquid.render(page, split.body, diagnostics), firstLine: split.bodyLine, permalinked: written !== undefined };
}

/**
 * Where a templated file goes, as Jekyll places it: `address` is its URL (`page.url`: its own path,
 * or its `permalink` expanded with its `:path`, `:basename` and `:output_ext`), `url` the file
 * written for it, the address with its output extension (`/api/` is `/api/index.json` for a
 * `search.json`): the permalink's own, else `extension` (`.css` for a stylesheet) or the file's.
 */
export function templatedDestination(file: string, permalink: string | undefined, extension?: string): { address: string; url: string } {
  // As Jekyll's Renderer#output_ext: the permalink's own extension, else what the file becomes.
  const outputExtension = permalinkExtension(permalink) ?? extension ?? path.posix.extname(file);
  if (permalink === undefined) {
    const url = `/${extension ? file.replace(/\.[^./]*$/, extension) : file}`;
    return { address: url, url };
  }
  const name = path.posix.basename(file);
  const address = expandPagePattern(permalink, { path: path.posix.dirname(file).replace(/^\.$/, ''), basename: name.replace(/\.[^.]*$/, ''), outputExtension });
  return { address, url: `/${jekyllOutputPathOf(address, outputExtension)}` };
}
