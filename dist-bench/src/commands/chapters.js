import { formatClock } from '../talks/youtube.js';
const MIN_CHAPTERS = 3;
const MIN_GAP_SECONDS = 10;
/**
 * Chapters for a video's description: `0:00 Welcome` (so the first chapter is at 0:00, as YouTube
 * requires), then each talk in that video by start.
 */
export function chaptersFor(talks, videoId) {
    const inVideo = talks.filter((t) => t.videoId === videoId).sort((a, b) => a.start - b.start);
    const entries = inVideo[0]?.start === 0 ? [] : [{ start: 0, title: 'Welcome' }];
    for (const talk of inVideo)
        entries.push({ start: talk.start, title: talk.speaker ? `${talk.title} (${talk.speaker})` : talk.title });
    const problems = [];
    if (entries.length < MIN_CHAPTERS) {
        problems.push(`YouTube needs at least ${MIN_CHAPTERS} chapters; this video has ${entries.length}`);
    }
    for (let i = 1; i < entries.length; i++) {
        const gap = entries[i].start - entries[i - 1].start;
        if (gap < MIN_GAP_SECONDS) {
            problems.push(`chapters "${entries[i - 1].title}" and "${entries[i].title}" are ${gap} s apart; YouTube needs at least ${MIN_GAP_SECONDS} s`);
        }
    }
    return { lines: entries.map((e) => `${formatClock(e.start)} ${e.title}`), problems };
}
