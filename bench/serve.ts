import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeCorpus } from './corpus.js';
import { RECAP_NODE_FLAGS } from '../src/cli/node-flags.js';

const EDITS = 7;
const RECAP = path.resolve(import.meta.dirname, '../src/cli.js');

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

/** Calls `onEvent` at each rebuild event on the preview's event stream, as a browser's live reload hears it. */
function listenToRebuilds(port: number, onEvent: () => void): void {
  request({ host: '127.0.0.1', port, path: '/__recap/events', headers: { host: `127.0.0.1:${port}` } }, (res) => {
    res.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('event: rebuild')) onEvent();
    });
  }).end();
}

/**
 * The serve case of `npm run bench`: `recap serve` as a user runs it (the binary, its flags, its
 * terminal report), from a post file written to the reload event on the browser's event stream
 * and to the rebuilt page served, on a 1000-post site.
 */
export async function benchServe(count = 1000): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'recap-bench-serve-'));
  writeCorpus(dir, count);
  const child = spawn(process.execPath, [...RECAP_NODE_FLAGS, RECAP, 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Its report is read as a terminal would read it, and counted.
  let reportBytes = 0;
  child.stderr.on('data', (chunk: Buffer) => (reportBytes += chunk.length));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const served = /Serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (served) resolve(Number(served[1]));
      });
      child.once('exit', (code) => reject(new Error(`recap serve exited (${code}) before serving`)));
    });
    let heard: (() => void) | undefined;
    listenToRebuilds(port, () => heard?.());
    // The watcher's late events of the first build pass before the first edit.
    await new Promise((r) => setTimeout(r, 1000));
    const file = path.join(dir, 'posts', '2025-06-15-bench-meetup-200.md');
    const url = '/2025/06/15/bench-meetup-200/';
    const original = readFileSync(file, 'utf8');
    const firstReport = reportBytes;
    // Each edit writes new content (a counter); the watcher's quiet (5 ms for one file) and the wait for the burst to be over (RebuildQueue) are part of what is measured, as a user waits for them.
    const measure = async (label: string, edit: (i: number) => string, marker: (i: number) => string): Promise<void> => {
      const toEvent: number[] = [];
      const toServed: number[] = [];
      for (let i = 0; i < EDITS; i++) {
        const event = new Promise<void>((resolve) => (heard = resolve));
        const started = performance.now();
        writeFileSync(file, edit(i));
        await event;
        toEvent.push(performance.now() - started);
        while (!(await fetchPage(port, url)).includes(marker(i))) await new Promise((r) => setTimeout(r, 1));
        toServed.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The first edit after start is also shown alone: it is the first post this thread resolves when the first build's bodies were made by workers.
      console.log(`  ${label.padEnd(12)} write -> reload event ${median(toEvent).toFixed(0)} ms, write -> new page served ${median(toServed).toFixed(0)} ms (median of ${EDITS}; the first ${toEvent[0]!.toFixed(0)} ms)`);
    };
    console.log(`serve: ${count}-post site, editing one post (recap serve, reload events as a browser hears them)`);
    await measure('body edit', (i) => original.replace('Three speakers joined us', `Edit ${i}: three speakers joined us`), (i) => `Edit ${i}: three speakers`);
    await measure('title edit', (i) => original.replace(/^title: "Benchmark Meetup 200/m, `title: "Renamed ${i} Meetup 200`), (i) => `Renamed ${i} Meetup 200`);
    console.log(`  report       ${(firstReport / 1024).toFixed(0)} KB for the first build, ${((reportBytes - firstReport) / 1024).toFixed(0)} KB for the ${2 * EDITS} rebuilds`);
    writeFileSync(file, original);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
