/**
 * Ruby's Liquid reads a quoted string in markup as it is written, up to the next quote of its
 * kind: no escapes, so `replace: '\', '\\\\'` (old Chirpy's and many search indexes' way to escape
 * JSON) names one backslash, and `"a\nb"` is four characters. liquidjs reads escapes there:
 * `'\'` never ends and the page fails. Giving liquidjs each backslash of a quoted string doubled
 * makes it read what Ruby's Liquid reads. Jekyll's `{% include %}` reads its parameters itself:
 * there a backslash makes the next character part of the string, and only `\"` (or `\'`) stands for
 * the quote alone (`alt="A \"quoted\" photo"`). Ruby ends an output at its first `}}` and passes by
 * a quote left open; liquidjs reads on to the quote's pair, past the output's end.
 */

/** A `{% raw %}` tag's markup, whose block is text, left as it is up to `{% endraw %}`. */
const RAW_TAG = /^\{%-?\s*raw\s*-?%\}$/;
/** A tag whose markup Jekyll reads as written, not as Liquid's expressions (`{% post_url 2019-06-11-it's %}`). */
const WRITTEN_MARKUP_TAG = /\{%-?\s*(?:post_url|link|highlight|gist)\s/;
/** A tag whose parameters Jekyll's include tags read. */
const INCLUDE_PARAMETERS_TAG = /\{%-?\s*include(?:_cached|_relative)?\s/;

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
 * Liquid text rewritten so that liquidjs reads what Ruby's Liquid reads: in the markup of each
 * `{{ }}` (which Ruby ends at its first `}}`, quotes or not) and `{% %}`, every backslash inside a
 * quoted string doubled, and a quote left open there (`{{ page.title | default: "Untitled }}`, which
 * Jekyll reads, passing the quote by) taken out, where liquidjs would read on past the markup's
 * end and fail the page. Everything else, `{% raw %}` blocks and the markup of tags Jekyll reads as
 * written (`{% post_url %}`, `{% link %}`, `{% highlight %}`, `{% gist %}`) included, is as it was. One pass.
 */
export function withRubyQuotedStrings(text: string): string {
  if (!/["'\\]/.test(text)) return text;
  const parts: string[] = [];
  let copiedTo = 0;
  const endRawTag = /\{%-?\s*endraw\s*-?%\}/g;
  const includeTag = new RegExp(INCLUDE_PARAMETERS_TAG.source, 'y');
  const writtenMarkupTag = new RegExp(WRITTEN_MARKUP_TAG.source, 'y');
  // The markup from `from` to `to` (each quoted string to the next quote of its kind), its strings' backslashes doubled and a quote left open taken out.
  const asRubyReadsIt = (from: number, to: number, includeParameters: boolean): void => {
    let p = from;
    while (p < to) {
      const c = text[p]!;
      if (c !== '"' && c !== "'") {
        p++;
        continue;
      }
      const { written, close } = includeParameters ? includeString(text, p + 1, to, c) : rubyString(text, p + 1, to, c);
      if (close === -1) {
        // An include parameter left open is Jekyll's error too: the rest of its markup is left as it is.
        if (includeParameters) return;
        parts.push(text.slice(copiedTo, p));
        copiedTo = p + 1;
        p++;
      } else {
        if (written !== text.slice(p + 1, close)) {
          parts.push(text.slice(copiedTo, p + 1), written);
          copiedTo = close;
        }
        p = close + 1;
      }
    }
  };
  // The next `{{` and `{%`, each looked for again only once passed, so the text is read once.
  let output = -2;
  let tag = -2;
  let brace = -2;
  let at = 0;
  for (;;) {
    if (output !== -1 && output < at) output = text.indexOf('{{', at);
    if (tag !== -1 && tag < at) tag = text.indexOf('{%', at);
    const open = output === -1 ? tag : tag === -1 ? output : Math.min(output, tag);
    if (open === -1) break;
    let closed: number;
    if (open === output) {
      if (brace !== -1 && brace < open + 2) brace = text.indexOf('}', open + 2);
      // Ruby ends an output at its first `}`, which must be `}}`: else Jekyll stops with an error, and the markup is left to liquidjs as written.
      if (brace === -1) break;
      if (text[brace + 1] !== '}') {
        at = brace + 1;
        continue;
      }
      asRubyReadsIt(open + 2, brace, false);
      closed = brace + 2;
    } else {
      // and a tag at its first `%}`.
      const end = text.indexOf('%}', open + 2);
      if (end === -1) break;
      includeTag.lastIndex = open;
      writtenMarkupTag.lastIndex = open;
      if (!writtenMarkupTag.test(text)) asRubyReadsIt(open + 2, end, includeTag.test(text));
      closed = end + 2;
    }
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

/** A quoted string as Ruby's Liquid reads it (from `from`, after its opening `quote`, to the next one before `to`), its backslashes doubled for liquidjs; -1: not closed there. */
function rubyString(text: string, from: number, to: number, quote: string): { written: string; close: number } {
  const close = text.indexOf(quote, from);
  if (close === -1 || close >= to) return { written: '', close: -1 };
  return { written: text.slice(from, close).replaceAll('\\', '\\\\'), close };
}
