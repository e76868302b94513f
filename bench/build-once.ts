import path from 'node:path';
import { build } from '../src/build.js';
import { writeManifest } from '../src/write.js';

/** Child process of the benchmark: one full build and write, then its stage timings and peak memory as JSON. */
const siteDir = process.argv[2]!;
const result = await build({ siteDir, persistCache: true });
const writeStarted = performance.now();
await writeManifest(result.manifest, path.join(siteDir, '_site'), siteDir);
result.timings.push({ stage: 'write', ms: performance.now() - writeStarted });
process.stdout.write(JSON.stringify({
  errors: result.diagnostics.count('error'),
  pages: result.pages,
  cachedBodies: result.cachedBodies,
  timings: result.timings,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}));
