import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { yamlTooLarge } from '../policy/limits.js';
import { JEKYLL_YAML_SCHEMA } from './jekyll-yaml.js';

/** A YAML document read safely, or where and why it failed (0-based line and column). */
export type YamlResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; line: number; column: number };

/** How a YAML text is read: as Jekyll reads its inputs (YAML 1.1's flags and numbers, see jekyll-yaml.ts), and whether a key written twice takes its last value. */
export interface YamlReading {
  jekyll?: boolean;
  lastKeyWins?: boolean;
}

/**
 * Reads YAML with the core schema (or, for a Jekyll site's inputs, Jekyll's): no code, no custom
 * tags, dates stay strings (so an impossible date cannot silently roll over), and duplicate keys
 * are errors (with `lastKeyWins`, the last one's value is taken, as Ruby's YAML takes it for
 * Jekyll). Aliases may not expand the document past a bounded number of values, nor nesting go
 * past a bounded depth.
 */
export function readYaml(text: string, reading: YamlReading = {}): YamlResult {
  try {
    const value = load(text, { schema: reading.jekyll ? JEKYLL_YAML_SCHEMA : CORE_SCHEMA, json: reading.lastKeyWins === true });
    const tooLarge = yamlTooLarge(value, text.length);
    return tooLarge ? { ok: false, message: `too large: ${tooLarge}`, line: 0, column: 0 } : { ok: true, value };
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, message: 'too deeply nested to read', line: 0, column: 0 };
    if (err instanceof YAMLException) {
      const reason = (err as YAMLException & { reason?: string }).reason ?? err.message.split('\n')[0]!;
      return { ok: false, message: reason, line: err.mark?.line ?? 0, column: err.mark?.column ?? 0 };
    }
    throw err;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * 1-based line and column of a value in a YAML mapping's text, following a path of keys and list
 * positions (`['talks', 0, 'slides']`) as far as the text shows it; the column is where the value
 * starts. Undefined when even the first key is not there.
 */
export function lineOfYamlKey(text: string, path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined {
  const lines = text.split('\n');
  let from = 0;
  let to = lines.length;
  let found: { line: number; column: number } | undefined;
  for (const [depth, part] of path.entries()) {
    let hit = -1;
    let indent = 0;
    let column = 0;
    if (typeof part === 'string') {
      const pattern = new RegExp(`^(${depth === 0 ? '' : '\\s*(?:-\\s+)?'})(["']?)${escapeRegExp(part)}\\2\\s*:\\s*`);
      for (let i = from; i < to && hit === -1; i++) {
        const match = pattern.exec(lines[i]!);
        if (match) [hit, indent, column] = [i, match[1]!.length, match[0].length + 1];
      }
    } else if (typeof part === 'number') {
      let seen = -1;
      let itemIndent: number | undefined;
      for (let i = from; i < to && hit === -1; i++) {
        const match = /^(\s*)-(?:\s+|$)/.exec(lines[i]!);
        if (!match || (itemIndent !== undefined && match[1]!.length !== itemIndent)) continue;
        itemIndent = match[1]!.length;
        if (++seen === part) [hit, indent, column] = [i, match[1]!.length, match[0].length + 1];
      }
    }
    if (hit === -1) break;
    found = { line: hit + 1, column };
    // What belongs to this node: its own line (a list item's first key is on it) and the lines indented deeper.
    from = typeof part === 'number' ? hit : hit + 1;
    let end = hit + 1;
    while (end < to && (lines[end]!.trim() === '' || indentOf(lines[end]!) > indent)) end++;
    to = end;
  }
  return found;
}
