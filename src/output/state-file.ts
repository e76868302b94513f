import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, rmSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
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

/** The temporary file a process writes a state file into before it is put in place (`posts.json.1234.tmp`). */
function temporaryOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/** True for a name temporaryOf gives a file named `base`, in any process. */
function isTemporaryOf(name: string, base: string): boolean {
  return name.startsWith(`${base}.`) && /^\d+\.tmp$/.test(name.slice(base.length + 1));
}

/**
 * Writes a file of Recap's state whole or not at all: to a fresh temporary file (never through
 * whatever a restored cache left at that name), then renamed over the old one.
 */
export async function writeStateFile(file: string, content: string | Buffer): Promise<void> {
  const temp = temporaryOf(file);
  await rm(temp, { recursive: true, force: true });
  const out = await open(temp, 'wx');
  try {
    await out.writeFile(content);
  } finally {
    await out.close();
  }
  await renameOver(temp, file);
}

/**
 * A file of Recap's state written as it is made, over a whole build, and whole or not at all: into
 * a fresh temporary file beside it, renamed over the old one by commit(). A build that stops before
 * (an internal error, Ctrl-C) leaves the old file as it was; its temporary file is removed by the
 * next writer of that file.
 */
export class StateFileWriter {
  private constructor(private readonly file: string, private readonly temp: string, private fd: number | undefined) {}

  /** Starts writing a file (its folder must be real: see realFolderInside), removing what earlier writers of it left behind. */
  static open(file: string): StateFileWriter {
    const folder = path.dirname(file);
    for (const name of readdirSync(folder)) if (isTemporaryOf(name, path.basename(file))) rmSync(path.join(folder, name), { recursive: true, force: true });
    const temp = temporaryOf(file);
    return new StateFileWriter(file, temp, openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644));
  }

  /** Appends bytes. */
  append(bytes: Buffer): void {
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd!, bytes, at, bytes.length - at);
  }

  /** Ends the file and puts it in place of the old one. */
  async commit(): Promise<void> {
    this.close();
    await renameOver(this.temp, this.file);
  }

  /** Ends the file without putting it in place: the old one stays. */
  abandon(): void {
    if (this.fd === undefined) return;
    this.close();
    rmSync(this.temp, { force: true });
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
