import { escapeText } from 'entities';
import { Parser } from 'htmlparser2';
import { nestingBounded } from '../policy/html-nesting.js';

/**
 * Links that show only an icon font's icon (`<a href="..."><i class="fa fa-github"></i></a>`, as
 * Jekyll themes list a speaker's or a site's profiles): Recap's theme loads no icon font, so such a
 * link would be empty, invisible and nameless to a screen reader. Such a link is given the icon's
 * name as its text.
 */

/** Class-name prefixes of icon fonts: Font Awesome and Fork Awesome, Bootstrap Icons, Academicons, Ionicons, Material Design Icons, Simple Icons, Tabler, Line Awesome, Remix, Boxicons, Devicon, IcoMoon's `icon-`. */
const ICON_CLASS = /^(?:fa|bi|ai|ion|mdi|si|ti|la|ri|bx|bxl|devicon|icon)-([a-z0-9-]+)$/;

/** Font Awesome's and others' classes that style an icon rather than name it (and Bootstrap's `icon-bar`, a menu button's line). */
const MODIFIER = /^(?:lg|xs|sm|xl|2xl|\d+x|fw|inverse|stack(?:-\dx)?|spin|pulse|beat|fade|bounce|shake|flip(?:-\w+)?|border|pull-(?:left|right|start|end)|rotate-\w+|li|ul|solid|regular|brands|light|thin|duotone|sharp|logo|bar)$/;

/** Endings that name a variant of an icon, not another thing (`github-square`, `envelope-o`, `devicon-github-plain`). */
const VARIANT = /-(?:square|o|alt|official|circle|sign|fill|filled|outline|f|in|play|plain|original|wordmark|colored|line|logo)$/;

/** The names people know the commonest icons by, where a capital first letter would not give it. */
const LABELS: Record<string, string> = {
  github: 'GitHub', gitlab: 'GitLab', linkedin: 'LinkedIn', youtube: 'YouTube', rss: 'RSS feed', feed: 'RSS feed', envelope: 'Email', mail: 'Email',
  email: 'Email', at: 'Email', 'x-twitter': 'X', orcid: 'ORCID', xing: 'XING', 'google-scholar': 'Google Scholar', 'stack-overflow': 'Stack Overflow',
  stackoverflow: 'Stack Overflow', 'stack-exchange': 'Stack Exchange', 'hacker-news': 'Hacker News', researchgate: 'ResearchGate', tiktok: 'TikTok',
  whatsapp: 'WhatsApp', wechat: 'WeChat', 'google-plus': 'Google+', npm: 'npm', dev: 'DEV', globe: 'Website', link: 'Link', 'external-link': 'Link',
  'map-marker': 'Map', 'file-pdf': 'PDF', 'file-text': 'Document', home: 'Home', house: 'Home', phone: 'Phone', 'paper-plane': 'Message', bars: 'Menu',
};

/** The longest icon name read: icon fonts' names are a few words (naming a class of 100,000 `-o` endings took 9.6 s). */
const MAX_ICON_NAME = 64;

/** The name of the icon an element shows, from its icon-font classes (or Feather's `data-feather`), or undefined for any other element. */
export function iconNameOf(attributes: Record<string, string>): string | undefined {
  const feather = attributes['data-feather']?.trim().toLowerCase();
  if (feather) return feather.length <= MAX_ICON_NAME ? feather : undefined;
  for (const token of (attributes['class'] ?? '').toLowerCase().split(/\s+/)) {
    const name = token.length <= MAX_ICON_NAME + 8 ? ICON_CLASS.exec(token)?.[1] : undefined;
    if (name !== undefined && !MODIFIER.test(name)) return name;
  }
  return undefined;
}

/** The words a link that shows this icon is named by: `GitHub` for github-square, `Calendar check` for calendar-check. */
export function iconLabel(name: string): string {
  let base = name.replace(/^(?:logo|social)-/, '');
  while (VARIANT.test(base) && LABELS[base] === undefined) base = base.replace(VARIANT, '');
  const known = LABELS[base];
  if (known !== undefined) return known;
  const words = base.split('-').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Elements whose content is their own to show, so a link holding one is not a bare icon's. */
const SHOWN_CONTENT = new Set(['img', 'svg', 'picture', 'video', 'audio', 'canvas', 'object', 'embed', 'iframe', 'input', 'button', 'select', 'textarea', 'math']);

/** A quick look for an icon font's class or Feather's attribute before any HTML is parsed: most pages have none. */
const MAY_HOLD_ICONS = /\b(?:fa|bi|ai|ion|mdi|si|ti|la|ri|bx|bxl|devicon|icon)-[a-z0-9]|data-feather/i;

/**
 * HTML whose links that show nothing but an icon font's icon show its name after it (`<a
 * href="..."><i class="fa fa-github"></i> GitHub</a>`), or the link's own `aria-label` or `title`
 * where it has one. Anything else in a link (text, an image, an SVG) leaves it as it is.
 */
export function withNamedIconLinks(html: string): string {
  if (!MAY_HOLD_ICONS.test(html)) return html;
  const insertions: Array<{ at: number; text: string }> = [];
  let link: { shows: boolean; icon: string | undefined; label: string | undefined } | undefined;
  const parser: Parser = new Parser(nestingBounded({
    onopentag(name, attributes) {
      if (name === 'a') link = { shows: false, icon: undefined, label: attributes['aria-label']?.trim() || attributes['title']?.trim() || undefined };
      else if (link && SHOWN_CONTENT.has(name)) link.shows = true;
      else if (link) link.icon ??= iconNameOf(attributes);
    },
    ontext(text) {
      if (link && text.trim() !== '') link.shows = true;
    },
    onclosetag(name, implied) {
      if (name !== 'a') return;
      // An end tag the HTML does not write (the link left open) has no place to write before.
      if (link && !implied && !link.shows && link.icon !== undefined) insertions.push({ at: parser.startIndex, text: ` ${escapeText(link.label ?? iconLabel(link.icon))}` });
      link = undefined;
    },
  }, () => parser, () => undefined), { decodeEntities: true, recognizeSelfClosing: true });
  parser.end(html);
  if (insertions.length === 0) return html;
  const pieces: string[] = [];
  let from = 0;
  for (const { at, text } of insertions) {
    pieces.push(html.slice(from, at), text);
    from = at;
  }
  pieces.push(html.slice(from));
  return pieces.join('');
}
