import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, PROGRAMS, UNBUNDLED_PACKAGES } from '../src/package-files.js';

/**
 * Bundles the programs Recap starts — the CLI and each thread's — in place, over tsc's output in
 * dist/src, with the modules they share (Recap's and the libraries') in chunks beside them
 * (dist/src/chunks/), one per part a program loads on first use. Node's ES module loader spends
 * ~0.5 ms on each of the ~300 modules a build loads, on every thread that loads them; a bundle
 * loads them as a few files (README, Architecture: a 100-post first build ~0.64 → ~0.53 s).
 * tsc writes the programs unbundled again, and they run as they are; run this after it.
 */

const COMPILED = path.join(PACKAGE_ROOT, 'dist', 'src');

/** The line every bundled file starts with (after the CLI's shebang): how this tool tells a program it has bundled from one tsc wrote. */
const MARK = '// Bundled by tools/bundle.ts from tsc\'s output: run tsc, then this, to make it again.';

/**
 * esbuild, or undefined where it cannot load here (a platform its binaries do not cover): the
 * programs then run as tsc wrote them, as they do after tsc alone, only slower to start.
 */
async function bundler(): Promise<typeof import('esbuild') | undefined> {
  try {
    return await import('esbuild');
  } catch (err) {
    process.stderr.write(`tools/bundle: esbuild cannot run here (${(err as Error).message.split('\n')[0]}): the programs stay unbundled, and start slower\n`);
    return undefined;
  }
}

const programs = Object.values(PROGRAMS).map((file) => path.join(COMPILED, file));
const bundled = programs.filter((file) => readFileSync(file, 'utf8').includes(MARK));
if (bundled.length === programs.length) {
  process.stdout.write('tools/bundle: already bundled since tsc last ran\n');
} else {
  if (bundled.length > 0) throw new Error(`tools/bundle: ${bundled.map((file) => path.relative(COMPILED, file)).join(', ')} bundled but not the rest: run tsc first`);
  rmSync(path.join(COMPILED, 'chunks'), { recursive: true, force: true });
  await (await bundler())?.build({
    entryPoints: programs,
    outdir: COMPILED,
    outbase: COMPILED,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: [...UNBUNDLED_PACKAGES],
    // The CommonJS libraries (nunjucks, gray-matter) call require, which an ES module has not.
    banner: { js: `${MARK}\nimport { createRequire as __recapCreateRequire } from 'node:module';\nconst require = __recapCreateRequire(import.meta.url);` },
    logLevel: 'warning',
  });
}
