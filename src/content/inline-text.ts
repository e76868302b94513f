import MarkdownIt from 'markdown-it';

/** Markdown's inline syntax alone (links, images, emphasis, code, escapes, entities), without raw HTML: what a line of front matter or settings may hold. */
const INLINE = new MarkdownIt('zero', { html: false }).enable(['link', 'image', 'emphasis', 'strikethrough', 'backticks', 'autolink', 'escape', 'entity', 'newline']);

/** Characters without which a text holds no inline Markdown to read. */
const MAY_BE_MARKDOWN = /[[\]*_`~<\\&]/;

/**
 * The words a line of inline Markdown shows, as plain text: `The Hub [(map)](https://…)` is
 * `The Hub (map)`, `Join our [group](…)` is `Join our group`. Jekyll sites write their
 * `description:` and a meetup's `location:` so, for layouts that `markdownify` them; Recap's theme
 * shows them as text (a page's line under its title, its meta description, the footer, a feed).
 */
export function inlineMarkdownText(text: string): string {
  if (!MAY_BE_MARKDOWN.test(text)) return text;
  let shown = '';
  for (const token of INLINE.parseInline(text, {})[0]?.children ?? []) {
    if (token.type === 'text' || token.type === 'code_inline') shown += token.content;
    else if (token.type === 'image') shown += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') shown += ' ';
  }
  return shown.trim();
}
