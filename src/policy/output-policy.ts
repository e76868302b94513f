/**
 * The one function that decides whether a URL path may become a file in the output folder, and
 * the outputs Recap owns, which no post can claim. Every output passes through here: the
 * manifest refuses what this refuses, and the writer checks again before touching the disk.
 */

/** Longest part of an output path, in bytes: well under the 255 that file systems allow a name. */
export const MAX_SEGMENT_BYTES = 200;
const MAX_PATH_BYTES = 1024;

/** Paths made only of plain segments (no escapes, none starting with a dot, none too long): the common case, decided at once. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199})*\/?$/;

/** Why a URL path cannot be an output path, or undefined when it is safe. */
export function unsafeOutputReason(url: string): string | undefined {
  if (url.length <= MAX_PATH_BYTES && PLAIN_PATH.test(url)) return undefined;
  if (!url.startsWith('/')) return 'it does not start with "/"';
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    return 'it has a malformed %-escape';
  }
  // The same rules for the path as written and as a web server decodes it (%2e%2e is "..").
  for (const form of [url, decoded]) {
    if (/[\\\0?#]/.test(form)) return 'it contains \\, ?, # or a NUL character';
    if (/[\u0001-\u001f\u007f]/.test(form)) return 'it contains a control character';
    const segments = form.split('/');
    if (segments.some((segment) => segment === '.' || segment === '..')) return 'it contains a "." or ".." segment';
    // Hidden files are not published (`.htaccess` would configure some hosts), but for the standard `.well-known/` (RFC 8615).
    if (segments.some((segment, i) => segment.startsWith('.') && !(i === 1 && segment === '.well-known'))) return 'a part of it starts with "." (hidden files are not published)';
    if (segments.some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) return `a part of it is longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  if (Buffer.byteLength(url) > MAX_PATH_BYTES) return `it is longer than ${MAX_PATH_BYTES} bytes`;
  return undefined;
}

/** The output file of a URL path: `/a/b/` -> `a/b/index.html`. */
export function outputPathOf(url: string): string {
  const rel = url.replace(/^\/+/, '');
  return rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel;
}

/**
 * The output file of a page's URL (a post, a page, a redirect), as Jekyll writes it: a folder's
 * URL is its `index.html`, and the page's output extension is added where the URL does not end
 * with it (`/blog/one` -> `blog/one.html`, which static hosts serve at `/blog/one`). That extension
 * is `.html` but where the page names another (see contentOutputExtension); without it, the URL
 * is taken as the permalink (a redirect's `/old.php`, an event's `x.ics`).
 */
export function pageOutputPathOf(url: string, outputExtension = permalinkExtension(url) ?? '.html'): string {
  return jekyllOutputPathOf(url, outputExtension);
}

/**
 * The extension Jekyll writes a post's or page's file with (`Renderer#output_ext`): the one its
 * front matter's `permalink` is written with (`/page.htm`, `/docs/v1.2`), else `.htm` or `.xhtml`
 * for one written in either, else `.html` (a pattern such as `/blog/:title` has none, so a title
 * `v1.2-released` still makes `blog/v1.2-released.html`). A post's or a collection document's
 * folder address is its `index.html` whatever it is written in, as Jekyll's `Document` writes it.
 */
export function contentOutputExtension(post: { file: string; url: string; kind: string; collection?: string; data: { permalink?: unknown } }): string {
  if (post.url.endsWith('/') && (post.kind === 'post' || post.collection !== undefined)) return '.html';
  return permalinkExtension(post.data.permalink) ?? htmlExtensionOf(post.file) ?? '.html';
}

/** The extension of a file written in HTML (`.htm`, `.xhtml`, `.HTML`: Jekyll publishes it with its own, as written), else undefined. */
export function htmlExtensionOf(file: string): string | undefined {
  return /\.(html?|xhtml)$/i.exec(file)?.[0];
}

/** The extension a `permalink` is written with, as Ruby's `File.extname` reads its last part (none for a folder's `/x/`). */
export function permalinkExtension(permalink: unknown): string | undefined {
  if (typeof permalink !== 'string' || permalink.endsWith('/')) return undefined;
  // A dot that starts the name does not count.
  const name = permalink.slice(permalink.lastIndexOf('/') + 1).replace(/^\.+/, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : undefined;
}

/**
 * The output file of a Jekyll page at a URL, as Jekyll's `Page#destination` writes it: a folder's
 * URL is its `index`, and the page's output extension is added where the path does not end with
 * it (a `search.json` at `/api/` is `api/index.json`, a `humans.txt` at `/humans` is `humans.txt`).
 */
export function jekyllOutputPathOf(url: string, outputExtension: string): string {
  const rel = url.replace(/^\/+/, '');
  const file = rel === '' || rel.endsWith('/') ? `${rel}index` : rel;
  return file.endsWith(outputExtension) ? file : `${file}${outputExtension}`;
}

/** True when a path inside the output folder (as the writer's records hold it) is one Recap may write or delete. */
export function isSafeOutputPath(file: string): boolean {
  return typeof file === 'string' && file !== '' && !file.endsWith('/') && unsafeOutputReason(`/${file}`) === undefined;
}

/** Files only Recap makes at the site's root, and what makes them. */
const OWNED_FILES: ReadonlyMap<string, string> = new Map([
  ['index.html', 'the home page'],
  ['_headers', 'the headers file (src/output/headers.ts)'],
  ['_redirects', 'the hosts\' redirects file'],
  ['robots.txt', 'robots.txt'],
  ['feed.xml', 'the feed (templates/feed.xml.njk)'],
  ['sitemap.xml', 'the sitemap (templates/sitemap.xml.njk)'],
  ['talks.json', 'the talks list (templates/talks.njk)'],
  ['events.ics', 'the calendar of every meetup (src/views/icalendar.ts)'],
  ['.recap-output', 'the output marker'],
  ['talks/index.html', 'the talks page (templates/talks.njk)'],
]);

/** Folders whose every file is Recap's. */
const OWNED_FOLDERS: ReadonlyMap<string, string> = new Map([
  ['assets', 'theme assets and photos (/assets/)'],
  ['__recap', 'the preview server (/__recap/)'],
  ['tags', 'the tag pages (/tags/)'],
]);

/** Recap's files at the root that a Jekyll site's page or post may be published at (a `robots.html` with `permalink: /robots.txt`), where Recap's yields. */
export const JEKYLL_CLAIMABLE_FILES: ReadonlySet<string> = new Set(['robots.txt', 'sitemap.xml', 'feed.xml', 'talks.json', 'events.ics']);

/**
 * Recap's outputs that a Jekyll site's own page may take, as Jekyll publishes it there: the talks
 * page (Recap's yields, as its /speakers/ does), a tag's page below /tags/ and a home page (the
 * first where the site's own index is in no layout, `index.htm` too, a later one at `/page2/`, free in Jekyll
 * without jekyll-paginate) (the same), and a page below /assets/, where Recap's own files have
 * names of their content's hash.
 */
export function claimableByJekyllPage(outputPath: string): boolean {
  return outputPath === 'talks/index.html' || /^index\.(?:html?|xhtml)$/.test(outputPath) || JEKYLL_CLAIMABLE_FILES.has(outputPath) || /^(tags|assets)\/./.test(outputPath) || /^page\d+\/index\.html$/.test(outputPath);
}

/**
 * What owns an output path when Recap itself does (so posts cannot claim it), else undefined:
 * its own files, whatever is below its own folders, and a folder where one of its root files
 * must be (`_headers/index.html`). A Jekyll post under `/talks/2019/...` is not Recap's.
 */
export function recapOwnerOf(outputPath: string): string | undefined {
  // The tags page yields to a site's own (a Jekyll theme's tags.html at /tags/); the tag pages below it are Recap's.
  if (outputPath === 'tags/index.html') return undefined;
  const owned = OWNED_FILES.get(outputPath);
  if (owned) return owned;
  const slash = outputPath.indexOf('/');
  if (slash === -1) return undefined;
  const first = outputPath.slice(0, slash);
  return OWNED_FOLDERS.get(first) ?? OWNED_FILES.get(first) ?? (/^page\d+$/.test(first) && outputPath === `${first}/index.html` ? 'the home page\'s pagination' : undefined);
}
