import type { SiteDate } from '../content/dates.js';
import type { MeetupEvent } from '../content/events.js';
import type { Post, ResolvedBody } from '../content/post.js';
import { unsafeOutputReason } from '../policy/output-policy.js';
import { embedsPlayers, readRawHtml } from '../content/raw-html.js';
import { EVENT_STATUSES, urlValuesOf } from '../content/schema.js';
import { checkUrl } from '../policy/url-policy.js';

/**
 * Elements and attributes the Markdown renderer writes when raw HTML is off (with kramdown's
 * footnotes, definition lists, abbreviations and task lists, and what its attribute lists may set:
 * src/content/kramdown.ts; and `tabindex` on its tables and code, which may scroll): a cached body with any other is not one Recap made.
 */
const MARKDOWN_TAGS = new Set(['p', 'a', 'img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'em', 'strong', 'code', 'pre', 'blockquote', 'hr', 'br', 's',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'div', 'dl', 'dt', 'dd', 'abbr', 'input', 'label']);
const MARKDOWN_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'id', 'class', 'start', 'style', 'data-recap-image', 'target', 'rel', 'lang', 'dir', 'width', 'height', 'role',
  'type', 'checked', 'disabled', 'for', 'tabindex']);

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * True when a parsed post read from the cache has the shape the parse stage makes and passes the
 * same policies a fresh parse applies (its URLs and output paths): the cache is untrusted input.
 */
export function isValidCachedPost(value: unknown): value is Post {
  const post = value as Partial<Post> | null;
  if (post === null || typeof post !== 'object') return false;
  const { date, data } = post;
  if (![post.file, post.digest, post.id, post.title, post.description, post.url, post.layout, post.body, post.matterText].every(isString)) return false;
  if ((post.kind !== 'post' && post.kind !== 'page') || typeof post.draft !== 'boolean' || !isNumber(post.bodyLine) || !Array.isArray(post.tags) || !post.tags.every(isString)) return false;
  if (!Array.isArray(post.categories) || !post.categories.every(isString) || (post.collection !== undefined && !isString(post.collection)) || (post.untitled !== undefined && post.untitled !== true)
    || (post.noLayout !== undefined && post.noLayout !== true)) return false;
  if (!isValidSiteDate(date)) return false;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  if (unsafeOutputReason(post.url!) !== undefined) return false;
  if (post.event !== undefined && !isValidEvent(post.event)) return false;
  const redirects = data.redirect_from;
  if (redirects !== undefined && (!Array.isArray(redirects) || !redirects.every((r) => isString(r) && unsafeOutputReason(r) === undefined))) return false;
  return urlValuesOf(data).every((entry) => checkUrl(entry.value).ok);
}

function isValidSiteDate(date: unknown): boolean {
  const d = date as SiteDate | null;
  return d !== null && typeof d === 'object' && [d.year, d.month, d.day, d.hour, d.minute, d.second, d.epochMs].every(isNumber) && isString(d.iso);
}

function isValidEvent(value: unknown): boolean {
  const event = value as MeetupEvent | null;
  if (event === null || typeof event !== 'object' || !isValidSiteDate(event.start) || (event.end !== undefined && !isValidSiteDate(event.end)) || typeof event.allDay !== 'boolean') return false;
  if (!isString(event.venue) || !isString(event.address) || !EVENT_STATUSES.includes(event.status)) return false;
  if ((event.price !== undefined && !isNumber(event.price)) || (event.currency !== undefined && !isString(event.currency))) return false;
  return [event.rsvp, event.livestream].every((url) => url === undefined || (isString(url) && checkUrl(url).ok));
}

/** A resolved body as the post cache keeps it: its HTML stored apart, read only when a page shows it. */
export type BodyWithoutHtml = Omit<ResolvedBody, 'html'>;

/**
 * True when a resolved body read from the cache (its HTML apart: see isValidCachedHtml) has the
 * shape the resolve stage makes and holds no URL the URL policy refuses.
 */
export function isValidCachedBody(value: unknown): value is BodyWithoutHtml {
  const body = value as Partial<ResolvedBody> | null;
  if (body === null || typeof body !== 'object' || !isString(body.excerpt) || typeof body.players !== 'boolean') return false;
  if (![body.talks, body.images, body.links, body.embeds].every(Array.isArray)) return false;
  if (!body.embeds!.every((embed) => embed?.file === undefined || isString(embed.file))) return false;
  if (!body.talks!.every((talk) => isString(talk?.url) && isString(talk.embedUrl) && isString(talk.videoId) && isNumber(talk.start) && checkUrl(talk.url).ok
    && (talk.slides === undefined || (isString(talk.slides) && checkUrl(talk.slides).ok)))) return false;
  if (!body.images!.every((image) => isString(image?.src) && checkUrl(image.src).ok) || !body.links!.every((link) => isString(link?.href) && (link.file === undefined || isString(link.file)))) return false;
  return body.video === undefined || (isString(body.video?.canonicalUrl) && checkUrl(body.video.canonicalUrl).ok);
}

/**
 * True when a cached body's HTML is what the resolve stage could have made for that body: players
 * where the body says so, no URL the URL policy refuses, and — when raw HTML is off — only what
 * the Markdown renderer writes.
 */
export function isValidCachedHtml(html: string, body: BodyWithoutHtml, rawHtml: boolean): boolean {
  if (body.players !== embedsPlayers(html)) return false;
  const plain = isMarkdownShaped(html);
  if (plain !== undefined) return plain;
  if (!rawHtml) return false;
  // A body with raw HTML of its own: read it as the resolve stage does.
  const reading = readRawHtml(html);
  return !reading.tooDeep && reading.refused.length === 0;
}

/** A known element's name (its whole run of letters and digits: what follows it must be a space, `/` or `>`, so `<abbr>` is not `<a>`). */
const NAME = `<\\/?(?:${[...MARKDOWN_TAGS].join('|')})`;
/** A tag the Markdown renderer writes without attributes. */
const PLAIN_TAG = `${NAME}\\s*\\/?>`;
/** A tag the Markdown renderer writes with attributes: each a space, a lowercase name and a double-quoted value without `<`, `>` or `"`. */
const TAG_WITH_ATTRIBUTES = `${NAME}(?:\\s[a-z-]+="[^"<>]*")+\\s*\\/?>`;
const OTHER_ATTRIBUTE = new RegExp(`\\s(?!(?:${[...MARKDOWN_ATTRIBUTES].join('|')})=")[a-z-]+=`);
const URL_ATTRIBUTE = /\s(?:href|src)="([^"]*)"/.source;

/**
 * A linear check for the common case: HTML exactly as the Markdown renderer writes it (every `<`
 * opens a known element whose attributes are known and double-quoted; text escapes its own `<`),
 * which a browser can only read one way. True when it is that and its URLs pass the policy, false
 * when it is that shape but a URL fails, undefined when it has other markup (raw HTML).
 *
 * Each `<` is matched where it stands by a sticky pattern's `test`, which makes no match object: a
 * post cache holds thousands of bodies of dozens of tags, and a match with its captures per tag was
 * ~50 MB of garbage in a one-post rebuild at 4000 posts. Only a tag with attributes is cut out of
 * the body to look at them. Exported for `test/cache.test.ts`, which holds it to the regular
 * expression over whole tags it replaced.
 */
export function isMarkdownShaped(html: string): boolean | undefined {
  // Made once per body, not per tag: a pattern made (or copied by matchAll) per tag was most of this check's cost.
  const plain = new RegExp(PLAIN_TAG, 'y');
  const withAttributes = new RegExp(TAG_WITH_ATTRIBUTES, 'y');
  const urls = new RegExp(URL_ATTRIBUTE, 'g');
  let end = 0;
  for (let next = html.indexOf('<'); next !== -1; next = html.indexOf('<', end)) {
    plain.lastIndex = next;
    if (plain.test(html)) {
      end = plain.lastIndex;
      continue;
    }
    withAttributes.lastIndex = next;
    if (!withAttributes.test(html)) return undefined;
    end = withAttributes.lastIndex;
    const tag = html.slice(next, end);
    if (OTHER_ATTRIBUTE.test(tag)) return undefined;
    for (let url = urls.exec(tag); url; url = urls.exec(tag)) if (!checkUrl(url[1]!).ok) return false;
  }
  return true;
}
