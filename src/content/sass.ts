import path from 'node:path';
import * as sass from 'sass';

/**
 * A Jekyll site's stylesheet to compile, as jekyll-sass-converter compiles it: its text after
 * front matter and Liquid, where it is in the site, and the site's Sass settings.
 */
export interface SassJob {
  /** Site path of the stylesheet (`assets/css/main.scss`). */
  file: string;
  /** Its text once front matter is cut off and its Liquid rendered. */
  text: string;
  /** The line of the file that text starts on (1-based): errors in it are reported at the file's own lines. */
  firstLine: number;
  /** Where its CSS is published (`/assets/css/main.css`): the source map's paths are relative to it. */
  cssUrl: string;
  /** Site paths of the folders `@import` and `@use` look in (`_sass`, `load_paths`). */
  loadPaths: string[];
  style: 'expanded' | 'compressed';
  /** Whether a source map is made (`sourcemap:` not `never`), published beside the CSS. */
  sourceMap: boolean;
}

/** A compiled stylesheet, or where and why it could not be compiled. */
export type SassOutcome =
  | { ok: true; css: string; map: string | undefined }
  | { ok: false; file: string; line: number | undefined; column: number | undefined; message: string; missingImport: boolean };

/** The largest CSS a stylesheet may make: a loop in Sass can write without end. */
export const MAX_CSS_BYTES = 8 * 1024 * 1024;

/** The URL scheme of a site's files while they are compiled: nothing else can be loaded. */
const SCHEME = 'recap-site:';

function siteUrl(sitePath: string): URL {
  return new URL(`${SCHEME}/${sitePath.split('/').map(encodeURIComponent).join('/')}`);
}

function sitePathOf(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/^\/+/, '');
}

/** The site paths a load of `base` may mean, in Sass's order: the file, its partial, then a folder's index. */
function candidates(base: string): string[] {
  const dir = path.posix.dirname(base);
  const name = path.posix.basename(base);
  const inDir = (file: string) => (dir === '.' ? file : `${dir}/${file}`);
  if (/\.(s[ac]ss|css)$/i.test(name)) return [base, inDir(`_${name}`)];
  return [
    ...['.scss', '.sass', '.css'].flatMap((ext) => [`${base}${ext}`, inDir(`_${name}${ext}`)]),
    ...['.scss', '.sass', '.css'].flatMap((ext) => [`${base}/index${ext}`, `${base}/_index${ext}`]),
  ];
}

/** A site path with `.` and `..` worked out, or undefined when it would leave the site. */
function withinSite(joined: string): string | undefined {
  const normal = path.posix.normalize(joined).replace(/^\.\//, '');
  return normal === '..' || normal.startsWith('../') || normal.startsWith('/') ? undefined : normal;
}

/**
 * Sass's loads, answered from the site's Sass files alone (read beforehand from its Sass folders,
 * links never followed): a load relative to the file that asks, then below each load path. No
 * other file, and no network address, can be reached.
 */
function siteImporter(files: ReadonlyMap<string, string>, loadPaths: readonly string[]): sass.Importer<'sync'> {
  const find = (base: string | undefined): URL | null => {
    if (base === undefined) return null;
    const found = candidates(base).find((candidate) => files.has(candidate));
    return found === undefined ? null : siteUrl(found);
  };
  return {
    canonicalize(url: string): URL | null {
      if (url.startsWith(SCHEME)) return find(withinSite(sitePathOf(new URL(url))));
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return null;
      for (const loadPath of loadPaths) {
        const found = find(withinSite(loadPath ? `${loadPath}/${url}` : url));
        if (found) return found;
      }
      return null;
    },
    load(canonicalUrl: URL): sass.ImporterResult | null {
      const sitePath = sitePathOf(canonicalUrl);
      const contents = files.get(sitePath);
      if (contents === undefined) return null;
      // Its own URL in source maps (publishedMap makes it a path), rather than a data: URL of its whole text.
      return { contents, syntax: sitePath.endsWith('.sass') ? 'indented' : sitePath.endsWith('.css') ? 'css' : 'scss', sourceMapUrl: canonicalUrl };
    },
  };
}

/** The source map with its sources as paths relative to the CSS (where a browser's tools look for them), as Jekyll writes it. */
function publishedMap(map: ReturnType<typeof sass.compileString>['sourceMap'], cssUrl: string): string | undefined {
  if (!map) return undefined;
  const cssDir = path.posix.dirname(cssUrl);
  const sources = map.sources.map((source) => (source.startsWith(SCHEME) ? path.posix.relative(cssDir, `/${sitePathOf(new URL(source))}`) : source));
  return JSON.stringify({ ...map, file: path.posix.basename(cssUrl), sources }, null, 2);
}

/**
 * Compiles a stylesheet with Dart Sass from the site's own Sass files (`files`: site path → text).
 * Deprecation warnings, which old themes raise by the hundred, are not reported: Jekyll's libsass
 * had none to give. Synchronous and unbounded in time (a Sass `@while` may never end): callers run
 * it in a thread they can stop.
 */
export function compileStylesheet(job: SassJob, files: ReadonlyMap<string, string>): SassOutcome {
  const importer = siteImporter(files, job.loadPaths);
  try {
    const result = sass.compileString(job.text, {
      url: siteUrl(job.file),
      syntax: job.file.endsWith('.sass') ? 'indented' : 'scss',
      importer,
      // Then, for a load not beside the stylesheet that asks, each load path.
      importers: [importer],
      style: job.style,
      sourceMap: job.sourceMap,
      sourceMapIncludeSources: true,
      logger: sass.Logger.silent,
    });
    if (Buffer.byteLength(result.css) > MAX_CSS_BYTES) {
      return { ok: false, file: job.file, line: undefined, column: undefined, message: `the CSS it makes is over the ${MAX_CSS_BYTES / 1048576} MiB limit`, missingImport: false };
    }
    const map = job.sourceMap ? publishedMap(result.sourceMap, job.cssUrl) : undefined;
    const css = map ? `${result.css}\n\n/*# sourceMappingURL=${path.posix.basename(job.cssUrl)}.map */` : result.css;
    return { ok: true, css, map };
  } catch (err) {
    if (!(err instanceof sass.Exception)) throw err;
    const span = err.span;
    const inEntry = !span.url || span.url.href === siteUrl(job.file).href;
    return {
      ok: false,
      file: inEntry ? job.file : sitePathOf(span.url!),
      line: span.start.line + (inEntry ? job.firstLine : 1),
      column: span.start.column + 1,
      message: err.sassMessage,
      missingImport: /can't find stylesheet to import/i.test(err.sassMessage),
    };
  }
}
