import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SassThread } from '../src/pipeline/workers/sass-thread.js';
import type { SassJob } from '../src/content/sass.js';
import { buildSite, makeSite, messages, output, post, tempDir } from './helpers.js';
import { buildWithBoth, files, withoutJekyll } from './jekyll-oracle.js';
import { eventually, settled, startServer } from './serve-helpers.js';

/** CSS without comments and white space: libsass (Jekyll's) and Dart Sass (Recap's) lay the same rules out differently. */
function rulesOf(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, '');
}

/** A Jekyll site with stylesheets in the shapes themes use: partials in _sass, Liquid, the indented syntax, a permalink. */
function themedSite(extra: Record<string, string> = {}): string {
  return makeSite({
    '_config.yml': 'title: Styled\nbrand: "#336699"\nskin: dark\n',
    '_posts/2024-03-06-first.md': post('title: First'),
    '_sass/_variables.scss': '$brand: red !default;\n$pad: 4px;\n',
    '_sass/theme/_base.scss': '@mixin pad($n) { padding: $n * $pad; }\n.card { @include pad(3); .title { color: darken(#ff0000, 10%); } }\n',
    '_sass/theme/skins/_dark.scss': 'body { background: #111; }\n',
    'style.scss': '---\n---\n$brand: {{ site.brand }};\n@import "variables", "theme/base", "theme/skins/{{ site.skin }}";\nbody { color: $brand; }\n',
    'assets/css/print.sass': '---\n---\n$c: blue\na\n  color: $c\n',
    'assets/moved.scss': '---\npermalink: /css/moved.css\n---\np { margin: 0; }\n',
    // Without front matter a .scss file is copied as it is, by Jekyll and by Recap.
    'assets/plain.scss': 'p { margin: 0; }\n',
    ...extra,
  });
}

describe('a Jekyll site\'s Sass stylesheets', () => {
  it('are published as CSS where Jekyll publishes them, with the same rules and a source map', { skip: withoutJekyll }, async () => {
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(themedSite());
    const made = new Set(files(recapOut));
    for (const file of files(jekyllOut)) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    assert.doesNotMatch(recapStderr, /R108/);
    for (const file of ['style.css', 'assets/css/print.css']) {
      assert.equal(rulesOf(readFileSync(path.join(recapOut, file), 'utf8')), rulesOf(readFileSync(path.join(jekyllOut, file), 'utf8')), file);
    }
    // Jekyll writes the source map over a stylesheet that has a permalink (both pages take it); Recap writes the CSS there, and no map.
    assert.equal(readFileSync(path.join(recapOut, 'css/moved.css'), 'utf8'), 'p {\n  margin: 0;\n}');
    assert.match(readFileSync(path.join(recapOut, 'style.css'), 'utf8'), /body \{\n {2}color: #336699;\n {2}background: #111;\n\}|background: #111/);
    assert.equal(readFileSync(path.join(recapOut, 'assets/plain.scss'), 'utf8'), 'p { margin: 0; }\n');
    // The map names the Sass files the rules came from, relative to the CSS, as a browser's tools look them up.
    const map = JSON.parse(readFileSync(path.join(recapOut, 'style.css.map'), 'utf8')) as { file: string; sources: string[]; sourcesContent: string[] };
    assert.equal(map.file, 'style.css');
    assert.deepEqual([...map.sources].sort(), ['_sass/theme/_base.scss', '_sass/theme/skins/_dark.scss', 'style.scss']);
    assert.ok(map.sourcesContent.some((text) => text.includes('$brand: #336699;')), 'the stylesheet\'s own source is its text after Liquid');
    assert.match(readFileSync(path.join(recapOut, 'style.css'), 'utf8'), /\/\*# sourceMappingURL=style\.css\.map \*\/$/);
    const printMap = JSON.parse(readFileSync(path.join(recapOut, 'assets/css/print.css.map'), 'utf8')) as { sources: string[] };
    assert.deepEqual(printMap.sources, ['print.sass']);
  });

  it('follow the sass: settings: sass_dir, load_paths, style and sourcemap', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Set\nsass:\n  sass_dir: _scss\n  load_paths: [vendor/styles]\n  style: compressed\n  sourcemap: never\n',
      '_scss/_a.scss': '.a { color: red; }\n',
      'vendor/styles/_b.scss': '.b { color: blue; }\n',
      'main.scss': '---\n---\n@import "a", "b";\n',
    }));
    assert.equal(output(result, '/main.css'), '.a{color:red}.b{color:blue}');
    assert.ok(!result.manifest.has('/main.css.map'));
  });

  it('that cannot be compiled are left out with a warning at the line, and the rest of the site is built', async () => {
    const result = await buildSite(themedSite({
      'broken.scss': '---\ntitle: Broken\n---\n.a { color: red; }\n.b { color: ; }\n',
      'theme.scss': '---\n---\n@import "minimal-mistakes/skins/default";\n',
      '_sass/_bad.scss': '.x {\n  width: 10px +;\n}\n',
      'uses-bad.scss': '---\n---\n@import "bad";\n',
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const lines = messages(result).map((m) => m.split('\n')[0]!);
    // Line 5 of the file: the front matter's three lines count.
    assert.ok(lines.some((m) => /^broken\.scss:5:\d+ warning: skipped broken\.scss: Sass: .*\[R108\]$/.test(m)), lines.join('\n'));
    assert.ok(lines.some((m) => /^theme\.scss:3:9 warning: skipped theme\.scss: Sass: Can't find stylesheet to import\. \[R108\]$/.test(m)), lines.join('\n'));
    // An error in a partial is reported at the partial's own line.
    assert.ok(lines.some((m) => /^_sass\/_bad\.scss:2:\d+ warning: skipped uses-bad\.scss: Sass: .*\[R108\]$/.test(m)), lines.join('\n'));
    for (const url of ['/broken.css', '/theme.css', '/uses-bad.css']) assert.ok(!result.manifest.has(url), url);
    assert.ok(result.manifest.has('/style.css') && result.manifest.has('/2024/03/06/first.html'));
    const hint = result.diagnostics.sorted().find((d) => d.file === 'theme.scss')!.hint;
    assert.match(hint!, /only from _sass, as in Jekyll: install the theme gem/);
  });

  it('load nothing from outside the site\'s Sass folders: not through ../, a link, or a folder the settings name outside the site', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, '_secret.scss'), '.secret { content: "outside the site"; }\n');
    mkdirSync(path.join(outside, 'sass'));
    writeFileSync(path.join(outside, 'sass', '_linked.scss'), '.linked { content: "through a link"; }\n');
    const site = makeSite({
      '_config.yml': `title: Closed\nsass:\n  load_paths: ["${outside}", "../", "linked"]\n`,
      '_sass/_ok.scss': '.ok { color: green; }\n',
      'up.scss': `---\n---\n@import "ok";\n@import "../${path.basename(outside)}/secret";\n`,
      'absolute.scss': `---\n---\n@import "${outside}/secret";\n`,
      'via-link.scss': '---\n---\n@import "linked";\n',
    });
    symlinkSync(path.join(outside, 'sass'), path.join(site, 'linked'));
    const result = await buildSite(site);
    const lines = messages(result);
    for (const file of ['up.scss', 'absolute.scss', 'via-link.scss']) {
      assert.ok(lines.some((m) => m.startsWith(`${file}:`) && m.includes('Can\'t find stylesheet to import')), `${file}:\n${lines.join('\n')}`);
    }
    assert.equal(lines.filter((m) => m.includes('[R123]')).length, 2, lines.join('\n'));
    for (const file of result.manifest.all()) {
      const text = file.content?.toString() ?? '';
      assert.ok(!text.includes('outside the site') && !text.includes('through a link'), file.path);
    }
  });

  it('are kept beside the post cache from one build to the next, and compiled again when a Sass file changes or the store is damaged', async () => {
    const site = themedSite();
    const store = path.join(site, '.cache/recap/stylesheets.json');
    const entries = () => JSON.parse(readFileSync(store, 'utf8')) as Record<string, { ok: boolean; css?: string }>;
    const first = await buildSite(site, { persistCache: true });
    const kept = Object.values(entries());
    assert.equal(kept.length, 3, 'one entry a stylesheet');
    assert.ok(kept.some((entry) => entry.css && output(first, '/style.css').startsWith(entry.css)));
    writeFileSync(path.join(site, '_sass/theme/skins/_dark.scss'), 'body { background: #222; }\n');
    const second = await buildSite(site, { persistCache: true });
    assert.match(output(second, '/style.css'), /background: #222/);
    assert.equal(Object.keys(entries()).length, 3, 'only what the last build used is kept');
    // A damaged store, or an entry that is not one, is compiled again.
    const [key] = Object.keys(entries());
    writeFileSync(store, JSON.stringify({ [key!]: { ok: true, css: 42 }, 'not-a-key': { ok: true, css: 'x' } }));
    const third = await buildSite(site, { persistCache: true });
    assert.deepEqual(['/style.css', '/assets/css/print.css', '/css/moved.css'].map((url) => output(third, url)), ['/style.css', '/assets/css/print.css', '/css/moved.css'].map((url) => output(second, url)));
    writeFileSync(store, '{"truncated');
    assert.equal(output(await buildSite(site, { persistCache: true }), '/style.css'), output(second, '/style.css'));
    assert.equal(Object.keys(entries()).length, 3);
    // An entry of the right shape is what the next build publishes: it compiles nothing it holds.
    const last = entries();
    const [styleKey] = Object.entries(last).find(([, entry]) => entry.css?.includes('#222'))!;
    writeFileSync(store, JSON.stringify({ ...last, [styleKey]: { ok: true, css: 'from { the: store; }' } }));
    assert.equal(output(await buildSite(site, { persistCache: true }), '/style.css'), 'from { the: store; }');
  });

  it('stop at a deadline, and within a build\'s budget, where Sass would loop for ever', async () => {
    const job = (text: string): SassJob => ({ file: 'loop.scss', text, firstLine: 3, cssUrl: '/loop.css', loadPaths: ['_sass'], style: 'expanded', sourceMap: false });
    // A budget of two deadlines: the new thread after the first loop has a whole deadline to start
    // Dart Sass (~0.5 s on an idle machine, over 1 s beside other tests), and the second loop spends
    // what is left, however long the thread took.
    const thread = new SassThread(new Map([['_sass/_a.scss', '$x: 1;']]), 2000, 4000);
    try {
      const looped = await thread.compile(job('$i: 0;\n@while true { $i: $i + 1; }\n'));
      assert.equal(looped.ok, false);
      assert.match(!looped.ok ? looped.message : '', /longer than 2 s/);
      // The next stylesheet gets a new thread, within what is left of the budget.
      assert.deepEqual(await thread.compile(job('@import "a";\nb { c: $x; }\n')), { ok: true, css: 'b {\n  c: 1;\n}', map: undefined });
      await thread.compile(job('@while true { $j: 1; }\n'));
      const over = await thread.compile(job('b { c: d; }\n'));
      assert.match(!over.ok ? over.message : '', /4 s in all/);
    } finally {
      await thread.close();
    }
  });

  it('in recap serve, follow an edit of a partial, of the stylesheet and of the settings its Liquid reads', async () => {
    const site = themedSite();
    const server = await startServer(site);
    try {
      await settled(server);
      const served = () => server.served().get('/style.css')?.content?.toString() ?? '';
      assert.match(served(), /color: #336699/);
      writeFileSync(path.join(site, '_sass/theme/skins/_dark.scss'), 'body { background: #222; }\n');
      await eventually(async () => assert.match(served(), /background: #222/));
      writeFileSync(path.join(site, '_config.yml'), 'title: Styled\nbrand: "#993366"\nskin: dark\n');
      await eventually(async () => assert.match(served(), /color: #993366/));
      writeFileSync(path.join(site, 'style.scss'), '---\n---\n@import "variables", "theme/base";\n');
      await eventually(async () => assert.doesNotMatch(served(), /color: #993366/));
      const fresh = await buildSite(site);
      assert.equal(served(), output(fresh, '/style.css'));
      assert.equal(server.served().get('/style.css.map')?.content?.toString(), output(fresh, '/style.css.map'));
    } finally {
      await server.close();
    }
  });
});
