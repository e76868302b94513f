import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.js';
import { benchImages } from './images.js';
import { benchServe } from './serve.js';
import { benchCheck } from './check.js';
import { benchHostile } from './hostile.js';
import { benchSearch } from './search.js';
import { benchPeers } from './peers.js';
import { RECAP_NODE_FLAGS } from '../src/cli/node-flags.js';
import { compileRegexpsAtOnce } from '../src/cli/regexps.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUNS = 3;

interface Run {
  wallMs: number;
  pages: number;
  cachedBodies: number;
  maxRssMb: number;
  timings: Array<{ stage: string; ms: number }>;
  mainThreadCpuMs: number | null;
  postWorkers: number;
  workerPages: number;
}

/** One build and write in a fresh process: wall time includes Node's start-up, as a user sees it. */
function runBuild(siteDir: string, env: NodeJS.ProcessEnv = process.env): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, [...RECAP_NODE_FLAGS, path.join(HERE, 'build-once.js'), siteDir], { encoding: 'utf8', env });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`build failed: ${child.stderr}`);
  const report = JSON.parse(child.stdout) as Omit<Run, 'wallMs'> & { errors: number };
  if (report.errors > 0) throw new Error(`the benchmark corpus has ${report.errors} errors`);
  return { wallMs, ...report };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(label: string, count: number, runs: Run[]): void {
  const wall = median(runs.map((r) => r.wallMs));
  const stages = runs[0]!.timings
    .map((t) => `${t.stage} ${median(runs.map((r) => r.timings.find((x) => x.stage === t.stage)!.ms)).toFixed(0)}`)
    .join(', ');
  console.log(
    `${label.padEnd(34)} ${String(count).padStart(5)} posts: ${(wall / 1000).toFixed(2)} s wall (median of ${runs.length}), ` +
      `${(wall / count).toFixed(3)} ms/post, ${runs[0]!.pages} files, ${runs[0]!.cachedBodies} bodies from cache, ` +
      `peak RSS ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB\n    stages ms: ${stages}`,
  );
}

function benchBuild(count: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), `recap-bench-${count}-`));
  const cacheDir = path.join(dir, '.cache');
  try {
    writeCorpus(dir, count);
    report('first build (empty output, no cache)', count, [runBuild(dir)]);
    const cold = Array.from({ length: RUNS }, () => {
      rmSync(cacheDir, { recursive: true, force: true });
      return runBuild(dir);
    });
    report('rebuild, cache removed', count, cold);
    report('rebuild, warm cache', count, Array.from({ length: RUNS }, () => runBuild(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What more cores would take off a cold build: 4000 posts with the cache removed, with one post
 * worker and with three (RECAP_WORKERS, alternating), each run's wall time, and the main thread's
 * CPU time, which no number of workers divides — with two workers or more they render the post
 * pages too. On a 2-core machine three workers share two cores, so their wall time says little;
 * the main thread's share is what a machine with more cores would wait for.
 */
function benchCores(): void {
  const count = 4000;
  const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-cores-'));
  try {
    writeCorpus(dir, count);
    for (let round = 0; round < 2; round++) {
      for (const workers of [1, 3]) {
        rmSync(path.join(dir, '.cache'), { recursive: true, force: true });
        const run = runBuild(dir, { ...process.env, RECAP_WORKERS: String(workers) });
        console.log(`cores: ${count} posts, cache removed, ${run.postWorkers} post worker(s): ${(run.wallMs / 1000).toFixed(2)} s wall, `
          + `main thread CPU ${run.mainThreadCpuMs === null ? 'n/a (Linux only)' : `${(run.mainThreadCpuMs / 1000).toFixed(2)} s`}, ${run.workerPages} pages rendered by workers, peak RSS ${run.maxRssMb.toFixed(0)} MB`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run bench` runs every case; `npm run bench -- 10000` builds only that size; `-- images`, `-- serve`, `-- check`, `-- hostile`, `-- search`, `-- cores` or `-- peers` one case.
// The cases that run Recap in this process (hostile, search) run it as the recap binary does; serve starts the binary itself.
compileRegexpsAtOnce();
const args = process.argv.slice(2);
const sizes = args.map(Number).filter((n) => n > 0);
const cases = args.filter((a) => !(Number(a) > 0));
const all = args.length === 0;
if (all || sizes.length > 0) for (const count of sizes.length ? sizes : [1000, 4000]) benchBuild(count);
if (all || cases.includes('images')) await benchImages();
if (all || cases.includes('serve')) await benchServe();
if (all || cases.includes('check')) benchCheck();
if (all || cases.includes('hostile')) await benchHostile();
if (all || cases.includes('search')) await benchSearch();
if (all || cases.includes('cores')) benchCores();
if (all || cases.includes('peers')) benchPeers();
