/** A link understood as a YouTube video, possibly at a start time. */
export interface VideoLink {
  videoId: string;
  /** Start in seconds, when the link has one. */
  start: number | undefined;
  /** `https://www.youtube.com/watch?v=ID&t=538s`: no tracking, nothing but the id and the start. */
  canonicalUrl: string;
  /** `https://www.youtube-nocookie.com/embed/ID?start=538`: the privacy-enhanced player. */
  embedUrl: string;
  /** Set when the URL was malformed but its video could still be recovered. */
  malformed: string | undefined;
}

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const ID_PATHS = new Set(['embed', 'v', 'e', 'shorts', 'live']);
/** Eleven-character path words that are YouTube pages, not video ids. */
const NOT_IDS = new Set(['videoseries', 'live_stream', 'attribution', 'subscribers']);
const TRACKING = /^(si|feature|pp|ab_channel|app|source_ve_path|embeds_referring_euri|embeds_referring_origin|fbclid|gclid|utm_.*)$/i;

/** True for youtube.com (any subdomain), youtube-nocookie.com and youtu.be. */
function isYouTubeHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'youtube.com' || h.endsWith('.youtube.com') || h === 'youtube-nocookie.com' || h.endsWith('.youtube-nocookie.com') || h === 'youtu.be' || h === 'www.youtu.be';
}

/**
 * True when a link cannot name a YouTube host however a URL parser reads it: plain ASCII without
 * `%`, tabs or line breaks (which parsers decode or drop) and without "youtu" anywhere.
 * Most links of a post are not YouTube's, and parsing each as a URL is most of the cost of reading them.
 */
function plainlyNotYouTube(raw: string): boolean {
  return /^[\x20-\x24\x26-\x7e]*$/.test(raw) && !/youtu/i.test(raw);
}

/** A link parsed as a URL, when it is an absolute http(s) URL on a YouTube host. */
function parseYouTubeUrl(raw: string): URL | undefined {
  if (plainlyNotYouTube(raw)) return undefined;
  const text = raw.trim();
  const absolute = text.startsWith('//') ? `https:${text}` : text;
  if (!/^https?:\/\//i.test(absolute)) return undefined;
  try {
    const url = new URL(absolute);
    return isYouTubeHost(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seconds of a YouTube start time in any form people write: `538`, `538s`, `8m58s`, `1h29m54s`,
 * `8:58`, `1:29:54`. Undefined when the text is not a time.
 */
export function parseStartTime(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+s?$/.test(t)) return Number.parseInt(t, 10);
  const units = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(t);
  if (units && (units[1] || units[2] || units[3]) && /[hm]/.test(t)) {
    return Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0);
  }
  return parseClock(t);
}

/** Seconds of a clock time written by a person: `8:58`, `43:26`, `1:29:54`. */
export function parseClock(text: string): number | undefined {
  const m = /^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [hours, minutes, seconds] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (seconds > 59 || (m[1] !== undefined && minutes > 59)) return undefined;
  return hours * 3600 + minutes * 60 + seconds;
}

/** `538` -> `8:58`, `5394` -> `1:29:54`: the way YouTube and people write times. */
export function formatClock(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function fragmentParams(url: URL): URLSearchParams {
  return new URLSearchParams(url.hash.replace(/^#!?/, ''));
}

function startOf(url: URL): number | undefined {
  const fragment = fragmentParams(url);
  for (const params of [url.searchParams, fragment]) {
    for (const key of ['t', 'start']) {
      const value = params.get(key);
      if (value !== null) {
        const seconds = parseStartTime(value);
        if (seconds !== undefined) return seconds;
      }
    }
  }
  return undefined;
}

/** The canonical watch URL of a video at an optional start. */
export function canonicalVideoUrl(videoId: string, start: number | undefined): string {
  return `https://www.youtube.com/watch?v=${videoId}${start ? `&t=${start}s` : ''}`;
}

/** The privacy-enhanced embed URL of a video at an optional start. */
export function embedVideoUrl(videoId: string, start: number | undefined): string {
  return `https://www.youtube-nocookie.com/embed/${videoId}${start ? `?start=${start}` : ''}`;
}

function video(videoId: string, start: number | undefined, malformed?: string): VideoLink {
  return { videoId, start, canonicalUrl: canonicalVideoUrl(videoId, start), embedUrl: embedVideoUrl(videoId, start), malformed };
}

/** A YouTube link read once: the video it names, or what stands where its video id goes when that is none. */
export type YouTubeLink = { video: VideoLink; badId?: undefined } | { video?: undefined; badId: string };

/** How to mend a link whose badId is set. */
export const VIDEO_ID_HINT = 'put in the id from the recording\'s address, the 11 letters, digits, - and _ after watch?v=';

/**
 * What stands where a video id goes, when it is not one: a placeholder (`watch?v=VIDEO_ID`) or an
 * id cut short when it was copied. A YouTube page's name (videoseries) and a misplaced `v=` are
 * not ids gone wrong.
 */
function notAnId(candidate: string | null | undefined): YouTubeLink | undefined {
  return candidate && !NOT_IDS.has(candidate) && !candidate.startsWith('v=') ? { badId: candidate } : undefined;
}

/**
 * Reads any YouTube video URL shape for its video id and start time, or for what stands where the
 * id goes when it is none. Playlists, channels, `videoseries` and live-stream pages are not
 * videos: undefined.
 */
export function readYouTubeLink(raw: string): YouTubeLink | undefined {
  const url = parseYouTubeUrl(raw);
  if (!url) return undefined;
  const start = startOf(url);
  const segments = url.pathname.split('/').filter(Boolean);
  const host = url.hostname.toLowerCase();
  if (host.endsWith('youtu.be')) {
    const id = segments[0];
    return id && VIDEO_ID.test(id) ? { video: video(id, start) } : notAnId(id);
  }
  const [first, second] = segments;
  if (first === 'watch' || (first === undefined && (url.searchParams.has('v') || fragmentParams(url).has('v')))) {
    const id = url.searchParams.get('v') ?? fragmentParams(url).get('v');
    return id && VIDEO_ID.test(id) ? { video: video(id, start) } : notAnId(id);
  }
  if (first && ID_PATHS.has(first) && second) {
    if (VIDEO_ID.test(second) && !NOT_IDS.has(second)) return { video: video(second, start) };
    const misplaced = /^v=([A-Za-z0-9_-]{11})$/.exec(second);
    if (misplaced) return { video: video(misplaced[1]!, start, `the ${first} path takes the bare video id, not "v=${misplaced[1]}"`) };
    return segments.length === 2 ? notAnId(second) : undefined;
  }
  if (first && segments.length === 1 && VIDEO_ID.test(first) && !NOT_IDS.has(first) && /[0-9A-Z_-]/.test(first)) {
    return { video: video(first, start, 'a video address needs /watch?v= before the id') };
  }
  return undefined;
}

/** The video a YouTube link names, at its start time; undefined for every link that names none. */
export function resolveVideoUrl(raw: string): VideoLink | undefined {
  return readYouTubeLink(raw)?.video;
}

/** A YouTube link that is not a video (playlist, channel) without its tracking parameters; other links unchanged. */
export function withoutTracking(raw: string): string {
  const url = parseYouTubeUrl(raw);
  if (!url) return raw;
  const keys = [...url.searchParams.keys()];
  if (!keys.some((k) => TRACKING.test(k))) return raw;
  for (const key of keys) if (TRACKING.test(key)) url.searchParams.delete(key);
  return url.toString();
}
