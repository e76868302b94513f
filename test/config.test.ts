import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSite, html, makeSite, messages, post } from './helpers.js';

const POST = { 'posts/2024-03-06-a.md': post('title: A') };

describe('site configuration', () => {
  it('rejects unknown keys with a did-you-mean hint at their line', async () => {
    const result = await buildSite(makeSite({ 'recap.yml': 'title: T\ntimzone: Europe/London\n', ...POST }));
    const [error] = messages(result).filter((m) => m.includes(' error: '));
    assert.match(error!, /^recap\.yml:2:1 error: unknown setting "timzone" \[R102\]\n  hint: did you mean "timezone"\?/);
  });

  it('rejects an unknown time zone and a wrongly typed value', async () => {
    const result = await buildSite(makeSite({ 'recap.yml': 'timezone: Mars/Olympus\npaginate: many\n', ...POST }));
    const errors = messages(result).filter((m) => m.includes(' error: '));
    assert.match(errors[0]!, /^recap\.yml:1:11 error: timezone: unknown time zone/);
    assert.match(errors[1]!, /^recap\.yml:2:11 error: paginate: /);
  });

  it('reads the Recap keys of a Jekyll _config.yml, ignores the rest, and keeps Jekyll\'s default permalink', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: From Jekyll\nurl: https://jekyll.example\nbaseurl: /blog\ntheme: minima\nplugins: [jekyll-feed]\n',
      '_posts/2024-03-06-a.md': post('title: A'),
    }));
    assert.deepEqual(messages(result), []);
    assert.equal(result.config.title, 'From Jekyll');
    assert.equal(result.config.baseurl, '/blog');
    assert.ok(result.manifest.get('/2024/03/06/a.html'), 'Jekyll\'s "date" style, as Jekyll builds it');
  });

  it('builds a Jekyll site whose settings Recap cannot use, with a warning at each, as Jekyll builds it', async () => {
    const result = await buildSite(makeSite({
      '_config.yml': 'title: Loose\nurl: loose.example\ntimezone: Bogus/Zone\ntwitter:\n  card: summary\npaginate: 0\n',
      '_posts/2024-03-06-a.md': post('title: A'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const warnings = messages(result).filter((m) => m.includes(' warning: ')).map((m) => m.split('\n')[0]);
    assert.deepEqual(warnings, [
      '_config.yml:2 warning: url "loose.example" is not an absolute http(s) address: ignored [R104]',
      '_config.yml:3:11 warning: timezone: "Bogus/Zone" is not a value Recap can use: ignored, and the default used [R101]',
      '_config.yml:4:9 warning: twitter: {"card":"summary"} is not a value Recap can use: ignored, and the default used [R101]',
      '_config.yml:6:11 warning: paginate: 0 is not a value Recap can use: ignored, and the default used [R101]',
    ]);
    assert.equal(result.config.url, '');
    assert.ok(result.manifest.get('/2024/03/06/a.html'));
  });

  it('takes a Jekyll setting left empty for one not given, and refuses an empty title or permalink in recap.yml', async () => {
    const jekyll = await buildSite(makeSite({ '_config.yml': 'title: ""\npermalink: ""\nurl:\n', '_posts/2024-03-06-a.md': post('title: A') }));
    assert.deepEqual(messages(jekyll).filter((m) => !m.includes('[R105]')), []);
    assert.ok(jekyll.manifest.get('/2024/03/06/a.html'), 'Jekyll\'s "date" style');
    const recap = await buildSite(makeSite({ 'recap.yml': 'title: ""\npermalink: " "\n', ...POST }));
    const errors = messages(recap).filter((m) => m.includes(' error: ')).map((m) => m.split('\n')[0]);
    assert.deepEqual(errors, ['recap.yml:1:8 error: title: must not be empty [R101]', 'recap.yml:2:12 error: permalink: must be a style or a pattern, like pretty or /:year/:month/:title/ [R101]']);
  });

  it('takes a Jekyll site\'s lang: (else its locale:) as its language, and refuses a language that is not a language tag', async () => {
    const german = await buildSite(makeSite({ '_config.yml': 'title: Treffen\nlang: de\n', '_posts/2024-03-06-a.md': post('title: A') }));
    assert.equal(html(german, '/2024/03/06/a.html')('html').attr('lang'), 'de');
    assert.match(html(german, '/').text(), /6\. März 2024/, 'dates in German');
    const loose = await buildSite(makeSite({ '_config.yml': 'lang: "en_US.UTF-8"\nlanguage: Bogus/Zone\n', '_posts/2024-03-06-a.md': post('title: A') }));
    assert.equal(loose.diagnostics.count('error'), 0, messages(loose).join('\n'));
    assert.deepEqual(messages(loose).filter((m) => m.includes(' warning: ')).map((m) => m.split('\n')[0]),
      ['_config.yml:2:11 warning: language: "Bogus/Zone" is not a value Recap can use: ignored, and the default used [R101]']);
    assert.equal(html(loose, '/2024/03/06/a.html')('html').attr('lang'), 'en');
    const jekyllLang = await buildSite(makeSite({ '_config.yml': 'lang: "en_US.UTF-8"\n', '_posts/2024-03-06-a.md': post('title: A') }));
    assert.deepEqual(messages(jekyllLang).filter((m) => m.includes(' warning: ')).map((m) => m.split('\n')[0]),
      ['_config.yml:1:7 warning: lang: "en_US.UTF-8" is not a language tag: ignored, and en used [R101]']);
    // Minimal Mistakes' and so-simple's locale: (or Ruby's de_DE) where there is no lang:.
    for (const locale of ['de-DE', 'de_DE']) {
      const mm = await buildSite(makeSite({ '_config.yml': `title: Treffen\nlocale: "${locale}"\n`, '_posts/2024-03-06-a.md': post('title: A') }));
      assert.equal(html(mm, '/2024/03/06/a.html')('html').attr('lang'), 'de-DE', locale);
    }
    const recap = await buildSite(makeSite({ 'recap.yml': 'language: "."\n', ...POST }));
    assert.deepEqual(messages(recap).filter((m) => m.includes(' error: ')).map((m) => m.split('\n')[0]),
      ['recap.yml:1:11 error: language: not a language tag (use one like en, de or pt-BR) [R101]']);
  });

  it('interprets dates in the configured time zone', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'timezone: Asia/Tokyo\nurl: https://tokyo.example\n',
      'posts/2024-03-06-a.md': post('title: A\ndate: 2024-03-06 02:00:00 +0000'),
    }));
    assert.ok(result.manifest.get('/2024/03/06/a/'));
    const utc = await buildSite(makeSite({
      'recap.yml': 'timezone: America/New_York\nurl: https://ny.example\n',
      'posts/2024-03-06-a.md': post('title: A\ndate: 2024-03-06 02:00:00 +0000'),
    }));
    assert.ok(utc.manifest.get('/2024/03/05/a/'));
  });
});
