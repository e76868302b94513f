import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from '../src/pipeline/build.js';
import { writeManifest } from '../src/output/write.js';
import { compileRegexpsAtOnce } from '../src/cli/regexps.js';

/**
 * This thread's CPU time in ms, from Linux's /proc (its clock ticks are 10 ms), or null elsewhere
 * (Node 20 has no per-thread CPU figure of its own; busy time on the event loop counts the time
 * other threads held the cores too).
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Child process of the benchmark: one full build and write, then its stage timings and peak memory as JSON. */
const siteDir = process.argv[2]!;
// As the recap binary does.
compileRegexpsAtOnce();
const result = await build({ siteDir, persistCache: true });
const writeStarted = performance.now();
await writeManifest(result.manifest, path.join(siteDir, '_site'), siteDir);
result.timings.push({ stage: 'write', ms: performance.now() - writeStarted });
// Bytes of the responsive variants by format (not the originals' URLs or the social crops), for the images bench.
const bytesByFormat: Record<string, number> = {};
for (const file of result.manifest.all()) {
  const variant = /-\d+\.[0-9a-f]{10}\.(avif|webp|jpg|png)$/.exec(file.url);
  if (variant && file.copyFrom) {
    const format = variant[1] === 'jpg' ? 'jpeg' : variant[1]!;
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
  // The main thread's CPU time: what more cores cannot divide.
  mainThreadCpuMs: mainThreadCpuMs(),
  postWorkers: result.postWorkers,
  workerPages: result.workerPages,
}));
