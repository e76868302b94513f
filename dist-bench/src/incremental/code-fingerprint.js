import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
/** Recap's package folder (above dist/src/incremental). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The version of an installed package, found as Node finds it: in node_modules folders from Recap's own up. */
function installedVersion(name) {
    for (let dir = PACKAGE_ROOT;; dir = path.dirname(dir)) {
        try {
            return JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version ?? '?';
        }
        catch {
            if (path.dirname(dir) === dir)
                return 'missing';
        }
    }
}
/**
 * A fingerprint of what turns inputs into outputs besides the inputs: Recap's compiled code, the
 * versions of the libraries it runs (a new markdown-it may render differently) and Node's. A new
 * Recap, an upgraded library or another Node never reuses an old one's results.
 */
function toolchainFingerprint() {
    const hash = createHash('sha1');
    const compiled = path.join(PACKAGE_ROOT, 'dist', 'src');
    const names = readdirSync(compiled, { recursive: true }).filter((n) => n.endsWith('.js')).sort();
    for (const name of names)
        hash.update(name).update(readFileSync(path.join(compiled, name)));
    const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    for (const name of Object.keys(manifest.dependencies ?? {}).sort())
        hash.update(`\0${name}@${installedVersion(name)}`);
    return hash.update(`\0node@${process.version}`).digest('hex');
}
/** Read once, when Recap loads: the code cannot change under a running process. */
export const TOOLCHAIN = toolchainFingerprint();
