import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { lineOfYamlKey } from './yaml.js';

/** The kinds of archive page jekyll-archives makes, as its `permalinks` and `layouts` name them. */
export type ArchiveKind = 'year' | 'month' | 'day' | 'tag' | 'category';

/** A Jekyll site's `jekyll-archives:` settings: where each enabled kind of archive page goes. */
export interface JekyllArchives {
  /** The URL pattern of each enabled kind (`/tags/:name/`), as jekyll-archives expands it. */
  permalinks: Partial<Record<ArchiveKind, string>>;
}

/** jekyll-archives' own permalinks, which a site's settings override one by one. */
const DEFAULT_PERMALINKS: Record<ArchiveKind, string> = {
  year: '/:year/',
  month: '/:year/:month/',
  day: '/:year/:month/:day/',
  tag: '/tag/:name/',
  category: '/category/:name/',
};

/** The name `enabled:` gives each kind (`tags` for tag archives). */
const ENABLED_NAME: Record<ArchiveKind, string> = { year: 'year', month: 'month', day: 'day', tag: 'tags', category: 'categories' };

/**
 * A Jekyll site's `jekyll-archives:` settings, as the plugin reads them: `enabled` is `all` (or
 * `true`) or a list of `year`, `month`, `day`, `tags` and `categories` (anything else enables
 * nothing); `permalinks` override the plugin's own. Undefined when no kind is enabled. A permalink
 * that is not text is skipped with a warning (Jekyll stops there).
 */
export function readJekyllArchives(raw: unknown, text: string, diagnostics: Diagnostics): JekyllArchives | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const settings = raw as Record<string, unknown>;
  const enabled = settings['enabled'];
  const isEnabled = (kind: ArchiveKind) => enabled === true || enabled === 'all' || (Array.isArray(enabled) && enabled.includes(ENABLED_NAME[kind]));
  const own = settings['permalinks'] !== null && typeof settings['permalinks'] === 'object' ? settings['permalinks'] as Record<string, unknown> : {};
  const permalinks: JekyllArchives['permalinks'] = {};
  for (const kind of Object.keys(DEFAULT_PERMALINKS) as ArchiveKind[]) {
    if (!isEnabled(kind)) continue;
    const pattern = own[kind] ?? DEFAULT_PERMALINKS[kind];
    if (typeof pattern === 'string' && pattern.trim() !== '') {
      permalinks[kind] = pattern;
      continue;
    }
    diagnostics.warning('R121', '_config.yml', lineOfYamlKey(text, ['jekyll-archives', 'permalinks', kind])?.line, undefined, `jekyll-archives' ${kind} permalink ${JSON.stringify(pattern)} is not a URL pattern: its archive pages are left out`,
      `write it like ${DEFAULT_PERMALINKS[kind]}`);
  }
  return Object.keys(permalinks).length > 0 ? { permalinks } : undefined;
}

/**
 * The address of one archive page, as jekyll-archives makes it: the pattern's `:year`, `:month`,
 * `:day`, `:name` (the tag or category as Jekyll slugs it) and `:type` filled in, then cleaned as
 * Jekyll's URL cleans it (`..` and `./` dropped, one slash at a time).
 */
export function archiveUrl(pattern: string, kind: ArchiveKind, values: { year?: string; month?: string; day?: string; name?: string }): string {
  const filled = pattern.replace(/:(year|month|day|name|type)/g, (whole, key: string) => (key === 'type' ? kind : values[key as keyof typeof values] ?? whole));
  return `/${filled}`.replace(/\.\./g, '/').replace(/\.\//g, '').replace(/\/{2,}/g, '/');
}
