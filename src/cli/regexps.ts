import v8 from 'node:v8';

/**
 * Compiles each regular expression to machine code on its first use, instead of interpreting it
 * first (V8's default, which compiles only what runs again). The talk patterns (names, then "from"
 * an organisation, with Unicode letter classes) took ~130 ms to interpret on the first post a
 * thread resolves: `recap serve`'s first edit after a first build that left every body to the
 * workers went 300–320 → 170–180 ms, a one-post edit of a 4000-post site ~1.68 → ~1.53 s; cold
 * builds and small sites are within noise (README, Architecture). Set while the process runs, not
 * as a command-line flag: a Node whose V8 dropped the flag ignores it instead of refusing to start.
 * Workers started later share it.
 */
export function compileRegexpsAtOnce(): void {
  v8.setFlagsFromString('--no-regexp-tier-up');
}
