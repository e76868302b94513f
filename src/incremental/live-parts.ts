import { identityAt, identityOf } from '../output/file-identity.js';
import { readRegularFile } from '../output/state-file.js';
import { pathInTree } from '../output/tree-entry.js';
import { SIZED_FINGERPRINT, type TreeRecord } from '../output/write.js';
import { isSafeOutputPath, outputPathOf } from '../policy/output-policy.js';
import { storedKey } from './stored-key.js';

/** A part of a page as a build placed it: its key, byte offset and length. */
export type PlacedPart = readonly [key: string, offset: number, length: number];

/**
 * Parts of pages kept between builds by key, as bytes: recap serve keeps them in memory (a Memo);
 * recap build reads them out of the live output (LiveParts). `placed` hears where a page put its parts.
 */
export interface KeptParts {
  get(key: string): Buffer | undefined;
  set(key: string, bytes: Buffer): void;
  placed?(url: string, fingerprint: string, parts: readonly PlacedPart[]): void;
  /** Keeps every part for the next build (recap serve's memo, when the talks page is kept whole). */
  keepAll?(): void;
}

/** One output's parts as the page store keeps them: the output's fingerprint when placed, and each part's key (a digest), offset and length. */
export interface StoredParts {
  fingerprint: string;
  parts: Array<[string, number, number]>;
}

/** Stored parts by output path, as read from an untrusted store file: anything else is left out. */
export function validStoredParts(value: unknown): Record<string, StoredParts> {
  const valid: Record<string, StoredParts> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return valid;
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  for (const [file, stored] of Object.entries(value as Record<string, unknown>)) {
    const { fingerprint, parts } = (stored ?? {}) as Partial<StoredParts>;
    if (!isSafeOutputPath(file) || typeof fingerprint !== 'string' || !SIZED_FINGERPRINT.test(fingerprint) || !Array.isArray(parts)) continue;
    if (parts.every((part) => Array.isArray(part) && part.length === 3 && typeof part[0] === 'string' && count(part[1]) && count(part[2]))) valid[file] = { fingerprint, parts };
  }
  return valid;
}

/**
 * recap build's parts of pages from the last build: each part is a byte range of a live output
 * file, read only while that file is exactly as the writer left it (its fingerprint in the tree's
 * record, its identity on disk, never through a link), so a retitled meetup makes its own section
 * of the talks page again and takes the others' bytes from the page already written.
 */
export class LiveParts implements KeptParts {
  private readonly places = new Map<string, { file: string; offset: number; length: number }>();
  /** The live file last read for its parts, until its page places them anew. */
  private page: { file: string; bytes: Buffer | undefined } | undefined;
  private readonly placedNow = new Map<string, StoredParts>();

  /** `stored`: the parts the last build placed, by output path (none when the store is not for this build's environment). */
  constructor(private readonly out: string, private readonly live: Pick<TreeRecord, 'files' | 'marks'> | undefined, private readonly stored: Record<string, StoredParts>) {
    for (const [file, { parts }] of Object.entries(stored)) {
      for (const [key, offset, length] of parts) this.places.set(key, { file, offset, length });
    }
  }

  /** The bytes of a part the last build placed under this key, when its page is still intact in the live output. */
  get(key: string): Buffer | undefined {
    // A first build has nothing placed: its keys are not hashed to find that out.
    const place = this.places.size > 0 ? this.places.get(storedKey(key)) : undefined;
    const page = place && this.pageBytes(place.file);
    if (!place || !page || place.offset + place.length > page.length) return undefined;
    return page.subarray(place.offset, place.offset + place.length);
  }

  /** Nothing to do: a part is kept once its page places it. */
  set(): void {}

  /**
   * Keeps where the page at `url` (whose content has this fingerprint) put its parts, for the next
   * build; an empty part (a section that failed to render, reported) is not kept.
   */
  placed(url: string, fingerprint: string, parts: readonly PlacedPart[]): void {
    const file = outputPathOf(url);
    if (this.page?.file === file) this.page = undefined;
    const kept = parts.filter(([, , length]) => length > 0);
    this.placedNow.set(file, { fingerprint, parts: kept.map(([key, offset, length]) => [storedKey(key), offset, length]) });
  }

  /** What the store keeps: the parts placed in this build, and the last build's for a page not made again (reused whole). */
  toStore(): Record<string, StoredParts> {
    return { ...this.stored, ...Object.fromEntries(this.placedNow) };
  }

  /** A live output file's bytes (read once while its parts are asked for), if it is the very file whose parts were placed. */
  private pageBytes(file: string): Buffer | undefined {
    if (this.page?.file === file) return this.page.bytes;
    const mark = this.live?.marks[file];
    const where = pathInTree(this.out, file);
    // Looked at before it is read (a file planted there is not read at all), and its identity checked again as read.
    const intact = mark !== undefined && this.live!.files[file] === this.stored[file]!.fingerprint && identityAt(where) === mark;
    const read = intact ? readRegularFile(where) : undefined;
    const bytes = read && identityOf(read.info) === mark ? read.bytes : undefined;
    this.page = { file, bytes };
    return bytes;
  }
}
