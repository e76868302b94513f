import { hash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { SiteConfig } from '../content/config.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import type { PictureData } from '../pipeline/stages/images.js';
import type { Memo } from '../incremental/memo.js';
import { useQuickLoopVariables } from './loop-variables.js';
import { PACKAGE_ROOT } from '../package-files.js';

/** The default theme shipped with Recap (this repository's own `templates/`). */
export const BUILTIN_TEMPLATES = path.join(PACKAGE_ROOT, 'templates');

/** Renders named Nunjucks templates; the only module that knows Nunjucks. Post text never reaches it as a template. */
export interface TemplateRenderer {
  /** The site's templates folder and the language the renderer was made for (to tell when it can be reused). */
  readonly siteTemplates: string | undefined;
  readonly language: string;
  /** Binds this build's helpers (URLs, assets, photos) and, in recap serve, its memo. */
  bind(helpers: TemplateHelpers, memo: RenderMemo | undefined): void;
  /**
   * Renders a template to a string, or undefined after reporting the template error. With a memo,
   * `key` (when given) stands for everything the context holds, instead of the context itself;
   * `null` renders without the memo, for a caller that keeps what it made itself (the collect
   * stage's sections), where a key made of the whole context would cost more than the page.
   */
  render(name: string, context: Record<string, unknown>, diagnostics: Diagnostics, key?: string | null): string | undefined;
  /** True when the site's or the built-in templates have this name. */
  has(name: string): boolean;
  /** True when the site's own templates have this name (it stands in for the built-in one), as the folder is now. */
  isOwn(name: string): boolean;
  /**
   * True when a post or page may render in this template: `post`, `page`, or one of the site's
   * own that Recap's theme has no template of that name for (`archive`, `talks`, `tags` and the
   * rest make Recap's own pages, and shown a page's context they would show an empty list).
   */
  isLayout(name: string): boolean;
  /** Template names available as layouts (see isLayout). */
  layouts(): string[];
}

/** The built-in templates a post or page renders in; every other built-in one makes a page of Recap's own. */
const BUILTIN_LAYOUTS: ReadonlySet<string> = new Set(['post.njk', 'page.njk']);

/** Rendered templates by name and context (recap serve): what a build did not render again is forgotten. */
export interface RenderMemo {
  pages: Memo<string>;
  /**
   * Objects that stand for themselves in a memo key by a short token (a post's view, kept
   * across builds while the post is unchanged), so keys are cheap to compute for lists of
   * thousands of posts.
   */
  tokens: WeakMap<object, string>;
}

/** Helpers the templates call: turning site paths into hrefs and absolute URLs, dates into words. */
export interface TemplateHelpers {
  /** Site path to href: base URL prefixed and percent-encoded; absolute URLs unchanged. */
  url(value: string): string;
  /** Site path to absolute URL (`https://host/base/path`), for feeds, sitemaps and social cards. */
  absoluteUrl(value: string): string;
  /** Hashed URL of a theme asset by its name, e.g. `style.css`. */
  asset(name: string): string;
  /** Responsive variants of a local photo for a `<picture>`, or undefined for other images. */
  imageData(src: string): PictureData | undefined;
  /** The header menu's items as HTML, the one for the page at `current` marked as the current page. */
  navigation(current: string): string;
  /** A talk's speakers as links to their pages, joined with "&" (HTML), made in code: a template loop per talk costs more than the talk. */
  speakerLinks(refs: ReadonlyArray<{ name: string; url: string }>): string;
}

const TEMPLATE_ERROR = /\(([^)]*)\)(?: \[Line (\d+), Column (\d+)\])?\s*(?:\n\s*)?(.*)$/s;

function templateDiagnostic(err: Error, name: string, dirs: string[], diagnostics: Diagnostics): void {
  const match = TEMPLATE_ERROR.exec(err.message);
  let file = match?.[1] && match[1] !== 'unknown path' ? match[1] : name;
  for (const dir of dirs) {
    if (file.startsWith(dir + path.sep)) file = `templates/${path.relative(dir, file).split(path.sep).join('/')}`;
  }
  const message = (match?.[4] ?? err.message).replace(/^Template render error:\s*/i, '').trim();
  diagnostics.error('R501', file, match?.[2] ? Number(match[2]) : undefined, match?.[3] ? Number(match[3]) : undefined,
    `template error: ${message}`, `while rendering ${name}`);
}

function memoKey(name: string, context: Record<string, unknown>, tokens: WeakMap<object, string>): string {
  const json = JSON.stringify(context, (_key, value: unknown) => (value !== null && typeof value === 'object' && tokens.get(value)) || value);
  return hash('sha1', `${name}\0${json}`, 'base64');
}

/**
 * Creates the renderer: site templates override built-in ones by name; autoescape always on.
 * It compiles each template once and can serve many builds (recap serve keeps it until a template
 * changes); with a memo, a template rendered before with the same context is not rendered again.
 */
export function createRenderer(siteTemplates: string | undefined, config: SiteConfig): TemplateRenderer {
  const dirs = [siteTemplates, BUILTIN_TEMPLATES].filter((d): d is string => d !== undefined);
  const uniqueDirs = [...new Set(dirs.map((d) => path.resolve(d)))];
  useQuickLoopVariables();
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(uniqueDirs, { noCache: false, watch: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  // This build's helpers and memo; the environment (and its compiled templates) outlives builds.
  let helpers: TemplateHelpers | undefined;
  let memo: RenderMemo | undefined;
  const known = new Map<string, boolean>();
  const layouts = new Map<string, boolean>();
  const dayFormat = new Intl.DateTimeFormat(config.language, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  env.addFilter('url', (value: string) => helpers!.url(value));
  env.addFilter('absoluteUrl', (value: string) => helpers!.absoluteUrl(value));
  env.addGlobal('asset', (name: string) => helpers!.asset(name));
  env.addGlobal('imageData', (src: string) => helpers!.imageData(src));
  env.addGlobal('navigation', (current: string) => new nunjucks.runtime.SafeString(helpers!.navigation(current)));
  env.addGlobal('speakerLinks', (refs: ReadonlyArray<{ name: string; url: string }>) => new nunjucks.runtime.SafeString(helpers!.speakerLinks(refs)));
  const readableDates = new Map<number, string>();
  env.addFilter('readableDate', (d: { year: number; month: number; day: number }) => {
    const key = d.year * 10000 + d.month * 100 + d.day;
    let text = readableDates.get(key);
    if (text === undefined) {
      text = dayFormat.format(new Date(Date.UTC(d.year, d.month - 1, d.day)));
      readableDates.set(key, text);
    }
    return text;
  });
  // JSON for <script type="application/ld+json">: "<" escaped so no value can close the script element.
  env.addFilter('jsonld', (value: unknown) =>
    new nunjucks.runtime.SafeString(JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)));
  return {
    siteTemplates,
    language: config.language,
    bind(buildHelpers, buildMemo) {
      helpers = buildHelpers;
      memo = buildMemo;
    },
    render(name, context, diagnostics, givenKey) {
      const pages = givenKey === null ? undefined : memo?.pages;
      const key = memo && pages ? (givenKey ? `${name}\0${givenKey}` : memoKey(name, context, memo.tokens)) : '';
      const remembered = pages?.get(key);
      if (remembered !== undefined) return remembered;
      try {
        const html = env.render(name, context);
        pages?.set(key, html);
        return html;
      } catch (err) {
        templateDiagnostic(err as Error, name, uniqueDirs, diagnostics);
        return undefined;
      }
    },
    has(name) {
      let found = known.get(name);
      if (found === undefined) {
        found = uniqueDirs.some((dir) => existsSync(path.join(dir, name)));
        known.set(name, found);
      }
      return found;
    },
    isOwn(name) {
      return siteTemplates !== undefined && existsSync(path.join(siteTemplates, name));
    },
    isLayout(name) {
      let layout = layouts.get(name);
      if (layout === undefined) {
        layout = BUILTIN_LAYOUTS.has(name) || !existsSync(path.join(BUILTIN_TEMPLATES, name)) ? this.has(name) : false;
        layouts.set(name, layout);
      }
      return layout;
    },
    layouts() {
      const names = new Set<string>();
      for (const dir of uniqueDirs) {
        for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
          if (entry.endsWith('.njk') && !entry.includes('.xml') && !entry.startsWith('_') && this.isLayout(entry)) names.add(entry.slice(0, -4));
        }
      }
      return [...names].sort();
    },
  };
}
