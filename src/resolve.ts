import type { SiteConfig } from './config.js';
import { Diagnostics } from './diagnostics.js';
import { substituteLiquid } from './liquid.js';
import type { MarkdownEngine, MarkdownToken } from './markdown.js';
import { frontMatterLine, type ExternalEmbed, type ImageReference, type LinkReference, type Post, type ResolvedBody } from './post.js';
import { byStart, extractTalks, mergeTalks, postVideoOf } from './talks.js';
import { lineOfYamlKey } from './yaml.js';
import { resolveVideoUrl, type VideoLink } from './youtube.js';

/** What the resolve stage needs besides the post: the engine, config and the other posts' URLs. */
export interface ResolveContext {
  markdown: MarkdownEngine;
  config: SiteConfig;
  /** URL path of a post by its file name without extension (for `{% post_url %}`). */
  postUrls: ReadonlyMap<string, string>;
}

const EXCERPT_LENGTH = 200;

/** Prefixes the base URL to a root-relative link (`/images/x.jpeg`), leaving every other link alone. */
export function withBaseUrl(url: string, baseurl: string): string {
  if (!baseurl || !url.startsWith('/') || url.startsWith('//')) return url;
  if (url === baseurl || url.startsWith(baseurl + '/')) return url;
  return baseurl + url;
}

/**
 * Prefixes the base URL to root-relative links and images, and lists the images (marking each
 * `<img>` so the render stage can give it its responsive variants). An image without a text
 * alternative is a warning: it is how a screen-reader user meets the photo.
 */
function rewriteLinksAndImages(tokens: MarkdownToken[], post: Post, baseurl: string, diagnostics: Diagnostics): { images: ImageReference[]; links: LinkReference[] } {
  const images: ImageReference[] = [];
  const links: LinkReference[] = [];
  for (const block of tokens) {
    if (!block.children) continue;
    let line = post.bodyLine + (block.map?.[0] ?? 0);
    for (const token of block.children) {
      if (token.type === 'softbreak' || token.type === 'hardbreak') line++;
      const attr = token.type === 'link_open' ? 'href' : token.type === 'image' ? 'src' : undefined;
      if (!attr) continue;
      const value = String(token.attrGet(attr) ?? '');
      token.attrSet(attr, withBaseUrl(value, baseurl));
      if (token.type !== 'image') {
        links.push({ href: withBaseUrl(value, baseurl), line });
        continue;
      }
      const alt = plainText(token).trim();
      if (!alt) {
        diagnostics.warning(post.file, line, undefined, `image ${value} has no text alternative`,
          'describe the photo in the brackets, e.g. ![The audience at the March meetup](/images/photo.jpeg)');
      }
      token.attrSet('data-recap-image', String(images.length));
      images.push({ src: value, alt, line });
    }
  }
  return { images, links };
}

const EMBED = /<(script|iframe|frame|embed|object)\b[^>]*?\s(?:src|data)\s*=\s*["']?([^"'\s>]+)/gi;

/** Scripts, frames and objects in the post's raw HTML that load from another host (a reviewer should see them). */
function externalEmbeds(tokens: MarkdownToken[], post: Post): ExternalEmbed[] {
  const embeds: ExternalEmbed[] = [];
  const scan = (html: string, line: number) => {
    for (const m of html.matchAll(EMBED)) {
      if (/^(https?:)?\/\//i.test(m[2]!)) embeds.push({ tag: m[1]!.toLowerCase(), src: m[2]!, line: line + (html.slice(0, m.index).split('\n').length - 1) });
    }
  };
  for (const block of tokens) {
    const line = post.bodyLine + (block.map?.[0] ?? 0);
    if (block.type === 'html_block') scan(block.content, line);
    for (const child of block.children ?? []) if (child.type === 'html_inline') scan(child.content, line);
  }
  return embeds;
}

function plainText(inline: MarkdownToken): string {
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}

function firstParagraphText(tokens: MarkdownToken[]): string {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i]!.type === 'paragraph_open' && tokens[i + 1]!.type === 'inline') {
      const text = plainText(tokens[i + 1]!);
      if (text) return text.length > EXCERPT_LENGTH ? text.slice(0, EXCERPT_LENGTH - 1).replace(/\s+\S*$/, '') + '…' : text;
    }
  }
  return '';
}

/** The front matter's `video:` as a YouTube video, with a warning that shows the corrected URL when it was malformed. */
function resolveFrontMatterVideo(post: Post, diagnostics: Diagnostics): VideoLink | undefined {
  if (!post.data.video) return undefined;
  const video = resolveVideoUrl(post.data.video);
  if (video?.malformed) {
    const at = lineOfYamlKey(post.matterText, ['video']);
    diagnostics.warning(post.file, at ? frontMatterLine(at.line) : undefined, at?.column, `malformed YouTube video: ${video.malformed}`,
      `write it as ${video.canonicalUrl}`);
  }
  return video;
}

/**
 * Resolve stage: fills in the Jekyll values, parses the body to Markdown tokens, finds its talks,
 * rewrites its links, and renders it to HTML. The tokens never leave this function.
 */
export function resolveBody(post: Post, context: ResolveContext, diagnostics: Diagnostics): ResolvedBody {
  const { config } = context;
  const body = substituteLiquid(
    post.body,
    { baseurl: config.baseurl, url: config.url, title: config.title, postUrl: (name) => context.postUrls.get(name) },
    post.file,
    post.bodyLine,
    diagnostics,
  );
  const tokens = context.markdown.parse(body);
  const { images, links } = rewriteLinksAndImages(tokens, post, config.baseurl, diagnostics);
  const talkContext = { file: post.file, bodyLine: post.bodyLine, diagnostics };
  const found = extractTalks(tokens, talkContext);
  const frontMatterVideo = resolveFrontMatterVideo(post, diagnostics);
  const listed = post.data.talks ?? [];
  const talks = listed.length === 0 ? found.sort(byStart) : mergeTalks(found, listed, frontMatterVideo ?? postVideoOf(undefined, found),
    frontMatterLine(lineOfYamlKey(post.matterText, ['talks'])?.line ?? 1), talkContext);
  return { html: context.markdown.render(tokens), excerpt: firstParagraphText(tokens), talks, video: postVideoOf(frontMatterVideo, talks), images, links, embeds: externalEmbeds(tokens, post) };
}
