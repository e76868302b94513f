import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';

/** What chokidar missed below a new folder: the topmost folders it never watched, and every file below them. */
export interface MissedFolders {
  folders: string[];
  files: string[];
}

/** A folder's entries, or undefined when it is gone (or cannot be read) by now. */
function entriesOf(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

/**
 * The topmost folders below `dir` (itself included) that chokidar does not watch, and the files below them.
 * chokidar reads a new folder before it watches it: a folder made in between (`mkdir -p a/b`, a
 * folder copied or checked out) is never watched, and neither is anything in it. `isWatched` says
 * which folders chokidar knows; `isIgnored` which paths are never inputs. Links are not followed.
 */
export function missedFolders(dir: string, isWatched: (folder: string) => boolean, isIgnored: (file: string) => boolean): MissedFolders {
  const missed: MissedFolders = { folders: [], files: [] };
  // Below a folder it missed, chokidar watches everything once that folder is added: only the topmost is named.
  const visitFolder = (folder: string, below: boolean): void => {
    const entries = entriesOf(folder);
    if (!entries) return;
    const missedHere = !below && !isWatched(folder);
    if (missedHere) missed.folders.push(folder);
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (isIgnored(full)) continue;
      if (entry.isDirectory()) visitFolder(full, below || missedHere);
      else if ((below || missedHere) && entry.isFile()) missed.files.push(full);
    }
  };
  visitFolder(dir, false);
  return missed;
}
