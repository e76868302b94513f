// The markdown-it plugins Recap uses that ship no types of their own: each is a markdown-it plugin.
declare module 'markdown-it-footnote' {
  import type MarkdownIt from 'markdown-it';
  const footnote: (md: MarkdownIt) => void;
  export default footnote;
}
declare module 'markdown-it-deflist' {
  import type MarkdownIt from 'markdown-it';
  const deflist: (md: MarkdownIt) => void;
  export default deflist;
}
declare module 'markdown-it-abbr' {
  import type MarkdownIt from 'markdown-it';
  const abbr: (md: MarkdownIt) => void;
  export default abbr;
}
declare module 'markdown-it-emoji' {
  import type MarkdownIt from 'markdown-it';
  /** The plugin with GitHub's emoji names. */
  export const full: (md: MarkdownIt, options?: { shortcuts?: Record<string, string | string[]> }) => void;
}
