import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import hr from 'markdown-it/lib/rules_block/hr.mjs';
import lheading from 'markdown-it/lib/rules_block/lheading.mjs';
import list from 'markdown-it/lib/rules_block/list.mjs';
import table from 'markdown-it/lib/rules_block/table.mjs';
import { IAL_LINE } from './kramdown.js';

/** A numbered item's marker as kramdown reads one: digits and a period, then a space or tab. */
const KRAMDOWN_NUMBERED_ITEM = /^\d{1,9}\.[ \t]/;

/** A numbered item's marker kramdown does not read: digits and a parenthesis (CommonMark's `1)`). */
const PARENTHESIS_ITEM = /^\d{1,9}\)/;

/** A rule that kramdown's list start reads as a bullet (`* * *`, `- - -`), so it may end a paragraph. */
const BULLET_LIKE_RULE = /^[*-][ \t]/;

/** A setext heading's underline: `=` or `-` signs alone, spaces after them. */
const SETEXT_UNDERLINE = /^(=+|-+)[ \t]*$/;

/** How many tokens back the block a line is read in is looked for: a footnote's text is a few, and a long list never makes a line cost more. */
const CONTAINER_LOOKBACK = 64;

/** The kind of block a line is being read in (`footnote_reference_open`, `list_item_open`): the last one opened and not closed, if near. */
function containerOf(state: StateBlock): string | undefined {
  let depth = 0;
  for (let i = state.tokens.length - 1; i >= Math.max(0, state.tokens.length - CONTAINER_LOOKBACK); i--) {
    const token = state.tokens[i]!;
    if (token.nesting === -1) depth++;
    else if (token.nesting === 1 && depth-- === 0) return token.type;
  }
  return undefined;
}

/** A line's text after its indent. */
function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
}

/** Whether the line before a line is an attribute list (`{: .table}`), which ends a paragraph in kramdown, so the line starts a block. */
function afterAttributeList(state: StateBlock, line: number): boolean {
  return line > 0 && IAL_LINE.test(lineText(state, line - 1));
}

/** Whether a line may start a block at the current indent (not a code block's line). */
function atBlockIndent(state: StateBlock, line: number): boolean {
  return state.sCount[line]! >= state.blkIndent && state.sCount[line]! - state.blkIndent < 4;
}

/**
 * Where kramdown (Jekyll's Markdown, GFM input) starts and ends blocks otherwise than CommonMark,
 * for a Jekyll site's posts, so a post shows what it showed on the Jekyll site:
 * - `1)` is no list marker: `1) install` stays text, as kramdown leaves it;
 * - a numbered item of any number ends a paragraph (`Our year:\n2019. A year` is a list), where
 *   CommonMark lets only `1.` do that;
 * - a list's numbers are kramdown's, from 1 whatever the first item says (a `{: start="3"}` line
 *   still sets it, as in kramdown);
 * - a rule without spaces (`---`, `***`, `___`) under a paragraph's line is the paragraph's text
 *   (so `---` there is a dash), as kramdown reads on; `* * *` and `- - -` look like a list's start
 *   to kramdown and end the paragraph, and a rule under a footnote's text, not indented, is a rule;
 * - a setext underline makes a heading of a paragraph's one line only, and only where it is not
 *   indented: under two lines or more it is the paragraph's text too (kramdown looks for setext
 *   headings where a block starts);
 * - a table does not end a paragraph (`Schedule:` with a table straight under it is one
 *   paragraph of pipes, as on the Jekyll site): kramdown reads tables where a block starts;
 * - an attribute list's line (`{: .table}`) ends a paragraph, so the block under it (a table, a
 *   rule, a setext heading) starts there and takes its attributes.
 */
export function kramdownBlockStarts(md: MarkdownIt): void {
  md.block.ruler.at('list', (state, startLine, endLine, silent) => {
    const text = lineText(state, startLine);
    if (PARENTHESIS_ITEM.test(text)) return false;
    if (silent && state.parentType === 'paragraph' && atBlockIndent(state, startLine) && KRAMDOWN_NUMBERED_ITEM.test(text)) return true;
    return list(state, startLine, endLine, silent);
  }, { alt: ['paragraph', 'reference', 'blockquote'] });
  md.block.ruler.at('hr', (state, startLine, endLine, silent) => {
    // A footnote's text runs only as far as its lines are indented, so a rule under it is a rule.
    const ends = !silent || BULLET_LIKE_RULE.test(lineText(state, startLine))
      || (state.sCount[startLine]! < state.blkIndent && containerOf(state) === 'footnote_reference_open');
    return ends && hr(state, startLine, endLine, silent);
  }, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.block.ruler.at('lheading', (state, startLine, endLine, silent) => {
    // kramdown's underline is not indented (CommonMark's may be, by up to three spaces).
    const next = startLine + 1;
    if (next >= endLine || state.sCount[next] !== state.blkIndent || !SETEXT_UNDERLINE.test(lineText(state, next))) return false;
    return lheading(state, startLine, endLine, silent);
  });
  md.block.ruler.at('table', table, { alt: ['reference'] });
  // Only ever asked whether a line ends a paragraph: it makes no block of its own.
  md.block.ruler.before('paragraph', 'kramdown_attribute_list_end', (state, line, _endLine, silent) =>
    silent && state.parentType === 'paragraph' && afterAttributeList(state, line), { alt: ['paragraph'] });
  md.core.ruler.before('inline', 'kramdown_list_numbers', (state) => {
    for (const token of state.tokens) if (token.type === 'ordered_list_open') token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'start');
  });
}
