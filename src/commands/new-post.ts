import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Diagnostics, UserError } from '../diagnostics/diagnostics.js';
import { decodeUtf8, splitFrontMatter } from '../content/frontmatter.js';
import { pathSlug } from '../content/text.js';
import { postsFolderOf } from '../pipeline/stages/load.js';

/** Front-matter keys a new recap takes over from the newest one. */
const CARRIED = ['layout', 'location'] as const;

/** The newest post's front matter, or an empty one when the site has no post yet (or it cannot be read). */
function newestFrontMatter(folder: string): Record<string, unknown> {
  const newest = existsSync(folder) ? readdirSync(folder).filter((f) => /^\d{4}-\d{2}-\d{2}-.+\.(md|markdown)$/.test(f)).sort().at(-1) : undefined;
  if (!newest) return {};
  const decoded = decodeUtf8(readFileSync(path.join(folder, newest)));
  if (!decoded.ok) return {};
  return splitFrontMatter(decoded.text, newest, new Diagnostics())?.data ?? {};
}

function yamlValue(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * `recap new post`: writes `posts/YYYY-MM-DD-slug.md` (or into the folder the site's posts are
 * read from, a Jekyll site's `_posts`) with the newest post's layout, location and
 * tags (year tags moved to the new year) and a body that shows how a talk is linked. Refuses to
 * overwrite a file; returns the path written.
 */
export function createPost(siteDir: string, title: string, date: string, jekyll?: { collectionsDir: string }): string {
  const slug = pathSlug(title);
  if (!slug) throw new UserError({ code: 'R702', severity: 'error', file: siteDir, message: `"${title}" gives no file name`, hint: 'use a title with letters or numbers' });
  // Where the build reads posts (a Jekyll site's _posts, below its collections_dir when it sets one), else where it would
  // read them: a Jekyll site's _posts (posts/ below a collections_dir with no _posts yet, which the build reads as well).
  const folderName = postsFolderOf(siteDir, 'posts', jekyll, []) ?? (jekyll && !jekyll.collectionsDir ? '_posts' : 'posts');
  const folder = path.join(siteDir, folderName);
  const file = path.join(folder, `${date}-${slug}.md`);
  const previous = newestFrontMatter(folder);
  const year = date.slice(0, 4);
  const lines = [`title: ${yamlValue(title)}`, `description: ${yamlValue(`Talks, takeaways and photos from ${title}`)}`];
  for (const key of CARRIED) if (typeof previous[key] === 'string') lines.push(`${key}: ${yamlValue(previous[key])}`);
  const tags = Array.isArray(previous['tags']) ? previous['tags'].map((tag) => (/^\d{4}$/.test(String(tag)) ? year : String(tag))) : ['Meetup', year];
  if (!tags.includes(year)) tags.push(year);
  lines.push('tags:', ...[...new Set(tags)].map((tag) => `  - ${yamlValue(tag)}`));
  const body = `
Write a sentence or two about the evening here.

### Overview

Kicking off the evening, SPEAKER from ORGANISATION gave [TALK TITLE](https://www.youtube.com/watch?v=VIDEO_ID&t=538s) (starting at 8:58). The takeaways:

* First takeaway.
* Second takeaway.

And of course, our group photo! Save it as \`images/${date}-${slug}.jpeg\`, add
\`image: /images/${date}-${slug}.jpeg\` to the front matter, and show it here with
\`![The group, smiling at the camera](/images/${date}-${slug}.jpeg)\`.
`;
  mkdirSync(folder, { recursive: true });
  try {
    writeFileSync(file, `---\n${lines.join('\n')}\n---\n${body}`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new UserError({ code: 'R702', severity: 'error', file: path.relative(process.cwd(), file) || file, message: 'a post with this date and title exists already; nothing was written', hint: 'give another title, or --date' });
  }
  return file;
}
