import { inlineMarkdownText } from '../content/inline-text.js';
import { hasTitleHeading } from '../content/jekyll-layouts.js';
import type { SiteConfig } from '../content/config.js';
import type { SiteDate } from '../content/dates.js';
import { isFramedAsRecap, type Post, type ResolvedPost } from '../content/post.js';
import type { TemplateHelpers } from './renderer.js';
import { pictureData, type PhotoCatalog } from '../pipeline/stages/images.js';
import { compareCodeUnits, escapeHtml, pathSlug } from '../content/text.js';
import { checkUrl } from '../policy/url-policy.js';
import { embedVideoUrl, formatClock } from '../talks/youtube.js';
import type { EventStatus, EventView } from '../content/events.js';
import { speakerNames, type SpeakerDirectory, type SpeakerRef } from '../content/speakers.js';

/** A tag as templates link to it. */
export interface TagRef {
  name: string;
  slug: string;
  url: string;
  /** Set on a tag whose name says nothing as a link's whole text (`go`, `more`, `start`): its links carry the hidden words "Posts tagged". */
  vague?: true;
}

/** Link texts that say nothing of where they lead, as search engines and Lighthouse's link-text audit read them (its English list). */
const VAGUE_LINK_TEXTS: ReadonlySet<string> = new Set(['click here', 'click this', 'go', 'here', 'information', 'learn more', 'more', 'more info', 'more information', 'right here', 'read more', 'see more', 'start', 'this']);

/** A talk as templates show it. */
export interface TalkView {
  title: string;
  speaker: string | undefined;
  /** The people `speaker` names, each with their page. */
  speakers: SpeakerRef[];
  affiliation: string | undefined;
  videoId: string;
  start: number;
  /** The start as people write it: `8:58`, `1:29:54`. */
  clock: string;
  url: string;
  embedUrl: string;
  slides: string | undefined;
  /** True when the talk is in the post's own video, so the page's player can jump to it. */
  inPostVideo: boolean;
}

/** The recording a post is about, for the click-to-play player. */
export interface VideoView {
  videoId: string;
  url: string;
  embedUrl: string;
}

/** What templates know of a post: plain data, no Markdown, no source text. */
export interface PostView {
  title: string;
  url: string;
  date: SiteDate;
  description: string;
  /** A line under the title (`subtitle:`), or empty. */
  subtitle: string;
  location: string;
  image: string | undefined;
  /** Text alternative of the post's photo (`image_alt`); empty means decorative. */
  imageAlt: string;
  /** What `og:image` shows: the photo's social crop, a remote image, or a generated card. */
  socialImage: string | undefined;
  hideImage: boolean;
  tags: TagRef[];
  draft: boolean;
  slides: string | undefined;
  /** The post's YouTube recording, when it has one. */
  video: VideoView | undefined;
  /** The front matter's `video:` when it is not a YouTube video (another host). */
  videoLink: string | undefined;
  talks: TalkView[];
  /** The meetup the post announces or recaps, as it stands at build time. */
  event: EventView | undefined;
  /** A standalone page (About, Code of Conduct) rather than a dated recap. */
  page: boolean;
  /** True for a page whose title is Recap's alone (from its file name): its own `<h1>` (a `jekyll new` site's 404.html has one) then stands in for the theme's. */
  untitled: boolean;
  /** True for a Jekyll page whose text its own layout made (see layoutTextOf): that text's `<h1>` (the meetup's title and date) stands in for the theme's too. */
  layoutMade: boolean;
  /** True for such a page whose layout heads it with its title, at whatever level (a video theme's `<h2>{{ page.title }}</h2>`): the theme shows no heading of its own above it. */
  titledByLayout: boolean;
  /** True where that layout lists the page's `talks:` itself: the theme's talk list is not shown a second time (the talks still reach /talks/ and the player). */
  talksInLayout: boolean;
  /** True when the body embeds YouTube players (shown as click-to-play facades, which need the theme's script). */
  players: boolean;
  /** Every front-matter key, for site templates that use their own. */
  data: Record<string, unknown>;
}

/** The `<head>` facts of one page: title, description, canonical URL, social card, structured data. */
export interface PageMeta {
  title: string;
  description: string;
  url: string;
  canonical: string;
  type: 'article' | 'website';
  image: string | undefined;
  jsonLd: Record<string, unknown>;
  /** Further structured data of the page, each in a script element of its own (a post's `Event`). */
  moreJsonLd: Array<Record<string, unknown>>;
  noindex: boolean;
}

/** URL path of a tag's page. */
export function tagUrl(slug: string): string {
  return `/tags/${slug}/`;
}

/** Symbols that tell tags apart (`C++` and `C#`), spelled out in slugs instead of dropped. */
const TAG_SYMBOLS: ReadonlyArray<[RegExp, string]> = [[/\+/g, ' plus '], [/#/g, ' sharp '], [/&/g, ' and '], [/@/g, ' at ']];

/** A tag's slug: `C++` -> `c-plus-plus`, `C#` -> `c-sharp`, `Rust` and `rust` -> `rust`. */
function tagSlug(name: string): string {
  let spelled = name;
  for (const [symbol, word] of TAG_SYMBOLS) spelled = spelled.replace(symbol, word);
  return pathSlug(spelled) || 'tag';
}

/** A tag's reference; tags that differ only in case, spacing or dashes share one slug and page. */
function tagRef(name: string): TagRef {
  const slug = tagSlug(name);
  return { name, slug, url: tagUrl(slug), ...(VAGUE_LINK_TEXTS.has(name.trim().toLowerCase()) ? { vague: true as const } : {}) };
}

/** Tag references made once per name in a build: thousands of posts' views show the same few tags. */
export class TagRefs {
  private readonly refs = new Map<string, TagRef>();

  /** The reference of a tag by its name. */
  of(name: string): TagRef {
    let ref = this.refs.get(name);
    if (!ref) this.refs.set(name, (ref = tagRef(name)));
    return ref;
  }
}

/** The template view of a post: its event as it stands now, its speakers as the directory names them. */
export function postView(post: ResolvedPost, socialImage: string | undefined, event: EventView | undefined, speakers: SpeakerDirectory, tags: TagRefs): PostView {
  const { video, talks, excerpt } = post.body;
  return {
    title: post.title,
    url: post.url,
    date: post.date,
    description: post.description || excerpt,
    subtitle: post.data.subtitle ?? '',
    location: inlineMarkdownText(post.data.location ?? ''),
    image: post.data.image,
    imageAlt: typeof post.data['image_alt'] === 'string' ? post.data['image_alt'] : '',
    socialImage,
    hideImage: post.data.hide_image ?? false,
    tags: post.tags.map((name) => tags.of(name)),
    draft: post.draft || post.data.published === false,
    slides: post.data.slides,
    video: video ? { videoId: video.videoId, url: video.canonicalUrl, embedUrl: embedVideoUrl(video.videoId, undefined) } : undefined,
    videoLink: video ? undefined : post.data.video,
    talks: talks.map((t) => ({
      title: t.title,
      speaker: t.speaker,
      speakers: speakerNames(t.speaker).map((name) => speakers.refOf(name)),
      affiliation: t.affiliation,
      videoId: t.videoId,
      start: t.start,
      clock: formatClock(t.start),
      url: t.url,
      embedUrl: t.embedUrl,
      slides: t.slides,
      inPostVideo: t.videoId === video?.videoId,
    })),
    event,
    page: !isFramedAsRecap(post),
    untitled: post.untitled === true,
    layoutMade: post.layoutText !== undefined,
    titledByLayout: post.layoutText !== undefined && hasTitleHeading(post.layoutText.text),
    talksInLayout: post.layoutText !== undefined && /\bpage\.talks\b/.test(post.layoutText.text),
    players: post.body.players,
    data: post.data,
  };
}

/** Head facts for a post page, with `BlogPosting` structured data; a page or post that says nothing of itself is described as the site is (as jekyll-seo-tag does). */
export function postMeta(view: PostView, config: SiteConfig, helpers: TemplateHelpers): PageMeta {
  const canonical = helpers.absoluteUrl(view.url);
  const image = view.socialImage ? helpers.absoluteUrl(view.socialImage) : undefined;
  if (view.page) {
    const jsonLd = { '@context': 'https://schema.org', '@type': 'WebPage', name: view.title, description: view.description || undefined, url: canonical, image };
    return { title: view.title, description: view.description || inlineMarkdownText(config.description), url: view.url, canonical, type: 'website', image, jsonLd, moreJsonLd: [], noindex: view.draft };
  }
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: view.title,
    description: view.description || undefined,
    datePublished: view.date.iso,
    url: canonical,
    mainEntityOfPage: canonical,
    image,
    keywords: view.tags.length ? view.tags.map((t) => t.name).join(', ') : undefined,
    contentLocation: view.location ? { '@type': 'Place', name: view.location } : undefined,
    author: config.author ? { '@type': 'Person', name: config.author } : undefined,
    publisher: { '@type': 'Organization', name: config.title },
    video: view.video ? videoObject(view, view.video, image) : undefined,
  };
  const moreJsonLd = view.event ? [eventObject(view, view.event, canonical, image, config, helpers)] : [];
  return { title: view.title, description: view.description || inlineMarkdownText(config.description), url: view.url, canonical, type: 'article', image, jsonLd, moreJsonLd, noindex: view.draft };
}

const EVENT_STATUS: Record<EventStatus, string> = {
  scheduled: 'EventScheduled',
  cancelled: 'EventCancelled',
  postponed: 'EventPostponed',
  rescheduled: 'EventRescheduled',
  online: 'EventMovedOnline',
};

/**
 * `Event` structured data, with what Google's Event rich result requires (name, startDate, a
 * location with an address or URL) and recommends (endDate, status, attendance mode, image,
 * description, organizer, performers, offers).
 */
function eventObject(view: PostView, event: EventView, canonical: string, image: string | undefined, config: SiteConfig, helpers: TemplateHelpers): Record<string, unknown> {
  const place = event.address || event.venue
    ? { '@type': 'Place', name: event.venue || event.address, address: { '@type': 'PostalAddress', streetAddress: event.address || event.venue } }
    : undefined;
  const stream = event.livestream ?? view.video?.url;
  const virtual = stream ? { '@type': 'VirtualLocation', url: stream } : undefined;
  const mode = event.status === 'online' || !place ? 'Online' : virtual ? 'Mixed' : 'Offline';
  const locations = [event.status === 'online' ? undefined : place, virtual].filter((l) => l !== undefined);
  const performers = new Map(view.talks.flatMap((talk) => talk.speakers).map((ref) => [ref.slug, { '@type': 'Person', name: ref.name, url: helpers.absoluteUrl(ref.url) }]));
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: view.title,
    description: view.description || view.title,
    startDate: event.start,
    endDate: event.end,
    eventStatus: `https://schema.org/${EVENT_STATUS[event.status]}`,
    eventAttendanceMode: `https://schema.org/${mode}EventAttendanceMode`,
    location: locations.length === 1 ? locations[0] : locations,
    image: image ? [image] : undefined,
    url: canonical,
    organizer: { '@type': 'Organization', name: config.title, url: helpers.absoluteUrl('/') },
    performer: performers.size ? [...performers.values()] : undefined,
    offers: event.rsvp
      ? { '@type': 'Offer', url: event.rsvp, price: event.price ?? 0, priceCurrency: event.currency, availability: 'https://schema.org/InStock' }
      : undefined,
  };
}

/** `VideoObject` structured data with a `Clip` per talk, so search engines can offer key moments. */
function videoObject(view: PostView, video: VideoView, image: string | undefined): Record<string, unknown> {
  const inVideo = view.talks.filter((t) => t.inPostVideo);
  return {
    '@type': 'VideoObject',
    name: view.title,
    description: view.description || view.title,
    thumbnailUrl: image,
    uploadDate: view.date.iso,
    url: video.url,
    embedUrl: video.embedUrl,
    hasPart: inVideo.length
      ? inVideo.map((talk, i) => ({
          '@type': 'Clip',
          name: talk.title,
          startOffset: talk.start,
          endOffset: inVideo[i + 1]?.start,
          url: talk.url,
        }))
      : undefined,
  };
}

/** Head facts for a list or utility page; the home page carries `WebSite` structured data. */
export function listMeta(title: string, description: string, url: string, config: SiteConfig, helpers: TemplateHelpers, noindex = false): PageMeta {
  const canonical = helpers.absoluteUrl(url);
  const jsonLd: Record<string, unknown> = url === '/'
    ? { '@context': 'https://schema.org', '@type': 'WebSite', name: config.title, description: description || undefined, url: canonical }
    : { '@context': 'https://schema.org', '@type': 'CollectionPage', name: title, url: canonical };
  return { title, description, url, canonical, type: 'website', image: undefined, jsonLd, moreJsonLd: [], noindex };
}

/** One entry of the site navigation. */
export interface NavItem {
  label: string;
  url: string;
}

const DEFAULT_NAV: readonly NavItem[] = [
  { label: 'Recaps', url: '/' },
  { label: 'Talks', url: '/talks/' },
  { label: 'Speakers', url: '/speakers/' },
  { label: 'Tags', url: '/tags/' },
  { label: 'Archive', url: '/archive/' },
  { label: 'Feed', url: '/feed.xml' },
];

/** The menu's own entries of a site with no posts (a Jekyll site whose meetups are a collection of their own): Recap's lists would all be empty. */
const HOME_ONLY: readonly NavItem[] = [{ label: 'Home', url: '/' }];

/** The menu's own entries of a site with no posts whose meetups are a collection's documents (isMeetupDocument): their talks and speakers, not the posts' lists. */
const MEETUP_DOCUMENTS_ONLY: readonly NavItem[] = [...HOME_ONLY, ...DEFAULT_NAV.filter((item) => item.url === '/talks/' || item.url === '/speakers/')];

/** What a site's own lists hold: its posts, only meetups kept as a collection's documents, or nothing. */
export type ListedContent = 'posts' | 'meetup documents' | 'nothing';

/**
 * The header navigation: `nav:` of the settings when given; otherwise Recap's own lists (but for
 * a site with no posts, whose lists would be empty: its talks and speakers where its meetups are a
 * collection's documents), then the menu a Jekyll site's theme declares
 * (`themeMenu`), then the pages marked `nav: true` or `nav: N` (numbered ones first, in order,
 * then by title; al-folio's and Just the Docs' `nav_order` orders a `nav: true` page too). An
 * address already in the menu is not given twice.
 */
export function siteNav(config: SiteConfig, pages: readonly Post[], themeMenu: readonly NavItem[] = [], listed: ListedContent = 'posts'): NavItem[] {
  if (config.nav) return config.nav;
  const order = (page: Post) => (typeof page.data.nav === 'number' ? page.data.nav : typeof page.data['nav_order'] === 'number' ? page.data['nav_order'] : Number.POSITIVE_INFINITY);
  const marked = pages.filter((page) => page.data.nav !== undefined && page.data.nav !== false && !page.draft && page.data.published !== false);
  marked.sort((a, b) => order(a) - order(b) || compareCodeUnits(a.title, b.title) || compareCodeUnits(a.url, b.url));
  const own = listed === 'posts' ? DEFAULT_NAV : listed === 'meetup documents' ? MEETUP_DOCUMENTS_ONLY : HOME_ONLY;
  const shown = new Set(own.map((item) => item.url));
  const more = [...themeMenu, ...marked.map((page) => ({ label: page.title, url: page.url }))].filter((item) => !shown.has(item.url) && shown.add(item.url));
  // The site's own entry named as one of Recap's (the Dundee Data Meetup's "Speakers", its page of bios) takes that one's place: the menu says each name once, the site's way.
  const named = (item: NavItem) => item.label.trim().toLowerCase();
  const ownNames = new Set(own.map(named));
  const instead = new Map<string, NavItem>();
  for (const item of more) if (ownNames.has(named(item)) && !instead.has(named(item))) instead.set(named(item), item);
  const placed = new Set(instead.values());
  return [...own.map((item) => instead.get(named(item)) ?? item), ...more.filter((item) => !placed.has(item))];
}

/** The `site` object every template sees. */
export function siteView(config: SiteConfig, nav: readonly NavItem[], favicon: string): Record<string, unknown> {
  return {
    title: config.title,
    description: inlineMarkdownText(config.description),
    url: config.url,
    baseurl: config.baseurl,
    language: config.language,
    author: config.author,
    twitter: config.twitter,
    nav,
    theme: config.theme,
    favicon,
  };
}

/** Template helpers bound to the site's URL and base URL, its theme assets, its photos and its menu. */
export function createHelpers(config: SiteConfig, assetUrls: ReadonlyMap<string, string>, images: PhotoCatalog, nav: readonly NavItem[]): TemplateHelpers {
  // Templates ask for the same few URLs thousands of times (navigation, tags): remember the answers.
  const hrefs = new Map<string, string>();
  const url = (value: string): string => {
    if (typeof value !== 'string') return '';
    let href = hrefs.get(value);
    if (href === undefined) {
      // The URL policy once more, for values a site template takes from anywhere (post.data.*).
      if (!checkUrl(value).ok) href = '#';
      else if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(value)) href = value;
      else href = encodeURI(value.startsWith('/') ? config.baseurl + value : value).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
      hrefs.set(value, href);
    }
    return href;
  };
  // The menu is the same on every page but for the current entry: made once per entry, not looped over per page.
  const menus = new Map<string, string>();
  const navigation = (current: string): string => {
    const key = nav.some((item) => item.url === current) ? current : '';
    let html = menus.get(key);
    if (html === undefined) {
      html = nav.map((item) => `<li><a href="${escapeHtml(url(item.url))}"${item.url === key ? ' aria-current="page"' : ''}>${escapeHtml(item.label)}</a></li>`).join('\n');
      menus.set(key, html);
    }
    return html;
  };
  const speakerLinks = (refs: ReadonlyArray<{ name: string; url: string }>): string =>
    refs.map((ref) => `<a href="${escapeHtml(url(ref.url))}">${escapeHtml(ref.name)}</a>`).join(' &amp; ');
  return {
    url,
    navigation,
    speakerLinks,
    absoluteUrl: (value) => {
      const href = url(value);
      return href.startsWith('/') && !href.startsWith('//') ? config.url + href : href;
    },
    asset: (name) => url(assetUrls.get(name) ?? `/assets/${name}`),
    imageData: (src) => {
      const local = images.localPath(src);
      const planned = local ? images.get(local) : undefined;
      return planned ? pictureData(planned, url) : undefined;
    },
  };
}
