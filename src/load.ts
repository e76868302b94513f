import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareCodeUnits } from './text.js';
import type { Diagnostic } from './diagnostics.js';
import { fileSystemProblem } from './fs-errors.js';

/** A post or draft as read from disk, before any parsing. */
export interface SourceFile {
  /** Site-relative path with forward slashes. */
  path: string;
  absPath: string;
  bytes: Buffer;
  /** Content hash: a changed digest is a changed file. */
  digest: string;
  draft: boolean;
  /** A dated post (posts/, drafts/), or a standalone page (pages/: About, Code of Conduct, ...). */
  kind: 'post' | 'page';
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
}

const MARKDOWN = /\.(md|markdown)$/i;
/** Pages may be Markdown or HTML. */
const PAGE = /\.(md|markdown|html)$/i;

function unreadable(siteDir: string, file: string, err: unknown): Diagnostic {
  const problem = fileSystemProblem(err, file);
  if (!problem) throw err;
  return { severity: 'error', file: toSitePath(siteDir, file), message: `cannot read: ${problem.message}`, hint: 'make the file readable by the user who builds the site, or remove it' };
}

/**
 * Lists regular files below a folder recursively (dotfiles and dot-folders left out), sorted.
 * Symbolic links are never followed (a post or photo could otherwise publish any file the build
 * user can read): each is a warning. Sockets, pipes and devices are passed over.
 */
function listFiles(siteDir: string, dir: string, problems: Diagnostic[]): string[] {
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
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (rel.split(path.sep).some((part) => part.startsWith('.'))) continue;
    if (entry.isSymbolicLink()) {
      problems.push({ severity: 'warning', file: toSitePath(siteDir, full), message: 'skipped: a symbolic link (Recap never follows links out of the site)', hint: 'copy the file into the site instead of linking it' });
      continue;
    }
    if (entry.isFile()) files.push(full);
  }
  return files.sort(compareCodeUnits);
}

function firstExisting(siteDir: string, names: string[]): string | undefined {
  return names.find((name) => statSync(path.join(siteDir, name), { throwIfNoEntry: false })?.isDirectory());
}

/** Site-relative path with forward slashes. */
export function toSitePath(siteDir: string, absPath: string): string {
  return path.relative(siteDir, absPath).split(path.sep).join('/');
}

/** Content hash used for change detection and cache keys. */
export function digestOf(bytes: Buffer | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Files read by earlier builds, and which of them changed since (recap serve's watcher knows). */
export interface SourceMemory {
  sources: Map<string, SourceFile>;
  changed: Set<string>;
}

async function readSources(siteDir: string, folder: string | undefined, kind: { draft: boolean; kind: 'post' | 'page' }, strays: string[], problems: Diagnostic[], memory: SourceMemory | undefined): Promise<SourceFile[]> {
  if (!folder) return [];
  const { draft } = kind;
  const files = listFiles(siteDir, path.join(siteDir, folder), problems);
  const accepted = kind.kind === 'page' ? PAGE : MARKDOWN;
  const markdown = files.filter((f) => accepted.test(f));
  for (const f of files) if (!accepted.test(f)) strays.push(toSitePath(siteDir, f));
  // Posts are small: synchronous reads cost a fraction of thousands of thread-pool round trips.
  const sources: SourceFile[] = [];
  for (const absPath of markdown) {
    const known = memory?.sources.get(absPath);
    if (known && known.draft === draft && !memory!.changed.has(absPath)) {
      sources.push(known);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(absPath);
    } catch (err) {
      problems.push(unreadable(siteDir, absPath, err));
      continue;
    }
    const source = { path: toSitePath(siteDir, absPath), absPath, bytes, digest: digestOf(bytes), draft, kind: kind.kind };
    memory?.sources.set(absPath, source);
    sources.push(source);
  }
  return sources;
}

/** Reads one post file given by path (for commands that look at a single post). */
export async function loadPostFile(siteDir: string, absPath: string): Promise<SourceFile> {
  const bytes = await readFile(absPath);
  const sitePath = toSitePath(siteDir, absPath);
  return { path: sitePath.startsWith('..') ? absPath : sitePath, absPath, bytes, digest: digestOf(bytes), draft: /(^|\/)_?drafts\//.test(sitePath), kind: 'post' };
}

/** Reads the posts, drafts (when asked for) and static files of a site folder. */
export async function loadSite(siteDir: string, options: { drafts: boolean; memory?: SourceMemory }): Promise<SiteSources> {
  const strays: string[] = [];
  const problems: Diagnostic[] = [];
  const postsFolder = firstExisting(siteDir, ['posts', '_posts']);
  const draftsFolder = options.drafts ? firstExisting(siteDir, ['drafts', '_drafts']) : undefined;
  const pagesFolder = firstExisting(siteDir, ['pages']);
  const [posts, drafts, pages] = await Promise.all([
    readSources(siteDir, postsFolder, { draft: false, kind: 'post' }, strays, problems, options.memory),
    readSources(siteDir, draftsFolder, { draft: true, kind: 'post' }, strays, problems, options.memory),
    readSources(siteDir, pagesFolder, { draft: false, kind: 'page' }, strays, problems, options.memory),
  ]);
  options.memory?.changed.clear();
  const statics: StaticFile[] = [];
  for (const [folder, prefix] of [['images', '/images/'], ['static', '/']] as const) {
    const root = path.join(siteDir, folder);
    for (const absPath of listFiles(siteDir, root, problems)) {
      const rel = path.relative(root, absPath).split(path.sep).join('/');
      statics.push({ path: toSitePath(siteDir, absPath), absPath, url: prefix + rel });
    }
  }
  const templatesDir = firstExisting(siteDir, ['templates']) ? path.join(siteDir, 'templates') : undefined;
  return { posts: [...posts, ...drafts, ...pages], strays, statics, templatesDir, problems };
}
