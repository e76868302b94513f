import { MAX_SEGMENT_BYTES } from '../policy/output-policy.js';

/** Compares strings by UTF-16 code unit, never by locale, so output is deterministic. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Text with the accents of its Latin letters taken off (`Über` is `Uber`), as slugs write it. */
function withoutAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Turns a tag or heading into a URL slug: lower case, ASCII letters and digits joined by dashes. */
export function slugify(text: string): string {
  return withoutAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** What separates a path slug's words: anything but a letter, mark or digit, and a Latin letter other than a-z (`ø`, `ß`, as slugify drops them). */
const PATH_SLUG_SEPARATORS = /(?:[^\p{L}\p{M}\p{Nd}]|(?![a-z])\p{Script=Latin})+/gu;

/**
 * A slug for a path part Recap names from free text (a tag's or speaker's page, a new post's file):
 * slugify's for Latin letters (`Über café` is `uber-cafe`), other scripts' letters kept (`東京 2024`
 * is `東京-2024`, `Москва` is `москва`: they were left out, so every such tag shared one page),
 * cut at a dash to at most MAX_SEGMENT_BYTES, so a tag of 300 letters still has a page.
 */
export function pathSlug(text: string): string {
  // Composed again after the accents are gone, so other scripts' letters are whole (Hangul's syllables, ガ).
  const slug = withoutAccents(text).normalize('NFC').toLowerCase().replace(PATH_SLUG_SEPARATORS, '-').replace(/^-+|-+$/g, '');
  let bytes = 0;
  let end = 0;
  for (const character of slug) {
    bytes += Buffer.byteLength(character);
    if (bytes > MAX_SEGMENT_BYTES) break;
    end += character.length;
  }
  if (end === slug.length) return slug;
  const cut = slug.lastIndexOf('-', end);
  return slug.slice(0, cut > 0 ? cut : end);
}

/** Escapes text for HTML content and attribute values (the five characters that could end either). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The text without the characters of `set` at its end, found by a walk back from the end: a
 * pattern such as `/[,;]+$/` tries every run of those characters before failing where the run is
 * not at the end, which is quadratic in a run's length.
 */
export function trimEndOf(text: string, set: string): string {
  let end = text.length;
  while (end > 0 && set.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}
