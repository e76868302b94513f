import { inlineMarkdownText } from '../../content/inline-text.js';
import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SiteConfig } from '../../content/config.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import type { OutputOrigin } from '../../output/manifest.js';
import type { RenderedPost } from './render.js';
import type { TemplateHelpers, TemplateRenderer } from '../../views/renderer.js';
import { isoDay, MONTH_NAMES, type SiteClock } from '../../content/dates.js';
import { compareCodeUnits, slugify } from '../../content/text.js';
import { listMeta, TagRefs, type PostView, type TagRef } from '../../views/views.js';
import { calendarUrlOf, isComing } from '../../content/events.js';
import { icalendar, type CalendarEvent } from '../../views/icalendar.js';
import { searchData } from '../../views/search-index.js';
import { joinPieces, PartsByMarker } from '../../views/parts-by-marker.js';
import { digestOf } from './load.js';
import { speakerNames, type SpeakerDirectory, type SpeakerProfile, type SpeakerRef } from '../../content/speakers.js';
import type { Memo } from '../../incremental/memo.js';
import type { KeptParts, PlacedPart } from '../../incremental/live-parts.js';
import type { PageStore, ReusedPages, StoredOutput } from '../../incremental/page-store.js';
import type { OutputFile } from '../../output/manifest.js';
import { contentFingerprint } from '../../output/write.js';
import { archiveUrl, type ArchiveKind } from '../../content/jekyll-archives.js';
import { jekyllFeeds } from '../../content/jekyll-feed.js';
import { jekyllNameSlug } from '../../content/permalink.js';
import { autopageLists, ListedPosts, paginatedPages, type PaginatedList } from '../../content/jekyll-paginate-v2.js';
import type { ResolvedPost } from '../../content/post.js';
import { unsafeOutputReason } from '../../policy/output-policy.js';
import { utf8Bytes } from '../../output/utf8.js';
import { stableKey } from '../../incremental/stable-keys.js';
import type { MemoKeys } from '../../incremental/build-memory.js';

/** A page produced by the collect stage, with the template or post it came from. */
export interface CollectedPage {
  url: string;
  /** The page's text, or its bytes when it was made as bytes (`/talks.json`). */
  content: string | Buffer;
  source: string;
  /** Recap's own list pages, or a redirect stub a post asked for. */
  origin: OutputOrigin;
  /** A page Recap leaves out when the site has its own at that URL (a Jekyll site's /speakers/). */
  optional?: boolean;
  /** The content's fingerprint, when it was already worked out (a page whose parts are kept). */
  fingerprint?: string;
}

/** Everything the collect stage shares. */
export interface CollectContext {
  config: SiteConfig;
  site: Record<string, unknown>;
  /** Stands for everything `site` holds (its navigation, name, theme), in section keys. */
  siteKey: string;
  renderer: TemplateRenderer;
  helpers: TemplateHelpers;
  /** The people `speakers.yml` describes (bios, photos, links). */
  speakers: SpeakerDirectory;
  /** The site's time zone, which reads dates such as `last_modified_at`. */
  clock: SiteClock;
  memo?: Memo<CollectedPage[]>;
  /** recap serve's sections of cards kept whole: the keys of their parts (in `memo`), by the cards they show (see collectPages). */
  sections?: Memo<KeptSection>;
  /** The talks page's sections and `/talks.json`'s records by meetup, as bytes (recap serve: in memory; recap build: in the live output): see keptByMeetup. */
  byMeetup?: KeptParts;
  /** recap serve's keys of those parts, the same strings while a post's are unchanged. */
  meetupKeys?: Pick<MemoKeys, 'meetupHtml' | 'meetupJson'>;
  /** recap build's pages from the last build: a section whose inputs did not change is the live output's files. */
  store?: PageStore;
  /** The HTML of the site's own page at `/` (a Jekyll site's index.md), shown atop the first home page. */
  homeIntro?: string | undefined;
  /** What that page says of itself (its `description:`, else its `subtitle:`, else its first paragraph): the home pages' description where the settings give none. */
  homeDescription?: string | undefined;
  /** The lists jekyll-paginate-v2 makes of the site's pages, which this stage makes (its autopages too). */
  paginated?: readonly PaginatedList[];
}

/** A section of parts kept whole by recap serve: its parts' keys in order, and what it reported besides its parts. */
export interface KeptSection {
  parts: string[];
  diagnostics: Diagnostics['list'];
}

/** A page of a section made before, whose bytes are the live output's file. */
export type ReusedPage = ReusedPages['outputs'][number];

/** The address of a home page: the first is `/`, the others follow the site's `paginate_path` (`/page2/`). */
function pageUrl(page: number, paginatePath: string): string {
  return page === 1 ? '/' : paginatePath.replace(':num', String(page));
}

/** A list page rendered: each section keeps what it made (by its signature), so the renderer's memo is not asked. */
function render(template: string, url: string, data: Record<string, unknown>, context: CollectContext, diagnostics: Diagnostics, out: CollectedPage[]): void {
  const content = context.renderer.render(template, { site: context.site, ...data }, diagnostics, null);
  if (content !== undefined) out.push({ url, content, source: `templates/${template}`, origin: 'recap' });
}

/**
 * Collects a part of a section (one page, or the few a template makes) under a key of its own
 * within the section: made again only when its signature (the view tokens of the posts it shows,
 * and whatever else decides it) changes.
 */
type Part = (key: string, expected: Expected, signature: () => string, make: (pages: CollectedPage[], diagnostics: Diagnostics) => void) => void;

/** Judges the addresses a kept part or section claims to have made (see PageStore.reuse). */
type Expected = (urls: readonly string[]) => boolean;

/** A listed post's tags, as its view holds them. */
type TagsOf = (post: RenderedPost) => TagRef[];

/** Exactly these addresses, in any order. */
function exactly(...expected: string[]): Expected {
  return (urls) => urls.length === expected.length && expected.every((url) => urls.includes(url));
}

function tokensOf(posts: readonly RenderedPost[]): string {
  return posts.map((r) => r.token).join('|');
}

/**
 * The listed posts (newest first) with the meetup documents among them by date, newest first (a
 * post before a document of the same instant); the posts themselves where there is none.
 */
function withMeetupDocuments(listed: RenderedPost[], documents: readonly RenderedPost[]): RenderedPost[] {
  if (documents.length === 0) return listed;
  const newestFirst = [...documents].sort((a, b) => b.post.date.epochMs - a.post.date.epochMs || compareCodeUnits(a.post.url, b.post.url));
  const merged: RenderedPost[] = [];
  let next = 0;
  for (const r of listed) {
    while (next < newestFirst.length && newestFirst[next]!.post.date.epochMs > r.post.date.epochMs) merged.push(newestFirst[next++]!);
    merged.push(r);
  }
  return merged.concat(newestFirst.slice(next));
}

/**
 * The home pages: the meetups still to come (or under way) on a banner atop the first, soonest
 * first (a meetup document's too: see isMeetupDocument); every other post in the pages' cards.
 * Each page is a part: editing one post's card makes again only the page that shows it.
 */
function homePages(listed: RenderedPost[], documents: readonly RenderedPost[], context: CollectContext, part: Part): void {
  const { config, helpers } = context;
  const upcoming = [...listed, ...documents].filter((r) => r.post.event && r.view.event && isComing(r.view.event)).reverse();
  upcoming.sort((a, b) => compareCodeUnits(a.view.event!.start, b.view.event!.start) || compareCodeUnits(a.view.url, b.view.url));
  const coming = new Set(upcoming);
  const rest = listed.filter((r) => !coming.has(r));
  const pages = Math.max(1, Math.ceil(rest.length / config.paginate));
  for (let page = 1; page <= pages; page++) {
    const url = pageUrl(page, config.paginate_path);
    const title = page === 1 ? config.title : `${config.title}, page ${page}`;
    const posts = rest.slice((page - 1) * config.paginate, page * config.paginate);
    const atop = page === 1 ? upcoming : [];
    const intro = page === 1 ? context.homeIntro : undefined;
    part(`${page}/${pages}`, exactly(url), () => `${tokensOf(atop)}#${tokensOf(posts)}#${intro === undefined ? '' : digestOf(intro)}#${context.homeDescription ?? ''}`, (made, diagnostics) => {
      const make = (out: CollectedPage[]) => render('index.njk', url, {
        meta: listMeta(title, inlineMarkdownText(config.description) || (context.homeDescription ?? ''), url, config, helpers),
        intro,
        posts: posts.map((r) => r.view),
        upcoming: atop.map((r) => r.view),
        pagination: {
          page,
          pages,
          previous: page > 1 ? pageUrl(page - 1, config.paginate_path) : undefined,
          next: page < pages ? pageUrl(page + 1, config.paginate_path) : undefined,
        },
      }, context, diagnostics, out);
      // A later home page yields to a Jekyll site's own page or redirect at its address (`/page2/`, which Jekyll leaves free without jekyll-paginate), with a note;
      // so does the first to a Jekyll site's own home page in no layout (an index.html that is a whole document).
      if (page === 1 && !config.jekyll) make(made);
      else yielding(made, make);
    });
  }
}

/** The tags page, and a page per tag: each a part, so a post's tags reach only their own pages and the counts. */
function tagPages(listed: RenderedPost[], tagsOf: TagsOf, context: CollectContext, part: Part): void {
  const groups = new Map<string, { tag: TagRef; items: RenderedPost[] }>();
  for (const r of listed) {
    for (const tag of tagsOf(r)) {
      let group = groups.get(tag.slug);
      if (!group) groups.set(tag.slug, (group = { tag, items: [] }));
      if (group.items[group.items.length - 1] !== r) group.items.push(r);
    }
  }
  const sorted = [...groups.values()].sort((a, b) => compareCodeUnits(a.tag.slug, b.tag.slug));
  const { config, helpers } = context;
  // A site's own /tags/ (a Jekyll theme's tag index) is kept in its place, with a note.
  part('/tags/', exactly('/tags/'), () => sorted.map((g) => `${g.tag.slug}\0${g.tag.name}\0${g.items.length}`).join('|'), (made, diagnostics) => yielding(made, (own) => render('tags.njk', '/tags/', {
    meta: listMeta('Tags', `Every tag used on ${config.title}`, '/tags/', config, helpers),
    tags: sorted.map((g) => ({ ...g.tag, count: g.items.length })),
  }, context, diagnostics, own)));
  for (const group of sorted) {
    // A Jekyll site's own page at a tag's address (a hand-made tags/rust.md) is kept in its place, with a note.
    part(group.tag.url, exactly(group.tag.url), () => `${group.tag.name}\0${tokensOf(group.items)}`, (made, diagnostics) => yielding(made, (own) => render('tag.njk', group.tag.url, {
      meta: listMeta(`Tagged “${group.tag.name}”`, `Recaps tagged ${group.tag.name} on ${config.title}`, group.tag.url, config, helpers),
      tag: group.tag,
      items: group.items.map((r) => r.view),
    }, context, diagnostics, own)));
  }
}

/** The archive, and a page per year: each a part. */
function yearPages(listed: RenderedPost[], context: CollectContext, part: Part): void {
  const years = new Map<number, RenderedPost[]>();
  for (const r of listed) {
    // The view's date, which is the post's.
    const list = years.get(r.post.date.year);
    if (list) list.push(r);
    else years.set(r.post.date.year, [r]);
  }
  const { config, helpers } = context;
  const entries = [...years.entries()].sort((a, b) => b[0] - a[0]);
  // A site's own /archive/ (a Jekyll site's archive.md) is kept in its place, with a note.
  part('/archive/', exactly('/archive/'), () => entries.map(([year, items]) => `${year}:${items.length}`).join('|'), (made, diagnostics) => yielding(made, (own) => render('archive.njk', '/archive/', {
    meta: listMeta('Archive', `Every recap on ${config.title}, by year`, '/archive/', config, helpers),
    years: entries.map(([year, items]) => ({ year, url: `/${year}/`, count: items.length })),
  }, context, diagnostics, own)));
  for (const [year, items] of entries) {
    // A site's own page at a year's address (a Jekyll site's 2024/index.md, or a post whose permalink is /:year/) is kept in its place, with a note.
    part(`/${year}/`, exactly(`/${year}/`), () => tokensOf(items), (made, diagnostics) => yielding(made, (own) => render('year.njk', `/${year}/`, {
      meta: listMeta(`Recaps from ${year}`, `${items.length} recaps from ${year} on ${config.title}`, `/${year}/`, config, helpers),
      year,
      items: items.map((r) => r.view),
    }, context, diagnostics, own)));
  }
}

/** One page jekyll-archives made: the recaps it lists, under a heading, or Recap's own page that lists the same. */
interface JekyllArchive {
  kind: ArchiveKind;
  heading: string;
  /** Recap's page of the same tag or year, which the archive's address redirects to. */
  recapPage: string | undefined;
  items: RenderedPost[];
}

/**
 * The pages jekyll-archives made for a Jekyll site, at the addresses it gave them, so none of them
 * is lost: a category's, a month's or a day's list of recaps (`list.njk`); a tag's or a year's
 * address redirects to Recap's own page of it, which lists the same, unless it is that page. Each
 * is a part, and yields to a page of the site's own at its address.
 */
function jekyllArchivePages(listed: RenderedPost[], tagsOf: TagsOf, context: CollectContext, part: Part): void {
  const permalinks = context.config.jekyll?.archives?.permalinks;
  if (!permalinks) return;
  const archives = new Map<string, JekyllArchive>();
  const recapPages = new Set<string>();
  const file = (r: RenderedPost, kind: ArchiveKind, values: Parameters<typeof archiveUrl>[2], heading: () => string, recapPage?: string): void => {
    if (recapPage) recapPages.add(recapPage);
    const pattern = permalinks[kind];
    if (!pattern) return;
    const url = archiveUrl(pattern, kind, values);
    let archive = archives.get(url);
    if (!archive) archives.set(url, (archive = { kind, heading: heading(), recapPage, items: [] }));
    if (archive.items[archive.items.length - 1] !== r) archive.items.push(r);
  };
  for (const r of listed) {
    const { year, month, day } = r.post.date;
    const [y, m, d] = [String(year).padStart(4, '0'), String(month).padStart(2, '0'), String(day).padStart(2, '0')];
    file(r, 'year', { year: y }, () => `Recaps from ${year}`, `/${year}/`);
    file(r, 'month', { year: y, month: m }, () => `Recaps from ${MONTH_NAMES[month - 1]} ${year}`);
    file(r, 'day', { year: y, month: m, day: d }, () => `Recaps from ${day} ${MONTH_NAMES[month - 1]} ${year}`);
    for (const tag of tagsOf(r)) file(r, 'tag', { name: jekyllNameSlug(tag.name) }, () => `Tagged “${tag.name}”`, tag.url);
    for (const category of r.post.categories) file(r, 'category', { name: jekyllNameSlug(category) }, () => `Recaps in “${category}”`);
  }
  const { config, helpers } = context;
  for (const [url, archive] of archives) {
    // Recap's own tag or year page is already at this address.
    if (recapPages.has(url)) continue;
    const target = archive.recapPage;
    const signature = target ? () => `→${target}` : () => `${archive.heading}\0${tokensOf(archive.items)}`;
    part(url, exactly(url), signature, (made, diagnostics) => yielding(made, (own) => {
      // A tag or category of hundreds of letters: its archive is left out, the rest of the site built.
      const unsafe = unsafeOutputReason(url);
      if (unsafe) {
        diagnostics.warning('R121', archive.items[0]!.post.file, undefined, undefined, `the archive page at ${url} is left out: it cannot be an output path (${unsafe})`, 'use a shorter tag or category');
        return;
      }
      const content = target
        ? context.renderer.render('redirect.njk', { site: context.site, target: helpers.absoluteUrl(target) }, diagnostics, null)
        : context.renderer.render('list.njk', {
          site: context.site,
          meta: listMeta(archive.heading, `${archive.items.length} ${archive.items.length === 1 ? 'recap' : 'recaps'} on ${config.title}`, url, config, helpers),
          heading: archive.heading,
          items: archive.items.map((r) => r.view),
        }, diagnostics, null);
      // A redirect is not a page of its own: only the list's template source puts it in the sitemap.
      // An address without an extension (/tag/rust) is that very file, as jekyll-archives writes it.
      if (content !== undefined) own.push({ url, content, source: target ? '_config.yml' : 'templates/list.njk', origin: 'recap' });
    }));
  }
}

/**
 * The lists jekyll-paginate-v2 made from a Jekyll site's pages and its autopages (a tag's, a
 * category's), at the addresses it gave them (`/news/`, `/news/page2/`, `/tag/rust/`), each page
 * a part; the first shows the page's own text atop. A page whose address cannot be a file is left
 * out with a warning; a site's own page at one is kept.
 */
function paginatedLists(listed: RenderedPost[], context: CollectContext, diagnostics: Diagnostics, part: Part): void {
  const { config, helpers } = context;
  if (!context.paginated?.length && !config.jekyll?.autopages) return;
  const problems: string[] = [];
  const posts = new ListedPosts(listed, (r) => r.post);
  const autopages = autopageLists(config.jekyll?.autopages, config.jekyll?.pagination, posts, problems);
  for (const problem of new Set(problems)) diagnostics.warning('R214', '_config.yml', undefined, undefined, problem, 'see jekyll-paginate-v2\'s settings: per_page and limit are whole numbers, permalink and title text');
  for (const { first, title, settings, source, intro: text, description: own } of [...context.paginated ?? [], ...autopages]) {
    for (const list of paginatedPages(first, title, posts, settings)) {
      const unsafe = unsafeOutputReason(list.url);
      if (unsafe) {
        diagnostics.warning('R214', source, undefined, undefined, `the list page at ${list.url} is left out: it cannot be an output path (${unsafe})`, 'give pagination: a permalink of plain folder names and :num, such as /page:num/');
        continue;
      }
      const intro = list.number === 1 && text?.trim() ? text : undefined;
      const description = own || `${list.count} ${list.count === 1 ? 'recap' : 'recaps'} on ${config.title}`;
      const signature = () => [list.title, description, list.count, list.number, list.total, list.previous, list.next, intro === undefined ? '' : digestOf(intro), tokensOf(list.items)].join('\0');
      part(list.url, exactly(list.url), signature, (made, reported) => yielding(made, (own) => render('list.njk', list.url, {
        meta: listMeta(list.title, description, list.url, config, helpers),
        heading: list.title,
        intro,
        count: list.count,
        items: list.items.map((r) => r.view),
        pagination: { page: list.number, pages: list.total, previous: list.previous, next: list.next },
      }, context, reported, own)));
    }
  }
}

/** An Atom feed of these posts, newest first, at `url` (`/feed.xml`, or a jekyll-feed category's). */
function feed(inFeed: RenderedPost[], url: string, context: CollectContext, diagnostics: Diagnostics, out: CollectedPage[]): void {
  const entries = inFeed.map((r) => ({
    post: r.view,
    content: r.post.body.html,
    updated: r.post.data.last_modified_at ? r.post.data.last_modified_at : r.view.date.iso,
  }));
  const updated = entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), entries[0]?.updated ?? '1970-01-01T00:00:00Z');
  render('feed.xml.njk', url, { entries, updated, self: url }, context, diagnostics, out);
}

/** What a feed's entries show: each post's card and its body as resolved (which `post_url` links to other posts are part of). */
function feedSignature(inFeed: readonly RenderedPost[]): string {
  return inFeed.map((r) => `${r.token}:${digestOf(r.post.body.html)}`).join('|');
}

/**
 * The feeds jekyll-feed made for a Jekyll site's categories and tags (`/feed/news.xml`,
 * `/feed/by_tag/rust.xml`), so their subscribers keep them: each Recap's feed of those posts, a
 * part of its own. A file of the site's own at such an address is kept.
 */
function jekyllFeedPages(listed: RenderedPost[], context: CollectContext, part: Part): void {
  const settings = context.config.jekyll?.feed;
  if (!settings) return;
  const siteTags = [...new Set(listed.flatMap((r) => r.post.tags))];
  for (const { url, shows } of jekyllFeeds(settings, siteTags)) {
    const inFeed = listed.filter((r) => shows(r.post)).slice(0, context.config.feed_size);
    part(url, exactly(url), () => feedSignature(inFeed), (made, diagnostics) => yielding(made, (own) => {
      // A tag of hundreds of letters: its feed is left out, the rest of the site built.
      const unsafe = unsafeOutputReason(url);
      if (unsafe) diagnostics.warning('R122', inFeed[0]?.post.file ?? '_config.yml', undefined, undefined, `the feed at ${url} is left out: it cannot be an output path (${unsafe})`, 'use a shorter tag');
      else feed(inFeed, url, context, diagnostics, own);
    }));
  }
}

/** What redirect stubs are made from: a post's or page's address, file and front matter (`redirect_from`, `redirect_to`). */
export interface Redirecting {
  post: Pick<ResolvedPost, 'url' | 'file' | 'data'>;
}

/**
 * The redirect stubs of posts and pages (`redirect_from`, `redirect_to`), and for a Jekyll site
 * whose jekyll-redirect-from listed them, `/redirects.json`: each stub's address and where it
 * sends its reader, as the plugin writes it (a site's own file there is kept).
 */
function redirects(rendered: ReadonlyArray<Redirecting>, context: CollectContext, out: CollectedPage[], diagnostics: Diagnostics): void {
  const listed: Record<string, string> = {};
  for (const { post } of rendered) {
    const target = post.data.redirect_to ? context.helpers.absoluteUrl(post.data.redirect_to) : context.helpers.absoluteUrl(post.url);
    const from = post.data.redirect_to ? [post.url] : [];
    for (const path of post.data.redirect_from ?? []) from.push(path);
    for (const url of from) {
      const content = context.renderer.render('redirect.njk', { site: context.site, target }, diagnostics, null);
      if (content === undefined) continue;
      // On a Jekyll site, a redirect at an address a page is published at is left out (see collect in build.ts); elsewhere two outputs there are an error.
      out.push({ url, content, source: post.file, origin: 'content', ...(context.config.jekyll && url !== post.url ? { optional: true } : {}) });
      listed[url] = target;
    }
  }
  if (context.config.jekyll?.redirectsJson) yielding(out, (own) => own.push({ url: '/redirects.json', content: JSON.stringify(listed), source: '_config.yml', origin: 'recap' }));
}

/** A post's meetup as calendars show it; its UID is the post's id at the site's host, stable across builds. */
function calendarEvent(rendered: RenderedPost, uidHost: string, context: CollectContext): CalendarEvent {
  const { post, view } = rendered;
  const event = post.event!;
  const modified = post.data.last_modified_at ? context.clock.parse(post.data.last_modified_at) : undefined;
  const url = context.helpers.absoluteUrl(post.url);
  const notes = [view.description, event.rsvp ? `RSVP: ${event.rsvp}` : '', event.livestream ? `Livestream: ${event.livestream}` : '', url];
  return {
    uid: `${post.id}@${uidHost}`,
    stamp: Math.max(post.date.epochMs, modified?.ok ? modified.date.epochMs : 0),
    start: event.start.epochMs,
    end: event.end?.epochMs,
    ...(event.allDay ? { days: { first: event.start, last: event.end ?? event.start } } : {}),
    summary: view.title,
    location: [event.venue, event.address].filter(Boolean).join(', ') || event.livestream || '',
    url,
    description: notes.filter(Boolean).join('\n\n'),
    status: event.status,
  };
}

/** `/events.ics`, every meetup past and upcoming for calendar apps to subscribe to, and each event's own `.ics`. */
function calendars(withEvents: RenderedPost[], context: CollectContext, out: CollectedPage[]): void {
  const { config } = context;
  const uidHost = config.url ? new URL(config.url).host : 'recap.invalid';
  const entries = withEvents.map((r) => calendarEvent(r, uidHost, context));
  const byStart = [...entries].sort((a, b) => a.start - b.start || compareCodeUnits(a.uid, b.uid));
  const info = { name: config.title, description: inlineMarkdownText(config.description), timeZone: config.timezone };
  out.push({ url: '/events.ics', content: icalendar(byStart, info), source: 'src/views/icalendar.ts', origin: 'recap' });
  withEvents.forEach((r, i) => {
    out.push({ url: calendarUrlOf(r.post.url), content: icalendar([entries[i]!], { ...info, name: r.view.title }), source: r.post.file, origin: 'content' });
  });
}

/** The one-of-a-kind pages Recap makes that a site's own page may take the place of (see yielding; each speaker's page may be taken too). */
const YIELDING_PAGES: ReadonlySet<string> = new Set(['/404.html', '/tags/', '/archive/', '/search/', '/speakers/', '/talks/']);

/** True for a Recap page that yields to a site's own page at its address (a Jekyll site's /speakers/, /talks/ or /tags/rust/). */
export function yieldsToSitePage(url: string): boolean {
  return YIELDING_PAGES.has(url) || /^\/tags\/[^/]+\/$/.test(url);
}

/**
 * The Recap page that lists what a layout of a list page lists: a Jekyll theme's (Minimal
 * Mistakes' `posts` and `categories`, Chirpy's `archives`) or Recap's own list layouts, which a
 * page of its own cannot fill.
 */
export const LIST_PAGE_OF_LAYOUT: ReadonlyMap<string, string> = new Map([
  ...['posts', 'archive', 'archives', 'year', 'category', 'categories', 'collection'].map((layout) => [layout, '/archive/'] as const),
  ['tags', '/tags/'], ['tag', '/tags/'], ['home', '/'], ['index', '/'], ['talks', '/talks/'], ['speakers', '/speakers/'], ['search', '/search/'],
]);

/** Collects pages that yield to a site's own page at the same URL (a Jekyll site's /speakers/ or /search/). */
function yielding(out: CollectedPage[], make: (pages: CollectedPage[]) => void): void {
  const pages: CollectedPage[] = [];
  make(pages);
  for (const page of pages) out.push({ ...page, optional: true });
}

/** The search page and the data it loads on first use, under a content-hashed name (cached for good). */
function searchPage(views: PostView[], context: CollectContext, diagnostics: Diagnostics, out: CollectedPage[]): void {
  const { config, helpers } = context;
  const json = JSON.stringify(searchData(views, helpers));
  const url = `/assets/search.${digestOf(json).slice(0, 10)}.json`;
  out.push({ url, content: json, source: 'src/views/search-index.ts', origin: 'recap' });
  yielding(out, (pages) => render('search.njk', '/search/', {
    meta: listMeta('Search', `Search every talk, speaker and meetup of ${config.title}`, '/search/', config, helpers),
    index: helpers.url(url),
  }, context, diagnostics, pages));
}

/** A talk on a speaker's page: its moment in the recording and the meetup it was given at. */
interface SpeakerTalk {
  title: string;
  clock: string;
  start: number;
  url: string;
  slides: string | undefined;
  affiliation: string | undefined;
  post: PostView;
}

/** A speaker and the talks they gave, newest meetup first, with what `speakers.yml` says of them. */
interface SpeakerPage {
  ref: SpeakerRef;
  profile: SpeakerProfile | undefined;
  affiliation: string | undefined;
  /** Each talk as the post that has it and its place among that post's talks (the post's view is made only for a page made again). */
  talks: Array<{ listed: RenderedPost; index: number }>;
}

/**
 * Every speaker of the listed posts' talks, by their page, as the views will name them (without
 * making the views); a warning when two names come to one page.
 */
function speakersOf(listed: RenderedPost[], speakers: SpeakerDirectory, diagnostics: Diagnostics): SpeakerPage[] {
  const bySlug = new Map<string, SpeakerPage>();
  const warned = new Set<string>();
  for (const r of listed) {
    r.post.body.talks.forEach((talk, index) => {
      const names = speakerNames(talk.speaker);
      // "Kim Ra & Lee Min" of "Oscorp & Globex": whose is whose is not known, so neither page claims both.
      const shared = names.length > 1 && speakerNames(talk.affiliation).length > 1 ? undefined : talk.affiliation;
      for (const name of names) {
        const ref = speakers.refOf(name);
        let page = bySlug.get(ref.slug);
        if (!page) {
          const profile = speakers.profileOf(ref.name);
          bySlug.set(ref.slug, (page = { ref, profile, affiliation: profile?.affiliation ?? shared, talks: [] }));
        } else if (page.ref.name !== ref.name && !warned.has(ref.name)) {
          warned.add(ref.name);
          diagnostics.warning('R312', r.post.file, undefined, undefined, `speakers "${ref.name}" and "${page.ref.name}" share the page ${ref.url}`,
            `if they are one person, add - {name: ${page.ref.name}, aliases: [${ref.name}]} to speakers.yml; if not, tell them apart in the talks`);
        }
        page.talks.push({ listed: r, index });
      }
    });
  }
  return [...bySlug.values()].sort((a, b) => compareCodeUnits(a.ref.name.toLowerCase(), b.ref.name.toLowerCase()) || compareCodeUnits(a.ref.slug, b.ref.slug));
}

/**
 * `/speakers/` and a page per speaker, each a part: a new meetup or a retitled one makes again the
 * index and the pages of its own speakers, not everyone's. Pages yield to a site's own at their address.
 */
function speakerPages(listed: RenderedPost[], context: CollectContext, diagnostics: Diagnostics, part: Part): void {
  const { config, helpers } = context;
  const all = speakersOf(listed, context.speakers, diagnostics);
  // The index shows each speaker's name, count and latest meetup (its view's title and address).
  part('/speakers/', exactly('/speakers/'), () => all.map((s) => `${s.ref.name}\0${s.ref.slug}\0${s.affiliation}\0${s.talks.length}\0${s.talks[0]!.listed.token}`).join('|'),
    (made, reported) => yielding(made, (own) => render('speakers.njk', '/speakers/', {
      meta: listMeta('Speakers', `Everyone who has spoken at ${config.title}`, '/speakers/', config, helpers),
      speakers: all.map((s) => ({ ...s.ref, profile: s.profile, affiliation: s.affiliation, count: s.talks.length, latest: s.talks[0]!.listed.view })),
    }, context, reported, own)));
  for (const speaker of all) {
    const { ref, profile, affiliation } = speaker;
    part(ref.url, exactly(ref.url), () => `${ref.name}\0${affiliation}\0${speaker.talks.map((t) => `${t.listed.token}:${t.index}`).join('|')}`, (made, reported) => yielding(made, (own) => {
      const talks: SpeakerTalk[] = speaker.talks.map(({ listed: r, index }) => {
        const talk = r.view.talks[index]!;
        return { title: talk.title, clock: talk.clock, start: talk.start, url: talk.url, slides: talk.slides, affiliation: talk.affiliation, post: r.view };
      });
      const meta = listMeta(ref.name, profile?.bio ?? `Talks by ${ref.name} at ${config.title}`, ref.url, config, helpers);
      meta.jsonLd = personObject(speaker, meta.canonical, config, helpers);
      render('speaker.njk', ref.url, { meta, speaker: { ...ref, profile, affiliation, talks } }, context, reported, own);
    }));
  }
}

/** `Person` structured data for a speaker's page. */
function personObject(speaker: SpeakerPage, canonical: string, config: SiteConfig, helpers: TemplateHelpers): Record<string, unknown> {
  const photo = speaker.profile?.photo;
  const picture = photo ? helpers.imageData(photo) : undefined;
  return {
    '@context': 'https://schema.org',
    '@type': 'Person',
    name: speaker.ref.name,
    url: canonical,
    description: speaker.profile?.bio,
    affiliation: speaker.affiliation ? { '@type': 'Organization', name: speaker.affiliation } : undefined,
    image: picture ? `${config.url}${picture.src}` : photo ? helpers.absoluteUrl(photo) : undefined,
    sameAs: speaker.profile?.links.length ? speaker.profile.links.map((l) => l.url) : undefined,
  };
}

/** One entry of `/talks.json`: a talk with the post it is in and the source line it came from. */
export interface TalkRecord {
  post: string;
  postTitle: string;
  date: string;
  title: string;
  speaker: string | null;
  videoId: string;
  start: number;
  url: string;
  embedUrl: string;
  source: string;
}

/** The bytes between `/talks.json`'s meetups, and around them. */
const JSON_OPEN = Buffer.from('[');
const JSON_COMMA = Buffer.from(',');
const JSON_CLOSE = Buffer.from('\n]\n');
const JSON_EMPTY = Buffer.from('[]\n');

/**
 * `/talks.json`: every talk as a TalkRecord, laid out as `JSON.stringify(records, null, 2)` would,
 * but made a meetup at a time into bytes, so a site of thousands of talks holds neither the records
 * nor one string of them all, and a meetup kept from the last build is not encoded again.
 */
function talksJson(withTalks: RenderedPost[], context: CollectContext, keys: ReadonlyArray<string> | undefined): { bytes: Buffer; places: PlacedPart[] } {
  if (withTalks.length === 0) return { bytes: JSON_EMPTY, places: [] };
  const parts: Buffer[] = [JSON_OPEN];
  const places: PlacedPart[] = [];
  let offset = JSON_OPEN.length;
  for (const [i, r] of withTalks.entries()) {
    if (i > 0) parts.push(JSON_COMMA);
    if (i > 0) offset += JSON_COMMA.length;
    const key = keys?.[i];
    const part = keptByMeetup(key, context, () => meetupTalkRecords(r, context.helpers));
    parts.push(part);
    if (key) places.push([key, offset, part.length]);
    offset += part.length;
  }
  parts.push(JSON_CLOSE);
  return { bytes: joinPieces(parts), places };
}

/** A meetup's talks as `/talks.json` lists them: each record on lines of its own, indented, separated by commas. */
function meetupTalkRecords({ post, view }: RenderedPost, helpers: TemplateHelpers): string {
  // What every talk of a meetup shares is worked out once per meetup.
  const postUrl = helpers.absoluteUrl(view.url);
  const date = isoDay(view.date);
  return view.talks.map((talk, i) => {
    const record: TalkRecord = { post: postUrl, postTitle: view.title, date, title: talk.title, speaker: talk.speaker ?? null, videoId: talk.videoId, start: talk.start,
      url: talk.url, embedUrl: talk.embedUrl, source: `${post.file}:${post.body.talks[i]!.line}` };
    // JSON strings hold no raw line breaks, so indenting every line break indents the record.
    return `\n  ${JSON.stringify(record, null, 2).replaceAll('\n', '\n  ')}`;
  }).join(',');
}

/** What the talks page and `/talks.json` show of a meetup, each kept by `keptByMeetup`. */
type MeetupPart = 'html' | 'json';

/**
 * The key of what the talks page or `/talks.json` shows of a meetup: its post's card (the token
 * stands for its talks too), its file and talk lines (the records' sources), and the site around
 * it; a section also shows what `section` says (its id, and its place where a template may show it).
 */
function meetupKey(part: MeetupPart, r: RenderedPost, context: CollectContext, section = ''): string {
  const keys = part === 'html' ? context.meetupKeys?.meetupHtml : context.meetupKeys?.meetupJson;
  return stableKey(keys, r, [part, context.siteKey, section, String(r.token), r.post.file, r.post.body.talks.map((t) => t.line).join(',')]);
}

/**
 * Each meetup's section id on the talks page: `meetup-` and its post's address as a slug, so a
 * section keeps its id (and a link to it keeps working) as meetups are added; a clash gets a number.
 */
function sectionIds(withTalks: readonly RenderedPost[]): string[] {
  const used = new Set<string>();
  return withTalks.map((r) => {
    const base = `meetup-${slugify(r.post.url)}`.replace(/-$/, '');
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

/**
 * The keys of each meetup's section and `/talks.json` records, when parts are kept at all. The
 * built-in section shows its id, not its place, so a new meetup at the top leaves the others'
 * sections as they were; a site's own `partials/talk-group.njk` may show its place (`index`).
 */
function meetupKeys(withTalks: readonly RenderedPost[], ids: readonly string[], context: CollectContext): { html: string[]; json: string[] } | undefined {
  if (!context.byMeetup) return undefined;
  const ownSection = context.renderer.isOwn('partials/talk-group.njk');
  return {
    html: withTalks.map((r, i) => meetupKey('html', r, context, ownSection ? `${ids[i]}\0${i + 1}` : ids[i])),
    json: withTalks.map((r) => meetupKey('json', r, context)),
  };
}

/**
 * A meetup's section of the talks page or its records in `/talks.json`, under its key (see
 * meetupKey; undefined when nothing is kept): kept from the last build while its key is the same
 * (recap serve in memory, recap build in the live output), so editing one post makes again its own
 * part, not the thousands of talks of the rest. A section that failed to render ('' after the
 * reported template error) is not kept.
 */
function keptByMeetup(key: string | undefined, context: CollectContext, make: () => string): Buffer {
  const kept = key ? context.byMeetup!.get(key) : undefined;
  if (kept !== undefined) return kept;
  const made = utf8Bytes(make());
  if (key && made.length > 0) context.byMeetup!.set(key, made);
  return made;
}

/** `/talks.json` and `/talks/` (every talk, grouped by meetup, newest first), from the posts that have talks. */
function talkPages(listed: RenderedPost[], context: CollectContext, diagnostics: Diagnostics, out: CollectedPage[]): void {
  const { config, helpers } = context;
  const withTalks = listed.filter((r) => r.post.body.talks.length > 0);
  const ids = sectionIds(withTalks);
  const keys = meetupKeys(withTalks, ids, context);
  // A page whose parts are kept is fingerprinted once, for the store's places and for the manifest.
  const publish = (url: string, content: Buffer, places: readonly PlacedPart[]): void => {
    const fingerprint = context.byMeetup?.placed ? contentFingerprint(content) : undefined;
    if (fingerprint) context.byMeetup!.placed!(url, fingerprint, places);
    // The talks page yields to a Jekyll site's own /talks/ page; /talks.json is Recap's.
    out.push({ url, content, fingerprint, source: 'templates/talks.njk', origin: 'recap', ...(url === '/talks/' ? { optional: true } : {}) });
  };
  const json = talksJson(withTalks, context, keys?.json);
  publish('/talks.json', json.bytes, json.places);
  const speakers = new Set<string>();
  const tagsBySlug = new Map<string, TagRef>();
  let count = 0;
  const sections = new PartsByMarker();
  // Each section is made once, whichever way the page shows it, and only if the page's template asks for it (a site's own talks.njk may not).
  const made: Array<Buffer | undefined> = [];
  const groupsOf = (shown: (index: number, bytes: () => Buffer) => string) => withTalks.map((r, i) => {
    const { view } = r;
    const section = () => (made[i] ??= keptByMeetup(keys?.html[i], context, () => context.renderer.render('partials/talk-group.njk', { site: context.site, group, index: i + 1 }, diagnostics, null) ?? ''));
    const group = {
      post: view, id: ids[i], tagSlugs: view.tags.map((tag) => tag.slug).join('|'), talks: view.talks,
      get html(): string {
        return shown(i, section);
      },
    };
    return group;
  });
  for (const r of withTalks) {
    for (const tag of r.view.tags) tagsBySlug.set(tag.slug, tag);
    for (const talk of r.view.talks) for (const ref of talk.speakers) speakers.add(ref.name);
    count += r.view.talks.length;
  }
  const data = (groups: unknown[]) => ({
    site: context.site,
    meta: listMeta('Every talk', `Every talk recorded at ${config.title}, with links to the moment each starts`, '/talks/', config, helpers),
    count,
    groups,
    speakers: [...speakers].sort(compareCodeUnits),
    tags: [...tagsBySlug.values()].sort((a, b) => compareCodeUnits(a.slug, b.slug)),
  });
  // Each section stands in the page as a marker, and goes in as its bytes; a template that shows
  // the sections otherwise than once each as they are is rendered again with their text.
  const withMarkers = context.renderer.render('talks.njk', data(groupsOf((i, section) => sections.marker(i, section()))), diagnostics, null);
  if (withMarkers === undefined) return;
  const assembled = sections.assemble(withMarkers);
  if (assembled) {
    publish('/talks/', assembled.bytes, keys ? assembled.places.map(([i, offset, length]): PlacedPart => [keys.html[i]!, offset, length]) : []);
    return;
  }
  const content = context.renderer.render('talks.njk', data(groupsOf((_, section) => section().toString())), new Diagnostics(), null);
  if (content !== undefined) out.push({ url: '/talks/', content, source: 'templates/talks.njk', origin: 'recap', optional: true });
}

/**
 * Tags whose names differ by more than case and spacing but still come to one slug share a page:
 * never silently — a warning names the two posts, so the author can rename one.
 */
function warnAboutSharedTagPages(listed: RenderedPost[], tagsOf: TagsOf, diagnostics: Diagnostics): void {
  const first = new Map<string, { name: string; file: string }>();
  const sameName = (a: string, b: string) => a.toLowerCase().replace(/[\s_-]+/g, ' ').trim() === b.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
  const warned = new Set<string>();
  for (const r of [...listed].reverse()) {
    const { post } = r;
    for (const tag of tagsOf(r)) {
      const seen = first.get(tag.slug);
      if (!seen) first.set(tag.slug, { name: tag.name, file: post.file });
      // Thousands of posts name a tag the very same way: only a different name is compared.
      else if (seen.name !== tag.name && !sameName(seen.name, tag.name) && !warned.has(`${tag.slug}\0${tag.name}`)) {
        warned.add(`${tag.slug}\0${tag.name}`);
        diagnostics.warning('R311', post.file, undefined, undefined, `tags "${tag.name}" and "${seen.name}" (${seen.file}) share the page ${tag.url}`,
          'write the tag the same way in both posts, or rename one');
      }
    }
  }
}

/**
 * Collect stage: home pagination, tag and year pages, talks page and JSON, feed, 404, and the
 * redirect stubs of posts and pages, each handed to `emit` as soon as its section is made, so a
 * build without a memo holds one section's pages at a time, not all of them. `emit` returns the
 * output it added (none for a page left out).
 */
export function collectPages(rendered: RenderedPost[], documents: readonly RenderedPost[], pages: ReadonlyArray<Redirecting>, context: CollectContext, diagnostics: Diagnostics,
  emit: (page: CollectedPage | ReusedPage) => OutputFile | undefined, timings: Array<{ stage: string; ms: number }> = []): void {
  const listed = rendered.filter((r) => !r.post.data.redirect_to);
  // Every meetup, newest first: the posts, and the meetups a Jekyll site keeps as a collection's documents (isMeetupDocument).
  const meetups = withMeetupDocuments(listed, documents);
  // The view's tags (the post's, each by its reference), without making the view; thousands of posts share a few tags.
  const tags = new TagRefs();
  const tagsOf: TagsOf = (r) => r.post.tags.map((name) => tags.of(name));
  warnAboutSharedTagPages(meetups, tagsOf, diagnostics);
  // Each section's time is reported (`collect.search`, ...), so the benchmark shows what each list costs.
  const timed = (name: string, collect: () => void): void => {
    const started = performance.now();
    collect();
    timings.push({ stage: `collect.${name}`, ms: performance.now() - started });
  };
  // A section without `expected` addresses is made afresh by every recap build (it is cheap, and its addresses come from the posts).
  const section = (name: string, expected: Expected | undefined, signature: () => string, make: (pages: CollectedPage[], diagnostics: Diagnostics) => void): void => {
    timed(name, () => collectPart(name, expected, signature, make));
  };
  // A section made of parts (a page each): each part is kept or made on its own.
  const sectionOfParts = (name: string, plan: (part: Part) => void): void => {
    timed(name, () => plan((key, expected, signature, make) => collectPart(`${name}\0${key}`, expected, signature, make)));
  };
  // recap serve: a section of parts that shows nothing of the posts but their cards (their tokens,
  // in order), the site and `shown`, is kept whole while those are the same, as a body edit leaves
  // them: its parts are neither planned nor signed again, only marked for the next build.
  // Every listed card's token in order: the search section's signature, and what the sections of cards are kept by.
  let listedTokens: string | undefined;
  const tokens = (): string => (listedTokens ??= tokensOf(listed));
  let cardsKey: string | undefined;
  const sectionOfCards = (name: string, shown: string, plan: (part: Part, diagnostics: Diagnostics) => void): void => {
    const { memo, sections } = context;
    if (!memo || !sections) return sectionOfParts(name, (part) => plan(part, diagnostics));
    cardsKey ??= hash('sha1', tokens(), 'base64');
    const key = `${name}\0${context.siteKey}\0${shown}\0${cardsKey}`;
    const kept = sections.get(key);
    const pages = kept?.parts.map((part) => memo.get(part));
    if (kept && pages!.every((made) => made !== undefined)) {
      timed(name, () => {
        diagnostics.addAll(kept.diagnostics);
        for (const made of pages!) for (const page of made!) emit(page);
      });
      return;
    }
    const parts: string[] = [];
    const own = new Diagnostics();
    timed(name, () => plan((key, expected, signature, make) => parts.push(collectPart(`${name}\0${key}`, expected, signature, make)), own));
    diagnostics.addAll(own.list);
    sections.set(key, { parts, diagnostics: own.list });
  };
  // With a memo (recap serve) or a store (recap build), a part whose inputs did not change is not
  // collected again. A post's token changes when anything its card shows does; talk lines and feed bodies are added.
  // Views are asked for only by a part made again: a build that keeps every list never makes them.
  // It returns the part's key.
  const collectPart = (name: string, expected: Expected | undefined, signature: () => string, make: (pages: CollectedPage[], diagnostics: Diagnostics) => void): string => {
    const { memo } = context;
    const store = expected && context.store;
    const key = memo || store ? `${name}\0${context.siteKey}\0${hash('sha1', signature(), 'base64')}` : '';
    if (memo) {
      let made = memo.get(key);
      if (!made) {
        make((made = []), diagnostics);
        memo.set(key, made);
      }
      for (const page of made) emit(page);
      return key;
    }
    const reused = store?.reuse(key, expected!);
    if (reused) {
      diagnostics.addAll(reused.diagnostics);
      for (const page of reused.outputs) emit(page);
      return key;
    }
    const made: CollectedPage[] = [];
    const own = new Diagnostics();
    make(made, own);
    diagnostics.addAll(own.list);
    const outputs: StoredOutput[] = [];
    for (const page of made) {
      const file = emit(page);
      if (file?.fingerprint) outputs.push({ url: page.url, source: page.source, origin: page.origin, optional: page.optional, path: file.path, fingerprint: file.fingerprint });
    }
    // A part with a page left out (the site has its own) is made again next time: the site's page may be gone by then.
    if (outputs.length === made.length) store?.remember(key, { outputs, diagnostics: own.list });
    return key;
  };
  // A meetup document's event is announced atop the home page too, until it starts (its cards are the posts').
  const announced = documents.filter((r) => r.post.event);
  sectionOfCards('home', `${context.homeIntro === undefined ? '' : digestOf(context.homeIntro)}#${context.homeDescription ?? ''}${announced.length > 0 ? `#${digestOf(tokensOf(announced))}` : ''}`,
    (part) => homePages(listed, announced, context, part));
  // A meetup document's tags link to their pages as a post's do, so the pages list it too.
  const documentCards = meetups === listed ? '' : digestOf(tokensOf(documents));
  sectionOfCards('tags', documentCards, (part) => tagPages(meetups, tagsOf, context, part));
  sectionOfCards('years', '', (part) => yearPages(listed, context, part));
  section('search', (urls) => urls.length === 2 && urls.includes('/search/') && urls.some((url) => /^\/assets\/search\.[0-9a-f]{10}\.json$/.test(url)),
    meetups === listed ? tokens : () => tokensOf(meetups), (made, reported) => searchPage(meetups.map((r) => r.view), context, reported, made));
  sectionOfCards('speakers', documentCards, (part, reported) => speakerPages(meetups, context, reported, part));
  const withEvents = meetups.filter((r) => r.post.event);
  section('events', undefined, () => withEvents.map((r) => `${r.token}:${r.post.data.last_modified_at}`).join('|'), (made) => calendars(withEvents, context, made));
  // A talk record names its post's file and line (`source`), which no view token holds.
  let talksMade = false;
  section('talks', exactly('/talks/', '/talks.json'), () => meetups.map((r) => `${r.token}:${r.post.file}:${r.post.body.talks.map((t) => t.line).join(',')}`).join('|'), (made, reported) => {
    talksMade = true;
    talkPages(meetups, context, reported, made);
  });
  // recap serve forgets what no build asks for: a talks page kept whole keeps every meetup's parts
  // (those of its last making) for the next build. (recap build's parts stay in the page kept whole.)
  if (!talksMade && context.memo) context.byMeetup?.keepAll?.();
  const inFeed = listed.slice(0, context.config.feed_size);
  section('feed', exactly('/feed.xml'), () => feedSignature(inFeed), (made, reported) => feed(inFeed, '/feed.xml', context, reported, made));
  sectionOfParts('jekyll-feeds', (part) => jekyllFeedPages(listed, context, part));
  const redirecting = [...rendered, ...pages];
  section('redirects', undefined, () => redirecting.map((r) => `${r.post.url}:${r.post.data.redirect_to}:${r.post.data.redirect_from}`).join('|'), (made, reported) => redirects(redirecting, context, made, reported));
  const { config, helpers } = context;
  // A site's own 404 page (Jekyll's 404.html) is kept in its place, with a note.
  // Described, and not kept from search engines: a host answers with it at status 404 (which no engine indexes), and a
  // page marked noindex or without a description is what Lighthouse's SEO audit marks down (58 of 100 with both).
  section('404', exactly('/404.html'), () => '', (made, reported) => yielding(made, (own) => render('404.njk', '/404.html', {
    meta: listMeta('Page not found', `There is no page at this address on ${config.title}: try the latest recaps or the archive.`, '/404.html', config, helpers),
  }, context, reported, own)));
  sectionOfParts('paginated', (part) => paginatedLists(listed, context, diagnostics, part));
  // Last: an archive's address that Recap's own pages or the site's took is left to them.
  sectionOfParts('archives', (part) => jekyllArchivePages(listed, tagsOf, context, part));
}

/** The sitemap and robots.txt, listing every page but redirects, drafts and the 404 page. */
export function sitemapPages(urls: { url: string; lastmod?: string }[], context: CollectContext, diagnostics: Diagnostics): CollectedPage[] {
  // recap serve keeps the sitemap while every address and date in it stays (a body edit changes neither).
  const key = context.memo && `sitemap\0${context.siteKey}\0${urls.map((entry) => `${entry.url} ${entry.lastmod}`).join('\n')}`;
  const kept = key ? context.memo!.get(key) : undefined;
  if (kept) return kept;
  const out: CollectedPage[] = [];
  const reported = new Diagnostics();
  render('sitemap.xml.njk', '/sitemap.xml', { entries: urls }, context, reported, out);
  diagnostics.merge(reported);
  out.push({
    url: '/robots.txt',
    // robots.txt names its sitemap by an absolute URL or not at all (a site without url: has none to give).
    content: `User-agent: *\nAllow: /\n${context.site.url ? `\nSitemap: ${context.helpers.absoluteUrl('/sitemap.xml')}\n` : ''}`,
    source: 'templates/sitemap.xml.njk',
    origin: 'recap',
  });
  // A sitemap whose template reported a problem is made again, so the report is too.
  if (key && reported.list.length === 0) context.memo!.set(key, out);
  return out;
}
