import { toValue, TypeGuards, type Liquid, type ValueToken } from 'liquidjs';
import { jekyllNameSlug } from './permalink.js';
import { rubyArithmetic, rubyToInteger } from './ruby-numbers.js';
import { rubySplitOnSpaces, rubySubstitution, rubyToS } from './ruby-strings.js';

/** What a filter is called with as `this`: the filter as written (liquidjs's FilterImpl, not exported), its arguments among it. */
interface FilterCall {
  token: { args: Array<ValueToken | [(string | undefined)?, (ValueToken | undefined)?]> };
}

/** What a filter is called with as `this` where it counts what it makes against Liquid's memory limit. */
interface MemoryCall {
  context: { memoryLimit: { use(length: number): void } };
}

/**
 * How many lists and items a flattened list may be made of: `{% assign a = a | push: a %}` forty
 * times makes a list of 2^40 items once flattened, which Jekyll would take hours over.
 */
const MAX_FLATTENED = 1_000_000;

/** A list with the lists in it flattened, as Ruby's flatten makes it, walked without recursion and within MAX_FLATTENED. */
function flattened(list: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack: Array<{ items: readonly unknown[]; at: number }> = [{ items: list, at: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.at >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.at++];
    if (++visited > MAX_FLATTENED) throw new Error(`a list of more than ${MAX_FLATTENED.toLocaleString('en')} items once its lists are flattened`);
    if (Array.isArray(item)) stack.push({ items: item, at: 0 });
    else out.push(item);
  }
  return out;
}

/** How many items pop or shift drops: one, or the count given as Ruby's to_i reads it. */
function dropped(count: unknown): number {
  return count === undefined || count === null ? 1 : Math.max(0, rubyToInteger(count));
}

/** Whether a filter's result is a generator liquidjs runs (its filters that read the scope are). */
function isIterator(value: unknown): value is Generator<unknown, unknown, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function';
}

/** Jekyll's compare_property_vs_target: nil matches nil; otherwise the value's text equals the property's, or one of a list's. */
function holds(property: unknown, value: unknown): boolean {
  if (value === undefined || value === null) return property === undefined || property === null;
  const target = rubyToS(value);
  if (typeof property === 'string') return property === target;
  const each = property === undefined || property === null ? [] : Array.isArray(property) ? property : [property];
  return each.some((item) => rubyToS(item) === target);
}

/** Pairs by their names' bytes, as Ruby compares strings (each name made bytes once, not at every comparison). */
function byteOrder(pairs: Array<[string, unknown]>): Array<[string, unknown]> {
  return pairs.map((pair) => ({ pair, bytes: Buffer.from(pair[0]) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes)).map(({ pair }) => pair);
}

/** What a generator filter is called with as `this`: the render context, whose scope lookups it yields. */
interface ScopeCall {
  context: { _getFromScope(item: unknown, path: string[], strict: boolean): unknown };
}

/** What each of Jekyll's slugify modes replaces with a dash (Jekyll::Utils.slugify); "latin" is "default" after transliteration. */
const SLUGIFY_DROPPED: Readonly<Record<string, RegExp>> = {
  raw: /\s+/g,
  pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
  ascii: /[^A-Za-z0-9]+/g,
};

/** Latin letters that decomposing leaves whole, as Ruby's I18n.transliterate spells them. */
const LATIN_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'Th', ð: 'd', Ð: 'D', ı: 'i',
};

/** Text as I18n.transliterate makes it for Jekyll's "latin" slugs: accents dropped from Latin letters, anything else not ASCII a "?". */
function transliterate(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/[^\x00-\x7f]/g, (char) => LATIN_LETTERS[char] ?? '?');
}

/** Jekyll's `slugify` filter in each of its modes (default, raw, pretty, ascii, latin; any other keeps the text, lower-cased). */
export function jekyllSlugify(text: string, mode = 'default'): string {
  if (mode === 'default') return jekyllNameSlug(text);
  if (mode === 'latin') return jekyllNameSlug(transliterate(text));
  const dropped = SLUGIFY_DROPPED[mode];
  return (dropped ? text.replace(dropped, '-').replace(/^-|-$/g, '') : text).toLowerCase();
}

/** Ruby's strftime directives that stand for others, which liquidjs's lacks (`%F` is `%Y-%m-%d`). */
const COMBINED_DIRECTIVES: Readonly<Record<string, string>> = {
  F: '%Y-%m-%d', T: '%H:%M:%S', D: '%m/%d/%y', R: '%H:%M', r: '%I:%M:%S %p', c: '%a %b %e %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S', v: '%e-%^b-%Y',
};

/**
 * A strftime format with Ruby's combined directives written out (`%F` as `%Y-%m-%d`), `%%` and
 * flagged ones kept, for liquidjs's `date`; `%q`, which liquidjs alone knows (an ordinal's
 * suffix), is kept as written, as Ruby writes it.
 */
export function withRubyCombinedDirectives(format: string): string {
  return format.replace(/%([-_0^#:]*\d*)([A-Za-z%+])/g, (directive, flags: string, letter: string) => {
    if (flags !== '') return directive;
    if (letter === 'q') return '%%q';
    return Object.hasOwn(COMBINED_DIRECTIVES, letter) ? COMBINED_DIRECTIVES[letter]! : directive;
  });
}

/** strftime's ISO 8601 week directives, which liquidjs lacks: the week-based year (`%G`, `%g`) and the week (`%V`), with a flag. */
const ISO_WEEK_DIRECTIVE = /%%|%([-_0]?)([GgV])/g;

/** Whether a format has a directive withIsoWeek writes. */
export function hasIsoWeekDirective(format: string): boolean {
  return /%[-_0]?[GgV]/.test(format.replace(/%%/g, ''));
}

/**
 * A format with Ruby's ISO week directives written out for the calendar day `day` (`2021-12-31`,
 * as the date is shown): `%G` its week-based year (2021), `%g` that year's last two digits, `%V`
 * its week (52), each padded as Ruby pads it unless flagged `-` (none) or `_` (spaces).
 */
export function withIsoWeek(format: string, day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const midnight = Date.UTC(year, month - 1, date);
  // The week is the one its Thursday falls in, and that Thursday's year is the week-based year.
  const thursday = midnight + (3 - ((new Date(midnight).getUTCDay() + 6) % 7)) * 86_400_000;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000));
  return format.replace(ISO_WEEK_DIRECTIVE, (directive, flag: string | undefined, letter: string | undefined) => {
    if (letter === undefined) return directive;
    const value = letter === 'G' ? weekYear : letter === 'g' ? weekYear % 100 : week;
    const width = letter === 'G' ? 4 : 2;
    return flag === '-' ? String(value) : String(value).padStart(width, flag === '_' ? ' ' : '0');
  });
}

/** The characters a URL's path keeps as written when Addressable normalises it (RFC 3986's unreserved and sub-delimiters, `:`, `@`, `/`); its query and fragment keep `?` too. */
const PATH_KEEPS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;
const QUERY_KEEPS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/;

/** An escape (`%7e`) and the characters an escape of which is written as the character itself (`~`). */
const ESCAPE = /^%[0-9A-Fa-f]{2}/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** One part of a URL as Addressable normalises it: escapes of unreserved characters decoded, other escapes upper-cased, and every other character it does not keep escaped as UTF-8. */
function normalisedPart(part: string, keeps: RegExp): string {
  let out = '';
  for (let i = 0; i < part.length;) {
    const escape = ESCAPE.exec(part.slice(i, i + 3))?.[0];
    if (escape) {
      const decoded = String.fromCharCode(parseInt(escape.slice(1), 16));
      out += UNRESERVED.test(decoded) ? decoded : escape.toUpperCase();
      i += 3;
      continue;
    }
    const char = String.fromCodePoint(part.codePointAt(i)!);
    i += char.length;
    if (keeps.test(char)) out += char;
    else {
      try {
        out += encodeURIComponent(char);
      } catch {
        out += '%EF%BF%BD';
      }
    }
  }
  return out;
}

/** An absolute path without its `.` and `..` segments, as RFC 3986 removes them (`/a/./b/../c` is `/a/c`, `/a/b/..` is `/a/`). */
function withoutDotSegments(path: string): string {
  const kept: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((segment, n) => {
    if (segment !== '.' && segment !== '..') kept.push(segment);
    else {
      if (segment === '..') kept.pop();
      if (n === segments.length - 1) kept.push('');
    }
  });
  return `/${kept.join('/')}`;
}

/**
 * A site-relative URL as Jekyll's `relative_url` and `absolute_url` give it (Addressable's
 * normalize): `/assets/My File.pdf` is `/assets/My%20File.pdf`, `/café/` `/caf%C3%A9/`, `/a/./b/../c`
 * `/a/c`, and `[`, `]`, `|` escaped in every part, an escape of a plain letter (`%41`) the letter.
 */
export function addressableNormalized(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const path = question < 0 ? beforeHash : beforeHash.slice(0, question);
  let normalised = normalisedPart(path.startsWith('/') ? withoutDotSegments(path) : path, PATH_KEEPS);
  if (question >= 0) normalised += `?${normalisedPart(beforeHash.slice(question + 1), QUERY_KEEPS)}`;
  if (hash >= 0) normalised += `#${normalisedPart(url.slice(hash + 1), QUERY_KEEPS)}`;
  return normalised;
}

/** Whether a value is a plain mapping (a Ruby Hash: `site.tags`, a data file's table), not a list, a string or one of Liquid's drops. */
function isMapping(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Registers the filters whose Ruby meaning differs from liquidjs's: arithmetic as Ruby's Liquid
 * does it (`divided_by` of two integers is Ruby's integer division, so a reading time of
 * `words | divided_by: 200` is whole minutes; `modulo` takes the divisor's sign; a float is a
 * BigDecimal, so `0.1 | plus: 0.2` is 0.3), `to_integer` is Ruby's to_i, `size` counts a mapping's
 * keys (`site.tags | size`), and `slugify` knows Jekyll's modes.
 */
export function registerRubyFilters(liquid: Liquid): void {
  for (const name of ['plus', 'minus', 'times', 'divided_by', 'modulo'] as const) {
    const own = liquid.filters[name]! as (this: unknown, ...args: unknown[]) => unknown;
    liquid.registerFilter(name, function (this: FilterCall, input: unknown, argument: unknown, ...rest: unknown[]) {
      const written = this.token.args[0];
      const floatLiteral = written !== undefined && !Array.isArray(written) && TypeGuards.isNumberToken(written) && /[.eE]/.test(written.getText());
      return rubyArithmetic(name, input, argument, floatLiteral) ?? own.call(this, input, argument, ...rest);
    });
  }
  liquid.registerFilter('to_integer', rubyToInteger);
  // Ruby's split(" ") parts words at runs of white space, leading white space passed by.
  const split = liquid.filters['split']! as (this: unknown, ...args: unknown[]) => unknown;
  liquid.registerFilter('split', function (this: MemoryCall, input: unknown, pattern?: unknown) {
    if (rubyToS(toValue(pattern)) !== ' ') return split.call(this, input, pattern);
    const text = rubyToS(toValue(input));
    this.context.memoryLimit.use(text.length);
    return rubySplitOnSpaces(text);
  });
  // Liquid's truncatewords: the text as it is when it has no more words than asked for.
  liquid.registerFilter('truncatewords', function (this: MemoryCall, input: unknown, count?: unknown, ending?: unknown) {
    if (input === null || input === undefined) return '';
    const text = rubyToS(toValue(input));
    const words = Math.max(1, Math.min(Number(rubyToInteger(count ?? 15)), text.length + 1));
    this.context.memoryLimit.use(text.length);
    const list = rubySplitOnSpaces(text, words + 1);
    if (list.length <= words) return text;
    list.pop();
    return list.join(' ') + (ending === undefined ? '...' : rubyToS(toValue(ending)));
  });
  // Ruby's first of what has one: a list's first item, a mapping's first [key, value]; nothing (nil) of text. last: a list's.
  liquid.registerFilter('first', (input: unknown) => {
    const value = toValue(input);
    if (Array.isArray(value)) return value[0];
    return isMapping(value) ? Object.entries(value)[0] : undefined;
  });
  liquid.registerFilter('last', (input: unknown) => {
    const value = toValue(input);
    return Array.isArray(value) ? value[value.length - 1] : undefined;
  });
  // replace and replace_first are Ruby's gsub and sub, whose replacement reads backslashes (`replace: '\', '\\\\'` makes one backslash two).
  for (const [name, firstOnly] of [['replace', false], ['replace_first', true]] as const) {
    liquid.registerFilter(name, function (this: MemoryCall, input: unknown, pattern?: unknown, replacement?: unknown) {
      return rubySubstitution(rubyToS(toValue(input)), rubyToS(toValue(pattern)), rubyToS(toValue(replacement)), firstOnly, (length) => this.context.memoryLimit.use(length));
    });
  }
  // Jekyll's pop and shift take how many to drop (`pop: 2`); strip_index makes `/about/index.html` `/about/`.
  liquid.registerFilter('pop', (input: unknown, count?: unknown) => (Array.isArray(input) ? input.slice(0, Math.max(0, input.length - dropped(count))) : input));
  liquid.registerFilter('shift', (input: unknown, count?: unknown) => (Array.isArray(input) ? input.slice(dropped(count)) : input));
  liquid.registerFilter('strip_index', (input: unknown) => (input === null || input === undefined ? '' : String(input).replace(/\/index\.html?$/, '/')));
  const sort = liquid.filters['sort']! as (this: unknown, ...args: unknown[]) => Generator<unknown, unknown, unknown>;
  liquid.registerFilter('sort', function* (this: ScopeCall, input: unknown, property?: unknown, nils?: unknown): Generator<unknown, unknown, unknown> {
    // Jekyll's sort: a mapping (`site.tags | sort`, the usual tag index) is its [name, posts] pairs by name, as Ruby's Hash#sort
    // (with a property, where Jekyll's stops the build, by name too).
    if (isMapping(input)) return byteOrder(Object.entries(input));
    if (property === undefined || property === null || !Array.isArray(input)) return yield* sort.call(this, input, property);
    // Items without the property come first, or last with `nils: "last"`, as Jekyll sorts them.
    const path = String(property).split('.');
    const missing: unknown[] = [];
    const present: unknown[] = [];
    for (const item of input) (((yield this.context._getFromScope(item, path, false)) ?? undefined) === undefined ? missing : present).push(item);
    const sorted = (yield* sort.call(this, present, property)) as unknown[];
    return nils === 'last' ? [...sorted, ...missing] : [...missing, ...sorted];
  });
  // Ruby's Liquid flattens the list these filters take (its InputIterator): `site.posts | map: "tags" | uniq` is every tag once.
  for (const name of ['join', 'sort_natural', 'uniq', 'reverse', 'map', 'compact', 'concat']) {
    const own = liquid.filters[name]! as (this: unknown, ...args: unknown[]) => unknown;
    liquid.registerFilter(name, function* (this: unknown, input: unknown, ...rest: unknown[]): Generator<unknown, unknown, unknown> {
      const result = own.call(this, Array.isArray(input) ? flattened(input) : input, ...rest);
      return isIterator(result) ? yield* result : result;
    });
  }
  // A list pushed into a list nests it: `{% assign a = a | push: a %}` forty times is 2^40 items to write out, so such a list is kept
  // within MAX_FLATTENED (concat's own list is flattened, and so bounded, above).
  // Jekyll's push and unshift give back what is not a list as it is.
  for (const name of ['push', 'unshift']) {
    const own = liquid.filters[name]! as (this: unknown, ...args: unknown[]) => unknown;
    liquid.registerFilter(name, function (this: unknown, input: unknown, added: unknown, ...rest: unknown[]) {
      if (!Array.isArray(toValue(input))) return input;
      const result = own.call(this, input, added, ...rest);
      if (Array.isArray(result) && (Array.isArray(added) || added === result)) flattened(result);
      return result;
    });
  }
  // Jekyll's where_exp, find and find_exp give back what has no items (text, a number) as it is; a mapping's items are its values.
  for (const name of ['where_exp', 'find', 'find_exp']) {
    const own = liquid.filters[name]! as (this: unknown, ...args: unknown[]) => unknown;
    liquid.registerFilter(name, function* (this: unknown, input: unknown, ...rest: unknown[]): Generator<unknown, unknown, unknown> {
      const value = toValue(input);
      if (!Array.isArray(value) && !isMapping(value)) return input;
      const result = own.call(this, isMapping(value) ? Object.values(value) : value, ...rest);
      return isIterator(result) ? yield* result : result;
    });
  }
  // Jekyll's where: the property's text against the value's, and a list property holding it (`where: "tags", "rust"`).
  const where = liquid.filters['where']! as (this: unknown, ...args: unknown[]) => unknown;
  liquid.registerFilter('where', function* (this: ScopeCall, input: unknown, property?: unknown, ...rest: unknown[]): Generator<unknown, unknown, unknown> {
    // Without a value Jekyll's where stops the build; liquidjs's keeps the items whose property is truthy, which is kept.
    if (rest.length === 0) {
      const result = where.call(this, input, property);
      return isIterator(result) ? yield* result : result;
    }
    // `nil`, `empty` and `blank` come as liquidjs's drops: their values are what Ruby compares.
    const value = toValue(rest[0]);
    if (property === undefined || property === null || Array.isArray(value) || isMapping(value)) return input;
    const items = isMapping(input) ? Object.values(input) : input;
    if (!Array.isArray(items)) return input;
    const path = String(property).split('.');
    const kept: unknown[] = [];
    for (const item of items) if (holds((yield this.context._getFromScope(item, path, false)), value)) kept.push(item);
    return kept;
  });
  // Jekyll's group_by: groups named by the property's text (a list's is its `inspect`), each with its size.
  liquid.registerFilter('group_by', function* (this: ScopeCall, input: unknown, property?: unknown): Generator<unknown, unknown, unknown> {
    const items = isMapping(input) ? Object.values(input) : input;
    if (!Array.isArray(items)) return input;
    const path = String(property ?? '').split('.');
    const groups = new Map<string, unknown[]>();
    for (const item of items) {
      const name = rubyToS(yield this.context._getFromScope(item, path, false));
      (groups.get(name) ?? groups.set(name, []).get(name)!).push(item);
    }
    return [...groups].map(([name, grouped]) => ({ name, items: grouped, size: grouped.length }));
  });
  const size = liquid.filters['size']! as (this: unknown, ...args: unknown[]) => unknown;
  liquid.registerFilter('size', function (this: unknown, value: unknown) {
    return isMapping(value) ? Object.keys(value).length : size.call(this, value);
  });
  liquid.registerFilter('slugify', (text: unknown, mode?: unknown) => (text === null || text === undefined ? '' : jekyllSlugify(String(text), typeof mode === 'string' ? mode : 'default')));
}

