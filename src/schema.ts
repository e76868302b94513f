import { z } from 'zod';

const text = z.union([z.string(), z.number()]).transform(String);

/** Jekyll accepts YAML 1.1 booleans (`yes`, `off`, ...); so do we for the flags posts use. */
const flag = z.union([
  z.boolean(),
  z.enum(['yes', 'no', 'on', 'off', 'true', 'false', 'Yes', 'No', 'True', 'False']).transform((v) => ['yes', 'on', 'true'].includes(v.toLowerCase())),
]);

/** A list of words: a YAML list, or (as in Jekyll) one string split on white space; numbers become strings. */
const wordList = z
  .union([z.array(z.union([z.string(), z.number()])), z.string(), z.number(), z.null()])
  .transform((v) => {
    if (v === null) return [];
    if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
    return String(v).split(/\s+/).filter(Boolean);
  });

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const talkEntry = z.object({
  title: text,
  speaker: text.optional(),
  affiliation: text.optional(),
  url: z.string().optional(),
  start: z.union([z.string(), z.number()]).optional(),
  slides: z.string().optional(),
});

/** Front-matter keys Recap understands; any other key passes through to templates untouched. */
export const frontMatterSchema = z.looseObject({
  title: text.pipe(z.string().trim().min(1, 'title must not be empty')),
  description: text.optional(),
  date: z.union([z.string(), z.number()]).transform(String).optional(),
  layout: z.string().regex(/^[A-Za-z0-9_-]+$/, 'layout must be a template name such as "post"').optional(),
  location: text.optional(),
  image: z.string().optional(),
  video: z.string().optional(),
  tags: wordList.optional(),
  categories: wordList.optional(),
  category: text.optional(),
  published: flag.optional(),
  redirect_from: stringList.optional(),
  redirect_to: z.string().optional(),
  slides: z.string().optional(),
  hide_image: flag.optional(),
  permalink: z.string().optional(),
  slug: text.optional(),
  talks: z.array(talkEntry).optional(),
  last_modified_at: z.union([z.string(), z.number()]).transform(String).optional(),
});

/** Validated front matter. */
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** Explains a schema failure in words a post author understands. */
export function describeIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>): string {
  const key = issue.path.map(String).join('.');
  if (issue.path.length === 1 && data[String(issue.path[0])] === undefined) return `missing required key "${key}"`;
  if (issue.code === 'invalid_union') return `"${key}" has the wrong type`;
  return `"${key}": ${issue.message}`;
}
