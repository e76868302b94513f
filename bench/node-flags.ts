/**
 * The Node flags the recap binary runs with (the first line of src/cli.ts): the benchmarks start Recap the same way.
 * --expose-gc lets a large one-off build collect after its settling stages (build.ts). One V8
 * helper thread instead of Node's four leaves the cores to Recap's own threads (the main thread,
 * the post workers, the writer), each of whose isolates collects on its own thread (README,
 * Benchmarks: a cold build of 4000 posts ~10% faster on 2 cores, rebuilds and serve unchanged).
 */
export const RECAP_NODE_FLAGS: readonly string[] = ['--expose-gc', '--v8-pool-size=1'];
