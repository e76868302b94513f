const UNSAFE_SCHEME = /^(javascript|vbscript|file|data):/i;

/** True when a link target must never become a link (script and data URLs). */
export function isUnsafeUrl(url: string): boolean {
  // Browsers ignore control characters and white space inside a scheme: strip them before looking.
  return UNSAFE_SCHEME.test(url.replace(/[\u0000-\u0020\u007f]+/g, ''));
}
