import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO, makeSite, post, runCli, tempDir } from './helpers.js';
import { createImageProgress } from '../src/cli/report.js';
import { ONE_OFF_YOUNG_GENERATION, RECAP_NODE_FLAGS } from '../src/cli/node-flags.js';
import { servesInOwnProcess } from '../src/cli/serve-process.js';
import { spawn, type ChildProcess } from 'node:child_process';

function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, full)] = readFileSync(full, 'latin1');
    }
  }
  return files;
}

function goodSite(): string {
  return makeSite({
    'recap.yml': 'title: CLI Test\nurl: https://cli.example\n',
    'posts/2024-03-06-meetup.md': post('title: Meetup\ndate: 2024-03-06\ntags: ["2024"]', 'Hello.\n'),
  });
}

describe('recap CLI', () => {
  it('runs with the same V8 flags however it is started: the binary, the npm scripts and the benchmarks', () => {
    const shebang = readFileSync(path.join(REPO, 'src/cli.ts'), 'utf8').split('\n')[0]!;
    assert.equal(shebang, `#!/usr/bin/env -S node ${RECAP_NODE_FLAGS.join(' ')}`);
    const scripts = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['build', 'serve', 'check']) assert.ok(scripts[name]!.startsWith(`node ${RECAP_NODE_FLAGS.join(' ')} dist/src/cli.js ${name}`), name);
  });

  it('prints help and version, exit 0', () => {
    const help = runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage:\n\s+recap build \[SITE_DIR\]/);
    const version = runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(runCli(['build', '--help']).code, 0);
  });

  it('exits 2 on bad usage, with a message and no stack trace', () => {
    for (const args of [[], ['frobnicate'], ['build', '--nope'], ['build', 'a', 'b']]) {
      const result = runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
    assert.match(runCli(['build', '--nope']).stderr, /recap: Unknown option '--nope'/);
    // A mistyped site folder, or a file in its place, for every command that builds one: nothing is made there.
    const missing = path.join(tempDir(), 'no-such-site');
    const file = path.join(tempDir(), 'recap.yml');
    writeFileSync(file, 'title: A file\n');
    for (const command of ['build', 'serve', 'check']) {
      const gone = runCli([command, missing]);
      assert.equal(gone.code, 2, command);
      assert.match(gone.stderr, /^recap: no site folder at .*no-such-site: give the folder that holds recap\.yml/, command);
      assert.equal(existsSync(missing), false, `${command} made nothing there`);
      const notFolder = runCli([command, file]);
      assert.equal(notFolder.code, 2, command);
      assert.match(notFolder.stderr, /^recap: .*recap\.yml is not a folder/, command);
      // A folder that is no site (a home folder, say) gets no _site or .cache.
      const home = makeSite({ 'notes.txt': 'mine\n', '.config/app.json': '{}\n' });
      const noSite = runCli([command, home]);
      assert.equal(noSite.code, 2, command);
      assert.match(noSite.stderr, /^recap: .* holds no site \(no recap\.yml, _config\.yml, posts\/, _posts\/ or page\)/, command);
      assert.deepEqual(readdirSync(home).sort(), ['.config', 'notes.txt'], `${command} made nothing there`);
    }
  });

  it('builds, prints one summary line, and exits 0', () => {
    const site = goodSite();
    const result = runCli(['build', site]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Built \d+ files from 1 posts in \d+\.\d\d s; 1 images encoded, 0 from cache \(0 errors, 0 warnings\) → .*_site\n$/);
    assert.ok(readFileSync(path.join(site, '_site/2024/03/06/meetup/index.html'), 'utf8').includes('<h1>Meetup</h1>'));
    assert.equal(runCli(['build', site, '--quiet']).stdout, '');
  });

  it('leaves the previous output untouched when a build fails', () => {
    const site = goodSite();
    assert.equal(runCli(['build', site]).code, 0);
    const before = tree(path.join(site, '_site'));
    writeFileSync(path.join(site, 'posts/2024-03-07-broken.md'), '---\ntitle: [unclosed\n---\n');
    const result = runCli(['build', site]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^posts\/2024-03-07-broken\.md:\d+:\d+ error: invalid YAML in front matter/m);
    assert.match(result.stderr, /Build failed: 1 error, 0 warnings\. The previous output was left untouched\./);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(tree(path.join(site, '_site')), before);
    assert.deepEqual(readdirSync(site).sort(), ['._site.recap', '.cache', '_site', 'posts', 'recap.yml']);
  });

  it('fails on warnings only under --strict', () => {
    const site = goodSite();
    writeFileSync(path.join(site, 'posts/notes.txt'), 'stray');
    assert.equal(runCli(['build', site]).code, 0);
    const strict = runCli(['build', site, '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^posts\/notes\.txt warning: skipped: not a post/m);
  });

  it('refuses to replace a folder it did not write', () => {
    const site = goodSite();
    const out = tempDir();
    mkdirSync(path.join(out, 'precious'));
    writeFileSync(path.join(out, 'precious/thesis.tex'), 'years of work');
    const result = runCli(['build', site, '--out', out]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refusing to replace it/);
    assert.equal(readFileSync(path.join(out, 'precious/thesis.tex'), 'utf8'), 'years of work');
    assert.equal(runCli(['build', site, '--out', site]).code, 1);
  });

  it('replaces a Jekyll site\'s _site, Jekyll\'s own output, as jekyll build does, but not one holding what keep_files keeps, nor a Recap site\'s', () => {
    const jekyll = makeSite({
      '_config.yml': 'title: Moved\n',
      '_posts/2024-03-06-a.md': post('title: A'),
      '_site/2019/01/01/old.html': '<p>Jekyll\'s last build</p>',
    });
    const built = runCli(['build', jekyll]);
    assert.equal(built.code, 0, built.stderr);
    assert.ok(existsSync(path.join(jekyll, '_site/2024/03/06/a.html')) && !existsSync(path.join(jekyll, '_site/2019/01/01/old.html')));
    assert.equal(runCli(['build', jekyll]).code, 0, 'and again, now that it is Recap\'s');

    const deployed = makeSite({ '_config.yml': 'title: Deployed\n', '_posts/2024-03-06-a.md': post('title: A'), '_site/.git/HEAD': 'ref: refs/heads/gh-pages\n', '_site/index.html': 'old' });
    const refused = runCli(['build', deployed]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /_site error: Jekyll's output folder holds \.git, which Jekyll keeps there \(keep_files\); refusing to replace it \[R701\]/);
    assert.equal(readFileSync(path.join(deployed, '_site/.git/HEAD'), 'utf8'), 'ref: refs/heads/gh-pages\n');

    const uploads = makeSite({ '_config.yml': 'title: Kept\nkeep_files: [assets/uploads, ../escape, ., ./, /etc]\n', '_posts/2024-03-06-a.md': post('title: A'), '_site/assets/uploads/talk.pdf': 'slides' });
    assert.match(runCli(['build', uploads]).stderr, /_site error: Jekyll's output folder holds assets\/uploads, which Jekyll keeps there \(keep_files\)/);
    assert.equal(readFileSync(path.join(uploads, '_site/assets/uploads/talk.pdf'), 'utf8'), 'slides');

    const recapSite = makeSite({ 'recap.yml': 'title: Own\n', '_config.yml': 'title: Old\n', 'posts/2024-03-06-a.md': post('title: A'), '_site/notes.txt': 'mine' });
    assert.match(runCli(['build', recapSite]).stderr, /refusing to replace it/);
    assert.equal(readFileSync(path.join(recapSite, '_site/notes.txt'), 'utf8'), 'mine');
  });

  it('gives byte-identical output whatever the machine time zone and locale', () => {
    const site = makeSite({
      'recap.yml': 'title: TZ\nurl: https://tz.example\ntimezone: Europe/London\n',
      'posts/2024-03-06-late.md': post('title: Late\ndate: 2024-03-06 23:30:00'),
      'posts/2024-03-06-offset.md': post('title: Offset\ndate: 2024-03-06 23:30:00 -05:00'),
    });
    const outputs = [
      { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
      { TZ: 'America/Los_Angeles', LANG: 'C', LC_ALL: 'C' },
    ].map((env) => {
      const out = path.join(tempDir(), 'out');
      assert.equal(runCli(['build', site, '--out', out], env).code, 0);
      return tree(out);
    });
    assert.deepEqual(outputs[0], outputs[1]);
    assert.ok(outputs[0]!['2024/03/06/late/index.html']);
    assert.ok(outputs[0]!['2024/03/07/offset/index.html'], 'a time with an offset lands on the site-zone date');
  });
});

/** The first line of `child`'s output that matches `pattern`, or a failure if its output ends first (it ends once every process writing it has). */
function lineOf(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (data: Buffer) => {
      text += data.toString('utf8');
      const found = text.split('\n').find((line) => pattern.test(line));
      if (found) resolve(found);
    });
    child.stdout!.once('end', () => reject(new Error(`output ended before ${pattern}: ${text}`)));
  });
}

/** The Node flags of a running process, as Linux shows them (its command line up to the script). */
function nodeFlagsOf(pid: number): string[] {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args.slice(1, args.findIndex((arg) => arg.endsWith('cli.js')));
}

/** The one process `pid` started (Linux). */
function onlyChildOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  assert.equal(children.length, 1, `one process started by ${pid}: ${children.join(', ')}`);
  return children[0]!;
}

/** Whether a process has ended (gone, or a zombie its new parent has not reaped yet). */
function ended(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8').match(/^State:\s+(\S)/m)?.[1] === 'Z';
  } catch {
    return true;
  }
}

/** Waits until `check` holds, for at most `ms`. */
async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('recap serve started as the binary starts it', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  const startServe = (site: string) => spawn(process.execPath, [...RECAP_NODE_FLAGS, path.join(REPO, 'dist/src/cli.js'), 'serve', site, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Runs `use` with the server the binary started, which must have ended after it; a server left running is killed, so a failure leaves nothing behind.
  const withServer = async (binary: ChildProcess, use: (server: number) => Promise<void>) => {
    const server = onlyChildOf(binary.pid!);
    try {
      await Promise.race([use(server), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 15_000).unref())]);
      await eventually(() => ended(server), 5000, 'the server process ended');
    } finally {
      if (!ended(server)) process.kill(server, 'SIGKILL');
      binary.kill('SIGKILL');
    }
  };

  it("serves from a process of its own with V8's own young generation, stopped by the signal sent to the binary", { timeout: 30_000 }, async () => {
    assert.equal(servesInOwnProcess(RECAP_NODE_FLAGS, 'linux'), true);
    assert.equal(servesInOwnProcess(['--expose-gc'], 'linux'), false, 'started without the flag, it serves where it is');
    assert.equal(servesInOwnProcess(['--max-semi-space-size=64'], 'linux'), false, "a size of the user's own is the server's");
    assert.equal(servesInOwnProcess(RECAP_NODE_FLAGS, 'win32'), false);
    const binary = startServe(goodSite());
    const serving = await lineOf(binary, /^Serving http/);
    await withServer(binary, async (server) => {
      assert.deepEqual(nodeFlagsOf(server), RECAP_NODE_FLAGS.filter((flag) => flag !== ONE_OFF_YOUNG_GENERATION));
      const response = await fetch(serving.split(' ')[1]!);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<title>CLI Test<\/title>/);
      const stopped = lineOf(binary, /^Stopped\.$/);
      const exit = new Promise<number | null>((resolve) => binary.once('exit', resolve));
      binary.kill('SIGINT');
      await stopped;
      assert.equal(await exit, 0, "the server's exit status is the binary's");
    });
  });

  it('stops its server when the binary is killed outright', { timeout: 30_000 }, async () => {
    const binary = startServe(goodSite());
    await lineOf(binary, /^Serving http/);
    await withServer(binary, async () => {
      const stopped = lineOf(binary, /^Stopped\.$/);
      binary.kill('SIGKILL');
      await stopped;
    });
  });
});

describe('image encoding progress on a terminal', () => {
  it('shows the total as it grows: encoding starts with the photos, and the cards join it later', async () => {
    const written: string[] = [];
    const noop = () => undefined;
    const stream = { isTTY: true, columns: 100, write: (text: string) => written.push(text) > 0, cursorTo: noop, clearLine: noop, moveCursor: noop, clearScreenDown: noop, on: noop, removeListener: noop } as unknown as NodeJS.WriteStream;
    const progress = (await createImageProgress(false, stream, () => 0))!;
    progress.update(1, 100);
    progress.update(2, 130);
    progress.stop();
    const shown = written.join('').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
    assert.match(shown, /Encoding images \S+ 2\/130 /);
    assert.doesNotMatch(shown, /2\/100/);
  });
});

describe('image encoding progress without a terminal', () => {
  it('logs done/total and the time left every 10 seconds, and a last line when it logged any', async () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream;
    let clock = 0;
    const progress = (await createImageProgress(false, stream, () => clock))!;
    for (let done = 1; done <= 380; done++) {
      clock = done * 100; // 0.1 s per photo: 38 s in all
      progress.update(done, 380);
    }
    progress.stop();
    assert.deepEqual(lines, [
      'Encoding images: 100/380 (26%), about 28 s left\n',
      'Encoding images: 200/380 (52%), about 18 s left\n',
      'Encoding images: 300/380 (78%), about 8 s left\n',
      'Encoding images: 380/380 (100%), done in 38 s\n',
    ]);
    const quick: string[] = [];
    const fast = (await createImageProgress(false, { isTTY: false, write: (t: string) => quick.push(t) } as unknown as NodeJS.WriteStream, () => 0))!;
    for (let done = 1; done <= 50; done++) fast.update(done, 50);
    assert.deepEqual(quick, [], 'a build that encodes in under 10 s stays quiet');
    assert.equal(await createImageProgress(true, stream), undefined, '--quiet');
  });
});
