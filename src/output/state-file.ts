import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';

/** The largest state file Recap reads (a 10,000-post site's post cache is about 75 MB). */
export const MAX_STATE_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * Reads an untrusted file's bytes with the stat of what was read, or undefined when there is none
 * to trust: only a regular file is read — never through a link, never a pipe or device that would
 * stall the build, never one over the size limit.
 */
export function readRegularFile(file: string, maxBytes = MAX_STATE_FILE_BYTES): { bytes: Buffer; info: Stats } | undefined {
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
    return { bytes: bytes.subarray(0, read), info };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file of Recap's own state (a cache index, a build or tree record) as text, or undefined
 * when there is none to trust: state files are as untrusted as the old output (see readRegularFile).
 */
export function readStateFile(file: string, maxBytes = MAX_STATE_FILE_BYTES): string | undefined {
  return readRegularFile(file, maxBytes)?.bytes.toString('utf8');
}

/**
 * Renames a freshly written file over a file of Recap's state. Whatever a restored cache or an
 * old output planted at that name (a folder, which a rename cannot replace) is removed first; a
 * link is replaced by the rename itself, never followed.
 */
async function renameOver(temp: string, file: string): Promise<void> {
  const info = await lstat(file).catch(() => undefined);
  if (info?.isDirectory()) await rm(file, { recursive: true, force: true });
  await rename(temp, file);
}

/**
 * Writes a file of Recap's state whole or not at all: to a fresh temporary file (never through
 * whatever a restored cache left at that name), then renamed over the old one. `content` may come
 * in parts, each a few buffers made as the writer asks for it (a large cache is written as the
 * buffers it is made of, never all of them held at once).
 */
export async function writeStateFile(file: string, content: string | Buffer | Iterable<readonly Buffer[]>): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await rm(temp, { recursive: true, force: true });
  const out = await open(temp, 'wx');
  try {
    if (typeof content === 'string' || Buffer.isBuffer(content)) await out.writeFile(content);
    else for (const part of content) await out.writev(part);
  } finally {
    await out.close();
  }
  await renameOver(temp, file);
}
