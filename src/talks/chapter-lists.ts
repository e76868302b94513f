import { linkLeadingTexts, type LeadingLink, type MarkdownToken } from '../content/markdown.js';
import { namedTalk } from './surroundings.js';
import type { Talk } from './talks.js';
import { canonicalVideoUrl, embedVideoUrl, parseClock, resolveVideoUrl, type VideoLink } from './youtube.js';
import { NEARBY, textOf } from './wording.js';

/**
 * A line that starts with a moment of the recording, as YouTube chapters are written: "0:00
 * Welcome", "8:58 – Webhooks at scale (Ann Lee)", "[43:26] Queues without tears". The first group
 * is what becomes the link: the time with its brackets.
 */
const ENTRY = /^([[(]?(\d{1,2}:\d{2}(?::\d{2})?)[\])]?)(?:\s*[-–—:|.)]\s*|\s+)(?=\S)/u;

/**
 * A line of Markdown source that starts with a moment only a recording has: 0:00, as a chapter
 * list's first line does, or a time no clock shows (`40:45`, `1:05:00`), as a list of where a
 * livestream's talks start does ("[7:20] Sara Gerion – Failure modes", "[40:45] ...").
 */
const RECORDING_TIME = /(?:^|\n)[[(]?(?:0?0:00|0:00:00|(?:2[4-9]|[3-9]\d):\d{2}|\d{1,2}:\d{2}:\d{2})(?!\d)/;

/** The fewest lines YouTube takes as chapters; its first chapter starts at 0:00. */
const FEWEST_CHAPTERS = 3;

/** A time as a clock of the day writes it: hours to 23, then minutes (`18:30`), which a schedule's line starts with. */
const TIME_OF_DAY = /^(?:[01]?\d|2[0-3]):[0-5]\d$/;

/** One line of a chapter list. */
interface Entry {
  inline: MarkdownToken;
  /** The index of the line's first child, the text that starts with the time. */
  child: number;
  /** How many characters of that text are the time (with its brackets). */
  timeLength: number;
  start: number;
  /** The line after the time. */
  rest: string;
  /** 1-based line of the post file. */
  line: number;
  /** The line already links the recording itself: the author made it a talk link. */
  linksVideo: boolean;
  /** Its time could be a time of day (`18:30`), as a schedule's is, not only a moment of a recording (`40:45`). */
  timeOfDay: boolean;
}

/** The line from children[from] to children[to] (exclusive) as a chapter entry, if it starts with a time. */
function entryOf(inline: MarkdownToken, from: number, to: number, line: number): Entry | undefined {
  const children = inline.children ?? [];
  const first = children[from];
  const m = first?.type === 'text' ? ENTRY.exec(first.content) : null;
  const start = m ? parseClock(m[2]!) : undefined;
  if (!m || start === undefined) return undefined;
  const lineTokens = children.slice(from, to);
  return {
    inline, child: from, timeLength: m[1]!.length, start, line,
    rest: textOf(lineTokens).slice(m[0].length, m[0].length + NEARBY),
    linksVideo: lineTokens.some((t) => t.type === 'link_open' && resolveVideoUrl(String(t.attrGet('href') ?? '')) !== undefined),
    timeOfDay: TIME_OF_DAY.test(m[2]!),
  };
}

/** Every line of the body in order: an entry, or undefined for a line that is not one (which ends a list). */
function linesOf(tokens: MarkdownToken[], bodyLine: number): Array<Entry | undefined> {
  const lines: Array<Entry | undefined> = [];
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children = block.children;
    let from = 0;
    let lineInBlock = 0;
    for (let i = 0; i <= children.length; i++) {
      const child = children[i];
      if (child && child.type !== 'softbreak' && child.type !== 'hardbreak') continue;
      lines.push(entryOf(block, from, i, bodyLine + (block.map?.[0] ?? 0) + lineInBlock));
      from = i + 1;
      lineInBlock++;
    }
  }
  return lines;
}

/**
 * Runs of consecutive entries that read as chapters: at least three, each later than the one
 * before, none linked by hand, and the first at 0:00 or one at a time no clock shows (a list of
 * where a livestream's talks start, from its first talk). A schedule's times of day are neither.
 */
function chapterRuns(lines: Array<Entry | undefined>): Entry[][] {
  const runs: Entry[][] = [];
  let run: Entry[] = [];
  for (const line of [...lines, undefined]) {
    if (line) {
      run.push(line);
      continue;
    }
    const ordered = run.every((entry, i) => i === 0 || entry.start > run[i - 1]!.start);
    const inRecording = run[0]?.start === 0 || run.some((entry) => !entry.timeOfDay);
    if (run.length >= FEWEST_CHAPTERS && inRecording && ordered && !run.some((entry) => entry.linksVideo)) runs.push(run);
    run = [];
  }
  return runs;
}

/**
 * Chapter lists in a post whose front matter names its recording: lines that start with a time
 * as YouTube chapters are written (at least three, each later than the one before, the first at
 * 0:00 — or, in a list of where the talks start, one at a moment no clock shows, `40:45`). Each
 * time becomes a link into the recording there; each line that names a speaker ("Webhooks at
 * scale – Ann Lee", "Webhooks at scale (Ann Lee, Acme)", "Ann Lee: Webhooks at scale") is a talk.
 * A line that names no one (Welcome, Break, Q&A) stays a link only. A schedule's times of day
 * never start at 0:00 and are all times a clock shows, so a schedule is left as it is.
 */
export function chapterTalks(tokens: MarkdownToken[], video: VideoLink, bodyLine: number): Talk[] {
  // A post with no line starting at a moment only a recording has has no chapters (most posts), found on the inline source alone.
  if (!tokens.some((t) => t.type === 'inline' && RECORDING_TIME.test(t.content))) return [];
  const talks: Talk[] = [];
  const links = new Map<MarkdownToken, LeadingLink[]>();
  for (const run of chapterRuns(linesOf(tokens, bodyLine))) {
    for (const entry of run) {
      let leading = links.get(entry.inline);
      if (!leading) links.set(entry.inline, (leading = []));
      leading.push({ index: entry.child, length: entry.timeLength, href: canonicalVideoUrl(video.videoId, entry.start) });
      const named = namedTalk(entry.rest.trim());
      if (!named.speaker || !named.title) continue;
      talks.push({
        title: named.title, speaker: named.speaker, affiliation: named.affiliation, videoId: video.videoId, start: entry.start,
        url: canonicalVideoUrl(video.videoId, entry.start), embedUrl: embedVideoUrl(video.videoId, entry.start), slides: undefined, line: entry.line,
      });
    }
  }
  for (const [inline, leading] of links) linkLeadingTexts(inline, leading);
  return talks;
}
