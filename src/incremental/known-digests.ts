import path from 'node:path';
import { lstatOrNone } from '../output/file-identity.js';
import { readStateFile, writeStateFile } from '../output/state-file.js';
import { stateFolder } from '../output/write.js';
import type { InputSnapshot } from './build-record.js';

const FORMAT = 1;
const FILE_NAME = 'digests.json';
const DIGEST = /^[0-9a-f]{40}$/;

/** A site path's entry in a snapshot: its identity line, and whether it stood unchanged long enough to be trusted. */
interface SnapshotEntry {
  line: string;
  settled: boolean;
}

/**
 * The content digests of the post and page files the last `recap build` read, each with the
 * file's identity (size, times, inode) when it was read: a file that still has that identity
 * is not read again — its digest finds its parse in the post cache — unless its parse is not
 * there. As the build record does, it trusts a file's identity only once it has stood unchanged
 * for the settling time. The record lives in the output's state folder, as untrusted as the old
 * output: a digest it claims is only ever a key of the post cache, whose entries are checked
 * like any cache entry, and a file whose parse the cache lacks is read and hashed afresh.
 */
export class KnownDigests {
  private constructor(private readonly out: string, private readonly recorded: ReadonlyMap<string, readonly [string, string]>,
    private readonly current: ReadonlyMap<string, SnapshotEntry>) {}

  /**
   * The digests the last build recorded beside this output, checked against the files' identities
   * in this build's snapshot; `trusted` false to read every file (recap build --force) and record afresh.
   */
  static open(outDir: string, snapshot: InputSnapshot, settledMs: number, trusted: boolean): KnownDigests {
    const out = path.resolve(outDir);
    const current = new Map(snapshot.entries.map((entry) => [entry.path, { line: entry.line, settled: entry.changedMs <= snapshot.takenMs - settledMs }]));
    return new KnownDigests(out, trusted ? readRecorded(path.join(stateFolder(out), FILE_NAME)) : new Map(), current);
  }

  /** The digest of the file at a site path, if it has the identity it had when the last build read it (undefined: read it). */
  digestOf(sitePath: string): string | undefined {
    const now = this.current.get(sitePath);
    const then = this.recorded.get(sitePath);
    return now?.settled && then && then[0] === now.line ? then[1] : undefined;
  }

  /** Records the digests of the files this build read or knew, those whose identity has settled, once its output is live. */
  async save(sources: ReadonlyArray<{ path: string; digest: string }>): Promise<void> {
    const folder = stateFolder(this.out);
    if (!lstatOrNone(folder)?.isDirectory()) return;
    const files: Record<string, [string, string]> = {};
    for (const source of sources) {
      const now = this.current.get(source.path);
      if (now?.settled) files[source.path] = [now.line, source.digest];
    }
    await writeStateFile(path.join(folder, FILE_NAME), JSON.stringify({ format: FORMAT, files }));
  }
}

/** The recorded digests by site path: those of a record Recap wrote, each entry checked (any other is left out). */
function readRecorded(file: string): Map<string, readonly [string, string]> {
  const recorded = new Map<string, readonly [string, string]>();
  let parsed: { format?: unknown; files?: unknown } | null;
  try {
    parsed = JSON.parse(readStateFile(file) ?? 'null') as typeof parsed;
  } catch {
    return recorded;
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== FORMAT || parsed.files === null || typeof parsed.files !== 'object') return recorded;
  for (const [sitePath, entry] of Object.entries(parsed.files as Record<string, unknown>)) {
    if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string' && DIGEST.test(entry[1])) {
      recorded.set(sitePath, [entry[0], entry[1]]);
    }
  }
  return recorded;
}
