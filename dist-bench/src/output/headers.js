/** The kind of CSP source an embedded element needs. */
function embedKind(tag) {
    if (tag === 'script')
        return 'script';
    if (tag === 'stylesheet')
        return 'style';
    if (tag === 'object' || tag === 'embed')
        return 'object';
    return 'frame';
}
/**
 * The Content-Security-Policy of a site: everything from the site itself, photos from anywhere
 * over HTTPS (posts may show remote images), the privacy-enhanced YouTube player in frames, and
 * exactly the hosts the site's posts and pages load scripts, frames, objects and stylesheets from
 * (computed from the build, so a migrated site's embeds keep working and nothing else is allowed).
 * Theme scripts are files, never inline; JSON-LD is data, which CSP lets be.
 */
export function contentSecurityPolicy(hosts) {
    const list = (values) => values.map((v) => ` ${v}`).join('');
    return [
        "default-src 'self'",
        "img-src 'self' data: https:",
        `script-src 'self'${list(hosts.script)}`,
        `style-src 'self'${list(hosts.style)}`,
        `frame-src https://www.youtube-nocookie.com${list(hosts.frame.filter((h) => h !== 'https://www.youtube-nocookie.com'))}`,
        hosts.object.length ? `object-src${list(hosts.object)}` : "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ].join('; ');
}
/**
 * `_headers` for hosts that read it (Netlify, Cloudflare Pages): security headers on every page,
 * and for the content-hashed files under /assets/ a cache that never needs to ask again. HTML
 * keeps the hosts' default, which revalidates on every visit (one rule per kind of file, as hosts
 * join the values of a header that several rules set).
 */
export function headersFile(baseurl, hosts) {
    return [
        `${baseurl}/*`,
        `  Content-Security-Policy: ${contentSecurityPolicy(hosts)}`,
        '  X-Content-Type-Options: nosniff',
        '  Referrer-Policy: strict-origin-when-cross-origin',
        '',
        `${baseurl}/assets/*`,
        '  Cache-Control: public, max-age=31536000, immutable',
        '',
    ].join('\n');
}
/** The origins of the embeds of a build's posts and pages, by the CSP source they need, sorted. */
export function embedHosts(embeds) {
    const hosts = { script: new Set(), frame: new Set(), object: new Set(), style: new Set() };
    for (const embed of embeds) {
        if (embed.src === 'inline')
            continue;
        let origin;
        try {
            origin = new URL(embed.src.trim(), 'https://recap.invalid/').origin;
        }
        catch {
            continue;
        }
        // Only plain web origins go into the policy: nothing that could add a directive.
        if (/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin))
            hosts[embedKind(embed.tag)].add(origin.toLowerCase());
    }
    const sorted = (set) => [...set].sort();
    return { script: sorted(hosts.script), frame: sorted(hosts.frame), object: sorted(hosts.object), style: sorted(hosts.style) };
}
/** The headers a `_headers` file gives one URL path (its rules whose pattern matches, in order), as the hosts apply them. */
export function headersForPath(headersText, urlPath) {
    const headers = {};
    let applies = false;
    for (const line of headersText.split('\n')) {
        if (line.trim() === '' || line.trim().startsWith('#'))
            continue;
        if (!/^\s/.test(line)) {
            const pattern = line.trim();
            applies = pattern.endsWith('*') ? urlPath.startsWith(pattern.slice(0, -1)) : urlPath === pattern;
            continue;
        }
        const colon = line.indexOf(':');
        if (applies && colon > 0)
            headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return headers;
}
