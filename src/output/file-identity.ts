import type { Stats } from 'node:fs';

/**
 * One line of identity for a file system entry — kind, size, modification and change times, inode —
 * so an edit, a copy over it or a replacement shows, even one that keeps the size. A folder's own
 * times change whenever anything inside it does (an editor's swap file), so a folder is just 'd'.
 */
export function identityOf(info: Stats | undefined): string {
  if (!info) return 'absent';
  if (info.isDirectory()) return 'd';
  const kind = info.isFile() ? 'f' : info.isSymbolicLink() ? 'l' : 'o';
  return `${kind}:${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
}
