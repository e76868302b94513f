/**
 * Values written as Ruby writes them for Jekyll's filters: `inspect` (`["a", "b"]`,
 * `{"k"=>1}`, as Ruby 3.1, which GitHub Pages and Debian run) and `to_s` (what `where` and
 * `group_by` compare and group by).
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
