import { Diagnostics } from '../diagnostics/diagnostics.js';

/** The values a post's `{{ site.* }}` may name; nothing else in a post is ever evaluated. */
export interface LiquidValues {
  baseurl: string;
  url: string;
  title: string;
  /** URL path of the post a `{% post_url NAME %}` names, or undefined when there is none. */
  postUrl: (name: string) => string | undefined;
}

const TAG = /^(\w+)\s*([\s\S]*)$/;

/** One `{{ expression }}` or `{% tag argument %}` found on a line. */
interface LiquidMarkup {
  whole: string;
  offset: number;
  expression?: string;
  tag?: string;
  argument: string;
}

/**
 * Replaces each Liquid markup of a line, in one left-to-right pass: each closing marker is looked
 * for once, so a line of 40,000 unclosed `{{` costs as little as one (no regular expression that
 * backtracks over the rest of the line for every opening).
 */
function replaceMarkup(line: string, replace: (markup: LiquidMarkup) => string): string {
  let out = '';
  let from = 0;
  const unclosed = { '{': false, '%': false };
  const opening = /\{[{%]/g;
  for (let open = opening.exec(line); open; open = opening.exec(line)) {
    const kind = open[0][1] as '{' | '%';
    if (unclosed[kind]) continue;
    const close = line.indexOf(kind === '{' ? '}}' : '%}', open.index + 2);
    if (close === -1) {
      unclosed[kind] = true;
      continue;
    }
    const inner = withoutTrimMarkers(line.slice(open.index + 2, close));
    const whole = line.slice(open.index, close + 2);
    let markup: LiquidMarkup;
    if (kind === '{') markup = { whole, offset: open.index, expression: inner, argument: '' };
    else {
      const tag = TAG.exec(inner);
      markup = tag ? { whole, offset: open.index, tag: tag[1], argument: tag[2]!.trim() } : { whole, offset: open.index, argument: '' };
    }
    out += line.slice(from, open.index) + replace(markup);
    from = close + 2;
    opening.lastIndex = from;
  }
  return out + line.slice(from);
}
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * A markup's inside without Liquid's whitespace-control dashes and the white space beside them
 * (`- x -` is `x`). The end is trimmed by hand: a pattern anchored at the end, such as
 * `/\s*-?$/`, is quadratic in a run of spaces inside the markup (200,000 of them took 28 s).
 */
function withoutTrimMarkers(markup: string): string {
  const start = markup.replace(/^-?\s*/, '');
  return (start.endsWith('-') ? start.slice(0, -1) : start).trimEnd();
}

/**
 * Substitutes the few Jekyll values recap posts use (`{{ site.baseurl }}`, `{{ site.url }}`,
 * `{{ site.title }}`, `{% post_url %}`) from a fixed table; any other Liquid stays as text with a
 * warning at its line. `{% raw %}` blocks are kept literally. Line breaks are never added or removed.
 */
export function substituteLiquid(body: string, values: LiquidValues, file: string, firstLine: number, diagnostics: Diagnostics): string {
  if (!body.includes('{{') && !body.includes('{%')) return body;
  const lines = body.split('\n');
  let fence: string | undefined;
  let raw = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      if (fence === undefined) fence = fenceMatch[1]![0]!;
      else if (fenceMatch[1]![0] === fence) fence = undefined;
    }
    if (!line.includes('{')) continue;
    lines[i] = replaceMarkup(line, ({ whole, expression, tag, argument, offset }) => {
      const lineNo = firstLine + i;
      if (tag === 'endraw') {
        raw = false;
        return '';
      }
      if (raw) return whole;
      if (tag === 'raw') {
        raw = true;
        return '';
      }
      if (expression !== undefined) {
        const name = /^site\.(baseurl|url|title)$/.exec(expression)?.[1] as 'baseurl' | 'url' | 'title' | undefined;
        if (name) return values[name];
      } else if (tag === 'post_url') {
        const target = values.postUrl(argument.trim());
        if (target !== undefined) return values.baseurl + target;
        diagnostics.error('R307', file, lineNo, offset + 1, `post_url names no post: "${argument.trim()}"`,
          'give the post file name without its extension, e.g. 2024-03-06-my-meetup');
        return whole;
      }
      if (fence === undefined) {
        diagnostics.warning('R308', file, lineNo, offset + 1, `template code in a post is left as text: ${whole}`,
          'posts are never run as templates; only {{ site.baseurl }}, {{ site.url }}, {{ site.title }} and {% post_url %} are filled in');
      }
      return whole;
    });
  }
  return lines.join('\n');
}
