import { hash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { jekyllExcludeGlob } from '../../content/jekyll-glob.js';
import { collectionPermalink, type JekyllCollection } from '../../content/jekyll-collections.js';
import { jekyllSanitizedUrl } from '../../content/permalink.js';
import { CONTENT_FILE, MARKDOWN_FILE } from '../../content/post.js';
import type { PlainMarkdown } from '../../content/config.js';
import type { ThemeGem } from '../../content/theme-gem.js';
import { compareCodeUnits } from '../../content/text.js';
import { Diagnostics, goneOnWith, UserError, type Diagnostic } from '../../diagnostics/diagnostics.js';
import { splitFrontMatter } from '../../content/frontmatter.js';
import { templatedDestination } from './templated-files.js';
import { MAX_POST_BYTES } from '../../policy/limits.js';
import { unsafeOutputReason } from '../../policy/output-policy.js';
import { fileSystemProblem } from '../../output/fs-errors.js';
import { trimEndOf } from '../../content/text.js';

/** A post or draft as read from disk, before any parsing. */
export interface SourceFile {
  /** Site-relative path with forward slashes. */
  path: string;
  absPath: string;
  /**
   * The file's bytes; undefined while a file recap build knows by its digest is not read (see
   * KnownDigests: its parse is in the post cache); empty once a one-off build has parsed its posts.
   */
  bytes: Buffer | undefined;
  /** Content hash: a changed digest is a changed file. */
  digest: string;
  draft: boolean;
  /** A dated post (posts/, drafts/), or a standalone page (pages/: About, Code of Conduct, ...). */
  kind: 'post' | 'page';
  /** Categories from the folders above a Jekyll site's nested `_posts/` (`news/_posts/x.md` is in "news"). */
  folderCategories?: string[];
  /** A Jekyll site's Markdown page without front matter (GitHub Pages' plugins), and its folder's address when it is a README standing for the folder's index. */
  plain?: { permalink: string | undefined };
  /** The Jekyll collection a page is a document of (`events` for `_events/x.md`). */
  collection?: string;
  /** A page of Recap's `pages/` folder, whose address leaves the folder out (`pages/about.md` is `/about/`). */
  inPagesFolder?: true;
  /** A collection document's path below the collection's folder, without its extension (`2020/x` for `_events/2020/x.md`). */
  documentPath?: string;
}

/** How a folder's files are read: as posts or pages, drafts or not, and whether they are Recap's `pages/`. */
type SourceKind = Pick<SourceFile, 'draft' | 'kind' | 'inPagesFolder'>;

/** A source whose bytes are read: every file whose parse is made. */
export type ReadSource = SourceFile & { bytes: Buffer };

/** A source whose parse is to be made, which load or parse has read (one that is not is Recap's bug). */
export function alreadyRead(source: SourceFile): ReadSource {
  if (source.bytes === undefined) throw new Error(`internal error: ${source.path} is parsed but was not read`);
  return source as ReadSource;
}

/** A file copied to the output as it is (photos, PDFs, favicons). */
export interface StaticFile {
  /** Site-relative path with forward slashes. */
  path: string;
  absPath: string;
  /** Output URL path, e.g. `/images/photo.jpeg`. */
  url: string;
}

/** Everything the build reads from a site folder. */
export interface SiteSources {
  /** Posts, drafts (when asked for) and pages. */
  posts: SourceFile[];
  /** Files in the posts, drafts or pages folders that are not posts or pages. */
  strays: string[];
  statics: StaticFile[];
  /** Site's own templates folder, if it has one. */
  templatesDir: string | undefined;
  /** What could not be read, and links left alone (never followed: they could point outside the site). */
  problems: Diagnostic[];
  /** A Jekyll site's own feed files (`atom.xml`): Recap's feed is published at their URLs too. */
  feeds: StaticFile[];
  /** A Jekyll site's other files with front matter (`feed.json`, `search.json`, a `.htm` page): published as their Liquid makes them. */
  templated: SourceFile[];
  /** A Jekyll site's Sass stylesheets with front matter (`assets/css/main.scss`): published as CSS. */
  stylesheets: SourceFile[];
  /**
   * What its stylesheets may load, as jekyll-sass-converter loads it: the Sass files of its Sass
   * folders (`_sass`, `load_paths`, then its gem theme's `_sass`), by path (a theme's below its label),
   * and those folders in order.
   */
  sass: { files: StaticFile[]; loadPaths: string[] };
  /** A Jekyll site's `_includes/` and `_data/` files, for the Liquid in its posts. */
  includes: StaticFile[];
  data: StaticFile[];
  /** A Jekyll site's own `_layouts/` files: the text of a page whose layout makes it (see layoutTextOf). */
  layouts: StaticFile[];
  /** The documents of a Jekyll site's collections without output, which only Liquid reads (`site.LABEL`). */
  unpublished: Array<{ label: string; files: StaticFile[] }>;
}

function unreadable(siteDir: string, file: string, err: unknown): Diagnostic {
  const problem = fileSystemProblem(err, file);
  if (!problem) throw err;
  return { code: 'R109', severity: 'error', file: toSitePath(siteDir, file), message: `cannot read: ${problem.message}`, hint: 'make the file readable by the user who builds the site, or remove it' };
}

/** The warning for an entry that is neither a file, a folder nor a link (a pipe, a socket, a device): it is never read, so it cannot stall a build. */
function notPlainFile(file: string): Diagnostic {
  return { code: 'R109', severity: 'warning', file, message: 'skipped: not a plain file (a pipe, a socket or a device)', hint: 'put a plain file there, or remove it' };
}

/** The warning for a folder of the site that is a link: it is never read. */
function linkedFolder(siteDir: string, dir: string): Diagnostic {
  return { code: 'R107', severity: 'warning', file: toSitePath(siteDir, dir), message: 'skipped: the folder is a symbolic link (Recap never follows links out of the site)', hint: 'make it a real folder of the site' };
}

/** A collection's entry Jekyll passes by (hidden, `#` and backup names are passed by everywhere, in listFiles). */
const SPECIAL_START = /^[_~]/;

/**
 * Lists regular files below a folder recursively (dotfiles and dot-folders left out), sorted.
 * Symbolic links are never followed (a post or photo could otherwise publish any file the build
 * user can read): each is a warning. So is a pipe, a socket or a device, which is never read.
 */
function listFiles(siteDir: string, dir: string, problems: Diagnostic[]): string[] {
  // A folder that is itself a link (images -> /home/someone) is not read at all.
  if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
    problems.push(linkedFolder(siteDir, dir));
    return [];
  }
  // Synchronous: one listing is quick, and the thread pool may be busy with the watcher's work.
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    problems.push(unreadable(siteDir, (err as NodeJS.ErrnoException).path ?? dir, err));
    return [];
  }
  const files: string[] = [];
  // Below a folder named as path.join names it, an entry's path is its folder's and its name: no
  // path arithmetic for each of a site's thousands of entries, which recap serve lists every rebuild.
  const inside = path.join(dir) === dir && !dir.endsWith(path.sep) ? dir + path.sep : undefined;
  for (const entry of entries) {
    const parent = entry.parentPath;
    const full = inside ? `${parent}${path.sep}${entry.name}` : path.join(parent, entry.name);
    const rel = !inside ? path.relative(dir, full) : parent === dir ? entry.name : full.slice(inside.length);
    // Hidden files, and the backups editors leave beside a post (`x.md~`, `#x.md#`), as Jekyll passes them by.
    if (rel.split(path.sep).some((part) => part.startsWith('.') || part.startsWith('#') || part.endsWith('~'))) continue;
    if (entry.isSymbolicLink()) {
      problems.push({ code: 'R107', severity: 'warning', file: toSitePath(siteDir, full), message: 'skipped: a symbolic link (Recap never follows links out of the site)', hint: 'copy the file into the site instead of linking it' });
      continue;
    }
    if (entry.isFile()) files.push(full);
    else if (!entry.isDirectory()) problems.push(notPlainFile(toSitePath(siteDir, full)));
  }
  return files.sort(compareCodeUnits);
}

/**
 * The first of the names that is a folder of the site, or a link in a folder's place (which the
 * listing then reports and never follows: it could point anywhere).
 */
function firstExisting(siteDir: string, names: string[]): string | undefined {
  return names.find((name) => {
    const info = lstatSync(path.join(siteDir, name), { throwIfNoEntry: false });
    return info?.isDirectory() || info?.isSymbolicLink();
  });
}

/** Site-relative path with forward slashes. */
export function toSitePath(siteDir: string, absPath: string): string {
  return path.relative(siteDir, absPath).split(path.sep).join('/');
}

/** Content hash used for change detection and cache keys. */
export function digestOf(bytes: Buffer | string): string {
  return hash('sha1', bytes, 'hex');
}

/** Files read by earlier builds, and which of them changed since (recap serve's watcher knows). */
export interface SourceMemory {
  sources: Map<string, SourceFile>;
  changed: Set<string>;
}

/** The digests of files as the last recap build read them, for those that kept their identity since (see KnownDigests). */
export interface SourceDigests {
  digestOf(sitePath: string): string | undefined;
}

/** Lists a posts, drafts or pages folder and reads its files; other files there are strays. */
function readSources(siteDir: string, folder: string | undefined, kind: SourceKind, strays: string[], problems: Diagnostic[], memory: SourceMemory | undefined, digests: SourceDigests | undefined, onListed?: (count: number) => void): SourceFile[] {
  if (!folder) return [];
  const files = listFiles(siteDir, path.join(siteDir, folder), problems);
  for (const f of files) if (!CONTENT_FILE.test(f)) strays.push(toSitePath(siteDir, f));
  const sources = files.filter((f) => CONTENT_FILE.test(f));
  onListed?.(sources.length);
  return readFiles(siteDir, sources, kind, problems, memory, digests);
}

/**
 * Reads post or page files (those the watcher saw change, or new ones; the others are the objects
 * read before). A file the last recap build read and that kept its identity since is not read:
 * its digest is the one recorded then, and its bytes are read only if its parse must be made.
 */
function readFiles(siteDir: string, files: string[], kind: SourceKind, problems: Diagnostic[], memory: SourceMemory | undefined, digests?: SourceDigests): SourceFile[] {
  const { draft } = kind;
  const shape = { draft, kind: kind.kind, ...(kind.inPagesFolder ? { inPagesFolder: true as const } : {}) };
  // Posts are small: synchronous reads cost a fraction of thousands of thread-pool round trips.
  const sources: SourceFile[] = [];
  for (const absPath of files) {
    const known = memory?.sources.get(absPath);
    // A file read before as another kind (a Jekyll site's posts/ once its _posts appears) is read again.
    if (known && known.draft === draft && known.kind === kind.kind && known.inPagesFolder === shape.inPagesFolder && !memory!.changed.has(absPath)) {
      sources.push(known);
      continue;
    }
    const sitePath = toSitePath(siteDir, absPath);
    const digest = digests?.digestOf(sitePath);
    if (digest !== undefined) {
      sources.push({ path: sitePath, absPath, bytes: undefined, digest, ...shape });
      continue;
    }
    const bytes = readPostBytes(siteDir, absPath);
    if (!Buffer.isBuffer(bytes)) {
      problems.push(bytes);
      continue;
    }
    const source = { path: sitePath, absPath, bytes, digest: digestOf(bytes), ...shape };
    memory?.sources.set(absPath, source);
    sources.push(source);
  }
  return sources;
}

/**
 * A post's or page's bytes, or the error that says why there are none: over the size limit (such a
 * file is not even read: no post can stall a build or fill the memory), not a regular file, or not
 * readable. The size is the open file's, so the file measured is the file read, and a link put in
 * its place since it was listed is not followed.
 */
function readPostBytes(siteDir: string, absPath: string): Buffer | Diagnostic {
  let fd: number | undefined;
  try {
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile()) return { code: 'R109', severity: 'error', file: toSitePath(siteDir, absPath), message: 'cannot read: not a regular file', hint: 'put the post itself there' };
    if (info.size > MAX_POST_BYTES) {
      return {
        code: 'R109', severity: 'error', file: toSitePath(siteDir, absPath),
        message: `the post is ${(info.size / 1048576).toFixed(1)} MiB, over the ${MAX_POST_BYTES / 1048576} MiB limit for one post`,
        hint: 'split it into several posts, or move long material to a linked file',
      };
    }
    // A buffer of its own (not a slice of Node's shared pool): parse workers are sent the bytes.
    const bytes = Buffer.allocUnsafeSlow(info.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === bytes.length ? bytes : bytes.subarray(0, read);
  } catch (err) {
    return unreadable(siteDir, absPath, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads the bytes of a file known by its digest alone (see readFiles), now that its parse is to be
 * made, and hashes them: its digest is then what the file holds. The problem that kept it from
 * being read, if any.
 */
export function readKnownSource(siteDir: string, source: SourceFile): Diagnostic | undefined {
  const bytes = readPostBytes(siteDir, source.absPath);
  if (!Buffer.isBuffer(bytes)) return bytes;
  source.bytes = bytes;
  source.digest = digestOf(bytes);
  return undefined;
}

/** Reads one post file given by path (for commands that look at a single post). */
export function loadPostFile(siteDir: string, absPath: string): SourceFile {
  const bytes = readPostBytes(siteDir, absPath);
  if (!Buffer.isBuffer(bytes)) throw new UserError(bytes);
  const sitePath = toSitePath(siteDir, absPath);
  return { path: sitePath.startsWith('..') ? absPath : sitePath, absPath, bytes, digest: digestOf(bytes), draft: /(^|\/)_?drafts\//.test(sitePath), kind: 'post' };
}

/** What a Jekyll site's settings say about the files at its root, and its collections. */
export interface JekyllFiles {
  exclude: readonly string[];
  include: readonly string[];
  collections: ReadonlyArray<JekyllCollection>;
  /** The folder the collections' `_LABEL/` folders are in (`''`: the site's root). */
  collectionsDir: string;
  /** The site's permalink style or pattern, which gives a collection without its own its files' URLs. */
  permalink: string;
  /** Which Markdown files without front matter are pages too (GitHub Pages' plugins). */
  plainMarkdown?: Pick<PlainMarkdown, 'pages' | 'readmes' | 'keepPages' | 'keepReadmes'>;
  /** Where Sass loads from (`sass_dir`, `load_paths`: site paths). */
  sass?: { loadPaths: readonly string[] };
  /** The installed gem its `theme:` names, whose `assets/` are published with the site's and whose `_sass` its stylesheets load from. */
  themeGem?: ThemeGem;
}

/** A file Sass may load: a stylesheet, a partial or plain CSS. */
const SASS_FILE = /\.(s[ac]ss|css)$/i;

/** Names jekyll-optional-front-matter never makes pages of, whatever their case (a README may still be its folder's index). */
const NOT_PAGES = new Set(['README', 'LICENSE', 'LICENCE', 'COPYING', 'CODE_OF_CONDUCT', 'CONTRIBUTING', 'ISSUE_TEMPLATE', 'PULL_REQUEST_TEMPLATE']);

/** A folder's own index page or file, which a README does not take the place of (jekyll-readme-index). */
const INDEX_FILE = /^index\.(html?|xhtml|xml|md|markdown|mkdown|mkdn|mkd)$/i;

/** What Jekyll leaves out of every site, besides names starting with `.`, `_`, `#` or ending in `~`. */
const JEKYLL_EXCLUDES = ['.sass-cache', '.jekyll-cache', 'gemfiles', 'Gemfile', 'Gemfile.lock', 'node_modules', 'vendor/bundle', 'vendor/cache', 'vendor/gems', 'vendor/ruby'];
/** What Recap reads by itself (photos) or keeps for its tooling: never a root file of a Jekyll site. */
const RECAP_FOLDERS = ['_site', 'images', 'recap.yml', 'package.json', 'package-lock.json'];
/** Recap's folders of posts, drafts and pages: a Jekyll site's own folders unless it keeps its posts there (keepsRecapFolders). */
const RECAP_CONTENT_FOLDERS = ['posts', 'drafts', 'pages'];

/** A Jekyll `exclude`/`include` entry as a test of a site path: the path itself, what is below it, or a `*` or `?` pattern. */
function matcher(entry: string): (rel: string) => boolean {
  const clean = trimEndOf(entry.replace(/^\/+/, ''), '/');
  if (!/[*?]/.test(clean)) return (rel) => rel === clean || rel.startsWith(`${clean}/`);
  return jekyllExcludeGlob(clean);
}

/** True when a file starts with front matter (`---` on its first line), which makes it a page for Jekyll. Reads five bytes, not the file. */
function hasFrontMatter(absPath: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(absPath, 'r');
    const head = Buffer.alloc(5);
    const read = readSync(fd, head, 0, 5, 0);
    const text = head.subarray(0, read).toString('latin1');
    return /^---\r?\n/.test(text) || text === '---';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a Jekyll site holds besides its posts: pages (files with front matter), its own feed files, and files to copy. */
interface JekyllRoot {
  pages: string[];
  /** Posts of `_posts/` folders below the root, with the folders above them as categories. */
  nested: Array<{ files: string[]; categories: string[] }>;
  feeds: StaticFile[];
  /** Other files with front matter but Sass and CoffeeScript, which only their Liquid makes. */
  templated: string[];
  /** Sass stylesheets with front matter, compiled to CSS. */
  stylesheets: string[];
  /** Markdown files without front matter that are pages too, and the folder address of a README that is its folder's index. */
  plain: Array<{ file: string; permalink: string | undefined }>;
  statics: StaticFile[];
  /**
   * The documents (files with front matter) of each collection Jekyll renders, and the collection's
   * folder: Markdown and HTML, and (`templated`) any other, published as its Liquid makes it.
   */
  collections: Array<{ label: string; folder: string; documents: string[]; templated: string[] }>;
  /** The documents of each collection without output. */
  unpublished: SiteSources['unpublished'];
}

/**
 * Walks a Jekyll site's root as Jekyll does: `_`-, `.`-, `#`- and `~`-names, Jekyll's default
 * excludes, the site's `exclude` and Recap's own folders (with `posts/`, `drafts/` and `pages/` where
 * `recapFolders` says the site keeps its posts there) are left out (unless `include` names
 * them), folders are pruned rather than read, and links are never followed. Markdown and HTML
 * files with front matter are pages; other files with front matter are feeds (kept at their URL),
 * a sitemap or robots.txt (Recap's own is published there), Sass or CoffeeScript (skipped with a
 * warning), or templates published as their Liquid makes them; everything else is copied as it is.
 */
function readJekyllRoot(siteDir: string, files: JekyllFiles, recapFolders: boolean, recapTemplates: boolean, problems: Diagnostic[]): JekyllRoot {
  const excluded = [...JEKYLL_EXCLUDES, ...RECAP_FOLDERS, ...(recapFolders ? RECAP_CONTENT_FOLDERS : []), ...(recapTemplates ? ['templates'] : []), ...files.exclude].map(matcher);
  const included = files.include.map(matcher);
  const skip = (rel: string, name: string) => !included.some((test) => test(rel))
    && (/^[._#]/.test(name) || name.endsWith('~') || excluded.some((test) => test(rel)));
  const root: JekyllRoot = { pages: [], nested: [], feeds: [], templated: [], stylesheets: [], plain: [], statics: [], collections: [], unpublished: [] };
  const plain = files.plainMarkdown;
  // A file `include:` brings in that can never be published (`.htaccess`: no hidden file is) is left out with a warning, not a failed build.
  const copy = (rel: string, full: string): void => {
    const unsafe = unsafeOutputReason(`/${rel}`);
    if (unsafe) problems.push({ code: 'R211', severity: 'warning', file: rel, message: `not published: /${rel} cannot be an output path: ${unsafe}`, hint: 'Recap publishes no hidden file but those in .well-known/: set redirects and headers in _redirects and _headers instead' });
    else root.statics.push({ path: rel, absPath: full, url: `/${rel}` });
  };
  const walk = (dir: string, relDir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push(unreadable(siteDir, dir, err));
      return;
    }
    const hasIndex = entries.some((entry) => INDEX_FILE.test(entry.name) && !skip(relDir ? `${relDir}/${entry.name}` : entry.name, entry.name));
    for (const entry of entries.sort((a, b) => compareCodeUnits(a.name, b.name))) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (relDir && entry.name === '_posts' && entry.isDirectory() && !excluded.some((test) => test(rel))) {
        const categories = postCategoriesOf(relDir, files.collectionsDir);
        if (categories?.length) root.nested.push({ files: listFiles(siteDir, path.join(dir, entry.name), problems).filter((f) => CONTENT_FILE.test(f)), categories });
        continue;
      }
      if (skip(rel, entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        problems.push({ code: 'R107', severity: 'warning', file: rel, message: 'skipped: a symbolic link (Recap never follows links out of the site)', hint: 'copy the file into the site instead of linking it' });
      } else if (entry.isDirectory()) walk(full, rel);
      else if (entry.isFile()) {
        if (hasFrontMatter(full)) placeWithFrontMatter(root, rel, full, problems);
        else if (plain && MARKDOWN_FILE.test(entry.name)) {
          const base = entry.name.replace(MARKDOWN_FILE, '');
          const readme = plain.readmes && !hasIndex && base.toUpperCase() === 'README';
          const page = readme || (plain.pages && !NOT_PAGES.has(base.toUpperCase()));
          if (page) root.plain.push({ file: full, permalink: readme ? `/${relDir ? `${relDir}/` : ''}` : undefined });
          if (!page || (readme ? plain.keepReadmes : plain.keepPages)) copy(rel, full);
        } else copy(rel, full);
      } else problems.push(notPlainFile(rel));
    }
  };
  walk(siteDir, '');
  // A site's own Ruby plugins are never run (Recap runs no plugin code): what they add is missing, and the organiser is told.
  const plugins = listFiles(siteDir, path.join(siteDir, '_plugins'), problems).filter((file) => file.endsWith('.rb'));
  if (plugins.length > 0) {
    problems.push({ code: 'R124', severity: 'warning', file: '_plugins', message: `the site's own plugins are not run (${plugins.length} Ruby file${plugins.length === 1 ? '' : 's'}): the pages, tags and filters they add are left out`, hint: 'Recap runs no plugin code: a tag of theirs in a post is reported where it is used (R313)' });
  }
  // Posts and drafts are read as posts (a `posts:` entry only gives their permalink).
  for (const collection of files.collections.filter((c) => c.label !== 'posts' && c.label !== 'drafts')) {
    const folder = collectionFolder(siteDir, files.collectionsDir, collection.label, problems);
    if (!folder) continue;
    const documents: string[] = [];
    const templated: string[] = [];
    for (const full of listFiles(siteDir, folder, problems)) {
      const rel = path.relative(folder, full).split(path.sep).join('/');
      // Jekyll's entry filter passes by a file whose path below the collection, or whose name, starts with `_` or `~` (`_do_not_read_me.md`).
      if (SPECIAL_START.test(rel) || SPECIAL_START.test(path.posix.basename(rel))) continue;
      // As Jekyll reads a collection: a file with front matter is a document, any other is copied below the collection's URL (when it has output).
      if (hasFrontMatter(full)) {
        if (CONTENT_FILE.test(full)) documents.push(full);
        else if (!/\.(?:s[ac]ss|coffee)$/i.test(full)) templated.push(full);
        else if (collection.output) problems.push({ code: 'R108', severity: 'warning', file: toSitePath(siteDir, full), message: 'skipped: a collection\'s Sass or CoffeeScript document, which Recap compiles only outside collections', hint: 'move it out of the collection (to assets/, say), where it is compiled' });
      } else if (collection.output) {
        const url = collectionFileUrl(collectionPermalink(collection.label, files.collections, files.permalink), collection.label, rel);
        const unsafe = unsafeOutputReason(url);
        // Jekyll writes it there (`/docs/.html.png` from a pattern with :title): Recap cannot, and builds the rest.
        if (unsafe) problems.push({ code: 'R211', severity: 'warning', file: toSitePath(siteDir, full), message: `not published: the collection's permalink puts this file at ${url}, which cannot be an output path: ${unsafe}`, hint: 'give the collection a permalink with :path in it, such as /:collection/:path/' });
        else root.statics.push({ path: toSitePath(siteDir, full), absPath: full, url });
      }
    }
    if (collection.output) root.collections.push({ label: collection.label, folder, documents, templated });
    // A collection without output publishes nothing: its documents only feed site.LABEL in Liquid.
    else root.unpublished.push({ label: collection.label, files: documents.map((full) => ({ path: toSitePath(siteDir, full), absPath: full, url: '' })) });
  }
  return root;
}

/**
 * Where a Jekyll site's file with front matter (at `rel`, a site path) goes: Markdown and HTML are
 * pages; a feed file (`atom.xml`) carries Recap's feed; a Liquid sitemap or robots.txt yields to
 * Recap's (a note); Sass is a stylesheet; CoffeeScript is skipped (a warning); any other file is
 * published as its Liquid makes it.
 */
function placeWithFrontMatter(root: Pick<JekyllRoot, 'pages' | 'feeds' | 'stylesheets' | 'templated'>, rel: string, full: string, problems: Diagnostic[]): void {
  const name = path.posix.basename(rel);
  if (CONTENT_FILE.test(name)) root.pages.push(full);
  else if (/(^|[-_.])(feed|atom|rss)[^/]*\.xml$/i.test(name)) root.feeds.push({ path: rel, absPath: full, url: templatedDestination(rel, permalinkOf(full)).url });
  else if ((rel === 'sitemap.xml' || rel === 'robots.txt') && templatedDestination(rel, permalinkOf(full)).url === `/${rel}`) {
    // A Liquid sitemap or robots.txt (as jekyll-sitemap makes them) is what Recap makes at that address; one its permalink moves is the site's own page.
    problems.push({ code: 'R112', severity: 'note', file: rel, message: `Recap's own /${rel} is published in place of this Liquid template`, hint: 'nothing to do; it lists every page, as the template did' });
  } else if (/\.s[ac]ss$/i.test(name)) root.stylesheets.push(full);
  else if (/\.coffee$/i.test(name)) {
    problems.push({ code: 'R108', severity: 'warning', file: rel, message: 'skipped: a CoffeeScript file only Jekyll can compile', hint: 'replace it with the JavaScript it produces, or move it out of the site' });
  } else root.templated.push(full);
}

/**
 * Where Jekyll copies a collection's file without front matter (`_docs/img/x.png`, at `rel` in the
 * collection): at the collection's URL pattern with its `:collection`, `:path` (without the
 * extension), `:name`, and an empty `:output_ext` and `:title`, then its extension
 * (`/documentation/:path/` makes `/documentation/img/x.png`). Other placeholders stay as written,
 * as in Jekyll; the caller leaves out, with a warning, a URL that cannot be a file (a hidden `/.png`).
 */
function collectionFileUrl(pattern: string, label: string, rel: string): string {
  const extension = path.posix.extname(rel);
  const values: Record<string, string> = {
    collection: label, path: `/${rel.slice(0, rel.length - extension.length).replace(/\.+$/, '')}`,
    name: path.posix.basename(rel, extension), output_ext: '', title: '',
  };
  const url = pattern.replace(/:([a-z_]+)/g, (whole, key: string) => values[key] ?? whole);
  return `${jekyllSanitizedUrl(url).replace(/\/$/, '')}${extension}`;
}

/** The most of a file read for its front matter's `permalink`: front matter is far shorter. */
const FRONT_MATTER_HEAD_BYTES = 64 * 1024;

/**
 * A feed's, sitemap's or robots.txt's own `permalink` (they are not rendered, so only this is read
 * of them), or undefined where its front matter gives none or cannot be read (it stays at its path).
 */
function permalinkOf(full: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(full, 'r');
    const head = Buffer.alloc(FRONT_MATTER_HEAD_BYTES);
    const text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8');
    const permalink = splitFrontMatter(text, full, new Diagnostics(), true)?.data['permalink'];
    return typeof permalink === 'string' && permalink.trim() !== '' ? permalink : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The categories a `_posts` folder below `relDir` gives its posts, as Jekyll reads them: the folders
 * above it, below `collections_dir` when the site sets one (Jekyll reads no posts outside it:
 * undefined). `[]` is `collections_dir`'s own `_posts`, the site's posts folder.
 */
function postCategoriesOf(relDir: string, collectionsDir: string): string[] | undefined {
  if (!collectionsDir) return relDir.split('/');
  if (relDir === collectionsDir) return [];
  return relDir.startsWith(`${collectionsDir}/`) ? relDir.slice(collectionsDir.length + 1).split('/') : undefined;
}

/**
 * Whether a site keeps its posts, drafts and pages in Recap's own `posts/`, `drafts/` and `pages/`:
 * every Recap site does, and a Jekyll site (settings in `_config.yml`) only when it has a `posts/`
 * folder and no `_posts` of Jekyll's. Otherwise those are ordinary folders of a Jekyll site,
 * published as Jekyll publishes them (a `posts/index.html` list, `pages/team.md` at `/pages/team.html`).
 */
function keepsRecapFolders(siteDir: string, jekyll: { collectionsDir: string } | undefined): boolean {
  if (!jekyll) return true;
  const jekyllPosts = jekyll.collectionsDir ? `${jekyll.collectionsDir}/_posts` : '_posts';
  return firstExisting(siteDir, ['posts']) !== undefined && firstExisting(siteDir, [jekyllPosts]) === undefined;
}

/**
 * The site's `templates/` folder of Nunjucks layouts and theme assets, where it has one. On a
 * Jekyll site, only a folder that holds a `.njk` file or an `assets/` folder is Recap's: any other
 * is the site's own, published as Jekyll publishes it.
 */
function recapTemplatesOf(siteDir: string, jekyll: boolean): string | undefined {
  const folder = path.join(siteDir, 'templates');
  if (!lstatSync(folder, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  if (!jekyll) return folder;
  try {
    const names = readdirSync(folder, { recursive: true, encoding: 'utf8' });
    return names.some((name) => name.endsWith('.njk') || name === 'assets') ? folder : undefined;
  } catch {
    // One it cannot list stays Recap's, as before: reading its templates reports why.
    return folder;
  }
}

/**
 * Where a site's posts (`label` posts) or drafts are, relative to the site: Recap's own folder
 * when the site keeps its posts there (keepsRecapFolders), else Jekyll's `_posts` (or `_drafts`),
 * which is below `collections_dir` when a Jekyll site sets one.
 */
export function postsFolderOf(siteDir: string, label: 'posts' | 'drafts', jekyll: { collectionsDir: string } | undefined, problems: Diagnostic[]): string | undefined {
  const own = keepsRecapFolders(siteDir, jekyll) ? firstExisting(siteDir, [label]) : undefined;
  const collectionsDir = jekyll?.collectionsDir;
  if (!collectionsDir) return own ?? firstExisting(siteDir, [`_${label}`]);
  if (firstExisting(siteDir, [`_${label}`])) {
    const folder = JSON.stringify(`${collectionsDir}/_${label}/`);
    problems.push({ code: 'R119', severity: 'warning', file: `_${label}`, message: `skipped: collections_dir is ${JSON.stringify(collectionsDir)}, and Jekyll reads ${label} only from ${folder}`, hint: `move the files to ${folder}` });
  }
  return own ?? (collectionFolder(siteDir, collectionsDir, label, problems) && `${collectionsDir}/_${label}`);
}

/**
 * A collection's folder (`_events`, below `collections_dir`), when every folder on the way is a
 * real folder of the site: a link, or a `collections_dir` that leaves the site, is never read.
 */
function collectionFolder(siteDir: string, collectionsDir: string, label: string, problems: Diagnostic[]): string | undefined {
  const parts = [...(collectionsDir ? collectionsDir.split('/') : []), `_${label}`];
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\'))) {
    problems.push({ code: 'R116', severity: 'warning', file: '_config.yml', message: `collections_dir ${JSON.stringify(collectionsDir)} is not a folder inside the site: collection "${label}" skipped`, hint: 'name a folder of the site, like collections_dir: my_collections' });
    return undefined;
  }
  let folder = siteDir;
  for (const part of parts) {
    folder = path.join(folder, part);
    const info = lstatSync(folder, { throwIfNoEntry: false });
    if (!info) return undefined;
    if (!info.isDirectory()) {
      if (info.isSymbolicLink()) problems.push(linkedFolder(siteDir, folder));
      return undefined;
    }
  }
  return folder;
}

/**
 * What a Jekyll site's stylesheets may load: every `.scss`, `.sass` and `.css` file in its Sass
 * folders, once each, each folder reached through real folders only (a link on the way is never
 * followed), then its gem theme's `_sass` (its files named below the theme's label). Jekyll loads
 * nothing else, not even a partial beside the stylesheet.
 */
function sassOf(siteDir: string, loadPaths: readonly string[], theme: ThemeGem | undefined, problems: Diagnostic[]): SiteSources['sass'] {
  const found = new Map<string, StaticFile>();
  const add = (root: string, prefix: string) => (absPath: string) => {
    const name = `${prefix}${toSitePath(root, absPath)}`;
    if (SASS_FILE.test(name) && !found.has(name)) found.set(name, { path: name, absPath, url: `/${name}` });
  };
  for (const folder of loadPaths) {
    const parts = folder.split('/');
    const reachable = parts.every((_, n) => lstatSync(path.join(siteDir, ...parts.slice(0, n + 1)), { throwIfNoEntry: false })?.isDirectory() === true);
    if (reachable) listFiles(siteDir, path.join(siteDir, ...parts), problems).forEach(add(siteDir, ''));
  }
  if (theme) listFiles(theme.folder, path.join(theme.folder, '_sass'), problems).forEach(add(theme.folder, `${theme.label}/`));
  return { files: [...found.values()], loadPaths: [...loadPaths, ...(theme ? [`${theme.label}/_sass`] : [])] };
}

/** What a gem theme adds to a site: its assets, by kind as the site's own files are. */
type ThemeAssets = Pick<JekyllRoot, 'statics' | 'pages' | 'feeds' | 'stylesheets' | 'templated'>;

/**
 * A gem theme's `assets/`, as Jekyll adds them to a site's own: each file the site does not have at
 * the same path, one with front matter placed as the site's are (placeWithFrontMatter), any other
 * copied. Links in the theme are never followed.
 */
function readThemeAssets(siteDir: string, theme: ThemeGem, site: JekyllRoot, problems: Diagnostic[]): ThemeAssets {
  const own = new Set([...site.statics, ...site.feeds].map((file) => file.path).concat([...site.templated, ...site.stylesheets, ...site.pages].map((file) => toSitePath(siteDir, file))));
  const assets: ThemeAssets = { statics: [], pages: [], feeds: [], stylesheets: [], templated: [] };
  for (const absPath of listFiles(theme.folder, path.join(theme.folder, 'assets'), problems)) {
    const rel = toSitePath(theme.folder, absPath);
    if (own.has(rel)) continue;
    if (hasFrontMatter(absPath)) placeWithFrontMatter(assets, rel, absPath, problems);
    else assets.statics.push({ path: `${theme.label}/${rel}`, absPath, url: `/${rel}` });
  }
  return assets;
}

/**
 * Reads the posts, drafts (when asked for), pages and static files of a site folder (for a Jekyll
 * site, its root files too). `onPostsListed` hears how many post files there are before any is read.
 */
export async function loadSite(siteDir: string, options: { drafts: boolean; memory?: SourceMemory; digests?: SourceDigests; jekyll?: JekyllFiles; onPostsListed?: (count: number) => void }): Promise<SiteSources> {
  const strays: string[] = [];
  const problems: Diagnostic[] = [];
  const recapFolders = keepsRecapFolders(siteDir, options.jekyll);
  const postsFolder = postsFolderOf(siteDir, 'posts', options.jekyll, problems);
  const draftsFolder = options.drafts ? postsFolderOf(siteDir, 'drafts', options.jekyll, problems) : undefined;
  const pagesFolder = recapFolders ? firstExisting(siteDir, ['pages']) : undefined;
  const { memory, digests } = options;
  const posts = readSources(siteDir, postsFolder, { draft: false, kind: 'post' }, strays, problems, memory, digests, options.onPostsListed);
  const drafts = readSources(siteDir, draftsFolder, { draft: true, kind: 'post' }, strays, problems, memory, digests);
  const pages = readSources(siteDir, pagesFolder, { draft: false, kind: 'page', inPagesFolder: true }, strays, problems, memory, digests);
  const templatesDir = recapTemplatesOf(siteDir, options.jekyll !== undefined);
  const jekyll = options.jekyll ? readJekyllRoot(siteDir, options.jekyll, recapFolders, templatesDir !== undefined, problems) : undefined;
  if (jekyll) pages.push(...readFiles(siteDir, jekyll.pages, { draft: false, kind: 'page' }, problems, memory, digests));
  const themeGem = options.jekyll?.themeGem;
  const theme = jekyll && themeGem ? readThemeAssets(siteDir, themeGem, jekyll, problems) : undefined;
  // A theme's files are named by their path in the theme (`assets/main.scss`), as Jekyll names them.
  const themeFolder = themeGem?.folder ?? siteDir;
  pages.push(...readFiles(themeFolder, theme?.pages ?? [], { draft: false, kind: 'page' }, problems, memory));
  for (const nested of jekyll?.nested ?? []) {
    for (const source of readFiles(siteDir, nested.files, { draft: false, kind: 'post' }, problems, memory, digests)) posts.push({ ...source, folderCategories: nested.categories });
  }
  // Jekyll's `:path` of a document drops its extension and the dots its name ends in (`trailing-dots...md` is `/trailing-dots`).
  const documentPathOf = (folder: string, source: SourceFile): string => trimEndOf(path.relative(folder, source.absPath).split(path.sep).join('/').replace(/\.[^./]*$/, ''), '.');
  const templated = [...readFiles(siteDir, jekyll?.templated ?? [], { draft: false, kind: 'page' }, problems, memory), ...readFiles(themeFolder, theme?.templated ?? [], { draft: false, kind: 'page' }, problems, memory)];
  for (const { label, folder, documents, templated: others } of jekyll?.collections ?? []) {
    for (const source of readFiles(siteDir, documents, { draft: false, kind: 'page' }, problems, memory, digests)) pages.push({ ...source, collection: label, documentPath: documentPathOf(folder, source) });
    // A document in neither Markdown nor HTML (`_api/posts.json`) is published as its Liquid makes it, as a templated file of the site's root is.
    for (const source of readFiles(siteDir, others, { draft: false, kind: 'page' }, problems, memory)) templated.push({ ...source, collection: label, documentPath: documentPathOf(folder, source) });
  }
  const stylesheets = [...readFiles(siteDir, jekyll?.stylesheets ?? [], { draft: false, kind: 'page' }, problems, memory), ...readFiles(themeFolder, theme?.stylesheets ?? [], { draft: false, kind: 'page' }, problems, memory)];
  const plainPermalinks = new Map((jekyll?.plain ?? []).map(({ file, permalink }) => [file, permalink]));
  for (const source of readFiles(siteDir, [...plainPermalinks.keys()], { draft: false, kind: 'page' }, problems, memory, digests)) {
    pages.push({ ...source, plain: { permalink: plainPermalinks.get(source.absPath) } });
  }
  options.memory?.changed.clear();
  const statics: StaticFile[] = [...(jekyll?.statics ?? []), ...(theme?.statics ?? [])];
  // A Jekyll site's static/ is an ordinary folder, copied where it is; Recap's own maps to the root.
  const folders = jekyll ? [['images', '/images/']] as const : [['images', '/images/'], ['static', '/']] as const;
  for (const [folder, prefix] of folders) {
    const root = path.join(siteDir, folder);
    for (const absPath of listFiles(siteDir, root, problems)) {
      const rel = path.relative(root, absPath).split(path.sep).join('/');
      statics.push({ path: toSitePath(siteDir, absPath), absPath, url: prefix + rel });
    }
  }
  const jekyllFolder = (folder: string, pattern: RegExp): StaticFile[] => (jekyll ? listFiles(siteDir, path.join(siteDir, folder), problems) : [])
    .map((absPath) => ({ path: toSitePath(siteDir, absPath), absPath, url: `/${toSitePath(siteDir, absPath)}` }))
    .filter((file) => pattern.test(file.path));
  // Jekyll reports a file it cannot read (or, here, one over the size limit) and builds the rest: so does Recap for a Jekyll site.
  const goesOn = (problem: Diagnostic) => (jekyll && problem.code === 'R109' && problem.severity === 'error' ? goneOnWith(problem, 'left out, and the rest of the site built') : problem);
  return {
    posts: [...posts, ...drafts, ...pages], strays, statics, templatesDir, problems: problems.map(goesOn), feeds: [...(jekyll?.feeds ?? []), ...(theme?.feeds ?? [])],
    templated, stylesheets,
    // Only a site with stylesheets needs their Sass files.
    sass: stylesheets.length === 0 ? { files: [], loadPaths: [] } : sassOf(siteDir, options.jekyll?.sass?.loadPaths ?? [], themeGem, problems),
    includes: jekyllFolder('_includes', /./), layouts: jekyllFolder('_layouts', /\.html?$/i), data: jekyllFolder('_data', /\.(ya?ml|json|csv|tsv)$/i), unpublished: jekyll?.unpublished ?? [],
  };
}
