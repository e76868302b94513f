import type MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { withKramdownQuotes } from './kramdown-quotes.js';
import type { SmartQuotes } from './kramdown-settings.js';
import { parsedInside, SPAN_CONTENT, withMarkedElementsRead } from './kramdown-marked-elements.js';

/**
 * What a post may set through an attribute list: names that carry no code and no address (no
 * `on*` handler, no `style`, no `href` or `src` past the URL policy), so a hostile post gains
 * nothing over plain Markdown.
 */
const ALLOWED_ATTRIBUTES = new Set(['id', 'class', 'title', 'target', 'rel', 'lang', 'dir', 'width', 'height', 'alt', 'start']);

/** A whole line that is an inline attribute list (`{: .notice #x}`, `{:toc}`) or defines one (`{:ref: .x}`); `{::...}` is an extension, not a list. */
export const IAL_LINE = /^ {0,3}\{:(?!:)([^{}\n]*)\}\s*$/;

/** An attribute list defined for later use by name: `{:name: .class}`. */
const ALD = /^\s*([A-Za-z][\w-]*):(?!\S*=)\s*(.*)$/;

/** `{#id}` ending a heading's text (after a space): kramdown's header id. Matched from the last `{#`, so no run of spaces is scanned twice. */
const HEADER_ID = /^\{#([A-Za-z][\w:.-]*)\}\s*$/;

/** A heading text's header id and the text before it, or undefined. */
function headerId(text: string): { id: string; before: string } | undefined {
  const at = text.lastIndexOf('{#');
  const id = at > 0 && /\s/.test(text[at - 1]!) ? HEADER_ID.exec(text.slice(at))?.[1] : undefined;
  return id === undefined ? undefined : { id, before: text.slice(0, at).trimEnd() };
}

/** A span attribute list right after a link, image, emphasis or code span: `{:target="_blank"}`. */
const SPAN_IAL = /^\{:(?!:)([^{}\n]*)\}/;

/** One part of an attribute list: `.class`, `#id`, `key="value"`, `key='value'`, `key=value`, or a name (a defined list, or `toc`). */
const PART = /\.([\w-]+)|#([\w:.-]+)|([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))|([A-Za-z][\w-]*)/g;

/** Kramdown extension blocks that are not content: `{::comment}...{:/comment}`, `{::options ... /}`, and the `{::nomarkdown}` fences. */
const EXTENSION_OPEN = /^ {0,3}\{::(comment|nomarkdown|options)\b[^}]*?(\/)?\}\s*$/;
const EXTENSION_CLOSE = /^ {0,3}\{:\/(comment|nomarkdown)?\}\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Attributes an attribute list gives, and the names it refers to. */
interface AttributeList {
  attrs: Array<[string, string]>;
  names: string[];
}

/**
 * How many attributes one list may hold, the lists it names included: definitions naming
 * definitions would otherwise multiply (eight names of eight names, nine deep, is 8^9).
 */
const MAX_LIST_ATTRIBUTES = 64;

/** An attribute list's parts, the lists it names by name put in place (up to MAX_LIST_ATTRIBUTES). */
function parseList(text: string, defined: ReadonlyMap<string, AttributeList>): AttributeList {
  const list: AttributeList = { attrs: [], names: [] };
  const add = (attr: [string, string]): void => {
    if (list.attrs.length < MAX_LIST_ATTRIBUTES) list.attrs.push(attr);
  };
  for (const m of text.matchAll(PART)) {
    if (list.attrs.length >= MAX_LIST_ATTRIBUTES) break;
    if (m[1] !== undefined) add(['class', m[1]]);
    else if (m[2] !== undefined) add(['id', m[2]]);
    else if (m[3] !== undefined) add([m[3].toLowerCase(), m[4] ?? m[5] ?? m[6] ?? '']);
    else if (m[7] !== undefined) {
      const named = defined.get(m[7]);
      if (named) named.attrs.forEach(add);
      else if (list.names.length < MAX_LIST_ATTRIBUTES) list.names.push(m[7]);
    }
  }
  return list;
}

/** Puts a list's allowed attributes on a token: classes added, others set. */
function applyList(token: Token, list: AttributeList): void {
  for (const [name, value] of list.attrs) {
    if (!ALLOWED_ATTRIBUTES.has(name)) continue;
    if (name === 'class') token.attrJoin('class', value);
    else token.attrSet(name, value);
  }
  if (list.names.includes('toc')) token.meta = { ...token.meta, kramdownToc: true };
}

/**
 * Blanks kramdown's extension lines, line for line (so every later line keeps its number):
 * `{::comment}` blocks go whole, `{::options /}` goes, `{::nomarkdown}` keeps its text as written;
 * the same extensions within a line are read too. Fenced code is left alone.
 */
export function blankKramdownExtensions(text: string): string {
  if (!text.includes('{::')) return text;
  const lines = text.split('\n');
  let fence: string | undefined;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (inComment) {
      if (EXTENSION_CLOSE.test(line)) inComment = false;
      lines[i] = '';
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const open = EXTENSION_OPEN.exec(line);
    if (open) {
      inComment = open[1] === 'comment' && open[2] === undefined;
      lines[i] = '';
    } else if (EXTENSION_CLOSE.test(line)) lines[i] = '';
    else if (line.includes('{::')) lines[i] = withoutSpanExtensions(line);
  }
  return lines.join('\n');
}

/** Text that Markdown leaves as written: its tags kept, and in the text between them each character Markdown or its typography reads escaped. */
function asWritten(text: string): string {
  return text.replace(/(<[^<>]*>)|[\\`*_[\]~|!"'.-]/g, (match, tag: string | undefined) => tag ?? `\\${match}`);
}

/**
 * A line's code spans, as [start, end) of their backtick runs: each run is closed by the next run
 * of as many backticks, as CommonMark pairs them. One pass over the runs, each length's runs kept
 * in a queue, so a line of runs of every length costs its length.
 */
function codeSpansOf(line: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const match of line.matchAll(/`+/g)) runs.push([match.index, match[0].length]);
  // Each length's runs in order, and how far along each has been read.
  const byLength = new Map<number, { runs: number[]; next: number }>();
  runs.forEach(([, length], i) => (byLength.get(length) ?? byLength.set(length, { runs: [], next: 0 }).get(length)!).runs.push(i));
  const spans: Array<[number, number]> = [];
  let from = 0;
  for (let i = 0; i < runs.length; i++) {
    const [start, length] = runs[i]!;
    if (start < from) continue;
    const queue = byLength.get(length)!;
    while (queue.next < queue.runs.length && queue.runs[queue.next]! <= i) queue.next++;
    if (queue.next >= queue.runs.length) continue;
    const close = runs[queue.runs[queue.next++]!]!;
    spans.push([start, close[0] + length]);
    from = close[0] + length;
  }
  return spans;
}

/** A span extension's start: `{::nomarkdown}` or `{::comment}`. */
const SPAN_EXTENSION = /^\{::(nomarkdown|comment)\}/;

/**
 * A line's span extensions as kramdown reads them: `{::comment}...{:/comment}` (or `{:/}`) goes,
 * `{::nomarkdown}...{:/nomarkdown}` leaves its text. One that is not closed on its line stays as
 * written. Each closing tag's next place is searched for once and kept, so a line of thousands of
 * openings costs its length.
 */
function withoutSpanExtensions(line: string): string {
  const code = codeSpansOf(line);
  let span = 0;
  let out = '';
  let at = 0;
  const nextClose: Record<string, number> = {};
  const closeAfter = (tag: string, from: number): number => {
    if (nextClose[tag] === undefined || (nextClose[tag] !== -1 && nextClose[tag] < from)) nextClose[tag] = line.indexOf(tag, from);
    return nextClose[tag];
  };
  for (let open = line.indexOf('{::'); open >= 0; open = line.indexOf('{::', at)) {
    const kind = SPAN_EXTENSION.exec(line.slice(open, open + 14))?.[1];
    // In a code span (a post about kramdown showing `{::comment}`) it is text, as kramdown reads code first.
    while (span < code.length && code[span]![1] <= open) span++;
    if (kind === undefined || (span < code.length && code[span]![0] < open)) {
      out += line.slice(at, open + 3);
      at = open + 3;
      continue;
    }
    const from = open + kind.length + 4;
    const named = closeAfter(`{:/${kind}}`, from);
    const bare = closeAfter('{:/}', from);
    const close = named < 0 ? bare : bare < 0 ? named : Math.min(named, bare);
    if (close < 0) break;
    out += line.slice(at, open) + (kind === 'nomarkdown' ? asWritten(line.slice(from, close)) : '');
    at = close + (close === named ? kind.length + 4 : 4);
  }
  return out + line.slice(at);
}

/**
 * Block attribute lists: a list on the first lines of a paragraph is that paragraph's; on its last
 * lines, the paragraph's (or, written at the margin below a list or quote, that list's or quote's);
 * a paragraph of lists alone gives them to the block it touches (the next one first, as kramdown)
 * and goes. Definitions (`{:ref: .x}`) are kept for later lists by name. One pass, making the
 * token list anew, so a post of thousands of lists costs no more than its length.
 */
function blockLists(state: StateCore, defined: Map<string, AttributeList>): void {
  const tokens = state.tokens;
  const srcLines = state.src.split('\n');
  const kept: Token[] = [];
  // For each kept token, the index of the block it ends (its opening, or itself); the openings not closed yet; the level-0 block being read.
  const blockOf: number[] = [];
  const opens: number[] = [];
  let outermost = -1;
  const keep = (token: Token): void => {
    const at = kept.length;
    kept.push(token);
    if (token.nesting === 1) {
      opens.push(at);
      if (token.level === 0) outermost = at;
      blockOf.push(at);
    } else blockOf.push(token.nesting === -1 ? opens.pop() ?? at : at);
  };
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type === 'heading_open') {
      const inline = tokens[i + 1]!;
      const found = headerId(inline.content);
      if (found) {
        inline.content = found.before;
        const last = inline.children?.at(-1);
        const inLast = last?.type === 'text' ? headerId(last.content) : undefined;
        if (inLast) last!.content = inLast.before;
        open.attrSet('id', found.id);
      }
    }
    const inline = tokens[i + 1];
    if (open.type !== 'paragraph_open' || inline?.type !== 'inline' || !inline.content.includes('{:')) {
      keep(open);
      continue;
    }
    const lines = inline.content.split('\n');
    const first = open.map?.[0] ?? 0;
    let start = 0;
    let end = lines.length;
    const leading: AttributeList[] = [];
    const trailing: AttributeList[] = [];
    const take = (line: string, into: AttributeList[]): boolean => {
      const m = IAL_LINE.exec(line);
      if (!m) return false;
      const ald = ALD.exec(m[1]!);
      if (ald) defined.set(ald[1]!, parseList(ald[2]!, defined));
      else into.push(parseList(m[1]!, defined));
      return true;
    };
    while (start < end && take(lines[start]!, leading)) start++;
    while (end > start && take(lines[end - 1]!, trailing)) end--;
    const parts = start < end ? paragraphParts(lines, start, end, take) : [];
    if (parts.length > 1) {
      // Lists between its lines end a paragraph, as kramdown reads them: each part is a paragraph of its own, with the lists below it.
      // A part after the first is a paragraph shown as one, in a tight list item too (as kramdown writes it); lists at the margin of a quote or list are that block's.
      const atMargin = (line: number) => open.level > 0 && outermost >= 0 && /^\{:/.test(srcLines[first + line] ?? '');
      parts.forEach((part, n) => {
        const partOpen = n === 0 ? open : Object.assign(new state.Token('paragraph_open', 'p', 1), { block: true, level: open.level });
        partOpen.map = [first + part.from, first + part.to];
        for (const list of n === 0 ? leading : []) applyList(partOpen, list);
        for (const list of part.lists) applyList(atMargin(part.to) ? kept[outermost]! : partOpen, list);
        for (const list of n === parts.length - 1 ? trailing : []) applyList(atMargin(lines.length - 1) ? kept[outermost]! : partOpen, list);
        const partInline = Object.assign(new state.Token('inline', '', 0), { content: lines.slice(part.from, part.to).join('\n'), level: inline.level, map: partOpen.map, children: [] as Token[] });
        state.md.inline.parse(partInline.content, state.md, state.env, partInline.children!);
        const partClose = Object.assign(n === 0 ? tokens[i + 2]! : new state.Token('paragraph_close', 'p', -1), { block: true, level: open.level, hidden: n === 0 && open.hidden });
        keep(partOpen);
        keep(partInline);
        keep(partClose);
      });
      i += 2;
      continue;
    }
    if (start < end) {
      // Text remains: the lists are this paragraph's, but one at the margin below a list or quote is that block's.
      if (start > 0 || end < lines.length) {
        inline.content = lines.slice(start, end).join('\n');
        inline.children = childrenBetween(inline.children ?? [], start, end);
      }
      for (const list of leading) applyList(open, list);
      const margin = open.level > 0 && outermost >= 0 && /^\{:/.test(srcLines[first + lines.length - 1] ?? '');
      for (const list of trailing) applyList(margin ? kept[outermost]! : open, list);
      keep(open);
      continue;
    }
    // A paragraph of lists alone goes: its lists are the next block's when it touches it or nothing comes before, else the one's before.
    const next = tokens[i + 3]?.level === open.level ? tokens[i + 3] : undefined;
    const last = kept.length - 1;
    const before = last >= 0 && kept[last]!.level === open.level && kept[last]!.nesting <= 0 ? kept[blockOf[last]!] : undefined;
    const touchesNext = next !== undefined && next.map?.[0] === open.map?.[1];
    const touchesBefore = before !== undefined && before.map?.[1] === first;
    const target = touchesNext || !touchesBefore ? next : before;
    if (target) for (const list of [...leading, ...trailing]) applyList(target, list);
    i += 2;
  }
  state.tokens = kept;
}

/**
 * A paragraph's lines [start, end) cut where attribute lists stand between its lines: each part's
 * lines and the lists under it (kramdown ends a paragraph at a block attribute list). One part
 * where there is none.
 */
function paragraphParts(lines: readonly string[], start: number, end: number, take: (line: string, into: AttributeList[]) => boolean): Array<{ from: number; to: number; lists: AttributeList[] }> {
  const parts: Array<{ from: number; to: number; lists: AttributeList[] }> = [];
  let from = start;
  for (let k = start + 1; k < end; k++) {
    if (!IAL_LINE.test(lines[k]!)) continue;
    const lists: AttributeList[] = [];
    let next = k;
    while (next < end && take(lines[next]!, lists)) next++;
    parts.push({ from, to: k, lists });
    from = next;
    k = next;
  }
  parts.push({ from, to: end, lists: [] });
  return parts;
}

/** The inline children of lines [start, end) of a paragraph, split at its soft breaks. */
function childrenBetween(children: Token[], start: number, end: number): Token[] {
  let line = 0;
  const kept: Token[] = [];
  for (const child of children) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') {
      line++;
      if (line > start && line < end) kept.push(child);
      continue;
    }
    if (line >= start && line < end) kept.push(child);
  }
  return kept;
}

/** The opening token that `close` (a `*_close` among inline children) closes. */
function inlineOpening(children: Token[], close: number): Token | undefined {
  const type = children[close]!.type.replace(/_close$/, '_open');
  let depth = 0;
  for (let i = close - 1; i >= 0; i--) {
    const child = children[i]!;
    if (child.type === children[close]!.type) depth++;
    else if (child.type === type) {
      if (depth === 0) return child;
      depth--;
    }
  }
  return undefined;
}

/** Span attribute lists: `{:...}` right after a link, image, emphasis, strong or code span is that span's. */
function spanLists(state: StateCore, defined: ReadonlyMap<string, AttributeList>): void {
  for (const token of state.tokens) {
    if (token.type !== 'inline' || !token.children || !token.content.includes('{:')) continue;
    const children = token.children;
    for (let i = 1; i < children.length; i++) {
      const text = children[i]!;
      if (text.type !== 'text') continue;
      const m = SPAN_IAL.exec(text.content);
      if (!m) continue;
      const before = children[i - 1]!;
      const target = before.type === 'image' || before.type === 'code_inline' ? before
        : /_close$/.test(before.type) ? inlineOpening(children, i - 1) : undefined;
      if (!target) continue;
      applyList(target, parseList(m[1]!, defined));
      text.content = text.content.slice(m[0].length);
    }
  }
}

/** A heading's text, from its inline token: what its id is made from and what the table of contents shows. */
export function headingText(inline: Token): string {
  return (inline.children ?? []).filter((t) => t.type === 'text' || t.type === 'code_inline').map((t) => t.content).join('');
}

/** A heading's level as written (`##` is 2, a heading underlined with `=` 1), before Recap's theme moves the levels. */
function writtenLevel(heading: Token): number {
  return heading.markup[0] === '#' ? heading.markup.length : heading.markup[0] === '=' ? 1 : 2;
}

/**
 * Replaces a list marked `{:toc}` by the page's table of contents, as kramdown makes it: nested
 * lists of links to every heading of `levels` (as written; but those of class `no_toc`),
 * `id="markdown-toc"`. Runs once headings have their ids.
 */
function tableOfContents(state: StateCore, levels: ReadonlySet<number>): void {
  const tokens = state.tokens;
  const at = tokens.findIndex((t) => t.meta?.kramdownToc && (t.type === 'bullet_list_open' || t.type === 'ordered_list_open'));
  if (at < 0) return;
  const list = tokens[at]!;
  const closeType = list.type.replace('_open', '_close');
  const close = tokens.findIndex((t, i) => i > at && t.level === list.level && t.type === closeType);
  const headings = tokens.flatMap((t, i) => (t.type === 'heading_open' && levels.has(writtenLevel(t)) && !/(^|\s)no_toc(\s|$)/.test(t.attrGet('class') ?? '') && t.attrGet('id')
    ? [{ level: Number(t.tag.slice(1)), id: t.attrGet('id')!, text: headingText(tokens[i + 1]!) }] : []));
  const made: Token[] = [];
  const emit = (type: string, tag: string, nesting: -1 | 0 | 1, attrs?: Array<[string, string]>): Token => {
    const token = new state.Token(type, tag, nesting);
    if (attrs) token.attrs = attrs;
    token.block = true;
    token.map = list.map;
    made.push(token);
    return token;
  };
  emit(list.type, list.tag, 1, [['id', 'markdown-toc']]);
  // The levels of the lists open now, outermost first: a heading deeper than the last opens a list inside its entry.
  const open: number[] = [];
  for (const heading of headings) {
    if (open.length > 0 && heading.level > open.at(-1)!) emit(list.type, list.tag, 1);
    else if (open.length > 0) {
      emit('list_item_close', 'li', -1);
      while (open.length > 1 && heading.level <= open.at(-2)!) {
        open.pop();
        emit(closeType, list.tag, -1);
        emit('list_item_close', 'li', -1);
      }
    }
    if (open.length === 0 || heading.level > open.at(-1)!) open.push(heading.level);
    emit('list_item_open', 'li', 1);
    const inline = emit('inline', '', 0);
    inline.content = heading.text;
    inline.children = [new state.Token('link_open', 'a', 1), new state.Token('text', '', 0), new state.Token('link_close', 'a', -1)];
    inline.children[0]!.attrs = [['href', `#${heading.id}`], ['id', `markdown-toc-${heading.id}`]];
    inline.children[1]!.content = heading.text;
  }
  if (open.length > 0) emit('list_item_close', 'li', -1);
  for (; open.length > 1; open.pop()) {
    emit(closeType, list.tag, -1);
    emit('list_item_close', 'li', -1);
  }
  emit(closeType, list.tag, -1);
  state.tokens = tokens.slice(0, at).concat(made, tokens.slice(close + 1));
}

/**
 * Kramdown's attribute lists (Jekyll's Markdown) in markdown-it: block lists (`{: .notice}` above
 * or below a block), span lists (`[a](b){:target="_blank"}`), definitions (`{:ref: .x}`) and
 * header ids (`## Title {#id}`), each with only ALLOWED_ATTRIBUTES. Without them a migrated post
 * would show `{: .notice}` as text, in its description too. Used before the heading anchors.
 */
export function kramdownAttributes(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'kramdown_attribute_lists', (state) => {
    if (!state.src.includes('{:') && !state.src.includes('{#')) return;
    const defined = new Map<string, AttributeList>();
    blockLists(state, defined);
    spanLists(state, defined);
  });
}

/**
 * kramdown's second hard line break: two backslashes at the end of a line (`next line\\`), besides
 * CommonMark's two spaces or one backslash. CommonMark reads them as one escaped backslash.
 */
export function kramdownBackslashBreaks(md: MarkdownIt): void {
  md.inline.ruler.before('escape', 'kramdown_backslash_break', (state, silent) => {
    const at = state.pos;
    if (state.src.charCodeAt(at) !== 0x5c || state.src.charCodeAt(at + 1) !== 0x5c || state.src.charCodeAt(at + 2) !== 0x0a) return false;
    if (!silent) state.push('hardbreak', 'br', 0);
    // The next line's indent is not text, as after any hard break.
    let next = at + 3;
    while (next < state.posMax && (state.src.charCodeAt(next) === 0x20 || state.src.charCodeAt(next) === 0x09)) next++;
    state.pos = next;
    return true;
  });
}

/** kramdown's typographic symbols, longest first: the only text it turns into other characters besides quotes. */
const TYPOGRAPHIC_SYMBOLS = /---|--|\.\.\.|<< | >>|<<|>>/g;

/** What each of kramdown's typographic symbols becomes (`<< ` and ` >>` keep their space as a no-break space). */
const TYPOGRAPHIC_CHARACTERS: Readonly<Record<string, string>> = {
  '---': '\u2014', '--': '\u2013', '...': '\u2026', '<< ': '\u00ab\u00a0', ' >>': '\u00a0\u00bb', '<<': '\u00ab', '>>': '\u00bb',
};

/** Text with kramdown's quotes and typographic symbols, its tags left as they are: Jekyll's `smartify`. */
export function kramdownSmartText(text: string, quotes: SmartQuotes): string {
  return text.split(/(<[^<>]*>)/).map((part, at) => (at % 2 === 1 || part === '' ? part
    : withKramdownQuotes([{ type: 'text', content: part } as Token], 0, quotes).replace(TYPOGRAPHIC_SYMBOLS, (symbol) => TYPOGRAPHIC_CHARACTERS[symbol]!))).join('');
}

/**
 * kramdown's typography in place of markdown-it's (a Jekyll site's): its smart quotes
 * (withKramdownQuotes), and its typographic symbols — dashes, `...` and guillemets, and nothing else:
 * markdown-it's `(c)`, `+-`, `..`, `!!!!` and `,,` are left as written, as Jekyll leaves them.
 * Text inside an autolink is left alone, as markdown-it's own rules leave it.
 */
export function kramdownTypography(md: MarkdownIt, quotes: SmartQuotes): void {
  md.core.ruler.disable(['replacements', 'smartquotes']);
  md.core.ruler.after('replacements', 'kramdown_typography', (state) => {
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children || !/--|\.\.\.|<<|>>|["']/.test(block.content)) continue;
      let insideAutolink = false;
      block.children.forEach((token, at, children) => {
        if ((token.type === 'link_open' || token.type === 'link_close') && token.info === 'auto') insideAutolink = token.type === 'link_open';
        // The quotes first: their rules read the characters around them as written (the tokens after this one are not yet changed).
        else if (token.type === 'text' && !insideAutolink) token.content = withKramdownQuotes(children, at, quotes).replace(TYPOGRAPHIC_SYMBOLS, (symbol) => TYPOGRAPHIC_CHARACTERS[symbol]!);
      });
    }
  });
}

/** Kramdown's `* TOC` + `{:toc}`: the list becomes the table of contents of `levels`. Used after the heading anchors, which give the ids. */
export function kramdownTableOfContents(md: MarkdownIt, levels: ReadonlySet<number>): void {
  md.core.ruler.push('kramdown_toc', (state) => {
    if (state.src.includes('{:')) tableOfContents(state, levels);
  });
}

/** The start of an HTML block's first line that opens an element: its name. */
const OPENING_TAG = /^\s*<([A-Za-z][\w-]*)/;

/** kramdown's attribute that makes an element's content Markdown: `markdown="1"` (or `block`). */
export const MARKDOWN_ATTRIBUTE = /\smarkdown=(["']?)(?:1|block)\1(?=[\s/>])/;

/**
 * An HTML block's first line that opens an element marked `markdown="1"` (`<div class="x"
 * markdown="1">`), and not closed on it: the element's name, the tag without the attribute, and
 * the text after the tag (the first line of its Markdown, in an element whose content is blocks).
 * Each test is one pass over the line.
 */
function markedOpening(line: string): { name: string; tag: string; rest: string } | undefined {
  const name = OPENING_TAG.exec(line)?.[1];
  const marked = name === undefined ? null : MARKDOWN_ATTRIBUTE.exec(line);
  const end = line.indexOf('>');
  if (!marked || end < marked.index) return undefined;
  // Text after the tag (`<div class="note" markdown="1">**Note**.`) is the first line of its Markdown, where the element is not closed on that line.
  const rest = line.slice(end + 1).trim();
  if (rest !== '' && (SPAN_CONTENT.has(name!.toLowerCase()) || rest.toLowerCase().includes(`</${name!.toLowerCase()}`))) return undefined;
  return { name: name!, tag: line.slice(0, marked.index) + line.slice(marked.index + marked[0].length, end + 1), rest };
}

/**
 * kramdown's `markdown="1"` on an HTML element: its lines are Markdown (CommonMark would keep them
 * as HTML up to the next blank line), and the attribute itself is not written out. Runs on the
 * blocks before their inline content is parsed; the lines keep their numbers.
 */
export function kramdownMarkdownInHtml(md: MarkdownIt): void {
  md.core.ruler.after('block', 'kramdown_markdown_in_html', (state) => {
    if (!state.src.includes('markdown=')) return;
    const made: Token[] = [];
    for (const token of state.tokens) {
      const lines = token.type === 'html_block' ? token.content.replace(/\n$/, '').split('\n') : [];
      const open = lines.length > 0 ? markedOpening(lines[0]!) : undefined;
      if (!open) {
        // Elements marked elsewhere in the block: on one line, with text after the tag, inside other elements.
        made.push(...withMarkedElementsRead(state, token));
        continue;
      }
      const closes = lines.length > 1 && lines.at(-1)!.trim().toLowerCase() === `</${open.name.toLowerCase()}>`;
      const tagLine = token.map?.[0] ?? 0;
      const html = (content: string, line: number): Token => Object.assign(new state.Token('html_block', '', 0), { content, map: [line, line + 1], block: true, level: token.level });
      made.push(html(`${open.tag.trimEnd()}\n`, tagLine));
      // The Markdown starts on the tag's own line where text follows the tag, else on the next.
      const markdown = [...(open.rest === '' ? [] : [open.rest]), ...lines.slice(1, closes ? -1 : undefined)].join('\n');
      // Elements marked inside it are read too (a `<dt markdown="1">` in a `<dl markdown="1">`), once: deeper ones stay as written.
      for (const t of parsedInside(state, markdown, tagLine + (open.rest === '' ? 1 : 0), token.level)) made.push(...withMarkedElementsRead(state, t));
      if (closes) made.push(html(`${lines.at(-1)}\n`, tagLine + lines.length - 1));
    }
    state.tokens = made;
  });
}

/** A footnote's name in its ids: the label it was written with (`[^note]`), as kramdown names it, or its number. */
function footnoteName(md: MarkdownIt, token: Token): string {
  const meta = token.meta as { id: number; label?: string };
  return md.utils.escapeHtml(meta.label ?? String(meta.id + 1));
}

/**
 * Footnotes (markdown-it-footnote) written as kramdown writes them, so a migrated post's `#fn:1`
 * links still land: `<sup id="fnref:1">` links to `<li id="fn:1">` in a `div.footnotes` at the
 * end, each with a way back to every place that refers to it.
 */
export function kramdownFootnotes(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  rules['footnote_ref'] = (tokens, idx) => {
    const token = tokens[idx]!;
    const name = footnoteName(md, token);
    const sub = (token.meta as { subId: number }).subId;
    // The role is the link's, as ARIA allows it (kramdown puts it on the <sup>, which accessibility checkers flag).
    return `<sup id="fnref:${name}${sub > 0 ? `:${sub}` : ''}"><a href="#fn:${name}" class="footnote" rel="footnote" role="doc-noteref">${(token.meta as { id: number }).id + 1}</a></sup>`;
  };
  rules['footnote_block_open'] = () => '<div class="footnotes" role="doc-endnotes">\n<ol>\n';
  rules['footnote_block_close'] = () => '</ol>\n</div>\n';
  // kramdown's role="doc-endnote" on each item is deprecated in DPUB-ARIA 1.1, and accessibility checkers flag it: left out.
  rules['footnote_open'] = (tokens, idx) => `<li id="fn:${footnoteName(md, tokens[idx]!)}">`;
  rules['footnote_anchor'] = (tokens, idx) => {
    const token = tokens[idx]!;
    const sub = (token.meta as { subId: number }).subId;
    return ` <a href="#fnref:${footnoteName(md, token)}${sub > 0 ? `:${sub}` : ''}" class="reversefootnote" role="doc-backlink">\u21a9\ufe0e${sub > 0 ? `<sup>${sub + 1}</sup>` : ''}</a>`;
  };
}

