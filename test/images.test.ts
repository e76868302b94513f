import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { buildSite, html, makeSite, messages, photo, post } from './helpers.js';
import { decodeImage, encodeVariant, resizeImage } from '../src/images/encode.js';
import { ImagePlan } from '../src/pipeline/stages/images.js';
import { loadSite } from '../src/pipeline/stages/load.js';
import { Diagnostics } from '../src/diagnostics/diagnostics.js';

/** The GPSInfo pointer tag (0x8825) in either byte order: present when a photo carries a location. */
function hasGpsTag(exif: Buffer | undefined): boolean {
  return exif !== undefined && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

let portrait: Buffer;
let wide: Buffer;
let transparent: Buffer;
let animated: Buffer;
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/passwd"/></svg>';

before(async () => {
  // A phone photo: stored landscape with orientation 6 (shown portrait), the photographer's name and a location.
  portrait = await sharp(await photo(2400, 1600, 7))
    .withExif({ IFD0: { Artist: 'Jane Doe', Make: 'PhoneCo', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
  wide = await photo(2000, 1333, 3);
  transparent = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 20, b: 20, alpha: 0.5 } } }).png().toBuffer();
  const frames = await Promise.all(['#00f', '#f00'].map((background) => sharp({ create: { width: 20, height: 20, channels: 3, background } }).png().toBuffer()));
  animated = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
});

/** The width and height of the picture a page's og:image names (a site at https://photos.example). */
async function ogImageSize(result: Awaited<ReturnType<typeof buildSite>>, page: string): Promise<[number | undefined, number | undefined]> {
  const og = html(result, page)('meta[property="og:image"]').attr('content')!;
  const meta = await sharp(result.manifest.get(og.replace('https://photos.example', ''))!.copyFrom!).metadata();
  return [meta.width, meta.height];
}

function site(extra: Record<string, string | Buffer> = {}) {
  return makeSite({
    'recap.yml': 'title: Photo Club\nurl: https://photos.example\n',
    'images/2024-03-06-group.jpeg': portrait,
    'images/wide.jpg': wide,
    'images/logo.png': transparent,
    'images/dance.gif': animated,
    'images/badge.svg': SVG,
    'images/agenda.pdf': '%PDF-1.4 agenda',
    'posts/2024-03-06-photos.md': post('title: Photos\nimage: /images/2024-03-06-group.jpeg\nimage_alt: The group',
      '![The whole room](/images/wide.jpg)\n\n![Our logo](images/logo.png)\n\n![Dancing](/images/dance.gif)\n'),
    ...extra,
  });
}

describe('images', () => {
  it('resizes once per width for every format, with the very bytes a resize per format gives', async () => {
    const decoded = await decodeImage(await photo(1200, 800, 7));
    for (const format of ['avif', 'webp', 'jpeg'] as const) {
      for (const width of [480, 960]) {
        const own = await encodeVariant(decoded, { width, format });
        const shared = await encodeVariant(await resizeImage(decoded, width), { width, format });
        assert.ok(own.equals(shared), `${format} at ${width}: the cache's keys stand for these bytes`);
      }
    }
  });

  it('publishes AVIF, WebP and JPEG variants at the configured widths, never upscaled, without any metadata, upright', async () => {
    const result = await buildSite(site());
    assert.equal(result.diagnostics.count('error') + result.diagnostics.count('warning'), 0, messages(result).join('\n'));
    const variants = result.manifest.all().filter((f) => /^\/assets\/images\/2024-03-06-group-\d+\./.test(f.url));
    const shapes = await Promise.all(variants.map(async (f) => {
      const meta = await sharp(f.copyFrom!).metadata();
      assert.equal(meta.exif, undefined, `${f.url} kept EXIF`);
      assert.equal(meta.orientation, undefined);
      return `${meta.format} ${meta.width}x${meta.height}`;
    }));
    // Orientation 6 applied: 1600x2400 shown; widths 480, 960, 1344 in the modern formats, the JPEG fallback in the largest only.
    assert.deepEqual(shapes.sort(), ['heif 1344x2016', 'heif 480x720', 'heif 960x1440', 'jpeg 1344x2016', 'webp 1344x2016', 'webp 480x720', 'webp 960x1440']);
    const input = await sharp(portrait).metadata();
    assert.ok(hasGpsTag(input.exif) && input.exif!.includes('Jane Doe'), 'the fixture does carry a location and a name');
    // The original's URL is republished without metadata too.
    const original = result.manifest.get('/images/2024-03-06-group.jpeg')!;
    const meta = await sharp(original.copyFrom!).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(meta.width, 1344);
    const small = await buildSite(makeSite({ 'images/tiny.jpg': await photo(300, 200), 'posts/2024-01-01-a.md': post('title: A', '![Tiny](/images/tiny.jpg)\n') }));
    const tiny = small.manifest.all().filter((f) => /^\/assets\/images\/tiny-/.test(f.url)).map((f) => f.url.replace(/\.[0-9a-f]{10}\./, '.'));
    assert.deepEqual(tiny.sort(), ['/assets/images/tiny-300.avif', '/assets/images/tiny-300.jpg', '/assets/images/tiny-300.webp', '/assets/images/tiny-social.jpg']);
  });

  it('keeps transparency in PNG, copies animations and SVGs as they are, and never rasterises an SVG', async () => {
    const result = await buildSite(site());
    const png = result.manifest.all().filter((f) => /^\/assets\/images\/logo-300\.[0-9a-f]+\.png$/.test(f.url));
    assert.equal(png.length, 1);
    assert.equal((await sharp(png[0]!.copyFrom!).metadata()).hasAlpha, true);
    assert.equal(result.manifest.get('/images/dance.gif')!.copyFrom!.endsWith('images/dance.gif'), true);
    assert.equal((await sharp(result.manifest.get('/images/dance.gif')!.copyFrom!, { animated: true }).metadata()).pages, 2);
    assert.equal(result.manifest.get('/images/badge.svg')!.copyFrom!.endsWith('images/badge.svg'), true);
    assert.ok(!result.manifest.all().some((f) => f.url.startsWith('/assets/images/badge-')), 'no raster of the SVG');
    assert.ok(result.manifest.get('/images/agenda.pdf'));
  });

  it('renders <picture> with srcset, sizes, width, height and alt; only the first photo loads eagerly', async () => {
    const result = await buildSite(site());
    const $ = html(result, '/2024/03/06/photos/');
    const hero = $('.post-hero picture img');
    assert.equal(hero.attr('alt'), 'The group');
    assert.equal(hero.attr('width'), '1344');
    assert.equal(hero.attr('height'), '2016');
    assert.equal(hero.attr('loading'), undefined);
    assert.equal(hero.attr('fetchpriority'), 'high');
    assert.deepEqual($('.post-hero source').map((_, s) => $(s).attr('type')).get(), ['image/avif', 'image/webp']);
    const figure = $('.post-body figure.photo').first();
    assert.equal(figure.find('figcaption').text(), 'The whole room', 'a photo on its own is captioned with its text alternative');
    const body = figure.find('picture img');
    assert.equal(body.attr('alt'), '', 'the caption says it once, so the image is not announced twice');
    assert.equal(body.attr('loading'), 'lazy');
    assert.equal(body.attr('decoding'), 'async');
    assert.equal(body.attr('sizes'), '(min-width: 44rem) 42rem, 100vw');
    const widths = (srcset: string | undefined) => srcset!.split(', ').map((s) => s.split(' ')[1]);
    assert.deepEqual(figure.find('source').map((_, s) => widths($(s).attr('srcset'))).get(), ['480w', '960w', '1344w', '480w', '960w', '1344w']);
    assert.deepEqual(widths(body.attr('srcset')), ['1344w'], 'the fallback, for browsers that read neither AVIF nor WebP, comes in the largest size only');
    assert.match($('.post-body picture').eq(1).find('img').attr('src')!, /^\/assets\/images\/logo-300\.[0-9a-f]{10}\.png$/);
    assert.equal($('.post-body img[alt="Dancing"]').attr('src'), '/images/dance.gif');
    const og = $('meta[property="og:image"]').attr('content')!;
    assert.match(og, /^https:\/\/photos\.example\/assets\/images\/2024-03-06-group-social\.[0-9a-f]{10}\.jpg$/);
    const social = result.manifest.get(og.replace('https://photos.example', ''))!;
    const meta = await sharp(social.copyFrom!).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [1200, 630, 'jpeg']);
  });

  it('shows a paragraph of several photos as a captioned gallery, and a photo inside text as a plain picture', async () => {
    const result = await buildSite(site({
      'posts/2024-04-02-gallery.md': post('title: Gallery night', '![Doors open](/images/wide.jpg)\n![The quiz](/images/wide.jpg) ![](/images/wide.jpg)\n\nA photo in text: ![The stage](/images/wide.jpg) here.\n'),
    }));
    const $ = html(result, '/2024/04/02/gallery/');
    const gallery = $('.post-body .gallery');
    assert.equal(gallery.length, 1);
    assert.equal(gallery.parent().is('p'), false, 'no figure inside a paragraph');
    assert.deepEqual(gallery.find('figure.photo').map((_, f) => $(f).find('figcaption').text()).get(), ['Doors open', 'The quiz', '']);
    assert.equal(gallery.find('figure.photo img').first().attr('sizes'), '(min-width: 44rem) 21rem, 50vw');
    const inline = $('.post-body p picture img');
    assert.equal(inline.attr('alt'), 'The stage');
    assert.equal($('.post-body p figcaption').length, 0);
  });

  it('gives a post without a photo a generated social card', async () => {
    const result = await buildSite(site({ 'posts/2024-04-01-no-photo.md': post('title: A night without photos') }));
    const og = html(result, '/2024/04/01/no-photo/')('meta[property="og:image"]').attr('content')!;
    assert.match(og, /^https:\/\/photos\.example\/assets\/social\/[0-9a-f]{16}\.jpg$/);
    const meta = await sharp(result.manifest.get(og.replace('https://photos.example', ''))!.copyFrom!).metadata();
    assert.deepEqual([meta.width, meta.height], [1200, 630]);
  });

  it('encodes from the images stage on: a card planned after encoding started is encoded, and encoding ends once the plan is sealed', async () => {
    const dir = makeSite({ 'recap.yml': 'title: Photo night\n', 'images/hall.jpeg': await photo(800, 600) });
    const sources = await loadSite(dir, { drafts: false });
    const diagnostics = new Diagnostics();
    const plan = await ImagePlan.create(sources.statics, { widths: [480], cacheDir: path.join(dir, '.cache/images'), siteDir: dir, url: 'https://photos.example', baseurl: '' }, diagnostics);
    const encoding = plan.encode(diagnostics, { prune: true });
    let ended = false;
    void encoding.then(() => (ended = true));
    // The photo's variants are encoded meanwhile; the queue stays open for what the posts stage plans.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const card = plan.card('Photo night', 'A talk planned late', 'posts/2024-04-01-late.md');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(ended, false, 'encoding waits for the seal');
    plan.seal();
    const encoded = await encoding;
    assert.deepEqual(diagnostics.list, []);
    const cardFile = encoded.files.find((file) => file.url === card.url);
    assert.ok(cardFile, 'the card is among the encoded files');
    assert.deepEqual(await sharp(cardFile.path).metadata().then((meta) => [meta.format, meta.width, meta.height]), ['jpeg', 1200, 630]);
    assert.ok(encoded.files.some((file) => file.url.endsWith('.avif')), 'the photo\'s variants too');
    assert.equal(encoded.encoded, encoded.files.length - 1, 'each file encoded once (the original\'s URL is the widest fallback\'s bytes)');
  });

  it('draws a social card\'s site name above its title, in their colours, on the background with its margins', async () => {
    const result = await buildSite(site({ 'posts/2024-04-01-no-photo.md': post('title: A night without photos') }));
    const og = html(result, '/2024/04/01/no-photo/')('meta[property="og:image"]').attr('content')!;
    const { data, info } = await sharp(result.manifest.get(og.replace('https://photos.example', ''))!.copyFrom!).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [0, 1, 2].map((c) => data[(y * info.width + x) * info.channels + c]!);
    const near = (pixel: number[], colour: number[]) => pixel.every((v, c) => Math.abs(v - colour[c]!) <= 12);
    // Rows that hold a colour like this one (JPEG's edges aside), within the card's side margins.
    const rowsWith = (colour: number[]) => {
      const rows: number[] = [];
      for (let y = 0; y < info.height; y++) for (let x = 72; x < info.width - 72; x++) if (near(at(x, y), colour)) { rows.push(y); break; }
      return rows;
    };
    const background = [0x1d, 0x2a, 0x38];
    for (const [x, y] of [[0, 0], [1199, 629], [30, 300], [1180, 150], [600, 620]] as const) assert.ok(near(at(x, y), background), `(${x}, ${y}) is the background: ${at(x, y)}`);
    const siteRows = rowsWith([0x9e, 0xc5, 0xff]);
    const titleRows = rowsWith([0xff, 0xff, 0xff]);
    assert.ok(siteRows.length > 10 && Math.min(...siteRows) >= 72 && Math.max(...siteRows) < 189, 'the site name is in the top band, below its margin');
    assert.ok(titleRows.length > 30 && Math.min(...titleRows) >= 189 && Math.max(...titleRows) < 189 + 378, 'the title is below 30% of the height, in its box');
  });

  it('draws a social card for a title of invisible characters, without an internal error', async () => {
    const result = await buildSite(site({ 'posts/2024-04-02-blank.md': post('title: "\\u200b"') }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.deepEqual(await ogImageSize(result, '/2024/04/02/blank/'), [1200, 630]);
  });

  it('draws a social card for a site name of one long word or of many lines, fitted to the card, without an internal error', async () => {
    for (const title of [`"${'Platformengineering'.repeat(7)}"`, `"${'Meetup\\n'.repeat(20)}"`, `"${'مرحبا'.repeat(28)}"`]) {
      const result = await buildSite(makeSite({ 'recap.yml': `title: ${title}\nurl: https://photos.example\n`, 'posts/2024-04-02-a.md': post('title: A') }));
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
      assert.deepEqual(await ogImageSize(result, '/2024/04/02/a/'), [1200, 630], title);
    }
  });

  it('cuts the social crop of a photo 1 pixel wide and 16,000 tall, or the reverse, from its middle, in moments (once minutes)', { timeout: 60_000 }, async () => {
    for (const [width, height] of [[1, 16000], [16000, 1]] as const) {
      const thin = await sharp({ create: { width, height, channels: 3, background: '#08f' } }).png().toBuffer();
      const started = performance.now();
      const result = await buildSite(makeSite({ 'recap.yml': 'title: Thin\nurl: https://photos.example\n', 'images/thin.png': thin, 'posts/2024-04-02-a.md': post('title: A\nimage: /images/thin.png', '![A line](/images/thin.png)\n') }));
      assert.ok(performance.now() - started < 10_000, `${width}×${height} took ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
      assert.deepEqual(await ogImageSize(result, '/2024/04/02/a/'), [1200, 630]);
    }
  });

  it('cuts a social crop from the largest width\'s pixels where they cover it, else from the whole photo (a panorama)', async () => {
    const panorama = await photo(4000, 600, 11);
    const result = await buildSite(makeSite({
      'recap.yml': 'title: Crops\nurl: https://photos.example\n',
      'images/wide.jpg': wide,
      'images/panorama.jpg': panorama,
      'posts/2024-04-03-wide.md': post('title: Wide\nimage: /images/wide.jpg', '![The room](/images/wide.jpg)\n'),
      'posts/2024-04-04-panorama.md': post('title: Panorama\nimage: /images/panorama.jpg', '![The hall](/images/panorama.jpg)\n'),
    }));
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const crop = { width: 1200, cropHeight: 630, format: 'jpeg' } as const;
    const published = (page: string) => {
      const og = html(result, page)('meta[property="og:image"]').attr('content')!;
      return readFileSync(result.manifest.get(og.replace('https://photos.example', ''))!.copyFrom!);
    };
    const wideDecoded = await decodeImage(wide);
    assert.ok((await published('/2024/04/03/wide/')).equals(await encodeVariant(await resizeImage(wideDecoded, 1344), crop)), '2000×1333: cut from its 1344×896 pixels');
    assert.ok(!(await encodeVariant(wideDecoded, crop)).equals(await encodeVariant(await resizeImage(wideDecoded, 1344), crop)), 'the two sources make different crops, so the check above can fail');
    assert.ok((await published('/2024/04/04/panorama/')).equals(await encodeVariant(await decodeImage(panorama), crop)), '4000×600: its 1344 px pixels (202 tall) would be enlarged, so the crop is cut from the whole photo');
  });

  it('encodes nothing on a second build, re-encodes only an edited photo, and prunes what is gone', async () => {
    const dir = site();
    const first = await buildSite(dir);
    assert.equal(first.images.encoded, 20, "group, wide: 3 AVIF, 3 WebP, 1 JPEG, social crop; logo: AVIF, WebP, PNG, social crop");
    const second = await buildSite(dir);
    assert.equal(second.images.encoded, 0);
    assert.equal(second.images.cached, first.images.encoded);
    writeFileSync(path.join(dir, 'images/logo.png'), await sharp({ create: { width: 300, height: 200, channels: 4, background: '#0f08' } }).png().toBuffer());
    const third = await buildSite(dir);
    assert.equal(third.images.encoded, 4, 'logo: avif, webp, png at 300 px, and its social crop');
    assert.equal(readdirSync(path.join(dir, '.cache/images')).filter((f) => f !== 'sources.json' && f !== 'written.json').length, first.images.encoded);
  });

  it('warns about missing photos with a "did you mean", and resolves spaces, base URL and relative paths', async () => {
    const result = await buildSite(makeSite({
      'recap.yml': 'baseurl: /club\n',
      'images/2024-03-06-group.jpeg': await photo(),
      'images/Stage Shot.JPG': await photo(),
      'posts/2024-03-06-refs.md': post('title: Refs\nimage: /images/2024-03-06-group.jpg', [
        '![a](/images/2024-03-06-Group.jpeg)',
        '',
        '![b](/images/2024-03-07-group.jpeg)',
        '',
        '![c]({{ site.baseurl }}/images/2024-03-06-group.jpeg) ![d](../images/2024-03-06-group.jpeg) ![e](/images/Stage%20Shot.JPG) ![f](https://cdn.example/x.jpg)',
        '',
      ].join('\n')),
    }));
    const warnings = messages(result).filter((m) => m.includes(' warning: '));
    assert.deepEqual(warnings.map((w) => w.replace(/\n/g, ' | ')), [
      'posts/2024-03-06-refs.md:3:8 warning: image /images/2024-03-06-group.jpg does not exist [R403] |   hint: did you mean /images/2024-03-06-group.jpeg?',
      'posts/2024-03-06-refs.md:5 warning: image /images/2024-03-06-Group.jpeg does not exist [R403] |   hint: did you mean /images/2024-03-06-group.jpeg?',
      'posts/2024-03-06-refs.md:7 warning: image /images/2024-03-07-group.jpeg does not exist [R403] |   hint: did you mean /images/2024-03-06-group.jpeg?',
    ]);
    const $ = html(result, '/2024/03/06/refs/');
    assert.equal($('.post-body picture').length, 3, 'baseurl, relative and spaced paths all become pictures');
    assert.equal($('.post-body img[alt="f"]').attr('src'), 'https://cdn.example/x.jpg', 'remote images stay as they are');
  });

  it('reports corrupt, truncated and oversized images by name, and still reports everything else', async () => {
    const good = await photo();
    const result = await buildSite(makeSite({
      'images/corrupt.jpg': 'this is a text file with a .jpg name',
      'images/truncated.jpg': good.subarray(0, Math.floor(good.length / 2)),
      'images/bomb.png': await sharp({ create: { width: 10000, height: 6000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer(),
      'images/fine.jpg': good,
      'posts/2024-03-06-a.md': post('title: A', '![x](/images/nope.jpg)\n'),
    }));
    const errors = messages(result).filter((m) => m.includes(' error: '));
    assert.match(errors.find((e) => e.startsWith('images/corrupt.jpg'))!, /cannot read image/);
    assert.match(errors.find((e) => e.startsWith('images/truncated.jpg'))!, /cannot (read|encode) image/);
    assert.match(errors.find((e) => e.startsWith('images/bomb.png'))!, /larger than 50 megapixels/);
    assert.equal(errors.length, 3, errors.join('\n'));
    assert.ok(messages(result).some((m) => m.startsWith('posts/2024-03-06-a.md:4 warning: image /images/nope.jpg does not exist')));
    assert.ok(result.manifest.all().some((f) => f.url.startsWith('/assets/images/fine-640.')));
  });

  it('makes a Jekyll site\'s photos outside images/ responsive where posts name them, copying each as it is, and caches only hashed files forever', async () => {
    const good = await photo(1800, 1200, 4);
    const dir = makeSite({
      '_config.yml': 'title: Elsewhere\nurl: https://elsewhere.example\nbaseurl: /blog\ndefaults:\n  - scope: {path: _posts/2024-03-08}\n    values: {image: /assets/img/diagram.png}\n',
      '_posts/2024-03-07-cut.md': post('title: Cut short\nimage: /assets/images/truncated.jpg'),
      '_posts/2024-03-08-default.md': post('title: By default'),
      'assets/images/group.jpg': good,
      'assets/img/diagram.png': transparent,
      'assets/img/bare.png': transparent,
      'assets/images/unused.jpg': good,
      'assets/images/truncated.jpg': good.subarray(0, Math.floor(good.length / 2)),
      'assets/css/main.css': 'body { color: red }',
      '_posts/2024-03-06-photos.md': post('title: Photos\nimage: /assets/images/group.jpg',
        '![The room]({{ site.baseurl }}/assets/images/group.jpg)\n\n![A diagram](/blog/assets/img/diagram.png)\n\n![Cut short](/assets/images/truncated.jpg)\n\n![Missing](/assets/images/nope.jpg)\n\n'
        + '<p><img src="/blog/assets/images/group.jpg" alt="Sized by hand" width="300" class="left"> <img src=\'{{ site.baseurl }}/assets/img/diagram.png\' alt="Unsized"></p>\n\n'
        + '<picture><source srcset="/blog/assets/img/diagram.png"><img src="/blog/assets/img/diagram.png" alt="Own picture"></picture>\n\n<img src="/blog/assets/images/group.jpg" srcset="/blog/assets/images/group.jpg 1800w" alt="Own srcset">\n\n'
        + '<img src="{{ site.url }}{{ site.baseurl }}/assets/images/group.jpg" alt="By its address">\n\n'
        + '<img src="{{ \'assets/img/bare.png\' | relative_url }}" alt="Named without its slash">\n'),
    });
    const result = await buildSite(dir);
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    const $ = html(result, '/2024/03/06/photos.html');
    const sources = (alt: string) => $('.post-body figure').filter((_, f) => $(f).find('figcaption').text() === alt).find('source').map((_, e) => e.attribs['srcset']).get().join(' ');
    assert.match(sources('The room'), /^\/blog\/assets\/recap\/assets\/images\/group-480\.[0-9a-f]{10}\.avif 480w/);
    assert.match(sources('A diagram'), /\/blog\/assets\/recap\/assets\/img\/diagram-300\.[0-9a-f]{10}\.webp 300w/);
    assert.equal($('.post-body figure img').first().attr('width'), '1344');
    assert.match($('meta[property="og:image"]').attr('content')!, /^https:\/\/elsewhere\.example\/blog\/assets\/recap\/assets\/images\/group-social\.[0-9a-f]{10}\.jpg$/);
    // A post's own <img> of such a photo gets its sources, and its size where it gave none; the tag is otherwise the author's.
    const raw = (alt: string) => $(`.post-body img[alt="${alt}"]`);
    assert.equal(raw('Sized by hand').parent().get(0)?.tagName, 'picture');
    assert.match(raw('Sized by hand').parent().find('source[type="image/avif"]').attr('srcset')!, /^\/blog\/assets\/recap\/assets\/images\/group-480\./);
    assert.equal(raw('Sized by hand').parent().find('source').first().attr('sizes'), '(max-width: 300px) 100vw, 300px');
    assert.deepEqual([raw('Sized by hand').attr('width'), raw('Sized by hand').attr('height'), raw('Sized by hand').attr('class'), raw('Sized by hand').attr('src')], ['300', undefined, 'left', '/blog/assets/images/group.jpg']);
    assert.deepEqual([raw('Unsized').attr('width'), raw('Unsized').attr('height')], ['300', '200'], 'the photo\'s own size');
    assert.equal(raw('Unsized').parent().find('source').length, 2);
    assert.equal(raw('Own picture').parent().find('source').length, 1, 'a picture of the author\'s own is left as it is');
    assert.notEqual(raw('Own srcset').parent().get(0)?.tagName, 'picture');
    assert.equal(raw('By its address').parent().find('source').length, 2, 'the site\'s own address is a path of the site');
    assert.equal(raw('Named without its slash').parent().find('source').length, 2, 'a name from the site\'s folder (relative_url adds the slash)');
    // A photo named by the settings' defaults is made responsive too; one that cannot be is shared as it is.
    assert.match(html(result, '/2024/03/08/default.html')('meta[property="og:image"]').attr('content')!, /\/blog\/assets\/recap\/assets\/img\/diagram-social\.[0-9a-f]{10}\.jpg$/);
    assert.equal(html(result, '/2024/03/07/cut.html')('meta[property="og:image"]').attr('content'), 'https://elsewhere.example/blog/assets/images/truncated.jpg');
    // Each original is copied byte for byte, as Jekyll copies it; one no post names gets no variants.
    for (const url of ['/assets/images/group.jpg', '/assets/img/diagram.png', '/assets/images/unused.jpg', '/assets/images/truncated.jpg']) assert.ok(result.manifest.get(url)?.copyFrom, url);
    assert.ok(!result.manifest.all().some((f) => f.url.includes('/unused-')), 'a photo no post names is not encoded');
    // A photo that cannot be decoded is a warning and is shown as it is; a missing one is named.
    const text = messages(result);
    assert.ok(text.some((m) => /^assets\/images\/truncated\.jpg warning: cannot read image/.test(m)), text.join('\n'));
    assert.equal($('.post-body img[alt="Cut short"]').attr('src'), '/blog/assets/images/truncated.jpg');
    assert.ok(text.some((m) => m.includes('warning: image /assets/images/nope.jpg does not exist')), text.join('\n'));
    // The site's own files under /assets/ revalidate; Recap's hashed ones are cached forever.
    const headers = result.manifest.get('/_headers')!.content!.toString();
    const rules = [...headers.matchAll(/^(\S+)\n {2}Cache-Control: public, max-age=31536000, immutable$/gm)].map((m) => m[1]!);
    assert.ok(rules.includes('/blog/assets/recap/*'), rules.join('\n'));
    assert.ok(rules.every((rule) => rule === '/blog/assets/recap/*' || /\.[0-9a-f]{10}\.\w+$/.test(rule)), rules.join('\n'));
    assert.ok(!rules.includes('/blog/assets/*'));
  });

  it('keeps the image cache in the configured folder', async () => {
    const dir = makeSite({ 'recap.yml': 'cache_dir: build-cache\n', 'images/a.jpg': await photo(), 'posts/2024-01-01-a.md': post('title: A') });
    await buildSite(dir);
    assert.ok(existsSync(path.join(dir, 'build-cache/images')));
  });
});
