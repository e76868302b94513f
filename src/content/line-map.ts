/** Where a line of a post's rendered text came from in its source: the line, and whether it is that line's own text (so its columns hold too). */
export interface SourceLine {
  line: number;
  exact: boolean;
}

/**
 * Maps each line (0-based) of text that Liquid made from a source back to a line of that source:
 * lines before and after what Liquid changed are the source's own; a line in between that only one
 * source line there has is that line's; any other (what an include or a loop wrote) is the first
 * line with Liquid markup after the last line found so far (the tag that wrote it). So a report about
 * what an include wrote names a line the file has, where it named a line of the rendered text, past
 * the file's end. Linear in the two texts.
 */
export function sourceLineMap(source: string, rendered: string): (line: number) => SourceLine {
  const from = source.split('\n');
  const made = rendered.split('\n');
  let prefix = 0;
  while (prefix < from.length && prefix < made.length && from[prefix] === made[prefix]) prefix++;
  let suffix = 0;
  while (suffix < from.length - prefix && suffix < made.length - prefix && from[from.length - 1 - suffix] === made[made.length - 1 - suffix]) suffix++;
  const changedEnd = from.length - suffix;
  // Each text of the changed part's lines, where only one line has it.
  const onlyLine = new Map<string, number | undefined>();
  for (let i = prefix; i < changedEnd; i++) {
    const text = from[i]!.trim();
    if (text !== '') onlyLine.set(text, onlyLine.has(text) ? undefined : i);
  }
  // For each source line of the changed part, the first line at or after it with Liquid markup.
  const nextLiquid: number[] = new Array<number>(Math.max(0, changedEnd - prefix));
  for (let i = changedEnd - 1, next = Math.min(prefix, from.length - 1); i >= prefix; i--) {
    if (/\{[{%]/.test(from[i]!)) next = i;
    nextLiquid[i - prefix] = next;
  }
  const lines: SourceLine[] = [];
  let found = prefix - 1;
  for (let line = prefix; line < made.length - suffix; line++) {
    const own = onlyLine.get(made[line]!.trim());
    if (own !== undefined) found = own;
    const after = Math.min(found + 1, changedEnd - 1);
    lines.push({ line: own ?? (after >= prefix ? nextLiquid[after - prefix]! : Math.max(0, Math.min(prefix, from.length - 1))), exact: false });
  }
  return (line) => {
    if (line < prefix) return { line, exact: true };
    if (line >= made.length - suffix) return { line: line - made.length + from.length, exact: true };
    return lines[line - prefix]!;
  };
}
