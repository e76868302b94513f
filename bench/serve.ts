import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { serve, type RebuildEvent } from '../src/preview/serve.js';
import { writeCorpus } from './corpus.js';

const EDITS = 7;

function fetchPage(port: number, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: url, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    }).on('error', reject).end();
  });
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** The serve case of `npm run bench`: from a post file written to the rebuilt page served, on a 1000-post site. */
export async function benchServe(count = 1000): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-serve-'));
  writeCorpus(dir, count);
  // Warm-up build done by serve() itself; each edit below writes new content (a counter), and the
  // watcher's quiet window (20 ms) is part of what is measured, as a user would wait for it.
  const server = await serve({ siteDir: dir, port: 0, host: '127.0.0.1', log: () => undefined, report: () => undefined });
  try {
    const file = path.join(dir, 'posts', '2025-06-15-bench-meetup-200.md');
    const url = '/2025/06/15/bench-meetup-200/';
    const original = readFileSync(file, 'utf8');
    const measure = async (label: string, edit: (i: number) => string, marker: (i: number) => string): Promise<void> => {
      const toEvent: number[] = [];
      const toServed: number[] = [];
      for (let i = 0; i < EDITS; i++) {
        const event = new Promise<RebuildEvent>((resolve) => server.onRebuild(resolve));
        const started = performance.now();
        writeFileSync(file, edit(i));
        await event;
        toEvent.push(performance.now() - started);
        while (!(await fetchPage(server.port, url)).includes(marker(i))) await new Promise((r) => setTimeout(r, 1));
        toServed.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The first edit after start is also shown alone: it is the first post this thread resolves when the first build's bodies were made by workers.
      console.log(`  ${label.padEnd(12)} write -> reload event ${median(toEvent).toFixed(0)} ms, write -> new page served ${median(toServed).toFixed(0)} ms (median of ${EDITS}; the first ${toEvent[0]!.toFixed(0)} ms)`);
    };
    console.log(`serve: ${count}-post site, editing one post`);
    await measure('body edit', (i) => original.replace('Three speakers joined us', `Edit ${i}: three speakers joined us`), (i) => `Edit ${i}: three speakers`);
    await measure('title edit', (i) => original.replace(/^title: "Benchmark Meetup 200/m, `title: "Renamed ${i} Meetup 200`), (i) => `Renamed ${i} Meetup 200`);
    writeFileSync(file, original);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
