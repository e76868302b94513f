import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { makePhoto } from '../tools/photos.js';
import { RECAP_NODE_FLAGS } from '../src/cli/node-flags.js';
import { DEFAULT_IMAGE_WIDTHS } from '../src/content/config.js';
import { stateFolder } from '../src/output/write.js';

const PHOTOS = 50;
/**
 * The variants sharp's defaults are timed on: every format at 480, 960 and 1600 px, the set the
 * issue's baseline measured (Recap's own widths were these until they followed its theme's column).
 */
const BASELINE_WIDTHS = [480, 960, 1600];
const FORMATS = ['avif', 'webp', 'jpeg'] as const;

interface Report {
  wallMs: number;
  images: { encoded: number; cached: number };
  bytesByFormat: Record<string, number>;
}

/** A site of 50 recaps, each with its own 2000×1333 group photo (or, with `photos` false, none). */
async function writeSite(dir: string, photos: boolean): Promise<void> {
  mkdirSync(path.join(dir, 'posts'), { recursive: true });
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  writeFileSync(path.join(dir, 'recap.yml'), 'title: Image bench\nurl: https://bench.example\n');
  for (let n = 0; n < PHOTOS; n++) {
    const date = new Date(Date.UTC(2025, 0, 1) + n * 86400000).toISOString().slice(0, 10);
    const image = photos ? `image: /images/${date}-photo.jpeg\n` : '';
    const body = photos ? `![The audience at meetup ${n}](/images/${date}-photo.jpeg)\n` : 'No photo this time.\n';
    writeFileSync(path.join(dir, 'posts', `${date}-meetup-${n}.md`), `---\ntitle: Meetup ${n}\n${image}---\n${body}`);
    if (photos) writeFileSync(path.join(dir, 'images', `${date}-photo.jpeg`), await makePhoto(2000, 1333, 1000 + n));
  }
}

function build(dir: string): Report {
  const started = performance.now();
  const child = spawnSync(process.execPath, [...RECAP_NODE_FLAGS, path.join(import.meta.dirname, 'build-once.js'), dir], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(child.stderr);
  const report = JSON.parse(child.stdout) as { images: Report['images']; bytesByFormat: Record<string, number> };
  return { wallMs, images: report.images, bytesByFormat: report.bytesByFormat };
}

/**
 * A first build: the cache, the output and its state folder removed before it. Three are timed and the
 * middle one reported (as for the cached builds): a 13-second build here varied by ±8% from one
 * run to the next, the ~100 seconds of the defaults' encoding far less.
 */
function firstBuild(dir: string): Report {
  const out = path.join(dir, '_site');
  for (const made of [path.join(dir, '.cache'), out, stateFolder(out)]) rmSync(made, { recursive: true, force: true });
  return build(dir);
}

/** The baseline's variants with sharp's default encoder settings (what eleventy-img uses), as many at a time as the build. */
async function encodeWithDefaults(dir: string): Promise<{ ms: number; bytesByFormat: Record<string, number> }> {
  const bytesByFormat: Record<string, number> = {};
  const jobs: Array<() => Promise<void>> = [];
  for (let n = 0; n < PHOTOS; n++) {
    const date = new Date(Date.UTC(2025, 0, 1) + n * 86400000).toISOString().slice(0, 10);
    const file = path.join(dir, 'images', `${date}-photo.jpeg`);
    for (const format of FORMATS) {
      for (const width of BASELINE_WIDTHS) {
        jobs.push(async () => {
          const out = await sharp(file).rotate().resize({ width, withoutEnlargement: true }).toFormat(format).toBuffer();
          bytesByFormat[format] = (bytesByFormat[format] ?? 0) + out.length;
        });
      }
    }
  }
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: availableParallelism() }, async () => {
    while (next < jobs.length) await jobs[next++]!();
  }));
  return { ms: performance.now() - started, bytesByFormat };
}

function kib(bytes: Record<string, number>): string {
  return Object.entries(bytes).sort().map(([format, n]) => `${format} ${(n / 1024).toFixed(0)} KiB`).join(', ');
}

/** The images case of `npm run bench`: first and cached builds of 50 photos, against sharp's defaults. */
export async function benchImages(): Promise<void> {
  const withPhotos = mkdtempSync(path.join(tmpdir(), 'recap-bench-images-'));
  const withoutPhotos = mkdtempSync(path.join(tmpdir(), 'recap-bench-noimages-'));
  try {
    await writeSite(withPhotos, true);
    await writeSite(withoutPhotos, false);
    const firsts = [firstBuild(withPhotos), firstBuild(withPhotos), firstBuild(withPhotos)].sort((a, b) => a.wallMs - b.wallMs);
    const first = firsts[1]!;
    const cached = [build(withPhotos), build(withPhotos), build(withPhotos)].sort((a, b) => a.wallMs - b.wallMs)[1]!;
    build(withoutPhotos);
    const none = [build(withoutPhotos), build(withoutPhotos), build(withoutPhotos)].sort((a, b) => a.wallMs - b.wallMs)[1]!;
    const defaults = await encodeWithDefaults(withPhotos);
    const recapAvif = first.bytesByFormat['avif'] ?? 0;
    const defaultAvif = defaults.bytesByFormat['avif'] ?? 0;
    console.log(`images: ${PHOTOS} photos 2000x1333, Recap's default widths ${DEFAULT_IMAGE_WIDTHS.join('/')}, AVIF+WebP (JPEG at the largest)`);
    console.log(`  first build                ${(first.wallMs / 1000).toFixed(2)} s wall (middle of ${firsts.map((b) => (b.wallMs / 1000).toFixed(2)).join(', ')}), ${first.images.encoded} encoded (responsive variants, original URL, social crop)`);
    console.log(`  sharp defaults, 450 at ${BASELINE_WIDTHS.join('/')} ${(defaults.ms / 1000).toFixed(2)} s of encoding alone (AVIF+WebP+JPEG at each): Recap's first build is ${(defaults.ms / first.wallMs).toFixed(1)}x faster`);
    console.log(`  cached build               ${(cached.wallMs / 1000).toFixed(2)} s wall (${cached.images.encoded} encoded, ${cached.images.cached} from cache)`);
    console.log(`  same site without photos   ${(none.wallMs / 1000).toFixed(2)} s wall: the cache costs ${(((cached.wallMs - none.wallMs) / none.wallMs) * 100).toFixed(1)}% more`);
    console.log(`  bytes, Recap variants      ${kib(first.bytesByFormat)}`);
    console.log(`  bytes, sharp defaults      ${kib(defaults.bytesByFormat)}: Recap's AVIF bytes are ${(((recapAvif - defaultAvif) / defaultAvif) * 100).toFixed(1)}% off the defaults'`);
  } finally {
    rmSync(withPhotos, { recursive: true, force: true });
    rmSync(withoutPhotos, { recursive: true, force: true });
  }
}
