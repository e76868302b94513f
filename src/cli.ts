#!/usr/bin/env -S node --expose-gc --v8-pool-size=1 --max-semi-space-size=4
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import v8 from 'node:v8';
import type { Stage } from './pipeline/build.js';
import { Diagnostics, UserError, formatDiagnostic, type Diagnostic } from './diagnostics/diagnostics.js';
import { isoDay, isValidTimeZone, SiteClock } from './content/dates.js';
import { CONTENT_FILE } from './content/post.js';
import { fileSystemProblem } from './output/fs-errors.js';
import { countWords, createImageProgress, printDiagnostics, printRebuildDiagnostics } from './cli/report.js';
import { compileRegexpsAtOnce } from './cli/regexps.js';
import { compiledProgram, PACKAGE_ROOT } from './package-files.js';

// The pipeline, the server and the checker are imported by the commands that use them: a build with
// nothing to do is done before the Markdown, template and image libraries would have loaded, and
// recap serve starts its own process (serve-process.ts) before the pipeline loads here.

const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const HELP = `recap ${VERSION} — a static site generator for meetup recap posts

Usage:
  recap build [SITE_DIR] [options]   build the site into SITE_DIR/_site (or --out)
  recap serve [SITE_DIR] [options]   preview the site with live reload
  recap check [SITE_DIR] [options]   build in memory and check links, anchors, images and pages
  recap chapters POST_FILE           print the YouTube chapter list of a post's video
  recap new site DIR [--title T]     start a new site in an empty folder
  recap new post "TITLE" [options]   write posts/YYYY-MM-DD-slug.md from the newest recap

Build options:
  --out DIR          output folder (default: SITE_DIR/_site)
  --base-url URL     serve the site under this path or URL (e.g. /recap/ or https://user.github.io/recap/)
  --drafts           include drafts/ and posts with published: false
  --future           include posts dated in the future
  --strict           fail the build on warnings too
  --quiet            print errors only, no summary
  --force            build even when nothing changed since the last build

Serve options:
  --port N           port to listen on (default 4000; the next free one if busy)
  --host HOST        interface to bind (default 127.0.0.1; anything else is reachable by others)
  --open             open the site in a browser
  --drafts, --future, --base-url   as for build

New options:
  --title TITLE      the new site's title (default: from the folder name)
  --date YYYY-MM-DD  the new post's date (default: today in the site's time zone)
  --site DIR         the site folder of the new post (default: the current folder)

Check options:
  --base-url URL     check the site as served under this path or URL
  --format text|json how to print the problems (default text)

General:
  -h, --help         show this help
  -v, --version      show the version

Environment:
  RECAP_WORKERS=N    worker threads for making 600+ posts afresh, and with 2+ rendering their pages (default: one per core beyond the first, at most 15; 0: none)

Exit status: 0 success, 1 build errors (or warnings under --strict), 2 bad usage.`;

const BUILD_OPTIONS = {
  out: { type: 'string' },
  'base-url': { type: 'string' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  strict: { type: 'boolean' },
  quiet: { type: 'boolean' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * The site folder of a command that takes at most one (default: the current folder), or
 * undefined when --help asked for the usage, which this prints.
 */
function siteFolderOf(command: string, help: boolean | undefined, positionals: string[]): string | undefined {
  if (help) {
    process.stdout.write(HELP + '\n');
    return undefined;
  }
  if (positionals.length > 1) throw new UsageError(`${command} takes one site folder, got ${positionals.length}`);
  const given = positionals[0] ?? '.';
  const siteDir = path.resolve(given);
  // A mistyped folder is a usage error, not an empty site built (or a cache folder made) where nothing was.
  const info = statSync(siteDir, { throwIfNoEntry: false });
  if (!info) throw new UsageError(`no site folder at ${given}: give the folder that holds recap.yml (or _config.yml), or start one with "recap new site ${given}"`);
  if (!info.isDirectory()) throw new UsageError(`${given} is not a folder: give the folder that holds recap.yml (or _config.yml)`);
  // Nor is a folder that holds no site (a home folder, a repository's root): its _site and .cache would be made there.
  if (!holdsASite(siteDir)) {
    throw new UsageError(`${given} holds no site (no recap.yml, _config.yml, posts/, _posts/ or page): give the site's folder, or start one with "recap new site DIR"`);
  }
  return siteDir;
}

/** Folders whose presence makes a folder a site, with or without settings. */
const SITE_MARKS = ['recap.yml', '_config.yml', 'posts', '_posts', 'drafts', '_drafts', 'pages'];

/** True when a folder has settings, a folder of posts or pages, or a page at its root (Jekyll builds one without settings). */
function holdsASite(siteDir: string): boolean {
  return SITE_MARKS.some((name) => existsSync(path.join(siteDir, name))) || readdirSync(siteDir).some((name) => CONTENT_FILE.test(name));
}

/**
 * recap build and recap check are one build each, in a process of their own: V8 may then collect
 * the old generation once it holds 40% more than the live data, instead of letting it grow ~2.7x
 * past it between full collections (its default for a heap that grows fast). A cold build of 10000
 * posts peaks at ~405 MB instead of ~430 MB at 50% and ~580 MB at V8's default, in the same time;
 * 4000 posts and one-post rebuilds are within noise (README, Benchmarks). recap serve keeps V8's
 * own sizing: its heap is mostly what it keeps.
 */
function keepHeapNearLiveData(): void {
  v8.setFlagsFromString('--heap-growing-percent=40');
}

async function runBuild(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, BUILD_OPTIONS);
  const siteDir = siteFolderOf('build', values.help, positionals);
  if (!siteDir) return 0;
  keepHeapNearLiveData();
  const started = performance.now();
  const quiet = values.quiet ?? false;
  const outDir = values.out ? path.resolve(values.out) : path.join(siteDir, '_site');
  const where = path.relative(process.cwd(), outDir) || '.';
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  const progress = await createImageProgress(quiet);
  const { publishSite } = await import('./pipeline/publish.js');
  const published = await publishSite({ siteDir, outDir, baseUrl: values['base-url'], drafts: values.drafts, future: values.future, strict: values.strict, force: values.force, errorsOnly: quiet, onImageProgress: progress?.update });
  progress?.stop();
  const { diagnostics } = published;
  printDiagnostics(diagnostics, quiet, siteDir);
  if (published.outcome === 'failed') {
    const why = diagnostics.count('error') > 0 ? '' : ' (warnings fail the build under --strict)';
    process.stderr.write(`Build failed: ${countWords(diagnostics)}${why}. The previous output was left untouched.\n`);
    return 1;
  }
  if (quiet) return 0;
  if (published.outcome === 'up-to-date') {
    process.stdout.write(`Up to date: ${published.pages} files from ${published.posts} posts, nothing changed since the last build (checked in ${seconds()} s; ${countWords(diagnostics)}) → ${where}\n`);
  } else {
    const { result } = published;
    const images = `${result.images.encoded} images encoded, ${result.images.cached} from cache`;
    const reused = result.reusedPages > 0 ? `${result.reusedPages} unchanged pages kept, ` : '';
    process.stdout.write(`Built ${result.pages} files from ${result.posts} posts in ${seconds()} s; ${reused}${images} (${countWords(diagnostics)}) → ${where}\n`);
  }
  return 0;
}

/** The site folder of a post file: the folder above posts/, _posts/, drafts/ or _drafts/, else the current one. */
function siteOfPost(postFile: string): string {
  const dir = path.dirname(postFile);
  return /^_?(posts|drafts)$/.test(path.basename(dir)) ? path.dirname(dir) : process.cwd();
}

async function runChapters(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('chapters takes one post file');
  const postFile = path.resolve(positionals[0]!);
  if (!existsSync(postFile)) throw new UsageError(`no such file: ${positionals[0]}`);
  const { resolveOnePost } = await import('./pipeline/build.js');
  const { chaptersFor } = await import('./commands/chapters.js');
  const { post, diagnostics } = await resolveOnePost(siteOfPost(postFile), postFile);
  printDiagnostics(diagnostics, false, siteOfPost(postFile));
  if (!post) return 1;
  // The recording, or for a post with a single talk link, the video that link is in.
  const videoId = post.body.video?.videoId ?? post.body.talks[0]?.videoId;
  if (!videoId) {
    process.stderr.write(`${post.file} error: the post has no YouTube video (no video: and no talk links)\n`);
    return 1;
  }
  const chapters = chaptersFor(post.body.talks, videoId);
  process.stdout.write(chapters.lines.join('\n') + '\n');
  for (const problem of chapters.problems) process.stderr.write(`${post.file} warning: YouTube would reject these chapters: ${problem}\n`);
  return chapters.problems.length > 0 ? 1 : 0;
}

const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  open: { type: 'boolean' },
  'base-url': { type: 'string' },
  drafts: { type: 'boolean' },
  future: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

const CHECK_OPTIONS = {
  'base-url': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, CHECK_OPTIONS);
  const siteDir = siteFolderOf('check', values.help, positionals);
  if (!siteDir) return 0;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  keepHeapNearLiveData();
  const started = performance.now();
  const { BuildState, runStages, STAGES } = await import('./pipeline/build.js');
  const { checkSite } = await import('./check/check.js');
  // The build's own stages, then the check of what they made; silenced codes are dropped after both.
  const check: Stage = (state) => state.diagnostics.merge(checkSite(state.manifest, state.resolved, state.config.baseurl, state.config.url ? new URL(state.config.url).origin : '', state.config.file || 'recap.yml'));
  const state = await runStages(new BuildState({ siteDir, baseUrl: values['base-url'], encodeImages: false, keepLinks: true, persistCache: 'read' }), [...STAGES, ['check', check]]);
  const checkMs = state.timings.find((t) => t.stage === 'check')!.ms;
  const { diagnostics } = state;
  const errors = diagnostics.count('error');
  if (format === 'json') {
    const problems = diagnostics.sorted().filter((d) => d.severity !== 'note');
    process.stdout.write(JSON.stringify({ pages: state.manifest.size, errors, warnings: diagnostics.count('warning'), checkMs: Math.round(checkMs), problems }, null, 2) + '\n');
  } else {
    printDiagnostics(diagnostics, false, siteDir);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    process.stdout.write(`Checked ${state.manifest.size} files from ${state.rendered.length} posts in ${seconds} s: ${countWords(diagnostics)}\n`);
  }
  return errors > 0 ? 1 : 0;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function runServe(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, SERVE_OPTIONS);
  const siteDir = siteFolderOf('serve', values.help, positionals);
  if (!siteDir) return 0;
  const port = values.port === undefined ? 4000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}"`);
  // Started with the one-off commands' young generation (the recap binary): the server runs in a process with V8's own.
  const { serveInOwnProcess, servesInOwnProcess, stopWithStarter } = await import('./cli/serve-process.js');
  if (servesInOwnProcess()) return serveInOwnProcess(fileURLToPath(compiledProgram('cli')), args);
  stopWithStarter();
  const host = values.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) process.stderr.write(`warning: serving on ${host}: other machines on the network can reach this preview\n`);
  const { serve } = await import('./preview/serve.js');
  // What the last build's report showed: a rebuild prints only what is new (and every error).
  let reported = new Set<Diagnostic>();
  const running = await serve({
    siteDir,
    port,
    host,
    drafts: values.drafts,
    future: values.future,
    baseUrl: values['base-url'],
    log: (line) => process.stdout.write(line + '\n'),
    report: (diagnostics) => {
      reported = printRebuildDiagnostics(diagnostics, reported, siteDir);
    },
  });
  process.stdout.write(`Serving ${running.url} (Ctrl-C to stop)\n`);
  if (values.open) await (await import('open')).default(running.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  process.stdout.write('Stopped.\n');
  return 0;
}

const NEW_OPTIONS = {
  title: { type: 'string' },
  date: { type: 'string' },
  site: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

/** The machine's time zone when it is one Recap knows, else UTC. */
function localTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

async function runNew(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, NEW_OPTIONS);
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const [what, name, ...extra] = positionals;
  if (extra.length > 0 || name === undefined || (what !== 'site' && what !== 'post')) throw new UsageError('use "recap new site DIR" or "recap new post TITLE"');
  if (what === 'site') {
    const dir = path.resolve(name);
    const timezone = localTimeZone();
    const { createSite, recapSpecFor, titleFromFolder } = await import('./commands/new-site.js');
    const title = values.title ?? titleFromFolder(path.basename(dir));
    const recap = recapSpecFor(process.env, process.cwd(), dir);
    const created = createSite(dir, { title, timezone, today: isoDay(new SiteClock(timezone).fromEpoch(Date.now())), recapSpec: recap.spec }, recap.tarball);
    const where = path.relative(process.cwd(), dir) || '.';
    process.stdout.write(`Created ${title} in ${where}: ${created.files.join(', ')}\n\nNext:\n  cd ${where}\n  npm install\n  npm run serve\n`);
    if (recap.note) process.stderr.write(`note: ${recap.note}\n`);
    return 0;
  }
  const siteDir = path.resolve(values.site ?? '.');
  const { loadConfig } = await import('./content/config.js');
  const { createPost } = await import('./commands/new-post.js');
  const diagnostics = new Diagnostics();
  const config = await loadConfig(siteDir, {}, diagnostics);
  const clock = new SiteClock(config.timezone);
  const date = values.date ?? isoDay(clock.fromEpoch(Date.now()));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !clock.parse(date).ok) throw new UsageError(`--date must be a real date written YYYY-MM-DD, got "${date}"`);
  const file = createPost(siteDir, name, date, config.jekyll);
  process.stdout.write(`${path.relative(process.cwd(), file) || file}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  compileRegexpsAtOnce();
  if (command === 'build') return runBuild(rest);
  if (command === 'chapters') return runChapters(rest);
  if (command === 'serve') return runServe(rest);
  if (command === 'check') return runCheck(rest);
  if (command === 'new') return runNew(rest);
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`recap: ${err.message}\nRun "recap --help" for usage.\n`);
      process.exitCode = 2;
    } else if (err instanceof UserError) {
      process.stderr.write(formatDiagnostic(err.diagnostic) + '\n');
      process.exitCode = 1;
    } else {
      // The machine's fault, not Recap's (a file where `recap new` needs a folder, a full disk), is said as such.
      const problem = fileSystemProblem(err, '.');
      if (problem) process.stderr.write(formatDiagnostic({ code: 'R703', severity: 'error', file: path.relative(process.cwd(), problem.path) || problem.path, message: problem.message, hint: problem.hint }) + '\n');
      else process.stderr.write(`recap: internal error (please report it): ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = problem ? 1 : 70;
    }
  },
);
