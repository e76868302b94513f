import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeSite, post, runCli, tempDir } from './helpers.js';

const JEKYLL = '/usr/bin/jekyll';

/** Every file below a folder, as site paths. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

/** The post pages of an output folder: what Jekyll makes of _posts (Recap's own lists and assets left out). */
function postPages(dir: string): string[] {
  return files(dir).filter((f) => /(^|\/)\d{4}\/\d{2}\/\d{2}\/[^/]+\.html$/.test(f) || /\/[^/]+\.html$/.test(f) && !/^(tags|assets|talks|archive|page\d+)\//.test(f) && !/^\d{4}\/index\.html$/.test(f))
    .filter((f) => !['404.html', 'index.html'].includes(f));
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
  });
}

describe('Jekyll sites build unchanged (Debian\'s jekyll as the oracle)', () => {
  it('puts every post where Jekyll puts it', { skip: existsSync(JEKYLL) ? false : `no ${JEKYLL}: .ci/run installs Debian's jekyll package` }, () => {
    const site = jekyllSite();
    const jekyllOut = tempDir();
    const jekyll = spawnSync(JEKYLL, ['build', '--quiet', '--source', site, '--destination', jekyllOut], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', JEKYLL_ENV: 'production' } });
    assert.equal(jekyll.status, 0, jekyll.stderr);
    const recapOut = path.join(tempDir(), 'out');
    const recap = runCli(['build', site, '--out', recapOut]);
    assert.equal(recap.code, 0, recap.stderr);
    const expected = postPages(jekyllOut);
    assert.ok(expected.length >= 9, expected.join('\n'));
    assert.deepEqual(postPages(recapOut), expected);
  });
});

describe('what Jekyll sites write', () => {
  it('decodes character references in titles and descriptions to text, never to markup', async () => {
    const { buildSite, html, messages, output } = await import('./helpers.js');
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

  it('gives tags that slugify alike distinct, stable pages, and says when two spellings share one', async () => {
    const { buildSite, html, messages } = await import('./helpers.js');
    const result = await buildSite(makeSite({
      'recap.yml': 'url: https://tags.example\n',
      'posts/2024-03-06-a.md': post('title: A\ntags: ["C++", "Rust", "Node.js"]'),
      'posts/2024-03-07-b.md': post('title: B\ntags: ["C#", "rust", "Node JS"]'),
    }));
    const $ = html(result, '/tags/');
    const tags = $('main li a').map((_, a) => `${$(a).text()} ${$(a).attr('href')}`).get();
    assert.ok(tags.includes('C++ /tags/c-plus-plus/') && tags.includes('C# /tags/c-sharp/'), tags.join('\n'));
    assert.ok(result.manifest.get('/tags/c-plus-plus/') && result.manifest.get('/tags/c-sharp/'));
    const warnings = messages(result).filter((m) => m.includes('warning'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /^posts\/2024-03-0[67]-[ab]\.md warning: tags "Node[. ]JS?" and "Node[. ]JS?" \(posts\/2024-03-0[67]-[ab]\.md\) share the page \/tags\/node-js\//i);
  });
});
