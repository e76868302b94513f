import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClock, parseClock, readYouTubeLink, resolveVideoUrl, withoutTracking } from '../src/talks/youtube.js';

const ID = 'VLZIzdmtu-8';

/** [url, expected video id or null, expected start, malformed?] */
const CASES: Array<[string, string | null, number | undefined, boolean?]> = [
  // Every URL shape.
  [`https://www.youtube.com/watch?v=${ID}`, ID, undefined],
  [`https://youtube.com/watch?v=${ID}`, ID, undefined],
  [`http://www.youtube.com/watch?v=${ID}`, ID, undefined],
  [`https://m.youtube.com/watch?v=${ID}`, ID, undefined],
  [`https://music.youtube.com/watch?v=${ID}&list=RDAMVM`, ID, undefined],
  [`https://www.youtube.com/watch?feature=share&v=${ID}`, ID, undefined],
  [`https://www.youtube.com/watch?app=desktop&v=${ID}&t=538`, ID, 538],
  [`https://www.youtube.com/watch#v=${ID}`, ID, undefined],
  [`https://www.youtube.com/watch?x=1#v=${ID}&t=60`, ID, 60],
  [`https://www.youtube.com/embed/${ID}`, ID, undefined],
  [`https://www.youtube.com/embed/${ID}?start=538`, ID, 538],
  [`https://www.youtube-nocookie.com/embed/${ID}?start=90`, ID, 90],
  [`https://youtube-nocookie.com/embed/${ID}`, ID, undefined],
  [`https://www.youtube.com/v/${ID}?version=3`, ID, undefined],
  [`https://www.youtube.com/e/${ID}`, ID, undefined],
  [`https://www.youtube.com/shorts/${ID}`, ID, undefined],
  [`https://www.youtube.com/live/${ID}`, ID, undefined],
  [`https://www.youtube.com/live/${ID}?si=pd8P5xaCPEOcsGkX&t=538`, ID, 538],
  [`https://youtu.be/${ID}`, ID, undefined],
  [`https://youtu.be/${ID}?t=2606`, ID, 2606],
  [`https://youtu.be/${ID}?si=abc&t=43m26s`, ID, 2606],
  [`//www.youtube.com/watch?v=${ID}&t=5394`, ID, 5394],
  [`//youtu.be/${ID}`, ID, undefined],
  [`  https://www.youtube.com/watch?v=${ID}  `, ID, undefined],
  [`HTTPS://WWW.YOUTUBE.COM/watch?v=${ID}`, ID, undefined],
  // Every time format.
  [`https://www.youtube.com/watch?v=${ID}&t=538s`, ID, 538],
  [`https://www.youtube.com/watch?v=${ID}&t=8m58s`, ID, 538],
  [`https://www.youtube.com/watch?v=${ID}&t=1h29m54s`, ID, 5394],
  [`https://www.youtube.com/watch?v=${ID}&t=1h`, ID, 3600],
  [`https://www.youtube.com/watch?v=${ID}&t=8m`, ID, 480],
  [`https://www.youtube.com/watch?v=${ID}&t=8:58`, ID, 538],
  [`https://www.youtube.com/watch?v=${ID}&t=1:29:54`, ID, 5394],
  [`https://www.youtube.com/watch?v=${ID}&t=1%3A29%3A54`, ID, 5394],
  [`https://www.youtube.com/watch?v=${ID}&start=538`, ID, 538],
  [`https://www.youtube.com/watch?v=${ID}#t=538`, ID, 538],
  [`https://www.youtube.com/watch?v=${ID}#t=8m58s`, ID, 538],
  [`https://www.youtube.com/watch?v=${ID}&t=soon`, ID, undefined],
  // Malformed but recoverable.
  [`https://www.youtube.com/embed/v=${ID}`, ID, undefined, true],
  [`https://www.youtube.com/embed/v=${ID}?start=30`, ID, 30, true],
  [`https://www.youtube.com/${ID}`, ID, undefined, true],
  // Not videos.
  ['https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', null, undefined],
  ['https://www.youtube.com/embed/videoseries?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs', null, undefined],
  ['https://www.youtube.com/channel/UC4R8DWoMoI7CAwX8_LjQHig', null, undefined],
  ['https://www.youtube.com/@cloudnativelondon', null, undefined],
  ['https://www.youtube.com/c/CloudNativeLondon', null, undefined],
  ['https://www.youtube.com/live_stream?channel=UC4R8DWoMoI7CAwX8_LjQHig', null, undefined],
  ['https://www.youtube.com/user/someone', null, undefined],
  ['https://www.youtube.com/results?search_query=kubernetes', null, undefined],
  ['https://www.youtube.com/watch?v=tooShort', null, undefined],
  ['https://www.youtube.com/watch?v=waytoolongvideoid12', null, undefined],
  ['https://www.youtube.com/embed/bad*chars!!', null, undefined],
  ['https://youtu.be/', null, undefined],
  [`https://vimeo.com/${ID}`, null, undefined],
  [`https://notyoutube.com/watch?v=${ID}`, null, undefined],
  [`https://youtube.com.evil.example/watch?v=${ID}`, null, undefined],
  [`javascript:alert('${ID}')`, null, undefined],
  [`/watch?v=${ID}`, null, undefined],
  ['not a url at all', null, undefined],
  // Hosts a URL parser decodes, maps or joins into YouTube's are still YouTube's (links are not skipped on their spelling).
  [`https://www.youtub%65.com/watch?v=${ID}&t=60`, ID, 60],
  [`https://you\ttube.com/watch?v=${ID}`, ID, undefined],
  [`https://ｙｏｕｔｕｂｅ.com/watch?v=${ID}&t=5`, ID, 5],
  [`https://you\u00ADtube.com/watch?v=${ID}`, ID, undefined],
  [`HTTPS://YOUTU.BE/${ID}?t=9`, ID, 9],
];

describe('resolving YouTube links', () => {
  it(`has a table of at least 40 cases (${CASES.length})`, () => {
    assert.ok(CASES.length >= 40);
  });

  for (const [url, id, start, malformed] of CASES) {
    it(`${url} -> ${id ?? 'not a video'}${start !== undefined ? ` at ${start}` : ''}`, () => {
      const video = resolveVideoUrl(url);
      if (id === null) {
        assert.equal(video, undefined);
        return;
      }
      assert.ok(video, 'expected a video');
      assert.equal(video.videoId, id);
      assert.equal(video.start, start);
      assert.equal(Boolean(video.malformed), Boolean(malformed));
      assert.equal(video.canonicalUrl, `https://www.youtube.com/watch?v=${id}${start ? `&t=${start}s` : ''}`);
      assert.equal(video.embedUrl, `https://www.youtube-nocookie.com/embed/${id}${start ? `?start=${start}` : ''}`);
    });
  }

  it('names what stands where a video id goes when it is none, and nothing for every other link', () => {
    const invalidVideoId = (url: string): string | undefined => readYouTubeLink(url)?.badId;
    const invalid: Record<string, string> = {
      'https://www.youtube.com/watch?v=tooShort': 'tooShort',
      'https://www.youtube.com/watch?v=waytoolongvideoid12': 'waytoolongvideoid12',
      'https://www.youtube.com/embed/bad*chars!!': 'bad*chars!!',
    };
    for (const [url] of CASES) assert.equal(invalidVideoId(url), invalid[url], url);
    // What recap new post writes, and ids cut short, in each shape a video link takes.
    assert.equal(invalidVideoId('https://www.youtube.com/watch?v=VIDEO_ID&t=538s'), 'VIDEO_ID');
    assert.equal(invalidVideoId('https://youtu.be/VIDEO_ID?t=538'), 'VIDEO_ID');
    assert.equal(invalidVideoId(`https://www.youtube.com/live/${ID.slice(0, 10)}?t=5`), ID.slice(0, 10));
    assert.equal(invalidVideoId(`https://www.youtube.com/watch#v=${ID}x`), `${ID}x`);
    assert.equal(invalidVideoId('https://www.youtube.com/watch?list=PL1'), undefined);
    assert.equal(invalidVideoId('https://www.youtube.com/shorts/abc/def'), undefined);
  });

  it('drops tracking parameters from YouTube links that are not videos, and leaves other links alone', () => {
    assert.equal(withoutTracking('https://www.youtube.com/playlist?list=PL1&si=abc&feature=shared&utm_source=x'), 'https://www.youtube.com/playlist?list=PL1');
    assert.equal(withoutTracking('https://example.org/?si=abc'), 'https://example.org/?si=abc');
    assert.equal(withoutTracking('https://www.youtube.com/@group'), 'https://www.youtube.com/@group');
  });

  it('reads and writes clock times', () => {
    assert.equal(parseClock('8:58'), 538);
    assert.equal(parseClock('43:26'), 2606);
    assert.equal(parseClock('1:29:54'), 5394);
    assert.equal(parseClock('8:61'), undefined);
    assert.equal(parseClock('1:61:00'), undefined);
    assert.equal(formatClock(538), '8:58');
    assert.equal(formatClock(5394), '1:29:54');
    assert.equal(formatClock(3600), '1:00:00');
    assert.equal(formatClock(5), '0:05');
  });
});
