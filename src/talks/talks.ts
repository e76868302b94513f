import { Diagnostics } from '../diagnostics/diagnostics.js';
import type { MarkdownToken } from '../content/markdown.js';
import { formatClock, parseClock, readYouTubeLink, resolveVideoUrl, VIDEO_ID_HINT, withoutTracking, type VideoLink } from './youtube.js';
import { chapterTalks } from './chapter-lists.js';
import { sections, tableRows, type Section, type Surroundings } from './surroundings.js';
import { cleanTitle, genericLinkText, NAMES, NEARBY, ORG, ORG_AFTER_NAME, ORG_IN_PARENS, personNames, textOf } from './wording.js';

/** A talk: a link into a recorded video at the moment the talk starts. */
export interface Talk {
  title: string;
  speaker: string | undefined;
  affiliation: string | undefined;
  videoId: string;
  /** Start in seconds. */
  start: number;
  /** Canonical watch URL at the start (`...watch?v=ID&t=538s`). */
  url: string;
  /** Privacy-enhanced embed URL at the start. */
  embedUrl: string;
  slides: string | undefined;
  /** 1-based line of the post file the talk comes from. */
  line: number;
}

const TIME = String.raw`(\d{1,2}:\d{2}(?::\d{2})?)`;
const PHRASE = String.raw`(?:starting|starts|start)(?:\s+(?:at|from))?`;
/** `(starting at 8:58)` right after a link. */
const TIME_AFTER = new RegExp(String.raw`^\s*\(\s*${PHRASE}\s+${TIME}\s*\)`, 'i');
/** `(starting at ` or `starting ` right before a link whose text is the time. */
const PHRASE_BEFORE = new RegExp(String.raw`[\s,(]*${PHRASE}\s*$`, 'i');
/** `Title, starts 59:53` inside the link text. */
const TIME_INSIDE = new RegExp(String.raw`[\s,(–—-]*${PHRASE}\s+${TIME}\s*\)?\s*$`, 'i');
/** A parenthesised talk time anywhere in prose, for times that have no link. */
const LONE_TIME = new RegExp(String.raw`\(\s*${PHRASE}\s+${TIME}\s*\)`, 'gi');
/**
 * "Ann Lee from Acme", "Ann Lee and Bob Stone from Acme", "Kim Ra from Oscorp and Lee Min from
 * Globex": the people and organisations of the first pair, then any further pairs in one group.
 */
const SPEAKER_FROM = new RegExp(String.raw`(${NAMES})\s+from\s+(${ORG})((?:(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+)${NAMES}\s+from\s+${ORG}){0,3})`, 'gu');
/** One "NAME from ORG" pair among further ones. */
const EACH_FROM = new RegExp(String.raw`(${NAMES})\s+from\s+(${ORG})`, 'gu');
const SPEAKER_AFTER_VERB = new RegExp(String.raw`\b(?:was|by|had|welcomed|with)\s+(${NAMES})`, 'gu');
/** What may stand between a name and the verb of the talk: "(Acme)", "of Acme", "at Acme", or ", a developer at Acme,". */
const BETWEEN_NAME_AND_VERB = String.raw`(?:\s*\((${ORG})\)|\s+(?:of|at)\s+(${ORG})|,\s+(?:an?|the|our)\s+[^,]{1,60}?(?:\s+(?:at|from|of|with)\s+(${ORG}))?,)?`;
/** "Ann Lee talked about [..]", "Ann Lee (Acme) presented [..]", "Ann Lee, a developer at Acme, showed [..]": names, then the verb of the talk. */
const SPEAKER_BEFORE_VERB = new RegExp(String.raw`(${NAMES})${BETWEEN_NAME_AND_VERB}\s+(?:talked|spoke|presented|showed|explained|gave|told|discussed|walked|shared|demonstrated|introduced|described|covered|took)\b`, 'gu');
/** "Ann Lee: [..]", "Ann Lee – [..]" or "Ann Lee (Acme): [..]": names right before the link. */
const SPEAKER_LABEL = new RegExp(String.raw`(${NAMES})${ORG_IN_PARENS}\s*[:–—-]\s*$`, 'u');
/**
 * After the link and its written time: "[..] by Ann Lee", "[..] – Ann Lee", with "from Acme",
 * "(Acme)" or ", Acme" (ending the line or the clause) for her organisation.
 */
const SPEAKER_AFTER_LINK = new RegExp(String.raw`^\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:(?:by|from)\s+|[–—-]\s*)(${NAMES})${ORG_AFTER_NAME}`, 'u');
const LEAD_IN = /^(?:[\s,:–—-]*(?:explained|presented|showed|discussed|talked|spoke|told|walked|gave|shared|demonstrated|asked|covered|introduced|described|us|about|through|on|with|(?:his|her|their) talk|titled|called)\b)+[\s,:]*/i;

function lastSentence(text: string): string {
  const parts = text.split(/(?<=[.!?])\s+(?=\p{Lu})/u);
  return parts[parts.length - 1] ?? '';
}

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | undefined {
  let found: RegExpExecArray | undefined;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) found = m;
  return found;
}

/**
 * Speaker (and affiliation) named around a talk link, and where the naming ends in the sentence
 * before it: "NAME from ORG ...", "NAME talked about", "... was NAME", "NAME: [title]",
 * "NAME – [title]", or after the link, "[title] by NAME" and "[title] – NAME, ORG".
 */
function speakerIn(sentence: string, after: string): { speaker?: string; affiliation?: string; end: number } {
  const from = lastMatch(SPEAKER_FROM, sentence);
  if (from) {
    const pairs = [[from[1], from[2]], ...[...(from[3] ?? '').matchAll(EACH_FROM)].map((m) => [m[1], m[2]])];
    const speaker = personNames(pairs.map(([names]) => names).join(' & '));
    return { speaker, affiliation: [...new Set(pairs.map(([, org]) => org))].join(' & '), end: from.index + from[0].length };
  }
  const label = SPEAKER_LABEL.exec(sentence);
  const labelled = personNames(label?.[1]);
  if (label && labelled) return { speaker: labelled, affiliation: label[2], end: label.index + label[0].length };
  const before = lastMatch(SPEAKER_BEFORE_VERB, sentence);
  const speaking = personNames(before?.[1]);
  if (before && speaking) return { speaker: speaking, affiliation: before[2] ?? before[3] ?? before[4], end: before.index + before[0].length };
  const verb = lastMatch(SPEAKER_AFTER_VERB, sentence);
  if (verb) return { speaker: personNames(verb[1]), end: verb.index + verb[0].length };
  const by = SPEAKER_AFTER_LINK.exec(after);
  const speaker = personNames(by?.[1]);
  return { speaker, affiliation: speaker ? by?.[2] ?? by?.[3] ?? by?.[4] : undefined, end: 0 };
}

interface LinkSite {
  title: string;
  speaker: string | undefined;
  affiliation: string | undefined;
  written: number | undefined;
  writtenText: string | undefined;
  /** The link is a clock time ("[8:58](..)"): its title is the words before it. */
  linkIsTime: boolean;
  /** The link says only "the recording" ("Watch the talk", an address): it names no talk. */
  generic: boolean;
}

/** Reads what the author wrote around a talk link: its title, the speaker, and the written start time. */
function readAround(wholeBefore: string, wholeLinkText: string, wholeAfter: string): LinkSite {
  const before = wholeBefore.slice(-NEARBY);
  const linkText = wholeLinkText.slice(0, NEARBY);
  const after = wholeAfter.slice(0, NEARBY);
  const sentence = lastSentence(before);
  const named = speakerIn(sentence, after);
  const linkIsTime = parseClock(linkText.trim()) !== undefined;
  if (linkIsTime) {
    const lead = sentence.slice(named.end).replace(PHRASE_BEFORE, '');
    return { title: cleanTitle(lead.replace(LEAD_IN, '')), speaker: named.speaker, affiliation: named.affiliation, written: parseClock(linkText.trim()), writtenText: linkText.trim(), linkIsTime, generic: false };
  }
  const inside = TIME_INSIDE.exec(linkText);
  if (inside) {
    return { title: cleanTitle(linkText.slice(0, inside.index)), speaker: named.speaker, affiliation: named.affiliation, written: parseClock(inside[1]!), writtenText: inside[1], linkIsTime, generic: false };
  }
  const afterMatch = TIME_AFTER.exec(after);
  const generic = genericLinkText(linkText);
  const writtenText = afterMatch?.[1] ?? generic?.writtenText;
  return {
    // Link text that only says "the recording" names no talk: its section or table row may.
    title: generic ? '' : cleanTitle(linkText),
    speaker: named.speaker,
    affiliation: named.affiliation,
    written: writtenText === undefined ? undefined : parseClock(writtenText),
    writtenText,
    linkIsTime,
    generic: generic !== undefined,
  };
}

/**
 * Fills in what the words around a talk link did not say, from its table row (the Speaker,
 * Company and Talk cells) and its section: a "Speaker: NAME" line in it, and, when the link says
 * only "the recording" or has the heading's title, what the heading says.
 */
function withSurroundings(around: LinkSite, row: Surroundings | undefined, section: Section | undefined): LinkSite {
  // A heading is read only for a link that says nothing of its own, or one whose title it holds.
  const ownTitle = around.title.toLowerCase();
  const aboutIt = section && (around.generic || (ownTitle !== '' && section.headingText().toLowerCase().includes(ownTitle)));
  const sectionHeading = aboutIt ? section.headingTalk() : undefined;
  const heading = around.generic || (ownTitle !== '' && ownTitle === sectionHeading?.title?.toLowerCase()) ? sectionHeading : undefined;
  const title = (!around.title || around.linkIsTime ? row?.title ?? (around.generic ? heading?.title : undefined) : undefined) ?? around.title;
  const sentence = { speaker: around.speaker, affiliation: around.affiliation };
  const named = sentence.speaker ? sentence : [row, section?.speakerLine(), heading].find((s) => s?.speaker);
  return {
    ...around,
    title: cleanTitle(title),
    speaker: named?.speaker,
    affiliation: named?.affiliation ?? (row && named && (!row.speaker || row.speaker === named.speaker) ? row.affiliation : undefined),
  };
}

/** Where talk extraction reports and what it needs to know of the post. */
export interface TalkContext {
  file: string;
  /** 1-based file line of the body's first line. */
  bodyLine: number;
  diagnostics: Diagnostics;
  /** The recording the front matter names (`video:`), which a chapter list's times point into. */
  video?: VideoLink | undefined;
  /**
   * True on a Jekyll site, whose `talks:` is its own layout's list (a talk's `youtube:`, a
   * schedule's `start: 7pm`) as often as Recap's: a listed talk Recap cannot place is left out of its
   * talks with a note, and the site still builds, as Jekyll builds it.
   */
  lenient?: boolean;
  /** The post's title: the title of its one talk where the link names none ("watch it [here](...)"). */
  postTitle?: string;
}

function describeTime(seconds: number): string {
  return `${formatClock(seconds)} (${seconds} s)`;
}

/**
 * Finds the talks in a post's Markdown tokens: every link to a YouTube video at a start time,
 * its speakers read from the words around it, its table row or its section, and the lines of a
 * chapter list into the post's recording. Checks the written "(starting at 8:58)" against the
 * link, rewrites every YouTube link to its clean canonical form, warns about a video link with no
 * real id, and notes talk times that have no link.
 */
export function extractTalks(tokens: MarkdownToken[], context: TalkContext): Talk[] {
  const talks: Talk[] = [];
  const untitled = new Set<Talk>();
  const rows = tokens.some((t) => t.type === 'table_open') ? tableRows(tokens) : undefined;
  const headed = tokens.some((t) => t.type === 'heading_open') ? sections(tokens) : undefined;
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children = block.children;
    const firstLine = context.bodyLine + (block.map?.[0] ?? 0);
    let line = firstLine;
    let spanStart = 0;
    const usedTimes = new Set<number>();
    for (let i = 0; i < children.length; i++) {
      const token = children[i]!;
      if (token.type === 'softbreak' || token.type === 'hardbreak') line++;
      if (token.type !== 'link_open') continue;
      const href = String(token.attrGet('href') ?? '');
      const { video, badId } = readYouTubeLink(href) ?? {};
      if (badId !== undefined) {
        // A placeholder left in (recap new post writes one) or an id cut short: the link leads to no video.
        context.diagnostics.warning('R303', context.file, line, undefined, `YouTube link with "${badId}" where the video id goes: it leads to no video`, VIDEO_ID_HINT);
        const close = linkClose(children, i);
        const next = children[close + 1];
        // Its written time is this warning's business, not a time without a link.
        if (next?.type === 'text' && TIME_AFTER.test(next.content)) usedTimes.add(close + 1);
        spanStart = close + 1;
        continue;
      }
      if (!video) {
        const clean = withoutTracking(href);
        if (clean !== href) token.attrSet('href', clean);
        continue;
      }
      const close = linkClose(children, i);
      if (video.malformed) {
        context.diagnostics.warning('R303', context.file, line, undefined, `malformed YouTube link: ${video.malformed}`, `write it as ${video.canonicalUrl}`);
      }
      token.attrSet('href', video.canonicalUrl);
      if (video.start === undefined) {
        spanStart = close + 1;
        continue;
      }
      const next = children[close + 1];
      const after = next?.type === 'text' ? next.content : '';
      const around = withSurroundings(readAround(textOf(children.slice(spanStart, i)), textOf(children.slice(i + 1, close)), after), rows?.get(block), headed?.get(block));
      if (next?.type === 'text' && TIME_AFTER.test(after)) usedTimes.add(close + 1);
      if (around.written !== undefined && around.written !== video.start) {
        context.diagnostics.warning('R304', context.file, line, undefined,
          `talk "${around.title}": the text says ${describeTime(around.written)} but the link starts at ${describeTime(video.start)}`,
          'make the written time and the link\'s t= agree');
      }
      const talk = { ...talkFrom(video, video.start, around, line), slides: slidesAfter(children, close) ?? rows?.get(block)?.slides };
      if (!around.title) untitled.add(talk);
      talks.push(talk);
      spanStart = close + 1;
    }
    noteLoneTimes(children, usedTimes, firstLine, context);
  }
  // One by one: a chapter list of a 1 MiB post has ~100,000 lines, near what a spread into push() takes.
  if (context.video) for (const talk of chapterTalks(tokens, context.video, context.bodyLine)) talks.push(talk);
  // A post of one talk whose link names none ("watch the recording [here](...)") is about that talk: it has the post's title.
  if (talks.length === 1 && untitled.has(talks[0]!) && context.postTitle) talks[0]!.title = context.postTitle;
  return talks;
}

/** A link's text that says it is a talk's slides: "slides", "the deck", "presentation". */
const SLIDES_TEXT = /^[^\p{L}]*(?:the\s+)?(?:slides?|slide\s*deck|deck|presentation)\b/iu;
/** Where slides are published, whatever the link's text says. */
const SLIDES_HOST = /^https?:\/\/(?:www\.)?(?:speakerdeck\.com|slideshare\.net|slides\.com|docs\.google\.com\/presentation|pitch\.com)\//i;

/**
 * The slides of the talk whose link closes at `close`: a link to them later on its line, before
 * any other talk's link ("[Title](recording) ([slides](https://speakerdeck.com/..))").
 */
function slidesAfter(children: MarkdownToken[], close: number): string | undefined {
  for (let i = close + 1; i < children.length; i++) {
    const token = children[i]!;
    if (token.type === 'softbreak' || token.type === 'hardbreak') return undefined;
    if (token.type !== 'link_open') continue;
    const href = String(token.attrGet('href') ?? '');
    if (resolveVideoUrl(href)) return undefined;
    const end = linkClose(children, i);
    if (/^https?:\/\//i.test(href) && (SLIDES_HOST.test(href) || SLIDES_TEXT.test(textOf(children.slice(i + 1, end))))) return href;
    i = end;
  }
  return undefined;
}

/** Where the link opened at `open` closes (the end of the line's tokens if it never does). */
function linkClose(children: MarkdownToken[], open: number): number {
  let close = open + 1;
  while (close < children.length && children[close]!.type !== 'link_close') close++;
  return close;
}

function talkFrom(video: VideoLink, start: number, around: Pick<LinkSite, 'title' | 'speaker' | 'affiliation'>, line: number): Talk {
  return {
    title: around.title || `Talk at ${formatClock(start)}`,
    speaker: around.speaker,
    affiliation: around.affiliation,
    videoId: video.videoId,
    start,
    url: video.canonicalUrl,
    embedUrl: video.embedUrl,
    slides: undefined,
    line,
  };
}

function noteLoneTimes(children: MarkdownToken[], used: ReadonlySet<number>, firstLine: number, context: TalkContext): void {
  let line = firstLine;
  children.forEach((child, index) => {
    if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
    // A written time starts with a parenthesis: most text has none, and matchAll copies its pattern on every call.
    if (child.type !== 'text' || used.has(index) || !child.content.includes('(')) return;
    for (const m of child.content.matchAll(LONE_TIME)) {
      context.diagnostics.note('R305', context.file, line, undefined, `talk time ${m[1]} has no link to the recording`,
        'link the talk title to the livestream at that moment, e.g. [Title](https://www.youtube.com/watch?v=ID&t=538s)');
    }
  });
}

/** A talk as front matter's `talks:` list gives it. */
export interface FrontMatterTalk {
  title: string;
  speaker?: string;
  affiliation?: string;
  url?: string;
  start?: string | number;
  slides?: string;
}

/**
 * Merges the front matter's `talks:` into the talks found in the body: a listed talk matches a
 * body talk by video and start (or by title) and is authoritative for speaker, affiliation and
 * slides; a listed talk the body does not link is added (at 0 s of a recording of its own whose
 * link gives no time).
 */
export function mergeTalks(found: Talk[], listed: FrontMatterTalk[], postVideo: VideoLink | undefined, line: number, context: TalkContext): Talk[] {
  const talks = [...found];
  listed.forEach((entry, index) => {
    const fromUrl = entry.url ? resolveVideoUrl(entry.url) : undefined;
    // A talk listed with a recording of its own (not the post's livestream) starts at that recording's beginning.
    const ownRecording = fromUrl !== undefined && fromUrl.videoId !== postVideo?.videoId;
    const start = entry.start !== undefined ? parseTalkStart(entry.start) : fromUrl?.start ?? (ownRecording ? 0 : undefined);
    if (entry.start !== undefined && start === undefined) {
      if (context.lenient) context.diagnostics.warning('R306', context.file, line, undefined, `talks[${index}].start "${entry.start}" is not a time into a recording: left out of the site's talks`, 'write it as 8:58, 1:29:54 or a number of seconds');
      else context.diagnostics.error('R306', context.file, line, undefined, `talks[${index}].start "${entry.start}" is not a time`, 'write it as 8:58, 1:29:54 or a number of seconds');
      return;
    }
    const videoId = fromUrl?.videoId ?? postVideo?.videoId;
    const match = talks.find((t) => (start !== undefined && t.start === start && t.videoId === videoId) || t.title === entry.title);
    if (match) {
      match.speaker = entry.speaker ?? match.speaker;
      match.affiliation = entry.affiliation ?? match.affiliation;
      match.slides = entry.slides ?? match.slides;
      return;
    }
    if (videoId === undefined || start === undefined) {
      const hint = 'give it url: (a YouTube link with t=) or start: with a post video:';
      if (context.lenient) context.diagnostics.note('R306', context.file, line, undefined, `talks[${index}] "${entry.title}" has no video link or start time: left out of the site's talks`, hint);
      else context.diagnostics.warning('R306', context.file, line, undefined, `talks[${index}] "${entry.title}" has no video link or start time`, hint);
      return;
    }
    const video = resolveVideoUrl(`https://www.youtube.com/watch?v=${videoId}&t=${start}`)!;
    talks.push({ ...talkFrom(video, start, { title: entry.title, speaker: entry.speaker, affiliation: entry.affiliation }, line), slides: entry.slides });
  });
  return talks.sort(byStart);
}

/** A speaker as front matter names one: `Ann Lee`, or `{name: Ann Lee, org: Acme}`. */
function speakerOf(value: unknown): { name: string; affiliation: string | undefined } | undefined {
  if (typeof value === 'string' && value.trim() !== '') return { name: value.trim(), affiliation: undefined };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const name = fields['name'];
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  const affiliation = ['affiliation', 'org', 'organisation', 'organization', 'company'].map((key) => fields[key]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return { name: name.trim(), affiliation: affiliation?.trim() };
}

/**
 * The talk a post is, where its text links none but its front matter names its recording
 * (`video:`) and who gave it (`speaker: Ann Lee`, `speaker: {name: ...}`, `speakers: [...]`): a
 * user group's page for each talk. It starts where the recording's link says, else at 0:00.
 */
export function postAsTalk(data: Record<string, unknown>, video: VideoLink, title: string, line: number): Talk | undefined {
  const given = data['speakers'] ?? data['speaker'];
  const speakers = (Array.isArray(given) ? given : [given]).map(speakerOf).filter((s) => s !== undefined);
  if (speakers.length === 0) return undefined;
  // Joined as the talks read from text join them, so speakerNames parts them again, each with a page.
  const speaker = speakers.map((s) => s.name).join(' & ');
  const start = video.start ?? 0;
  const at = resolveVideoUrl(`https://www.youtube.com/watch?v=${video.videoId}&t=${start}`) ?? video;
  return talkFrom(at, start, { title, speaker, affiliation: speakers.length === 1 ? speakers[0]!.affiliation : undefined }, line);
}

/** Orders talks as the video plays them. */
export function byStart(a: Talk, b: Talk): number {
  return a.start - b.start || a.line - b.line;
}

function parseTalkStart(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  return parseClock(value) ?? (/^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined);
}

/**
 * The recording a post is about: its front-matter `video:`, else the video that at least two of
 * its talk links share (the most shared; on a tie, the first linked). A lone timestamped link
 * is a clip the author pointed at, never the recording.
 */
export function postVideoOf(frontMatterVideo: VideoLink | undefined, talks: Talk[]): VideoLink | undefined {
  if (frontMatterVideo) return frontMatterVideo;
  const counts = new Map<string, number>();
  for (const t of [...talks].sort((a, b) => a.line - b.line)) counts.set(t.videoId, (counts.get(t.videoId) ?? 0) + 1);
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return best && best[1] >= 2 ? resolveVideoUrl(`https://www.youtube.com/watch?v=${best[0]}`) : undefined;
}
