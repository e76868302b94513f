import type { EventStatus } from '../content/events.js';

/** One meetup as a calendar shows it. */
export interface CalendarEvent {
  /** Stable across builds, so calendar apps update an event instead of adding it again. */
  uid: string;
  /** When the event's information last changed (epoch ms): the post's date or its `last_modified_at`. */
  stamp: number;
  start: number;
  end: number | undefined;
  /** A whole day's (or days') event: its first and last days (its instants are then not used). */
  days?: { first: CalendarDay; last: CalendarDay };
  summary: string;
  location: string;
  url: string;
  description: string;
  status: EventStatus;
}

/** A calendar's name and the site it comes from. */
export interface CalendarInfo {
  name: string;
  description: string;
  timeZone: string;
}

/** A day of the calendar, as a whole day's event has them. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** A day as RFC 5545's DATE value (`20270303`), or the one `after` days later. */
function date(day: CalendarDay, after = 0): string {
  return new Date(Date.UTC(day.year, day.month - 1, day.day + after)).toISOString().slice(0, 10).replace(/-/g, '');
}

/** An instant in iCalendar's UTC form: `20270303T183000Z`. */
function utc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A TEXT value escaped as RFC 5545 §3.3.11 says: backslash, semicolon, comma and line breaks. */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = Buffer.byteLength(char);
    // The first line holds 75 octets; each continuation holds 74 after its leading space.
    if (size + bytes > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const STATUS: Record<EventStatus, string> = {
  scheduled: 'CONFIRMED',
  rescheduled: 'CONFIRMED',
  online: 'CONFIRMED',
  postponed: 'TENTATIVE',
  cancelled: 'CANCELLED',
};

/**
 * An RFC 5545 iCalendar object of events (a feed calendar apps subscribe to, or one event to
 * add): UTC times, so no time-zone definitions are needed (a whole day's event: its dates, which
 * are every zone's); CRLF line ends; folded lines.
 */
export function icalendar(events: readonly CalendarEvent[], info: CalendarInfo): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Recap//Meetup recaps//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(info.name)}`,
    `X-WR-TIMEZONE:${info.timeZone}`,
    ...(info.description ? [`X-WR-CALDESC:${text(info.description)}`] : []),
    'REFRESH-INTERVAL;VALUE=DURATION:PT12H',
    'X-PUBLISHED-TTL:PT12H',
  ];
  for (const event of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${text(event.uid)}`,
      `DTSTAMP:${utc(event.stamp)}`,
      `LAST-MODIFIED:${utc(event.stamp)}`,
      ...(event.days
        // The end is the day after the last, as RFC 5545 says (§3.6.1).
        ? [`DTSTART;VALUE=DATE:${date(event.days.first)}`, `DTEND;VALUE=DATE:${date(event.days.last, 1)}`]
        : [`DTSTART:${utc(event.start)}`, ...(event.end !== undefined ? [`DTEND:${utc(event.end)}`] : [])]),
      `SUMMARY:${text(event.summary)}`,
      ...(event.location ? [`LOCATION:${text(event.location)}`] : []),
      `URL:${event.url}`,
      ...(event.description ? [`DESCRIPTION:${text(event.description)}`] : []),
      `STATUS:${STATUS[event.status]}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
