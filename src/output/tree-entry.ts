import { lstatSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { identityAt } from './file-identity.js';

/**
 * A path of a tree (forward slashes, already checked and normal; '' for the tree itself) as the
 * file system takes it, joined without path.join's normalising, which the thousands of paths a
 * build looks at would pay for nothing.
 */
export function pathInTree(tree: string, file: string): string {
  if (file === '') return tree;
  return tree.endsWith(path.sep) ? tree + file : tree + path.sep + file;
}

/** The folders above a path of the tree, nearest first (`a/b/c.html` → `a/b`, `a`). */
export function ancestors(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) dirs.push(dir);
  return dirs;
}

/** Folders of a tree known to be real: checked (or made) by this writer, and whether it made them (nothing can be in the way inside those). */
export type CheckedFolders = Map<string, 'found' | 'made'>;

/**
 * Writes one file into a tree synchronously, over whatever is at its path: each folder above it is
 * made a real folder first (a link or file in the way is removed, never followed), and a link,
 * folder or hard link at the path itself is removed before the write. Returns the file's identity
 * as written.
 */
export function writeTreeFile(tree: string, file: string, bytes: Uint8Array, checked: CheckedFolders): string {
  let madeParent = false;
  for (const dir of ancestors(file).reverse()) {
    const known = checked.get(dir);
    if (known) {
      madeParent = known === 'made';
      continue;
    }
    const full = path.join(tree, dir);
    const info = lstatSync(full, { throwIfNoEntry: false });
    madeParent = !info?.isDirectory();
    if (madeParent) {
      if (info) rmSync(full, { recursive: true, force: true });
      mkdirSync(full);
    }
    checked.set(dir, madeParent ? 'made' : 'found');
  }
  const target = path.join(tree, file);
  const existing = madeParent ? undefined : lstatSync(target, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) rmSync(target, { recursive: true, force: true });
  else if (existing && existing.nlink > 1) unlinkSync(target); // a hard link shares its bytes with a file elsewhere
  writeFileSync(target, bytes);
  return identityAt(target);
}
