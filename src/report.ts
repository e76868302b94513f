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

/** A progress bar for image encoding on a terminal; none under --quiet or when stderr is not a TTY (CI logs). */
export async function createImageProgress(quiet: boolean): Promise<{ update: (done: number, total: number) => void; stop: () => void } | undefined> {
  if (quiet || !process.stderr.isTTY) return undefined;
  const cliProgress = (await import('cli-progress')).default;
  let bar: SingleBar | undefined;
  return {
    update(done, total) {
      if (total < PROGRESS_THRESHOLD) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'Encoding images {bar} {value}/{total} ({eta}s left)', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
