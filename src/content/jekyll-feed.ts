import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { unsafeOutputReason } from '../policy/output-policy.js';
import { lineOfYamlKey } from './yaml.js';

/** A Jekyll site's `feed:` settings (jekyll-feed): where its feeds are besides Recap's `/feed.xml`. */
export interface JekyllFeedSettings {
  /** The posts' feed's own address (`path: atom.xml`), when it is not `/feed.xml`. */
  path: string | undefined;
  /** Categories with a feed of their own, at `/feed/CATEGORY.xml`. */
  categories: string[];
  /** Feeds by tag (`tags: true`), at `PATH` + `TAG.xml`, for the tags `only` names (every tag when unset) but `except`. */
  tags: { path: string; only: string[] | undefined; except: string[] } | undefined;
}

/** One feed jekyll-feed makes besides the posts' own: its address and the posts it shows. */
export interface JekyllFeed {
  url: string;
  shows: (post: { categories: readonly string[]; tags: readonly string[] }) => boolean;
}

function mapping(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String) : [];
}

function address(path: string): string {
  return `/${path.replace(/^\/+/, '')}`;
}

/**
 * The `feed:` settings as jekyll-feed reads them: `path` (or `collections: {posts: {path}}`),
 * `categories` (or the posts collection's), and `tags` (`true`, or `{path, only, except}`).
 * A feed whose address cannot be a file (`categories: ["C#"]`, `path: ../x.xml`) is left out with
 * a warning at the setting. Undefined when they ask for nothing beyond `/feed.xml`.
 */
export function readJekyllFeed(raw: unknown, text: string, diagnostics: Diagnostics): JekyllFeedSettings | undefined {
  const feed = mapping(raw);
  const posts = mapping(mapping(feed['collections'])['posts']);
  const usable = (url: string, key: string): boolean => {
    const unsafe = unsafeOutputReason(url);
    if (unsafe) diagnostics.warning('R122', '_config.yml', lineOfYamlKey(text, ['feed', key])?.line, undefined, `the feed at ${url} is left out: it cannot be an output path (${unsafe})`, 'give it a plain address inside the site');
    return !unsafe;
  };
  const path = typeof posts['path'] === 'string' ? posts['path'] : typeof feed['path'] === 'string' ? feed['path'] : undefined;
  const categories = strings(posts['categories'] ?? feed['categories']).filter((category) => usable(`/feed/${category}.xml`, 'categories'));
  const tagging = feed['tags'];
  const tagSettings = mapping(tagging);
  const tagsPath = typeof tagSettings['path'] === 'string' ? address(tagSettings['path']) : '/feed/by_tag/';
  const tags = tagging && usable(`${tagsPath}TAG.xml`, 'tags') ? {
    path: tagsPath,
    only: Array.isArray(tagSettings['only']) ? strings(tagSettings['only']) : undefined,
    except: strings(tagSettings['except']),
  } : undefined;
  const own = path !== undefined && address(path) !== '/feed.xml' && usable(address(path), 'path') ? address(path) : undefined;
  return own || categories.length > 0 || tags ? { path: own, categories, tags } : undefined;
}

/**
 * The category and tag feeds jekyll-feed makes, given the site's tags: `/feed/CATEGORY.xml` for
 * each category it names, and `PATH/TAG.xml` for each tag it takes whose name is letters, digits
 * and `_` only (the plugin passes the others by).
 */
export function jekyllFeeds(settings: JekyllFeedSettings, siteTags: readonly string[]): JekyllFeed[] {
  const feeds: JekyllFeed[] = settings.categories.map((category) => ({ url: `/feed/${category}.xml`, shows: (post) => post.categories.includes(category) }));
  const { tags } = settings;
  if (!tags) return feeds;
  for (const tag of tags.only ?? siteTags) {
    if (tags.except.includes(tag) || !/^[a-zA-Z0-9_]+$/.test(tag)) continue;
    feeds.push({ url: `${tags.path}${tag}.xml`, shows: (post) => post.tags.includes(tag) });
  }
  return feeds;
}
