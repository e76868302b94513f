import type Token from 'markdown-it/lib/token.mjs';
import type { SmartQuotes } from './kramdown-settings.js';

/** kramdown's punctuation before which a quote closes (SQ_PUNCT). */
const PUNCTUATION = new Set('!"#$%\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** The characters after which a quote does not close (what SQ_CLOSE leaves out). */
const NOT_CLOSING = new Set(' \\\t\r\n[{(-');

/** Ruby's `\w` and `\s`, which kramdown's rules are written in. */
const isWord = (char: string | undefined): boolean => char !== undefined && /[A-Za-z0-9_]/.test(char);
const isSpace = (char: string | undefined): boolean => char !== undefined && /[ \t\r\n\f\v]/.test(char);
const isQuote = (char: string | undefined): boolean => char === '"' || char === "'";

/** A quote made curly: which side, and how many characters the rule read before it (its prefix, kept as it is). */
interface Decision {
  prefix: number;
  quotes: Array<'left' | 'right'>;
}

/**
 * kramdown's rule for the match at `s` (its SQ_RULES, after RubyPants, tried in order where
 * `[^\\]?["']` matches, which takes the character before the quote when there is one): which quotes
 * become which, after how many characters kept as they are. `text` holds the character before
 * the token and those after it.
 */
function decide(text: string, s: number): Decision {
  const [c0, c1, c2, c3] = [text[s], text[s + 1], text[s + 2], text[s + 3]];
  if (isQuote(c0)) {
    if ((c1 === '_' || c1 === '*') && c2 !== undefined && !isSpace(c2)) return { prefix: 0, quotes: ['left'] };
    if (c1 !== undefined && PUNCTUATION.has(c1) && !(c2 === '.' && c3 === '.') && !isWord(c2)) return { prefix: 0, quotes: ['right'] };
  }
  const ws = isSpace(c0) ? 1 : 0;
  const [q1, q2, after] = [text[s + ws], text[s + ws + 1], text[s + ws + 2]];
  if (isQuote(q1) && isQuote(q2) && q1 !== q2 && isWord(after)) return { prefix: ws, quotes: ['left', 'left'] };
  if (q1 === "'" && /^\d\ds/.test(text.slice(s + ws + 1, s + ws + 4))) return { prefix: ws, quotes: ['right'] };
  if (ws === 1 && isQuote(q1) && isWord(q2)) return { prefix: 1, quotes: ['left'] };
  if (c0 !== undefined && !NOT_CLOSING.has(c0) && isQuote(c1)) return { prefix: 1, quotes: ['right'] };
  if (isQuote(c0) && (c1 === undefined || isSpace(c1) || (c1 === 's' && !isWord(c2)))) return { prefix: 0, quotes: ['right'] };
  // Any other quote opens: a single quote first, taking the character before it when that is one.
  if (c1 === "'") return { prefix: 1, quotes: ['left'] };
  if (c0 === "'") return { prefix: 0, quotes: ['left'] };
  return { prefix: c1 === '"' ? 1 : 0, quotes: ['left'] };
}

/** What follows a text token in kramdown's source, as far as its rules look: the next token's first characters. */
function following(tokens: readonly Token[], at: number): string {
  let ahead = '';
  for (let i = at + 1; i < tokens.length && ahead.length < 3; i++) {
    const token = tokens[i]!;
    if (token.type === 'text') ahead += token.content.slice(0, 3);
    else if (token.type === 'softbreak' || token.type === 'hardbreak') ahead += '\n';
    else if (token.type === 'code_inline') ahead += '`';
    else if (token.type === 'link_open') ahead += '[';
    else if (token.type === 'image') ahead += '!';
    else if (token.type === 'html_inline') ahead += '<';
    else if (token.markup) ahead += token.markup;
    else break;
  }
  return ahead.slice(0, 3);
}

/**
 * The text token at `at` of an inline block (a Jekyll site's) with kramdown's smart quotes, in
 * place of markdown-it's pairing: every quote becomes curly by kramdown's rules of the characters
 * around it, so `the '90s`, `5'10"` and an unpaired quote come out as in Jekyll (markdown-it leaves
 * quotes it cannot pair straight). `curly` are the site's quote characters. One pass over the text.
 */
export function withKramdownQuotes(tokens: readonly Token[], at: number, curly: SmartQuotes): string {
  const token = tokens[at]!;
  if (!/["']/.test(token.content)) return token.content;
  // A line break before the token is text to kramdown; anything else before it was read by another of its rules.
  const before = at > 0 && tokens[at - 1]!.type === 'softbreak' ? '\n' : '';
  const text = before + token.content + following(tokens, at);
  const end = before.length + token.content.length;
  let out = '';
  // What is written out so far, and where kramdown may still read: the character before the token at first.
  let done = before.length;
  let readable = 0;
  for (let quote = done; ; quote++) {
    while (quote < end && !isQuote(text[quote])) quote++;
    if (quote >= end) break;
    // kramdown reads a typographic symbol right before the quote (`--"`) first: the character before is then not the quote's.
    const afterSymbol = /(--|\.\.\.|<<|>>)$/.test(text.slice(Math.max(readable, quote - 3), quote));
    const start = quote - 1 >= readable && text[quote - 1] !== '\\' && !afterSymbol ? quote - 1 : quote;
    const { prefix, quotes } = decide(text, start);
    let next = start + prefix;
    out += text.slice(done, next);
    for (const side of quotes) if (next < end) out += curly[side][text[next++] as '"' | "'"];
    [done, readable, quote] = [next, next, next - 1];
  }
  return out + text.slice(done, end);
}
