import path from 'node:path';
import { decodeHTML } from 'entities';
import type { SiteConfig } from '../../content/config.js';
import { UNDATED, type DateResult, type SiteClock, type SiteDate } from '../../content/dates.js';
import { Diagnostics } from '../../diagnostics/diagnostics.js';
import { decodeUtf8, splitFrontMatter } from '../../content/frontmatter.js';
import type { ReadSource } from './load.js';
import { checkUrl, URL_POLICY_HINT } from '../../policy/url-policy.js';
import { htmlExtensionOf, jekyllOutputPathOf, permalinkExtension, unsafeOutputReason } from '../../policy/output-policy.js';
import { expandPagePattern, expandPattern, jekyllNameSlug, jekyllSanitizedUrl, type PermalinkParts } from '../../content/permalink.js';
import { collectionPermalink } from '../../content/jekyll-collections.js';
import { documentEvent, readEvent } from '../../content/events.js';
import { CONTENT_FILE, frontMatterLine, HTML_FILE, type Post } from '../../content/post.js';
import { AS_WRITTEN, describeIssue, frontMatterSchema, removeAt, urlValuesOf, type FrontMatter } from '../../content/schema.js';
import { lineOfYamlKey } from '../../content/yaml.js';
import { mediaSubpathOf, underMediaSubpath } from '../../content/media-subpath.js';
import { defaultsFor, defaultsType, withDefaults } from '../../content/front-matter-defaults.js';
import { MAX_TAGS_PER_POST, removeXmlForbiddenValues, withoutXmlForbidden } from '../../policy/limits.js';
import { trimEndOf } from '../../content/text.js';

const POST_NAME = /^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$/;

/** A date and time that Ruby's YAML reads as a time, not text (its TIME pattern), when written unquoted and without an offset. */
const YAML_TIME_WITHOUT_ZONE = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?$/;

/**
 * A post's date from its front matter (`at` finds its line) or, without `at`, its file name: an ISO
 * date, as Recap's own sites write it. On a Jekyll site, where that fails, a day its month does not
 * have is rolled into the next month as Jekyll reads it (`2024-02-30` is the 1st of March, with a
 * warning at the date), and a front matter date may be any Ruby reads (`March 6, 2024`).
 */
function siteDate(written: string, clock: SiteClock, jekyll: boolean, file: string, at: (() => { line?: number; column?: number }) | undefined, diagnostics: Diagnostics): DateResult {
  const strict = clock.parse(written);
  if (strict.ok || !jekyll) return strict;
  const rolled = clock.rolledOver(written);
  if (rolled) {
    diagnostics.warning('R205', file, at?.().line, at?.().column, `${at ? 'front matter' : 'file name'} date ${written.trim()} does not exist: read as ${rolled.as}, as Jekyll reads it`, 'write the date you mean');
    return { ok: true, date: rolled.date };
  }
  return at ? clock.parseLoosely(written) : strict;
}

/**
 * A Jekyll post's `date` as Jekyll reads it. Ruby's YAML makes an unquoted date and time with
 * seconds and no offset (`date: 2024-03-06 20:00:00`) a time in UTC, which the site's zone then
 * shows (in Asia/Shanghai, the 7th at 04:00: its URL says the 7th); quoted, or without seconds,
 * it is text, read in the site's zone, as Recap reads every date of its own sites.
 */
function jekyllDate(text: string, matterText: string): string {
  if (!YAML_TIME_WITHOUT_ZONE.test(text)) return text;
  const at = lineOfYamlKey(matterText, ['date']);
  const written = at && matterText.split('\n')[at.line - 1]?.[at.column - 1];
  return written === undefined || written === '"' || written === "'" ? text : `${text} +00:00`;
}

/** Everything the parse stage needs besides the file itself. */
export interface ParseContext {
  config: SiteConfig;
  /** Date given to drafts whose file name and front matter carry none. */
  now: SiteDate;
  /** The site's time zone, which reads every date. */
  clock: SiteClock;
}

function keyPosition(matterText: string, keyPath: ReadonlyArray<PropertyKey>): { line?: number; column?: number } {
  const at = lineOfYamlKey(matterText, keyPath);
  return at ? { line: frontMatterLine(at.line), column: at.column } : { line: 2, column: 1 };
}

/**
 * A Jekyll theme's `image: {feature: header.jpg}` (HPSTR's, and Minimal Mistakes' before its
 * version 4) as the photo it names: a file name below `/images/`, or a path or address as written.
 */
function featureImageOf(image: unknown): string | undefined {
  if (image === null || typeof image !== 'object' || Array.isArray(image)) return undefined;
  const { path: own, feature } = image as Record<string, unknown>;
  if (own !== undefined || typeof feature !== 'string' || feature.trim() === '') return undefined;
  return photoAddressOf(feature) ?? `/images/${feature.trim()}`;
}

/** A photo's path from the site's root or its address (a string that starts with `/` or a scheme), or undefined. */
function photoAddressOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^(\/|[a-z][a-z0-9+.-]*:)/i.test(value.trim()) ? value.trim() : undefined;
}

/** A photo's path or address as a theme's key gives it: photoAddressOf's, or a photo's path without a leading slash (`img/bg.jpg`). */
function photoPathOf(value: unknown): string | undefined {
  return photoAddressOf(value) ?? (typeof value === 'string' && PHOTO_FILE.test(value.trim()) ? value.trim() : undefined);
}

/** A path that names a photo by its extension (`img/post-bg.jpg`): a theme key that is one is not a colour or a word. */
const PHOTO_FILE = /^[^\s?#]+\.(?:jpe?g|png|gif|webp|avif|svg)$/i;

/**
 * A front matter photo path as Jekyll themes and jekyll-seo-tag read it: one without a leading `/`
 * (`image: assets/images/3.jpg`, Mediumish's and Jasper's) is from the site's root, as their
 * `{{ site.baseurl }}/{{ page.image }}` and seo-tag's `absolute_url` make it, not from the post's address.
 */
function fromSiteRoot(path: string): string {
  return /^([a-z][a-z0-9+.-]*:|\/|#|\{|\.\.\/)/i.test(path) || path === '' ? path : `/${path.replace(/^(?:\.\/)+/, '')}`;
}

/**
 * The photo a Jekyll theme's own front matter names where a post has no `image:`, as that theme's
 * social tags read it: Minimal Mistakes' `header:` (`og_image`, then `overlay_image`, `image`,
 * `teaser`; its `image_description` as the photo's text), Beautiful Jekyll's `share-img`, then
 * `cover-img`, and the header photos of Hux Blog, Clean Blog, Jasper, TeXt and Type on Strap.
 * Without it the post's card and og:image were a generated one, and its page had no photo.
 */
function themePhotoOf(given: Record<string, unknown>): { image: string; alt?: string } | undefined {
  const header = given['header'];
  if (header !== null && typeof header === 'object' && !Array.isArray(header)) {
    const keys = header as Record<string, unknown>;
    const image = ['og_image', 'overlay_image', 'image', 'teaser'].map((key) => photoPathOf(keys[key])).find((path) => path !== undefined);
    const alt = typeof keys['image_description'] === 'string' ? keys['image_description'] : undefined;
    if (image) return { image, ...(alt ? { alt } : {}) };
  }
  // Beautiful Jekyll's share-img and cover-img, Hux Blog's header-img, Clean Blog's background, Jasper's and TeXt's cover, Type on Strap's feature-img.
  const image = ['share-img', 'cover-img', 'header-img', 'background', 'cover', 'feature-img'].map((key) => photoPathOf(given[key])).find((path) => path !== undefined);
  return image ? { image } : undefined;
}

/**
 * The front matter (over the site's defaults) as the schema reads it. A key of the wrong kind is an
 * error at its line (or at the settings file, for a key only a default set), and the post is left
 * out; on a Jekyll site (`lenient`), which Jekyll builds anyway, it is a warning and the key is
 * left out instead, kept as written for the site's Liquid alone (see AS_WRITTEN), which shows it as
 * Jekyll does.
 */
function validate(data: Record<string, unknown>, own: Record<string, unknown>, file: string, matterText: string, settingsFile: string, diagnostics: Diagnostics, lenient: boolean): FrontMatter | undefined {
  // A key left empty (`permalink:`) is a key not given, as Jekyll reads it.
  const given = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));
  // But Jekyll publishes only what `published` leaves true in Ruby: an empty one keeps the post out, and text (even "false") puts it in.
  if (lenient && Object.hasOwn(data, 'published') && typeof data['published'] !== 'boolean') {
    if (typeof data['published'] === 'string') {
      const at = Object.hasOwn(own, 'published') ? keyPosition(matterText, ['published']) : { line: undefined, column: undefined };
      diagnostics.warning('R204', Object.hasOwn(own, 'published') ? file : settingsFile, at.line, at.column, `published "${data['published']}" is text, which Jekyll takes as true: published`, 'write published: false to keep it out');
    }
    given['published'] = data['published'] !== null;
  }
  const image = given['image'];
  if (image !== null && typeof image === 'object' && typeof (image as Record<string, unknown>)['alt'] === 'string' && given['image_alt'] === undefined) {
    given['image_alt'] = (image as Record<string, unknown>)['alt'];
  }
  const feature = lenient ? featureImageOf(image) : undefined;
  if (feature !== undefined) given['image'] = feature;
  const themePhoto = lenient && image === undefined ? themePhotoOf(given) : undefined;
  if (themePhoto) {
    given['image'] = themePhoto.image;
    if (themePhoto.alt !== undefined && given['image_alt'] === undefined) given['image_alt'] = themePhoto.alt;
  }
  // Chirpy's image: {path: mockup.png} beside media_subpath is in that folder.
  const subpath = lenient ? mediaSubpathOf(given) : undefined;
  const written = given['image'];
  const imagePath = typeof written === 'string' ? written : (written as { path?: unknown } | null | undefined)?.path;
  if (subpath !== undefined && typeof imagePath === 'string') given['image'] = underMediaSubpath(imagePath, subpath);
  else if (lenient && typeof imagePath === 'string') given['image'] = fromSiteRoot(imagePath.trim());
  // A mapping the schema reads one value of (image: {path}, video: {url}) is still a mapping to the site's Liquid (`page.video.url`).
  const asWritten: Record<string, unknown> = lenient ? mappingsAsWritten(data, ['image', 'video']) : {};
  // A video theme's `youtube_id:` (jekyll-video's, Meetup Gemist's) names the recording where there is no video:; the site's Liquid still has no page.video.
  const youtubeId = lenient && given['video'] === undefined ? given['youtube_id'] : undefined;
  if (typeof youtubeId === 'string' && YOUTUBE_ID.test(youtubeId.trim())) {
    given['video'] = `https://www.youtube.com/watch?v=${youtubeId.trim()}`;
    asWritten['video'] = null;
  }
  for (;;) {
    const result = frontMatterSchema.safeParse(given);
    if (result.success) return Object.keys(asWritten).length > 0 ? { ...result.data, [AS_WRITTEN]: asWritten } : result.data;
    // Each round leaves out at least one key that is there: the loop ends.
    const keys = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')))].filter((key) => key !== '' && Object.hasOwn(given, key));
    const leftOut = lenient && keys.length > 0;
    const outcome = 'left out, and the post built without it, as Jekyll builds it';
    // A key of the site's own shape is noted once, however many of the schema's rules it breaks.
    const noted = new Set<string>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key && !Object.hasOwn(own, key)) {
        diagnostics.problem(leftOut, 'R204', settingsFile, undefined, undefined, `defaults: ${describeIssue(issue, data)} (in ${file})`, outcome, 'change the value under defaults:, or set the key in the post');
        continue;
      }
      const at = keyPosition(matterText, issue.path);
      // A Jekyll site's own list or mapping under a name Recap reads as one value (`slides:` of several decks, `location: {name, address}`) is data its layouts show: nothing is wrong.
      if (leftOut && isOwnShape(key, given[key])) {
        if (noted.has(key)) continue;
        noted.add(key);
        const shape = Array.isArray(given[key]) ? 'list' : typeof given[key] === 'object' ? 'mapping' : 'text';
        diagnostics.note('R204', file, at.line, at.column, `${key}: the site's own ${shape}, which its Liquid reads as written; Recap's theme leaves it out (its ${describeIssue(issue, data)})`);
        continue;
      }
      const hint = key === 'title' ? 'every post needs a title, e.g. title: "Cloud Native London, March 2024"' : undefined;
      diagnostics.problem(leftOut, 'R204', file, at.line, at.column, describeIssue(issue, data), outcome, hint);
    }
    if (!leftOut) return undefined;
    for (const key of keys) {
      asWritten[key] = data[key];
      delete given[key];
    }
  }
}

/** A YouTube video's id as a video theme's front matter gives it (`youtube_id: DGC4pERlTXI`). */
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/** Keys Recap reads as one text or address that a Jekyll meetup site gives a list or mapping of its own: a place's name and address, decks, a recording's details. */
const OWN_SHAPES: ReadonlySet<string> = new Set(['location', 'video', 'slides']);

/**
 * Whether a Jekyll site's value under a key Recap reads is the site's own data, in a shape of its
 * own: a list or mapping under OWN_SHAPES, or an `event:` that is no meetup of Recap's (a name, as
 * `event: DevFest 2024`, or a mapping with no `start`, as `event: {name, url}`).
 */
function isOwnShape(key: string, value: unknown): boolean {
  if (key === 'event') return typeof value === 'string' || (value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.hasOwn(value, 'start'));
  return OWN_SHAPES.has(key) && value !== null && typeof value === 'object';
}

/** The values of these keys that are mappings, as written. */
function mappingsAsWritten(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => data[key] !== null && typeof data[key] === 'object' && !Array.isArray(data[key])).map((key) => [key, data[key]]));
}

/** Drops every front-matter URL the URL policy refuses (script, data and file URLs, however disguised), with a warning at its key. */
function dropUnsafeUrls(data: FrontMatter, file: string, matterText: string, diagnostics: Diagnostics): void {
  // Last first, so removing a list item leaves the positions of the earlier ones as they were.
  for (const { path: at, value } of urlValuesOf(data).reverse()) {
    const verdict = checkUrl(value);
    if (verdict.ok) continue;
    const where = keyPosition(matterText, at);
    diagnostics.warning('R301', file, where.line, where.column, `front matter "${at.join('.')}" was removed: ${verdict.reason}`, URL_POLICY_HINT);
    removeAt(data, at);
  }
}

/**
 * The front matter key a post's address comes from, for a report of it: its `permalink`, its
 * `slug`, its categories where one is a `.` or `..` (the site's pattern puts them in the address),
 * else its file name.
 */
function addressCause(data: FrontMatter, categories: readonly string[], matterText: string): string {
  if (data.permalink !== undefined) return 'permalink';
  if (data.slug !== undefined) return 'slug';
  // Only an address that a category dots is looked for in the front matter's text: every post's parse passes here.
  if (!categories.some((category) => /(^|\/)\.\.?(\/|$)/.test(category))) return 'file name';
  return ['categories', 'category'].find((name) => lineOfYamlKey(matterText, [name]) !== undefined) ?? 'file name';
}

/**
 * A Jekyll site's address as Jekyll writes it (see jekyllSanitizedUrl), with a warning at what
 * gave it where that differs from what it spells and is published: Jekyll builds `categories: [..]` or
 * `permalink: /blog/../x/` at the address it makes of them, and so does Recap.
 */
function asJekyllWritesIt(url: string, cause: string, file: string, matterText: string, diagnostics: Diagnostics): string {
  const written = jekyllSanitizedUrl(url);
  // Where even Jekyll's address cannot be published, unsafeOutput says so, once.
  if (written !== url && !unsafeOutputReason(written)) {
    const at = keyPosition(matterText, [cause]);
    diagnostics.warning('R211', file, at.line, at.column, `${cause} gives the address "${url}", which Jekyll writes as "${written}": published there`, 'write the address you mean, without "." or ".." in it');
  }
  return written;
}

/**
 * Reports a URL path the post asks for (permalink, redirect_from) that cannot be an output path:
 * an error, or on a Jekyll site (which Jekyll builds, publishing `/wait/.x/` for a post named
 * `wait...x.md`) a warning that says what is left out.
 */
function unsafeOutput(url: string, key: string, what: string, file: string, matterText: string, jekyll: boolean, diagnostics: Diagnostics): boolean {
  const unsafe = unsafeOutputReason(url);
  if (!unsafe) return false;
  const at = keyPosition(matterText, [key]);
  const outcome = `${what} is left out`;
  diagnostics.problem(jekyll, 'R211', file, at.line, at.column, `${key} "${url}" cannot be an output path: ${unsafe}`, outcome, 'use a plain path inside the site, such as /2024/03/06/my-meetup/');
  return true;
}

/**
 * Whether Jekyll publishes a file in no layout: its layout, after the front matter defaults, is
 * null, empty, false, `none` or `null` (names no layout has), or, for an HTML file, not given at all.
 * A Markdown file that names none still gets Recap's theme, as GitHub Pages gives such files a
 * default layout (jekyll-default-layout) and Recap's theme stands in for the site's layouts.
 */
function inNoLayout(data: Record<string, unknown>, file: string): boolean {
  if (!Object.hasOwn(data, 'layout')) return HTML_FILE.test(file);
  const layout = data['layout'];
  return layout === null || layout === undefined || layout === false || (typeof layout === 'string' && /^\s*(?:none|null)?\s*$/i.test(layout));
}

/** Parse stage: one source file to a Post (front matter validated, date and URL decided), or undefined with diagnostics. */
export function parsePost(source: ReadSource, context: ParseContext, diagnostics: Diagnostics): Post | undefined {
  const file = source.path;
  const page = source.kind === 'page';
  const { config } = context;
  const { collection, documentPath } = source;
  const id = documentPath !== undefined ? `${collection}/${documentPath}`
    : page ? (source.inPagesFolder ? file.replace(/^pages\//, '') : file).replace(CONTENT_FILE, '') : path.posix.basename(file).replace(CONTENT_FILE, '');
  // Posts, and a collection's documents as Jekyll reads them, take a date and a slug from a dated file name.
  const nameMatch = documentPath !== undefined ? POST_NAME.exec(path.posix.basename(documentPath)) : page ? null : POST_NAME.exec(id);
  if (!nameMatch && !source.draft && !page) {
    diagnostics.warning('R106', file, undefined, undefined, 'skipped: a post file name must start with its date',
      'name it YYYY-MM-DD-slug.md, e.g. 2024-03-06-cloud-native-london.md');
    return undefined;
  }
  const decoded = decodeUtf8(source.bytes);
  if (!decoded.ok) {
    // Jekyll reports such a file ("could not read file") and builds the rest of the site without it.
    diagnostics.problem(config.jekyll !== undefined, 'R209', file, decoded.line, undefined, 'the file is not valid UTF-8 text', 'left out, as Jekyll leaves it out', 'save it as UTF-8 in your editor');
    return undefined;
  }
  const text = withoutXmlForbidden(decoded.text, file, diagnostics);
  // Jekyll builds a post without front matter (its title from the file name): so does Recap.
  const split = (page && !source.plain) || text.startsWith('---') ? splitFrontMatter(text, file, diagnostics, config.jekyll !== undefined) : { data: {}, matterText: '', body: text, bodyLine: 1 };
  if (!split) return undefined;
  for (const key of removeXmlForbiddenValues(split.data)) {
    const at = keyPosition(split.matterText, [key]);
    diagnostics.warning('R110', file, at.line, at.column, `removed invisible control characters from "${key}" that feeds and sitemaps cannot hold`, 'check the escapes (such as \\u0001) in its value');
  }
  const found = defaultsFor(config.defaults, file, defaultsType(source));
  // Jekyll decides whether a page is published by its own front matter alone (its `Hash#fetch` passes
  // by the defaults), where a post's or a collection document's defaults count.
  const defaults = found && config.jekyll && page && collection === undefined ? withoutKey(found, 'published') : found;
  const merged = withDefaults(split.data, defaults);
  const noLayout = config.jekyll !== undefined && inNoLayout(merged, file);
  const data = validate(merged, split.data, file, split.matterText, config.file, diagnostics, config.jekyll !== undefined);
  if (!data) return undefined;
  dropUnsafeUrls(data, file, split.matterText, diagnostics);
  // A Jekyll post's own `excerpt:` is its description where it has none (as jekyll-seo-tag reads it).
  if (data.description === undefined && typeof data['excerpt'] === 'string' && data['excerpt'].trim()) data.description = data['excerpt'].trim();
  // Jekyll sites write `Meetup&mdash;Emacs` in titles: the text is the character, escaped again where it is shown.
  for (const key of ['title', 'subtitle', 'description', 'location'] as const) {
    const value = data[key];
    if (value !== undefined && value.includes('&')) data[key] = decodeHTML(value);
  }

  let date: SiteDate | undefined;
  // The front matter's date as written, which says whether it gives a time of day (an event document's does).
  let writtenDate: string | undefined;
  if (data.date !== undefined) {
    writtenDate = config.jekyll ? jekyllDate(data.date, split.matterText) : data.date;
    const at = () => keyPosition(split.matterText, ['date']);
    const parsed = siteDate(writtenDate, context.clock, config.jekyll !== undefined, file, at, diagnostics);
    if (!parsed.ok) {
      diagnostics.error('R205', file, at().line, at().column, `front matter date: ${parsed.reason}`);
      return undefined;
    }
    date = parsed.date;
  } else if (nameMatch) {
    const written = `${nameMatch[1]}-${nameMatch[2]}-${nameMatch[3]}`;
    const parsed = siteDate(written, context.clock, config.jekyll !== undefined, file, undefined, diagnostics);
    if (!parsed.ok) {
      diagnostics.error('R205', file, undefined, undefined, `file name date: ${parsed.reason}`, 'rename the file with a real date');
      return undefined;
    }
    date = parsed.date;
  } else {
    date = page ? UNDATED : context.now;
  }

  const given = readEvent(data, context.clock, file, (at) => keyPosition(split.matterText, at), diagnostics);
  if (given === null) return undefined;
  // A Jekyll site's event document (`_events/`) with no event: of its own is a meetup on its date (in its front matter or its file name): at its time, or all that day.
  const dateAsWritten = writtenDate ?? (nameMatch ? `${nameMatch[1]}-${nameMatch[2]}-${nameMatch[3]}` : undefined);
  const event = given ?? (config.jekyll && collection !== undefined ? documentEvent(collection, data, date, dateAsWritten) : undefined);

  // As Jekyll's: a slug never ends with a period (`2024-01-03-etc..md` is `etc`).
  const slug = (nameMatch ? nameMatch[4]! : page ? path.posix.basename(id) : id).replace(/(?<=.)\.+$/, '');
  // As Jekyll: the folders above a nested _posts/ first, then the front matter's.
  const categories = [...new Set([...(source.folderCategories ?? []), ...(data.categories ?? []), ...[data.category ?? []].flat().filter(Boolean)])];
  const permalink = data.permalink ?? source.plain?.permalink
    ?? (page && collection === undefined ? pagePermalink(id, config.permalink, htmlExtensionOf(file)) : collectionPermalink(collection ?? 'posts', config.jekyll?.collections, config.permalink));
  const expanded = config.jekyll && page && collection === undefined
    ? expandPagePattern(permalink, { ...pageFolderAndName(id), outputExtension: htmlExtensionOf(file) ?? '.html' })
    : expandPattern(permalink, {
      // A collection's document without a date is dated when it is built, as Jekyll dates it (only its URL can show it).
      date: documentPath !== undefined && date === UNDATED ? context.now : date,
      title: data.slug ?? slug,
      slug: data.slug ?? slug,
      categories,
      jekyllSlug: config.jekyll !== undefined,
      outputExtension: htmlExtensionOf(file),
      ...jekyllPathParts(file, id, page, collection, documentPath),
    });
  const cause = addressCause(data, categories, split.matterText);
  const written = config.jekyll ? asJekyllWritesIt(expanded, cause, file, split.matterText, diagnostics) : expanded;
  // A Jekyll page at /index.html (`permalink: /index.html`) is the site's index page, which Jekyll writes where it writes one at /.
  const url = config.jekyll && page && written === '/index.html' ? '/' : written;
  const jekyll = config.jekyll !== undefined;
  if (unsafeOutput(url, cause, page ? 'the page' : 'the post', file, split.matterText, jekyll, diagnostics)) return undefined;
  const asked = (data.redirect_from ?? []).map((from) => normaliseRedirect(from))
    .map((from) => (jekyll ? asJekyllWritesIt(from, 'redirect_from', file, split.matterText, diagnostics) : from));
  const unsafeRedirects = asked.filter((from) => unsafeOutput(from, 'redirect_from', 'this redirect', file, split.matterText, jekyll, diagnostics));
  if (unsafeRedirects.length > 0 && !jekyll) return undefined;
  const redirects = asked.filter((from) => !unsafeRedirects.includes(from));
  data.redirect_from = redirects.length ? redirects : undefined;
  const givenTitle = data.title ?? (page && collection === undefined && config.jekyll?.plainMarkdown.titlesFromHeadings ? leadingHeading(split.body) : undefined);
  return {
    file,
    digest: source.digest,
    id,
    draft: source.draft,
    kind: source.kind,
    ...(collection !== undefined ? { collection } : {}),
    data,
    matterText: split.matterText,
    // A page at / is the home page's introduction, under the site's own title.
    title: givenTitle ?? (page && url === '/' ? config.title : titleFromSlug(slug, file, diagnostics)),
    ...(givenTitle === undefined && page && collection === undefined ? { untitled: true as const } : {}),
    ...(noLayout ? { noLayout: true as const } : {}),
    description: data.description ?? '',
    date,
    url,
    tags: boundedTags(dedupe(data.tag !== undefined ? [data.tag].flat().map((tag) => tag.trim()).filter(Boolean) : data.tags ?? []), file, split.matterText, diagnostics),
    categories,
    layout: data.layout ?? (page ? 'page' : 'post'),
    event,
    body: split.body,
    bodyLine: split.bodyLine,
  };
}

/**
 * Where a collection's document in neither Markdown nor HTML goes (`_api/posts.json`), as Jekyll
 * places a document: its `permalink`, else the collection's, expanded with its path, name, slug
 * and date (its own, else its file name's, else `now`, as Jekyll dates an undated document) and its
 * extension (its permalink's, else its file's) as `:output_ext`; a folder address is its `index.html`, as Jekyll's Document writes it.
 */
export function documentDestination(document: { path: string; collection: string; documentPath: string }, written: string | undefined, data: FrontMatter, given: SiteDate | undefined, config: SiteConfig, clock: SiteClock, now: SiteDate): { address: string; url: string } {
  const name = path.posix.basename(document.documentPath);
  const nameMatch = POST_NAME.exec(name);
  const named = nameMatch ? clock.parse(`${nameMatch[1]}-${nameMatch[2]}-${nameMatch[3]}`) : undefined;
  const date = given ?? (named?.ok ? named.date : now);
  const slug = typeof data.slug === 'string' ? data.slug : (nameMatch ? nameMatch[4]! : name);
  // As Jekyll's Renderer#output_ext: its own permalink's extension, else its file's.
  const outputExtension = permalinkExtension(written) ?? path.posix.extname(document.path);
  const address = expandPattern(written ?? collectionPermalink(document.collection, config.jekyll?.collections, config.permalink), {
    date, title: slug, slug, categories: [], jekyllSlug: true, outputExtension,
    ...jekyllPathParts(document.path, `${document.collection}/${document.documentPath}`, true, document.collection, document.documentPath),
  });
  return { address, url: `/${jekyllOutputPathOf(address, address.endsWith('/') ? '.html' : outputExtension)}` };
}

/**
 * Jekyll's `:path`, `:basename`, `:name` and `:collection` of a file: a page's folder and file name;
 * a post's or a collection document's path below its folder (a post's `_posts` left out) and its
 * name slugged.
 */
function jekyllPathParts(file: string, id: string, page: boolean, collection: string | undefined, documentPath: string | undefined): Partial<PermalinkParts> {
  if (documentPath !== undefined) return { collection, path: `/${documentPath}`, name: jekyllNameSlug(path.posix.basename(documentPath)) };
  if (page) return pageFolderAndName(id);
  return { path: `/${file.replace(CONTENT_FILE, '').replace(/(^|\/)_?posts\//, '$1')}`, name: jekyllNameSlug(id) };
}

/** Jekyll's `:path` and `:basename` of a page: its folder and its file's name without the extension. */
function pageFolderAndName(id: string): { path: string; basename: string } {
  return { path: path.posix.dirname(id).replace(/^\.$/, ''), basename: path.posix.basename(id) };
}

/**
 * A page's URL as Jekyll makes it: `/about/` when the site's permalinks are pretty (Recap's
 * default) or end in `/`, `/about.html` under `date`, `ordinal`, `none` or one ending in
 * `:output_ext` (Jekyll's default; `.htm` for an `about.htm`), `/about` under any other; an
 * index page is its folder.
 */
function pagePermalink(id: string, sitePermalink: string, htmlExtension = '.html'): string {
  const folder = /(^|\/)index$/.test(id);
  if (folder) return `/${id.replace(/(^|\/)index$/, '')}/`;
  // As Jekyll's add_permalink_suffix: a folder, `.html`, or (a pattern such as `/blog/:title`) neither, the file still `x.html`.
  if (sitePermalink === 'pretty' || sitePermalink.endsWith('/')) return `/${id}/`;
  return ['date', 'ordinal', 'none'].includes(sitePermalink) || sitePermalink.endsWith(':output_ext') ? `/${id}${htmlExtension}` : `/${id}`;
}

/** A post's tags, at most MAX_TAGS_PER_POST of them: each is a page, so a post cannot make thousands (the rest are left out, with a warning). */
function boundedTags(tags: string[], file: string, matterText: string, diagnostics: Diagnostics): string[] {
  if (tags.length <= MAX_TAGS_PER_POST) return tags;
  const at = keyPosition(matterText, [/^tag:/m.test(matterText) ? 'tag' : 'tags']);
  diagnostics.warning('R215', file, at.line, at.column, `${tags.length} tags: the first ${MAX_TAGS_PER_POST} are the post's, the rest are left out of the tag pages`,
    `a post may have ${MAX_TAGS_PER_POST} tags (each is a page of its own): keep those readers will look for`);
  return tags.slice(0, MAX_TAGS_PER_POST);
}

/**
 * The heading a page's Markdown opens with (`# About us`, or a line underlined with `=` or `-`),
 * as jekyll-titles-from-headings takes it for a page without a title; undefined when it opens with
 * anything else.
 */
function leadingHeading(body: string): string | undefined {
  // Read line by line (one pattern for both kinds backtracked through runs of white space and #: 7 s for 80 KB).
  const start = body.search(/\S/);
  if (start === -1) return undefined;
  const lines = body.slice(start).split('\n', 2).map((line) => line.replace(/\r$/, ''));
  const [first, second] = [lines[0]!, lines[1]];
  const marker = /^#{1,6}[ \t]+/.exec(first);
  const heading = marker ? trimEndOf(first.slice(marker[0].length), ' \t#') : second !== undefined && /^[-=]+[ \t]*$/.test(second) ? first : undefined;
  const text = heading?.replace(/[*_`]/g, '').trim();
  return text || undefined;
}

/** A post without a title takes one from its file name, as Jekyll does: `cloud-native-london` -> `Cloud Native London`. */
function titleFromSlug(slug: string, file: string, diagnostics: Diagnostics): string {
  const title = slug.split('-').filter(Boolean).map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join(' ') || slug;
  diagnostics.note('R210', file, 1, 1, `no title: using "${title}" from the file name`, 'add title: "..." to the front matter to choose it');
  return title;
}

/** A `redirect_from` entry as a URL path: a leading slash, no repeated slashes. */
function normaliseRedirect(from: string): string {
  return ('/' + from.trim()).replace(/\/{2,}/g, '/');
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** A mapping without one of its keys. */
function withoutKey(values: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _left, ...rest } = values;
  return rest;
}
