import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The first folder at or above `start` that holds a package.json. */
function nearestPackageFolder(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Recap's package.json is not above ${start}`);
  }
}

/**
 * Recap's package folder (its templates, starter photo, package.json): the first folder above this
 * code with a package.json. It is found the same way whether this code runs as its own module
 * (dist/src/) or from a chunk of the bundle (dist/src/chunks/, see tools/bundle.ts), so no module
 * finds Recap's files relative to its own place.
 */
export const PACKAGE_ROOT = nearestPackageFolder(path.dirname(fileURLToPath(import.meta.url)));

/** The programs Recap starts, each by its compiled file below dist/src: the CLI, and each thread's (tools/bundle.ts bundles them). */
export const PROGRAMS = {
  cli: 'cli.js',
  postWorker: 'pipeline/workers/post-worker.js',
  sassWorker: 'pipeline/workers/sass-worker.js',
  earlyWriteThread: 'output/early-write-thread.js',
  watchThread: 'preview/watch-thread.js',
} as const;

/**
 * Packages the bundle leaves to Node: sharp's native library, Dart Sass (loaded by its own thread,
 * and only for a Jekyll site's stylesheets), and `open`, which finds a script of its own beside
 * its module.
 */
export const UNBUNDLED_PACKAGES: readonly string[] = ['sharp', 'sass', 'open'];

/** The compiled file of a program Recap starts. */
export function compiledProgram(program: keyof typeof PROGRAMS): URL {
  return pathToFileURL(path.join(PACKAGE_ROOT, 'dist', 'src', PROGRAMS[program]));
}
