/**
 * Every kind of diagnostic Recap reports, by a stable code: printed with each message, listed in
 * the README, and named in `recap.yml`'s `silence:` to hide a warning or note a site accepts.
 * A code never changes meaning; a retired one is never reused.
 */
export const DIAGNOSTIC_CODES = {
  R101: 'settings: not valid YAML, not a mapping, a value of the wrong kind, or an unreadable file',
  R102: 'settings: an unknown key',
  R103: 'settings: a cache_dir that cannot hold caches',
  R104: 'settings: a url that is not an absolute http(s) address',
  R105: 'settings: no url, so links and feeds are site-relative',
  R106: 'site files: a file in posts/ that is not a post (not Markdown or HTML, or no date in its name)',
  R107: 'site files: a symbolic link, skipped',
  R108: 'site files: a Sass or CoffeeScript file only Jekyll can compile, skipped',
  R109: 'site files: a file that cannot be read, or a post over the size limit',
  R110: 'text: invisible control characters removed',
  R111: 'caches: entries discarded (damaged, old or tampered with)',
  R112: 'outputs: the site\'s own page kept where Recap would make one',
  R113: 'speakers.yml: not valid YAML, not a list, or a speaker entry that is wrong',
  R114: 'speakers.yml: one spelling given to two people',
  R115: 'settings: a front matter defaults entry that is not a scope and values, skipped',
  R116: 'settings: a Jekyll collection (or collections_dir) that is not a plain folder of the site, skipped',
  R117: 'outputs: a site\'s page without text of its own left out where Recap makes one',
  R118: 'settings: a Jekyll paginate_path below a folder (the first home page stays /), or one Recap cannot follow',
  R119: 'site files: a Jekyll _posts or _drafts folder outside collections_dir, which Jekyll does not read, skipped',
  R120: 'outputs: a list page without text of its own (layout: posts, categories, ...) redirected to Recap\'s list',
  R121: 'settings: a jekyll-archives permalink that is not a URL pattern, its archive pages left out',
  R122: 'settings: a jekyll-feed feed whose address cannot be a file, left out',
  R201: 'front matter: missing, unclosed, too large, or not a mapping',
  R202: 'front matter: code (---js) refused',
  R203: 'front matter: invalid YAML',
  R204: 'front matter: a key with a value of the wrong kind',
  R205: 'front matter: a date that does not exist',
  R206: 'event: a time that is not a date and time, never happens, or ends before it starts',
  R207: 'event: a time that happens twice as the clocks go back',
  R208: 'event: no address and no livestream',
  R209: 'posts: not UTF-8 text',
  R210: 'posts: no title, one taken from the file name',
  R211: 'outputs: a URL path that cannot be a file',
  R212: 'outputs: a post claiming one of Recap\'s own outputs',
  R213: 'outputs: two outputs at one path',
  R301: 'URLs: a script, data or other refused URL removed',
  R302: 'images: no text alternative',
  R303: 'YouTube: a malformed link',
  R304: 'talks: the written time and the link disagree',
  R305: 'talks: a written time with no link to the recording',
  R306: 'talks: a talks: entry without a time, or with a time that is not one',
  R307: 'Liquid: post_url names no post',
  R308: 'Liquid: template code in a Recap post left as text',
  R309: 'Liquid: a Jekyll post\'s template cannot be rendered',
  R310: 'Jekyll: an include or data file that is too large or invalid',
  R311: 'lists: two tags share one page',
  R312: 'lists: two speakers share one page',
  R313: 'Liquid: a tag Recap does not know (a Jekyll plugin\'s), left out',
  R314: 'Liquid: an include the site does not have (its theme\'s), left out',
  R401: 'images: a photo over the size limit',
  R402: 'images: a photo that cannot be read or encoded',
  R403: 'images: a referenced photo that does not exist',
  R501: 'templates: a template error',
  R502: 'templates: an unknown layout',
  R601: 'check: a broken link',
  R602: 'check: a broken anchor',
  R603: 'check: a malformed %-escape in an address',
  R604: 'check: a link outside the site\'s base URL',
  R605: 'check: an id used twice on a page',
  R606: 'check: a page without a title',
  R607: 'check: a page without a description',
  R608: 'check: a script or frame from another host',
  R701: 'output: the output folder cannot be written or replaced',
  R702: 'commands: recap new refused (a folder not empty, a post that exists, a title with no name)',
} as const;

/** A stable diagnostic code, such as `R403`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** True when a string is one of Recap's diagnostic codes. */
export function isDiagnosticCode(value: string): value is DiagnosticCode {
  return Object.hasOwn(DIAGNOSTIC_CODES, value);
}
