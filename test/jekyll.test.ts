import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { buildSite, html, makeSite, messages, output, photo, post, runCli, tempDir, xml } from './helpers.js';
import { buildWithBoth, files, withoutJekyll } from './jekyll-oracle.js';
import type { BuildResult } from '../src/pipeline/build.js';
import { publishSite } from '../src/pipeline/publish.js';

/** The post pages of an output folder: what Jekyll makes of _posts (Recap's own lists and assets left out). */
function postPages(dir: string): string[] {
  return files(dir).filter((f) => /(^|\/)\d{4}\/\d{2}\/\d{2}\/[^/]+\.html$/.test(f) || /\/[^/]+\.html$/.test(f) && !/^(tags|assets|talks|speakers|search|archive|page\d+)\//.test(f) && !/^\d{4}\/index\.html$/.test(f))
    .filter((f) => !['404.html', 'index.html'].includes(f));
}

/**
 * The posts of an oracle test that compares what one body after another becomes: one post per body
 * (`_posts/2024-01-DD-NAMEi.md`, its text between the lines "Before" and "After"), and each one's page.
 */
function postPerBody(name: string, bodies: readonly string[], frontMatter = ''): { files: Record<string, string>; pages: string[] } {
  const files: Record<string, string> = {};
  const pages = bodies.map((body, i) => {
    const day = String(i + 1).padStart(2, '0');
    files[`_posts/2024-01-${day}-${name}${i + 1}.md`] = post(`title: ${name.toUpperCase()}${i + 1}${frontMatter}`, `Before\n\n${body}\n\nAfter\n`);
    return `2024/01/${day}/${name}${i + 1}.html`;
  });
  return { files, pages };
}

/** One body's page as Recap and as Jekyll made it. */
interface PageBesideJekyll {
  body: string;
  recap: cheerio.CheerioAPI;
  jekyll: cheerio.CheerioAPI;
}

/** Builds one post per body (postPerBody) with Debian's jekyll and with Recap, under `config`; each body's two pages. */
async function pagesBesideJekyll(name: string, bodies: readonly string[], config: string): Promise<PageBesideJekyll[]> {
  const { files: posts, pages } = postPerBody(name, bodies);
  const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': config, ...posts }));
  return bodies.map((body, i) => ({ body, recap: cheerio.load(readFileSync(path.join(recapOut, pages[i]!))), jekyll: cheerio.load(readFileSync(path.join(jekyllOut, pages[i]!))) }));
}

/** Builds each hostile body as the one post of a Jekyll site, each within 5 s (a bound on cost, not a benchmark); the results. */
async function eachBuiltQuickly(bodies: readonly string[]): Promise<BuildResult[]> {
  const results: BuildResult[] = [];
  for (const body of bodies) {
    const started = Date.now();
    results.push(await buildSite(makeSite({ '_config.yml': 'title: Hostile\n', '_posts/2024-01-01-a.md': post('title: A', `${body}\n`) })));
    assert.ok(Date.now() - started < 5000, `${body.slice(0, 30)} took too long`);
  }
  return results;
}

/**
 * A Jekyll site of the forms real blogs use: no permalink setting (Jekyll's `date` style), YAML
 * timestamps with odd spacing and zones, a post without front matter, characters Jekyll strips
 * from file names, categories, a slug, one-digit dates, unpublished and future posts.
 */
function jekyllSite(): string {
  return makeSite({
    '_config.yml': 'title: Oracle Meetup\ntimezone: UTC\n',
    '_posts/2018-03-23-monthly-meetup.md': post('title: "Monthly Meetup&mdash;Emacs"\ndate: 2018-03-23  9:36:27'),
    '_posts/2019-01-02-no-front-matter.md': 'No front matter here.\n',
    '_posts/2019-02-03-What is new?.md': post('title: What is new'),
    '_posts/2019-04-05-with-categories.md': post('title: Cat\ncategories: [Events, "Big News"]'),
    '_posts/2019-05-06-zoned.md': post('title: Zoned\ndate: 2019-05-06 23:30:00 -0500'),
    '_posts/2019-06-07-slugged.md': post('title: Slugged\nslug: my-own slug'),
    '_posts/2018-3-8-single-digits.md': post('title: Single digits'),
    '_posts/2019-07-08-custom.md': post('title: Custom\npermalink: /custom/place/'),
    '_posts/2019-08-09-hidden.md': post('title: Hidden\npublished: false'),
    '_posts/2099-01-01-future.md': post('title: Future'),
    '_posts/2019-09-10-Ünïcode café.md': post('title: Unicode'),
    '_posts/2019-10-11-category-key.md': post('title: One category\ncategory: Talks'),
    '_posts/2019-10-12-category-list.md': post('title: Category list\ncategory: [Talks, Two Words]'),
    // Front matter as editors and YAML write it: a byte order mark, Windows line ends, spaces after a fence, YAML's "..." closing it.
    '_posts/2020-01-03-bom.md': `\uFEFF${post('title: BOM')}`,
    '_posts/2020-01-04-crlf.md': '---\r\ntitle: CRLF\r\n---\r\nWindows.\r\n',
    '_posts/2020-01-05-trail.md': '---   \ntitle: Trailing\n---  \nSpaces.\n',
    '_posts/2020-01-07-dots.md': '---\ntitle: Dots\n...\nEnd of document.\n',
    // An editor's backup beside a post, which Jekyll passes by.
    '_posts/2020-01-08-backup.md~': post('title: Backup'),
    '_posts/2021-01-01-weeks.md': post('title: Weeks\ndate: 2021-01-01 14:05:09\ncategories: [Big News, "C++"]\n'
      + 'permalink: /:w_year/:week/:w_day/:short_month/:long_month/:short_day/:long_day/:hour-:minute-:second/:slugified_categories/:title/'),
    'news/_posts/2019-11-12-from-a-folder.md': post('title: From a folder'),
    'news/local/_posts/2019-11-13-two-folders.md': post('title: Two folders\ncategories: [Extra]'),
    '_includes/time.html': '<p class="when">Doors at {{ include.doors | default: "18:00" }}, {{ site.data.venue.name }}</p>\n',
    '_data/venue.yml': 'name: The Tetley\n',
    '_posts/2019-12-13-with-include.md': post('title: With include', '{% include time.html doors="18:30" %}\n\nThe talks.\n'),
  });
}

/** A Jekyll site's root: pages, files to copy, Jekyll's excludes and the site's exclude/include, and its own feed. */
function jekyllRootSite(): string {
  return makeSite({
    '_config.yml': 'name: Jekyll Now Meetup\nexclude: [notes, "*.sh", "draft-?.txt"]\ninclude: [_redirects, .well-known]\n',
    '_posts/2019-01-02-first.md': post('title: First'),
    'about.md': post('title: About\nlayout: page', 'About the meetup.\n'),
    'events.html': post('title: Events\nlayout: default', '<p>Upcoming events.</p>\n'),
    'team/index.md': post('title: Team', 'The team.\n'),
    'CNAME': 'meetup.example.org\n',
    'favicon.ico': 'icon',
    'ads.txt': 'example.com, pub-1, DIRECT\n',
    'resources/slides.pdf': '%PDF-1.4 slides',
    'static/js/app.js': 'console.log(1);\n',
    'assets/css/site.css': 'body { color: black; }\n',
    'README.md': 'Read me: no front matter, so Jekyll copies it.\n',
    '_redirects': '/old /new 301\n',
    '.well-known/security.txt': 'Contact: mailto:security@example.org\n',
    'Gemfile': "source 'https://rubygems.org'\n",
    '.gitignore': '_site\n',
    'notes/private.md': 'not for the site\n',
    'deploy.sh': 'echo deploy\n',
    // Jekyll's patterns match the whole path, a * across folders too (File.fnmatch? without flags).
    'scripts/tools/build.sh': 'echo build\n',
    'draft-1.txt': 'a draft\n',
    'draft-12.txt': 'not named by the pattern\n',
    'node_modules/x/index.js': 'module.exports = 1;\n',
    '_drafts/draft.md': post('title: Draft'),
    '_includes/time.html': '<time>now</time>\n',
  });
}

describe('Jekyll sites build unchanged (Debian\'s jekyll as the oracle)', () => {
  it('puts every post where Jekyll puts it', { skip: withoutJekyll }, async () => {
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(jekyllSite());
    const expected = postPages(jekyllOut);
    assert.ok(expected.length >= 9, expected.join('\n'));
    assert.deepEqual(postPages(recapOut), expected);
    assert.doesNotMatch(recapStderr, /backup/);
    // The include renders to the same text in both (Jekyll's page has no layout here: compare the element).
    const included = (dir: string) => /<p class="when">[^<]*<\/p>/.exec(readFileSync(path.join(dir, '2019/12/13/with-include.html'), 'utf8'))?.[0];
    assert.equal(included(jekyllOut), '<p class="when">Doors at 18:30, The Tetley</p>');
    assert.equal(included(recapOut), included(jekyllOut));
  });

  it('reads Jekyll\'s singular tag: (over tags:) and takes a blank permalink for none', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Singular\n',
      '_posts/2020-01-01-one.md': post('title: One\ntag: Solo Tag\ntags: [ignored]'),
      '_posts/2020-01-02-blank.md': post('title: Blank\npermalink: ""'),
    }));
    assert.ok(result.manifest.has('/tags/solo-tag/'), messages(result).join('\n'));
    assert.ok(!result.manifest.has('/tags/ignored/'));
    assert.ok(result.manifest.has('/2020/01/02/blank.html'), messages(result).join('\n'));
  });

  it('follows every permalink style Jekyll names, for posts and pages', { skip: withoutJekyll }, async () => {
    for (const style of ['date', 'pretty', 'ordinal', 'weekdate', 'none']) {
      const { jekyllOut, recapOut } = await buildWithBoth(makeSite({
        '_config.yml': `title: Styles\npermalink: ${style}\n`,
        // A folder inside _posts gives no category; a string of categories is split at spaces.
        '_posts/2019/2019-01-01-in-a-folder.md': post('title: In a folder\ncategories: foo bar'),
        '_posts/2024-03-06-plain.md': post('title: Plain'),
        'about.md': post('title: About'),
      }));
      const expected = files(jekyllOut);
      const made = new Set(files(recapOut));
      assert.ok(expected.length >= 3, `${style}: ${expected.join(', ')}`);
      for (const file of expected) assert.ok(made.has(file), `${style}: ${file} is published by Jekyll but not by Recap`);
    }
  });

  it('publishes the file Jekyll writes last where two share an address, with a warning, as Jekyll builds such a site', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Conflicts\n',
      // The same slug once `?` is dropped, the same name in two extensions, a post and a page at one permalink.
      '_posts/2018-09-26-when.md': post('title: First', 'Text of when.\n'),
      '_posts/2018-09-26-when?.md': post('title: Second', 'Text of when-question.\n'),
      '_posts/2018-09-27-dup.markdown': post('title: Long', 'Text of markdown.\n'),
      '_posts/2018-09-27-dup.md': post('title: Short', 'Text of md.\n'),
      'about.md': post('title: Page About\npermalink: /about/', 'Text of the page.\n'),
      '_posts/2018-09-28-about.md': post('title: Post About\npermalink: /about/', 'Text of the post.\n'),
      // A page and a copied file at one address: Jekyll writes copied files last.
      'team.md': post('title: Team\npermalink: /team/', 'Text of the team page.\n'),
      'team/index.html': '<p>Text of the copied team file.</p>\n',
      // A redirect_from at a post's own address: without jekyll-redirect-from Jekyll makes none; Recap leaves it out, saying so.
      'moved.md': post('title: Moved\nredirect_from: /2018/09/26/when.html', 'Text of moved.\n'),
      // One address, two files (twin.html and twin.xhtml, both written by Jekyll): Recap publishes one an address, the one Jekyll writes last.
      '_posts/2018-09-29-twin.md': post('title: Twin\npermalink: /twin', 'Text of twin md.\n'),
      '_posts/2018-09-29-twin.xhtml': post('title: Twin\npermalink: /twin', '<p>Text of twin xhtml.</p>\n'),
      // post_url still finds a post another took the place of, at that address, as Jekyll finds it.
      'links.md': post('title: Links', '<p class="linked">{% post_url 2018-09-26-when %}</p>\n'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    for (const file of ['2018/09/26/when.html', '2018/09/27/dup.html', 'about/index.html', 'team/index.html', 'twin.xhtml']) {
      const shown = (dir: string) => /Text of [a-z -]+\./.exec(readFileSync(path.join(dir, file), 'utf8'))?.[0];
      assert.ok(shown(jekyllOut), file);
      assert.equal(shown(recapOut), shown(jekyllOut), file);
    }
    assert.equal(recapStderr.split('\n').filter((line) => / warning: .* \[R213\]$/.test(line)).length, 6, recapStderr);
    const linked = (dir: string) => cheerio.load(readFileSync(path.join(dir, 'links.html'), 'utf8'))('p.linked').text();
    assert.equal(linked(recapOut), linked(jekyllOut));
    assert.equal(linked(recapOut), '/2018/09/26/when.html');
    assert.match(recapStderr, /^_posts\/2018-09-29-twin\.md warning: \/twin is also the address of _posts\/2018-09-29-twin\.xhtml/m);
    assert.match(recapStderr, /^moved\.md warning: redirect_from \/2018\/09\/26\/when\.html is left out: _posts\/2018-09-26-when\?\.md is published at that address \[R213\]$/m);
  });

  it('writes the redirects of a post another took the address of, as jekyll-redirect-from writes them', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Conflicts\nplugins: [jekyll-redirect-from]\n',
      '_posts/2019-02-28-first.md': post('title: First\nslug: own\npermalink: /own/\nredirect_from: [/old-first/]', 'Text of first.\n'),
      '_posts/2020-11-09-second.md': post('title: Second\npermalink: /own/\nredirect_from: [/old-second/]', 'Text of second.\n'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const target = (dir: string, from: string) => cheerio.load(readFileSync(path.join(dir, from, 'index.html'), 'utf8'))('link[rel="canonical"]').attr('href');
    for (const from of ['old-first', 'old-second']) assert.equal(target(recapOut, from), target(jekyllOut, from), from);
    assert.deepEqual(JSON.parse(readFileSync(path.join(recapOut, 'redirects.json'), 'utf8')), JSON.parse(readFileSync(path.join(jekyllOut, 'redirects.json'), 'utf8')));
  });

  it('builds the rest of a Jekyll site without a post it cannot read, as Jekyll does, where Recap\'s own sites stop at the error', { skip: withoutJekyll }, async () => {
    const posts = {
      // YAML Ruby cannot read either: Jekyll reports it, and publishes the post without its front matter at an address of today's date.
      '_posts/2024-03-05-colon.md': '---\ntitle: Rust: the good parts\n---\nHello.\n',
      // Front matter that is a list, the same; one never closed is text without front matter, for Jekyll and for Recap.
      '_posts/2024-03-03-listed.md': '---\n- a\n- b\n---\nHello.\n',
      '_posts/2024-03-04-open.md': '---\ntitle: Open\nNever closed.\n',
      '_posts/2024-03-07-latin.md': Buffer.concat([Buffer.from('---\ntitle: Latin\n---\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]),
      '_posts/2024-03-06-huge.md': post('title: Huge', `![chart](data:image/png;base64,${'A'.repeat(1100 * 1024)})\n`),
      '_posts/2024-03-08-fine.md': post('title: Fine'),
    };
    // A hidden file Jekyll's default `include:` names, which Recap never publishes: said, not dropped silently.
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(makeSite({ '_config.yml': 'title: Unreadable\n', '.htaccess': 'Redirect 301 /a /b\n', ...posts }));
    const published = files(recapOut);
    assert.ok(files(jekyllOut).includes('.htaccess') && files(jekyllOut).some((f) => f.endsWith('-colon.html')) && files(jekyllOut).includes('2024/03/04/open.html'));
    for (const file of files(jekyllOut).filter((f) => f !== '2024/03/06/huge.html' && f !== '.htaccess' && !/-(colon|listed)\.html$/.test(f))) assert.ok(published.includes(file), `${file} is published by Jekyll but not by Recap`);
    assert.match(recapStderr, /^_posts\/2024-03-03-listed\.md:2:1 warning: front matter must be a mapping of keys to values: left out, .*\[R201\]$/m);
    assert.match(recapStderr, /^_posts\/2024-03-04-open\.md:1:1 warning: unclosed front matter: .*read as text without front matter, as Jekyll reads it \[R201\]$/m);
    assert.match(recapStderr, /^_posts\/2024-03-05-colon\.md:2:\d+ warning: invalid YAML in front matter: .*: left out, and the rest of the site built .*\[R203\]$/m);
    assert.match(recapStderr, /^\.htaccess warning: not published: \/\.htaccess cannot be an output path: .*\[R211\]$/m);
    assert.ok(!files(jekyllOut).includes('2024/03/07/latin.html') && !published.includes('2024/03/07/latin.html'));
    assert.match(recapStderr, /^_posts\/2024-03-07-latin\.md:4 warning: the file is not valid UTF-8 text: left out, as Jekyll leaves it out \[R209\]$/m);
    assert.match(recapStderr, /^_posts\/2024-03-06-huge\.md warning: the post is 1\.1 MiB, over the 1 MiB limit for one post: left out, and the rest of the site built \[R109\]$/m);
    const own = runCli(['build', makeSite({ 'recap.yml': 'title: Strict\n', 'posts/2024-03-07-latin.md': posts['_posts/2024-03-07-latin.md'], 'posts/2024-03-05-colon.md': posts['_posts/2024-03-05-colon.md'] }), '--out', path.join(tempDir(), 'out')]);
    assert.equal(own.code, 1);
    assert.match(own.stderr, / error: the file is not valid UTF-8 text \[R209\]/);
    assert.match(own.stderr, /colon\.md:2:\d+ error: invalid YAML in front matter: .*\[R203\]/);
  });

  it('builds a Jekyll post with a key of a kind Recap cannot read without that key, with a warning, and takes an old theme\'s image: {feature: ...}', { skip: withoutJekyll }, async () => {
    const posts = {
      '_posts/2024-03-01-listed-title.md': post('title: [a, b]'),
      '_posts/2024-03-02-mapped-tags.md': post('title: Mapped tags\ntags: {x: 1}'),
      '_posts/2024-03-03-listed-description.md': post('title: Listed description\ndescription: [x]'),
      '_posts/2024-03-04-mapped-location.md': post('title: Mapped location\nlocation: {city: Leeds}\nlayout: [post]'),
      '_posts/2024-03-05-feature.md': post('title: Feature\nimage:\n  feature: abstract-3.jpg\n  credit: Someone'),
    };
    const site = makeSite({ '_config.yml': 'title: Kinds\nurl: https://kinds.example\n', 'images/abstract-3.jpg': await photo(800, 500, 3), ...posts });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const built = files(jekyllOut).filter((file) => file.startsWith('2024/'));
    assert.equal(built.length, 5, built.join(', '));
    for (const file of built) assert.ok(files(recapOut).includes(file), `${file} is published by Jekyll but not by Recap`);
    assert.equal(recapStderr.split('\n').filter((line) => / warning: .*left out, and the post built without it.* \[R204\]$/.test(line)).length, 4, recapStderr);
    // A place given as a mapping is a meetup site's own data: a note.
    assert.match(recapStderr, /^_posts\/2024-03-04-mapped-location\.md:3:11 note: location: the site's own mapping, .*\[R204\]$/m);
    // The feature image is the post's photo: its social card is a crop of it.
    const page = cheerio.load(readFileSync(path.join(recapOut, '2024/03/05/feature.html'), 'utf8'));
    assert.match(page('meta[property="og:image"]').attr('content') ?? '', /^https:\/\/kinds\.example\/assets\/images\/abstract-3-social\./);
    assert.ok(page('main picture img').length > 0, 'the feature image is shown');
  });

  it('takes the photo a theme\'s own front matter names where a post has no image: (Minimal Mistakes\' header:, Beautiful Jekyll\'s share-img, Hux Blog\'s header-img), a path without a slash from the site\'s root', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Themes\nurl: https://themes.example\n',
      'assets/images/header.jpg': await photo(900, 600, 4),
      'assets/images/teaser.jpg': await photo(600, 400, 5),
      'img/share.jpg': await photo(700, 400, 6),
      '_posts/2024-03-01-mm.md': post('title: Header\nheader:\n  teaser: /assets/images/teaser.jpg\n  overlay_image: /assets/images/header.jpg\n  image_description: The hall at night'),
      '_posts/2024-03-02-teaser.md': post('title: Teaser\nheader:\n  teaser: /assets/images/teaser.jpg'),
      '_posts/2024-03-03-bj.md': post('title: Share\nshare-img: /img/share.jpg\ncover-img: [/img/a.jpg, /img/b.jpg]'),
      '_posts/2024-03-04-own.md': post('title: Own\nimage: /img/share.jpg\nheader:\n  image: /assets/images/header.jpg'),
      '_posts/2024-03-05-relative.md': post('title: Relative\nheader:\n  image: assets/images/header.jpg'),
      '_posts/2024-03-06-mediumish.md': post('title: Mediumish\nimage: assets/images/teaser.jpg'),
      '_posts/2024-03-07-hux.md': post('title: Hux\nheader-img: "./img/share.jpg"'),
      '_posts/2024-03-08-colour.md': post('title: Colour\nbackground: "#222"\ncover: true'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const ogImage = (url: string) => html(result, url)('meta[property="og:image"]').attr('content') ?? '';
    assert.match(ogImage('/2024/03/01/mm.html'), /\/assets\/recap\/assets\/images\/header-social\./, 'overlay_image before teaser, as the theme reads them');
    assert.equal(html(result, '/2024/03/01/mm.html')('.post-hero img').attr('alt'), 'The hall at night');
    assert.match(ogImage('/2024/03/02/teaser.html'), /\/assets\/recap\/assets\/images\/teaser-social\./);
    assert.match(ogImage('/2024/03/03/bj.html'), /\/assets\/recap\/img\/share-social\./);
    assert.match(ogImage('/2024/03/04/own.html'), /\/assets\/recap\/img\/share-social\./, 'a post\'s own image: wins');
    // As the themes' relative_url and jekyll-seo-tag's absolute_url read them: from the site's root, not from the post's address.
    assert.match(ogImage('/2024/03/05/relative.html'), /\/assets\/recap\/assets\/images\/header-social\./);
    assert.match(ogImage('/2024/03/06/mediumish.html'), /\/assets\/recap\/assets\/images\/teaser-social\./);
    assert.match(html(result, '/2024/03/06/mediumish.html')('.post-hero img').attr('src') ?? '', /^\/assets\/recap\/assets\/images\/teaser-\d+\./);
    assert.match(ogImage('/2024/03/07/hux.html'), /\/assets\/recap\/img\/share-social\./);
    assert.match(ogImage('/2024/03/08/colour.html'), /\/assets\/social\/[0-9a-f]{16}\.jpg$/, 'a colour is no photo: a card');
  });

  it('finds a Chirpy post\'s relative photos in its media_subpath (img_path before), and keeps a Markdown image\'s own attributes while making it responsive', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Chirpy\nurl: https://chirpy.example\ntheme: jekyll-theme-chirpy\n',
      'assets/img/posts/intro/mockup.jpg': await photo(900, 600, 4),
      'assets/img/posts/intro/inline.jpg': await photo(800, 500, 5),
      'assets/img/old/inline.jpg': await photo(800, 500, 6),
      '_posts/2024-03-01-intro.md': post('title: Intro\nmedia_subpath: /assets/img/posts/intro/\nimage:\n  path: mockup.jpg\n  lqip: data:image/webp;base64,UklGRpoAAABXRUJQVlA4\n  alt: Devices',
        '![Desktop View](inline.jpg){: width="400" height="250" .shadow }\n\n![By its path](/assets/img/posts/intro/inline.jpg)\n'),
      '_posts/2024-03-02-old.md': post('title: Old\nimg_path: assets/img/old', '![Old](./inline.jpg)\n'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/03/01/intro.html');
    assert.match($('meta[property="og:image"]').attr('content')!, /\/assets\/recap\/assets\/img\/posts\/intro\/mockup-social\./);
    assert.equal($('.post-hero img').attr('alt'), 'Devices');
    const sized = $('.post-body img[alt="Desktop View"]');
    assert.deepEqual([sized.attr('src'), sized.attr('width'), sized.attr('height'), sized.attr('class')], ['/assets/img/posts/intro/inline.jpg', '400', '250', 'shadow']);
    assert.match(sized.parent().find('source[type="image/webp"]').attr('srcset')!, /\/assets\/recap\/assets\/img\/posts\/intro\/inline-480\./);
    assert.match(html(result, '/2024/03/02/old.html')('.post-body source[type="image/avif"]').attr('srcset')!, /\/assets\/recap\/assets\/img\/old\/inline-480\./);
    for (const file of result.manifest.all()) if (file.content && file.url.endsWith('.html')) assert.doesNotMatch(file.content.toString(), /data-recap-image/, file.url);
  });

  it('makes a Chirpy post\'s image with an italic line under it a figure with that caption, as Chirpy shows it, and leaves it kramdown\'s paragraph elsewhere', async () => {
    const body = '![Lena on stage](/assets/lena.jpg){: w="700" h="400" }\n_Lena on *stage*_\n\n![Alone](/assets/alone.jpg)\n\n![Two lines](/assets/two.jpg)\n_not_ a caption\n';
    const built = async (config: string) => html(await buildSite(makeSite({ '_config.yml': config, '_posts/2024-03-01-a.md': post('title: A', body) })), '/2024/03/01/a.html');
    const chirpy = await built('title: Chirpy\ntheme: jekyll-theme-chirpy\n');
    assert.deepEqual(chirpy('.post-body figure').map((_, f) => [[chirpy(f).find('img').attr('alt'), chirpy(f).find('figcaption').text(), chirpy(f).find('figcaption em').text()]]).get(), [['Lena on stage', 'Lena on stage', 'stage']]);
    assert.equal(chirpy('.post-body p img').length, 2, 'an image alone, or with a line that is not all italic, stays in its paragraph');
    const plain = await built('title: Plain\n');
    assert.equal(plain('.post-body figure').length, 0);
    assert.equal(plain('.post-body p').first().find('img + em, picture + em').text(), 'Lena on stage', 'kramdown\'s paragraph, as Jekyll writes it');
  });

  it('reads a front matter value of 60,000 slashes (Chirpy\'s media_subpath) in time linear in its length', async () => {
    const started = Date.now();
    const result = await buildSite(makeSite({ '_config.yml': 'title: Slashes\n', '_posts/2024-01-01-a.md': post(`title: A\nmedia_subpath: "/a${'/'.repeat(60000)}x"`, '![x](y.png)\n') }));
    // Trimming the slashes at its end with /\/+$/ took 7 s: the pattern tries every run of slashes.
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
  });

  it('reads a day its month does not have and a key written twice as Jekyll does, with a warning, where Recap\'s own sites stop at the error', { skip: withoutJekyll }, async () => {
    const posts = {
      '_posts/2024-02-01-matter.md': post('title: Matter\ndate: 2024-02-30'),
      '_posts/2023-04-31-name.md': post('title: Name'),
      '_posts/2024-02-02-twice.md': post('title: Twice\ntags: [a]\ntags: [b]'),
    };
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(makeSite({ '_config.yml': 'title: Lenient\n', ...posts }));
    const pages = (dir: string) => files(dir).filter((f) => /^20\d\d\/\d\d\/\d\d\/[a-z]+\.html$/.test(f));
    assert.deepEqual(pages(recapOut), pages(jekyllOut));
    assert.deepEqual(pages(jekyllOut), ['2023/05/01/name.html', '2024/02/02/twice.html', '2024/03/01/matter.html']);
    assert.match(recapStderr, /^_posts\/2024-02-01-matter\.md:3:7 warning: front matter date 2024-02-30 does not exist: read as 2024-03-01, as Jekyll reads it \[R205\]$/m);
    assert.match(recapStderr, /^_posts\/2023-04-31-name\.md warning: file name date 2023-04-31 does not exist: read as 2023-05-01, as Jekyll reads it \[R205\]$/m);
    assert.match(recapStderr, /^_posts\/2024-02-02-twice\.md:4:1 warning: invalid YAML in front matter: duplicated mapping key: the last value is taken, as Jekyll takes it \[R203\]$/m);
    const twice = cheerio.load(readFileSync(path.join(recapOut, '2024/02/02/twice.html'), 'utf8'));
    assert.deepEqual(twice('a[href^="/tags/"]').map((_, a) => twice(a).attr('href')).get().filter((href) => href !== '/tags/'), ['/tags/b/']);
    const own = await buildSite(makeSite({ 'recap.yml': 'title: Strict\n', ...Object.fromEntries(Object.entries(posts).map(([file, text]) => [file.replace('_posts', 'posts'), text])) }));
    assert.equal(own.diagnostics.count('error'), 3, messages(own).join('\n'));
  });

  it('reads a date Ruby reads only on a Jekyll site, and never takes a text without a year and a day for one', async () => {
    const dates = { spelled: 'March 6, 2024', 'no-day': 'Meetup 2', 'no-year': 'March 6', 'year-only': '2024', impossible: '2024/13/45' };
    const files = Object.fromEntries(Object.entries(dates).map(([name, date]) => [`_posts/2024-03-06-${name}.md`, post(`title: ${name}\ndate: ${date}`)]));
    const jekyll = await buildSite(makeSite({ '_config.yml': 'title: Loose\n', ...files }));
    const refused = (result: Awaited<ReturnType<typeof buildSite>>) => messages(result).filter((m) => m.includes('[R205]')).map((m) => /2024-03-06-([a-z-]+)\.md/.exec(m)![1]).sort();
    assert.deepEqual(refused(jekyll), ['impossible', 'no-day', 'no-year', 'year-only']);
    const recap = await buildSite(makeSite({ 'recap.yml': 'title: Strict\n', ...Object.fromEntries(Object.entries(files).map(([file, text]) => [file.replace('_posts', 'posts'), text])) }));
    assert.deepEqual(refused(recap), ['impossible', 'no-day', 'no-year', 'spelled', 'year-only']);
  });

  it('dates posts as Jekyll does in a site\'s time zone: an unquoted time with seconds and no offset is UTC, the rest the zone\'s, in any form Ruby reads; a style\'s name in front matter is an address', { skip: withoutJekyll }, async () => {
    const dated = (name: string, date: string) => [`_posts/2024-03-06-${name}.md`, post(`title: ${name}\ndate: ${date}`)];
    for (const timezone of ['Asia/Shanghai', 'America/Los_Angeles']) {
      const { jekyllOut, recapOut } = await buildWithBoth(makeSite({
        '_config.yml': `title: Zoned\ntimezone: ${timezone}\npermalink: /:year/:month/:day/:hour/:title/\n`,
        ...Object.fromEntries([
          dated('evening', '2024-03-06 20:00:00'), dated('morning', '2024-03-06 03:00:00'), dated('t-form', '2024-03-06T20:00:00'),
          dated('fraction', '2024-03-06 20:00:00.5'), dated('short-month', '2024-3-6 20:00:00'), dated('commented', '2024-03-06 20:00:00 # late'),
          dated('no-seconds', '2024-03-06 20:00'), dated('quoted', "'2024-03-06 20:00:00'"), dated('double-quoted', '"2024-03-06 03:00:00"'),
          dated('utc', '2024-03-06 20:00:00 Z'), dated('offset', '2024-03-06 20:00:00 -05:00'), dated('day', '2024-03-06'),
          // Any way Ruby's Time.parse reads a date: a month's name, slashes, a zone's name, run together.
          dated('spelled', 'March 6, 2024 23:30'), dated('mail', 'Sat, 09 Mar 2024 20:00:00 +0000'), dated('pacific', '2024-03-10 10:00:00 PST'),
          dated('named-utc', '2024-03-14 20:00:00 UTC'), dated('slashes', '2024/03/07 01:15'), dated('compact', '20240316'), dated('afternoon', 'Mar 6 2024 9:05 pm'),
        ]),
        '_posts/2024-03-06-styled.md': post('title: Styled\npermalink: none'),
        'page.md': post('title: Page\npermalink: pretty'),
      }));
      const expected = files(jekyllOut);
      assert.ok(expected.includes('2024/03/07/04/evening/index.html') || expected.includes('2024/03/06/12/evening/index.html'), `${timezone}: ${expected.join(', ')}`);
      const made = new Set(files(recapOut));
      for (const file of expected) assert.ok(made.has(file), `${timezone}: ${file} is published by Jekyll but not by Recap`);
    }
  });
});

describe('a Jekyll site\'s root files (Debian\'s jekyll as the oracle)', () => {
  it('publishes the pages and files Jekyll publishes, at the same paths, the copies byte for byte', { skip: withoutJekyll }, async () => {
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(jekyllRootSite());
    const made = new Set(files(recapOut));
    const expected = files(jekyllOut);
    for (const file of ['about.html', 'events.html', 'team/index.html', 'CNAME', 'favicon.ico', 'ads.txt', 'resources/slides.pdf', 'static/js/app.js', 'assets/css/site.css', '_redirects', '.well-known/security.txt']) {
      assert.ok(expected.includes(file), `Jekyll publishes ${file}: ${expected.join(', ')}`);
    }
    for (const file of expected) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    for (const file of expected.filter((f) => !f.endsWith('.html'))) assert.deepEqual(readFileSync(path.join(recapOut, file)), readFileSync(path.join(jekyllOut, file)), file);
    assert.ok(expected.includes('draft-12.txt'), 'Jekyll publishes draft-12.txt');
    for (const file of ['Gemfile', 'notes/private.md', 'deploy.sh', 'scripts/tools/build.sh', 'draft-1.txt', 'node_modules/x/index.js', '.gitignore', '_config.yml']) {
      assert.ok(!made.has(file) && !expected.includes(file), `${file} is published by neither`);
    }
    assert.match(readFileSync(path.join(recapOut, 'index.html'), 'utf8'), /<title>Jekyll Now Meetup<\/title>/, 'name: is the title');
    assert.equal((recapStderr.match(/stands in for the layout "default"/g) ?? []).length, 1, recapStderr);
  });

  it('publishes the site\'s own pages at /talks/, at a tag\'s address and below /assets/, where Recap\'s own yield, as Jekyll publishes them', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Claimed\n',
      '_posts/2024-01-01-a.md': post('title: A\ntags: [rust, go]'),
      'talks.md': post('title: Our talks\npermalink: /talks/', 'Every talk we have had.\n'),
      'tags/rust.md': post('title: Rust\npermalink: /tags/rust/', 'Posts about Rust.\n'),
      // Without text of its own (its Jekyll layout made the list), the tag's page is Recap's list.
      'tags/go.md': post('title: Go\nlayout: tag\npermalink: /tags/go/', ''),
      'assets/notes.md': post('title: Notes'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const made = new Set(files(recapOut));
    for (const file of files(jekyllOut)) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    const text = (file: string) => cheerio.load(readFileSync(path.join(recapOut, file), 'utf8'))('main').text();
    assert.match(text('talks/index.html'), /Every talk we have had\./);
    assert.match(text('tags/rust/index.html'), /Posts about Rust\./);
    assert.match(text('tags/go/index.html'), /Tagged “go”/);
    assert.match(text('assets/notes.html'), /Notes/);
    const result = await buildSite(site);
    const notes = messages(result).map((m) => m.split('\n')[0]!);
    for (const [file, url] of [['talks.md', '/talks/'], ['tags/rust.md', '/tags/rust/']]) assert.ok(notes.includes(`${file} note: the site's own ${url} is kept in place of Recap's [R112]`), notes.join('\n'));
    assert.ok(notes.some((m) => m.startsWith('tags/go.md note: /tags/go/ has no text of its own')), notes.join('\n'));
    // Recap's own sites keep them Recap's.
    const own = await buildSite(makeSite({ 'recap.yml': 'title: Own\n', 'pages/talks.md': post('title: Talks\npermalink: /talks/') }));
    assert.ok(messages(own).some((m) => m.includes('/talks/ is Recap\'s own output') && m.includes('[R212]')), messages(own).join('\n'));
  });

  it('keeps the site\'s own robots.txt, sitemap.xml, 404.html and search page where Recap makes its own, byte for byte', { skip: withoutJekyll }, async () => {
    const own: Record<string, string> = {
      'robots.txt': 'User-agent: *\nDisallow: /drafts/\n',
      'sitemap.xml': '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n',
      '404.html': '<h1>Lost?</h1>\n',
      'search/index.html': '<form action="https://duckduckgo.com/"></form>\n',
      'talks.json': '[]\n',
    };
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(makeSite({ '_config.yml': 'title: Own files\n', '_posts/2019-01-02-first.md': post('title: First'), ...own }));
    const made = new Set(files(recapOut));
    for (const file of files(jekyllOut)) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    for (const [file, text] of Object.entries(own)) {
      assert.equal(readFileSync(path.join(recapOut, file), 'utf8'), text, file);
      assert.match(recapStderr, new RegExp(`^${file.replace('.', '\\.')} note: the site's own /\\S* is kept in place of Recap's \\[R112\\]$`, 'm'));
    }
  });

  it('publishes Recap\'s sitemap and robots.txt where the site has Liquid templates of them, with a note', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Templates\nurl: https://templates.example\n',
      '_posts/2019-01-02-first.md': post('title: First'),
      'sitemap.xml': '---\nlayout: null\n---\n<urlset>{% for post in site.posts %}<url><loc>{{ post.url }}</loc></url>{% endfor %}</urlset>\n',
      'robots.txt': '---\n---\nSitemap: {{ site.url }}/sitemap.xml\n',
    }));
    assert.ok(xml(result, '/sitemap.xml')('loc').map((_, loc) => xml(result, '/sitemap.xml')(loc).text()).get().includes('https://templates.example/2019/01/02/first.html'));
    for (const file of ['sitemap.xml', 'robots.txt']) {
      assert.ok(messages(result).some((m) => m.startsWith(`${file} note: Recap's own /${file} is published in place of this Liquid template [R112]`)), messages(result).join('\n'));
    }
    assert.ok(!messages(result).some((m) => m.includes('[R108]')), messages(result).join('\n'));
  });

  it('publishes the other files its Liquid makes (search.json, feed.json, humans.txt) as Jekyll does, and a .htm page as a page', { skip: withoutJekyll }, async () => {
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(makeSite({
      '_config.yml': 'title: Templated\nurl: https://templated.example\n',
      '_posts/2019-01-02-first.md': post('title: First\ntags: [a, b]'),
      '_posts/2019-02-03-second.md': post('title: "Second \\"quoted\\""'),
      'search.json': '---\nlayout: null\n---\n[{% for post in site.posts %}{"title": {{ post.title | jsonify }}, "url": "{{ site.baseurl }}{{ post.url }}", "tags": {{ post.tags | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}]\n',
      'feeds/feed.json': '---\npermalink: /feed.json\n---\n{"title": {{ site.title | jsonify }}, "items": {{ site.posts.size }}}\n',
      'humans.txt': '---\n---\nSite: {{ site.title }}\n',
      'legacy.htm': '---\ntitle: Legacy\n---\n<p>{{ page.title }}</p>\n',
      // An upper-case ending is kept, as Jekyll keeps it: OLD.HTML, /2019/03/04/older.HTML.
      'OLD.HTML': '---\ntitle: Old\nlayout: page\n---\n<p>Old</p>\n',
      '_posts/2019-03-04-older.HTML': '---\ntitle: Older\nlayout: post\n---\n<p>Older</p>\n',
      'assets/site.scss': '---\n---\nbody { color: red; }\n',
      // A theme's search data below /assets/ (Chirpy's), and a file at an address Recap also fills.
      'assets/js/data/search.json': '---\nlayout: null\n---\n[{% for post in site.posts %}"{{ post.url }}"{% unless forloop.last %},{% endunless %}{% endfor %}]\n',
      'talks.json': '---\n---\n{"talks": {{ site.posts.size }}}\n',
      // An icon drawn with the site's Liquid, where Recap draws its own.
      'favicon.svg': '---\n---\n<svg xmlns="http://www.w3.org/2000/svg"><title>{{ site.title }}</title></svg>\n',
      // Not a photo at all: Jekyll copies it, and so does Recap, with a warning, where its own sites stop at the error.
      'images/broken.jpg': 'not a jpeg\n',
    }));
    const made = new Set(files(recapOut));
    for (const file of files(jekyllOut)) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    assert.match(recapStderr, /^images\/broken\.jpg warning: cannot read image: .*copied as it is.* \[R402\]$/m);
    assert.equal(readFileSync(path.join(recapOut, 'images/broken.jpg'), 'utf8'), 'not a jpeg\n');
    for (const file of ['search.json', 'feed.json', 'assets/js/data/search.json', 'talks.json']) {
      assert.deepEqual(JSON.parse(readFileSync(path.join(recapOut, file), 'utf8')), JSON.parse(readFileSync(path.join(jekyllOut, file), 'utf8')), file);
    }
    for (const file of ['humans.txt', 'favicon.svg']) assert.equal(readFileSync(path.join(recapOut, file), 'utf8'), readFileSync(path.join(jekyllOut, file), 'utf8'), file);
    // A .htm page is an HTML page, published as a .html one is, at the file Jekyll writes (naming no layout, in none: see below).
    assert.equal(readFileSync(path.join(recapOut, 'legacy.htm'), 'utf8'), readFileSync(path.join(jekyllOut, 'legacy.htm'), 'utf8'));
    // Sass is compiled, as jekyll-sass-converter compiles it (test/sass.test.ts).
    assert.equal(readFileSync(path.join(recapOut, 'assets/site.css'), 'utf8').split('\n\n')[0], 'body {\n  color: red;\n}');
  });

  it('publishes a page or post in no layout as Jekyll does: a whole document of its own, layout null or none, an index.html that is the home page', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Own Pages\nurl: https://own.example\ndefaults:\n  - scope: {path: "", type: pages}\n    values: {layout: page}\n',
      'index.html': '---\nlayout: null\ntitle: Home\n---\n<!DOCTYPE html>\n<html><head><title>{{ site.title }}</title></head>\n<body><h1>Welcome</h1>\n{% for post in site.posts %}<a href="{{ post.url }}">{{ post.title }}</a>\n{% endfor %}</body></html>\n',
      // Its own document, naming no layout where the defaults name one: Jekyll's own layout is null only by its front matter.
      'landing.html': '---\ntitle: Landing\nlayout: none\n---\n<!DOCTYPE html>\n<html><head><title>{{ page.title }}</title><style>h1 { color: red }</style></head><body><h1>Sign up</h1></body></html>\n',
      'fragment.md': '---\nlayout: ~\n---\nJust *this*.\n',
      'about.md': '---\ntitle: About\n---\nIn the theme, as its defaults say.\n',
      '_posts/2024-05-01-slides.html': '---\ntitle: Slides\n---\n<!doctype html><html><body><section>Slide 1</section></body></html>\n',
      '_posts/2024-05-02-talk.md': post('title: A talk\nlayout: post', 'Shown in the theme.\n'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    for (const file of ['index.html', 'landing.html', 'fragment.html', '2024/05/01/slides.html']) {
      assert.equal(readFileSync(path.join(recapOut, file), 'utf8'), readFileSync(path.join(jekyllOut, file), 'utf8'), file);
    }
    // One document each, parsed as a browser parses it: no page of Recap's around it.
    const landing = cheerio.load(readFileSync(path.join(recapOut, 'landing.html'), 'utf8'));
    assert.deepEqual([landing('html').length, landing('title').text(), landing('h1').text(), landing('.site-header').length], [1, 'Landing', 'Sign up', 0]);
    assert.deepEqual(cheerio.load(readFileSync(path.join(recapOut, 'index.html'), 'utf8'))('a').map((_, a) => a.attribs['href']).get(), ['/2024/05/02/talk.html', '/2024/05/01/slides.html']);
    // A Markdown page or post with a layout (its own or its defaults') is in Recap's theme, as ever.
    assert.equal(cheerio.load(readFileSync(path.join(recapOut, 'about.html'), 'utf8'))('.site-header + main .post-body p').text(), 'In the theme, as its defaults say.');
    assert.equal(cheerio.load(readFileSync(path.join(recapOut, '2024/05/02/talk.html'), 'utf8'))('.post-body p').text(), 'Shown in the theme.');
    // recap check takes their heads as their authors wrote them, as it takes a copied page's: a fragment has no title to ask for.
    const check = runCli(['check', site, '--format', 'json']);
    assert.equal(check.code, 0, check.stderr);
    assert.deepEqual((JSON.parse(check.stdout) as { problems: Array<{ code: string; file: string }> }).problems.filter((p) => /^R60[67]$/.test(p.code)).map((p) => p.file), []);
  });

  it('publishes a home page in no layout written as index.htm as Jekyll does, at /index.htm, where Recap\'s own home page yields', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Old Home\n',
      'index.htm': '---\ntitle: Home\n---\n<!DOCTYPE html>\n<html><body>{% for post in site.posts %}<a href="{{ post.url }}">{{ post.title }}</a>{% endfor %}</body></html>\n',
      '_posts/2024-05-02-talk.md': post('title: A talk\nlayout: post', 'Shown in the theme.\n'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    assert.equal(readFileSync(path.join(recapOut, 'index.htm'), 'utf8'), readFileSync(path.join(jekyllOut, 'index.htm'), 'utf8'));
    assert.deepEqual(files(recapOut).filter((f) => /^index\./.test(f)), files(jekyllOut).filter((f) => /^index\./.test(f)));
    assert.match(recapStderr, /^index\.htm note: the site's own \/ is kept in place of Recap's \[R112\]$/m);
  });

  it('publishes a page or post whose permalink is one of Recap\'s files (robots.txt, sitemap.xml, events.ics) as Jekyll does, where Recap\'s yields and the build once failed', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Own Files\nurl: https://own.example\n',
      'robots.html': '---\nlayout: null\npermalink: /robots.txt\n---\nUser-agent: *\nDisallow: /private/\nSitemap: {{ site.url }}/sitemap.xml\n',
      'sitemap.html': '---\nlayout: null\npermalink: /sitemap.xml\n---\n<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{% for post in site.posts %}<url><loc>{{ site.url }}{{ post.url }}</loc></url>{% endfor %}</urlset>\n',
      '_posts/2024-05-01-calendar.html': '---\nlayout: null\npermalink: /events.ics\n---\nBEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n',
      '_posts/2024-05-02-talk.md': post('title: A talk\nlayout: post', 'Shown in the theme.\n'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    for (const file of ['robots.txt', 'sitemap.xml', 'events.ics']) {
      assert.equal(readFileSync(path.join(recapOut, file), 'utf8'), readFileSync(path.join(jekyllOut, file), 'utf8'), file);
      assert.match(recapStderr, new RegExp(`^\\S+ note: the site's own /${file.replace('.', '\\.')} is kept in place of Recap's \\[R112\\]$`, 'm'));
    }
    assert.deepEqual(cheerio.load(readFileSync(path.join(recapOut, 'sitemap.xml'), 'utf8'), { xml: true })('loc').map((_, loc) => cheerio.load(loc).text()).get(), ['https://own.example/2024/05/02/talk.html', 'https://own.example/events.ics']);
  });

  it('shows a listed post\'s content (its HTML) to a page\'s and a search index\'s Liquid as Jekyll does, and again once a post is edited', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Contents\nurl: https://contents.example\n',
      '_layouts/page.html': '<main class="post-body">{{ content }}</main>\n',
      '_includes/snippet.html': '<p class="snip">{{ include.post.content | strip_html | truncatewords: 4 }} ({{ include.post.content | strip_html | number_of_words }} words)</p>\n',
      '_posts/2019-01-02-first.md': post('title: First', 'Hello *world* & friends.\n\nA second [paragraph](https://example.com).\n'),
      '_posts/2019-02-03-second.md': post('title: Second', '## A heading\n\nSome `code` here.\n'),
      'search.json': '---\nlayout: null\n---\n[{% for post in site.posts %}{"title": {{ post.title | jsonify }}, "text": {{ post.content | strip_html | strip_newlines | jsonify }}, "words": {{ post.content | number_of_words }}}{% unless forloop.last %},{% endunless %}{% endfor %}]\n',
      'blog.html': '---\nlayout: page\ntitle: Blog\n---\n{% for post in site.posts %}<article><h2>{{ post.title }}</h2>{% include snippet.html post=post %}</article>\n{% endfor %}',
    });
    const outDir = path.join(tempDir(), 'out');
    const compare = async () => {
      const { jekyllOut } = await buildWithBoth(site);
      const published = await publishSite({ siteDir: site, outDir });
      assert.equal(published.outcome === 'failed', false);
      const searched = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'search.json'), 'utf8')) as Array<{ text: string; words: number }>;
      assert.deepEqual(searched(outDir), searched(jekyllOut));
      assert.ok(searched(outDir).every((entry) => entry.words > 0), 'every post has words');
      const snippets = (dir: string) => cheerio.load(readFileSync(path.join(dir, 'blog.html')))('article .snip').map((_, p) => cheerio.load(p).text().trim()).get();
      assert.deepEqual(snippets(outDir), snippets(jekyllOut));
      return snippets(outDir);
    };
    assert.deepEqual(await compare(), ['A heading Some code... (5 words)', 'Hello world & friends.... (7 words)']);
    // Rebuilt into the same output with its cache: the page and the index follow the edited post,
    // here past its excerpt (the first paragraph), which the page's key holds already.
    writeFileSync(path.join(site, '_posts/2019-01-02-first.md'), post('title: First', 'Hello *world* & friends.\n\nA longer second paragraph, now.\n'));
    assert.deepEqual(await compare(), ['A heading Some code... (5 words)', 'Hello world & friends.... (9 words)']);
  });

  it('leaves a page or post that says sitemap: false out of the sitemap, as jekyll-sitemap does', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Hidden\nurl: https://hidden.example\n',
      '_posts/2019-01-02-listed.md': post('title: Listed'),
      '_posts/2019-01-03-unlisted.md': post('title: Unlisted\nsitemap: false'),
      'thanks.md': post('title: Thanks\nsitemap: false'),
    }));
    const locs = xml(result, '/sitemap.xml')('loc').map((_, loc) => xml(result, '/sitemap.xml')(loc).text()).get();
    assert.ok(locs.includes('https://hidden.example/2019/01/02/listed.html'), locs.join('\n'));
    assert.ok(!locs.some((loc) => /unlisted|thanks/.test(loc)), locs.join('\n'));
    assert.ok(result.manifest.has('/thanks.html') && result.manifest.has('/2019/01/03/unlisted.html'));
  });

  it('makes a link to another post\'s or page\'s Markdown file the address it is published at, as jekyll-relative-links does, and again when that moves', async () => {
    const site = makeSite({
      '_config.yml': 'title: Links\nbaseurl: /blog\n',
      '_posts/2020-01-01-a.md': post('title: A', 'See [about](../about.md), [the guide](../docs/guide.md#install), [B](2020-01-02-b.md), [missing](nope.md) and [elsewhere](https://x.example/a.md).\n'),
      '_posts/2020-01-02-b.md': post('title: B'),
      'about.md': post('title: About', 'Start at [the first post](_posts/2020-01-01-a.md).\n'),
      'docs/guide.md': post('title: Guide'),
    });
    const hrefs = (result: Awaited<ReturnType<typeof buildSite>>, url: string) => html(result, url)('.post-body a, main a').map((_, a) => a.attribs['href']).get();
    const first = await buildSite(site, { persistCache: true });
    assert.equal(first.diagnostics.count('error'), 0, messages(first).join('\n'));
    const links = hrefs(first, '/2020/01/01/a.html');
    for (const href of ['/blog/about.html', '/blog/docs/guide.html#install', '/blog/2020/01/02/b.html', 'nope.md', 'https://x.example/a.md']) assert.ok(links.includes(href), `${href} in ${links.join(' ')}`);
    assert.ok(hrefs(first, '/about.html').includes('/blog/2020/01/01/a.html'));
    // The guide moves: the link follows it, from the post cache too.
    writeFileSync(path.join(site, 'docs/guide.md'), post('title: Guide\npermalink: /guide/'));
    const second = await buildSite(site, { persistCache: true });
    assert.ok(second.cachedBodies > 0, 'the other bodies come from the cache');
    assert.ok(hrefs(second, '/2020/01/01/a.html').includes('/blog/guide/#install'));
  });

  it('gives Liquid every setting of _config.yml as site.*, as Jekyll does, and renders a post again when one changes', { skip: withoutJekyll }, async () => {
    const config = (name: string) => `title: Settings\nauthor:\n  name: ${name}\n  links: [a, b]\ngithub_username: octo\nposts: not the posts\n`;
    const site = makeSite({
      '_config.yml': config('Ann Lee'),
      '_posts/2020-01-01-a.md': post('title: A', 'By {{ site.author.name }} ({{ site.author.links | size }} links), @{{ site.github_username }}, {{ site.posts | size }} post.\n'),
    });
    const { jekyllOut } = await buildWithBoth(site);
    const jekyllText = cheerio.load(readFileSync(path.join(jekyllOut, '2020/01/01/a.html'), 'utf8'))('p').first().text();
    const first = await buildSite(site, { persistCache: true });
    assert.equal(html(first, '/2020/01/01/a.html')('.post-body p').first().text(), jekyllText);
    assert.equal(jekyllText, 'By Ann Lee (2 links), @octo, 1 post.');
    writeFileSync(path.join(site, '_config.yml'), config('Bo Chen'));
    const second = await buildSite(site, { persistCache: true });
    assert.equal(html(second, '/2020/01/01/a.html')('.post-body p').first().text(), 'By Bo Chen (2 links), @octo, 1 post.');
  });

  it('gives Liquid Jekyll\'s filters and page fields: dates in words, groups with sizes, a post\'s id, slug, collection and neighbours', { skip: withoutJekyll }, async () => {
    const lines = [
      '{{ page.date | date_to_string }} / {{ page.date | date_to_string: "ordinal", "US" }} / {{ page.date | date_to_long_string: "ordinal" }} / {{ page.date | date_to_long_string }}',
      '{% assign g = site.posts | group_by: "category" %}{% for x in g %}{{ x.name }}={{ x.size }};{% endfor %}',
      '{% assign h = site.posts | group_by_exp: "p", "p.date | date: \'%Y\'" %}{% for x in h %}{{ x.name }}={{ x.size }};{% endfor %}',
      '[{{ "  a   b  " | normalize_whitespace }}]',
      '{{ page.id }} {{ page.slug }} {{ page.collection }} {{ page.path }}',
      'next: {{ page.next.title }}, previous: {{ page.previous.title }}',
      '{{ site.posts | where: "category", "talks" | size }} {{ page.tags | array_to_sentence_string }} {{ "Hello World!" | slugify }} {{ page.date | date_to_xmlschema }}',
      // An empty output tag is nothing, as Jekyll renders it; in a raw block it stays.
      'empty [{{ }}] and [{{- -}}], raw {% raw %}[{{ }}]{% endraw %}',
      // Ruby's arithmetic: integers divide to integers (a float written as one does not), modulo takes the divisor's sign.
      '{{ 7 | divided_by: 2 }} {{ -7 | divided_by: 2 }} {{ "7" | divided_by: 2 }} {{ 1234 | divided_by: 200 | plus: 1 }} {{ 1234 | divided_by: 200.0 | ceil }} {{ 7.5 | divided_by: 2 }} {{ -7 | modulo: 3 }} {{ 7 | modulo: -3 }}',
      '{{ site.tags | size }} {{ site.categories | size }} {{ page.tags | size }}',
      // Jekyll's sort of a mapping: the usual tag index, [name, posts] pairs by name.
      '{% assign sorted = site.tags | sort %}{% for tag in sorted %}{{ tag[0] }}={{ tag[1].size }};{% endfor %}',
      // Jekyll's where and group_by compare the text of a list property; Ruby's Liquid flattens lists; inspect is Ruby's.
      '{{ site.posts | where: "tags", "a" | map: "title" | join: "," }} {% assign g = site.posts | group_by: "tags" %}{% for x in g %}{{ x.name }}={{ x.size }};{% endfor %} '
        + '{{ site.posts | map: "tags" | uniq | join: "," }} {{ page.tags | inspect }}',
      '{{ "/about/index.html" | strip_index }} {{ site.posts | pop: 2 | map: "title" | join: "," }} {{ site.posts | shift: 2 | map: "title" | join: "," }} '
        + '{% capture s %}it\'s --- a \'test\' <a href="/x">"q"</a> ...{% endcapture %}{{ s | smartify }}',
      // Ruby's Liquid reads `reversed` only right after the collection.
      '{% for p in site.posts limit:2 reversed %}{{ p.title }};{% endfor %} {% for p in site.posts reversed limit:2 %}{{ p.title }};{% endfor %}',
      '{% assign s = "Héllo Wörld & Straße, Ça (x)" %}{{ s | slugify }} / {{ s | slugify: "pretty" }} / {{ s | slugify: "ascii" }} / {{ s | slugify: "latin" }} / {{ s | slugify: "raw" }} / {{ s | slugify: "none" }}',
      // A float is a BigDecimal to Ruby's Liquid; text is a number as String#to_i reads it.
      '{{ 0.1 | plus: 0.2 }} {{ 1.1 | times: 3 }} {{ 0.3 | minus: 0.1 }} {{ 7.5 | modulo: 2 }} {{ -7.5 | modulo: 2 }} {{ 1 | divided_by: 7.0 }} {{ "2.50" | times: "2.50" }} {{ "12 people" | times: 2 }} {{ "abc" | plus: 1 }}'
        + ' / {{ "3.7" | to_integer }} {{ 3.99 | to_integer }} {{ "12 people" | to_integer }} {{ "x" | to_integer }} {{ true | to_integer }}',
      // Ruby's Liquid reads a quoted string as written, with no escapes (old Chirpy's search index escapes JSON with replace: '\', '\\\\').
      String.raw`{{ "a\nb" | size }} {{ 'p\q' }} {{ "C:\new\table" | replace: "\", "/" }} {{ 'x\y' | replace: '\', '\\\\' }} {% include bs.html s='a\b' %}`
        // replace is Ruby's gsub, whose replacement names the match and the text before and after it.
        + String.raw` {{ "abc" | replace: "b", "[\0\&\`\'\1]" }} {{ "abc" | replace: "", "-" }} {{ "abab" | replace_first: "b", "<\&>" }}`,
      // A listed post's neighbours, as its documents have them.
      '{% for p in site.posts %}{{ p.title }}>{{ p.next.title }}<{{ p.previous.title }};{% endfor %}',
      // Ruby's split(" "), Liquid's truncatewords and first, strftime's combined directives, a time kept in the offset it was written in (but by Jekyll's own filters).
      '{{ "  a  b c " | split: " " | join: "," }} {{ "hello world" | truncatewords: 2 }} {{ "hello world " | truncatewords: 2 }} [{{ "abc" | first }}]'
        + ' {{ "2024-03-05 14:07:09" | date: "%F %T %D %R %r %c %x %X %v" }} {{ "March 5, 2024" | date: "%F" }}'
        + ' {{ "2024-03-05T10:00:00+05:00" | date: "%H:%M %z" }} {{ "2024-03-05T10:00:00+05:00" | date_to_xmlschema }}',
      // Jekyll's push, where_exp and find give back what is not a list as it is.
      '{{ page.title | push: "z" }} {{ page.title | where_exp: "p", "p.x" }} {{ page.title | find: "a", "b" }} {{ 3 | unshift: 1 }}',
      // A page without a title has none, as Jekyll's page; `<>` is `!=`.
      '[{{ site.pages | sort: "path" | map: "title" | join: "," }}] {% if 1 <> 2 %}NE{% endif %}{% if 1 <> 1 %}EQ{% endif %}',
      // Ruby ends an output at its first }}, and passes by a quote left open.
      '{{ page.title | default: "Untitled }} [{{ "a }} b" }}] {% if page.title == "Middle %}Y{% else %}N{% endif %}',
      // strftime's ISO weeks (a week belongs to the year of its Thursday), which liquidjs lacks; %q, which Ruby lacks, as written.
      '{{ "2021-01-03" | date: "%G-%V %g %-V %_V" }} {{ "2019-12-30" | date: "%G-W%V" }} {{ "2020-12-31" | date: "%V" }} {{ page.date | date: "%V %q %%V" }}',
      // relative_url and absolute_url normalise an address as Jekyll's Addressable does: spaces, letters beyond ASCII, [ ] | escaped, dot segments gone.
      '{{ "/assets/My File.pdf" | relative_url }} {{ "/a/./b/../c[1]|x" | relative_url }} {{ "/café/?q=a b#x y" | absolute_url }} {{ "/x/%41%7e%2f%zz" | relative_url }} {{ "https://example.com/a b" | relative_url }}',
      // Nothing stays nothing (the last of a text is nothing); a whole number is seconds since 1970; site.time, "now" and "today" are the build's moment.
      '[{{ nil | relative_url }}] [{{ page.missing | absolute_url }}] [{{ "abc" | last | absolute_url }}] {{ 0 | date_to_string }} {{ 1700000000 | date_to_xmlschema }} {{ "1700000000" | date: "%F %T" }}'
        + ' {% assign t = site.time | date: "%s" | plus: 0 %}{% assign n = "Now" | date: "%s" | plus: 0 %}{% assign d = "today" | date_to_xmlschema | date: "%s" | plus: 0 %}{% if t > 1700000000 and n >= t and d >= t %}now{% endif %}',
    ];
    const site = makeSite({
      '_config.yml': 'title: Filters\n',
      '_includes/bs.html': String.raw`{{ include.s | replace: '\', '/' }}`,
      'about.md': post('title: About'),
      'notes.md': post(''),
      '_posts/2023-12-31-older.md': post('title: Older\ncategory: talks'),
      '_posts/2024-03-01-middle.md': post('title: Middle\ncategory: talks\ntags: [b, a]\nslug: in-the-middle', lines.join('\n\n') + '\n'),
      '_posts/2024-03-07-newer.md': post('title: Newer\ncategory: news'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const paragraphs = (file: string, scope: string) => cheerio.load(readFileSync(file, 'utf8'))(`${scope} p`).map((_, p) => cheerio.load(p).text().trim()).get();
    const jekyll = paragraphs(path.join(jekyllOut, 'talks/2024/03/01/in-the-middle.html'), 'body');
    assert.deepEqual(paragraphs(path.join(recapOut, 'talks/2024/03/01/in-the-middle.html'), '.post-body'), jekyll);
    assert.equal(jekyll[0], '01 Mar 2024 / Mar 1st, 2024 / 1st March 2024 / 01 March 2024');
    assert.equal(jekyll[4], '/talks/2024/03/01/in-the-middle in-the-middle posts _posts/2024-03-01-middle.md');
    assert.equal(jekyll[5], 'next: Newer, previous: Older');
    assert.equal(jekyll[8], '3 -4 3 7 7 3.75 2 -2');
    assert.equal(jekyll[9], '2 2 2');
    assert.equal(jekyll[10], 'a=1;b=1;');
    assert.equal(jekyll[11], 'Middle []=2;[“b”, “a”]=1; b,a ["b", "a"]');
    assert.equal(jekyll[12], '/about/ Newer Older it’s — a ‘test’ “q” …');
    assert.equal(jekyll[13], 'Newer;Middle; Middle;Newer;');
    assert.equal(jekyll[14], 'héllo-wörld-straße-ça-x / héllo-wörld-&-straße,-ça-(x) / h-llo-w-rld-stra-e-a-x / hello-world-strasse-ca-x / héllo-wörld-&-straße,-ça-(x) / héllo wörld & straße, ça (x)');
    assert.equal(jekyll[15], '0.3 3.3 0.2 1.5 0.5 0.14285714285714285 6.25 24 1 / 3 3 12 0 1');
    assert.equal(jekyll[16], String.raw`4 p\q C:/new/table x\y a/b a[bbac]c -a-b-c- aab`);
    assert.equal(jekyll[17], 'Newer><Middle;Middle>Newer<Older;Older>Middle<;');
    assert.equal(jekyll[18], 'a,b,c hello world hello world… [] 2024-03-05 14:07:09 03/05/24 14:07 02:07:09 PM Tue Mar  5 14:07:09 2024 03/05/24 14:07:09  5-MAR-2024 2024-03-05 10:00 +0500 2024-03-05T05:00:00+00:00');
    assert.equal(jekyll[19], 'Middle Middle Middle 3');
    assert.equal(jekyll[20], '[About,] NE');
    assert.equal(jekyll[21], 'Middle [ b” }}] N');
    assert.equal(jekyll[22], '2020-53 20 53 53 2020-W01 53 09 %q %V');
    assert.equal(jekyll[23], '/assets/My%20File.pdf /a/c%5B1%5D%7Cx /caf%C3%A9/?q=a%20b#x%20y /x/A~%2F%25zz https://example.com/a b');
  });

  it('reads quoted strings and Ruby\'s replacements in time bounded by the text, and stops a replacement that would grow as its square', async () => {
    const [outputs, unclosed, squared] = await eachBuiltQuickly([
      '{{ "\\\\" }}'.repeat(50000), `${'{% if "'.repeat(50000)}\\`, `{% capture s %}${'a'.repeat(200000)}{% endcapture %}{{ s | replace: "a", "\\\`" }}`,
      // An include parameter of escaped quotes never closed (once 100 s), quotes left open in outputs and tags.
      `{% include x.html a="${'\\"'.repeat(100000)} %}`, `${'{{ \' }} '.repeat(30000)}${'{% if "'.repeat(30000)} %}`,
    ]);
    assert.equal(outputs!.diagnostics.count('error'), 0, messages(outputs!).join('\n'));
    assert.ok(messages(unclosed!).some((m) => m.includes('error: Liquid: ')), messages(unclosed!).join('\n'));
    assert.ok(messages(squared!).some((m) => /error: Liquid: .*memory/.test(m)), messages(squared!).join('\n'));
  });

  it('builds a post\'s Liquid in time linear in its markup: 200,000 tokens (once 18 s), 6,000 highlight blocks (once 15 s, their <pre>s rewritten one by one)', async () => {
    const [outputs, highlights] = await eachBuiltQuickly(['{{ a }}B '.repeat(100000), '{% highlight js %}x{% endhighlight %}'.repeat(6000)]);
    assert.equal(html(outputs!, '/2024/01/01/a.html')('.post-body').text().split('B').length - 1, 100000);
    assert.equal(html(highlights!, '/2024/01/01/a.html')('.post-body pre code.language-js').length, 6000);
  });

  it('shows dates in Liquid as Jekyll does in the site\'s zone: {{ page.date }} as Ruby writes a time, and the date filters in that zone', { skip: withoutJekyll }, async () => {
    const body = 'A={{ page.date }} E={{ page.date | date: "%Y/%m/%d %H:%M %z" }} G={{ page.date | jsonify }} H={{ page.day | date: "%b %e" }} '
      + 'I={{ page.day | date_to_string }} J={{ page.day | date_to_xmlschema }} K={{ page.q | date: "%d %H:%M" }} L={{ page.date | date_to_rfc822 }} '
      + 'N={% for p in site.posts %}{{ p.date | date: "%Y-%m-%d %H:%M" }};{% endfor %}\n';
    // East of UTC, a date read as UTC midnight is the day before in the site's zone.
    const site = makeSite({
      '_config.yml': 'title: Zoned\ntimezone: Asia/Shanghai\n',
      '_posts/2024-03-06-a.md': post('title: A\nday: 2021-03-04\nq: "2021-03-04 23:30"', body),
      '_posts/2024-03-07-b.md': post('title: B\ndate: 2024-03-07 07:30:00 +0800'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const text = (file: string, scope: string) => cheerio.load(readFileSync(file, 'utf8'))(`${scope} p`).first().text().trim();
    const jekyll = text(path.join(jekyllOut, '2024/03/06/a.html'), 'body');
    assert.equal(text(path.join(recapOut, '2024/03/06/a.html'), '.post-body'), jekyll);
    assert.equal(jekyll, 'A=2024-03-06 00:00:00 +0800 E=2024/03/06 00:00 +0800 G=”2024-03-06 00:00:00 +0800” H=Mar  4 I=04 Mar 2021 J=2021-03-04T00:00:00+08:00 K=04 23:30 '
      + 'L=Wed, 06 Mar 2024 00:00:00 +0800 N=2024-03-07 07:30;2024-03-06 00:00;');
  });

  it('gives Liquid site.data from folders of _data/, site.html_pages, site.static_files, site.documents and site.collections, as Jekyll does', { skip: withoutJekyll }, async () => {
    const lines = [
      '{{ site.data.nav.menu.main[0].title }} {{ site.data.table[0].b }}',
      '{{ site.html_pages | size }} {{ site.html_pages | map: "url" | join: "," }}',
      '{{ site.static_files | map: "path" | join: "," }} {{ site.static_files | map: "extname" | join: "," }} {{ site.static_files | map: "basename" | join: "," }}',
      '{{ site.documents | size }} {{ site.collections | map: "label" | join: "," }} {{ site.talks | map: "title" | join: "," }}',
      // A page's folder and name, and no date unless it gives one; a post's relative_path.
      '{% for p in site.html_pages %}{{ p.dir }} {{ p.name }} [{{ p.date }}]{% endfor %} {{ site.posts.first.relative_path }}',
      // The page's own content while Liquid runs: its text as written.
      '{{ page.content | size }} {{ page.content | slice: 0, 9 }}',
    ];
    const site = makeSite({
      '_config.yml': 'title: Data\ncollections:\n  talks:\n    output: true\n',
      '_talks/first.md': post('title: First talk'),
      '_data/nav/menu.yml': 'main:\n  - title: Home\n    url: /\n',
      '_data/table.csv': 'a,b\n1,2\n',
      'assets/file.txt': 'x\n',
      'about.md': post('title: About'),
      'feed.json': '---\n---\n{}\n',
      '_posts/2024-03-06-a.md': post('title: A', lines.join('\n\n') + '\n'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const paragraphs = (file: string, scope: string) => cheerio.load(readFileSync(file, 'utf8'))(`${scope} p`).map((_, p) => cheerio.load(p).text().trim()).get();
    const jekyll = paragraphs(path.join(jekyllOut, '2024/03/06/a.html'), 'body');
    assert.deepEqual(paragraphs(path.join(recapOut, '2024/03/06/a.html'), '.post-body'), jekyll);
    assert.deepEqual(jekyll, ['Home 2', '1 /about.html', '/assets/file.txt .txt file', '2 posts,talks First talk', '/ about.md [] _posts/2024-03-06-a.md', '604 {{ site.d']);
    // A file added is listed on the next build, the post's body cache notwithstanding.
    await buildSite(site, { persistCache: true });
    writeFileSync(path.join(site, 'assets/new.css'), 'p {}\n');
    const again = await buildSite(site, { persistCache: true });
    assert.equal(html(again, '/2024/03/06/a.html')('.post-body p').eq(2).text(), '/assets/file.txt,/assets/new.css .txt,.css file,new');
  });

  it('keeps a site\'s own feed at its URL, with Recap\'s feed in it', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Feeds\nurl: https://feeds.example\n',
      '_posts/2019-01-02-first.md': post('title: First'),
      'atom.xml': '---\nlayout: null\n---\n<?xml version="1.0"?><feed>{% for post in site.posts %}{{ post.title }}{% endfor %}</feed>\n',
    }));
    assert.equal(output(result, '/atom.xml'), output(result, '/feed.xml'));
    assert.match(output(result, '/atom.xml'), /<title>First<\/title>/);
  });
});

describe('what Jekyll sites write', () => {
  it('decodes character references in titles and descriptions to text, never to markup', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://refs.example\n',
      'posts/2024-03-06-a.md': post('title: "Monthly Meetup&mdash;Introductory Emacs Lisp"\ndescription: "Caf&eacute; talks &amp; more"'),
      'posts/2024-03-07-b.md': post('title: "&lt;script&gt;alert(1)&lt;/script&gt;"'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/03/06/a/');
    assert.equal($('h1').text(), 'Monthly Meetup—Introductory Emacs Lisp');
    assert.equal($('meta[name="description"]').attr('content'), 'Café talks & more');
    assert.doesNotMatch(output(result, '/2024/03/06/a/'), /&amp;mdash;|&mdash;/);
    const b = html(result, '/2024/03/07/b/');
    assert.equal(b('h1').text(), '<script>alert(1)</script>');
    assert.equal(b('h1 script').length, 0, 'decoded text is escaped again');
    assert.match(output(result, '/feed.xml'), /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
  });

  it('shows a post\'s and a page\'s subtitle under the title, as text, as Beautiful Jekyll and Clean Blog posts carry one', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Subtitles\n',
      '_posts/2024-03-06-a.md': post('title: A\nsubtitle: "Three talks &mdash; and <b>pizza</b>"'),
      'about.md': post('title: About\nsubtitle: Who we are'),
      '_posts/2024-03-07-b.md': post('title: B\nsubtitle: [not, text]'),
    }));
    const $ = html(result, '/2024/03/06/a.html');
    assert.equal($('.post-header h1 + p.post-subtitle').text(), 'Three talks — and <b>pizza</b>');
    assert.equal($('.post-subtitle b').length, 0, 'shown as text, never as markup');
    assert.equal(html(result, '/about.html')('h1 + p.post-subtitle').text(), 'Who we are');
    assert.match(messages(result).join('\n'), /^_posts\/2024-03-07-b\.md:3:\d+ warning: .*subtitle must be text, like subtitle: "Hosted by the Leeds Library"/m);
  });

  it('describes the home pages by the site\'s own home page where the settings have no description, as Beautiful Jekyll\'s index.html does', async () => {
    const site = (index: string, settings = '') => makeSite({
      '_config.yml': `title: Homes\npaginate: 1\n${settings}`,
      'index.html': `---\nlayout: home\n${index}\n---\n`,
      '_posts/2024-03-06-a.md': post('title: A'),
      '_posts/2024-03-07-b.md': post('title: B'),
    });
    const description = (result: Awaited<ReturnType<typeof buildSite>>, url: string) => html(result, url)('meta[name="description"]').attr('content');
    const bySubtitle = await buildSite(site('subtitle: Where I tell my friends too much'));
    assert.equal(description(bySubtitle, '/'), 'Where I tell my friends too much');
    assert.equal(description(bySubtitle, '/page2/'), 'Where I tell my friends too much');
    assert.equal(description(await buildSite(site('subtitle: S\ndescription: Its own')), '/'), 'Its own');
    assert.equal(description(await buildSite(site('subtitle: S', 'description: The site\'s\n')), '/'), 'The site\'s');
  });

  it('gives a tag and a speaker of hundreds of letters a page, its address cut at a word to fit a file name', async () => {
    const tag = 'Observability '.repeat(30).trim();
    const speaker = `Maria ${'Fernanda '.repeat(30)}Silva`;
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://long.example\n',
      'posts/2024-03-06-a.md': post(`title: A\ntags: ["${tag}"]\nvideo: https://www.youtube.com/watch?v=dQw4w9WgXcQ\ntalks:\n  - title: Tracing\n    speaker: "${speaker}"\n    start: 60`),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/03/06/a/');
    const tagHref = $('.tag-list a').attr('href')!;
    const speakerHref = $('.talk-speaker a').attr('href')!;
    assert.match(tagHref, /^\/tags\/observability(-observability)+\/$/);
    assert.match(speakerHref, /^\/speakers\/maria(-fernanda)+\/$/);
    for (const href of [tagHref, speakerHref]) {
      assert.ok(Buffer.byteLength(href.split('/')[2]!) <= 200, href);
      assert.ok(result.manifest.get(href), href);
    }
    assert.equal(html(result, tagHref)('h1').text().includes(tag), true);
    assert.equal(html(result, speakerHref)('h1').text(), speaker);
  });

  it('gives tags that slugify alike distinct, stable pages, tags in any script pages of their own, and says when two spellings share one', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://tags.example\n',
      'posts/2024-03-06-a.md': post('title: A\ntags: ["C++", "Rust", "Node.js"]'),
      'posts/2024-03-07-b.md': post('title: B\ntags: ["C#", "rust", "Node JS"]'),
      // Tags in other scripts keep their letters (they shared one page, /tags/tag/, with a warning), Latin ones lose their accents.
      'posts/2024-03-08-c.md': post('title: C\ntags: ["東京", "Москва", "東京 2024", "Café"]'),
    }));
    const $ = html(result, '/tags/');
    const tags = $('main li a').map((_, a) => `${$(a).text()} ${$(a).attr('href')}`).get();
    assert.ok(tags.includes('C++ /tags/c-plus-plus/') && tags.includes('C# /tags/c-sharp/'), tags.join('\n'));
    for (const [tag, slug] of [['東京', '東京'], ['Москва', 'москва'], ['東京 2024', '東京-2024'], ['Café', 'cafe']]) {
      assert.ok(tags.includes(`${tag} /tags/${encodeURIComponent(slug)}/`), tags.join('\n'));
      assert.equal(html(result, `/tags/${slug}/`)('h1').text().includes(tag), true, tag);
    }
    assert.ok(result.manifest.get('/tags/c-plus-plus/') && result.manifest.get('/tags/c-sharp/'));
    const warnings = messages(result).filter((m) => m.includes('warning'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /^posts\/2024-03-0[67]-[ab]\.md warning: tags "Node[. ]JS?" and "Node[. ]JS?" \(posts\/2024-03-0[67]-[ab]\.md\) share the page \/tags\/node-js\//i);
  });
});

describe('kramdown\'s attribute lists in a Jekyll site\'s posts (Debian\'s jekyll as the oracle)', () => {
  const KRAMDOWN_BODY = `{: .before}
Para one.

Para two.
{: .after #p2}

Standalone below blank.

{: .standalone}

Next para.

## Heading
{: #custom-h .h}

### Heading two {#h2id}

[link](https://x.example){:target="_blank"} and [l2](https://y.example){: .btn rel="nofollow"} and ![img](/a.png){: .align-center width="300"} and *em*{:.red} and \`code\`{:.c}.

- a
- b
{: .list}

> quote
{: .q}

\`\`\`ruby
x = 1
\`\`\`
{: .lineno}

{:.table}
| a | b |
|---|---|
| 1 | 2 |

| c | d |
|---|--:|
| 3 | 4 |
{: .table-below}

* TOC
{:toc}

## Later heading

## 2020 plans: C++ & C# "quoted" -- now...

### Émoji 🎉 日本語, \`code\` and [a link](https://x.example/l)

{::comment}
hidden text
{:/comment}

{::nomarkdown}
<div class="raw">*not md*</div>
{:/nomarkdown}

{::options parse_block_html="true" /}

Span {::nomarkdown}<b class="nm">raw *kept* "as is"</b>{:/nomarkdown} and {::comment}hidden text{:/comment}end {::nomarkdown}x{:/}.

Shown as code: \`{::comment}kept{:/}\`.

Text with {: .inline} in middle and {not ial}.

{:ref: .refclass}

Uses ref.
{: ref}

Callout first.
{: .mid-a}
Callout second **strong
{: .mid-b}
still** text.

`;

  it('gives blocks, spans and headings the classes, ids and attributes Jekyll gives them, and makes {:toc} the table of contents', { skip: withoutJekyll }, async () => {
    const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': 'title: Kramdown\n', '_posts/2024-01-01-ial.md': post('title: Attribute lists', KRAMDOWN_BODY) }));
    const jekyll = cheerio.load(readFileSync(path.join(jekyllOut, '2024/01/01/ial.html')));
    const recap = cheerio.load(readFileSync(path.join(recapOut, '2024/01/01/ial.html')));
    const body = recap('.post-body');
    for (const selector of ['p.before', 'p.after#p2', 'p.standalone', '#custom-h.h', '#h2id', 'a[target="_blank"][href="https://x.example"]', 'a.btn[rel="nofollow"]', 'img.align-center[width="300"]',
      'em.red', 'code.c', 'ul.list', 'blockquote.q', 'table.table', 'table.table-below', 'p.refclass', 'ul#markdown-toc', 'p.mid-a', 'p.mid-b']) {
      assert.equal(jekyll(selector).length, 1, `Jekyll: ${selector}`);
      assert.equal(body.find(selector).length, 1, `Recap: ${selector}`);
    }
    // A list between a paragraph's lines ends it there, as kramdown reads it: each part a paragraph, Markdown read part by part.
    const parts = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => root.find('p.mid-a, p.mid-a ~ p').slice(0, 3).map((_, p) => `${$(p).attr('class') ?? ''}:${$(p).html()}`).get();
    assert.deepEqual(parts(recap, body), parts(jekyll, jekyll.root()));
    const toc = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => root.find('#markdown-toc a').map((_, a) => `${$(a).parents('ul').length}:${$(a).attr('href')}:${$(a).text()}`).get();
    assert.deepEqual(toc(recap, body), toc(jekyll, jekyll.root()));
    // Every heading's id is the one Jekyll gives it (kramdown's GFM parser): old #anchors hold.
    const ids = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => root.find('h1, h2, h3, h4, h5, h6').map((_, h) => $(h).attr('id') ?? '').get();
    assert.deepEqual(ids(recap, body), ids(jekyll, jekyll.root()));
    assert.ok(ids(recap, body).includes('2020-plans-c--c-quoted--now'), ids(recap, body).join(', '));
    assert.match(recap('.post-body code.lineno, .post-body pre.lineno').attr('class') ?? '', /lineno/);
    const withoutCode = (root: cheerio.Cheerio<any>) => root.clone().find('code').remove().end().text();
    assert.doesNotMatch(withoutCode(jekyll.root()), /\{:(?! \.inline)|hidden text/);
    assert.doesNotMatch(withoutCode(body), /\{:(?! \.inline)|hidden text/, 'no attribute list or comment is shown');
    // An extension in a code span is the code's text, as kramdown reads code first.
    const codes = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => root.find('p code').map((_, c) => $(c).text()).get().filter((t) => t.includes('{::'));
    assert.deepEqual(codes(recap, body), codes(jekyll, jekyll.root()));
    assert.deepEqual(codes(recap, body), ['{::comment}kept{:/}']);
    assert.match(body.text(), /Text with \{: \.inline\} in middle and \{not ial\}\./, 'a list inside a line is text, as in kramdown');
    // Extensions within a line: a comment goes, nomarkdown's text is written as it is.
    const span = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => $(root.find('b.nm').parent()).text().trim();
    assert.equal(span(recap, body), span(jekyll, jekyll.root()));
    assert.equal(span(recap, body), 'Span raw *kept* "as is" and end x.');
    // The attribute list under a table is the table's, not a row of one cell.
    const rows = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => root.find('table tr').map((_, tr) => $(tr).text().replace(/\s+/g, ' ').trim()).get();
    assert.deepEqual(rows(recap, body), rows(jekyll, jekyll.root()));
    assert.equal(recap('meta[name="description"]').attr('content'), 'Para one.', 'the first paragraph, without its list');
  });

  it('reads $$ math where kramdown reads it, as inline or display math, and shows each formula as MathML', { skip: withoutJekyll }, async () => {
    const body = 'The roots are $$ x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a} $$ here, and \\$$ is money.\n\n$$\n\\sum_{i=1}^n i = \\frac{n(n+1)}{2}\n$$\n\n'
      + 'Code keeps it: `$$x$$`.\n\n$$ \\frac{ $$ cannot be read.\n\nA line\n$$ y^2 $$\nin a paragraph.\n\n| a | $$z_1$$ |\n|---|---|\n| 1 | 2 |\n';
    const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': 'title: Math\n', '_posts/2024-01-01-m.md': post('title: Math', body) }));
    // kramdown writes each formula for MathJax as \(...\) or \[...\]; Recap writes it as MathML, its TeX kept as its annotation.
    const jekyll = [...readFileSync(path.join(jekyllOut, '2024/01/01/m.html'), 'utf8').matchAll(/\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]/g)]
      .map((m) => (m[1] !== undefined ? `inline ${m[1].trim()}` : `display ${m[2]!.trim()}`));
    const $ = cheerio.load(readFileSync(path.join(recapOut, '2024/01/01/m.html')));
    const recap = $('.post-body math, .post-body code.math-error').map((_, e) => (e.tagName === 'code'
      ? `inline ${$(e).text().replace(/^\\\(|\\\)$/g, '').trim()}`
      : `${$(e).attr('display') === 'block' ? 'display' : 'inline'} ${$(e).find('annotation[encoding="application/x-tex"]').text().trim()}`)).get();
    assert.deepEqual(recap, jekyll);
    assert.equal(jekyll.length, 5);
    assert.match($('.post-body').text(), /and \$\$ is money/);
    assert.equal($('.post-body code').first().text(), '$$x$$');
  });

  it('turns only so much TeX (and so many formulas) into MathML a post, and a formula it cannot read into its text, without a stack trace; leaves a Recap site\'s $$ as written', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `$$ x_{${i}} + \\frac{a}{b} + \\sqrt{c} + \\sum_{k=1}^{n} k^2 $$`).join(' ');
    const deep = `$$ ${'\\sqrt{'.repeat(5000)}x${'}'.repeat(5000)} $$ and $$ \\def\\a{\\a\\a}\\a $$`;
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Hostile math\n',
      '_posts/2024-01-01-many.md': post('title: Many', `${many}\n`),
      '_posts/2024-01-02-deep.md': post('title: Deep', `${deep}\n`),
      '_posts/2024-01-03-tiny.md': post('title: Tiny', `${'$$x$$ '.repeat(2500)}\n`),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const formulas = html(result, '/2024/01/01/many.html')('.post-body math').length;
    assert.ok(formulas > 1000 && formulas < 2000, `${formulas} formulas drawn: the rest, past 64 KiB of TeX, stay text`);
    assert.equal(html(result, '/2024/01/02/deep.html')('.post-body code.math-error').length, 2);
    assert.equal(html(result, '/2024/01/03/tiny.html')('.post-body math').length, 2000, 'and at most 2000 formulas, however small');
    const recap = await buildSite(makeSite({ 'recap.yml': 'title: Money\n', 'posts/2024-01-01-a.md': post('title: A', 'Pizza: $$ five $$ each.\n') }));
    assert.equal(html(recap, '/2024/01/01/a/')('.post-body p').text(), 'Pizza: $$ five $$ each.');
  });

  it('ends a table at a line without a pipe, as kramdown does: text straight under a table is a paragraph, not a row', async () => {
    const body = '| Talk | Minutes |\n|---|--:|\n| Webhooks | 25 |\nDoors open at six.\n\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n> {: .in-quote}\n\n> A quote\nwith a lazy line.\n';
    const result = await buildSite(makeSite({ 'recap.yml': 'title: Tables\n', 'posts/2024-01-01-t.md': post('title: Tables', body) }));
    const $ = html(result, '/2024/01/01/t/');
    const rows = $('.post-body table').first().find('tr').map((_, tr) => $(tr).text().replace(/\s+/g, ' ').trim()).get();
    // (Jekyll makes such a table and its line one paragraph of pipes: Recap keeps the table.)
    assert.deepEqual(rows, ['Talk Minutes', 'Webhooks 25']);
    assert.equal($('.post-body > p').first().text(), 'Doors open at six.');
    assert.equal($('.post-body blockquote table.in-quote tr').length, 2, 'inside a quote too, its attribute list the table\'s');
    assert.equal($('.post-body blockquote').last().text().replace(/\s+/g, ' ').trim(), 'A quote with a lazy line.', 'a quote\'s lazy line is still the quote\'s');
  });

  it('makes kramdown\'s tables without a header row as Jekyll does: a line of pipes alone, rows above the first separator as the header, a footer after |===|', { skip: withoutJekyll }, async () => {
    const bodies = [
      '[Slides](https://slides.example/) | [Video](https://video.example/)',
      'a | b\n`c | d`',
      '| a |\n| b |\n|---|\n| c |\n|===|\n| f |',
      '| a | b |\n| c |',
      'x |',
      '- list | item',
      '> quote | x',
      'Para\nnext | line',
      'a | b\nno pipe line',
      '| a \\| b | c |',
      '`only | code`',
      '**a** | b *c*',
      '| a | b | c |\n| 1 | 2 | 3 |\n|:--|:-:|--:|\n| x | y | z |\n{: .talk-times}',
      '  indented | two\n  a|b|c',
      // GFM's tables too, as kramdown reads them: a pipe in a code span stays in the cell, and every row is as wide as the widest.
      '| Type | Example |\n|------|---------|\n| union | `string | number` |\n| esc | `a\\|b` |\n| plain | a | b |',
      '- item\n\n  | a | b |\n  |---|---|\n  | `x|y` | z |',
    ];
    const built = await pagesBesideJekyll('t', bodies, 'title: Tables\n');
    // Each table as its sections' rows of cells, and the text around the tables.
    const shape = ($: cheerio.CheerioAPI, root: string) => ({
      tables: $(`${root} table`).map((_, table) => [$(table).children('thead, tbody, tfoot').map((_, section) => `${section.tagName}: ${$(section).find('tr').map((_, tr) => $(tr).children().map((_, cell) => $(cell).text().trim()).get().join(' | ')).get().join(' / ')}`).get().join(' ; ')]).get(),
      text: $(root).text().replace(/\s+/g, ' ').trim(),
      classes: $(`${root} table`).map((_, table) => $(table).attr('class')?.split(/\s+/).filter((c) => c !== '') ?? []).get().join(' '),
    });
    for (const { body, recap, jekyll } of built) assert.deepEqual(shape(recap, '.post-body'), shape(jekyll, 'body'), body);
    // A hostile post's tables stay as cheap as its length: one row 100,000 cells wide over 10,000 short ones is a paragraph.
    for (const result of await eachBuiltQuickly([`${'|'.repeat(100000)}\n${'a|\n'.repeat(10000)}`, `${'`` ` '.repeat(20000)}|`, 'a | b\n'.repeat(20000), `a | b\n|${'-'.repeat(200000)}x|\n|${'='.repeat(200000)}x|`])) {
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    }
  });

  it('keeps an HTML element raw to its end tag, blank lines and all, and reads Markdown again after it and in elements marked markdown="1" wherever they are, as kramdown does', { skip: withoutJekyll }, async () => {
    const bodies = [
      '<div class="note">\n\n**Bold** text\n\n</div>',
      '<details>\n<summary>More</summary>\n\n- item *one*\n- item two\n\n</details>',
      '<p>para <em>x</em></p>\n*md after*',
      '<center>\n\n## Heading\n\n</center>',
      '<aside>\n\n*aside md*\n\n</aside>\n\n*after the aside*',
      '<div>\n<div>\n\n*nested*\n\n</div>\n\n*still raw*\n\n</div>\n*md again*',
      '> <div>\n>\n> *quoted raw*\n>\n> </div>\n\n*after quote*',
      '<div markdown="1">\n*inside md*\n</div>',
      '<span>inline *span*</span> and *more*',
      '<div>\n\n*never closed*',
      '<figure>\n  <img src="/x.png" alt="x">\n  <figcaption>A *caption*</figcaption>\n</figure>\n\n```\n</div>\n```',
      // Elements marked markdown="1" wherever they are: on one line, with text after the tag, inside other HTML, in a marked element.
      '<p class="title" markdown="1">**Name:** value</p>\n<p markdown="1">**b)** *second*</p>', '<div class="box-warning" markdown="1">**Note**.\n\nSet the [proxy](/x.html) *first*.\n</div>',
      '<ul class="updates">\n  <li class="new"><span markdown="1">**New [API](a.html)** to *gather*</span></li>\n</ul>', '<div class="section" markdown="1">**Optional**<br>If you *want*:\n</div>',
      '<div markdown="1">\n<p markdown="1">*inner*</p>\n</div>',
    ];
    const text = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const { body, recap: $r, jekyll: $j } of await pagesBesideJekyll('h', bodies, 'title: HTML\n')) {
      assert.equal(text($r('.post-body').text()), text($j('body').text()), body);
      assert.deepEqual($r('.post-body em').map((_, em) => $r(em).text()).get(), $j('body em').map((_, em) => $j(em).text()).get(), `${body}: what is emphasis`);
      assert.deepEqual($r('.post-body strong, .post-body a').map((_, e) => `${e.tagName}:${$r(e).text()}`).get(), $j('body strong, body a').map((_, e) => `${e.tagName}:${$j(e).text()}`).get(), `${body}: what is strong or a link`);
      assert.equal($r('.post-body [markdown]').length, 0, `${body}: no markdown attribute is written out`);
    }
    // A hostile post's unclosed or deeply nested elements cost its length once; nested past 512 (where browsers stop), they are left out, as Jekyll's build goes on.
    const hostile = await eachBuiltQuickly(['<div>\n'.repeat(50000), `${'<div>\n\n'.repeat(20000)}${'</div>\n'.repeat(20000)}`, `${'<section><div>\n'.repeat(20000)}</section>`,
      `- a\n\n${'  <div>\n\n'.repeat(60000)}\n${'</div>\n'.repeat(60000)}`, '<p markdown="1">x\n'.repeat(20000)]);
    hostile.forEach((result, i) => {
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
      assert.deepEqual(messages(result).filter((m) => m.includes('[R316]')).map((m) => m.split('\n')[0]),
        i < 3 ? ['_posts/2024-01-01-a.md:4 warning: raw HTML whose elements nest more than 512 deep (browsers nest no deeper): left out [R316]'] : []);
    });
  });

  it('makes quotes curly by kramdown\'s rules, as Jekyll does: the \'90s, 5\'10", an unpaired quote, quotes beside emphasis, code, links and dashes', { skip: withoutJekyll }, async () => {
    const bodies = [
      'It\'s the \'90s and "quoted" text, \'single\' too.',
      'rock \'n\' roll, 5\'10" tall, the 80\'s, Jones\' book',
      '\'tis the season; \'99 was good; don\'t; o\'clock',
      '""empty"" and \'\' and ""',
      'Quote at end of line "\nnext line" and \'a\nb\'',
      '"*emphasis*" and \'**strong**\' and *"inside em"*',
      '["link text"](http://x.y/) and "[link](http://x.y/)" and **bold**\'s and `code`\'s',
      '`code "q"` then "after code" and "`code`"',
      '# "Heading" with \'quotes\'',
      '| "a" | \'b\' |\n|---|---|\n| c\'s | "d" |',
      'Quote: "a", \'b\'; "c"! \'d\'? ("e") ["f"] Ends with quote "',
      'He said "\'Quoted\' words in a larger quote." \'"Mixed" start\' x"y\'z w"',
      '"..." and \'...\' and "--" and \'a--b\' and A \\"escaped\\"',
      '"hello"world" test, numbers \'12 and \'1234s and \'ab, \'s start and s\' end',
    ];
    const text = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const { body, recap, jekyll } of await pagesBesideJekyll('q', bodies, 'title: Quotes\n')) assert.equal(text(recap('.post-body').text()), text(jekyll('body').text()), body);
  });

  it('nests a list of the other kind written under an item with less indent than its text, as kramdown does (1. Step, then  - detail)', { skip: withoutJekyll }, async () => {
    const bodies = [
      '1. one\n  - nested two\n2. two',
      '1. one\n - nested one\n2. two',
      '10. ten\n   - three under ten\n11. eleven',
      '- a\n 1. numbered under a bullet\n- b',
      '1. Step one\n  * star\n  * second star\n1. Step two\n  + plus',
      '1. one\n  - a\n    continued text\n2. two',
      '- a\n - b',
      '1. one\n\n  - after a blank line\n\n2. two',
      '   1. indented three\n    - four under\n   2. next',
      '```\n1. in code\n  - not moved\n```',
      // Not indented at all, too: a numbered step's bullets written flush under it, then the next step.
      '- a\n1. one\n2. two\n- b', '1. Install\n- run npm install\n- run the build\n2. Deploy', '- a\n\n1. after a blank line',
    ];
    // Each list as the text of its items, nested lists in brackets.
    const shape = ($: cheerio.CheerioAPI, list: ReturnType<cheerio.CheerioAPI>): string => list.children('li').map((_, li) => {
      const own = $(li).clone().children('ul, ol').remove().end().text().replace(/\s+/g, ' ').trim();
      const nested = $(li).children('ul, ol').map((_, inner) => `${inner.tagName}[${shape($, $(inner))}]`).get().join(' ');
      return nested ? `${own} ${nested}` : own;
    }).get().join(' | ');
    const lists = ($: cheerio.CheerioAPI, root: string) => $(root).children('ul, ol').map((_, list) => `${list.tagName}[${shape($, $(list))}]`).get();
    for (const { body, recap: $r, jekyll: $j } of await pagesBesideJekyll('l', bodies, 'title: Lists\n')) {
      assert.deepEqual(lists($r, '.post-body'), lists($j, 'body'), body);
      assert.equal($r('.post-body pre').text(), $j('body pre').text(), `${body}: its code`);
    }
  });

  it('wraps a list item\'s first paragraph in <p> item by item, as kramdown decides it, not the whole list once one item is loose', { skip: withoutJekyll }, async () => {
    const bodies = [
      '- a\n- b\n- c', '- a\n\n- b\n- c', '- a\n- b\n\n- c', '- a\n\n- b\n\n- c', '1. a\n2. b\n\n   more b\n3. c',
      '- a\n- b\n\n  ```\n  code\n  ```\n- c', '- a\n\n  - x\n  - y\n\n- b', '> - a\n>\n> - b\n> - c', '- a\n\n', '- a\n  b\n\n  c\n- d\n- e', '- a\n\n  > q\n- b\n- c',
    ];
    const built = await pagesBesideJekyll('p', bodies.map((body) => `${body}\n\nEND`), 'title: Paragraphs\n');
    // Each item as whether its first child is a <p>, lists in order.
    const wrapped = ($: cheerio.CheerioAPI, root: string) => $(`${root} li`).map((_, li) => `${$(li).children().first().is('p') ? 'p' : '-'}:${$(li).contents().first().text().trim() || $(li).children().first().text().trim()}`).get().join(' ');
    for (const { body, recap, jekyll } of built) assert.equal(wrapped(recap, '.post-body'), wrapped(jekyll, 'body'), body);
    assert.equal(wrapped(built[5]!.recap, '.post-body'), '-:a p:b -:c');
  });

  it('starts and ends blocks where kramdown does (1) is text, any number starts a list, --- under two lines is a dash, no table under a line, <img> starts a paragraph, bullets may change within a list) and reads links with spaces in their addresses', { skip: withoutJekyll }, async () => {
    const bodies = [
      '1) install it\n2) run it', 'Steps:\n1) not a list', '* a\n* b\n1) c', '> 1) quoted',
      'Our year:\n2019. A year to remember', '3. three\n4. four', '1. one\n2. two\n{: start="3"}',
      'para one\npara two\n---', 'para one\npara two\n===', 'Line one\n---', 'Line one\n===\nnext', 'Indented\n   ===', '- item\n  ---',
      'text\n***', 'text\n* * *', 'text\n- - -', 'text\n___', '- a\n***', 'Schedule:\n| Time | Talk |\n|------|------|\n| 18:00 | Intro |',
      '<img src="/a.jpg" alt="group">\n*Our group at the meetup*', '<br/>\n```shell\n  code\n```', '<span>\n*em*\n</span>', 'Noted[^a].\n\n[^a]: A note.\n___\nafter',
      // An attribute list's line ends a paragraph: the block under it takes its attributes.
      '{:.x}\nTitle\n---', '{: .z}\n***', '{:.table}\n| a | b |\n|---|---|\n| 1 | 2 |', 'para\n{: .y}\nnext line',
      'See [the slides](/files/my slides.pdf), [notes](notes file.md "Notes"), [x](  /a b/c  ), [y](/p(1) q) and [w](/a b \'T\')',
      '![A shot](/images/Screen Shot 2019.png) and [![inner](/a b.png)](/c d/)', '[plain](/a) [angle](</a b>) [broken](/a b "no end',
    ];
    // Text as shown (Recap's footnote back link is ↩ as text, U+FE0E, where kramdown's is the bare arrow).
    const text = (s: string) => s.replace(/\uFE0E/g, '').replace(/\s+/g, ' ').trim();
    // The page's blocks (their tags, a list's start, their classes but Rouge's), links and images as a visitor meets them (an address's %20 is its space).
    const shape = ($: cheerio.CheerioAPI, root: string) => ({
      text: text($(root).text()),
      blocks: $(root).find('*').filter((_, e) => /^(p|h\d|ol|ul|li|hr|blockquote|table|tr|pre|em)$/.test(e.tagName)).map((_, e) => `${e.tagName}${$(e).attr('start') ?? ''}${$(e).attr('class') && e.tagName !== 'pre' ? `.${$(e).attr('class')}` : ''}`).get().join(' '),
      links: $(root).find('a[href]:not(.heading-link)').map((_, a) => `${decodeURI($(a).attr('href')!)}|${$(a).attr('title') ?? ''}=${text($(a).text())}`).get(),
      images: $(root).find('img').map((_, img) => `${decodeURI($(img).attr('src')!)}|${$(img).attr('alt')}`).get(),
    });
    // A list whose items change bullets is one list, as kramdown reads it (CommonMark starts a new list at each change).
    const lists = ['- a\n* b\n+ c', '- a\n\n* b', '- a\n  * nested\n  - nested two\n* b', '> - a\n> * b', '- a\n\nPara\n\n* b', '    - code\n    * code'];
    const built = [...await pagesBesideJekyll('b', bodies, 'title: Blocks\n'), ...await pagesBesideJekyll('l', lists, 'title: Lists\n')];
    for (const { body, recap, jekyll } of built) {
      const [made, expected] = [shape(recap, '.post-body'), shape(jekyll, 'body')];
      // Recap's theme starts a post's headings at <h2> (the page's title is its <h1>): only their level differs.
      assert.deepEqual({ ...made, blocks: made.blocks.replace(/h\d/g, 'h') }, { ...expected, blocks: expected.blocks.replace(/h\d/g, 'h') }, body);
    }
    // An address is looked for so far only, and lists are joined in one pass: a post of links never closed, or of bullets changing, costs its length.
    for (const result of await eachBuiltQuickly(['[a](b c '.repeat(20000), '![a](b c "'.repeat(20000), '- a\n* b\n'.repeat(20000)])) {
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    }
  });

  it('writes footnotes, definition lists and abbreviations as Jekyll does, the footnotes\' ids too', { skip: withoutJekyll }, async () => {
    const body = 'Text with a note[^1] and another[^note].\n\nSecond ref[^1].\n\n[^1]: The first note.\n[^note]: Named *note*.\n    Continued.\n\nTerm\n: Definition\n\n*[HTML]: Hyper Text\n\nHTML is here.\n';
    const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': 'title: Notes\n', '_posts/2024-01-01-fn.md': post('title: Notes', body) }));
    const jekyll = cheerio.load(readFileSync(path.join(jekyllOut, '2024/01/01/fn.html')));
    const recap = cheerio.load(readFileSync(path.join(recapOut, '2024/01/01/fn.html')));
    const shape = ($: cheerio.CheerioAPI, root: cheerio.Cheerio<any>) => ({
      refs: root.find('sup[id^="fnref:"]').map((_, sup) => `${$(sup).attr('id')}>${$(sup).find('a').attr('href')}:${$(sup).text()}`).get(),
      notes: root.find('.footnotes li').map((_, li) => `${$(li).attr('id')}:${$(li).find('a.reversefootnote').map((__, a) => $(a).attr('href')).get().join(',')}`).get(),
      terms: root.find('dl dt, dl dd').map((_, e) => `${e.tagName}:${$(e).text()}`).get(),
      abbr: root.find('abbr').map((_, e) => `${$(e).attr('title')}:${$(e).text()}`).get(),
    });
    assert.deepEqual(shape(recap, recap('.post-body')), shape(jekyll, jekyll.root()));
    assert.doesNotMatch(recap('.post-body').text(), /\[\^|\*\[HTML\]/);
    assert.equal(recap('meta[name="description"]').attr('content'), 'Text with a note and another.');
  });

  it('shows the text Jekyll shows for what posts write: Markdown in HTML marked markdown="1", task lists, breaks, references, entities, tables and more', { skip: withoutJekyll }, async () => {
    const bodies: Array<[string, string]> = [
    ["div-md", "<div class=\"notice\" markdown=\"1\">\n**Bold** inside a div.\n</div>\n\nAfter."],
    ["excerpt", "First para.\n\n<!--more-->\n\nSecond para."],
    ["hardbreak", "Line one  \nLine two\\\nLine three"],
    ["hardbreak-backslashes", "Line one\\\\\nLine two"],
    ["html-inline", "Text <span style=\"color:red\">red</span> and <kbd>Ctrl</kbd>."],
    ["autolink", "Visit https://example.com and <https://example.org> and www.example.net."],
    ["strike", "This is ~~struck~~ text."],
    ["tasklist", "- [ ] todo\n- [x] done"],
    ["emoji", "I :heart: Jekyll :+1:"],
    ["escaped", "Not \\*emphasis\\* and \\{: .x} and \\[x\\]."],
    ["nested-list", "1. one\n   - sub\n2. two\n\n   Para in item."],
    ["code-indent", "Para\n\n    indented code\n\nAfter."],
    ["html-block", "<table>\n<tr><td>**not md**</td></tr>\n</table>\n\nAfter *md*."],
    ["liquid-comment", "{% comment %}hidden{% endcomment %}Shown."],
    ["heading-setext", "Title\n=====\n\nSub\n---\n\nText."],
    ["link-ref", "[ref link][r] and [r].\n\n[r]: https://example.com \"Title\""],
    ["img-title", "![alt text](/x.png \"The title\")"],
    ["line-break-html", "a<br>b<br/>c"],
    ["entities", "&copy; &amp; &nbsp;x &#8212; &lt;tag&gt;"],
    ["footnote-inline", "Inline note^[an inline footnote] here."],
    ["hr", "Above\n\n***\n\nBelow\n\n* * *\n\nEnd"],
    ["blockquote-cite", "> Quote line\n>\n> -- Someone"],
    ["table-align", "| L | C | R |\n|:--|:-:|--:|\n| a | b | c |"],
    ["html-comment", "Visible <!-- hidden comment --> text."],
    ["lazy-para", "Para one\ncontinues here.\nAnd here."],
    ["underscore", "snake_case_word and __init__ and _emph_."],
    ["nbsp-header", "### Heading with `code` and *em*\n\ntext"],
    ["typography", "Wait.. what (c) 2024 +- 5 really?!!!! yes,, no (tm) and... end -- dash --- em << guil >> ok ?.... \"quoted\" it's ---- x"],
    ["typography-code", "`a -- ...` and [link -- ...](http://x.y/a--b...) and <http://x.y/--...> and \\<< kept"]
    ];
    const files: Record<string, string> = { '_config.yml': 'title: Texts\n' };
    bodies.forEach(([name, body], i) => (files[`_posts/2024-01-${String(i + 1).padStart(2, '0')}-${name}.md`] = post(`title: ${name}`, `${body}\n`)));
    const { jekyllOut, recapOut } = await buildWithBoth(makeSite(files));
    const text = (s: string) => s.replace(/\s+/g, ' ').trim();
    bodies.forEach(([name], i) => {
      const page = `2024/01/${String(i + 1).padStart(2, '0')}/${name}.html`;
      const recap = cheerio.load(readFileSync(path.join(recapOut, page)))('.post-body');
      assert.equal(text(recap.text()), text(cheerio.load(readFileSync(path.join(jekyllOut, page))).root().text()), name);
    });
    const tasks = cheerio.load(readFileSync(path.join(recapOut, `2024/01/${String(bodies.findIndex(([n]) => n === 'tasklist') + 1).padStart(2, '0')}/tasklist.html`)));
    assert.deepEqual(tasks('.post-body ul.task-list input[type="checkbox"]').map((_, box) => `${tasks(box).attr('checked') ?? 'open'}:${tasks(`label[for="${tasks(box).attr('id')}"]`).text().trim()}`).get(),
      ['open:todo', 'checked:done'], 'each box is labelled by its task');
    const div = cheerio.load(readFileSync(path.join(recapOut, '2024/01/01/div-md.html')))('.post-body div.notice');
    assert.equal(div.find('p strong').text(), 'Bold');
    assert.equal(div.attr('markdown'), undefined);
  });

  it('sets no handler, style or address through an attribute list', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Hostile\n',
      '_posts/2024-01-01-a.md': post('title: A', 'Bad [x](/y){: onclick="alert(1)" style="color:red" href="javascript:x" .ok}\n{: onmouseover="x()" #p}\n\n## Twice {#same}\n\n## Again {#same}\n'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/01/01/a.html');
    const link = $('.post-body a.ok');
    assert.equal(link.attr('href'), '/y');
    assert.equal(link.attr('onclick'), undefined);
    assert.equal(link.attr('style'), undefined);
    assert.equal($('.post-body p#p').attr('onmouseover'), undefined);
    assert.deepEqual($('.post-body h2').map((_, h) => $(h).attr('id')).get(), ['same', 'same-1'], 'a repeated id is made unique');
  });
});

describe('Liquid in a Jekyll site\'s posts', () => {
  const site = (body: string, extra: Record<string, string> = {}) => makeSite({
    '_config.yml': 'title: Liquid Meetup\nurl: https://liquid.example\nbaseurl: /blog\n',
    '_includes/time.html': '<p class="when">{{ include.when | default: "Every month" }}</p>\n',
    '_includes/nested/card.html': '<b>{{ include.name }}</b>',
    '_data/speakers.yml': '- name: Ann Lee\n  org: Acme\n- name: Bo Chen\n  org: Initech\n',
    '_data/venue.json': '{"name": "The Tetley"}',
    '_posts/2024-03-06-a.md': post('title: A', body),
    '_posts/2024-03-07-b.md': post('title: B'),
    'about.md': post('title: About', 'About.\n'),
    ...extra,
  });

  it('renders includes with parameters, site and page values, data, post_url, link, raw, highlight and Jekyll\'s filters, as Jekyll does', async () => {
    const result = await buildSite(site([
      '{% include time.html when="First Wednesday" %}',
      '',
      'Welcome to {{ site.title }} at {{ site.data.venue.name }}: {% for s in site.data.speakers %}{{ s.name }} ({{ s.org }}){% unless forloop.last %}, {% endunless %}{% endfor %}.',
      '',
      '[B]({% post_url 2024-03-07-b %}) [About]({% link about.md %}) [Home]({{ "/" | relative_url }}) {{ "/x/" | absolute_url }} [B again]({% post_url /2024-03-07-b %})',
      '',
      '{% assign n = 2 %}{% capture greeting %}Hello {{ page.title }}{% endcapture %}{{ greeting }} {{ n | plus: 1 }} {{ "A & B" | xml_escape }} {{ "Hello World!" | slugify }} {{ page.tags | jsonify }}',
      '',
      '{% raw %}{{ .Values.image }}{% endraw %}',
      '',
      '{% highlight ruby %}',
      'puts "<hi>"',
      '{% endhighlight %}',
      '',
      '{% include nested/card.html name="Ann" %}',
      '',
    ].join('\n')));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/03/06/a.html');
    assert.equal($('.post-body p.when').text(), 'First Wednesday');
    assert.match($('.post-body').text(), /Welcome to Liquid Meetup at The Tetley: Ann Lee \(Acme\), Bo Chen \(Initech\)\./);
    assert.deepEqual($('.post-body a').map((_, a) => $(a).attr('href')).get().slice(0, 4), ['/blog/2024/03/07/b.html', '/blog/about.html', '/blog/', '/blog/2024/03/07/b.html']);
    assert.match($('.post-body').text(), /https:\/\/liquid\.example\/blog\/x\//);
    assert.match($('.post-body').text(), /Hello A 3 A & B hello-world \[\]/);
    assert.match($('.post-body').text(), /\{\{ \.Values\.image \}\}/);
    assert.equal($('.post-body pre code.language-ruby').text(), 'puts "<hi>"');
    assert.equal($('.post-body b').text(), 'Ann');
    assert.doesNotMatch($('meta[name="description"]').attr('content') ?? '', /include/, 'the include is not the description');
    assert.doesNotMatch(output(result, '/2024/03/06/a.html'), /\{%/);
  });

  it('reaches no file but the site\'s _includes, stops runaway loops, and reports errors at their line', async () => {
    for (const [body, expected] of [
      ['Text\n\n{% include ../_config.yml %}\n', /_posts\/2024-03-06-a\.md:6:1 error: Liquid: include names no file of _includes\/: "\.\.\/_config\.yml"/],
      ['Text\n\n{% include /etc/passwd %}\n', /error: Liquid: /],
      ['{% include constructor %} {% include toString %}\n', /_posts\/2024-03-06-a\.md:4:1 error: Liquid: include names no file of _includes\/: "constructor"/],
      ['{% for i in (1..100000000) %}{{ i }}{% endfor %}\n', /error: Liquid: .*(limit|exceed)/i],
      ['Fine line\n\n{% if %}\n', /_posts\/2024-03-06-a\.md:6:6 error: Liquid: /],
    ] as const) {
      const started = Date.now();
      const result = await buildSite(site(body));
      assert.ok(Date.now() - started < 5000, `${body} took too long`);
      const errors = messages(result).filter((m) => m.includes(' error: '));
      assert.ok(errors.some((m) => expected.test(m)), `${body}: ${errors.join('\n')}`);
      for (const file of result.manifest.values()) assert.doesNotMatch(file.content?.toString() ?? '', /root:x:0:0|title: Liquid Meetup|\[native code\]/);
    }
  });

  it('stops an include that includes itself, and reports an include\'s own errors at its line, naming the post', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Includes\n',
      '_includes/loop.html': 'again {% include loop.html %}',
      '_includes/broken.html': 'line one\nline two {% if %}{% endif %}\n',
      '_posts/2024-03-06-a.md': post('title: A', 'Text\n\n{% include loop.html %}\n'),
      '_posts/2024-03-07-b.md': post('title: B', '{% include broken.html %}\n'),
      '_posts/2024-03-08-c.md': post('title: C', 'Text\n\n{% include_cached missing.html %}\n'),
      '_posts/2024-03-09-d.md': post('title: D', '{% post_url 2024-01-01-gone %}\n'),
    }));
    const errors = messages(result).filter((m) => m.includes(' error: '));
    assert.deepEqual(errors.map((m) => m.split('\n')[0]).sort(), [
      '_includes/broken.html:2:15 error: Liquid: invalid value expression: "" (included by _posts/2024-03-07-b.md) [R309]',
      '_includes/loop.html:1:7 error: Liquid: includes are nested more than 32 deep: does {% include loop.html %} include itself? (included by _posts/2024-03-06-a.md) [R309]',
      '_posts/2024-03-08-c.md:6:1 error: Liquid: include names no file of _includes/: "missing.html" [R309]',
      '_posts/2024-03-09-d.md:4:1 error: Liquid: post_url names no post: "2024-01-01-gone" [R309]',
    ]);
    assert.ok(errors.some((m) => m.includes('hint: add _includes/missing.html or correct the name')), errors.join('\n'));
    assert.ok(errors.some((m) => m.startsWith('_posts/2024-03-09-d.md') && m.includes('hint: Jekyll would stop here too: correct the name, or add what it names')), errors.join('\n'));
  });

  it('reads a highlight block\'s body as Liquid, as Jekyll does: {% raw %} in it kept as written, {{ }} rendered, the line breaks at either end dropped', { skip: withoutJekyll }, async () => {
    const body = [
      '{% highlight liquid %}', '{% raw %}', '{{ "/docs/assets/" | relative_url }} => /blog/docs/assets', '{% endraw %}', '{% endhighlight %}', '',
      '{% highlight ruby %}', 'x = {{ 1 | plus: 2 }} # {{ site.title }}', '', '{% endhighlight %}', '',
    ].join('\n');
    const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': 'title: Highlights\nbaseurl: /blog\n', '_posts/2024-01-01-a.md': post('title: A', body) }));
    const [$r, $j] = [cheerio.load(readFileSync(path.join(recapOut, '2024/01/01/a.html'))), cheerio.load(readFileSync(path.join(jekyllOut, '2024/01/01/a.html')))];
    assert.deepEqual($r('.post-body pre code').map((_, code) => $r(code).text()).get(), $j('pre code').map((_, code) => $j(code).text()).get());
    assert.deepEqual($r('.post-body pre code').map((_, code) => $r(code).text()).get(), ['{{ "/docs/assets/" | relative_url }} => /blog/docs/assets', 'x = 3 # Highlights']);
  });

  it('reads what only Jekyll\'s lenient Liquid reads (a stray "|", "&&", "(a)", "else if", "page..title") as Jekyll does, with a warning at its line, in posts and includes; stops where Jekyll stops, and with error_mode: strict', { skip: withoutJekyll }, async () => {
    const cases = [
      '{{ page..title }}',
      '{{ page.title | upcase | | downcase }}',
      '{{ page.title || upcase }}',
      '{{ page.title | append: "x" "y" }}',
      '{% if page.title == "C5" && page.flag %}yes{% endif %}',
      '{% if (page.flag) %}yes{% endif %}',
      '{% if page.flag == false %}no{% else if page.x %}else-taken{% endif %}',
      '{% unless page.title == "x" || page.flag %}unless{% endunless %}',
      '{% if page.title == "a and b" && page.flag %}q{% else %}quoted{% endif %}',
      '{% assign x = page..title %}{{ x }}',
      '{% for t in page.tags %}{{ t | | upcase }}{% endfor %}',
      '{%- if (page.flag) -%} trimmed {%- endif -%} {% raw %}{{ kept..as }}{% endraw %}',
      '{% include lax.html x="inc" %}',
      '{{ page.title | upcase }}',
    ];
    const { files, pages } = postPerBody('c', cases, '\ntags: [a, b]\nflag: true');
    const site = makeSite({ '_config.yml': 'title: Lenient\n', '_includes/lax.html': 'line one\n[{{ include.x || upcase }}] {{ | }}\n', ...files });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const text = (s: string) => s.replace(/\s+/g, ' ').trim();
    cases.forEach((body, i) => {
      const page = pages[i]!;
      const recap = cheerio.load(readFileSync(path.join(recapOut, page)))('.post-body');
      assert.equal(text(recap.text()), text(cheerio.load(readFileSync(path.join(jekyllOut, page))).root().text()), body);
    });
    const warnings = recapStderr.split('\n').filter((line) => line.includes('[R315]'));
    assert.equal(warnings.length, 14, recapStderr);
    assert.ok(warnings.includes('_posts/2024-01-01-c1.md:8:1 warning: Liquid: {{ page..title }} is not valid Liquid: read as Jekyll reads it, {{ page.title }} [R315]'), recapStderr);
    assert.ok(warnings.includes('_posts/2024-01-05-c5.md:8:1 warning: Liquid: {% if page.title == "C5" && page.flag %} is not valid Liquid: read as Jekyll reads it, {% if page.title == "C5" %} [R315]'), recapStderr);
    assert.ok(warnings.includes('_includes/lax.html:2:2 warning: Liquid: {{ include.x || upcase }} is not valid Liquid: read as Jekyll reads it, {{ include.x | upcase }} (included by _posts/2024-01-13-c13.md) [R315]'), recapStderr);
    assert.ok(!warnings.some((line) => line.includes('c14.md')), 'valid Liquid is not read again');
    // Where Jekyll's lenient reading stops too (an operator Liquid does not know), so does Recap; and everywhere with error_mode: strict.
    const unknownOperator = await buildSite(makeSite({ '_config.yml': 'title: Lenient\n', '_posts/2024-01-01-a.md': post('title: A', '{% if page.title = "x" && page.flag %}eq{% endif %}\n') }));
    assert.ok(messages(unknownOperator).some((m) => m.startsWith('_posts/2024-01-01-a.md:4:') && m.includes('error: Liquid: ')), messages(unknownOperator).join('\n'));
    // Reading leniently is one pass over each markup, and a post full of it is told of five and a count.
    for (const result of await eachBuiltQuickly(['{{ a..b }}'.repeat(20000), `{{ a ${'| '.repeat(100000)} }}`, `{% if ${'"'.repeat(100001)} && b %}x{% endif %}`, `{{ x | f: ${':,'.repeat(50000)} }}`])) {
      assert.ok(messages(result).filter((m) => m.includes('[R315]')).length <= 5, messages(result).slice(0, 8).join('\n'));
    }
    const many = await buildSite(makeSite({ '_config.yml': 'title: Lenient\n', '_posts/2024-01-01-a.md': post('title: A', `${'{{ page..title }} '.repeat(20)}\n`) }));
    assert.match(messages(many).filter((m) => m.includes('[R315]'))[4]!, /\(and 15 more in this file\) \[R315\]/);
    writeFileSync(path.join(site, '_config.yml'), 'title: Lenient\nliquid:\n  error_mode: strict\n');
    const strict = await buildSite(site);
    assert.equal(strict.diagnostics.count('error'), 13, messages(strict).join('\n'));
    assert.equal(messages(strict).filter((m) => m.includes('[R315]')).length, 0);
  });

  it('leaves out a Jekyll plugin\'s tags with a warning at each use, keeping the text around and within them, and still stops at a stray end tag; names each plugin it does not run', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Plugins\nplugins:\n  - jekyll-feed\n  - jekyll-polyglot\n  - jekyll-theme-cayman\ngems: jekyll-mentions\n',
      '_plugins/youtube.rb': 'Liquid::Template.register_tag("youtube", Jekyll::YouTube)\n',
      '_plugins/notes.txt': 'not a plugin\n',
      '_posts/2024-03-06-a.md': post('title: A', 'Intro.\n\n{% youtube abc123 %}\n\n{% callout warning %}\nBe *careful*.\n{% endcallout %}\n'),
      '_posts/2024-03-07-b.md': post('title: B', 'Also {%- youtube xyz -%} here.\n'),
      '_posts/2024-03-08-c.md': post('title: C', 'Stray {% endfoo %} and {% endfor %}.\n'),
    }));
    const lines = messages(result).map((m) => m.split('\n')[0]).filter((m) => !m.includes('[R105]'));
    assert.deepEqual(lines, [
      // The plugins Recap does not stand in for, each at its line, and the site's own: the rest are Recap's to make.
      '_config.yml:4:5 warning: plugin jekyll-polyglot is not run: what it adds to the site or changes in it is left out [R124]',
      '_config.yml:6:7 warning: plugin jekyll-mentions is not run: what it adds to the site or changes in it is left out [R124]',
      "_plugins warning: the site's own plugins are not run (1 Ruby file): the pages, tags and filters they add are left out [R124]",
      // jekyll-youtube's tag Recap stands in for: one that names no video is left out.
      '_posts/2024-03-06-a.md:6:1 warning: {% youtube %} of "abc123" names no YouTube video: left out [R303]',
      "_posts/2024-03-06-a.md:8:1 warning: Liquid: {% callout %} is not a tag Recap knows (a Jekyll plugin's?): left out [R313]",
      '_posts/2024-03-07-b.md:4:6 warning: {% youtube %} of "xyz" names no YouTube video: left out [R303]',
      '_posts/2024-03-08-c.md:4:7 error: Liquid: tag "endfoo" not found [R309]',
    ]);
    const a = html(result, '/2024/03/06/a.html')('.post-body');
    assert.equal(a.find('p').map((_, p) => html(result, '/2024/03/06/a.html')(p).text()).get().join('|'), 'Intro.|Be careful.');
    assert.equal(a.find('em').text(), 'careful');
    assert.match(html(result, '/2024/03/07/b.html')('.post-body').text(), /Alsohere\./);
  });

  it('stands in for a gem theme\'s video, figure, table of contents and player includes, and leaves out its other includes with a warning, where the site names the theme', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Themed\nremote_theme: mmistakes/minimal-mistakes\n',
      'assets/small.jpg': await photo(900, 600, 7),
      '_posts/2024-03-06-a.md': post('title: A\ngallery:\n  - {url: /assets/big.jpg, image_path: /assets/small.jpg, alt: The room}\n  - {image_path: /assets/two.jpg, alt: "Two <b>speakers</b>"}', [
        '{% include video id="XsxDH4HcOWA" provider="youtube" %}', '',
        '{% include figure image_path="/assets/x.jpg" alt="A \\"quoted\\" <b>photo</b>" caption="The *group*" %}', '',
        '{% include feature_row %}', '', '{% include embed/youtube.html id="Balreaj8Yqs" %}', '',
        '{% include video id="x\\" onload=\\"alert(1)" provider="youtube" %}', '',
        '{% include toc title="On this page" %}', '', '## The talks', '', '## The room', '',
        '{% include embed/video.html src="https://media.example.org/talk.mp4" poster="/assets/poster.jpg" title="The talk" %}', '',
        '{% include embed/audio.html src="/assets/episode.mp3" %}', '',
        '{% include gallery caption="Photos from the *night*" %}',
      ].join('\n')),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.deepEqual(messages(result).filter((m) => m.includes(' warning: ')).map((m) => m.split('\n')[0]),
      ["_posts/2024-03-06-a.md:11:1 warning: Liquid: {% include feature_row %} is not in _includes/ (mmistakes/minimal-mistakes's?): left out [R314]"]);
    const gallery = html(result, '/2024/03/06/a.html')('.post-body figure.gallery');
    assert.deepEqual(gallery.find('img').map((_, img) => [[img.attribs['src'], img.attribs['alt'], gallery.find(img).closest('a').attr('href') ?? '']]).get(),
      [['/assets/small.jpg', 'The room', '/assets/big.jpg'], ['/assets/two.jpg', 'Two <b>speakers</b>', '']]);
    assert.equal(gallery.find('figcaption em').text(), 'night');
    // A photo of the site's shown as a thumbnail: its sources say so, so a browser takes a small one.
    assert.deepEqual(gallery.find('source').map((_, s) => s.attribs['sizes']).get(), ['(min-width: 44rem) 14rem, 50vw', '(min-width: 44rem) 14rem, 50vw']);
    assert.deepEqual(gallery.find('img').map((_, img) => img.attribs['loading']).get(), ['lazy', 'lazy'], 'loaded as they come into view');
    const toc = html(result, '/2024/03/06/a.html')('#markdown-toc a');
    assert.deepEqual(toc.map((_, a) => [[a.attribs['href'], html(result, '/2024/03/06/a.html')(a).text()]]).get(), [['#the-talks', 'The talks'], ['#the-room', 'The room']]);
    const players = html(result, '/2024/03/06/a.html')('.post-body video, .post-body audio');
    assert.deepEqual(players.map((_, p) => [[p.tagName, p.attribs['src'], p.attribs['poster'] ?? '']]).get(),
      [['video', 'https://media.example.org/talk.mp4', '/assets/poster.jpg'], ['audio', '/assets/episode.mp3', '']]);
    const $ = html(result, '/2024/03/06/a.html');
    assert.deepEqual($('.post-body figure.video').map((_, f) => $(f).attr('data-video-id')).get(), ['XsxDH4HcOWA', 'Balreaj8Yqs'], 'the click-to-play facade');
    assert.equal($('.post-body figure img').attr('alt'), 'A "quoted" <b>photo</b>');
    assert.equal($('.post-body figure:not(.gallery) figcaption em').text(), 'group');
    assert.equal($('.post-body [onload]').length, 0);
    const site = makeSite({ '_config.yml': 'title: Plain\ntheme: minima\n', '_posts/2024-03-06-a.md': post('title: A', '{% include video id="x" provider="youtube" %}\n') });
    assert.equal((await buildSite(site, { persistCache: true })).diagnostics.count('error'), 0);
    writeFileSync(path.join(site, '_config.yml'), 'title: Plain\n');
    const plain = await buildSite(site, { persistCache: true });
    assert.match(messages(plain).join('\n'), /error: Liquid: include names no file of _includes\/: "video"/, 'without a theme, a missing include is an error, as in Jekyll, on a rebuild from the cache too');
  });

  it('takes jekyll-include-cache\'s include_cached as an include, and jekyll-seo-tag\'s and jekyll-feed\'s head tags as nothing to write', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Plugins\nplugins: [jekyll-include-cache, jekyll-seo-tag, jekyll-feed]\n',
      '_includes/note.html': '<b class="note">{{ include.word }}</b>',
      '_posts/2020-01-01-a.md': post('title: A', '{% include_cached note.html word="cached" %}{% seo title=false %}{% feed_meta %}\n'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.equal(html(result, '/2020/01/01/a.html')('.post-body b.note').text(), 'cached');
  });

  it('plays the video of jekyll-youtube\'s {% youtube %} tag (an id or an address, quoted or not, or a variable) as the click-to-play facade', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Videos\n',
      '_posts/2024-01-02-a.md': post('title: A\nvid: Ef3dE5fG7hJ', '{% youtube Ab3dE5fG7hJ %}\n\nAnd {% youtube "https://www.youtube.com/watch?v=Cd3dE5fG7hJ&t=90" %} inline.\n\n{% youtube page.vid %}\n\n{% youtube id=\'Gh3dE5fG7hJ\' %}\n'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/01/02/a.html');
    assert.deepEqual($('.post-body figure.video').map((_, f) => $(f).attr('data-embed')).get(), ['Ab3dE5fG7hJ', 'Cd3dE5fG7hJ?start=90', 'Ef3dE5fG7hJ', 'Gh3dE5fG7hJ'].map((id) => `https://www.youtube-nocookie.com/embed/${id}`));
    assert.equal($('iframe').length, 0, 'nothing loads from YouTube before a click');
    const wrong = await buildSite(makeSite({ '_config.yml': 'title: Videos\n', '_posts/2024-01-02-a.md': post('title: A', 'Intro.\n\n{% youtube "https://vimeo.com/123" %}\n') }));
    assert.equal(wrong.diagnostics.count('error'), 0);
    assert.match(messages(wrong).join('\n'), /_posts\/2024-01-02-a\.md:6:1 warning: \{% youtube %\} of "https:\/\/vimeo\.com\/123" names no YouTube video: left out \[R303\]/);
  });

  it('honours render_with_liquid: false, and leaves Recap\'s own sites on their fixed table', async () => {
    const off = await buildSite(site('Literal {{ site.title }}\n'.replace('Literal', 'Literal'), { '_posts/2024-03-08-c.md': post('title: C\nrender_with_liquid: false', 'Literal {{ site.title }}\n') }));
    assert.match(html(off, '/2024/03/08/c.html')('.post-body').text(), /Literal \{\{ site\.title \}\}/);
    const own = await buildSite(makeSite({ 'recap.yml': 'title: Own\n', '_includes/x.html': 'INCLUDED', 'posts/2024-03-06-a.md': post('title: A', '{% include x.html %} {{ site.title }}\n') }));
    assert.match(html(own, '/2024/03/06/a/')('.post-body').text(), /\{% include x\.html %\} Own/);
  });
});

describe('embeds that keep working', () => {
  it('names a frame that has no title after its host, as screen readers announce it, and keeps a title the author wrote', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Frames\n',
      'calendar.md': post('title: Calendar', '<iframe style="border-width: 0;" src="https://www.google.com/calendar/embed?mode=AGENDA&amp;src=x" width="800" height="600"></iframe>\n\n<iframe src="//docs.example.org/form" title=" "></iframe>\n\n<iframe src="/local.html"></iframe>\n\n<iframe src="https://maps.example.net/m" title="Where we meet"></iframe>\n'),
    }));
    const $ = html(result, '/calendar.html');
    const frames = $('.post-body iframe').map((_, frame) => [[$(frame).attr('title'), $(frame).attr('src')]]).get() as unknown as Array<[string, string]>;
    assert.deepEqual(frames, [
      ['Embedded content from www.google.com', 'https://www.google.com/calendar/embed?mode=AGENDA&src=x'],
      ['Embedded content from docs.example.org', '//docs.example.org/form'],
      ['Embedded content', '/local.html'],
      ['Where we meet', 'https://maps.example.net/m'],
    ]);
    assert.equal($('.post-body iframe').first().attr('style'), 'border-width: 0;', 'the rest of the tag is kept');
  });

  it('asks for a photo over plain HTTP over HTTPS, as browsers do on an HTTPS page, so the site\'s policy lets it load (a theme\'s http://i1.ytimg.com thumbnails)', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://insecure.example\n',
      'posts/2024-03-06-a.md': post('title: A', 'A cat: ![a cat](http://photos.example.com/cat.jpg)\n\n'
        + '<img src="HTTP://i1.ytimg.com/vi/Ab3dE5fG7hJ/mqdefault.jpg" alt="thumb" srcset="http://cdn.example.com/d1.jpg 1x,http://cdn.example.com/d2.jpg 2x">\n\n'
        + '<video controls src="http://media.example.org/talk.mp4" poster="http://media.example.org/poster.jpg"></video>\n\n'
        + '<a href="http://example.org/page">a page over HTTP</a>\n'),
    }));
    const $ = html(result, '/2024/03/06/a/');
    assert.equal($('.post-body img[alt="a cat"]').attr('src'), 'https://photos.example.com/cat.jpg');
    assert.equal($('.post-body img[alt="thumb"]').attr('src'), 'https://i1.ytimg.com/vi/Ab3dE5fG7hJ/mqdefault.jpg');
    assert.equal($('.post-body img[alt="thumb"]').attr('srcset'), 'https://cdn.example.com/d1.jpg 1x,https://cdn.example.com/d2.jpg 2x');
    // A recording's host is named in the policy as written (it plays either way); its poster is an image.
    assert.deepEqual([$('.post-body video').attr('src'), $('.post-body video').attr('poster')], ['http://media.example.org/talk.mp4', 'https://media.example.org/poster.jpg']);
    assert.equal($('.post-body a[href^="http:"]').attr('href'), 'http://example.org/page', 'a link is followed as written');
    const csp = /Content-Security-Policy: (.*)/.exec(output(result, '/_headers'))![1]!;
    assert.match(csp, /media-src 'self' http:\/\/media\.example\.org(;|$)/);
  });

  it('gives a link that shows only an icon font\'s icon its name as text, since the theme loads no icon font (a speaker\'s profiles in a meetup layout)', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Icons\n',
      '_layouts/talk.html': '---\nlayout: none\n---\n<div class="words">{{ content }}</div>\n<ul class="social">{% for network in page.speaker.social %}<li><a href="{{ network.url }}"><i class="fa fa-{{ network.title }}"></i></a></li>{% endfor %}</ul>\n',
      '_posts/2024-03-06-a.md': post('title: A\nlayout: talk\nspeaker:\n  name: Kim\n  social:\n    - {title: github, url: "https://github.com/kim"}\n    - {title: linkedin-square, url: "https://linkedin.com/in/kim"}\n    - {title: rss, url: "https://kim.example/feed.xml"}\n    - {title: calendar-check-o, url: "https://kim.example/cal"}',
        'Talk words.\n\nFollow <a href="https://x.com/kim" title="Kim on X"><span class="fab fa-x-twitter fa-lg" aria-hidden="true"></span></a>, '
        + '<a href="https://kim.example"><i class="fa fa-globe"></i> my site</a> and <a href="https://kim.example/a"><img src="/a.png" alt="avatar"></a>.\n\n'
        // A menu button's lines (Bootstrap's icon-bar) name nothing; Font Awesome's bars are a menu.
        + '<a class="toggle" href="#nav"><span class="icon-bar"></span><span class="icon-bar"></span></a> <a class="bars" href="#menu"><i class="fas fa-bars"></i></a>\n'),
    }));
    const $ = html(result, '/2024/03/06/a.html');
    assert.deepEqual($('main .social a').map((_, a) => $(a).text().trim()).get(), ['GitHub', 'LinkedIn', 'RSS feed', 'Calendar check']);
    assert.equal($('main a[href="https://x.com/kim"]').text().trim(), 'Kim on X', 'a link named by its title shows that name');
    assert.equal($('main a[href="https://kim.example"]').text().trim(), 'my site', 'a link with words keeps them alone');
    assert.equal($('main a[href="https://kim.example/a"]').text(), '', 'a link showing an image is left as it is');
    assert.deepEqual([$('main a.toggle').text(), $('main a.bars').text().trim()], ['', 'Menu']);
  });

  it('turns a raw YouTube iframe into the click-to-play facade, loading nothing from YouTube', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://embeds.example\n',
      'posts/2024-03-06-a.md': post('title: A', 'Watch it:\n\n<iframe width="560" height="315" src="https://www.youtube.com/embed/Ab3dE5fG7hJ?start=90" frameborder="0" allowfullscreen></iframe>\n\nAfter.\n'),
    }));
    const $ = html(result, '/2024/03/06/a/');
    assert.equal($('.post-body iframe').length, 0);
    const figure = $('.post-body figure.video');
    assert.equal(figure.attr('data-video-id'), 'Ab3dE5fG7hJ');
    assert.equal(figure.attr('data-embed'), 'https://www.youtube-nocookie.com/embed/Ab3dE5fG7hJ?start=90');
    assert.equal(figure.find('a.video-facade').attr('href'), 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=90s');
    assert.ok($('script[src*="/assets/recap."]').length === 1, 'the facade\'s script is on the page');
    assert.ok(!messages(result).some((m) => m.includes('another host')), 'the player is no longer a foreign frame');
  });
});

describe('what a page written as HTML in Markdown says of itself (BrumPHP\'s pages)', () => {
  const community = '---\ntitle: Community\nlayout: landingpage\ncommunity:\n  - {title: Meetup, img: "https://logos.example/meetup.png", go: "https://meetup.example"}\n  - {title: Chat, img: "https://logos.example/chat.png", go: "javascript:alert(1)"}\n  - {title: Again, img: "https://logos.example/chat.png", go: "https://chat.example"}\n---\n\n'
    + '<main role="main">\n    <div class="container">\n        <h1>{{page.title}}</h1>\n        <p>\n            Two ways to get involved.\n        </p>\n        <hr />\n        <div class="row">\n'
    + '            {% for item in page.community %}\n                {% include summary.html summary=item %}\n            {% endfor %}\n        </div>\n        <img src="/logo.png" alt="">\n    </div>\n</main>\n';
  const site = () => makeSite({
    '_config.yml': 'title: Brum\n',
    '_includes/summary.html': '<div class="summary">\n    <h3>{{include.summary.title}}</h3>\n    <img src="{{include.summary.img}}" />\n    <a href="{{include.summary.go}}">More</a>\n</div>\n',
    'community.md': community,
    'index.md': '---\ntitle: Brum\nlayout: landingpage\n---\n\n<main role="main">\n  <div class="jumbotron">\n    <h1>Brum</h1>\n    <p>\n      A group for PHP developers in Birmingham.\n    </p>\n  </div>\n</main>\n',
  });

  it('is described by its first paragraph, and the home page by its introduction\'s', async () => {
    const result = await buildSite(site());
    assert.equal(html(result, '/community.html')('meta[name="description"]').attr('content'), 'Two ways to get involved.');
    assert.equal(html(result, '/')('meta[name="description"]').attr('content'), 'A group for PHP developers in Birmingham.');
  });

  it('has its images without a text alternative reported once each, and what an include wrote at the line of the tag that wrote it', async () => {
    const result = await buildSite(site());
    const lines = community.split('\n');
    const loop = lines.findIndex((line) => line.includes('{% for item')) + 1;
    const warnings = messages(result).filter((m) => /R302|R301/.test(m));
    assert.deepEqual(warnings.map((m) => m.split(' warning: ')[0]), [`community.md:${loop}`, `community.md:${loop}`, `community.md:${loop}`], warnings.join('\n'));
    assert.ok(loop <= lines.length, 'a line the file has');
    assert.equal(warnings.filter((m) => m.includes('https://logos.example/chat.png has no text alternative')).length, 1, 'one photo, once');
    assert.ok(warnings.some((m) => m.includes(`community.md:${loop} warning: <a href> removed`)), 'a URL the policy refuses, where the loop wrote it');
    assert.ok(!warnings.some((m) => m.includes('/logo.png')), 'alt="" marks a decoration');
  });
});

describe('a Jekyll meetup\'s own front matter under names Recap reads (the Dundee Data Meetup\'s events)', () => {
  it('takes a list or mapping under such a name as the site\'s own data, with a note, where a Recap site must give one value', async () => {
    const files = (folder: string) => ({
      [`${folder}/2025-03-31-images.md`]: post('title: Images\nslides:\n  - url: /assets/slides/deck one.odp\n    title: Deck one\n  - url: /assets/slides/two.odp\n    title: Deck two\nlocation: {name: The Hub, address: 1 High St}',
        'Images night.\n\n{% for slide in page.slides %}<a class="deck" href="{{ slide.url }}">{{ slide.title }}</a> {% endfor %}<span class="where">{{ page.location.name }}</span>\n'),
    });
    const jekyll = await buildSite(makeSite({ '_config.yml': 'title: Data\n', ...files('_posts') }));
    const notes = jekyll.diagnostics.list.filter((d) => d.code === 'R204');
    assert.deepEqual(notes.map((d) => [d.severity, d.line]).sort(), [['note', 3], ['note', 8]], messages(jekyll).join('\n'));
    const $ = html(jekyll, '/2025/03/31/images.html');
    assert.deepEqual($('.post-body a.deck').map((_, a) => $(a).text()).get(), ['Deck one', 'Deck two']);
    assert.equal($('.post-body .where').text(), 'The Hub');
    const own = await buildSite(makeSite({ 'recap.yml': 'title: Data\n', ...files('posts') }));
    assert.ok(own.diagnostics.list.some((d) => d.code === 'R204' && d.severity === 'error'), 'a Recap site\'s slides: must be one address');
  });

  it('takes an event: of the site\'s own (a name, or a mapping with no start) as its data, with one note, where a Recap site must give a meetup', async () => {
    const files = (folder: string) => ({
      [`${folder}/2024-01-01-a.md`]: post('title: A\nevent: DevFest 2024', 'At {{ page.event }}.\n'),
      [`${folder}/2024-02-02-b.md`]: post('title: B\nevent:\n  name: DevFest\n  url: https://devfest.example', 'At <a class="ev" href="{{ page.event.url }}">{{ page.event.name }}</a>.\n'),
      // Recap's own meetup with a wrong time is still a warning on a Jekyll site: it is Recap's to read.
      [`${folder}/2024-03-03-c.md`]: post('title: C\nevent:\n  start: 2024-03-03 25:99\n  address: 1 High St', 'C.\n'),
    });
    const jekyll = await buildSite(makeSite({ '_config.yml': 'title: Data\n', ...files('_posts') }));
    const reports = jekyll.diagnostics.list.filter((d) => d.code === 'R204' || d.code === 'R205').map((d) => [d.file, d.severity, d.line]);
    assert.deepEqual(reports, [['_posts/2024-01-01-a.md', 'note', 3], ['_posts/2024-02-02-b.md', 'note', 3]], messages(jekyll).join('\n'));
    assert.equal(html(jekyll, '/2024/02/02/b.html')('.post-body a.ev').attr('href'), 'https://devfest.example');
    assert.match(html(jekyll, '/2024/01/01/a.html')('.post-body').text(), /At DevFest 2024\./);
    assert.ok(jekyll.diagnostics.list.some((d) => d.file === '_posts/2024-03-03-c.md' && d.severity !== 'note'), messages(jekyll).join('\n'));
    const own = await buildSite(makeSite({ 'recap.yml': 'title: Data\n', ...files('posts') }));
    assert.ok(own.diagnostics.list.some((d) => d.code === 'R204' && d.severity === 'error' && d.file === 'posts/2024-01-01-a.md'), 'a Recap site\'s event: must be a meetup');
  });

  it('shows the inline Markdown of a place and of the site\'s description as the words it shows, where its own Liquid still reads it as written (Android Iași\'s events)', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Droids\ndescription: |\n  We are Android developers.\n  Join our [discussion group](http://bit.ly/group).\n',
      '_posts/2016-09-10-better.md': post('title: Better\nlocation: The office, *first* floor [(map)](https://maps.example/abc)', 'Two talks.\n'),
      'about.html': '---\ntitle: About\n---\n<div class="said">{{ site.description | markdownify }}</div>\n',
    }));
    const $ = html(result, '/2016/09/10/better.html');
    assert.equal($('.post-location').first().text(), 'The office, first floor (map)');
    assert.equal($('footer').text().replace(/\s+/g, ' ').trim(), 'Droids — We are Android developers. Join our discussion group.');
    assert.equal(html(result, '/')('meta[name="description"]').attr('content'), 'We are Android developers. Join our discussion group.');
    assert.equal(html(result, '/about.html')('.said a').attr('href'), 'http://bit.ly/group', 'the site\'s Liquid reads the description as written');
  });

  it('describes a page or post that says nothing of itself as the site is described', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Data\ndescription: A meetup about data.\ncollections:\n  speakers:\n    output: true\n',
      '_speakers/howard.md': '---\nname: Howard\n---\n',
      '_posts/2025-03-31-a.md': post('title: A', 'Our own words.\n'),
    }));
    assert.equal(html(result, '/speakers/howard.html')('meta[name="description"]').attr('content'), 'A meetup about data.');
    assert.equal(html(result, '/2025/03/31/a.html')('meta[name="description"]').attr('content'), 'Our own words.');
  });
});

describe('a Jekyll meetup site\'s meetups kept as a collection\'s documents (AI Wales\' talks, BrumPHP\'s events)', () => {
  const config = 'title: Docs Meetup\nurl: https://docs.example\ntimezone: Europe/London\ncollections:\n  talks:\n    output: true\n    permalink: /talks/:year/:slug/\n  events:\n    output: true\n  speakers:\n    output: true\n'
    + 'defaults:\n  - scope: {path: "", type: talks}\n    values: {layout: talk}\n';
  const files = (talkTitle = 'Rust in production') => ({
    '_config.yml': config,
    // A talk of its own: its recording and speaker in front matter, in a layout of the site's that Recap's theme stands in for.
    '_talks/2026-03-04-rust.md': post(`title: ${talkTitle}\nspeaker: Ada Lovelace\ntags: [rustlang]\nvideo: https://www.youtube.com/watch?v=Ab3dE5fG7hJ`, 'Ada moved a service to Rust.\n'),
    // A meetup night whose talks are linked from its text, and an announced meetup with its event.
    '_events/2026-04-09-april.md': post('title: April night', 'First, Grace Hopper talked about [compilers](https://youtu.be/Xb3dE5fG7hK?t=120) (starting at 2:00).\n'),
    '_events/2026-06-11-june.md': post('title: June night\nevent:\n  start: 2026-06-11 18:30\n  end: "21:00"\n  venue: The Hub\n  address: 1 High St, Cardiff', 'Come along.\n'),
    // A document with none of these, one with no date, and one whose own layout is named: pages as before.
    '_speakers/ann.md': post('title: Ann', 'Ann speaks often.\n'),
    '_events/someday.md': post('title: Someday', 'A talk by Bo Chan: [Later](https://youtu.be/Cb3dE5fG7hL?t=60) (starting at 1:00).\n'),
    '_events/2026-05-14-may.md': post('title: May night\nlayout: page', 'Then Cy Diaz talked about [tests](https://youtu.be/Db3dE5fG7hM?t=30) (starting at 0:30).\n'),
    '_posts/2026-05-01-recap.md': post('title: A post', 'Then Dee Ray talked about [queues](https://youtu.be/Eb3dE5fG7hN?t=90) (starting at 1:30).\n'),
  });

  it('shows each as a recap and lists its talks, speakers and event with the posts\' meetups, newest first, but not in the posts\' lists', async () => {
    const result = await buildSite(makeSite(files()), { now: new Date('2026-05-20T12:00:00Z') });
    const $talk = html(result, '/talks/2026/rust/');
    assert.equal($talk('article.post h1').text(), 'Rust in production');
    assert.equal($talk('article.post time').attr('datetime'), '2026-03-04T00:00:00+00:00');
    assert.equal($talk('figure.video').attr('data-video-id'), 'Ab3dE5fG7hJ', 'its recording is the click-to-play facade');
    assert.equal($talk('.talk-list .talk-speaker a').attr('href'), '/speakers/ada-lovelace/');
    const jsonLd = $talk('script[type="application/ld+json"]').map((_, s) => JSON.parse($talk(s).text()) as { '@type': string }).get();
    assert.ok(jsonLd.some((data) => data['@type'] === 'BlogPosting'), 'described as a recap, with its video');
    const $april = html(result, '/events/2026-04-09-april.html');
    assert.equal($april('article.post .talk-list .talk-title').text(), 'compilers');
    const talks = JSON.parse(output(result, '/talks.json')) as Array<{ post: string; speaker: string }>;
    assert.deepEqual(talks.map((t) => [t.speaker, t.post]), [
      ['Cy Diaz', 'https://docs.example/events/2026-05-14-may.html'],
      ['Dee Ray', 'https://docs.example/2026/05/01/recap.html'],
      ['Grace Hopper', 'https://docs.example/events/2026-04-09-april.html'],
      ['Ada Lovelace', 'https://docs.example/talks/2026/rust/'],
    ]);
    assert.deepEqual(html(result, '/talks/')('.talk-group h2 a, .talk-group h3 a').map((_, a) => html(result, '/talks/')(a).attr('href')).get().filter((href) => !href.startsWith('/speakers/')).slice(0, 4),
      ['/events/2026-05-14-may.html', '/2026/05/01/recap.html', '/events/2026-04-09-april.html', '/talks/2026/rust/']);
    // Its tag links to the tag's page, which lists it.
    assert.equal($talk('.tag-list a').attr('href'), '/tags/rustlang/');
    const $tag = html(result, '/tags/rustlang/');
    assert.ok($tag('main a').map((_, a) => $tag(a).attr('href')).get().includes('/talks/2026/rust/'));
    const $ada = html(result, '/speakers/ada-lovelace/');
    assert.ok($ada('a').map((_, a) => $ada(a).attr('href')).get().includes('/talks/2026/rust/'), 'the speaker\'s page links the talk\'s page');
    assert.ok(result.manifest.get('/speakers/grace-hopper/'));
    const calendar = output(result, '/events.ics');
    assert.match(calendar, /SUMMARY:June night/);
    assert.match(calendar, /LOCATION:The Hub\\, 1 High St\\, Cardiff/);
    // The posts' own lists are Jekyll's site.posts; a document's meetup still to come is announced atop the home page.
    const home = html(result, '/');
    assert.deepEqual(home('main a').map((_, a) => home(a).attr('href')).get().filter((href) => /events|talks\/2026/.test(href) && !href.endsWith('.ics')), ['/events/2026-06-11-june.html']);
    assert.equal(home('.next-meetup .announcement h3 a').text().trim(), 'June night');
    assert.doesNotMatch(output(result, '/feed.xml'), /April night|Rust in production/);
    // A document with nothing of a meetup, one with no date, and one that names its layout stay pages.
    assert.equal(html(result, '/speakers/ann.html')('article.page h1').text(), 'Ann');
    assert.equal(html(result, '/events/someday.html')('article.page').length, 1);
    assert.ok(!talks.some((t) => t.speaker === 'Bo Chan'), 'an undated document is no meetup');
    assert.equal(html(result, '/events/2026-05-14-may.html')('article.page').length, 1, 'its own layout: page, though its talks are listed');
  });

  it('takes a video theme\'s youtube_id: for the recording, whose list of where the talks start lists them (Meetup Gemist\'s videos)', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Gemist\ncollections:\n  videos:\n    output: true\n    permalink: /:path/\ndefaults:\n  - scope: {path: "", type: videos}\n    values: {layout: video}\n',
      '_layouts/video.html': '<article><iframe src="https://www.youtube.com/embed/{{ page.youtube_id }}" allowfullscreen></iframe><p class="has-video">{% if page.video %}yes{% else %}no{% endif %}</p>{{ content }}</article>\n',
      '_videos/2020-03-19-devops.md': post('title: devops Amsterdam March\nyoutube_id: DGC4pERlTXI', '[5:00] Introduction by Floor\n\n[7:20] Sara Gerion - Failure modes in serverless services\n\n[40:45] Stacy Cashmore - Embrace the pitfalls\n'),
      // Not an id: left to the site's layout alone.
      '_videos/2020-04-01-other.md': post('title: Other\nyoutube_id: not-an-id', 'Nothing here.\n'),
    }));
    const talks = JSON.parse(output(result, '/talks.json')) as Array<{ speaker: string; start: number; post: string }>;
    assert.deepEqual(talks.map((t) => [t.speaker, t.start, t.post]), [['Sara Gerion', 440, '/2020-03-19-devops/'], ['Stacy Cashmore', 2445, '/2020-03-19-devops/']]);
    const $ = html(result, '/2020-03-19-devops/');
    assert.equal($('figure.video').attr('data-video-id'), 'DGC4pERlTXI', 'the layout\'s player, made the click-to-play facade');
    assert.equal($('.has-video').text(), 'no', 'the site\'s Liquid has no page.video, as in Jekyll');
    assert.equal(html(result, '/2020-04-01-other/')('.has-video').text(), 'no');
  });

  it('gives a site with no posts but such meetups a menu of their talks and speakers (the London Django Meetup\'s site)', async () => {
    const menu = (result: BuildResult) => { const $ = html(result, '/'); return $('header nav a').map((_, a) => [[$(a).text(), $(a).attr('href')]]).get() as unknown as string[][]; };
    const { '_talks/2026-03-04-rust.md': talk, '_speakers/ann.md': speaker } = files();
    const meetups = await buildSite(makeSite({ '_config.yml': config, '_talks/2026-03-04-rust.md': talk, '_speakers/ann.md': speaker }));
    assert.deepEqual(menu(meetups), [['Home', '/'], ['Talks', '/talks/'], ['Speakers', '/speakers/']]);
    assert.equal(html(meetups, '/talks/')('.talk-speaker').first().text().trim(), 'Ada Lovelace');
    const none = await buildSite(makeSite({ '_config.yml': config, '_speakers/ann.md': speaker }));
    assert.deepEqual(menu(none), [['Home', '/']], 'with no meetups at all, its lists would be empty');
  });

  it('takes a document of an events collection for a meetup at its date\'s time, or all that day, at its location (BrumPHP\'s and the Dundee Data Meetup\'s events)', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Data\ntimezone: Europe/London\ncollections:\n  events:\n    output: true\n  notes:\n    output: true\n',
      '_events/2026-07-09-july.md': post('title: July meetup\ndate: 2026-07-09 18:30:00\nlocation: The Hub', 'Talks on data.\n'),
      // A date alone, or the file name's, is that whole day; a collection of another name is no events.
      '_events/2026-08-13-august.md': post('title: August meetup\ndate: 2026-08-13', 'More talks.\n'),
      '_events/2026-09-10-september.md': post('title: September meetup', 'Even more.\n'),
      // One its own layout shows (the Dundee Data Meetup's): its page offers its calendar file all the same.
      '_layouts/event.html': '<article><p class="where">{{ page.location }}</p>{{ content }}</article>\n',
      '_events/2026-10-08-october.md': post('title: October meetup\ndate: 2026-10-08 18:30:00\nlocation: The Annex\nlayout: event', 'Autumn talks.\n'),
      '_notes/2026-07-10-note.md': post('title: A note\ndate: 2026-07-10 09:00:00', 'Noted.\n'),
    }), { now: new Date('2026-05-20T12:00:00Z') });
    assert.equal(result.diagnostics.count('warning'), 0, messages(result).join('\n'));
    const calendar = output(result, '/events.ics');
    assert.deepEqual([...calendar.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1]!.trim()), ['July meetup', 'August meetup', 'September meetup', 'October meetup']);
    const october = html(result, '/events/2026-10-08-october.html');
    assert.equal(october('main .where').text(), 'The Annex', 'its own layout shows it');
    const add = october('main .event-actions a[download]');
    assert.equal(add.attr('href'), '/events/2026-10-08-october.ics');
    assert.ok(result.manifest.get(add.attr('href')!), 'the file it offers is published');
    assert.deepEqual([...calendar.matchAll(/^DTSTART;VALUE=DATE:(\d+)\r$/gm)].map((m) => m[1]), ['20260813', '20260910'], 'whole days, as dates');
    assert.equal(html(result, '/events/2026-08-13-august.html')('.event-facts time').first().text().replace(/\s+/g, ' '), 'Thursday, August 13, 2026');
    assert.match(calendar, /DTSTART:20260709T183000Z/, 'its date as Jekyll reads it: UTC where it gives no offset (19:30 in London)');
    assert.match(calendar, /LOCATION:The Hub/);
    const home = html(result, '/');
    assert.deepEqual(home('.next-meetup .announcement h3 a').map((_, a) => home(a).text().trim()).get(), ['July meetup', 'August meetup', 'September meetup', 'October meetup']);
    assert.equal(html(result, '/events/2026-07-09-july.html')('.event-badge').first().text().trim(), 'Upcoming');
  });

  it('makes again in recap build what a document\'s edit changes, as a fresh build makes it', async () => {
    const site = makeSite(files());
    const outDir = path.join(site, '_site');
    const now = new Date('2026-05-20T12:00:00Z');
    assert.equal((await publishSite({ siteDir: site, outDir, now, settledMs: 0 })).outcome, 'built');
    await new Promise((resolve) => setTimeout(resolve, 5));
    writeFileSync(path.join(site, '_talks/2026-03-04-rust.md'), files('Rust, a year on')['_talks/2026-03-04-rust.md']);
    assert.equal((await publishSite({ siteDir: site, outDir, now, settledMs: 0 })).outcome, 'built');
    const fresh = await buildSite(site, { now });
    for (const [url, file] of [['/talks/', 'talks/index.html'], ['/talks.json', 'talks.json'], ['/speakers/ada-lovelace/', 'speakers/ada-lovelace/index.html'], ['/talks/2026/rust/', 'talks/2026/rust/index.html']] as const) {
      assert.equal(readFileSync(path.join(outDir, file), 'utf8'), output(fresh, url), `${url} is a fresh build's`);
    }
    assert.match(readFileSync(path.join(outDir, 'talks.json'), 'utf8'), /Rust, a year on/);
  });
});

describe('a Content-Security-Policy computed from the build', () => {
  it('allows exactly the hosts the posts load scripts, frames and stylesheets from, and recap serve sends it too', async () => {
    const { startServer, get } = await import('./serve-helpers.js');
    const site = makeSite({
      'recap.yml': 'url: https://csp.example\n',
      'posts/2024-03-06-a.md': post('title: A', '<blockquote class="twitter-tweet"><a href="https://twitter.com/x/status/1">tweet</a></blockquote>\n<script async src="https://platform.twitter.com/widgets.js"></script>\n\n<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>\n\n<link rel="stylesheet" href="https://cdn.example.org/widget.css">\n\n'
        // A recording and a podcast on other hosts (media-src), and a picture's sources, which are images.
        + '<video controls src="https://media.example.org/talk.mp4" poster="https://media.example.org/poster.jpg"><track src="https://captions.example.org/en.vtt" kind="captions"></video>\n\n'
        + '<audio controls><source src="https://podcast.example.net/ep1.mp3" type="audio/mpeg"></audio>\n\n<picture><source srcset="https://photos.example.com/a.avif" type="image/avif"><img src="https://photos.example.com/a.jpg" alt="A"></picture>\n\n'
        // Event handlers are code too, which no host is named for.
        + '<img src="https://photos.example.com/b.jpg" alt="B" onerror="this.remove()"> <a href="#top" ONCLICK="go()">top</a>\n'),
      'posts/2024-03-07-b.md': post('title: B', 'Plain.\n'),
    });
    const result = await buildSite(site);
    const csp = /Content-Security-Policy: (.*)/.exec(output(result, '/_headers'))![1]!;
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    assert.deepEqual(directives.get('script-src'), ["'self'", 'https://platform.twitter.com']);
    // The tweet's script frames its own host.
    assert.deepEqual(directives.get('frame-src'), ['https://www.youtube-nocookie.com', 'https://www.google.com', 'https://platform.twitter.com']);
    assert.deepEqual(directives.get('style-src'), ["'self'", 'https://cdn.example.org']);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('media-src'), ["'self'", 'https://captions.example.org', 'https://media.example.org', 'https://podcast.example.net']);
    // recap check lists what runs code for the reviewer: a recording does not.
    const checked = JSON.parse(runCli(['check', site, '--format', 'json']).stdout) as { problems: Array<{ code: string; message: string }> };
    assert.deepEqual(checked.problems.filter((p) => p.code === 'R608').map((p) => p.message), [
      'raw HTML loads a script from another host: https://platform.twitter.com/widgets.js',
      'raw HTML loads an iframe from another host: https://www.google.com/maps/embed?pb=1',
      'raw HTML loads a stylesheet from another host: https://cdn.example.org/widget.css',
      'raw HTML has an event handler (onerror=), code that runs as an inline script does',
      'raw HTML has an event handler (onclick=), code that runs as an inline script does',
    ]);
    const server = await startServer(site);
    try {
      const page = await get(server.port, '/2024/03/07/b/');
      assert.equal(page.headers['content-security-policy'], csp, 'the preview sends the production policy');
      assert.equal(page.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    } finally {
      await server.close();
    }
  });

  it('allows inline styles by their hashes, at most 20 of them (past that, inline styles), and takes no other value for one from a cache entry', async () => {
    const { embedHosts, contentSecurityPolicy } = await import('../src/output/headers.js');
    const { cspHashOf } = await import('../src/content/raw-html.js');
    const styleSrc = (csp: string) => csp.split('; ').find((d) => d.startsWith('style-src'))!.split(' ').slice(1);
    const styled = (count: number) => Array.from({ length: count }, (_, i) => `<p style="margin-left: ${i}px">${i}</p>`).join('\n\n');
    const few = await buildSite(makeSite({ '_config.yml': 'title: Styles\n', '_posts/2024-03-06-a.md': post('title: A', `<style>p { color: red; }</style>\n\n${styled(2)}\n`) }));
    assert.deepEqual(styleSrc(/Content-Security-Policy: (.*)/.exec(output(few, '/_headers'))![1]!),
      ["'self'", "'unsafe-hashes'", cspHashOf('p { color: red; }'), ...[cspHashOf('margin-left: 0px'), cspHashOf('margin-left: 1px')].sort()]);
    const many = await buildSite(makeSite({ '_config.yml': 'title: Styles\n', '_posts/2024-03-06-a.md': post('title: A', `${styled(21)}\n`) }));
    assert.deepEqual(styleSrc(/Content-Security-Policy: (.*)/.exec(output(many, '/_headers'))![1]!), ["'self'", "'unsafe-inline'"]);
    // A cache entry's embeds are read back from disk: only a hash source as Recap writes one reaches the policy.
    const hosts = embedHosts([{ tag: 'style attribute', src: "'unsafe-inline'" }, { tag: 'style', src: "'sha256-x'; script-src *" }, { tag: 'style', src: cspHashOf('a{}') }]);
    assert.deepEqual(styleSrc(contentSecurityPolicy(hosts)), ["'self'", cspHashOf('a{}')]);
  });
});

describe('recap serve on a Jekyll site', () => {
  it('serves the .html and extension-less URLs and rebuilds a root page or a collection\'s document when it is saved, or the layout that makes it', async () => {
    const { writeFileSync } = await import('node:fs');
    const { startServer, get, eventually } = await import('./serve-helpers.js');
    const site = makeSite({
      '_config.yml': 'title: Served\ncollections:\n  people: {output: true, permalink: "/people/:name"}\n', '_posts/2024-03-06-a.md': post('title: A'),
      'about.md': post('title: About', 'First words.\n'), '_people/ann.md': post('title: Ann', 'Ann before.\n'),
      '_layouts/person.html': '---\nlayout: default\n---\n<ul class="roles">{% for role in page.roles %}<li>{{ role }}</li>{% endfor %}</ul>{{ content }}\n',
      '_people/bo.md': post('title: Bo\nlayout: person\nroles: [host]', 'Bo\'s words.\n'),
    });
    const server = await startServer(site);
    try {
      assert.equal((await get(server.port, '/2024/03/06/a.html')).status, 200);
      assert.match((await get(server.port, '/about.html')).body, /First words\./);
      assert.match((await get(server.port, '/about')).body, /First words\./, 'a page at /about.html answers /about, as GitHub Pages and jekyll serve answer it');
      assert.match((await get(server.port, '/people/ann')).body, /Ann before\./);
      assert.match((await get(server.port, '/people/ann.html')).body, /Ann before\./, 'the file\'s own name is served too, as static hosts serve it');
      writeFileSync(path.join(site, 'about.md'), post('title: About', 'Second words.\n'));
      await eventually(async () => assert.match((await get(server.port, '/about.html')).body, /Second words\./));
      writeFileSync(path.join(site, '_people/ann.md'), post('title: Ann', 'Ann after.\n'));
      await eventually(async () => assert.match((await get(server.port, '/people/ann')).body, /Ann after\./));
      assert.match((await get(server.port, '/people/bo')).body, /<ul class="roles"><li>host<\/li><\/ul>/);
      writeFileSync(path.join(site, '_layouts/person.html'), '---\nlayout: default\n---\n<ol class="roles">{% for role in page.roles %}<li>{{ role | upcase }}</li>{% endfor %}</ol>{{ content }}\n');
      await eventually(async () => assert.match((await get(server.port, '/people/bo')).body, /<ol class="roles"><li>HOST<\/li><\/ol>\s*<p>Bo’s words\.<\/p>/));
    } finally {
      await server.close();
    }
  });
});
