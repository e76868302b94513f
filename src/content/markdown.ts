import MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import Token from 'markdown-it/lib/token.mjs';
import abbreviations from 'markdown-it-abbr';
import definitionLists from 'markdown-it-deflist';
import footnotes from 'markdown-it-footnote';
import { KRAMDOWN_DEFAULTS, type KramdownSettings } from './kramdown-settings.js';
import { blankKramdownExtensions, headingText, kramdownAttributes, kramdownBackslashBreaks, kramdownFootnotes, kramdownMarkdownInHtml, kramdownTableOfContents, kramdownTypography } from './kramdown.js';
import { kramdownMath } from './kramdown-math.js';
import { kramdownBlockStarts } from './kramdown-blocks.js';
import { kramdownHtmlBlocks } from './kramdown-html-blocks.js';
import { kramdownLinks } from './kramdown-links.js';
import { joinedKramdownBullets, kramdownListParagraphs, nestKramdownLists } from './kramdown-lists.js';
import { kramdownTableRows, kramdownTables } from './kramdown-tables.js';
import { taskLists } from './task-lists.js';

/** A markdown-it token; `map` holds its 0-based source line range within the parsed text. */
export type MarkdownToken = Token;

/** Parses and renders post bodies; the only module that knows markdown-it. */
export interface MarkdownEngine {
  /** Markdown text to block tokens (each with a `map` of source lines). */
  parse(text: string): MarkdownToken[];
  /** Tokens (possibly rewritten by the resolve stage) to HTML. */
  render(tokens: MarkdownToken[]): string;
}

/** The first `length` characters of an inline token's child `index` (a text token), to become a link to `href`. */
export interface LeadingLink {
  index: number;
  length: number;
  href: string;
}

/**
 * Makes the leading characters of text tokens among an inline token's children links, the rest
 * of each staying text after its link (a chapter list's times become links into the recording).
 * The children are rebuilt once, however many lines a paragraph has.
 */
export function linkLeadingTexts(inline: MarkdownToken, links: readonly LeadingLink[]): void {
  const byIndex = new Map(links.map((link) => [link.index, link]));
  const children: MarkdownToken[] = [];
  (inline.children ?? []).forEach((child, index) => {
    const link = byIndex.get(index);
    if (link && child.type === 'text') {
      const open = new Token('link_open', 'a', 1);
      open.attrs = [['href', link.href]];
      const label = new Token('text', '', 0);
      label.content = child.content.slice(0, link.length);
      child.content = child.content.slice(link.length);
      children.push(open, label, new Token('link_close', 'a', -1));
    }
    children.push(child);
  });
  inline.children = children;
}

/** URL characters that markdown-it's normalisation leaves as they are (no %, no spaces, ASCII only). */
const PLAIN_URL = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]*$/;

/**
 * Heading ids as Jekyll makes them (kramdown's GFM parser, Jekyll's default input), so old
 * `#anchors` keep working: the heading's text lower-cased, all but letters, marks, digits, `_`,
 * `-`, spaces and tabs dropped (`C++ & C#` gives `c--c`, `Émoji 🎉 party` `émoji--party`, `日本語`
 * itself), each space or tab a dash; `section` where nothing is left (kramdown gives no id there).
 */
export function headingId(text: string): string {
  const id = text.toLowerCase().replace(/[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\- \t]/gu, '').replace(/[ \t]/g, '-');
  return id === '' ? 'section' : id;
}

/**
 * Gives every heading its id and makes its text a link to itself (`a.heading-link`): the id its
 * post gives (`{#id}`) or Jekyll's from its text, `-1`, `-2`, ... after a repeat, as kramdown
 * numbers them. One pass with each name's next number remembered: markdown-it-anchor, which did
 * this before, looked for a free number from 1 for each repeat and searched the whole token list
 * for each heading (20,000 headings alike took 16 s, 250,000 headings in a 1 MiB post 32 s).
 */
function headingAnchors(state: StateCore): void {
  const tokens = state.tokens;
  const used = new Set<string>();
  const nextNumber = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const heading = tokens[i]!;
    const inline = tokens[i + 1];
    if (heading.type !== 'heading_open' || inline?.type !== 'inline') continue;
    const base = heading.attrGet('id') ?? headingId(headingText(inline));
    let id = base;
    if (used.has(id)) {
      let n = nextNumber.get(base) ?? 1;
      while (used.has(`${base}-${n}`)) n++;
      id = `${base}-${n}`;
      nextNumber.set(base, n + 1);
    }
    used.add(id);
    heading.attrSet('id', id);
    const link = new state.Token('link_open', 'a', 1);
    link.attrs = [['class', 'heading-link'], ['href', `#${id}`]];
    inline.children = [link, ...(inline.children ?? []), new state.Token('link_close', 'a', -1)];
  }
}

/** The abbreviations a post may define, and how long each may be: markdown-it-abbr makes one regular expression of them all (V8 refuses one too large). */
const MAX_ABBREVIATIONS = 500;
const MAX_ABBREVIATION_LENGTH = 100;

/** The footnotes a post may have: markdown-it-footnote copies the post's tokens once per footnote (8,000 footnotes took 13 s); later ones are left out. */
const MAX_FOOTNOTES = 300;

/** Keeps a post's footnotes within MAX_FOOTNOTES before they are written out. */
function boundFootnotes(env: { footnotes?: { list?: unknown[] } }): void {
  const list = env.footnotes?.list;
  if (list && list.length > MAX_FOOTNOTES) list.length = MAX_FOOTNOTES;
}

/** Keeps a post's abbreviations (`*[HTML]: ...`) within the limits above, dropping the rest, before they are applied. */
function boundAbbreviations(env: { abbreviations?: Record<string, string> }): void {
  const defined = env.abbreviations;
  if (!defined) return;
  const kept = Object.entries(defined).filter(([label]) => label.length <= MAX_ABBREVIATION_LENGTH + 1).slice(0, MAX_ABBREVIATIONS);
  env.abbreviations = kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/**
 * Moves a body's headings so the highest is an h2, keeping their steps: the page's title is its
 * only h1, and posts written with `###` (as many Jekyll posts are) do not skip a level.
 */
function startHeadingsAtTwo(tokens: MarkdownToken[]): void {
  let top = 7;
  for (const token of tokens) if (token.type === 'heading_open') top = Math.min(top, Number(token.tag.slice(1)));
  if (top === 7 || top === 2) return;
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(6, Math.max(2, Number(token.tag.slice(1)) - top + 2))}`;
  }
}

/**
 * Makes the blocks a phone may have to scroll sideways (tables, code) reachable from the keyboard:
 * a table or code block wider than the page scrolls within itself (the theme's stylesheet), and a
 * scrolling region must take focus for its arrow keys to scroll it (axe: scrollable-region-focusable).
 */
function focusableScrollers(md: MarkdownIt): void {
  md.core.ruler.push('recap_focusable_tables', (state) => {
    for (const token of state.tokens) if (token.type === 'table_open' && token.attrGet('tabindex') === null) token.attrSet('tabindex', '0');
  });
  for (const rule of ['fence', 'code_block'] as const) {
    const render = md.renderer.rules[rule]!;
    md.renderer.rules[rule] = (...args) => render(...args).replace(/^<pre\b/, '<pre tabindex="0"');
  }
}

/**
 * A table column's alignment (`|--:|`) as a class of its cells (`align-right`), not the
 * `style="text-align:right"` markdown-it writes: the site's Content-Security-Policy
 * (`style-src 'self'`) refuses style attributes, so the browser dropped the alignment and
 * reported each cell in its console.
 */
function alignmentClasses(md: MarkdownIt): void {
  md.core.ruler.push('recap_alignment_classes', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const align = /^text-align:(left|center|right)$/.exec(token.attrGet('style') ?? '')?.[1];
      if (!align) continue;
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      token.attrJoin('class', `align-${align}`);
    }
  });
}

/** True when inline tokens are one italic span and nothing else, on one line (`_Lena on *stage*_`). */
function isItalicLine(children: ReadonlyArray<{ type: string }>): boolean {
  if (children[0]?.type !== 'em_open' || children.at(-1)?.type !== 'em_close') return false;
  let depth = 0;
  for (const [at, child] of children.entries()) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') return false;
    depth += child.type === 'em_open' ? 1 : child.type === 'em_close' ? -1 : 0;
    if (depth === 0 && at < children.length - 1) return false;
  }
  return true;
}

/**
 * Chirpy's image captions: a paragraph of an image and, on the next line, an italic line alone
 * (`![Lena on stage](lena.jpg)` then `_Lena on stage_`) is a figure with that caption, as Chirpy's
 * theme shows it. kramdown writes one paragraph, where a screen reader read the caption twice and
 * Lighthouse marked the image's text redundant.
 */
function imageCaptions(md: MarkdownIt): void {
  md.core.ruler.push('recap_image_captions', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      if (tokens[i]!.type !== 'paragraph_open' || tokens[i + 2]!.type !== 'paragraph_close') continue;
      // What an attribute list leaves of itself (`{: w="700" }` after the image) is empty text.
      const children = (tokens[i + 1]!.children ?? []).filter((child) => child.type !== 'text' || child.content !== '');
      const last = children.length - 1;
      if (children[0]?.type !== 'image' || children[1]?.type !== 'softbreak' || !isItalicLine(children.slice(2))) continue;
      tokens[i]!.tag = tokens[i + 2]!.tag = 'figure';
      children.splice(1, 1);
      children[1]!.tag = children[last - 1]!.tag = 'figcaption';
      tokens[i + 1]!.children = children;
    }
  });
}

/** markdown-it-emoji's plugin with GitHub's names, for jemoji's `:tada:`. */
export type EmojiPlugin = typeof import('markdown-it-emoji').full;

/** The emoji plugin when a site wants it (jemoji in its plugins), loaded then only: its table of names costs ~1 MB in every thread. */
export async function loadEmoji(wanted: boolean | undefined): Promise<EmojiPlugin | undefined> {
  return wanted ? (await import('markdown-it-emoji')).full : undefined;
}

/**
 * Builds the Markdown engine: typographer on, raw HTML as configured, heading anchors, GitHub's
 * emoji names when given the plugin, and for a Jekyll site's posts (`jekyll`: its kramdown
 * settings: quotes, table of contents levels, hard wraps) kramdown's `$$` math, its
 * typographic symbols in place of markdown-it's, its tables without a header, its raw HTML
 * blocks and its lists nested under an item of the other kind with less indent than its text.
 * Every link becomes a token, so the resolve stage can apply the URL policy with the link's line.
 */
export function createMarkdown(options: { rawHtml: boolean; emoji?: EmojiPlugin | undefined; jekyll?: KramdownSettings | undefined }): MarkdownEngine {
  // kramdown's hard_wrap (a Jekyll site's setting): each line break in a paragraph is a <br>.
  const md = new MarkdownIt({ html: options.rawHtml, typographer: true, linkify: false, breaks: options.jekyll?.hardWrap ?? false });
  md.validateLink = () => true;
  // markdown-it re-parses and re-encodes every link target; most are plain ASCII that would come
  // back unchanged, so only the others take that path (a quarter of parsing time on recap posts).
  const normalizeLink = md.normalizeLink.bind(md);
  md.normalizeLink = (url: string) => (PLAIN_URL.test(url) ? url : normalizeLink(url));
  md.core.ruler.push('recap_heading_levels', (state) => startHeadingsAtTwo(state.tokens));
  // What kramdown (Jekyll's Markdown, GFM input) reads besides CommonMark: footnotes, definition lists, abbreviations, task lists
  // (each box labelled by its text, so it is accessible), Markdown inside HTML marked markdown="1", attribute lists.
  md.use(footnotes).use(kramdownFootnotes).use(definitionLists).use(abbreviations).use(kramdownMarkdownInHtml);
  md.core.ruler.before('abbr_replace', 'recap_abbreviation_limits', (state) => boundAbbreviations(state.env as { abbreviations?: Record<string, string> }));
  md.core.ruler.before('footnote_tail', 'recap_footnote_limits', (state) => boundFootnotes(state.env as { footnotes?: { list?: unknown[] } }));
  md.use(taskLists);
  // kramdown has no inline footnotes (^[note]): Jekyll shows them as written, and so does Recap.
  md.inline.ruler.disable('footnote_inline');
  // jemoji's `:tada:` (where a Jekyll site's plugins list it), as the emoji itself: no image from GitHub's servers.
  if (options.emoji) md.use(options.emoji, { shortcuts: {} });
  // kramdown's $$ math (a Jekyll site's), as MathML, its typography, its tables without a header, its raw HTML blocks, where its blocks start, its links with spaces, its lists of mixed bullets and its lists' paragraphs.
  if (options.jekyll) md.use(kramdownMath).use(kramdownTypography, options.jekyll.quotes).use(kramdownTables).use(kramdownHtmlBlocks).use(kramdownBlockStarts).use(kramdownLinks).use(joinedKramdownBullets).use(kramdownListParagraphs);
  md.use(kramdownTableRows).use(kramdownAttributes).use(kramdownBackslashBreaks);
  md.core.ruler.push('recap_heading_anchors', headingAnchors);
  md.use(kramdownTableOfContents, (options.jekyll ?? KRAMDOWN_DEFAULTS).tocLevels);
  md.use(focusableScrollers).use(alignmentClasses);
  if (options.jekyll?.imageCaptions) md.use(imageCaptions);
  return {
    parse: (text) => md.parse(options.jekyll ? nestKramdownLists(blankKramdownExtensions(text)) : blankKramdownExtensions(text), {}),
    render: (tokens) => md.renderer.render(tokens, md.options, {}),
  };
}
