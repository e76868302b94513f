import { hash } from 'node:crypto';
import { constants, lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../diagnostics/diagnostics.js';
import { fileSystemProblem } from './fs-errors.js';
import { keptInJekyllsOutput } from './jekyll-output.js';
import type { Manifest, OutputFile, ReusedBytes } from './manifest.js';
import { folderIdentityOf, identityAt, identityOf, lstatOrNone } from './file-identity.js';
import { readRegularFile, readStateFile } from './state-file.js';
import { isSafeOutputPath } from '../policy/output-policy.js';
import { ancestors, pathInTree } from './tree-entry.js';
import type { EarlyWrites, WrittenAhead } from './early-writes.js';

/** Marks a folder as Recap's output, so a later build may replace it. Its content never changes, so two builds give the same bytes. */
export const OUTPUT_MARKER = '.recap-output';
const MARKER_TEXT = 'This folder was written by Recap; a build replaces it as a whole.\n';
const PARALLEL_WRITES = 32;

/** What the writer did: files written, left as they were, and removed. */
export interface WriteStats {
  written: number;
  unchanged: number;
  removed: number;
}

/** The identities on disk of the tree now live: each output file's and each folder's ('' is the tree itself), by path. */
export interface TreeIdentities {
  files: Record<string, string>;
  folders: Record<string, string>;
}

type Hashes = Record<string, string>;

/** The name of a tree's record in the state folder: the tree's id (see treeId). */
const TREE_RECORD = /^\d+-\d+-\d+\.json$/;

/** What is recorded of a tree: each file's content fingerprint and identity on disk as written, and each folder's identity. */
export interface TreeRecord {
  files: Hashes;
  marks: Record<string, string>;
  folders: Record<string, string>;
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch {
    return undefined;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function refuse(outDir: string, message: string, hint: string): never {
  throw new UserError({ code: 'R701', severity: 'error', file: outDir, message, hint });
}

/** Refuses output folders whose replacement would destroy the site or someone's files (a Jekyll site's own `_site` is Jekyll's output: see jekyll-output.ts). */
async function checkOutputFolder(outDir: string, siteDir: string): Promise<void> {
  if (isInside(siteDir, outDir)) refuse(outDir, 'the output folder contains the site folder and would replace it', 'choose an output folder such as _site inside the site');
  for (const name of ['posts', '_posts', 'drafts', '_drafts', 'pages', 'templates', 'images', 'static']) {
    if (isInside(outDir, path.join(siteDir, name))) refuse(outDir, `the output folder is inside the site's ${name}/ folder`, 'choose an output folder such as _site');
  }
  const info = await lstatOrUndefined(outDir);
  if (!info) return;
  if (info.isSymbolicLink()) refuse(outDir, 'the output path is a symbolic link; Recap does not write through links', 'remove the link, or pass the real folder with --out');
  if (!info.isDirectory()) refuse(outDir, 'the output path is a file, not a folder', 'remove or rename the file, or choose another folder with --out');
  const entries = await readdir(outDir);
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return;
  const kept = keptInJekyllsOutput(outDir, siteDir);
  if (kept === undefined) {
    refuse(outDir, 'the output folder holds files Recap did not write; refusing to replace it',
      `empty it, or choose another folder with --out (Recap marks its own output with ${OUTPUT_MARKER})`);
  }
  if (kept.length > 0) {
    refuse(outDir, `Jekyll's output folder holds ${kept.join(' and ')}, which Jekyll keeps there (keep_files); refusing to replace it`,
      `Recap replaces its output folder whole: move ${kept.join(' and ')} out of it, or choose another folder with --out`);
  }
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Makes every folder the outputs need a real folder of the tree, parents first: anything else in
 * the way (a symbolic link planted in an old output, a file) is removed, never followed. Folders
 * this build already made real (`real`, for pages written ahead) are not looked at again, and
 * those `found` just now (removeStrays) are not looked at twice. Synchronous checks: an lstat is
 * microseconds, a thread-pool round trip for thousands is not.
 */
async function prepareFolders(root: string, files: readonly string[], real: ReadonlySet<string>, found: FoundFolders): Promise<ReadonlySet<string>> {
  const byDepth = new Map<number, string[]>();
  const seen = new Set<string>(real);
  const queued = new Set<string>();
  const foreign = new Set<string>();
  for (const file of files) {
    // Parents first: below a folder that must be replaced, nothing can be trusted to be there.
    for (const dir of ancestors(file).reverse()) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      const parent = path.posix.dirname(dir);
      // Real folders, the common case, need nothing more: only missing or foreign entries are queued.
      if (!queued.has(parent)) {
        // Parents first, so what was found at this path was found below real folders, as an lstat now would be.
        const info = found.has(dir) ? found.get(dir) : lstatSync(path.join(root, dir), { throwIfNoEntry: false });
        if (info?.isDirectory()) continue;
        if (info) foreign.add(dir);
      }
      queued.add(dir);
      const depth = dir.split('/').length;
      const list = byDepth.get(depth);
      if (list) list.push(dir);
      else byDepth.set(depth, [dir]);
    }
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    await inParallel(byDepth.get(depth)!, PARALLEL_WRITES, async (dir) => {
      const target = path.join(root, dir);
      if (foreign.has(dir)) await rm(target, { recursive: true, force: true });
      await mkdir(target);
    });
  }
  return queued;
}

/** The fingerprint of bytes an output holds: their hash, then their size. */
export function contentFingerprint(content: Buffer): string {
  return `${hash('sha1', content, 'base64')}:${content.length}`;
}

/** A fingerprint of an output ending in its size: a content hash, or for a copied file its modification time. */
function fingerprint(file: OutputFile): string {
  if (file.fingerprint !== undefined) return file.fingerprint;
  if (file.copyFrom !== undefined) {
    // Synchronous, as in stillThere: a stat is microseconds, a thread-pool round trip is not.
    const info = statSync(file.copyFrom);
    return `copy-${info.mtimeMs}:${info.size}`;
  }
  return contentFingerprint(file.content ?? Buffer.alloc(0));
}

/** The hidden sibling of an output folder that holds the standby tree and the records of both trees. */
export function stateFolder(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.recap`);
}

/** A tree's identity while it exists: its folder's inode and birth, which renames keep. */
export async function treeId(tree: string): Promise<string | undefined> {
  const info = await lstatOrUndefined(tree);
  return info?.isDirectory() ? `${info.dev}-${info.ino}-${Math.round(info.birthtimeMs)}` : undefined;
}

/** A fingerprint as the writer records it: ending in the output's size. */
export const SIZED_FINGERPRINT = /:\d+$/;

/** The record of a tree, validated: a tampered record can name no path outside the tree. */
async function readTreeRecord(state: string, id: string | undefined): Promise<TreeRecord | undefined> {
  if (!id) return undefined;
  try {
    const parsed = JSON.parse(readStateFile(path.join(state, `${id}.json`)) ?? 'null') as Partial<TreeRecord> | null;
    const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!isMap(parsed) || !isMap(parsed.files) || !isMap(parsed.marks) || !isMap(parsed.folders)) return undefined;
    // The parsed maps themselves, checked key by key (JSON.parse makes every key an own property, `__proto__` too): no copies of 13,000 entries.
    const { files, marks, folders } = parsed as Record<keyof TreeRecord, Record<string, unknown>>;
    for (const file of Object.keys(files)) {
      const hash = files[file];
      if (!isSafeOutputPath(file) || typeof hash !== 'string' || !SIZED_FINGERPRINT.test(hash) || typeof marks[file] !== 'string') return undefined;
    }
    for (const dir of Object.keys(folders)) if ((dir !== '' && !isSafeOutputPath(dir)) || typeof folders[dir] !== 'string') return undefined;
    return { files: files as Hashes, marks: marks as Record<string, string>, folders: folders as Record<string, string> };
  } catch {
    return undefined;
  }
}

/** What the live output holds as its record says, for a build that reuses unchanged pages: each file's fingerprint and identity as written. */
export async function liveOutputs(outDir: string): Promise<Pick<TreeRecord, 'files' | 'marks'> | undefined> {
  const out = path.resolve(outDir);
  return readTreeRecord(stateFolder(out), await treeId(out));
}

/**
 * The bytes of a live output a build reuses, read only if the file is still exactly as written
 * (never through a link): the old output is untrusted, and a file changed since is not the page.
 */
function reusedBytes(reuse: ReusedBytes, outputPath: string): Buffer {
  const read = readRegularFile(reuse.from);
  if (read && identityOf(read.info) === reuse.mark) return read.bytes;
  throw new UserError({ code: 'R701', severity: 'error', file: reuse.from, message: `the live output's ${outputPath} changed while the site was built`, hint: 'build again' });
}

/** True when a file is on disk just as it was written: not replaced, edited or touched since, even keeping its size. */
function stillThere(tree: string, file: string, mark: string | undefined): boolean {
  return mark !== undefined && identityAt(pathInTree(tree, file)) === mark;
}

/** True when every folder above a path in the tree is a real folder, so removing the path cannot reach outside. */
function realFoldersAbove(tree: string, file: string, known: Map<string, boolean>): boolean {
  return ancestors(file).every((dir) => {
    let real = known.get(dir);
    if (real === undefined) {
      real = lstatSync(path.join(tree, dir), { throwIfNoEntry: false })?.isDirectory() ?? false;
      known.set(dir, real);
    }
    return real;
  });
}

/**
 * Writes one output over whatever is at its path: a link or folder in the way is removed, never
 * followed. In a folder this write created, nothing can be in the way, so nothing is looked at.
 */
async function writeOutput(tree: string, file: OutputFile, created: ReadonlySet<string>): Promise<void> {
  const target = path.join(tree, file.path);
  const existing = created.has(path.posix.dirname(file.path)) ? undefined : lstatSync(target, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) await rm(target, { recursive: true, force: true });
  else if (existing && existing.nlink > 1) await unlink(target); // a hard link shares its bytes with a file elsewhere
  if (file.copyFrom !== undefined) await copyFile(file.copyFrom, target, constants.COPYFILE_FICLONE);
  else if (file.reuse !== undefined) await writeFile(target, reusedBytes(file.reuse, file.path));
  else await writeFile(target, file.content ?? '');
}

/** Every folder a tree of these files has, '' standing for the tree itself. */
export function foldersOf(files: readonly string[]): string[] {
  const folders = new Set<string>(['']);
  for (const file of files) {
    for (const dir of ancestors(file)) {
      if (folders.has(dir)) break; // and so are the folders above it
      folders.add(dir);
    }
  }
  return [...folders];
}

/** The identities of a tree's folders, by folder. */
export function folderMarks(tree: string, folders: readonly string[]): Record<string, string> {
  const marks: Record<string, string> = {};
  for (const dir of folders) marks[dir] = folderIdentityOf(lstatOrNone(pathInTree(tree, dir)));
  return marks;
}

/**
 * What the writer found at each recorded folder's path (undefined: nothing there), before it
 * changed anything there, so a folder is looked at once, not once per pass.
 */
type FoundFolders = Map<string, Stats | undefined>;

/**
 * Removes what was planted in a tree since it was written: in each recorded folder whose identity
 * changed (an entry came or went), whatever neither its record nor the new outputs know. Only in
 * real folders below real folders, so a planted link cannot turn the removal elsewhere. Returns
 * what it found at each recorded folder, and the folders it looked into (whose entries may have
 * changed since).
 */
async function removeStrays(tree: string, previous: TreeRecord, known: ReadonlySet<string>): Promise<{ found: FoundFolders; cleaned: string[] }> {
  const real = new Map<string, boolean>();
  const found: FoundFolders = new Map();
  const cleaned: string[] = [];
  for (const [dir, mark] of Object.entries(previous.folders)) {
    const full = dir === '' ? tree : path.join(tree, dir);
    const info = lstatOrNone(full);
    found.set(dir, info);
    if (!info?.isDirectory() || folderIdentityOf(info) === mark || (dir !== '' && !realFoldersAbove(tree, `${dir}/-`, real))) continue;
    cleaned.push(dir);
    for (const name of readdirSync(full)) {
      const entry = dir === '' ? name : `${dir}/${name}`;
      if (!known.has(entry) && entry !== OUTPUT_MARKER) await rm(path.join(full, name), { recursive: true, force: true });
    }
  }
  return { found, cleaned };
}

/** Brings the standby tree from what it held to the new manifest: writes what changed, removes what went and what was planted. */
async function syncTree(tree: string, files: OutputFile[], hashes: Hashes, previous: TreeRecord, ahead: WrittenAhead): Promise<WriteStats & SyncedFolders & { kept: ReadonlySet<string> }> {
  const paths = files.map((f) => f.path);
  const { found, cleaned } = await removeStrays(tree, previous, new Set([...paths, ...foldersOf(paths), ...Object.keys(previous.files), ...Object.keys(previous.folders)]));
  // Every folder above a page written ahead was made real for it: those need no second look.
  const created = await prepareFolders(tree, paths, new Set(foldersOf([...ahead.keys()])), found);
  // A page written ahead by this build is as written, like any file this stage writes itself.
  const same = files.map((f) => ahead.has(f.path) || (previous.files[f.path] === hashes[f.path] && stillThere(tree, f.path, previous.marks[f.path])));
  const changed = files.filter((_, i) => !same[i]);
  await inParallel(changed, PARALLEL_WRITES, (file) => writeOutput(tree, file, created));
  const gone = Object.keys(previous.files).filter((p) => hashes[p] === undefined);
  const real = new Map<string, boolean>();
  const removable = gone.filter((p) => realFoldersAbove(tree, p, real));
  await inParallel(removable, PARALLEL_WRITES, (p) => unlink(path.join(tree, p)).catch(() => undefined));
  const emptied = [...new Set(removable.flatMap(ancestors))].sort((a, b) => b.length - a.length);
  for (const dir of emptied) await rmdir(path.join(tree, dir)).catch(() => undefined);
  const kept = new Set(files.filter((_, i) => same[i]).map((f) => f.path));
  // Where an entry may have come or gone: above every file written, removed or written ahead, every folder made, and every folder cleaned.
  const touched = new Set<string>(['', ...cleaned, ...created]);
  for (const file of [...changed.map((f) => f.path), ...removable, ...ahead.keys()]) for (const dir of ancestors(file)) touched.add(dir);
  for (const dir of [...created, ...cleaned]) for (const above of ancestors(dir)) touched.add(above);
  return { written: changed.length, unchanged: files.length - changed.length, removed: gone.length, kept, found, touched };
}

/** What syncing a tree found of its recorded folders before it changed them, and the folders whose entries it may have changed. */
interface SyncedFolders {
  found: FoundFolders;
  touched: ReadonlySet<string>;
}

/** Makes a folder of Recap's state a real folder: a link or file in its place is removed first. */
async function realFolder(dir: string): Promise<void> {
  const info = await lstatOrUndefined(dir);
  if (info?.isDirectory()) return;
  if (info) await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
}

/** A file-system fault of the writer as an error naming the path, or the error itself when it is not one (a bug). */
function outputError(err: unknown, out: string): unknown {
  const problem = fileSystemProblem(err, out);
  if (!problem) return err;
  return new UserError({ code: 'R701', severity: 'error', file: problem.path, message: `cannot write the output: ${problem.message}. The previous output was left untouched`, hint: problem.hint });
}

/** The standby tree made ready for a build's output: its folder, its record as it was, and its identity. */
export interface Standby {
  out: string;
  state: string;
  tree: string;
  id: string;
  previous: TreeRecord;
}

/**
 * Write stage, first half: checks the output folder and readies the standby tree (the output before
 * last, kept in a hidden sibling folder), marked incomplete while it changes — a crash or a failed
 * build leaves it to be rebuilt from scratch. The live output is not touched.
 */
export async function openStandby(outDir: string, siteDir: string): Promise<Standby> {
  const out = path.resolve(outDir);
  await checkOutputFolder(out, path.resolve(siteDir));
  try {
    const state = stateFolder(out);
    const tree = path.join(state, 'standby');
    await realFolder(state);
    let previous = await readTreeRecord(state, await treeId(tree));
    const standbyInfo = await lstatOrUndefined(tree);
    if (!previous || !standbyInfo?.isDirectory()) {
      await rm(tree, { recursive: true, force: true });
      await mkdir(tree);
      previous = { files: {}, marks: {}, folders: {} };
    }
    await rm(path.join(tree, OUTPUT_MARKER), { recursive: true, force: true });
    const id = (await treeId(tree))!;
    await rm(path.join(state, `${id}.json`), { recursive: true, force: true });
    return { out, state, tree, id, previous };
  } catch (err) {
    throw outputError(err, out);
  }
}

/**
 * Write stage, second half: brings the standby tree to the manifest and swaps it in with renames,
 * so the live output is untouched until the build is complete. Only files whose content changed
 * are written — on file systems where creating a file costs far more than overwriting one, that
 * is most of a rebuild's time — and pages the build already wrote there (`early`) are not written
 * again. Both trees and their records are untrusted: links are replaced, not followed, and no
 * record can make the writer touch a path outside the trees. File-system faults (permissions, a
 * full disk, a read-only folder) are errors naming the path, not stack traces.
 */
export async function commitStandby(standby: Standby, manifest: Manifest, early?: EarlyWrites): Promise<WriteStats & { identities: TreeIdentities }> {
  const files = manifest.all();
  for (const file of files) {
    if (!isSafeOutputPath(file.path)) throw new UserError({ code: 'R701', severity: 'error', file: file.source, message: `refusing to write ${file.path}: it is not a path inside the output folder` });
  }
  try {
    return await swapIn(standby, files, early);
  } catch (err) {
    throw outputError(err, standby.out);
  }
}

/** Both halves of the write stage at once: the built site written to its output folder. */
export async function writeManifest(manifest: Manifest, outDir: string, siteDir: string): Promise<WriteStats & { identities: TreeIdentities }> {
  return commitStandby(await openStandby(outDir, siteDir), manifest);
}

async function swapIn(standby: Standby, files: OutputFile[], early: EarlyWrites | undefined): Promise<WriteStats & { identities: TreeIdentities }> {
  const { out, state, tree, id: standbyId } = standby;
  const previous: TreeRecord = { ...standby.previous, marks: { ...standby.previous.marks } };
  const hashes: Hashes = {};
  for (const file of files) hashes[file.path] = fingerprint(file);
  let stats: WriteStats & SyncedFolders & { kept: ReadonlySet<string> };
  try {
    // What the build wrote already is in the tree, to be kept like a file found unchanged.
    const ahead: WrittenAhead = (await early?.finish()) ?? new Map<string, string>();
    for (const [file, mark] of ahead) previous.marks[file] = mark;
    stats = await syncTree(tree, files, hashes, previous, ahead);
  } catch (err) {
    await rm(tree, { recursive: true, force: true });
    throw err;
  }
  // Each file's identity as written: a later edit of this tree, even one keeping the size, is then seen and undone.
  // A file kept as it was was just found to have its recorded identity.
  const marks: Record<string, string> = {};
  for (const file of files) marks[file.path] = stats.kept.has(file.path) ? previous.marks[file.path]! : identityAt(path.join(tree, file.path));
  // A folder no entry came to or went from is as found before the sync: only the others are looked at again.
  const folders: Record<string, string> = {};
  for (const dir of foldersOf(files.map((f) => f.path))) {
    const before = stats.touched.has(dir) ? undefined : stats.found.get(dir);
    folders[dir] = folderIdentityOf(before ?? lstatOrNone(pathInTree(tree, dir)));
  }
  await writeFile(path.join(state, `${standbyId}.json`), JSON.stringify({ files: hashes, marks, folders } satisfies TreeRecord));
  await writeFile(path.join(tree, OUTPUT_MARKER), MARKER_TEXT);

  const liveId = await treeId(out);
  const retired = path.join(state, 'retired');
  await rm(retired, { recursive: true, force: true });
  if (liveId) await rename(out, retired);
  try {
    await rename(tree, out);
  } catch (err) {
    if (liveId) await rename(retired, out);
    throw err;
  }
  if (liveId) await rename(retired, tree);
  // Only the records of trees gone: the state folder also holds other modules' files (the build record, the page store).
  for (const entry of await readdir(state)) {
    if (TREE_RECORD.test(entry) && entry !== `${standbyId}.json` && entry !== `${liveId}.json`) await rm(path.join(state, entry), { recursive: true, force: true });
  }
  // Renaming the tree changed only its own folder's identity: the rest is as recorded above.
  const { kept, found, touched, ...counts } = stats;
  return { ...counts, identities: { files: marks, folders: { ...folders, '': folderIdentityOf(lstatOrNone(out)) } } };
}
