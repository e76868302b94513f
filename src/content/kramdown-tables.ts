import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';

/** A table row as kramdown reads one: a line with a pipe that is not escaped. */
const TABLE_ROW = /(?:^|[^\\])\|/;

/** kramdown's separator line (`|---|:-:|`, `+---+`), a header's or a body's end: only these characters, a dash among them (two tests, each linear). */
const isSeparatorLine = (line: string): boolean => /^[+|: \t-]*$/.test(line) && line.includes('-');

/** A line that is only an attribute list (`{: .talk-times}`): it ends a table and is the table's. */
const ATTRIBUTE_LIST_LINE = /^\{:(?!:)[^{}\n]*\}$/;

/** kramdown's footer separator line (`|===|`): the rows after it are the table's footer. */
const isFooterLine = (line: string): boolean => /^[+|: \t=]*$/.test(line) && line.includes('=');

/** The most cells a table may have once its rows are padded to its widest row. */
const MAX_CELLS = 100_000;

/** One table row's cells, and whether a pipe outside a code span parted them. */
interface Row {
  cells: string[];
  piped: boolean;
}

/**
 * A row's cells as kramdown splits them: at each pipe that is neither escaped nor inside a code
 * span (`\|` becomes a pipe in the cell's text), without the pipes at either end. One pass.
 */
function splitRow(line: string): Row {
  const cells: string[] = [];
  let cell = '';
  let piped = false;
  for (let at = 0; at < line.length;) {
    const char = line[at]!;
    if (char === '\\' && line[at + 1] === '|') {
      cell += '|';
      at += 2;
    } else if (char === '`') {
      let ticks = 1;
      while (line[at + ticks] === '`') ticks++;
      const fence = '`'.repeat(ticks);
      const close = line.indexOf(fence, at + ticks);
      const end = close === -1 ? at + ticks : close + ticks;
      cell += line.slice(at, end);
      at = end;
    } else if (char === '|') {
      cells.push(cell);
      cell = '';
      piped = true;
      at++;
    } else {
      cell += char;
      at++;
    }
  }
  cells.push(cell);
  if (line.trimStart().startsWith('|')) cells.shift();
  if (cells.length > 1 && line.trimEnd().endsWith('|') && !line.trimEnd().endsWith('\\|')) cells.pop();
  return { cells: cells.map((c) => c.trim()), piped };
}

/** A table's rows by section, as kramdown groups them: rows above the first separator are its header, rows after a `===` line its footer. */
interface Sections {
  head: Row[];
  bodies: Row[][];
  foot: Row[];
  /** Each column's alignment, from the first separator line (`:--`, `:-:`, `--:`). */
  align: Array<'left' | 'center' | 'right' | undefined>;
}

/** A separator line's column alignments. */
function alignmentsOf(line: string): Sections['align'] {
  return splitRow(line).cells.map((cell) => {
    const [left, right] = [cell.startsWith(':'), cell.endsWith(':')];
    return left && right ? 'center' : left ? 'left' : right ? 'right' : undefined;
  });
}

/** A table's lines as rows in their sections. */
function sectionsOf(lines: readonly string[]): Sections {
  const sections: Sections = { head: [], bodies: [[]], foot: [], align: [] };
  let aligned = false;
  let inFoot = false;
  for (const line of lines) {
    const body = sections.bodies[sections.bodies.length - 1]!;
    if (isFooterLine(line)) inFoot = true;
    else if (isSeparatorLine(line)) {
      if (!aligned) [sections.align, aligned] = [alignmentsOf(line), true];
      if (inFoot || body.length === 0) continue;
      if (sections.head.length === 0 && sections.bodies.length === 1) sections.head = sections.bodies.pop()!;
      sections.bodies.push([]);
    } else (inFoot ? sections.foot : body).push(splitRow(line));
  }
  sections.bodies = sections.bodies.filter((rows) => rows.length > 0);
  return sections;
}

/**
 * kramdown's tables in a Jekyll site's posts where GFM's need a delimiter row under one header
 * row: lines with pipes at a block's start are a table with no header (`Slides | Video` alone on
 * its lines is a one-row table in Jekyll), rows above the first separator line are its header
 * however many, `|---|` lines further down start another body, and rows after a `|===|` line are
 * its footer. As kramdown, a table must end at a blank line, an attribute list or the end of its
 * block (a line without a pipe makes it all a paragraph), and have a pipe outside a code span.
 * Tried after every block a line can start (lists, quotes, headings, HTML), so only what would be
 * a paragraph is looked at, and before markdown-it's own table rule where that would take a GFM
 * table (one header row and a delimiter row under it): kramdown reads that one too, unless a line
 * without a pipe follows its rows, where markdown-it's table stays (ended there, see
 * kramdownTableRows) rather than kramdown's paragraph of pipes.
 */
export function kramdownTables(md: MarkdownIt): void {
  // A GFM table (a row, then a delimiter row) too is read as kramdown reads it, where it can be:
  // a pipe inside a code span (`string | number`) does not part cells, and every row has the widest row's cells.
  md.block.ruler.before('table', 'kramdown_gfm_table', (state: StateBlock, startLine: number, endLine: number, silent: boolean) =>
    startLine + 1 < endLine && isSeparatorLine(lineText(state, startLine + 1)) && kramdownTable(state, startLine, endLine, silent));
  md.block.ruler.before('paragraph', 'kramdown_table', kramdownTable);
}

/** A line's text from its indent on, without the white space it ends in. */
function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]).trimEnd();
}

/** kramdown's table at `startLine`, when the lines there make one (see kramdownTables). */
function kramdownTable(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const lines: string[] = [];
  let next = startLine;
  for (; next < endLine; next++) {
    const text = lineText(state, next);
    if (text === '' || state.sCount[next]! < state.blkIndent || ATTRIBUTE_LIST_LINE.test(text)) break;
    if (!TABLE_ROW.test(text) || text.startsWith('<')) return false;
    lines.push(text);
  }
  const sections = sectionsOf(lines);
  const rows = [...sections.head, ...sections.bodies.flat(), ...sections.foot];
  if (rows.length === 0 || !rows.some((row) => row.piped)) return false;
  // Every row has as many cells as the widest: a hostile post's one wide row over many short ones stays a paragraph.
  const columns = rows.reduce((most, row) => Math.max(most, row.cells.length), 0);
  if (rows.length * columns > MAX_CELLS) return false;
  if (silent) return true;
  const push = (type: string, tag: string, nesting: -1 | 0 | 1) => state.push(type, tag, nesting);
  const section = (name: 'thead' | 'tbody' | 'tfoot', sectionRows: Row[]) => {
    push(`${name}_open`, name, 1);
    for (const row of sectionRows) {
      push('tr_open', 'tr', 1);
      for (let column = 0; column < columns; column++) {
        const cell = name === 'thead' ? 'th' : 'td';
        const opening = push(`${cell}_open`, cell, 1);
        if (sections.align[column]) opening.attrSet('style', `text-align:${sections.align[column]}`);
        const inline = push('inline', '', 0);
        inline.content = row.cells[column] ?? '';
        inline.map = [startLine, next];
        inline.children = [];
        push(`${cell}_close`, cell, -1);
      }
      push('tr_close', 'tr', -1);
    }
    push(`${name}_close`, name, -1);
  };
  const open = push('table_open', 'table', 1);
  open.map = [startLine, next];
  if (sections.head.length) section('thead', sections.head);
  for (const body of sections.bodies) section('tbody', body);
  if (sections.foot.length) section('tfoot', sections.foot);
  push('table_close', 'table', -1);
  state.line = next;
  return true;
}

/**
 * Ends a table at the first line without a pipe, as kramdown does, where GFM makes that line a
 * row: `{: .talk-times}` under a table is the table's attribute list, and a paragraph written
 * straight after it is a paragraph, not a row of one cell. (Asked only whether a line ends a
 * table: it never makes a block of its own, nor ends a quote.) In every site's Markdown.
 */
export function kramdownTableRows(md: MarkdownIt): void {
  md.block.ruler.before('table', 'kramdown_table_end', (state, line, _endLine, silent) => {
    // markdown-it's table asks the blockquote's terminators whether a line ends it, with its parentType set to 'table'.
    if (!silent || (state.parentType as string) !== 'table') return false;
    const text = state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
    return text.trim() !== '' && !TABLE_ROW.test(text);
  }, { alt: ['blockquote'] });
}
