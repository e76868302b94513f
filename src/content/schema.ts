import { z } from 'zod';
import { didYouMean } from '../diagnostics/suggest.js';

const text = z.union([z.string(), z.number()]).transform(String);

/** Jekyll accepts YAML 1.1 booleans (`yes`, `off`, ...); so do we for the flags posts use. */
const flag = z.union([
  z.boolean(),
  z.enum(['yes', 'no', 'on', 'off', 'true', 'false', 'Yes', 'No', 'True', 'False']).transform((v) => ['yes', 'on', 'true'].includes(v.toLowerCase())),
]);

/** A list of words: a YAML list, or (as in Jekyll) one string split on white space; numbers and flags become strings. */
const wordList = z
  .union([z.array(z.union([z.string(), z.number(), z.boolean()])), z.string(), z.number(), z.null()])
  .transform((v) => {
    if (v === null) return [];
    if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
    return String(v).split(/\s+/).filter(Boolean);
  });

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

// Other keys of a talk (a Jekyll layout's `description:` or `youtube:`) pass through to Liquid and templates, as the front matter's own do.
/** Where meetup sites keep a talk's own recording when they give it no `url:` (djangolondon's `youtube:`, Cloud Native Linz's `recording:`). */
const RECORDING_KEYS = ['recording', 'youtube', 'video', 'video_url', 'recording_url'] as const;

const talkEntry = z.looseObject({
  title: text,
  speaker: text.optional(),
  affiliation: text.optional(),
  url: z.string().optional(),
  start: z.union([z.string(), z.number()]).optional(),
  slides: z.string().optional(),
}).transform((talk) => {
  if (talk.url !== undefined) return talk;
  const recording = RECORDING_KEYS.map((key) => talk[key]).find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return recording === undefined ? talk : { ...talk, url: recording };
});

/** What an event's `status` may say, as schema.org's EventStatusType has it. */
export const EVENT_STATUSES = ['scheduled', 'cancelled', 'postponed', 'rescheduled', 'online'] as const;

/** The meetup a post announces or recaps: wall-clock times in the site's zone, where, and how to come. */
const eventEntry = z.strictObject({
  start: z.union([z.string(), z.number()]).transform(String),
  end: z.union([z.string(), z.number()]).transform(String).optional(),
  venue: text.optional(),
  address: text.optional(),
  rsvp: z.string().optional(),
  livestream: z.string().optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  price: z.number().min(0).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
});

/** Front-matter keys Recap understands; any other key passes through to templates untouched. */
export const frontMatterSchema = z.looseObject({
  title: text.pipe(z.string().trim().min(1, 'title must not be empty')).optional(),
  description: text.optional(),
  // A line under the title (Beautiful Jekyll's, Clean Blog's and Hux Blog's posts have one).
  subtitle: text.optional(),
  date: z.union([z.string(), z.number()]).transform(String).optional(),
  layout: z.string().regex(/^[A-Za-z0-9_-]+$/, 'layout must be a template name such as "post"').optional(),
  location: text.optional(),
  // jekyll-seo-tag's form, image: {path: ..., alt: ...}, is its path (the alt is read by the parse stage).
  image: z.union([z.string(), z.looseObject({ path: z.string() }).transform((image) => image.path)]).optional(),
  // A recording given with its details, video: {url: ..., title: ...} (as meetup sites and notes write it), is its url.
  video: z.union([z.string(), z.looseObject({ url: z.string() }).transform((video) => video.url)]).optional(),
  tags: wordList.optional(),
  // Jekyll's singular `tag:` (one tag as written, or a list), which wins over `tags:` when both are given.
  tag: z.union([text, z.array(text)]).optional(),
  categories: wordList.optional(),
  // Jekyll takes a list here too (`category: [events, leeds]`), each entry one category as written.
  category: z.union([text, z.array(text)]).optional(),
  published: flag.optional(),
  redirect_from: stringList.optional(),
  redirect_to: z.string().optional(),
  slides: z.string().optional(),
  hide_image: flag.optional(),
  // A blank one (`permalink: ""`) is none: Jekyll would write the post over the home page.
  permalink: z.string().transform((v) => (v.trim() === '' ? undefined : v)).optional(),
  slug: text.optional(),
  talks: z.array(talkEntry).optional(),
  event: eventEntry.optional(),
  /** A page in the site navigation: `true`, or its place (1, 2, ...). */
  nav: z.union([z.boolean(), z.number()]).optional(),
  last_modified_at: z.union([z.string(), z.number()]).transform(String).optional(),
});

/** Validated front matter. */
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** Where a Jekyll site's front matter values that Recap cannot read (a `talks:` entry with no title) are kept as written, for its Liquid alone. */
export const AS_WRITTEN = 'recap_as_written';

/** What each key must look like, in words and with an example, for the messages of a wrong value. */
const EXPECTED: Record<string, string> = {
  title: 'must be text, like title: "Platform Night, March 2024"',
  description: 'must be text, like description: "Three talks on platform engineering"',
  subtitle: 'must be text, like subtitle: "Hosted by the Leeds Library"',
  date: 'must be a date, like date: 2024-03-06 or date: 2024-03-06 18:30',
  layout: 'must be a template name, like layout: post',
  location: 'must be text, like location: Leeds, UK',
  image: 'must be a path or an address, like image: /images/2024-03-06-group.jpeg (or image: {path: /images/2024-03-06-group.jpeg, alt: "The audience"})',
  video: 'must be a YouTube address, like video: https://www.youtube.com/watch?v=VLZIzdmtu-8',
  tags: 'must be a list of words, like tags: [Meetup, "2024"]',
  tag: 'must be a tag or a list of them, like tag: Meetup',
  categories: 'must be a list of words, like categories: [events]',
  category: 'must be a category or a list of them, like category: events',
  published: 'must be true or false',
  hide_image: 'must be true or false',
  redirect_from: 'must be a path or a list of paths, like redirect_from: [/old-url/]',
  redirect_to: 'must be an address, like redirect_to: https://example.org/new/',
  slides: 'must be an address, like slides: https://slides.example/deck',
  permalink: 'must be a URL pattern, like permalink: /:year/:title/',
  slug: 'must be text, like slug: march-meetup',
  talks: 'must be a list of talks, like talks: [{title: "Webhooks", speaker: "Ann Lee", url: "https://youtu.be/VLZIzdmtu-8?t=2606"}]',
  nav: 'must be true, false or a number (its place in the menu)',
  event: 'must be a meetup, like event: {start: 2027-03-03 18:30, end: 2027-03-03 21:00, venue: The Tetley, address: "Hunslet Road, Leeds"}',
  last_modified_at: 'must be a date, like last_modified_at: 2024-03-10',
};

const TALK_EXPECTED: Record<string, string> = {
  title: 'must be text: the talk\'s title',
  speaker: 'must be text, like speaker: Ann Lee',
  affiliation: 'must be text, like affiliation: Acme',
  url: 'must be a YouTube address with its start, like url: https://youtu.be/VLZIzdmtu-8?t=538',
  start: 'must be a time, like start: "8:58" or start: 538',
  slides: 'must be an address, like slides: https://slides.example/deck',
};

const EVENT_EXPECTED: Record<string, string> = {
  start: 'must be a date and time in the site\'s time zone, like start: 2027-03-03 18:30',
  end: 'must be a date and time, like end: 2027-03-03 21:00, or a time that day, like end: "21:00"',
  venue: 'must be text: the place\'s name, like venue: The Tetley',
  address: 'must be text, like address: "Hunslet Road, Leeds LS10 1JQ"',
  rsvp: 'must be an address, like rsvp: https://www.meetup.com/example-group/events/123/',
  livestream: 'must be an address, like livestream: https://www.youtube.com/watch?v=VLZIzdmtu-8',
  status: `must be one of ${EVENT_STATUSES.join(', ')}`,
  price: 'must be a number, like price: 0 for a free meetup',
  currency: 'must be a currency code, like currency: GBP',
};

/** Explains a schema failure in words a post author understands, with an example of a right value. */
export function describeIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>): string {
  const key = issue.path.map(String).join('.');
  const [top, index, field] = issue.path;
  if (issue.path.length === 1 && data[String(top)] === undefined) return `missing required key "${key}"`;
  if (top === 'talks' && typeof index === 'number') {
    if (field === undefined) return `talks[${index}] must be a talk, like {title: "Webhooks", speaker: "Ann Lee"}`;
    const talk = (data['talks'] as Array<Record<string, unknown>>)[index];
    if (talk?.[String(field)] === undefined) return `talks[${index}] has no ${String(field)}: every talk needs one`;
    return `talks[${index}].${String(field)} ${TALK_EXPECTED[String(field)] ?? issue.message}`;
  }
  if (top === 'event' && issue.code === 'unrecognized_keys') {
    const known = Object.keys(EVENT_EXPECTED);
    return issue.keys.map((k) => {
      const near = didYouMean(k, known);
      return `event has no key "${k}"${near ? ` (did you mean "${near}"?)` : ''}; it knows ${known.join(', ')}`;
    }).join('; ');
  }
  if (top === 'event' && typeof index === 'string') {
    if ((data['event'] as Record<string, unknown> | undefined)?.[index] === undefined) return `event has no ${index}: every event needs one, like start: 2027-03-03 18:30`;
    return `event.${index} ${EVENT_EXPECTED[index] ?? issue.message}`;
  }
  const expected = EXPECTED[String(top)];
  if (expected && issue.path.length >= 1) return `${String(top)} ${expected}`;
  return `"${key}": ${issue.message}`;
}

/** Front-matter keys whose values are URLs (besides the talks' `url` and `slides`). */
const URL_KEYS = ['image', 'video', 'slides', 'redirect_to'] as const;
/** Keys Recap does not know whose names say they hold a URL; templates may put them in an attribute. */
const URL_LIKE_KEY = /url|link|href|src|rsvp|slides|image|photo|logo|video|stream|website|ticket|register|signup|map/i;

/** Every key the schema knows: their values are checked by the schema and by URL_KEYS, not by name. */
const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.keys(frontMatterSchema.shape));

/** A URL-valued front-matter string, with where it sits. */
export interface FrontMatterUrl {
  path: Array<string | number>;
  value: string;
}

function stringsIn(value: unknown, path: Array<string | number>, out: FrontMatterUrl[], depth: number): void {
  if (typeof value === 'string') out.push({ path, value });
  else if (depth > 0 && Array.isArray(value)) value.forEach((item, i) => stringsIn(item, [...path, i], out, depth - 1));
  else if (depth > 0 && value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) stringsIn(item, [...path, key], out, depth - 1);
  }
}

/**
 * Every front-matter value that may reach an attribute as a URL: the URL keys Recap knows, the
 * talks' links, and the strings under any other key whose name says it is a link (`rsvp`,
 * `meetup_url`, ...), so a key a site template uses tomorrow is covered today.
 */
export function urlValuesOf(data: Record<string, unknown>): FrontMatterUrl[] {
  const out: FrontMatterUrl[] = [];
  for (const key of URL_KEYS) if (typeof data[key] === 'string') out.push({ path: [key], value: data[key] as string });
  const talks = data['talks'];
  if (Array.isArray(talks)) {
    talks.forEach((talk, i) => {
      for (const key of ['url', 'slides']) {
        const value = (talk as Record<string, unknown> | null)?.[key];
        if (typeof value === 'string') out.push({ path: ['talks', i, key], value });
      }
    });
  }
  const event = data['event'];
  if (event !== null && typeof event === 'object') {
    for (const key of ['rsvp', 'livestream']) {
      const value = (event as Record<string, unknown>)[key];
      if (typeof value === 'string') out.push({ path: ['event', key], value });
    }
  }
  for (const [key, value] of Object.entries(data)) {
    if (KNOWN_KEYS.has(key)) continue;
    if (URL_LIKE_KEY.test(key)) stringsIn(value, [key], out, 4);
    else if (value !== null && typeof value === 'object') {
      // Nested URL-like keys (`event: {rsvp: ...}`) are links too.
      const nested: FrontMatterUrl[] = [];
      stringsIn(value, [key], nested, 4);
      out.push(...nested.filter((entry) => entry.path.slice(1).some((part) => typeof part === 'string' && URL_LIKE_KEY.test(part))));
    }
  }
  return out;
}

/** Removes the value at a path from front matter (a refused URL is dropped, not kept). */
export function removeAt(data: Record<string, unknown>, path: ReadonlyArray<string | number>): void {
  let parent: unknown = data;
  for (const part of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[part];
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (parent !== null && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[last];
}
