import type MarkdownIt from 'markdown-it';
import htmlBlock from 'markdown-it/lib/rules_block/html_block.mjs';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import { MARKDOWN_ATTRIBUTE } from './kramdown.js';

/** kramdown's span-level HTML elements: one of these at a line's start begins a paragraph, not an HTML block. */
const SPAN_ELEMENTS = new Set(['a', 'abbr', 'acronym', 'b', 'big', 'bdo', 'br', 'button', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'img', 'input',
  'ins', 'kbd', 'label', 'mark', 'option', 'q', 'rb', 'rbc', 'rp', 'rt', 'rtc', 'ruby', 's', 'samp', 'select', 'small', 'span', 'strike',
  'strong', 'sub', 'sup', 'textarea', 'tt', 'u', 'var']);

/** Elements that never close, and those whose text markdown-it already keeps raw to their end tag (CommonMark's first kind of HTML block). */
const LEFT_TO_MARKDOWN_IT = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'script', 'style', 'pre', 'textarea']);

/** An element's start at a line's start: its name. */
const OPENING = /^<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])/;

/** An element's start or end tag at a line's start: its name. */
const TAG_AT_START = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)/;


/** Every start and end tag in a text. */
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])/g;

/** Where each start tag's element ends in a text: the offset of its matching end tag, by the offset of the start tag. */
type Matches = Map<number, number>;

/**
 * Each element's end in `text`, found as kramdown finds it while it reads a raw HTML block: the end
 * tag of the same name that brings the count of such elements open back to where it was. One pass
 * with a stack per name, so a post of thousands of unclosed `<div>` lines costs its length once.
 */
function matchesIn(text: string): Matches {
  const matches: Matches = new Map();
  const open = new Map<string, number[]>();
  for (const tag of text.matchAll(TAG)) {
    const name = tag[2]!.toLowerCase();
    if (tag[1] === '') (open.get(name) ?? open.set(name, []).get(name)!).push(tag.index);
    else {
      const start = open.get(name)?.pop();
      if (start !== undefined) matches.set(start, tag.index);
    }
  }
  return matches;
}

/** What a parse's text tells every block of it: each element's end, and the lines where a container's lines end. */
interface TextFacts {
  src: string;
  matches: Matches;
  /** By a container's indent and last line: the first line from `from` on that is indented less (and not blank), found last. */
  dedents: Map<string, { from: number; line: number }>;
}

/** The facts of a parse's text, made once per text (a nested parse has a text of its own). */
function factsOf(state: StateBlock): TextFacts {
  const env = state.env as { kramdownHtml?: TextFacts };
  if (env.kramdownHtml?.src !== state.src) env.kramdownHtml = { src: state.src, matches: matchesIn(state.src), dedents: new Map() };
  return env.kramdownHtml;
}

/**
 * The first line after `startLine` (before `endLine`) indented less than the container, where its
 * lines end. Blocks ask from the top down, so the line found last answers every start before it:
 * each container's lines are walked once, however many of its lines ask.
 */
function containerEnd(state: StateBlock, facts: TextFacts, startLine: number, endLine: number): number {
  const key = `${state.blkIndent}:${endLine}`;
  const known = facts.dedents.get(key);
  if (known && known.from <= startLine && startLine < known.line) return known.line;
  let line = startLine + 1;
  while (line < endLine && (state.sCount[line]! >= state.blkIndent || state.isEmpty(line))) line++;
  facts.dedents.set(key, { from: startLine, line });
  return line;
}

/**
 * kramdown's raw HTML blocks in a Jekyll site's posts: an element that is not span-level, at a
 * block's start, runs to its own end tag, blank lines and all, and nothing in it is Markdown;
 * the line after its end tag is Markdown again. CommonMark ends such a block at the first blank
 * line and goes on to the next line's block, so `<details>` holding a blank line and a list
 * showed a list where Jekyll shows the text as written, and `<p>x</p>` followed by `*y*` showed
 * the asterisks where Jekyll shows emphasis. An element never closed runs to the end of its
 * container; one closed past its container (a list item, a quote) is left to markdown-it's rule.
 * A line that starts with a span-level element (`<img ...>`, `<br>`, `<span>`) is the start of a
 * paragraph, as kramdown reads it, never an HTML block: so `<img ...>` with `*a caption*` on the
 * line under it shows the emphasis, where CommonMark's HTML block showed the asterisks.
 */
export function kramdownHtmlBlocks(md: MarkdownIt): void {
  md.block.ruler.at('html_block', (state, startLine, endLine, silent) => {
    const name = TAG_AT_START.exec(state.src.slice(state.bMarks[startLine]! + state.tShift[startLine]!, state.eMarks[startLine]))?.[1]?.toLowerCase();
    return !(name !== undefined && SPAN_ELEMENTS.has(name) && name !== 'textarea') && htmlBlock(state, startLine, endLine, silent);
  }, { alt: ['paragraph', 'reference', 'blockquote'] });
  md.block.ruler.before('html_block', 'kramdown_html_block', (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
    if (!state.md.options.html || state.sCount[startLine]! - state.blkIndent >= 4) return false;
    const start = state.bMarks[startLine]! + state.tShift[startLine]!;
    const firstLine = state.src.slice(start, state.eMarks[startLine]);
    const name = OPENING.exec(firstLine)?.[1]?.toLowerCase();
    if (name === undefined || SPAN_ELEMENTS.has(name) || LEFT_TO_MARKDOWN_IT.has(name) || MARKDOWN_ATTRIBUTE.test(firstLine)) return false;
    // An element never closed runs to the end of its container, as in kramdown.
    const facts = factsOf(state);
    // An element never closed runs to the end of its container, as in kramdown; one closed past it is markdown-it's.
    const bound = containerEnd(state, facts, startLine, endLine);
    const end = facts.matches.get(start) ?? state.eMarks[bound - 1]!;
    if (end > state.eMarks[bound - 1]!) return false;
    let last = startLine;
    while (state.eMarks[last]! < end) last++;
    if (silent) return true;
    const token = state.push('html_block', '', 0);
    token.map = [startLine, last + 1];
    token.content = state.getLines(startLine, last + 1, state.blkIndent, true);
    state.line = last + 1;
    return true;
  });
}
