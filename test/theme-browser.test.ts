import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { BuildResult } from '../src/pipeline/build.js';
import { headersForPath } from '../src/output/headers.js';
import { HAVE_CHROMIUM, launchBrowser, serveManifest } from './browser.js';
import { announcementMatter, buildSite, makeSite, messages, photo, post, REPO } from './helpers.js';

const VIDEO = 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ';
/** A word longer than a phone is wide, as German names of places and firms can be. */
const LONG_WORD = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhersteller';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Where the screenshots of every page type go, for people to look at (CI keeps them as artifacts). */
const SCREENSHOTS = process.env['RECAP_SCREENSHOTS'] ?? path.join(REPO, 'test-artifacts', 'screenshots');

/** Every page type of the default theme, by what it is. */
const PAGES: ReadonlyArray<[string, string]> = [
  ['home', '/'],
  ['post', '/2027/02/10/february-meetup/'],
  ['post-without-photo', '/2027/01/12/january-meetup/'],
  ['post-with-wide-content', '/2026/12/08/december-meetup/'],
  ['announcement', '/2027/03/23/march-meetup/'],
  ['talks', '/talks/'],
  ['speakers', '/speakers/'],
  ['speaker', '/speakers/ann-lee/'],
  ['search', '/search/?q=webhooks'],
  ['tags', '/tags/'],
  ['archive', '/archive/'],
  ['page', '/about/'],
];

async function site(): Promise<BuildResult> {
  const dir = makeSite({
    'recap.yml': 'title: Platform Night\nurl: https://theme.example\ndescription: A monthly meetup about platforms\ntimezone: Europe/London\ntheme:\n  accent: "#8a2be2"\n',
    'images/group.jpeg': await photo(1200, 800, 5),
    'images/speakers/ann.jpeg': await photo(400, 400, 6),
    'speakers.yml': '- name: Ann Lee\n  affiliation: Acme\n  bio: Ann runs the platform team at Acme.\n  links: [https://github.com/annlee-example]\n  photo: /images/speakers/ann.jpeg\n',
    'pages/about.md': post('title: About us\nnav: true', 'We meet once a month in Leeds.\n'),
    'posts/2027-03-23-march-meetup.md': post(announcementMatter(), 'Doors at six. Two talks, then pizza.\n'),
    'posts/2027-02-10-february-meetup.md': post([
      'title: "February meetup: webhooks and queues"',
      'image: /images/group.jpeg',
      'image_alt: Forty people in a brick-walled room, facing the camera',
      `video: ${VIDEO}`,
      'tags: [Meetup, Webhooks]',
      'event:',
      '  start: 2027-02-10 18:30',
      '  end: 2027-02-10 21:00',
      '  venue: The Tetley',
      '  address: Hunslet Road, Leeds LS10 1JQ',
    ].join('\n'), `Ann Lee from Acme gave [Webhooks at scale](${VIDEO}&t=538) (starting at 8:58).\n\nBo Chen talked about [Queues without tears](${VIDEO}&t=1800) (starting at 30:00).\n`
      // What kramdown reads besides CommonMark, as migrated posts write it.
      + '\nWhat we covered[^vote]:\n\n- [x] Webhooks\n- [ ] Queues, next time\n\nDead letter\n: Where a message goes when no one can take it\n\n'
      + '| Talk | Minutes |\n|---|---:|\n| Webhooks | 25 |\n{: .talk-times}\n\n*[API]: Application Programming Interface\n\nEvery API was on time.\n\n[^vote]: As voted on the night.\n'),
    'posts/2027-01-12-january-meetup.md': post('title: January meetup\nsubtitle: Roadmaps, then the quiz\ntags: [Meetup]\nvideo: https://www.youtube.com/watch?v=Zy9xW8vU7tS',
      `Cy Diaz from Example Labs gave [Platform roadmaps](https://www.youtube.com/watch?v=Zy9xW8vU7tS&t=95) (starting at 1:35).\n\n![Doors open at six](/images/group.jpeg)\n![The quiz after the talks](/images/group.jpeg)\n\n`
      // A photo aligned as Minimal Mistakes' posts align them, with words beside it.
      + '![The host](/images/group.jpeg){: .align-left} Our host for the night welcomed everyone and explained where the drinks were.\n'
      // Callouts as Minimal Mistakes and Chirpy posts mark them.
      + '\n{: .notice--warning}\nBring photo ID: the building checks it at the door.\n\n> The slides are on the meetup page.\n{: .prompt-tip }\n'),
    // What a phone cannot show at its width: each scrolls by itself (and takes focus to), or is narrowed, never widening the page.
    // And words longer than a phone is wide, in its place, tag and text, which every list shows.
    'posts/2026-12-08-december-meetup.md': post(`title: December meetup\nlocation: ${LONG_WORD} Halle\ntags: [Meetup, ${LONG_WORD}]`, [
      `Thanks to ${LONG_WORD} for the room.`,
      '',
      '| Talk | Speaker | Company | Room | Track | Level | What to bring |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| Kubernetes operators in production | Dana Okonkwo-Whitfield | Megacorporation International | Auditorium | Platform | Advanced | A laptop with kubectl and a cluster |',
      '',
      '```js',
      `const timetable = await fetchTimetable(${'meetupIdentifier, '.repeat(8)}done);`,
      '```',
      '',
      `<table><tr>${'<td>Column&nbsp;of&nbsp;the&nbsp;raw&nbsp;table</td>'.repeat(6)}</tr></table>`,
      '',
      '<pre>a raw preformatted line that goes on and on and on and on and on and on and on and on</pre>',
      '',
      '<video width="1000" height="500" controls></video>',
      '',
      '<svg width="1000" height="40" role="img" aria-label="A wide bar"><rect width="1000" height="40" fill="#8a2be2"/></svg>',
      '',
    ].join('\n')),
  });
  return buildSite(dir, { now: new Date('2027-03-01T12:00:00Z') });
}

describe('the default theme in a browser', { skip: HAVE_CHROMIUM ? false : 'Chromium is not installed (.ci/run installs it)' }, () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let result: BuildResult;

  before(async () => {
    result = await site();
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    // Served with the build's own headers, its Content-Security-Policy included.
    const headers = headersForPath(result.manifest.get('/_headers')!.content!.toString(), '/');
    ({ origin, server } = await serveManifest(result.manifest, headers));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('finds a talk from the header\'s search box, typo and all, and follows it to the moment it starts', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    // No request may leave the site: YouTube is answered here, and anything else fails the test.
    const elsewhere: string[] = [];
    await page.route((url) => !url.href.startsWith(origin), (route) => {
      elsewhere.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>YouTube</title>' });
    });
    await page.goto(`${origin}/`);
    await page.getByRole('searchbox', { name: 'Search talks, speakers and meetups' }).fill('webhoks scale');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\/\?q=webhoks/);
    const status = page.getByRole('status');
    await status.filter({ hasText: /result/ }).waitFor();
    assert.equal(await status.textContent(), '1 result for “webhoks scale”.');
    const first = page.locator('.search-results li').first();
    assert.equal(await first.locator('.talk-title').textContent(), 'Webhooks at scale');
    assert.equal(await first.locator('.talk-speaker').textContent(), 'Ann Lee');
    // Results appear as you type; speakers and meetups are found too.
    const input = page.getByRole('searchbox', { name: 'Talks, speakers and meetups' });
    await input.fill('bo che');
    await page.locator('.search-results li.search-speaker').filter({ hasText: 'Bo Chen' }).waitFor();
    await input.fill('paved');
    await page.locator('.search-results li.search-meetup').filter({ hasText: 'March meetup: paved roads' }).waitFor();
    await input.fill('webhooks');
    await page.locator('.search-results .talk-time').first().click();
    await page.waitForURL(/youtube\.com/);
    assert.equal(page.url(), 'https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=538s', 'the result is the talk at 8:58');
    assert.deepEqual(elsewhere, ['https://www.youtube.com/watch?v=Ab3dE5fG7hJ&t=538s'], 'the search itself asked no other host');
    assert.deepEqual(errors, [], 'no script error and no CSP violation');
    await page.close();
  });

  it('has no axe-core violations on any page type, light or dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      // axe is injected past the CSP, which (rightly) refuses it.
      const context = await browser.newContext({ colorScheme, bypassCSP: true });
      const page = await context.newPage();
      for (const [name, url] of PAGES) {
        await page.goto(`${origin}${url}`);
        if (name === 'search') await page.locator('.search-results li').first().waitFor();
        await page.evaluate(AXE);
        const violations = await page.evaluate<Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }>>(
          'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))');
        assert.deepEqual(violations, [], `${name} (${url}, ${colorScheme}): ${JSON.stringify(violations, null, 1)}`);
      }
      await context.close();
    }
  });

  it('sets a photo a Jekyll theme aligns beside the words on a wide screen, and above them on a phone', async () => {
    for (const [width, float] of [[1280, 'left'], [390, 'none']] as const) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${origin}/2027/01/12/january-meetup/`);
      const photo = page.locator('.post-body img.align-left');
      const box = (await photo.boundingBox())!;
      assert.equal(await page.evaluate<string>('getComputedStyle(document.querySelector(".post-body img.align-left")).float'), float, `at ${width}px`);
      // Where the words' first line is drawn (their paragraph's box runs behind a floated photo).
      const words = await page.evaluate<{ x: number; y: number }>(`(() => {
        const text = [...document.querySelectorAll('.post-body p')].flatMap((p) => [...p.childNodes]).find((node) => node.nodeType === 3 && node.textContent.includes('Our host'));
        const range = document.createRange();
        range.selectNodeContents(text);
        const line = range.getClientRects()[0];
        return { x: line.x, y: line.y };
      })()`);
      if (float === 'left') {
        assert.ok(words.x >= box.x + box.width && words.y < box.y + box.height, `the words beside the photo at ${width}px: ${JSON.stringify({ box, words })}`);
        const next = (await page.locator('.post-nav').boundingBox())!;
        assert.ok(next.y >= box.y + box.height, 'what follows the post clears the photo');
      } else {
        assert.ok(words.y >= box.y + box.height && box.width <= width, `the words under the photo at ${width}px`);
      }
      await page.close();
    }
  });

  it('shows the callouts Jekyll themes mark as boxes with an edge in their colour, light and dark, and a post\'s subtitle under its title', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(`${origin}/2027/01/12/january-meetup/`);
      const styles = await page.evaluate<Array<{ edge: string; width: string; background: string; page: string }>>(`['.post-body p.notice--warning', '.post-body blockquote.prompt-tip'].map((selector) => {
        const style = getComputedStyle(document.querySelector(selector));
        return { edge: style.borderLeftColor, width: style.borderLeftWidth, background: style.backgroundColor, page: getComputedStyle(document.body).backgroundColor };
      })`);
      for (const box of styles) assert.ok(box.width === '4px' && box.background !== box.page && box.background !== 'rgba(0, 0, 0, 0)', `${colorScheme}: ${JSON.stringify(box)}`);
      assert.notEqual(styles[0]!.edge, styles[1]!.edge, 'a warning and a tip differ in colour');
      const header = await page.evaluate<string[]>(`[...document.querySelectorAll('.post-header > *')].map((e) => e.tagName + ':' + e.textContent.trim()).slice(0, 2)`);
      assert.deepEqual(header, ['H1:January meetup', 'P:Roadmaps, then the quiz']);
      await page.close();
    }
  });

  it('lays out every page type at phone and desktop widths without overflow or console errors, and saves screenshots of each', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [390, 1280]) {
        const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
        const page: Page = await context.newPage();
        // Served under the build's own Content-Security-Policy, nothing a page does is refused (a style attribute, say).
        const complaints: string[] = [];
        page.on('console', (message) => void (message.type() === 'error' && complaints.push(`${page.url()}: ${message.text()}`)));
        for (const [name, url] of PAGES) {
          await page.goto(`${origin}${url}`);
          if (name === 'search') await page.locator('.search-results li').first().waitFor();
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
          assert.equal(overflow, 0, `${name} at ${width}px (${colorScheme}) scrolls sideways by ${overflow}px`);
          // Screenshots (for people to look at) of every page but dark at desktop width, which differs from light there by colour alone.
          if (colorScheme === 'light' || width < 600) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}-${colorScheme}.png`), fullPage: true });
        }
        assert.deepEqual(complaints, [], 'no errors in the console');
        await context.close();
      }
    }
    // Printed, a recap keeps its text, talks and event, without the menu, the player or the buttons.
    const page = await browser.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${origin}/2027/02/10/february-meetup/`);
    assert.equal(await page.locator('.site-header nav').isVisible(), false);
    assert.equal(await page.locator('figure.video').isVisible(), false);
    assert.equal(await page.locator('.talks').isVisible(), true);
    await page.pdf({ path: path.join(SCREENSHOTS, 'post-print.pdf') });
    await page.close();
  });
});
