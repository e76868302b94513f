import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { sitePermalinkPattern } from './permalink.js';
import { lineOfYamlKey } from './yaml.js';

/** A collection of a Jekyll site (`collections:` in `_config.yml`): its documents live in `_LABEL/`. */
export interface JekyllCollection {
  label: string;
  /** Jekyll renders the documents of an `output: true` collection as pages of their own; the rest only feed its Liquid. */
  output: boolean;
  /** The collection's own permalink pattern, if it sets one. */
  permalink: string | undefined;
  /** `order:`: its documents' paths in the collection's folder (`c.md`), listed first in that order (Jekyll 4). */
  order: string[] | undefined;
  /** `sort_by:`: the front matter key its documents are listed by (Jekyll 4), where it sets no `order`. */
  sortBy: string | undefined;
}

/** A label that names a folder of the site (`_events`): a letter or digit, then letters, digits, `-`, `_` and `.`; never a path, nor `__proto__`. */
const LABEL = /^[\p{L}\p{Nd}][\p{L}\p{Nd}._-]*$/u;

/**
 * A Jekyll site's `collections:`, a list of labels or a mapping of labels to their settings. A
 * label that is not a plain folder name is skipped with a warning (it could name a folder outside
 * the site). The posts collection's own permalink is kept with the rest.
 */
export function readJekyllCollections(raw: unknown, text: string, file: string, diagnostics: Diagnostics): JekyllCollection[] {
  if (raw === undefined || raw === null) return [];
  const entries: Array<[string, unknown]> = Array.isArray(raw) ? raw.map((label) => [String(label), {}])
    : typeof raw === 'object' ? Object.entries(raw as Record<string, unknown>) : [];
  const collections: JekyllCollection[] = [];
  for (const [label, settings] of entries) {
    if (!LABEL.test(label)) {
      diagnostics.warning('R116', file, lineOfYamlKey(text, ['collections'])?.line, undefined, `collection "${label}" is not a plain folder name: skipped`, 'name collections with letters, digits, - and _, like events');
      continue;
    }
    const meta = settings !== null && typeof settings === 'object' && !Array.isArray(settings) ? settings as Record<string, unknown> : {};
    // As Jekyll reads them: an `order` that is a list (of paths: anything else names no document), else a `sort_by` that is text.
    const order = Array.isArray(meta['order']) ? meta['order'].filter((entry): entry is string => typeof entry === 'string') : undefined;
    const sortBy = order === undefined && typeof meta['sort_by'] === 'string' ? meta['sort_by'] : undefined;
    collections.push({ label, output: meta['output'] === true, permalink: typeof meta['permalink'] === 'string' ? meta['permalink'] : undefined, order, sortBy });
  }
  return collections;
}

/**
 * The URL pattern of a collection's documents whose front matter sets none: the collection's own
 * `permalink`, else for posts the site's, and for any other collection `/:collection/:path` with
 * the ending the site's permalink style gives, as Jekyll's `add_permalink_suffix` does (`pretty` or
 * a pattern ending in `/`: a folder; `date`, `ordinal`, `none` or one ending in `:output_ext`: `.html`).
 */
export function collectionPermalink(label: string, collections: ReadonlyArray<JekyllCollection> | undefined, sitePermalink: string): string {
  const own = collections?.find((c) => c.label === label)?.permalink;
  if (own !== undefined) return own;
  if (label === 'posts') return sitePermalinkPattern(sitePermalink);
  const base = '/:collection/:path';
  if (sitePermalink === 'pretty' || sitePermalink.endsWith('/')) return `${base}/`;
  if (['date', 'ordinal', 'none'].includes(sitePermalink) || sitePermalink.endsWith(':output_ext')) return `${base}:output_ext`;
  return base;
}

/** How much of a text sort_by compares: a title or a date is far shorter, and a hostile key of 60 KB in 20,000 documents took 12 s whole. */
const MAX_SORT_KEY_BYTES = 1024;

/**
 * A front matter value as Ruby's `<=>` compares it: a number as it is, text as its UTF-8 bytes (one
 * character each, so JavaScript's own comparison orders it as Ruby's byte by byte does; its first
 * MAX_SORT_KEY_BYTES), a flag as it is; null for nothing, undefined for what no `<=>` orders.
 */
function comparable(value: unknown): number | string | boolean | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return typeof value === 'string' ? Buffer.from(value.slice(0, MAX_SORT_KEY_BYTES), 'utf8').toString('latin1').slice(0, MAX_SORT_KEY_BYTES) : undefined;
}

/** Ruby's `<=>` of two comparable values: numbers by value, texts by their bytes, equal flags 0; undefined where Ruby's is nil. */
function rubyComparison(a: ReturnType<typeof comparable>, b: ReturnType<typeof comparable>): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && a === b) return 0;
  return undefined;
}

/** What orders a Jekyll site's collections: their settings, and the folder they are below (`collections_dir`, or '' for the site's root). */
export interface CollectionsSettings {
  collections: ReadonlyArray<JekyllCollection>;
  collectionsDir: string;
}

/**
 * A collection's documents in the order Jekyll 4 lists them (`site.LABEL`), given in its default
 * order (by date, then by path): with `order:`, the documents it names (by their path in the
 * collection's folder) in that order, then the rest; with `sort_by:`, by that front matter key
 * (documents without it last, and those Ruby cannot compare, or that are equal, in the default
 * order). Each key is read once, as Jekyll reads it.
 */
export function inCollectionOrder<T>(docs: readonly T[], label: string, settings: CollectionsSettings | undefined, sitePathOf: (doc: T) => string, valueOf: (doc: T, key: string) => unknown): T[] {
  const collection = settings?.collections.find((c) => c.label === label);
  if (collection?.order !== undefined) {
    const folder = settings?.collectionsDir ? `${settings.collectionsDir}/_${label}` : `_${label}`;
    const place = new Map<string, number>();
    collection.order.forEach((entry, at) => { if (!place.has(entry)) place.set(entry, at); });
    const inFolder = (doc: T) => { const file = sitePathOf(doc); return file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : file; };
    const listed = docs.filter((doc) => place.has(inFolder(doc))).sort((a, b) => place.get(inFolder(a))! - place.get(inFolder(b))!);
    return [...listed, ...docs.filter((doc) => !place.has(inFolder(doc)))];
  }
  const key = collection?.sortBy;
  if (key === undefined) return [...docs];
  const keyed = docs.map((doc) => ({ doc, value: comparable(valueOf(doc, key)) }));
  // Array#sort is stable: documents Ruby finds equal or cannot compare stay in the default order.
  keyed.sort((a, b) => {
    if ((a.value === null) !== (b.value === null)) return a.value === null ? 1 : -1;
    return rubyComparison(a.value, b.value) ?? 0;
  });
  return keyed.map(({ doc }) => doc);
}
