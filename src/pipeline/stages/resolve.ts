import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { mediaSubpathOf, underMediaSubpath } from '../../content/media-subpath.js';
import type { SiteConfig } from '../../content/config.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import { substituteLiquid } from '../../content/liquid.js';
import type { JekyllLiquid } from '../../content/jekyll-liquid.js';
import { excerptSeparatorOf } from '../../content/jekyll-excerpt.js';
import { withContent } from '../../content/jekyll-layouts.js';
import type { MarkdownEngine, MarkdownToken } from '../../content/markdown.js';
import { frontMatterLine, HTML_FILE, INLINE_STYLE, STYLE_ATTRIBUTE, type ExternalEmbed, type ImageReference, type LinkReference, type Post, type ResolvedBody } from '../../content/post.js';
import { byStart, extractTalks, mergeTalks, postAsTalk, postVideoOf } from '../../talks/talks.js';
import { lineOfYamlKey } from '../../content/yaml.js';
import { embedsPlayers, firstParagraphOfHtml, overHttps, readRawHtml } from '../../content/raw-html.js';
import { checkUrl, URL_POLICY_HINT } from '../../policy/url-policy.js';
import { withNamedIconLinks } from '../../content/icon-links.js';
import { sourceLineMap } from '../../content/line-map.js';
import { MAX_HTML_NESTING } from '../../policy/html-nesting.js';
import { readYouTubeLink, resolveVideoUrl, VIDEO_ID_HINT, type VideoLink } from '../../talks/youtube.js';

/** What the resolve stage needs besides the post: the engine, config and the other posts' URLs. */
export interface ResolveContext {
  markdown: MarkdownEngine;
  config: SiteConfig;
  /** URL path of a post by its file name without extension (for `{% post_url %}`). */
  postUrls: ReadonlyMap<string, string>;
  /** For a Jekyll site, the Liquid engine its posts are rendered with; other sites fill in a fixed table of values. */
  liquid?: JekyllLiquid;
  /** The URL of each post and page by its source path, for links to their Markdown files (see namesInBody); absent in a worker, which is never given such a post. */
  sourceUrls?: ReadonlyMap<string, string>;
}

/** A link's target that is a Markdown file by a relative path (`about.md`, `../posts/x.md#talks`): the path, and what follows it. */
const SOURCE_LINK = /^(?![a-z][a-z0-9+.-]*:|\/|#)([^?#]+\.(?:md|markdown|mkdown|mkdn|mkd))([?#].*)?$/i;

/**
 * A relative link to a post's or page's Markdown file (`[About](about.md)`), as the address that
 * file is published at, as jekyll-relative-links makes it: the file's Markdown is not published,
 * so the link as written leads nowhere. Undefined for any other link.
 */
function sourceLinkUrl(href: string, from: string, sourceUrls: ReadonlyMap<string, string> | undefined): string | undefined {
  const link = sourceUrls && SOURCE_LINK.exec(href);
  if (!link) return undefined;
  let target: string;
  try {
    target = path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURIComponent(link[1]!)));
  } catch {
    return undefined;
  }
  const url = sourceUrls.get(target);
  return url === undefined ? undefined : url + (link[2] ?? '');
}

const EXCERPT_LENGTH = 200;

/** Prefixes the base URL to a root-relative link (`/images/x.jpeg`), leaving every other link alone. */
export function withBaseUrl(url: string, baseurl: string): string {
  if (!baseurl || !url.startsWith('/') || url.startsWith('//')) return url;
  if (url === baseurl || url.startsWith(baseurl + '/')) return url;
  return baseurl + url;
}

/** Turns a link or image token the URL policy refused into plain text. */
function unlinkedText(token: MarkdownToken, text: string): void {
  token.type = 'text';
  token.tag = '';
  token.attrs = null;
  token.children = null;
  token.content = text;
}

/**
 * Prefixes the base URL to root-relative links and images, and lists the images (marking each
 * `<img>` so the render stage can give it its responsive variants). An image without a text
 * alternative is a warning: it is how a screen-reader user meets the photo.
 */
function rewriteLinksAndImages(tokens: MarkdownToken[], post: Post, baseurl: string, sourceUrls: ReadonlyMap<string, string> | undefined, diagnostics: Diagnostics,
  mediaSubpath: string | undefined): { images: ImageReference[]; links: LinkReference[] } {
  const images: ImageReference[] = [];
  const links: LinkReference[] = [];
  for (const block of tokens) {
    if (!block.children) continue;
    let line = post.bodyLine + (block.map?.[0] ?? 0);
    let refusedLink = false;
    for (const token of block.children) {
      if (token.type === 'softbreak' || token.type === 'hardbreak') line++;
      if (token.type === 'link_close' && refusedLink) {
        unlinkedText(token, '');
        refusedLink = false;
      }
      const attr = token.type === 'link_open' ? 'href' : token.type === 'image' ? 'src' : undefined;
      if (!attr) continue;
      const written = String(token.attrGet(attr) ?? '');
      // A relative image of a post with a media folder (Chirpy's media_subpath) is in that folder.
      const value = token.type === 'image' ? underMediaSubpath(written, mediaSubpath) : written;
      const verdict = checkUrl(value);
      if (!verdict.ok) {
        diagnostics.warning('R301', post.file, line, undefined, `${token.type === 'image' ? 'image' : 'link'} removed: ${verdict.reason}`, URL_POLICY_HINT);
        // The link's text (or the image's description) stays, as plain text.
        unlinkedText(token, token.type === 'image' ? plainText(token) : '');
        if (token.type === 'link_open') refusedLink = true;
        continue;
      }
      if (token.type !== 'image') {
        const href = withBaseUrl(sourceLinkUrl(value, post.file, sourceUrls) ?? value, baseurl);
        token.attrSet(attr, href);
        links.push({ href, line });
        continue;
      }
      token.attrSet(attr, withBaseUrl(overHttps('src', value), baseurl));
      const alt = plainText(token).trim();
      if (!alt) {
        diagnostics.warning('R302', post.file, line, undefined, `image ${value} has no text alternative`,
          'describe the photo in the brackets, e.g. ![The audience at the March meetup](/images/photo.jpeg)');
      }
      token.attrSet('data-recap-image', String(images.length));
      images.push({ src: value, alt, line });
    }
  }
  return { images, links };
}

/** The line of an offset in a text whose first line is `firstLine` (a binary search over its line breaks, so many lookups stay linear). */
function lineFinder(text: string, firstLine: number): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return firstLine + lo;
  };
}

/**
 * Reads the post's raw HTML as a browser would: URL attributes the URL policy refuses are removed
 * (with a warning at their line), and scripts, frames and objects from other hosts, and inline
 * scripts, are listed for `recap check` (a reviewer should see them), as are the addresses it
 * links and loads, with their lines, so a broken one is reported where it was written.
 */
function inspectRawHtml(tokens: MarkdownToken[], post: Post, jekyll: boolean, diagnostics: Diagnostics): { embeds: ExternalEmbed[]; links: LinkReference[]; players: Array<{ videoId: string; start: number | undefined; line: number }> } {
  const embeds: ExternalEmbed[] = [];
  const links: LinkReference[] = [];
  const players: Array<{ videoId: string; start: number | undefined; line: number }> = [];
  const seenStyles = new Set<string>();
  const unnamed = new Set<string>();
  const inspect = (token: MarkdownToken, line: number): void => {
    const reading = readRawHtml(token.content);
    const lineAt = lineFinder(token.content, line);
    if (reading.tooDeep) {
      diagnostics.problem(jekyll, 'R316', post.file, line, undefined, `raw HTML whose elements nest more than ${MAX_HTML_NESTING} deep (browsers nest no deeper)`, 'left out',
        'close the elements the HTML opens (</div>, </pre>), or write it in Markdown');
    }
    for (const refused of reading.refused) {
      diagnostics.warning('R301', post.file, lineAt(refused.offset), undefined, `<${refused.tag} ${refused.attribute}> removed: ${refused.reason}`, URL_POLICY_HINT);
    }
    for (const image of reading.unnamedImages) {
      // Once for each photo (a site's include shows one in a loop).
      if (unnamed.has(image.src)) continue;
      unnamed.add(image.src);
      diagnostics.warning('R302', post.file, lineAt(image.offset), undefined, `image ${image.src || '(no src)'} has no text alternative`, 'give the <img> an alt="..." that says what it shows (alt="" for a decoration)');
    }
    for (const embed of reading.embeds) embeds.push({ tag: embed.tag, src: embed.src, line: lineAt(embed.offset) });
    for (const address of reading.addresses) links.push({ href: address.url, line: lineAt(address.offset) });
    for (const video of reading.videos) players.push({ ...video, line });
    // Each style once (a post of 50,000 alike style= attributes keeps one entry, not 50,000).
    for (const [tag, styles] of [[INLINE_STYLE, reading.styles.elements], [STYLE_ATTRIBUTE, reading.styles.attributes]] as const) {
      for (const style of styles) {
        if (!seenStyles.has(`${tag}\0${style.hash}`)) embeds.push({ tag, src: style.hash, line: lineAt(style.offset) });
        seenStyles.add(`${tag}\0${style.hash}`);
      }
    }
    token.content = reading.html;
  };
  for (const block of tokens) {
    const line = post.bodyLine + (block.map?.[0] ?? 0);
    if (block.type === 'html_block') inspect(block, line);
    let inlineLine = line;
    for (const child of block.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') inlineLine++;
      if (child.type === 'html_inline') inspect(child, inlineLine);
    }
  }
  return { embeds, links, players };
}

function plainText(inline: MarkdownToken): string {
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A post's excerpt, as plain text of at most EXCERPT_LENGTH characters: as Jekyll's excerpt is, the
 * paragraphs above its excerpt separator (`<!--more-->`, the post's or a Jekyll site's
 * `excerpt_separator`; every paragraph where its body does not hold it), up to the separator in a
 * paragraph it cuts; else the first paragraph with text (Jekyll's default separator is a blank line).
 */
function excerptText(tokens: MarkdownToken[], separator: string | undefined, html: string): string {
  // Text written as HTML in a Markdown file (a page's `<main><div><p>...`) has its first paragraph in that HTML.
  return clipped((separator && textAbove(tokens, separator)) || firstParagraphText(tokens) || firstParagraphOfHtml(html));
}

/** Text cut to EXCERPT_LENGTH characters at most, at a word's end. */
function clipped(text: string): string {
  return text.length > EXCERPT_LENGTH ? text.slice(0, EXCERPT_LENGTH - 1).replace(/\s+\S*$/, '') + '…' : text;
}

function firstParagraphText(tokens: MarkdownToken[]): string {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i]!.type === 'paragraph_open' && tokens[i + 1]!.type === 'inline') {
      const text = plainText(tokens[i + 1]!);
      if (text) return text;
    }
  }
  return '';
}

/** The text of the paragraphs above a separator (in an HTML block, or in a paragraph's text or HTML): all of them where no token holds it. */
function textAbove(tokens: MarkdownToken[], separator: string): string {
  const texts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'html_block' && token.content.includes(separator)) break;
    if (token.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open') continue;
    const cut = (token.children ?? []).findIndex((child) => child.content.includes(separator));
    if (cut < 0) {
      texts.push(plainText(token));
      continue;
    }
    const children = token.children!.slice(0, cut);
    const part = token.children![cut]!;
    if (part.type === 'text') children.push({ ...part, content: part.content.slice(0, part.content.indexOf(separator)) } as MarkdownToken);
    texts.push(plainText({ ...token, children } as MarkdownToken));
    break;
  }
  return texts.filter(Boolean).join(' ');
}

/** The excerpt separator a Jekyll post's text is cut at, unless it is white space (Jekyll's default, a blank line, which ends the first paragraph). */
function visibleSeparatorOf(post: Post, config: ResolveContext['config']): string | undefined {
  const separator = config.jekyll ? excerptSeparatorOf(post, config.jekyll.site['excerpt_separator']) : '';
  return separator.trim() === '' ? undefined : separator;
}

/** The front matter's `video:` as a YouTube video, with a warning that shows the corrected URL when it was malformed. */
function resolveFrontMatterVideo(post: Post, diagnostics: Diagnostics): VideoLink | undefined {
  if (!post.data.video) return undefined;
  const { video, badId } = readYouTubeLink(post.data.video) ?? {};
  if (video?.malformed || badId !== undefined) {
    const at = lineOfYamlKey(post.matterText, ['video']);
    const line = at ? frontMatterLine(at.line) : undefined;
    if (video?.malformed) diagnostics.warning('R303', post.file, line, at?.column, `malformed YouTube video: ${video.malformed}`, `write it as ${video.canonicalUrl}`);
    else diagnostics.warning('R303', post.file, line, at?.column, `YouTube video with "${badId}" where the video id goes: it leads to no video`, VIDEO_ID_HINT);
  }
  return video;
}

/** An HTML page's body: HTML already, so only the URL policy and the list of embeds apply. */
function resolveHtmlPage(post: Post, body: string, jekyll: boolean, diagnostics: Diagnostics): ResolvedBody {
  const token = { type: 'html_block', content: body, map: [0, 0], children: null } as unknown as MarkdownToken;
  const { embeds, links } = inspectRawHtml([token], post, jekyll, diagnostics);
  return { html: token.content, excerpt: clipped(firstParagraphOfHtml(token.content)), talks: [], video: undefined, images: [], links, embeds, players: embedsPlayers(token.content) };
}

/**
 * Resolve stage: fills in the Jekyll values, parses the body to Markdown tokens, finds its talks,
 * rewrites its links, and renders it to HTML. The tokens never leave this function.
 */
export function resolveBody(post: Post, context: ResolveContext, diagnostics: Diagnostics): ResolvedBody {
  const made = resolveOwnBody(post, context, diagnostics);
  const body = post.layoutText && context.liquid ? inItsLayout(made, post, post.layoutText, context.liquid, diagnostics) : made;
  const html = withNamedIconLinks(body.html);
  return html === body.html ? body : { ...body, html };
}


/**
 * A body put in its page's own Jekyll layout (Post.layoutText): the layout's Liquid rendered for
 * the page, read as raw HTML is (the URL policy, embeds), and the body's HTML where it said
 * `{{ content }}`. The body keeps its excerpt and talks; its links and embeds are joined by the layout's.
 */
function inItsLayout(body: ResolvedBody, post: Post, layout: NonNullable<Post['layoutText']>, liquid: JekyllLiquid, diagnostics: Diagnostics): ResolvedBody {
  // Where its `{{ content }}` is while its Liquid runs and its HTML is read: a comment no front matter can guess.
  const marker = `<!--recap-content-${randomUUID()}-->`;
  const text = withContent(layout.text, marker);
  const rendered = liquid.render({ ...post, bodyFile: layout.file, bodyLine: layout.bodyLine }, text, diagnostics);
  // What reading its HTML finds is the layout's, at no line of it (its Liquid has run), for this page.
  const found = new Diagnostics();
  const frame = resolveHtmlPage(post, rendered, true, found);
  for (const problem of found.list) diagnostics.list.push({ code: problem.code, severity: problem.severity, file: layout.file, message: `${problem.message} (in ${post.url})`, ...(problem.hint === undefined ? {} : { hint: problem.hint }) });
  // The body goes in once, where the layout first says so: a `{{ content }}` in a loop would repeat it thousands of times over.
  const [before, ...after] = frame.html.split(marker);
  const html = after.length === 0 ? before! : `${before!}${body.html}${after.join('')}`;
  const links = body.links.concat(frame.links.map((link) => ({ ...link, file: layout.file })));
  const embeds = body.embeds.concat(frame.embeds.map((embed) => ({ ...embed, file: layout.file })));
  return { ...body, html, excerpt: body.excerpt || frame.excerpt, links, embeds, players: embedsPlayers(html) };
}

/** A post's own body, before any layout of its own is put around it. */
function resolveOwnBody(post: Post, context: ResolveContext, diagnostics: Diagnostics): ResolvedBody {
  const { config } = context;
  const body = context.liquid ? context.liquid.render(post, post.body, diagnostics) : substituteLiquid(
    post.body,
    { baseurl: config.baseurl, url: config.url, title: config.title, postUrl: (name) => context.postUrls.get(name) },
    post.file,
    post.bodyLine,
    diagnostics,
  );
  if (body === post.body) return resolveText(post, body, context, diagnostics);
  // Liquid changed the text: what reading it finds is reported, and remembered, at the lines of the source that made it.
  const found = new Diagnostics();
  const resolved = resolveText(post, body, context, found);
  const lineMap = sourceLineMap(post.body, body);
  const atSource = (line: number) => {
    if (line < post.bodyLine) return { line, exact: true };
    const at = lineMap(line - post.bodyLine);
    return { line: post.bodyLine + at.line, exact: at.exact };
  };
  for (const problem of found.list) {
    if (problem.file !== post.file || problem.line === undefined) {
      diagnostics.list.push(problem);
      continue;
    }
    const { column, ...rest } = problem;
    const at = atSource(problem.line);
    diagnostics.list.push(at.exact && column !== undefined ? { ...rest, line: at.line, column } : { ...rest, line: at.line });
  }
  const moved = <T extends { line: number; file?: string }>(items: T[]): T[] => items.map((item) => (item.file === undefined ? { ...item, line: atSource(item.line).line } : item));
  return { ...resolved, talks: moved(resolved.talks), images: moved(resolved.images), links: moved(resolved.links), embeds: moved(resolved.embeds) };
}

/** A post's own body from its text after Liquid: read as HTML (an HTML page) or as Markdown. */
function resolveText(post: Post, body: string, context: ResolveContext, diagnostics: Diagnostics): ResolvedBody {
  const { config } = context;
  if (HTML_FILE.test(post.file)) return resolveHtmlPage(post, body, config.jekyll !== undefined, diagnostics);
  const tokens = context.markdown.parse(body);
  const { images, links } = rewriteLinksAndImages(tokens, post, config.baseurl, context.sourceUrls, diagnostics, config.jekyll ? mediaSubpathOf(post.data) : undefined);
  const raw = inspectRawHtml(tokens, post, config.jekyll !== undefined, diagnostics);
  const frontMatterVideo = resolveFrontMatterVideo(post, diagnostics);
  const talkContext = { file: post.file, bodyLine: post.bodyLine, diagnostics, video: frontMatterVideo, lenient: config.jekyll !== undefined, postTitle: post.title };
  const found = extractTalks(tokens, talkContext);
  const listed = post.data.talks ?? [];
  const merged = listed.length === 0 ? found.sort(byStart) : mergeTalks(found, listed, frontMatterVideo ?? postVideoOf(undefined, found),
    frontMatterLine(lineOfYamlKey(post.matterText, ['talks'])?.line ?? 1), talkContext);
  // A post that is one talk names its recording in its front matter, or embeds it once (an iframe, {% youtube %}).
  const embedded = !frontMatterVideo && raw.players.length === 1 ? raw.players[0]! : undefined;
  const recording = frontMatterVideo ?? (embedded && resolveVideoUrl(`https://www.youtube.com/watch?v=${embedded.videoId}&t=${embedded.start ?? 0}`));
  const recordingLine = embedded?.line ?? frontMatterLine(lineOfYamlKey(post.matterText, ['video'])?.line ?? 1);
  const asTalk = merged.length === 0 && recording ? postAsTalk(post.data, recording, post.title, recordingLine) : undefined;
  const talks = asTalk ? [asTalk] : merged;
  const html = context.markdown.render(tokens);
  return { html, excerpt: excerptText(tokens, visibleSeparatorOf(post, config), html), talks, video: postVideoOf(frontMatterVideo, talks), images, links: links.concat(raw.links), embeds: raw.embeds, players: embedsPlayers(html) };
}
