import path from 'node:path';

/** Folders of the site that hold its inputs or its output; caches never go in or above them. */
const INPUT_FOLDERS = ['posts', '_posts', 'drafts', '_drafts', 'pages', 'images', 'static', 'templates', '_site', '_includes', '_data', '_layouts'];

/** Why a `cache_dir` cannot hold caches (the image cache deletes files it made there), or undefined when it is fine. */
export function cacheFolderProblem(siteDir: string, cacheDir: string): string | undefined {
  const full = path.resolve(siteDir, cacheDir);
  const rel = path.relative(siteDir, full);
  if (rel === '') return 'it is the site folder itself';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'it lies outside the site folder';
  const top = rel.split(path.sep)[0]!;
  if (INPUT_FOLDERS.includes(top)) return `it is inside the site's ${top}/ folder`;
  return undefined;
}
