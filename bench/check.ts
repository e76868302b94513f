import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeCorpus } from './corpus.js';
import { RECAP_NODE_FLAGS } from '../src/cli/node-flags.js';

const BROKEN = ['/2019/01/01/no-such-meetup/', '/tags/nope/', '/2025/12/31/bench-meetup-1/#no-such-heading'];


/** The check case of `npm run bench`: `recap check` on 4000 posts with three broken links planted. */
export function benchCheck(count = 4000): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-check-'));
  try {
    writeCorpus(dir, count);
    // Post n of the corpus is dated n days before 2026-01-01.
    BROKEN.forEach((href, i) => {
      const n = 10 + i * 1000;
      const date = new Date(Date.UTC(2026, 0, 1) - n * 86400000).toISOString().slice(0, 10);
      appendFileSync(path.join(dir, 'posts', `${date}-bench-meetup-${n}.md`), `\n[a broken link](${href})\n`);
    });
    const cli = path.join(import.meta.dirname, '../src/cli.js');
    const runs = [0, 1, 2].map(() => {
      const started = performance.now();
      const child = spawnSync(process.execPath, [...RECAP_NODE_FLAGS, cli, 'check', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const ms = performance.now() - started;
      const report = JSON.parse(child.stdout) as { checkMs: number; problems: Array<{ severity: string; message: string }> };
      const broken = report.problems.filter((p) => p.severity === 'error' && /broken (link|anchor)/.test(p.message)).length;
      return { ms, broken, checkMs: report.checkMs };
    });
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    console.log(`check: ${count} posts, ${BROKEN.length} broken links planted, ${runs[0]!.broken} found: whole command ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s wall ` +
      `(build in memory, no cache), of which checking the ${count}+ pages ${(median(runs.map((r) => r.checkMs)) / 1000).toFixed(2)} s (median of 3)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
