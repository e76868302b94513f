import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
/** The default theme shipped with Recap (this repository's own `templates/`). */
export const BUILTIN_TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates');
const TEMPLATE_ERROR = /\(([^)]*)\)(?: \[Line (\d+), Column (\d+)\])?\s*(?:\n\s*)?(.*)$/s;
function templateDiagnostic(err, name, dirs, diagnostics) {
    const match = TEMPLATE_ERROR.exec(err.message);
    let file = match?.[1] && match[1] !== 'unknown path' ? match[1] : name;
    for (const dir of dirs) {
        if (file.startsWith(dir + path.sep))
            file = `templates/${path.relative(dir, file).split(path.sep).join('/')}`;
    }
    const message = (match?.[4] ?? err.message).replace(/^Template render error:\s*/i, '').trim();
    diagnostics.error('R501', file, match?.[2] ? Number(match[2]) : undefined, match?.[3] ? Number(match[3]) : undefined, `template error: ${message}`, `while rendering ${name}`);
}
function memoKey(name, context, tokens) {
    const json = JSON.stringify(context, (_key, value) => (value !== null && typeof value === 'object' && tokens.get(value)) || value);
    return createHash('sha1').update(name).update('\0').update(json).digest('base64');
}
/**
 * Creates the renderer: site templates override built-in ones by name; autoescape always on.
 * It compiles each template once and can serve many builds (recap serve keeps it until a template
 * changes); with a memo, a template rendered before with the same context is not rendered again.
 */
export function createRenderer(siteTemplates, config) {
    const dirs = [siteTemplates, BUILTIN_TEMPLATES].filter((d) => d !== undefined);
    const uniqueDirs = [...new Set(dirs.map((d) => path.resolve(d)))];
    const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(uniqueDirs, { noCache: false, watch: false }), {
        autoescape: true,
        throwOnUndefined: false,
        trimBlocks: true,
        lstripBlocks: true,
    });
    // This build's helpers and memo; the environment (and its compiled templates) outlives builds.
    let helpers;
    let memo;
    const known = new Map();
    const dayFormat = new Intl.DateTimeFormat(config.language, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
    env.addFilter('url', (value) => helpers.url(value));
    env.addFilter('absoluteUrl', (value) => helpers.absoluteUrl(value));
    env.addGlobal('asset', (name) => helpers.asset(name));
    env.addGlobal('imageData', (src) => helpers.imageData(src));
    env.addGlobal('navigation', (current) => new nunjucks.runtime.SafeString(helpers.navigation(current)));
    env.addGlobal('speakerLinks', (refs) => new nunjucks.runtime.SafeString(helpers.speakerLinks(refs)));
    const readableDates = new Map();
    env.addFilter('readableDate', (d) => {
        const key = d.year * 10000 + d.month * 100 + d.day;
        let text = readableDates.get(key);
        if (text === undefined) {
            text = dayFormat.format(new Date(Date.UTC(d.year, d.month - 1, d.day)));
            readableDates.set(key, text);
        }
        return text;
    });
    // JSON for <script type="application/ld+json">: "<" escaped so no value can close the script element.
    env.addFilter('jsonld', (value) => new nunjucks.runtime.SafeString(JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)));
    return {
        siteTemplates,
        language: config.language,
        bind(buildHelpers, buildMemo) {
            helpers = buildHelpers;
            memo = buildMemo;
        },
        render(name, context, diagnostics, givenKey) {
            const key = memo ? (givenKey ? `${name}\0${givenKey}` : memoKey(name, context, memo.tokens)) : '';
            const remembered = memo?.pages.get(key);
            if (remembered !== undefined)
                return remembered;
            try {
                const html = env.render(name, context);
                memo?.pages.set(key, html);
                return html;
            }
            catch (err) {
                templateDiagnostic(err, name, uniqueDirs, diagnostics);
                return undefined;
            }
        },
        has(name) {
            let found = known.get(name);
            if (found === undefined) {
                found = uniqueDirs.some((dir) => existsSync(path.join(dir, name)));
                known.set(name, found);
            }
            return found;
        },
        layouts() {
            const names = new Set();
            for (const dir of uniqueDirs) {
                for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
                    if (entry.endsWith('.njk') && !entry.includes('.xml') && !entry.startsWith('_'))
                        names.add(entry.slice(0, -4));
                }
            }
            return [...names].sort();
        },
    };
}
