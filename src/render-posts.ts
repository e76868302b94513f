import type { SiteConfig } from './config.js';
import { Diagnostics } from './diagnostics.js';
import type { ResolvedPost } from './post.js';
import type { TemplateHelpers, TemplateRenderer } from './render.js';
import { lineOfYamlKey } from './yaml.js';
import { frontMatterLine } from './post.js';
import { postMeta, postView, type PostView } from './views.js';

/** A post rendered: its view and its full page. */
export interface RenderedPost {
  post: ResolvedPost;
  view: PostView;
  /** The whole page, or undefined when the template failed (reported). */
  page: string | undefined;
}

/** Everything the render stage shares across posts. */
export interface RenderContext {
  config: SiteConfig;
  site: Record<string, unknown>;
  renderer: TemplateRenderer;
  helpers: TemplateHelpers;
  /** Each post's social image URL, by source file. */
  socialImages: ReadonlyMap<string, string>;
}

/** An `<img>` the resolve stage rendered from Markdown, marked with its index in the post's images. */
const IMAGE_MARKER = /<img src="[^"]*" alt="[^"]*"(?: title="[^"]*")? data-recap-image="(\d+)">/g;

/** Replaces each Markdown image of the body with the theme's responsive picture (partials/body-image.njk). */
function withPictures(post: ResolvedPost, context: RenderContext, diagnostics: Diagnostics): string {
  if (post.body.images.length === 0) return post.body.html;
  return post.body.html.replace(IMAGE_MARKER, (tag, index: string) => {
    const image = post.body.images[Number(index)];
    if (!image) return tag;
    return context.renderer.render('partials/body-image.njk', { site: context.site, image }, diagnostics)?.trim() ?? tag;
  });
}

function layoutTemplate(post: ResolvedPost, renderer: TemplateRenderer, diagnostics: Diagnostics): string {
  const name = `${post.layout}.njk`;
  if (renderer.has(name)) return name;
  const at = lineOfYamlKey(post.matterText, ['layout']);
  diagnostics.warning(post.file, at ? frontMatterLine(at.line) : undefined, at?.column,
    `no layout named "${post.layout}"; using "post"`, `layouts available: ${renderer.layouts().join(', ')}`);
  return 'post.njk';
}

/** Title and URL of a neighbouring post, for "newer" and "older" links. */
export interface Neighbour {
  title: string;
  url: string;
}

/** Render stage for one post: its body HTML in the post's Nunjucks layout. */
export function renderPost(post: ResolvedPost, neighbours: { next?: Neighbour; previous?: Neighbour }, context: RenderContext, diagnostics: Diagnostics): RenderedPost {
  const view = postView(post, context.socialImages.get(post.file));
  const page = context.renderer.render(layoutTemplate(post, context.renderer, diagnostics), {
    site: context.site,
    meta: postMeta(view, context.config, context.helpers),
    post: view,
    content: withPictures(post, context, diagnostics),
    next: neighbours.next,
    previous: neighbours.previous,
  }, diagnostics);
  return { post, view, page };
}
