/** Compares strings by UTF-16 code unit, never by locale, so output is deterministic. */
export function compareCodeUnits(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** Turns a tag or heading into a URL slug: lower case, ASCII letters and digits joined by dashes. */
export function slugify(text) {
    return text
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
}
/** Escapes text for HTML content and attribute values (the five characters that could end either). */
export function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
