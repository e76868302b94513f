import { hash } from 'node:crypto';
import { escapeAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { nestingBounded } from '../policy/html-nesting.js';
import { checkUrl } from '../policy/url-policy.js';
import { resolveVideoUrl } from '../talks/youtube.js';
import { EVENT_HANDLER, MEDIA_EMBED } from './post.js';

/** Attributes whose value a browser loads or follows as a URL. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'data', 'cite', 'background', 'longdesc', 'ping', 'xlink:href', 'codebase', 'manifest', 'lowsrc', 'dynsrc', 'icon', 'srcset', 'imagesrcset']);
/** Elements that run or frame another document. */
const EMBEDDING = new Set(['script', 'iframe', 'frame', 'embed', 'object']);
/** Elements whose `src` a page plays (CSP's `media-src`): a recording or a podcast on another host. */
const MEDIA = new Set(['video', 'audio', 'source', 'track']);

const SITE = 'https://recap.invalid';
/** Elements that may scroll sideways on a phone (the theme's stylesheet), so take focus (as Markdown's tables and code do). */
const SCROLLERS = new Set(['pre', 'table']);

/** A URL attribute the URL policy refused (and that was removed). */
export interface RefusedAttribute {
  tag: string;
  attribute: string;
  value: string;
  reason: string;
  /** Offset of the tag in the HTML that was read. */
  offset: number;
}

/** A script, frame, object, stylesheet or media file in raw HTML: from another host, or an inline script. */
export interface FoundEmbed {
  tag: string;
  /** Where it loads from, as written; `inline` for a script with its code in the page. */
  src: string;
  offset: number;
}

/** An inline style in raw HTML: its CSP hash source and where it starts. */
export interface InlineStyle {
  hash: string;
  offset: number;
}

/** The CSP source that allows an inline style or script of exactly this text (`'sha256-...'`). */
export function cspHashOf(text: string): string {
  return `'sha256-${hash('sha256', text, 'base64')}'`;
}

/** What reading a piece of raw HTML found: the HTML with refused URL attributes removed, and its embeds. */
export interface RawHtmlReading {
  html: string;
  refused: RefusedAttribute[];
  embeds: FoundEmbed[];
  /**
   * The inline styles a Content-Security-Policy must allow for the HTML to look as written, as CSP
   * sources (`'sha256-...'`): of each `<style>` element's text, and of each `style=` attribute.
   */
  styles: { elements: InlineStyle[]; attributes: InlineStyle[] };
  /** Every address a URL attribute holds that the URL policy lets through, so `recap check` can name its line. */
  addresses: Array<{ url: string; offset: number }>;
  /** Images with no `alt` at all (`alt=""` marks one as decoration) nor another name or role: what a screen reader cannot tell. */
  unnamedImages: Array<{ src: string; offset: number }>;
  /** YouTube players the HTML embedded, replaced by markers the render stage turns into the click-to-play facade. */
  videos: Array<{ videoId: string; start: number | undefined }>;
  /** Names of every element in it, and of every attribute. */
  tags: Set<string>;
  attributes: Set<string>;
  /** True when its elements nest past MAX_HTML_NESTING: it was not read to its end, and `html` is empty. */
  tooDeep: boolean;
}

function urlsOf(attribute: string, value: string): string[] {
  if (attribute === 'srcset' || attribute === 'imagesrcset') return value.split(',').map((entry) => entry.trim().split(/\s+/)[0] ?? '').filter(Boolean);
  return [value];
}

function refreshTarget(attributes: Record<string, string>): string | undefined {
  if (attributes['http-equiv']?.trim().toLowerCase() !== 'refresh') return undefined;
  return /url\s*=\s*['"]?([^'"]*)/i.exec(attributes['content'] ?? '')?.[1];
}

/** The marker the render stage replaces with the video facade (partials/video.njk). */
function videoMarker(videoId: string, start: number | undefined): string {
  return `<recap-video data-id="${videoId}" data-start="${start ?? ''}"></recap-video>`;
}

/** Finds the markers in rendered HTML: the video id and the start. */
export const VIDEO_MARKER = /<recap-video data-id="([\w-]{11})" data-start="(\d*)"><\/recap-video>/g;

/** True when HTML holds a YouTube player's marker (see VIDEO_MARKER). */
export function embedsPlayers(html: string): boolean {
  return html.includes('<recap-video ');
}

/** The title a frame without one is given: "Embedded content from HOST" for another host's page, else "Embedded content". */
function frameTitleOf(src: string | undefined): string {
  try {
    const url = new URL(src?.trim() ?? '', `${SITE}/page/`);
    return src !== undefined && url.origin !== SITE && url.host !== '' ? `Embedded content from ${url.host}` : 'Embedded content';
  } catch {
    return 'Embedded content';
  }
}

/** The attributes of each element that a page loads as an image (CSP's `img-src`): what browsers load over HTTPS on an HTTPS page. */
const IMAGE_LOADS: Record<string, readonly string[]> = { img: ['src', 'srcset'], source: ['srcset'], video: ['poster'] };

/**
 * An image's address over plain HTTP given as HTTPS (each of a srcset's), as every current browser
 * loads it on an HTTPS page: the site's policy lets images load over HTTPS only, so a theme's
 * `http://i1.ytimg.com/...` thumbnail was refused even on the local preview. (A recording's host
 * is named in the policy as written, so it plays either way.)
 */
export function overHttps(attribute: string, value: string): string {
  return attribute.endsWith('srcset') ? value.replace(/(^|,)(\s*)http:\/\//gi, '$1$2https://') : value.replace(/^(\s*)http:\/\//i, '$1https://');
}

/** True when a browser would load this address from another host (after entity decoding, with `\\`, spaces and case as browsers read them). */
export function isForeign(src: string): boolean {
  try {
    return new URL(src.trim(), `${SITE}/page/`).origin !== SITE;
  } catch {
    return false;
  }
}

/**
 * Reads raw HTML as a browser would (a real HTML parser, entities decoded): removes every URL
 * attribute the URL policy refuses, and lists scripts, frames and objects that load from
 * another host, and inline scripts, so a reviewer sees them. A `<pre>` or `<table>` takes focus
 * (`tabindex="0"`), as Markdown's do, since it may scroll on a phone; an `<iframe>` without a
 * title gets one naming its host, which screen readers announce.
 */
export function readRawHtml(html: string): RawHtmlReading {
  const refused: RefusedAttribute[] = [];
  const embeds: FoundEmbed[] = [];
  const addresses: RawHtmlReading['addresses'] = [];
  const styles: RawHtmlReading['styles'] = { elements: [], attributes: [] };
  let styleText: { start: number; at: number } | undefined;
  const tags = new Set<string>();
  const attributeNames = new Set<string>();
  const rewrites: Array<{ start: number; end: number; text: string }> = [];
  const videos: RawHtmlReading['videos'] = [];
  const unnamedImages: RawHtmlReading['unnamedImages'] = [];
  let player: { start: number; videoId: string; at: number | undefined } | undefined;
  let tooDeep = false;
  const parser: Parser = new Parser(nestingBounded({
    onopentag(name, attributes) {
      tags.add(name);
      for (const attribute of Object.keys(attributes)) attributeNames.add(attribute);
      const start = parser.startIndex;
      const bad = new Set<string>();
      for (const [attribute, value] of Object.entries(attributes)) {
        if (!URL_ATTRIBUTES.has(attribute) && !(attribute === 'content' && refreshTarget(attributes) !== undefined)) continue;
        const urls = attribute === 'content' ? [refreshTarget(attributes)!] : urlsOf(attribute, value);
        for (const url of urls) {
          const verdict = checkUrl(url);
          if (!verdict.ok) {
            refused.push({ tag: name, attribute, value, reason: verdict.reason, offset: start });
            bad.add(attribute);
            break;
          }
        }
        if (!bad.has(attribute)) for (const url of urls) addresses.push({ url, offset: start });
      }
      if (name === 'link' && /\bstylesheet\b/i.test(attributes['rel'] ?? '') && attributes['href'] !== undefined && !bad.has('href') && isForeign(attributes['href'])) {
        embeds.push({ tag: 'stylesheet', src: attributes['href'], offset: start });
      }
      if (EMBEDDING.has(name)) {
        const src = attributes['src'] ?? attributes['data'];
        const youtubePlayer = name === 'iframe' && src !== undefined && resolveVideoUrl(src) !== undefined;
        if (src !== undefined && !bad.has('src') && !bad.has('data') && isForeign(src) && !youtubePlayer) embeds.push({ tag: name, src, offset: start });
        if (name === 'script' && src === undefined) embeds.push({ tag: name, src: 'inline', offset: start });
      }
      // An event handler (`onerror=`, `onclick=`) is code, as an inline script is.
      for (const attribute of Object.keys(attributes)) if (/^on[a-z]+$/i.test(attribute)) embeds.push({ tag: EVENT_HANDLER, src: attribute.toLowerCase(), offset: start });
      // A <source src> is a media element's (a picture's sources have srcset only).
      if (MEDIA.has(name) && attributes['src'] !== undefined && !bad.has('src') && isForeign(attributes['src'])) embeds.push({ tag: MEDIA_EMBED, src: attributes['src'], offset: start });
      if (name === 'img' && attributes['alt'] === undefined && !attributes['aria-label']?.trim() && !attributes['aria-labelledby'] && attributes['aria-hidden'] !== 'true' && !/^(?:presentation|none)$/i.test(attributes['role'] ?? '')) {
        unnamedImages.push({ src: attributes['src'] ?? '', offset: start });
      }
      if (attributes['style'] !== undefined && attributes['style'].trim() !== '') styles.attributes.push({ hash: cspHashOf(attributes['style']), offset: start });
      // A style element's text is hashed as the browser reads it: the source between its tags, as written.
      if (name === 'style') styleText = { start: parser.endIndex + 1, at: start };
      const video = name === 'iframe' && attributes['src'] !== undefined && !bad.has('src') ? resolveVideoUrl(attributes['src']) : undefined;
      if (video) player = { start, videoId: video.videoId, at: video.start };
      const insecure = (IMAGE_LOADS[name] ?? []).filter((attribute) => attributes[attribute] !== undefined && !bad.has(attribute) && overHttps(attribute, attributes[attribute]!) !== attributes[attribute]);
      const unfocusable = SCROLLERS.has(name) && attributes['tabindex'] === undefined;
      // A frame is announced by its title: one without (a calendar, a form, a map) is named after where it comes from.
      const untitled = name === 'iframe' && !video && !attributes['title']?.trim();
      if (bad.size > 0 || unfocusable || untitled || insecure.length > 0) {
        const kept = Object.entries(attributes)
          .filter(([attribute]) => !bad.has(attribute) && !(untitled && attribute === 'title'))
          .map(([attribute, value]): [string, string] => [attribute, insecure.includes(attribute) ? overHttps(attribute, value) : value]);
        if (unfocusable) kept.push(['tabindex', '0']);
        if (untitled) kept.push(['title', frameTitleOf(bad.has('src') ? undefined : attributes['src'])]);
        const selfClosing = html.slice(start, parser.endIndex + 1).endsWith('/>');
        const text = `<${name}${kept.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('')}${selfClosing ? ' /' : ''}>`;
        rewrites.push({ start, end: parser.endIndex + 1, text });
      }
    },
    onclosetag(name) {
      if (name === 'style' && styleText) {
        styles.elements.push({ hash: cspHashOf(html.slice(styleText.start, parser.startIndex)), offset: styleText.at });
        styleText = undefined;
      }
      if (name !== 'iframe' || !player) return;
      // A YouTube player becomes the privacy-respecting facade: nothing loads from YouTube before a click.
      rewrites.push({ start: player.start, end: parser.endIndex + 1, text: videoMarker(player.videoId, player.at) });
      videos.push({ videoId: player.videoId, start: player.at });
      player = undefined;
    },
  }, () => parser, () => { tooDeep = true; }), { decodeEntities: true, recognizeSelfClosing: true });
  parser.end(html);
  if (tooDeep) return { html: '', refused, embeds, addresses, styles, tags, attributes: attributeNames, videos: [], unnamedImages, tooDeep };
  // Rewrites never overlap but a player's replaces its own opening tag's: taken outermost first, from the end,
  // then written from the start in one pass (splicing each into the whole text made 20,000 of them take minutes).
  const ordered = rewrites.sort((a, b) => b.start - a.start || b.end - a.end);
  const taken: typeof rewrites = [];
  let limit = Number.POSITIVE_INFINITY;
  for (const rewrite of ordered) {
    if (rewrite.end > limit) continue;
    taken.push(rewrite);
    limit = rewrite.start;
  }
  const pieces: string[] = [];
  let from = 0;
  for (const rewrite of taken.reverse()) {
    pieces.push(html.slice(from, rewrite.start), rewrite.text);
    from = rewrite.end;
  }
  pieces.push(html.slice(from));
  return { html: pieces.join(''), refused, embeds, addresses, styles, tags, attributes: attributeNames, videos, unnamedImages, tooDeep };
}

/** The text of the first paragraph (`<p>`) with words in it of some HTML, entities decoded and white space folded: an HTML post's excerpt. */
export function firstParagraphOfHtml(html: string): string {
  let depth = 0;
  let text = '';
  let done = false;
  const parser: Parser = new Parser(nestingBounded({
    onopentag(name) {
      if (!done && (name === 'p' || depth > 0)) depth++;
    },
    ontext(chunk) {
      if (depth > 0) text += chunk;
    },
    onclosetag() {
      if (depth > 0 && --depth === 0) {
        // An empty one (`<p></p>`, or a `<p>` a nested one closed at once) is passed by.
        if (text.trim() === '') return void (text = '');
        done = true;
        parser.pause();
      }
    },
  }, () => parser, () => { done = true; }), { decodeEntities: true });
  parser.end(html);
  return text.replace(/\s+/g, ' ').trim();
}
