import { decodeHTML } from 'entities';
/**
 * The one URL policy for everything that becomes an attribute (href, src, srcset, content,
 * JSON-LD): web and mail addresses and relative URLs pass; any other scheme — `javascript:`,
 * `vbscript:`, `data:`, `file:` and the rest — is refused, however it is disguised.
 */
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
/** Characters browsers drop from a URL before reading its scheme, and invisible ones that hide a scheme from people. */
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]+/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/;
/** Decoding rounds before a value that keeps changing is refused (each round undoes one layer of disguise). */
const MAX_ROUNDS = 4;
function decodePercent(text) {
    return text.replace(/%([0-9a-f]{2})/gi, (_whole, hex) => String.fromCharCode(parseInt(hex, 16)));
}
/** What a URL says once entities, percent-encoding, invisible characters and case are undone. */
function unmasked(value) {
    let text = value;
    for (let round = 0; round < MAX_ROUNDS; round++) {
        const next = decodePercent(decodeHTML(text)).replace(INVISIBLE, '');
        if (next === text)
            return text.toLowerCase();
        text = next;
    }
    return undefined;
}
/** Values whose first characters already decide: a web or mail address, or a path, query or fragment of this site. */
const PLAINLY_SAFE = /^(?:https?:\/\/|mailto:|\/[^/\\]|\/$|#|\?)/i;
/** Applies the URL policy to one value. */
export function checkUrl(value) {
    if (PLAINLY_SAFE.test(value))
        return { ok: true };
    const plain = unmasked(value);
    if (plain === undefined)
        return { ok: false, reason: 'it is encoded too many times over' };
    const scheme = SCHEME.exec(plain)?.[1];
    if (scheme === undefined || ALLOWED_SCHEMES.has(scheme))
        return { ok: true };
    return { ok: false, reason: `"${scheme}:" URLs are not allowed` };
}
/** The hint every refusal carries. */
export const URL_POLICY_HINT = 'use an http(s) or mailto: address, or a path on this site such as /images/photo.jpeg';
