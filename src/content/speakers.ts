import path from 'node:path';
import { z } from 'zod';
import { readOptional } from './config.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { removeXmlForbiddenValues } from '../policy/limits.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { pathSlug } from './text.js';
import { checkUrl, URL_POLICY_HINT } from '../policy/url-policy.js';
import { lineOfYamlKey, readYaml } from './yaml.js';

/** The file of speaker profiles, at the site's root. */
export const SPEAKERS_FILE = 'speakers.yml';

/** One person as `speakers.yml` describes them: other spellings of their name, affiliation, bio, links, photo. */
export interface SpeakerProfile {
  name: string;
  aliases: string[];
  affiliation: string | undefined;
  bio: string | undefined;
  links: Array<{ label: string; url: string }>;
  photo: string | undefined;
  /** 1-based line of the profile in speakers.yml. */
  line: number;
}

/** A speaker as pages link to them. */
export interface SpeakerRef {
  readonly name: string;
  readonly slug: string;
  readonly url: string;
}

const link = z.union([
  z.string().transform((url) => ({ label: labelOf(url), url })),
  z.strictObject({ label: z.coerce.string(), url: z.string() }),
]);

const profileSchema = z.strictObject({
  name: z.coerce.string().pipe(z.string().trim().min(1)),
  aliases: z.union([z.string(), z.array(z.coerce.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
  affiliation: z.coerce.string().optional(),
  bio: z.coerce.string().optional(),
  links: z.array(link).optional(),
  photo: z.string().optional(),
});

/** What each key of a speaker must look like, in words and with an example. */
const EXPECTED: Record<string, string> = {
  name: 'must be the person\'s name, like name: Ann Lee',
  aliases: 'must be a name or a list of names, like aliases: [Annie Lee, A. Lee]',
  affiliation: 'must be text, like affiliation: Acme',
  bio: 'must be text, like bio: "Ann runs the platform team at Acme."',
  links: 'must be a list of addresses, like links: [https://github.com/annlee, {label: Blog, url: "https://ann.example/"}]',
  photo: 'must be a path, like photo: /images/speakers/ann-lee.jpeg',
};
const PROFILE_KEYS = Object.keys(EXPECTED);

/** A link's label from its address: `github.com/annlee` -> `github.com`. */
function labelOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** One spelling of a name as a lookup key: case, spacing and Unicode forms do not matter. */
function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The people who speak at the site's meetups, by every spelling `speakers.yml` gives. */
export class SpeakerDirectory {
  private readonly byName = new Map<string, SpeakerProfile>();
  /** Each spelling's reference, made once: thousands of talks name the same few people. */
  private readonly refs = new Map<string, SpeakerRef>();

  /** `digest` stands for the file's text in memo keys (empty without a file). */
  constructor(readonly profiles: readonly SpeakerProfile[], readonly digest: string) {
    // The first profile to give a spelling keeps it (readSpeakers warns about the others).
    for (const profile of profiles) {
      for (const name of [profile.name, ...profile.aliases]) if (!this.byName.has(nameKey(name))) this.byName.set(nameKey(name), profile);
    }
  }

  /** The profile a spelling of a name belongs to, if any. */
  profileOf(name: string): SpeakerProfile | undefined {
    return this.byName.get(nameKey(name));
  }

  /** How pages name and link a speaker: the profile's name when a spelling has one, the name as written otherwise. */
  refOf(name: string): SpeakerRef {
    let ref = this.refs.get(name);
    if (!ref) {
      const canonical = this.profileOf(name)?.name ?? name.replace(/\s+/g, ' ').trim();
      const slug = pathSlug(canonical) || 'speaker';
      this.refs.set(name, (ref = { name: canonical, slug, url: `/speakers/${slug}/` }));
    }
    return ref;
  }
}

/** The people a talk's speaker text names: `Ann Lee & Bo Chen` and `Ann Lee and Bo Chen` are two. */
export function speakerNames(text: string | undefined): string[] {
  if (!text) return [];
  // Most talks have one speaker: text without a joining word is one name (every rebuild reads thousands).
  if (!text.includes('&') && !text.includes('and') && !text.includes('+')) {
    const name = text.trim();
    return name ? [name] : [];
  }
  // The words and the white space between them, in turn: a joining word with white space on both sides parts two names
  // (splitting at /\s+(?:&|and|\+)\s+/ backtracked quadratically through a long run of white space).
  const parts = text.split(/(\s+)/);
  const names: string[] = [];
  let name = '';
  for (let i = 0; i < parts.length; i++) {
    const joins = i % 2 === 0 && i > 0 && i < parts.length - 1 && ['&', 'and', '+'].includes(parts[i]!);
    if (joins) {
      names.push(name);
      name = '';
      i++;
    } else name += parts[i];
  }
  names.push(name);
  return names.map((part) => part.trim()).filter(Boolean);
}

/** Reads `speakers.yml` when the site has one: a list of profiles, each checked, URLs through the URL policy. */
export function readSpeakers(siteDir: string, digestOf: (text: string) => string, diagnostics: Diagnostics): SpeakerDirectory {
  const text = readOptional(path.join(siteDir, SPEAKERS_FILE), 'the speakers file');
  if (text === undefined) return new SpeakerDirectory([], '');
  const parsed = readYaml(text);
  if (!parsed.ok) {
    diagnostics.error('R113', SPEAKERS_FILE, parsed.line + 1, parsed.column + 1, `invalid YAML: ${parsed.message}`);
    return new SpeakerDirectory([], digestOf(text));
  }
  if (parsed.value === null || parsed.value === undefined) return new SpeakerDirectory([], digestOf(text));
  if (!Array.isArray(parsed.value)) {
    diagnostics.error('R113', SPEAKERS_FILE, 1, 1, 'speakers.yml must be a list of speakers', 'start each one with "- name: Ann Lee"');
    return new SpeakerDirectory([], digestOf(text));
  }
  removeXmlForbiddenValues(parsed.value as unknown as Record<string, unknown>);
  const profiles: SpeakerProfile[] = [];
  const claimed = new Map<string, string>();
  parsed.value.forEach((entry: unknown, index) => {
    const at = (key?: string) => lineOfYamlKey(text, key ? [index, key] : [index]);
    const result = profileSchema.safeParse(entry);
    if (!result.success) {
      const hint = `each speaker is like - {name: Ann Lee, aliases: [Annie Lee], affiliation: Acme, bio: "...", links: [https://...], photo: /images/speakers/ann.jpeg}; keys: ${PROFILE_KEYS.join(', ')}`;
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            const where = at(key);
            const near = didYouMean(key, PROFILE_KEYS);
            diagnostics.error('R113', SPEAKERS_FILE, where?.line, where?.column, `speaker ${index + 1} has no key "${key}"${near ? ` (did you mean "${near}"?)` : ''}`, hint);
          }
          continue;
        }
        const key = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
        const where = at(key);
        const missing = key !== undefined && (entry as Record<string, unknown> | null)?.[key] === undefined;
        const what = key === undefined ? 'must be a mapping of keys, like - name: Ann Lee' : missing ? 'is missing: every speaker needs a name' : EXPECTED[key] ?? issue.message;
        diagnostics.error('R113', SPEAKERS_FILE, where?.line, where?.column, `speaker ${index + 1}: ${key ?? 'the entry'} ${what}`, hint);
      }
      return;
    }
    const data = result.data;
    const links = (data.links ?? []).filter((entry, i) => {
      const verdict = checkUrl(entry.url);
      if (!verdict.ok) {
        const where = lineOfYamlKey(text, [index, 'links', i]) ?? at('links');
        diagnostics.warning('R301', SPEAKERS_FILE, where?.line, where?.column, `a link of ${data.name} was removed: ${verdict.reason}`, URL_POLICY_HINT);
      }
      return verdict.ok;
    });
    let photo = data.photo;
    const photoVerdict = photo === undefined ? undefined : checkUrl(photo);
    if (photoVerdict && !photoVerdict.ok) {
      const where = at('photo');
      diagnostics.warning('R301', SPEAKERS_FILE, where?.line, where?.column, `the photo of ${data.name} was removed: ${photoVerdict.reason}`, URL_POLICY_HINT);
      photo = undefined;
    }
    const profile: SpeakerProfile = { name: data.name.replace(/\s+/g, ' '), aliases: data.aliases ?? [], affiliation: data.affiliation, bio: data.bio, links, photo, line: at()?.line ?? 1 };
    for (const name of [profile.name, ...profile.aliases]) {
      const owner = claimed.get(nameKey(name));
      if (owner !== undefined && owner !== profile.name) {
        diagnostics.warning('R114', SPEAKERS_FILE, profile.line, undefined, `"${name}" is a name of both ${owner} and ${profile.name}; it stays with ${owner}`, 'give each spelling to one person');
      } else claimed.set(nameKey(name), profile.name);
    }
    profiles.push(profile);
  });
  return new SpeakerDirectory(profiles, digestOf(text));
}
