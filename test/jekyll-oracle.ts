import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './helpers.js';

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

/** A site built by Jekyll and by `recap build`, each into a folder of its own; both must succeed. */
export function buildWithBoth(site: string): { jekyllOut: string; recapOut: string; recapStderr: string } {
  const jekyllOut = tempDir();
  const jekyll = spawnSync(JEKYLL, ['build', '--quiet', '--source', site, '--destination', jekyllOut], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', JEKYLL_ENV: 'production' } });
  assert.equal(jekyll.status, 0, jekyll.stderr);
  const recapOut = path.join(tempDir(), 'out');
  const recap = runCli(['build', site, '--out', recapOut]);
  assert.equal(recap.code, 0, recap.stderr);
  return { jekyllOut, recapOut, recapStderr: recap.stderr };
}
