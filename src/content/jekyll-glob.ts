/**
 * A Jekyll path pattern (`_posts/2020-*`, `docs/**`) as a test of a site path: true for a path the
 * pattern names and for everything below it. `*` stands for any part of one name, `**` for any
 * run of folders; every other character is itself.
 */
export function jekyllGlob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${escaped}(/|$)`);
}
