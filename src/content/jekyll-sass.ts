import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { lineOfYamlKey } from './yaml.js';
import { trimEndOf } from './text.js';

/** A Jekyll site's `sass:` settings, as jekyll-sass-converter reads them. */
export interface JekyllSassSettings {
  /** Site paths of the folders Sass loads from: `sass_dir` (`_sass`), then each of `load_paths`. */
  loadPaths: string[];
  style: 'expanded' | 'compressed';
  /** A source map beside each stylesheet's CSS, unless `sourcemap: never`. */
  sourceMap: boolean;
}

/** A folder named in the settings as a site path, or undefined when it is not a folder inside the site. */
function siteFolder(value: string): string | undefined {
  const parts = trimEndOf(value.replace(/^\.\//, ''), '/').split('/');
  return value.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\\')) ? undefined : parts.join('/');
}

/**
 * The `sass:` settings: `sass_dir`, `load_paths`, `style` (Dart Sass writes `expanded` or
 * `compressed`; libsass's `nested` and `compact` are written expanded) and `sourcemap`. A folder
 * outside the site is skipped with a warning: Sass reads nothing but the site's own files.
 */
export function readJekyllSass(raw: unknown, text: string, diagnostics: Diagnostics): JekyllSassSettings {
  const settings = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw as Record<string, unknown> : {};
  const named = [settings['sass_dir'] ?? '_sass', ...(Array.isArray(settings['load_paths']) ? settings['load_paths'] : [])];
  const loadPaths: string[] = [];
  for (const value of named) {
    const folder = typeof value === 'string' ? siteFolder(value) : undefined;
    if (folder !== undefined) loadPaths.push(folder);
    else diagnostics.warning('R123', '_config.yml', lineOfYamlKey(text, ['sass'])?.line, undefined, `the Sass folder ${JSON.stringify(value)} is not a folder inside the site: skipped`, 'name a folder of the site, like sass_dir: _sass');
  }
  return { loadPaths, style: settings['style'] === 'compressed' || settings['style'] === ':compressed' ? 'compressed' : 'expanded', sourceMap: settings['sourcemap'] !== 'never' && settings['sourcemap'] !== ':never' };
}
