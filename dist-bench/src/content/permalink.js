import { slugify } from './text.js';
const STYLES = {
    pretty: '/:categories/:year/:month/:day/:title/',
    date: '/:categories/:year/:month/:day/:title:output_ext',
    ordinal: '/:categories/:year/:y_day/:title:output_ext',
    none: '/:categories/:title:output_ext',
};
function pad(n, width = 2) {
    return String(n).padStart(width, '0');
}
function dayOfYear(date) {
    return Math.round((Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(date.year, 0, 1)) / 86400000) + 1;
}
/** What Jekyll's "pretty" slugs keep: letters, marks, digits and `._~!$&'()+,;=@`; any run of anything else becomes one dash. */
const PRETTY_DROPPED = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu;
/** A file name's title part as Jekyll puts it in `:title`: its "pretty" slug, case kept (`Hello World?` -> `Hello-World`). */
function jekyllTitleSlug(text) {
    return text.replace(PRETTY_DROPPED, '-').replace(/^-|-$/g, '');
}
/** Expands a Jekyll permalink style (`pretty`, `date`, ...) or pattern (`/:year/:title/`) into a URL path. */
export function expandPermalink(pattern, parts) {
    const template = STYLES[pattern] ?? pattern;
    const values = {
        year: pad(parts.date.year, 4),
        short_year: pad(parts.date.year % 100),
        month: pad(parts.date.month),
        i_month: String(parts.date.month),
        day: pad(parts.date.day),
        i_day: String(parts.date.day),
        y_day: pad(dayOfYear(parts.date), 3),
        title: jekyllTitleSlug(parts.title) || parts.title,
        slug: slugify(parts.slug) || parts.slug,
        categories: parts.categories.map((c) => c.toLowerCase()).join('/'),
        output_ext: '.html',
    };
    const url = template.replace(/:([a-z_]+)/g, (whole, name) => values[name] ?? whole);
    return normaliseUrlPath(url);
}
/** Collapses repeated slashes, adds the leading one, and turns an extension-less path into a folder. */
export function normaliseUrlPath(url) {
    let clean = ('/' + url).replace(/\/{2,}/g, '/');
    const last = clean.slice(clean.lastIndexOf('/') + 1);
    if (last !== '' && !last.includes('.'))
        clean += '/';
    return clean;
}
