import type { SiteConfig } from '../content/config.js';
import { Diagnostics, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ImagePlan } from '../pipeline/stages/images.js';
import { frontMatterLine, type Post, type ResolvedPost } from '../content/post.js';
import { lineOfYamlKey } from '../content/yaml.js';
import type { Memo } from '../incremental/memo.js';
import { stableKey, type StableKeys } from '../incremental/stable-keys.js';

/** What checking a post's photos found, kept while the photos stay the same (recap serve). */
export interface ImageCheck {
  social: string | undefined;
  /** The social image is a generated card (so the plan must still make it). */
  card: boolean;
  diagnostics: Diagnostic[];
}

/**
 * A post's social image: its photo's 1200×630 crop, a remote image as it is, or, for a post
 * without a photo, a generated card (planned here); undefined when its photo is missing. Known
 * from the post's front matter alone, so a page's key can name it before the body is read.
 */
export function socialImageOf(post: Pick<Post, 'data' | 'title' | 'file'>, plan: ImagePlan, config: SiteConfig): string | undefined {
  const image = post.data.image;
  if (!image) return plan.card(config.title, post.title, post.file).url;
  const local = plan.localPath(image);
  // A photo the build could not make responsive, but copies, is shared as it is.
  return local ? plan.get(local)?.social.url ?? (plan.copiesAsItIs(local) ? image : undefined) : image;
}

/**
 * Checks every photo a post references (front matter `image:` and Markdown images) and chooses
 * its social image (see socialImageOf) into `social`, by source file.
 */
export function checkImages(post: ResolvedPost, plan: ImagePlan, known: ReadonlySet<string>, config: SiteConfig, diagnostics: Diagnostics,
  remembered: { checks: Memo<ImageCheck>; keys: StableKeys } | undefined, social: Map<string, string>): void {
  const key = stableKey(remembered?.keys, post, [post.file, post.digest]);
  const seen = remembered?.checks.get(key);
  if (seen) {
    diagnostics.addAll(seen.diagnostics);
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
  }
  // A card stands in for a post without a photo, not for one whose photo is missing (that is a warning).
  const chosen = socialImageOf(post, plan, config);
  if (chosen) social.set(post.file, chosen);
  remembered?.checks.set(key, { social: chosen, card: !image, diagnostics: diagnostics.list.slice(before) });
}
