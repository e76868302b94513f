import path from 'node:path';
import { Diagnostics, UserError } from '../diagnostics/diagnostics.js';
import { environmentOf, forgetBuild, lastBuild, optionsKey, recordBuild, snapshotInputs, upToDateBuild, SETTLED_MS } from '../incremental/build-record.js';
import { KnownDigests } from '../incremental/known-digests.js';
import { PageStore } from '../incremental/page-store.js';
import { EarlyWrites } from '../output/early-writes.js';
import { commitStandby, openStandby, writeManifest, type TreeIdentities } from '../output/write.js';
import type { BuildOptions, BuildResult } from './build.js';

/** What `recap build` is asked: a build's options, where its output goes, and whether warnings fail it. */
export interface PublishOptions extends Omit<BuildOptions, 'memory' | 'persistCache' | 'only' | 'encodeImages' | 'writeAhead'> {
  outDir: string;
  strict?: boolean;
  /** Build even when the record says nothing changed (the record is then written afresh). */
  force?: boolean;
  /** How long an input must have stood unchanged for its timestamps to be trusted (tests shorten it). */
  settledMs?: number;
  /** How many post pages must be rendered before they are written during the build (tests lower it). */
  writeAheadAfter?: number;
  /**
   * The caller reports errors only (recap build --quiet): an output found up to date then comes
   * with no diagnostics (its build had no errors), and its warnings are read from the record only
   * when --strict makes them fail it.
   */
  errorsOnly?: boolean;
}

/** How a publish ended, with what to report: found up to date, built and written, or failed (nothing written). */
export type Published =
  | { outcome: 'up-to-date'; diagnostics: Diagnostics; pages: number; posts: number }
  | { outcome: 'built'; diagnostics: Diagnostics; result: BuildResult }
  | { outcome: 'failed'; diagnostics: Diagnostics };

/** True when a build's diagnostics fail it: errors, or warnings under --strict. */
function fails(diagnostics: Diagnostics, strict: boolean | undefined): boolean {
  return diagnostics.count('error') > 0 || (strict === true && diagnostics.count('warning') > 0);
}

/**
 * recap build: the site built and written to its output folder — or, when nothing changed since
 * the last build (inputs, options, Recap, the cache, the clock's effect, the output itself), found
 * already there after a stat per input and per output, with that build's diagnostics to report
 * again. The pipeline is loaded only when there is something to build.
 */
export async function publishSite(options: PublishOptions): Promise<Published> {
  const { outDir, strict, force, settledMs = SETTLED_MS, writeAheadAfter, errorsOnly, ...buildOptions } = options;
  const nowMs = (options.now ?? new Date()).getTime();
  const key = optionsKey({ baseUrl: options.baseUrl, future: options.future }, outDir);
  // Drafts are dated when they are built, so a build with them is never the same as the last.
  const last = options.drafts ? undefined : await lastBuild(outDir);
  const snapshot = options.drafts ? undefined : snapshotInputs(options.siteDir, outDir, last);
  const recorded = snapshot && !force && (await upToDateBuild(last, snapshot, outDir, key, nowMs));
  const failsStrict = recorded && strict === true && recorded.counts.warning > 0;
  // The diagnostics a recorded build reported, when they are to be reported again (none is an error).
  const reported = recorded && (errorsOnly && !failsStrict ? [] : recorded.diagnostics());
  if (recorded && reported) {
    const diagnostics = new Diagnostics();
    diagnostics.addAll(reported);
    return failsStrict ? { outcome: 'failed', diagnostics } : { outcome: 'up-to-date', diagnostics, pages: recorded.pages, posts: recorded.posts };
  }
  const { build } = await import('./build.js');
  // Pages made by the last build are reused where nothing they show changed (all made afresh under --force).
  const pages = snapshot && (await PageStore.open(outDir, !force, (contentFiles, cacheDir) => environmentOf(snapshot, options.siteDir, cacheDir, key, contentFiles, settledMs)));
  // Post and page files that kept their identity since the last build are not read again unless their parse is to be made (all are under --force).
  const digests = snapshot && KnownDigests.open(outDir, snapshot, settledMs, !force);
  // Post pages go into the standby tree as they are rendered. An output folder that cannot be
  // readied is reported where the write stage would report it, after the build.
  const standby = await openStandby(outDir, options.siteDir).catch((err: unknown) => {
    if (err instanceof UserError) return undefined;
    throw err;
  });
  const writeAhead = standby && new EarlyWrites(standby.tree, writeAheadAfter);
  try {
    const result = await build({ ...buildOptions, persistCache: true, pages, digests, writeAhead });
    if (fails(result.diagnostics, strict)) return { outcome: 'failed', diagnostics: result.diagnostics };
    await forgetBuild(outDir);
    let written: TreeIdentities;
    try {
      ({ identities: written } = standby ? await commitStandby(standby, result.manifest, writeAhead) : await writeManifest(result.manifest, outDir, options.siteDir));
    } catch (err) {
      // An output folder that cannot be written is reported with the build's other diagnostics.
      if (!(err instanceof UserError)) throw err;
      result.diagnostics.add(err.diagnostic);
      return { outcome: 'failed', diagnostics: result.diagnostics };
    }
    await pages?.save();
    await digests?.save(result.sources);
    if (snapshot && result.cacheFile) {
      await recordBuild({
        siteDir: options.siteDir, outDir, key, snapshot, settledMs, cacheDir: path.resolve(options.siteDir, result.config.cache_dir), cacheFile: result.cacheFile,
        changesAt: result.changesAt, written, diagnostics: result.diagnostics.list, pages: result.pages, posts: result.posts,
      });
    }
    return { outcome: 'built', diagnostics: result.diagnostics, result };
  } finally {
    // However the build ends, the writing thread ends with it: a live thread would keep the process alive.
    await writeAhead?.abort();
  }
}
