/**
 * V8's young generation for the one-off commands (build, check): 4 MB halves instead of 16 MB.
 * Such a build's heap is what it is making, not what it keeps, so the smaller nursery gives back
 * ~35–40 MB of a cold build's peak (4000 posts ~245 → ~210 MB, 10000 ~360 → ~320 MB) for the
 * same time at 4000 posts and 2–4% more at 10000. recap serve keeps V8's default (see
 * serveNodeFlags): its heap holds the whole site, and every small collection of a rebuild scans
 * it, so its rebuilds were ~45% slower with it (README, Architecture).
 */
export const ONE_OFF_YOUNG_GENERATION = '--max-semi-space-size=4';

/**
 * The Node flags the recap binary runs with (the first line of src/cli.ts, and the npm scripts):
 * the benchmarks start Recap the same way. --expose-gc lets a large one-off build collect after
 * its settling stages (build.ts). One V8 helper thread instead of Node's four leaves the cores to
 * Recap's own threads (the main thread, the post workers, the writer), each of whose isolates
 * collects on its own thread (README, Benchmarks: a cold build of 4000 posts ~10% faster on 2
 * cores, rebuilds and serve unchanged).
 */
export const RECAP_NODE_FLAGS: readonly string[] = ['--expose-gc', '--v8-pool-size=1', ONE_OFF_YOUNG_GENERATION];

/** recap serve's Node flags: the ones this process was started with, less the one-off commands' young generation (a size of the user's own stays). */
export function serveNodeFlags(execArgv: readonly string[]): string[] {
  return execArgv.filter((flag) => flag !== ONE_OFF_YOUNG_GENERATION);
}
