import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import { escapeHtml } from './text.js';

/** TeX a post may hand the math renderer in all, and formulas: past either, formulas stay text (a formula costs ~0.1 ms and ~4 ms a KiB, and a post is untrusted). */
const MAX_TEX_BYTES = 64 * 1024;
const MAX_FORMULAS = 2000;
/** KaTeX's own bounds: macro expansions per formula, and the largest size (in ems) a formula may ask for. */
const KATEX_LIMITS = { maxExpand: 1000, maxSize: 20 } as const;

/** Loads KaTeX where a formula first needs it (its CommonJS build, so the renderer can stay synchronous). */
const requireHere = createRequire(import.meta.url);

/** What the parse of one post has spent of MAX_TEX_BYTES and MAX_FORMULAS. */
interface MathEnv {
  texBytes?: number;
  formulas?: number;
}

/** Takes `tex` from the post's budget, or says the budget is spent. */
function withinBudget(env: MathEnv, tex: string): boolean {
  const spent = (env.texBytes ?? 0) + tex.length;
  const formulas = (env.formulas ?? 0) + 1;
  if (spent > MAX_TEX_BYTES || formulas > MAX_FORMULAS) return false;
  env.texBytes = spent;
  env.formulas = formulas;
  return true;
}

/**
 * A formula as MathML, which browsers draw themselves: no script, no stylesheet, no font to load.
 * KaTeX (loaded by the first formula a thread meets, not by every Jekyll site) reads the TeX with
 * `trust: false`, so `\href` and the like give no address; TeX it cannot read is shown as written.
 */
function mathMl(tex: string, display: boolean): string {
  const katex = requireHere('katex') as typeof import('katex').default;
  try {
    return katex.renderToString(tex, { output: 'mathml', displayMode: display, throwOnError: true, trust: false, strict: 'ignore', ...KATEX_LIMITS });
  } catch {
    // A parse error, or a formula nested deeper than the stack: the text, as kramdown writes it without a math engine.
    return `<code class="math-error">${escapeHtml(display ? `\\[${tex}\\]` : `\\(${tex}\\)`)}</code>`;
  }
}

/**
 * A math block: `$$` at the start of a block, the first `$$` after it ending a line that a blank
 * line (or the end) follows, as kramdown reads one. Otherwise the `$$`s are inline math of a paragraph.
 */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  if (state.sCount[startLine]! - state.blkIndent >= 4 || !state.src.startsWith('$$', start)) return false;
  // Each line's own text (in a quote, after its `>`), up to the closing `$$`.
  const lines: string[] = [];
  for (let line = startLine; line < endLine; line++) {
    if (line > startLine && state.isEmpty(line)) return false;
    const text = state.src.slice(line === startLine ? start + 2 : state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
    const closing = text.indexOf('$$');
    if (closing === -1) {
      lines.push(text);
      continue;
    }
    if (text.slice(closing + 2).trim() !== '' || (line + 1 < endLine && !state.isEmpty(line + 1))) return false;
    lines.push(text.slice(0, closing));
    const tex = lines.join('\n').trim();
    if (tex === '' || !withinBudget(state.env as MathEnv, tex)) return false;
    if (silent) return true;
    const token = state.push('math_block', 'div', 0);
    token.block = true;
    token.content = tex;
    token.map = [startLine, line + 1];
    state.line = line + 1;
    return true;
  }
  return false;
}

/** Inline math: `$$...$$` anywhere else in a paragraph (`\$$` is a dollar sign and the text after it). */
function mathInline(state: StateInline, silent: boolean): boolean {
  if (!state.src.startsWith('$$', state.pos)) return false;
  const end = state.src.indexOf('$$', state.pos + 2);
  if (end === -1 || end > state.posMax) return false;
  const tex = state.src.slice(state.pos + 2, end).trim();
  if (tex === '' || !withinBudget(state.env as MathEnv, tex)) return false;
  if (!silent) state.push('math_inline', 'math', 0).content = tex;
  state.pos = end + 2;
  return true;
}

/**
 * kramdown's math, as Jekyll sites write it for MathJax: `$$...$$` in a line is inline math, and
 * `$$` blocks standing alone are display math. Each formula becomes MathML at build time, so a
 * migrated post shows its formulas with no MathJax script (which the site's CSP would refuse).
 */
export function kramdownMath(md: MarkdownIt): void {
  md.block.ruler.before('paragraph', 'kramdown_math_block', mathBlock);
  md.inline.ruler.before('escape', 'kramdown_math_inline', mathInline);
  md.renderer.rules['math_block'] = (tokens, idx) => `<div class="math-display">${mathMl(tokens[idx]!.content, true)}</div>\n`;
  md.renderer.rules['math_inline'] = (tokens, idx) => mathMl(tokens[idx]!.content, false);
}
