import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSite, html, makeSite, messages, output, post, xml } from './helpers.js';

describe('pages', () => {
  const site = () => makeSite({
    'recap.yml': 'title: Platform Night\nurl: https://pages.example\ndescription: Talks\n',
    'posts/2024-03-06-a.md': post('title: March meetup\ntags: [Meetup]', 'Hello.\n'),
    'pages/about.md': post('title: About us\ndescription: Who we are\nnav: true', 'We meet monthly. [Our code](/code-of-conduct/)\n'),
    'pages/code-of-conduct.md': post('title: Code of Conduct\ndescription: Be kind\nnav: 1', 'Be kind.\n'),
    'pages/sponsors.md': post('title: Sponsors\ndescription: Thanks', 'Thanks.\n'),
    'pages/venues/index.html': post('title: Venues\ndescription: Where', '<p>Our <a href="javascript:alert(1)">venues</a>.</p>\n'),
    'pages/moved.md': post('title: Moved\ndescription: Old\npermalink: /info/moved/\nredirect_from: /old-info/', 'Moved.\n'),
  });

  it('builds pages at /NAME/ (or their permalink) with the page layout, and puts the marked ones in every page\'s navigation, in order', async () => {
    const result = await buildSite(site());
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const about = html(result, '/about/');
    assert.equal(about('article.page h1').text(), 'About us');
    assert.equal(about('article.page .post-meta').length, 0, 'a page has no date line');
    assert.equal(html(result, '/venues/')('article.page p').text(), 'Our venues.');
    assert.equal(html(result, '/venues/')('article.page a').attr('href'), undefined, 'the URL policy applies to HTML pages');
    assert.ok(result.manifest.get('/info/moved/') && result.manifest.get('/old-info/'));
    for (const url of ['/', '/about/', '/2024/03/06/a/', '/tags/', '/404.html']) {
      const nav = html(result, url)('header nav a').map((_, a) => `${html(result, url)(a).text()} ${html(result, url)(a).attr('href')}`).get();
      assert.deepEqual(nav, ['Recaps /', 'Talks /talks/', 'Speakers /speakers/', 'Tags /tags/', 'Archive /archive/', 'Feed /feed.xml', 'Code of Conduct /code-of-conduct/', 'About us /about/'], url);
    }
    assert.equal(about('header nav a[aria-current="page"]').text(), 'About us');
    const jsonLd = JSON.parse(about('script[type="application/ld+json"]').text()) as Record<string, unknown>;
    assert.equal(jsonLd['@type'], 'WebPage');
  });

  it('shows a page at / (pages/index.md) atop the first home page, as its introduction, and publishes no page of its own there', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'title: Platform Night\npaginate: 1\n',
      'posts/2024-03-06-a.md': post('title: March meetup'),
      'posts/2024-04-06-b.md': post('title: April meetup'),
      'pages/index.md': post('layout: home', 'We meet **monthly** in Leeds.\n'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.ok(!messages(result).some((m) => m.includes('pages/index.md')), messages(result).join('\n'));
    const home = html(result, '/');
    assert.equal(home('main .home-intro strong').text(), 'monthly');
    assert.equal(home('main .cards').length, 1, 'the posts follow it');
    assert.equal(html(result, '/page2/')('.home-intro').length, 0, 'only the first home page has it');
    assert.ok(!xml(result, '/sitemap.xml')('loc').map((_, e) => xml(result, '/sitemap.xml')(e).text()).get().some((loc) => loc.includes('index')));
  });

  it('keeps pages out of lists, feeds and tags, and puts them in the sitemap', async () => {
    const result = await buildSite(site());
    for (const url of ['/', '/archive/', '/tags/', '/talks/', '/2024/']) assert.doesNotMatch(html(result, url)('main').text(), /About us|Sponsors/, url);
    assert.doesNotMatch(output(result, '/feed.xml'), /About us/);
    const locs = xml(result, '/sitemap.xml')('loc').map((_, e) => xml(result, '/sitemap.xml')(e).text()).get();
    for (const url of ['/about/', '/code-of-conduct/', '/sponsors/', '/venues/', '/info/moved/']) assert.ok(locs.includes(`https://pages.example${url}`), url);
  });

  it('takes the navigation from recap.yml when it sets one', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'title: T\nnav:\n  - label: Home\n    url: /\n  - label: Join us\n    url: https://www.meetup.com/example/\n',
      'pages/about.md': post('title: About\nnav: true'),
    }));
    const $ = html(result, '/about/');
    assert.deepEqual($('header nav a').map((_, a) => $(a).text()).get(), ['Home', 'Join us']);
  });

  it('draws a favicon from the initials and accent colour unless the site has one, and applies the theme', async () => {
    const drawn = await buildSite(makeSite({ 'recap.yml': 'title: Platform Night Leeds\ntheme:\n  accent: "#aa3300"\n  logo: /images/logo.svg\n', 'images/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>', 'posts/2024-03-06-a.md': post('title: A') }));
    const icon = output(drawn, '/favicon.svg');
    assert.match(icon, /fill="#aa3300"/);
    assert.match(icon, />PN<\/text>/);
    const $ = html(drawn, '/');
    assert.equal($('link[rel="icon"]').attr('href'), '/favicon.svg');
    const theme = $('link[rel="stylesheet"]').map((_, l) => $(l).attr('href')).get().find((href) => href.includes('/assets/theme.'));
    assert.ok(theme, 'the accent stylesheet is linked');
    assert.match(output(drawn, theme), /--accent:#aa3300/);
    assert.equal($('.site-logo').attr('src'), '/images/logo.svg');
    const own = await buildSite(makeSite({ 'static/favicon.ico': 'icon', 'posts/2024-03-06-a.md': post('title: A') }));
    assert.equal(html(own, '/')('link[rel="icon"]').attr('href'), '/favicon.ico');
    assert.equal(own.manifest.get('/favicon.svg'), undefined);
  });

  it('refuses a theme colour that is not a colour, and a logo with a script URL', async () => {
    const result = await buildSite(makeSite({ 'recap.yml': 'theme:\n  accent: "red;}body{display:none"\n  logo: "javascript:alert(1)"\n' }));
    const errors = messages(result).filter((m) => m.includes(' error: '));
    assert.ok(errors.some((m) => /^recap\.yml:\d+:\d+ error: theme\.accent: accent must be a colour/.test(m)), errors.join('\n'));
    assert.ok(errors.some((m) => /^recap\.yml:\d+:\d+ error: theme\.logo: use an http/.test(m)), errors.join('\n'));
  });

  it('makes a link to a page\'s or post\'s Markdown file its address, and follows the page when it moves, from the post cache', async () => {
    const site = makeSite({
      'recap.yml': 'title: Linked\n',
      'posts/2024-03-06-a.md': post('title: A', 'The [code of conduct](../pages/conduct.md#reporting) and [the next one](2024-04-03-b.md).\n'),
      'posts/2024-04-03-b.md': post('title: B'),
      'pages/conduct.md': post('title: Code of conduct'),
    });
    const hrefs = (result: Awaited<ReturnType<typeof buildSite>>) => html(result, '/2024/03/06/a/')('.post-body a').map((_, a) => a.attribs['href']).get();
    assert.deepEqual(hrefs(await buildSite(site, { persistCache: true })), ['/conduct/#reporting', '/2024/04/03/b/']);
    writeFileSync(path.join(site, 'pages/conduct.md'), post('title: Code of conduct\npermalink: /code-of-conduct/'));
    const second = await buildSite(site, { persistCache: true });
    assert.ok(second.cachedBodies > 0, 'the other bodies come from the cache');
    assert.deepEqual(hrefs(second), ['/code-of-conduct/#reporting', '/2024/04/03/b/']);
  });

  it('reads a Jekyll _config.yml whose theme and nav mean other things', async () => {
    const result = await buildSite(makeSite({ '_config.yml': 'title: Jekyll site\ntheme: minima\nnav: [a, b]\n', '_posts/2024-03-06-a.md': post('title: A') }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
  });
});
