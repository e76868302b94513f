import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from './diagnostics.js';
import type { Manifest } from './manifest.js';

/** Marks a folder as Recap's output, so a later build may replace it. */
export const OUTPUT_MARKER = '.recap-output';
const PARALLEL_WRITES = 64;

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

/** Refuses output folders whose replacement would destroy the site or someone's files. */
async function checkOutputFolder(outDir: string, siteDir: string): Promise<void> {
  if (isInside(siteDir, outDir)) {
    throw new UserError({ severity: 'error', file: outDir, message: 'the output folder contains the site folder and would replace it',
      hint: 'choose an output folder such as _site inside the site' });
  }
  for (const protectedDir of ['posts', '_posts', 'drafts', '_drafts', 'templates', 'images', 'static']) {
    if (isInside(outDir, path.join(siteDir, protectedDir))) {
      throw new UserError({ severity: 'error', file: outDir, message: `the output folder is inside the site's ${protectedDir}/ folder`,
        hint: 'choose an output folder such as _site' });
    }
  }
  if (!(await isDirectory(outDir))) return;
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new UserError({ severity: 'error', file: outDir, message: 'the output folder holds files Recap did not write; refusing to replace it',
      hint: `empty it, or choose another folder with --out (Recap marks its own output with ${OUTPUT_MARKER})` });
  }
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/** Creates every folder the outputs need, parents before children, each once. */
async function createFolders(root: string, files: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = path.posix.dirname(file); dir !== '.' && !folders.has(dir); dir = path.posix.dirname(dir)) folders.add(dir);
  }
  const byDepth = new Map<number, string[]>();
  for (const dir of folders) {
    const depth = dir.split('/').length;
    const list = byDepth.get(depth);
    if (list) list.push(dir);
    else byDepth.set(depth, [dir]);
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    await inParallel(byDepth.get(depth)!, PARALLEL_WRITES, (dir) => mkdir(path.join(root, dir)));
  }
}

/**
 * Write stage: writes the manifest into a temporary sibling folder, then swaps it in place of the
 * previous output. Until the swap the previous output is untouched; a failure removes the temporary folder.
 */
export async function writeManifest(manifest: Manifest, outDir: string, siteDir: string): Promise<void> {
  const out = path.resolve(outDir);
  await checkOutputFolder(out, path.resolve(siteDir));
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = `${out}.tmp-${suffix}`;
  await mkdir(path.dirname(out), { recursive: true });
  await mkdir(temp);
  try {
    const files = manifest.all();
    await createFolders(temp, files.map((f) => f.path));
    await inParallel(files, PARALLEL_WRITES, (file) => {
      const target = path.join(temp, file.path);
      return file.copyFrom !== undefined ? copyFile(file.copyFrom, target, constants.COPYFILE_FICLONE) : writeFile(target, file.content ?? '');
    });
    await writeFile(path.join(temp, OUTPUT_MARKER), '');
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  const previous = `${out}.old-${suffix}`;
  const hadPrevious = await isDirectory(out);
  if (hadPrevious) await rename(out, previous);
  try {
    await rename(temp, out);
  } catch (err) {
    if (hadPrevious) await rename(previous, out);
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}
