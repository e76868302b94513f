import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { SiteClock } from '../src/content/dates.js';

const resolveWallTime = (zone: string, y: number, mo: number, d: number, h: number, mi: number) => new SiteClock(zone).wallTime(y, mo, d, h, mi);
import { announcementMatter, buildSite, html, makeSite, messages, output, photo, post } from './helpers.js';

const VIDEO = 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ';

/** Every JSON-LD object of a page, parsed. */
function jsonLdOf($: ReturnType<typeof html>): Array<Record<string, unknown>> {
  return $('script[type="application/ld+json"]').map((_, el) => JSON.parse($(el).text()) as unknown).get() as Array<Record<string, unknown>>;
}

/** The events of an iCalendar text, read by ical.js (Mozilla's parser). */
function veventsOf(text: string): ICAL.Event[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
  assert.ok(calendar.getFirstPropertyValue('prodid'));
  return calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
}

/** The UTC instant of an ical.js time, as an ISO string. */
function utcOf(time: ICAL.Time): string {
  return time.toJSDate().toISOString();
}

describe('event times in the site zone', () => {
  it('tells ordinary, skipped and repeated wall-clock times apart across DST changes', () => {
    // Europe/London: clocks go forward on 2027-03-28 at 01:00, back on 2027-10-31 at 02:00.
    assert.equal(resolveWallTime('Europe/London', 2027, 3, 28, 1, 30).kind, 'skipped');
    const londonBefore = resolveWallTime('Europe/London', 2027, 3, 26, 18, 30);
    const londonAfter = resolveWallTime('Europe/London', 2027, 3, 29, 18, 30);
    assert.ok(londonBefore.kind === 'one' && londonAfter.kind === 'one');
    assert.equal(londonBefore.date.iso, '2027-03-26T18:30:00+00:00');
    assert.equal(londonAfter.date.iso, '2027-03-29T18:30:00+01:00');
    const londonTwice = resolveWallTime('Europe/London', 2027, 10, 31, 1, 30);
    assert.ok(londonTwice.kind === 'repeated');
    assert.equal(londonTwice.first.iso, '2027-10-31T01:30:00+01:00');
    assert.equal(londonTwice.second.iso, '2027-10-31T01:30:00+00:00');
    // America/New_York: forward on 2027-03-14 at 02:00, back on 2027-11-07 at 02:00.
    const skipped = resolveWallTime('America/New_York', 2027, 3, 14, 2, 30);
    assert.deepEqual(skipped, { kind: 'skipped', before: '-05:00', after: '-04:00' });
    assert.equal(resolveWallTime('America/New_York', 2027, 11, 7, 1, 30).kind, 'repeated');
    const week = [12, 13, 14, 15].map((day) => resolveWallTime('America/New_York', 2027, 3, day, 18, 0));
    assert.deepEqual(week.map((w) => (w.kind === 'one' ? w.date.iso.slice(19) : w.kind)), ['-05:00', '-05:00', '-04:00', '-04:00']);
    // Far from UTC, and at offsets that are not whole hours.
    const kiritimati = resolveWallTime('Pacific/Kiritimati', 2027, 1, 1, 9, 0);
    assert.ok(kiritimati.kind === 'one');
    assert.equal(kiritimati.date.iso, '2027-01-01T09:00:00+14:00');
    assert.equal(new Date(kiritimati.date.epochMs).toISOString(), '2026-12-31T19:00:00.000Z');
    const kathmandu = resolveWallTime('Asia/Kathmandu', 2027, 6, 1, 18, 0);
    assert.ok(kathmandu.kind === 'one' && kathmandu.date.iso.endsWith('+05:45'));
  });
});

describe('meetup events', () => {
  const now = new Date('2027-03-01T12:00:00Z');
  const site = async (zone = 'Europe/London', extra: Record<string, string | Buffer> = {}) => makeSite({
    'recap.yml': `title: Platform Night\nurl: https://events.example\ndescription: A monthly meetup\ntimezone: ${zone}\n`,
    'images/group.jpeg': await photo(),
    // An announcement: dated on the meetup's day, three weeks ahead, and still built without --future.
    'posts/2027-03-23-march-meetup.md': post(announcementMatter('livestream: https://www.youtube.com/watch?v=Zy9xW8vU7tS', 'price: 0', 'currency: GBP'), 'Doors at six.\n'),
    // A meetup after the clocks went forward: its offset is BST's.
    'posts/2027-04-06-april-meetup.md': post('title: April meetup\nevent:\n  start: 2027-04-06 18:30\n  end: 2027-04-06 21:00\n  venue: The Tetley\n  address: Hunslet Road, Leeds', 'Soon.\n'),
    // A recap: the event is over, its recording is the post's video, its talks name their speakers.
    'posts/2027-02-10-february-meetup.md': post([
      'title: February meetup',
      'image: /images/group.jpeg',
      `video: ${VIDEO}`,
      'event:',
      '  start: 2027-02-10 18:30',
      '  end: 2027-02-10 21:00',
      '  venue: The Tetley',
      '  address: Hunslet Road, Leeds LS10 1JQ',
      '  rsvp: https://www.meetup.com/example-group/events/100/',
    ].join('\n'), `Ann Lee from Acme gave [Webhooks at scale](${VIDEO}&t=538) (starting at 8:58).\n\nBo Chen talked about [Queues](${VIDEO}&t=1800) (starting at 30:00).\n`),
    'posts/2027-01-05-no-event.md': post('title: January notes', 'Notes.\n'),
    ...extra,
  });

  it('builds an announcement before its date, shows it atop the home page, and counts down to it', async () => {
    const result = await buildSite(await site(), { now });
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const home = html(result, '/');
    const banner = home('.next-meetup .announcement');
    assert.deepEqual(banner.find('h3').map((_, h) => home(h).text()).get(), ['March meetup: paved roads', 'April meetup'], 'soonest first');
    const first = banner.first();
    assert.equal(first.find('.event-badge').text(), 'Upcoming');
    assert.equal(first.find('.event-countdown').text(), 'In 3 weeks');
    assert.equal(first.find('.event-countdown').attr('datetime'), '2027-03-23T18:30:00+00:00');
    assert.match(first.find('.event-facts').text(), /Tuesday, March 23, 2027, 6:30\s*–\s*9:00\sPM GMT/);
    assert.equal(first.find('a.button').first().attr('href'), 'https://www.meetup.com/example-group/events/123/');
    assert.equal(first.find('a[download]').attr('href'), '/2027/03/23/march-meetup/event.ics');
    const map = new URL(first.find('.event-facts a').first().attr('href')!);
    assert.equal(map.host, 'www.openstreetmap.org');
    assert.equal(map.searchParams.get('query'), 'The Tetley, Hunslet Road, Leeds LS10 1JQ');
    assert.match(banner.eq(1).find('.event-facts').text(), /6:30\s*–\s*9:00\sPM GMT\+1/, 'after the clocks change, summer time');
    // The announcements are on the banner, not among the recaps below it.
    assert.deepEqual(home('.cards h2').map((_, h) => home(h).text()).get(), ['February meetup', 'January notes']);
    const page = html(result, '/2027/03/23/march-meetup/');
    assert.equal(page('.event .event-badge').text(), 'Upcoming');
    assert.equal(page('.event a.button').first().text(), 'RSVP for March meetup: paved roads');
  });

  it('turns the same URL into the recap once the meetup has passed', async () => {
    const dir = await site();
    const later = await buildSite(dir, { now: new Date('2027-04-30T12:00:00Z') });
    const home = html(later, '/');
    assert.equal(home('.next-meetup').length, 0);
    assert.deepEqual(home('.cards h2').map((_, h) => home(h).text()).get().slice(0, 2), ['April meetup', 'March meetup: paved roads']);
    const page = html(later, '/2027/03/23/march-meetup/');
    assert.equal(page('.event .event-badge').length, 0);
    assert.match(page('.event-state').text(), /took place on\s+Tuesday, March 23, 2027/);
    assert.equal(page('.event a.button').length, 0, 'no RSVP once it is over');
    // While it runs, it says so.
    const during = html(await buildSite(dir, { now: new Date('2027-03-23T19:00:00Z') }), '/2027/03/23/march-meetup/');
    assert.equal(during('.event .event-badge').text(), 'Happening now');
  });

  it('describes every event as schema.org Event structured data, with Google\'s required and recommended properties', async () => {
    const result = await buildSite(await site(), { now });
    const recap = jsonLdOf(html(result, '/2027/02/10/february-meetup/'));
    assert.deepEqual(recap.map((d) => d['@type']), ['BlogPosting', 'Event']);
    const event = recap[1]!;
    assert.equal(event['@context'], 'https://schema.org');
    assert.equal(event['name'], 'February meetup');
    assert.equal(event['startDate'], '2027-02-10T18:30:00+00:00');
    assert.equal(event['endDate'], '2027-02-10T21:00:00+00:00');
    assert.equal(event['eventStatus'], 'https://schema.org/EventScheduled');
    assert.equal(event['eventAttendanceMode'], 'https://schema.org/MixedEventAttendanceMode', 'a recorded meetup was also online');
    const [place, virtual] = event['location'] as Array<Record<string, unknown>>;
    assert.equal(place!['@type'], 'Place');
    assert.equal(place!['name'], 'The Tetley');
    assert.deepEqual(place!['address'], { '@type': 'PostalAddress', streetAddress: 'Hunslet Road, Leeds LS10 1JQ' });
    assert.deepEqual(virtual, { '@type': 'VirtualLocation', url: 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ' });
    assert.match((event['image'] as string[])[0]!, /^https:\/\/events\.example\/assets\//);
    assert.equal(event['url'], 'https://events.example/2027/02/10/february-meetup/');
    assert.ok(typeof event['description'] === 'string' && event['description'].length > 0);
    assert.deepEqual(event['organizer'], { '@type': 'Organization', name: 'Platform Night', url: 'https://events.example/' });
    assert.deepEqual(event['performer'], [
      { '@type': 'Person', name: 'Ann Lee', url: 'https://events.example/speakers/ann-lee/' },
      { '@type': 'Person', name: 'Bo Chen', url: 'https://events.example/speakers/bo-chen/' },
    ]);
    assert.deepEqual(event['offers'], { '@type': 'Offer', url: 'https://www.meetup.com/example-group/events/100/', price: 0, availability: 'https://schema.org/InStock' });
    const announcement = jsonLdOf(html(result, '/2027/03/23/march-meetup/'))[1]!;
    assert.equal(announcement['eventAttendanceMode'], 'https://schema.org/MixedEventAttendanceMode');
    assert.equal((announcement['offers'] as Record<string, unknown>)['priceCurrency'], 'GBP');
    const april = jsonLdOf(html(result, '/2027/04/06/april-meetup/'))[1]!;
    assert.equal(april['startDate'], '2027-04-06T18:30:00+01:00');
    assert.equal(april['eventAttendanceMode'], 'https://schema.org/OfflineEventAttendanceMode');
    assert.equal(jsonLdOf(html(result, '/2027/01/05/no-event/')).length, 1, 'no Event without an event');
  });

  it('publishes /events.ics and an .ics per event that an iCalendar parser reads, with stable UIDs', async () => {
    const dir = await site('America/New_York');
    const result = await buildSite(dir, { now });
    const feed = output(result, '/events.ics');
    assert.ok(feed.split('\r\n').every((line) => Buffer.byteLength(line) <= 75), 'lines are folded at 75 octets');
    assert.ok(!/[^\r]\n/.test(feed), 'every line ends in CRLF');
    const events = veventsOf(feed);
    assert.deepEqual(events.map((e) => e.summary), ['February meetup', 'March meetup: paved roads', 'April meetup'], 'by start time');
    const march = events[1]!;
    assert.equal(utcOf(march.startDate), '2027-03-23T22:30:00.000Z', '18:30 in New York, after its clocks went forward');
    assert.equal(utcOf(march.endDate), '2027-03-24T01:00:00.000Z');
    assert.equal(march.location, 'The Tetley, Hunslet Road, Leeds LS10 1JQ');
    assert.equal(march.component.getFirstPropertyValue('url'), 'https://events.example/2027/03/23/march-meetup/');
    assert.match(march.description, /Two talks on golden paths/);
    assert.match(march.description, /RSVP: https:\/\/www\.meetup\.com\/example-group\/events\/123\//);
    assert.ok(march.component.getFirstPropertyValue('dtstamp'));
    assert.equal(march.component.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.equal(new Set(events.map((e) => e.uid)).size, 3);
    const again = veventsOf(output(await buildSite(dir, { now: new Date('2027-05-01T00:00:00Z') }), '/events.ics'));
    assert.deepEqual(again.map((e) => e.uid), events.map((e) => e.uid), 'UIDs do not change between builds');
    const own = veventsOf(output(result, '/2027/03/23/march-meetup/event.ics'));
    assert.equal(own.length, 1);
    assert.equal(own[0]!.uid, march.uid);
    assert.equal(result.manifest.get('/2027/01/05/no-event/event.ics'), undefined);
  });

  it('takes a start written as a date alone for a whole day\'s event, or days to its end: dates in the calendar, no time shown', async () => {
    const dir = makeSite({
      'recap.yml': 'title: Hack days\ntimezone: America/New_York\nlanguage: en-GB\nurl: https://hack.example\n',
      'posts/2027-05-01-hack-days.md': post('title: Hack days\nevent:\n  start: 2027-05-03\n  end: 2027-05-04\n  venue: The Hub\n  address: 1 Main St, Springfield'),
      'posts/2027-05-02-one-day.md': post('title: One day\nevent:\n  start: 2027-05-10\n  address: 1 Main St, Springfield'),
    });
    // 2027-05-04 23:30 in New York is the 5th in UTC: the last day is still under way there.
    const during = await buildSite(dir, { now: new Date('2027-05-05T03:30:00Z') });
    assert.equal(messages(during).filter((m) => / (error|warning): /.test(m)).length, 0, messages(during).join('\n'));
    const [days] = veventsOf(output(during, '/2027/05/01/hack-days/event.ics'));
    assert.ok(days!.startDate.isDate && days!.endDate.isDate, 'DATE values, not instants');
    assert.deepEqual([days!.startDate.toString(), days!.endDate.toString()], ['2027-05-03', '2027-05-05'], 'the end is the day after the last, as RFC 5545 says');
    const feed = veventsOf(output(during, '/events.ics'));
    assert.deepEqual(feed.map((e) => [e.summary, e.startDate.toString(), e.endDate.toString()]), [['Hack days', '2027-05-03', '2027-05-05'], ['One day', '2027-05-10', '2027-05-11']]);
    const $ = html(during, '/2027/05/01/hack-days/');
    assert.equal($('.event-badge').text(), 'Happening now');
    const when = $('.event-facts dd').first();
    assert.equal(when.find('time').attr('datetime'), '2027-05-03');
    // ICU puts thin spaces around the dash.
    assert.equal(when.text().replace(/\s+/g, ' '), 'Monday 3 May – Tuesday 4 May 2027');
    const event = jsonLdOf($).find((o) => o['@type'] === 'Event')!;
    assert.deepEqual([event['startDate'], event['endDate']], ['2027-05-03', '2027-05-04']);
    const before = html(await buildSite(dir, { now: new Date('2027-05-02T12:00:00Z') }), '/2027/05/01/hack-days/');
    assert.equal(before('.event-countdown').text(), 'Tomorrow');
    const after = html(await buildSite(dir, { now: new Date('2027-05-05T04:30:00Z') }), '/2027/05/01/hack-days/');
    assert.equal(after('.event-state').text().trim().replace(/\s+/g, ' '), 'This meetup took place on Monday 3 May – Tuesday 4 May 2027.');
  });

  it('reports an impossible or ambiguous event time at its line, and an end before the start', async () => {
    const dir = makeSite({
      'recap.yml': 'title: T\ntimezone: Europe/London\n',
      'posts/2027-03-28-skipped.md': post('title: Skipped\nevent:\n  start: 2027-03-28 01:30\n  address: Leeds'),
      'posts/2027-10-31-twice.md': post('title: Twice\nevent:\n  start: 2027-10-31 01:30\n  address: Leeds'),
      'posts/2027-05-01-backwards.md': post('title: Backwards\nevent:\n  start: 2027-05-01 18:30\n  end: 2027-05-01 17:00\n  address: Leeds'),
      'posts/2027-05-02-typo.md': post('title: Typo\nevent:\n  start: 2027-05-02 18:30\n  adress: Leeds'),
      // A whole day's event ends on a day too, not before its first.
      'posts/2027-05-03-no-time.md': post('title: No time\nevent:\n  start: 2027-05-03\n  end: 2027-05-03 18:00\n  address: Leeds'),
      'posts/2027-05-07-days-backwards.md': post('title: Days backwards\nevent:\n  start: 2027-05-07\n  end: 2027-05-06\n  address: Leeds'),
      'posts/2027-05-04-script.md': post('title: Script\nevent:\n  start: 2027-05-04 18:30\n  address: Leeds\n  rsvp: "javascript:alert(1)"'),
      'posts/2027-05-05-nowhere.md': post('title: Nowhere\nevent:\n  start: 2027-05-05 18:30'),
      'posts/2027-05-06-late.md': post('title: Late\nevent:\n  start: 2027-05-06 22:00\n  end: "01:00"\n  address: Leeds'),
    });
    const result = await buildSite(dir, { now });
    const text = messages(result).join('\n');
    assert.match(text, /posts\/2027-03-28-skipped\.md:4:\d+ error: event\.start 2027-03-28 01:30 never happens in Europe\/London: the clocks skip it \(from \+00:00 to \+01:00\)/);
    assert.match(text, /posts\/2027-10-31-twice\.md:4:\d+ warning: event\.start 2027-10-31 01:30 happens twice in Europe\/London as the clocks go back; using the first \(\+01:00\)/);
    assert.match(text, /posts\/2027-05-01-backwards\.md:5:\d+ error: event\.end \(2027-05-01T17:00:00\+01:00\) is not after event\.start/);
    assert.match(text, /posts\/2027-05-02-typo\.md:\d+:\d+ error: event has no key "adress" \(did you mean "address"\?\)/);
    assert.match(text, /posts\/2027-05-03-no-time\.md:5:\d+ error: event\.end "2027-05-03 18:00" is not a day, as the start of a whole day's event is/);
    assert.match(text, /posts\/2027-05-07-days-backwards\.md:5:\d+ error: event\.end \(2027-05-06\) is before event\.start \(2027-05-07\)/);
    assert.match(text, /posts\/2027-05-04-script\.md:\d+:\d+ warning: front matter "event\.rsvp" was removed/);
    assert.match(text, /posts\/2027-05-05-nowhere\.md:\d+:\d+ warning: the event has no address and no livestream/);
    assert.doesNotMatch(text, /2027-05-06-late/, 'an end after midnight is the next day');
    assert.equal(result.manifest.get('/2027/03/28/skipped/'), undefined);
    assert.ok(result.manifest.get('/2027/10/31/twice/'));
    assert.doesNotMatch(output(result, '/2027/05/04/script/'), /javascript:/);
    const late = veventsOf(output(result, '/2027/05/06/late/event.ics'))[0]!;
    assert.equal(utcOf(late.endDate), '2027-05-07T00:00:00.000Z');
  });

  it('lists every speaker and gives each a page of their talks, merging spellings from speakers.yml', async () => {
    const dir = await site('Europe/London', {
      'images/speakers/ann.jpeg': await photo(400, 400, 3),
      'speakers.yml': [
        '- name: Ann Lee',
        '  aliases: [Annie Lee]',
        '  affiliation: Acme Corp',
        '  bio: Ann runs the platform team at Acme.',
        '  links: [https://github.com/annlee-example, {label: Blog, url: "https://ann.example/"}, "javascript:alert(1)"]',
        '  photo: /images/speakers/ann.jpeg',
      ].join('\n') + '\n',
      'posts/2026-11-10-november.md': post('title: November meetup', `Annie Lee from Acme gave [Old talk](${VIDEO}&t=60) (starting at 1:00).\n`),
      'posts/2026-10-10-october.md': post('title: October meetup\ntalks:\n  - {title: Pairing, speaker: Bo Chen & Cy Diaz, url: "https://youtu.be/Zy9xW8vU7tS?t=90"}', 'Two at once.\n'),
    });
    const result = await buildSite(dir, { now });
    const text = messages(result).join('\n');
    assert.match(text, /speakers\.yml:\d+:\d+ warning: a link of Ann Lee was removed/);
    const list = html(result, '/speakers/');
    const cards = list('.speaker-card').map((_, card) => `${list(card).find('.speaker-name').text()} | ${list(card).find('.speaker-count').text().replace(/\s+/g, ' ')}`).get();
    assert.deepEqual(cards, [
      'Ann Lee | 2 talks, latest at February meetup',
      'Bo Chen | 2 talks, latest at February meetup',
      'Cy Diaz | 1 talk, latest at October meetup',
    ]);
    assert.equal(list('.speaker-card').first().find('picture source[type="image/avif"]').length, 1, 'the photo goes through the image pipeline');
    const ann = html(result, '/speakers/ann-lee/');
    assert.equal(ann('h1').text(), 'Ann Lee');
    assert.equal(ann('.speaker-affiliation').text(), 'Acme Corp');
    assert.equal(ann('.speaker-bio').text(), 'Ann runs the platform team at Acme.');
    assert.deepEqual(ann('.speaker-links a').map((_, a) => ann(a).attr('href')).get(), ['https://github.com/annlee-example', 'https://ann.example/']);
    const talks = ann('.talk-list li').map((_, li) => `${ann(li).find('.talk-title').text()} @ ${ann(li).find('.talk-time').attr('href')} in ${ann(li).find('.talk-post a').attr('href')}`).get();
    assert.deepEqual(talks, [
      'Webhooks at scale @ https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=538s in /2027/02/10/february-meetup/',
      'Old talk @ https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=60s in /2026/11/10/november/',
    ], 'newest first, each at its moment, with its recap');
    const person = jsonLdOf(ann)[0]!;
    assert.equal(person['@type'], 'Person');
    assert.equal(person['name'], 'Ann Lee');
    assert.equal(person['description'], 'Ann runs the platform team at Acme.');
    assert.deepEqual(person['affiliation'], { '@type': 'Organization', name: 'Acme Corp' });
    assert.deepEqual(person['sameAs'], ['https://github.com/annlee-example', 'https://ann.example/']);
    assert.match(String(person['image']), /^https:\/\/events\.example\/assets\/images\/speakers\/ann-/);
    // A speaker's name in a post's talks links to their page; an alias links to the one page.
    const november = html(result, '/2026/11/10/november/');
    assert.equal(november('.talk-speaker a').attr('href'), '/speakers/ann-lee/');
    assert.equal(november('.talk-speaker a').text(), 'Ann Lee');
    const october = html(result, '/2026/10/10/october/');
    assert.deepEqual(october('.talk-speaker a').map((_, a) => october(a).attr('href')).get(), ['/speakers/bo-chen/', '/speakers/cy-diaz/']);
    assert.equal(html(result, '/')('header nav a[href="/speakers/"]').text(), 'Speakers');
  });

  it('keeps a site\'s own /speakers/ page, and reports a speakers.yml that is not a list of speakers', async () => {
    const own = await buildSite(await site('Europe/London', { 'pages/speakers.md': post('title: Our speakers', 'Hand-made.\n'), 'pages/search.md': post('title: Our search', 'Hand-made.\n') }), { now });
    assert.equal(own.diagnostics.count('error'), 0, messages(own).join('\n'));
    assert.equal(html(own, '/speakers/')('h1').text(), 'Our speakers');
    assert.match(messages(own).join('\n'), /pages\/speakers\.md note: the site's own \/speakers\/ is kept in place of Recap's/);
    assert.ok(own.manifest.get('/speakers/ann-lee/'), 'the speaker pages are still built');
    assert.equal(html(own, '/search/')('h1').text(), 'Our search');
    assert.ok([...own.manifest.values()].some((f) => /^\/assets\/search\.[0-9a-f]{10}\.json$/.test(f.url)), 'the search data is still published');
    const bad = await buildSite(await site('Europe/London', { 'speakers.yml': '- name: Ann Lee\n  bio: Hi\n  twitter: ann\n- bio: nameless\n' }), { now });
    const text = messages(bad).join('\n');
    assert.match(text, /speakers\.yml:3:\d+ error: speaker 1 has no key "twitter"/);
    assert.match(text, /speakers\.yml:4:\d+ error: speaker 2: name is missing: every speaker needs a name/);
    const notList = await buildSite(await site('Europe/London', { 'speakers.yml': 'Ann Lee: hi\n' }), { now });
    assert.match(messages(notList).join('\n'), /speakers\.yml:1:1 error: speakers\.yml must be a list of speakers/);
  });
});
