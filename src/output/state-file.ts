import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** The largest state file Recap reads (a 10,000-post site's post cache is about 75 MB). */
export const MAX_STATE_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * Reads a file of Recap's own state (a cache index, a build or tree record) as text, or undefined
 * when there is none to trust: state files are as untrusted as the old output, so only a regular
 * file is read — never through a link, never a pipe or device that would stall the build, never
 * one over the size limit.
 */
export function readStateFile(file: string, maxBytes = MAX_STATE_FILE_BYTES): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const bytes = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < info.size) {
      const n = readSync(fd, bytes, read, info.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return bytes.toString('utf8', 0, read);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
