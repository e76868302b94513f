import { EVENT_HANDLER, INLINE_STYLE, MEDIA_EMBED, STYLE_ATTRIBUTE } from '../content/post.js';

/**
 * The hosts a site's posts and pages load scripts, frames, objects, stylesheets and media from (origins
 * such as `https://platform.twitter.com`), and the CSP hashes of their inline styles.
 */
export interface EmbedHosts {
  script: string[];
  frame: string[];
  object: string[];
  style: string[];
  /** Where videos, audio and their captions play from. */
  media: string[];
  /** Of `<style>` elements' text and of `style=` attributes: `'sha256-...'` sources, sorted. */
  inlineStyles: { elements: string[]; attributes: string[] };
}

/** The most inline styles listed by hash: a longer header passes hosts' limits (Cloudflare's 2,000 characters a line), so past it styles are let inline. */
const MAX_STYLE_HASHES = 20;
/** A CSP hash source as Recap writes them (cspHashOf): nothing else can reach the policy from a cache entry. */
const HASH_SOURCE = /^'sha256-[A-Za-z0-9+/]{43}='$/;

/** The inline style sources of `style-src`: their hashes (`'unsafe-hashes'` first where attributes need it), or `'unsafe-inline'` past MAX_STYLE_HASHES. */
function inlineStyleSources({ elements, attributes }: EmbedHosts['inlineStyles']): string[] {
  if (elements.length + attributes.length > MAX_STYLE_HASHES) return ["'unsafe-inline'"];
  return [...(attributes.length > 0 ? ["'unsafe-hashes'"] : []), ...new Set([...elements, ...attributes])];
}

/** The kinds of CSP source an embedded element from another host needs. */
type EmbedKind = Exclude<keyof EmbedHosts, 'inlineStyles'>;

/** The kind of CSP source an embedded element needs. */
function embedKind(tag: string): EmbedKind {
  if (tag === 'script') return 'script';
  if (tag === 'stylesheet') return 'style';
  if (tag === 'object' || tag === 'embed') return 'object';
  if (tag === MEDIA_EMBED) return 'media';
  return 'frame';
}

/**
 * The Content-Security-Policy of a site: everything from the site itself, photos from anywhere
 * over HTTPS (posts may show remote images), the privacy-enhanced YouTube player in frames, and
 * exactly the hosts the site's posts and pages load scripts, frames, objects, stylesheets and media from
 * (computed from the build, so a migrated site's embeds keep working and nothing else is allowed),
 * and the inline styles their raw HTML has, by hash (a `jekyll new` site's 404 page has a
 * `<style>`; a post's `<p style="text-align: center">`). Theme scripts are files, never inline;
 * JSON-LD is data, which CSP lets be.
 */
export function contentSecurityPolicy(hosts: EmbedHosts): string {
  const list = (values: string[]) => values.map((v) => ` ${v}`).join('');
  return [
    "default-src 'self'",
    "img-src 'self' data: https:",
    `script-src 'self'${list(hosts.script)}`,
    `style-src 'self'${list(hosts.style)}${list(inlineStyleSources(hosts.inlineStyles))}`,
    // A script from another host may frame its own (a tweet's widgets.js frames platform.twitter.com, SpeakerDeck's its player).
    `frame-src https://www.youtube-nocookie.com${list([...new Set([...hosts.frame, ...hosts.script])].filter((h) => h !== 'https://www.youtube-nocookie.com'))}`,
    hosts.object.length ? `object-src${list(hosts.object)}` : "object-src 'none'",
    ...(hosts.media.length ? [`media-src 'self'${list(hosts.media)}`] : []),
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}


/** A content-hashed file's name, as Recap makes them: `style.1a2b3c4d5e.css`, `x-960.1a2b3c4d5e.avif`, a social card's `0123456789abcdef.jpg`. */
const CONTENT_HASHED = /(?:\.[0-9a-f]{10}|\/[0-9a-f]{16})\.[a-z0-9]+$/;

/** Cloudflare Pages reads at most 100 rules: the cache rules stay well within that. */
const MAX_CACHE_RULES = 60;

/**
 * The URL patterns (without the base URL) of the content-hashed files under /assets/ that hosts
 * may cache forever: `/assets/*` where every file there is one (Recap's own sites), and otherwise
 * the widest folders that hold nothing else, then single files, so a site's own
 * `/assets/css/main.css` (a Jekyll site's) is never cached past a change.
 */
export function immutablePatterns(urls: Iterable<string>): string[] {
  const hashed: string[] = [];
  const mixed = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('/assets/')) continue;
    const own = CONTENT_HASHED.test(url);
    if (own) hashed.push(url);
    else for (let at = url.indexOf('/', 1); at !== -1; at = url.indexOf('/', at + 1)) mixed.add(url.slice(0, at + 1));
  }
  const folders = new Set<string>();
  const files: string[] = [];
  for (const url of hashed) {
    let at = url.indexOf('/', 1);
    while (at !== -1 && mixed.has(url.slice(0, at + 1))) at = url.indexOf('/', at + 1);
    if (at === -1) files.push(url);
    else folders.add(`${url.slice(0, at + 1)}*`);
  }
  return [...[...folders].sort(), ...files.sort()].slice(0, MAX_CACHE_RULES);
}

/**
 * `_headers` for hosts that read it (Netlify, Cloudflare Pages): security headers on every page,
 * and for the content-hashed files (`immutable`, see immutablePatterns) a cache that never needs
 * to ask again. HTML and a site's own files keep the hosts' default, which revalidates on every
 * visit (one rule per kind of file, as hosts join the values of a header that several rules set).
 */
export function headersFile(baseurl: string, hosts: EmbedHosts, immutable: readonly string[]): string {
  return [
    `${baseurl}/*`,
    `  Content-Security-Policy: ${contentSecurityPolicy(hosts)}`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: strict-origin-when-cross-origin',
    '',
    ...immutable.flatMap((pattern) => [`${baseurl}${pattern}`, '  Cache-Control: public, max-age=31536000, immutable', '']),
  ].join('\n');
}

/** The origins of the embeds of a build's posts and pages, by the CSP source they need, sorted. */
export function embedHosts(embeds: ReadonlyArray<{ tag: string; src: string }>): EmbedHosts {
  const hosts: Record<EmbedKind, Set<string>> = { script: new Set(), frame: new Set(), object: new Set(), style: new Set(), media: new Set() };
  const inline = { elements: new Set<string>(), attributes: new Set<string>() };
  for (const embed of embeds) {
    if (embed.tag === INLINE_STYLE || embed.tag === STYLE_ATTRIBUTE) {
      if (HASH_SOURCE.test(embed.src)) inline[embed.tag === INLINE_STYLE ? 'elements' : 'attributes'].add(embed.src);
      continue;
    }
    if (embed.src === 'inline' || embed.tag === EVENT_HANDLER) continue;
    let origin: string;
    try {
      origin = new URL(embed.src.trim(), 'https://recap.invalid/').origin;
    } catch {
      continue;
    }
    // Only plain web origins go into the policy: nothing that could add a directive.
    if (/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) hosts[embedKind(embed.tag)].add(origin.toLowerCase());
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    script: sorted(hosts.script), frame: sorted(hosts.frame), object: sorted(hosts.object), style: sorted(hosts.style), media: sorted(hosts.media),
    inlineStyles: { elements: sorted(inline.elements), attributes: sorted(inline.attributes) },
  };
}

/** The headers a `_headers` file gives one URL path (its rules whose pattern matches, in order), as the hosts apply them. */
export function headersForPath(headersText: string, urlPath: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let applies = false;
  for (const line of headersText.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim();
      applies = pattern.endsWith('*') ? urlPath.startsWith(pattern.slice(0, -1)) : urlPath === pattern;
      continue;
    }
    const colon = line.indexOf(':');
    if (applies && colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}
