import { escapeAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { checkUrl } from '../policy/url-policy.js';
import { resolveVideoUrl } from '../talks/youtube.js';
/** Attributes whose value a browser loads or follows as a URL. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'data', 'cite', 'background', 'longdesc', 'ping', 'xlink:href', 'codebase', 'manifest', 'lowsrc', 'dynsrc', 'icon', 'srcset', 'imagesrcset']);
/** Elements that run or frame another document. */
const EMBEDDING = new Set(['script', 'iframe', 'frame', 'embed', 'object']);
const SITE = 'https://recap.invalid';
function urlsOf(attribute, value) {
    if (attribute === 'srcset' || attribute === 'imagesrcset')
        return value.split(',').map((entry) => entry.trim().split(/\s+/)[0] ?? '').filter(Boolean);
    return [value];
}
function refreshTarget(attributes) {
    if (attributes['http-equiv']?.trim().toLowerCase() !== 'refresh')
        return undefined;
    return /url\s*=\s*['"]?([^'"]*)/i.exec(attributes['content'] ?? '')?.[1];
}
/** The marker the render stage replaces with the video facade (partials/video.njk). */
function videoMarker(videoId, start) {
    return `<recap-video data-id="${videoId}" data-start="${start ?? ''}"></recap-video>`;
}
/** Finds the markers in rendered HTML: the video id and the start. */
export const VIDEO_MARKER = /<recap-video data-id="([\w-]{11})" data-start="(\d*)"><\/recap-video>/g;
/** True when a browser would load this address from another host (after entity decoding, with `\\`, spaces and case as browsers read them). */
export function isForeign(src) {
    try {
        return new URL(src.trim(), `${SITE}/page/`).origin !== SITE;
    }
    catch {
        return false;
    }
}
/**
 * Reads raw HTML as a browser would (a real HTML parser, entities decoded): removes every URL
 * attribute the URL policy refuses, and lists scripts, frames and objects that load from
 * another host, and inline scripts, so a reviewer sees them.
 */
export function readRawHtml(html) {
    const refused = [];
    const embeds = [];
    const tags = new Set();
    const attributeNames = new Set();
    const rewrites = [];
    const videos = [];
    let player;
    const parser = new Parser({
        onopentag(name, attributes) {
            tags.add(name);
            for (const attribute of Object.keys(attributes))
                attributeNames.add(attribute);
            const start = parser.startIndex;
            const bad = new Set();
            for (const [attribute, value] of Object.entries(attributes)) {
                if (!URL_ATTRIBUTES.has(attribute) && !(attribute === 'content' && refreshTarget(attributes) !== undefined))
                    continue;
                const urls = attribute === 'content' ? [refreshTarget(attributes)] : urlsOf(attribute, value);
                for (const url of urls) {
                    const verdict = checkUrl(url);
                    if (!verdict.ok) {
                        refused.push({ tag: name, attribute, value, reason: verdict.reason, offset: start });
                        bad.add(attribute);
                        break;
                    }
                }
            }
            if (name === 'link' && /\bstylesheet\b/i.test(attributes['rel'] ?? '') && attributes['href'] !== undefined && !bad.has('href') && isForeign(attributes['href'])) {
                embeds.push({ tag: 'stylesheet', src: attributes['href'], offset: start });
            }
            if (EMBEDDING.has(name)) {
                const src = attributes['src'] ?? attributes['data'];
                const youtubePlayer = name === 'iframe' && src !== undefined && resolveVideoUrl(src) !== undefined;
                if (src !== undefined && !bad.has('src') && !bad.has('data') && isForeign(src) && !youtubePlayer)
                    embeds.push({ tag: name, src, offset: start });
                if (name === 'script' && src === undefined)
                    embeds.push({ tag: name, src: 'inline', offset: start });
            }
            const video = name === 'iframe' && attributes['src'] !== undefined && !bad.has('src') ? resolveVideoUrl(attributes['src']) : undefined;
            if (video)
                player = { start, videoId: video.videoId, at: video.start };
            if (bad.size > 0) {
                const kept = Object.entries(attributes).filter(([attribute]) => !bad.has(attribute));
                const selfClosing = html.slice(start, parser.endIndex + 1).endsWith('/>');
                const text = `<${name}${kept.map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('')}${selfClosing ? ' /' : ''}>`;
                rewrites.push({ start, end: parser.endIndex + 1, text });
            }
        },
        onclosetag(name) {
            if (name !== 'iframe' || !player)
                return;
            // A YouTube player becomes the privacy-respecting facade: nothing loads from YouTube before a click.
            rewrites.push({ start: player.start, end: parser.endIndex + 1, text: videoMarker(player.videoId, player.at) });
            videos.push({ videoId: player.videoId, start: player.at });
            player = undefined;
        },
    }, { decodeEntities: true, recognizeSelfClosing: true });
    parser.end(html);
    let out = html;
    // Rewrites never overlap but a player's replaces its own opening tag's: apply them outermost first, from the end.
    const ordered = rewrites.sort((a, b) => b.start - a.start || b.end - a.end);
    let limit = Number.POSITIVE_INFINITY;
    for (const rewrite of ordered) {
        if (rewrite.end > limit)
            continue;
        out = out.slice(0, rewrite.start) + rewrite.text + out.slice(rewrite.end);
        limit = rewrite.start;
    }
    return { html: out, refused, embeds, tags, attributes: attributeNames, videos };
}
