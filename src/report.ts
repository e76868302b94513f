import { styleText } from 'node:util';
import type { SingleBar } from 'cli-progress';
import { formatDiagnostic, type Diagnostic, type Diagnostics } from './diagnostics.js';

const COLOURS = { error: 'red', warning: 'yellow', note: 'cyan' } as const;

/** True when the stream is a terminal that wants colour (NO_COLOR unset). */
export function wantsColour(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined;
}

/** One diagnostic as printed on a terminal: the severity coloured when colour is wanted. */
export function printable(d: Diagnostic, colour: boolean): string {
  const text = formatDiagnostic(d);
  if (!colour) return text;
  return text.replace(` ${d.severity}:`, ` ${styleText(COLOURS[d.severity], d.severity)}:`);
}

/** Prints diagnostics like a compiler to stderr; under `quiet` only errors. */
export function printDiagnostics(diagnostics: Diagnostics, quiet: boolean): void {
  const colour = wantsColour(process.stderr);
  for (const d of diagnostics.sorted()) {
    if (quiet && d.severity !== 'error') continue;
    process.stderr.write(printable(d, colour) + '\n');
  }
}

/** "3 errors, 1 warning": counts with the right plural. */
export function countWords(diagnostics: Diagnostics): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(diagnostics.count('error'), 'error')}, ${plural(diagnostics.count('warning'), 'warning')}`;
}

/** Below this many encodes a progress bar is more noise than help. */
const PROGRESS_THRESHOLD = 10;

/** How often a log without a terminal (CI) hears how image encoding is going. */
const LOG_EVERY_MS = 10_000;

/** Image encoding progress as a plain log line: done/total, percent, and the time left at the pace so far. */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  const minutes = (seconds: number) => (seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`);
  const left = done > 0 ? Math.round(((total - done) * elapsedMs) / done / 1000) : undefined;
  const eta = done === total ? `, done in ${minutes(Math.round(elapsedMs / 1000))}` : left === undefined ? '' : `, about ${minutes(left)} left`;
  return `Encoding images: ${done}/${total} (${Math.floor((done / total) * 100)}%)${eta}`;
}

/**
 * Image encoding progress: a bar on a terminal; without one (CI logs, where a silent ten-minute
 * first build looks hung) a line every 10 seconds with done/total and the time left. None under
 * --quiet, nor for a handful of photos.
 */
export async function createImageProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Promise<{ update: (done: number, total: number) => void; stop: () => void } | undefined> {
  if (quiet) return undefined;
  if (!stream.isTTY) {
    const started = now();
    let logged = started;
    return {
      update(done, total) {
        if (total < PROGRESS_THRESHOLD || (now() - logged < LOG_EVERY_MS && done < total)) return;
        if (done === total && logged === started) return;
        logged = now();
        stream.write(`${progressLine(done, total, logged - started)}\n`);
      },
      stop() {},
    };
  }
  const cliProgress = (await import('cli-progress')).default;
  let bar: SingleBar | undefined;
  return {
    update(done, total) {
      if (total < PROGRESS_THRESHOLD) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({ stream, format: 'Encoding images {bar} {value}/{total} ({eta}s left)', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
