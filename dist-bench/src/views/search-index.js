import { isoDay } from '../content/dates.js';
/** The search data of the listed posts (newest first), every URL already an href. */
export function searchData(views, helpers) {
    const data = { posts: [], speakers: [], talks: [] };
    const speakerIndex = new Map();
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
                data.speakers[index][2]++;
                return index;
            });
            data.talks.push([talk.title, speakers, postIndex, talk.url, talk.clock]);
        }
    });
    return data;
}
