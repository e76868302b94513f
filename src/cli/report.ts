import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { styleText } from 'node:util';
import type { SingleBar } from 'cli-progress';
import { formatDiagnostic, type Diagnostic, type Diagnostics } from '../diagnostics/diagnostics.js';

const COLOURS = { error: 'red', warning: 'yellow', note: 'cyan' } as const;

/** True when the stream is a terminal that wants colour (NO_COLOR unset). */
export function wantsColour(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined;
}

/** One diagnostic as printed on a terminal: the severity coloured when colour is wanted, the source line under it when known. */
export function printable(d: Diagnostic, colour: boolean, frame: string[] = []): string {
  const [head, ...rest] = formatDiagnostic(d).split('\n');
  const text = [head, ...frame, ...rest].join('\n');
  if (!colour) return text;
  return text.replace(` ${d.severity}:`, ` ${styleText(COLOURS[d.severity], d.severity)}:`);
}

/** Frames are shown for this many diagnostics at most: a site with thousands of warnings prints its list quickly. */
const MAX_FRAMES = 50;
/** Files larger than a post may be are not read for a frame. */
const MAX_FRAME_FILE_BYTES = 1024 * 1024;
/** Long lines are cut to this many characters around the column. */
const FRAME_WIDTH = 100;

/** Reads the site's files a frame quotes, each once, and never outside the site, through a link, or when large. */
function frameReader(siteDir: string): (file: string) => string[] | undefined {
  const files = new Map<string, string[] | undefined>();
  return (file) => {
    if (!files.has(file)) {
      let lines: string[] | undefined;
      const full = path.resolve(siteDir, file);
      const inside = !path.isAbsolute(file) && !path.relative(siteDir, full).startsWith('..');
      const info = inside ? lstatSync(full, { throwIfNoEntry: false }) : undefined;
      if (info?.isFile() && info.size <= MAX_FRAME_FILE_BYTES) lines = readFileSync(full, 'utf8').split(/\r?\n/);
      files.set(file, lines);
    }
    return files.get(file);
  };
}

/**
 * The source line a diagnostic points at, with a caret under its column, as compilers show it:
 *
 *     6 | image: /images/group.jpg
 *       |        ^
 */
export function codeFrame(d: Diagnostic, lines: string[] | undefined): string[] {
  if (d.line === undefined || !lines || d.line < 1 || d.line > lines.length) return [];
  const source = lines[d.line - 1]!.replace(/\t/g, ' ');
  const column = d.column === undefined ? undefined : Math.min(d.column, source.length + 1);
  const from = column !== undefined && column > FRAME_WIDTH - 20 ? column - (FRAME_WIDTH - 20) : 0;
  const shown = (from > 0 ? '…' : '') + source.slice(from, from + FRAME_WIDTH) + (source.length > from + FRAME_WIDTH ? '…' : '');
  const gutter = String(d.line);
  const frame = [`  ${gutter} | ${shown}`];
  if (column !== undefined) frame.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(column - 1 - from + (from > 0 ? 1 : 0))}^`);
  return frame;
}

/** A file's diagnostics of one code and severity are printed this many times at most; the rest are counted in one line. */
const MAX_ALIKE_PER_FILE = 20;

/** What stands for a file's diagnostics of one kind left unprinted: how many, and where to see them all. */
function alikeLeftOut(like: Diagnostic, count: number): Diagnostic {
  const kind = count === 1 ? like.severity : `${like.severity}s`;
  const hint = like.severity === 'note' ? undefined : '`recap check --format json` lists every one';
  return { code: like.code, severity: like.severity, file: like.file, message: `${count} more ${kind} like the ${MAX_ALIKE_PER_FILE} above, not printed`, hint };
}

/**
 * Prints diagnostics like a compiler to stderr, with the source line of the first ones; under
 * `quiet` only errors, and only those `shown` accepts. A file's problems of one kind are printed
 * 20 times at most and the rest counted, so a post of 90,000 refused addresses cannot bury the
 * rest of the report (nor the terminal).
 */
export function printDiagnostics(diagnostics: Diagnostics, quiet: boolean, siteDir?: string, shown: (d: Diagnostic) => boolean = () => true): void {
  const colour = wantsColour(process.stderr);
  const read = siteDir === undefined ? undefined : frameReader(siteDir);
  let framed = 0;
  let file: string | undefined;
  const alike = new Map<string, { d: Diagnostic; count: number }>();
  const countLeftOut = () => {
    for (const { d, count } of alike.values()) {
      if (count > MAX_ALIKE_PER_FILE) process.stderr.write(printable(alikeLeftOut(d, count - MAX_ALIKE_PER_FILE), colour) + '\n');
    }
    alike.clear();
  };
  for (const d of diagnostics.sorted()) {
    if ((quiet && d.severity !== 'error') || !shown(d)) continue;
    if (d.file !== file) {
      countLeftOut();
      file = d.file;
    }
    const key = `${d.severity} ${d.code}`;
    const seen = alike.get(key) ?? { d, count: 0 };
    alike.set(key, seen);
    if (++seen.count > MAX_ALIKE_PER_FILE) continue;
    const frame = read && d.line !== undefined && framed < MAX_FRAMES ? codeFrame(d, read(d.file)) : [];
    if (frame.length) framed++;
    process.stderr.write(printable(d, colour, frame) + '\n');
  }
  countLeftOut();
}

/**
 * recap serve's report of a rebuild: every error, and the warnings and notes the report before
 * did not show (`before`), the rest counted in one line. A rebuild hands on the very diagnostics
 * of what it did not make again, so what is shown is what the rebuild found afresh (an edited
 * post's warnings, again or new): a site with thousands of warnings does not print them all at
 * every save. Returns what this report stands for, to be the next one's `before`.
 */
export function printRebuildDiagnostics(diagnostics: Diagnostics, before: ReadonlySet<Diagnostic>, siteDir: string): Set<Diagnostic> {
  printDiagnostics(diagnostics, false, siteDir, (d) => d.severity === 'error' || !before.has(d));
  const again = diagnostics.list.filter((d) => d.severity !== 'error' && before.has(d)).length;
  if (again > 0) process.stderr.write(`(${again} ${again === 1 ? 'warning or note' : 'warnings and notes'} shown before, not repeated)\n`);
  return new Set(diagnostics.list);
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
      // Encoding starts with the photos: the cards the posts stage plans join it later.
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
