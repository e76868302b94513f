import { escapeUTF8 } from 'entities';
/** The default theme's accent colour, for sites that set none. */
export const DEFAULT_ACCENT = '#0b5cad';
/** Up to two initials of a site's title: "Platform Night Leeds" -> "PN". */
function initialsOf(title) {
    const words = title.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    return words.slice(0, 2).map((word) => [...word][0].toLocaleUpperCase('en')).join('') || 'R';
}
/** A favicon for a site that has none: its initials in white on its accent colour, as SVG. */
export function faviconSvg(title, accent) {
    const initials = escapeUTF8(initialsOf(title));
    const size = initials.length > 1 ? 28 : 36;
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${accent}"/>`
        + `<text x="32" y="33" fill="#fff" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="${size}" font-weight="700" text-anchor="middle" dominant-baseline="central">${initials}</text></svg>\n`;
}
/** Mixes a `#rgb` or `#rrggbb` colour with white, for an accent that stays readable on a dark background. */
function lighter(hex, amount) {
    const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
    const channels = [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `#${channels.map((c) => Math.round(c + (255 - c) * amount).toString(16).padStart(2, '0')).join('')}`;
}
/** The stylesheet that gives the default theme a site's accent colour, in light and dark mode. */
export function themeStylesheet(accent) {
    return `:root{--accent:${accent}}\n@media (prefers-color-scheme: dark){:root{--accent:${lighter(accent, 0.45)}}}\n`;
}
