import { hash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { SiteConfig } from '../../content/config.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import type { ResolvedPost } from '../../content/post.js';
import type { TemplateHelpers, TemplateRenderer } from '../../views/renderer.js';
import { lineOfYamlKey } from '../../content/yaml.js';
import { frontMatterLine, isFramedAsRecap } from '../../content/post.js';
import { postMeta, postView, type PageMeta, type PostView, type TagRefs } from '../../views/views.js';
import type { EventView } from '../../content/events.js';
import type { SpeakerDirectory } from '../../content/speakers.js';
import { embedsPlayers, VIDEO_MARKER } from '../../content/raw-html.js';
import { canonicalVideoUrl, embedVideoUrl } from '../../talks/youtube.js';
import type { Memo } from '../../incremental/memo.js';

/** A post rendered: its view and its full page. */
export interface RenderedPost {
  post: ResolvedPost;
  view: PostView;
  /** Changes whenever anything the view says changes ('' in a one-off build in memory, which compares none). */
  token: string;
  /**
   * The whole page; '' once a one-off build has handed its bytes to the manifest (so thousands of
   * page strings are not all alive at once); undefined when the template failed (reported).
   */
  page: string | undefined;
}

/** Everything the render stage shares across posts. */
export interface RenderContext {
  config: SiteConfig;
  site: Record<string, unknown>;
  /** Stands for everything `site` holds, in memo keys. */
  siteKey: string;
  renderer: TemplateRenderer;
  helpers: TemplateHelpers;
  /** Each post's social image URL, by source file. */
  socialImages: ReadonlyMap<string, string>;
  views: ViewMemo;
  /** The people `speakers.yml` describes, for linking talks to speaker pages. */
  speakers: SpeakerDirectory;
  /** The tags' references, shared by every view that shows a tag. */
  tags: TagRefs;
  /** Layout names already reported missing in this build. */
  unknownLayouts: Set<string>;
  /** What each post was resolved from (its body's key, URL and date): it stands for the post in memo keys. */
  postKeys: ReadonlyMap<ResolvedPost, string>;
}

/** A post's template view and head facts, with a token that changes only when they do. */
export interface PostViews {
  view: PostView;
  meta: PageMeta;
  token: string;
}

/**
 * Post views, with their tokens where lists are kept between builds: recap serve keeps the views
 * themselves (a post whose inputs did not change keeps the very same view objects, which the
 * render memo then keys by a short token); recap build keeps only the tokens, in its page store.
 */
export class ViewMemo {
  /** `tokenize`: whether views get tokens at all (a one-off build in memory compares none). */
  constructor(private readonly memo: Memo<PostViews> | undefined, private readonly tokens: WeakMap<object, string> | undefined, private readonly tokenize: boolean) {}

  /**
   * The views of a post, made once per post version (`key` stands for everything they depend on).
   * The token is a hash of what the view says, so a body edit that leaves a post's card unchanged
   * leaves every list showing it unchanged too. The head facts are not hashed: they follow from
   * the view and the site's settings, which every memo and store holding tokens is bound to.
   */
  of(key: string, make: () => Omit<PostViews, 'token'>): PostViews {
    let views = this.memo?.get(key);
    if (!views) {
      const made = make();
      views = { ...made, token: this.tokenize ? hash('sha1', JSON.stringify(made.view), 'base64') : '' };
      this.memo?.set(key, views);
    }
    this.tokens?.set(views.view, `view:${views.token}`);
    this.tokens?.set(views.meta, `meta:${views.token}`);
    return views;
  }
}

/** An `<img>` the resolve stage rendered from Markdown, marked with its index in the post's images. */
const IMAGE_MARKER = /<img src="[^"]*" alt="[^"]*"(?: title="[^"]*")? data-recap-image="(\d+)">/g;

/** The mark left on a Markdown image that IMAGE_MARKER does not take: one with attributes of its own after its text. */
const MARKED_WITH_ATTRIBUTES = / data-recap-image="\d+">/g;

/** Replaces each YouTube player a post embedded in raw HTML with the theme's click-to-play facade (partials/video.njk). */
function withVideoFacades(html: string, view: PostView, context: RenderContext, diagnostics: Diagnostics): string {
  if (!embedsPlayers(html)) return html;
  return html.replace(VIDEO_MARKER, (marker, videoId: string, start: string) => {
    const at = start === '' ? undefined : Number(start);
    const video = { videoId, url: canonicalVideoUrl(videoId, at), embedUrl: embedVideoUrl(videoId, at) };
    return context.renderer.render('partials/video.njk', { site: context.site, post: { title: view.title, image: undefined, video } }, diagnostics, `video\0${videoId}\0${start}\0${view.title}`)?.trim() ?? marker;
  });
}

/** A paragraph of nothing but Markdown images (one per line, or side by side): a photo or a gallery, with captions. */
const IMAGE_PARAGRAPH = /<p>((?:\s*<img src="[^"]*" alt="[^"]*"(?: title="[^"]*")? data-recap-image="\d+">\s*)+)<\/p>/g;

/**
 * Replaces each Markdown image of the body with the theme's responsive picture: a paragraph of
 * images alone becomes captioned photos (partials/body-image.njk), a gallery when there are
 * several; an image inside text stays a picture in the text.
 */
function withPictures(post: ResolvedPost, context: RenderContext, diagnostics: Diagnostics): string {
  if (post.body.images.length === 0) return post.body.html;
  const imageOf = (index: string) => {
    const image = post.body.images[Number(index)];
    return image && context.helpers.imageData(image.src) ? image : undefined;
  };
  const photos = post.body.html.replace(IMAGE_PARAGRAPH, (paragraph, inner: string) => {
    const images = [...inner.matchAll(/data-recap-image="(\d+)"/g)].map((m) => imageOf(m[1]!));
    if (images.some((image) => !image)) return paragraph;
    const key = images.map((image) => `${image!.src}\0${image!.alt}`).join('\0');
    return context.renderer.render('partials/body-image.njk', { site: context.site, images }, diagnostics, key)?.trim() ?? paragraph;
  });
  return photos.replace(IMAGE_MARKER, (tag, index: string) => {
    const image = imageOf(index);
    // Remote and missing images stay as Markdown made them, loading lazily.
    if (!image) return tag.replace(/ data-recap-image="\d+">$/, ' loading="lazy" decoding="async">');
    return context.renderer.render('partials/inline-image.njk', { site: context.site, image }, diagnostics, `${image.src}\0${image.alt}`)?.trim() ?? tag;
  })
    // One with attributes of its own (kramdown's `{: width="300" .left}`) keeps them, loading lazily: withRawPictures gives it its sources.
    .replace(MARKED_WITH_ATTRIBUTES, ' loading="lazy" decoding="async">');
}

/** What withRawPictures reads of a body, in one pass: `<picture>` openings and closings, and `<img>` tags (Markdown's are marked, and made pictures by withPictures). */
const PICTURE_OR_IMAGE = /<picture\b[^>]*>|<\/picture\s*>|<img\s[^>]*>/gi;

/** The attributes withRawPictures reads, each quoted either way or not at all. */
const ATTRIBUTES = new Map(['src', 'srcset', 'sizes', 'width', 'height'].map((name) => [name, new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i')]));

/** An attribute's value in a tag the resolve stage read, entities decoded. */
function attributeOf(tag: string, name: 'src' | 'srcset' | 'sizes' | 'width' | 'height'): string | undefined {
  const value = ATTRIBUTES.get(name)!.exec(tag);
  return value ? decodeHTML(value[1] ?? value[2] ?? value[3] ?? '') : undefined;
}

/**
 * Gives each `<img>` of a post's own HTML that shows one of the site's photos (a Jekyll post's
 * `<img src="/assets/img/x.jpg" width="300">`) the photo's AVIF and WebP sources and, where the
 * tag gives no size, its width and height (no layout shift), at the widths its `sizes` (or its
 * `width`) says it is shown: partials/raw-image.njk, the tag otherwise kept as the author wrote it. One with a srcset of its own, or inside a <picture>,
 * stays as it is.
 */
function withRawPictures(html: string, context: RenderContext, diagnostics: Diagnostics): string {
  if (!html.includes('<img')) return html;
  let pictures = 0;
  return html.replace(PICTURE_OR_IMAGE, (tag: string) => {
    if (tag[1] === '/') pictures = Math.max(0, pictures - 1);
    else if (tag[1] === 'p' || tag[1] === 'P') pictures++;
    if (pictures > 0 || !/^<img/i.test(tag) || tag.includes(' data-recap-image=') || attributeOf(tag, 'srcset') !== undefined) return tag;
    const src = attributeOf(tag, 'src');
    const image = src === undefined ? undefined : context.helpers.imageData(src);
    if (!image) return tag;
    const width = attributeOf(tag, 'width');
    const sized = width !== undefined || attributeOf(tag, 'height') !== undefined ? tag : tag.replace(/^<img/i, `<img width="${image.width}" height="${image.height}"`);
    // Shown as its own `sizes` says (a gallery's thumbnails), else at its own width, or the page's where that is narrower (a phone).
    const sizes = attributeOf(tag, 'sizes') ?? (width !== undefined && /^\d+$/.test(width.trim()) ? `(max-width: ${width.trim()}px) 100vw, ${width.trim()}px` : undefined);
    return context.renderer.render('partials/raw-image.njk', { site: context.site, image, tag: sized, sizes }, diagnostics, `raw-image\0${sized}`)?.trim() ?? tag;
  });
}

/**
 * The layout a post renders in: its own, or the default, said the first time a missing layout is
 * named: a warning on a Recap site (a misspelt layout), a note on a Jekyll site, whose theme's
 * layout names Recap's theme stands in for by design (so `--strict` builds a `jekyll new` site).
 */
export function layoutTemplate(post: ResolvedPost, context: RenderContext, diagnostics: Diagnostics): string {
  const fallback = isFramedAsRecap(post) ? 'post' : 'page';
  // A meetup document that names no layout is a page only by default: it is shown as a recap.
  const name = `${post.data.layout === undefined && post.kind === 'page' ? fallback : post.layout}.njk`;
  const { renderer } = context;
  // A post in no layout (see Post.noLayout) names none to report; renderPost never asks for one.
  if (post.noLayout) return `${fallback}.njk`;
  if (renderer.isLayout(name)) return name;
  // A migrated site names its Jekyll layouts in every post: one warning per layout name is enough.
  // A page rendered in its own layout (Post.layoutText) is framed by the theme, as that layout's own frame would frame it: nothing to say.
  if (!context.unknownLayouts.has(post.layout) && post.layoutText === undefined) {
    context.unknownLayouts.add(post.layout);
    const at = lineOfYamlKey(post.matterText, ['layout']);
    const report = context.config.jekyll ? diagnostics.note.bind(diagnostics) : diagnostics.warning.bind(diagnostics);
    // A Jekyll theme's `archive` or `talks` layout (academicpages' publications and CV) is no list of Recap's: the page's own text is shown.
    const what = renderer.has(name)
      ? `"${post.layout}" is the template of a page Recap makes itself, not a layout`
      : context.config.jekyll ? `Recap's theme stands in for the layout "${post.layout}"` : `no layout named "${post.layout}"`;
    report('R502', post.file, at ? frontMatterLine(at.line) : undefined, at?.column,
      `${what}; using "${fallback}" here and wherever else it is named`, `layouts available: ${renderer.layouts().join(', ')} (Recap's theme stands in for Jekyll's _layouts; one that makes what a page shows is rendered inside it)`);
  }
  return `${fallback}.njk`;
}

/** Title and URL of a neighbouring post, for "newer" and "older" links. */
export interface Neighbour {
  title: string;
  url: string;
}

/** A post's newer and older neighbours (none for a page, or at either end). */
export interface Neighbours {
  next?: Neighbour;
  previous?: Neighbour;
}

/** A post's views (what lists show of it, and its page's head facts), with its event as it stands at this build. */
function postViewsOf(post: ResolvedPost, event: EventView | undefined, context: RenderContext): PostViews {
  const socialImage = context.socialImages.get(post.file);
  // A view also shows where its event stands (which changes with the clock) and the speakers' names and pages.
  const key = `${post.file}\0${context.postKeys.get(post)}\0${socialImage}\0${event?.phase}\0${event?.countdown}\0${context.speakers.digest}`;
  return context.views.of(key, () => {
    const made = postView(post, socialImage, event, context.speakers, context.tags);
    return { view: made, meta: postMeta(made, context.config, context.helpers) };
  });
}

/** What lists show of a post, made alone (no head facts, no token): for a kept page whose list is made again. */
export function listViewOf(post: ResolvedPost, event: EventView | undefined, context: RenderContext): PostView {
  return postView(post, context.socialImages.get(post.file), event, context.speakers, context.tags);
}

/** Render stage for one post: its body HTML in the post's Nunjucks layout, its event (if any) as it stands at this build. */
export function renderPost(post: ResolvedPost, neighbours: Neighbours, event: EventView | undefined, context: RenderContext, diagnostics: Diagnostics): RenderedPost {
  const { view, meta, token } = postViewsOf(post, event, context);
  // A Jekyll page in no layout (a landing page that is a whole document) is its own text, as Jekyll publishes it.
  if (post.noLayout) return { post, view, token, page: post.body.html };
  const layout = layoutTemplate(post, context, diagnostics);
  // A post page is decided by its views, its resolved body (which names other posts' URLs) and its neighbours.
  const key = token && `${token}\0${context.postKeys.get(post)}\0${neighbours.next?.url}\0${neighbours.next?.title}\0${neighbours.previous?.url}\0${neighbours.previous?.title}\0${context.siteKey}`;
  const page = context.renderer.render(layout, {
    site: context.site,
    meta,
    post: view,
    content: withVideoFacades(withRawPictures(withPictures(post, context, diagnostics), context, diagnostics), view, context, diagnostics),
    next: neighbours.next,
    previous: neighbours.previous,
  }, diagnostics, key);
  return { post, view, token, page };
}
