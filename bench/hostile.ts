import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from '../src/pipeline/build.js';

function post(frontMatter: string, body = 'Hello.\n'): string {
  return `---\n${frontMatter}\n---\n${body}`;
}

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const name of 'bcdefghi') {
    const previous = String.fromCharCode(name.charCodeAt(0) - 1);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return lines.join('\n');
}

/** A photo of one pixel, for a site whose posts may name a photo outside images/. */
export const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Posts made to cost a naive generator minutes or gigabytes: each must build or fail in well under a second. */
export const HOSTILE_POSTS: ReadonlyArray<[string, string]> = [
  ['a billion laughs', post(`title: Laughs\n${billionLaughs()}`)],
  ['deep nesting', post(`title: Deep\ndeep: ${'['.repeat(20000)}${']'.repeat(20000)}`)],
  ['40,000 unclosed Liquid openings', post('title: Liquid', `${'{{ '.repeat(40000)}\n`)],
  ['15,000 Liquid expressions', post('title: Liquid', `${'{{ x }}'.repeat(15000)}\n`)],
  ['14,000 unclosed script tags', post('title: Script', `<div>${'<script '.repeat(14000)}\n`)],
  ['a long capitalised word before a talk link', post('title: Talk', `${'A'.repeat(100000)} [Talk](https://youtu.be/Ab3dE5fG7hJ?t=60)\n`)],
  ['link text of spaces', post('title: Talk', `[${' '.repeat(100000)}x](https://youtu.be/Ab3dE5fG7hJ?t=60)\n`)],
  ['100,000 opening brackets', post('title: Brackets', `${'['.repeat(100000)}\n`)],
  ['8,000 talk-time phrases', post('title: Times', `${'(starting at '.repeat(8000)}\n`)],
  ['a huge title (social card)', post(`title: "${'Very long title '.repeat(3000)}"`)],
  ['12,000 headings alike', post('title: Headings', '## Same\n'.repeat(12000))],
  ['14,000 kramdown attribute lists alone', post('title: Lists', '{: .x}\n\n'.repeat(14000))],
  ['a kramdown table of contents of 10,000 headings', post('title: Contents', `* TOC\n{:toc}\n\n${Array.from({ length: 10000 }, (_, i) => `## H${i}`).join('\n')}\n`)],
  ['6,000 HTML lines marked markdown="1"', post('title: Marked', '<div markdown="1">\n'.repeat(6000))],
  ['6,000 footnotes', post('title: Notes', `${Array.from({ length: 6000 }, (_, i) => `[^${i}]: n`).join('\n')}\n\n${Array.from({ length: 6000 }, (_, i) => `x[^${i}]`).join(' ')}\n`)],
  ['an abbreviation of 100,000 letters', post('title: Abbreviation', `*[${'a'.repeat(100000)}]: t\n\nText\n`)],
  ['14,000 tasks', post('title: Tasks', '- [ ] t\n'.repeat(14000))],
  ['a heading of 100,000 spaces and a {#', post('title: Heading', `## a${' '.repeat(100000)}b {#x}x\n`)],
  ['an HTML tag of 100,000 spaces and markdown=', post('title: Tag', `<div${' '.repeat(100000)}x\nmarkdown=\n`)],
  ['160,000 photo names run together (a site photo elsewhere)', post('title: Photos', `${'x.jpg!'.repeat(160000)} /static-photo.png\n`)],
  ['12,000 raw <pre> elements in one HTML block', post('title: Pre', `${'<pre>x</pre>'.repeat(12000)}\n`)],
  ['160,000 unclosed <pre> in one HTML block', post('title: Pre', `${'<pre>'.repeat(160000)}\n`)],
  ['14,000 HTML images of a site photo elsewhere', post('title: Images', `${'<img src="/static-photo.png" alt="x">'.repeat(14000)}\n`)],
  ['a Liquid markup of 200,000 spaces', post('title: Liquid', `{{ a${' '.repeat(200000)}b }}\n`)],
  ['an icon font class of 100,000 variant endings in a link', post('title: Icon', `<a href="#x"><i class="fa fa-x${'-o'.repeat(100000)}"></i></a>\n`)],
  ['a place of 8,000 Markdown links', post(`title: Place\nlocation: "${'[a](b) '.repeat(8000)}"`)],
  ['kramdown attribute lists naming lists, nine deep', post('title: Laughs', `{:a0: ${'.x '.repeat(8)}}\n${Array.from({ length: 9 }, (_, i) => `{:a${i + 1}: ${`a${i} `.repeat(8)}}`).join('\n')}\n\npara\n{: a9}\n`)],
];

/**
 * Jekyll layouts of unclosed tags, each unit repeated to ~200 KB (under the 256 KB include limit),
 * by name: three of them once took 54 s to build, each tag read to the file's end.
 */
export const HOSTILE_LAYOUTS: ReadonlyArray<[string, string]> = Object.entries({ braces: '{{', headings: '<h1', titles: '<h2>{{ page.title', filters: '{{ content |' })
  .map(([name, unit]) => [name, unit.repeat(Math.floor(200_000 / unit.length))]);

/** A Jekyll site with a page in each hostile layout. */
export function hostileLayoutSite(layouts: ReadonlyArray<[string, string]>): Record<string, string> {
  return {
    '_config.yml': 'title: Layouts\n',
    ...Object.fromEntries(layouts.flatMap(([name, text]) => [[`_layouts/${name}.html`, text], [`${name}.md`, post(`title: ${name}\nlayout: ${name}`, 'Words.\n')]])),
  };
}

/** The hostile case of `npm run bench`: a page in each hostile Jekyll layout, then each adversarial post, each built alone, in memory (a post's social card drawn). */
export async function benchHostile(): Promise<void> {
  for (const [name, text] of HOSTILE_LAYOUTS) {
    const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-hostile-'));
    try {
      for (const [file, content] of Object.entries(hostileLayoutSite([[name, text]]))) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), content);
      }
      const started = performance.now();
      const result = await build({ siteDir: dir, now: new Date('2026-01-01T00:00:00Z') });
      const ms = performance.now() - started;
      console.log(`hostile: ${`a Jekyll layout of unclosed ${name}`.padEnd(44)} ${(Buffer.byteLength(text) / 1024).toFixed(0).padStart(4)} KB  ${ms.toFixed(0).padStart(5)} ms  ${result.diagnostics.count('error') ? 'refused' : 'built'}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const [name, text] of HOSTILE_POSTS) {
    const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-hostile-'));
    try {
      mkdirSync(path.join(dir, 'posts'));
      writeFileSync(path.join(dir, 'recap.yml'), 'url: https://hostile.example\n');
      writeFileSync(path.join(dir, 'posts/2024-03-06-a.md'), text);
      // A photo in static/: every post's text is read for the photos it names.
      mkdirSync(path.join(dir, 'static'));
      writeFileSync(path.join(dir, 'static/static-photo.png'), ONE_PIXEL_PNG);
      const started = performance.now();
      const result = await build({ siteDir: dir, now: new Date('2026-01-01T00:00:00Z') });
      const ms = performance.now() - started;
      const errors = result.diagnostics.count('error');
      console.log(`hostile: ${name.padEnd(44)} ${(Buffer.byteLength(text) / 1024).toFixed(0).padStart(4)} KB  ${ms.toFixed(0).padStart(5)} ms  ${errors ? `refused (${errors} error)` : 'built'}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
