import { defaultOperators, Liquid, LiquidError, toValue, type Context, type Parser, type Emitter, type Tag, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import { paginatorFolder, type SiteConfig } from './config.js';
import { Diagnostics, positionIn } from '../diagnostics/diagnostics.js';
import { INCLUDE_TAG, includeTable } from './jekyll-theme-includes.js';
import { liquidFieldsOf, paginatorOf, readsSiteLists, rubyTime, relativeIncludePath, showsPaginator, siteListsOf, withExcerpt, type ContentOf, type ExcerptOf, type JekyllInputs } from './jekyll-inputs.js';
import { isHomeIntroduction, type Post } from './post.js';
import { jekyllEscapedUrl } from './permalink.js';
import { trimEndOf } from './text.js';
import { isoAtOffset, SiteClock, writtenOffsetMinutes, type SiteDate } from './dates.js';
import { addressableNormalized, hasIsoWeekDirective, registerRubyFilters, withIsoWeek, withRubyCombinedDirectives } from './jekyll-filters.js';
import { rubyInspect } from './ruby-strings.js';
import { kramdownSmartText } from './kramdown.js';
import { KRAMDOWN_DEFAULTS } from './kramdown-settings.js';
import { laxBody, type LaxReading } from './jekyll-lax-liquid.js';
import { withRubyQuotedStrings } from './liquid-quoted-strings.js';
import { parseInLinearTime } from './liquid-token-queue.js';
import { resolveVideoUrl } from '../talks/youtube.js';

/** Limits on one post's Liquid: template size, render time, and the memory loops and strings may take. */
const LIMITS = { parseLimit: 1_000_000, renderLimit: 1000, memoryLimit: 20_000_000 } as const;

/** How long Liquid may run in all in one build, by default: thousands of posts each near their own limit would take hours. */
const BUILD_BUDGET_MS = 60_000;

/** How deep `{% include_relative %}` may nest (a file that includes itself stops there). */
const MAX_RELATIVE_DEPTH = 8;

/** How deep `{% include %}` may nest: an include that includes itself stops there, with an error, before the stack runs out. */
const MAX_INCLUDE_DEPTH = 32;

/** Tags that never stand alone: one of these unknown is a mistake in the post, not a plugin's tag (as is an end tag of no plugin's tag). */
const NOT_PLUGIN_TAGS = new Set(['else', 'elsif', 'when']);

/** How many unknown tags a build leaves out before the next is an error (each makes Liquid read a body again). */
const MAX_PLUGIN_TAGS = 16;

/** How many markups read leniently a file is told of, one by one (the last message counts the rest). */
const MAX_LAX_REPORTS = 5;

/** Markup as a message quotes it: on one line, and at most 120 characters. */
function shortened(markup: string): string {
  const line = markup.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** A tag name Liquid did not know, from its error (`tag "youtube" not found`). */
const UNKNOWN_TAG = /^tag "([A-Za-z_][\w-]*)" not found/;

/** What Liquid in a Jekyll site's posts can see and name. */
export interface JekyllContext extends JekyllInputs {
  config: SiteConfig;
  /** The build's moment: `site.time`, and what the date filters read `"now"` and `"today"` as. */
  now: SiteDate;
  /** Post URL paths by file name without extension, for `{% post_url %}`. */
  postUrls: ReadonlyMap<string, string>;
  /** URL paths by site path (`_posts/2016-07-26-x.md`, `about.md`), for `{% link %}`. */
  urlsBySource: ReadonlyMap<string, string>;
  /** Renders Markdown to HTML, for `markdownify`. */
  markdownify: (text: string) => string;
  /** How long, in ms, Liquid may run in all in this build (default 60 s): each post has at most 1 s, and the build no more than this. */
  budgetMs?: number | undefined;
  /** The text of a file `{% include_relative %}` names (a site path), or why it cannot be read. */
  readRelative: (sitePath: string) => string | Error;
  /** The site's posts and pages, newest first, for `site.posts`, `site.pages`, `site.tags`, `site.categories` and `site.LABEL` of a collection. */
  parsed: ReadonlyArray<Post>;
  /** A post's excerpt text as Jekyll cuts it (see excerptSourceOf), kept from before its body was let go of; undefined where it holds Liquid. */
  excerptTextOf: (post: Post) => string | undefined;
  /** A listed post's HTML as `content`, where the build has every post's for the page being made (see readsListedContent). */
  contentOf?: ContentOf | undefined;
}

/** Renders a post's body as Jekyll would before Markdown, or reports why it cannot (and keeps the text). */
export interface JekyllLiquid {
  render(post: Post, body: string, diagnostics: Diagnostics): string;
}

function escapeXml(text: unknown): string {
  return String(text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An empty output tag, `{{ }}`, which Jekyll's Liquid renders as nothing and liquidjs refuses. */
const EMPTY_OUTPUT = /\{\{-?\s*-?\}\}/;

/**
 * A body with each `{{ }}` outside `{% raw %}` blocks taken out, its line breaks kept (so errors
 * keep their lines), in one pass over the text.
 */
function withoutEmptyOutputs(body: string): string {
  const rawStart = /\{%-?\s*raw\s*-?%\}/g;
  const rawEnd = /\{%-?\s*endraw\s*-?%\}/g;
  const emptyOutputs = new RegExp(EMPTY_OUTPUT.source, 'g');
  const parts: string[] = [];
  let at = 0;
  while (at < body.length) {
    rawStart.lastIndex = at;
    const start = rawStart.exec(body);
    parts.push(body.slice(at, start ? start.index : body.length).replace(emptyOutputs, (tag) => tag.replace(/[^\n]/g, '')));
    if (!start) break;
    rawEnd.lastIndex = start.index + start[0].length;
    const end = rawEnd.exec(body);
    at = end ? end.index + end[0].length : body.length;
    parts.push(body.slice(start.index, at));
  }
  return parts.join('');
}

/** A post as `site.posts` lists it. */
type Listed = Record<string, unknown>;

/**
 * A Liquid engine made for untrusted templates (liquidjs), set up as Jekyll sets up its own:
 * `{% include %}` with parameters from `_includes/` only (an in-memory table, so no path can reach
 * another file), `{% post_url %}`, `{% link %}`, `{% highlight %}`, `{% raw %}`, Jekyll's common
 * filters, `site.*` and `page.*`; bounded in size, time and memory; nothing else of the machine.
 */
export function createJekyllLiquid(context: JekyllContext): JekyllLiquid {
  const { config } = context;
  // Each include as liquidjs is to read it: its quoted strings as Ruby's Liquid reads them.
  const includeTexts: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, text] of Object.entries(context.includes)) includeTexts[name] = withRubyQuotedStrings(text);
  const includes = includeTable(includeTexts, config.jekyll?.theme);
  parseInLinearTime();
  const liquid = new Liquid({
    templates: includes.templates,
    jekyllInclude: true,
    dynamicPartials: false,
    strictFilters: false,
    strictVariables: false,
    ownPropertyOnly: true,
    // The date filters write a time in the site's zone, as Jekyll (which runs in it) writes them, whatever this machine's zone;
    // a time written with its offset in that offset, as Ruby's Time.parse keeps it (see asWritten).
    timezoneOffset: config.timezone,
    preserveTimezones: true,
    // Ruby's Liquid reads `<>` as `!=`.
    operators: { ...defaultOperators, '<>': defaultOperators['!=']! },
    ...LIMITS,
  });
  // A site-relative URL gets the base URL and is normalised as Jekyll's Addressable normalises it (`My File.pdf` is `My%20File.pdf`); nothing stays nothing.
  const withBase = (given: unknown) => {
    const value = toValue(given);
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /^[a-z][a-z0-9+.-]*:|^\/\//i.test(text) ? text : addressableNormalized(`${config.baseurl}${text.startsWith('/') || text === '' ? '' : '/'}${text}`);
  };
  liquid.registerFilter('relative_url', withBase);
  liquid.registerFilter('absolute_url', (value: unknown) => {
    const relative = withBase(value);
    return relative.startsWith('/') && !relative.startsWith('//') ? `${config.url}${relative}` : relative;
  });
  // A date written without an offset (`2024-03-06`, `March 6, 2024`) is a time in the site's zone, as Ruby's Time.parse reads it for
  // Jekyll (which runs in that zone): given to liquidjs as an instant, which it writes there, with the zone's name for %Z. As Ruby's
  // Liquid reads a date, "now" and "today" (any case) are the build's moment, and a whole number (or text of digits alone) seconds since 1970.
  const clock = new SiteClock(config.timezone);
  const inSiteZone = (value: unknown): unknown => {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? new Date(value * 1000) : value;
    if (typeof value !== 'string') return value;
    if (/^(?:now|today)$/i.test(value)) return new Date(context.now.epochMs);
    if (/^\d{1,15}$/.test(value)) return new Date(Number(value) * 1000);
    const read = clock.parseLoosely(value);
    return read.ok ? new Date(read.date.epochMs) : value;
  };
  // Liquid's own date filter writes a time written with another offset (`2024-03-06T10:00:00+05:00`) in that offset, as Ruby keeps it;
  // Jekyll's (date_to_xmlschema, date_to_string, ...) write every time in the site's zone.
  const asWritten = (value: unknown): unknown => {
    const instant = inSiteZone(value);
    if (!(instant instanceof Date) || typeof value !== 'string') return instant;
    const offset = writtenOffsetMinutes(value);
    return offset === undefined || offset === clock.offsetMinutes(instant.getTime()) ? instant : isoAtOffset(instant.getTime(), offset);
  };
  const date = liquid.filters['date']! as (this: unknown, ...args: unknown[]) => unknown;
  liquid.registerFilter('date', function (this: unknown, value: unknown, format?: unknown, ...rest: unknown[]) {
    const shown = asWritten(value);
    let ruby = typeof format === 'string' ? withRubyCombinedDirectives(format) : format;
    // The ISO week directives, from the calendar day the date is shown on.
    if (typeof ruby === 'string' && hasIsoWeekDirective(ruby)) {
      const day = date.call(this, shown, '%Y-%m-%d');
      if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) ruby = withIsoWeek(ruby, day);
    }
    return date.call(this, shown, ruby, ...rest);
  });
  for (const name of ['date_to_xmlschema', 'date_to_rfc822']) {
    const own = liquid.filters[name]! as (this: unknown, ...args: unknown[]) => unknown;
    liquid.registerFilter(name, function (this: unknown, value: unknown, ...rest: unknown[]) {
      return own.call(this, inSiteZone(value), ...rest);
    });
  }
  // Jekyll's dates in words, in the site's time zone: `06 Mar 2024`, or with "ordinal" `6th Mar 2024` (`Mar 6th, 2024` in the "US" style).
  for (const [name, month] of [['date_to_string', 'short'], ['date_to_long_string', 'long']] as const) {
    liquid.registerFilter(name, (value: unknown, type?: unknown, style?: unknown) => {
      const instant = inSiteZone(value);
      const date = instant instanceof Date ? instant : new Date(String(instant));
      if (Number.isNaN(date.getTime())) return String(value ?? '');
      const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { day: 'numeric', month, year: 'numeric', timeZone: config.timezone }).formatToParts(date).map((p) => [p.type, p.value]));
      if (type !== 'ordinal') return `${parts['day']!.padStart(2, '0')} ${parts['month']} ${parts['year']}`;
      const day = Number(parts['day']);
      const suffix = day % 100 >= 11 && day % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
      return style === 'US' ? `${parts['month']} ${day}${suffix}, ${parts['year']}` : `${day}${suffix} ${parts['month']} ${parts['year']}`;
    });
  }
  // As Jekyll's: the white space at either end goes too.
  liquid.registerFilter('normalize_whitespace', (value: unknown) => String(value ?? '').replace(/\s+/g, ' ').trim());
  // Jekyll's groups have a size, as well as a name and items (group_by is Jekyll's own, registerRubyFilters').
  for (const name of ['group_by_exp']) {
    const grouping = liquid.filters[name]!;
    liquid.registerFilter(name, function* (this: unknown, ...args: unknown[]): Generator<unknown, unknown, unknown> {
      const groups = (yield (grouping as (...a: unknown[]) => unknown).apply(this, args)) as Array<{ items: unknown[] }>;
      return groups.map((group) => ({ ...group, size: group.items.length }));
    });
  }
  liquid.registerFilter('xml_escape', escapeXml);
  liquid.registerFilter('inspect', (value: unknown) => escapeXml(rubyInspect(toValue(value))));
  registerRubyFilters(liquid);
  liquid.registerFilter('jsonify', (value: unknown) => JSON.stringify(value ?? null));
  liquid.registerFilter('markdownify', (value: unknown) => context.markdownify(String(value ?? '')));
  liquid.registerFilter('smartify', (value: unknown) => kramdownSmartText(String(toValue(value) ?? ''), (config.jekyll?.kramdown ?? KRAMDOWN_DEFAULTS).quotes));
  // Includes nest at most MAX_INCLUDE_DEPTH deep; jekyll-include-cache's include is an include.
  let includeDepth = 0;
  const Include = liquid.tags['include']!;
  const renderInclude = (Include as unknown as typeof Tag).prototype.render;
  class BoundedInclude extends Include {
    override *render(ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
      if (includeDepth >= MAX_INCLUDE_DEPTH) throw new Error(`includes are nested more than ${MAX_INCLUDE_DEPTH} deep: does ${this.token.getText()} include itself?`);
      includeDepth++;
      try {
        return yield* renderInclude.call(this, ctx, emitter) as Generator<unknown, unknown, unknown>;
      } finally {
        includeDepth--;
      }
    }
  }
  liquid.registerTag('include', BoundedInclude);
  liquid.registerTag('include_cached', BoundedInclude);
  // Ruby's Liquid reads `reversed` only right after the collection: `for p in list limit:2 reversed` is not reversed in Jekyll (liquidjs reads it anywhere).
  const For = liquid.tags['for']!;
  const renderFor = (For as unknown as typeof Tag).prototype.render;
  class JekyllFor extends For {
    constructor(token: TagToken, remainTokens: TopLevelToken[], engine: Liquid, parser: Parser) {
      super(token, remainTokens, engine, parser);
      const self = this as unknown as { collection: { getText(): string }; hash: { hash: Record<string, unknown> } };
      const from = token.args.search(/\sin\s/);
      const collection = self.collection.getText();
      const after = token.args.slice(token.args.indexOf(collection, from < 0 ? 0 : from) + collection.length);
      if (!/^\s*reversed\b/.test(after)) delete self.hash.hash['reversed'];
    }

    override *render(ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
      return yield* renderFor.call(this, ctx, emitter) as Generator<unknown, unknown, unknown>;
    }
  }
  liquid.registerTag('for', JekyllFor);
  // jekyll-seo-tag's and jekyll-feed's head tags are Recap's theme's to write, so they write nothing here.
  for (const headTag of ['seo', 'feed_meta']) liquid.registerTag(headTag, { parse() {}, render: () => '' });
  liquid.registerTag('post_url', {
    parse(token: TagToken) {
      this['name'] = token.args.trim();
    },
    render() {
      // A post in a folder below _posts may be named with its folder (`sub/2010-07-21-x`, `/sub/...`), as Jekyll takes it.
      const name = String(this['name']);
      const url = context.postUrls.get(name) ?? context.postUrls.get(name.slice(name.lastIndexOf('/') + 1));
      if (url === undefined) throw new Error(`post_url names no post: "${String(this['name'])}"`);
      return config.baseurl + jekyllEscapedUrl(url);
    },
  });
  liquid.registerTag('link', {
    parse(token: TagToken) {
      this['source'] = token.args.trim().replace(/^\//, '');
    },
    render() {
      const url = context.urlsBySource.get(String(this['source']));
      if (url === undefined) throw new Error(`link names no page or post: "${String(this['source'])}"`);
      return config.baseurl + jekyllEscapedUrl(url);
    },
  });
  // Tags of Jekyll plugins (a site's _plugins/ or a gem) that Recap does not run: each is left out, so the text around it (and in a block tag, within it) stays.
  const pluginTags = new Set<string>();
  const leaveOut = (name: string): boolean => {
    const closes = name.startsWith('end') && pluginTags.has(name.slice(3));
    if (NOT_PLUGIN_TAGS.has(name) || (name.startsWith('end') && !closes) || pluginTags.size >= MAX_PLUGIN_TAGS) return false;
    liquid.registerTag(name, { parse() {}, render: () => '' });
    if (!closes) pluginTags.add(name);
    return true;
  };
  // Jekyll reads markup its strict parser refuses leniently, with a warning, unless the site says `liquid: {error_mode: strict}`.
  const liquidSettings = config.jekyll?.site['liquid'];
  const readsLeniently = !(liquidSettings && typeof liquidSettings === 'object' && (liquidSettings as Record<string, unknown>)['error_mode'] === 'strict');
  const reportLaxReadings = (file: string, firstLine: number, source: string, readings: readonly LaxReading[], diagnostics: Diagnostics, includedBy = ''): void => {
    readings.slice(0, MAX_LAX_REPORTS).forEach(({ offset, written, read }, i) => {
      const { line, column } = positionIn(source, offset);
      const more = i === MAX_LAX_REPORTS - 1 && readings.length > MAX_LAX_REPORTS ? ` (and ${readings.length - MAX_LAX_REPORTS} more in this file)` : '';
      diagnostics.warning('R315', file, firstLine + line - 1, column, `Liquid: ${shortened(written)} is not valid Liquid: read as Jekyll reads it, ${shortened(read)}${includedBy}${more}`,
        'write it as it is read: Jekyll reads it so too, with a warning, and stops at it with liquid: {error_mode: strict}');
    });
  };
  // The includes read leniently, by name: each is tried once, when a post's Liquid first fails in it.
  const laxIncludes = new Map<string, readonly LaxReading[] | undefined>();
  const readIncludeLeniently = (name: string): boolean => {
    if (laxIncludes.has(name) || !Object.hasOwn(includeTexts, name)) return false;
    const lax = laxBody(liquid, includeTexts[name]!);
    laxIncludes.set(name, lax?.readings);
    if (lax) includes.templates[name] = lax.text;
    return lax !== undefined;
  };
  // Each post that names a leniently read include is told so, at the include's lines.
  const reportLaxIncludes = (post: Post, body: string, diagnostics: Diagnostics): void => {
    if (laxIncludes.size === 0) return;
    for (const name of new Set(Array.from(body.matchAll(INCLUDE_TAG), (use) => use[1]!))) {
      const readings = laxIncludes.get(name);
      if (readings) reportLaxReadings(`_includes/${name}`, 1, includeTexts[name]!, readings, diagnostics, ` (included by ${post.file})`);
    }
  };
  // Each post that uses one is told so, at its first use: the same whichever post met the tag first.
  const reportPluginTags = (post: Post, body: string, diagnostics: Diagnostics): void => {
    for (const name of pluginTags) {
      const use = new RegExp(`\\{%-?\\s*${name}(?=[\\s%-])`).exec(body);
      if (!use) continue;
      const { line, column } = positionIn(body, use.index);
      diagnostics.warning('R313', post.bodyFile ?? post.file, post.bodyLine + line - 1, column, `Liquid: {% ${name} %} is not a tag Recap knows (a Jekyll plugin's?): left out`,
        'Recap runs no plugin code: write what the tag made into the post, or remove the tag');
    }
  };
  // The {% youtube %} tags of the post being made that name no video (see the tag), reported once it is made.
  const noVideos: Array<{ value: string; at: TagToken }> = [];
  const reportNoVideos = (post: Post, source: string, diagnostics: Diagnostics): void => {
    for (const { value, at } of noVideos.splice(0)) {
      const message = `{% youtube %} of "${shortened(value)}" names no YouTube video: left out`;
      const hint = 'give it a video\'s id or address, like {% youtube Ab3dE5fG7hJ %}';
      const [line, column] = at.getPosition();
      // In an include, at the include's line; in the post's text, at its own (when the text read is the post's as written).
      if (at.file !== undefined) diagnostics.warning('R303', `_includes/${at.file}`, line, column, `${message} (included by ${post.file})`, hint);
      else if (at.input === source) diagnostics.warning('R303', post.bodyFile ?? post.file, post.bodyLine + line - 1, column, message, hint);
      else diagnostics.warning('R303', post.bodyFile ?? post.file, undefined, undefined, message, hint);
    }
  };
  // Liquid's time so far in this build, against its budget.
  const budget = context.budgetMs ?? BUILD_BUDGET_MS;
  let spent = 0;
  // The post being rendered: {% include_relative %} names files beside it.
  let rendering: Post | undefined;
  let depth = 0;
  liquid.registerTag('include_relative', {
    parse(token: TagToken) {
      this['name'] = token.args.trim().split(/\s+/)[0] ?? '';
    },
    render(ctx: Context) {
      const name = String(this['name']);
      const target = relativeIncludePath(rendering!.file, name);
      if (target === undefined) throw new Error(`include_relative "${name}" must name a file in the post's folder or below it`);
      const text = context.readRelative(target);
      if (text instanceof Error) throw text;
      if (depth >= MAX_RELATIVE_DEPTH) throw new Error(`include_relative "${name}" is nested more than ${MAX_RELATIVE_DEPTH} deep`);
      depth++;
      try {
        return liquid.parseAndRenderSync(withRubyQuotedStrings(text), ctx.getAll()) as string;
      } finally {
        depth--;
      }
    },
  });
  // jekyll-gist's tag, which GitHub Pages runs: the gist's script (the site's Content-Security-Policy lets it in, as any embed).
  liquid.registerTag('gist', {
    parse(token: TagToken) {
      [this['id'] = '', this['file'] = ''] = token.args.trim().split(/\s+/);
    },
    render() {
      const id = String(this['id']);
      if (!/^[\w-]+(\/[\w-]+)?$/.test(id)) throw new Error(`gist "${id}" is not a gist id, like {% gist octocat/1234567 %}`);
      const file = String(this['file']);
      return `<script src="https://gist.github.com/${id}.js${file ? `?file=${encodeURIComponent(file)}` : ''}"></script>`;
    },
  });
  // The YouTube tag of jekyll-youtube (and Hexo and DEV, whose posts move to Jekyll with it): the video as a player, which
  // reading the page's HTML makes the click-to-play facade. Its argument is an id or an address, quoted or not, or a variable holding one.
  liquid.registerTag('youtube', {
    parse(token: TagToken) {
      this['arg'] = token.args.trim().replace(/^id\s*=\s*/, '');
      this['at'] = token;
    },
    render(ctx: Context) {
      const arg = String(this['arg']);
      // A bare word is a variable where one of that name is set (`{% youtube page.video %}`), else the id itself.
      const quoted = /^(["'])(.*)\1$/.exec(arg)?.[2];
      const variable = quoted === undefined && /^[A-Za-z_][\w.-]*$/.test(arg) ? toValue(liquid.evalValueSync(arg, ctx)) : undefined;
      const value = quoted ?? (typeof variable === 'string' || typeof variable === 'number' ? String(variable) : arg);
      const video = resolveVideoUrl(/^[\w-]{11}$/.test(value.trim()) ? `https://www.youtube.com/watch?v=${value.trim()}` : value.trim());
      // What the plugin would embed as a broken player is left out, with a warning once the post is made.
      if (!video) {
        noVideos.push({ value, at: this['at'] as TagToken });
        return '';
      }
      return `<iframe src="${video.embedUrl}" title="YouTube video" allowfullscreen></iframe>`;
    },
  });
  // Jekyll's highlight is a block of Liquid (so {% raw %} in it is read, and {{ }} rendered), its code without the line breaks at either end.
  liquid.registerTag('highlight', {
    parse(token: TagToken, remaining: TopLevelToken[]) {
      this['language'] = token.args.trim().split(/\s+/)[0] ?? '';
      const templates: unknown[] = [];
      this['templates'] = templates;
      for (let next = remaining.shift(); next; next = remaining.shift()) {
        if ((next as TagToken).name === 'endhighlight') return;
        templates.push(this.liquid.parser.parseToken(next, remaining));
      }
      throw new Error('{% highlight %} is not closed by {% endhighlight %}');
    },
    *render(ctx: Context): Generator<unknown, string, unknown> {
      const code = String(yield this.liquid.renderer.renderTemplates(this['templates'] as Template[], ctx)).replace(/^[\r\n]+/, '');
      const language = String(this['language']).replace(/[^\w+#-]/g, '');
      return `<pre><code${language ? ` class="language-${language}"` : ''}>${escapeXml(trimEndOf(code, '\r\n'))}</code></pre>`;
    },
  });
  // Every setting of _config.yml, as Jekyll's site holds them, then what Recap read of them.
  const named = { title: config.title, description: config.description, url: config.url, baseurl: config.baseurl, data: context.data, time: rubyTime(context.now) };
  const basics = { ...config.jekyll?.site, ...named };
  // The lists are made for the first body that reads them, once a build.
  let site: Record<string, unknown> | undefined;
  // A post's excerpt as Jekyll's Liquid sees it: the HTML of the text above its separator (its description where that holds Liquid).
  const excerptOf: ExcerptOf = (post) => {
    const source = context.excerptTextOf(post);
    return source === undefined ? post.description : context.markdownify(source);
  };
  const siteLists = () => (site ??= { ...config.jekyll?.site, ...context.unpublished, ...siteListsOf(context.parsed, excerptOf, config.jekyll, context.contentOf), static_files: context.staticFiles, ...named });
  const readsLists = (body: string) => context.includesReadLists || readsSiteLists(body);
  // Each post's place in site.posts (newest first), found once a build.
  let places: Map<unknown, number> | undefined;
  const neighboursOf = (post: Post) => {
    const posts = siteLists()['posts'] as Listed[];
    places ??= new Map(posts.map((listed, at) => [listed['path'], at]));
    const at = places.get(post.file);
    return at === undefined ? undefined : { next: posts[at - 1], previous: posts[at + 1] };
  };
  // The site's own page where jekyll-paginate's first home page would be lists the newest posts, as there.
  const paginatesAt = paginatorFolder(config.paginate_path);
  // jekyll-paginate writes the next page's path as the setting is written (`/page:num`, its default, gives `/page2`) where Recap follows it: its pages are folders either way.
  const written = typeof config.jekyll?.site['paginate_path'] === 'string' ? config.jekyll.site['paginate_path'] : '/page:num';
  const paginatePath = written.replace(/\/?$/, '/') === config.paginate_path ? written : config.paginate_path;
  const paginatorFor = (post: Post, body: string) => (showsPaginator(post, body, paginatesAt, context)
    ? paginatorOf(siteLists()['posts'] as unknown[], config.paginate, paginatePath, config.baseurl) : undefined);
  return {
    render(post, body, diagnostics) {
      if (post.data['render_with_liquid'] === false) return body;
      if (!body.includes('{{') && !body.includes('{%')) return body;
      const lists = readsLists(body);
      // Its content is its text before rendering, as Jekyll's page.content is while Liquid runs (`{{ page.content | number_of_words }}`).
      const page = withExcerpt({ ...liquidFieldsOf(post), ...(post.kind === 'post' && lists ? neighboursOf(post) : undefined), content: body }, post, excerptOf);
      const left = budget - spent;
      const started = performance.now();
      // What Liquid is given: the body, but for its empty output tags.
      let source = body;
      try {
        if (left <= 0) throw new Error(`Liquid has run ${budget / 1000} s in all in this build, its limit: this post is left as written`);
        rendering = post;
        // The site's page at / is shown atop Recap's home page, which lists the posts: its own list of them
        // (jekyll-now's index.html loops over site.posts, a paginated blog's over paginator.posts) is left empty, not shown twice.
        // One in no layout is the home page itself (see Post.noLayout): its lists are whole.
        const home = isHomeIntroduction(post) && !post.noLayout;
        const siteScope = lists ? (home ? { ...siteLists(), posts: [] } : siteLists()) : basics;
        const scope = { site: siteScope, page, paginator: home ? paginatorOf([], config.paginate, paginatePath, config.baseurl) : paginatorFor(post, body) };
        const quoted = withRubyQuotedStrings(body);
        source = EMPTY_OUTPUT.test(quoted) ? withoutEmptyOutputs(quoted) : quoted;
        // The markup read leniently, once the body has failed to parse, and the text its offsets are in.
        let readings: readonly LaxReading[] | undefined;
        let readIn = source;
        for (;;) {
          try {
            noVideos.length = 0;
            const html = String(liquid.parseAndRenderSync(source, scope, { renderLimit: Math.min(LIMITS.renderLimit, budget - spent - (performance.now() - started)) }));
            reportNoVideos(post, source, diagnostics);
            reportPluginTags(post, body, diagnostics);
            includes.reportMissing(post, body, diagnostics);
            if (readings) reportLaxReadings(post.bodyFile ?? post.file, post.bodyLine, readIn, readings, diagnostics);
            reportLaxIncludes(post, body, diagnostics);
            return html;
          } catch (err) {
            const unknown = err instanceof LiquidError ? UNKNOWN_TAG.exec(err.message)?.[1] : undefined;
            if (unknown !== undefined && leaveOut(unknown)) continue;
            if (!readsLeniently || !(err instanceof LiquidError)) throw err;
            // An include's error: that include read leniently, once a build.
            if (err.token?.file !== undefined) {
              if (readIncludeLeniently(err.token.file)) continue;
              throw err;
            }
            const lax = readings === undefined ? laxBody(liquid, source) : undefined;
            if (!lax) throw err;
            readings = lax.readings;
            readIn = source;
            source = lax.text;
          }
        }
      } catch (err) {
        const token = err instanceof LiquidError ? err.token : undefined;
        const message = (err instanceof LiquidError ? (err.originalError?.message ?? err.message) : (err as Error).message).split('\n')[0]!.replace(/, (file:\S+, )?line:\d+, col:\d+$/, '');
        const missing = /^ENOENT: Failed to lookup "(.*)" in "\."$/.exec(message)?.[1];
        const reason = missing === undefined ? message : `include names no file of _includes/: "${missing}"`;
        const hint = /limit/i.test(reason) ? `shorten its loops: a post's Liquid may run ${LIMITS.renderLimit / 1000} s, a build's ${budget / 1000} s in all`
          : missing !== undefined ? `add _includes/${missing} or correct the name: includes come only from _includes/`
            : /^(cannot include|include_relative|post_url names|link names|gist )/.test(reason) ? 'Jekyll would stop here too: correct the name, or add what it names'
              : 'Jekyll would stop here too; wrap literal {{ }} in {% raw %}...{% endraw %}';
        if (token?.file) {
          // The error is in an include: reported at its own line, naming the post it was rendered for.
          const [line, column] = token.getPosition();
          diagnostics.error('R309', `_includes/${token.file}`, line, column, `Liquid: ${reason} (included by ${post.file})`, hint);
          return body;
        }
        const [line, column] = token && token.input === source ? token.getPosition() : [undefined, undefined];
        diagnostics.error('R309', post.bodyFile ?? post.file, line === undefined ? undefined : post.bodyLine + line - 1, column, `Liquid: ${reason}`, hint);
        return body;
      } finally {
        spent += performance.now() - started;
      }
    },
  };
}
