/** The V8 flags the recap binary runs with (the first line of src/cli.ts): the benchmarks start Recap the same way. */
export const RECAP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--expose-gc'];
