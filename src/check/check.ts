import { lstatSync, readFileSync } from 'node:fs';
import { Parser } from 'htmlparser2';
import { MAX_HTML_NESTING, nestingBounded } from '../policy/html-nesting.js';
import { activeContentOf } from './active-content.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { isPage, type Manifest, type OutputFile } from '../output/manifest.js';
import { EVENT_HANDLER, INLINE_STYLE, MEDIA_EMBED, STYLE_ATTRIBUTE, type ResolvedPost } from '../content/post.js';

/** What `recap check` learns from one HTML page. */
interface PageFacts {
  file: OutputFile;
  ids: Set<string>;
  duplicateIds: Set<string>;
  /** Every URL the page points at or loads: links, images, srcset entries, stylesheets, scripts. */
  refs: Array<{ url: string; what: string }>;
  title: string;
  description: string | undefined;
  redirect: boolean;
  /** True when its elements nest past MAX_HTML_NESTING: it was read only to there. */
  tooDeep: boolean;
}

const ORIGIN = 'http://recap.invalid';
/** What to do about a page or document nested deeper than browsers nest elements. */
const NESTING_HINT = 'close the elements it opens (</div>, </pre>): browsers nest no deeper either';

function isHtml(file: OutputFile): boolean {
  return file.content !== undefined && isPage(file);
}

/** Reads a page with a real HTML parser (htmlparser2): ids, references, title, description. */
function readPage(file: OutputFile): PageFacts {
  const facts: PageFacts = { file, ids: new Set(), duplicateIds: new Set(), refs: [], title: '', description: undefined, redirect: false, tooDeep: false };
  let inTitle = false;
  const parser: Parser = new Parser(nestingBounded({
    onopentag(name, attrs) {
      if (attrs['id'] !== undefined) {
        if (facts.ids.has(attrs['id'])) facts.duplicateIds.add(attrs['id']);
        facts.ids.add(attrs['id']);
      }
      if (name === 'a' && attrs['href'] !== undefined) facts.refs.push({ url: attrs['href'], what: 'link' });
      if ((name === 'img' || name === 'source' || name === 'script' || name === 'iframe') && attrs['src'] !== undefined) facts.refs.push({ url: attrs['src'], what: name === 'script' ? 'script' : 'image' });
      if ((name === 'img' || name === 'source') && attrs['srcset']) {
        for (const entry of attrs['srcset'].split(',')) facts.refs.push({ url: entry.trim().split(/\s+/)[0]!, what: 'srcset entry' });
      }
      if (name === 'link' && attrs['href'] !== undefined && /\b(stylesheet|icon|alternate)\b/.test(attrs['rel'] ?? '')) facts.refs.push({ url: attrs['href'], what: attrs['rel']! });
      if (name === 'meta' && attrs['name'] === 'description') facts.description = attrs['content'] ?? '';
      if (name === 'meta' && attrs['http-equiv']?.toLowerCase() === 'refresh') facts.redirect = true;
      if (name === 'title') inTitle = true;
    },
    ontext(text) {
      if (inTitle) facts.title += text;
    },
    onclosetag(name) {
      if (name === 'title') inTitle = false;
    },
  }, () => parser, () => { facts.tooDeep = true; }), { decodeEntities: true });
  parser.end(file.content!.toString());
  return facts;
}

/** Percent-decoding that reports malformed escapes instead of throwing. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The build output a reference points at (and its #fragment), or undefined for other hosts and schemes. */
function targetOf(ref: string, page: string, baseurl: string, siteOrigin: string): { url: string; fragment: string } | 'outside' | 'malformed' | undefined {
  if (/^(mailto|tel|sms|javascript|data):/i.test(ref)) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(ref, `${ORIGIN}${baseurl}${page}`);
  } catch {
    return undefined;
  }
  const origin = resolved.origin;
  if (origin !== ORIGIN && origin !== siteOrigin) return undefined;
  const pathname = decoded(resolved.pathname);
  const fragment = decoded(resolved.hash.slice(1));
  if (pathname === undefined || fragment === undefined) return 'malformed';
  if (baseurl && pathname !== baseurl && !pathname.startsWith(`${baseurl}/`)) return 'outside';
  return { url: pathname.slice(baseurl.length) || '/', fragment };
}

function lookup(manifest: Manifest, url: string): OutputFile | undefined {
  return manifest.servedByHosts(url) ?? manifest.get(`${url}/`);
}

/**
 * `recap check`: every internal link, anchor, image, srcset entry and stylesheet of every page
 * must resolve to an output of this build (under the base URL); ids must be unique in a page;
 * pages need a title and a description; raw HTML that loads scripts or frames from other hosts is
 * listed. Problems are reported at the post line that wrote the link where there is one.
 */
export function checkSite(manifest: Manifest, posts: ResolvedPost[], baseurl: string, siteOrigin: string, settingsFile = 'recap.yml'): Diagnostics {
  const diagnostics = new Diagnostics();
  const pages = new Map<string, PageFacts>();
  for (const file of manifest.values()) if (isHtml(file)) pages.set(file.url, readPage(file));
  const postByUrl = new Map(posts.map((p) => [p.url, p]));
  const layoutsReported = new Set<string>();

  for (const facts of pages.values()) {
    const page = facts.file.url;
    const post = postByUrl.get(page);
    // Where each address was written: a line of the post, or the layout that wrote it (Post.layoutText).
    const lines = new Map<string, { line: number; file?: string | undefined }>();
    for (const link of post?.body.links ?? []) if (!lines.has(link.href)) lines.set(link.href, { line: link.line, file: link.file });
    for (const image of post?.body.images ?? []) if (!lines.has(image.src)) lines.set(image.src, { line: image.line });
    const reported = new Set<string>();
    for (const ref of facts.refs) {
      const target = targetOf(ref.url, page, baseurl, siteOrigin);
      if (target === undefined || reported.has(ref.url)) continue;
      const written = lines.get(ref.url) ?? lines.get(ref.url.replace(baseurl, ''));
      // An address a layout wrote is reported at the layout once, for the first page it is on.
      const source = written?.file ?? facts.file.source;
      // (Keyed by the layout and the address alone: where it lands in each page's rendered text differs.)
      if (written?.file !== undefined && layoutsReported.has(`${written.file}\0${ref.url}`)) continue;
      if (written?.file !== undefined) layoutsReported.add(`${written.file}\0${ref.url}`);
      // A layout's line is not known: its Liquid ran (loops, includes) before its HTML was read.
      const where = written?.file === undefined ? written?.line : undefined;
      const at = written === undefined || written.file !== undefined ? ` (in ${page})` : '';
      if (target === 'malformed') {
        reported.add(ref.url);
        diagnostics.error('R603', source, where, undefined, `${ref.what} ${ref.url} has a malformed %-escape${at}`, 'a % in an address must be followed by two hex digits (write a literal % as %25)');
        continue;
      }
      if (target === 'outside') {
        reported.add(ref.url);
        diagnostics.error('R604', source, where, undefined, `${ref.what} ${ref.url} points outside the site's base URL ${baseurl}/${at}`, `write it as ${baseurl}${ref.url}`);
        continue;
      }
      const file = lookup(manifest, target.url);
      if (!file) {
        reported.add(ref.url);
        diagnostics.error('R601', source, where, undefined, `broken ${ref.what}: ${ref.url} is not part of the site${at}`, 'fix the address, or add the page or file it points at');
        continue;
      }
      if (target.fragment && isHtml(file)) {
        const targetFacts = pages.get(file.url);
        if (targetFacts && !targetFacts.ids.has(target.fragment)) {
          reported.add(ref.url);
          diagnostics.error('R602', source, where, undefined, `broken anchor: ${ref.url} has no element with id "${target.fragment}"${at}`, 'heading anchors are the heading text in lower case with dashes');
        }
      }
    }
    if (facts.tooDeep) diagnostics.warning('R609', facts.file.source, undefined, undefined, `${page} nests elements more than ${MAX_HTML_NESTING} deep: checked only to there`, NESTING_HINT);
    for (const id of facts.duplicateIds) diagnostics.warning('R605', facts.file.source, undefined, undefined, `id "${id}" appears more than once in ${page}`, 'two headings with the same text get -1, -2 suffixes; check raw HTML ids');
    // A Jekyll page in no layout is the site's own document, as a copied page is: its head is as its author wrote it.
    if (facts.redirect || post?.noLayout) continue;
    if (!facts.title.trim()) diagnostics.warning('R606', facts.file.source, undefined, undefined, `${page} has no title`);
    if (!facts.description?.trim() && page !== '/404.html') {
      diagnostics.warning('R607', facts.file.source, undefined, undefined, `${page} has no description`, post ? 'add description: to the front matter' : `set description in ${settingsFile}`);
    }
  }
  const layoutEmbeds = new Set<string>();
  for (const post of posts) {
    for (const embed of post.body.embeds) {
      // An inline style (allowed by its hash, see contentSecurityPolicy) or a recording is not code for the reviewer.
      if (embed.tag === INLINE_STYLE || embed.tag === STYLE_ATTRIBUTE || embed.tag === MEDIA_EMBED) continue;
      const what = embed.tag === EVENT_HANDLER ? `raw HTML has an event handler (${embed.src}=), code that runs as an inline script does`
        : embed.src === 'inline' ? 'raw HTML has an inline script' : `raw HTML loads ${/^[aeiou]/.test(embed.tag) ? 'an' : 'a'} ${embed.tag} from another host: ${embed.src}`;
      // One a Jekyll layout wrote is listed at the layout, once, with the first page it is on.
      if (embed.file !== undefined && layoutEmbeds.has(`${embed.file}\0${what}`)) continue;
      if (embed.file !== undefined) layoutEmbeds.add(`${embed.file}\0${what}`);
      diagnostics.warning('R608', embed.file ?? post.file, embed.file === undefined ? embed.line : undefined, undefined, embed.file === undefined ? what : `${what} (in ${post.url})`, 'a reviewer should check that this code and its host are trusted');
    }
  }
  reportActiveCopies(manifest, diagnostics);
  return diagnostics;
}

/** Files copied as they are that a browser opens as a document of the site: pages and SVG pictures. */
const COPIED_DOCUMENT = /\.(?:html?|xhtml|svg)$/i;
/** The largest copied document read for code; a larger one is listed as not checked. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Copied pages and SVGs that hold code (an SVG photo with an `onload=`, a plain HTML page with a
 * script), listed for the reviewer as raw HTML's scripts in posts are: opened at their address,
 * they run on the site's origin.
 */
function reportActiveCopies(manifest: Manifest, diagnostics: Diagnostics): void {
  const hint = 'a reviewer should check that this code is trusted: a photo or an icon needs none';
  for (const file of manifest.values()) {
    if (file.copyFrom === undefined || !COPIED_DOCUMENT.test(file.path)) continue;
    let text: string;
    try {
      if (lstatSync(file.copyFrom).size > MAX_DOCUMENT_BYTES) {
        diagnostics.warning('R608', file.source, undefined, undefined, `${file.url} is not checked for scripts: it is larger than 16 MiB`, hint);
        continue;
      }
      text = readFileSync(file.copyFrom, 'utf8');
    } catch {
      continue;
    }
    const active = activeContentOf(text, /\.svg$/i.test(file.path));
    for (const what of active.found) {
      diagnostics.warning('R608', file.source, undefined, undefined, `${file.url} holds ${what}, which runs on the site's origin when it is opened`, hint);
    }
    if (active.tooDeep) diagnostics.warning('R609', file.source, undefined, undefined, `${file.url} nests elements more than ${MAX_HTML_NESTING} deep: checked for scripts only to there`, NESTING_HINT);
  }
}
