import { hash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Diagnostics, UserError } from '../diagnostics/diagnostics.js';
import { fileSystemProblem } from '../output/fs-errors.js';
import { isValidLanguageTag, isValidTimeZone } from './dates.js';
import { readFrontMatterDefaults, type FrontMatterDefault } from './front-matter-defaults.js';
import { readJekyllCollections, type JekyllCollection } from './jekyll-collections.js';
import { readJekyllArchives, type JekyllArchives } from './jekyll-archives.js';
import { readJekyllFeed, type JekyllFeedSettings } from './jekyll-feed.js';
import { readJekyllSass, type JekyllSassSettings } from './jekyll-sass.js';
import { readKramdownSettings, type KramdownSettings } from './kramdown-settings.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { lineOfYamlKey, readYaml, type YamlResult } from './yaml.js';
import { removeXmlForbiddenValues } from '../policy/limits.js';
import { checkUrl, URL_POLICY_HINT } from '../policy/url-policy.js';
import { isDiagnosticCode, type DiagnosticCode } from '../diagnostics/diagnostic-codes.js';
import { cacheFolderProblem } from '../policy/cache-policy.js';
import { trimEndOf } from './text.js';

/** The site-wide settings every stage reads, after defaults and command-line overrides. */
export interface SiteConfig {
  title: string;
  description: string;
  /** Scheme and host, no trailing slash (`https://example.org`); empty when unknown. */
  url: string;
  /** Path prefix the site is served under: `''` or `/sub` (no trailing slash). */
  baseurl: string;
  timezone: string;
  permalink: string;
  paginate: number;
  /** Where the home pages after the first are, `:num` their number: `/page:num/` (a Jekyll site's `paginate_path`). */
  paginate_path: string;
  author: string;
  twitter: string;
  language: string;
  feed_size: number;
  raw_html: boolean;
  /** Widths of responsive image variants, in pixels. */
  image_widths: number[];
  /** Folder for caches kept between builds (resolved posts, encoded images), relative to the site. */
  cache_dir: string;
  /** The header navigation, when the site sets its own (label and URL of each entry). */
  nav: Array<{ label: string; url: string }> | undefined;
  /** The default theme's accent colour and logo. */
  theme: { accent?: string; logo?: string };
  /** Codes of warnings and notes the site accepts and does not want reported (errors always are). */
  silence: DiagnosticCode[];
  /** Front matter defaults (`defaults:`, as Jekyll's): what posts and pages take where their own front matter says nothing. */
  defaults: FrontMatterDefault[];
  /**
   * For a Jekyll site (a `_config.yml` and no `recap.yml`): its `exclude` and `include`, which
   * decide the root files it publishes, its collections (under `collections_dir`), the archive
   * pages jekyll-archives made for it, and whether jekyll-redirect-from listed its redirects in
   * `/redirects.json` (the plugin in `plugins:`, and not `redirect_from: {json: false}`).
   * `future`, `unpublished` and `show_drafts` publish what `--future` and `--drafts` would; `feed`
   * holds the feeds jekyll-feed made besides `/feed.xml`; `plainMarkdown` what GitHub Pages'
   * plugins for Markdown without front matter do, where `plugins:` lists them; `emoji` whether
   * jemoji is among them (`:tada:` is an emoji); `theme` the gem theme it names (`theme:` or
   * `remote_theme:`), whose includes its posts may use without having them; `pagination` the
   * site's jekyll-paginate-v2 settings (`pagination:` with `enabled: true`), under which its pages
   * that say `pagination: {enabled: true}` are paginated lists, and `autopages` the plugin's
   * (`autopages:` with `enabled: true`): a list for each tag, category and collection; `sass` where
   * its stylesheets' Sass loads from and how their CSS is written; `kramdown` what its `kramdown:`
   * settings change in its posts (quotes, table of contents levels, hard wraps); `site` every setting of
   * `_config.yml` as its Liquid reads them (`{{ site.author.name }}`), and `siteDigest` a digest of them.
   */
  jekyll: {
    exclude: string[]; include: string[]; collections: JekyllCollection[]; collectionsDir: string; archives: JekyllArchives | undefined; redirectsJson: boolean;
    future: boolean; unpublished: boolean; showDrafts: boolean; feed: JekyllFeedSettings | undefined; plainMarkdown: PlainMarkdown; emoji: boolean;
    theme: string | undefined; pagination: Record<string, unknown> | undefined; autopages: Record<string, unknown> | undefined;
    sass: JekyllSassSettings; kramdown: KramdownSettings; site: Record<string, unknown>; siteDigest: string;
  } | undefined;
  /** The file the settings came from, or `''` for defaults only. */
  file: string;
}

/**
 * GitHub Pages' plugins for Markdown without front matter, each on where `plugins:` lists it and
 * its settings do not turn it off: jekyll-optional-front-matter (such a file is a page too, but a
 * README, LICENSE, CONTRIBUTING, ...), jekyll-readme-index (a README is its folder's index where
 * the folder has none) and jekyll-titles-from-headings (a page without a title takes its first
 * heading's); `remove_originals` leaves out the copy of the file itself.
 */
export interface PlainMarkdown {
  pages: boolean;
  readmes: boolean;
  titlesFromHeadings: boolean;
  keepPages: boolean;
  keepReadmes: boolean;
}

/** Settings the command line may override. */
export interface ConfigOverrides {
  baseUrl?: string;
}

/** The photo widths made when a site names none: the theme shows a photo at most 42rem (672 px) wide, which 1344 px fills on a 2× screen; 480 serves a card's 12rem. */
export const DEFAULT_IMAGE_WIDTHS: readonly number[] = [480, 960, 1344];

const DEFAULTS: Omit<SiteConfig, 'file'> = {
  title: 'Meetup recaps',
  description: '',
  url: '',
  baseurl: '',
  timezone: 'UTC',
  permalink: 'pretty',
  paginate: 10,
  paginate_path: '/page:num/',
  author: '',
  twitter: '',
  language: 'en',
  feed_size: 20,
  raw_html: true,
  cache_dir: '.cache',
  image_widths: [...DEFAULT_IMAGE_WIDTHS],
  nav: undefined,
  theme: {},
  silence: [],
  defaults: [],
  jekyll: undefined,
};

const twitterSchema = z.union([
  z.string(),
  z.object({ username: z.string() }).transform((t) => t.username),
]);

const configShape = {
  title: z.coerce.string().refine((title) => title.trim() !== '', { message: 'must not be empty' }),
  description: z.string(),
  url: z.string(),
  baseurl: z.string().nullable().transform((v) => v ?? ''),
  timezone: z.string().refine(isValidTimeZone, { message: 'unknown time zone (use an IANA name such as Europe/London)' }),
  permalink: z.string().refine((permalink) => permalink.trim() !== '', { message: 'must be a style or a pattern, like pretty or /:year/:month/:title/' }),
  paginate: z.number().int().min(1).max(1000),
  author: z.union([z.string(), z.object({ name: z.string() }).transform((a) => a.name)]),
  twitter: twitterSchema,
  language: z.string().refine(isValidLanguageTag, { message: 'not a language tag (use one like en, de or pt-BR)' }),
  feed_size: z.number().int().min(1).max(10000),
  raw_html: z.boolean(),
  cache_dir: z.string().min(1),
  image_widths: z.array(z.number().int().min(16).max(8192)).min(1),
  nav: z.array(z.strictObject({ label: z.coerce.string(), url: z.string().refine((u) => checkUrl(u).ok, { message: URL_POLICY_HINT }) })),
  theme: z.strictObject({
    accent: z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'accent must be a colour such as "#0b5cad"').optional(),
    logo: z.string().refine((u) => checkUrl(u).ok, { message: URL_POLICY_HINT }).optional(),
  }),
  silence: z.array(z.string().refine(isDiagnosticCode, { message: 'not a diagnostic code (codes are printed after each message, like [R403], and listed in the README)' }).transform((c) => c as DiagnosticCode)),
};

const recapSchema = z.strictObject(configShape).partial();
const KNOWN_KEYS = Object.keys(configShape);
/** Jekyll's own `include:` where a site sets none: `.htaccess`, which Recap then says it leaves out. */
const JEKYLL_INCLUDES: readonly string[] = ['.htaccess'];

/** Keys a Jekyll `_config.yml` means otherwise (`theme: minima`, a theme's own `nav`): not read from it. */
const JEKYLL_MEANINGS = new Set(['theme', 'nav']);

/** Splits a `--base-url`/`url` value into origin and path prefix. */
export function splitBaseUrl(value: string): { url?: string; baseurl: string } {
  const trimmed = value.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    const parsed = new URL(trimmed);
    return { url: parsed.origin, baseurl: normaliseBaseurl(parsed.pathname) };
  }
  return { baseurl: normaliseBaseurl(trimmed) };
}

function normaliseBaseurl(value: string): string {
  const stripped = trimEndOf(value.replace(/^\/+/, ''), '/');
  return stripped === '' ? '' : `/${stripped}`;
}

/** The largest settings file Recap reads (a settings file is a screenful; this only stops a runaway one). */
const MAX_SETTINGS_BYTES = 256 * 1024;

/** A small settings-like file of the site (recap.yml, speakers.yml) as text, undefined when absent; a link, a huge file or an unreadable one is a UserError. */
export function readOptional(file: string, what = 'the settings file'): string | undefined {
  try {
    const info = lstatSync(file);
    if (!info.isFile()) {
      throw new UserError({ code: 'R101', severity: 'error', file: path.basename(file), message: `${what} is a link or not a plain file; Recap never follows links`, hint: 'make it a plain file of the site' });
    }
    const size = info.size;
    if (size > MAX_SETTINGS_BYTES) {
      throw new UserError({ code: 'R101', severity: 'error', file: path.basename(file), message: `${what} is ${Math.round(size / 1024)} KiB, over the ${MAX_SETTINGS_BYTES / 1024} KiB limit`, hint: 'keep it to settings and short texts' });
    }
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const problem = fileSystemProblem(err, file);
    if (!problem) throw err;
    throw new UserError({ code: 'R101', severity: 'error', file: path.basename(file), message: `cannot read ${what}: ${problem.message}`, hint: 'make the file readable by the user who builds the site' });
  }
}

/**
 * Loads `recap.yml` (strict: unknown keys are errors) or, when there is none, the Recap keys of a
 * Jekyll `_config.yml` (other Jekyll keys are ignored).
 */
export async function loadConfig(siteDir: string, overrides: ConfigOverrides, diagnostics: Diagnostics): Promise<SiteConfig> {
  let file = 'recap.yml';
  let text = readOptional(path.join(siteDir, file));
  const strict = text !== undefined;
  if (text === undefined) {
    file = '_config.yml';
    text = readOptional(path.join(siteDir, file));
  }
  const config: SiteConfig = { ...DEFAULTS, file: text === undefined ? '' : file };
  if (text !== undefined) {
    const parsed = readYaml(text, { jekyll: file === '_config.yml' });
    Object.assign(config, parseConfigText(parsed, text, file, strict, diagnostics));
    if (file === '_config.yml') Object.assign(config, jekyllDefaults(parsed, text, usesGithubPagesGem(siteDir), diagnostics));
  }
  const unsafeCache = cacheFolderProblem(siteDir, config.cache_dir);
  if (unsafeCache) {
    diagnostics.error('R103', config.file || 'recap.yml', lineOfYamlKey(text ?? '', ['cache_dir'])?.line, undefined, `cache_dir "${config.cache_dir}" cannot hold caches: ${unsafeCache}`,
      'use a folder of its own inside the site, such as the default .cache');
    config.cache_dir = DEFAULTS.cache_dir;
  }
  config.url = trimEndOf(config.url, '/');
  config.baseurl = normaliseBaseurl(config.baseurl);
  if (overrides.baseUrl !== undefined) {
    const split = splitBaseUrl(overrides.baseUrl);
    if (split.url) config.url = split.url;
    config.baseurl = split.baseurl;
  }
  if (config.url && !/^https?:\/\/[^/]+$/i.test(config.url)) {
    // Jekyll builds a site whatever its url says (`url: example.org`): so does Recap, without one.
    const report = strict ? diagnostics.error.bind(diagnostics) : diagnostics.warning.bind(diagnostics);
    report('R104', config.file || 'recap.yml', lineOfYamlKey(text ?? '', ['url'])?.line, undefined,
      `url "${config.url}" is not an absolute http(s) address${strict ? '' : ': ignored'}`, 'write it as https://example.org and put any path in baseurl');
    config.url = '';
  }
  if (!config.url) {
    diagnostics.note('R105', config.file || 'recap.yml', undefined, undefined, 'url is not set: pages carry no canonical link, and the feed and the sitemap use site-relative URLs',
      'set url: https://your.domain in recap.yml, or pass --base-url https://your.domain/path/');
  }
  return config;
}

/** A paginate_path Recap follows: folders of plain names, and `:num` once in the last one (`/blog/page:num/`). */
const FOLLOWED_PAGINATE_PATH = /^\/?(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]*:num[A-Za-z0-9_-]*\/?$/;

/**
 * Where jekyll-paginate puts the home pages after the first (`paginate_path`, written as a folder:
 * `/blog/page:num/`), or undefined for Recap's `/page:num/`. The first home page is always `/`
 * (jekyll-paginate's is the folder's index.html): a note says so when the folder is not the root,
 * and a path Recap cannot follow is a note too.
 */
function homePagesPath(value: unknown, text: string, diagnostics: Diagnostics, key: readonly string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const line = lineOfYamlKey(text, key)?.line;
  const written = value.trim();
  if (!FOLLOWED_PAGINATE_PATH.test(written)) {
    diagnostics.note('R118', '_config.yml', line, undefined, `${key.join('.')} ${JSON.stringify(value)} is not followed: Recap's home pages are /, /page2/, /page3/, ...`,
      'write it as folders of letters, digits, - and _, with :num in the last one, like /blog/page:num/');
    return undefined;
  }
  const path = `/${written.replace(/^\/|\/$/g, '')}/`;
  // jekyll-paginate-v2's permalink is below the paginated page (the home page at /): only jekyll-paginate's first page is in the folder.
  const folder = key[0] === 'paginate_path' ? paginatorFolder(path) : undefined;
  if (folder) {
    diagnostics.note('R118', '_config.yml', line, undefined, `the home pages after the first are at ${path.replace(':num', '2')}, ${path.replace(':num', '3')}, ...; the first is the home page, /, not ${folder}`,
      `nothing to do; a page of the site's own at ${folder} is published, jekyll-paginate's paginator giving it the newest posts`);
  }
  return path;
}

/**
 * Where jekyll-paginate's first home page would be when `paginate_path` puts the others below a
 * folder (`/blog/` for `/blog/page:num/`, the site's `paginate_path`): the site's own page there
 * gets `paginator` in Liquid.
 * Undefined when the home pages are at the root, where Recap's own home page lists the posts.
 */
export function paginatorFolder(paginatePath: string): string | undefined {
  const folder = paginatePath.slice(0, paginatePath.lastIndexOf('/', paginatePath.length - 2) + 1);
  return folder === '/' ? undefined : folder;
}

/**
 * What a Jekyll site means by leaving a setting out: Jekyll's own permalink default (`date`:
 * `/2014/03/14/x.html`), so every migrated URL stays where it was; a Jekyll Now site's `name:` as
 * its title; its `exclude` and `include` lists; and the home pages' addresses and length that
 * jekyll-paginate (`paginate_path`) or jekyll-paginate-v2 (`pagination:`) gave them. A site built
 * with the github-pages gem (`githubPages`) has GitHub Pages' plugins on, listed or not.
 */
function jekyllDefaults(parsed: YamlResult, text: string, githubPages: boolean, diagnostics: Diagnostics): Partial<SiteConfig> {
  const raw = parsed.ok && parsed.value !== null && typeof parsed.value === 'object' ? parsed.value as Record<string, unknown> : {};
  const strings = (value: unknown) => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter((v): v is string => typeof v === 'string');
  const collections = readJekyllCollections(raw['collections'], text, '_config.yml', diagnostics);
  // jekyll-paginate-v2 (`pagination: {enabled: true}`) pages the home page at its own `permalink`, `per_page` posts a page.
  const paginated = settingOf(raw, 'pagination', 'enabled') === true;
  const paginatePath = paginated ? homePagesPath(settingOf(raw, 'pagination', 'permalink') ?? '/page:num/', text, diagnostics, ['pagination', 'permalink'])
    : homePagesPath(raw['paginate_path'], text, diagnostics, ['paginate_path']);
  const collectionsDir = typeof raw['collections_dir'] === 'string' ? trimEndOf(raw['collections_dir'].replace(/^\/+/, ''), '/') : '';
  const archives = readJekyllArchives(raw['jekyll-archives'], text, diagnostics);
  // `gems:` is the older name of `plugins:`.
  const plugins = [...strings(raw['plugins']), ...strings(raw['gems']), ...(githubPages ? GITHUB_PAGES_PLUGINS : [])];
  reportPluginsNotRun(raw, text, diagnostics);
  reportSourceNotFollowed(raw, text, diagnostics);
  const theme = [raw['theme'], raw['remote_theme']].find((name): name is string => typeof name === 'string' && name.trim() !== '')?.trim();
  const defaults: Partial<SiteConfig> = {
    jekyll: {
      exclude: [...strings(raw['exclude']), ...jekyllOutputFolder(raw, text, diagnostics)], include: raw['include'] === undefined ? [...JEKYLL_INCLUDES] : strings(raw['include']), collections, collectionsDir, archives,
      redirectsJson: plugins.includes('jekyll-redirect-from') && settingOf(raw, 'redirect_from', 'json') !== false,
      future: raw['future'] === true, unpublished: raw['unpublished'] === true, showDrafts: raw['show_drafts'] === true,
      feed: readJekyllFeed(raw['feed'], text, diagnostics), plainMarkdown: readPlainMarkdown(raw, plugins), emoji: plugins.includes('jemoji'),
      theme,
      pagination: paginated ? raw['pagination'] as Record<string, unknown> : undefined,
      autopages: settingOf(raw, 'autopages', 'enabled') ? raw['autopages'] as Record<string, unknown> : undefined,
      sass: readJekyllSass(raw['sass'], text, diagnostics),
      kramdown: readKramdownSettings(raw['kramdown'], text, diagnostics, theme),
      site: raw, siteDigest: hash('sha1', JSON.stringify(raw), 'hex'),
    },
  };
  if (paginatePath) defaults.paginate_path = paginatePath;
  const perPage = settingOf(raw, 'pagination', 'per_page');
  if (paginated) defaults.paginate = typeof perPage === 'number' && Number.isInteger(perPage) && perPage >= 1 && perPage <= 1000 ? perPage : 10;
  if (typeof raw['permalink'] !== 'string' || raw['permalink'].trim() === '') defaults.permalink = 'date';
  if (raw['title'] === undefined && typeof raw['name'] === 'string' && raw['name'].trim()) defaults.title = raw['name'].trim();
  const lang = jekyllLanguage(raw, text, diagnostics);
  if (lang) defaults.language = lang;
  return defaults;
}

/** Says that a Jekyll site's `source:` (`source: src`) is not followed: Recap reads the site from the folder holding `_config.yml`. */
function reportSourceNotFollowed(raw: Record<string, unknown>, text: string, diagnostics: Diagnostics): void {
  const source = raw['source'];
  if (typeof source !== 'string' || ['', '.', './'].includes(source.trim())) return;
  const at = lineOfYamlKey(text, ['source']);
  diagnostics.warning('R125', '_config.yml', at?.line, at?.column, `source: ${source.trim()} is not followed: Recap reads the site from the folder holding _config.yml`,
    'move _config.yml into that folder and build it, or move the site\'s files up beside _config.yml');
}

/**
 * The folder a Jekyll site's `destination:` names (`public`, `docs`): Jekyll's output, of which
 * Recap reads nothing, as Jekyll reads nothing from it; said in a note, since Recap writes to
 * `--out` (`_site`) instead. A destination outside the site is only said not to be followed.
 */
function jekyllOutputFolder(raw: Record<string, unknown>, text: string, diagnostics: Diagnostics): string[] {
  const destination = raw['destination'];
  if (typeof destination !== 'string') return [];
  const folder = trimEndOf(destination.trim().replace(/^(?:\.\/)+/, ''), '/');
  if (folder === '_site' || folder === '') return [];
  const at = lineOfYamlKey(text, ['destination']);
  const inside = !path.isAbsolute(folder) && !folder.split('/').some((part) => part === '..' || part === '.');
  diagnostics.note('R125', '_config.yml', at?.line, at?.column, inside
    ? `destination: ${folder} is where Jekyll writes the site: Recap reads nothing from it, and writes where --out says (_site by default)`
    : `destination: ${folder} is not followed: Recap writes where --out says (_site by default)`,
  inside ? `pass --out ${folder} to write there (Recap replaces only a folder it wrote: empty Jekyll's output first)` : 'pass --out DIR to write elsewhere');
  return inside ? [folder] : [];
}

/**
 * The plugins GitHub Pages runs on every site, listed in `plugins:` or not (its documentation,
 * "About GitHub Pages and Jekyll"); the github-pages gem turns them on for local builds too.
 */
const GITHUB_PAGES_PLUGINS = ['jekyll-coffeescript', 'jekyll-default-layout', 'jekyll-gist', 'jekyll-github-metadata', 'jekyll-optional-front-matter',
  'jekyll-paginate', 'jekyll-readme-index', 'jekyll-titles-from-headings', 'jekyll-relative-links'];

/**
 * True when a Jekyll site's Gemfile names the github-pages gem, with which it is built as GitHub
 * Pages builds it. A Gemfile that is a link, over the settings' size limit or unreadable says nothing.
 */
function usesGithubPagesGem(siteDir: string): boolean {
  const file = path.join(siteDir, 'Gemfile');
  const info = lstatSync(file, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size > MAX_SETTINGS_BYTES) return false;
  try {
    return /^[ \t]*gem[ \t(]+["']github-pages["']/m.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The Jekyll plugins Recap stands in for (README, "Moving from Jekyll"), and those that change
 * nothing a build makes (jekyll-compose and jekyll-watch are commands; Recap's theme sets every
 * page's layout, as jekyll-default-layout would).
 */
const PLUGINS_STOOD_IN_FOR: ReadonlySet<string> = new Set([
  'jekyll-archives', 'jekyll-feed', 'jekyll-sitemap', 'jekyll-seo-tag', 'jekyll-paginate', 'jekyll-paginate-v2',
  'jekyll-redirect-from', 'jekyll-optional-front-matter', 'jekyll-readme-index', 'jekyll-titles-from-headings',
  'jekyll-relative-links', 'jekyll-include-cache', 'jekyll-gist', 'jemoji', 'jekyll-sass-converter', 'jekyll-remote-theme',
  'jekyll-coffeescript', 'jekyll-default-layout', 'jekyll-compose', 'jekyll-watch',
]);

/**
 * Warns of each plugin `plugins:` (or `gems:`) lists that Recap neither stands in for nor can
 * leave out unseen (a translation plugin's pages at /de/, links it makes in the text): the
 * build has what Jekyll makes without it. A theme listed there is the theme's to say.
 */
function reportPluginsNotRun(raw: Record<string, unknown>, text: string, diagnostics: Diagnostics): void {
  for (const key of ['plugins', 'gems']) {
    const listed = raw[key];
    // One plugin may stand alone (`plugins: jekyll-feed`), as the setting's reader takes it.
    for (const [index, plugin] of (Array.isArray(listed) ? listed : [listed]).entries()) {
      if (typeof plugin !== 'string' || PLUGINS_STOOD_IN_FOR.has(plugin.trim()) || plugin.trim().startsWith('jekyll-theme-')) continue;
      const at = lineOfYamlKey(text, Array.isArray(listed) ? [key, index] : [key]);
      diagnostics.warning('R124', '_config.yml', at?.line, at?.column, `plugin ${plugin.trim()} is not run: what it adds to the site or changes in it is left out`,
        'Recap runs no plugin code; the plugins it stands in for are listed in its README, under "Moving from Jekyll"');
    }
  }
}

/**
 * The language of a Jekyll site without Recap's `language:`: its `lang:`, which minima and
 * jekyll-seo-tag put in `<html lang>`, else its `locale:` (Minimal Mistakes' and so-simple's,
 * `de-DE`, or in Ruby's way `de_DE`). One that is not a language tag is ignored with a warning.
 */
function jekyllLanguage(raw: Record<string, unknown>, text: string, diagnostics: Diagnostics): string | undefined {
  if (raw['language'] !== undefined) return undefined;
  const key = ['lang', 'locale'].find((name) => typeof raw[name] === 'string' && (raw[name] as string).trim() !== '');
  if (key === undefined) return undefined;
  const written = (raw[key] as string).trim();
  const tag = key === 'locale' ? written.replace(/_/g, '-') : written;
  if (isValidLanguageTag(tag)) return tag;
  const at = lineOfYamlKey(text, [key]);
  diagnostics.warning('R101', '_config.yml', at?.line, at?.column, `${key}: ${JSON.stringify(written)} is not a language tag: ignored, and ${DEFAULTS.language} used`,
    'write it as a language tag, like en, de or pt-BR');
  return undefined;
}

/** A plugin's setting in a Jekyll `_config.yml` (`readme_index: {enabled: false}`), if the plugin's key is a mapping. */
function settingOf(raw: Record<string, unknown>, key: string, name: string): unknown {
  const settings = raw[key];
  return settings !== null && typeof settings === 'object' && !Array.isArray(settings) ? (settings as Record<string, unknown>)[name] : undefined;
}

/** What GitHub Pages' plugins for Markdown without front matter do on a site whose `plugins:` are these (see PlainMarkdown). */
function readPlainMarkdown(raw: Record<string, unknown>, plugins: readonly string[]): PlainMarkdown {
  const on = (plugin: string, key: string) => plugins.includes(plugin) && settingOf(raw, key, 'enabled') !== false;
  const requireFrontMatter = raw['require_front_matter'] === true;
  return {
    pages: on('jekyll-optional-front-matter', 'optional_front_matter') && !requireFrontMatter,
    readmes: on('jekyll-readme-index', 'readme_index'),
    titlesFromHeadings: on('jekyll-titles-from-headings', 'titles_from_headings'),
    keepPages: settingOf(raw, 'optional_front_matter', 'remove_originals') !== true && !requireFrontMatter,
    keepReadmes: settingOf(raw, 'readme_index', 'remove_originals') !== true,
  };
}

function parseConfigText(parsed: YamlResult, text: string, file: string, strict: boolean, diagnostics: Diagnostics): Partial<SiteConfig> {
  if (!parsed.ok) {
    diagnostics.error('R101', file, parsed.line + 1, parsed.column + 1, `invalid YAML: ${parsed.message}`);
    return {};
  }
  if (parsed.value === undefined || parsed.value === null) return {};
  if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    diagnostics.error('R101', file, 1, 1, 'the configuration must be a mapping of keys to values');
    return {};
  }
  let raw = parsed.value as Record<string, unknown>;
  for (const key of removeXmlForbiddenValues(raw)) {
    diagnostics.warning('R110', file, lineOfYamlKey(text, [key])?.line, undefined, `removed invisible control characters from "${key}" that feeds and sitemaps cannot hold`);
  }
  // Front matter defaults are read as Jekyll reads them (a set it cannot use is skipped with a warning), and checked with each post's own front matter.
  const { defaults, ...settings } = raw;
  raw = settings;
  const sets = readFrontMatterDefaults(defaults, text, file, diagnostics);
  // In a Jekyll site's settings, a key left empty (`url:`, `title: ""`) is a key not given, as Jekyll reads it.
  if (!strict) raw = Object.fromEntries(Object.entries(raw).filter(([key, value]) => KNOWN_KEYS.includes(key) && !JEKYLL_MEANINGS.has(key) && value !== null && value !== ''));
  let result = recapSchema.safeParse(raw);
  if (!strict && !result.success) {
    // A Jekyll site's settings are Jekyll's and its theme's: one Recap cannot use is left to Jekyll, with a warning, and the build goes on.
    const unusable = new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')));
    for (const key of unusable) {
      const at = lineOfYamlKey(text, [key]);
      diagnostics.warning('R101', file, at?.line, at?.column, `${key}: ${JSON.stringify(raw[key])} is not a value Recap can use: ignored, and the default used`,
        `Jekyll reads it as before; for Recap, write it as the README's settings table shows`);
    }
    result = recapSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([key]) => !unusable.has(key))));
  }
  if (result.success) return { ...(result.data as Partial<SiteConfig>), defaults: sets };
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = lineOfYamlKey(text, [key]);
        const guess = didYouMean(key, KNOWN_KEYS);
        diagnostics.error('R102', file, at?.line, 1, `unknown setting "${key}"`,
          guess ? `did you mean "${guess}"?` : `known settings: ${KNOWN_KEYS.join(', ')}`);
      }
      continue;
    }
    const at = lineOfYamlKey(text, issue.path);
    diagnostics.error('R101', file, at?.line, at?.column, `${issue.path.join('.')}: ${issue.message}`);
  }
  return {};
}
