import type { SiteConfig } from '../../content/config.js';
import type { EventView } from '../../content/events.js';
import type { ResolvedPost } from '../../content/post.js';
import { SpeakerDirectory, type SpeakerProfile } from '../../content/speakers.js';
import { Diagnostics, type Diagnostic } from '../../diagnostics/diagnostics.js';
import { utf8Bytes } from '../../output/utf8.js';
import { contentFingerprint } from '../../output/write.js';
import { createRenderer } from '../../views/renderer.js';
import { createHelpers, TagRefs, type NavItem, type PostView } from '../../views/views.js';
import { PlannedPhotos, type PlannedImage } from '../stages/images.js';
import { renderPost, ViewMemo, type Neighbours, type RenderContext } from '../stages/render.js';

/** What a worker needs to render post pages as the main thread does: the theme, and this build's site as the theme stage made it. */
export interface ThemeSettings {
  templatesDir: string | undefined;
  /** Each theme asset's hashed URL, by name. */
  assetUrls: Array<[string, string]>;
  /** Every photo's plan (ImagePlan.catalog()). */
  photos: PlannedImage[];
  nav: NavItem[];
  site: Record<string, unknown>;
  speakers: { profiles: readonly SpeakerProfile[]; digest: string };
  /** Whether views get tokens (a build that keeps pages for the next compares them). */
  tokenize: boolean;
}

/** What a post's page is rendered with beside its body, as the main thread decided it: its neighbours, its event as it stands at this build, its social image. */
export interface PageRequest {
  neighbours: Neighbours;
  event: EventView | undefined;
  socialImage: string | undefined;
}

/**
 * A post's page rendered by a worker: its bytes (undefined where the template failed) and their
 * fingerprint, the post's view and token, and what rendering reported — but for missing layouts,
 * which the main thread reports for every post, whoever renders it.
 */
export interface WorkerPage {
  content: Uint8Array<ArrayBuffer> | undefined;
  fingerprint: string;
  view: PostView;
  token: string;
  diagnostics: Diagnostic[];
}

/** The code of the report a missing layout makes (see layoutTemplate). */
const MISSING_LAYOUT = 'R502';

/** A worker thread's renderer of post pages: the same templates, helpers and views as the main thread's, so the same bytes. */
export class WorkerPages {
  private readonly context: RenderContext;

  constructor(config: SiteConfig, theme: ThemeSettings) {
    const renderer = createRenderer(theme.templatesDir, config);
    const helpers = createHelpers(config, new Map(theme.assetUrls), new PlannedPhotos(theme.photos, config), theme.nav);
    renderer.bind(helpers, undefined);
    this.context = {
      config, site: theme.site, siteKey: '', renderer, helpers, socialImages: new Map<string, string>(), views: new ViewMemo(undefined, undefined, theme.tokenize),
      speakers: new SpeakerDirectory(theme.speakers.profiles, theme.speakers.digest), tags: new TagRefs(), unknownLayouts: new Set(), postKeys: new Map(),
    };
  }

  /** A post's page, in bytes of their own (handed to the main thread, then to the writing thread, never copied). */
  render(post: ResolvedPost, request: PageRequest): WorkerPage {
    const socialImages = new Map(request.socialImage === undefined ? [] : [[post.file, request.socialImage]]);
    const diagnostics = new Diagnostics();
    const { view, token, page } = renderPost(post, request.neighbours, request.event, { ...this.context, socialImages }, diagnostics);
    const content = page === undefined ? undefined : ownBytes(utf8Bytes(page));
    return { content, fingerprint: content ? contentFingerprint(Buffer.from(content.buffer)) : '', view, token, diagnostics: diagnostics.list.filter((d) => d.code !== MISSING_LAYOUT) };
  }
}

/** Bytes in an ArrayBuffer of their own, which can be handed over whole (a small Buffer shares a pool). */
function ownBytes(bytes: Buffer): Uint8Array<ArrayBuffer> {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer)) return new Uint8Array(bytes.buffer as ArrayBuffer);
  return new Uint8Array(bytes);
}
