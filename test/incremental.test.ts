import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build, type BuildResult } from '../src/pipeline/build.js';
import type { RunningServer } from '../src/preview/serve.js';
import { createBuildMemory } from '../src/incremental/build-memory.js';
import { BUILTIN_TEMPLATES } from '../src/views/renderer.js';
import { makeSite, manifestBytes, photo, post, tempDir } from './helpers.js';
import { startServer } from './serve-helpers.js';

const V = ['Ab3dE5fG7hJ', 'Zy9xW8vU7tS'];
const POSTS = 40;

/** A small deterministic random number generator (mulberry32), so every run makes the same edits. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first difference between two manifests, in words, or undefined when they are byte-identical. */
function difference(served: Map<string, string>, fresh: Map<string, string>): string | undefined {
  for (const url of fresh.keys()) if (!served.has(url)) return `${url} is missing from the served build`;
  for (const url of served.keys()) if (!fresh.has(url)) return `${url} is served but a fresh build has no such output (stale)`;
  for (const [url, bytes] of fresh) {
    if (served.get(url) !== bytes) {
      const a = Buffer.from(served.get(url)!, 'base64').toString();
      const b = Buffer.from(bytes, 'base64').toString();
      let at = 0;
      while (at < a.length && a[at] === b[at]) at++;
      return `${url} differs at ${at}: served …${a.slice(Math.max(0, at - 80), at + 80)}… fresh …${b.slice(Math.max(0, at - 80), at + 80)}…`;
    }
  }
  return undefined;
}

/** A fresh build of a copy of the site folder (its image cache included, which only saves encoding). */
async function freshBuild(site: string, withCache: boolean): Promise<BuildResult> {
  const copy = tempDir();
  for (const entry of readdirSync(site)) {
    if (entry === '_site' || entry === '._site.recap' || (!withCache && entry === '.cache')) continue;
    cpSync(path.join(site, entry), path.join(copy, entry), { recursive: true });
  }
  return build({ siteDir: copy });
}

function postText(i: number, options: { title?: string; tags?: string[]; date?: string; body?: string; photo?: boolean; published?: boolean; event?: string; speaker?: string; modified?: string } = {}): string {
  const lines = [`title: ${JSON.stringify(options.title ?? `Meetup ${i}`)}`, `tags: ${JSON.stringify(options.tags ?? [`t${i % 5}`, String(2020 + (i % 4))])}`];
  // Some posts keep their address whatever their file is called: renaming one changes nothing but its file.
  if (i % 10 === 3) lines.push(`permalink: /kept/${i}/`);
  if (options.date) lines.push(`date: ${options.date}`);
  if (options.photo ?? i % 7 !== 0) lines.push('image: /images/group.jpeg', 'image_alt: The group');
  if (options.published === false) lines.push('published: false');
  if (options.modified) lines.push(`last_modified_at: ${options.modified}`);
  if (options.event) lines.push('event:', `  start: ${options.event}`, '  end: "21:00"', '  venue: The Tetley', '  address: Hunslet Road, Leeds');
  // Some bodies show the site's title and address (a settings edit must make them again, and only them).
  const welcome = i % 11 === 5 ? 'Welcome to {{ site.title }} at {{ site.url }}.\n\n' : '';
  const body = options.body ?? `${welcome}${options.speaker ?? 'Ann Lee'} from Acme gave [Talk ${i}](https://youtu.be/${V[i % 2]}?t=${60 + i}) (starting at 1:${String(i).padStart(2, '0')}).\n\nMore about meetup ${i}.\n`;
  return post(lines.join('\n'), body);
}

function postName(i: number): string {
  const day = 1 + (i % 28);
  const month = 1 + Math.floor(i / 28);
  return `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}-meetup-${i}.md`;
}

describe('incremental rebuilds equal a fresh build', () => {
  let site: string;
  let server: RunningServer;

  before(async () => {
    const files: Record<string, string | Buffer> = {
      'recap.yml': 'title: Differential\nurl: https://diff.example\npaginate: 7\n',
      'images/group.jpeg': await photo(96, 64, 1),
    };
    for (let i = 0; i < POSTS; i++) files[`posts/${postName(i)}`] = postText(i);
    site = makeSite(files);
    server = await startServer(site);
  });

  after(async () => {
    await server?.close();
  });

  it('after every step of a seeded sequence of 40 edits, the served site is byte-identical to a fresh build', async () => {
    const next = random(20261201);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const live = () => readdirSync(path.join(site, 'posts')).filter((f) => f.endsWith('.md')).sort();
    let created = POSTS;
    let templateVersion = 0;
    let photoVersion = 1;
    const write = (file: string, text: string | Buffer) => {
      mkdirSync(path.dirname(path.join(site, file)), { recursive: true });
      writeFileSync(path.join(site, file), text);
    };
    const indexOf = (name: string) => Number(/meetup-(\d+)/.exec(name)![1]);
    const edits: Array<[string, () => Promise<void> | void]> = [
      ['body', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { body: `A new body ${next().toFixed(6)}.\n` }));
      }],
      ['title', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { title: `Renamed ${next().toFixed(6)}` }));
      }],
      ['tags', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { tags: [`new-${Math.floor(next() * 3)}`, 'C++', 'c#'] }));
      }],
      ['date (reorders every list)', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { date: `2025-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}` }));
      }],
      ['delete', () => {
        rmSync(path.join(site, 'posts', pick(live())));
      }],
      ['create', () => {
        const i = created++;
        write(`posts/2025-12-${String(1 + (i % 28)).padStart(2, '0')}-meetup-${i}.md`, postText(i));
      }],
      ['unpublish', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { published: false }));
      }],
      ['move to drafts', () => {
        const name = pick(live());
        mkdirSync(path.join(site, 'drafts'), { recursive: true });
        renameSync(path.join(site, 'posts', name), path.join(site, 'drafts', name));
      }],
      ['settings', () => {
        write('recap.yml', `title: Differential ${Math.floor(next() * 100)}\nurl: https://${pick(['diff', 'other'])}.example\npaginate: ${5 + Math.floor(next() * 5)}\n`);
      }],
      ['template override', () => {
        const base = readFileSync(path.join(BUILTIN_TEMPLATES, 'post.njk'), 'utf8');
        write('templates/post.njk', base.replace('<div class="post-body">', `<div class="post-body" data-version="${++templateVersion}">`));
      }],
      ['photo', async () => {
        write('images/group.jpeg', await photo(96, 64, ++photoVersion));
      }],
      ['another photo', async () => {
        write(`images/extra-${photoVersion}.jpeg`, await photo(80, 60, 100 + photoVersion));
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { body: `![Extra](/images/extra-${photoVersion}.jpeg)\n` }));
      }],
      ['photo elsewhere (static/: made responsive while a post names it, in Markdown or HTML)', async () => {
        if (!existsSync(path.join(site, 'static/img/elsewhere.jpeg')) || next() < 0.3) write('static/img/elsewhere.jpeg', await photo(90, 60, 200 + ++photoVersion));
        const name = pick(live());
        const body = pick(['![Elsewhere](/img/elsewhere.jpeg)\n', '<p><img src="/img/elsewhere.jpeg" alt="Raw"></p>\n', 'No photo now.\n']);
        write(`posts/${name}`, postText(indexOf(name), { body }));
      }],
      ['page (in the navigation of every page)', () => {
        write('pages/about.md', post(`title: About ${Math.floor(next() * 100)}\nnav: ${1 + Math.floor(next() * 3)}`, 'About this meetup.\n'));
        if (next() < 0.5) write('pages/code-of-conduct.md', post('title: Code of Conduct\nnav: true', 'Be kind.\n'));
        else rmSync(path.join(site, 'pages/code-of-conduct.md'), { force: true });
      }],
      ['home page introduction (pages/index.md atop the first home page)', () => {
        if (next() < 0.25) rmSync(path.join(site, 'pages/index.md'), { force: true });
        else write('pages/index.md', post('title: Home', `We meet monthly, version ${Math.floor(next() * 100)}.\n`));
      }],
      ['event (an announcement on the home page, or a recap)', () => {
        const name = pick(live());
        const when = next() < 0.5 ? `2031-0${1 + Math.floor(next() * 9)}-10 18:30` : `2024-0${1 + Math.floor(next() * 9)}-10 19:00`;
        write(`posts/${name}`, postText(indexOf(name), { event: when }));
      }],
      ['last modified (the sitemap\'s date, nothing else)', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { modified: `2026-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}` }));
      }],
      ['speaker (speaker pages and talk links)', () => {
        const name = pick(live());
        write(`posts/${name}`, postText(indexOf(name), { speaker: pick(['Bo Chen', 'Cy Diaz', 'Annie Lee']) }));
      }],
      ['speakers.yml', () => {
        if (next() < 0.25) rmSync(path.join(site, 'speakers.yml'), { force: true });
        else write('speakers.yml', `- name: Ann Lee\n  aliases: [${pick(['Annie Lee', 'Cy Diaz'])}]\n  bio: Version ${Math.floor(next() * 100)}\n`);
      }],
      ['rename, address kept (only the post\'s file changes)', () => {
        const kept = live().filter((name) => indexOf(name) % 10 === 3);
        const name = pick(kept.length > 0 ? kept : live());
        renameSync(path.join(site, 'posts', name), path.join(site, 'posts', name.replace(/\.md$/, '-renamed.md')));
      }],
      ['burst of many edits', () => {
        for (const name of live().slice(0, 12)) write(`posts/${name}`, postText(indexOf(name), { body: `Burst ${next().toFixed(6)}.\n` }));
      }],
    ];
    const steps: string[] = [];
    for (let step = 0; step < 40; step++) {
      // Every kind at least twice, then at random; a broken-then-fixed edit every ninth step.
      const [kind, edit] = step < edits.length * 2 ? edits[step % edits.length]! : pick(edits);
      if (step % 9 === 4) {
        const name = pick(live());
        const good = readFileSync(path.join(site, 'posts', name), 'utf8');
        const served = manifestBytes(server.served());
        writeFileSync(path.join(site, 'posts', name), '---\ntitle: [broken\n---\n');
        await waitFor(() => server.errors().length > 0, `the broken front matter of ${name} is reported`);
        assert.equal(difference(manifestBytes(server.served()), served), undefined, 'a failed rebuild leaves the last good build served');
        writeFileSync(path.join(site, 'posts', name), good);
        steps.push(`broken then fixed ${name}`);
      }
      await edit();
      steps.push(kind);
      const fresh = manifestBytes((await freshBuild(site, true)).manifest);
      let last: string | undefined = 'not compared yet';
      await waitFor(() => (last = difference(manifestBytes(server.served()), fresh)) === undefined && server.errors().length === 0,
        () => `step ${step + 1} (${steps.slice(-3).join(', ')}): ${last}`);
    }
    // The persistent cache is the same mechanism: a warm build equals a cold one.
    const cold = manifestBytes((await freshBuild(site, false)).manifest);
    const copy = tempDir();
    cpSync(site, copy, { recursive: true });
    await build({ siteDir: copy, persistCache: true });
    const warm = await build({ siteDir: copy, persistCache: true });
    assert.ok(warm.cachedBodies > 0);
    assert.equal(difference(manifestBytes(warm.manifest), cold), undefined);
  });
});

async function waitFor(condition: () => boolean, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(typeof what === 'string' ? what : what());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a rebuild of a post that names another with post_url', () => {
  it('follows the named post when it moves, as a fresh build does', async () => {
    const site = makeSite({
      'posts/2024-01-01-a.md': post('title: A', 'See [c]({% post_url 2024-03-01-c %}).\n'),
      'posts/2024-02-01-b.md': post('title: B'),
      'posts/2024-03-01-c.md': post('title: C'),
    });
    const memory = await createBuildMemory();
    await build({ siteDir: site, memory });
    // A is no neighbour of C's: only its link says where C is.
    const moved = path.join(site, 'posts/2024-03-01-c.md');
    writeFileSync(moved, post('title: C\npermalink: /moved/'));
    memory.changed.add(moved);
    const served = await build({ siteDir: site, memory });
    assert.equal(difference(manifestBytes(served.manifest), manifestBytes((await build({ siteDir: site })).manifest)), undefined);
    assert.match(served.manifest.get('/2024/01/01/a/')!.content!.toString(), /href="\/moved\/"/);
  });
});

describe('recap serve\'s list sections', () => {
  it('are kept whole when an edit leaves every card as it was, and a card\'s edit makes again only its own lists', async () => {
    const files: Record<string, string> = { 'recap.yml': 'title: Lists\nurl: https://lists.example\npaginate: 3\n' };
    // Two spellings of one name share a speaker page: a warning at every build, kept lists or not.
    for (let i = 0; i < 8; i++) files[`posts/${postName(i)}`] = postText(i, { photo: false, speaker: i === 2 ? 'Ann Lée' : 'Ann Lee' });
    const site = makeSite(files);
    const memory = await createBuildMemory();
    const first = await build({ siteDir: site, memory });
    const shared = (result: BuildResult) => result.diagnostics.list.filter((d) => d.code === 'R312').map((d) => d.message);
    assert.equal(shared(first).length, 1);
    // Counts the renders of each template in one rebuild after writing a post (the renderer is kept between builds).
    const rebuildAfter = async (i: number, text: string): Promise<{ renders: Map<string, number>; served: BuildResult }> => {
      const file = path.join(site, 'posts', postName(i));
      writeFileSync(file, text);
      memory.changed.add(file);
      const renders = new Map<string, number>();
      const renderer = memory.renderer!;
      const render = renderer.render.bind(renderer);
      renderer.render = (name, ...rest) => (renders.set(name, (renders.get(name) ?? 0) + 1), render(name, ...rest));
      try {
        const served = await build({ siteDir: site, memory });
        assert.equal(difference(manifestBytes(served.manifest), manifestBytes((await build({ siteDir: site })).manifest)), undefined);
        return { renders, served };
      } finally {
        renderer.render = render;
      }
    };
    const lists = ['index.njk', 'tags.njk', 'tag.njk', 'archive.njk', 'year.njk', 'speakers.njk', 'speaker.njk'];
    const body = await rebuildAfter(6, postText(6, { photo: false, body: 'Ann Lee from Acme gave [Talk 6](https://youtu.be/Ab3dE5fG7hJ?t=66) (starting at 1:06).\n\nA longer recap.\n' }));
    assert.deepEqual(lists.filter((name) => body.renders.has(name)), [], 'no list page is made again for a body edit');
    assert.deepEqual(shared(body.served), shared(first));
    assert.equal(body.renders.get('post.njk'), 1);
    // A title is on the home page that lists the post, its tags' pages, its year's page and its speaker's page: those alone are made again
    // (the speakers page shows each speaker's latest meetup, which is another).
    const title = await rebuildAfter(6, postText(6, { photo: false, title: 'Renamed' }));
    assert.deepEqual(lists.map((name) => [name, title.renders.get(name) ?? 0]), [
      ['index.njk', 1], ['tags.njk', 0], ['tag.njk', 2], ['archive.njk', 0], ['year.njk', 1], ['speakers.njk', 0], ['speaker.njk', 1],
    ]);
    // And a body edit after it keeps the lists it made whole again.
    const again = await rebuildAfter(6, postText(6, { photo: false, title: 'Renamed', body: 'Ann Lee from Acme gave [Talk 6](https://youtu.be/Ab3dE5fG7hJ?t=66) (starting at 1:06).\n\nShorter again.\n' }));
    assert.deepEqual(lists.filter((name) => again.renders.has(name)), []);
    assert.match(again.served.manifest.get('/')!.content!.toString(), /Renamed/);
  });
});

describe('incremental rebuilds of a Jekyll site equal a fresh build', () => {
  const JPOSTS = 12;
  const jekyllPost = (i: number, options: { title?: string; category?: string; body?: string; date?: string } = {}) => {
    const lines = [`layout: post`, `title: ${JSON.stringify(options.title ?? `Night ${i}`)}`, `category: ${options.category ?? ['talks', 'news', 'Web Dev'][i % 3]}`, `tags: [t${i % 4}]`];
    if (options.date) lines.push(`date: ${options.date}`);
    if (i % 6 === 1) lines.push(`redirect_from: /old/${i}/`);
    // Bodies that read the site's data, an include, another post's address and the site's settings.
    const extra = [
      i % 5 === 0 ? 'Hosted by {{ site.data.team.host }}.\n\n' : '',
      i % 5 === 1 ? '{% include note.html text="mind the gap" %}\n\n' : '',
      i % 5 === 2 ? `See [the first]({% post_url ${jekyllPostName(0).replace(/\.md$/, '')} %}).\n\n` : '',
      i % 5 === 3 ? 'Welcome to {{ site.title }}.\n\n' : '',
      i % 5 === 4 ? 'They said "hi", and it\'s fine.\n\n' : '',
    ].join('');
    return post(lines.join('\n'), options.body ?? `${extra}Talk ${i} was given.\n\n<!--more-->\n\nThe rest of night ${i}.\n`);
  };
  function jekyllPostName(i: number): string {
    return `2024-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}-night-${i}.md`;
  }
  const config = (title: string, permalink: string, perPage: number, quotes = 'lsquo,rsquo,ldquo,rdquo') => `title: ${title}\nurl: https://jekyll.example\npermalink: ${permalink}\npaginate: ${perPage}\n`
    + `kramdown:\n  smart_quotes: ${quotes}\n`
    + 'plugins: [jekyll-paginate, jekyll-feed, jekyll-redirect-from]\ncollections:\n  speakers:\n    output: true\n    permalink: /people/:name/\n  events:\n    output: true\n'
    + 'defaults:\n  - scope: {path: "", type: speakers}\n    values: {layout: page}\n';

  // Sass is left out here (each fresh build would load its compiler, ~0.4 s): its rebuilds in recap serve have a test of their own (sass.test.ts).
  it('after every step of a seeded sequence of Jekyll edits (posts, _data, _includes, collections, settings, pages), the served site is byte-identical to a fresh build', async () => {
    const files: Record<string, string | Buffer> = {
      '_config.yml': config('Jekyll Differential', '/:categories/:year/:title/', 5),
      '_data/team.yml': 'host: Ann\n',
      '_includes/note.html': '<aside class="note">{{ include.text }}</aside>\n',
      'about.md': post('title: About\nlayout: page', 'Latest: {% for p in site.posts limit:3 %}[{{ p.title }}]({{ p.url }}) ({{ p.content | strip_html | number_of_words }} words) {% endfor %}\n'),
      'search.json': '---\n---\n[{% for p in site.posts %}{"title": {{ p.title | jsonify }}, "url": {{ p.url | jsonify }}, "text": {{ p.content | strip_html | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}]\n',
      '_speakers/ann.md': post('title: Ann', 'Ann speaks often.\n'),
      'assets/img/readme.txt': 'a static file\n',
    };
    // Meetups kept as documents: listed with the posts' talks, speakers and events.
    const meetupDocument = (month: number, speaker: string, withEvent: boolean) => post(`title: Event ${month}\ntags: [${speaker.split(' ')[0]}]${withEvent ? `\nevent:\n  start: 2030-0${month}-20 18:30\n  address: ${speaker} Hall, Leeds` : ''}`,
      `${speaker} talked about [night ${month}](https://youtu.be/Ab3dE5fG7hJ?t=${60 * month}) (starting at ${month}:00).\n`);
    files['_events/2024-03-20-march.md'] = meetupDocument(3, 'Ann Lee', true);
    files['_events/2024-05-20-may.md'] = meetupDocument(5, 'Bo Chan', false);
    for (let i = 0; i < JPOSTS; i++) files[`_posts/${jekyllPostName(i)}`] = jekyllPost(i);
    const site = makeSite(files);
    const server = await startServer(site);
    try {
      const next = random(20261204);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
      const live = () => readdirSync(path.join(site, '_posts')).filter((f) => f.endsWith('.md')).sort();
      const indexOf = (name: string) => Number(/night-(\d+)/.exec(name)![1]);
      const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(site, file)), { recursive: true });
        writeFileSync(path.join(site, file), text);
      };
      let created = JPOSTS;
      const edits: Array<[string, () => void]> = [
        ['post body', () => {
          const name = pick(live());
          write(`_posts/${name}`, jekyllPost(indexOf(name), { body: `New body ${next().toFixed(6)}.\n` }));
        }],
        ['post title (site.posts in a page and search.json)', () => {
          const name = pick(live());
          write(`_posts/${name}`, jekyllPost(indexOf(name), { title: `Retitled ${next().toFixed(6)}` }));
        }],
        ['post category (its address moves; post_url follows)', () => {
          const name = pick(live());
          write(`_posts/${name}`, jekyllPost(indexOf(name), { category: pick(['moved', 'talks', 'Other Place']) }));
        }],
        ['post date', () => {
          const name = pick(live());
          write(`_posts/${name}`, jekyllPost(indexOf(name), { date: `2023-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}` }));
        }],
        ['delete a post', () => {
          const names = live().filter((name) => indexOf(name) !== 0);
          rmSync(path.join(site, '_posts', pick(names)));
        }],
        ['create a post', () => {
          const i = created++;
          write(`_posts/2025-02-${String(1 + (i % 28)).padStart(2, '0')}-night-${i}.md`, jekyllPost(i));
        }],
        ['_data', () => write('_data/team.yml', `host: ${pick(['Ann', 'Bo', 'Cy'])} ${Math.floor(next() * 100)}\n`)],
        ['_includes', () => write('_includes/note.html', `<aside class="note v${Math.floor(next() * 100)}">{{ include.text }}</aside>\n`)],
        ['collection document', () => {
          if (next() < 0.3) rmSync(path.join(site, '_speakers/bo.md'), { force: true });
          else write(`_speakers/${pick(['ann', 'bo'])}.md`, post(`title: Speaker ${Math.floor(next() * 100)}`, 'Speaks.\n'));
        }],
        ['meetup document (its talk, speaker and event)', () => {
          const month = pick([3, 5, 7]);
          if (month === 7 && next() < 0.4) rmSync(path.join(site, '_events/2024-07-20-july.md'), { force: true });
          else write(`_events/2024-0${month}-20-${['march', 'may', 'july'][(month - 3) / 2]}.md`, meetupDocument(month, pick(['Ann Lee', 'Bo Chan', 'Cy Diaz']), next() < 0.5));
        }],
        ['settings (title, permalink, paginate, kramdown\'s quotes)', () => {
          write('_config.yml', config(`Jekyll Differential ${Math.floor(next() * 100)}`, pick(['/:categories/:year/:title/', '/:year/:month/:day/:title:output_ext', 'pretty']), 4 + Math.floor(next() * 3), 'sbquo,lsquo,bdquo,ldquo'));
        }],
        ['page', () => write('about.md', post(`title: About ${Math.floor(next() * 100)}\nlayout: page`, 'Latest: {% for p in site.posts limit:2 %}[{{ p.title }}]({{ p.url }}) {{ p.content | strip_html | truncatewords: 3 }} {% endfor %}\n'))],
        ['static file', () => {
          if (existsSync(path.join(site, 'assets/img/extra.txt')) && next() < 0.5) rmSync(path.join(site, 'assets/img/extra.txt'));
          else write('assets/img/extra.txt', `extra ${next()}\n`);
        }],
        ['draft', () => {
          if (next() < 0.4) rmSync(path.join(site, '_drafts'), { recursive: true, force: true });
          else write('_drafts/a-draft.md', post('title: A draft', 'Not yet.\n'));
        }],
        ['rename a post', () => {
          const names = live().filter((name) => indexOf(name) !== 0);
          const name = pick(names);
          renameSync(path.join(site, '_posts', name), path.join(site, '_posts', name.replace(/night-/, 'evening-night-')));
        }],
      ];
      const steps: string[] = [];
      // Every kind once, in order; then the meetup documents' edits again (a document added, removed, its event given or taken).
      const again = edits.filter(([kind]) => kind.startsWith('meetup document'));
      const firstTalks = (await freshBuild(site, true)).manifest.get('/talks.json')!;
      assert.match(String(firstTalks.content), /"postTitle": "Event 3"/, 'the meetup documents are listed');
      for (const [kind, edit] of [...edits, ...again, ...again, ...again]) {
        edit();
        steps.push(kind);
        const fresh = manifestBytes((await freshBuild(site, true)).manifest);
        let last: string | undefined = 'not compared yet';
        await waitFor(() => (last = difference(manifestBytes(server.served()), fresh)) === undefined && server.errors().length === 0,
          () => `step ${steps.length} (${steps.slice(-3).join(', ')}): ${last}${server.errors().length ? ` errors: ${server.errors().join('; ')}` : ''}`);
      }
    } finally {
      await server.close();
    }
  });
});
