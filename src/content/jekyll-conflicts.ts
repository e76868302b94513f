import { contentOutputExtension, pageOutputPathOf } from '../policy/output-policy.js';
import { compareCodeUnits } from './text.js';
import type { Post } from './post.js';

/** A post or page that another takes the place of, as Jekyll's writing order decides. */
export interface Overwritten {
  post: Post;
  /** The one published at its address. */
  by: Post;
}

/**
 * Jekyll's writing order, last written last: pages, then the documents of each collection (the
 * posts first), each collection's oldest first and then by path. Two at one output path is only a
 * warning in Jekyll ("Conflict"), and the one written last is the file.
 */
function writingOrder(a: Post, b: Post, collections: readonly string[]): number {
  const rank = (post: Post) => (post.kind === 'post' ? 1 : post.collection === undefined ? -1 : collections.indexOf(post.collection) + 2);
  return rank(a) - rank(b) || (a.kind === 'page' && a.collection === undefined ? 0 : a.date.epochMs - b.date.epochMs) || compareCodeUnits(a.file, b.file);
}

/**
 * The posts and pages of a Jekyll site that share an output path with another, each with the one
 * Jekyll leaves there (the last it writes): a migrated site with a duplicate (`x.md` beside
 * `x.markdown`) builds as it did in Jekyll, instead of failing. `collections` is the site's
 * collections in order, which Jekyll writes in that order after the posts.
 */
export function overwrittenAsInJekyll(posts: readonly Post[], collections: readonly string[]): Overwritten[] {
  const byPath = new Map<string, Post[]>();
  for (const post of posts) {
    const at = pageOutputPathOf(post.url, contentOutputExtension(post));
    const sharing = byPath.get(at);
    if (sharing) sharing.push(post);
    else byPath.set(at, [post]);
  }
  const overwritten: Overwritten[] = [];
  for (const sharing of byPath.values()) {
    if (sharing.length < 2) continue;
    const order = [...sharing].sort((a, b) => writingOrder(a, b, collections));
    const last = order[order.length - 1]!;
    for (const post of order.slice(0, -1)) overwritten.push({ post, by: last });
  }
  return overwritten;
}
