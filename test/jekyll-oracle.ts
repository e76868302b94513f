import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from './helpers.js';

/** Debian's jekyll: what it publishes is what a migrated site must publish. */
const JEKYLL = '/usr/bin/jekyll';

/** Why an oracle test is skipped on a machine without Debian's jekyll (false where it runs). */
export const withoutJekyll: string | false = existsSync(JEKYLL) ? false : `no ${JEKYLL}: .ci/run installs Debian's jekyll package`;

/** Why an oracle test of a site using a Jekyll plugin is skipped where Jekyll lacks it (false where it runs): Debian packages each as ruby-NAME. */
function withoutPlugin(name: string): string | false {
  return withoutJekyll
    || (spawnSync('ruby', ['-e', `require "jekyll"; require "${name}"`], { encoding: 'utf8' }).status === 0 ? false : `no ${name}: .ci/run installs Debian's ruby-${name} package`);
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
