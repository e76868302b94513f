import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, rmSync, writevSync, type Stats } from 'node:fs';
import path from 'node:path';
import { lstat, open, rename, rm } from 'node:fs/promises';

/** The largest state file Recap reads (a 10,000-post site's post cache is about 75 MB). */
export const MAX_STATE_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * An untrusted file read by position, for as long as it is open: only a regular file is opened —
 * never through a link, never a pipe or device that would stall the build, never one over the size
 * limit. What it reads is as untrusted as the rest: a file that shrank since it was opened gives fewer bytes.
 */
export class RegularFileReader {
  private constructor(private fd: number | undefined, readonly info: Stats) {}

  /** Opens a file to read, or undefined when there is none to trust. */
  static open(file: string, maxBytes = MAX_STATE_FILE_BYTES): RegularFileReader | undefined {
    let fd: number;
    try {
      fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const info = fstatSync(fd);
      if (info.isFile() && info.size <= maxBytes) return new RegularFileReader(fd, info);
    } catch {
      // not a file to trust
    }
    closeSync(fd);
    return undefined;
  }

  /** The file's size when it was opened. */
  get size(): number {
    return this.info.size;
  }

  /** Up to `length` bytes from `position` (fewer at the end of the file). */
  read(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd!, bytes, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  }

  /** Closes the file (again: nothing). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Reads an untrusted file's bytes with the stat of what was read, or undefined when there is none
 * to trust (see RegularFileReader).
 */
export function readRegularFile(file: string, maxBytes = MAX_STATE_FILE_BYTES): { bytes: Buffer; info: Stats } | undefined {
  const reader = RegularFileReader.open(file, maxBytes);
  if (!reader) return undefined;
  try {
    return { bytes: reader.read(0, reader.size), info: reader.info };
  } catch {
    return undefined;
  } finally {
    reader.close();
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

/** Appended bytes are written once this many are waiting, or this many parts (well under the system's limit of parts per call). */
const WRITE_BATCH_BYTES = 256 * 1024;
const WRITE_BATCH_PARTS = 512;

/**
 * A file of Recap's state written as it is made, over a whole build, and whole or not at all: into
 * a fresh temporary file beside it, renamed over the old one by commit(). A build that stops before
 * (an internal error, Ctrl-C) leaves the old file as it was; its temporary file is removed by the
 * next writer of that file.
 */
export class StateFileWriter {
  /** Bytes appended and not yet written: written together, with one call for many small entries. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(private readonly file: string, private readonly temp: string, private fd: number | undefined) {}

  /** Starts writing a file (its folder must be real: see realFolderInside), removing what earlier writers of it left behind. */
  static open(file: string): StateFileWriter {
    const folder = path.dirname(file);
    for (const name of readdirSync(folder)) if (isTemporaryOf(name, path.basename(file))) rmSync(path.join(folder, name), { recursive: true, force: true });
    const temp = temporaryOf(file);
    return new StateFileWriter(file, temp, openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644));
  }

  /** Appends bytes (written with the next ones: they must not change until commit). */
  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= WRITE_BATCH_BYTES || this.pending.length >= WRITE_BATCH_PARTS) this.flush();
  }

  /** Ends the file and puts it in place of the old one, or at `as` (a name decided by what was written, beside it). */
  async commit(as = this.file): Promise<void> {
    this.flush();
    this.close();
    await renameOver(this.temp, as);
  }

  /** Ends the file without putting it in place: the old one stays. */
  abandon(): void {
    if (this.fd === undefined) return;
    this.close();
    rmSync(this.temp, { force: true });
  }

  /** Writes what was appended, in as few calls as the system takes. */
  private flush(): void {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    while (parts.length > 0) {
      let written = writevSync(this.fd!, parts);
      // Never a loop that makes no progress: a file that takes nothing is a fault of the file system.
      if (written === 0) throw Object.assign(new Error(`cannot write ${this.temp}: no bytes written`), { code: 'EIO', path: this.temp });
      // A write may take less than asked: what it took is dropped from the front, and the rest written next.
      while (parts.length > 0 && written >= parts[0]!.length) written -= parts.shift()!.length;
      if (written > 0) parts[0] = parts[0]!.subarray(written);
    }
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
