/**
 * The Content-Security-Policy the default theme passes: everything from the site itself, photos
 * from anywhere over HTTPS (posts may show remote images), and only the privacy-enhanced YouTube
 * player in frames. Theme scripts are files, never inline; JSON-LD is data, which CSP lets be.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "script-src 'self'",
  "style-src 'self'",
  'frame-src https://www.youtube-nocookie.com',
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * `_headers` for hosts that read it (Netlify, Cloudflare Pages): security headers on every page,
 * and for the content-hashed files under /assets/ a cache that never needs to ask again. HTML
 * keeps the hosts' default, which revalidates on every visit (one rule per kind of file, as hosts
 * join the values of a header that several rules set).
 */
export function headersFile(baseurl: string): string {
  return [
    `${baseurl}/*`,
    `  Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: strict-origin-when-cross-origin',
    '',
    `${baseurl}/assets/*`,
    '  Cache-Control: public, max-age=31536000, immutable',
    '',
  ].join('\n');
}
