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
 * item's text (`1. Step` then `  - detail`, or `- Point` then ` 1. step`): kramdown takes such a
 * line as part of the item, so the new list is nested in it; CommonMark ends the first list there
 * and starts the second beside it. Each such line (indented one to three spaces, as kramdown
 * nests it), the items of its list after it and the deeper lines of each get the spaces that put
 * them under the item's text, so markdown-it nests them as Jekyll does. Only lines that follow
 * the item without a blank line are looked at, never a code fence's; line numbers are kept.
 * One pass.
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
    if (under && item && item.ordered !== under.ordered && indent >= 1 && indent <= 3 && indent < under.column) {
      moved = { indent, ordered: item.ordered, shift: under.column - indent };
      lines[i] = ' '.repeat(moved.shift) + line;
      continue;
    }
    if (item && item.indent <= 3) under = item;
    else if (indent === 0) under = undefined;
  }
  return lines.join('\n');
}
