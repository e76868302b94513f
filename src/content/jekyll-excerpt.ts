import type { Post } from './post.js';

/** A Markdown link definition at a line's start (`[1]: https://x.example`), as Jekyll's excerpt carries them over. */
const LINK_DEFINITION = /^ {0,3}(\[[^\]\n]+\])(:.+)$/gm;

/** The excerpt separator of a Jekyll post: its own `excerpt_separator`, else its site's, else Jekyll's default, a blank line. */
export function excerptSeparatorOf(post: Post, siteSeparator: unknown): string {
  const separator = [post.data['excerpt_separator' as keyof Post['data']], siteSeparator].find((value) => typeof value === 'string' && value !== '');
  return typeof separator === 'string' ? separator : '\n\n';
}

/**
 * A Jekyll post's excerpt as Jekyll cuts it from its text (`Jekyll::Excerpt#extract_excerpt`):
 * the text above its excerpt separator, with the link definitions below it that the cut text
 * names; a string of its own (a slice would keep the post's whole text alive once the post lets
 * go of it). Undefined where the cut text holds Liquid, which Recap runs for no list.
 */
export function excerptSourceOf(post: Post, siteSeparator: unknown): string | undefined {
  const separator = excerptSeparatorOf(post, siteSeparator);
  const at = post.body.indexOf(separator);
  const head = at < 0 ? post.body : post.body.slice(0, at);
  if (head.includes('{{') || head.includes('{%')) return undefined;
  const definitions = at < 0 ? [] : [...post.body.slice(at + separator.length).matchAll(LINK_DEFINITION)].filter((match) => head.includes(match[1]!)).map((match) => match[0].trim());
  return Buffer.from(definitions.length === 0 ? head : `${head}\n\n${definitions.join('\n')}`).toString();
}

/** Every post's excerpt text (see excerptSourceOf), cut while the posts still hold their text. */
export function excerptsOf(parsed: ReadonlyArray<Post>, siteSeparator: unknown): Map<Post, string | undefined> {
  return new Map(parsed.filter((post) => post.kind === 'post').map((post) => [post, excerptSourceOf(post, siteSeparator)]));
}
