import { lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Makes `dir` a real folder below `root`, creating what is missing: a symbolic link or a file
 * found on the way (a restored CI cache can hold either) is removed, never followed, so what
 * Recap writes there stays inside `root`. `dir` must be inside `root`.
 */
export function realFolderInside(root: string, dir: string): void {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${dir} is not inside ${root}`);
  let current = root;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    const info = lstatSync(current, { throwIfNoEntry: false });
    if (info?.isDirectory()) continue;
    if (info) rmSync(current, { force: true, recursive: false });
    mkdirSync(current);
  }
}

/** Writes a file anew: whatever stands at its name (a link a restored cache planted) is removed first, never written through. */
export function replaceFile(file: string, content: string): void {
  rmSync(file, { recursive: true, force: true });
  writeFileSync(file, content, { flag: 'wx' });
}
