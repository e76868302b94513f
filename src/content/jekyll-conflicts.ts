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
 * `x.markdown`) builds as it did in Jekyll, instead of failing. Two at one address but different
 * files (`/none` as `none.html` and `none.xhtml`, both written by Jekyll) share it the same way:
 * Recap publishes one output an address. `collections` is the site's collections in order, which
 * Jekyll writes in that order after the posts.
 */
export function overwrittenAsInJekyll(posts: readonly Post[], collections: readonly string[]): Overwritten[] {
  const overwritten: Overwritten[] = [];
  const byPath = lastWritten(posts, (post) => pageOutputPathOf(post.url, contentOutputExtension(post)), collections, overwritten);
  lastWritten(byPath, (post) => post.url, collections, overwritten);
  return overwritten;
}

/** The posts that are each the last Jekyll writes among those sharing a key; the others go to `overwritten`. */
function lastWritten(posts: readonly Post[], keyOf: (post: Post) => string, collections: readonly string[], overwritten: Overwritten[]): Post[] {
  const byKey = new Map<string, Post[]>();
  for (const post of posts) {
    const key = keyOf(post);
    const sharing = byKey.get(key);
    if (sharing) sharing.push(post);
    else byKey.set(key, [post]);
  }
  const winners: Post[] = [];
  for (const sharing of byKey.values()) {
    const order = [...sharing].sort((a, b) => writingOrder(a, b, collections));
    const last = order[order.length - 1]!;
    for (const post of order.slice(0, -1)) overwritten.push({ post, by: last });
    winners.push(last);
  }
  return winners;
}
