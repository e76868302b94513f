/**
 * Ruby's Liquid reads a quoted string in markup as it is written, up to the next quote of its
 * kind: no escapes, so `replace: '\', '\\'` (old Chirpy's and many search indexes' way to escape
 * JSON) is one backslash made two, and `"a\nb"` is four characters. liquidjs reads escapes there:
 * `'\'` never ends and the page fails. Giving liquidjs each backslash of a quoted string doubled
 * makes it read what Ruby's Liquid reads. Jekyll's `{% include %}` reads its parameters itself:
 * there a backslash makes the next character part of the string, and only `\"` (or `\'`) stands for
 * the quote alone (`alt="A \"quoted\" photo"`).
 */

/** A `{% raw %}` tag's markup, whose block is text, left as it is up to `{% endraw %}`. */
const RAW_TAG = /^\{%-?\s*raw\s*-?%\}$/;
/** A tag whose parameters Jekyll's include tags read. */
const INCLUDE_TAG = /\{%-?\s*include(?:_cached|_relative)?\s/;

/**
 * The text of an include parameter's string (after its opening `quote`, from `from`) as liquidjs
 * is to read it, and where its closing quote is (-1: not before `to`). A backslash and the
 * character after it stay both (as `\\` and the character, so liquidjs keeps them), but for `\"`.
 */
function includeString(text: string, from: number, to: number, quote: string): { written: string; close: number } {
  let written = '';
  let q = from;
  while (q < to && text[q] !== quote) {
    if (text[q] === '\\' && q + 1 < to) {
      const next = text[q + 1]!;
      written += next === quote ? `\\${quote}` : `\\\\${next === '\\' ? '\\\\' : next}`;
      q += 2;
    } else written += text[q++];
  }
  return { written, close: q < to ? q : -1 };
}

/**
 * Liquid text with every backslash inside a quoted string of its markup (`{{ }}` and `{% %}`)
 * doubled, so liquidjs reads each string as Ruby's Liquid does; everything else, `{% raw %}`
 * blocks included, as it was. One pass; text without a backslash is given back as it is.
 */
export function withRubyQuotedStrings(text: string): string {
  if (!text.includes('\\')) return text;
  const parts: string[] = [];
  let copiedTo = 0;
  const endRawTag = /\{%-?\s*endraw\s*-?%\}/g;
  const includeTag = new RegExp(INCLUDE_TAG.source, 'y');
  // The quoted strings from `from` to `to` (each to the next quote of its kind), their backslashes doubled; where the markup ends (at `stopAt` where given), or -1.
  const doubleQuoted = (from: number, to: number, stopAt: string | undefined, includeParameters = false): number => {
    let p = from;
    while (p < to) {
      const c = text[p]!;
      if ((c === '"' || c === "'") && includeParameters) {
        const { written, close } = includeString(text, p + 1, to, c);
        if (close === -1) return to;
        if (written !== text.slice(p + 1, close)) {
          parts.push(text.slice(copiedTo, p + 1), written);
          copiedTo = close;
        }
        p = close + 1;
      } else if (c === '"' || c === "'") {
        const close = text.indexOf(c, p + 1);
        // A tag's string left open is liquidjs's error to report, as the text it was.
        if (close === -1 || close >= to) return stopAt === undefined ? to : -1;
        const inside = text.slice(p + 1, close);
        if (inside.includes('\\')) {
          parts.push(text.slice(copiedTo, p + 1), inside.replaceAll('\\', '\\\\'));
          copiedTo = close;
        }
        p = close + 1;
      } else if (stopAt !== undefined && text.startsWith(stopAt, p)) return p + stopAt.length;
      else p++;
    }
    return stopAt === undefined ? to : -1;
  };
  // The next `{{` and `{%`, each looked for again only once passed, so the text is read once.
  let output = -2;
  let tag = -2;
  let at = 0;
  for (;;) {
    if (output !== -1 && output < at) output = text.indexOf('{{', at);
    if (tag !== -1 && tag < at) tag = text.indexOf('{%', at);
    const open = output === -1 ? tag : tag === -1 ? output : Math.min(output, tag);
    if (open === -1) break;
    let closed: number;
    if (open === output) {
      // liquidjs ends an output at the first `}}` past its quoted strings.
      closed = doubleQuoted(open + 2, text.length, '}}');
    } else {
      // and a tag at the first `%}`, quotes or not.
      const end = text.indexOf('%}', open + 2);
      includeTag.lastIndex = open;
      closed = end === -1 ? -1 : (doubleQuoted(open + 2, end, undefined, includeTag.test(text)), end + 2);
    }
    if (closed === -1) break;
    at = closed;
    if (open === tag && RAW_TAG.test(text.slice(open, closed))) {
      endRawTag.lastIndex = closed;
      const endRaw = endRawTag.exec(text);
      if (!endRaw) break;
      at = endRaw.index + endRaw[0].length;
    }
  }
  parts.push(text.slice(copiedTo));
  return parts.join('');
}
