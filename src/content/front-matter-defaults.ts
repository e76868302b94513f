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

/** The most default sets, and values in them all, Recap reads (real sites have a handful). */
const MAX_SETS = 50;
const MAX_VALUES = 1000;

/** How many values a piece of YAML holds, nested ones included. */
function countValues(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  let count = 1;
  for (const child of Object.values(value)) count += countValues(child);
  return count;
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
  let values = 0;
  raw.forEach((set: unknown, index) => {
    const scope = isMapping(set) && isMapping(set['scope']) ? set['scope'] : {};
    // Every post and page is matched against every set: a bounded number keeps that cheap whatever the settings hold.
    const size = isMapping(set) && isMapping(set['values']) ? countValues(set['values']) : 0;
    if (sets.length >= MAX_SETS || values + size > MAX_VALUES) {
      diagnostics.warning('R115', file, lineOfYamlKey(text, ['defaults', index])?.line, undefined, `defaults entry ${index + 1} is past the limit of ${MAX_SETS} sets and ${MAX_VALUES} values: skipped`,
        'give fewer defaults; a scope may take in a whole folder');
      return;
    }
    if (!isMapping(set) || !isMapping(set['values'])) {
      diagnostics.warning('R115', file, lineOfYamlKey(text, ['defaults', index])?.line, undefined, `defaults entry ${index + 1} has no values mapping: skipped, as Jekyll skips it`,
        'give it values: with the front matter it sets, such as values: {layout: post}');
      return;
    }
    const type = typeof scope['type'] === 'string' ? OLD_TYPES[scope['type']] ?? scope['type'] : undefined;
    sets.push({ path: typeof scope['path'] === 'string' ? scope['path'] : '', type, values: set['values'] });
    values += size;
  });
  return sets;
}

/** True when a set's scope takes in a file, as Jekyll decides it: a plain path is a prefix of the file's path as written (`blog` takes in `blog/_posts/x.md`). */
function applies(set: FrontMatterDefault, sitePath: string, type: string): boolean {
  if (set.type !== undefined && set.type !== type) return false;
  if (set.path === '') return true;
  if (!set.path.includes('*')) return sitePath.startsWith(set.path);
  return jekyllGlob(set.path.replace(/^\/+/, ''))(sitePath);
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
    merged ??= {};
    // A set of less weight than the one winning so far goes under what is there.
    const wins = takesPrecedence(winner, set);
    layInto(merged, set.values, wins);
    if (wins) winner = set;
  }
  return merged;
}

/**
 * Lays a set's values into an object of this function's own making, key by key, mappings merged
 * (lists and values replaced), as Jekyll's deep_merge_hashes: over what is there, or under it.
 * Work grows with the set's values alone, and the settings' objects are never changed.
 */
function layInto(target: Record<string, unknown>, values: Record<string, unknown>, over: boolean): void {
  for (const [key, value] of Object.entries(values)) {
    const there = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isMapping(there) && isMapping(value)) layInto(there, value, over);
    else if (there === undefined || over) define(target, key, isMapping(value) ? copyOf(value) : value);
  }
}

/** A mapping copied deeply enough that laying values into it never changes the original. */
function copyOf(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) define(copy, key, isMapping(child) ? copyOf(child) : child);
  return copy;
}

/** Sets a key as data: settings and posts are untrusted, so a key named __proto__ is never the object's prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}


/**
 * A file's front matter over its defaults, as Jekyll merges them: its own keys win, mappings merge
 * key by key, and `categories` are both lists together (a string is split at spaces), the defaults' first.
 */
export function withDefaults(own: Record<string, unknown>, defaults: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!defaults) return own;
  const merged = copyOf(defaults);
  layInto(merged, own, true);
  const list = (value: unknown) => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : Array.isArray(value) ? value : undefined);
  const fromDefaults = list(defaults['categories']);
  const fromOwn = list(own['categories']);
  if (fromDefaults && fromOwn) define(merged, 'categories', [...new Set([...fromDefaults, ...fromOwn])]);
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
