import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isValidDiagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { OutputOrigin, ReusedBytes } from '../output/manifest.js';
import { identityAt, lstatOrNone } from '../output/file-identity.js';
import { readStateFile, writeStateFile } from '../output/state-file.js';
import { liveOutputs, SIZED_FINGERPRINT, stateFolder } from '../output/write.js';
import { pathInTree } from '../output/tree-entry.js';
import { isSafeOutputPath, pageOutputPathOf, unsafeOutputReason } from '../policy/output-policy.js';
import type { Environment } from './build-record.js';
import { LiveParts, validStoredParts, type StoredParts } from './live-parts.js';
import { Memo } from './memo.js';
import { storedKey } from './stored-key.js';

const FORMAT = 1;
const STORE_NAME = 'pages.json';
const ORIGINS: ReadonlySet<string> = new Set<OutputOrigin>(['recap', 'static', 'content']);

/** One output a page or list section made, as the live output holds it. */
export interface StoredOutput {
  url: string;
  source: string;
  origin: OutputOrigin;
  /** A page left out when the site has its own at that URL. */
  optional?: boolean;
  path: string;
  fingerprint: string;
}

/** What rendering a post page or collecting a list section made: its outputs and what it reported. */
export interface StoredPages {
  outputs: StoredOutput[];
  diagnostics: Diagnostic[];
  /** A post page's view token (what lists show of the post), which its key decides. */
  token?: string;
}

/** Stored pages found intact in the live output, each with where its bytes are. */
export interface ReusedPages {
  outputs: Array<StoredOutput & { reuse: ReusedBytes }>;
  diagnostics: Diagnostic[];
  token?: string;
}

/** A build's environment given its posts and pages (site paths) and its cache folder (absolute). */
export type EnvironmentOf = (contentFiles: ReadonlySet<string>, cacheDir: string) => Environment;

interface StoreFile {
  format: number;
  environment: string;
  entries: Record<string, StoredPages>;
  /** Where the pages made of parts (the talks page, `/talks.json`) put each meetup's part, by output path. */
  parts?: Record<string, StoredParts>;
}

function isStoredOutput(value: unknown): value is StoredOutput {
  const output = value as StoredOutput;
  return value !== null && typeof value === 'object' && typeof output.url === 'string' && typeof output.source === 'string'
    && ORIGINS.has(output.origin) && (output.optional === undefined || typeof output.optional === 'boolean')
    && typeof output.path === 'string' && isSafeOutputPath(output.path) && typeof output.fingerprint === 'string' && SIZED_FINGERPRINT.test(output.fingerprint);
}

function isStoredPages(value: unknown): value is StoredPages {
  const pages = value as StoredPages;
  return value !== null && typeof value === 'object' && Array.isArray(pages.outputs) && pages.outputs.every(isStoredOutput)
    && Array.isArray(pages.diagnostics) && pages.diagnostics.every(isValidDiagnostic) && !pages.diagnostics.some((d) => d.severity === 'error')
    && (pages.token === undefined || typeof pages.token === 'string');
}

/**
 * `recap build`'s pages from one build to the next: what each post page and list section made,
 * by a key standing for everything it was made from, so an unchanged one is neither rendered nor
 * written again — its bytes are the live output's file, as long as that file is exactly as the
 * writer left it. Kept beside the output (the bytes live there), for one environment (Recap, the
 * options, every input but the posts): when that changes, every page is made afresh.
 */
export class PageStore {
  private memo = new Memo<StoredPages>();
  private live: Awaited<ReturnType<typeof liveOutputs>>;
  private environment: Environment | undefined;
  /** The last build's parts of pages, readable from the live output while the environment is the same. */
  private liveParts: LiveParts | undefined;

  private constructor(private readonly out: string, private readonly stored: StoreFile | undefined, private readonly reusing: boolean,
    private readonly environmentOf: EnvironmentOf) {}

  /**
   * The store an output folder holds (none when missing or not one Recap wrote), with how to work
   * out a build's environment; `reuse` false to make every page afresh but keep what this build makes.
   */
  static async open(outDir: string, reuse: boolean, environmentOf: EnvironmentOf): Promise<PageStore> {
    const out = path.resolve(outDir);
    let stored: StoreFile | undefined;
    try {
      const parsed = JSON.parse(readStateFile(path.join(stateFolder(out), STORE_NAME)) ?? 'null') as Partial<StoreFile> | null;
      if (parsed && typeof parsed === 'object' && parsed.format === FORMAT && typeof parsed.environment === 'string'
        && parsed.entries !== null && typeof parsed.entries === 'object' && !Array.isArray(parsed.entries)) {
        stored = parsed as StoreFile;
      }
    } catch {
      stored = undefined;
    }
    const store = new PageStore(out, stored, reuse, environmentOf);
    store.live = await liveOutputs(out);
    return store;
  }

  /** Starts a build once its posts and pages are known (`contentFiles`, site paths): stored pages of another environment are not reused. */
  begin(contentFiles: ReadonlySet<string>, cacheDir: string): void {
    const environment = (this.environment = this.environmentOf(contentFiles, cacheDir));
    const same = this.reusing && this.stored?.environment === environment.digest;
    const entries = same ? Object.entries(this.stored!.entries) : [];
    this.memo = new Memo(entries.filter(([, pages]) => isStoredPages(pages)));
    this.liveParts = new LiveParts(this.out, this.live, same ? validStoredParts(this.stored!.parts) : {});
  }

  /** The parts of pages the last build placed (each meetup's on the talks page and in `/talks.json`), read from the live output; set by begin(). */
  get parts(): LiveParts | undefined {
    return this.liveParts;
  }

  /**
   * The pages stored under a key, when they are at the addresses their maker makes (`expected`
   * judges the whole list: a tampered store can neither move, add nor drop a page), each at its own
   * path, each in the live output exactly as written (same fingerprint in the tree's record, same
   * identity on disk); otherwise undefined, and the caller makes them afresh.
   */
  reuse(key: string, expected: (urls: readonly string[]) => boolean): ReusedPages | undefined {
    const name = storedKey(key);
    const stored = this.live && this.memo.get(name);
    if (!stored) return undefined;
    const outputs = this.intact(stored, expected);
    // An entry found wanting is forgotten; the caller's fresh pages take its place.
    if (!outputs) this.memo.delete(name);
    return outputs && { outputs, diagnostics: stored.diagnostics, token: stored.token };
  }

  /** A stored entry's pages with where their bytes are, if it passes every check of `reuse`. */
  private intact(stored: StoredPages, expected: (urls: readonly string[]) => boolean): ReusedPages['outputs'] | undefined {
    const live = this.live!;
    const urls = stored.outputs.map((output) => output.url);
    if (new Set(urls).size !== urls.length || !expected(urls)) return undefined;
    const outputs: ReusedPages['outputs'] = [];
    for (const output of stored.outputs) {
      // A page's file is its URL's with the page's extension (see contentOutputExtension), which is the file's own.
      if (unsafeOutputReason(output.url) !== undefined || !isSafeOutputPath(output.path) || pageOutputPathOf(output.url, path.posix.extname(output.path)) !== output.path) return undefined;
      const from = pathInTree(this.out, output.path);
      const mark = live.marks[output.path];
      if (live.files[output.path] !== output.fingerprint || mark === undefined || identityAt(from) !== mark) return undefined;
      outputs.push({ ...output, reuse: { from, mark } });
    }
    return outputs;
  }

  /** Keeps what a key's pages were made into, for the next build. */
  remember(key: string, pages: StoredPages): void {
    this.memo.set(storedKey(key), pages);
  }

  /**
   * Saves what this build made and reused, once its output is live. A build whose environment was
   * not settled keeps nothing: its pages could not be told apart from the next edit's.
   */
  async save(): Promise<void> {
    const file = path.join(stateFolder(this.out), STORE_NAME);
    if (!lstatOrNone(stateFolder(this.out))?.isDirectory()) return;
    if (!this.environment?.settled) {
      await rm(file, { recursive: true, force: true });
      return;
    }
    this.memo.settle();
    const entries: Record<string, StoredPages> = {};
    for (const [key, pages] of this.memo.entries()) entries[key] = pages;
    const parts = this.liveParts?.toStore();
    await writeStateFile(file, JSON.stringify({ format: FORMAT, environment: this.environment.digest, entries, parts } satisfies StoreFile));
  }
}
