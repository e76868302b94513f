import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { findThemeGem } from '../src/content/theme-gem.js';
import { makeSite, post, runCli, tempDir } from './helpers.js';
import { buildWithBoth, files, withoutJekyll } from './jekyll-oracle.js';

/** Debian's minima, which `jekyll new` names and Debian's jekyll recommends. */
const MINIMA = '/usr/share/rubygems-integration/all/gems/minima-2.5.1';

/** A GEM_HOME holding two versions of a theme gem, the newer one with assets, Sass and a link out of it. */
function gemHome(): string {
  const outside = makeSite({ 'secret.txt': 'not the theme\'s\n' });
  const home = makeSite({
    'gems/fancy-1.2.0/assets/old.txt': 'the older version\n',
    'gems/fancy-1.10.0/assets/css/main.scss': '---\n---\n@import "fancy";\n.site { content: "{{ site.title }}"; }\n',
    'gems/fancy-1.10.0/assets/icons.svg': '<svg xmlns="http://www.w3.org/2000/svg"><title>theme</title></svg>\n',
    'gems/fancy-1.10.0/assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"><title>theme logo</title></svg>\n',
    'gems/fancy-1.10.0/assets/js/config.js': '---\n---\nwindow.site = {{ site.title | jsonify }};\n',
    'gems/fancy-1.10.0/_sass/_fancy.scss': '$accent: #2a7ae2 !default;\na { color: $accent; }\n',
    'gems/fancy-1.10.0/_layouts/default.html': '{{ content }}\n',
    // Files with front matter are placed as the site's own: a page, a feed carrying Recap's.
    'gems/fancy-1.10.0/assets/theme-notes.md': '---\ntitle: Theme notes\npermalink: /theme-notes/\n---\nNotes from **the theme**.\n',
    'gems/fancy-1.10.0/assets/feed.xml': '---\nlayout: null\n---\n<feed>{{ site.title }}</feed>\n',
  });
  symlinkSync(path.join(outside, 'secret.txt'), path.join(home, 'gems/fancy-1.10.0/assets/linked.txt'));
  return home;
}

describe('a Jekyll site\'s gem theme', () => {
  it('adds its assets where Jekyll does, a `jekyll new` site with Debian\'s minima', { skip: withoutJekyll || (!existsSync(MINIMA) && `no ${MINIMA}: Debian's jekyll recommends jekyll-theme-minima`) }, async () => {
    const site = makeSite({
      '_config.yml': 'title: New site\ntheme: minima\nplugins:\n  - jekyll-feed\n',
      '_posts/2024-03-06-welcome.markdown': post('layout: post\ntitle: Welcome'),
      'about.markdown': post('layout: page\ntitle: About\npermalink: /about/'),
      'index.markdown': post('layout: home'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const made = new Set(files(recapOut));
    for (const file of files(jekyllOut)) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    assert.equal(readFileSync(path.join(recapOut, 'assets/minima-social-icons.svg'), 'utf8'), readFileSync(path.join(jekyllOut, 'assets/minima-social-icons.svg'), 'utf8'));
    const map = JSON.parse(readFileSync(path.join(recapOut, 'assets/main.css.map'), 'utf8')) as { sources: string[] };
    assert.ok(map.sources.includes('../minima-2.5.1/_sass/minima/_base.scss'), map.sources.join(', '));
  });

  it('is found where RubyGems keeps it, newest version first; its assets are added but for those the site has, and nothing is read through a link', () => {
    const home = gemHome();
    const site = makeSite({
      '_config.yml': 'title: Fancy site\ntheme: fancy\n',
      '_posts/2024-03-06-welcome.md': post('title: Welcome'),
      'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"><title>the site\'s own</title></svg>\n',
    });
    assert.equal(findThemeGem('fancy', site, { GEM_HOME: home })?.label, 'fancy-1.10.0');
    const out = path.join(tempDir(), 'out');
    const built = runCli(['build', site, '--out', out], { GEM_HOME: home });
    assert.equal(built.code, 0, built.stderr);
    assert.match(readFileSync(path.join(out, 'assets/css/main.css'), 'utf8'), /^a \{\n {2}color: #2a7ae2;\n\}\n\n\.site \{\n {2}content: "Fancy site";\n\}/);
    assert.equal(readFileSync(path.join(out, 'assets/js/config.js'), 'utf8'), 'window.site = "Fancy site";\n');
    assert.match(readFileSync(path.join(out, 'assets/icons.svg'), 'utf8'), /<title>theme<\/title>/);
    assert.match(readFileSync(path.join(out, 'assets/logo.svg'), 'utf8'), /the site's own/);
    for (const file of ['assets/old.txt', 'assets/linked.txt', 'default.html', '_layouts/default.html']) assert.ok(!existsSync(path.join(out, file)), file);
    assert.equal(cheerio.load(readFileSync(path.join(out, 'theme-notes/index.html'), 'utf8'))('main strong').text(), 'the theme');
    assert.equal(cheerio.load(readFileSync(path.join(out, 'assets/feed.xml'), 'utf8'), { xml: true })('entry title').first().text(), 'Welcome');
    assert.match(built.stderr, /warning: skipped: a symbolic link/);
  });

  it('is found in the site\'s vendor/bundle through real folders only', () => {
    const bundled = { 'vendor/bundle/ruby/3.1.0/gems/fancy-2.0.0/assets/x.txt': 'x\n' };
    const site = makeSite({ '_config.yml': 'theme: fancy\n', ...bundled });
    assert.equal(findThemeGem('fancy', site, {})?.folder, path.join(site, 'vendor/bundle/ruby/3.1.0/gems/fancy-2.0.0'));
    const linked = makeSite({ '_config.yml': 'theme: fancy\n' });
    symlinkSync(path.join(makeSite(bundled), 'vendor'), path.join(linked, 'vendor'));
    assert.equal(findThemeGem('fancy', linked, {}), undefined);
  });

  it('is never looked for by a name that could be a path', () => {
    const home = gemHome();
    for (const name of ['../fancy', 'fancy/../../x', '/etc', '.', 'fancy-1.10.0/..']) assert.equal(findThemeGem(name, tempDir(), { GEM_HOME: home }), undefined, name);
  });
});
