import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { yamlTooLarge } from './limits.js';

/** A YAML document read safely, or where and why it failed (0-based line and column). */
export type YamlResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; line: number; column: number };

/**
 * Reads YAML with the core schema: no code, no custom tags, dates stay strings (so an impossible
 * date cannot silently roll over), and duplicate keys are errors. Aliases may not expand the
 * document past a bounded number of values, nor nesting go past a bounded depth.
 */
export function readYaml(text: string): YamlResult {
  try {
    const value = load(text, { schema: CORE_SCHEMA });
    const tooLarge = yamlTooLarge(value);
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

const keyPatterns = new Map<string, RegExp>();

function keyPattern(key: string): RegExp {
  let pattern = keyPatterns.get(key);
  if (!pattern) {
    pattern = new RegExp(`^(["']?)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1\\s*:`);
    keyPatterns.set(key, pattern);
  }
  return pattern;
}

/** 1-based line of a top-level key in a YAML mapping's text, and of its n-th list item if asked. */
export function lineOfYamlKey(text: string, path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined {
  const lines = text.split('\n');
  const key = path[0];
  if (typeof key !== 'string') return undefined;
  const pattern = keyPattern(key);
  const keyIndex = lines.findIndex((l) => pattern.test(l));
  if (keyIndex === -1) return undefined;
  const valueColumn = (lines[keyIndex]!.match(/^[^:]*:\s*/)?.[0].length ?? 0) + 1;
  const item = path[1];
  if (typeof item === 'number') {
    let seen = -1;
    for (let i = keyIndex + 1; i < lines.length && /^(\s|-|$)/.test(lines[i]!); i++) {
      const dash = /^(\s*)-\s*/.exec(lines[i]!);
      if (dash && ++seen === item) return { line: i + 1, column: dash[0].length + 1 };
    }
  }
  return { line: keyIndex + 1, column: valueColumn };
}
