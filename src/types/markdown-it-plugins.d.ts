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
// markdown-it's own block rules, which kramdown-blocks and kramdown-html-blocks wrap for a Jekyll site's posts (the package ships them untyped).
declare module 'markdown-it/lib/rules_block/list.mjs' {
  import type { RuleBlock } from 'markdown-it/lib/parser_block.mjs';
  const list: RuleBlock;
  export default list;
}
declare module 'markdown-it/lib/rules_block/hr.mjs' {
  import type { RuleBlock } from 'markdown-it/lib/parser_block.mjs';
  const hr: RuleBlock;
  export default hr;
}
declare module 'markdown-it/lib/rules_block/lheading.mjs' {
  import type { RuleBlock } from 'markdown-it/lib/parser_block.mjs';
  const lheading: RuleBlock;
  export default lheading;
}
declare module 'markdown-it/lib/rules_block/table.mjs' {
  import type { RuleBlock } from 'markdown-it/lib/parser_block.mjs';
  const table: RuleBlock;
  export default table;
}
declare module 'markdown-it/lib/rules_block/html_block.mjs' {
  import type { RuleBlock } from 'markdown-it/lib/parser_block.mjs';
  const htmlBlock: RuleBlock;
  export default htmlBlock;
}
