/**
 * A Jekyll path pattern (`_posts/2020-*`, `docs/**`) as a test of a site path: true for a path the
 * pattern names and for everything below it. `*` stands for any part of one name, a `**` part for
 * any run of folders; every other character is itself. Matching takes time bounded by the lengths
 * of the pattern and the path (no regular expression that can backtrack without end): patterns
 * come from settings, which are untrusted, and must never stall a build.
 */
export function jekyllGlob(pattern: string): (sitePath: string) => boolean {
  const parts = pattern.split('/');
  return (sitePath) => {
    const names = sitePath.split('/');
    for (let length = 1; length <= names.length; length++) if (matchesInOrder(parts, names.slice(0, length), '**', matchesName)) return true;
    return false;
  };
}

/**
 * An `exclude:` or `include:` pattern with wildcards as Jekyll tests a site path with it (Ruby's
 * `File.fnmatch?` without flags): `*` stands for any run of characters, `/` too, and `?` for any
 * one, over the whole path, so `*.txt` leaves out `assets/notes/a.txt` and `vendor/*` everything
 * below `vendor`. Bounded in time as jekyllGlob is.
 */
export function jekyllExcludeGlob(pattern: string): (sitePath: string) => boolean {
  const tokens = [...pattern.replace(/\*+/g, '*')];
  return (sitePath) => matchesInOrder(tokens, [...sitePath], '*', (token, char) => token === '?' || token === char);
}

/** True when a name (one part of a path) fits one part of a pattern, where `*` stands for any run of characters. */
function matchesName(part: string, name: string): boolean {
  return matchesInOrder([...part.replace(/\*+/g, '*')], [...name], '*', (a, b) => a === b);
}

/**
 * The classic wildcard match, with one place to go back to: tokens of `pattern` fit the items of
 * `items` in order, `star` standing for any run of items. Linear in practice, and never worse than
 * the product of the two lengths.
 */
function matchesInOrder<T>(pattern: readonly T[], items: readonly T[], star: T, fits: (token: T, item: T) => boolean): boolean {
  let p = 0;
  let i = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (i < items.length) {
    if (p < pattern.length && pattern[p] === star) {
      starAt = p++;
      resumeAt = i;
    } else if (p < pattern.length && fits(pattern[p]!, items[i]!)) {
      p++;
      i++;
    } else if (starAt !== -1) {
      p = starAt + 1;
      i = ++resumeAt;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === star) p++;
  return p === pattern.length;
}
