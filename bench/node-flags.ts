/** The V8 flags the recap binary runs with (the first line of src/cli.ts): the benchmarks start Recap the same way. */
export const RECAP_NODE_FLAGS: readonly string[] = ['--expose-gc'];
