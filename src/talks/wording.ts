import type { MarkdownToken } from '../content/markdown.js';
import { trimEndOf } from '../content/text.js';

/** A person's name as recaps write it: two to four capitalised words (Ann Lee, Mei Lin Chua). */
export const NAME = String.raw`\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3}`;

/** Up to four people named together: "Ann Lee and Bob Stone", "Eve Ng, Fay Oh & Gil Tan". */
export const NAMES = String.raw`${NAME}(?:(?:\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+)${NAME}){0,3}`;

const EACH_NAME = new RegExp(NAME, 'gu');

/** An organisation's name: up to four capitalised words (Acme, Example Labs, AT&T). */
export const ORG = String.raw`\p{Lu}[\p{L}\p{N}&.'’-]*(?:\s+\p{Lu}[\p{L}\p{N}&.'’-]*){0,3}`;

/** "(Acme)" right after a name, its organisation captured. */
export const ORG_IN_PARENS = String.raw`(?:\s*\((${ORG})\))?`;

/**
 * A name's organisation after it, each form captured on its own: "from Acme", "(Acme)", or
 * ", Acme" where that ends the line or the clause.
 */
export const ORG_AFTER_NAME = String.raw`(?:\s+from\s+(${ORG})|\s*\((${ORG})\)|,\s*(${ORG})(?=\s*(?:$|[.;)\n])))?`;

/**
 * How much text around a link is read for its title, speaker and time: names and times sit next
 * to the link, and a bound keeps every pattern linear however long a hostile paragraph is.
 */
export const NEARBY = 400;

/** The text of inline tokens, a line break as `lineBreak`. */
export function textOf(tokens: MarkdownToken[], lineBreak = ' '): string {
  let text = '';
  for (const t of tokens) {
    if (t.type === 'text' || t.type === 'code_inline') text += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') text += lineBreak;
  }
  return text;
}

/** Capitalised words that start sentences rather than names ("Then Mei Lin Chua showed..."). */
const SENTENCE_STARTERS = /^(?:(?:Then|Next|First|Firstly|Finally|And|After|Afterwards|Also|Closing|Opening|Later|Lastly|Meanwhile|Now|So|But|Plus|Here|Up)\s+)+/;

/** A matched name without the words that start its sentence; undefined unless a first and last name are left. */
function personName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const trimmed = name.replace(SENTENCE_STARTERS, '');
  return trimmed.includes(' ') ? trimmed : undefined;
}

/**
 * The people a matched NAMES stands for, joined with " & " as a talk's speakers are ("Ann Lee &
 * Bob Stone"); undefined unless one of them has a first and a last name.
 */
export function personNames(names: string | undefined): string | undefined {
  const people = (names?.match(EACH_NAME) ?? []).map(personName).filter((name): name is string => name !== undefined);
  return people.length > 0 ? people.join(' & ') : undefined;
}

/** A talk title without its quotes, trailing punctuation and runs of white space. */
export function cleanTitle(title: string): string {
  // (The ends are trimmed by a walk back, not a pattern anchored at the end, which is quadratic in a run not at the end.)
  return trimEndOf(trimEndOf(title.replace(/\s+/g, ' ').trim().replace(/^["“‘']+/, ''), '"”’\''), ' \t\n,;:–—-').trim();
}

/**
 * Link text that stands for the recording rather than naming the talk: "Watch the talk",
 * "Recording", "▶️ Watch from 30:00", "Video". Its time, when it has one, is the written start.
 */
const GENERIC_LINK = /^[^\p{L}\p{N}]*(?:(?:watch|view|see|play|replay)(?:\s+(?:it|this|now|here|the\s+(?:talk|recording|video|session|stream|livestream)|on\s+youtube))*|(?:the\s+)?(?:recording|video|talk\s+recording|livestream|stream|youtube|replay)|here|link)(?:\s+(?:from|at)\s+(\d{1,2}:\d{2}(?::\d{2})?))?[^\p{L}\p{N}]*$/iu;

/** Link text that is the link's own address: an autolink such as `<https://youtu.be/ID?t=538>`. */
const ADDRESS = /^\s*(?:https?:\/\/|\/\/|www\.)\S*\s*$/i;

/** Whether a talk link's text says only "the recording" (or is an address), and the time it writes if any. */
export function genericLinkText(text: string): { writtenText: string | undefined } | undefined {
  const head = text.slice(0, NEARBY);
  if (ADDRESS.test(head)) return { writtenText: undefined };
  const m = GENERIC_LINK.exec(head);
  return m ? { writtenText: m[1] } : undefined;
}
