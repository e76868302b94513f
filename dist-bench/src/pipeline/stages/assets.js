import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { digestOf } from './load.js';
import { BUILTIN_TEMPLATES } from '../../views/renderer.js';
/** An asset published under a name that carries its content hash: `style.css` -> `/assets/style.1a2b3c4d5e.css`. */
function hashedAsset(name, content, source) {
    const ext = path.extname(name);
    return { name, url: `/assets/${name.slice(0, name.length - ext.length)}.${digestOf(content).slice(0, 10)}${ext}`, content, source };
}
/** A theme asset Recap makes from the settings (the accent colour's stylesheet), hashed like the others. */
export function generatedAsset(name, text, source) {
    return hashedAsset(name, Buffer.from(text), source);
}
async function listAssets(dir) {
    try {
        return (await readdir(path.join(dir, 'assets'), { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
    }
    catch {
        return [];
    }
}
/** Reads `templates/assets/` of the site and of the built-in theme (the site's win by name) and hashes their names. */
export async function loadThemeAssets(siteTemplates) {
    const chosen = new Map();
    for (const dir of [BUILTIN_TEMPLATES, siteTemplates]) {
        if (dir === undefined)
            continue;
        for (const name of await listAssets(dir))
            chosen.set(name, path.join(dir, 'assets', name));
    }
    const names = [...chosen.keys()].sort();
    return Promise.all(names.map(async (name) => hashedAsset(name, await readFile(chosen.get(name)), `templates/assets/${name}`)));
}
