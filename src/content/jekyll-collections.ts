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
    collections.push({ label, output: meta['output'] === true, permalink: typeof meta['permalink'] === 'string' ? meta['permalink'] : undefined });
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
