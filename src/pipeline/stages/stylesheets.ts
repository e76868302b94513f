import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JekyllLiquid } from '../../content/jekyll-liquid.js';
import type { JekyllSassSettings } from '../../content/jekyll-sass.js';
import type { SassJob, SassOutcome } from '../../content/sass.js';
import type { SiteClock } from '../../content/dates.js';
import type { Diagnostics } from '../../diagnostics/diagnostics.js';
import { Memo } from '../../incremental/memo.js';
import { realFolderInside } from '../../output/real-folders.js';
import { readStateFile, writeStateFile } from '../../output/state-file.js';
import { SassThread } from '../workers/sass-thread.js';
import { digestOf, type SiteSources, type SourceFile, type StaticFile } from './load.js';
import { renderTemplatedText } from './templated-files.js';

/** The largest Sass file a stylesheet may load (a vendored framework's largest is a few hundred KB). */
const MAX_SASS_FILE_BYTES = 2 * 1024 * 1024;

/** A compiled stylesheet: its CSS and, beside it, its source map. */
export interface CompiledStylesheet {
  /** Site path of the stylesheet it was compiled from. */
  source: string;
  url: string;
  css: Buffer;
  map: { url: string; content: Buffer } | undefined;
}

/**
 * A site's Sass files by site path, read without following a link and at most 2 MiB each (a
 * larger one is left out with a warning: a stylesheet that loads it then reports it missing).
 */
function readSassFiles(files: readonly StaticFile[], diagnostics: Diagnostics): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of files) {
    let fd: number | undefined;
    try {
      fd = openSync(file.absPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      const info = fstatSync(fd);
      if (!info.isFile()) continue;
      if (info.size > MAX_SASS_FILE_BYTES) {
        diagnostics.warning('R108', file.path, undefined, undefined, `skipped: the Sass file is over the ${MAX_SASS_FILE_BYTES / 1048576} MiB limit`, 'split it, or leave it out of the stylesheets');
        continue;
      }
      texts.set(file.path, readFileSync(fd, 'utf8'));
    } catch (err) {
      diagnostics.warning('R108', file.path, undefined, undefined, `skipped: the Sass file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'make it a plain, readable file of the site');
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return texts;
}

/**
 * A Jekyll site's Sass stylesheets (`.scss` and `.sass` files with front matter), as
 * jekyll-sass-converter publishes them: Liquid first, then Sass, loading from the site's Sass
 * folders; the CSS at the file's path with `.css` (or its `permalink`),
 * and a source map beside it unless `sourcemap: never` (or the address is the permalink's, where
 * Jekyll writes none). Compiling happens in a thread of its own, started as soon as the build
 * knows there is something to compile, and each stylesheet's result is remembered by everything it
 * depends on (`memo`, in recap serve). A stylesheet that cannot be compiled is left out with a
 * warning at its line: Recap's theme does not use it, and the rest of the site builds.
 */
export class Stylesheets {
  private readonly files: Map<string, string>;
  private readonly filesKey: string;
  private thread: SassThread | undefined;

  constructor(private readonly sources: readonly SourceFile[], private readonly sass: SiteSources['sass'], private readonly settings: JekyllSassSettings, diagnostics: Diagnostics, private readonly memo: Memo<SassOutcome> | undefined) {
    this.files = readSassFiles(sass.files, diagnostics);
    this.filesKey = digestOf(JSON.stringify([...this.files]));
  }

  /** Starts loading Dart Sass while the build goes on, where compiling is certain (nothing compiled before is remembered). */
  warm(): void {
    if (this.sources.length > 0 && !this.memo?.holdsAny()) this.started().warm();
  }

  /** Renders each stylesheet's Liquid and compiles it (or takes it from the memo): what is published, in order. */
  async compile(liquid: JekyllLiquid, clock: SiteClock, diagnostics: Diagnostics): Promise<CompiledStylesheet[]> {
    const made: Array<Promise<CompiledStylesheet | undefined>> = [];
    for (const source of this.sources) {
      const rendered = renderTemplatedText(source, liquid, clock, diagnostics, '.css');
      if (!rendered) continue;
      const mapUrl = this.settings.sourceMap && !rendered.permalinked ? `${rendered.url}.map` : undefined;
      const job: SassJob = {
        file: source.path, text: rendered.text, firstLine: rendered.firstLine, cssUrl: rendered.url,
        loadPaths: this.sass.loadPaths, style: this.settings.style, sourceMap: mapUrl !== undefined,
      };
      made.push(this.outcomeOf(job).then((outcome) => this.published(job, mapUrl, outcome, diagnostics)));
    }
    const compiled = await Promise.all(made);
    await this.thread?.close();
    return compiled.filter((stylesheet) => stylesheet !== undefined);
  }

  private started(): SassThread {
    return (this.thread ??= new SassThread(this.files));
  }

  private async outcomeOf(job: SassJob): Promise<SassOutcome> {
    const key = digestOf(JSON.stringify([job, this.filesKey]));
    const known = this.memo?.get(key);
    if (known) return known;
    const outcome = await this.started().compile(job);
    // A stylesheet stopped at its deadline is tried again next time, when the machine may be less busy.
    if (outcome.ok || outcome.line !== undefined) this.memo?.set(key, outcome);
    return outcome;
  }

  private published(job: SassJob, mapUrl: string | undefined, outcome: SassOutcome, diagnostics: Diagnostics): CompiledStylesheet | undefined {
    if (!outcome.ok) {
      const hint = outcome.missingImport
        ? `Sass loads only from ${job.loadPaths.join(', ') || 'the site\'s Sass folder'}, as in Jekyll: install the theme gem that has it, or copy it into the site's Sass folder`
        : 'Jekyll would stop here too: correct the stylesheet';
      diagnostics.warning('R108', outcome.file, outcome.line, outcome.column, `skipped ${job.file}: Sass: ${outcome.message}`, hint);
      return undefined;
    }
    return { source: job.file, url: job.cssUrl, css: Buffer.from(outcome.css), map: mapUrl && outcome.map !== undefined ? { url: mapUrl, content: Buffer.from(outcome.map) } : undefined };
  }
}

/** An outcome as the store holds it, or undefined where an entry is not one (the store is as untrusted as any cache). */
function storedOutcome(value: unknown): SassOutcome | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entry = value as Record<string, unknown>;
  const optionalNumber = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isInteger(x) && x > 0);
  if (entry['ok'] === true && typeof entry['css'] === 'string' && (entry['map'] === undefined || typeof entry['map'] === 'string')) {
    return { ok: true, css: entry['css'], map: entry['map'] as string | undefined };
  }
  if (entry['ok'] === false && typeof entry['file'] === 'string' && typeof entry['message'] === 'string' && typeof entry['missingImport'] === 'boolean'
    && optionalNumber(entry['line']) && optionalNumber(entry['column'])) {
    return { ok: false, file: entry['file'], line: entry['line'] as number | undefined, column: entry['column'] as number | undefined, message: entry['message'], missingImport: entry['missingImport'] };
  }
  return undefined;
}

/**
 * The stylesheets' outcomes kept from one `recap build` to the next (`stylesheets.json` in the
 * cache folder), so a build that changed no stylesheet, Sass file or setting they read does not
 * start Dart Sass at all. Only the last build's outcomes are kept; an entry that is not one is
 * dropped, and the file is written only when what it holds changes.
 */
export class StylesheetStore {
  readonly memo: Memo<SassOutcome>;
  private readonly text: string;

  constructor(private readonly file: string) {
    const text = readStateFile(file);
    let entries: Array<[string, SassOutcome]> = [];
    try {
      const parsed = text === undefined ? {} : JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        entries = Object.entries(parsed).flatMap(([key, value]) => {
          const outcome = /^[0-9a-f]{40}$/.test(key) ? storedOutcome(value) : undefined;
          return outcome ? [[key, outcome] as [string, SassOutcome]] : [];
        });
      }
    } catch {
      // A damaged store is an empty one: every stylesheet is compiled again.
    }
    this.text = text ?? '';
    this.memo = new Memo(entries);
  }

  /** Keeps what this build used, inside the site's cache folder (`root`). */
  async save(root: string): Promise<void> {
    this.memo.settle();
    const text = JSON.stringify(Object.fromEntries(this.memo.entries()));
    if (text === this.text) return;
    realFolderInside(root, path.dirname(this.file));
    await writeStateFile(this.file, text);
  }
}
