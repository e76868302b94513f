import { lstatSync } from 'node:fs';
/**
 * One line of identity for a file system entry — kind, size, modification and change times, inode —
 * so an edit, a copy over it or a replacement shows, even one that keeps the size. A folder's own
 * times change whenever anything inside it does (an editor's swap file), so a folder is just 'd'.
 */
export function identityOf(info) {
    if (!info)
        return 'absent';
    if (info.isDirectory())
        return 'd';
    const kind = info.isFile() ? 'f' : info.isSymbolicLink() ? 'l' : 'o';
    return `${kind}:${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
}
/**
 * The identity of a folder's listing: its modification and change times move whenever an entry
 * is added, removed or renamed in it, so a folder that kept its identity holds what it held.
 */
export function folderIdentityOf(info) {
    return info?.isDirectory() ? `d:${info.mtimeMs}:${info.ctimeMs}:${info.ino}` : identityOf(info);
}
/** An entry's lstat, or undefined when there is none to read (missing, below a file, not permitted): never a thrown error. */
export function lstatOrNone(file) {
    try {
        return lstatSync(file, { throwIfNoEntry: false });
    }
    catch {
        return undefined;
    }
}
/** The identity of whatever is at a path now ('absent' when nothing can be read there). */
export function identityAt(file) {
    return identityOf(lstatOrNone(file));
}
