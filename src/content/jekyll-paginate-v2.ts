import type { Post } from './post.js';
import { trimEndOf } from './text.js';

/** What the plugin reads of a post: its front matter, categories, tags and date. */
type Listed = Pick<Post, 'data' | 'categories' | 'tags' | 'date'>;

/**
 * What jekyll-paginate-v2 reads to paginate one of a site's pages: the site's `pagination:`
 * settings under the page's own (https://github.com/sverrirs/jekyll-paginate-v2, README-GENERATOR).
 */
export interface PaginationSettings {
  perPage: number;
  /** Where the pages after the first go, below the first: `/page:num/`, `:num` their number. */
  permalink: string;
  /** The title of the pages after the first: `:title - page :num`. */
  title: string;
  sortField: string;
  sortReverse: boolean;
  /** At most this many pages (0: no limit). */
  limit: number;
  /** Posts left out from the end of the list before it is reversed (the newest, where `sort_reverse` is set). */
  offset: number;
  /** The categories, tags and locales a post must all have to be listed (lower case). */
  filters: Array<{ key: 'categories' | 'tags' | 'locale'; values: string[] }>;
}

/** One page of a list jekyll-paginate-v2 made: its address, number, title and posts. */
export interface PaginatedPage<T> {
  url: string;
  number: number;
  total: number;
  /** Posts the list holds, on all its pages. */
  count: number;
  title: string;
  items: T[];
  previous: string | undefined;
  next: string | undefined;
}

/** The plugin's defaults (its generator/defaults.rb). */
const DEFAULTS = { per_page: 10, permalink: '/page:num/', title: ':title - page :num', sort_field: 'date', sort_reverse: false, limit: 0, offset: 0 };

/** At most this many posts a page: a hostile per_page makes no page larger than Recap's own lists. */
const MAX_PER_PAGE = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A filter's values as the plugin reads them: a list, or one text split at `;` and `,`; each trimmed and in lower case. */
function filterValues(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(/[;,]/) : Array.isArray(value) ? value : [value];
  return list.map((item) => String(item).toLowerCase().trim());
}

/**
 * The settings of a page the plugin paginates — one whose front matter says `pagination: {enabled:
 * true}` on a site whose `_config.yml` does too (`site`) — or undefined for any other page. A
 * setting of the wrong kind is the plugin's default, and named in `problems`.
 */
export function paginationOf(data: Record<string, unknown>, site: Record<string, unknown> | undefined, problems: string[]): PaginationSettings | undefined {
  const own = data['pagination'];
  if (!site || !isRecord(own) || !own['enabled']) return undefined;
  const merged: Record<string, unknown> = { ...DEFAULTS, ...site, ...own };
  const number = (key: 'per_page' | 'limit' | 'offset', min: number, max: number): number => {
    const value = merged[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`pagination ${key} "${String(value)}" is not a whole number from ${min} to ${max}: ${DEFAULTS[key]} is used`);
    return DEFAULTS[key];
  };
  const text = (key: 'permalink' | 'title' | 'sort_field'): string => {
    const value = merged[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    problems.push(`pagination ${key} is not text: "${DEFAULTS[key]}" is used`);
    return DEFAULTS[key];
  };
  const filters: PaginationSettings['filters'] = [];
  for (const [name, key] of [['category', 'categories'], ['tag', 'tags'], ['locale', 'locale']] as const) {
    if (merged[name] !== undefined && merged[name] !== null) filters.push({ key, values: filterValues(merged[name]) });
  }
  return {
    perPage: number('per_page', 1, MAX_PER_PAGE), permalink: text('permalink'), title: text('title'), sortField: text('sort_field'),
    sortReverse: merged['sort_reverse'] === true, limit: number('limit', 0, 100_000), offset: number('offset', 0, 1_000_000), filters,
  };
}

/** A post's values of a filter's key, as the plugin indexes them: each in lower case, a text split at `;`, `,` and spaces. */
function postValues(post: Listed, key: PaginationSettings['filters'][number]['key']): string[] {
  const value = key === 'locale' ? post.data['locale'] : post[key];
  const list = typeof value === 'string' ? value.split(/[;,\s]/) : Array.isArray(value) ? value : [];
  return list.flatMap((item) => String(item).toLowerCase().split(/[;,]/).map((part) => part.trim()));
}

/** The value a post is sorted by (`date`, or a front matter key, `a:b` for one below another), as the plugin reads it. */
function sortValue(post: Listed, field: string): unknown {
  if (field.trim().toLowerCase() === 'date') return post.date.epochMs;
  let value: unknown = post.data;
  for (const key of field.split(':')) {
    if (!isRecord(value) || !Object.hasOwn(value, key.toLowerCase().trim())) return undefined;
    value = value[key.toLowerCase().trim()];
  }
  return isRecord(value) ? undefined : value;
}

/** The plugin's order of two sort values: a missing one first, text without regard to case. */
function compareSortValues(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  if (typeof a === typeof b) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  return 0;
}

/**
 * Where the plugin writes a list page (its ensure_full_path, then the page's own rule): a folder's
 * index, a `.html` file, or the text with `.html` after it. Returned as Recap's address: a
 * folder's as the folder (`/news/page/2/`).
 */
function pageAddress(path: string): string {
  const full = path.endsWith('/') ? `${path}index.html` : path.includes('.') ? path : `${path}index`;
  const file = full.endsWith('.html') ? full : `${full}.html`;
  return file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file;
}

/** `:num` and `:max` in a permalink or title, as the plugin fills them (the first of each). */
function numbered(text: string, number: number, total: number): string {
  return text.replace(':num', String(number)).replace(':max', String(total));
}

/**
 * The posts a list may show (newest first), indexed by their categories, tags and locales, so
 * each list finds its own without reading every post: a site of thousands of tags makes an
 * autopage for each.
 */
export class ListedPosts<T> {
  private readonly byValue = new Map<string, T[]>();

  constructor(readonly items: readonly T[], readonly postOf: (item: T) => Listed) {
    for (const item of items) {
      for (const key of ['categories', 'tags', 'locale'] as const) {
        for (const value of new Set(postValues(postOf(item), key))) {
          const list = this.byValue.get(`${key}\0${value}`);
          if (list) list.push(item);
          else this.byValue.set(`${key}\0${value}`, [item]);
        }
      }
    }
  }

  /** The posts with every value the filters name, newest first. */
  matching(filters: PaginationSettings['filters']): T[] {
    const lists = filters.flatMap(({ key, values }) => values.map((value) => this.byValue.get(`${key}\0${value}`) ?? []));
    if (lists.length === 0) return [...this.items];
    lists.sort((a, b) => a.length - b.length);
    const others = lists.slice(1).map((list) => new Set(list));
    return lists[0]!.filter((item) => others.every((set) => set.has(item)));
  }

  /** Every value of a key some post has, in the order the posts first have them. */
  valuesOf(key: 'categories' | 'tags'): string[] {
    const prefix = `${key}\0`;
    return [...this.byValue.keys()].filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length)).filter((value) => value !== '');
  }
}

/**
 * The address of the first page of the list the plugin makes from a page of the site: the page's
 * front matter `permalink` (a folder), or else the folder the page is in (`/news/` for
 * `news/index.html`). `/` is the home page's, which Recap's own home pages are.
 */
export function firstPageUrl(template: { url: string; permalink: unknown }): string {
  const { permalink } = template;
  if (typeof permalink === 'string' && permalink.startsWith('/') && !permalink.includes(':')) return permalink.endsWith('/') ? permalink : `${permalink}/`;
  return template.url.slice(0, template.url.lastIndexOf('/') + 1);
}

/**
 * The pages of the list the plugin makes from a page of the site titled `title`, the first at
 * `first` (firstPageUrl), the others below it at the settings' permalink, each with `perPage` of
 * `posts` (given newest first) in the settings' order. A permalink without `:num`, which would
 * put every page at one address, makes the first page alone.
 */
export function paginatedPages<T>(first: string, title: string, posts: ListedPosts<T>, settings: PaginationSettings): Array<PaginatedPage<T>> {
  const { postOf } = posts;
  let items = posts.matching(settings.filters).filter((item) => postOf(item).data['hidden'] !== true);
  // The plugin sorts oldest first, leaves out `offset` from the end, and reverses where asked.
  items = settings.sortField.trim().toLowerCase() === 'date' ? [...items].reverse()
    : [...items].sort((a, b) => compareSortValues(sortValue(postOf(a), settings.sortField), sortValue(postOf(b), settings.sortField)));
  items = items.slice(0, Math.max(0, items.length - settings.offset));
  if (settings.sortReverse) items.reverse();
  let total = Math.max(1, Math.ceil(items.length / settings.perPage));
  if (settings.limit > 0 && settings.limit < total) total = settings.limit;
  if (!settings.permalink.includes(':num')) total = 1;
  const later = `${trimEndOf(first, '/')}/${settings.permalink.replace(/^\/+/, '')}`;
  const urls = Array.from({ length: total }, (_, i) => (i === 0 ? first : pageAddress(numbered(later, i + 1, total))));
  return urls.map((url, i) => ({
    url, number: i + 1, total, count: items.length,
    title: i === 0 ? title : numbered(settings.title.replace(':title', () => title), i + 1, total),
    items: items.slice(i * settings.perPage, (i + 1) * settings.perPage),
    previous: urls[i - 1], next: urls[i + 1],
  }));
}

/** A list the plugin paginates: where its first page is, its title, and its settings (a page of the site's, or an autopage). */
export interface PaginatedList {
  first: string;
  title: string;
  settings: PaginationSettings;
  /** The file that asked for it, where reports about it go. */
  source: string;
  /** The page's own text, shown atop the first page. */
  intro: string | undefined;
  description: string | undefined;
}

/** What Jekyll's slugify keeps in each mode (its SLUGIFY_*_REGEXP): any run of anything else becomes one dash. */
const SLUGIFY_DROPPED: Record<string, RegExp> = {
  raw: /\s+/g,
  default: /[^\p{M}\p{L}\p{Nd}]+/gu,
  pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
  ascii: /[^A-Za-z0-9]+/g,
  latin: /[^A-Za-z0-9]+/g,
};

/** A name as Jekyll's slugify makes it in a mode (`none`, or any it does not know, keeps it), in lower case unless `cased`. */
function jekyllSlugify(text: string, mode: unknown, cased: boolean): string {
  const dropped = typeof mode === 'string' && Object.hasOwn(SLUGIFY_DROPPED, mode) ? SLUGIFY_DROPPED[mode]! : undefined;
  if (!dropped) return cased ? text : text.toLowerCase();
  const latin = mode === 'latin' ? text.normalize('NFD').replace(/\p{M}/gu, '') : text;
  const slug = latin.replace(dropped, '-').replace(/^-|-$/g, '');
  return cased ? slug : slug.toLowerCase();
}

/** The autopages the plugin makes of each kind by default (its autopages/defaults.rb), and the post values each lists by. */
const AUTOPAGES = [
  { kind: 'tags', filter: 'tag', title: 'Posts tagged with :tag', permalink: '/tag/:tag', macro: ':tag' },
  { kind: 'categories', filter: 'category', title: 'Posts in category :cat', permalink: '/category/:cat', macro: ':cat' },
  { kind: 'collections', filter: 'collection', title: 'Posts in collection :coll', permalink: '/collection/:coll', macro: ':coll' },
] as const;

/**
 * The lists jekyll-paginate-v2's autopages make (`autopages: {enabled: true}` in `_config.yml`):
 * for each tag and category of the posts, and for the posts' collection, a list of its posts at
 * the kind's permalink (`/tag/:tag`, the name as its `slugify` setting makes it), paginated as
 * the site's `pagination:` says. None where the site's pagination is off.
 */
export function autopageLists<T>(autopages: Record<string, unknown> | undefined, site: Record<string, unknown> | undefined, posts: ListedPosts<T>, problems: string[]): PaginatedList[] {
  if (!autopages || !autopages['enabled'] || !site) return [];
  const lists: PaginatedList[] = [];
  for (const { kind, filter, title, permalink, macro } of AUTOPAGES) {
    const own = autopages[kind];
    const settings: Record<string, unknown> = { enabled: true, title, permalink, slugify: { mode: 'none', cased: false }, ...(isRecord(own) ? own : {}) };
    if (!settings['enabled']) continue;
    const slugify = isRecord(settings['slugify']) ? settings['slugify'] : {};
    const names = kind === 'collections' ? ['posts'] : posts.valuesOf(kind);
    for (const name of names) {
      const slug = jekyllSlugify(name, slugify['mode'] ?? 'none', slugify['cased'] === true);
      const pattern = (key: 'title' | 'permalink') => (typeof settings[key] === 'string' ? settings[key] as string : key === 'title' ? title : permalink);
      // A collection's list is the posts', and any other filter is the name's.
      const pagination = paginationOf({ pagination: kind === 'collections' ? { enabled: true } : { enabled: true, [filter]: name } }, site, problems)!;
      const first = pattern('permalink').replace(macro, () => slug);
      lists.push({
        first: first.endsWith('/') ? first : `${first}/`, title: pattern('title').replace(macro, () => slug), settings: pagination,
        source: '_config.yml', intro: undefined, description: undefined,
      });
    }
  }
  return lists;
}
