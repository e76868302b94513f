import type MarkdownIt from 'markdown-it';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';

/** How far an address with spaces is looked for after its `(`: no real address is longer, and a post of unclosed `[x](` costs its length, not its square. */
const MAX_DESTINATION = 512;

/** A link's title as kramdown reads it after the address: quoted, then the closing parenthesis. */
const TITLE = /^\s*?(["'])([\s\S]+?)\1\s*?\)/;

/** A kramdown link's address and title, and where the link ends (after its closing parenthesis). */
interface Destination {
  url: string;
  title: string | undefined;
  end: number;
}

/**
 * The address of an inline link as kramdown reads it, from its `(` at `open`: everything up to the
 * parenthesis that closes it (parentheses inside counted) or up to white space before a quote (the
 * title's start), spaces kept within and trimmed around. Undefined where kramdown sees no link,
 * or none ends within MAX_DESTINATION characters.
 */
function kramdownDestination(src: string, open: number, posMax: number): Destination | undefined {
  const max = Math.min(posMax, open + MAX_DESTINATION);
  let depth = 0;
  for (let pos = open; pos < max; pos++) {
    const char = src[pos]!;
    if (char === '(') depth++;
    else if (char === ')') {
      depth--;
      if (depth === 0) return { url: src.slice(open + 1, pos).trim(), title: undefined, end: pos + 1 };
    } else if (/\s/.test(char) && (src[pos + 1] === '"' || src[pos + 1] === "'")) {
      const title = TITLE.exec(src.slice(pos, max));
      return title ? { url: src.slice(open + 1, pos).trim(), title: title[2], end: pos + title[0].length } : undefined;
    }
  }
  return undefined;
}

/**
 * An inline link or image whose address has spaces in it (`[slides](/files/my slides.pdf)`,
 * `![](/assets/Screen Shot 2019.png)`), which kramdown reads as a link and CommonMark as text.
 * Tried after markdown-it's own rule, so only links that rule refuses are read this way.
 */
function kramdownLink(image: boolean) {
  return (state: StateInline, silent: boolean): boolean => {
    const start = state.pos;
    const src = state.src;
    if (image ? src[start] !== '!' || src[start + 1] !== '[' : src[start] !== '[') return false;
    const labelStart = start + (image ? 2 : 1);
    const labelEnd = state.md.helpers.parseLinkLabel(state, labelStart - 1, !image);
    if (labelEnd < 0 || src[labelEnd + 1] !== '(' || src[labelEnd + 2] === '<') return false;
    const destination = kramdownDestination(src, labelEnd + 1, state.posMax);
    if (!destination || !/\s/.test(destination.url)) return false;
    const href = state.md.normalizeLink(destination.url);
    if (!state.md.validateLink(href)) return false;
    if (!silent) {
      const attrs: [string, string][] = image ? [['src', href], ['alt', '']] : [['href', href]];
      if (destination.title !== undefined) attrs.push(['title', destination.title]);
      if (image) {
        const content = src.slice(labelStart, labelEnd);
        const children: StateInline['tokens'] = [];
        state.md.inline.parse(content, state.md, state.env, children);
        const token = state.push('image', 'img', 0);
        token.attrs = attrs;
        token.children = children;
        token.content = content;
      } else {
        const max = state.posMax;
        state.pos = labelStart;
        state.posMax = labelEnd;
        state.push('link_open', 'a', 1).attrs = attrs;
        state.md.inline.tokenize(state);
        state.push('link_close', 'a', -1);
        state.posMax = max;
      }
    }
    state.pos = destination.end;
    return true;
  };
}

/** kramdown's inline links and images with spaces in their addresses, for a Jekyll site's posts. */
export function kramdownLinks(md: MarkdownIt): void {
  md.inline.ruler.after('link', 'kramdown_link', kramdownLink(false));
  md.inline.ruler.after('image', 'kramdown_image', kramdownLink(true));
}
