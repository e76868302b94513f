/** The months' English names, January first (Jekyll's `:long_month`, archive headings). */
export const MONTH_NAMES: readonly string[] = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A post's date: a calendar date (and wall-clock time) in the site's time zone. */
export interface SiteDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Milliseconds since the epoch of that wall-clock time in the site's zone. */
  epochMs: number;
  /** RFC 3339 with the zone's offset, e.g. `2024-03-06T00:00:00+00:00`. */
  iso: string;
}

/** The date a page without one carries: it is never shown, and keeps builds deterministic. */
export const UNDATED: SiteDate = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, epochMs: 0, iso: '1970-01-01T00:00:00+00:00' };

/**
 * Every date form YAML 1.1 timestamps and Jekyll accept: `2024-03-06`, `2024-3-6`, with a time after
 * `T` or any white space (`2018-03-23  9:36:27`, seconds and fractions optional), and an offset
 * after optional space: `Z`, `+1`, `+01`, `+0100`, `+01:00`.
 */
const DATE_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/i;

/** A month's name or its abbreviation, in a loose date (`March 6, 2024`, `06 Mar 2024`). */
const MONTH_NAME = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?=[\s,.\d]|$)/i;

/** A date with dashes, slashes or dots between year, month and day (`2024/03/07`, `2024.03.07`). */
const SEPARATED_DAY = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b/;

/** A date run together (`20240316`, or the number YAML makes of it). */
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;

/** A zone a loose date names: UTC, GMT, Z, a North American zone's abbreviation, or an offset after the time (`-0500`). */
const NAMED_OR_NUMERIC_ZONE = /(?:\b(?:Z|UTC|GMT|UT|[ECMP][SD]T)\b|\d\s*[+-]\d{1,2}:?\d{2}\b)/i;

/** A formatter that tells a zone's wall-clock parts of an instant. */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** True when a language tag (`en`, `pt-BR`) is one Intl's date formats accept: a site's `language`. */
export function isValidLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** True when the IANA time zone name is known to this Node.js. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const QUARTER_HOUR = 15 * 60000;
const DAY_MS = 24 * 3600 * 1000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Result of reading a date: the date, or why it is not one. */
export type DateResult = { ok: true; date: SiteDate } | { ok: false; reason: string };

/** A wall-clock time in a zone: the instant(s) it names, none in a skipped hour, two in a repeated one. */
export type WallTime =
  | { kind: 'one'; date: SiteDate }
  | { kind: 'skipped'; before: string; after: string }
  | { kind: 'repeated'; first: SiteDate; second: SiteDate };

/**
 * The site's time zone for one build (or one command): reads dates as wall-clock times in it and
 * tells the date of an instant. It keeps the zone's formatter and the offsets it has looked up
 * (zones change offset on quarter hours), so thousands of post dates cost one formatter.
 */
export class SiteClock {
  private formatter: Intl.DateTimeFormat | undefined;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  /** Offset of the zone from UTC at the instant, in minutes. */
  offsetMinutes(epochMs: number): number {
    if (this.timeZone === 'UTC') return 0;
    const quarter = Math.floor(epochMs / QUARTER_HOUR);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      this.formatter ??= zoneFormatter(this.timeZone);
      for (const part of this.formatter.formatToParts(new Date(epochMs))) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
      }
      const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
      offset = Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
      this.offsets.set(quarter, offset);
    }
    return offset;
  }

  /** The site-zone date of an instant. */
  fromEpoch(epochMs: number): SiteDate {
    const offset = this.offsetMinutes(epochMs);
    const wall = new Date(epochMs + offset * 60000);
    const date = {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    };
    return { ...date, epochMs, iso: isoAtOffset(epochMs, offset) };
  }

  /** The instant of a wall-clock time in the zone (the earlier one across a DST change). */
  private epochOfWallTime(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
    const first = asUtc - this.offsetMinutes(asUtc) * 60000;
    return asUtc - this.offsetMinutes(first) * 60000;
  }

  /**
   * Reads `YYYY-MM-DD`, optionally with a time and a UTC offset, as Jekyll accepts it. A date
   * without an offset is a wall-clock time in the site's zone, so `2024-03-06` is the 6th
   * whatever zone the machine runs in.
   */
  parse(text: string): DateResult {
    const m = DATE_PATTERN.exec(text.trim());
    if (!m) return { ok: false, reason: `"${text}" is not a date (expected YYYY-MM-DD, optionally with HH:MM:SS and an offset)` };
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    if (month < 1 || month > 12) return { ok: false, reason: `month ${month} does not exist in "${text}"` };
    if (day < 1 || day > daysInMonth(year, month)) {
      return { ok: false, reason: `${year}-${pad(month)} has no day ${day} ("${text}")` };
    }
    if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: `"${text}" has an impossible time of day` };
    const offsetText = m[7];
    if (offsetText === undefined) {
      const date = this.fromEpoch(this.epochOfWallTime(year, month, day, hour, minute, second));
      // A wall time that falls in a DST gap keeps the calendar date the author wrote.
      return { ok: true, date: { ...date, year, month, day } };
    }
    let offset = 0;
    if (offsetText.toUpperCase() !== 'Z') {
      const [, sign, hours, minutes] = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(offsetText)!;
      offset = (Number(hours) * 60 + Number(minutes ?? 0)) * (sign === '-' ? -1 : 1);
    }
    return { ok: true, date: this.fromEpoch(Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60000) };
  }

  /**
   * A date whose day its month does not have (`2024-02-30`, `2023-04-31`), rolled into the next
   * month as Ruby's `Time.parse` rolls it for Jekyll (`2024-03-01`), time and offset kept; undefined
   * for any other text.
   */
  rolledOver(text: string): { date: SiteDate; as: string } | undefined {
    const m = DATE_PATTERN.exec(text.trim());
    if (!m) return undefined;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day <= daysInMonth(year, month) || day > 31) return undefined;
    const rolled = new Date(Date.UTC(year, month - 1, day));
    const as = `${pad(rolled.getUTCFullYear(), 4)}-${pad(rolled.getUTCMonth() + 1)}-${pad(rolled.getUTCDate())}`;
    const trimmed = text.trim();
    const parsed = this.parse(`${as}${trimmed.slice(/^\d{4}-\d{1,2}-\d{1,2}/.exec(trimmed)![0].length)}`);
    return parsed.ok ? { date: parsed.date, as } : undefined;
  }

  /**
   * Reads a date as Jekyll also reads one (Ruby's `Time.parse`), where `parse` finds none: with a
   * month's name (`March 6, 2024`, `Sat, 09 Mar 2024 10:00:00 +0000`), with slashes or dots
   * (`2024/03/07`), run together (`20240316`), or with a zone's name (`2024-03-14 10:00:00 UTC`,
   * `PST`). It is read by JavaScript's own date parser, and taken only with a four-digit year and
   * a day of a month in it; without a zone it is a wall-clock time in the site's zone.
   */
  parseLoosely(text: string): DateResult {
    const strict = this.parse(text);
    if (strict.ok) return strict;
    const trimmed = text.trim();
    const compact = COMPACT_DAY.exec(trimmed);
    if (compact) return this.parse(`${compact[1]}-${compact[2]}-${compact[3]}`);
    const year = /\b(\d{4})\b/.exec(trimmed);
    if (!year || !(MONTH_NAME.test(trimmed) || SEPARATED_DAY.test(trimmed))) return strict;
    const zoned = NAMED_OR_NUMERIC_ZONE.test(trimmed);
    // Without a zone it is read as GMT, whatever this process's zone, so its fields are the ones written.
    const epochMs = Date.parse(zoned ? trimmed : `${trimmed} GMT`);
    if (Number.isNaN(epochMs)) return strict;
    if (zoned) return { ok: true, date: this.fromEpoch(epochMs) };
    const written = new Date(epochMs);
    if (written.getUTCFullYear() !== Number(year[1])) return strict;
    return this.parse(`${pad(written.getUTCFullYear(), 4)}-${pad(written.getUTCMonth() + 1)}-${pad(written.getUTCDate())} ${pad(written.getUTCHours())}:${pad(written.getUTCMinutes())}:${pad(written.getUTCSeconds())}`);
  }

  /**
   * Resolves a wall-clock time in the zone, telling a time the clocks skip (spring forward) and
   * one they show twice (fall back) from an ordinary one. It tries the zone's offsets a day
   * before and after, which cover every transition but two within two days (no zone has those).
   */
  wallTime(y: number, mo: number, d: number, h: number, mi: number): WallTime {
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, 0);
    const offsets = [...new Set([this.offsetMinutes(asUtc - DAY_MS), this.offsetMinutes(asUtc + DAY_MS)])];
    const instants = offsets
      .map((offset) => asUtc - offset * 60000)
      .filter((epoch) => this.offsetMinutes(epoch) * 60000 === asUtc - epoch)
      .sort((a, b) => a - b);
    if (instants.length === 0) {
      const [early, late] = [...offsets].sort((a, b) => a - b);
      return { kind: 'skipped', before: formatOffset(early!), after: formatOffset(late!) };
    }
    const first = this.fromEpoch(instants[0]!);
    if (instants.length === 1) return { kind: 'one', date: first };
    return { kind: 'repeated', first, second: this.fromEpoch(instants[1]!) };
  }
}

/** The UTC offset, in minutes, that a date's text ends with (`Z`, `+05:00`, `-0800`), or undefined. */
export function writtenOffsetMinutes(text: string): number | undefined {
  const m = /(?:\d|\s)(?:(Z)|([+-])(\d{2}):?(\d{2}))\s*$/i.exec(text);
  if (!m) return undefined;
  return m[1] ? 0 : (Number(m[3]) * 60 + Number(m[4])) * (m[2] === '-' ? -1 : 1);
}

/** An instant as RFC 3339 text at a given UTC offset (`2024-03-05T10:00:00+05:00`). */
export function isoAtOffset(epochMs: number, offsetMinutes: number): string {
  const wall = new Date(epochMs + offsetMinutes * 60000);
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${formatOffset(offsetMinutes)}`;
}

/** `YYYY-MM-DD` of a site date. */
export function isoDay(date: SiteDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** The UTC offset of a site date, as written in its ISO form (`+01:00`). */
export function offsetOf(date: SiteDate): string {
  return date.iso.slice(19);
}
