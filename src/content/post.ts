import { UNDATED, type SiteDate } from './dates.js';
import type { MeetupEvent } from './events.js';
import type { FrontMatter } from './schema.js';
import type { Talk } from '../talks/talks.js';
import type { VideoLink } from '../talks/youtube.js';

/**
 * The files a post or page is written in, as Jekyll reads them: Markdown under any of its default
 * extensions (`md`, `markdown`, `mkdown`, `mkdn`, `mkd`), or HTML (`html`, `htm`, `xhtml`).
 */
export const CONTENT_FILE = /\.(md|markdown|mkdown|mkdn|mkd|html|htm|xhtml)$/i;

/** An HTML post or page, whose body is not Markdown. */
export const HTML_FILE = /\.(html|htm|xhtml)$/i;

/** A Markdown file, by the extensions Jekyll reads as Markdown. */
export const MARKDOWN_FILE = /\.(md|markdown|mkdown|mkdn|mkd)$/i;

/** What a body names besides itself, which its HTML then depends on. */
export interface BodyNames {
  /** Liquid tags or output (`{% %}`, `{{ }}`): a Jekyll site renders them. */
  liquid: boolean;
  /** A link to another post's or page's Markdown file (`[About](about.md)`), which the resolve stage makes the URL it is published at. */
  sources: boolean;
  /** `post_url`, another post's URL by its file name. */
  postUrl: boolean;
}

/** What a body names besides itself (see BodyNames). */
export function namesInBody(body: string): BodyNames {
  return {
    liquid: body.includes('{{') || body.includes('{%'),
    sources: /\.(?:md|markdown|mkdown|mkdn|mkd)(?:[?#][^\s)]*)?(?:\)|\s|$)/im.test(body),
    postUrl: body.includes('post_url'),
  };
}

/** A post after the parse stage: validated front matter, date and URL, body not yet Markdown. */
export interface Post {
  /** Site-relative source path, e.g. `posts/2024-03-06-x.md`. */
  file: string;
  digest: string;
  /** File name without extension, as `{% post_url %}` names it (for a page, its path below pages/). */
  id: string;
  draft: boolean;
  /** A dated post, or a standalone page (never in lists, feeds or tags). */
  kind: 'post' | 'page';
  /** The Jekyll collection a page is a document of (`events` for `_events/x.md`). */
  collection?: string;
  data: FrontMatter;
  /** The YAML between the fences; its line 1 is line 2 of the file. */
  matterText: string;
  title: string;
  /** Set on a page whose title is Recap's alone (from its file name, or the site's at /): a Jekyll site's Liquid sees it untitled, as Jekyll's page. */
  untitled?: true;
  /**
   * Set on a Jekyll site's page or post that Jekyll publishes in no layout: its layout (its own, or its
   * defaults') is null, empty, `none` or `null`, or it is an HTML file that names none (a landing page
   * that is a whole document of its own). It is published as its own text, not in Recap's theme.
   */
  noLayout?: true;
  /**
   * A Jekyll page's or post's own site layout, where it makes what the page shows (see
   * layoutTextOf): its text, HTML with Liquid, is rendered around the body, which goes where it
   * says `{{ content }}`; its lines are counted in `file`.
   */
  layoutText?: { text: string; file: string; bodyLine: number };
  /** The file the body's lines are in (`bodyLine` counts there), where that is not the post's own (a layout's text, as Liquid renders it). */
  bodyFile?: string;
  description: string;
  date: SiteDate;
  /** URL path without the base URL, e.g. `/2024/03/06/x/`. */
  url: string;
  tags: string[];
  categories: string[];
  layout: string;
  /** The meetup the post announces or recaps (`event:` in its front matter). */
  event: MeetupEvent | undefined;
  body: string;
  /** 1-based file line of the first body line. */
  bodyLine: number;
}

/** An image the body shows: where it points, its text alternative, and its source line. */
export interface ImageReference {
  src: string;
  alt: string;
  line: number;
}

/** A link in the body (after the base URL was added) and its source line, for `recap check`. */
export interface LinkReference {
  href: string;
  line: number;
  /** The file that line is in, where it is not the page's own (the page's Jekyll layout: see Post.layoutText). */
  file?: string;
}

/**
 * Raw HTML in a post that a Content-Security-Policy must allow: a script, frame, object,
 * stylesheet or media file from another host (`src` its address), an inline script (`src` is `inline`), or an
 * inline style (`tag` is INLINE_STYLE or STYLE_ATTRIBUTE, `src` its CSP hash source).
 */
export interface ExternalEmbed {
  tag: string;
  src: string;
  line: number;
  /** The file that wrote it, where it is not the page's own (the page's Jekyll layout: its line is then not known). */
  file?: string;
}

/** The `tag` of an ExternalEmbed that is a `<style>` element's text. */
export const INLINE_STYLE = 'style';
/** The `tag` of an ExternalEmbed that is a `style=` attribute. */
export const STYLE_ATTRIBUTE = 'style attribute';
/** The `tag` of an ExternalEmbed that is an event handler (`<img onerror="...">`), its `src` the attribute's name: code that runs, as an inline script's. */
export const EVENT_HANDLER = 'event handler';
/** The `tag` of an ExternalEmbed that is a video, audio or caption file from another host (`<video src>`, `<source src>`). */
export const MEDIA_EMBED = 'media';

/** What the resolve stage learns from a post's body: its HTML, excerpt, talks, video and images. */
export interface ResolvedBody {
  /** The body as HTML, links checked and rewritten. */
  html: string;
  /** Plain-text excerpt of the first paragraph, for descriptions and cards. */
  excerpt: string;
  /** The talks, by start time. */
  talks: Talk[];
  /** The recording the post is about: its `video:`, or the video its talks link to. */
  video: VideoLink | undefined;
  /** Markdown images, in order; the HTML marks each `<img>` with `data-recap-image="INDEX"`. */
  images: ImageReference[];
  /** Markdown links, in order. */
  links: LinkReference[];
  /** Scripts, frames and objects from other hosts in the post's raw HTML. */
  embeds: ExternalEmbed[];
  /** True when the HTML embeds YouTube players (made click-to-play by the render stage): known without the HTML, which a build may let go of. */
  players: boolean;
}

/** A post after the resolve stage. Its source text is gone: what it said is in `body`. */
export interface ResolvedPost extends Omit<Post, 'body'> {
  body: ResolvedBody;
}

/** 1-based file line of a line in the front matter text. */
export function frontMatterLine(line: number): number {
  return line + 1;
}

/** Whether a page is the site's own page at `/` (a Jekyll site's index.md): the introduction atop Recap's first home page, not a page of its own. */
export function isHomeIntroduction(post: Pick<Post, 'kind' | 'url'>): boolean {
  return post.kind === 'page' && post.url === '/';
}

/**
 * Whether a page is a meetup kept as a document of a Jekyll collection (`_events/`, `_talks/`, as
 * meetup sites keep them): dated, and with talks, a recording (`video:`) or an event. Unless its
 * own layout makes it, it is rendered as a recap is, and its talks, speakers, tags and event are
 * listed with the posts' (`/talks/`, speakers' and tags' pages, calendars, search, the home page's
 * announcement); the posts' own lists (the home pages' cards, years, archive, feed) stay Jekyll's
 * `site.posts`.
 */
export function isMeetupDocument(post: Pick<ResolvedPost, 'kind' | 'collection' | 'date' | 'data' | 'event' | 'body'>): boolean {
  return isDatedDocument(post) && (post.body.talks.length > 0 || post.data.video !== undefined || post.event !== undefined);
}

/**
 * Whether a parsed page may be a meetup document (isMeetupDocument), told before its talks are read
 * (the site's menu is made then): its front matter lists talks or names a recording or an event, or
 * its text links to YouTube.
 */
export function mayBeMeetupDocument(post: Post): boolean {
  return isDatedDocument(post) && (post.data.talks !== undefined || post.data.video !== undefined || post.event !== undefined || /youtu\.?be/i.test(post.body));
}

/** Whether a page is a dated document of a Jekyll collection (an undated one is dated when it is built, which says nothing of it). */
function isDatedDocument(post: Pick<Post, 'kind' | 'collection' | 'date'>): boolean {
  return post.kind === 'page' && post.collection !== undefined && post.date.epochMs !== UNDATED.epochMs;
}

/** Whether a post or page is shown as a recap (its date, recording and talks: `post.njk`): a post, or a meetup document whose own layout does not make what it shows. */
export function isFramedAsRecap(post: Pick<ResolvedPost, 'kind' | 'collection' | 'date' | 'data' | 'event' | 'body' | 'layoutText'>): boolean {
  return post.kind === 'post' || (post.layoutText === undefined && isMeetupDocument(post));
}
