import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { isSafeOutputPath } from '../src/policy/output-policy.js';
import { checkUrl } from '../src/policy/url-policy.js';
import type { BuildResult } from '../src/pipeline/build.js';
import { buildSite, parseXml, tempDir } from './helpers.js';

/** Strings a hostile contributor would try, mixed with arbitrary ones. */
const HOSTILE = [
  'javascript:alert(1)', ' JaVa\tScRiPt:alert(1)', '&#106;avascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x',
  'file:///etc/passwd', '/../../../../escaped.html', '/%2e%2e/%2e%2e/x', '..', '/_headers', '/feed.xml', '/assets/x.css', '/.htaccess',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{ site.title }}', '{% include ../../etc/passwd %}', '\u0001\u000b\ufffe',
  'https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=538', 'https://youtu.be/Ab3dE5fG7hJ?t=1h2m3s', '(starting at 8:58)', 'Ann Lee from Acme', '', ' ',
  '%E0%A4%A', '#%zz', '\\\\evil.example\\x', '//evil.example/x.js', '🎉 emoji', 'a'.repeat(300),
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
const KEYS = ['title', 'description', 'image', 'video', 'slides', 'redirect_from', 'redirect_to', 'permalink', 'slug', 'tags', 'categories', 'rsvp', 'location', 'layout', 'date', 'published', 'meetup_url', 'event', 'event', 'odd key', '<b>'];

/** A YAML scalar: quoted (always valid), or as written (may not be YAML at all). */
const scalar = fc.oneof(hostileString.map((s) => JSON.stringify(s)), hostileString.map((s) => s.replace(/\n/g, ' ')), fc.integer().map(String), fc.constantFrom('true', 'null', '2024-03-06', '~'));

const frontMatter = fc.record({
  title: scalar,
  entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.array(fc.tuple(scalar, scalar), { maxLength: 3 }).map((talks) => `\n${talks.map(([t, u]) => `  - title: ${t}\n    url: ${u}\n    slides: ${u}`).join('\n')}`),
    // An event: times that may not exist (DST gaps, Feb 30), and hostile places and links.
    fc.tuple(fc.oneof(scalar, fc.constantFrom('2027-03-28 01:30', '2027-10-31 01:30', '2027-02-30 18:30', '2027-03-03 18:30', '"21:00"', '"25:00"')), scalar, scalar, scalar, scalar)
      .map(([start, end, venue, address, link]) => `\n  start: ${start}\n  end: ${end}\n  venue: ${venue}\n  address: ${address}\n  rsvp: ${link}\n  livestream: ${link}`),
    fc.constantFrom('&anchor ["a", "b", "c"]', '*anchor', '[*anchor, *anchor, *anchor]', '{a: {b: {c: {d: [1, [2, [3]]]}}}}', '[[[[[[[[]]]]]]]]', '{rsvp: "javascript:alert(1)", url: "https://ok.example"}'),
  )), { maxLength: 6 }),
}).map(({ title, entries }) => [`title: ${title}`, ...entries.map(([key, value]) => `${/^[a-z_]+$/.test(key) ? key : JSON.stringify(key)}: ${value}`)].join('\n'));

const markdownFragment = fc.oneof(
  hostileString,
  fc.tuple(hostileString, hostileString).map(([text, url]) => `[${text.replace(/[[\]]/g, '')}](${url.replace(/[\s()]/g, '')})`),
  fc.tuple(hostileString, hostileString).map(([alt, url]) => `![${alt.replace(/[[\]]/g, '')}](${url.replace(/[\s()]/g, '')})`),
  hostileString.map((url) => `<a href="${url.replace(/"/g, '')}">x</a> <img src='${url.replace(/'/g, '')}'> <iframe src=${url.replace(/[\s>]/g, '')}></iframe>`),
  fc.tuple(hostileString, fc.nat(20000)).map(([title, t]) => `Ann Lee from Acme gave [${title.replace(/[[\]]/g, '')}](https://youtu.be/Ab3dE5fG7hJ?t=${t}) (starting at ${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}).`),
  // Talks named by their surroundings: a chapter list, a table of talks, a section's heading.
  fc.tuple(hostileString, hostileString).map(([a, b]) => `- 0:00 ${a}\n- 1:00 ${b} – Ann Lee\n- [2:00] ${a} (${b})\n- 3:00 ${b}: ${a}`.replace(/\n(?!- )/g, ' ')),
  fc.tuple(hostileString, hostileString).map(([t, s]) => `| Talk | Speaker | Company |\n| --- | --- | --- |\n| [${t.replace(/[[\]|\n]/g, '')}](https://youtu.be/Ab3dE5fG7hJ?t=60) | ${s.replace(/[|\n]/g, '')} | ${t.replace(/[|\n]/g, '')} |`),
  fc.tuple(hostileString, hostileString).map(([h, line]) => `### ${h.replace(/\n/g, ' ')}\n\nSpeaker: ${line.replace(/\n/g, ' ')}\n\n[Watch the talk](https://youtu.be/Ab3dE5fG7hJ?t=90)`),
  fc.constantFrom('## Heading', '* item', '```\n{{ code }}\n```', '> quote', '| a | b |\n|---|---|\n| 1 | 2 |', '{% raw %}{{ x }}{% endraw %}', '{% post_url 2024-03-06-a %}'),
  // What kramdown reads besides CommonMark, hostile attributes among it.
  fc.constantFrom('{: .x #y}', '{: onclick="alert(1)" href="javascript:alert(1)"}', '[a](/b){:target="_blank" onmouseover="x"}', '* TOC\n{:toc}', '## Same {#same}', '{:ref: .r}\n\n{: ref}',
    'Note[^1]', '[^1]: <script>x</script>', '*[HTML]: <b onclick="x">', '- [ ] task\n- [x] done', '<div markdown="1">\n**x**\n</div>', 'Term\n: definition', '{::comment}\nhidden\n{:/comment}'),
);
const body = fc.array(markdownFragment, { maxLength: 8 }).map((parts) => parts.join('\n\n'));
const postFile = fc.record({ name: fc.constantFrom('2024-03-06-a', '2024-03-07-%2e%2e', '2024-03-08-c', '2024-02-30-bad', 'draftish', '2024-03-09-é ü'), frontMatter, body });

/** Every URL-valued attribute in an HTML page, and the strings of its JSON-LD. */
function attributeUrls(html: string): string[] {
  const urls: string[] = [];
  let inJsonLd = false;
  let jsonLd = '';
  const parser = new Parser({
    onopentag(name, attributes) {
      for (const key of ['href', 'src', 'action', 'formaction', 'poster', 'data']) if (attributes[key] !== undefined) urls.push(attributes[key]);
      for (const key of ['srcset']) if (attributes[key]) urls.push(...attributes[key].split(',').map((s) => s.trim().split(/\s+/)[0]!));
      if (name === 'meta' && attributes['content'] !== undefined && /^(og:|twitter:)?(url|image)/.test(attributes['property'] ?? attributes['name'] ?? '')) urls.push(attributes['content']);
      inJsonLd = name === 'script' && attributes['type'] === 'application/ld+json';
    },
    ontext(text) {
      if (inJsonLd) jsonLd += text;
    },
    onclosetag() {
      if (inJsonLd && jsonLd) {
        const walk = (value: unknown, key: string): void => {
          if (typeof value === 'string' && /url|image|mainEntityOfPage/i.test(key)) urls.push(value);
          else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
        };
        walk(JSON.parse(jsonLd), '');
      }
      inJsonLd = false;
      jsonLd = '';
    },
  }, { decodeEntities: true });
  parser.end(html);
  return urls;
}


/**
 * What every build of a hostile site holds to: no internal error, no output outside the output
 * folder, no unsafe URL in a page, valid XML, and the same files when built again.
 */
function assertSafeAndDeterministic(first: BuildResult, second: BuildResult): void {
  for (const d of first.diagnostics.list) {
    assert.doesNotMatch(d.message, /internal error/);
    // The sites have no templates of their own: an error there would send a user to a file they never wrote.
    if (d.severity === 'error') assert.doesNotMatch(d.file ?? '', /^templates\//, d.message);
  }
  const outputs = first.manifest.all();
  for (const file of outputs) {
    assert.ok(isSafeOutputPath(file.path), `output path ${file.path}`);
    if (file.content && (file.url.endsWith('/') || file.url.endsWith('.html'))) {
      for (const url of attributeUrls(file.content.toString())) assert.ok(checkUrl(url).ok, `unsafe URL ${JSON.stringify(url)} in ${file.url}`);
    }
  }
  for (const xml of ['/feed.xml', '/sitemap.xml']) parseXml(first.manifest.get(xml)!.content!.toString());
  assert.deepEqual(second.manifest.all().map((f) => [f.path, f.content?.toString('base64')]), outputs.map((f) => [f.path, f.content?.toString('base64')]));
}

/** Liquid as Jekyll posts write it, mistakes, unknown tags and tricks included. */
const liquid = fc.constantFrom('{{ site.title }}', '{{ page.title | slugify }}', '{% for p in site.posts %}<a href="{{ p.url }}">{{ p.title }}</a>{% endfor %}', '{% include note.html text="x" %}',
  '{% include missing.html %}', '{% include_relative ../x.md %}', '{% assign x = site.posts | where: "title", "A" %}{{ x.size }}', '{% capture c %}x{% endcapture %}{{ c }}',
  '{% if page.tags contains "x" %}y{% endif %}', '{% raw %}{{ x }}{% endraw %}', '{% highlight ruby %}\nputs 1\n{% endhighlight %}', '{% post_url 2024-03-06-a0 %}', '{{ site.data.people | jsonify }}',
  '{% youtube abc %}', '{% endfor %}', '{{', '{% if %}', '{{ x | nofilter }}', '{{ page.date | date_to_long_string: "ordinal", "US" }}', '{{ site.posts | group_by: "category" | jsonify }}',
  '{{ "x" | relative_url }}', '<a href="{{ page.title }}">t</a>', '![p]({{ page.image }})', '{% gist abc %}');
/** What Jekyll sites publish besides CommonMark: kramdown's attribute lists and math, theme classes, raw HTML, emoji. */
const jekyllMarkup = fc.constantFrom('![a](/assets/x.jpg){: .align-left width="300"}', '<img src="/assets/x.jpg" width="50" onerror="x">', '![](x.png)', '{: onclick="x" href="javascript:x"}',
  '| a | b |\n|---|:-:|\n| 1 | 2 |\n{: .t}', ':tada:', '{::nomarkdown}<b>x</b>{:/}', '<iframe src="https://www.youtube.com/embed/Ab3dE5fG7hJ?start=5"></iframe>', '<script src="https://x.example/a.js"></script>',
  '$$ x^2 $$', '$$\n\\frac{\n$$', '$$ \\href{javascript:x()}{a} \\url{x} $$', '> $$\n> a\n> $$', '$$', '\\$$ $$');
/** Settings of real Jekyll sites, some of them hostile. */
const JEKYLL_SETTINGS = ['permalink: pretty\n', 'permalink: /:categories/:title/\n', 'collections:\n  talks:\n    output: true\n', 'plugins: [jekyll-archives]\njekyll-archives:\n  enabled: all\n',
  'pagination:\n  enabled: true\n  per_page: 1\n', 'feed:\n  tags: true\n  categories: [x, "../.."]\n', 'defaults:\n  - scope: {path: ""}\n    values: {image: /assets/x.jpg, layout: single}\n',
  'plugins: [jekyll-optional-front-matter, jekyll-titles-from-headings, jemoji, jekyll-redirect-from]\n', 'media_subpath: /assets\n', 'timezone: Asia/Tokyo\nfuture: true\nunpublished: true\n'];
const JEKYLL_KEYS = ['title', 'image', 'permalink', 'tags', 'tag', 'categories', 'category', 'layout', 'date', 'excerpt', 'redirect_from', 'header', 'share-img', 'media_subpath', 'pagination', 'render_with_liquid'];
const jekyllFrontMatter = fc.array(fc.tuple(fc.constantFrom(...JEKYLL_KEYS), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
  fc.constantFrom('{path: x.png}', '\n  overlay_image: /assets/x.jpg\n  og_image: "javascript:x"', '\n  enabled: true\n  permalink: /../x/:num/'))), { maxLength: 6 })
  .map((entries) => entries.map(([key, value]) => `${key}: ${value}`).join('\n'));
const jekyllFile = fc.record({
  folder: fc.constantFrom('_posts', '_posts', 'news/_posts', '_drafts', '_talks', 'posts', 'pages', '.'),
  name: fc.constantFrom('2024-03-06-a', '2024-3-7-b', 'c', '2024-02-30-d'),
  frontMatter: jekyllFrontMatter,
  body: fc.array(fc.oneof(markdownFragment, liquid, jekyllMarkup), { maxLength: 8 }).map((parts) => parts.join('\n\n')),
});

describe('fuzzing the pipeline with hostile posts', () => {
  it('never crashes, never leaves the output, never emits an unsafe URL, always writes valid XML, and is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(postFile, { minLength: 1, maxLength: 3 }), async (posts) => {
        const site = tempDir();
        mkdirSync(path.join(site, 'posts'));
        writeFileSync(path.join(site, 'recap.yml'), 'title: Fuzz\nurl: https://fuzz.example\n');
        posts.forEach((p, i) => writeFileSync(path.join(site, 'posts', `${p.name}${i}.md`), `---\n${p.frontMatter}\n---\n${p.body}\n`));
        assertSafeAndDeterministic(await buildSite(site, { encodeImages: false }), await buildSite(site, { encodeImages: false }));
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 20261201), numRuns: Number(process.env.FUZZ_RUNS ?? 60), endOnFailure: true },
    );
  });

  it('holds a Jekyll site to the same, whatever its Liquid, settings and folders', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(JEKYLL_SETTINGS, { maxLength: 3 }), fc.array(jekyllFile, { minLength: 1, maxLength: 4 }), async (settings, files) => {
        const site = tempDir();
        writeFileSync(path.join(site, '_config.yml'), `title: Fuzz\nurl: https://fuzz.example\n${settings.join('')}`);
        for (const [folder, text] of [['_includes', '<p>{{ include.text }}</p>'], ['_data', '- name: Ann\n']] as const) {
          mkdirSync(path.join(site, folder));
          writeFileSync(path.join(site, folder, folder === '_data' ? 'people.yml' : 'note.html'), text);
        }
        files.forEach((file, i) => {
          mkdirSync(path.join(site, file.folder), { recursive: true });
          writeFileSync(path.join(site, file.folder, `${file.name}${i}.md`), `---\n${file.frontMatter}\n---\n${file.body}\n`);
        });
        assertSafeAndDeterministic(await buildSite(site, { encodeImages: false }), await buildSite(site, { encodeImages: false }));
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 20261204), numRuns: Number(process.env.FUZZ_RUNS ?? 40), endOnFailure: true },
    );
  });
});
