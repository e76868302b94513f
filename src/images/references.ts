import type { SiteConfig } from '../content/config.js';
import { Diagnostics, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ImagePlan } from '../pipeline/stages/images.js';
import { frontMatterLine, type ResolvedPost } from '../content/post.js';
import { lineOfYamlKey } from '../content/yaml.js';
import type { Memo } from '../incremental/memo.js';

/** What checking a post's photos found, kept while the photos stay the same (recap serve). */
export interface ImageCheck {
  social: string | undefined;
  /** The social image is a generated card (so the plan must still make it). */
  card: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Checks every photo a post references (front matter `image:` and Markdown images) and chooses
 * its social image — its photo's 1200×630 crop, a remote image as it is, or a generated card —
 * into `social`, by source file.
 */
export function checkImages(post: ResolvedPost, plan: ImagePlan, known: ReadonlySet<string>, config: SiteConfig, diagnostics: Diagnostics,
  remembered: Memo<ImageCheck> | undefined, social: Map<string, string>): void {
  const key = `${post.file}\0${post.digest}`;
  const seen = remembered?.get(key);
  if (seen) {
    diagnostics.list.push(...seen.diagnostics);
    if (seen.social) social.set(post.file, seen.social);
    if (seen.card) plan.card(config.title, post.title, post.file);
    return;
  }
  const before = diagnostics.list.length;
  for (const image of post.body.images) plan.checkReference(image.src, post.file, () => ({ line: image.line }), known, diagnostics);
  const image = post.data.image;
  if (image) {
    plan.checkReference(image, post.file, () => {
      const at = lineOfYamlKey(post.matterText, ['image']);
      return at ? { line: frontMatterLine(at.line), column: at.column } : {};
    }, known, diagnostics);
    const local = plan.localPath(image);
    const planned = local ? plan.get(local) : undefined;
    if (planned) social.set(post.file, planned.social.url);
    else if (!local) social.set(post.file, image);
  }
  // A card stands in for a post without a photo, not for one whose photo is missing (that is a warning).
  const card = !social.has(post.file) && !image;
  if (card) social.set(post.file, plan.card(config.title, post.title, post.file).url);
  remembered?.set(key, { social: social.get(post.file), card, diagnostics: diagnostics.list.slice(before) });
}
