import { statSync } from 'node:fs';
import path from 'node:path';
import { build } from '../src/pipeline/build.js';
import { writeManifest } from '../src/output/write.js';
/** Child process of the benchmark: one full build and write, then its stage timings and peak memory as JSON. */
const siteDir = process.argv[2];
const result = await build({ siteDir, persistCache: true });
const writeStarted = performance.now();
await writeManifest(result.manifest, path.join(siteDir, '_site'), siteDir);
result.timings.push({ stage: 'write', ms: performance.now() - writeStarted });
// Bytes of the responsive variants by format (not the originals' URLs or the social crops), for the images bench.
const bytesByFormat = {};
for (const file of result.manifest.all()) {
    const variant = /-\d+\.[0-9a-f]{10}\.(avif|webp|jpg|png)$/.exec(file.url);
    if (variant && file.copyFrom) {
        const format = variant[1] === 'jpg' ? 'jpeg' : variant[1];
        bytesByFormat[format] = (bytesByFormat[format] ?? 0) + statSync(file.copyFrom).size;
    }
}
process.stdout.write(JSON.stringify({
    images: result.images,
    bytesByFormat,
    errors: result.diagnostics.count('error'),
    pages: result.pages,
    cachedBodies: result.cachedBodies,
    timings: result.timings,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
}));
