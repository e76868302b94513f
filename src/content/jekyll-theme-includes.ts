import { Diagnostics, positionIn } from '../diagnostics/diagnostics.js';
import type { Post } from './post.js';

/**
 * What a post may ask of its theme's includes (Minimal Mistakes' `video`, `figure`, `gallery` and `toc`,
 * Chirpy's `embed/youtube.html`, `embed/video.html` and `embed/audio.html`) where the site names a
 * gem theme but lacks them: a YouTube iframe (which the resolve stage makes the click-to-play
 * facade), a figure, a gallery of the photos the front matter lists (`gallery:`, or the key
 * `id` names), the page's table of contents (kramdown's, as the theme's is), a video and an audio
 * player. Every value is escaped.
 */
const THEME_INCLUDES: Readonly<Record<string, string>> = {
  'toc': '\n\n* Table of contents\n{:toc}\n\n',
  'gallery': '{% if include.id %}{% assign recap_gallery = page[include.id] %}{% else %}{% assign recap_gallery = page.gallery %}{% endif %}<figure class="gallery">{% for photo in recap_gallery %}{% if photo.url %}<a href="{{ photo.url | relative_url | escape }}">{% endif %}<img src="{{ photo.image_path | relative_url | escape }}" alt="{{ photo.alt | escape }}" sizes="(min-width: 44rem) 14rem, 50vw" loading="lazy" decoding="async">{% if photo.url %}</a>{% endif %}{% endfor %}{% if include.caption %}<figcaption>{{ include.caption | markdownify }}</figcaption>{% endif %}</figure>',
  'embed/video.html': '<video controls src="{{ include.src | relative_url | escape }}"{% if include.poster %} poster="{{ include.poster | relative_url | escape }}"{% endif %}{% if include.title %} title="{{ include.title | escape }}"{% endif %}></video>',
  'embed/audio.html': '<audio controls src="{{ include.src | relative_url | escape }}"{% if include.title %} title="{{ include.title | escape }}"{% endif %}></audio>',
  'video': '{% if include.provider == "youtube" %}<iframe src="https://www.youtube-nocookie.com/embed/{{ include.id | url_encode }}" title="{{ include.title | default: "YouTube video" | escape }}" allowfullscreen></iframe>{% endif %}',
  'embed/youtube.html': '<iframe src="https://www.youtube-nocookie.com/embed/{{ include.id | url_encode }}" title="YouTube video" allowfullscreen></iframe>',
  'figure': '<figure><img src="{{ include.image_path | relative_url | escape }}" alt="{{ include.alt | escape }}">{% if include.caption %}<figcaption>{{ include.caption | markdownify }}</figcaption>{% endif %}</figure>',
};

/** An `{% include NAME %}` (or `include_cached`) in a body, for the name. */
export const INCLUDE_TAG = /\{%-?\s*include(?:_cached)?\s+([^\s%}]+)/g;

/** The includes Liquid may read, and how a post is told of those its site lacks. */
export interface IncludeTable {
  /** Includes by name, with no prototype (so `{% include constructor %}` names no file); on a site with a gem theme, its includes too. */
  templates: Record<string, string>;
  /** Warns at each include a post names that the site lacks but its theme may have (each once a post, the same whichever post came first). */
  reportMissing(post: Post, body: string, diagnostics: Diagnostics): void;
}

/**
 * A site's `_includes/` as Liquid reads them. A site with a gem theme (`theme` names it) has the
 * theme's includes too, which Recap lacks: THEME_INCLUDES stand in for some, the rest are empty.
 */
export function includeTable(includes: Readonly<Record<string, string>>, theme: string | undefined): IncludeTable {
  const own: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, includes);
  if (theme === undefined) return { templates: own, reportMissing: () => undefined };
  const templates = new Proxy(own, {
    get: (table, name) => (typeof name !== 'string' ? undefined : Object.hasOwn(table, name) ? table[name] : Object.hasOwn(THEME_INCLUDES, name) ? THEME_INCLUDES[name] : ''),
  });
  const reportMissing = (post: Post, body: string, diagnostics: Diagnostics): void => {
    const told = new Set<string>();
    for (const use of body.matchAll(INCLUDE_TAG)) {
      const name = use[1]!;
      if (Object.hasOwn(own, name) || Object.hasOwn(THEME_INCLUDES, name) || told.has(name) || name.includes('{')) continue;
      told.add(name);
      const { line, column } = positionIn(body, use.index);
      diagnostics.warning('R314', post.file, post.bodyLine + line - 1, column,
        `Liquid: {% include ${name} %} is not in _includes/ (${theme}'s?): left out`, `Recap does not read the theme's files: copy ${name} into _includes/ to keep what it makes`);
    }
  };
  return { templates, reportMissing };
}
