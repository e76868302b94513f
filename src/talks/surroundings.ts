import type { MarkdownToken } from '../content/markdown.js';
import { cleanTitle, NAMES, NEARBY, ORG, ORG_AFTER_NAME, ORG_IN_PARENS, personNames, textOf } from './wording.js';

/** What a talk link's surroundings beyond its sentence say of the talk: its table row, or its section. */
export interface Surroundings {
  title?: string;
  speaker?: string;
  affiliation?: string;
  /** The address of the talk's slides (a table's Slides column). */
  slides?: string;
}

/** Column headings of a table of talks, by what their cells say of each talk. */
const COLUMN_ROLES: ReadonlyArray<[keyof Surroundings, RegExp]> = [
  ['title', /^(?:talks?|titles?|topics?|sessions?)$/],
  ['speaker', /^(?:speakers?|speaker\(s\)|presenters?|presented by|who|by)$/],
  ['affiliation', /^(?:company|companies|organi[sz]ations?|affiliations?|org|from|employer)$/],
  ['slides', /^(?:slides?|decks?|slide decks?)$/],
];

/**
 * The row of each table cell's text, read by its column's heading: organisers list talks as
 * "| Talk | Speaker | Company |" rows, where the speaker sits in a cell of its own. (A "Time"
 * column is not read: in a schedule it is the time of day, not the moment in the recording.)
 */
export function tableRows(tokens: MarkdownToken[]): Map<MarkdownToken, Surroundings> {
  const rows = new Map<MarkdownToken, Surroundings>();
  let roles: Array<keyof Surroundings | undefined> = [];
  let inHead = false;
  let cells: MarkdownToken[] | undefined;
  for (const token of tokens) {
    if (token.type === 'table_open') roles = [];
    else if (token.type === 'thead_open' || token.type === 'thead_close') inHead = token.type === 'thead_open';
    else if (token.type === 'tr_open') cells = [];
    else if (token.type === 'inline') cells?.push(token);
    else if (token.type === 'tr_close' && cells) {
      const texts = cells.map((cell) => textOf(cell.children ?? []).trim().slice(0, NEARBY));
      if (inHead) roles = texts.map((heading) => COLUMN_ROLES.find(([, pattern]) => pattern.test(heading.toLowerCase()))?.[0]);
      else {
        const row: Surroundings = {};
        texts.forEach((text, column) => {
          const role = roles[column];
          // A Slides cell is read for its link's address, every other cell for its text.
          const value = role === 'slides' ? firstWebLink(cells?.[column]) : text;
          if (role && value) row[role] = value;
        });
        // A Speaker cell may hold the organisation too: "Ann Lee (Acme)", "Ann Lee, Acme".
        const named = row.speaker ? NAMES_WITH_ORG.exec(row.speaker) : null;
        if (named) Object.assign(row, { speaker: personNames(named[1]), affiliation: row.affiliation ?? named[2] ?? named[3] ?? named[4] });
        for (const cell of cells) rows.set(cell, row);
      }
      cells = undefined;
    }
  }
  return rows;
}

/** The address of the first http(s) link in an inline token, if it has one. */
function firstWebLink(inline: MarkdownToken | undefined): string | undefined {
  const href = inline?.children?.find((t) => t.type === 'link_open')?.attrGet('href');
  return href && /^https?:\/\//i.test(href) ? href : undefined;
}

/** A cell that is only names and their organisation: "Ann Lee (Acme)", "Ann Lee and Bob Stone, Acme". */
const NAMES_WITH_ORG = new RegExp(String.raw`^(${NAMES})${ORG_AFTER_NAME}$`, 'u');

/** "Title — Ann Lee (Acme)", "Title - Ann Lee, Acme", "Title by Ann Lee": a line naming its talk, then its speakers. */
const TITLE_THEN_SPEAKER = new RegExp(String.raw`^(.+?)\s*(?:[–—-]|,?\s+by)\s+(${NAMES})${ORG_AFTER_NAME}\s*$`, 'u');
/** "Title (Ann Lee)" or "Title (Ann Lee, Acme)". */
const SPEAKER_IN_PARENS = new RegExp(String.raw`^(.+?)\s*\((${NAMES})(?:,\s*(${ORG}))?\)\s*$`, 'u');
/** "Ann Lee: Title" or "Ann Lee (Acme) – Title": a line naming the speakers first. */
const SPEAKER_THEN_TITLE = new RegExp(String.raw`^(${NAMES})${ORG_IN_PARENS}\s*[:–—-]\s*(.+)$`, 'u');
/** "Speaker: Ann Lee, Acme" on a line of its own in a talk's section. */
const SPEAKER_LINE = new RegExp(String.raw`(?:^|\n)[^\S\n]*(?:[Ss]peakers?|[Pp]resenters?|[Pp]resented by|[Bb]y)[^\S\n]*:[^\S\n]*(${NAMES})${ORG_AFTER_NAME}[^\S\n]*(?:$|\n)`, 'u');

/**
 * What a line naming a talk says (a section's heading, a line of a chapter list): its title, and
 * its speakers in "Title — Ann Lee (Acme)", "Title by Ann Lee", "Title (Ann Lee, Acme)" or
 * "Ann Lee: Title".
 */
export function namedTalk(text: string): Surroundings {
  const titleFirst = TITLE_THEN_SPEAKER.exec(text);
  if (titleFirst && personNames(titleFirst[2])) {
    return { title: cleanTitle(titleFirst[1]!), speaker: personNames(titleFirst[2]), affiliation: titleFirst[3] ?? titleFirst[4] ?? titleFirst[5] };
  }
  const inParens = SPEAKER_IN_PARENS.exec(text);
  if (inParens && personNames(inParens[2])) return { title: cleanTitle(inParens[1]!), speaker: personNames(inParens[2]), affiliation: inParens[3] };
  const speakerFirst = SPEAKER_THEN_TITLE.exec(text);
  if (speakerFirst && personNames(speakerFirst[1])) return { title: cleanTitle(speakerFirst[3]!), speaker: personNames(speakerFirst[1]), affiliation: speakerFirst[2] };
  return { title: cleanTitle(text) };
}

/**
 * A section of a post, from one heading to the next, as read for the talk it is about. It is
 * read only when a talk link asks: most sections hold no talk that needs them.
 */
export class Section {
  private text: string | undefined;
  private heading: Surroundings | undefined;
  private labelled: Surroundings | null | undefined;

  constructor(private readonly headingToken: MarkdownToken, private readonly paragraphs: MarkdownToken[]) {}

  /** Its heading as written. */
  headingText(): string {
    return (this.text ??= textOf(this.headingToken.children ?? []).trim().slice(0, NEARBY));
  }

  /** What its heading says: the talk's title, and its speakers in "Title — Ann Lee (Acme)". */
  headingTalk(): Surroundings {
    return (this.heading ??= namedTalk(this.headingText()));
  }

  /** Who a "Speaker: Ann Lee, Acme" line in it names, if one does. */
  speakerLine(): Surroundings | undefined {
    if (this.labelled === undefined) {
      this.labelled = null;
      for (const paragraph of this.paragraphs) {
        const line = SPEAKER_LINE.exec(textOf(paragraph.children ?? [], '\n').slice(0, NEARBY));
        const speaker = personNames(line?.[1]);
        if (line && speaker) {
          this.labelled = { speaker, affiliation: line[2] ?? line[3] ?? line[4] };
          break;
        }
      }
    }
    return this.labelled ?? undefined;
  }
}

/** Each inline token's section, for the posts that have headings. */
export function sections(tokens: MarkdownToken[]): Map<MarkdownToken, Section> {
  const sectionOf = new Map<MarkdownToken, Section>();
  let current: Section | undefined;
  let paragraphs: MarkdownToken[] = [];
  let headingNext = false;
  for (const token of tokens) {
    if (token.type === 'heading_open') headingNext = true;
    if (token.type !== 'inline' || !token.children) continue;
    if (headingNext) {
      current = new Section(token, (paragraphs = []));
      headingNext = false;
    } else paragraphs.push(token);
    if (current) sectionOf.set(token, current);
  }
  return sectionOf;
}
