import type { TemplateHelpers } from './renderer.js';
import { isoDay } from '../content/dates.js';
import type { PostView } from './views.js';

/**
 * What the search page loads on first use: posts, speakers and talks as compact arrays (the
 * browser builds the MiniSearch index from them), so a 4000-post site's file stays small.
 * posts: [title, href, YYYY-MM-DD, tags]; speakers: [name, href, talks]; talks: [title, [speaker
 * indexes], post index, moment URL, clock].
 */
export interface SearchData {
  posts: Array<[string, string, string, string]>;
  speakers: Array<[string, string, number]>;
  talks: Array<[string, number[], number, string, string]>;
}

/** The search data of the listed posts (newest first), every URL already an href. */
export function searchData(views: readonly PostView[], helpers: TemplateHelpers): SearchData {
  const data: SearchData = { posts: [], speakers: [], talks: [] };
  const speakerIndex = new Map<string, number>();
  views.forEach((view, postIndex) => {
    data.posts.push([view.title, helpers.url(view.url), isoDay(view.date), view.tags.map((t) => t.name).join(' ')]);
    for (const talk of view.talks) {
      const speakers = talk.speakers.map((ref) => {
        let index = speakerIndex.get(ref.slug);
        if (index === undefined) {
          index = data.speakers.length;
          speakerIndex.set(ref.slug, index);
          data.speakers.push([ref.name, helpers.url(ref.url), 0]);
        }
        data.speakers[index]![2]++;
        return index;
      });
      data.talks.push([talk.title, speakers, postIndex, talk.url, talk.clock]);
    }
  });
  return data;
}
