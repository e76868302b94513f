import { offsetOf } from './dates.js';
const WITH_TIME = /^\d{4}-\d{1,2}-\d{1,2}(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/i;
const TIME_ONLY = /^(\d{1,2}):(\d{2})$/;
/** How long a meetup without an end is taken to last, to tell when it is over. */
const ASSUMED_LENGTH_MS = 3 * 3600 * 1000;
function pad(n) {
    return String(n).padStart(2, '0');
}
/**
 * A wall-clock time of the event in the site's zone (or at an offset it gives), or why it is
 * not one: a time the clocks skip is an error; one they show twice is the first, with a warning.
 */
function readTime(text, key, clock, file, locate, diagnostics) {
    const { timeZone } = clock;
    const at = locate(['event', key]);
    const parsed = clock.parse(text);
    const shape = WITH_TIME.exec(text.trim());
    if (!parsed.ok || !shape) {
        diagnostics.error('R206', file, at.line, at.column, `event.${key} "${text}" is not a date and time`, `write it as YYYY-MM-DD HH:MM in the site's time zone (${timeZone}), like ${key}: 2027-03-03 18:30`);
        return undefined;
    }
    if (shape[4] !== undefined)
        return parsed.date;
    const { year, month, day } = parsed.date;
    const wall = clock.wallTime(year, month, day, Number(shape[1]), Number(shape[2]));
    const written = `${year}-${pad(month)}-${pad(day)} ${pad(Number(shape[1]))}:${shape[2]}`;
    if (wall.kind === 'skipped') {
        diagnostics.error('R206', file, at.line, at.column, `event.${key} ${written} never happens in ${timeZone}: the clocks skip it (from ${wall.before} to ${wall.after})`, 'pick a time outside the skipped hour');
        return undefined;
    }
    if (wall.kind === 'repeated') {
        diagnostics.warning('R207', file, at.line, at.column, `event.${key} ${written} happens twice in ${timeZone} as the clocks go back; using the first (${offsetOf(wall.first)})`, `add the offset to choose, like ${key}: ${written}${offsetOf(wall.second)} for the second`);
        return wall.first;
    }
    return wall.date;
}
/** An end written as a time alone (`21:00`) is that time on the start's day, or the next day when it is earlier. */
function readEnd(text, start, clock, file, locate, diagnostics) {
    if (!TIME_ONLY.test(text.trim()))
        return readTime(text, 'end', clock, file, locate, diagnostics);
    const sameDay = `${start.year}-${pad(start.month)}-${pad(start.day)} ${text.trim()}`;
    const end = readTime(sameDay, 'end', clock, file, locate, diagnostics);
    if (!end || end.epochMs > start.epochMs)
        return end;
    const next = new Date(Date.UTC(start.year, start.month - 1, start.day + 1));
    return readTime(`${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())} ${text.trim()}`, 'end', clock, file, locate, diagnostics);
}
/**
 * The post's meetup from its validated front matter, undefined when it has none, or null after
 * reporting why its times are wrong (an end before the start, a time that does not exist).
 */
export function readEvent(data, clock, file, locate, diagnostics) {
    const given = data.event;
    if (!given)
        return undefined;
    const start = readTime(given.start, 'start', clock, file, locate, diagnostics);
    const end = start && given.end !== undefined ? readEnd(given.end, start, clock, file, locate, diagnostics) : undefined;
    if (!start || (given.end !== undefined && !end))
        return null;
    if (end && end.epochMs <= start.epochMs) {
        const at = locate(['event', 'end']);
        diagnostics.error('R206', file, at.line, at.column, `event.end (${end.iso}) is not after event.start (${start.iso})`, 'an event ends after it starts');
        return null;
    }
    const event = {
        start,
        end,
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
        diagnostics.warning('R208', file, at.line, at.column, 'the event has no address and no livestream: people cannot tell where to go, nor search engines show it as an event', 'add address: "Street, Town POSTCODE" (or livestream: URL for an online meetup)');
    }
    return event;
}
/** The phase of an event at `now` (an event without an end is taken to last three hours). */
export function eventPhase(event, now) {
    if (now.epochMs < event.start.epochMs)
        return 'upcoming';
    const end = event.end?.epochMs ?? event.start.epochMs + ASSUMED_LENGTH_MS;
    return now.epochMs < end ? 'live' : 'past';
}
/**
 * The next instant at which the clock alone changes how an event is shown: its start or the next
 * midnight in the site's zone while it is upcoming (the countdown counts days), its end while it
 * runs; never once it is over.
 */
export function eventChangesAt(event, now, clock) {
    const phase = eventPhase(event, now);
    if (phase === 'past')
        return Infinity;
    if (phase === 'live')
        return event.end?.epochMs ?? event.start.epochMs + ASSUMED_LENGTH_MS;
    const midnight = clock.wallTime(now.year, now.month, now.day + 1, 0, 0);
    // Where the clocks skip midnight, the day turns when they do: an hour on is a safe bound.
    const nextDay = midnight.kind === 'one' ? midnight.date.epochMs : midnight.kind === 'repeated' ? midnight.first.epochMs : now.epochMs + 3_600_000;
    return Math.min(event.start.epochMs, nextDay);
}
/** URL of a post's own calendar file: `event.ics` in its folder, or its name with `.ics`. */
export function calendarUrlOf(postUrl) {
    return postUrl.endsWith('/') ? `${postUrl}event.ics` : `${postUrl.replace(/\.[^./]*$/, '')}.ics`;
}
/** Makes event views for one build: formatters made once, for the site's language and zone, at one present moment. */
export function createEventViews(language, timeZone, now) {
    const dayFormat = new Intl.DateTimeFormat(language, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    const timeFormat = new Intl.DateTimeFormat(language, { timeZone, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    const dateTimeFormat = new Intl.DateTimeFormat(language, { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    const dayNumber = (d) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
    const countdown = (event, phase) => {
        if (phase !== 'upcoming')
            return '';
        const days = dayNumber(event.start) - dayNumber(now);
        if (days < 14)
            return relative.format(days, 'day');
        if (days < 60)
            return relative.format(Math.floor(days / 7), 'week');
        return relative.format(Math.round(days / 30.44), 'month');
    };
    return (event, postUrl) => {
        const phase = eventPhase(event, now);
        const start = new Date(event.start.epochMs);
        let time = timeFormat.format(start);
        if (event.end) {
            const sameDay = dayNumber(event.end) === dayNumber(event.start);
            time = (sameDay ? timeFormat : dateTimeFormat).formatRange(start, new Date(event.end.epochMs));
        }
        const place = [event.venue, event.address].filter(Boolean).join(', ');
        return {
            start: event.start.iso,
            end: event.end?.iso,
            day: dayFormat.format(start),
            time,
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
export function isComing(view) {
    return view.phase !== 'past';
}
