import matter from 'gray-matter';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { readYaml, type YamlReading } from './yaml.js';
import { MAX_FRONT_MATTER_BYTES } from '../policy/limits.js';

/** A post split into its front matter and its Markdown body. */
export interface SplitPost {
  data: Record<string, unknown>;
  /** The YAML text between the fences, line 1 being the line after the opening fence. */
  matterText: string;
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyLine: number;
}

class FrontMatterYamlError extends Error {
  constructor(readonly reason: string, readonly line: number, readonly column: number) {
    super(reason);
  }
}

function refuseCode(): never {
  throw new Error('code front matter is refused');
}

/** gray-matter's settings: YAML read by readYaml as `reading` says, and no code. */
function matterOptions(reading: YamlReading) {
  return {
    language: 'yaml',
    engines: {
      yaml: {
        parse: (text: string): object => {
          const result = readYaml(text, reading);
          if (!result.ok) throw new FrontMatterYamlError(result.message, result.line, result.column);
          return result.value as object;
        },
      },
      // gray-matter ships an engine that evaluates `---js` front matter: posts never run code.
      javascript: { parse: refuseCode },
      js: { parse: refuseCode },
    },
  };
}

const MATTER_OPTIONS = matterOptions({});
const JEKYLL_MATTER_OPTIONS = matterOptions({ jekyll: true });
const JEKYLL_LAST_KEY_OPTIONS = matterOptions({ jekyll: true, lastKeyWins: true });

/** Decodes UTF-8 strictly; returns the offending line when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Buffer): { ok: true; text: string } | { ok: false; line: number } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text: text.replace(/\r\n?/g, '\n') };
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // Narrow down the first bad byte: the longest prefix that still decodes.
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        decoder.decode(bytes.subarray(0, mid));
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    let line = 1;
    for (let i = 0; i < lo; i++) if (bytes[i] === 0x0a) line++;
    return { ok: false, line };
  }
}

const OPENING = /^---[ \t]*([^\n]*)\n/;
const CLOSING_FENCE = '\n---';
/** The line that closes front matter, as Jekyll finds it: "---", or YAML's end of document "...", with nothing but spaces after it. */
const CLOSING_LINE = /\n(?:---|\.\.\.)[ \t]*\r?(?=\n|$)/;

/** The body after the closing line that ends at `fenceEnd`, less one line break. */
function bodyAfter(text: string, fenceEnd: number): string {
  const body = text.slice(fenceEnd);
  return body.startsWith('\n') ? body.slice(1) : body;
}

/**
 * A YAML line's value that starts with a quote (`  - key: "value`, `"item`): what comes before
 * the quote, the quote and the rest. Read in steps, each linear: one pattern for the whole line
 * (`/^(\s*(?:-\s+)?(?:[^:#'"]+:\s+)?)(["'])/`) backtracks quadratically through white space.
 */
function quotedValue(line: string): { lead: string; quote: string; rest: string } | undefined {
  const indent = /^\s*(?:-\s+)?/.exec(line)![0];
  const key = /^[^:#'"]+:\s+/.exec(line.slice(indent.length))?.[0] ?? '';
  for (const lead of key ? [indent + key, indent] : [indent]) {
    const quote = line[lead.length];
    if (quote === '"' || quote === "'") return { lead, quote, rest: line.slice(lead.length + 1) };
  }
  return undefined;
}

/**
 * Where a quoted value that is never closed opens (YAML itself only notices at the end of the
 * front matter): the first line whose value starts with a quote that the line does not close.
 * Lines are 1-based within the YAML text; the column is the quote's.
 */
function unclosedQuote(yaml: string): { line: number; column: number; quote: string } | undefined {
  const lines = yaml.split('\n');
  for (const [index, line] of lines.entries()) {
    const value = quotedValue(line);
    if (!value) continue;
    const { lead, quote, rest } = value;
    // Closed when an unescaped " (or, in single quotes, a ' that is not a doubled '') follows.
    const closed = quote === '"' ? /(^|[^\\])(\\\\)*"/.test(rest!) : rest!.replace(/''/g, '').includes("'");
    if (!closed) return { line: index + 1, column: lead!.length + 1, quote: quote! };
  }
  return undefined;
}

/**
 * Splits front matter from the body with gray-matter (every code engine refused), reporting
 * missing or unclosed fences, non-YAML languages and YAML errors at their line. With `jekyll`,
 * the YAML is read as Jekyll reads it (`comments: no` is false), and YAML that cannot be read is a
 * warning and the file is left out, as on a Jekyll site, where Jekyll reports it and builds the
 * rest; elsewhere it is an error.
 */
export function splitFrontMatter(text: string, file: string, diagnostics: Diagnostics, jekyll = false): SplitPost | undefined {
  return splitWith(jekyll ? JEKYLL_MATTER_OPTIONS : MATTER_OPTIONS, text, file, diagnostics, jekyll);
}

/** splitFrontMatter with gray-matter's settings given. */
function splitWith(options: typeof MATTER_OPTIONS, text: string, file: string, diagnostics: Diagnostics, jekyll: boolean): SplitPost | undefined {
  const opening = OPENING.exec(text);
  if (!opening) {
    diagnostics.error('R201', file, 1, 1, 'missing front matter', 'start the file with a line "---", the YAML keys (at least title:), and another "---"');
    return undefined;
  }
  const language = opening[1]!.trim().toLowerCase();
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    diagnostics.error('R202', file, 1, 4, `front matter in "${opening[1]!.trim()}" is refused: posts are data, never code`,
      'write the front matter as YAML after a plain "---" line');
    return undefined;
  }
  const closing = new RegExp(CLOSING_LINE.source, 'g');
  closing.lastIndex = opening[0].length - 1;
  const fence = closing.exec(text);
  const closeAt = fence ? fence.index : -1;
  if (!fence) {
    // Jekyll reads such a file as text without front matter, its title from its name: so does Recap on a Jekyll site.
    if (jekyll) {
      diagnostics.warning('R201', file, 1, 1, 'unclosed front matter: no closing "---" line: read as text without front matter, as Jekyll reads it', 'end the front matter with a line that holds only "---"');
      return { data: {}, matterText: '', body: text, bodyLine: 1 };
    }
    diagnostics.error('R201', file, 1, 1, 'unclosed front matter: no closing "---" line',
      'end the front matter with a line that holds only "---"');
    return undefined;
  }
  if (closeAt - opening[0].length > MAX_FRONT_MATTER_BYTES) {
    diagnostics.problem(jekyll, 'R201', file, 2, 1, `the front matter is over the ${MAX_FRONT_MATTER_BYTES / 1024} KiB limit`, 'left out, and the rest of the site built',
      'keep front matter to the post\'s settings; long text belongs in the body');
    return undefined;
  }
  let parsed;
  try {
    // gray-matter is handed the front matter alone: given the whole post, it would copy all of it
    // into a Buffer and hash all of it as a key of its cache, for a body that is sliced off anyway.
    parsed = matter(text.slice(0, closeAt) + CLOSING_FENCE, options);
  } catch (err) {
    if (err instanceof FrontMatterYamlError && jekyll && /duplicated mapping key/.test(err.reason)) {
      // Ruby's YAML takes a key's last value, and Jekyll builds the post with it: so does Recap on a Jekyll site, saying so.
      diagnostics.warning('R203', file, err.line + 1, err.column + 1, `invalid YAML in front matter: ${err.reason}: the last value is taken, as Jekyll takes it`, 'remove the key written twice');
      return splitWith(JEKYLL_LAST_KEY_OPTIONS, text, file, diagnostics, jekyll);
    }
    if (err instanceof FrontMatterYamlError) {
      const opened = /quoted scalar/.test(err.reason) ? unclosedQuote(text.slice(opening[0].length, closeAt + 1)) : undefined;
      const leftOut = 'left out, and the rest of the site built (Jekyll reports it too, and publishes the file without its front matter)';
      if (opened) {
        diagnostics.problem(jekyll, 'R203', file, opened.line + 1, opened.column, `invalid YAML in front matter: this ${opened.quote === '"' ? 'double' : 'single'} quote is never closed`, leftOut,
          `end the value with ${opened.quote}, or write a literal ${opened.quote} inside it as ${opened.quote === '"' ? '\\"' : "''"}`);
        return undefined;
      }
      diagnostics.problem(jekyll, 'R203', file, err.line + 1, err.column + 1, `invalid YAML in front matter: ${err.reason}`, leftOut,
        'quote values that contain ": " or start with a special character such as { [ * & ! | > \' " % @ `');
      return undefined;
    }
    throw err;
  }
  const data = parsed.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.problem(jekyll, 'R201', file, 2, 1, 'front matter must be a mapping of keys to values', 'left out, and the rest of the site built (Jekyll reports it too, and publishes the file without its front matter)', 'write it as "title: My meetup" lines');
    return undefined;
  }
  const fenceLines = text.slice(0, closeAt + 1).split('\n').length;
  return {
    data: data as Record<string, unknown>,
    matterText: text.slice(opening[0].length, closeAt + 1),
    body: bodyAfter(text, closeAt + fence[0].length),
    bodyLine: fenceLines + 1,
  };
}
