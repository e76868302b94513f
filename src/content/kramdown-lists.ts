import type MarkdownIt from 'markdown-it';

/** A list item's line: its indent, its marker (a number and `.` or `)`, or a bullet) and the spaces after it. */
const ITEM = /^( *)(\d{1,9}[.)]|[-*+])( {1,4})\S/;

/** A code fence's line, at any indent: its fence. */
const FENCE = /^\s*(`{3,}|~{3,})/;

/** A list item at the start of a line: its indent, the column its text starts at, and whether it is numbered. */
interface Item {
  indent: number;
  column: number;
  ordered: boolean;
}

/** The list item a line starts, if any. */
function itemOf(line: string): Item | undefined {
  const item = ITEM.exec(line);
  if (!item) return undefined;
  const indent = item[1]!.length;
  return { indent, column: indent + item[2]!.length + item[3]!.length, ordered: /\d/.test(item[2]!) };
}

/**
 * kramdown's reading of a list of the other kind written under an item with less indent than the
 * item's text (`1. Step` then `  - detail` or `- detail`, or `- Point` then ` 1. step`): kramdown
 * takes such a line as part of the item, so the new list is nested in it; CommonMark ends the
 * first list there and starts the second beside it. Each such line (indented up to three spaces,
 * or none, but no less than the item, as kramdown nests it), the items of its list after it and
 * the deeper lines of each get the spaces that put them under the item's text, so markdown-it
 * nests them as Jekyll does. Only lines that follow the item without a blank line are looked at,
 * never a code fence's; line numbers are kept. One pass.
 */
export function nestKramdownLists(text: string): string {
  if (!/^ *(\d{1,9}[.)]|[-*+]) /m.test(text)) return text;
  const lines = text.split('\n');
  // The item the current run of lines follows, and the list being moved under it (its items' indent, their kind and the shift).
  let under: Item | undefined;
  let moved: { indent: number; ordered: boolean; shift: number } | undefined;
  // The fence of the code block the line is in: its lines are code, never moved.
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceLine = FENCE.exec(line)?.[1];
    if (fence !== undefined || fenceLine !== undefined) {
      if (fence === undefined) fence = fenceLine;
      else if (fenceLine !== undefined && fenceLine[0] === fence[0] && fenceLine.length >= fence.length && line.trim() === fenceLine) fence = undefined;
      [under, moved] = [undefined, undefined];
      continue;
    }
    if (line.trim() === '') {
      [under, moved] = [undefined, undefined];
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const item = itemOf(line);
    if (moved && (indent > moved.indent || (item && indent === moved.indent && item.ordered === moved.ordered))) {
      lines[i] = ' '.repeat(moved.shift) + line;
      continue;
    }
    moved = undefined;
    if (under && item && item.ordered !== under.ordered && indent >= under.indent && indent <= 3 && indent < under.column) {
      moved = { indent, ordered: item.ordered, shift: under.column - indent };
      lines[i] = ' '.repeat(moved.shift) + line;
      continue;
    }
    if (item && item.indent <= 3) under = item;
    else if (indent === 0) under = undefined;
  }
  return lines.join('\n');
}

/**
 * kramdown's reading of a list whose items change bullets (`- a` then `* b`): one list, where
 * CommonMark starts a new list at each change, the lists spaced apart. Two bulleted lists that
 * markdown-it made side by side, nothing between them, are joined into one (before each item's
 * paragraphs are decided, so they are decided as kramdown decides them for one list).
 */
export function joinedKramdownBullets(md: MarkdownIt): void {
  md.core.ruler.after('block', 'kramdown_joined_bullets', (state) => {
    const tokens = state.tokens;
    const joins = (i: number) => tokens[i]!.type === 'bullet_list_close' && tokens[i + 1]?.type === 'bullet_list_open' && tokens[i + 1]!.level === tokens[i]!.level;
    if (!tokens.some((_, i) => joins(i))) return;
    // One pass: each pair of a list's end and the next one's start is left out, and the list still open takes the second's end.
    const joined: typeof tokens = [];
    const openLists: typeof tokens = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (joins(i)) {
        const [list, next] = [openLists.at(-1), tokens[i + 1]!];
        if (list?.map && next.map) list.map[1] = next.map[1];
        i++;
        continue;
      }
      if (token.type === 'bullet_list_open') openLists.push(token);
      else if (token.type === 'bullet_list_close') openLists.pop();
      joined.push(token);
    }
    state.tokens = joined;
  });
}

/** A source line with nothing on it but white space and a quote's `>` markers. */
const BLANK_LINE = /^[\s>]*$/;

/**
 * Which list items show their first paragraph without `<p>`, as kramdown decides it item by item
 * (its list parser), where CommonMark makes a whole list loose once any item has a blank line: an
 * item's first paragraph is bare unless a blank line follows it inside the item; the last item's
 * also when its blank line only ends the list, but only where an item before it is bare (or does
 * not start with a paragraph), or it is the list's only item. So `- a\n- b\n\n  ```code```\n- c`
 * is `a`, `<p>b</p>` and code, `c`. A pass over the tokens, each list's items in one walk.
 */
export function kramdownListParagraphs(md: MarkdownIt): void {
  md.core.ruler.push('kramdown_list_paragraphs', (state) => {
    const tokens = state.tokens;
    if (!tokens.some((t) => t.type === 'bullet_list_open' || t.type === 'ordered_list_open')) return;
    const lines = state.src.split('\n');
    const isBlank = (line: number): boolean => line < lines.length && BLANK_LINE.test(lines[line]!);
    // Each open list's items (the index of each item's opening), innermost last.
    const open: number[][] = [];
    const decide = (items: number[]): void => {
      // Whether an item before the one at hand is bare or does not start with a paragraph.
      let earlierBare = false;
      items.forEach((at, n) => {
        const item = tokens[at]!;
        // A paragraph is three tokens: its opening, its inline content and its closing.
        const [first, close, after] = [tokens[at + 1], tokens[at + 3], tokens[at + 4]];
        if (first?.type !== 'paragraph_open' || close?.type !== 'paragraph_close' || !first.map || !item.map) {
          earlierBare = true;
          return;
        }
        const last = n === items.length - 1;
        const blankAfter = first.map[1] < item.map[1] && isBlank(first.map[1]);
        const more = after !== undefined && after.type !== 'list_item_close';
        const bare = (!blankAfter || (last && !more)) && (!last || items.length === 1 || earlierBare);
        first.hidden = bare;
        close.hidden = bare;
        earlierBare ||= bare;
      });
    };
    tokens.forEach((token, at) => {
      if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') open.push([]);
      else if (token.type === 'list_item_open') open.at(-1)?.push(at);
      else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') decide(open.pop() ?? []);
    });
  });
}
