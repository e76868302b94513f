/** An instant in iCalendar's UTC form: `20270303T183000Z`. */
function utc(epochMs) {
    return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
/** A TEXT value escaped as RFC 5545 §3.3.11 says: backslash, semicolon, comma and line breaks. */
function text(value) {
    return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}
/** A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
function fold(line) {
    if (Buffer.byteLength(line) <= 75)
        return line;
    const parts = [];
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
const STATUS = {
    scheduled: 'CONFIRMED',
    rescheduled: 'CONFIRMED',
    online: 'CONFIRMED',
    postponed: 'TENTATIVE',
    cancelled: 'CANCELLED',
};
/**
 * An RFC 5545 iCalendar object of events (a feed calendar apps subscribe to, or one event to
 * add): UTC times, so no time-zone definitions are needed; CRLF line ends; folded lines.
 */
export function icalendar(events, info) {
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
        lines.push('BEGIN:VEVENT', `UID:${text(event.uid)}`, `DTSTAMP:${utc(event.stamp)}`, `LAST-MODIFIED:${utc(event.stamp)}`, `DTSTART:${utc(event.start)}`, ...(event.end !== undefined ? [`DTEND:${utc(event.end)}`] : []), `SUMMARY:${text(event.summary)}`, ...(event.location ? [`LOCATION:${text(event.location)}`] : []), `URL:${event.url}`, ...(event.description ? [`DESCRIPTION:${text(event.description)}`] : []), `STATUS:${STATUS[event.status]}`, 'END:VEVENT');
    }
    lines.push('END:VCALENDAR');
    return lines.map(fold).join('\r\n') + '\r\n';
}
