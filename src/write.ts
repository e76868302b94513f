import { createHash } from 'node:crypto';
import { constants, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './diagnostics.js';
import type { Manifest, OutputFile } from './manifest.js';

/** Marks a folder as Recap's output (it holds the tree's id), so a later build may replace it. */
export const OUTPUT_MARKER = '.recap-output';
const PARALLEL_WRITES = 32;

/** What the writer did: files written, left as they were, and removed. */
export interface WriteStats {
  written: number;
  unchanged: number;
  removed: number;
}

type Hashes = Record<string, string>;

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function refuse(outDir: string, message: string, hint: string): never {
  throw new UserError({ severity: 'error', file: outDir, message, hint });
}

/** Refuses output folders whose replacement would destroy the site or someone's files. */
async function checkOutputFolder(outDir: string, siteDir: string): Promise<void> {
  if (isInside(siteDir, outDir)) refuse(outDir, 'the output folder contains the site folder and would replace it', 'choose an output folder such as _site inside the site');
  for (const name of ['posts', '_posts', 'drafts', '_drafts', 'templates', 'images', 'static']) {
    if (isInside(outDir, path.join(siteDir, name))) refuse(outDir, `the output folder is inside the site's ${name}/ folder`, 'choose an output folder such as _site');
  }
  if (!(await isDirectory(outDir))) return;
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    refuse(outDir, 'the output folder holds files Recap did not write; refusing to replace it',
      `empty it, or choose another folder with --out (Recap marks its own output with ${OUTPUT_MARKER})`);
  }
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

function ancestors(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) dirs.push(dir);
  return dirs;
}

/** Creates the folders the outputs need that the tree does not have yet, parents first. */
async function createFolders(root: string, files: readonly string[], existing: ReadonlySet<string>): Promise<void> {
  const byDepth = new Map<number, string[]>();
  const seen = new Set(existing);
  for (const file of files) {
    for (const dir of ancestors(file)) {
      if (seen.has(dir)) break;
      seen.add(dir);
      const depth = dir.split('/').length;
      const list = byDepth.get(depth);
      if (list) list.push(dir);
      else byDepth.set(depth, [dir]);
    }
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    await inParallel(byDepth.get(depth)!, PARALLEL_WRITES, (dir) =>
      mkdir(path.join(root, dir)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      }));
  }
}

/** A fingerprint of an output ending in its size: a content hash, or for a copied file its modification time. */
function fingerprint(file: OutputFile): string {
  if (file.copyFrom !== undefined) {
    // Synchronous, as in stillThere: a stat is microseconds, a thread-pool round trip is not.
    const info = statSync(file.copyFrom);
    return `copy-${info.mtimeMs}:${info.size}`;
  }
  const content = file.content ?? Buffer.alloc(0);
  return `${createHash('sha1').update(content).digest('base64')}:${content.length}`;
}

/** The hidden sibling that holds the standby tree and the fingerprints of both trees. */
function stateFolder(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.recap`);
}

async function readTreeId(tree: string): Promise<string | undefined> {
  try {
    const id = (await readFile(path.join(tree, OUTPUT_MARKER), 'utf8')).trim();
    return /^[0-9a-f]{16}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

async function readHashes(state: string, id: string | undefined): Promise<Hashes | undefined> {
  if (!id) return undefined;
  try {
    return JSON.parse(await readFile(path.join(state, `${id}.json`), 'utf8')) as Hashes;
  } catch {
    return undefined;
  }
}

/** True when the file is on disk with the size it was written with (the fingerprint ends in the size). */
function stillThere(tree: string, file: string, hash: string): boolean {
  // Synchronous: a stat is microseconds, a thread-pool round trip for each of thousands is not.
  const info = statSync(path.join(tree, file), { throwIfNoEntry: false });
  return info !== undefined && `:${info.size}` === hash.slice(hash.lastIndexOf(':'));
}

/** Brings the standby tree from what it held to the new manifest: writes what changed, removes what went. */
async function syncTree(tree: string, files: OutputFile[], hashes: Hashes, previous: Hashes): Promise<WriteStats> {
  const same = files.map((f) => previous[f.path] === hashes[f.path] && stillThere(tree, f.path, hashes[f.path]!));
  const changed = files.filter((_, i) => !same[i]);
  const existingDirs = new Set(files.filter((_, i) => same[i]).flatMap((f) => ancestors(f.path)));
  await createFolders(tree, changed.map((f) => f.path), existingDirs);
  await inParallel(changed, PARALLEL_WRITES, (file) => {
    const target = path.join(tree, file.path);
    return file.copyFrom !== undefined ? copyFile(file.copyFrom, target, constants.COPYFILE_FICLONE) : writeFile(target, file.content ?? '');
  });
  const gone = Object.keys(previous).filter((p) => hashes[p] === undefined);
  await inParallel(gone, PARALLEL_WRITES, (p) => unlink(path.join(tree, p)).catch(() => undefined));
  const emptied = [...new Set(gone.flatMap(ancestors))].sort((a, b) => b.length - a.length);
  for (const dir of emptied) await rmdir(path.join(tree, dir)).catch(() => undefined);
  return { written: changed.length, unchanged: files.length - changed.length, removed: gone.length };
}

/**
 * Write stage. The output is double-buffered: the new site is written into a standby tree (the
 * output before last, kept in a hidden sibling folder) and swapped in with renames, so the live
 * output is untouched until the build is complete, and only files whose content changed are
 * written — on file systems where creating a file costs far more than overwriting one, that is
 * most of a rebuild's time.
 */
export async function writeManifest(manifest: Manifest, outDir: string, siteDir: string): Promise<WriteStats> {
  const out = path.resolve(outDir);
  await checkOutputFolder(out, path.resolve(siteDir));
  const state = stateFolder(out);
  const standby = path.join(state, 'standby');
  await mkdir(state, { recursive: true });

  const standbyId = await readTreeId(standby);
  let previous = await readHashes(state, standbyId);
  if (!previous) {
    await rm(standby, { recursive: true, force: true });
    await mkdir(standby);
    previous = {};
  }
  // Mark the standby tree incomplete while it changes: a crash leaves it to be rebuilt from scratch.
  await rm(path.join(standby, OUTPUT_MARKER), { force: true });

  const files = manifest.all();
  const fingerprints = files.map(fingerprint);
  const hashes: Hashes = {};
  files.forEach((file, i) => {
    hashes[file.path] = fingerprints[i]!;
  });
  let stats: WriteStats;
  try {
    stats = await syncTree(standby, files, hashes, previous);
  } catch (err) {
    await rm(standby, { recursive: true, force: true });
    throw err;
  }
  // The tree's id is derived from its content, so the same site gives the same bytes, marker included.
  const hashesJson = JSON.stringify(hashes);
  const id = createHash('sha1').update(hashesJson).digest('hex').slice(0, 16);
  await writeFile(path.join(state, `${id}.json`), hashesJson);
  await writeFile(path.join(standby, OUTPUT_MARKER), id);

  const liveId = (await isDirectory(out)) ? await readTreeId(out) : undefined;
  const retired = path.join(state, `retired-${id}`);
  const hadLive = await isDirectory(out);
  if (hadLive) await rename(out, retired);
  try {
    await rename(standby, out);
  } catch (err) {
    if (hadLive) await rename(retired, out);
    throw err;
  }
  if (hadLive) await rename(retired, standby);
  for (const entry of await readdir(state)) {
    if (entry.endsWith('.json') && entry !== `${id}.json` && entry !== `${liveId}.json`) await rm(path.join(state, entry), { force: true });
  }
  return stats;
}
