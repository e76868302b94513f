import { MONTH_NAMES, type SiteDate } from './dates.js';
import { slugify } from './text.js';

const STYLES: Record<string, string> = {
  pretty: '/:categories/:year/:month/:day/:title/',
  date: '/:categories/:year/:month/:day/:title:output_ext',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** What a permalink pattern can refer to. */
export interface PermalinkParts {
  date: SiteDate;
  /** The title part of the file name (`cloud-native-london-march-2024`). */
  title: string;
  slug: string;
  categories: string[];
  /** Jekyll's `:path`: a page's folder (`docs/guide.md` -> `docs`), a post's or a collection document's path without its extension. */
  path?: string;
  /** Jekyll's `:collection`: the label of a collection's document. */
  collection?: string;
  /** Jekyll's `:basename` of a page (its file name without the extension). */
  basename?: string;
  /** Jekyll's `:name` of a post or a collection's document (its file name without the extension, slugged). */
  name?: string;
  /** A Jekyll site's: `:slug` as Jekyll slugs it, keeping letters of every script (`über-café`), where Recap's own sites' are plain ASCII. */
  jekyllSlug?: boolean;
  /** Jekyll's `:output_ext`: `.html` but for a file published as its Liquid makes it (`.json` for `search.json`). */
  outputExtension?: string;
}

/** What a Jekyll site's page (not a document) can refer to: Jekyll's Page has these placeholders alone. */
export interface PagePermalinkParts {
  /** `:path`, the page's folder. */
  path: string;
  /** `:basename`, its file name without the extension. */
  basename: string;
  /** `:output_ext`, `.html` for Markdown and HTML. */
  outputExtension: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The ISO 8601 week of a calendar date: its week-numbering year, week (1-53) and weekday (1 Monday to 7 Sunday), as `%G`, `%V` and `%u` give them. */
function isoWeek(date: SiteDate): { year: number; week: number; weekday: number } {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const weekday = day.getUTCDay() || 7;
  // The week's Thursday decides its year.
  const thursday = new Date(day.getTime() + (4 - weekday) * 86400000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return { year: thursday.getUTCFullYear(), week: Math.floor((thursday.getTime() - yearStart) / 86400000 / 7) + 1, weekday };
}

function dayOfYear(date: SiteDate): number {
  return Math.round((Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(date.year, 0, 1)) / 86400000) + 1;
}

/** What Jekyll's "pretty" slugs keep: letters, marks, digits and `._~!$&'()+,;=@`; any run of anything else becomes one dash. */
const PRETTY_DROPPED = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu;

/** A file name's title part as Jekyll puts it in `:title`: its "pretty" slug, case kept (`Hello World?` -> `Hello-World`). */
function jekyllTitleSlug(text: string): string {
  return text.replace(PRETTY_DROPPED, '-').replace(/^-|-$/g, '');
}

/** A name as Jekyll's default slugify makes it (`:name`): lower case, any run of what is not a letter, mark or digit one dash. */
export function jekyllNameSlug(text: string): string {
  return text.replace(/[^\p{M}\p{L}\p{Nd}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase();
}

/**
 * The pattern of the site's `permalink` setting, a style (`pretty`, `date`, ...) or a pattern
 * (`/:year/:title/`). Only that setting names styles: a post's, page's or collection's own
 * `permalink` is read as written (`permalink: none` is the address `/none`), as Jekyll reads it.
 */
export function sitePermalinkPattern(permalink: string): string {
  return STYLES[permalink] ?? permalink;
}

/** Expands a post's or a document's permalink pattern (or a page's on Recap's own sites) into a URL path. */
export function expandPattern(template: string, parts: PermalinkParts): string {
  const values = postValues(parts);
  // A page has no :name and a post no :basename: like Jekyll's, such a placeholder stays as written.
  for (const key of ['path', 'basename', 'name', 'collection'] as const) if (parts[key] !== undefined) values[key] = parts[key];
  return filled(template, values);
}

/** Expands a Jekyll site's page's permalink pattern: any placeholder but its three stays as written (`/:title/` is the address `/:title/`), as in Jekyll. */
export function expandPagePattern(template: string, parts: PagePermalinkParts): string {
  return filled(template, { path: parts.path, basename: parts.basename, output_ext: parts.outputExtension });
}

/** A pattern with the placeholders `values` has filled in, as a URL path. */
function filled(template: string, values: Readonly<Record<string, string>>): string {
  return normaliseUrlPath(template.replace(/:([a-z_]+)/g, (whole, name: string) => values[name] ?? whole));
}

/** What a post's or a document's placeholders stand for. */
function postValues(parts: PermalinkParts): Record<string, string> {
  const week = isoWeek(parts.date);
  return {
    year: pad(parts.date.year, 4),
    short_year: pad(parts.date.year % 100),
    month: pad(parts.date.month),
    i_month: String(parts.date.month),
    day: pad(parts.date.day),
    i_day: String(parts.date.day),
    y_day: pad(dayOfYear(parts.date), 3),
    hour: pad(parts.date.hour),
    minute: pad(parts.date.minute),
    second: pad(parts.date.second),
    short_month: MONTH_NAMES[parts.date.month - 1]!.slice(0, 3),
    long_month: MONTH_NAMES[parts.date.month - 1]!,
    short_day: DAYS[new Date(Date.UTC(parts.date.year, parts.date.month - 1, parts.date.day)).getUTCDay()]!.slice(0, 3),
    long_day: DAYS[new Date(Date.UTC(parts.date.year, parts.date.month - 1, parts.date.day)).getUTCDay()]!,
    w_year: String(week.year),
    week: pad(week.week),
    w_day: String(week.weekday),
    // Jekyll gathers both in a set: `[Web Dev, web dev]` is one folder.
    slugified_categories: [...new Set(parts.categories.map((c) => jekyllNameSlug(c)))].join('/'),
    title: jekyllTitleSlug(parts.title) || parts.title,
    slug: parts.jekyllSlug ? jekyllNameSlug(parts.slug) : slugify(parts.slug) || parts.slug,
    categories: [...new Set(parts.categories.map((c) => c.toLowerCase()))].join('/'),
    output_ext: parts.outputExtension ?? '.html',
  };
}

/**
 * Collapses repeated slashes and adds the leading one. An extension-less path stays as it is, as
 * Jekyll keeps it (`/blog/:title` -> `/blog/one`, written as `blog/one.html`: see pageOutputPathOf).
 */
function normaliseUrlPath(url: string): string {
  return ('/' + url).replace(/\/{2,}/g, '/');
}

/**
 * A URL path as Jekyll writes it (`Jekyll::URL#sanitize_url`): each `..` becomes `/`, each `./`
 * goes, and repeated slashes are one (`/../x/` -> `/x/`, `/etc./` -> `/etc/`).
 */
export function jekyllSanitizedUrl(url: string): string {
  return `/${url}`.replaceAll('..', '/').replaceAll('./', '').replace(/\/{2,}/g, '/');
}

/**
 * A URL path as Jekyll's Liquid gives it (`page.url`, `post.url`, `{% post_url %}`: Jekyll escapes
 * the values it puts in a permalink): each character a path segment may not hold percent-encoded
 * as UTF-8 (`/data & ai/b/` -> `/data%20&%20ai/b/`), so a Markdown link to it holds no space.
 */
export function jekyllEscapedUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, (char) => Array.from(Buffer.from(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
