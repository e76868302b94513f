import { isoDay, offsetOf, type SiteClock, type SiteDate } from './dates.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import type { FrontMatter } from './schema.js';

/** What became of a meetup, as schema.org's EventStatusType and iCalendar's STATUS say it. */
export type EventStatus = 'scheduled' | 'cancelled' | 'postponed' | 'rescheduled' | 'online';

/** The meetup a post announces or recaps, its times resolved in the site's zone. */
export interface MeetupEvent {
  start: SiteDate;
  end: SiteDate | undefined;
  /** A whole day, or days (its start written as a date alone): `start` and `end` are then the first and last days, at midnight. */
  allDay: boolean;
  venue: string;
  address: string;
  rsvp: string | undefined;
  livestream: string | undefined;
  status: EventStatus;
  price: number | undefined;
  currency: string | undefined;
}

/** Where a front-matter key sits in the file, for diagnostics. */
type Locate = (path: ReadonlyArray<string>) => { line?: number; column?: number };

const WITH_TIME = /^\d{4}-\d{1,2}-\d{1,2}(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/i;
const TIME_ONLY = /^(\d{1,2}):(\d{2})$/;
/** A time of day in a date as a Jekyll site may write it (`2026-04-28 18:00:00`, `Sat, 09 Mar 2024 10:00:00 +0000`). */
const CLOCK_TIME = /\d:\d{2}/;
/** A day with no time of day: `2027-03-03`. */
const DATE_ONLY = /^\d{4}-\d{1,2}-\d{1,2}$/;
/** How long a meetup without an end is taken to last, to tell when it is over. */
const ASSUMED_LENGTH_MS = 3 * 3600 * 1000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A wall-clock time of the event in the site's zone (or at an offset it gives), or why it is
 * not one: a time the clocks skip is an error; one they show twice is the first, with a warning.
 */
function readTime(text: string, key: 'start' | 'end', clock: SiteClock, file: string, locate: Locate, diagnostics: Diagnostics): SiteDate | undefined {
  const { timeZone } = clock;
  const at = locate(['event', key]);
  const parsed = clock.parse(text);
  const shape = WITH_TIME.exec(text.trim());
  if (!parsed.ok || !shape) {
    diagnostics.error('R206', file, at.line, at.column, `event.${key} "${text}" is not a date and time`,
      `write it as YYYY-MM-DD HH:MM in the site's time zone (${timeZone}), like ${key}: 2027-03-03 18:30`);
    return undefined;
  }
  if (shape[4] !== undefined) return parsed.date;
  const { year, month, day } = parsed.date;
  const wall = clock.wallTime(year, month, day, Number(shape[1]), Number(shape[2]));
  const written = `${year}-${pad(month)}-${pad(day)} ${pad(Number(shape[1]))}:${shape[2]}`;
  if (wall.kind === 'skipped') {
    diagnostics.error('R206', file, at.line, at.column, `event.${key} ${written} never happens in ${timeZone}: the clocks skip it (from ${wall.before} to ${wall.after})`,
      'pick a time outside the skipped hour');
    return undefined;
  }
  if (wall.kind === 'repeated') {
    diagnostics.warning('R207', file, at.line, at.column, `event.${key} ${written} happens twice in ${timeZone} as the clocks go back; using the first (${offsetOf(wall.first)})`,
      `add the offset to choose, like ${key}: ${written}${offsetOf(wall.second)} for the second`);
    return wall.first;
  }
  return wall.date;
}

/** An end written as a time alone (`21:00`) is that time on the start's day, or the next day when it is earlier. */
function readEnd(text: string, start: SiteDate, clock: SiteClock, file: string, locate: Locate, diagnostics: Diagnostics): SiteDate | undefined {
  if (!TIME_ONLY.test(text.trim())) return readTime(text, 'end', clock, file, locate, diagnostics);
  const sameDay = `${start.year}-${pad(start.month)}-${pad(start.day)} ${text.trim()}`;
  const end = readTime(sameDay, 'end', clock, file, locate, diagnostics);
  if (!end || end.epochMs > start.epochMs) return end;
  const next = new Date(Date.UTC(start.year, start.month - 1, start.day + 1));
  return readTime(`${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())} ${text.trim()}`, 'end', clock, file, locate, diagnostics);
}

/** A day of an all-day event, or why it is not one: a date alone, in the site's calendar. */
function readDay(text: string, key: 'start' | 'end', clock: SiteClock, file: string, locate: Locate, diagnostics: Diagnostics): SiteDate | undefined {
  const parsed = DATE_ONLY.test(text.trim()) ? clock.parse(text) : undefined;
  if (parsed?.ok) return parsed.date;
  const at = locate(['event', key]);
  diagnostics.error('R206', file, at.line, at.column, `event.${key} "${text}" is not a day, as the start of a whole day's event is`,
    `write it as a date alone, like ${key}: 2027-03-05, or give the start a time too`);
  return undefined;
}

/** A whole day's (or days') event: its days from `start` to `end` (the last day, if not the first), or null after saying why not. */
function readDays(given: NonNullable<FrontMatter['event']>, clock: SiteClock, file: string, locate: Locate, diagnostics: Diagnostics): { start: SiteDate; end: SiteDate | undefined } | null {
  const start = readDay(given.start, 'start', clock, file, locate, diagnostics);
  const end = start && given.end !== undefined ? readDay(given.end, 'end', clock, file, locate, diagnostics) : undefined;
  if (!start || (given.end !== undefined && !end)) return null;
  if (end && dayNumber(end) < dayNumber(start)) {
    const at = locate(['event', 'end']);
    diagnostics.error('R206', file, at.line, at.column, `event.end (${isoDay(end)}) is before event.start (${isoDay(start)})`, 'a whole day\'s event ends on its last day, its first or a later one');
    return null;
  }
  return { start, end: end && dayNumber(end) > dayNumber(start) ? end : undefined };
}

/** A timed event's start and end, or null after saying why not (a time that does not exist, an end not after the start). */
function readTimes(given: NonNullable<FrontMatter['event']>, clock: SiteClock, file: string, locate: Locate, diagnostics: Diagnostics): { start: SiteDate; end: SiteDate | undefined } | null {
  const start = readTime(given.start, 'start', clock, file, locate, diagnostics);
  const end = start && given.end !== undefined ? readEnd(given.end, start, clock, file, locate, diagnostics) : undefined;
  if (!start || (given.end !== undefined && !end)) return null;
  if (end && end.epochMs <= start.epochMs) {
    const at = locate(['event', 'end']);
    diagnostics.error('R206', file, at.line, at.column, `event.end (${end.iso}) is not after event.start (${start.iso})`, 'an event ends after it starts');
    return null;
  }
  return { start, end };
}

/** A date's day, counted from the epoch: for comparing days whatever their times. */
function dayNumber(date: SiteDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
}

/**
 * The post's meetup from its validated front matter, undefined when it has none, or null after
 * reporting why its times are wrong (an end before the start, a time that does not exist). A start
 * written as a date alone is a whole day's event (a conference day, a hack day), or days to its end.
 */
export function readEvent(data: FrontMatter, clock: SiteClock, file: string, locate: Locate, diagnostics: Diagnostics): MeetupEvent | undefined | null {
  const given = data.event;
  if (!given) return undefined;
  const allDay = DATE_ONLY.test(given.start.trim());
  const when = (allDay ? readDays : readTimes)(given, clock, file, locate, diagnostics);
  if (!when) return null;
  const event: MeetupEvent = {
    ...when,
    allDay,
    venue: given.venue ?? '',
    address: given.address ?? '',
    rsvp: given.rsvp,
    livestream: given.livestream,
    status: given.status ?? 'scheduled',
    price: given.price,
    currency: given.currency,
  };
  if (!event.address && !event.livestream && event.status !== 'online') {
    const at = locate(['event']);
    diagnostics.warning('R208', file, at.line, at.column, 'the event has no address and no livestream: people cannot tell where to go, nor search engines show it as an event',
      'add address: "Street, Town POSTCODE" (or livestream: URL for an online meetup)');
  }
  return event;
}

/** The labels of a Jekyll site's collections whose documents are its meetups, each at its date (`_events/`, `_meetups/`). */
const EVENT_COLLECTION = /^(?:events?|meetups?|meetings?)$/i;

/**
 * The meetup a Jekyll site's event document is (BrumPHP's and the Dundee Data Meetup's `_events/`):
 * in a collection named for events, on its date (`written`: its front matter's or its file name's, read as `start`): then,
 * where it gives a time of day, else that whole day; at its `venue:` or `location:` and its
 * `address:` where they are text. Undefined for a document of another collection or with no date
 * of its own. Its place is the site's to give: one without is no warning (a Recap site's event
 * block without one is).
 */
export function documentEvent(label: string, data: FrontMatter, start: SiteDate, written: string | undefined): MeetupEvent | undefined {
  if (!EVENT_COLLECTION.test(label) || written === undefined) return undefined;
  const allDay = !CLOCK_TIME.test(written);
  const text = (key: string) => {
    const value = (data as Record<string, unknown>)[key];
    return typeof value === 'string' ? value.trim() : '';
  };
  return { start, end: undefined, allDay, venue: text('venue') || text('location'), address: text('address'), rsvp: undefined, livestream: undefined, status: 'scheduled', price: undefined, currency: undefined };
}

/** Where a meetup stands at an instant: not started, under way, or over. */
export type EventPhase = 'upcoming' | 'live' | 'past';

/** The phase of an event at `now` (an event without an end is taken to last three hours; a whole day's, its days in the site's calendar). */
export function eventPhase(event: MeetupEvent, now: SiteDate): EventPhase {
  if (event.allDay) {
    const today = dayNumber(now);
    return today < dayNumber(event.start) ? 'upcoming' : today <= dayNumber(event.end ?? event.start) ? 'live' : 'past';
  }
  if (now.epochMs < event.start.epochMs) return 'upcoming';
  const end = event.end?.epochMs ?? event.start.epochMs + ASSUMED_LENGTH_MS;
  return now.epochMs < end ? 'live' : 'past';
}

/**
 * The next instant at which the clock alone changes how an event is shown: its start or the next
 * midnight in the site's zone while it is upcoming (the countdown counts days), its end while it
 * runs; never once it is over.
 */
export function eventChangesAt(event: MeetupEvent, now: SiteDate, clock: SiteClock): number {
  const phase = eventPhase(event, now);
  if (phase === 'past') return Infinity;
  if (phase === 'live' && !event.allDay) return event.end?.epochMs ?? event.start.epochMs + ASSUMED_LENGTH_MS;
  const midnight = clock.wallTime(now.year, now.month, now.day + 1, 0, 0);
  // Where the clocks skip midnight, the day turns when they do: an hour on is a safe bound.
  const nextDay = midnight.kind === 'one' ? midnight.date.epochMs : midnight.kind === 'repeated' ? midnight.first.epochMs : now.epochMs + 3_600_000;
  // A whole day's event changes only as days turn.
  return event.allDay ? nextDay : Math.min(event.start.epochMs, nextDay);
}

/** An event as templates show it: times in words, a map link, the calendar file, where it stands. */
export interface EventView {
  /** ISO 8601 with the zone's offset, for `<time datetime>` and structured data; a whole day's event its days alone (`2027-03-03`). */
  start: string;
  end: string | undefined;
  /** The day in words: `Wednesday 3 March 2027`; a whole days' event's first to last (`Monday 3 May – Tuesday 4 May 2027`). */
  day: string;
  /** The times in words with the zone: `18:30–21:00 GMT`; a date too when it ends another day; '' for a whole day's event. */
  time: string;
  /** A whole day's (or days') event: its days are shown, no time. */
  allDay: boolean;
  venue: string;
  address: string;
  /** A map search for the venue and address (OpenStreetMap: no tracking). */
  mapUrl: string | undefined;
  rsvp: string | undefined;
  livestream: string | undefined;
  status: EventStatus;
  price: number | undefined;
  currency: string | undefined;
  phase: EventPhase;
  /** How far off an upcoming event is, in words: `tomorrow`, `in 5 days`, `in 3 weeks`. */
  countdown: string;
  /** The `.ics` file of this one event. */
  calendarUrl: string;
}

/** URL of a post's own calendar file: `event.ics` in its folder, or its name with `.ics`. */
export function calendarUrlOf(postUrl: string): string {
  return postUrl.endsWith('/') ? `${postUrl}event.ics` : `${postUrl.replace(/\.[^./]*$/, '')}.ics`;
}

/** Makes event views for one build: formatters made once, for the site's language and zone, at one present moment. */
export function createEventViews(language: string, timeZone: string, now: SiteDate): (event: MeetupEvent, postUrl: string) => EventView {
  const dayFormat = new Intl.DateTimeFormat(language, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const timeFormat = new Intl.DateTimeFormat(language, { timeZone, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const dateTimeFormat = new Intl.DateTimeFormat(language, { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  // A whole day's dates are calendar days, formatted as such (in UTC, where the day is the one written).
  const daysFormat = new Intl.DateTimeFormat(language, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const calendarDay = (d: SiteDate) => new Date(Date.UTC(d.year, d.month - 1, d.day));
  const countdown = (event: MeetupEvent, phase: EventPhase): string => {
    if (phase !== 'upcoming') return '';
    const days = dayNumber(event.start) - dayNumber(now);
    if (days < 14) return relative.format(days, 'day');
    if (days < 60) return relative.format(Math.floor(days / 7), 'week');
    return relative.format(Math.round(days / 30.44), 'month');
  };
  return (event, postUrl) => {
    const phase = eventPhase(event, now);
    const start = new Date(event.start.epochMs);
    let time = event.allDay ? '' : timeFormat.format(start);
    if (event.end && !event.allDay) {
      const sameDay = dayNumber(event.end) === dayNumber(event.start);
      time = (sameDay ? timeFormat : dateTimeFormat).formatRange(start, new Date(event.end.epochMs));
    }
    const place = [event.venue, event.address].filter(Boolean).join(', ');
    return {
      start: event.allDay ? isoDay(event.start) : event.start.iso,
      end: event.allDay ? (event.end && isoDay(event.end)) : event.end?.iso,
      day: event.allDay ? (event.end ? daysFormat.formatRange(calendarDay(event.start), calendarDay(event.end)) : daysFormat.format(calendarDay(event.start))) : dayFormat.format(start),
      time,
      allDay: event.allDay,
      venue: event.venue,
      address: event.address,
      mapUrl: event.address ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(place)}` : undefined,
      rsvp: event.rsvp,
      livestream: event.livestream,
      status: event.status,
      price: event.price,
      currency: event.currency,
      phase,
      countdown: countdown(event, phase),
      calendarUrl: calendarUrlOf(postUrl),
    };
  };
}

/** True when an event view belongs on the home page's banner: not over yet (a cancelled one shows it is). */
export function isComing(view: EventView): boolean {
  return view.phase !== 'past';
}
