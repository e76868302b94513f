/**
 * The test command (`npm test`): every test file, each in its own process, three at a time, the
 * longest first, reported as TAP. Many files spend much of their time waiting (on a browser, a
 * child process, a server's rebuild), so on this project's 2-core machine a third file fills the
 * cores they leave idle: two at a time used 1.3 cores on average, and a run took 349-355 s where
 * three at a time took 303-309 s (four: 322 s, and tests that bound a wait failed). `node --test`
 * sorts the files it is given by name, whatever order they are named in, which left the two
 * longest (the browser's and the workers') to start last and run beside little: ~25 s of a 270 s run.
 * `node dist/test/run.js NAME...` runs only the files whose names hold one of the NAMEs.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from 'node:test';
import { tap } from 'node:test/reporters';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The files that take longest, longest first, as a whole run measured them (see docs/benchmark-history.md); the rest follow by name. */
const LONGEST_FIRST = ['theme-browser', 'security', 'jekyll', 'jekyll-config', 'new-site', 'workers', 'cli', 'images', 'incremental', 'jekyll-plugins', 'sass', 'build-record'];

const rank = (file: string): number => {
  const at = LONGEST_FIRST.indexOf(file.replace(/\.test\.js$/, ''));
  return at === -1 ? LONGEST_FIRST.length : at;
};
const wanted = process.argv.slice(2);
const files = readdirSync(HERE)
  .filter((file) => file.endsWith('.test.js') && (wanted.length === 0 || wanted.some((name) => file.includes(name))))
  .sort()
  .sort((a, b) => rank(a) - rank(b))
  .map((file) => path.join(HERE, file));
const tests = run({ files, concurrency: 3 });
tests.on('test:fail', () => {
  process.exitCode = 1;
});
tests.compose(tap).pipe(process.stdout);
