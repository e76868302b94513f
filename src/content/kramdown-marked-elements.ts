import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';

/** kramdown's elements whose content is text (its span-level content model): Markdown marked in one is read as a line's, not as blocks. */
export const SPAN_CONTENT: ReadonlySet<string> = new Set(['a', 'abbr', 'acronym', 'address', 'b', 'bdo', 'big', 'button', 'caption', 'cite', 'code', 'del', 'dfn', 'dt', 'em',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'i', 'ins', 'label', 'legend', 'optgroup', 'p', 'q', 'rb', 'rbc', 'rp', 'rt', 'rtc', 'ruby', 'select',
  'small', 'span', 'strong', 'sub', 'sup', 'th', 'tt']);

/** An opening tag marked for Markdown (`<p class="x" markdown="1">`): its name, and the `markdown` attribute's value and place. */
const MARKED_TAG = /<([A-Za-z][\w-]*)\b[^<>]*?(\smarkdown=(["']?)(1|block|span)\3)(?=[\s/>])[^<>]*>/;

/** How many marked elements of one HTML block are looked at: more are left as written, so no block costs more than its length so many times. */
const MAX_MARKED = 200;

/** Where the element opened at `from` (its tag just read) is closed in `html`: the start and end of its end tag, counting elements of its name opened inside it. */
function closingTag(html: string, name: string, from: number): { start: number; end: number } | undefined {
  const tags = new RegExp(`<(/?)${name}(?=[\\s/>])[^<>]*>`, 'gi');
  tags.lastIndex = from;
  let depth = 1;
  for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
    depth += tag[1] === '/' ? -1 : 1;
    if (depth === 0) return { start: tag.index, end: tag.index + tag[0].length };
  }
  return undefined;
}

/** kramdown's attribute that makes an element's content Markdown, anywhere in an HTML block: `markdown="1"`, `block` or `span`. */
const MARKDOWN_ATTRIBUTE_ANYWHERE = /\smarkdown=(["']?)(?:1|block|span)\1(?=[\s/>])/;

/** `text` read as Markdown blocks inside an HTML block's element: its tokens, their lines counted from `line` and their levels below `level`. */
export function parsedInside(state: StateCore, text: string, line: number, level: number): Token[] {
  const parsed: Token[] = [];
  state.md.block.parse(text, state.md, state.env, parsed);
  for (const token of parsed) {
    if (token.map) token.map = [token.map[0] + line, token.map[1] + line];
    token.level += level;
  }
  return parsed;
}

/**
 * An HTML block's elements marked `markdown="1"` anywhere in it (`<p markdown="1">**Note:** x</p>`,
 * a `<span markdown="1">` inside a list's `<li>`, a `<div markdown="1">` with text on its first
 * line), as kramdown reads them: each one's content is Markdown, read as a line's in an element
 * whose content is text (`p`, `span`, `dt`, ..., or `markdown="span"`) and as blocks in the others
 * (or `markdown="block"`), and the attribute is not written out. The block's tokens with its
 * marked content read (the block alone where it has none). Markdown inside is read once: an
 * element marked within a marked element stays as written.
 */
export function withMarkedElementsRead(state: StateCore, block: Token): Token[] {
  const html = block.content;
  if (block.type !== 'html_block' || !MARKDOWN_ATTRIBUTE_ANYWHERE.test(html)) return [block];
  const made: Token[] = [];
  const firstLine = block.map?.[0] ?? 0;
  const lineAt = (offset: number) => firstLine + (html.slice(0, offset).match(/\n/g)?.length ?? 0);
  const raw = (content: string) => {
    if (content !== '') made.push(Object.assign(new state.Token('html_block', '', 0), { content, block: true, level: block.level, map: block.map }));
  };
  let done = 0;
  let marked = 0;
  const tags = new RegExp(MARKED_TAG.source, 'g');
  for (let open = tags.exec(html); open && marked < MAX_MARKED; open = tags.exec(html)) {
    const name = open[1]!.toLowerCase();
    const contentStart = open.index + open[0].length;
    marked++;
    const close = closingTag(html, name, contentStart);
    if (!close) continue;
    raw(html.slice(done, open.index) + open[0].replace(open[2]!, ''));
    const content = html.slice(contentStart, close.start);
    const line = lineAt(contentStart);
    if (open[4] === 'span' || (open[4] === '1' && SPAN_CONTENT.has(name))) {
      made.push(Object.assign(new state.Token('inline', '', 0), { content: content.trim(), children: [], level: block.level, map: [line, line + 1] }));
    } else made.push(...parsedInside(state, content, line, block.level));
    done = close.start;
    tags.lastIndex = close.end;
  }
  if (made.length === 0) return [block];
  raw(html.slice(done));
  return made;
}
