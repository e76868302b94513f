import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { styleText } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostics.js';
const COLOURS = { error: 'red', warning: 'yellow', note: 'cyan' };
/** True when the stream is a terminal that wants colour (NO_COLOR unset). */
export function wantsColour(stream) {
    return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined;
}
/** One diagnostic as printed on a terminal: the severity coloured when colour is wanted, the source line under it when known. */
export function printable(d, colour, frame = []) {
    const [head, ...rest] = formatDiagnostic(d).split('\n');
    const text = [head, ...frame, ...rest].join('\n');
    if (!colour)
        return text;
    return text.replace(` ${d.severity}:`, ` ${styleText(COLOURS[d.severity], d.severity)}:`);
}
/** Frames are shown for this many diagnostics at most: a site with thousands of warnings prints its list quickly. */
const MAX_FRAMES = 50;
/** Files larger than a post may be are not read for a frame. */
const MAX_FRAME_FILE_BYTES = 1024 * 1024;
/** Long lines are cut to this many characters around the column. */
const FRAME_WIDTH = 100;
/** Reads the site's files a frame quotes, each once, and never outside the site, through a link, or when large. */
function frameReader(siteDir) {
    const files = new Map();
    return (file) => {
        if (!files.has(file)) {
            let lines;
            const full = path.resolve(siteDir, file);
            const inside = !path.isAbsolute(file) && !path.relative(siteDir, full).startsWith('..');
            const info = inside ? lstatSync(full, { throwIfNoEntry: false }) : undefined;
            if (info?.isFile() && info.size <= MAX_FRAME_FILE_BYTES)
                lines = readFileSync(full, 'utf8').split(/\r?\n/);
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
export function codeFrame(d, lines) {
    if (d.line === undefined || !lines || d.line < 1 || d.line > lines.length)
        return [];
    const source = lines[d.line - 1].replace(/\t/g, ' ');
    const column = d.column === undefined ? undefined : Math.min(d.column, source.length + 1);
    const from = column !== undefined && column > FRAME_WIDTH - 20 ? column - (FRAME_WIDTH - 20) : 0;
    const shown = (from > 0 ? '…' : '') + source.slice(from, from + FRAME_WIDTH) + (source.length > from + FRAME_WIDTH ? '…' : '');
    const gutter = String(d.line);
    const frame = [`  ${gutter} | ${shown}`];
    if (column !== undefined)
        frame.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(column - 1 - from + (from > 0 ? 1 : 0))}^`);
    return frame;
}
/** Prints diagnostics like a compiler to stderr, with the source line of the first ones; under `quiet` only errors. */
export function printDiagnostics(diagnostics, quiet, siteDir) {
    const colour = wantsColour(process.stderr);
    const read = siteDir === undefined ? undefined : frameReader(siteDir);
    let framed = 0;
    for (const d of diagnostics.sorted()) {
        if (quiet && d.severity !== 'error')
            continue;
        const frame = read && d.line !== undefined && framed < MAX_FRAMES ? codeFrame(d, read(d.file)) : [];
        if (frame.length)
            framed++;
        process.stderr.write(printable(d, colour, frame) + '\n');
    }
}
/** "3 errors, 1 warning": counts with the right plural. */
export function countWords(diagnostics) {
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return `${plural(diagnostics.count('error'), 'error')}, ${plural(diagnostics.count('warning'), 'warning')}`;
}
/** Below this many encodes a progress bar is more noise than help. */
const PROGRESS_THRESHOLD = 10;
/** How often a log without a terminal (CI) hears how image encoding is going. */
const LOG_EVERY_MS = 10_000;
/** Image encoding progress as a plain log line: done/total, percent, and the time left at the pace so far. */
export function progressLine(done, total, elapsedMs) {
    const minutes = (seconds) => (seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`);
    const left = done > 0 ? Math.round(((total - done) * elapsedMs) / done / 1000) : undefined;
    const eta = done === total ? `, done in ${minutes(Math.round(elapsedMs / 1000))}` : left === undefined ? '' : `, about ${minutes(left)} left`;
    return `Encoding images: ${done}/${total} (${Math.floor((done / total) * 100)}%)${eta}`;
}
/**
 * Image encoding progress: a bar on a terminal; without one (CI logs, where a silent ten-minute
 * first build looks hung) a line every 10 seconds with done/total and the time left. None under
 * --quiet, nor for a handful of photos.
 */
export async function createImageProgress(quiet, stream = process.stderr, now = Date.now) {
    if (quiet)
        return undefined;
    if (!stream.isTTY) {
        const started = now();
        let logged = started;
        return {
            update(done, total) {
                if (total < PROGRESS_THRESHOLD || (now() - logged < LOG_EVERY_MS && done < total))
                    return;
                if (done === total && logged === started)
                    return;
                logged = now();
                stream.write(`${progressLine(done, total, logged - started)}\n`);
            },
            stop() { },
        };
    }
    const cliProgress = (await import('cli-progress')).default;
    let bar;
    return {
        update(done, total) {
            if (total < PROGRESS_THRESHOLD)
                return;
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
