import type { JekyllLiquid } from '../../content/jekyll-liquid.js';
import type { JekyllSassSettings } from '../../content/jekyll-sass.js';
import type { SassJob, SassOutcome } from '../../content/sass.js';
import type { SiteClock } from '../../content/dates.js';
import type { Diagnostics } from '../../diagnostics/diagnostics.js';
import type { Memo } from '../../incremental/memo.js';
import { readRegularFile } from '../../output/state-file.js';
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
 * A site's Sass files by site path, each read as any untrusted file is (readRegularFile: a plain
 * file, no link followed, nothing waited on), at most 2 MiB: another is left out with a warning, and
 * a stylesheet that loads it then reports it missing.
 */
function readSassFiles(files: readonly StaticFile[], diagnostics: Diagnostics): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of files) {
    const read = readRegularFile(file.absPath, MAX_SASS_FILE_BYTES);
    if (read) texts.set(file.path, read.bytes.toString('utf8'));
    else diagnostics.warning('R108', file.path, undefined, undefined, `skipped: the Sass file is not a readable plain file under ${MAX_SASS_FILE_BYTES / 1048576} MiB`, 'split it, or make it a plain, readable file of the site');
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
