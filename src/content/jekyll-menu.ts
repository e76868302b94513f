import { lstatSync, readFileSync } from 'node:fs';
import type { StaticFile } from '../pipeline/stages/load.js';
import { checkUrl } from '../policy/url-policy.js';
import type { Post } from './post.js';
import { compareCodeUnits } from './text.js';
import { readYaml } from './yaml.js';

/** One entry of a theme's menu: what it says and where it goes. */
export interface MenuEntry {
  label: string;
  url: string;
}

/** The most entries a theme's menu gives the header (a menu is a handful; a hostile one is not a header). */
const MAX_ENTRIES = 20;
/** The largest `_data/navigation.yml` read. */
const MAX_NAVIGATION_BYTES = 256 * 1024;

/**
 * The header menu a Jekyll site's theme declares, as the theme shows it: Minimal Mistakes' and
 * so-simple's `_data/navigation.yml` (`main:`, or the list itself), Beautiful Jekyll's
 * `navbar-links:` (a dropdown's links in its place), minima's `header_pages:` (page files), or,
 * for a minima site without it, every page with a title, as minima lists them. Empty where the
 * site declares none (its theme's layout holds its menu).
 */
export function jekyllMenu(settings: Record<string, unknown>, data: readonly StaticFile[], pages: readonly Post[]): MenuEntry[] {
  const entries = navigationData(data) ?? navbarLinks(settings['navbar-links']) ?? headerPages(settings, pages);
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

/** `_data/navigation.yml`'s `main:` list of `{title, url}` (or the file's own list), when the site has one. */
function navigationData(data: readonly StaticFile[]): MenuEntry[] | undefined {
  const file = data.find((f) => /^\/_data\/navigation\.ya?ml$/i.test(f.url));
  if (!file || lstatSync(file.absPath).size > MAX_NAVIGATION_BYTES) return undefined;
  const parsed = readYaml(readFileSync(file.absPath, 'utf8'));
  if (!parsed.ok) return undefined;
  const value = parsed.value as Record<string, unknown> | unknown[] | null;
  const list = Array.isArray(value) ? value : value !== null && typeof value === 'object' && Array.isArray(value['main']) ? value['main'] : undefined;
  if (!list) return undefined;
  return list.flatMap((item) => {
    if (item === null || typeof item !== 'object') return [];
    const { title, url } = item as Record<string, unknown>;
    return typeof title === 'string' || typeof title === 'number' ? [{ label: String(title), url: menuUrl(url) }] : [];
  });
}

/** Beautiful Jekyll's `navbar-links:`: `Label: url`, or `Label: [{Child: url}, ...]` for a dropdown, whose links take its place. */
function navbarLinks(value: unknown): MenuEntry[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.entries(value as Record<string, unknown>).flatMap(([label, target]): MenuEntry[] => {
    if (!Array.isArray(target)) return [{ label, url: menuUrl(target) }];
    return target.flatMap((child) => (child !== null && typeof child === 'object' && !Array.isArray(child)
      ? Object.entries(child as Record<string, unknown>).map(([name, url]) => ({ label: name, url: menuUrl(url) }))
      : []));
  });
}

/** minima's `header_pages:` (page files, in that order), or on a minima site without it every page with a title, by path. */
function headerPages(settings: Record<string, unknown>, pages: readonly Post[]): MenuEntry[] {
  const listed = settings['header_pages'];
  const titled = pages.filter((page) => page.title.trim() !== '' && page.url !== '/' && page.url !== '/404.html');
  if (Array.isArray(listed)) {
    return listed.flatMap((name) => {
      const page = titled.find((p) => p.file === String(name).replace(/^\/+/, ''));
      return page ? [{ label: page.title, url: page.url }] : [];
    });
  }
  const theme = [settings['theme'], settings['remote_theme']].find((name) => typeof name === 'string');
  if (typeof theme !== 'string' || !/(^|\/)minima(@.*)?$/i.test(theme.trim())) return [];
  return titled.filter((page) => page.data['title'] !== undefined && !page.file.startsWith('_')).sort((a, b) => compareCodeUnits(a.file, b.file)).map((page) => ({ label: page.title, url: page.url }));
}
