import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkUrl } from '../src/policy/url-policy.js';
import { isSafeOutputPath, unsafeOutputReason } from '../src/policy/output-policy.js';
import { fileSystemProblem } from '../src/output/fs-errors.js';
import { HOSTILE_LAYOUTS, HOSTILE_POSTS, hostileLayoutSite, ONE_PIXEL_PNG } from '../bench/hostile.js';
import { buildSite, editPostCacheEntries, html, makeSite, messages, output, parseXml, photo, post, readPostCacheEntries, REPO, runCli, tempDir } from './helpers.js';

/** Every file below a folder (links included, as links), for before/after comparisons. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) files[path.relative(dir, full)] = readFileSync(full, 'latin1');
    else if (entry.isSymbolicLink()) files[path.relative(dir, full)] = 'link';
  }
  return files;
}


describe('the URL policy', () => {
  const cases: Array<[string, boolean]> = [
    ['https://example.org/x', true],
    ['http://example.org', true],
    ['mailto:team@example.org', true],
    ['/images/photo.jpeg', true],
    ['../photo.jpeg', true],
    ['#talks', true],
    ['?page=2', true],
    ['photo.jpeg', true],
    ['//cdn.example.org/x.png', true],
    ['/search?q=javascript:alert(1)', true],
    ['javascript:alert(1)', false],
    ['JaVaScRiPt:alert(1)', false],
    [' javascript:alert(1)', false],
    ['\tjavascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['java\nscript:alert(1)', false],
    ['java\u0000script:alert(1)', false],
    ['\u0001javascript:alert(1)', false],
    ['javascript\u200b:alert(1)', false],
    ['&#106;avascript:alert(1)', false],
    ['&#x6A;avascript:alert(1)', false],
    ['&#106avascript:alert(1)', false],
    ['javascript&colon;alert(1)', false],
    ['javascript&#58;alert(1)', false],
    ['&Tab;javascript:alert(1)', false],
    ['%6Aavascript:alert(1)', false],
    ['javascript%3Aalert(1)', false],
    ['%256Aavascript:alert(1)', false],
    ['vbscript:msgbox(1)', false],
    ['VBScript:msgbox(1)', false],
    ['data:text/html;base64,PHNjcmlwdD4=', false],
    ['DATA:image/svg+xml,<svg onload=alert(1)>', false],
    ['data:image/png;base64,AAAA', false],
    ['file:///etc/passwd', false],
    ['FILE://C:/Windows', false],
    ['&amp;#106;avascript:alert(1)', false],
  ];
  for (const [url, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${JSON.stringify(url)}`, () => {
      assert.equal(checkUrl(url).ok, allowed);
    });
  }
});

describe('output paths', () => {
  const cases: Array<[string, boolean]> = [
    ['/2024/03/06/meetup/', true],
    ['/old.html', true],
    ['/../x.html', false],
    ['/a/../../x', false],
    ['/%2e%2e/%2e%2e/x.html', false],
    ['/%2E%2E/x', false],
    ['/.%2e/x', false],
    ['/%2e/x', false],
    ['/a\\..\\x', false],
    ['/a%5c..%5cx', false],
    ['/x%00.html', false],
    ['/.htaccess', false],
    ['/.well-known/security.txt', true],
    ['/a/.well-known/x', false],
    ['/.recap-output', false],
    ['/a/\u0007/', false],
    ['relative/path', false],
    ['/%E0%A4%A', false],
    [`/${'a'.repeat(300)}/`, false],
  ];
  for (const [url, safe] of cases) {
    it(`${safe ? 'accepts' : 'refuses'} ${JSON.stringify(url.slice(0, 40))}`, () => {
      assert.equal(unsafeOutputReason(url) === undefined, safe);
    });
  }
});


/** A one-post site beside a folder holding a precious file of that name, which no build may touch. */
function siteBesideVictim(victim: string): { outside: string; site: string } {
  const root = tempDir();
  const outside = path.join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, victim), 'precious');
  const site = path.join(root, 'site');
  mkdirSync(path.join(site, 'posts'), { recursive: true });
  writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A'));
  return { outside, site };
}
describe('containment of writes', () => {
  const hostile: Array<[string, string, RegExp]> = [
    ['redirect_from', post('title: A\nredirect_from: /../../../../escaped.html'), /posts\/2024-03-06-a\.md:3:\d+ error: redirect_from "\/\.\.\/\.\.\/\.\.\/\.\.\/escaped\.html" cannot be an output path/],
    ['permalink', post('title: A\npermalink: /../../escaped/'), /posts\/2024-03-06-a\.md:3:\d+ error: permalink .* cannot be an output path/],
    ['encoded permalink', post('title: A\npermalink: /%2e%2e/%2e%2e/escaped.html'), /error: permalink .* cannot be an output path: it contains a "\." or "\.\." segment/],
    ['slug', post('title: A\nslug: ../../../escaped'), /error: (slug|permalink) .* cannot be an output path/],
    ['categories', post('title: A\ncategories: [".."]\npermalink: /:categories/:categories/:title.html'), /error: permalink .* cannot be an output path/],
    ['hidden file', post('title: A\npermalink: /.htaccess'), /error: permalink .* cannot be an output path: a part of it starts with "\."/],
  ];
  for (const [name, text, expected] of hostile) {
    it(`refuses a ${name} that leaves the output, naming the file, and writes nothing`, () => {
      const root = tempDir();
      const site = path.join(root, 'a', 'b', 'c', 'site');
      mkdirSync(path.join(site, 'posts'), { recursive: true });
      writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), text);
      const result = runCli(['build', site]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, expected);
      assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
      const inSite = (f: string, folder: string) => f.startsWith(path.join('a', 'b', 'c', 'site', folder));
      assert.deepEqual(Object.keys(tree(root)).filter((f) => !inSite(f, 'posts') && !inSite(f, '.cache')), [], 'no output, and nothing outside the site');
    });
  }

  it('a file name with dots, plain or encoded, cannot leave the output', async () => {
    for (const name of ['%2e%2e', '..', '.%2e']) {
      const result = await buildSite(makeSite({ [`posts/2024-03-06-${name}.md`]: post('title: Dots\npermalink: /:title/') }));
      const refused = messages(result).some((m) => m.startsWith(`posts/2024-03-06-${name}.md`) && m.includes('cannot be an output path'));
      const paths = result.manifest.all().map((f) => f.path);
      assert.ok(refused || paths.every((p) => !p.split('/').some((segment) => segment === '..' || segment === '.')), `${name}: ${paths.join(', ')}`);
      assert.ok(paths.every((p) => isSafeOutputPath(p)), name);
    }
  });

  for (const [key, value, url] of [['permalink', '/_headers', '/_headers'], ['permalink', '/feed.xml', '/feed.xml'], ['redirect_from', '/assets/style.css', '/assets/style.css'], ['permalink', '/talks.json', '/talks.json'], ['redirect_from', '/sitemap.xml', '/sitemap.xml']] as const) {
    it(`a post cannot claim Recap's own ${url} (${key})`, async () => {
      const result = await buildSite(makeSite({ 'posts/2024-03-06-a.md': post(`title: A\n${key}: ${value}`) }));
      const errors = messages(result).filter((m) => m.includes(' error: '));
      assert.ok(errors.some((m) => m.startsWith('posts/2024-03-06-a.md') && m.includes(`${url}`) && m.includes("is Recap's own output")), errors.join('\n'));
      if (url === '/_headers') assert.match(output(result, '/_headers'), /Content-Security-Policy/, 'the real headers file stays');
    });
  }

  it('never writes through links planted in the live or standby output, and never deletes through a tampered record', () => {
    const { outside, site } = siteBesideVictim('victim.txt');
    // Each build has something to write (an edit), so each of the two trees is written: with
    // nothing changed, a build stops before writing and leaves the standby tree as it is.
    const buildAfterEdit = (i: number) => {
      appendFileSync(path.join(site, 'posts/2024-03-06-a.md'), `\nEdit ${i}.\n`);
      assert.equal(runCli(['build', site]).code, 0);
    };
    buildAfterEdit(0);
    buildAfterEdit(1);
    const live = path.join(site, '_site');
    const standby = path.join(site, '._site.recap/standby');
    // Links where outputs go, in both trees: a folder, and files.
    for (const tree of [live, standby]) {
      for (const name of ['2024', 'feed.xml', 'robots.txt']) {
        const target = path.join(tree, name);
        rmSync(target, { recursive: true, force: true });
        symlinkSync(name === '2024' ? outside : path.join(outside, 'victim.txt'), target);
      }
    }
    // A record that names a file outside the tree.
    const state = path.join(site, '._site.recap');
    for (const name of readdirSync(state)) {
      if (name.endsWith('.json')) {
        writeFileSync(path.join(state, name), JSON.stringify({
          files: { '../../../outside/victim.txt': 'x:8', '2024/03/06/a/index.html': 'x:1' },
          marks: { '../../../outside/victim.txt': 'f:8', '2024/03/06/a/index.html': 'f:1' },
        }));
      }
    }
    buildAfterEdit(2);
    buildAfterEdit(3);
    assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'precious');
    assert.deepEqual(readdirSync(outside), ['victim.txt']);
    for (const tree of [live, standby]) {
      for (const name of ['2024', 'feed.xml', 'robots.txt']) assert.equal(lstatSync(path.join(tree, name)).isSymbolicLink(), false, `${name} is no longer a link`);
    }
    assert.match(readFileSync(path.join(live, 'feed.xml'), 'utf8'), /<feed/);
  });

  it('a pipe planted in place of any cache or record file is passed over, never waited on', async () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A', '![Group](/images/group.jpeg)\n'), 'images/group.jpeg': await photo(320, 200) });
    assert.equal(runCli(['build', site]).code, 0);
    const state = path.join(site, '._site.recap');
    const planted = [path.join(site, '.cache/recap/posts.json'), path.join(site, '.cache/images/sources.json'), path.join(site, '.cache/images/written.json'),
      path.join(state, 'build.json'), ...readdirSync(state).filter((n) => n.endsWith('.json')).map((n) => path.join(state, n))];
    for (const file of new Set(planted)) {
      rmSync(file, { force: true });
      assert.equal(spawnSync('mkfifo', [file]).status, 0, `mkfifo ${file}`);
    }
    const started = performance.now();
    const result = spawnSync(process.execPath, [path.join(REPO, 'dist/src/cli.js'), 'build', site], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr || 'timed out: a pipe was waited on');
    assert.ok(performance.now() - started < 60_000);
    assert.match(readFileSync(path.join(site, '_site/2024/03/06/a/index.html'), 'utf8'), /<picture>/);
  });

  it('a folder planted in place of any cache, record or state file is removed, not an internal error', async () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A', '![Group](/images/group.jpeg)\n'), 'images/group.jpeg': await photo(320, 200) });
    // Inputs must have stood still for two seconds before a build is recorded (and its pages kept).
    await sleep(2100);
    assert.equal(runCli(['build', site]).code, 0);
    const state = path.join(site, '._site.recap');
    const images = path.join(site, '.cache/images');
    const planted = [path.join(site, '.cache/recap/posts.json'), path.join(images, 'sources.json'), path.join(images, 'written.json'),
      ...readdirSync(images).filter((n) => /\.(avif|webp|jpeg)$/.test(n)).map((n) => path.join(images, n)),
      path.join(state, 'build.json'), path.join(state, 'pages.json'), path.join(state, 'standby', '.recap-output'), path.join(state, 'stray.json'),
      ...readdirSync(state).filter((n) => n.endsWith('.json')).map((n) => path.join(state, n))];
    for (const file of new Set(planted)) {
      rmSync(file, { recursive: true, force: true });
      mkdirSync(path.join(file, 'inside'), { recursive: true });
    }
    rmSync(path.join(site, '_site/2024/03/06/a/index.html'));
    for (const round of [1, 2]) {
      const result = runCli(['build', site]);
      assert.equal(result.code, 0, `build ${round}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /internal error/);
      assert.match(readFileSync(path.join(site, '_site/2024/03/06/a/index.html'), 'utf8'), /<picture>/);
    }
  });

  it('never deletes or writes through a link planted in place of the output\'s state folder', async () => {
    const { outside, site } = siteBesideVictim('build.json');
    assert.equal(runCli(['build', site]).code, 0);
    rmSync(path.join(site, '._site.recap'), { recursive: true });
    symlinkSync(outside, path.join(site, '._site.recap'));
    const result = runCli(['build', site]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Built /m);
    assert.deepEqual(readdirSync(outside), ['build.json']);
    assert.equal(readFileSync(path.join(outside, 'build.json'), 'utf8'), 'precious');
    assert.equal(lstatSync(path.join(site, '._site.recap')).isSymbolicLink(), false);
  });

  it('refuses a cache_dir that would put the site\'s own files in reach of the cache cleanup', async () => {
    for (const cacheDir of ['.', '..', 'images', 'posts/cache', '/tmp/recap-cache-outside']) {
      const site = makeSite({
        'recap.yml': `cache_dir: "${cacheDir}"\n`,
        'posts/2024-03-06-a.md': post('title: A'),
        'images/photo.jpg': await photo(64, 48),
      });
      const result = runCli(['build', site]);
      assert.equal(result.code, 1, `${cacheDir}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`recap\\.yml:1 error: cache_dir "${cacheDir.replace(/\./g, '\\.')}" cannot hold caches: .*\\[R103\\]\\n(?:  .*\\n)*?  hint: use a folder of its own`));
      assert.ok(existsSync(path.join(site, 'images/photo.jpg')) && existsSync(path.join(site, 'posts/2024-03-06-a.md')));
    }
  });

  it('the image cache cleanup deletes only the files it made', async () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A', '![A photo](/images/a.jpg)\n'), 'images/a.jpg': await photo(64, 48) });
    mkdirSync(path.join(site, '.cache/images'), { recursive: true });
    writeFileSync(path.join(site, '.cache/images/notes.txt'), 'mine');
    writeFileSync(path.join(site, '.cache/images/0123456789abcdef0123.jpeg'), 'mine too');
    assert.equal(runCli(['build', site]).code, 0);
    writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A', 'No photo now.\n'));
    rmSync(path.join(site, 'images/a.jpg'));
    assert.equal(runCli(['build', site]).code, 0);
    const left = readdirSync(path.join(site, '.cache/images')).sort();
    assert.ok(left.includes('notes.txt') && left.includes('0123456789abcdef0123.jpeg'), left.join(', '));
    assert.ok(!left.some((name) => /^[0-9a-f]{20}\.(avif|webp)$/.test(name)), `the unused variants were pruned: ${left.join(', ')}`);
  });
});


describe('caches are input too', () => {
  it('reads no post cache entry past its segment\'s end, however long the index says it is', async () => {
    const site = makeSite({ 'recap.yml': 'title: Long places\n', 'posts/2024-03-06-a.md': post('title: A', 'Body A.\n'), 'posts/2024-03-07-b.md': post('title: B', 'Body B.\n') });
    await buildSite(site, { persistCache: true });
    const file = path.join(site, '.cache/recap/posts.json');
    const [magic, json] = readFileSync(file, 'utf8').split('\n') as [string, string];
    const index = JSON.parse(json) as { entries: Array<[string, number, number, number]> };
    // Two terabytes from the first entry, and a place that starts past the end.
    index.entries[0]![3] = 2 ** 41;
    index.entries[1]![2] = 10 ** 9;
    writeFileSync(file, `${magic}\n${JSON.stringify(index)}\n`);
    const result = await buildSite(site, { persistCache: true });
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.ok(messages(result).some((m) => /posts\.json note: discarded 2 entries of the post cache/.test(m)), messages(result).join('\n'));
    assert.equal((await buildSite(site, { persistCache: true })).cachedBodies, 2, 'made again and written well');
  });

  it('never reads or removes through a post cache segment that is a link', async () => {
    const root = tempDir();
    const site = path.join(root, 'site');
    mkdirSync(site);
    writeFileSync(path.join(site, 'recap.yml'), 'title: Linked segments\n');
    mkdirSync(path.join(site, 'posts'));
    writeFileSync(path.join(site, 'posts', '2024-03-06-a.md'), post('title: A', 'Body A.\n'));
    await buildSite(site, { persistCache: true });
    const file = path.join(site, '.cache/recap/posts.json');
    const [segment] = readPostCacheEntries(file).segments;
    const named = `${file}.${segment}.seg`;
    // The named segment swapped for a link to a copy of itself outside: not read through (the post is made again, with a note).
    const copy = path.join(root, 'copy.seg');
    writeFileSync(copy, readFileSync(named));
    rmSync(named);
    symlinkSync(copy, named);
    // And a link named like a segment no index names, to a file that must survive its removal.
    const victim = path.join(root, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, `${file}.0123456789abcdef.seg`);
    const result = await buildSite(site, { persistCache: true });
    assert.equal(result.cachedBodies, 0, 'nothing read through the link');
    assert.ok(messages(result).some((m) => /posts\.json note: discarded .* of the post cache/.test(m)), messages(result).join('\n'));
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.ok(existsSync(copy));
    for (const name of readdirSync(path.dirname(file))) assert.ok(!lstatSync(path.join(path.dirname(file), name)).isSymbolicLink(), `${name} is no link`);
    assert.equal((await buildSite(site, { persistCache: true })).cachedBodies, 1);
  });

  it('discards tampered post-cache entries with a note: they cannot bring back raw HTML or script URLs', async () => {
    const site = makeSite({
      'recap.yml': 'raw_html: false\n',
      'posts/2024-03-06-a.md': post('title: A', 'A [link](https://example.org/) and `code`.\n\n## A heading\n\n| a | b |\n|--:|---|\n| 1 | 2 |\n\n![A photo](/images/a.jpg)\n\n![](https://example.org/b.jpg)\n'),
    });
    await buildSite(site, { persistCache: true });
    const warm = await buildSite(site, { persistCache: true });
    assert.equal(warm.cachedBodies, 1, 'what the renderer writes is accepted from the cache');
    const file = path.join(site, '.cache/recap/posts.json');
    const original = readFileSync(file, 'utf8');
    const originalEntries = readPostCacheEntries(file).entries;
    // The index and its segments as the build left them, put back after each tampering.
    const folder = path.dirname(file);
    const saved = new Map(readdirSync(folder).map((name) => [name, readFileSync(path.join(folder, name))]));
    const restore = () => {
      for (const name of readdirSync(folder)) rmSync(path.join(folder, name));
      for (const [name, bytes] of saved) writeFileSync(path.join(folder, name), bytes);
    };
    for (const [what, replace] of [
      ['a script', (text: string) => text.replace('A <a href', 'A <script>alert(1)</script><a href')],
      ['a script URL', (text: string) => text.replace('href="https://example.org/"', 'href="javascript:alert(1)"')],
      ['an event handler', (text: string) => text.replace('<code>', '<code onmouseover="alert(1)">')],
      ['a URL that leaves the output', (text: string) => text.replace('"url":"/2024/03/06/a/"', '"url":"/../../escaped/"')],
      ['a diagnostic with a code Recap has not', (text: string) => text.replace('"code":"R302"', '"code":"R999"')],
    ] as const) {
      editPostCacheEntries(file, replace);
      assert.notDeepEqual(readPostCacheEntries(file).entries, originalEntries, what);
      const result = await buildSite(site, { persistCache: true });
      const page = output(result, '/2024/03/06/a/');
      assert.doesNotMatch(page, /alert\(1\)/, what);
      assert.ok(result.manifest.get('/2024/03/06/a/'), what);
      assert.ok(messages(result).some((m) => /^\.cache\/recap\/posts\.json note: discarded .* of the post cache/.test(m)), `${what}: ${messages(result).join('\n')}`);
      restore();
    }
    writeFileSync(file, original.slice(0, original.length / 2));
    const truncated = await buildSite(site, { persistCache: true });
    assert.ok(messages(truncated).some((m) => m.includes('discarded the whole file')), messages(truncated).join('\n'));
    assert.equal(truncated.diagnostics.count('error'), 0);
  });

  it('never copies a link planted in the image cache', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'secret.txt'), 'secret');
    const site = path.join(root, 'site');
    mkdirSync(path.join(site, 'posts'), { recursive: true });
    mkdirSync(path.join(site, 'images'));
    writeFileSync(path.join(site, 'images/a.jpg'), await photo(64, 48));
    writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A', '![A photo](/images/a.jpg)\n'));
    assert.equal(runCli(['build', site]).code, 0);
    const cache = path.join(site, '.cache/images');
    for (const name of readdirSync(cache).filter((n) => /\.(avif|webp|jpeg)$/.test(n))) {
      rmSync(path.join(cache, name));
      symlinkSync(path.join(root, 'secret.txt'), path.join(cache, name));
    }
    rmSync(path.join(site, '_site'), { recursive: true });
    assert.equal(runCli(['build', site]).code, 0);
    for (const [name, content] of Object.entries(tree(path.join(site, '_site')))) assert.notEqual(content, 'secret', name);
  });
});

describe('bounded cost', () => {
  for (const [name, text] of HOSTILE_POSTS) {
    it(`${name}: builds or fails with a clear error, quickly`, async () => {
      // A photo in static/: every post's text is read for the photos it names.
      const site = makeSite({ 'recap.yml': 'url: https://bounded.example\n', 'posts/2024-03-06-a.md': text, 'static/static-photo.png': ONE_PIXEL_PNG });
      const started = performance.now();
      const result = await buildSite(site, { encodeImages: name.startsWith('a huge title') });
      const ms = performance.now() - started;
      // A quadratic scan of these inputs takes minutes; the benchmark (npm run bench -- hostile) measures the real figure.
      assert.ok(ms < 5000, `${name} took ${ms.toFixed(0)} ms`);
      for (const m of messages(result)) assert.match(m, /^posts\/2024-03-06-a\.md/);
      if (name === 'a billion laughs') assert.match(messages(result).join('\n'), /error: invalid YAML in front matter: too large: it expands to more than/);
      if (name === 'deep nesting') assert.match(messages(result).join('\n'), /error: .*(nested|nesting|too large)/);
      if (name.startsWith('160,000 unclosed')) assert.match(messages(result).join('\n'), /^posts\/2024-03-06-a\.md:4 error: raw HTML whose elements nest more than 512 deep \(browsers nest no deeper\) \[R316\]$/m);
    });
  }

  it('files a post under 100 tags at most, with a warning: each tag is a page, so 9,000 of them made 9,000 pages (73 MB)', async () => {
    const tags = Array.from({ length: 9000 }, (_, i) => `t${i}`).join(', ');
    const result = await buildSite(makeSite({ 'recap.yml': 'url: https://bounded.example\n', 'posts/2024-03-06-a.md': `---\ntitle: Tags\ntags: [${tags}]\n---\nHi\n` }));
    const tagPages = result.manifest.all().filter((file) => /^\/tags\/[^/]+\/$/.test(file.url));
    assert.equal(tagPages.length, 100);
    assert.deepEqual(messages(result).filter((m) => m.includes('[R215]')).map((m) => m.split('\n')[0]), ['posts/2024-03-06-a.md:3:7 warning: 9000 tags: the first 100 are the post\'s, the rest are left out of the tag pages [R215]']);
  });

  it('reads a Jekyll data table of millions of fields in time linear in its size (a row of 3 million tabs took 25 s: the CSV reader built a context for each field)', async () => {
    const site = makeSite({
      '_config.yml': 'title: Wide\n',
      '_data/wide.tsv': `a\tb\n${'\t'.repeat(2_000_000)}\n`,
      '_data/quoted.csv': `a,b\n${'"",'.repeat(500_000)}\n`,
      // An empty field is nil (false to Liquid), a quoted "" empty text (true).
      '_posts/2024-03-06-a.md': post('title: A', '{{ site.data.wide | size }} [{% if site.data.wide[0].a %}nil?{% endif %}] [{% if site.data.quoted[0].a %}q{% endif %}]\n'),
    });
    const started = performance.now();
    const result = await buildSite(site);
    const ms = performance.now() - started;
    assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
    assert.equal(html(result, '/2024/03/06/a.html')('.post-body p').text(), '1 [] [q]');
  });

  it('reads a large YAML data file whole (one of 30,000 values was refused as a billion laughs) and still refuses aliases that expand past what its text holds', async () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const site = makeSite({
      '_config.yml': 'title: Data\n',
      '_data/members.yml': Array.from({ length: 10_000 }, (_, i) => `- name: Member ${i}\n  role: speaker\n  city: Leeds`).join('\n') + '\n',
      '_data/laughs.yml': `${laughs}\n`,
      '_posts/2024-03-06-a.md': post('title: A', '{{ site.data.members | size }} {{ site.data.members.last.name }}\n'),
    });
    const result = await buildSite(site);
    assert.deepEqual(messages(result).filter((m) => m.includes(' error: ')).map((m) => m.split('\n')[0]), [
      `_data/laughs.yml:1:1 error: invalid YAML: too large: it expands to more than ${20_000 + laughs.length + 1} values, more than its text holds (are aliases (*name) repeating a large anchor?) [R310]`,
    ]);
    rmSync(path.join(site, '_data/laughs.yml'));
    assert.equal(html(await buildSite(site), '/2024/03/06/a.html')('.post-body p').text(), '10000 Member 9999');
  });

  it('refuses a Jekyll data file of JSON nested past 100 levels (Jekyll overflows its stack some thousands deep), with an error, not a crash', async () => {
    const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    const site = makeSite({ '_config.yml': 'title: Deep\n', '_data/deep.json': deep(200_000), '_data/fine.json': deep(100), '_posts/2024-03-06-a.md': post('title: A', '{{ site.data.fine | jsonify | size }}\n') });
    const result = await buildSite(site);
    assert.deepEqual(messages(result).filter((m) => m.includes(' error: ')).map((m) => m.split('\n')[0]), [
      '_data/deep.json error: the data file is nested more than 100 levels deep: Recap reads no deeper [R310]',
    ]);
    rmSync(path.join(site, '_data/deep.json'));
    assert.equal(html(await buildSite(site), '/2024/03/06/a.html')('.post-body p').text(), '201');
  });

  it('reads a Jekyll site\'s layouts of unclosed tags in time linear in their size (three of 200 KB took 54 s: each `{{`, `<h1` or `{{ content |` was read to the end of the file)', async () => {
    const started = performance.now();
    const result = await buildSite(makeSite(hostileLayoutSite(HOSTILE_LAYOUTS)));
    assert.ok(performance.now() - started < 5000, `took ${(performance.now() - started).toFixed(0)} ms`);
    for (const [name] of HOSTILE_LAYOUTS) assert.ok(result.manifest.get(`/${name}.html`), `${name}.html is built`);
  });

  it('stops a Jekyll post whose Liquid nests a list in itself (2^40 items to write) with an error, quickly', async () => {
    const grow = '{% assign a = "" | split: "," %}{% for i in (1..40) %}{% assign a = a | push: a %}{% endfor %}';
    const site = makeSite({ '_config.yml': 'title: Nested\n', ...Object.fromEntries(['{{ a }}', '{{ a | jsonify }}', '{{ a | join: "," }}', '{{ a | inspect }}'].map((out, i) => [`_posts/2024-03-0${i + 1}-a.md`, post('title: A', `${grow}${out}\n`)])) });
    const started = performance.now();
    const result = await buildSite(site);
    assert.ok(performance.now() - started < 5000, `took ${(performance.now() - started).toFixed(0)} ms`);
    const errors = messages(result).filter((m) => m.includes(' error: ')).map((m) => m.split('\n')[0]!);
    assert.equal(errors.length, 4, errors.join('\n'));
    for (const line of errors) assert.match(line, /error: Liquid: a list of more than 1,000,000 items once its lists are flattened \[R309\]$/);
  });

  it('refuses posts and front matter over the documented limits', async () => {
    const result = await buildSite(makeSite({
      'posts/2024-03-06-big.md': post('title: Big', 'x'.repeat(1024 * 1024 + 1)),
      'posts/2024-03-07-matter.md': post(`title: Matter\nnotes: "${'x'.repeat(70 * 1024)}"`),
    }));
    const errors = messages(result).filter((m) => m.includes(' error: '));
    assert.ok(errors.some((m) => /^posts\/2024-03-06-big\.md error: the post is 1\.0 MiB, over the 1 MiB limit/.test(m)), errors.join('\n'));
    assert.ok(errors.some((m) => /^posts\/2024-03-07-matter\.md:2:1 error: the front matter is over the 64 KiB limit/.test(m)), errors.join('\n'));
  });
});

describe('file-system faults are diagnostics', () => {
  it('an output path that is a file: exit 1, the path named, the file untouched', () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A'), 'not-a-folder': 'mine' });
    const result = runCli(['build', site, '--out', path.join(site, 'not-a-folder')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not-a-folder error: the output path is a file, not a folder \[R701\]\n  hint: /);
    assert.equal(readFileSync(path.join(site, 'not-a-folder'), 'utf8'), 'mine');
  });

  it('an output folder below a file: exit 1, no stack trace', () => {
    const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A'), blocker: 'mine' });
    const result = runCli(['build', site, '--out', path.join(site, 'blocker/out')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /error: cannot write the output: a file stands where a folder is needed/);
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  });

  it('names every kind of file-system fault in words, with what to do', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EMFILE']) {
      const err = Object.assign(new Error(code), { code, path: '/srv/site/_site/x' });
      const problem = fileSystemProblem(err, '/fallback');
      assert.ok(problem, code);
      assert.equal(problem.path, '/srv/site/_site/x');
      assert.ok(problem.message.length > 5 && problem.hint.length > 5, code);
    }
    assert.equal(fileSystemProblem(new TypeError('a bug'), '/x'), undefined, 'a bug stays a bug');
  });

  it('a symbolic link among the posts is skipped with a warning, never followed', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'secret.md'), post('title: Secret', 'the secret'));
    const site = path.join(root, 'site');
    mkdirSync(path.join(site, 'posts'), { recursive: true });
    symlinkSync(path.join(root, 'secret.md'), path.join(site, 'posts/2024-03-06-secret.md'));
    symlinkSync(path.join(site, 'posts'), path.join(site, 'posts/loop'));
    const result = await buildSite(site);
    assert.ok(messages(result).some((m) => m.startsWith('posts/2024-03-06-secret.md warning: skipped: a symbolic link')), messages(result).join('\n'));
    for (const file of result.manifest.values()) assert.doesNotMatch(file.content?.toString() ?? '', /the secret/);
  });

  it('a pipe among the posts, pages, photos or a Jekyll site\'s files is skipped with a warning, never read', () => {
    const recapSite = makeSite({ 'posts/2024-03-06-a.md': post('title: A') });
    const jekyllSite = makeSite({ '_config.yml': 'title: J\n', '_posts/2024-03-06-a.md': post('title: A') });
    const pipes = [
      [recapSite, ['posts/2024-03-07-pipe.md', 'pages/pipe.md', 'images/pipe.jpeg'], '_site/2024/03/06/a/index.html'],
      [jekyllSite, ['_posts/2024-03-07-pipe.md', 'pipe.md', 'assets/pipe.css'], '_site/2024/03/06/a.html'],
    ] as const;
    for (const [site, names, page] of pipes) {
      for (const name of names) {
        mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
        assert.equal(spawnSync('mkfifo', [path.join(site, name)]).status, 0, `mkfifo ${name}`);
      }
      const result = spawnSync(process.execPath, [path.join(REPO, 'dist/src/cli.js'), 'build', site], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 0, result.stderr || 'timed out: a pipe was read');
      const skipped = result.stderr.split('\n').filter((line) => line.endsWith('warning: skipped: not a plain file (a pipe, a socket or a device) [R109]')).map((line) => line.split(' ')[0]);
      assert.deepEqual(skipped.sort(), [...names].sort());
      assert.ok(existsSync(path.join(site, page)), page);
    }
  });

  it('a post named on the command line that is a link is refused, not followed', () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'secret.md'), post('title: Secret', 'Ann Lee: [the secret](https://youtu.be/Ab3dE5fG7hJ?t=60)\n'));
    const site = makeSite({ 'posts/2024-03-07-real.md': post('title: Real') });
    symlinkSync(path.join(root, 'secret.md'), path.join(site, 'posts/2024-03-06-secret.md'));
    const result = runCli(['chapters', path.join(site, 'posts/2024-03-06-secret.md')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /posts\/2024-03-06-secret\.md error: cannot read: a symbolic link stands where a file is needed/);
    assert.doesNotMatch(result.stdout + result.stderr, /the secret|at .*\.js:\d+/);
  });
});

describe('valid XML whatever the input', () => {
  it('removes characters XML forbids, with a warning at their line', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'title: XML\nurl: https://xml.example\n',
      'posts/2024-03-06-a.md': post('title: "Bad\u0001title\u000b"\ndescription: "Pasted\u0008 text"', 'A body with a \u0002 control and \ufffe non-character.\n'),
    }));
    const warnings = messages(result).filter((m) => m.includes('warning'));
    assert.ok(warnings.some((m) => /^posts\/2024-03-06-a\.md:2:12 warning: removed 5 invisible control characters \(first U\+0001\)/.test(m)), warnings.join('\n'));
    parseXml(output(result, '/feed.xml'));
    parseXml(output(result, '/sitemap.xml'));
    assert.match(output(result, '/feed.xml'), /Badtitle/);
  });
});

describe('determinism', () => {
  it('two builds of the same input give byte-identical output folders, marker included, cold cache or warm', async () => {
    const site = makeSite({
      'recap.yml': 'title: Same\nurl: https://same.example\n',
      'posts/2024-03-06-a.md': post('title: A\nimage: /images/a.jpg', '![A photo](/images/a.jpg)\n'),
      'posts/2024-03-07-b.md': post('title: B'),
      'images/a.jpg': await photo(64, 48),
    });
    const outputs = ['one', 'two', 'three'].map((name) => path.join(site, `_out-${name}`));
    assert.equal(runCli(['build', site, '--out', outputs[0]!]).code, 0);
    assert.equal(runCli(['build', site, '--out', outputs[1]!]).code, 0);
    rmSync(path.join(site, '.cache'), { recursive: true });
    assert.equal(runCli(['build', site, '--out', outputs[2]!]).code, 0);
    const first = tree(outputs[0]!);
    assert.ok(Object.keys(first).includes('.recap-output'));
    assert.deepEqual(tree(outputs[1]!), first, 'warm cache');
    assert.deepEqual(tree(outputs[2]!), first, 'cold cache');
  });
});

describe('recap check reads links as a browser does', () => {
  it('reports malformed links instead of crashing, and finds every form of foreign script and frame', () => {
    const site = makeSite({
      'recap.yml': 'title: Check\nurl: https://check.example\ndescription: D\n',
      'posts/2024-03-06-a.md': post('title: A\ndescription: D', [
        '[bad](#%E0%A4%A) [worse](/x%zz/) [fine](#top)',
        '',
        '<script src=" //evil.example/a.js"></script>',
        '<SCRIPT SRC="HTTPS://EVIL.EXAMPLE/b.js"></SCRIPT>',
        '<iframe src="/\\evil.example/c"></iframe>',
        '<script src="\\\\evil.example\\d.js"></script>',
        '<script src="&#x2F;&#x2F;evil.example/e.js"></script>',
        '<script>alert(1)</script>',
        '<script src="/assets/local.js"></script>',
        '',
      ].join('\n')),
    });
    const result = runCli(['check', site, '--format', 'json']);
    assert.doesNotMatch(result.stderr, /internal error/);
    const report = JSON.parse(result.stdout) as { problems: Array<{ file: string; line?: number; severity: string; message: string }> };
    const lines = report.problems.map((p) => `${p.file}:${p.line} ${p.severity}: ${p.message}`);
    for (const expected of [
      /:5 error: link #%E0%A4%(25)?A has a malformed %-escape/,
      /:5 error: broken link: \/x%(25)?zz\//,
      /:7 warning: raw HTML loads a script from another host:  \/\/evil\.example\/a\.js/,
      /:8 warning: raw HTML loads a script from another host: HTTPS:\/\/EVIL\.EXAMPLE\/b\.js/,
      /:9 warning: raw HTML loads an iframe from another host: \/\\evil\.example\/c/,
      /:10 warning: raw HTML loads a script from another host: \\\\evil\.example\\d\.js/,
      /:11 warning: raw HTML loads a script from another host: \/\/evil\.example\/e\.js/,
      /:12 warning: raw HTML has an inline script/,
    ]) assert.ok(lines.some((l) => expected.test(l)), `${expected} in\n${lines.join('\n')}`);
    assert.ok(!lines.some((l) => l.includes('local.js') && l.includes('another host')), 'a script of the site itself is not foreign');
    assert.equal(result.code, 1);
  });

  it('removes script URLs from raw HTML attributes, with a warning at their line', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://raw.example\n',
      'posts/2024-03-06-a.md': post('title: A', 'Text.\n\n<a href="jav&#x09;ascript:alert(1)">x</a> <img src="data:image/svg+xml,<svg>" alt="y"> <form action="javascript:alert(2)"><button formaction="vbscript:z">b</button></form>\n'),
    }));
    const page = output(result, '/2024/03/06/a/');
    assert.doesNotMatch(page, /alert\(|vbscript|data:image\/svg/);
    const warnings = messages(result).filter((m) => m.includes('warning'));
    assert.equal(warnings.filter((m) => /^posts\/2024-03-06-a\.md:6 warning: <(a href|img src|form action|button formaction)> removed/.test(m)).length, 4, warnings.join('\n'));
  });
});

describe('front-matter URLs', () => {
  it('removes every refused URL from front matter, known keys, talks and link-like keys alike, with a warning at its line', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://fm.example\n',
      'templates/post.njk': '<!doctype html><title>{{ post.title }}</title><a id="rsvp" href="{{ post.data.rsvp | url }}">RSVP</a><a id="custom" href="{{ post.data.custom | url }}">x</a>{{ content | safe }}',
      'posts/2024-03-06-a.md': post([
        'title: A',
        'slides: " JaVaScRiPt:alert(1)"',
        'rsvp: "&#106;avascript:alert(2)"',
        'event:',
        '  rsvp: "data:text/html,x"',
        '  start: 2024-03-06 18:30',
        '  address: Leeds',
        'talks:',
        '  - title: T',
        '    url: https://youtu.be/Ab3dE5fG7hJ?t=60',
        '    slides: "vbscript:x"',
        'custom: "javascript:alert(3)"',
        'subtitle: "JavaScript: the good parts"',
      ].join('\n')),
    }));
    const warnings = messages(result).filter((m) => m.includes('warning'));
    for (const expected of [
      /:3:\d+ warning: front matter "slides" was removed: "javascript:" URLs are not allowed/,
      /:4:\d+ warning: front matter "rsvp" was removed/,
      /:6:\d+ warning: front matter "event\.rsvp" was removed: "data:" URLs/,
      /:12:\d+ warning: front matter "talks\.0\.slides" was removed: "vbscript:" URLs/,
    ]) assert.ok(warnings.some((m) => expected.test(m)), `${expected} in\n${warnings.join('\n')}`);
    assert.ok(!warnings.some((m) => m.includes('subtitle')), 'text keys are text');
    const page = output(result, '/2024/03/06/a/');
    assert.doesNotMatch(page, /alert\(|vbscript|data:text/);
    assert.match(page, /<a id="custom" href="#">/, 'the url filter refuses what a template takes from an unknown key');
  });
});

describe('links in the site and its caches', () => {
  it('never reads through a linked input folder nor writes through links in the cache', async () => {
    const root = tempDir();
    const outside = path.join(root, 'outside');
    mkdirSync(path.join(outside, 'photos'), { recursive: true });
    mkdirSync(path.join(outside, 'cache'), { recursive: true });
    writeFileSync(path.join(outside, 'photos', 'private.jpg'), await photo(64, 48));
    writeFileSync(path.join(outside, 'victim.json'), 'precious');
    mkdirSync(path.join(outside, 'posts'));
    writeFileSync(path.join(outside, 'posts', '2024-03-06-secret.md'), post('title: Secret', 'the secret'));
    const site = path.join(root, 'site');
    mkdirSync(site);
    writeFileSync(path.join(site, 'recap.yml'), 'url: https://links.example\n');
    symlinkSync(path.join(outside, 'posts'), path.join(site, 'posts'));
    symlinkSync(path.join(outside, 'photos'), path.join(site, 'images'));
    // A restored cache whose image folder is a link, and whose post cache folder holds a linked file.
    mkdirSync(path.join(site, '.cache', 'recap'), { recursive: true });
    symlinkSync(path.join(outside, 'cache'), path.join(site, '.cache', 'images'));
    symlinkSync(path.join(outside, 'victim.json'), path.join(site, '.cache', 'recap', 'posts.json'));
    mkdirSync(path.join(site, 'pages'));
    writeFileSync(path.join(site, 'pages', 'about.md'), post('title: About', '![A photo](/images/private.jpg)\n'));
    const result = runCli(['build', site]);
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.match(result.stderr, /posts warning: skipped: the folder is a symbolic link/);
    assert.match(result.stderr, /images warning: skipped: the folder is a symbolic link/);
    assert.deepEqual(readdirSync(path.join(outside, 'cache')), [], 'nothing written through the linked cache folder');
    assert.equal(readFileSync(path.join(outside, 'victim.json'), 'utf8'), 'precious');
    assert.ok(lstatSync(path.join(site, '.cache', 'images')).isDirectory());
    for (const [name, content] of Object.entries(tree(path.join(site, '_site')))) assert.doesNotMatch(content, /the secret/, name);
  });
});

describe('settings are input too', () => {
  it('refuses a settings file that is a link (to a device that never ends, say) or too large, with an error, quickly', () => {
    const linked = makeSite({ 'posts/2024-03-06-a.md': post('title: A') });
    symlinkSync('/dev/zero', path.join(linked, 'recap.yml'));
    const started = Date.now();
    const result = runCli(['build', linked]);
    assert.ok(Date.now() - started < 10000);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^recap\.yml error: the settings file is a link or not a plain file/m);
    const large = makeSite({ 'recap.yml': `title: Large\n#${'x'.repeat(300 * 1024)}\n`, 'posts/2024-03-06-a.md': post('title: A') });
    const big = runCli(['build', large]);
    assert.equal(big.code, 1);
    assert.match(big.stderr, /^recap\.yml error: the settings file is \d+ KiB, over the 256 KiB limit/m);
  });
});
