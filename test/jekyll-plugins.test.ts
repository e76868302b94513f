import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { buildSite, html, makeSite, messages, output, post, runCli } from './helpers.js';
import { buildWithBoth, files, publishesWhatJekyllDoes, withoutArchives, withoutFeed, withoutPlainMarkdownPlugins, withoutRedirectFrom } from './jekyll-oracle.js';

/** A layout listing an archive's posts as jekyll-archives gives them (`page.posts`), so both builds' lists can be compared. */
const ARCHIVE_LAYOUT = '<h1>{{ page.title }}</h1><ol class="post-list">{% for p in page.posts %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ol>\n';

/**
 * A Chirpy-shaped blog: jekyll-archives makes a page per tag and category at `/tags/:name/` and
 * `/categories/:name/`, and (enabled: all) per year, month and day at the plugin's own addresses;
 * tags Jekyll and Recap slug differently (`C++`), a category from a folder, an extension-less pattern.
 */
function archivedSite(permalinks = '    tag: /tags/:name/\n    category: /categories/:name/\n'): string {
  return makeSite({
    '_config.yml': `title: Archived\nplugins: [jekyll-archives]\njekyll-archives:\n  enabled: all\n  layout: archive\n  permalinks:\n${permalinks}`,
    '_layouts/archive.html': ARCHIVE_LAYOUT,
    '_posts/2024-03-01-first.md': post('title: First\ncategories: [Meetups, Rust Lang]\ntags: [C++, rust]'),
    '_posts/2024-03-15-second.md': post('title: Second\ncategory: Meetups\ntags: rust'),
    '_posts/2023-12-31-third.md': post('title: Third\ncategories: café\ntags: [Ünïcode Tag, "2024"]'),
    'workshops/_posts/2024-04-02-fourth.md': post('title: Fourth\ntags: [Web Dev]'),
  });
}

/** The posts an archive page lists, as address and title, in its order. */
function listed(file: string): string[] {
  const $ = cheerio.load(readFileSync(file, 'utf8'));
  return $('.post-list a').map((_, a) => `${a.attribs['href']} ${$(a).text().trim()}`).get();
}

/** Where a redirect page sends its visitor (its refresh target's path). */
function redirectTarget(file: string): string {
  const refresh = cheerio.load(readFileSync(file, 'utf8'))('meta[http-equiv="refresh"]').attr('content') ?? '';
  return refresh.replace(/^0; url=/, '');
}

describe('jekyll-archives', () => {
  it('keeps every archive page jekyll-archives makes, listing the same posts (Debian\'s jekyll as the oracle)', { skip: withoutArchives }, async () => {
    const site = archivedSite();
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['categories/meetups/index.html', 'categories/workshops/index.html', 'tags/c/index.html', 'tags/ünïcode-tag/index.html', '2024/03/index.html', '2024/03/15/index.html', '2023/index.html']);
    // Categories, months and days: Recap's list of the very posts Jekyll's lists, newest first.
    for (const file of ['categories/meetups/index.html', 'categories/rust-lang/index.html', 'categories/café/index.html', 'categories/workshops/index.html', '2024/03/index.html', '2024/03/01/index.html']) {
      assert.deepEqual(listed(path.join(recapOut, file)), listed(path.join(jekyllOut, file)), file);
    }
    assert.deepEqual(listed(path.join(recapOut, 'categories/meetups/index.html')), ['/meetups/2024/03/15/second.html Second', '/meetups/rust%20lang/2024/03/01/first.html First']);
    // A tag's address that is not Recap's tag page sends its reader to it, which lists what Jekyll's did.
    assert.equal(redirectTarget(path.join(recapOut, 'tags/c/index.html')), '/tags/c-plus-plus/');
    assert.deepEqual(listed(path.join(recapOut, 'tags/c-plus-plus/index.html')).map((l) => l.split(' ')[0]), listed(path.join(jekyllOut, 'tags/c/index.html')).map((l) => l.split(' ')[0]));
    assert.equal(redirectTarget(path.join(recapOut, 'tags/ünïcode-tag/index.html')), '/tags/unicode-tag/');
    // Where the addresses meet (/tags/rust/, /2024/), Recap's own page is the one.
    assert.equal(cheerio.load(readFileSync(path.join(recapOut, 'tags/rust/index.html'), 'utf8'))('h1').text(), 'Tagged “rust”');
    // The lists are in the sitemap; the redirects are not.
    const sitemap = cheerio.load(readFileSync(path.join(recapOut, 'sitemap.xml'), 'utf8'), { xml: true })('loc').map((_, loc) => cheerio.load(loc).text()).get();
    assert.ok(sitemap.some((loc) => loc.endsWith('/categories/meetups/')), sitemap.join('\n'));
    assert.ok(!sitemap.some((loc) => loc.endsWith('/tags/c/')), sitemap.join('\n'));
  });

  it('writes an extension-less archive address as that very file, as jekyll-archives does', { skip: withoutArchives }, async () => {
    const { jekyllOut, recapOut } = await buildWithBoth(archivedSite('    tag: /topic/:name\n    category: /:type/:name.html\n'));
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['topic/c', 'topic/web-dev', 'category/meetups.html']);
    assert.equal(redirectTarget(path.join(recapOut, 'topic/web-dev')), '/tags/web-dev/');
    assert.deepEqual(listed(path.join(recapOut, 'category/meetups.html')), listed(path.join(jekyllOut, 'category/meetups.html')));
  });

  it('makes a category\'s page again when a post joins or leaves it, from the page store', () => {
    const site = archivedSite();
    const out = path.join(path.dirname(site), 'out');
    const first = runCli(['build', site, '--out', out]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(listed(path.join(out, 'categories/workshops/index.html')), ['/workshops/2024/04/02/fourth.html Fourth']);
    writeFileSync(path.join(site, '_posts/2024-03-15-second.md'), post('title: Second, renamed\ncategories: [Meetups, Workshops]\ntags: rust'));
    const again = runCli(['build', site, '--out', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(listed(path.join(out, 'categories/workshops/index.html')), ['/workshops/2024/04/02/fourth.html Fourth', '/meetups/workshops/2024/03/15/second.html Second, renamed']);
    assert.deepEqual(listed(path.join(out, 'categories/meetups/index.html')), ['/meetups/workshops/2024/03/15/second.html Second, renamed', '/meetups/rust%20lang/2024/03/01/first.html First']);
    // The day the post was on keeps its page; a category no post is in any more is gone.
    writeFileSync(path.join(site, '_posts/2023-12-31-third.md'), post('title: Third\ntags: [Ünïcode Tag, "2024"]'));
    assert.equal(runCli(['build', site, '--out', out]).code, 0);
    assert.ok(!existsSync(path.join(out, 'categories/café/index.html')));
    assert.ok(existsSync(path.join(out, '2023/12/31/index.html')));
  });

  it('leaves an archive\'s address to the site\'s own page there, and warns of a permalink that is not a pattern', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Own\njekyll-archives:\n  enabled: [categories, month]\n  permalinks:\n    category: /topics/:name/\n    month: [1, 2]\n',
      '_posts/2024-03-01-first.md': post('title: First\ncategory: News'),
      'topics/news.md': post('title: Our news\npermalink: /topics/news/', 'Written by hand.\n'),
    }));
    assert.equal(html(result, '/topics/news/')('h1').first().text().trim(), 'Our news');
    assert.ok(messages(result).some((m) => m.includes('[R112]') && m.includes('/topics/news/')), messages(result).join('\n'));
    assert.ok(messages(result).some((m) => /^_config\.yml:6 warning: jekyll-archives' month permalink \[1,2\] is not a URL pattern/.test(m)), messages(result).join('\n'));
    assert.equal(result.manifest.has('/2024/03/'), false);
  });

  it('leaves an archive\'s address that is one of Recap\'s own pages to it, without a word', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Own\njekyll-archives:\n  enabled: [year, categories]\n  permalinks:\n    year: /\n    category: /:name/\n',
      '_posts/2024-03-01-first.md': post('title: First\ncategory: talks'),
    }));
    assert.deepEqual(messages(result).filter((m) => m.includes('[R112]')), []);
    assert.equal(html(result, '/')('title').text(), 'Own');
    assert.equal(html(result, '/talks/')('h1').first().text(), 'Every talk');
  });
});

describe('jekyll-redirect-from', () => {
  const redirecting = (config: string) => makeSite({
    '_config.yml': `title: Moved\nurl: https://moved.example\nplugins: [jekyll-redirect-from]\n${config}`,
    '_posts/2024-01-01-a.md': post('title: A\nredirect_from:\n  - /old/a/\n  - /older.html'),
    'b.md': post('title: B\nredirect_to: https://elsewhere.example/b'),
    'c.md': post('title: C\nredirect_from: /see/c/'),
  });

  it('lists every redirect in /redirects.json as the plugin does (Debian\'s jekyll as the oracle)', { skip: withoutRedirectFrom }, async () => {
    const { jekyllOut, recapOut } = await buildWithBoth(redirecting(''));
    const made = new Set(files(recapOut));
    for (const file of files(jekyllOut)) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'redirects.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(read(recapOut), read(jekyllOut));
    assert.equal(read(recapOut)['/older.html'], 'https://moved.example/2024/01/01/a.html');
  });

  it('leaves /redirects.json out where the plugin is told to (json: false) or not used', async () => {
    const told = await buildSite(redirecting('redirect_from:\n  json: false\n'));
    assert.equal(told.manifest.has('/redirects.json'), false);
    assert.equal(told.manifest.has('/old/a/'), true);
    const without = await buildSite(makeSite({ '_config.yml': 'title: Plain\n', '_posts/2024-01-01-a.md': post('title: A\nredirect_from: /old/') }));
    assert.equal(without.manifest.has('/redirects.json'), false);
  });

  it('keeps the site\'s own redirects.json', async () => {
    const result = await buildSite(makeSite({ '_config.yml': 'title: Own\nplugins: [jekyll-redirect-from]\n', 'redirects.json': '{"own": true}\n', '_posts/2024-01-01-a.md': post('title: A\nredirect_from: /old/') }));
    assert.deepEqual(JSON.parse(output(result, '/redirects.json')), { own: true });
  });
});

describe('jekyll-feed', () => {
  /** The posts a feed links to, in its order. */
  const entries = (file: string) => {
    const $ = cheerio.load(readFileSync(file, 'utf8'), { xml: true });
    return $('entry > link[rel="alternate"]').map((_, link) => link.attribs['href']).get();
  };

  it('keeps the feeds jekyll-feed makes at their addresses: its own path, each category\'s and each tag\'s (the plugin as the oracle)', { skip: withoutFeed }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Feeds\nurl: https://feeds.example\nplugins: [jekyll-feed]\nfeed:\n  path: atom.xml\n  categories: [news, Big News]\n  tags:\n    except: [skipped]\n',
      '_posts/2024-01-01-one.md': post('title: One\ncategory: news\ntags: [rust, skipped, C++]'),
      '_posts/2024-02-01-two.md': post('title: Two\ncategories: [Big News]\ntags: [rust, web_dev]'),
      '_posts/2024-03-01-three.md': post('title: Three\ncategory: news'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const expected = files(jekyllOut).filter((f) => f.endsWith('.xml'));
    for (const file of ['atom.xml', 'feed/news.xml', 'feed/Big News.xml', 'feed/by_tag/rust.xml', 'feed/by_tag/web_dev.xml']) assert.ok(expected.includes(file), `Jekyll publishes ${file}: ${expected.join(', ')}`);
    const made = new Set(files(recapOut));
    for (const file of expected) {
      assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
      assert.deepEqual(entries(path.join(recapOut, file)), entries(path.join(jekyllOut, file)), file);
    }
    assert.ok(!made.has('feed/by_tag/skipped.xml'));
    assert.deepEqual(entries(path.join(recapOut, 'feed/news.xml')), ['https://feeds.example/news/2024/03/01/three.html', 'https://feeds.example/news/2024/01/01/one.html']);
    assert.equal(cheerio.load(readFileSync(path.join(recapOut, 'feed/news.xml'), 'utf8'), { xml: true })('feed > link[rel="self"]').attr('href'), 'https://feeds.example/feed/news.xml');
  });

  it('leaves out a feed whose address cannot be a file, with a warning at its setting', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Feeds\nfeed:\n  categories: [news, "C#"]\n  path: ../escape.xml\n',
      '_posts/2024-01-01-one.md': post('title: One\ncategory: news'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.deepEqual(messages(result).filter((m) => m.includes('[R122]')).map((m) => m.split('\n')[0]), [
      '_config.yml:3 warning: the feed at /feed/C#.xml is left out: it cannot be an output path (it contains \\, ?, # or a NUL character) [R122]',
      '_config.yml:4 warning: the feed at /../escape.xml is left out: it cannot be an output path (it contains a "." or ".." segment) [R122]',
    ]);
    assert.ok(result.manifest.has('/feed/news.xml'));
  });

  it('leaves out the archive and the feed of a tag too long for a file name, with a warning at its post, and builds the rest', async () => {
    const long = 'o'.repeat(230);
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Long tags\nplugins: [jekyll-archives, jekyll-feed]\njekyll-archives:\n  enabled: [tags]\nfeed:\n  tags: true\n',
      '_posts/2024-01-01-one.md': post(`title: One\ntags: [${long}, rust]`),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.deepEqual(messages(result).filter((m) => m.includes('warning')).map((m) => m.split(' left out')[0]), [
      `_posts/2024-01-01-one.md warning: the feed at /feed/by_tag/${long}.xml is`,
      `_posts/2024-01-01-one.md warning: the archive page at /tag/${long}/ is`,
    ]);
    assert.ok(result.manifest.has('/feed/by_tag/rust.xml') && result.manifest.has('/tag/rust/'));
    assert.equal(html(result, `/tags/${'o'.repeat(200)}/`)('h1').text().includes(long), true, 'Recap\'s own tag page, its address cut to 200 letters');
  });

  it('makes a category\'s feed again when a post joins it, from the page store', () => {
    const site = makeSite({
      '_config.yml': 'title: Feeds\nfeed:\n  categories: [news]\n',
      '_posts/2024-01-01-one.md': post('title: One\ncategory: news'),
      '_posts/2024-02-01-two.md': post('title: Two'),
    });
    const out = path.join(path.dirname(site), 'out');
    assert.equal(runCli(['build', site, '--out', out]).code, 0);
    assert.deepEqual(entries(path.join(out, 'feed/news.xml')), ['/news/2024/01/01/one.html']);
    writeFileSync(path.join(site, '_posts/2024-02-01-two.md'), post('title: Two\ncategory: news', 'Now news.\n'));
    assert.equal(runCli(['build', site, '--out', out]).code, 0);
    assert.deepEqual(entries(path.join(out, 'feed/news.xml')), ['/news/2024/02/01/two.html', '/news/2024/01/01/one.html']);
    assert.match(readFileSync(path.join(out, 'feed/news.xml'), 'utf8'), /Now news\./);
  });
});

describe('GitHub Pages\' plugins for Markdown without front matter', () => {
  const plainSite = (settings = '') => makeSite({
    '_config.yml': `title: Plain\nplugins: [jekyll-optional-front-matter, jekyll-readme-index, jekyll-titles-from-headings]\n${settings}`,
    '_posts/2020-01-01-a.md': post('title: A'),
    'about.md': '# About us\n\nWe meet monthly.\n',
    'CONTRIBUTING.md': '# Contributing\n',
    'docs/README.md': 'Docs home\n=========\n\nRead me.\n',
    'docs/guide.md': 'A guide without a heading.\n',
    'notes/readme.md': '# Notes\n',
    'notes/index.html': '<p>The folder\'s own index.</p>\n',
  });

  for (const [name, settings] of [['copies kept', ''], ['copies removed', 'optional_front_matter:\n  remove_originals: true\nreadme_index:\n  remove_originals: true\n']] as const) {
    it(`publishes them as pages where plugins: lists them, ${name} (the plugins as the oracle)`, { skip: withoutPlainMarkdownPlugins }, async () => {
      const { jekyllOut, recapOut } = await buildWithBoth(plainSite(settings));
      const expected = files(jekyllOut);
      for (const file of ['about.html', 'docs/index.html', 'docs/guide.html']) assert.ok(expected.includes(file), `Jekyll publishes ${file}: ${expected.join(', ')}`);
      const made = files(recapOut);
      for (const file of expected) assert.ok(made.includes(file), `${file} is published by Jekyll but not by Recap`);
      // The Markdown files themselves are copied exactly where Jekyll copies them.
      assert.deepEqual(made.filter((f) => f.endsWith('.md')), expected.filter((f) => f.endsWith('.md')));
      const title = (file: string) => cheerio.load(readFileSync(path.join(recapOut, file), 'utf8'))('h1').first().text().trim();
      assert.deepEqual(['about.html', 'docs/index.html', 'docs/guide.html'].map(title), ['About us', 'Docs home', 'Guide']);
    });
  }

  it('takes a page\'s title from its heading in time linear in the page, however its first line is written', async () => {
    for (const body of [`# ${' #'.repeat(40000)}x\n`, `${'\t'.repeat(40000)}!\n`, `${'a'.repeat(40000)}\n${'-'.repeat(40000)}x\n`, '# Title ##  \r\n\nText.\n', 'Set *up*\r\n--- \r\n']) {
      const started = Date.now();
      const result = await buildSite(makeSite({ '_config.yml': 'title: Plain\nplugins: [jekyll-titles-from-headings]\n', 'page.md': post('layout: page', body), '_posts/2020-01-01-a.md': post('title: A') }));
      // One pattern for both kinds of heading took 7 s for the first of these (80 KB).
      assert.ok(Date.now() - started < 3000, `${JSON.stringify(body.slice(0, 12))} took ${Date.now() - started} ms`);
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
      if (body.startsWith('# Title')) assert.equal(html(result, '/page.html')('h1').first().text().trim(), 'Title');
      if (body.startsWith('Set')) assert.equal(html(result, '/page.html')('h1').first().text().trim(), 'Set up');
    }
  });

  it('publishes them where the site is built with the github-pages gem, which runs them unlisted, as GitHub Pages does', async () => {
    const listed = await buildSite(plainSite());
    const gemSite = plainSite();
    writeFileSync(path.join(gemSite, '_config.yml'), 'title: Plain\n');
    writeFileSync(path.join(gemSite, 'Gemfile'), 'source "https://rubygems.org"\n\ngem "github-pages", "~> 232", group: :jekyll_plugins\n');
    const withGem = await buildSite(gemSite);
    const pages = (result: Awaited<ReturnType<typeof buildSite>>) => result.manifest.all().map((file) => file.url).filter((url) => /^\/(about|docs|notes|CONTRIBUTING)/.test(url)).sort();
    assert.ok(pages(withGem).includes('/about.html') && pages(withGem).includes('/docs/'), pages(withGem).join(', '));
    assert.deepEqual(pages(withGem), pages(listed));
    assert.equal(html(withGem, '/about.html')('h1').first().text().trim(), 'About us', 'its title from its heading');
    // Another gem, or github-pages only in a comment, turns nothing on.
    writeFileSync(path.join(gemSite, 'Gemfile'), 'source "https://rubygems.org"\n# gem "github-pages"\ngem "jekyll", "~> 4.3"\n');
    assert.equal((await buildSite(gemSite)).manifest.has('/about.html'), false);
  });

  it('leaves Markdown without front matter to be copied where plugins: does not list them, as plain Jekyll does', async () => {
    const result = await buildSite(makeSite({ '_config.yml': 'title: Plain\n', '_posts/2020-01-01-a.md': post('title: A'), 'about.md': '# About us\n' }));
    assert.equal(result.manifest.has('/about.html'), false);
    assert.equal(result.manifest.has('/about.md'), true);
  });
});

describe('jemoji', () => {
  it('writes GitHub\'s :emoji: names as the emoji where plugins lists jemoji, and leaves them as written where it does not, on a rebuild from the cache too', async () => {
    const site = makeSite({
      '_config.yml': 'title: Emoji\nplugins: [jemoji]\n',
      '_posts/2024-03-06-a.md': post('title: A', 'Pizza :pizza: and :tada:, not :no_such_emoji:, `:code:` or :).\n'),
    });
    const body = (result: Awaited<ReturnType<typeof buildSite>>) => html(result, '/2024/03/06/a.html')('.post-body').text().trim();
    const withPlugin = await buildSite(site, { persistCache: true });
    assert.equal(body(withPlugin), 'Pizza 🍕 and 🎉, not :no_such_emoji:, :code: or :).');
    writeFileSync(path.join(site, '_config.yml'), 'title: Emoji\n');
    const without = await buildSite(site, { persistCache: true });
    assert.equal(body(without), 'Pizza :pizza: and :tada:, not :no_such_emoji:, :code: or :).');
    assert.deepEqual(messages(without).filter((m) => !m.includes('[R105]')), []);
  });
});
