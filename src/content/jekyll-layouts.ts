import { lstatSync, readFileSync } from 'node:fs';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import type { StaticFile } from '../pipeline/stages/load.js';
import { splitFrontMatter } from './frontmatter.js';
import { MAX_INCLUDE_BYTES } from './jekyll-inputs.js';

/** A layout that is a whole document (its own `<html>`, `<head>` or `<body>`): Recap's theme stands in for it. */
const DOCUMENT_SHELL = /<(?:!doctype|html|head|body)\b/i;
/** Where a layout puts what it wraps: `{{ content }}`, or with filters (`{{ content | toc }}`), which are passed by. (No brace inside: each try stops at the next tag, so a layout of unclosed tags is read in linear time.) */
const CONTENT_TAG = /\{\{-?\s*content\s*(?:\|[^{}]*)?-?\}\}/g;
/** Liquid that shows the site's data, posts or includes: a layout that makes a page's list, not only its frame. (No try reads past the next brace: linear time.) */
const SHOWS_SITE = /\{\{[^{}]*\bsite\.|\{%[^{%]*\bsite\.|\{%-?\s*include/;
/** A page's front matter as its Liquid names it (`page.talks`). */
const PAGE_FIELD = /\bpage\.([A-Za-z_][\w-]*)/g;
/**
 * What a page's frame shows of it, which Recap's theme shows in its own way (or a theme's looks
 * that Recap's stands in for: a header photo, share buttons, comments): a layout showing only
 * these makes nothing of its own.
 */
const FRAME_FIELDS: ReadonlySet<string> = new Set(['title', 'url', 'date', 'content', 'excerpt', 'layout', 'path', 'id', 'slug', 'name', 'collection', 'relative_path', 'dir', 'output', 'draft', 'next', 'previous', 'tags', 'tag', 'categories', 'category', 'description', 'author', 'lang',
  'subtitle', 'image', 'header', 'cover', 'cover-img', 'share-img', 'thumbnail', 'thumbnail-img', 'feature', 'teaser', 'comments', 'share', 'social-share', 'read_time', 'readtime', 'toc', 'mathjax', 'math', 'mermaid', 'modified_date', 'last_modified_at', 'updated', 'permalink', 'published', 'sitemap', 'redirect_from', 'css', 'js', 'ext-css', 'ext-js', 'related', 'author_profile', 'show_date', 'hide', 'sidebar',
  // Minimal Mistakes', Beautiful Jekyll's, Chirpy's and Hux Blog's own keys, and a menu's order.
  'classes', 'locale', 'toc_label', 'toc_icon', 'toc_sticky', 'excerpt_separator', 'share-title', 'share-description', 'language', 'nav-short', 'full-width', 'gh-repo', 'gh-badge', 'media_subpath', 'pin', 'render_with_liquid', 'header-img', 'header-style', 'header-mask', 'catalog', 'weight', 'order', 'nav_order']);
/**
 * A layout's heading of the page's title, at any level (`<h1>{{ page.title }} - <time>...</time></h1>`,
 * a video theme's `<h2 itemprop="name">{{ page.title }}</h2>`). Headings do not nest, so each try
 * stops at the next heading's tag: a layout of unclosed headings is read in linear time.
 */
const TITLE_HEADING = /<h([1-6])\b[^<>]*>(?:(?!<\/?h[1-6]\b)[\s\S])*?\{\{-?\s*page\.title\b(?:(?!<\/?h[1-6]\b)[\s\S])*?<\/h\1>/i;
/** How many layouts a chain may name before it is taken to be a loop. */
const MAX_CHAIN = 8;

/**
 * A Jekyll site's own layouts (`_layouts/NAME.html`) by name, as written. Recap's theme stands in
 * for them, but a layout that is part of a page's text (a schedule or a list of sponsors made from
 * `_data/`) is read for such pages (see layoutTextOf). One over the include limit is left unread.
 */
export function readSiteLayouts(files: readonly StaticFile[]): Map<string, string> {
  const layouts = new Map<string, string>();
  for (const file of files) {
    if (lstatSync(file.absPath).size > MAX_INCLUDE_BYTES) continue;
    layouts.set(file.url.replace(/^\/_layouts\//, '').replace(/\.html?$/i, ''), readFileSync(file.absPath, 'utf8'));
  }
  return layouts;
}

/** A page's text made by its site layouts, and where its first line is (the outermost of them, whose text it starts with). */
export interface LayoutText {
  text: string;
  file: string;
  bodyLine: number;
  /** The front matter it shows that Recap's theme does not (`location`, `talks`), in the order it names them. */
  fields: string[];
}

/**
 * The text a page gets from its site layout, where that layout is part of the page rather than its
 * frame: the layouts it names, innermost first, up to the first that is a whole document (Jekyll's
 * `default.html`, which Recap's theme replaces), each put where the next says `{{ content }}`, the
 * innermost's `{{ content }}` kept for the page's body. Undefined when they show nothing of the
 * site's data, posts or includes, nor of the page's own front matter beyond what Recap's theme
 * shows (a meetup's `page.talks`, listed by `_layouts/meetup.html`): a layout that only frames the
 * page's text gives it nothing.
 */
export function layoutTextOf(layout: string, layouts: ReadonlyMap<string, string>): LayoutText | undefined {
  const made = layoutChainOf(layout, layouts);
  return made && (SHOWS_SITE.test(withoutTitleHeading(made.text)) || made.fields.length > 0) ? made : undefined;
}

/** The layouts a page names, up to the first whole document, each put where the next says `{{ content }}`. */
function layoutChainOf(layout: string, layouts: ReadonlyMap<string, string>): LayoutText | undefined {
  let made: LayoutText | undefined;
  const seen = new Set<string>();
  let name: unknown = layout;
  while (typeof name === 'string' && layouts.has(name) && !seen.has(name) && seen.size < MAX_CHAIN) {
    seen.add(name);
    // A layout whose front matter does not read is one Jekyll stops at too: what was gathered so far is kept. One with none is all text, as Jekyll renders it.
    const written = layouts.get(name)!;
    const split = written.startsWith('---') ? splitFrontMatter(written, `_layouts/${name}.html`, new Diagnostics(), true) : { data: {} as Record<string, unknown>, body: written, bodyLine: 1 };
    if (!split || DOCUMENT_SHELL.test(split.body)) break;
    // The innermost keeps its `{{ content }}`: the page's body goes there.
    const inner = made?.text ?? '{{ content }}';
    made = { text: withContent(split.body, inner), file: `_layouts/${name}.html`, bodyLine: split.bodyLine, fields: [] };
    name = split.data['layout'];
  }
  if (made) made.fields = [...new Set(Array.from(withoutTitleHeading(made.text).matchAll(PAGE_FIELD), (match) => match[1]!))].filter((field) => !FRAME_FIELDS.has(field));
  return made;
}

/**
 * A layout's text with what it wraps put where it first says `{{ content }}`; any later one is left
 * out. (Jekyll repeats the text; layouts that each repeat it, nested, would make it thousands of
 * times over: a hostile site's build would not end.)
 */
export function withContent(text: string, content: string): string {
  let first = true;
  return text.replace(CONTENT_TAG, () => {
    if (!first) return '';
    first = false;
    return content;
  });
}

/** Whether a layout's text heads the page with its title, at any level: the theme's own heading would say it a second time. */
export function hasTitleHeading(text: string): boolean {
  return TITLE_HEADING.test(text);
}

/** A layout's text without its heading of the page's title: a post's, whose title and date Recap's theme shows above it. */
export function withoutTitleHeading(text: string): string {
  return text.replace(TITLE_HEADING, '');
}

