import { trimEndOf } from './text.js';

/**
 * Chirpy's `media_subpath` (`img_path` before its version 7): a folder, set in a post's front
 * matter or the site's defaults, that the theme puts before every relative image path of the post
 * (`![Mockup](mockup.png)` is `/assets/img/posts/x/mockup.png`), front matter `image:` included.
 */

/** A post's media folder as an address (`/assets/img/posts/x`, or a CDN's `https://...`), or undefined. */
export function mediaSubpathOf(data: Record<string, unknown>): string | undefined {
  const value = data['media_subpath'] ?? data['img_path'];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const trimmed = trimEndOf(value.trim(), '/');
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `/${trimmed.replace(/^\/+/, '')}`;
}

/** An image path under a post's media folder, as Chirpy makes it: only a relative one moves. */
export function underMediaSubpath(src: string, subpath: string | undefined): string {
  if (subpath === undefined || src === '' || /^([a-z][a-z0-9+.-]*:|\/|#|\{)/i.test(src.trim())) return src;
  return `${subpath}/${src.trim().replace(/^\.\//, '')}`;
}
