import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import type { SiteSources } from '../pipeline/stages/load.js';
import { splitFrontMatter } from './frontmatter.js';
import { CONTENT_FILE, type Post } from './post.js';
import { jekyllEscapedUrl } from './permalink.js';
import { readYaml } from './yaml.js';
import type { SiteDate } from './dates.js';
import { inCollectionOrder, type CollectionsSettings } from './jekyll-collections.js';
import { MAX_JSON_DEPTH, nestedTooDeep } from '../policy/limits.js';
import { AS_WRITTEN } from './schema.js';

/** The largest include (or layout) Recap reads. */
export const MAX_INCLUDE_BYTES = 256 * 1024;
const MAX_DATA_BYTES = 4 * 1024 * 1024;

/** What a Jekyll site's Liquid may read: its includes and its data (kept apart from the Liquid engine, which loads only when a post needs it). */
export interface JekyllInputs {
  /** `_includes/` files by their name there: the only files `{% include %}` can reach. */
  includes: Record<string, string>;
  /** `site.data`, from `_data/*.yml|yaml|json|csv|tsv` (`_data/nav/menu.yml` is `site.data.nav.menu`). */
  data: Record<string, unknown>;
  /** `site.static_files`: each file copied as it is, as Jekyll describes it. */
  staticFiles: Array<Record<string, unknown>>;
  /** `site.LABEL` of each collection without output: its documents' front matter, with their text as `content`. */
  unpublished: Record<string, Array<Record<string, unknown>>>;
  /** True when an include reads the site's lists (`site.posts`, ...): every body that uses Liquid may then show them. */
  includesReadLists: boolean;
  /** True when an include reads jekyll-paginate's `paginator` (a theme's pagination links). */
  includesReadPaginator: boolean;
  /** True when an include reads a listed post's `content` (a search index's or an archive's include). */
  includesReadListedContent: boolean;
  /** True when an include reads the build's time (`site.time`, `"now"`): every body that uses Liquid may then show it. */
  includesReadTime: boolean;
}

/** Sets a key as an own property (a folder of _data/ named `__proto__` is a key like any other), and gives back the value. */
function ownSet(target: Record<string, unknown>, key: string, value: unknown): unknown {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/**
 * Reads what a Jekyll site's Liquid may use: its `_includes/` (plain files only, found by the same
 * link-refusing listing as every input, each at most 256 KiB), its `_data/` YAML, JSON, CSV
 * and TSV (a table is a list of rows keyed by its header, as Jekyll reads it), and the documents
 * of its collections without output.
 */
export async function readJekyllInputs(sources: Pick<SiteSources, 'includes' | 'data' | 'unpublished' | 'statics'>, collections: CollectionsSettings | undefined, diagnostics: Diagnostics): Promise<JekyllInputs> {
  const includes: Record<string, string> = {};
  for (const file of sources.includes) {
    // Sizes are looked at before reading: an oversized file is never read.
    if (lstatSync(file.absPath).size > MAX_INCLUDE_BYTES) diagnostics.error('R310', file.path, undefined, undefined, `the include is over the ${MAX_INCLUDE_BYTES / 1024} KiB limit`);
    else includes[file.url.replace(/^\/_includes\//, '')] = readFileSync(file.absPath, 'utf8');
  }
  const data: Record<string, unknown> = {};
  for (const file of sources.data) {
    // A file in a folder of _data/ is below that folder's name, as Jekyll reads it.
    const parts = file.url.replace(/^\/_data\//, '').replace(/\.(ya?ml|json|csv|tsv)$/i, '').split('/');
    const name = parts.pop()!;
    const folder = parts.reduce<Record<string, unknown>>((at, part) => {
      const inner = Object.hasOwn(at, part) && typeof at[part] === 'object' && at[part] !== null ? at[part] as Record<string, unknown> : {};
      return ownSet(at, part, inner) as Record<string, unknown>;
    }, data);
    if (lstatSync(file.absPath).size > MAX_DATA_BYTES) {
      diagnostics.error('R310', file.path, undefined, undefined, `the data file is over the ${MAX_DATA_BYTES / 1048576} MiB limit`);
      continue;
    }
    const text = readFileSync(file.absPath, 'utf8');
    if (/\.[ct]sv$/i.test(file.path)) {
      // The CSV reader is loaded only for a site with a table.
      const { CsvError, parse } = await import('csv-parse/sync');
      try {
        // A row may be short or long; each comes with its text (`raw`), read for quoted empty fields.
        const delimiter = /\.tsv$/i.test(file.path) ? '\t' : ',';
        const records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true, delimiter, raw: true }) as unknown as Array<{ record: string[]; raw: string }>;
        ownSet(folder, name, tableRows(records.map(({ record, raw }) => withNils(record, raw, delimiter))));
      } catch (err) {
        if (!(err instanceof CsvError)) throw err;
        diagnostics.error('R310', file.path, typeof err['lines'] === 'number' ? err['lines'] : undefined, undefined, `invalid ${/\.tsv$/i.test(file.path) ? 'TSV' : 'CSV'}: ${err.message.replace(/^Invalid [^:]*: /, '')}`);
      }
      continue;
    }
    // Jekyll reads a JSON file as YAML (which JSON nearly is): one with a comment or a trailing comma builds there. JSON's own parser reads the rest, faster.
    const json = /\.json$/i.test(file.path) ? jsonValueOf(text) : undefined;
    if (json !== undefined) {
      if (nestedTooDeep(json.value)) diagnostics.error('R310', file.path, undefined, undefined, `the data file is nested more than ${MAX_JSON_DEPTH} levels deep: Recap reads no deeper`);
      else ownSet(folder, name, json.value);
      continue;
    }
    const parsed = readYaml(text, { jekyll: true });
    if (parsed.ok) ownSet(folder, name, parsed.value);
    else diagnostics.error('R310', file.path, parsed.line + 1, parsed.column + 1, /\.json$/i.test(file.path) ? `invalid JSON, and invalid as YAML, which Jekyll reads it as: ${parsed.message}` : `invalid YAML: ${parsed.message}`);
  }
  const unpublished: JekyllInputs['unpublished'] = {};
  for (const { label, files } of sources.unpublished) {
    unpublished[label] = [];
    for (const file of files) {
      if (lstatSync(file.absPath).size > MAX_INCLUDE_BYTES) {
        diagnostics.error('R310', file.path, undefined, undefined, `the document is over the ${MAX_INCLUDE_BYTES / 1024} KiB limit`);
        continue;
      }
      const split = splitFrontMatter(readFileSync(file.absPath, 'utf8'), file.path, diagnostics, true);
      if (split) unpublished[label].push({ ...split.data, content: split.body, path: file.path, collection: label, slug: path.posix.basename(file.path).replace(CONTENT_FILE, '') });
    }
    unpublished[label] = inCollectionOrder(unpublished[label], label, collections, (doc) => String(doc['path']), (doc, key) => doc[key]);
  }
  const included = Object.values(includes).join('\n');
  const staticFiles = sources.statics.map((file) => {
    const name = path.posix.basename(file.url);
    const extname = path.posix.extname(name);
    return { path: file.url, name, basename: name.slice(0, name.length - extname.length), extname, collection: null };
  });
  return { includes, data, staticFiles, unpublished, includesReadLists: readsSiteLists(included), includesReadPaginator: readsPaginator(included), includesReadListedContent: readsListedContent(included), includesReadTime: readsBuildTime(included) };
}

/** A JSON text's value, or undefined where JSON's parser refuses it. */
function jsonValueOf(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * A table's record as Ruby's CSV gives it: a field left empty is nil, a quoted `""` empty text.
 * csv-parse tells the two apart only in its `cast`, whose context it builds anew for every field,
 * 20 times the cost of the parse (5.4 s against 0.27 s for a table of 2.5 MB, 25 s for a row of 3
 * million tabs): so a record's own text is read for its quoted empty fields, where it has `""`.
 */
function withNils(record: string[], raw: string, delimiter: string): Array<string | null> {
  const quotedEmpty = raw.includes('""') ? quotedEmptyFields(raw, delimiter) : undefined;
  return record.map((field, at) => (field === '' && !quotedEmpty?.has(at) ? null : field));
}

/**
 * The places of a record's quoted empty fields, in its text as csv-parse read it (so valid): a
 * quoted field runs to its closing quote (`""` inside it is a quote), any other to the next delimiter.
 */
function quotedEmptyFields(raw: string, delimiter: string): Set<number> {
  const found = new Set<number>();
  for (let at = 0, field = 0; ; field++) {
    if (raw[at] === '"') {
      let end = at + 1;
      while (end < raw.length && !(raw[end] === '"' && raw[end + 1] !== '"')) end += raw[end] === '"' ? 2 : 1;
      if (end === at + 1) found.add(field);
      at = end + 1;
    }
    const next = raw.indexOf(delimiter, at);
    if (next === -1) return found;
    at = next + delimiter.length;
  }
}

/**
 * A table's rows as Jekyll reads them (Ruby's CSV with `headers: true`, each row `to_hash`): each
 * row a mapping of the first row's names to its fields, nil for a name past a short row's end (a
 * blank line is a row of nils), a name's first field where it repeats, fields past the names left out.
 */
function tableRows(records: unknown[][]): Array<Record<string, unknown>> {
  const [names = [], ...rows] = records;
  return rows.map((fields) => {
    const row: Record<string, unknown> = {};
    names.forEach((name, at) => {
      const key = String(name ?? '');
      if (!Object.hasOwn(row, key)) ownSet(row, key, fields[at] ?? null);
    });
    return row;
  });
}

/** The names a body's `{% include_relative %}` tags give, as written. */
export function relativeIncludeNames(body: string): string[] {
  return [...body.matchAll(/\{%-?\s*include_relative\s+([^\s%}]+)/g)].map((match) => match[1]!);
}

/**
 * Where `{% include_relative NAME %}` in a file points, as a site path: NAME below the file's
 * folder. Undefined for a name that would leave it (`..`, an absolute path) or name a hidden file,
 * which Jekyll refuses too.
 */
export function relativeIncludePath(file: string, name: string): string | undefined {
  if (name.startsWith('/') || name.split('/').some((part) => part === '' || part.startsWith('.'))) return undefined;
  return path.posix.join(path.posix.dirname(file), name);
}

/**
 * The text of a file `{% include_relative %}` names (a site path), read without following any
 * link on the way and at most 256 KiB, or an error saying why it cannot be read.
 */
export function readRelativeInclude(siteDir: string, sitePath: string): string | Error {
  const parts = sitePath.split('/');
  let at = siteDir;
  for (const part of parts.slice(0, -1)) {
    at = path.join(at, part);
    if (!lstatSync(at, { throwIfNoEntry: false })?.isDirectory()) return new Error(`cannot include ${sitePath}: ${parts.slice(0, -1).join('/')} is not a folder of the site`);
  }
  let fd: number | undefined;
  try {
    fd = openSync(path.join(siteDir, ...parts), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile()) return new Error(`cannot include ${sitePath}: not a plain file`);
    if (info.size > MAX_INCLUDE_BYTES) return new Error(`cannot include ${sitePath}: over the ${MAX_INCLUDE_BYTES / 1024} KiB limit`);
    return readFileSync(fd, 'utf8');
  } catch (err) {
    return new Error(`cannot include ${sitePath}: ${(err as NodeJS.ErrnoException).code === 'ELOOP' ? 'it is a link' : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A post's `excerpt` as a list shows it (see siteListsOf). */
export type ExcerptOf = (post: Post) => string;

/** A listed post's `content`: its HTML, where the build has it for the page being made (see siteListsOf). */
export type ContentOf = (post: Post) => string | undefined;

/** What Liquid sees of any post or page, as `page` or in a list: its front matter, with what Jekyll fills in (its address escaped as Jekyll's). */
export function liquidFieldsOf(post: Post): Record<string, unknown> {
  const url = jekyllEscapedUrl(post.url);
  // What Recap could not read of the front matter is still there for Liquid, as written.
  const { [AS_WRITTEN]: asWritten, ...data } = post.data as Record<string, unknown>;
  const fields: Record<string, unknown> = { ...data, ...(asWritten as Record<string, unknown> | undefined), title: post.title, url, date: rubyTime(post.date), path: post.file, relative_path: post.file, categories: post.categories, tags: post.tags };
  if (post.kind === 'page' && post.collection === undefined) {
    // A page's folder as its address gives it and its file's name, as Jekyll's Page has them; a page has a date and a title only where it gives them.
    fields['dir'] = url.endsWith('/') ? url : `${path.posix.dirname(url).replace(/\/$/, '')}/`;
    fields['name'] = path.posix.basename(post.file);
    if (post.date.epochMs === 0) delete fields['date'];
    if (post.untitled) delete fields['title'];
  } else {
    // A document's (a post's, a collection's) slug, `id` (its URL's folder and slug), collection and
    // whether it is a draft (front matter's `draft: true` kept, as Jekyll's `||=`), in a list too (`{% if post.id != page.id %}`).
    const slug = documentSlug(post);
    Object.assign(fields, { slug, id: `${path.posix.dirname(url).replace(/\/$/, '')}/${slug}`, collection: post.collection ?? 'posts', draft: post.data['draft'] || post.draft });
  }
  return fields;
}

/** A document's slug as Jekyll gives it: its front matter's, else its file's name after any date, without the periods it ends in (`2024-01-03-etc..md` is `etc`). */
function documentSlug(post: Post): string {
  const own = post.data['slug'];
  if (typeof own === 'string' || typeof own === 'number') return String(own);
  return path.posix.basename(post.file).replace(/\.[^.]+$/, '').replace(/^\d{2,4}-\d{1,2}-\d{1,2}-/, '').replace(/(?<=.)\.+$/, '');
}

/**
 * A date as Ruby writes a Time, which is how `{{ page.date }}` shows in Jekyll: `2024-03-06 19:00:00 +0100`,
 * in the site's zone. Liquid's date filters read it as they read the RFC 3339 form.
 */
export function rubyTime(date: SiteDate): string {
  const at = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(date.iso);
  return at ? `${at[1]} ${at[2]} ${at[3] === 'Z' ? '+0000' : at[3]!.replace(':', '')}` : date.iso;
}

/**
 * Gives a post's Liquid fields its `excerpt` as `excerptOf` makes it, made when Liquid first reads
 * it (most pages that list posts never show one) and kept; a page's is its description.
 */
export function withExcerpt(fields: Record<string, unknown>, post: Post, excerptOf: ExcerptOf): Record<string, unknown> {
  if (post.kind !== 'post') return Object.assign(fields, { excerpt: post.description });
  let made: string | undefined;
  return Object.defineProperty(fields, 'excerpt', { get: () => (made ??= excerptOf(post)), enumerable: true, configurable: true });
}

/** What Liquid sees of a post or page in `site.posts` and the other lists; its `content` read from `contentOf` when Liquid reads it. */
function listedOf(post: Post, excerptOf: ExcerptOf, contentOf: ContentOf | undefined): Record<string, unknown> {
  const listed = withExcerpt(liquidFieldsOf(post), post, excerptOf);
  return contentOf ? Object.defineProperty(listed, 'content', { get: () => contentOf(post), enumerable: true, configurable: true }) : listed;
}

/**
 * Jekyll's order of a collection's documents: by date, then by path. A document without a date
 * (neither in its name nor its front matter, Recap's date 0) is dated when the site is built in
 * Jekyll, so it comes after the dated ones.
 */
function inJekyllsOrder(a: Post, b: Post): number {
  const when = (post: Post) => (post.date.epochMs === 0 ? Number.MAX_SAFE_INTEGER : post.date.epochMs);
  return when(a) - when(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}

/**
 * Gives each document of a collection, oldest first, its `next` (the newer) and `previous` (the
 * older), as Jekyll's documents have them (`{{ post.next.title }}` in a loop over `site.posts`).
 * They are not enumerable, so a list's JSON (a cache key, `jsonify`) never goes round in a loop.
 */
function withNeighbours(oldestFirst: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  oldestFirst.forEach((document, at) => Object.defineProperties(document, {
    next: { get: () => oldestFirst[at + 1], configurable: true },
    previous: { get: () => oldestFirst[at - 1], configurable: true },
  }));
  return oldestFirst;
}

/**
 * The lists `site` holds as Jekyll's: every post newest first, every page, the posts by tag and
 * category, each collection's documents (oldest first). `excerptOf` gives each post's excerpt (Liquid's is HTML;
 * a key needs only what makes it), `contentOf` its content (none without it, as in a key).
 */
export function siteListsOf(parsed: ReadonlyArray<Post>, excerptOf: ExcerptOf, collections: CollectionsSettings | undefined, contentOf?: ContentOf): Record<string, unknown> {
  const listed = (post: Post) => listedOf(post, excerptOf, contentOf);
  const posts = [...withNeighbours(parsed.filter((p) => p.kind === 'post').map(listed).reverse())].reverse();
  const grouped = (key: 'tags' | 'categories'): Record<string, unknown[]> => {
    const groups: Record<string, unknown[]> = {};
    // As Jekyll's: names in the order the oldest post first gives them, each list newest first.
    for (const post of [...posts].reverse()) {
      for (const name of post[key] as string[]) Object.defineProperty(groups, name, { value: [post, ...(Object.hasOwn(groups, name) ? groups[name]! : [])], enumerable: true, writable: true, configurable: true });
    }
    return groups;
  };
  const pages = parsed.filter((p) => p.kind === 'page' && p.collection === undefined).map(listed);
  const lists: Record<string, unknown> = {
    posts, pages, tags: grouped('tags'), categories: grouped('categories'),
    // As Jekyll's: the pages written as HTML (here every page: Liquid files are not among them), and every collection's documents, the posts' first.
    html_pages: pages,
  };
  // A collection's documents oldest first, as Jekyll sorts them (`site.posts` alone is newest first).
  const documents: Record<string, unknown[]> = { posts: [...posts].reverse() };
  const byCollection = new Map<string, Post[]>();
  for (const post of parsed) {
    if (post.collection === undefined || ['posts', 'pages', 'tags', 'categories', 'data', 'html_pages', 'documents', 'collections', 'static_files'].includes(post.collection)) continue;
    byCollection.set(post.collection, [...(byCollection.get(post.collection) ?? []), post]);
  }
  for (const [label, docs] of byCollection) {
    const ordered = inCollectionOrder([...docs].sort(inJekyllsOrder), label, collections, (post) => post.file, (post, key) => post.data[key]);
    documents[label] = withNeighbours(ordered.map(listed));
  }
  for (const [label, docs] of Object.entries(documents)) if (label !== 'posts') lists[label] = docs;
  lists['documents'] = Object.values(documents).flat();
  lists['collections'] = Object.entries(documents).map(([label, docs]) => ({ label, docs, files: [], output: true, relative_directory: `_${label}` }));
  return lists;
}

/**
 * jekyll-paginate's `paginator` for the first of the home pages, as the site's own page at the
 * paginate folder shows it: the newest posts (as `site.posts` holds them), and the way to the next
 * page, which is Recap's.
 */
export function paginatorOf(posts: readonly unknown[], perPage: number, paginatePath: string, baseurl: string): Record<string, unknown> {
  const pages = Math.max(1, Math.ceil(posts.length / perPage));
  return {
    page: 1, per_page: perPage, posts: posts.slice(0, perPage), total_posts: posts.length, total_pages: pages,
    previous_page: null, previous_page_path: null,
    next_page: pages > 1 ? 2 : null, next_page_path: pages > 1 ? baseurl + paginatePath.replace(':num', '2') : null,
  };
}

/** True when Liquid text reads jekyll-paginate's `paginator`. */
function readsPaginator(text: string): boolean {
  return /\bpaginator\b/.test(text);
}

/**
 * True when a page shows jekyll-paginate's `paginator`: it is the page at the paginate folder
 * (`paginatorFolder`; at the root, only a home page in no layout, since Recap's own first home page
 * lists the posts otherwise), and its body or an include reads it. Its body then depends on every
 * post's front matter and on the paginate settings.
 */
export function showsPaginator(page: Pick<Post, 'url' | 'noLayout'>, body: string, folder: string | undefined, inputs: Pick<JekyllInputs, 'includesReadPaginator'>): boolean {
  const at = folder ?? (page.noLayout ? '/' : undefined);
  return at !== undefined && page.url === at && (inputs.includesReadPaginator || readsPaginator(body));
}

/**
 * True when Liquid text may read a listed post's `content` (`{{ post.content | strip_html }}` in a
 * search index, `item.content` in a feed): any `.content` or `["content"]` but the page's own and an
 * include's parameter of that name (a callout's `{{ include.content }}`).
 */
export function readsListedContent(text: string): boolean {
  return /(?<!\b(?:page|include))\.\s*content\b|\[\s*["']content["']\s*\]/.test(text);
}

/**
 * True when Liquid text may read the build's time: `site.time`, or a date filter's `"now"` or
 * `"today"` (any case, as Ruby's Liquid reads them), inside a tag or an output (a quoted "now" in
 * a post's prose is not Liquid). Such text shows the moment it is built, so it is made again on
 * every build, as Jekyll makes it. Each markup is looked into for 2000 characters at most, so
 * text of many unclosed `{{` costs linear time.
 */
export function readsBuildTime(text: string): boolean {
  return /\{[{%][^{}]{0,2000}?(?:\bsite\s*(?:\.\s*time\b|\[\s*["']time["']\s*\])|["'](?:now|today)["'])/i.test(text);
}

/** True when Liquid text may read the site's lists (`site.posts`, `site.tags`, a collection): its body then depends on every post's front matter. */
export function readsSiteLists(text: string): boolean {
  return /\bsite\s*(?:\.\s*(?!(?:title|description|url|baseurl|data)\b)[\w-]+|\[)|\bpage\s*\.\s*(?:next|previous)\b/.test(text);
}
