import type { ChangeKind } from '../preview/watch.js';
import type { Cached } from './post-cache.js';
import { PostCache } from './post-cache.js';
import type { CollectedPage, KeptSection } from '../pipeline/stages/collect.js';
import type { SourceFile } from '../pipeline/stages/load.js';
import type { BodyNames, Post, ResolvedPost } from '../content/post.js';
import type { MarkdownEngine } from '../content/markdown.js';
import type { PostViews, RenderedPost } from '../pipeline/stages/render.js';
import type { TemplateRenderer } from '../views/renderer.js';
import type { ImageCheck } from '../images/references.js';
import type { SassOutcome } from '../content/sass.js';
import { Memo } from './memo.js';
import { StableKeys } from './stable-keys.js';

/** What recap serve keeps between rebuilds, so that a change re-does only what depends on it. */
export interface BuildMemory {
  /** Parsed posts and resolved bodies, by content. */
  posts: PostCache;
  /** Source files read before, by absolute path. */
  sources: Map<string, SourceFile>;
  /** Absolute paths the watcher saw change since the last build: only these are read again. */
  changed: Set<string>;
  /** Rendered templates by name and context. */
  pages: Memo<string>;
  /** Template views of posts, by what decides them, reused while their post is unchanged. */
  views: Memo<PostViews>;
  /**
   * UTF-8 bytes of rendered pages, by what holds the page (a rendered post or a collected list
   * page): the render and list memos hand back the very same holder, page and all, while its
   * inputs are unchanged. Not by the page's text: looking up a page made afresh would hash all of
   * it (a 200 KB speaker page: ~1 ms) only to miss.
   */
  bytes: WeakMap<object, Buffer>;
  /** Collected list pages by section and inputs. */
  lists: Memo<CollectedPage[]>;
  /** Sections of list pages kept whole (their parts' keys in `lists`), by the cards they show. */
  sections: Memo<KeptSection>;
  /** The talks page's sections and `/talks.json`'s records by meetup, by what each shows. */
  byMeetup: Memo<Buffer>;
  /** Tokens standing for view objects in render memo keys. */
  tokens: WeakMap<object, string>;
  /** Resolved posts (the same objects from build to build) by their body's key, URL and date. */
  resolved: Memo<Cached<ResolvedPost>>;
  /** Rendered posts by their post, neighbours, social image, site and event phase. */
  rendered: Memo<RenderedPost>;
  /** The template renderer with its compiled templates, kept until a template changes. */
  renderer?: TemplateRenderer;
  /** Photo checks by post file and content, kept until a photo or static file changes. */
  imageChecks: Memo<ImageCheck>;
  /** A Jekyll site's compiled stylesheets, by their text after Liquid, their settings and every Sass file they may load. */
  stylesheets: Memo<SassOutcome>;
  /** The memo keys of unchanged sources and posts, the same strings build after build. */
  keys: MemoKeys;
  /** What each parsed post's body names besides itself, read once per post. */
  bodyNames: WeakMap<Post, BodyNames>;
  /** The Markdown engine, and the settings it was made with. */
  markdown?: { settings: string; engine: MarkdownEngine };
}

/** Memo keys held by what they are the keys of (see StableKeys), one kind of key each. */
export interface MemoKeys {
  /** A source file's parse, in the post cache. */
  parse: StableKeys;
  /** A parsed post's body, in the post cache. */
  body: StableKeys;
  /** A parsed post's resolved post (`resolved`). */
  resolved: StableKeys;
  /** A resolved post's page (`rendered`). */
  page: StableKeys;
  /** A post's photo check (`imageChecks`). */
  imageCheck: StableKeys;
  /** A rendered post's section of the talks page (`byMeetup`). */
  meetupHtml: StableKeys;
  /** A rendered post's records in /talks.json (`byMeetup`). */
  meetupJson: StableKeys;
}

/** How far back a change reaches in what the memory keeps. */
export type Reach = 'nothing' | 'rendered' | 'posts';

/**
 * What each kind of change forgets (Zola's ChangeKind and the match over it in its serve command
 * are the model). A post's own change needs nothing forgotten: the watcher's changed set makes its
 * file a new source object, and every key downstream changes with it. speakers.yml (data) reaches
 * pages only through keys that carry its digest. Templates, photos and static files reach pages
 * through helpers no key sees; settings reach the parse and resolve stages too.
 */
export const CHANGE_REACH: Readonly<Record<ChangeKind, Reach>> = {
  post: 'nothing',
  data: 'nothing',
  template: 'rendered',
  image: 'rendered',
  static: 'rendered',
  config: 'posts',
  style: 'nothing',
};

/** Forgets what a burst of changes of these kinds reaches: the farthest reach among them. */
export function forgetChanged(memory: BuildMemory, kinds: ReadonlySet<ChangeKind>): void {
  const reaches = [...kinds].map((kind) => CHANGE_REACH[kind]);
  if (reaches.includes('posts')) forgetRendered(memory, true);
  else if (reaches.includes('rendered')) forgetRendered(memory, false);
}

/**
 * Forgets every rendered page and view: templates, photos, static files and settings reach pages
 * through helpers that no memo key sees, so after such a change everything renders again. After
 * a settings change, resolved posts are forgotten too: their keys do not hold every setting the
 * parse reads (the post cache, keyed by content and settings, stays).
 */
function forgetRendered(memory: BuildMemory, settingsChanged: boolean): void {
  memory.pages = new Memo();
  memory.views = new Memo();
  memory.bytes = new WeakMap();
  memory.lists = new Memo();
  memory.sections = new Memo();
  memory.byMeetup = new Memo();
  memory.tokens = new WeakMap();
  memory.rendered = new Memo();
  memory.renderer = undefined;
  memory.imageChecks = new Memo();
  if (settingsChanged) memory.resolved = new Memo();
}

/** A fresh memory for a series of builds of one site. */
export async function createBuildMemory(): Promise<BuildMemory> {
  return {
    posts: await PostCache.open(undefined, { rawHtml: true }),
    sources: new Map(),
    changed: new Set(),
    pages: new Memo(),
    views: new Memo(),
    bytes: new WeakMap(),
    lists: new Memo(),
    sections: new Memo(),
    byMeetup: new Memo(),
    tokens: new WeakMap(),
    resolved: new Memo(),
    rendered: new Memo(),
    imageChecks: new Memo(),
    stylesheets: new Memo(),
    keys: {
      parse: new StableKeys(), body: new StableKeys(), resolved: new StableKeys(), page: new StableKeys(), imageCheck: new StableKeys(),
      meetupHtml: new StableKeys(), meetupJson: new StableKeys(),
    },
    bodyNames: new WeakMap(),
  };
}

