import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSite, makeSite, messages, output, post, readPostCacheEntries, writePostCache } from './helpers.js';
import { BuildState, runStages, STAGES } from '../src/pipeline/build.js';
import { createBuildMemory } from '../src/incremental/build-memory.js';
import { PostCache } from '../src/incremental/post-cache.js';
import { isMarkdownShaped } from '../src/incremental/cache-validation.js';
import { checkUrl } from '../src/policy/url-policy.js';
import fc from 'fast-check';

const V = 'Ab3dE5fG7hJ';

function outputs(result: Awaited<ReturnType<typeof buildSite>>): Array<[string, string]> {
  return result.manifest.all().map((f) => [f.url, f.content?.toString() ?? f.copyFrom ?? '']);
}

describe('the post cache', () => {
  it('is let go of, with the posts\' bytes and parse, once a one-off build has resolved every post; recap serve keeps them', async () => {
    const site = makeSite({
      'recap.yml': 'title: Release\nurl: https://release.example\n',
      'posts/2024-03-06-a.md': post('title: A', `Ann Lee gave [Talk](https://youtu.be/${V}?t=60).\n\n[b]({% post_url 2024-03-07-b %})\n`),
      'posts/2024-03-07-b.md': post('title: B'),
    });
    const oneOff = await runStages(new BuildState({ siteDir: site, persistCache: true, encodeImages: false }), STAGES);
    assert.deepEqual(oneOff.sources.posts.map((source) => source.bytes?.length), [0, 0]);
    assert.equal(oneOff.parsed.length, 0);
    assert.equal(oneOff.cache.getParse(PostCache.parseKey(oneOff.sources.posts[0]!, oneOff.config)), undefined);
    // What it built is whole: the body that links to the other post, and the cache file for the next build.
    assert.match(oneOff.manifest.get('/2024/03/06/a/')!.content!.toString(), /href="\/2024\/03\/07\/b\/"/);
    assert.equal((await buildSite(site, { persistCache: true })).cachedBodies, 2);

    const memory = await createBuildMemory();
    const served = await runStages(new BuildState({ siteDir: site, memory, encodeImages: false }), STAGES);
    assert.ok(served.sources.posts.every((source) => source.bytes !== undefined && source.bytes.length > 0));
    assert.equal(served.parsed.length, 2);
  });

  it('is written a few hundred entries at a time, its index after its segment, and read back; an older Recap\'s file is replaced without a note', async () => {
    const files: Record<string, string> = { 'recap.yml': 'title: Many\n' };
    for (let n = 0; n < 300; n++) files[`posts/2024-01-${String((n % 28) + 1).padStart(2, '0')}-post-${n}.md`] = post(`title: Post ${n}`, `Body ${n}.\n`);
    const site = makeSite(files);
    await buildSite(site, { persistCache: true, encodeImages: false });
    const file = path.join(site, '.cache/recap/posts.json');
    const written = readPostCacheEntries(file);
    assert.equal(written.entries.length, 600, 'a parse and a body for each post, across several parts');
    // A parse is one JSON value; a body is one, then a newline and its HTML.
    assert.ok(written.entries.every(([key, entry]) => JSON.parse(key.startsWith('parse') ? entry : entry.slice(0, entry.indexOf('\n'))) !== null));
    const warm = await buildSite(site, { persistCache: true, encodeImages: false });
    assert.equal(warm.cachedBodies, 300);
    assert.ok(!messages(warm).some((m) => m.includes('discarded')), messages(warm).join('\n'));

    // An older Recap's format: replaced as every upgrade replaces it, not reported as damaged.
    writeFileSync(file, `recap post cache 5\n${JSON.stringify({ code: 'older', entries: [] })}\n`);
    const upgraded = await buildSite(site, { persistCache: true, encodeImages: false });
    assert.equal(upgraded.cachedBodies, 0);
    assert.ok(!messages(upgraded).some((m) => m.includes('discarded')), messages(upgraded).join('\n'));
    assert.equal(readPostCacheEntries(file).entries.length, 600, 'written again in this format');
    writeFileSync(file, 'not a cache at all\n');
    assert.ok(messages(await buildSite(site, { persistCache: true, encodeImages: false })).some((m) => m.includes('discarded the whole file')));
  });

  it('is read an entry at a time as a build asks, never whole, and written only where entries change: an edit adds a segment of its own entries, and a segment cut off since it was opened is made again', async () => {
    const files: Record<string, string> = { 'recap.yml': 'title: Lazy\n' };
    for (let n = 0; n < 300; n++) files[`posts/2024-01-${String((n % 28) + 1).padStart(2, '0')}-post-${n}.md`] = post(`title: Post ${n}`, `Body ${n}, ${'words '.repeat(n)}\n`);
    const site = makeSite(files);
    await buildSite(site, { persistCache: true, encodeImages: false });
    const file = path.join(site, '.cache/recap/posts.json');
    const first = readPostCacheEntries(file);
    assert.equal(first.segments.length, 1);
    const firstSegment = `${file}.${first.segments[0]}.seg`;
    const segmentBytes = readFileSync(firstSegment);
    const { mtimeMs } = statSync(firstSegment);

    // One post edited: its two entries are made again, into a segment of their own; the other 598 stay where they are, not written again.
    writeFileSync(path.join(site, 'posts/2024-01-11-post-150.md'), post('title: Post 150', 'Edited.\n'));
    assert.equal((await buildSite(site, { persistCache: true, encodeImages: false })).cachedBodies, 299);
    const { magic, code, segments, entries: after } = readPostCacheEntries(file);
    assert.equal(after.length, 600);
    assert.equal(segments.length, 2);
    assert.equal(segments[0], first.segments[0], 'the first segment is still named');
    assert.ok(readFileSync(firstSegment).equals(segmentBytes) && statSync(firstSegment).mtimeMs === mtimeMs, 'and was not written again');
    const added = readFileSync(`${file}.${segments[1]}.seg`, 'utf8');
    const fresh = after.filter(([key]) => key.includes('post-150') && !first.entries.some(([old]) => old === key));
    assert.equal(fresh.length, 2);
    assert.equal(added, fresh.map(([, json]) => json).join(''), 'the new segment holds the edited post\'s entries alone');

    // Edited back: the second segment's entries are used no more, and it is removed with the index that stops naming it.
    writeFileSync(path.join(site, 'posts/2024-01-11-post-150.md'), files['posts/2024-01-11-post-150.md']!);
    await buildSite(site, { persistCache: true, encodeImages: false });
    const third = readPostCacheEntries(file);
    assert.equal(third.segments.length, 2);
    assert.deepEqual(readdirSync(path.dirname(file)).sort(), ['posts.json', ...third.segments.map((id) => `posts.json.${id}.seg`)].sort());

    // A segment cut in half after the index was read: entries before the cut are read, those past it are discarded.
    const cache = await PostCache.open(file, { rawHtml: false, siteDir: site });
    const big = first.entries.filter(([key]) => third.entries.some(([kept, json]) => kept === key && json === first.entries.find(([k]) => k === key)![1]));
    truncateSync(firstSegment, Math.floor(segmentBytes.length / 2));
    const [head] = big[0]!;
    const [tail] = big.at(-1)!;
    const kindOf = (key: string) => (key.startsWith('parse') ? 'parse' : 'resolve');
    const entryOf = (key: string) => (kindOf(key) === 'parse' ? cache.getParse(key) : cache.getBody(key));
    assert.ok(entryOf(head), 'an entry before the cut is read');
    assert.equal(entryOf(tail), undefined, 'an entry past the cut is not served');
    assert.deepEqual(cache.discarded, [`a ${kindOf(tail)} entry`]);
    // Cut before the entry read, too, by the time the cache is saved: its segment, mostly unused, is folded into a new one,
    // and what cannot be copied is left out, to be made again.
    truncateSync(firstSegment, 0);
    await cache.save();
    assert.deepEqual(readPostCacheEntries(file).entries, []);
    cache.release();

    // Entries in a segment in the other order than the build asks for them (each read alone then): every one is still found.
    const reordered = writePostCache(file, magic, code, [...third.entries].reverse());
    const outOfOrder = await buildSite(site, { persistCache: true, encodeImages: false });
    assert.equal(outOfOrder.cachedBodies, 300);
    assert.ok(!messages(outOfOrder).some((m) => m.includes('discarded')), messages(outOfOrder).join('\n'));
    assert.ok(readFileSync(file).equals(reordered), 'nothing changed: the index is left as it is');
  });

  it('names at most eight segments however many builds edited a post each, folding the smallest into the new one', async () => {
    const files: Record<string, string> = { 'recap.yml': 'title: Folded\n' };
    for (let n = 0; n < 12; n++) files[`posts/2024-02-${String(n + 1).padStart(2, '0')}-post-${n}.md`] = post(`title: Post ${n}`, `Body ${n}.\n`);
    const site = makeSite(files);
    await buildSite(site, { persistCache: true, encodeImages: false });
    const file = path.join(site, '.cache/recap/posts.json');
    const counts: number[] = [];
    for (let n = 0; n < 12; n++) {
      writeFileSync(path.join(site, `posts/2024-02-${String(n + 1).padStart(2, '0')}-post-${n}.md`), post(`title: Post ${n}`, `Body ${n}, edited.\n`));
      const edited = await buildSite(site, { persistCache: true, encodeImages: false });
      assert.equal(edited.cachedBodies, 11, `edit ${n}`);
      counts.push(readPostCacheEntries(file).segments.length);
    }
    assert.ok(counts.every((count) => count <= 8), `segments after each edit: ${counts.join(', ')}`);
    assert.equal(Math.max(...counts), 8, 'segments were gathered up to the limit');
    const { segments, entries } = readPostCacheEntries(file);
    assert.equal(entries.length, 24);
    assert.deepEqual(readdirSync(path.dirname(file)).sort(), ['posts.json', ...segments.map((id) => `posts.json.${id}.seg`)].sort());
    const warm = await buildSite(site, { persistCache: true, encodeImages: false });
    assert.equal(warm.cachedBodies, 12);
    assert.ok(!messages(warm).some((m) => m.includes('discarded')), messages(warm).join('\n'));
  });

  it('is written as its entries are made, and put in place whole: a build that stops first leaves the old file, and no temporary file', async () => {
    const site = makeSite({ 'recap.yml': 'title: Spool\n', 'posts/2024-03-06-a.md': post('title: A'), 'posts/2024-03-07-b.md': post('title: B') });
    await buildSite(site, { persistCache: true, encodeImages: false });
    const folder = path.join(site, '.cache/recap');
    const file = path.join(folder, 'posts.json');
    const before = readFileSync(file);
    const listed = readdirSync(folder);
    // An edited post is parsed again: its entry goes into the new file, which this build, stopping after the parse, never finishes.
    writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A, edited'));
    const stages = STAGES.filter(([name]) => name === 'load' || name === 'parse');
    const stopped = new BuildState({ siteDir: site, persistCache: true, encodeImages: false });
    const written: string[] = [];
    await runStages(stopped, [...stages, ['look', () => void written.push(...readdirSync(folder))]]);
    assert.ok(written.some((name) => /^posts\.json\.seg\.\d+\.tmp$/.test(name)), `the entry was written as it was made: ${written.join(', ')}`);
    assert.ok(readFileSync(file).equals(before), 'the old index is as it was');
    assert.deepEqual(readdirSync(folder), listed, 'and so are its segments, with nothing left beside them');

    // What a build killed while writing leaves (a file, or a folder planted there, a segment no index names) is removed by the next one.
    writeFileSync(path.join(folder, 'posts.json.4242.tmp'), 'half a cache');
    mkdirSync(path.join(folder, 'posts.json.4343.tmp'));
    writeFileSync(path.join(folder, 'posts.json.seg.4444.tmp'), 'half a segment');
    writeFileSync(path.join(folder, 'posts.json.0123456789abcdef.seg'), 'a segment of a build that stopped before its index');
    const next = await buildSite(site, { persistCache: true, encodeImages: false });
    assert.equal(next.cachedBodies, 1);
    const { segments, entries } = readPostCacheEntries(file);
    assert.deepEqual(readdirSync(folder).sort(), ['posts.json', ...segments.map((id) => `posts.json.${id}.seg`)].sort());
    assert.equal(entries.length, 4);
    assert.equal((await buildSite(site, { persistCache: true, encodeImages: false })).cachedBodies, 2);
  });

  it('gives the same output and diagnostics from the cache, and notices every change that matters', async () => {
    const site = makeSite({
      'recap.yml': 'title: Cache\nurl: https://cache.example\n',
      'posts/2024-03-06-a.md': post('title: A', `Ann Lee from X gave [Talk](https://youtu.be/${V}?t=60) (starting at 2:00).\n\n[b]({% post_url 2024-03-07-b %})\n`),
      'posts/2024-03-07-b.md': post('title: B'),
    });
    const cold = await buildSite(site, { persistCache: true });
    assert.equal(cold.cachedBodies, 0);
    const warm = await buildSite(site, { persistCache: true });
    assert.equal(warm.cachedBodies, 2);
    assert.deepEqual(outputs(warm), outputs(cold));
    assert.deepEqual(messages(warm), messages(cold));
    assert.ok(messages(warm).some((m) => m.includes('the text says 2:00')), 'cached diagnostics are reported again');

    const file = path.join(site, '.cache/recap/posts.json');
    const entryOfB = () => readPostCacheEntries(file).entries.find(([key]) => key.startsWith('resolve\0posts/2024-03-07-b.md'))![1];
    const before = entryOfB();
    writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A', 'Changed body.\n'));
    const edited = await buildSite(site, { persistCache: true });
    assert.equal(edited.cachedBodies, 1);
    assert.match(output(edited, '/2024/03/06/a/'), /Changed body\./);
    assert.equal(entryOfB(), before, 'an entry the build did not change is written back as it was');
    assert.match(before, /^\{"value":\{"excerpt":.*\}\n<p>/s, 'each body entry is the JSON of one result, then its HTML as it is');

    writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A', '[b]({% post_url 2024-03-07-b %})\n'));
    await buildSite(site, { persistCache: true });
    writeFileSync(path.join(site, 'posts/2024-03-07-b.md'), post('title: B\npermalink: /moved/'));
    const moved = await buildSite(site, { persistCache: true });
    assert.match(output(moved, '/2024/03/06/a/'), /href="\/moved\/"/, 'a post_url follows the post it names');

    // A new title and address make again only the bodies that may show them, and every page (each shows the title).
    writeFileSync(path.join(site, 'posts/2024-03-07-b.md'), post('title: B\npermalink: /moved/', 'Welcome to {{ site.title }} at {{ site.url }}.\n'));
    writeFileSync(path.join(site, 'posts/2024-03-08-c.md'), post('title: C', 'No Liquid here.\n'));
    await buildSite(site, { persistCache: true });
    writeFileSync(path.join(site, 'recap.yml'), 'title: Cache Renamed\nurl: https://renamed.example\n');
    const retitled = await buildSite(site, { persistCache: true });
    assert.equal(retitled.cachedBodies, 1, 'the body without Liquid is kept');
    assert.match(output(retitled, '/moved/'), /Welcome to Cache Renamed at https:\/\/renamed\.example\./);
    assert.deepEqual(outputs(retitled), outputs(await buildSite(site)), 'as a build without a cache makes it');

    writeFileSync(path.join(site, 'recap.yml'), 'title: Cache\nurl: https://cache.example\nbaseurl: /sub\n');
    const rebased = await buildSite(site, { persistCache: true });
    assert.equal(rebased.cachedBodies, 0);
    assert.match(output(rebased, '/2024/03/06/a/'), /href="\/sub\/moved\/"/);
  });
});

/**
 * The check a cached body's HTML had before the sticky scan: a global regular expression over whole
 * tags, each match's captures read in turn. The scan must say exactly what this says.
 */
function markdownShapedByWholeTags(html: string): boolean | undefined {
  const known = new Set(['p', 'a', 'img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'em', 'strong', 'code', 'pre', 'blockquote', 'hr', 'br', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
    'sup', 'div', 'dl', 'dt', 'dd', 'abbr', 'input', 'label']);
  const other = /\s(?!(?:href|src|alt|title|id|class|start|style|data-recap-image|target|rel|lang|dir|width|height|role|type|checked|disabled|for)=")[a-z-]+=/;
  const tags = /<(\/?)([a-z][a-z0-9]*)((?:\s[a-z-]+="[^"<>]*")*)\s*\/?>/g;
  const urls = /\s(?:href|src)="([^"]*)"/g;
  let next = html.indexOf('<');
  for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
    if (tag.index !== next || !known.has(tag[2]!)) return undefined;
    next = html.indexOf('<', tags.lastIndex);
    const attributes = tag[3]!;
    if (attributes === '') continue;
    if (other.test(attributes)) return undefined;
    urls.lastIndex = 0;
    for (let url = urls.exec(attributes); url; url = urls.exec(attributes)) if (!checkUrl(url[1]!).ok) return false;
  }
  return next === -1 ? true : undefined;
}

describe('the check of a cached body\'s HTML', () => {
  it('says of any text what the regular expression over whole tags it replaced says', () => {
    const pieces = ['<p>', '</p>', '<a href="https://example.org/x">', '<a href="javascript:alert(1)">', '</a>', '<img src="/images/a.jpg" alt="A" data-recap-image="0">',
      '<img src="data:text/html,x" alt="">', '<abbr>', '<P>', '<br>', '<br/>', '<br />', '<hr >', '<h2 id="talks">', '<code class="language-js">', '<pre>', '<s>',
      '<script>', '<iframe src="https://example.org">', '<p onclick="x">', '<a title="a b=c">', '<td style="text-align:right">', '<ol start="3">',
      '<a href="https://example.org" target="_blank" rel="nofollow">', '<img src="/a.png" alt="" width="300" class="align-center">', '<p lang="de" dir="ltr">', '<p onmouseover="x">',
      '<sup id="fnref:1" role="doc-noteref">', '<div class="footnotes" role="doc-endnotes">', '<dl>', '<dt>', '<dd>', '<abbr title="x">', '<div onclick="x">', '<section>',
      '<input type="checkbox" class="task-list-item-checkbox" id="task-item-0" disabled="disabled">', '<label class="task-list-item-label" for="task-item-0">', '<input onfocus="x">',
      '<a href=x>', '<a  href="y">', '<a href="">', '<span>', 'text', ' ', '&lt;', '<', '>', '"', '=', '="', '/', '\n', 'p', 'a', 'href', '<strong>', '</strong>', '<table>'];
    const html = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(fc.property(html, (text) => isMarkdownShaped(text) === markdownShapedByWholeTags(text)), { numRuns: 3000 });
  });
});
