import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readYaml } from './yaml.js';
const MAX_INCLUDE_BYTES = 256 * 1024;
const MAX_DATA_BYTES = 4 * 1024 * 1024;
/**
 * Reads what a Jekyll site's Liquid may use: its `_includes/` (plain files only, found by the same
 * link-refusing listing as every input, each at most 256 KiB) and its `_data/` YAML and JSON.
 */
export function readJekyllInputs(sources, diagnostics) {
    const includes = {};
    for (const file of sources.includes) {
        // Sizes are looked at before reading: an oversized file is never read.
        if (lstatSync(file.absPath).size > MAX_INCLUDE_BYTES)
            diagnostics.error('R310', file.path, undefined, undefined, `the include is over the ${MAX_INCLUDE_BYTES / 1024} KiB limit`);
        else
            includes[file.url.replace(/^\/_includes\//, '')] = readFileSync(file.absPath, 'utf8');
    }
    const data = {};
    for (const file of sources.data) {
        const name = path.posix.basename(file.path).replace(/\.(ya?ml|json)$/i, '');
        if (lstatSync(file.absPath).size > MAX_DATA_BYTES) {
            diagnostics.error('R310', file.path, undefined, undefined, `the data file is over the ${MAX_DATA_BYTES / 1048576} MiB limit`);
            continue;
        }
        const text = readFileSync(file.absPath, 'utf8');
        if (/\.json$/i.test(file.path)) {
            try {
                data[name] = JSON.parse(text);
            }
            catch (err) {
                diagnostics.error('R310', file.path, undefined, undefined, `invalid JSON: ${err.message}`);
            }
            continue;
        }
        const parsed = readYaml(text);
        if (parsed.ok)
            data[name] = parsed.value;
        else
            diagnostics.error('R310', file.path, parsed.line + 1, parsed.column + 1, `invalid YAML: ${parsed.message}`);
    }
    return { includes, data };
}
