import type { Post } from '../content/post.js';
import { compareCodeUnits } from '../content/text.js';
import { checkUrl } from '../policy/url-policy.js';
import type { NavItem } from './views.js';

/** The most entries a theme's menu gives the header (a menu is a handful; a hostile one is not a header). */
const MAX_ENTRIES = 20;

/** The most titled pages listed for a site that declares no menu (more are a documentation's pages, not a header's). */
const MAX_UNDECLARED = 8;

/**
 * The header menu a Jekyll site's theme declares, as the theme shows it: Minimal Mistakes' and
 * so-simple's `_data/navigation.yml` (`main:`, or the list itself), Beautiful Jekyll's
 * `navbar-links:` (a dropdown's links in its place), minima's `header_pages:` (page files), or,
 * for a minima site without it and a site without a theme gem (its menu is in its own layouts),
 * every page with a title, as minima lists them. Empty where another theme gem's layout holds the menu.
 */
export function jekyllMenu(settings: Record<string, unknown>, data: Record<string, unknown>, pages: readonly Post[]): NavItem[] {
  const entries = navigationData(data['navigation']) ?? navbarLinks(settings['navbar-links']) ?? headerPages(settings, pages);
  const seen = new Set<string>();
  // An address the URL policy refuses (javascript:) is no entry at all, rather than a dead one.
  return entries.filter((entry) => entry.label.trim() !== '' && entry.url !== '' && checkUrl(entry.url).ok && !seen.has(entry.url) && seen.add(entry.url)).slice(0, MAX_ENTRIES);
}

/** A menu address as the themes' `relative_url` makes it: `aboutme` is `/aboutme`, an address with a scheme is kept. */
function menuUrl(value: unknown): string {
  if (typeof value !== 'string') return '';
  const url = value.trim();
  return url === '' || /^([a-z][a-z0-9+.-]*:|\/|#)/i.test(url) ? url : `/${url}`;
}

/** `_data/navigation.yml` as `site.data` holds it: its `main:` list of `{title, url}` (or the file's own list), when the site has one. */
function navigationData(value: unknown): NavItem[] | undefined {
  const list = Array.isArray(value) ? value : value !== null && typeof value === 'object' && Array.isArray((value as Record<string, unknown>)['main']) ? (value as Record<string, unknown[]>)['main'] : undefined;
  if (!list) return undefined;
  return list.flatMap((item) => {
    if (item === null || typeof item !== 'object') return [];
    const { title, url } = item as Record<string, unknown>;
    return typeof title === 'string' || typeof title === 'number' ? [{ label: String(title), url: menuUrl(url) }] : [];
  });
}

/** Beautiful Jekyll's `navbar-links:`: `Label: url`, or `Label: [{Child: url}, ...]` for a dropdown, whose links take its place. */
function navbarLinks(value: unknown): NavItem[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.entries(value as Record<string, unknown>).flatMap(([label, target]): NavItem[] => {
    if (!Array.isArray(target)) return [{ label, url: menuUrl(target) }];
    return target.flatMap((child) => (child !== null && typeof child === 'object' && !Array.isArray(child)
      ? Object.entries(child as Record<string, unknown>).map(([name, url]) => ({ label: name, url: menuUrl(url) }))
      : []));
  });
}

/** minima's `header_pages:` (page files, in that order), or on a minima site or one without a theme gem every page with a title, by path. */
function headerPages(settings: Record<string, unknown>, pages: readonly Post[]): NavItem[] {
  const listed = settings['header_pages'];
  const titled = pages.filter((page) => page.title.trim() !== '' && page.url !== '/' && page.url !== '/404.html');
  if (Array.isArray(listed)) {
    return listed.flatMap((name) => {
      const page = titled.find((p) => p.file === String(name).replace(/^\/+/, ''));
      return page ? [{ label: page.title, url: page.url }] : [];
    });
  }
  const theme = [settings['theme'], settings['remote_theme']].find((name) => typeof name === 'string');
  const minima = typeof theme === 'string' && /(^|\/)minima(@.*)?$/i.test(theme.trim());
  if (typeof theme === 'string' && !minima) return [];
  const everyTitled = titled.filter((page) => page.data['title'] !== undefined && !page.file.startsWith('_') && !page.data.redirect_to).sort((a, b) => compareCodeUnits(a.file, b.file));
  // A site whose theme is its own _layouts (jekyll-now, Lanyon) links its few pages from a header its layout writes by hand: its titled
  // pages stand in for it, where no page picks the menu itself (al-folio's nav: true) and they are a header's few, not a documentation's many.
  if (!minima && (pages.some((page) => page.data.nav !== undefined) || everyTitled.length > MAX_UNDECLARED)) return [];
  return everyTitled.map((page) => ({ label: page.title, url: page.url }));
}
