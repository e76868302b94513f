import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { digestOf } from './load.js';
import { BUILTIN_TEMPLATES } from '../../views/renderer.js';

/** A theme asset (stylesheet, script, icon) published under a content-hashed name. */
export interface ThemeAsset {
  /** Name templates ask for: `style.css`. */
  name: string;
  /** Hashed URL path: `/assets/style.1a2b3c4d.css`. */
  url: string;
  content: Buffer;
  /** Site-relative or theme path of the source, for diagnostics. */
  source: string;
}

/** An asset published under a name that carries its content hash: `style.css` -> `/assets/style.1a2b3c4d5e.css`. */
function hashedAsset(name: string, content: Buffer, source: string): ThemeAsset {
  const ext = path.extname(name);
  return { name, url: `/assets/${name.slice(0, name.length - ext.length)}.${digestOf(content).slice(0, 10)}${ext}`, content, source };
}

/** A theme asset Recap makes from the settings (the accent colour's stylesheet), hashed like the others. */
export function generatedAsset(name: string, text: string, source: string): ThemeAsset {
  return hashedAsset(name, Buffer.from(text), source);
}

async function listAssets(dir: string): Promise<string[]> {
  try {
    return (await readdir(path.join(dir, 'assets'), { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * A comment of CSS, or what is kept as written: a quoted string or an unquoted `url(...)` (which
 * may hold `/*` without starting a comment), and a comment opened with `/*!` (a licence, as minifiers keep them).
 */
const CSS_COMMENT = /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|url\([^)"']*\)|\/\*![\s\S]*?\*\/)|\/\*[\s\S]*?(?:\*\/|$)/g;

/**
 * A stylesheet without its comments, which document the theme for its authors and are no
 * visitor's to download (~900 bytes of the built-in theme's 14 KB: every page's budget is 30 KB
 * with its CSS and scripts). One pattern over the text, strings, `url()` and licences kept whole.
 */
export function withoutCssComments(css: string): string {
  return css.replace(CSS_COMMENT, (_comment, kept: string | undefined) => kept ?? '').replace(/\n[ \t]*(?=\n)/g, '');
}

/** Reads `templates/assets/` of the site and of the built-in theme (the site's win by name) and hashes their names; stylesheets lose their comments. */
export async function loadThemeAssets(siteTemplates: string | undefined): Promise<ThemeAsset[]> {
  const chosen = new Map<string, string>();
  for (const dir of [BUILTIN_TEMPLATES, siteTemplates]) {
    if (dir === undefined) continue;
    for (const name of await listAssets(dir)) chosen.set(name, path.join(dir, 'assets', name));
  }
  const names = [...chosen.keys()].sort();
  return Promise.all(names.map(async (name) => {
    const bytes = await readFile(chosen.get(name)!);
    return hashedAsset(name, name.endsWith('.css') ? Buffer.from(withoutCssComments(bytes.toString('utf8'))) : bytes, `templates/assets/${name}`);
  }));
}
