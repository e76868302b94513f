import type { SiteDate } from '../content/dates.js';
import type { MeetupEvent } from '../content/events.js';
import type { Post, ResolvedBody } from '../content/post.js';
import { unsafeOutputReason } from '../policy/output-policy.js';
import { embedsPlayers, readRawHtml } from '../content/raw-html.js';
import { EVENT_STATUSES, urlValuesOf } from '../content/schema.js';
import { checkUrl } from '../policy/url-policy.js';

/** Elements and attributes the Markdown renderer writes when raw HTML is off: a cached body with any other is not one Recap made. */
const MARKDOWN_TAGS = new Set(['p', 'a', 'img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'em', 'strong', 'code', 'pre', 'blockquote', 'hr', 'br', 's',
  'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const MARKDOWN_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'id', 'class', 'start', 'style', 'data-recap-image']);

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
  if (!Array.isArray(post.categories) || !post.categories.every(isString)) return false;
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
  if (event === null || typeof event !== 'object' || !isValidSiteDate(event.start) || (event.end !== undefined && !isValidSiteDate(event.end))) return false;
  if (!isString(event.venue) || !isString(event.address) || !EVENT_STATUSES.includes(event.status)) return false;
  if ((event.price !== undefined && !isNumber(event.price)) || (event.currency !== undefined && !isString(event.currency))) return false;
  return [event.rsvp, event.livestream].every((url) => url === undefined || (isString(url) && checkUrl(url).ok));
}

/**
 * True when a resolved body read from the cache has the shape the resolve stage makes, holds no
 * URL the URL policy refuses, and — when raw HTML is off — only what the Markdown renderer writes.
 */
export function isValidCachedBody(value: unknown, rawHtml: boolean): value is ResolvedBody {
  const body = value as Partial<ResolvedBody> | null;
  if (body === null || typeof body !== 'object' || !isString(body.html) || !isString(body.excerpt) || body.players !== embedsPlayers(body.html)) return false;
  if (![body.talks, body.images, body.links, body.embeds].every(Array.isArray)) return false;
  if (!body.talks!.every((talk) => isString(talk?.url) && isString(talk.embedUrl) && isString(talk.videoId) && isNumber(talk.start) && checkUrl(talk.url).ok
    && (talk.slides === undefined || (isString(talk.slides) && checkUrl(talk.slides).ok)))) return false;
  if (!body.images!.every((image) => isString(image?.src) && checkUrl(image.src).ok) || !body.links!.every((link) => isString(link?.href))) return false;
  if (body.video !== undefined && !(isString(body.video?.canonicalUrl) && checkUrl(body.video.canonicalUrl).ok)) return false;
  const plain = isMarkdownShaped(body.html);
  if (plain !== undefined) return plain;
  if (!rawHtml) return false;
  // A body with raw HTML of its own: read it as the resolve stage does.
  return readRawHtml(body.html).refused.length === 0;
}

const TAGS = /<(\/?)([a-z][a-z0-9]*)((?:\s[a-z-]+="[^"<>]*")*)\s*\/?>/.source;
const OTHER_ATTRIBUTE = new RegExp(`\\s(?!(?:${[...MARKDOWN_ATTRIBUTES].join('|')})=")[a-z-]+=`);
const URL_ATTRIBUTE = /\s(?:href|src)="([^"]*)"/.source;

/**
 * A linear check for the common case: HTML exactly as the Markdown renderer writes it (every `<`
 * opens a known element whose attributes are known and double-quoted; text escapes its own `<`),
 * which a browser can only read one way. True when it is that and its URLs pass the policy, false
 * when it is that shape but a URL fails, undefined when it has other markup (raw HTML).
 */
function isMarkdownShaped(html: string): boolean | undefined {
  let next = html.indexOf('<');
  // Made once per body, not per tag: a pattern made (or copied by matchAll) per tag was most of this check's cost.
  const tags = new RegExp(TAGS, 'g');
  const urls = new RegExp(URL_ATTRIBUTE, 'g');
  for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
    if (tag.index !== next || !MARKDOWN_TAGS.has(tag[2]!)) return undefined;
    next = html.indexOf('<', tags.lastIndex);
    const attributes = tag[3]!;
    if (attributes === '') continue;
    if (OTHER_ATTRIBUTE.test(attributes)) return undefined;
    urls.lastIndex = 0;
    for (let url = urls.exec(attributes); url; url = urls.exec(attributes)) if (!checkUrl(url[1]!).ok) return false;
  }
  return next === -1 ? true : undefined;
}
