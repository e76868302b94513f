import path from 'node:path';
import type { SiteConfig } from './config.js';
import { parseSiteDate, type SiteDate } from './dates.js';
import { Diagnostics } from './diagnostics.js';
import { decodeUtf8, splitFrontMatter } from './frontmatter.js';
import type { SourceFile } from './load.js';
import { isUnsafeUrl } from './urls.js';
import { expandPermalink, unsafeUrlPathReason } from './permalink.js';
import { frontMatterLine, type Post } from './post.js';
import { describeIssue, frontMatterSchema, type FrontMatter } from './schema.js';
import { lineOfYamlKey } from './yaml.js';

const POST_NAME = /^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$/;
const URL_KEYS = ['image', 'video', 'slides', 'redirect_to'] as const;

/** Everything the parse stage needs besides the file itself. */
export interface ParseContext {
  config: SiteConfig;
  /** Date given to drafts whose file name and front matter carry none. */
  now: SiteDate;
}

function keyPosition(matterText: string, keyPath: ReadonlyArray<PropertyKey>): { line?: number; column?: number } {
  const at = lineOfYamlKey(matterText, keyPath);
  return at ? { line: frontMatterLine(at.line), column: at.column } : { line: 2, column: 1 };
}

function validate(data: Record<string, unknown>, file: string, matterText: string, diagnostics: Diagnostics): FrontMatter | undefined {
  const result = frontMatterSchema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = keyPosition(matterText, issue.path);
    const key = String(issue.path[0] ?? '');
    const hint = key === 'title' ? 'every post needs a title, e.g. title: "Cloud Native London, March 2024"' : undefined;
    diagnostics.error(file, at.line, at.column, `front matter ${describeIssue(issue, data)}`, hint);
  }
  return undefined;
}

/** Drops front-matter URLs that would run script in a visitor's browser. */
function dropUnsafeUrls(data: FrontMatter, file: string, matterText: string, diagnostics: Diagnostics): void {
  for (const key of URL_KEYS) {
    const value = data[key];
    if (value !== undefined && isUnsafeUrl(value)) {
      const at = keyPosition(matterText, [key]);
      diagnostics.error(file, at.line, at.column, `front matter "${key}" is a script or data URL`, 'use an http(s) address or a path such as /images/photo.jpeg');
      delete data[key];
    }
  }
}

/** Parse stage: one source file to a Post (front matter validated, date and URL decided), or undefined with diagnostics. */
export function parsePost(source: SourceFile, context: ParseContext, diagnostics: Diagnostics): Post | undefined {
  const file = source.path;
  const id = path.posix.basename(file).replace(/\.(md|markdown)$/i, '');
  const nameMatch = POST_NAME.exec(id);
  if (!nameMatch && !source.draft) {
    diagnostics.warning(file, undefined, undefined, 'skipped: a post file name must start with its date',
      'name it YYYY-MM-DD-slug.md, e.g. 2024-03-06-cloud-native-london.md');
    return undefined;
  }
  const decoded = decodeUtf8(source.bytes);
  if (!decoded.ok) {
    diagnostics.error(file, decoded.line, undefined, 'the file is not valid UTF-8 text', 'save it as UTF-8 in your editor');
    return undefined;
  }
  const split = splitFrontMatter(decoded.text, file, diagnostics);
  if (!split) return undefined;
  const data = validate(split.data, file, split.matterText, diagnostics);
  if (!data) return undefined;
  dropUnsafeUrls(data, file, split.matterText, diagnostics);

  const { config } = context;
  let date: SiteDate | undefined;
  if (data.date !== undefined) {
    const parsed = parseSiteDate(data.date, config.timezone);
    if (!parsed.ok) {
      const at = keyPosition(split.matterText, ['date']);
      diagnostics.error(file, at.line, at.column, `front matter date: ${parsed.reason}`);
      return undefined;
    }
    date = parsed.date;
  } else if (nameMatch) {
    const parsed = parseSiteDate(`${nameMatch[1]}-${nameMatch[2]}-${nameMatch[3]}`, config.timezone);
    if (!parsed.ok) {
      diagnostics.error(file, undefined, undefined, `file name date: ${parsed.reason}`, 'rename the file with a real date');
      return undefined;
    }
    date = parsed.date;
  } else {
    date = context.now;
  }

  const slug = nameMatch ? nameMatch[4]! : id;
  const categories = [...(data.categories ?? []), ...(data.category ? [data.category] : [])];
  const url = expandPermalink(data.permalink ?? config.permalink, {
    date,
    title: data.slug ?? slug,
    slug: data.slug ?? slug,
    categories,
  });
  const unsafe = unsafeUrlPathReason(url);
  if (unsafe) {
    const at = keyPosition(split.matterText, ['permalink']);
    diagnostics.error(file, at.line, at.column, `permalink "${url}" cannot be an output path: ${unsafe}`);
    return undefined;
  }
  return {
    file,
    digest: source.digest,
    id,
    draft: source.draft,
    data,
    matterText: split.matterText,
    title: data.title,
    description: data.description ?? '',
    date,
    url,
    tags: dedupe(data.tags ?? []),
    categories,
    layout: data.layout ?? 'post',
    body: split.body,
    bodyLine: split.bodyLine,
  };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
