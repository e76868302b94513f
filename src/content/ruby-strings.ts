/**
 * Values written as Ruby writes them for Jekyll's filters: `inspect` (`["a", "b"]`,
 * `{"k"=>1}`, as Ruby 3.1, which GitHub Pages and Debian run) and `to_s` (what `where` and
 * `group_by` compare and group by); `sub`/`gsub` as Liquid's `replace` filters use them, and
 * `split(" ")` as `split` and `truncatewords` do.
 */

/** Ruby's escapes of a string's special characters in `inspect`. */
const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\x07': '\\a', '\x1b': '\\e' };

/** How deep `inspect` follows lists and mappings before writing `...` (Ruby's recursion guard, and a bound on a hostile value). */
const MAX_DEPTH = 32;

function inspectString(text: string): string {
  const body = text.replace(/["\\\n\t\r\f\v\b\x07\x1b]|[\x00-\x1f\x7f]|#(?=[{$@])/g, (char) => {
    if (char === '#') return '\\#';
    return ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  });
  return `"${body}"`;
}

/** Ruby's `inspect` of a value Liquid holds: text quoted and escaped, nil, lists and mappings. */
export function rubyInspect(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return inspectString(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (depth >= MAX_DEPTH) return '[...]';
  if (Array.isArray(value)) return `[${value.map((item) => rubyInspect(item, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([key, item]) => `${inspectString(key)}=>${rubyInspect(item, depth + 1)}`).join(', ')}}`;
  return String(value);
}

/** Ruby's `to_s`: text as it is, nil as nothing, a list or a mapping as its `inspect`. */
export function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return rubyInspect(value);
  return String(value);
}

/** A piece of a replacement as Ruby's `sub` and `gsub` read it: text, or the match, the text before it or the text after it. */
type ReplacementPiece = string | { ref: 'match' | 'before' | 'after' };

/**
 * A replacement text as Ruby reads it: `\\` is a backslash, `\0` and `\&` the match, `` \` `` and
 * `\'` the text before and after it, `\1` to `\9` a group (empty: a plain string has none), and any
 * other backslash itself.
 */
function replacementPieces(replacement: string): ReplacementPiece[] {
  const pieces: ReplacementPiece[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const char = replacement[i]!;
    const next = replacement[i + 1];
    if (char !== '\\' || next === undefined) {
      text += char;
      continue;
    }
    i++;
    if (next === '\\') text += '\\';
    else if (/[1-9]/.test(next)) continue;
    else if (next === '0' || next === '&' || next === '`' || next === "'") {
      pieces.push(text, { ref: next === '`' ? 'before' : next === "'" ? 'after' : 'match' });
      text = '';
    } else text += `\\${next}`;
  }
  pieces.push(text);
  return pieces;
}

/**
 * Ruby's `text.gsub(pattern, replacement)` (or `sub`, for the first match only) with a plain
 * string pattern, which is Liquid's `replace` (and `replace_first`): an empty pattern matches
 * before every character and at the end, and the replacement is read as replacementPieces reads
 * it. `use` is told the result's length before it is made (a pattern of one character replaced
 * with the text before it would grow as the square of the text).
 */
export function rubySubstitution(text: string, pattern: string, replacement: string, firstOnly: boolean, use: (length: number) => void): string {
  const at: number[] = [];
  if (pattern === '') {
    for (let i = 0; i <= text.length; i++) {
      at.push(i);
      if (firstOnly) break;
      // A character outside the Basic Multilingual Plane is one to Ruby.
      const code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff) i++;
    }
  } else {
    for (let found = text.indexOf(pattern); found !== -1; found = text.indexOf(pattern, found + pattern.length)) {
      at.push(found);
      if (firstOnly) break;
    }
  }
  const pieces = replacementPieces(replacement);
  let length = text.length - at.length * pattern.length;
  for (const start of at) {
    for (const piece of pieces) {
      length += typeof piece === 'string' ? piece.length : piece.ref === 'match' ? pattern.length : piece.ref === 'before' ? start : text.length - start - pattern.length;
    }
  }
  use(length);
  const parts: string[] = [];
  let copied = 0;
  for (const start of at) {
    parts.push(text.slice(copied, start));
    for (const piece of pieces) {
      parts.push(typeof piece === 'string' ? piece : piece.ref === 'match' ? pattern : piece.ref === 'before' ? text.slice(0, start) : text.slice(start + pattern.length));
    }
    copied = start + pattern.length;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Whether a character is white space to Ruby's `split(" ")`. */
function isRubySpace(char: string): boolean {
  return char === ' ' || (char >= '\t' && char <= '\r');
}

/**
 * Ruby's `text.split(" ", limit)`, as Liquid's `split: " "` and `truncatewords` use it: white space
 * at the start is passed by, and the words are what runs of it part; with a limit, the last field is
 * the rest of the text (empty where only white space follows), and without one, no empty field ends
 * the list.
 */
export function rubySplitOnSpaces(text: string, limit = 0): string[] {
  const words: string[] = [];
  let at = 0;
  while (at < text.length && isRubySpace(text[at]!)) at++;
  while (at < text.length) {
    if (limit > 0 && words.length === limit - 1) {
      words.push(text.slice(at));
      return words;
    }
    let end = at;
    while (end < text.length && !isRubySpace(text[end]!)) end++;
    words.push(text.slice(at, end));
    at = end;
    while (at < text.length && isRubySpace(text[at]!)) at++;
    if (at === text.length && end < text.length && limit > 0 && words.length < limit) words.push('');
  }
  return words;
}
