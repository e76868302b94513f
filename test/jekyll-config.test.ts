import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as cheerio from 'cheerio';
import { publishSite } from '../src/pipeline/publish.js';
import { buildSite, freshFiles, html, makeSite, messages, output, outputFolder, post, runCli, tempDir } from './helpers.js';
import { buildWithBoth, files, publishesWhatJekyllDoes, withoutJekyll, withoutPaginate, withoutPaginateV2, withoutRedirectFrom } from './jekyll-oracle.js';

const NOW = new Date('2026-01-01T00:00:00Z');

const CONFIG = `title: Collections Meetup
permalink: /:categories/:title
collections:
  recordings:
    output: true
    permalink: /recordings/:year/:title/
  people:
    output: true
  notes:
    output: false
defaults:
  - scope:
      path: ""
      type: posts
    values:
      layout: post
      category: news
  - scope:
      path: "_posts/2020-02-*"
    values:
      published: false
  - scope:
      path: docs
      type: pages
    values:
      permalink: /documentation/:basename/
  - scope:
      path: _people/b
    values:
      permalink: /bees/:slug:output_ext
`;

/**
 * A Jekyll site that puts its URLs in the settings rather than in its posts: front matter defaults
 * by path, glob and type (a permalink, a category, published: false), collections with and without
 * output and permalinks of their own, and extension-less permalinks (`/news/one`, written `news/one.html`).
 */
function configuredSite(config = CONFIG): string {
  return makeSite({
    '_config.yml': config,
    '_posts/2020-01-05-one.md': post('title: One'),
    '_posts/2020-02-05-two.md': post('title: Two, unpublished by a default'),
    '_posts/2020-03-05-own.md': post('title: Own\npermalink: /own/'),
    '_posts/2020-04-05-cats.md': post('title: Cats\ncategories: [Extra]'),
    'docs/guide.md': post('title: Guide'),
    'about.md': post('title: About'),
    '_people/Ann_Lee.md': post('title: Ann Lee'),
    '_people/bob.md': post('title: Bob'),
    '_people/photo.txt': 'not a document: copied\n',
    // Jekyll passes by a collection's file whose path or name starts with `_` or `~`, and drops the dots a name ends in.
    '_people/_draft-notes.md': post('title: Draft'),
    '_people/~scratch.txt': 'scratch\n',
    '_people/_old/carl.md': post('title: Carl'),
    '_people/team/_dan.md': post('title: Dan'),
    '_people/staff/_x/erin.md': post('title: Erin'),
    '_people/eve...md': post('title: Eve'),
    '_notes/_hidden.md': post('title: Hidden note'),
    '_recordings/2021-03-04-Big-Talk.md': post('title: Big talk'),
    '_notes/secret.md': post('title: Not published'),
    'archive.md': post('title: Archive', '{% for post in site.posts %}<a class="listed" href="{{ post.url | relative_url }}">{{ post.title }}</a> {% endfor %}\n\n'
      + '{% for person in site.people %}<span class="person">{{ person.title }}</span> {% endfor %}{% for tag in site.categories %}<span class="category">{{ tag[0] }}</span> {% endfor %}'
      + '{% for note in site.notes %}<span class="note">{{ note.title }}</span> {% endfor %}\n'),
    'tags.html': '---\nlayout: page\ntitle: Tag Index\npermalink: /tags/\n---\n<p class="own-tags">Our own tag index</p>\n',
    'years.md': post('title: Years\npermalink: /archive/', 'Our own archive.\n'),
  });
}

describe('a Jekyll site\'s settings decide its URLs (Debian\'s jekyll as the oracle)', () => {
  it('publishes every page Jekyll publishes at the same path: front matter defaults, collections, extension-less permalinks', { skip: withoutJekyll }, async () => {
    const { jekyllOut, recapOut } = await buildWithBoth(configuredSite());
    const { expected, made } = publishesWhatJekyllDoes(jekyllOut, recapOut, ['tags/index.html', 'archive/index.html', 'news/one.html', 'own/index.html', 'extra/news/cats.html', 'documentation/guide/index.html', 'about.html', 'people/Ann_Lee.html', 'bees/bob.html', 'people/photo.txt', 'recordings/2021/Big-Talk/index.html', 'people/staff/_x/erin.html', 'people/eve.html']);
    for (const file of ['news/two.html', 'notes/secret.html', 'people/_draft-notes.html', 'people/~scratch.txt', 'people/_old/carl.html', 'people/team/_dan.html']) {
      assert.ok(!expected.includes(file) && !made.has(file), `${file} is published by neither`);
    }
    // The site's own tag index and archive are kept in place of Recap's.
    assert.match(readFileSync(path.join(recapOut, 'tags/index.html'), 'utf8'), /Our own tag index/);
    assert.match(readFileSync(path.join(recapOut, 'archive/index.html'), 'utf8'), /Our own archive/);
    // site.posts, a collection and site.categories read as in Jekyll.
    const listed = (file: string) => {
      const $ = cheerio.load(readFileSync(file, 'utf8'));
      return ['a.listed', 'span.person', 'span.category', 'span.note'].map((selector) => $(selector).map((_, e) => `${$(e).text()} ${$(e).attr('href') ?? ''}`).get().join(', '));
    };
    assert.deepEqual(listed(path.join(recapOut, 'archive.html')), listed(path.join(jekyllOut, 'archive.html')));
    assert.match(listed(path.join(recapOut, 'archive.html'))[0]!, /One \/news\/one/);
    assert.match(listed(path.join(recapOut, 'archive.html'))[3]!, /Not published/, 'a collection without output is listed, not published');
    // Links name the pages as Jekyll does, without the .html the host adds.
    const home = cheerio.load(readFileSync(path.join(recapOut, 'index.html'), 'utf8'));
    assert.ok(home('a[href="/news/one"]').length > 0, 'the home page links /news/one');
  });

  it('writes each file with the extension Jekyll gives it: a permalink\'s own, else the page\'s (a dotted title, a feed, a JSON file, a collection\'s files), and gives Liquid Jekyll\'s page.url, title and slug', { skip: withoutJekyll }, async () => {
    const address = '---\npermalink: PERMALINK\nlayout: null\n---\n{"url": "{{ page.url }}", "title": "{{ page.title }}"}\n';
    const site = makeSite({
      '_config.yml': 'title: Extensions\npermalink: /blog/:title\ncollections:\n  docs:\n    output: true\n    permalink: /documentation/:path/\n'
        + 'defaults:\n  - scope:\n      path: wip\n    values:\n      published: false\n',
      // `/blog/:title` has no extension of its own: the page's .html is added to a dotted title.
      '_posts/2024-03-05-v1.2-released.md': post('title: Version 1.2'),
      // Jekyll's :slug keeps letters of every script.
      '_posts/2024-03-06-über-café.md': post('title: Café\npermalink: /posts/:slug/'),
      // A permalink's own extension is the file's.
      'old-page.md': post('title: Old page\npermalink: /old-page.htm'),
      'versions.md': post('title: Versions\npermalink: /docs/v1.2'),
      // A feed, a JSON file and a robots.txt where their permalinks put them, with their own extensions.
      'feeds/atom.xml': address.replace('PERMALINK', '/atom.xml'),
      'rss.xml': address.replace('PERMALINK', '/feed/:basename:output_ext'),
      'api/search.json': address.replace('PERMALINK', '/api/'),
      'humans.txt': address.replace('PERMALINK', '/humans'),
      'robots.txt': address.replace('PERMALINK', '/meta/robots/'),
      // A collection's file without front matter follows the collection's permalink.
      '_docs/guide.md': post('title: Guide'),
      '_docs/img/diagram.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
      // Defaults decide whether a post is published, not a page (Jekyll reads a page's own front matter alone).
      'wip/notes.md': post('title: Notes'),
      'wip/_posts/2024-01-01-hidden.md': post('title: Hidden'),
      // Under a site pattern with no ending of its own, a page's address has none either (its file is about.html).
      'about.md': post('title: About', '<span class="seen">{{ page.url }}</span>\n'),
      // A slug from a file name never ends with a period.
      '_posts/2024-03-07-etc...md': post('title: Etc', '<span class="seen">{{ page.slug }} {{ page.url }}</span>\n'),
      // A JSON file and a feed at a post's file: Jekyll writes the post over them (a warning in Recap, not a failed build).
      'clash.json': address.replace('PERMALINK', '/blog/etc.html'),
      'old-feed.xml': address.replace('PERMALINK', '/blog/v1.2-released.html'),
      // HTML in .htm and .xhtml: posts and pages, with those extensions (a post's folder address is its index.html).
      'legacy.htm': post('title: Legacy', '<p class="seen">{{ page.url }}</p>\n'),
      'strict.xhtml': post('title: Strict\npermalink: /strict/', '<p class="seen">{{ page.url }}</p>\n'),
      '_posts/2024-03-08-old-post.htm': post('title: Old post', '<p class="seen">{{ page.url }}</p>\n'),
      '_posts/2024-03-09-older-post.htm': post('title: Older post\npermalink: /older/', '<p class="seen">{{ page.url }}</p>\n'),
      // post_url reads its name as written, a quote in it too.
      "_posts/2024-03-04-it's-here.md": post('title: Here'),
      'links.md': post('title: Links', "<p class=\"seen\">{% post_url 2024-03-04-it's-here %} {% post_url 2024-03-06-über-café %}</p>\n"),
      // Two JSON files at one address: one is published, with a warning.
      'api/again.json': address.replace('PERMALINK', '/api/'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    for (const file of ['clash.json', 'old-feed.xml', 'api/search.json']) assert.match(recapStderr, new RegExp(`^${file} warning: not published: .* \\[R213\\]$`, 'm'));
    assert.match(readFileSync(path.join(recapOut, 'blog/v1.2-released.html'), 'utf8'), /Version 1\.2/);
    const { expected, made } = publishesWhatJekyllDoes(jekyllOut, recapOut, [
      'blog/v1.2-released.html', 'posts/über-café/index.html', 'old-page.htm', 'docs/v1.2', 'atom.xml', 'feed/rss.xml', 'api/index.json', 'humans.txt',
      'meta/robots/index.txt', 'documentation/guide/index.html', 'documentation/img/diagram.svg', 'wip/notes.html', 'about.html', 'blog/etc.html',
      'legacy.htm', 'strict/index.xhtml', 'blog/old-post.htm', 'older/index.html',
    ]);
    for (const file of ['blog/v1.2-released', 'docs/v1.2.html', 'api/index.html', 'humans', 'feeds/atom.xml', 'docs/img/diagram.svg']) {
      assert.ok(!expected.includes(file) && !made.has(file), `${file} is published by neither`);
    }
    assert.ok(!expected.some((file) => file.includes('hidden')) && ![...made].some((file) => file.includes('hidden')), 'a post the defaults leave out is published by neither');
    // page.url is the address, the file its extension's.
    for (const file of ['api/index.json', 'humans.txt', 'meta/robots/index.txt']) {
      assert.deepEqual(JSON.parse(readFileSync(path.join(recapOut, file), 'utf8')), JSON.parse(readFileSync(path.join(jekyllOut, file), 'utf8')), file);
    }
    const seen = (dir: string, file: string) => cheerio.load(readFileSync(path.join(dir, file), 'utf8'))('.seen').text();
    for (const file of ['about.html', 'links.html', 'blog/etc.html', 'legacy.htm', 'strict/index.xhtml', 'blog/old-post.htm', 'older/index.html']) assert.equal(seen(recapOut, file), seen(jekyllOut, file), file);
    assert.equal(seen(recapOut, 'about.html'), '/about');
    // The site's feed files carry Recap's feed.
    for (const file of ['atom.xml', 'feed/rss.xml']) assert.match(readFileSync(path.join(recapOut, file), 'utf8'), /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
  });

  it('publishes a collection\'s documents in neither Markdown nor HTML (JSON, text, XML) as their Liquid makes them, where Jekyll places them', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Documents\ncollections:\n  api:\n    output: true\n  notes:\n    output: true\n    permalink: /notes/:year/:title/\n  drafts_kept:\n    output: false\n',
      '_posts/2024-03-05-spring.md': post('title: Spring'),
      '_posts/2024-04-05-summer.md': post('title: Summer'),
      // At the collection's default permalink, /:collection/:path:output_ext, with its own extension.
      '_api/posts.json': '---\n---\n{"collection": {{ page.collection | jsonify }}, "url": {{ page.url | jsonify }}, "posts": [{% for p in site.posts %}{{ p.url | jsonify }}{% unless forloop.last %}, {% endunless %}{% endfor %}]}\n',
      '_api/v1/feed.xml': '---\n---\n<urls>{% for p in site.posts %}<url>{{ p.url }}</url>{% endfor %}</urls>\n',
      // Dated by its name, at a folder address: Jekyll writes a document's folder address as its index.html, whatever its extension.
      '_notes/2023-06-01-Read Me.txt': '---\n---\nNote at {{ page.url }}\n',
      // Its own permalink, with an extension of its own.
      '_notes/plain.txt': '---\npermalink: /notes/plain.text\n---\nPlain {{ page.url }}\n',
      // A collection without output publishes nothing.
      '_drafts_kept/hidden.json': '---\n---\n{}\n',
      // Jekyll compiles a collection's Sass: Recap says it does not.
      '_api/style.scss': '---\n---\na { b { color: red; } }\n',
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    assert.match(recapStderr, /^_api\/style\.scss warning: skipped: a collection's Sass or CoffeeScript document, .* \[R108\]$/m);
    const documents = ['api/posts.json', 'api/v1/feed.xml', 'notes/2023/Read-Me/index.html', 'notes/plain.text'];
    const made = new Set(files(recapOut));
    const published = files(jekyllOut);
    for (const file of documents) assert.ok(published.includes(file), `Jekyll publishes ${file}: ${published.join(', ')}`);
    for (const file of published.filter((name) => name !== 'api/style.css')) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap`);
    for (const file of documents) assert.equal(readFileSync(path.join(recapOut, file), 'utf8'), readFileSync(path.join(jekyllOut, file), 'utf8'), file);
    assert.deepEqual(JSON.parse(readFileSync(path.join(recapOut, 'api/posts.json'), 'utf8')), { collection: 'api', url: '/api/posts.json', posts: ['/2024/04/05/summer.html', '/2024/03/05/spring.html'] });
    assert.ok(!files(recapOut).some((file) => file.includes('hidden')), 'a collection without output publishes nothing');
  });

  it('gives the files its Liquid makes (JSON, text, a collection\'s) their front matter defaults, a permalink among them, as Jekyll does', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Defaults\ncollections:\n  feeds:\n    output: true\n'
        + 'defaults:\n  - scope: {path: api}\n    values: {permalink: "/v1/:basename:output_ext", owner: Ann}\n'
        + '  - scope: {path: ""}\n    values: {team: Platform}\n  - scope: {path: "", type: feeds}\n    values: {permalink: "/f/:name:output_ext", kind: feed}\n',
      '_posts/2024-03-05-spring.md': post('title: Spring'),
      'api/posts.json': '---\n---\n{"owner": "{{ page.owner }}", "team": "{{ page.team }}", "url": "{{ page.url }}"}\n',
      'humans.txt': '---\n---\nTeam: {{ page.team }}\n',
      '_feeds/all.json': '---\n---\n{"kind": "{{ page.kind }}", "url": "{{ page.url }}"}\n',
      // Its own permalink wins over the defaults'.
      'api/own.json': '---\npermalink: /own.json\n---\n{"owner": "{{ page.owner }}"}\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const made = ['v1/posts.json', 'humans.txt', 'f/all.json', 'own.json'];
    publishesWhatJekyllDoes(jekyllOut, recapOut, made);
    for (const file of made) assert.equal(readFileSync(path.join(recapOut, file), 'utf8'), readFileSync(path.join(jekyllOut, file), 'utf8'), file);
    assert.deepEqual(JSON.parse(readFileSync(path.join(recapOut, 'v1/posts.json'), 'utf8')), { owner: 'Ann', team: 'Platform', url: '/v1/posts.json' });
  });

  it('keeps a page, post or redirect of the site\'s own at a year\'s address or a later home page\'s in place of Recap\'s, with a note, where the build once failed', { skip: withoutRedirectFrom }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Years\nplugins: [jekyll-redirect-from]\n',
      // A redirect where Recap would never put a home page, which Recap once refused as its own.
      '_posts/2020-01-01-moved.md': post('title: Moved\nredirect_from: [/page3/]'),
      // Enough posts for Recap's /page2/, which Jekyll without jekyll-paginate leaves to the site.
      ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`_posts/2024-01-0${i + 1}-day-${i + 1}.md`, post(`title: Day ${i + 1}`)])),
      'page2/index.md': post('title: Page two', 'Our own second page.\n'),
      '_posts/2024-03-06-spring.md': post('title: Spring'),
      '_posts/2023-05-01-review.md': post('title: Our 2023\npermalink: /2023/', 'The year in review.\n'),
      '2024/index.md': post('title: The year 2024', 'Our own 2024 archive.\n'),
      // At the year page's file, not its address.
      '_posts/2022-02-02-winter.md': post('title: Winter'),
      '_posts/2021-06-01-looking-back.md': post('title: Looking back\npermalink: /2022/index.html', 'Looking back at 2022.\n'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['2024/index.html', '2023/index.html', '2022/index.html', 'page2/index.html', 'page3/index.html', '2024/03/06/spring.html']);
    const text = (dir: string, file: string) => cheerio.load(readFileSync(path.join(dir, file), 'utf8'))('body').text();
    assert.match(text(recapOut, '2024/index.html'), /Our own 2024 archive/);
    assert.match(text(recapOut, '2023/index.html'), /The year in review/);
    assert.match(text(recapOut, '2022/index.html'), /Looking back at 2022/);
    assert.match(text(recapOut, 'page2/index.html'), /Our own second page/);
    for (const [file, url] of [['2024/index.md', '/2024/'], ['_posts/2023-05-01-review.md', '/2023/'], ['_posts/2021-06-01-looking-back.md', '/2022/'], ['page2/index.md', '/page2/']]) {
      assert.match(recapStderr, new RegExp(`^${file} note: the site's own ${url} is kept in place of Recap's \\[R112\\]$`, 'm'));
    }
  });

  it('lists each post and document with Jekyll\'s id, slug, collection and draft flag, fills a page\'s permalink with its own placeholders alone, and reads a collection\'s permalink as written', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Identities\nshow_drafts: true\npermalink: /:categories/:year/:title:output_ext\ncollections:\n  talks:\n    output: true\n    permalink: pretty\n  notes:\n    output: true\n',
      '_posts/2024-03-05-hello-world.md': post('title: Hello\ncategories: [Big Data]'),
      '_posts/2024-03-06-über-café.md': post('title: Café\nslug: Custom Slug'),
      '_posts/sub/2024-03-07-etc...md': post('title: Etc'),
      '_drafts/unfinished.md': post('title: Unfinished\ndate: 2024-02-01'),
      '_talks/opening.md': post('title: Opening'),
      '_notes/2024-01-02-dated note.md': post('title: Dated'),
      '_notes/deep/v1.2.md': post('title: Versioned'),
      // Jekyll's Page has :path, :basename and :output_ext alone: any other placeholder stays as written.
      'team.md': post('title: Team\npermalink: /:title/:year/'),
      'pages/contact.md': post('title: Contact\npermalink: /:path/:basename-at:output_ext'),
      'ids.txt': '---\n---\n{% for p in site.posts %}{{ p.id }}|{{ p.slug }}|{{ p.collection }}|{{ p.url }}|{{ p.draft }}\n{% endfor %}'
        + '{% for d in site.notes %}{{ d.id }}|{{ d.slug }}|{{ d.collection }}|{{ d.url }}|{{ d.draft }}\n{% endfor %}{% for d in site.talks %}{{ d.id }}|{{ d.url }}\n{% endfor %}'
        + '{% assign shown = site.posts | where_exp: "p", "p.id != site.posts[0].id" %}{{ shown | size }} others\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, [':title/:year/index.html', 'pages/contact-at.html', 'pretty.html', 'ids.txt']);
    const lines = (dir: string) => readFileSync(path.join(dir, 'ids.txt'), 'utf8').split('\n');
    assert.deepEqual(lines(recapOut), lines(jekyllOut));
    // The folder escaped, the slug as written: Jekyll's id.
    assert.ok(lines(jekyllOut).includes('/big%20data/2024/hello-world|hello-world|posts|/big%20data/2024/hello-world.html|false'), lines(jekyllOut).join('\n'));
    assert.ok(lines(jekyllOut).includes('/2024/Custom Slug|Custom Slug|posts|/2024/Custom-Slug.html|false'), lines(jekyllOut).join('\n'));
    assert.ok(lines(jekyllOut).includes('/2024/unfinished|unfinished|posts|/2024/unfinished.html|true'), lines(jekyllOut).join('\n'));
    assert.ok(lines(jekyllOut).includes('3 others'));
  });
});

describe('a site as `jekyll new` makes it (Debian\'s jekyll as the oracle)', () => {
  it('builds: its index page is the home page\'s introduction, and posts in every extension Jekyll reads keep their URLs', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: New Site\nemail: organiser@example.org\ndescription: >-\n  Write an awesome description.\nbaseurl: ""\nurl: ""\nplugins:\n  - jekyll-feed\n',
      'index.markdown': '---\n# Feel free to add content and custom Front Matter to this file.\n\nlayout: home\n---\nWelcome to **our** meetup.\n',
      'about.markdown': '---\nlayout: page\ntitle: About\npermalink: /about/\n---\n\nThis is the base Jekyll theme.\n',
      '_posts/2024-03-06-welcome-to-jekyll.markdown': '---\nlayout: post\ntitle:  "Welcome to Jekyll!"\ndate:   2024-03-06 10:11:12 +0000\ncategories: jekyll update\n---\nYou will find this post.\n',
      '_posts/2012-01-01-old.html': post('title: An HTML post\nlayout: post', '<p>Written in HTML.</p>\n'),
      '_posts/2012-01-02-short.mkd': post('title: A .mkd post'),
      '404.html': '---\npermalink: /404.html\nlayout: default\n---\n\n<div class="container">\n  <h1>404</h1>\n\n  <p><strong>Page not found :(</strong></p>\n</div>\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['index.html', '404.html', 'about/index.html', 'jekyll/update/2024/03/06/welcome-to-jekyll.html', '2012/01/01/old.html', '2012/01/02/short.html']);
    const home = cheerio.load(readFileSync(path.join(recapOut, 'index.html'), 'utf8'));
    assert.equal(home('.home-intro strong').text(), 'our', 'the index page\'s words are atop the home page');
    assert.ok(home('a[href="/jekyll/update/2024/03/06/welcome-to-jekyll.html"]').length > 0, 'with the posts listed under it');
    assert.equal(cheerio.load(readFileSync(path.join(recapOut, '2012/01/01/old.html'), 'utf8'))('.post-body p').first().text(), 'Written in HTML.');
    assert.match(readFileSync(path.join(recapOut, '404.html'), 'utf8'), /Page not found :\(/, 'the site\'s own 404 page is kept');
    // Untitled, its own <h1> is its heading: the theme adds none (it showed "404" twice).
    assert.deepEqual(cheerio.load(readFileSync(path.join(recapOut, '404.html'), 'utf8'))('h1').map((_, h) => cheerio.load(h).text()).get(), ['404']);
    assert.deepEqual(cheerio.load(readFileSync(path.join(recapOut, 'about/index.html'), 'utf8'))('h1').map((_, h) => cheerio.load(h).text()).get(), ['About']);
    assert.doesNotMatch(readFileSync(path.join(recapOut, 'sitemap.xml'), 'utf8'), /404/, 'and left out of the sitemap');
    const card = home('article.card').filter((_, e) => home(e).find('h2').text() === 'An HTML post');
    assert.equal(card.find('.card-text > p').last().text(), 'Written in HTML.', 'an HTML post\'s first paragraph is its card\'s text');
    // Its layouts (default, page, post, home) are Jekyll's, which Recap's theme stands in for: notes, so a --strict build (CI) passes.
    const strict = runCli(['build', site, '--strict', '--out', path.join(tempDir(), 'strict')]);
    assert.equal(strict.code, 0, strict.stderr);
    assert.match(strict.stderr, /^404\.html:3:9 note: Recap's theme stands in for the layout "default"/m);
  });
});

describe('a page whose own layout makes what it shows (Debian\'s jekyll as the oracle)', () => {
  it('shows what that layout lists from the site\'s data, where Recap\'s theme stands in for the whole-document layout around it', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Conf\ncollections:\n  meetups:\n    output: true\n    permalink: /meetups/:path/\ndefaults:\n  - scope: {path: "", type: meetups}\n    values: {layout: meetup}\n',
      '_layouts/default.html': '<!DOCTYPE html>\n<html><head><title>{{ page.title }}</title></head><body>{{ content }}</body></html>\n',
      // A meetup site's layout of its talks, from each meetup's front matter (djangolondon.github.io's shape), for its documents and its posts.
      '_layouts/meetup.html': '---\nlayout: default\n---\n<article><header><h1>{{ page.title }} - <time>{{ page.date | date: "%-d %B %Y" }}</time></h1></header>\n<p class="where">{{ page.location.name }}</p>\n<p class="lead">{{ page.lead }}</p>\n<h2>Talks</h2>\n{% for talk in page.talks %}<h3>{{ talk.title }} - {{ talk.speaker }}</h3>{% if talk.description %}<div class="about">{{ talk.description | markdownify }}</div>{% endif %}{% if talk.youtube %}<a class="watch" href="{{ talk.youtube }}">Watch</a>{% endif %}{% endfor %}\n<div class="words">{{ content }}</div>\n</article>\n',
      '_meetups/2019-03-12.md': '---\ntitle: March meetup\ndate: 2019-03-12 19:00:00 +0000\ntalks:\n- title: Experiments\n  speaker: Val Allan\n  description: An overview of *A/B testing*.\n  youtube: https://www.youtube.com/watch?v=Ab3dE5fG7hJ\n- title: Dependencies\n  speaker: Andy Jones\n---\n',
      // Front matter Recap cannot read (a place as a mapping, a talk without a title) is still the layout's to show, as written.
      '_meetups/2019-05-14.md': '---\ntitle: May meetup\ndate: 2019-05-14 19:00:00 +0000\nlocation: {name: The Hub, city: Leeds}\ntalks:\n- speaker: Kim Lee\n- title: Queues\n  speaker: Sam Roe\n---\n',
      // One with words of its own shows them where its layout says, around its data (rubynz's and LinuxFossLinz's meetups, with a description);
      // one whose front matter holds nothing the layout lists keeps to its words, and a note says what of the layout is not shown.
      '_meetups/2019-06-11.md': '---\ntitle: June meetup\ndate: 2019-06-11 19:00:00 +0000\nlocation: {name: The Hub}\n---\nPizza and *talks*.\n',
      '_meetups/2019-07-09.md': '---\ntitle: July meetup\ndate: 2019-07-09 19:00:00 +0000\n---\nSummer words.\n',
      '_meetups/2019-08-13.md': '---\ntitle: August meetup\ndate: 2019-08-13 19:00:00 +0000\nlead: In the park\n---\nAugust words.\n',
      // A blog's post layout (share buttons, comments) is Recap's theme's to stand in for, around a post's words.
      '_layouts/post.html': '---\nlayout: default\n---\n<article>{% include share.html %}{{ content }}{% if page.comments %}<div id="comments"></div>{% endif %}</article>\n',
      '_includes/share.html': '<div class="share">Share</div>\n',
      '_posts/2019-08-13-blog.md': '---\ntitle: A blog post\nlayout: post\ncomments: true\ntags: [x]\n---\nBlog words.\n',
      // A post's layout that heads it with its title at another level (<h2>) around a place it shows: the theme's heading stands in for that one.
      '_layouts/talkpost.html': '---\nlayout: default\n---\n<article><h2 class="t">{{ page.title }}</h2><p class="venue">{{ page.venue }}</p>{{ content }}</article>\n',
      '_posts/2019-09-10-september.md': '---\ntitle: September meetup\nlayout: talkpost\nvenue: The Hub\n---\nSeptember words.\n',
      '_posts/2019-04-09-april.md': '---\ntitle: April meetup\nlayout: meetup\ntalks:\n- title: Queues\n  speaker: Kim Lee\n  description: Celery at work.\n  url: https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=60\n---\n',
      '_layouts/schedule.html': '---\nlayout: default\n---\n<ul class="sessions">{% for s in site.data.sessions %}<li>{{ s.time }} {{ s.name }}</li>{% endfor %}</ul>\n{{ content }}\n',
      // A chain of two layouts that are part of the page, around the data; the first is what the page names.
      '_layouts/sponsors.html': '---\nlayout: wide\n---\n<p class="sponsors">{% for s in site.data.sponsors %}<a href="{{ s.url }}">{{ s.name }}</a> {% endfor %}</p>\n',
      '_layouts/wide.html': '---\nlayout: default\n---\n<section class="wide"><h2>{{ page.title }}</h2>{{ content }}</section>\n',
      // A layout that only frames a page's own text, and a home layout that lists the posts (Recap's home page lists them).
      '_layouts/page.html': '---\nlayout: default\n---\n<article><h1>{{ page.title }}</h1>{{ content }}</article>\n',
      '_layouts/home.html': '---\nlayout: default\n---\n<ul class="home-list">{% for post in site.posts %}<li>{{ post.title }}</li>{% endfor %}</ul>\n',
      '_data/sessions.yml': '- {time: "09:00", name: Keynote}\n- {time: "12:00", name: Lunch}\n',
      '_data/sponsors.yml': '- {name: Acme, url: "https://acme.example"}\n- {name: Globex, url: "https://globex.example"}\n',
      'schedule.md': '---\ntitle: Schedule\nlayout: schedule\n---\n',
      'sponsors.html': '---\ntitle: Sponsors\nlayout: sponsors\npermalink: /sponsors/\n---\n',
      'written.md': '---\ntitle: Written\nlayout: schedule\n---\nIts own words.\n',
      'empty.md': '---\ntitle: Empty\nlayout: page\n---\n',
      'index.md': '---\nlayout: home\n---\n',
      '_posts/2024-03-06-a.md': post('title: A post'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const load = (folder: string, file: string) => cheerio.load(readFileSync(path.join(folder, file), 'utf8'));
    const june = load(recapOut, 'meetups/2019-06-11/index.html');
    assert.equal(june('main .where').text(), 'The Hub');
    assert.equal(june('main .words').html()!.trim(), load(jekyllOut, 'meetups/2019-06-11/index.html')('.words').html()!.trim(), 'its words, as Markdown makes them, where the layout says');
    assert.equal(load(recapOut, 'meetups/2019-07-09/index.html')('main .post-body').text().trim(), 'Summer words.');
    assert.equal(load(recapOut, 'meetups/2019-08-13/index.html')('main .lead').text(), 'In the park', 'a line of text it holds is data too');
    assert.match(recapStderr, /^_layouts\/meetup\.html note: shows page\.location, page\.lead, page\.talks of the page in this layout that has text of its own: Recap's theme shows their text, not this layout \[R503\]$/m);
    const blog = load(recapOut, '2019/08/13/blog.html');
    assert.equal(blog('main .post-body').text().trim(), 'Blog words.');
    assert.equal(blog('.share, #comments').length, 0);
    const texts = ($: cheerio.CheerioAPI, selector: string) => $(selector).map((_, e) => $(e).text()).get();
    for (const [file, selector] of [['schedule.html', '.sessions li'], ['sponsors/index.html', '.sponsors a'], ['sponsors/index.html', '.wide h2'],
      ['meetups/2019-03-12/index.html', 'h3'], ['meetups/2019-03-12/index.html', '.about'], ['meetups/2019-03-12/index.html', 'a.watch'], ['meetups/2019-03-12/index.html', 'h1'],
      ['2019/04/09/april.html', 'h3'], ['2019/04/09/april.html', '.about'], ['meetups/2019-05-14/index.html', '.where'], ['meetups/2019-05-14/index.html', 'h3']] as const) {
      const expected = texts(load(jekyllOut, file), selector);
      assert.ok(expected.length > 0, `${file}: Jekyll shows ${selector}`);
      assert.deepEqual(texts(load(recapOut, file), `main ${selector}`), expected, `${file}: ${selector} as Jekyll shows it`);
    }
    assert.deepEqual(load(recapOut, 'sponsors/index.html')('main .sponsors a').map((_, a) => load(recapOut, 'sponsors/index.html')(a).attr('href')).get(), ['https://acme.example', 'https://globex.example']);
    // A page with words of its own shows them (Recap's theme is its frame); one whose layout shows nothing of the site stays as it is.
    assert.equal(load(recapOut, 'written.html')('main .post-body').text().trim(), 'Its own words.');
    assert.equal(load(recapOut, 'empty.html')('main .post-body').text().trim(), '');
    assert.equal(load(recapOut, 'index.html')('.home-list').length, 0, 'the home page lists the posts as Recap\'s');
    // Its description is its first paragraph with words in it (the place and the lead are empty).
    assert.equal(load(recapOut, 'meetups/2019-03-12/index.html')('meta[name="description"]').attr('content'), 'An overview of A/B testing.');
    // A document's heading is its layout's (its date with it), the only one; a post's title and date are the theme's.
    assert.equal(load(recapOut, 'meetups/2019-03-12/index.html')('h1').length, 1);
    assert.deepEqual(texts(load(recapOut, '2019/04/09/april.html'), 'h1'), ['April meetup']);
    // A layout that heads the page with its title as an <h2> (the sponsors' section) gives its only heading, as in Jekyll, not the theme's <h1> above it too;
    // a post's such heading is the theme's (its title and date), once.
    const headings = 'main h1, main h2, main h3, main h4, main h5, main h6';
    assert.deepEqual(texts(load(recapOut, 'sponsors/index.html'), headings), texts(load(jekyllOut, 'sponsors/index.html'), headings.replaceAll('main ', '')));
    assert.deepEqual(texts(load(recapOut, 'sponsors/index.html'), headings), ['Sponsors']);
    const september = load(recapOut, '2019/09/10/september.html');
    assert.deepEqual([texts(september, headings), september('main .venue').text()], [['September meetup'], 'The Hub']);
    // Its layout lists its talks: the theme's list is not shown again, and the talk is still the site's, as is a meetup document's with its recording, newest first.
    assert.equal(load(recapOut, '2019/04/09/april.html')('.talk-list').length, 0);
    assert.deepEqual((JSON.parse(readFileSync(path.join(recapOut, 'talks.json'), 'utf8')) as Array<{ title: string; start: number }>).map((t) => [t.title, t.start]), [['Queues', 60], ['Experiments', 0]]);
    assert.equal(load(recapOut, 'meetups/2019-03-12/index.html')('.talk-list').length, 0, 'the document\'s own layout lists its talks');
  });

  it('reads a layout with no front matter, as Jekyll renders it', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Bare\n',
      '_layouts/talk.html': '<article><p class="speaker">{{ page.speaker.name }} of {{ page.speaker.org }}</p>{{ content }}</article>\n',
      '_posts/2024-03-06-a.md': '---\ntitle: A talk\nlayout: talk\nspeaker: {name: Ann Lee, org: Acme}\n---\nIts words.\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const load = (folder: string) => cheerio.load(readFileSync(path.join(folder, '2024/03/06/a.html'), 'utf8'));
    assert.equal(load(jekyllOut)('.speaker').text(), 'Ann Lee of Acme');
    assert.equal(load(recapOut)('main .speaker').text(), 'Ann Lee of Acme');
  });

  it('puts a page\'s text in its layouts once, however often they say {{ content }}, so nested layouts cannot multiply it', async () => {
    const layouts = Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`_layouts/l${n}.html`, `---\nlayout: l${n + 1}\n---\n<div class="l${n}">{{ page.roles }}${'{{ content }}'.repeat(40)}</div>\n`]));
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Nested\n', ...layouts,
      '_posts/2024-03-06-a.md': post('title: A\nlayout: l0\nroles: [host]', `${'Words of the post. '.repeat(5000)}\n`),
    }));
    const body = html(result, '/2024/03/06/a.html')('main .post-body');
    assert.equal(body.find('.l7 .l0').length, 1, 'the layouts nest, innermost inside');
    assert.equal(body.text().split('Words of the post.').length - 1, 5000, 'the text is there once');
    // Nor does a loop around {{ content }} repeat it.
    const looped = await buildSite(makeSite({
      '_config.yml': 'title: Looped\n',
      '_layouts/loop.html': '---\nlayout: none\n---\n<div class="roles">{{ page.roles }}</div>{% for i in (1..3000) %}{{ content }}{% endfor %}\n',
      '_posts/2024-03-06-a.md': post('title: A\nlayout: loop\nroles: [host]', `${'Words of the post. '.repeat(5000)}\n`),
    }));
    assert.equal(html(looped, '/2024/03/06/a.html')('main .post-body').text().split('Words of the post.').length - 1, 5000);
  });

  it('takes a talk\'s video: {url: ...} as its recording while its layouts and lists still read the mapping, and says nothing of a layout it renders (a .NET user group\'s talks)', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: User Group\npermalink: pretty\n',
      '_layouts/master.html': '<!DOCTYPE html>\n<html><head><title>{{ page.title }}</title></head><body>{{ content }}</body></html>\n',
      '_layouts/blank.html': '---\nlayout: master\n---\n<div class="container">{{ content }}</div>\n',
      '_layouts/talk.html': '---\nlayout: blank\n---\n<h3>{{ page.title }}</h3>\n<div class="words">{{ content }}</div>\n<h2>Sprecher</h2>\n<div class="about">{{ page.speaker.description | markdownify }}</div>\n',
      '_posts/2016-04-25-bots.md': '---\nlayout: talk\ntitle: Bots\nspeaker:\n  name: Flo\n  description: Flo advises on *IoT*.\nvideo:\n  url: https://www.youtube.com/watch?v=Ab3dE5fG7hJ\n  thumbnail: http://i1.ytimg.com/vi/Ab3dE5fG7hJ/mqdefault.jpg\n---\nBots that talk.\n',
      '_posts/2016-01-25-contracts.md': '---\nlayout: talk\ntitle: Contracts\nspeaker:\n  name: Kim\n  description: Kim tests.\n---\nDesign by contract.\n',
      'videoarchive.html': '---\nlayout: blank\ntitle: Videos\n---\n<div class="videos">{% for post in site.posts %}{% if post.video %}<a class="video" href="{{ post.video.url }}"><img src="{{ post.video.thumbnail }}" alt="{{ post.title }}"></a>{% endif %}{% endfor %}</div>\n',
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const load = (folder: string, file: string) => cheerio.load(readFileSync(path.join(folder, file), 'utf8'));
    const bots = load(recapOut, '2016/04/25/bots/index.html');
    assert.equal(bots('main figure.video').attr('data-video-id'), 'Ab3dE5fG7hJ', 'the recording is the post\'s');
    assert.equal(bots('main .about').html()!.trim(), load(jekyllOut, '2016/04/25/bots/index.html')('.about').html()!.trim());
    assert.equal(load(recapOut, '2016/01/25/contracts/index.html')('main figure.video').length, 0);
    const videos = load(recapOut, 'videoarchive/index.html');
    assert.deepEqual(videos('main a.video').map((_, a) => videos(a).attr('href')).get(), load(jekyllOut, 'videoarchive/index.html')('a.video').map((_, a) => load(jekyllOut, 'videoarchive/index.html')(a).attr('href')).get());
    assert.equal(videos('main a.video img').attr('src'), 'https://i1.ytimg.com/vi/Ab3dE5fG7hJ/mqdefault.jpg');
    assert.doesNotMatch(recapStderr, /R204|"talk"/, 'nothing to say of the talks\' video or of the layout they are rendered in');
    assert.match(recapStderr, /^videoarchive\.html:2:9 note: Recap's theme stands in for the layout "blank"; using "page"/m, 'a frame the theme stands in for is not called missing');
  });

  it('names the layout\'s own line when its Liquid is broken, as Jekyll does', async () => {
    const site = makeSite({
      '_config.yml': 'title: Conf\n',
      '_layouts/schedule.html': '---\nlayout: default\n---\n<h2>{{ page.title }}</h2>\n{% for s in site.data.sessions %}<li>{{ s.name }}</li>\n',
      'schedule.md': '---\ntitle: Schedule\nlayout: schedule\n---\n',
    });
    const result = runCli(['build', site, '--out', path.join(tempDir(), 'out')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^_layouts\/schedule\.html:5:1 error: Liquid: tag \{% for s in site\.data\.sessions %\} not closed \[R309\]/m);
  });
});

describe('an index page that lists the posts itself', () => {
  it('is the home page\'s introduction at /index.html (permalink: /index.html) as at /, not a clash with Recap\'s home page', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Index\n',
      'index.md': post('title: Home\npermalink: /index.html', 'Welcome home.\n'),
      '_posts/2021-01-01-a.md': post('title: A'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.equal(html(result, '/')('.home-intro p').text(), 'Welcome home.');
  });

  it('is the whole home page of a site whose talks are a collection and which has no posts, with no heading over an empty list (AI Wales\' talks)', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Talks Only\ncollections:\n  talks:\n    output: true\n    permalink: /talks/:year/:slug/\n',
      'index.html': '---\nlayout: default\n---\n<ul class="talks">{% for t in site.talks %}<li><a href="{{ t.url }}">{{ t.title }}</a></li>{% endfor %}</ul>\n',
      '_talks/2026-08-06-power.md': '---\ntitle: Power\ndate: 2026-08-06\n---\nWatts.\n',
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/');
    assert.deepEqual($('main .talks a').map((_, a) => $(a).attr('href')).get(), ['/talks/2026/power/']);
    assert.equal($('main h1, main .cards, main .empty').length, 0, 'nothing of an empty list of recaps');
    assert.deepEqual($('nav[aria-label="Site"] a').map((_, a) => $(a).text()).get(), ['Home'], 'no menu entries for lists that are all empty');
    const empty = await buildSite(makeSite({ 'recap.yml': 'title: New\n', 'posts/.keep': '' }));
    assert.equal(html(empty, '/')('main .empty').text(), 'No recaps yet.', 'a site with neither says so under its heading');
    assert.equal(html(empty, '/')('main h1').text(), 'Latest recaps');
    const oneRecap = await buildSite(makeSite({ 'recap.yml': 'title: New\n', 'posts/2024-03-06-a.md': post('title: A') }));
    assert.deepEqual(html(oneRecap, '/')('nav[aria-label="Site"] a').map((_, a) => html(oneRecap, '/')(a).text()).get(), ['Recaps', 'Talks', 'Speakers', 'Tags', 'Archive', 'Feed']);
  });

  it('is shown atop the home page without its own list of posts, so no post is listed twice (jekyll-now, a paginated blog)', async () => {
    const loops = ['{% for post in site.posts %}<article><h1><a href="{{ post.url }}">{{ post.title }}</a></h1>{{ post.excerpt }}</article>{% endfor %}',
      '{% for post in paginator.posts %}<h2 class="listed">{{ post.title }}</h2>{% endfor %}{% if paginator.next_page %}<a class="older" href="{{ paginator.next_page_path }}">Older</a>{% endif %}'];
    for (const loop of loops) {
      const result = await buildSite(makeSite({
        '_config.yml': 'title: Jekyll Now\npermalink: /:title/\npaginate: 1\n',
        'index.html': `---\nlayout: default\n---\n<p class="welcome">Welcome to the blog.</p>\n<div class="posts">${loop}</div>\n`,
        '_posts/2014-3-03-first.md': post('layout: post\ntitle: First post', 'The first.\n'),
        '_posts/2014-3-04-second.md': post('layout: post\ntitle: Second post', 'The second.\n'),
      }));
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
      const home = html(result, '/');
      assert.equal(home('.home-intro .welcome').text(), 'Welcome to the blog.', loop);
      assert.equal(home('.home-intro').text().includes('post'), false, `the index's own list is empty: ${home('.home-intro').html()}`);
      assert.equal(home('main a[href="/second/"]').filter((_, a) => home(a).text().includes('Second post')).length, 1, 'Recap lists the newest post once');
    }
  });
});

describe('excerpt separators (Debian\'s jekyll as the oracle)', () => {
  it('describe each post by the words above its separator, as Jekyll\'s excerpt holds them', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Excerpts\nexcerpt_separator: <!--more-->\n',
      '_posts/2024-01-01-a.md': post('title: A', 'First para.\n\nSecond para with [a link][1].\n\n<!--more-->\n\nRest.\n\n[1]: https://x.example\n'),
      '_posts/2024-01-02-b.md': post('title: B', 'Short teaser <!--more--> and the rest of it.\n\nMore.\n'),
      '_posts/2024-01-03-c.md': post('title: C\nexcerpt_separator: "[[more]]"', 'One.\n\nTwo [[more]] three.\n'),
      '_posts/2024-01-04-d.md': post('title: D', 'No separator here.\n\nSo all of it.\n'),
      'excerpts.html': '---\n---\n{% for p in site.posts %}<div class="excerpt" data-url="{{ p.url }}">{{ p.excerpt }}</div>{% endfor %}\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const jekyllExcerpts = excerptsListed(jekyllOut);
    assert.equal(jekyllExcerpts.length, 4);
    for (const [url, excerpt] of jekyllExcerpts) {
      const description = cheerio.load(readFileSync(path.join(recapOut, url), 'utf8'))('meta[name="description"]').attr('content');
      assert.equal(description, textOf(excerpt), url);
    }
    assert.deepEqual(excerptsListed(recapOut), jekyllExcerpts, 'a page listing the posts shows the excerpts Jekyll shows');
  });

  it('give a page that lists the posts their excerpts, as Jekyll\'s Liquid does, with the default separator', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Excerpts\n',
      '_posts/2024-01-01-a.md': post('title: A', 'First *para* with [a link][1].\n\nSecond.\n\n[1]: https://x.example\n'),
      '_posts/2024-01-02-b.md': post('title: B', '## A heading first\n\nThen text.\n'),
      '_posts/2024-01-03-c.md': post('title: C', 'Welcome to {{ site.title }}.\n\nMore.\n'),
      'excerpts.html': '---\n---\n{% for p in site.posts %}<div class="excerpt" data-url="{{ p.url }}">{{ p.excerpt }}</div>{% endfor %}\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const listed = new Map(excerptsListed(recapOut));
    for (const [url, excerpt] of excerptsListed(jekyllOut)) {
      // Liquid in an excerpt (Jekyll runs it; Recap runs none for a list) leaves the post's description: none here.
      assert.equal(textOf(listed.get(url) ?? ''), url.endsWith('/c.html') ? '' : textOf(excerpt), url);
    }
    assert.equal(listed.get('/2024/01/01/a.html'), '<p>First <em>para</em> with <a href="https://x.example">a link</a>.</p>', 'the HTML Jekyll gives, its link defined below the excerpt');
  });
});

/** The words of some HTML, white space folded. */
function textOf(html: string): string {
  return cheerio.load(html).text().replace(/\s+/g, ' ').trim();
}

/** Each post's address and excerpt (HTML, white space folded) as a Liquid page listing `site.posts` shows them. */
function excerptsListed(out: string): Array<[string, string]> {
  const $ = cheerio.load(readFileSync(path.join(out, 'excerpts.html'), 'utf8'));
  return $('.excerpt').map((_, e) => [[$(e).attr('data-url')!, ($(e).html() ?? '').replace(/\s+/g, ' ').trim()]]).get() as Array<[string, string]>;
}

describe('addresses with "." or ".." in them (Debian\'s jekyll as the oracle)', () => {
  it('publishes them where Jekyll does, with a warning at what gave each, and lists them as Jekyll lists them', { skip: withoutRedirectFrom }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Dotted\nplugins: [jekyll-redirect-from]\n',
      '_posts/2024-01-01-a.md': post('title: A\nredirect_from: ["/old/./x/", "/a..b/"]\ncategories: [".."]'),
      '_posts/2024-01-02-b.md': post('title: B\npermalink: /blog/../b/'),
      '_posts/2024-01-03-etc..md': post('title: C'),
      'urls.html': '---\n---\n<p class="urls">{% for p in site.posts %}{{ p.url }} {% endfor %}</p>\n',
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['2024/01/01/a.html', 'blog/b/index.html', '2024/01/03/etc.html', 'a/b/index.html', 'old/x/index.html']);
    const urls = (dir: string) => cheerio.load(readFileSync(path.join(dir, 'urls.html'), 'utf8'))('.urls').text().trim();
    assert.equal(urls(recapOut), urls(jekyllOut));
    const warnings = recapStderr.split('\n').filter((line) => line.includes(' warning: ') && line.includes('[R211]'));
    assert.deepEqual(warnings, [
      '_posts/2024-01-01-a.md:3:16 warning: redirect_from gives the address "/old/./x/", which Jekyll writes as "/old/x/": published there [R211]',
      '_posts/2024-01-01-a.md:3:16 warning: redirect_from gives the address "/a..b/", which Jekyll writes as "/a/b/": published there [R211]',
      '_posts/2024-01-01-a.md:4:13 warning: categories gives the address "/../2024/01/01/a.html", which Jekyll writes as "/2024/01/01/a.html": published there [R211]',
      '_posts/2024-01-02-b.md:3:12 warning: permalink gives the address "/blog/../b/", which Jekyll writes as "/blog/b/": published there [R211]',
    ]);
  });

  it('gives Liquid each address escaped as Jekyll\'s does, so a Markdown link to it holds', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Categories\npermalink: /:categories/:title/\n',
      '_posts/2024-01-01-a.md': post('title: A\ncategories: [Web Development, "C++", Ünï]'),
      '_posts/2024-01-02-b.md': post('title: B\ncategory: "Data & AI"'),
      // Jekyll gathers the lowercased categories in a set: one folder for both spellings.
      '_posts/2024-01-03-c.md': post('title: C\ncategories: [Web Development, web development, Go]'),
      'archive.md': '---\ntitle: Every post\n---\n{% for p in site.posts %}\n- [{{ p.title }}]({{ p.url }})\n{% endfor %}\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['data & ai/b/index.html', 'web development/c++/ünï/a/index.html', 'web development/go/c/index.html']);
    // Jekyll's page has no layout here; Recap's has its theme's menu around the post's own list.
    const links = (file: string, within: string) => {
      const $ = cheerio.load(readFileSync(file, 'utf8'));
      return $(`${within} li a`).map((_, a) => `${$(a).attr('href')} ${$(a).text()}`).get();
    };
    const listed = links(path.join(recapOut, 'archive/index.html'), '.post-body');
    assert.deepEqual(listed, links(path.join(jekyllOut, 'archive/index.html'), 'body'));
    assert.deepEqual(listed, ['/web%20development/go/c/ C', '/data%20&%20ai/b/ B', '/web%20development/c++/%C3%BCn%C3%AF/a/ A']);
  });

  it('leaves out, with a warning, a post or a redirect that Jekyll would publish in a hidden folder, and builds the rest', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Dotted\npermalink: /:title/\nplugins: [jekyll-redirect-from]\n',
      '_posts/2024-01-01-wait...then.md': post('title: Wait'),
      '_posts/2024-01-02-b.md': post('title: B\nredirect_from: [/old-b/, /.old-b/]'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.deepEqual(messages(result).filter((line) => line.includes('[R211]')).map((line) => line.split('\n')[0]), [
      '_posts/2024-01-01-wait...then.md:2:1 warning: file name "/wait/.then/" cannot be an output path: a part of it starts with "." (hidden files are not published): the post is left out [R211]',
      '_posts/2024-01-02-b.md:3:16 warning: redirect_from "/.old-b/" cannot be an output path: a part of it starts with "." (hidden files are not published): this redirect is left out [R211]',
    ]);
    const urls = result.manifest.all().map((file) => file.url);
    assert.ok(urls.includes('/b/') && urls.includes('/old-b/'), urls.join(', '));
    assert.ok(!urls.some((url) => url.includes('/.')), urls.join(', '));
  });

  it('still refuses them on a Recap site, at what gave each', async () => {
    const result = await buildSite(makeSite({ 'recap.yml': 'title: Dotted\nurl: https://dotted.example\npermalink: /:categories/:title/\n', 'posts/2024-01-01-a.md': post('title: A\ncategories: [".."]') }));
    assert.deepEqual(messages(result).map((line) => line.split('\n')[0]), ['posts/2024-01-01-a.md:3:13 error: categories "/../a/" cannot be an output path: it contains a "." or ".." segment [R211]']);
  });
});

describe('a Jekyll site with folders Recap also reads (Debian\'s jekyll as the oracle)', () => {
  it('publishes its own posts/, pages/, drafts/ and templates/ as Jekyll does, and keeps reading _posts', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Own folders\npermalink: pretty\n',
      '_posts/2015-1-15-start.md': post('title: Start'),
      '_posts/2016-09-11-back.md': post('title: Back'),
      'posts/index.html': '---\ntitle: All posts\n---\n{% for p in site.posts %}<a class="listed" href="{{ p.url }}">{{ p.title }}</a>{% endfor %}\n',
      'pages/team.md': post('title: Team', 'We are the team.\n'),
      'pages/contact.md': post('title: Contact\npermalink: /contact/', 'Write to us.\n'),
      'pages/logo.txt': 'a file of the folder\n',
      'drafts/test.md': '# A note without front matter\n',
      'templates/email.txt': 'Dear {{ name }},\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const { made } = publishesWhatJekyllDoes(jekyllOut, recapOut, ['2015/01/15/start/index.html', '2016/09/11/back/index.html', 'posts/index.html', 'pages/team/index.html', 'contact/index.html', 'pages/logo.txt', 'drafts/test.md', 'templates/email.txt']);
    assert.ok(!made.has('team/index.html'), 'pages/team.md is not moved to /team/');
    const list = cheerio.load(readFileSync(path.join(recapOut, 'posts/index.html'), 'utf8'));
    assert.deepEqual(list('a.listed').map((_, a) => list(a).attr('href')).get(), ['/2016/09/11/back/', '/2015/01/15/start/'], 'the list page\'s Liquid sees the posts of _posts');
    assert.equal(readFileSync(path.join(recapOut, 'drafts/test.md'), 'utf8'), '# A note without front matter\n', 'copied as it is');
  });

  it('reads nothing from the folder destination: names, Jekyll\'s last output, and says where it writes instead; says source: is not followed', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Own output\ndestination: ./public/\n',
      '_posts/2024-01-01-now.md': post('title: Now'),
      'public/2019/05/05/gone.html': '<html>Jekyll\'s output of a post since removed</html>\n',
      'public/notes.txt': 'left from an old build\n',
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site, 'public');
    const { expected, made } = publishesWhatJekyllDoes(jekyllOut, recapOut, ['2024/01/01/now.html']);
    assert.ok(!expected.some((f) => f.startsWith('public/')) && ![...made].some((f) => f.startsWith('public/')), [...made].join(', '));
    assert.match(recapStderr, /^_config\.yml:2:14 note: destination: public is where Jekyll writes the site: Recap reads nothing from it, and writes where --out says \(_site by default\) \[R125\]$/m);

    writeFileSync(path.join(site, '_config.yml'), 'title: Own output\nsource: src\ndestination: ../elsewhere\n');
    const lines = messages(await buildSite(site)).map((m) => m.split('\n')[0]);
    assert.ok(lines.includes('_config.yml:2:9 warning: source: src is not followed: Recap reads the site from the folder holding _config.yml [R125]'), lines.join('\n'));
    assert.ok(lines.includes('_config.yml:3:14 note: destination: ../elsewhere is not followed: Recap writes where --out says (_site by default) [R125]'), lines.join('\n'));
  });

  it('still reads posts/ and pages/ as Recap\'s own where the site has no _posts, and templates/ where it holds Nunjucks, and writes a new post where the posts are', async () => {
    const recapShaped = makeSite({ '_config.yml': 'title: Recap folders\n', 'posts/2024-03-06-a.md': post('title: A'), 'pages/about.md': post('title: About', 'Us.\n') });
    const result = await buildSite(recapShaped);
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.ok(result.manifest.get('/2024/03/06/a.html'), 'the post, at Jekyll\'s default address');
    assert.ok(result.manifest.get('/about.html'), 'the page, without its folder');
    // A templates/ with a Nunjucks layout is Recap's on a Jekyll site too.
    const themed = await buildSite(makeSite({ '_config.yml': 'title: Own layout\n', '_posts/2024-03-06-a.md': post('title: A'), 'templates/post.njk': '<p class="mine">{{ post.title }}</p>' }));
    assert.equal(html(themed, '/2024/03/06/a.html')('p.mine').text(), 'A');
    assert.equal(themed.manifest.has('/templates/post.njk'), false);
    const jekyllShaped = makeSite({ '_config.yml': 'title: Jekyll folders\n', '_posts/2024-03-06-a.md': post('title: A'), 'posts/index.html': '---\ntitle: Posts\n---\nAll.\n' });
    const made = runCli(['new', 'post', 'Spring meetup', '--site', jekyllShaped, '--date', '2024-04-01']);
    assert.equal(made.code, 0, made.stderr);
    assert.deepEqual(readdirSync(path.join(jekyllShaped, '_posts')).sort(), ['2024-03-06-a.md', '2024-04-01-spring-meetup.md'], 'into _posts, not the list page\'s folder');
    const empty = makeSite({ '_config.yml': 'title: No posts yet\n' });
    assert.equal(runCli(['new', 'post', 'First meetup', '--site', empty, '--date', '2024-04-01']).code, 0);
    assert.deepEqual(readdirSync(path.join(empty, '_posts')), ['2024-04-01-first-meetup.md'], 'a Jekyll site\'s first post goes to _posts');
  });
});

/**
 * A theme's pages beside one post, published twice: a first build, then a rebuild from the page
 * store after the post's title changed; `check` looks at each.
 */
async function publishedTwice(themePages: Record<string, string>, check: (published: Awaited<ReturnType<typeof publishSite>>, out: string, round: number) => void): Promise<void> {
  const site = makeSite({ '_config.yml': 'title: Theme pages\ninclude: [_pages]\n', ...themePages, '_posts/2024-03-06-a.md': post('title: A\ntags: [k8s]') });
  const out = path.join(site, '_site');
  for (const round of [1, 2]) {
    if (round === 2) writeFileSync(path.join(site, '_posts/2024-03-06-a.md'), post('title: A, edited\ntags: [k8s]'));
    await sleep(5);
    const published = await publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 });
    assert.equal(published.outcome, 'built');
    check(published, out, round);
  }
}

describe('a theme\'s list pages without text of their own', () => {
  it('leave /tags/ to Recap\'s tag index, on a first build and on a rebuild from the page store', async () => {
    await publishedTwice({ '_pages/tag-archive.md': '---\ntitle: "Posts by Tag"\npermalink: /tags/\nlayout: tags\n---\n' }, (published, out, round) => {
      assert.ok(published.diagnostics.list.some((d) => d.code === 'R117' && d.file === '_pages/tag-archive.md'), `round ${round}`);
      const tags = cheerio.load(readFileSync(path.join(out, 'tags/index.html'), 'utf8'));
      assert.equal(tags('main a[href="/tags/k8s/"]').length, 1, `round ${round}: Recap's tag index`);
    });
  });

  it('send readers from an address of their own to Recap\'s list, on a first build and on a rebuild', async () => {
    await publishedTwice({
      '_pages/year-archive.md': '---\ntitle: "Posts by Year"\npermalink: /year-archive/\nlayout: posts\nauthor_profile: true\n---\n',
      '_pages/category-archive.md': '---\ntitle: "Posts by Category"\npermalink: /categories/\nlayout: categories\n---\n',
      '_pages/topics.md': '---\ntitle: "Topics"\npermalink: /topics/\nlayout: tags\n---\n',
      '_pages/reading.md': '---\ntitle: "Reading list"\npermalink: /reading/\nlayout: posts\n---\nBooks we liked.\n',
    }, (published, out, round) => {
      const redirect = (page: string) => cheerio.load(readFileSync(path.join(out, page, 'index.html'), 'utf8'))('link[rel="canonical"]').attr('href');
      assert.deepEqual(['year-archive', 'categories', 'topics'].map(redirect), ['/archive/', '/archive/', '/tags/'], `round ${round}`);
      assert.deepEqual(published.diagnostics.list.filter((d) => d.code === 'R120').map((d) => d.file).sort(), ['_pages/category-archive.md', '_pages/topics.md', '_pages/year-archive.md']);
      // A list page with text of its own is published as it is, its unknown layout a warning.
      assert.match(readFileSync(path.join(out, 'reading/index.html'), 'utf8'), /Books we liked/);
      assert.ok(published.diagnostics.list.some((d) => d.code === 'R502' && d.file === '_pages/reading.md'));
      const sitemap = readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
      assert.ok(!/year-archive|categories|topics/.test(sitemap), sitemap);
    });
  });
});

describe('an academic site in academicpages\' shape (Debian\'s jekyll as the oracle)', () => {
  it('keeps its About page\'s redirects, shows the text of pages whose layout is archive or talks, and lists a collection in Jekyll\'s order', { skip: withoutRedirectFrom }, async () => {
    const talk = (date: string, title: string, kind: string) => post(`title: "${title}"\ncollection: talks\ntype: "${kind}"\npermalink: /talks/${date}-${kind.toLowerCase()}\ndate: ${date}\nlayout: talk`, `A ${kind.toLowerCase()}.\n`);
    const site = makeSite({
      '_config.yml': 'title: Ada Researcher\nurl: https://ada.example\ninclude: [_pages]\npermalink: /:categories/:title/\nplugins: [jekyll-redirect-from]\ncollections:\n  talks:\n    output: true\n    permalink: /:collection/:path/\n  publications:\n    output: true\n    permalink: /:collection/:path/\n',
      '_pages/about.md': '---\npermalink: /\ntitle: "About me"\nredirect_from:\n  - /about/\n  - /about.html\n---\nThe front page.\n',
      '_pages/publications.html': '---\nlayout: archive\ntitle: "Publications"\npermalink: /publications/\n---\n<ul class="list">{% for p in site.publications reversed %}<li>{{ p.title }} ({{ p.venue }})</li>{% endfor %}</ul>\n',
      '_pages/talks.html': '---\nlayout: talks\ntitle: "Talks and presentations"\npermalink: /talks/\n---\n<ul class="list">{% for p in site.talks %}<li>{{ p.title }}, {{ p.type }}</li>{% endfor %}</ul>\n',
      '_pages/cv.md': '---\nlayout: archive\ntitle: "CV"\npermalink: /cv/\nredirect_from: [/resume]\n---\nEducation\n======\n* Ph.D, 2018\n',
      '_publications/2009-10-01-paper-one.md': post('title: "Paper One"\ncollection: publications\nvenue: Journal 1\ndate: 2009-10-01'),
      '_publications/2015-10-01-paper-three.md': post('title: "Paper Three"\ncollection: publications\nvenue: Journal 3\ndate: 2015-10-01'),
      '_publications/undated-paper.md': post('title: "Paper Undated"\ncollection: publications\nvenue: Preprint'),
      '_talks/2013-03-01-tutorial.md': talk('2013-03-01', 'Tutorial on testing', 'Tutorial'),
      '_talks/2012-03-01-talk.md': talk('2012-03-01', 'Talk on testing', 'Talk'),
      '_posts/2012-08-14-blog-post-1.md': post('title: Blog Post number 1\npermalink: /posts/2012/08/blog-post-1/'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['about/index.html', 'about.html', 'resume.html', 'talks/2012-03-01-talk.html', 'publications/index.html']);
    const listed = (dir: string, page: string) => {
      const $ = cheerio.load(readFileSync(path.join(dir, page), 'utf8'));
      return $('ul.list li').map((_, li) => $(li).text()).get();
    };
    for (const page of ['publications/index.html', 'talks/index.html']) assert.deepEqual(listed(recapOut, page), listed(jekyllOut, page), page);
    assert.deepEqual(listed(recapOut, 'publications/index.html'), ['Paper Undated (Preprint)', 'Paper Three (Journal 3)', 'Paper One (Journal 1)']);
    const cv = cheerio.load(readFileSync(path.join(recapOut, 'cv/index.html'), 'utf8'));
    assert.equal(cv('main li').first().text(), 'Ph.D, 2018', 'the CV\'s own text, not an archive of Recap\'s');
    const about = cheerio.load(readFileSync(path.join(recapOut, 'about/index.html'), 'utf8'));
    assert.equal(about('link[rel="canonical"]').attr('href'), 'https://ada.example/');
  });
});

describe('a theme\'s menu', () => {
  const menu = async (files: Record<string, string>) => {
    const result = await buildSite(makeSite({ '_posts/2024-03-06-a.md': post('title: A'), ...files }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    return html(result, '/2024/03/06/a.html')('header nav a').map((_, a) => `${cheerio.load(a).text()} ${cheerio.load(a)('a').attr('href')}`).get().slice(6);
  };

  it('follows Recap\'s own lists in the header, as Minimal Mistakes\' _data/navigation.yml, Beautiful Jekyll\'s navbar-links and minima\'s header_pages give it', async () => {
    assert.deepEqual(await menu({
      '_config.yml': 'title: MM\n',
      '_data/navigation.yml': 'main:\n  - title: Guide\n    url: https://docs.example/guide/\n  - title: About\n    url: /about/\n  - title: Tags\n    url: /tags/\n  - title: Evil\n    url: "javascript:alert(1)"\n  - title: CV\n    url: cv/\n',
      'about.md': post('title: About\npermalink: /about/'),
    }), ['Guide https://docs.example/guide/', 'About /about/', 'CV /cv/'], 'Recap\'s /tags/ once; a refused address left out; a relative one from the root');
    assert.deepEqual(await menu({
      '_config.yml': 'title: BJ\nnavbar-links:\n  About Me: "aboutme"\n  Resources:\n    - Beautiful Jekyll: "https://beautifuljekyll.com"\n    - Learn markdown: "https://www.markdowntutorial.com/"\n',
      'aboutme.md': post('title: About me'),
    }), ['About Me /aboutme', 'Beautiful Jekyll https://beautifuljekyll.com', 'Learn markdown https://www.markdowntutorial.com/']);
    const minima = { 'about.markdown': post('title: About\npermalink: /about/'), 'contact.md': post('title: Contact'), 'index.markdown': post('layout: home'), '404.html': post('permalink: /404.html') };
    assert.deepEqual(await menu({ '_config.yml': 'title: Minima\ntheme: minima\nheader_pages:\n  - contact.md\n  - about.markdown\n', ...minima }), ['Contact /contact.html', 'About /about/']);
    assert.deepEqual(await menu({ '_config.yml': 'title: Minima\ntheme: minima\n', ...minima }), ['About /about/', 'Contact /contact.html'], 'every page with a title, by path, as minima lists them');
    assert.deepEqual(await menu({ '_config.yml': 'title: Plain\n', ...minima }), ['About /about/', 'Contact /contact.html'], 'no theme gem (jekyll-now: a menu its own layout writes): every page with a title');
    assert.deepEqual(await menu({ '_config.yml': 'title: Cayman\ntheme: jekyll-theme-cayman\n', ...minima }), [], 'a theme gem that lists no pages: none listed');
    const docs = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`page-${i}.md`, post(`title: Page ${i}`)]));
    assert.deepEqual(await menu({ '_config.yml': 'title: Docs\n', ...docs }), [], 'more pages than a header holds: none listed');
  });

  it('gives the site\'s own menu entry named as one of Recap\'s that one\'s place, so no name is in the menu twice (the Dundee Data Meetup\'s Speakers)', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Data\n', '_posts/2024-03-06-a.md': post('title: A'),
      '_data/navigation.yml': 'main:\n  - title: Events\n    url: /events.html\n  - title: Speakers\n    url: /speakers.html\n',
      'events.html': post('title: Events'), 'speakers.html': post('title: Speakers', '<p>Our speakers\' bios.</p>\n'),
    }));
    const $ = html(result, '/2024/03/06/a.html');
    assert.deepEqual($('header nav a').map((_, a) => `${$(a).text()} ${$(a).attr('href')}`).get(),
      ['Recaps /', 'Talks /talks/', 'Speakers /speakers.html', 'Tags /tags/', 'Archive /archive/', 'Feed /feed.xml', 'Events /events.html']);
    assert.ok(result.manifest.get('/speakers/'), 'Recap\'s list of speakers is still made, for the talks\' links to it');
  });

  it('orders al-folio\'s nav: true pages by nav_order', async () => {
    assert.deepEqual(await menu({
      '_config.yml': 'title: Folio\n',
      'cv.md': post('title: CV\nnav: true\nnav_order: 3'),
      'projects.md': post('title: Projects\nnav: true\nnav_order: 2'),
      'blog.md': post('title: Blog\nnav: true\nnav_order: 1'),
    }), ['Blog /blog.html', 'Projects /projects.html', 'CV /cv.html']);
  });
});

describe('front matter and Liquid as Jekyll reads them (Debian\'s jekyll as the oracle)', () => {
  it('takes empty keys as not given, numbers and flags as tags, jekyll-seo-tag\'s image mapping, and {% include_relative %}', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Loose\n',
      '_posts/2024-03-06-loose.md': '---\ntitle: Loose\npermalink:\ntags: [2024, 3.5, true]\nimage:\n  path: /images/missing.jpeg\n  alt: The audience\n---\nHello {% include_relative notes/snippet.txt %}\n',
      '_posts/notes/snippet.txt': 'from a file beside the post.\n',
      // Rows short and long, a blank line, a field left empty and one quoted empty, as spreadsheets write them.
      '_data/members.csv': 'name,role\r\n"Lee, Ann",host\r\nBo,speaker\r\nDi\r\nEd,crew,extra\r\n\r\nFay,\r\nGus,""\r\n"Ida, ""I""",""\r\n"",crew\r\nJo,"a,"""\r\n',
      '_data/crew.tsv': 'name\trole\nCy\tcrew\n',
      // JSON as Jekyll reads it, as YAML: a comment and trailing commas are no error.
      '_data/team.json': '{\n  # who leads\n  "lead": "Ann",\n  "members": ["Bo", "Cy", ],\n}\n',
      '_posts/2024-03-07-team.md': post('title: Team', '{% for m in site.data.members %}<span class="m">{{ m.name }}={{ m.role }}{% if m.role %}!{% endif %}</span>{% endfor %}{% for m in site.data.crew %}<span class="m">{{ m.name }}={{ m.role }}</span>{% endfor %}'
        + '<span class="m">{{ site.data.team.lead }}:{{ site.data.team.members | join: "+" }}</span>\n'),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    assert.ok(files(jekyllOut).includes('2024/03/06/loose.html'), files(jekyllOut).join(', '));
    const page = cheerio.load(readFileSync(path.join(recapOut, '2024/03/06/loose.html'), 'utf8'));
    assert.match(readFileSync(path.join(jekyllOut, '2024/03/06/loose.html'), 'utf8'), /Hello from a file beside the post\./);
    assert.equal(page('.post-body p').first().text(), 'Hello from a file beside the post.');
    assert.deepEqual(page('.tag-list a').map((_, a) => page(a).text()).get().sort(), ['2024', '3.5', 'true']);
    // _data's CSV and TSV tables are lists of rows keyed by their header, as Ruby's CSV reads them (a field left empty is nil).
    const members = (file: string) => [...readFileSync(file, 'utf8').matchAll(/<span class="m">([^<]*)<\/span>/g)].map((m) => m[1]);
    assert.deepEqual(members(path.join(recapOut, '2024/03/07/team.html')), members(path.join(jekyllOut, '2024/03/07/team.html')));
    assert.deepEqual(members(path.join(recapOut, '2024/03/07/team.html')), ['Lee, Ann=host!', 'Bo=speaker!', 'Di=', 'Ed=crew!', '=', 'Fay=', 'Gus=!', 'Ida, “I”=!', '=crew!', 'Jo=a,”!', 'Cy=crew', 'Ann:Bo+Cy']);
  });

  it('reads plain YAML values as Jekyll does: yes, no, on and off as flags, 1,000, 012, 0x1F and 1:30 as numbers, 1e3 and y as text, and publishes as Ruby takes published', { skip: withoutJekyll }, async () => {
    // Each value in front matter, in _config.yml and in _data, shown with what Liquid takes it for.
    const values = ['no', 'Off', 'YES', 'on', 'y', 'n', 'Null', '~', '', '1_000', '1,000', '012', '019', '0x1F', '0b101', '0o17', '1:30', '-1:30', '1:2:3:4', '1e3', '.5', '-.inf', '"no"', "'012'", '2016-03-21'];
    const yaml = values.map((value, i) => `k${i}: ${value}`).join('\n');
    const show = (scope: string) => `{% for i in (0..${values.length - 1}) %}{% capture k %}k{{ i }}{% endcapture %}<li>{{ ${scope}[k] }}|{% if ${scope}[k] == true %}T{% elsif ${scope}[k] == false %}F{% elsif ${scope}[k] == nil %}N{% else %}V{% endif %}</li>{% endfor %}`;
    const site = makeSite({
      '_config.yml': `title: Flags\nfuture: no\n${yaml}\n`,
      '_data/values.yml': `${yaml}\n`,
      '_posts/2024-03-06-a.md': `---\ntitle: A\nrender_with_liquid: Off\n---\nKept as written: {{ page.title }}\n`,
      '_posts/2030-01-01-later.md': post('title: Later'),
      '_posts/2024-03-07-quoted.md': post('title: Quoted\npublished: "false"'),
      '_posts/2024-03-08-empty.md': post('title: Empty\npublished:'),
      'values.html': `---\n${yaml}\n---\n<ul class="page">${show('page')}</ul><ul class="site">${show('site')}</ul><ul class="data">${show('site.data.values')}</ul>\n`,
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const shown = (dir: string) => {
      const $ = cheerio.load(readFileSync(path.join(dir, 'values.html'), 'utf8'));
      return ['page', 'site', 'data'].map((list) => $(`ul.${list} li`).map((_, li) => $(li).text()).get());
    };
    const recap = shown(recapOut);
    assert.deepEqual(recap, shown(jekyllOut));
    assert.deepEqual(recap[0]!.slice(0, 8), ['false|F', 'false|F', 'true|T', 'true|T', 'y|V', 'n|V', '|N', '|N']);
    assert.deepEqual(recap[0]!.slice(9, 20), ['1000|V', '1000|V', '10|V', '019|V', '31|V', '5|V', '0o17|V', '5400|V', '-1800|V', '1:2:3:4|V', '1e3|V']);
    // `future: no` keeps the later post out, and `render_with_liquid: Off` keeps the post's Liquid as written, as in Jekyll.
    assert.ok(!files(jekyllOut).includes('2030/01/01/later.html') && !files(recapOut).includes('2030/01/01/later.html'));
    // Jekyll publishes what `published` leaves true in Ruby: "false" is text, so true; an empty one is nil.
    for (const [file, published] of [['2024/03/07/quoted.html', true], ['2024/03/08/empty.html', false]] as const) {
      assert.equal(files(jekyllOut).includes(file), published, file);
      assert.equal(files(recapOut).includes(file), published, file);
    }
    assert.match(recapStderr, /^_posts\/2024-03-07-quoted\.md:3:12 warning: published "false" is text, which Jekyll takes as true: published \[R204\]$/m);
    const body = (dir: string) => {
      const $ = cheerio.load(readFileSync(path.join(dir, '2024/03/06/a.html'), 'utf8'));
      return $('p').filter((_, p) => $(p).text().startsWith('Kept')).first().text();
    };
    assert.equal(body(recapOut), 'Kept as written: {{ page.title }}');
    assert.equal(body(recapOut), body(jekyllOut));
  });

  it('shows a gist as jekyll-gist does, lets its script in, and takes a post\'s own excerpt as its description', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Gists\nplugins: [jekyll-gist]\n',
      '_posts/2024-03-06-a.md': post('title: A\nexcerpt: The short of it', 'The code:\n\n{% gist octocat/6cad326836d38bd3a7ae deploy.sh %}\n'),
      '_posts/2024-03-07-b.md': post('title: B', '{% gist "><script>alert(1)</script> %}\n'),
    }));
    const page = html(result, '/2024/03/06/a.html');
    assert.equal(page('.post-body script').attr('src'), 'https://gist.github.com/octocat/6cad326836d38bd3a7ae.js?file=deploy.sh');
    assert.equal(page('meta[name="description"]').attr('content'), 'The short of it');
    assert.match(output(result, '/_headers'), /script-src[^;\n]*https:\/\/gist\.github\.com/);
    assert.ok(messages(result).some((m) => /^_posts\/2024-03-07-b\.md:4:\d+ error: Liquid: gist .* is not a gist id/.test(m)), messages(result).join('\n'));
  });

  it('puts the home pages after the first where paginate_path says, and says so of a path it cannot follow', async () => {
    const posts = { '_posts/2024-03-06-a.md': post('title: A'), '_posts/2024-03-07-b.md': post('title: B'), '_posts/2024-03-08-c.md': post('title: C') };
    for (const [setting, second, note] of [
      ['/blog/page:num/', '/blog/page2/', /^_config\.yml:3 note: the home pages after the first are at \/blog\/page2\/, \/blog\/page3\/, \.\.\.; the first is the home page, \/, not \/blog\/ \[R118\]$/m],
      ['blog/page-:num', '/blog/page-2/', /R118/],
      ['/page:num/', '/page2/', undefined],
      ['page:num', '/page2/', undefined],
      ['/../page:num/', '/page2/', /^_config\.yml:3 note: paginate_path "\/\.\.\/page:num\/" is not followed/],
      ['/blog/page/', '/page2/', /is not followed/],
    ] as const) {
      const result = await buildSite(makeSite({ '_config.yml': `title: Pages\npaginate: 2\npaginate_path: "${setting}"\n`, ...posts }));
      const lines = messages(result);
      assert.equal(lines.some((m) => /\[R118\]/.test(m)), note !== undefined, `${setting}: ${lines.join('\n')}`);
      if (note) assert.ok(lines.some((m) => note.test(m)), `${setting}: ${lines.join('\n')}`);
      assert.equal(html(result, '/')('a[rel="next"]').attr('href'), second, setting);
      assert.equal(html(result, second)('a[rel="prev"]').attr('href'), '/', setting);
    }
  });

  it('publishes future, unpublished and draft posts where the settings say so, as Jekyll does', { skip: withoutJekyll }, async () => {
    const posts = {
      '_posts/2099-01-01-ahead.md': post('title: Ahead'),
      '_posts/2024-01-01-held.md': post('title: Held\npublished: false'),
      // Jekyll dates a draft by its file's time; this one says its own date, so both builds agree.
      '_drafts/sketch.md': post('title: Sketch\ndate: 2024-02-02'),
      '_posts/2024-03-03-plain.md': post('title: Plain'),
    };
    const wanted = ['2099/01/01/ahead.html', '2024/01/01/held.html', '2024/02/02/sketch.html'];
    const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': 'title: Everything\nfuture: true\nunpublished: true\nshow_drafts: true\n', ...posts }));
    publishesWhatJekyllDoes(jekyllOut, recapOut, wanted);
    // Left to their defaults, the settings publish none of them, in either.
    const plain = await buildWithBoth(makeSite({ '_config.yml': 'title: Only published\n', ...posts }));
    for (const out of [plain.jekyllOut, plain.recapOut]) {
      const published = files(out);
      assert.ok(published.includes('2024/03/03/plain.html'));
      for (const file of wanted) assert.ok(!published.includes(file), `${file} is not published`);
    }
  });

  it('keeps the home pages\' addresses and length jekyll-paginate-v2 gives them (the plugin as the oracle)', { skip: withoutPaginateV2 }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Paged\nplugins: [jekyll-paginate-v2]\npagination:\n  enabled: true\n  per_page: 2\n  permalink: /page/:num/\n',
      'index.html': '---\ntitle: Home\npagination:\n  enabled: true\n---\n<p>Welcome.</p>\n',
      ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`_posts/2024-01-0${n}-p${n}.md`, post(`title: P${n}`)])),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const expected = files(jekyllOut);
    for (const file of ['index.html', 'page/2/index.html', 'page/3/index.html']) assert.ok(expected.includes(file), `Jekyll publishes ${file}: ${expected.join(', ')}`);
    const made = files(recapOut);
    for (const file of expected) assert.ok(made.includes(file), `${file} is published by Jekyll but not by Recap`);
    assert.ok(!made.includes('page/4/index.html') && !made.includes('page2/index.html'), made.join(', '));
    // Two posts a page, newest first, as the plugin's per_page says.
    const cards = (file: string) => cheerio.load(readFileSync(path.join(recapOut, file), 'utf8'))('main a[href*="/2024/01/"]').map((_, a) => a.attribs['href']).get();
    assert.deepEqual([...new Set(cards('page/2/index.html'))], ['/2024/01/03/p3.html', '/2024/01/02/p2.html']);
    assert.doesNotMatch(recapStderr, /R118/);
  });

  it('makes the lists jekyll-paginate-v2 makes of a site\'s pages: their addresses, filters, order, offset, limit and titles (the plugin as the oracle)', { skip: withoutPaginateV2 }, async () => {
    const list = (settings: string, own = '') => `---\ntitle: ${own || 'A list'}\npagination:\n  enabled: true\n${settings.replace(/^/gm, '  ')}\n---\n`;
    const site = makeSite({
      '_config.yml': 'title: Lists\nplugins: [jekyll-paginate-v2]\npagination:\n  enabled: true\n  per_page: 2\ndefaults:\n  - scope: {path: ""}\n    values: {layout: shown}\n',
      // What each list page shows in Jekyll: its posts, title and number of pages.
      '_layouts/shown.html': '{% for p in paginator.posts %}[{{ p.url }}]{% endfor %}|{{ page.title }}|{{ paginator.total_pages }}\n',
      'index.html': list('', 'Home'),
      'oldest/index.html': list(''),
      'newest/index.md': list('sort_reverse: true\noffset: 2\nlimit: 2\npermalink: /page-:num', 'Newest'),
      'files/index.md': list('sort_reverse: true\npermalink: /p:num.html\ncategory: "news, Meetups"', 'Files') + 'The news, in files.\n',
      'titles/index.html': list('sort_field: title\ntag: Rust\ntitle: "Rust (:num of :max)"', 'By title'),
      'sub/list.md': list('sort_reverse: true').replace('---\ntitle', '---\npermalink: /elsewhere/\ntitle'),
      ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => {
        const n = i + 1;
        const matter = [`title: T${10 - n} post ${n}`, n % 2 === 0 ? 'categories: [news, meetups]' : '', n % 3 === 0 ? 'tags: [rust]' : '', n === 5 ? 'hidden: true' : ''];
        return [`_posts/2024-02-0${n}-post-${n}.md`, post(matter.filter(Boolean).join('\n'), `Body ${n}.\n`)];
      })),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const lists = files(jekyllOut).filter((file) => /^(oldest|newest|files|titles|elsewhere)\//.test(file));
    assert.deepEqual(lists, [
      'elsewhere/index.html', 'elsewhere/page2/index.html', 'elsewhere/page3/index.html', 'elsewhere/page4/index.html', 'files/index.html', 'files/p2.html',
      'newest/index.html', 'newest/page-2index.html', 'oldest/index.html', 'oldest/page2/index.html', 'oldest/page3/index.html', 'oldest/page4/index.html',
      'titles/index.html', 'titles/page2/index.html',
    ]);
    const pageUrl = (file: string) => `/${file.replace(/(^|\/)index\.html$/, '$1')}`;
    for (const file of lists) {
      const [shown, title, total] = readFileSync(path.join(jekyllOut, file), 'utf8').trim().split('|') as [string, string, string];
      const $ = cheerio.load(readFileSync(path.join(recapOut, file), 'utf8'));
      // The same posts in the same order, under the same title.
      assert.deepEqual($('main .post-list a').map((_, a) => a.attribs['href']).get(), [...shown.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]), file);
      assert.equal($('main h1').text(), title, file);
      // The way on and back goes between the very pages Jekyll made.
      const next = $('main a[rel="next"]').attr('href');
      const previous = $('main a[rel="prev"]').attr('href');
      const index = lists.filter((f) => f.startsWith(file.split('/')[0]!)).indexOf(file);
      const siblings = lists.filter((f) => f.startsWith(file.split('/')[0]!));
      assert.equal(siblings.length, Number(total), file);
      assert.equal(next, siblings[index + 1] && pageUrl(siblings[index + 1]!), `${file} goes on`);
      assert.equal(previous, siblings[index - 1] && pageUrl(siblings[index - 1]!), `${file} goes back`);
    }
    // The first page shows the page's own text atop its list; the lists are in the sitemap.
    assert.match(cheerio.load(readFileSync(path.join(recapOut, 'files/index.html'), 'utf8'))('main .post-body').text(), /The news, in files\./);
    assert.match(readFileSync(path.join(recapOut, 'sitemap.xml'), 'utf8'), /\/oldest\/page2\//);
    // A rebuild from the cache lists an edited title.
    writeFileSync(path.join(site, '_posts/2024-02-09-post-9.md'), post('title: Renamed\ntags: [rust]', 'Body 9.\n'));
    const rebuilt = runCli(['build', site, '--out', recapOut]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(cheerio.load(readFileSync(path.join(recapOut, 'oldest/page4/index.html'), 'utf8'))('main .post-list a').last().text(), 'Renamed');
  });

  it('makes the autopages jekyll-paginate-v2 makes: a list for each tag, category and the posts\' collection, at its slugs (the plugin as the oracle)', { skip: withoutPaginateV2 }, async () => {
    const shown = '{% for p in paginator.posts %}[{{ p.url }}]{% endfor %}|{{ page.title }}|{{ paginator.total_pages }}\n';
    const site = makeSite({
      '_config.yml': [
        'title: Auto', 'plugins: [jekyll-paginate-v2]', 'pagination:', '  enabled: true', '  per_page: 2', '  sort_reverse: true',
        'autopages:', '  enabled: true', '  tags:', '    layouts: [tag.html]', "    title: 'Auto | :tag'", "    permalink: '/tag/:tag'", '    slugify: {mode: raw, cased: true}',
        '  categories:', '    layouts: [category.html]', '  collections:', '    layouts: [collection.html]', '',
      ].join('\n'),
      '_layouts/tag.html': shown, '_layouts/category.html': shown, '_layouts/collection.html': shown,
      'index.html': '---\ntitle: Home\npagination:\n  enabled: true\n---\n',
      ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => {
        const n = i + 1;
        return [`_posts/2024-04-0${n}-p${n}.md`, post(`title: P${n}\n${n % 2 === 0 ? 'tags: [go]\ncategory: Talks' : 'tags: [Rust, "Machine Learning"]'}`)];
      })),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const lists = files(jekyllOut).filter((file) => /^(tag|category|collection)\//.test(file));
    assert.deepEqual(lists, [
      'category/talks/index.html', 'category/talks/page2/index.html',
      'collection/posts/index.html', 'collection/posts/page2/index.html', 'collection/posts/page3/index.html', 'collection/posts/page4/index.html',
      'tag/go/index.html', 'tag/go/page2/index.html', 'tag/machine-learning/index.html', 'tag/machine-learning/page2/index.html', 'tag/rust/index.html', 'tag/rust/page2/index.html',
    ]);
    for (const file of lists) {
      // The title ('Auto | go') stands between the first bar and the last.
      const parts = readFileSync(path.join(jekyllOut, file), 'utf8').trim().split('|');
      const [posts, title] = [parts[0]!, parts.slice(1, -1).join('|')];
      const $ = cheerio.load(readFileSync(path.join(recapOut, file), 'utf8'));
      assert.deepEqual($('main .post-list a').map((_, a) => a.attribs['href']).get(), [...posts.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]), file);
      assert.equal($('main h1').text(), title, file);
    }
  });

  it('reports pagination settings of a paginated page it cannot follow at the page, and never writes a list page outside the output', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Odd lists\npagination:\n  enabled: true\n',
      'bad/index.md': '---\ntitle: Bad\npagination:\n  enabled: true\n  per_page: ten\n  permalink: /../../escape:num/\n---\n',
      'one/index.md': '---\ntitle: One\npagination:\n  enabled: true\n  per_page: 1\n  permalink: /same/\n---\n',
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`_posts/2024-03-${String(i + 1).padStart(2, '0')}-p.md`, post(`title: P${i}`)])),
    }));
    assert.ok(!messages(result).some((m) => / error: /.test(m)), messages(result).join('\n'));
    const warnings = messages(result).filter((m) => m.includes('[R214]')).map((m) => m.split('\n')[0]);
    assert.deepEqual(warnings, [
      'bad/index.md warning: the list page at /bad/../../escape2/ is left out: it cannot be an output path (it contains a "." or ".." segment) [R214]',
      'bad/index.md:3 warning: pagination per_page "ten" is not a whole number from 1 to 1000: 10 is used [R214]',
    ]);
    const urls = [...result.manifest.values()].map((file) => file.url);
    assert.ok(urls.includes('/bad/') && !urls.some((url) => url.includes('escape')), urls.join(' '));
    // A permalink without :num would put every page at one address: the first page alone is made.
    assert.ok(urls.includes('/one/') && !urls.some((url) => url.startsWith('/one/same')), urls.join(' '));
  });

  it('keeps every list address of a site paginated below a folder (jekyll-paginate as the oracle)', { skip: withoutPaginate }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Paginated\nplugins: [jekyll-paginate]\npaginate: 2\npaginate_path: "/blog/page:num/"\n',
      // The list is a theme's include: the page's own text never names the paginator.
      'blog/index.html': '---\ntitle: Blog\n---\n<nav class="paged">{% include paged.html %}</nav>\n',
      '_includes/paged.html': '{% for post in paginator.posts %}<a href="{{ post.url }}">{{ post.title }}</a>{% endfor %}<a href="{{ paginator.next_page_path }}">next</a>',
      'index.md': post('title: Home', 'Welcome.\n'),
      ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`_posts/2024-01-0${n}-p${n}.md`, post(`title: P${n}`)])),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    publishesWhatJekyllDoes(jekyllOut, recapOut, ['blog/index.html', 'blog/page2/index.html', 'blog/page3/index.html']);
    // The site's own first page lists what jekyll-paginate's lists, and goes on to the second.
    const listed = (dir: string) => cheerio.load(readFileSync(path.join(dir, 'blog/index.html'), 'utf8'))('.paged a').map((_, a) => `${cheerio.load(a).text()} ${a.attribs['href']}`).get();
    assert.deepEqual(listed(recapOut), listed(jekyllOut));
    assert.deepEqual(listed(jekyllOut), ['P5 /2024/01/05/p5.html', 'P4 /2024/01/04/p4.html', 'next /blog/page2/']);
    // A rebuild from the cache shows an edited title there too.
    writeFileSync(path.join(site, '_posts/2024-01-05-p5.md'), post('title: P5 renamed'));
    const rebuilt = runCli(['build', site, '--out', recapOut]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.deepEqual(listed(recapOut).slice(0, 1), ['P5 renamed /2024/01/05/p5.html']);
  });

  it('lists on a site\'s own index.html in no layout what jekyll-paginate lists there (jekyll-paginate as the oracle)', { skip: withoutPaginate }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Own Index\nplugins: [jekyll-paginate]\npaginate: 2\n',
      'index.html': '---\n---\n<!DOCTYPE html>\n<html><body><nav class="paged">{% include paged.html %}</nav></body></html>\n',
      '_includes/paged.html': '{% for post in paginator.posts %}<a href="{{ post.url }}">{{ post.title }}</a>{% endfor %}<a href="{{ paginator.next_page_path }}">next</a> {{ paginator.page }}/{{ paginator.total_pages }}',
      ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`_posts/2024-01-0${n}-p${n}.md`, post(`title: P${n}\nlayout: post`)])),
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    assert.equal(readFileSync(path.join(recapOut, 'index.html'), 'utf8'), readFileSync(path.join(jekyllOut, 'index.html'), 'utf8'));
    assert.match(readFileSync(path.join(recapOut, 'index.html'), 'utf8'), /P5.*P4.*href="\/page2">next<\/a> 1\/3/);
    // A rebuild from the cache shows an edited title there too.
    writeFileSync(path.join(site, '_posts/2024-01-05-p5.md'), post('title: P5 renamed\nlayout: post'));
    const rebuilt = runCli(['build', site, '--out', recapOut]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(readFileSync(path.join(recapOut, 'index.html'), 'utf8'), />P5 renamed</);
  });

  it('stops Liquid that runs too long, a post and a build at a time, with an error at the post', async () => {
    const loop = '{% for i in (1..3000000) %}{% endfor %}done\n';
    const posts = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`_posts/2024-03-${String(i + 1).padStart(2, '0')}-slow.md`, post(`title: Slow ${i}`, loop)]));
    const result = await buildSite(makeSite({ '_config.yml': 'title: Slow\n', ...posts }), { liquidBudgetMs: 1500 });
    const errors = messages(result).filter((m) => / error: Liquid: /.test(m));
    assert.ok(errors.length >= 1, messages(result).join('\n'));
    assert.ok(errors.some((m) => /has run 1.5 s in all in this build/.test(m)) || errors.some((m) => /limit/i.test(m)), errors.join('\n'));
    assert.ok(errors.every((m) => m.includes('hint: shorten its loops')), errors.join('\n'));
  });

  it('reports a broken CSV table at its line, without a stack trace', async () => {
    const result = await buildSite(makeSite({ '_config.yml': 'title: Bad table\n', '_data/bad.csv': 'a,b\n"open,1\n', '_posts/2024-03-06-a.md': post('title: A') }));
    assert.ok(messages(result).some((m) => /^_data\/bad\.csv:2 error: invalid CSV: /.test(m)), messages(result).join('\n'));
  });

  it('never reads a file for {% include_relative %} outside the post\'s folder or through a link', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'secret.txt'), 'SECRET');
    const site = path.join(root, 'site');
    mkdirSync(path.join(site, '_posts'), { recursive: true });
    writeFileSync(path.join(site, '_config.yml'), 'title: Contained\n');
    symlinkSync(path.join(root, 'secret.txt'), path.join(site, '_posts', 'linked.txt'));
    for (const name of ['../../secret.txt', '/etc/hostname', 'linked.txt', '.hidden']) {
      writeFileSync(path.join(site, '_posts/2024-03-06-a.md'), post('title: A', `{% include_relative ${name} %}\n`));
      const result = await buildSite(site);
      const lines = messages(result);
      assert.ok(lines.some((m) => m.startsWith('_posts/2024-03-06-a.md:4') && m.includes('error: Liquid:')), `${name}: ${lines.join('\n')}`);
      assert.ok(result.manifest.all().every((f) => !f.content?.toString().includes('SECRET')), name);
    }
  });
});

describe('recap check on extension-less URLs', () => {
  it('finds a link to the page\'s URL and to its file (/news/one and /news/one.html) and reports one to neither', () => {
    const site = configuredSite();
    writeFileSync(path.join(site, '_posts/2020-05-05-links.md'), post('title: Links', '[URL](/news/one), [file](/news/one.html), [gone](/news/none).\n'));
    const result = runCli(['check', site]);
    assert.equal(result.code, 1, result.stderr);
    const broken = result.stderr.split('\n').filter((line) => / error: /.test(line));
    assert.equal(broken.length, 1, result.stderr);
    assert.match(broken[0]!, /\/news\/none/);
  });
});

describe('front matter defaults', () => {
  it('are the post\'s own front matter where it says nothing, its own keys winning', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'title: Defaults\ndefaults:\n  - scope: {path: posts}\n    values: {tags: [community], description: From the defaults}\n',
      'posts/2024-03-06-a.md': post('title: A'),
      'posts/2024-03-07-b.md': post('title: B\ndescription: Its own'),
    }));
    assert.deepEqual(messages(result).filter((m) => m.includes('error')), []);
    assert.equal(html(result, '/2024/03/06/a/')('meta[name="description"]').attr('content'), 'From the defaults');
    assert.equal(html(result, '/2024/03/07/b/')('meta[name="description"]').attr('content'), 'Its own');
    assert.ok(result.manifest.get('/tags/community/'), 'the default tag has its page');
  });

  it('report a set without values, and a value of the wrong kind at the settings file, without a stack trace', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Bad defaults\ndefaults:\n  - scope: {path: ""}\n  - values: {talks: 5}\n',
      '_posts/2024-03-06-a.md': post('title: A'),
    }));
    const lines = messages(result);
    assert.ok(lines.some((m) => /^_config\.yml:3(:\d+)? warning: defaults entry 1 has no values mapping/.test(m)), lines.join('\n'));
    // Jekyll builds the post whatever the value: Recap builds it without the key, and says so.
    assert.ok(lines.some((m) => /^_config\.yml warning: defaults: talks .*\(in _posts\/2024-03-06-a\.md\): left out, and the post built without it/.test(m)), lines.join('\n'));
    assert.ok(result.manifest.has('/2024/03/06/a.html'));
    assert.ok(lines.every((m) => !/internal error|\n\s+at /.test(m)));
  });

  it('are read up to a limit, so a settings file full of them cannot slow every post down', async () => {
    const sets = Array.from({ length: 60 }, (_, i) => `  - values: {description: "Set ${i}"}\n`).join('');
    const result = await buildSite(makeSite({ '_config.yml': `title: Many\ndefaults:\n${sets}`, '_posts/2024-03-06-a.md': post('title: A') }));
    const skipped = messages(result).filter((m) => /warning: defaults entry \d+ is past the limit/.test(m));
    assert.equal(skipped.length, 10, messages(result).join('\n'));
    assert.equal(html(result, '/2024/03/06/a.html')('meta[name="description"]').attr('content'), 'Set 49', 'the last set read wins, as the sets are alike');
  });

  it('and exclude patterns match in time bounded by their length, however many wildcards a hostile one holds', async () => {
    const pattern = `${'*a'.repeat(12)}*b`;
    const long = 'a'.repeat(150);
    const result = await buildSite(makeSite({
      '_config.yml': `title: Patterns\nexclude: ["${pattern}"]\ndefaults:\n  - scope: {path: "${pattern}"}\n    values: {description: Matched}\n`,
      [`${long}.txt`]: 'copied\n',
      [`_posts/2024-03-06-${long}.md`]: post('title: Long'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.ok(result.manifest.get(`/${long}.txt`), 'the file the pattern does not name is copied');
  });

  it('hold a key named __proto__ as data, never as an object\'s prototype', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Proto\ndefaults:\n  - values:\n      __proto__: {polluted: true}\n      description: Kept\n',
      '_posts/2024-03-06-a.md': post('title: A'),
    }));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(html(result, '/2024/03/06/a.html')('meta[name="description"]').attr('content'), 'Kept');
  });
});

describe('collections', () => {
  it('take the posts\' permalink from a posts entry, and read posts once however it is set', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Posts entry\ncollections:\n  posts:\n    output: true\n    permalink: /blog/:title/\n',
      '_posts/2024-03-06-a.md': post('title: A'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.ok(result.manifest.get('/blog/a/'), result.manifest.all().map((f) => f.url).join(', '));
  });


  it('never reads a collection outside the site or through a link', async () => {
    const root = tempDir();
    const outside = path.join(root, 'outside', '_leak');
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'secret.md'), post('title: Secret'));
    const site = path.join(root, 'site');
    mkdirSync(path.join(site, '_posts'), { recursive: true });
    writeFileSync(path.join(site, '_posts/2024-03-06-a.md'), post('title: A'));
    writeFileSync(path.join(site, '_config.yml'), 'title: Contained\ncollections_dir: ../outside\ncollections:\n  leak: {output: true}\n');
    let result = await buildSite(site);
    assert.ok(messages(result).some((m) => /^_config\.yml warning: collections_dir "\.\.\/outside" is not a folder inside the site/.test(m)), messages(result).join('\n'));
    assert.ok(result.manifest.all().every((f) => !f.path.startsWith('leak/')));
    symlinkSync(outside, path.join(site, '_leak'));
    writeFileSync(path.join(site, '_config.yml'), 'title: Contained\ncollections:\n  leak: {output: true}\n  "../x": {output: true}\n  __proto__: {output: false}\n');
    result = await buildSite(site);
    const lines = messages(result);
    assert.ok(lines.some((m) => /^_leak warning: skipped: the folder is a symbolic link/.test(m)), lines.join('\n'));
    assert.ok(lines.some((m) => /^_config\.yml:\d+ warning: collection "\.\.\/x" is not a plain folder name/.test(m)), lines.join('\n'));
    assert.ok(lines.some((m) => /^_config\.yml:\d+ warning: collection "__proto__" is not a plain folder name/.test(m)), lines.join('\n'));
    assert.ok(result.manifest.all().every((f) => !f.path.startsWith('leak/')));
  });
});

describe('a Jekyll site with a collections_dir (Debian\'s jekyll as the oracle)', () => {
  it('reads posts and drafts below it only, their categories from the folders below it, and says so of a _posts outside it', { skip: withoutJekyll }, async () => {
    const site = makeSite({
      '_config.yml': 'title: Kept together\ncollections_dir: my_collections\ncollections:\n  events:\n    output: true\n',
      'my_collections/_posts/2024-02-01-b.md': post('title: B'),
      'my_collections/blog/_posts/2024-03-01-c.md': post('title: C'),
      'my_collections/_events/e.md': post('title: E'),
      '_posts/2024-01-01-outside.md': post('title: Outside'),
      'blog/_posts/2024-04-01-also-outside.md': post('title: Also outside'),
      'about/index.md': post('title: About'),
    });
    const { jekyllOut, recapOut, recapStderr } = await buildWithBoth(site);
    const expected = files(jekyllOut);
    assert.deepEqual(expected, ['2024/02/01/b.html', 'about/index.html', 'blog/2024/03/01/c.html', 'events/e.html']);
    const made = new Set(files(recapOut));
    for (const file of expected) assert.ok(made.has(file), `${file} is published by Jekyll but not by Recap: ${[...made].join(', ')}`);
    assert.ok(![...made].some((file) => /outside|my_collections/.test(file)), [...made].join(', '));
    assert.match(recapStderr, /^_posts warning: skipped: collections_dir is "my_collections", and Jekyll reads posts only from "my_collections\/_posts\/" \[R119\]$/m);
    // recap new post writes where the posts are read from.
    const created = runCli(['new', 'post', 'Next night', '--date', '2024-05-01', '--site', site]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(path.relative(site, created.stdout.trim()), path.join('my_collections', '_posts', '2024-05-01-next-night.md'));
  });
});

describe('a collection\'s order and sort_by (Debian\'s jekyll as the oracle)', () => {
  it('lists its documents as Jekyll 4 does: those order names first, or by the sort_by key, the rest as ever', { skip: withoutJekyll }, async () => {
    const doc = (front: string) => post(front, 'A document.\n');
    const site = makeSite({
      '_config.yml': [
        'title: Ordered', 'collections_dir: kept', 'collections:',
        '  team:', '    order: [c.md, nobody.md, leads/b.md, c.md]',
        '  events:', '    output: true', '    sort_by: weight',
        '  notes:', '    sort_by: code', '',
      ].join('\n'),
      ...Object.fromEntries(['a', 'leads/b', 'c', 'd'].map((name) => [`kept/_team/${name}.md`, doc(`name: ${name}`)])),
      // A weight of each kind Ruby compares, one missing (last), two equal (by path then).
      'kept/_events/w.md': doc('title: W'), 'kept/_events/x.md': doc('title: X\nweight: 2'), 'kept/_events/y.md': doc('title: Y\nweight: 10'),
      'kept/_events/z.md': doc('title: Z\nweight: 2'), 'kept/_events/v.md': doc('title: V\nweight: 1.5'),
      // Text compares by its bytes: upper case first, a letter beyond ASCII last.
      'kept/_notes/n1.md': doc('title: N1\ncode: beta'), 'kept/_notes/n2.md': doc('title: N2\ncode: Alpha'), 'kept/_notes/n3.md': doc('title: N3\ncode: älpha'),
      'order.txt': '---\n---\nteam: {% for m in site.team %}{{ m.name }};{% endfor %}\nevents: {% for e in site.events %}{{ e.title }};{% endfor %}\nnotes: {% for n in site.notes %}{{ n.title }};{% endfor %}\n',
    });
    const { jekyllOut, recapOut } = await buildWithBoth(site);
    const listed = (dir: string) => readFileSync(path.join(dir, 'order.txt'), 'utf8');
    assert.equal(listed(recapOut), listed(jekyllOut));
    assert.equal(listed(jekyllOut), 'team: c;leads/b;a;d;\nevents: V;X;Z;Y;W;\nnotes: N2;N1;N3;\n');
  });
});

describe('a redirect_from without a slash', () => {
  it('is written as Jekyll\'s redirect pages are, name.html, so hosts serve it as a page', async () => {
    const result = await buildSite(makeSite({ 'posts/2024-03-06-a.md': post('title: A\nredirect_from: [/old-page, /older/]') }));
    const paths = result.manifest.all().map((f) => f.path);
    assert.ok(paths.includes('old-page.html') && paths.includes('older/index.html'), paths.join(', '));
  });
});

describe('rebuilds after the settings\' defaults or a collection change', () => {
  it('write what a fresh build makes', async () => {
    const site = configuredSite();
    const out = path.join(site, '_site');
    const publish = async () => {
      await sleep(5);
      return publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 });
    };
    assert.equal((await publish()).outcome, 'built');
    const changes: Array<[string, () => void]> = [
      ['a default permalink', () => writeFileSync(path.join(site, '_config.yml'), CONFIG.replace('/documentation/:basename/', '/manual/:basename/'))],
      ['a default category', () => writeFileSync(path.join(site, '_config.yml'), CONFIG.replace('/documentation/:basename/', '/manual/:basename/').replace('category: news', 'category: updates'))],
      ['a collection\'s permalink', () => writeFileSync(path.join(site, '_config.yml'), CONFIG.replace('/recordings/:year/:title/', '/videos/:title/'))],
      ['a collection document', () => writeFileSync(path.join(site, '_people/bob.md'), post('title: Robert'))],
      ['a post retitled, which the archive lists', () => writeFileSync(path.join(site, '_posts/2020-01-05-one.md'), post('title: One, retitled'))],
      ['a post that includes a file beside it', () => {
        writeFileSync(path.join(site, '_posts/snippet.md'), 'First words.\n');
        writeFileSync(path.join(site, '_posts/2020-06-05-relative.md'), post('title: Relative', '{% include_relative snippet.md %}\n'));
      }],
      ['the file it includes', () => writeFileSync(path.join(site, '_posts/snippet.md'), 'Second words.\n')],
      ['a document of a collection without output, which the archive lists', () => writeFileSync(path.join(site, '_notes/secret.md'), post('title: Still not published'))],
      ['a collection document added', () => writeFileSync(path.join(site, '_people/cy.md'), post('title: Cy'))],
      ['the home page\'s introduction', () => writeFileSync(path.join(site, 'index.md'), post('layout: home', 'Hello.\n'))],
      ['the introduction edited', () => writeFileSync(path.join(site, 'index.md'), post('layout: home', 'Hello again.\n'))],
      ['the home page\'s subtitle, its description', () => writeFileSync(path.join(site, 'index.md'), post('layout: home\nsubtitle: Our meetup', 'Hello again.\n'))],
      ['that subtitle edited', () => writeFileSync(path.join(site, 'index.md'), post('layout: home\nsubtitle: Our monthly meetup', 'Hello again.\n'))],
      ['a theme\'s menu, on every page', () => {
        mkdirSync(path.join(site, '_data'), { recursive: true });
        writeFileSync(path.join(site, '_data/navigation.yml'), 'main:\n  - title: About\n    url: /about/\n');
      }],
      ['that menu edited', () => writeFileSync(path.join(site, '_data/navigation.yml'), 'main:\n  - title: About us\n    url: /about/\n')],
      ['a page whose layout lists the menu', () => {
        mkdirSync(path.join(site, '_layouts'), { recursive: true });
        writeFileSync(path.join(site, '_layouts/links.html'), '---\nlayout: default\n---\n<ul>{% for link in site.data.navigation.main %}<li>{{ link.title }}</li>{% endfor %}</ul>\n');
        writeFileSync(path.join(site, 'links.md'), '---\ntitle: Links\nlayout: links\n---\n');
      }],
      ['that layout edited', () => writeFileSync(path.join(site, '_layouts/links.html'), '---\nlayout: default\n---\n<ol>{% for link in site.data.navigation.main %}<li>{{ link.url }}</li>{% endfor %}</ol>\n')],
      ['the data it lists edited', () => writeFileSync(path.join(site, '_data/navigation.yml'), 'main:\n  - title: About us\n    url: /about-us/\n')],
      ['a page with words of its own in a layout that shows its data', () => {
        writeFileSync(path.join(site, '_layouts/meetup.html'), '---\nlayout: default\n---\n<p class="host">{{ page.host }}</p>{{ content }}\n');
        writeFileSync(path.join(site, 'june.md'), '---\ntitle: June\nlayout: meetup\nhost: The Hub\n---\nPizza.\n');
      }],
      ['its words edited', () => writeFileSync(path.join(site, 'june.md'), '---\ntitle: June\nlayout: meetup\nhost: The Hub\n---\nPizza and talks.\n')],
      ['its data edited', () => writeFileSync(path.join(site, 'june.md'), '---\ntitle: June\nlayout: meetup\nhost: The Yard\n---\nPizza and talks.\n')],
    ];
    for (const [change, apply] of changes) {
      apply();
      assert.equal((await publish()).outcome, 'built', change);
      assert.deepEqual(outputFolder(out), await freshFiles(site, { now: NOW }), `${change}: the output is a fresh build's`);
    }
  });

  it('write what a fresh build makes of jekyll-paginate-v2\'s lists and autopages', async () => {
    const config = 'title: Paged lists\nurl: https://paged.example\npagination:\n  enabled: true\n  per_page: 2\n  sort_reverse: true\nautopages:\n  enabled: true\n';
    const page = (settings: string, text: string) => `---\ntitle: News\npagination:\n  enabled: true\n  category: news\n${settings}---\n${text}\n`;
    const site = makeSite({
      '_config.yml': config,
      'news/index.html': page('', '<p>All the news.</p>'),
      ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`_posts/2020-02-0${n}-p${n}.md`, post(`title: P${n}\ncategory: news\ntags: [t${n % 2}]`)])),
    });
    const out = path.join(site, '_site');
    const publish = async () => {
      await sleep(5);
      return publishSite({ siteDir: site, outDir: out, now: NOW, settledMs: 0 });
    };
    assert.equal((await publish()).outcome, 'built');
    assert.ok(outputFolder(out)['news/page3/index.html'] && outputFolder(out)['tag/t1/page2/index.html'], Object.keys(outputFolder(out)).join(', '));
    const changes: Array<[string, () => void]> = [
      ['a listed post retitled', () => writeFileSync(path.join(site, '_posts/2020-02-03-p3.md'), post('title: P3, retitled\ncategory: news\ntags: [t1]'))],
      ['a post out of the category', () => writeFileSync(path.join(site, '_posts/2020-02-04-p4.md'), post('title: P4\ntags: [t0]'))],
      ['a post with a new tag', () => writeFileSync(path.join(site, '_posts/2020-02-06-p6.md'), post('title: P6\ncategory: news\ntags: [fresh]'))],
      ['the page\'s text', () => writeFileSync(path.join(site, 'news/index.html'), page('', '<p>Only the news.</p>'))],
      ['the page\'s settings', () => writeFileSync(path.join(site, 'news/index.html'), page('  per_page: 1\n  permalink: /p:num/\n', '<p>Only the news.</p>'))],
      ['the autopages\' title', () => writeFileSync(path.join(site, '_config.yml'), `${config}  tags:\n    title: 'On :tag'\n`)],
      ['a post removed', () => rmSync(path.join(site, '_posts/2020-02-01-p1.md'))],
    ];
    for (const [change, apply] of changes) {
      apply();
      assert.equal((await publish()).outcome, 'built', change);
      assert.deepEqual(outputFolder(out), await freshFiles(site, { now: NOW }), `${change}: the output is a fresh build's`);
    }
  });
});

describe('a Jekyll site\'s kramdown settings (Debian\'s jekyll as the oracle)', () => {
  const BODY = '* TOC\n{:toc}\n\n# One\n\nHe said "Hallo" and \'x\' don\'t.\nNext line\nand another.\n\n## Two\n\n### Three\n\n#### Four\n';
  const shown = (file: string, scope: string) => {
    const $ = cheerio.load(readFileSync(file, 'utf8'));
    return { toc: $(`${scope} #markdown-toc a`).map((_, a) => $(a).attr('href')).get(), text: $(`${scope} p`).first().text(), breaks: $(`${scope} p`).first().find('br').length };
  };

  for (const [settings, toc, text] of [
    ['  smart_quotes: sbquo,lsquo,bdquo,ldquo\n  toc_levels: 2..3\n  hard_wrap: true\n', ['#two', '#three'], 'He said „Hallo“ and ‚x‘ don‘t.'],
    ['  smart_quotes: ["apos", "apos", "quot", "quot"]\n  toc_levels: [1, 4]\n', ['#one', '#four'], 'He said "Hallo" and \'x\' don\'t.'],
    ['  smart_quotes: [171, 187, 8249, 8250]\n  toc_levels: "3"\n', ['#three'], 'He said ‹Hallo› and «x» don»t.'],
  ] as const) {
    it(`writes quotes, lists the table of contents and breaks lines as it says: ${settings.trim().replace(/\n\s*/g, '; ')}`, { skip: withoutJekyll }, async () => {
      const { jekyllOut, recapOut } = await buildWithBoth(makeSite({ '_config.yml': `title: Settings\nkramdown:\n${settings}`, '_posts/2024-01-01-a.md': post('title: A', BODY) }));
      const recap = shown(path.join(recapOut, '2024/01/01/a.html'), '.post-body');
      assert.deepEqual(recap, shown(path.join(jekyllOut, '2024/01/01/a.html'), 'body'));
      assert.deepEqual(recap.toc, toc);
      assert.equal(recap.text.replace(/\s+/g, ' '), `${text} Next line and another.`);
      assert.equal(recap.breaks, settings.includes('hard_wrap') ? 2 : 0);
    });
  }

  it('warns of a setting it cannot read and keeps kramdown\'s default', async () => {
    const result = await buildSite(makeSite({ '_config.yml': 'title: Bad\nkramdown:\n  smart_quotes: nosuch,rsquo,ldquo,rdquo\n  toc_levels: 7..9\n', '_posts/2024-01-01-a.md': post('title: A', BODY) }));
    assert.deepEqual(messages(result).filter((line) => line.includes('[R101]')).map((line) => line.split('\n')[0]), [
      '_config.yml:3 warning: kramdown: smart_quotes: "nosuch,rsquo,ldquo,rdquo" is not four entity names or code points, such as lsquo,rsquo,ldquo,rdquo: kramdown\'s default is used [R101]',
      '_config.yml:4 warning: kramdown: toc_levels: "7..9" is not heading levels from 1 to 6, such as 1..3 or [2, 3]: kramdown\'s default is used [R101]',
    ]);
    const $ = cheerio.load(output(result, '/2024/01/01/a.html'));
    assert.equal($('.post-body #markdown-toc a').length, 4);
    assert.match($('.post-body p').first().text(), /“Hallo” and ‘x’ don’t/);
  });
});
