import { Diagnostics } from './diagnostics.js';

/** The values a post's `{{ site.* }}` may name; nothing else in a post is ever evaluated. */
export interface LiquidValues {
  baseurl: string;
  url: string;
  title: string;
  /** URL path of the post a `{% post_url NAME %}` names, or undefined when there is none. */
  postUrl: (name: string) => string | undefined;
}

const LIQUID = /\{\{-?\s*([^}]*?)\s*-?\}\}|\{%-?\s*(\w+)\s*([^%]*?)\s*-?%\}/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

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
    lines[i] = line.replace(LIQUID, (whole: string, expression: string | undefined, tag: string | undefined, argument: string, offset: number) => {
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
        diagnostics.error(file, lineNo, offset + 1, `post_url names no post: "${argument.trim()}"`,
          'give the post file name without its extension, e.g. 2024-03-06-my-meetup');
        return whole;
      }
      if (fence === undefined) {
        diagnostics.warning(file, lineNo, offset + 1, `template code in a post is left as text: ${whole}`,
          'posts are never run as templates; only {{ site.baseurl }}, {{ site.url }}, {{ site.title }} and {% post_url %} are filled in');
      }
      return whole;
    });
  }
  return lines.join('\n');
}
