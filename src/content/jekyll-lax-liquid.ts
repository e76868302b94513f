import { TagToken, TokenKind, Tokenizer, type Liquid } from 'liquidjs';

/**
 * Jekyll renders Liquid with `error_mode: warn`: markup its strict parser refuses is read again by
 * Ruby Liquid's lax parser, with a warning, and the build goes on. liquidjs has only a strict
 * parser, so a post that Jekyll builds (`{{ page..title }}`, `{{ x || upcase }}`,
 * `{% if a == b && c %}`, `{% if (a) %}`, `{% else if b %}`) would stop a whole Recap build. This
 * module reads such markup as Ruby's lax parser does and writes it out as the strict markup that
 * means the same, so liquidjs can render it. It is written after Liquid 5's `lax_parse` of
 * variables, conditions and `assign`; each scan walks its markup once (no backtracking pattern).
 */

/** One piece of markup read leniently: where it starts in the body, as written, and as read. */
export interface LaxReading {
  offset: number;
  written: string;
  read: string;
}

/** A body with every piece of markup liquidjs refuses and Ruby's lax parser reads rewritten, and what was rewritten. */
export interface LaxBody {
  text: string;
  readings: LaxReading[];
}

/** Ruby's `\w`: ASCII letters, digits and the underscore. */
const WORD = /[A-Za-z0-9_]/;
/** The characters Ruby's QuotedFragment stops at outside quotes. */
const FRAGMENT_STOP = /[\s,|'"]/;
/** The operators Ruby Liquid's conditions know; any other fails at render in Jekyll too. */
const OPERATORS = new Map([['==', '=='], ['!=', '!='], ['<>', '!='], ['<', '<'], ['>', '>'], ['>=', '>='], ['<=', '<='], ['contains', 'contains']]);
/** Tags whose bodies are text, not markup: nothing inside them is rewritten. */
const TEXT_BLOCKS = new Map([['comment', 'endcomment'], ['raw', 'endraw']]);
/** Tags whose `else` Ruby Liquid reads without its markup (`{% else if x %}` is `{% else %}`). */
const ELSE_OWNERS = new Set(['if', 'unless', 'for']);

/** The end of Ruby's QuotedFragment starting at `at` (`"..."`, `'...'` or a run of other characters), or `at` when none starts there. */
function fragmentEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length) {
    const char = text[end]!;
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, end + 1);
      if (close === -1) break;
      end = close + 1;
    } else if (FRAGMENT_STOP.test(char)) break;
    else end++;
  }
  return end;
}

/** The first QuotedFragment in `text`, as Ruby's unanchored match finds it. */
function firstFragment(text: string): { start: number; end: number } | undefined {
  for (let at = 0; at < text.length; at++) {
    const end = fragmentEnd(text, at);
    if (end > at) return { start: at, end };
  }
  return undefined;
}

/** The two ends of a range, `(a..b)`, as Ruby's RANGES_REGEX reads them (split at the last `..`), or undefined when `markup` is not one. */
function rangeEnds(markup: string): [string, string] | undefined {
  if (!markup.startsWith('(') || !markup.endsWith(')')) return undefined;
  const inner = markup.slice(1, -1);
  const dots = inner.lastIndexOf('..');
  const [from, to] = [inner.slice(0, dots).trim(), inner.slice(dots + 2).trim()];
  return dots === -1 || from === '' || to === '' || /\s/.test(from + to) ? undefined : [from, to];
}

/** Where each word of a condition starts and ends, as Ruby's ExpressionsAndOperators meets them: fragments (quoted text kept whole), or else runs of other characters. */
function conditionWords(markup: string): Array<{ start: number; end: number }> {
  const words: Array<{ start: number; end: number }> = [];
  for (let at = 0; at < markup.length;) {
    if (/\s/.test(markup[at]!)) {
      at++;
      continue;
    }
    let end = fragmentEnd(markup, at);
    if (end === at) while (end < markup.length && !/\s/.test(markup[end]!)) end++;
    words.push({ start: at, end });
    at = end;
  }
  return words;
}

/** A key of a variable lookup as liquidjs writes it: `.name`, or `["name?"]` where a dot cannot name it. */
function keyMarkup(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * An expression as Ruby Liquid's `Expression.parse` reads it, written as liquidjs reads the same
 * value: literals as they are, `(a..b)` ranges, and any other text as a variable lookup made of
 * its `[...]` and `name` parts (so `page..title` is `page.title`, `(page.flag)` is `page.flag`).
 * Undefined where liquidjs has no way to write it (a lookup starting with `[...]`).
 */
function expressionMarkup(text: string): string | undefined {
  const markup = text.trim();
  if (/^(nil|null|true|false|blank|empty)$/.test(markup) || /^("[^"]*"|'[^']*')$/.test(markup) || /^-?\d+(\.\d+)?$/.test(markup)) return markup;
  const range = rangeEnds(markup);
  if (range) {
    const [from, to] = [expressionMarkup(range[0]), expressionMarkup(range[1])];
    return from === undefined || to === undefined ? undefined : `(${from}..${to})`;
  }
  const parts: string[] = [];
  // The first `]` after the last `[` looked at: a later `[` before it has the same one (so a run of `[` is scanned once).
  let close = -2;
  for (let at = 0; at < markup.length;) {
    if (markup[at] === '[') {
      if (close !== -1 && close <= at) close = markup.indexOf(']', at + 1);
      if (close > at + 1) {
        parts.push(markup.slice(at, close + 1));
        at = close + 1;
        continue;
      }
    }
    let end = at;
    while (end < markup.length && (WORD.test(markup[end]!) || markup[end] === '-')) end++;
    if (end > at) {
      if (markup[end] === '?') end++;
      parts.push(markup.slice(at, end));
      at = end;
    } else at++;
  }
  if (parts.length === 0) return 'nil';
  if (parts[0]!.startsWith('[') || !/^[A-Za-z_]/.test(parts[0]!)) return undefined;
  let written = parts[0]!;
  for (const part of parts.slice(1)) {
    if (!part.startsWith('[')) {
      written += keyMarkup(part);
      continue;
    }
    const inner = expressionMarkup(part.slice(1, -1));
    if (inner === undefined) return undefined;
    written += `[${inner}]`;
  }
  return written;
}

/** A filter's arguments as Ruby's FilterArgsRegex finds them: each after a `:` or `,`, a keyword's `name:` kept. */
function filterArguments(chunk: string): string[] | undefined {
  const args: string[] = [];
  for (let at = 0; at < chunk.length; at++) {
    if (chunk[at] !== ':' && chunk[at] !== ',') continue;
    let start = at + 1;
    while (start < chunk.length && /\s/.test(chunk[start]!)) start++;
    const keyword = /^(\w+)\s*:\s*/.exec(chunk.slice(start, start + 200));
    const valueStart = keyword ? start + keyword[0].length : start;
    const end = fragmentEnd(chunk, valueStart);
    if (end === valueStart) continue;
    const value = expressionMarkup(chunk.slice(valueStart, end));
    if (value === undefined) return undefined;
    args.push(keyword ? `${keyword[1]}: ${value}` : value);
    at = end - 1;
  }
  return args;
}

/** The parts of `text` between `|` outside quoted strings. */
function splitFilters(text: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, at + 1);
      if (close !== -1) at = close;
    } else if (char === '|') {
      chunks.push(text.slice(start, at));
      start = at + 1;
    }
  }
  chunks.push(text.slice(start));
  return chunks;
}

/**
 * An output's (or an assigned value's) markup as Ruby Liquid's lax `Variable` reads it: the first
 * fragment is the value, and after the first `|`, each part with a word is a filter named by its
 * first word, with the arguments that follow a `:` or `,`. Undefined where it cannot be written.
 */
function laxVariable(markup: string): string | undefined {
  const name = firstFragment(markup);
  if (!name) return 'nil';
  const value = expressionMarkup(markup.slice(name.start, name.end));
  if (value === undefined) return undefined;
  const rest = markup.slice(name.end);
  const pipe = rest.indexOf('|');
  if (pipe === -1) return value;
  let written = value;
  for (const chunk of splitFilters(rest.slice(pipe + 1))) {
    const filter = /\w+/.exec(chunk);
    if (!filter) continue;
    const args = filterArguments(chunk.slice(filter.index + filter[0].length));
    if (args === undefined) return undefined;
    written += ` | ${filter[0]}${args.length ? `: ${args.join(', ')}` : ''}`;
  }
  return written;
}

/** One condition as Ruby's `If::Syntax` reads it: a fragment, an operator and a fragment, the rest of the text ignored. */
function laxComparison(text: string): string | undefined {
  const left = firstFragment(text);
  if (!left) return undefined;
  const leftMarkup = expressionMarkup(text.slice(left.start, left.end));
  let at = left.end;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  let opEnd = at;
  while (opEnd < text.length && /[=!<>a-z_]/.test(text[opEnd]!)) opEnd++;
  if (leftMarkup === undefined) return undefined;
  if (opEnd === at) return leftMarkup;
  const operator = OPERATORS.get(text.slice(at, opEnd));
  if (operator === undefined) return undefined;
  let rightStart = opEnd;
  while (rightStart < text.length && /\s/.test(text[rightStart]!)) rightStart++;
  const rightEnd = fragmentEnd(text, rightStart);
  if (rightEnd === rightStart) return leftMarkup;
  const right = expressionMarkup(text.slice(rightStart, rightEnd));
  return right === undefined ? undefined : `${leftMarkup} ${operator} ${right}`;
}

/**
 * A condition (of `if`, `elsif` or `unless`) as Ruby Liquid's lax `If` reads it: parts split at
 * the words `and` and `or`, each read as one comparison. Undefined where Jekyll stops too (an
 * unknown operator, an `and` with nothing after it).
 */
function laxCondition(markup: string): string | undefined {
  // The text of each part between the words `and` and `or`, and those words.
  const parts: string[] = [];
  const joins: string[] = [];
  let partStart: number | undefined;
  let partEnd = 0;
  for (const word of conditionWords(markup)) {
    const text = markup.slice(word.start, word.end);
    if (text !== 'and' && text !== 'or') {
      partStart ??= word.start;
      partEnd = word.end;
      continue;
    }
    if (partStart === undefined) return undefined;
    parts.push(markup.slice(partStart, partEnd));
    joins.push(text);
    partStart = undefined;
  }
  if (partStart === undefined) return undefined;
  parts.push(markup.slice(partStart, partEnd));
  const comparisons = parts.map(laxComparison);
  if (comparisons.some((c) => c === undefined)) return undefined;
  return comparisons.map((c, i) => (i === 0 ? c : `${joins[i - 1]} ${c}`)).join(' ');
}

/** True when liquidjs parses `markup` on its own. */
function parses(liquid: Liquid, markup: string): boolean {
  try {
    liquid.parse(markup);
    return true;
  } catch {
    return false;
  }
}

/** A tag or output written again with `inner` between its delimiters, whitespace control and line breaks kept (so later lines keep their numbers). */
function rewritten(token: { getText(): string }, open: string, inner: string, close: string): string {
  const text = token.getText();
  const trimLeft = text.startsWith(`${open}-`) ? '-' : '';
  const trimRight = text.endsWith(`-${close}`) ? '-' : '';
  const lineBreaks = '\n'.repeat(text.split('\n').length - 1);
  return `${open}${trimLeft} ${inner} ${lineBreaks}${trimRight}${close}`;
}

/** What a tag liquidjs refuses reads as in Ruby's lax parser, or undefined when it is not one lax reading changes. */
function laxTag(liquid: Liquid, tag: TagToken, blocks: string[]): string | undefined {
  const args = tag.args.trim();
  if (tag.name === 'if' || tag.name === 'elsif' || tag.name === 'unless') {
    if (parses(liquid, `{% if ${args} %}{% endif %}`)) return undefined;
    const condition = laxCondition(args);
    return condition === undefined ? undefined : rewritten(tag, '{%', `${tag.name} ${condition}`, '%}');
  }
  if (tag.name === 'else' && args !== '' && ELSE_OWNERS.has(blocks[blocks.length - 1] ?? '')) return rewritten(tag, '{%', 'else', '%}');
  if (tag.name === 'assign' && !parses(liquid, tag.getText())) {
    const assign = /^([\w-]+)\s*=\s*([\s\S]*)$/.exec(args);
    const value = assign && laxVariable(assign[2]!);
    return value ? rewritten(tag, '{%', `assign ${assign[1]} = ${value}`, '%}') : undefined;
  }
  return undefined;
}

/**
 * The body with each output, condition, `else` and `assign` that liquidjs refuses rewritten as Ruby
 * Liquid's lax parser reads it (nothing inside `comment` or `raw` is touched), or
 * undefined when nothing could be (the body's error is then Jekyll's too, or not one of these).
 */
export function laxBody(liquid: Liquid, body: string): LaxBody | undefined {
  let tokens;
  try {
    tokens = new Tokenizer(body).readTopLevelTokens();
  } catch {
    return undefined;
  }
  const readings: LaxReading[] = [];
  const pieces: string[] = [];
  // The open blocks, innermost last, and the end tag of a text block being passed over.
  const blocks: string[] = [];
  let textUntil: string | undefined;
  let at = 0;
  for (const token of tokens) {
    const tag = token instanceof TagToken ? token : undefined;
    if (textUntil !== undefined) {
      if (tag?.name === textUntil) textUntil = undefined;
      continue;
    }
    let read: string | undefined;
    if (tag) {
      if (TEXT_BLOCKS.has(tag.name)) textUntil = TEXT_BLOCKS.get(tag.name);
      else if (ELSE_OWNERS.has(tag.name) || tag.name === 'case') blocks.push(tag.name);
      else if (/^end(if|unless|for|case)$/.test(tag.name)) blocks.pop();
      read = laxTag(liquid, tag, blocks);
    } else if (token.kind === TokenKind.Output && !parses(liquid, token.getText())) {
      const variable = laxVariable(token.getText().replace(/^\{\{-?/, '').replace(/-?\}\}$/, ''));
      if (variable !== undefined) read = rewritten(token, '{{', variable, '}}');
    }
    if (read === undefined) continue;
    pieces.push(body.slice(at, token.begin), read);
    readings.push({ offset: token.begin, written: token.getText(), read });
    at = token.end;
  }
  if (readings.length === 0) return undefined;
  pieces.push(body.slice(at));
  return { text: pieces.join(''), readings };
}
