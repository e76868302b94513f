import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { recapPost } from '../bench/corpus.js';
import type { BuildResult } from '../src/pipeline/build.js';
import { cgroupCpuLimit, photoEncoding, threadPoolSize } from '../src/pipeline/cores.js';
import { PostWorkers, workerCount, workersForMisses, workersRenderPages } from '../src/pipeline/workers/post-workers.js';
import { publishSite } from '../src/pipeline/publish.js';
import type { ThemeSettings } from '../src/pipeline/workers/worker-pages.js';
import { loadConfig } from '../src/content/config.js';
import { Diagnostics } from '../src/diagnostics/diagnostics.js';
import type { Post } from '../src/content/post.js';
import { loadSite, alreadyRead } from '../src/pipeline/stages/load.js';
import { parsePost } from '../src/pipeline/stages/parse.js';
import { SiteClock } from '../src/content/dates.js';
import { buildSite, makeSite, manifestBytes, outputFolder, post } from './helpers.js';
import { createBuildMemory } from '../src/incremental/build-memory.js';
import path from 'node:path';
import { appendFileSync } from 'node:fs';

/** Builds two copies of a site, on the main thread alone and with two workers, and holds them to the same pages, diagnostics and post cache. */
async function assertSameWithWorkers(files: Record<string, string | Buffer>, options: Parameters<typeof buildSite>[1] = {}): Promise<BuildResult> {
  const alone = await buildSite(makeSite(files), { ...options, persistCache: true, encodeImages: false, workers: 0 });
  const pooled = await buildSite(makeSite(files), { ...options, persistCache: true, encodeImages: false, workers: 2 });
  assert.ok(readFileSync(pooled.cacheFile!).equals(readFileSync(alone.cacheFile!)), 'the post caches are the same bytes');
  assert.equal(alone.postWorkers, 0);
  assert.equal(pooled.postWorkers, 2, 'the pooled build used its workers');
  // The same diagnostics in the same order, not only the same set.
  assert.deepEqual(pooled.diagnostics.list, alone.diagnostics.list);
  const expected = manifestBytes(alone.manifest);
  const actual = manifestBytes(pooled.manifest);
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [url, bytes] of expected) assert.ok(actual.get(url) === bytes, `${url} is the same with workers`);
  return pooled;
}

/** Recap posts in the example's shape, one a day back from 2025-12-31. */
function recapPosts(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let n = 0; n < count; n++) {
    const date = new Date(Date.UTC(2025, 11, 31) - n * 86400000).toISOString().slice(0, 10);
    files[`posts/${date}-meetup-${n}.md`] = recapPost(n, date);
  }
  return files;
}

/** Runs `use` with one worker started for a site of `count` Recap posts, and the posts as that worker parsed them; the worker is ended after. */
async function withOneWorker(title: string, count: number, use: (workers: PostWorkers, posts: Post[]) => Promise<void>): Promise<void> {
  const site = makeSite({ 'recap.yml': `title: ${title}\n`, ...recapPosts(count) });
  const config = await loadConfig(site, {}, new Diagnostics());
  const sources = await loadSite(site, { drafts: false });
  const workers = PostWorkers.start(1, { config, nowEpochMs: Date.UTC(2026, 0, 1) });
  try {
    await use(workers, (await workers.parse(sources.posts.map(alreadyRead))).map((entry) => entry.value!));
  } finally {
    await workers.close();
  }
}

describe('post workers', () => {
  it("make the very pages, cache and diagnostics the main thread makes, recap serve's first build too", async () => {
    const files = {
      'recap.yml': 'title: Pooled Meetups\nurl: https://pooled.example\n',
      ...recapPosts(620),
      'posts/2024-01-02-broken.md': '---\ntitle: [unclosed\n---\nBody\n',
      'posts/2024-01-03-links.md': post('title: Links', 'Last time: [the meetup]({% post_url 2025-12-31-meetup-0 %}).\n'),
      'posts/2024-01-04-latin1.md': Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0x20, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a]),
      'posts/2024-01-05-mismatch.md': post('title: Mismatch', '[A talk](https://youtu.be/Ab3dE5fG7hJ?t=120) (starting at 9:00)\n'),
      'drafts/undated-idea.md': post('title: An idea', 'Not yet.\n'),
      'pages/about.md': post('title: About', 'We meet monthly.\n'),
      // A layout of the site's own that fails as it renders: reported at the template, and the page left out, whoever renders it.
      'templates/fragile.njk': '<h1>{{ post.title }}</h1>{{ notAFunction() }}\n',
      'posts/2024-01-08-fragile.md': post('title: Fragile\nlayout: fragile', 'Its layout breaks.\n'),
    };
    const pooled = await assertSameWithWorkers(files, { drafts: true });
    // Broken front matter, a file that is not UTF-8, the corpus's malformed video links, a talk time that disagrees
    // with its link, missing photos, a failing layout.
    assert.deepEqual([...new Set(pooled.diagnostics.list.map((d) => d.code))].sort(), ['R203', 'R209', 'R303', 'R304', 'R403', 'R501']);
    assert.deepEqual(pooled.diagnostics.list.filter((d) => d.code === 'R501').map((d) => d.file), ['templates/fragile.njk']);
    assert.ok(pooled.manifest.get('/2024/01/05/mismatch/'), 'a page beside it is published');
    assert.equal(pooled.manifest.get('/2024/01/08/fragile/'), undefined, 'the page that failed is not');
    assert.ok(pooled.posts >= 620);
    // Two workers render the pages of the posts they resolve; the post linking another post's file is made here.
    assert.ok(pooled.workerPages >= 620, `the workers rendered the posts' pages (${pooled.workerPages})`);
    // recap serve's first build: a worker makes the bodies while this thread makes one of its own, thrown away, for the first edit.
    const memory = await createBuildMemory();
    const served = await buildSite(makeSite(files), { drafts: true, memory, encodeImages: false, workers: 1 });
    assert.equal(served.postWorkers, 1, 'the worker made the bodies');
    assert.ok(memory.markdown, "this thread made a body of its own, so its Markdown engine is kept for the first edit's");
    assert.deepEqual(served.diagnostics.list, pooled.diagnostics.list, 'the body made to warm up reported nothing');
    const expected = manifestBytes(pooled.manifest);
    const actual = manifestBytes(served.manifest);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [url, bytes] of expected) assert.ok(actual.get(url) === bytes, `${url} is the same in recap serve`);
  });

  it('render post pages for recap build as the main thread does, reported the same, and kept for the next build', async () => {
    const files = {
      'recap.yml': 'title: Published Pool\nurl: https://published.example\n',
      ...recapPosts(620),
      'posts/2024-01-06-odd-layout.md': post('title: Odd layout\nlayout: nowhere', 'A layout the theme lacks.\n'),
      'posts/2024-01-07-redirect.md': post('title: Moved\nredirect_to: https://elsewhere.example/', 'Gone.\n'),
    };
    const publish = async (siteDir: string, workers: number) => {
      const published = await publishSite({ siteDir, outDir: path.join(siteDir, '_site'), now: new Date('2026-01-01T00:00:00Z'), settledMs: 0, workers });
      return published.outcome === 'built' ? published.result : assert.fail(`not built: ${published.outcome}`);
    };
    const [pooledSite, aloneSite] = [makeSite(files), makeSite(files)];
    const pooled = await publish(pooledSite, 2);
    const alone = await publish(aloneSite, 0);
    assert.ok(pooled.workerPages >= 620 && alone.workerPages === 0, `the workers rendered the pages (${pooled.workerPages})`);
    assert.deepEqual(outputFolder(path.join(pooledSite, '_site')), outputFolder(path.join(aloneSite, '_site')));
    assert.deepEqual(pooled.diagnostics.list, alone.diagnostics.list);
    assert.equal(pooled.diagnostics.list.filter((d) => d.code === 'R502').length, 1, 'a missing layout is reported once, at the first post naming it');
    // An edit to one post: the pages the workers rendered are kept as the ones made here are.
    const [pooledAgain, aloneAgain] = await Promise.all([pooledSite, aloneSite].map(async (site) => {
      appendFileSync(path.join(site, 'posts/2025-12-31-meetup-0.md'), '\nOne more line.\n');
      return publish(site, 0);
    }));
    assert.ok(pooledAgain!.reusedPages >= 600, `the next build kept the workers' pages (${pooledAgain!.reusedPages})`);
    assert.equal(pooledAgain!.reusedPages, aloneAgain!.reusedPages);
    assert.deepEqual(outputFolder(path.join(pooledSite, '_site')), outputFolder(path.join(aloneSite, '_site')));
  });

  it('leave Liquid posts of a Jekyll site to the main thread and the rest to the workers, with the same result', async () => {
    const files: Record<string, string> = {
      '_config.yml': 'title: Liquid Pool\nurl: https://liquid.example\n',
      '_includes/note.html': '<p class="note">{{ include.text }}</p>\n',
    };
    for (let n = 0; n < 620; n++) {
      const date = new Date(Date.UTC(2025, 11, 31) - n * 86400000).toISOString().slice(0, 10);
      const body = n % 10 === 0 ? `Welcome to {{ site.title }}.\n\n{% include note.html text="meetup ${n}" %}\n` : `Plain recap number ${n}, with **Markdown**.\n`;
      files[`_posts/${date}-jekyll-${n}.md`] = post(`layout: post\ntitle: Jekyll ${n}`, body);
    }
    const pooled = await assertSameWithWorkers(files);
    assert.ok(pooled.posts >= 620);
  });

  it('start only where they pay: RECAP_WORKERS when set, else one per usable core beyond the first (at most 15), from 600 misses and 100 per worker', () => {
    assert.equal(workerCount({ RECAP_WORKERS: '3' }, 2), 3);
    assert.equal(workerCount({ RECAP_WORKERS: '0' }, 8), 0);
    assert.equal(workerCount({ RECAP_WORKERS: 'many' }, 8), 7);
    assert.equal(workerCount({}, 1), 0);
    assert.equal(workerCount({}, 2), 1);
    assert.equal(workerCount({}, 64), 15);
    assert.equal(workersForMisses(599, 8), 0);
    assert.equal(workersForMisses(650, 8), 6);
    assert.equal(workersForMisses(4000, 7), 7);
    // One worker (two cores) leaves the pages to the main thread: rendering them there was measured slower.
    assert.equal(workersRenderPages(1), false);
    assert.equal(workersRenderPages(2), true);
  });

  it("count a container's CPU quota (cgroup v2 and v1), not the host's cores", () => {
    const files = (table: Record<string, string>) => (file: string) => table[file];
    assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '200000 100000\n' })), 2);
    assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' })), 2);
    assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), undefined);
    assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '400000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' })), 4);
    assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' })), undefined);
    assert.equal(cgroupCpuLimit(files({})), undefined);
    assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'nonsense' })), undefined);
  });

  it("encode photos twice the cores at once, one libvips thread each, more threads only where libuv's pool runs too few", () => {
    assert.deepEqual(photoEncoding(2, 4), { images: 4, threadsPerImage: 1 });
    assert.deepEqual(photoEncoding(1, 4), { images: 2, threadsPerImage: 1 });
    assert.deepEqual(photoEncoding(4, 4), { images: 4, threadsPerImage: 1 });
    // Past the pool's four, each image gets threads enough that every core still works…
    assert.deepEqual(photoEncoding(6, 4), { images: 4, threadsPerImage: 2 });
    assert.deepEqual(photoEncoding(16, 4), { images: 4, threadsPerImage: 4 });
    // …unless the user's UV_THREADPOOL_SIZE lets as many images run as the cores want.
    assert.deepEqual(photoEncoding(16, 64), { images: 32, threadsPerImage: 1 });
    assert.equal(threadPoolSize({}), 4);
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '32' }), 32);
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '0' }), 1);
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '5000' }), 1024);
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '12 threads' }), 12);
    // libuv reads a value without a number as 0, and runs one thread then.
    assert.equal(threadPoolSize({ UV_THREADPOOL_SIZE: 'many' }), 1);
  });

  it('answer each batch of bodies as soon as it is made, and go only a few batches beyond the one asked for', () =>
    withOneWorker('Streamed', 400, async (workers, posts) => {
      const answers = workers.resolve(posts, new Map());
      assert.equal(answers.length, 400);
      await answers[0]!();
      // Long enough for one worker to resolve all 400 posts, were it not held back.
      await new Promise((resolve) => setTimeout(resolve, 500));
      let lastAnswered = false;
      void answers.at(-1)!().then(() => (lastAnswered = true));
      // A turn of the event loop lets in the answers already back: the last batch was only sent now.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(lastAnswered, false, 'the workers went on to the last batch before it was asked for');
      const bodies = await Promise.all(answers.map((ask) => ask()));
      assert.ok(bodies.every((entry) => entry.value.html.includes('<p>')));
    }));

  it('let the calling thread parse batches from the end while the workers parse from the start, with the same entries in order', async () => {
    const site = makeSite({ 'recap.yml': 'title: Shared\n', ...recapPosts(400) });
    const config = await loadConfig(site, {}, new Diagnostics());
    const sources = await loadSite(site, { drafts: false });
    const now = new SiteClock(config.timezone).fromEpoch(Date.UTC(2026, 0, 1));
    const workers = PostWorkers.start(1, { config, nowEpochMs: now.epochMs });
    try {
      const alone = await workers.parse(sources.posts.map(alreadyRead));
      const parsedHere: string[] = [];
      const shared = await workers.parse(sources.posts.map(alreadyRead), (source) => {
        parsedHere.push(source.path);
        const diagnostics = new Diagnostics();
        return { value: parsePost(source, { config, now, clock: new SiteClock(config.timezone) }, diagnostics) ?? null, diagnostics: diagnostics.list };
      });
      assert.deepEqual(shared, alone);
      assert.ok(parsedHere.length > 0 && parsedHere.length < 400, `the calling thread parsed a share (${parsedHere.length} of 400)`);
      // Its share is the end of the list, taken a batch at a time.
      assert.deepEqual(new Set(parsedHere), new Set(sources.posts.slice(400 - parsedHere.length).map((source) => source.path)));
    } finally {
      await workers.close();
    }
  });

  it('turn a theme a worker cannot load into a refused build step, not pages quietly left to the main thread', () =>
    withOneWorker('Themeless', 40, async (workers, posts) => {
      // No photo catalog: making the renderer throws inside the worker.
      workers.useTheme({ photos: null } as unknown as ThemeSettings);
      const answers = workers.resolve(posts, new Map(), () => ({ neighbours: {}, event: undefined, socialImage: undefined }));
      for (const ask of answers) await assert.rejects(ask(), /a post worker failed: TypeError/);
      assert.throws(() => workers.resolve(posts, new Map()), /a post worker failed/);
    }));

  it('turn a failure inside a worker into a rejected build step, never a hang, and refuse work after it', async () => {
    const config = await loadConfig(makeSite({ 'recap.yml': 'title: Failing\n' }), {}, new Diagnostics());
    const workers = PostWorkers.start(1, { config, nowEpochMs: Date.UTC(2026, 0, 1) });
    try {
      // Not posts: resolving the first throws inside the worker. Every post's answer is refused,
      // those of the batches still waiting too: none hangs, however many batches were in flight.
      const answers = workers.resolve(Array.from({ length: 200 }, () => null as unknown as Post), new Map());
      assert.equal(answers.length, 200);
      for (const ask of answers) await assert.rejects(ask(), /a post worker failed: TypeError/);
      await assert.rejects(workers.parse([]), /a post worker failed/);
    } finally {
      await workers.close();
    }
  });
});
