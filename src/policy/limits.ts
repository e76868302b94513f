import { Diagnostics, positionIn } from '../diagnostics/diagnostics.js';

/** The largest post file Recap reads; larger ones are an error, so one file cannot stall a build. */
export const MAX_POST_BYTES = 1024 * 1024;
/** The largest front matter (the YAML between the fences). */
export const MAX_FRONT_MATTER_BYTES = 64 * 1024;
/**
 * The most values a YAML document may expand to (aliases counted each time they are used) beyond
 * one per character of its text, which is more than any document without aliases holds: a large
 * data file reads whole, a billion laughs stops within its size.
 */
export const MAX_YAML_VALUES = 20_000;
/** The deepest nesting of lists and mappings in YAML. */
export const MAX_YAML_DEPTH = 32;
/** The most tags a post files itself under: each is a page, so a post of 9,000 tags (62 KB) made 9,000 pages and 73 MB. */
export const MAX_TAGS_PER_POST = 100;
/** The longest title a generated social card draws (longer ones end in "…"). */
export const MAX_CARD_TITLE = 140;

/** Characters XML 1.0 forbids (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF), which would break the feed and sitemap. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The same for text decoded from UTF-8, which cannot hold a lone surrogate (a quicker pattern for every post). */
const XML_FORBIDDEN_IN_UTF8 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** The same pattern, matching every occurrence (made per use: a global pattern carries state between uses). */
function everywhere(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, 'g');
}

/** Removes characters XML forbids from a text decoded from UTF-8, with one warning at the first one (a paste from a word processor). */
export function withoutXmlForbidden(text: string, file: string, diagnostics: Diagnostics): string {
  const first = XML_FORBIDDEN_IN_UTF8.exec(text);
  if (!first) return text;
  const { line, column } = positionIn(text, first.index);
  const count = text.match(everywhere(XML_FORBIDDEN_IN_UTF8))!.length;
  const code = first[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  diagnostics.warning('R110', file, line, column, `removed ${count} invisible control character${count === 1 ? '' : 's'} (first U+${code}) that feeds and sitemaps cannot hold`,
    'this often comes from pasting out of a word processor; retype the text around it if it looks wrong');
  return text.replace(everywhere(XML_FORBIDDEN_IN_UTF8), '');
}

/**
 * Removes characters XML forbids from every string of parsed YAML (escapes such as "\u0001"
 * make them only once the YAML is read), in place; returns the top-level keys that had any.
 */
export function removeXmlForbiddenValues(data: Record<string, unknown>): string[] {
  const clean = (value: unknown): { value: unknown; changed: boolean } => {
    if (typeof value === 'string') {
      return XML_FORBIDDEN.test(value) ? { value: value.replace(everywhere(XML_FORBIDDEN), ''), changed: true } : { value, changed: false };
    }
    if (value === null || typeof value !== 'object') return { value, changed: false };
    let changed = false;
    for (const key of Object.keys(value)) {
      const result = clean((value as Record<string, unknown>)[key]);
      if (result.changed) {
        (value as Record<string, unknown>)[key] = result.value;
        changed = true;
      }
    }
    return { value, changed };
  };
  return Object.keys(data).filter((key) => {
    const result = clean(data[key]);
    data[key] = result.value;
    return result.changed;
  });
}

/** How deep a JSON data file may nest (Jekyll reads it as YAML, and stops with a stack overflow some thousands deep; no real table nests a hundred). */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether a parsed JSON value nests deeper than MAX_JSON_DEPTH: every later walk of it (a cache
 * key's digest, Liquid's filters) would otherwise recurse past the stack. The walk stops at that
 * depth, so it cannot itself.
 */
export function nestedTooDeep(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= MAX_JSON_DEPTH) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (nestedTooDeep(child, depth + 1)) return true;
  return false;
}

/** Why a parsed YAML value of a text `textLength` long is too large or too deep to use, or undefined when it is within the limits. */
export function yamlTooLarge(value: unknown, textLength: number): string | undefined {
  const limit = MAX_YAML_VALUES + textLength;
  let budget = limit;
  const visit = (node: unknown, depth: number): string | undefined => {
    if (--budget < 0) return `it expands to more than ${limit} values, more than its text holds (are aliases (*name) repeating a large anchor?)`;
    if (node === null || typeof node !== 'object') return undefined;
    if (depth >= MAX_YAML_DEPTH) return `it is nested more than ${MAX_YAML_DEPTH} levels deep`;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(value, 0);
}
