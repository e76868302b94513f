import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { jekyllGlob } from './jekyll-glob.js';
import { lineOfYamlKey } from './yaml.js';

/**
 * One set of a site's `defaults:` (Jekyll's front matter defaults): the front matter `values` that
 * every post or page under `path` (a prefix of its site path, or a `*` pattern) of `type` (`posts`,
 * `pages`; any type when absent) takes where its own front matter says nothing.
 */
export interface FrontMatterDefault {
  path: string;
  type: string | undefined;
  values: Record<string, unknown>;
}

/** Jekyll's old singular scope types, which it still reads as the plural ones. */
const OLD_TYPES: Readonly<Record<string, string>> = { page: 'pages', post: 'posts', draft: 'drafts' };

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The `defaults:` of a settings file: each set with a `values` mapping, as Jekyll reads them. A set
 * Jekyll would skip (no `values` mapping) is skipped with a warning at its line.
 */
export function readFrontMatterDefaults(raw: unknown, text: string, file: string, diagnostics: Diagnostics): FrontMatterDefault[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    diagnostics.warning('R115', file, lineOfYamlKey(text, ['defaults'])?.line, undefined, 'defaults is not a list of scope and values: ignored',
      'write it as defaults: [{scope: {path: "", type: posts}, values: {layout: post}}]');
    return [];
  }
  const sets: FrontMatterDefault[] = [];
  raw.forEach((set: unknown, index) => {
    const scope = isMapping(set) && isMapping(set['scope']) ? set['scope'] : {};
    if (!isMapping(set) || !isMapping(set['values'])) {
      diagnostics.warning('R115', file, lineOfYamlKey(text, ['defaults', index])?.line, undefined, `defaults entry ${index + 1} has no values mapping: skipped, as Jekyll skips it`,
        'give it values: with the front matter it sets, such as values: {layout: post}');
      return;
    }
    const type = typeof scope['type'] === 'string' ? OLD_TYPES[scope['type']] ?? scope['type'] : undefined;
    sets.push({ path: typeof scope['path'] === 'string' ? scope['path'] : '', type, values: set['values'] });
  });
  return sets;
}

/** True when a set's scope takes in a file, as Jekyll decides it: a plain path is a prefix of the file's path as written (`blog` takes in `blog/_posts/x.md`). */
function applies(set: FrontMatterDefault, sitePath: string, type: string): boolean {
  if (set.type !== undefined && set.type !== type) return false;
  if (set.path === '') return true;
  if (!set.path.includes('*')) return sitePath.startsWith(set.path);
  return jekyllGlob(set.path.replace(/^\/+/, '')).test(sitePath);
}

/** The scope path as Jekyll weighs it: without a leading slash. */
function weight(set: FrontMatterDefault): number {
  return set.path.replace(/^\//, '').length;
}

/** True when a later matching set wins over the one that won so far: a longer path, or as long with a type where the other has none. */
function takesPrecedence(winner: FrontMatterDefault | undefined, set: FrontMatterDefault): boolean {
  if (!winner) return true;
  if (weight(set) !== weight(winner)) return weight(set) >= weight(winner);
  return set.type !== undefined || winner.type === undefined;
}

/**
 * The front matter defaults of one file (its site path and its type: see defaultsType), merged as
 * Jekyll merges them, or undefined when no set takes it in.
 */
export function defaultsFor(sets: ReadonlyArray<FrontMatterDefault>, sitePath: string, type: string): Record<string, unknown> | undefined {
  let merged: Record<string, unknown> | undefined;
  let winner: FrontMatterDefault | undefined;
  for (const set of sets) {
    if (!applies(set, sitePath, type)) continue;
    if (takesPrecedence(winner, set)) {
      merged = deepMerge(merged ?? {}, set.values);
      winner = set;
    } else merged = deepMerge(set.values, merged ?? {});
  }
  return merged;
}

/** `over` laid over `under`, mappings merged key by key (lists and values replaced), as Jekyll's deep_merge_hashes; neither is changed. */
function deepMerge(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of [...Object.entries(under), ...Object.entries(over)]) {
    // Settings and posts are untrusted: a key named __proto__ is data, never the object's prototype.
    const below = Object.hasOwn(out, key) ? out[key] : undefined;
    Object.defineProperty(out, key, { value: isMapping(below) && isMapping(value) ? deepMerge(below, value) : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A file's front matter over its defaults, as Jekyll merges them: its own keys win, mappings merge
 * key by key, and `categories` are both lists together (a string is split at spaces), the defaults' first.
 */
export function withDefaults(own: Record<string, unknown>, defaults: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!defaults) return own;
  const merged = deepMerge(defaults, own);
  const list = (value: unknown) => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : Array.isArray(value) ? value : undefined);
  const fromDefaults = list(defaults['categories']);
  const fromOwn = list(own['categories']);
  if (fromDefaults && fromOwn) merged['categories'] = [...new Set([...fromDefaults, ...fromOwn])];
  return merged;
}

/** The type a file's defaults are chosen by, as Jekyll names it: `posts` (drafts too), `pages`, or its collection's label. */
export function defaultsType(file: { kind: 'post' | 'page'; collection?: string | undefined }): string {
  return file.collection ?? (file.kind === 'page' ? 'pages' : 'posts');
}

/** What a file's defaults add to the keys of its cached parse and body: their merged values as JSON (empty when none apply). */
export function defaultsKey(sets: ReadonlyArray<FrontMatterDefault>, sitePath: string, type: string): string {
  const defaults = sets.length > 0 ? defaultsFor(sets, sitePath, type) : undefined;
  return defaults ? JSON.stringify(defaults) : '';
}
