import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { printable } from '../src/cli/report.js';
import { publishSite } from '../src/pipeline/publish.js';
import { tempDir } from './helpers.js';

/** Debian's jekyll: what it publishes is what a migrated site must publish. */
const JEKYLL = '/usr/bin/jekyll';

/** Why an oracle test is skipped on a machine without Debian's jekyll (false where it runs). */
export const withoutJekyll: string | false = existsSync(JEKYLL) ? false : `no ${JEKYLL}: .ci/run installs Debian's jekyll package`;

/** The Jekyll plugins the oracle tests use, each packaged by Debian as ruby-NAME. */
const PLUGINS = ['jekyll-paginate', 'jekyll-paginate-v2', 'jekyll-archives', 'jekyll-redirect-from', 'jekyll-feed',
  'jekyll-optional-front-matter', 'jekyll-readme-index', 'jekyll-titles-from-headings'] as const;

/**
 * The plugins this machine's Jekyll can load: one Ruby start loads Jekyll, then requires each
 * plugin in a child process of its own (fork), so no plugin is tried in another's presence.
 * (One Ruby start per plugin cost each test file that imports this ~4 s of CPU.) Without Ruby, none.
 */
const LOADABLE: ReadonlySet<string> = withoutJekyll ? new Set() : new Set(spawnSync('ruby', ['-e', [
  'require "jekyll"',
  'ARGV.each do |name|',
  '  pid = fork { begin; require name; rescue LoadError; exit!(1); end; exit!(0) }',
  '  Process.wait(pid)',
  '  puts name if $?.success?',
  'end',
].join('\n'), ...PLUGINS], { encoding: 'utf8' }).stdout?.split('\n').filter((line) => line !== '') ?? []);

/** Why an oracle test of a site using a Jekyll plugin is skipped where Jekyll lacks it (false where it runs): Debian packages each as ruby-NAME. */
function withoutPlugin(name: (typeof PLUGINS)[number]): string | false {
  return withoutJekyll || (LOADABLE.has(name) ? false : `no ${name}: .ci/run installs Debian's ruby-${name} package`);
}

/** Why an oracle test of a paginated site is skipped where Jekyll has no jekyll-paginate (false where it runs). */
export const withoutPaginate = withoutPlugin('jekyll-paginate');

/** Why an oracle test of a site paginated by jekyll-paginate-v2 is skipped where Jekyll lacks the plugin (false where it runs). */
export const withoutPaginateV2 = withoutPlugin('jekyll-paginate-v2');

/** Why an oracle test of a site with jekyll-archives' pages is skipped where Jekyll lacks the plugin (false where it runs). */
export const withoutArchives = withoutPlugin('jekyll-archives');

/** Why an oracle test of a site with jekyll-redirect-from's redirects is skipped where Jekyll lacks the plugin (false where it runs). */
export const withoutRedirectFrom = withoutPlugin('jekyll-redirect-from');

/** Why an oracle test of a site with jekyll-feed's feeds is skipped where Jekyll lacks the plugin (false where it runs). */
export const withoutFeed = withoutPlugin('jekyll-feed');

/** Why an oracle test of GitHub Pages' plugins for Markdown without front matter is skipped where Jekyll lacks one (false where it runs). */
export const withoutPlainMarkdownPlugins = withoutPlugin('jekyll-optional-front-matter') || withoutPlugin('jekyll-readme-index') || withoutPlugin('jekyll-titles-from-headings');

/** Every file below a folder, as site paths. */
export function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

/**
 * Holds Recap's output to Jekyll's: Jekyll publishes each file `named` (so the fixture tests what it
 * means to), and Recap publishes every file Jekyll does. Both lists, for further assertions.
 */
export function publishesWhatJekyllDoes(jekyllOut: string, recapOut: string, named: readonly string[] = []): { expected: string[]; made: Set<string> } {
  const expected = files(jekyllOut);
  for (const file of named) assert.ok(expected.includes(file), `Jekyll publishes ${file}: ${expected.join(', ')}`);
  const made = new Set(files(recapOut));
  for (const file of expected) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
  return { expected, made };
}

/**
 * What a `jekyll build` runs in the oracle's Ruby process: Jekyll is loaded once, then each build
 * runs Debian's `jekyll` executable in a forked child of its own, with its arguments, so every
 * build starts from a process that has loaded Jekyll and nothing else (its plugins are loaded by
 * each child, as each site's settings ask). A Ruby start and Jekyll's loading cost ~0.5 s of CPU,
 * ~45 times a test run. One JSON line in (the arguments), one out (the status and what the build
 * wrote to stderr).
 */
const SERVER = `
require "jekyll"
require "json"
require "tmpdir"
$stdout.sync = true
count = 0
while (line = $stdin.gets)
  args = JSON.parse(line)
  err = File.join(Dir.tmpdir, "jekyll-oracle-#{Process.pid}-#{count += 1}.err")
  pid = fork do
    begin
      $stdout.reopen(File::NULL, "w")
      $stderr.reopen(err, "w")
      ARGV.replace(args)
      load ${JSON.stringify(JEKYLL)}
      status = 0
    rescue SystemExit => e
      status = e.status
    rescue Exception => e
      $stderr.puts(e.full_message(highlight: false))
      status = 1
    end
    $stderr.flush
    exit!(status)
  end
  Process.wait(pid)
  text = File.exist?(err) ? File.read(err) : ""
  File.delete(err) if File.exist?(err)
  puts JSON.generate({ "status" => $?.exitstatus || 1, "stderr" => text })
end
`;

/** Debian's jekyll as a process that builds one site per request (see SERVER); it ends with the test file. */
class JekyllProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<{ resolve: (answer: { status: number; stderr: string }) => void; reject: (err: Error) => void }> = [];
  private unread = '';

  constructor() {
    this.child = spawn('ruby', ['-e', SERVER], { env: { ...process.env, TZ: 'UTC', JEKYLL_ENV: 'production' } });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.unread += chunk;
      for (let end = this.unread.indexOf('\n'); end >= 0; end = this.unread.indexOf('\n')) {
        const line = this.unread.slice(0, end);
        this.unread = this.unread.slice(end + 1);
        this.waiting.shift()?.resolve(JSON.parse(line) as { status: number; stderr: string });
        if (this.waiting.length === 0) this.idle();
      }
    });
    let stderr = '';
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    this.child.on('exit', (code) => {
      for (const { reject } of this.waiting.splice(0)) reject(new Error(`the Jekyll process ended (exit code ${code}): ${stderr}`));
    });
    // Ruby that cannot start, or a request written after the process ended: what waits is rejected, never a crash of the test file.
    this.child.on('error', (err) => {
      for (const { reject } of this.waiting.splice(0)) reject(new Error(`the Jekyll process failed: ${err.message}`));
    });
    this.child.stdin.on('error', () => undefined);
    this.idle();
  }

  /** Runs `jekyll ARGS` and answers its exit status and stderr. */
  run(args: string[]): Promise<{ status: number; stderr: string }> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.busy();
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(args)}\n`);
    });
  }

  // While no build is asked for, the process and its pipes keep no test file alive.
  private idle(): void {
    this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr] as unknown as Array<{ unref?: () => void }>) pipe.unref?.();
  }

  private busy(): void {
    this.child.ref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr] as unknown as Array<{ ref?: () => void }>) pipe.ref?.();
  }
}

/** The oracle's Jekyll process of this test file, where Jekyll is installed. */
const jekyllProcess = withoutJekyll ? undefined : new JekyllProcess();

/**
 * A site built by Jekyll and by Recap, each into a folder of its own (at once); both must
 * succeed. Recap builds as `recap build SITE --out DIR` does (publishSite, at the present time),
 * in this process: ~45 oracle builds each starting Node and loading Recap again took ~60 s of
 * CPU, a sixth of the test suite's time; `recapStderr` is what the CLI prints (without source lines).
 * With `destination`, Jekyll writes into that folder of the site, as `jekyll build` run in the
 * site does where its settings name it (Jekyll reads a destination: setting from the working folder).
 */
export async function buildWithBoth(site: string, destination?: string): Promise<{ jekyllOut: string; recapOut: string; recapStderr: string }> {
  const jekyllOut = destination === undefined ? tempDir() : path.join(site, destination);
  const jekyll = jekyllProcess!.run(['build', '--quiet', '--source', site, '--destination', jekyllOut]);
  const recapOut = path.join(tempDir(), 'out');
  const published = await publishSite({ siteDir: site, outDir: recapOut });
  const recapStderr = published.diagnostics.sorted().map((d) => printable(d, false)).join('\n');
  const built = await jekyll;
  assert.equal(built.status, 0, built.stderr);
  assert.notEqual(published.outcome, 'failed', recapStderr);
  return { jekyllOut, recapOut, recapStderr };
}
