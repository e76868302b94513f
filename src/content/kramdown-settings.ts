import { decodeHTMLStrict } from 'entities';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { lineOfYamlKey } from './yaml.js';

/** The quote characters kramdown writes: a left and a right single quote (the right one is also the apostrophe), a left and a right double quote. */
export interface SmartQuotes {
  left: { "'": string; '"': string };
  right: { "'": string; '"': string };
}

/** What a Jekyll site's `kramdown:` settings change in its posts, as kramdown reads them. */
export interface KramdownSettings {
  /** `smart_quotes`: four entity names or code points (`sbquo,lsquo,bdquo,ldquo` for German „…“). */
  quotes: SmartQuotes;
  /** `toc_levels`: the heading levels `{:toc}` lists (`2..3`, `[1, 4]`, `"3"`). */
  tocLevels: ReadonlySet<number>;
  /** `hard_wrap`: every line break in a paragraph is a `<br>`. */
  hardWrap: boolean;
  /**
   * Not kramdown's but its theme's: on a Chirpy site, an image with an italic line under it
   * (`_The room_`) is a figure with that caption, as Chirpy shows it (see imageCaptions).
   */
  imageCaptions: boolean;
}

/** kramdown's own defaults, which Jekyll keeps: curly quotes, every level, no hard wraps. */
export const KRAMDOWN_DEFAULTS: KramdownSettings = {
  quotes: { left: { "'": '\u2018', '"': '\u201c' }, right: { "'": '\u2019', '"': '\u201d' } },
  tocLevels: new Set([1, 2, 3, 4, 5, 6]),
  hardWrap: false,
  imageCaptions: false,
};

/** One of smart_quotes' four: an entity name (`lsquo`) or a code point (`8216`), as a character. */
function quoteCharacter(entry: unknown): string | undefined {
  const text = String(entry).trim();
  if (/^\d{1,7}$/.test(text)) return Number(text) <= 0x10ffff && Number(text) > 0 ? String.fromCodePoint(Number(text)) : undefined;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(text)) return undefined;
  const decoded = decodeHTMLStrict(`&${text};`);
  return decoded === `&${text};` ? undefined : decoded;
}

/** smart_quotes as kramdown reads it (text of four, comma-separated, or a list of four), or undefined when it is not that. */
function readQuotes(raw: unknown): SmartQuotes | undefined {
  const entries = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : [];
  if (entries.length !== 4) return undefined;
  const [lsquo, rsquo, ldquo, rdquo] = entries.map(quoteCharacter);
  if (lsquo === undefined || rsquo === undefined || ldquo === undefined || rdquo === undefined) return undefined;
  return { left: { "'": lsquo, '"': ldquo }, right: { "'": rsquo, '"': rdquo } };
}

/** toc_levels as kramdown reads it: a range `2..3`, a list, or one level; undefined when it names no level from 1 to 6. */
function readTocLevels(raw: unknown): ReadonlySet<number> | undefined {
  let levels: unknown[] = [];
  if (Array.isArray(raw)) levels = raw;
  else if (typeof raw === 'number') levels = [raw];
  else if (typeof raw === 'string') {
    const range = /^\s*(\d)\s*\.\.\s*(\d)\s*$/.exec(raw);
    levels = range ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i) : raw.split(',').map(Number);
  }
  const valid = levels.map(Number).filter((level) => Number.isInteger(level) && level >= 1 && level <= 6);
  return valid.length > 0 && valid.length === levels.length ? new Set(valid) : undefined;
}

/** A Jekyll site's `kramdown:` settings; one Recap cannot read is a warning at its line, and kramdown's default is used. */
export function readKramdownSettings(raw: unknown, text: string, diagnostics: Diagnostics, theme?: string): KramdownSettings {
  const settings = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw as Record<string, unknown> : {};
  const unusable = (key: string, expected: string) => {
    diagnostics.warning('R101', '_config.yml', lineOfYamlKey(text, ['kramdown', key])?.line, undefined,
      `kramdown: ${key}: ${JSON.stringify(settings[key])} is not ${expected}: kramdown's default is used`, `see kramdown's documentation of ${key}`);
  };
  const quotes = settings['smart_quotes'] === undefined ? KRAMDOWN_DEFAULTS.quotes : readQuotes(settings['smart_quotes']);
  if (!quotes) unusable('smart_quotes', 'four entity names or code points, such as lsquo,rsquo,ldquo,rdquo');
  const tocLevels = settings['toc_levels'] === undefined ? KRAMDOWN_DEFAULTS.tocLevels : readTocLevels(settings['toc_levels']);
  if (!tocLevels) unusable('toc_levels', 'heading levels from 1 to 6, such as 1..3 or [2, 3]');
  return {
    quotes: quotes ?? KRAMDOWN_DEFAULTS.quotes, tocLevels: tocLevels ?? KRAMDOWN_DEFAULTS.tocLevels, hardWrap: settings['hard_wrap'] === true,
    imageCaptions: theme !== undefined && /chirpy/i.test(theme),
  };
}
