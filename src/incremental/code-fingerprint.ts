import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-files.js';

/** The version of an installed package, found as Node finds it: in node_modules folders from Recap's own up. */
function installedVersion(root: string, name: string): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      if (path.dirname(dir) === dir) return 'missing';
    }
  }
}

/** Hashes every file below a folder of Recap's package, by name. */
function hashFolder(hash: ReturnType<typeof createHash>, folder: string, wanted: (name: string) => boolean): void {
  const names = (readdirSync(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .filter(wanted)
    .sort();
  for (const name of names) hash.update(name).update(readFileSync(path.join(folder, name)));
}

/**
 * A fingerprint of what turns inputs into outputs besides the inputs: Recap's compiled code, its
 * built-in theme (the templates a site without its own renders with), the versions of the
 * libraries it runs (a new markdown-it may render differently) and Node's. A new Recap, an
 * upgraded library or another Node never reuses an old one's results or pages. `root` is Recap's package folder.
 */
export function toolchainFingerprint(root: string): string {
  const hash = createHash('sha1');
  hashFolder(hash, path.join(root, 'dist', 'src'), (name) => name.endsWith('.js'));
  hash.update('\0templates\0');
  hashFolder(hash, path.join(root, 'templates'), () => true);
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies ?? {}).sort()) hash.update(`\0${name}@${installedVersion(root, name)}`);
  return hash.update(`\0node@${process.version}`).digest('hex');
}

/** Read once, when Recap loads: the code cannot change under a running process. */
export const TOOLCHAIN = toolchainFingerprint(PACKAGE_ROOT);
