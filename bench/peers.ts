import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.js';
import { stateFolder } from '../src/output/write.js';
import { RECAP_NODE_FLAGS } from '../src/cli/node-flags.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RECAP = path.resolve(HERE, '../src/cli.js');
const HUGO = '/usr/bin/hugo';
const ELEVENTY_VERSION = '3.1.8';
const RUNS = 3;
/** Outputs go to memory, so the disk is not what is measured. */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : undefined;

/** What one run of a command cost. */
interface Run {
  seconds: number;
  /** Processor time, user and system (Go and Node use more than one core: this is not the wall time). */
  cpuSeconds: number;
  rssMb: number;
}

/** One timed run of a command: wall seconds, CPU seconds and peak resident memory (GNU time's %e, %U + %S, %M). */
function timed(command: string, args: string[], cwd: string): Run {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stderr.slice(-2000)}`);
  const [seconds, user, system, kb] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds: seconds!, cpuSeconds: user! + system!, rssMb: kb! / 1024 };
}

/** Eleventy from the registry, installed once into the bench's scratch folder (not a dependency of Recap). */
function installEleventy(root: string): string {
  const dir = path.join(root, 'eleventy');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', `@11ty/eleventy@${ELEVENTY_VERSION}`], { cwd: dir, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`cannot install Eleventy: ${install.stderr}`);
  return path.join(dir, 'node_modules/@11ty/eleventy/cmd.cjs');
}

/**
 * The same corpus as an Eleventy site: each post in a Nunjucks layout with its tags, a home page
 * paginated by 10, and a page per tag — the parts of a Recap build a generic generator does too
 * (Recap also makes talk, speaker, search, feed, calendar and sitemap outputs, not counted here).
 */
function eleventySite(corpus: string, dir: string): void {
  cpSync(path.join(corpus, 'posts'), path.join(dir, 'posts'), { recursive: true });
  mkdirSync(path.join(dir, '_includes'), { recursive: true });
  writeFileSync(path.join(dir, 'posts', 'posts.json'), JSON.stringify({ tags: ['post'], permalink: '/posts/{{ page.fileSlug }}/' }));
  writeFileSync(path.join(dir, '_includes', 'post.njk'), '<!doctype html><html lang="en"><title>{{ title }}</title><h1>{{ title }}</h1><p>{{ description }}</p><ul>{% for tag in tags %}<li><a href="/tags/{{ tag | slugify }}/">{{ tag }}</a></li>{% endfor %}</ul>{{ content | safe }}');
  writeFileSync(path.join(dir, 'index.njk'), '---\npagination:\n  data: collections.post\n  size: 10\n  reverse: true\n---\n<!doctype html><html lang="en"><title>Home</title>{% for post in pagination.items %}<article><h2><a href="{{ post.url }}">{{ post.data.title }}</a></h2><p>{{ post.data.description }}</p></article>{% endfor %}');
  writeFileSync(path.join(dir, 'tags.njk'), '---\npagination:\n  data: collections\n  size: 1\n  alias: tag\n  filter: [all, post]\npermalink: /tags/{{ tag | slugify }}/\n---\n<!doctype html><html lang="en"><title>{{ tag }}</title><ul>{% for post in collections[tag] %}<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>{% endfor %}</ul>');
  writeFileSync(path.join(dir, 'eleventy.config.mjs'), 'export default function (config) { config.setQuietMode(true); }\n');
}

/** The same corpus as a Hugo site: the same pages, dates from the file names, Go templates. */
function hugoSite(corpus: string, dir: string): void {
  cpSync(path.join(corpus, 'posts'), path.join(dir, 'content', 'posts'), { recursive: true });
  writeFileSync(path.join(dir, 'config.toml'), [
    'baseURL = "https://bench.example/"', 'title = "Benchmark Meetups"', 'paginate = 10', 'disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]',
    '[frontmatter]', 'date = [":filename", ":default"]', '[permalinks]', 'posts = "/:year/:month/:day/:slug/"', '[taxonomies]', 'tag = "tags"',
  ].join('\n'));
  const layouts = path.join(dir, 'layouts', '_default');
  mkdirSync(layouts, { recursive: true });
  const single = '<!doctype html><html lang="en"><title>{{ .Title }}</title><h1>{{ .Title }}</h1><p>{{ .Description }}</p><ul>{{ range .Params.tags }}<li><a href="/tags/{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ .Content }}';
  writeFileSync(path.join(layouts, 'single.html'), single);
  writeFileSync(path.join(layouts, 'post.html'), single);
  writeFileSync(path.join(layouts, 'list.html'), '<!doctype html><html lang="en"><title>{{ .Title }}</title>{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Description }}</p></article>{{ end }}');
  writeFileSync(path.join(layouts, 'terms.html'), '<!doctype html><html lang="en"><title>Tags</title>{{ range .Data.Terms }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>{{ end }}');
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Recap beside Eleventy 3 and Debian's Hugo on one generated corpus, alternating runs (median of
 * three; outputs in /dev/shm), at a meetup's decade of posts (100) and at sizes far past it: Recap's first build (no cache and no earlier output), its rebuild
 * with nothing changed, with one post's body edited (the first time, and again) and with one
 * post's title edited, and each peer's full build, with wall time and peak memory and Recap's
 * ratio to each.
 */
export function benchPeers(counts: number[] = [100, 4000, 10000]): void {
  const root = mkdtempSync(path.join(SCRATCH ?? '/tmp', 'recap-peers-'));
  try {
    const eleventy = installEleventy(root);
    const haveHugo = existsSync(HUGO);
    if (!haveHugo) console.log(`peers: no ${HUGO} (apt-get install hugo); Hugo is left out`);
    for (const count of counts) {
      const corpus = path.join(root, `corpus-${count}`);
      writeCorpus(corpus, count);
      const eleventyDir = path.join(root, `eleventy-${count}`);
      eleventySite(corpus, eleventyDir);
      const hugoDir = path.join(root, `hugo-${count}`);
      if (haveHugo) hugoSite(corpus, hugoDir);
      // A build trusts only inputs that have stood still for two seconds (see build-record.ts).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2100);
      const runs: Record<string, Run[]> = {
        'Recap, no cache': [], 'Recap, nothing changed': [], 'Recap, one post edited': [], 'Recap, one post edited again': [], 'Recap, one title edited': [],
        'Recap, one post added': [], 'Eleventy 3': [], 'Hugo 0.111': [],
      };
      const out = path.join(root, 'out-recap');
      const recap = () => timed(process.execPath, [...RECAP_NODE_FLAGS, RECAP, 'build', corpus, '--out', out, '--quiet'], corpus);
      const posts = readdirSync(path.join(corpus, 'posts')).sort();
      const edited = path.join(corpus, 'posts', posts[0]!);
      // A title shows in every list that holds the post: the edit after which most is made again.
      const retitled = path.join(corpus, 'posts', posts[Math.floor(posts.length / 2)]!);
      // What an organiser does after every meetup: a new newest post, which moves every home page along.
      const newestName = posts[posts.length - 1]!;
      const newest = readFileSync(path.join(corpus, 'posts', newestName), 'utf8');
      const dayAfter = new Date(Date.parse(newestName.slice(0, 10)) + 86_400_000).toISOString().slice(0, 10);
      const added = path.join(corpus, 'posts', `${dayAfter}-added.md`);
      for (let i = 0; i < RUNS; i++) {
        // No cache and no earlier output (whose pages a build would keep).
        for (const dir of [path.join(corpus, '.cache'), out, stateFolder(out)]) rmSync(dir, { recursive: true, force: true });
        runs['Recap, no cache']!.push(recap());
        runs['Recap, nothing changed']!.push(recap());
        // The first build after one from scratch also fills the standby tree (the output before last); later ones find it there.
        appendFileSync(edited, `\nEdited ${i}.\n`);
        runs['Recap, one post edited']!.push(recap());
        appendFileSync(edited, `\nEdited ${i} again.\n`);
        runs['Recap, one post edited again']!.push(recap());
        writeFileSync(retitled, readFileSync(retitled, 'utf8').replace(/^title: "/m, `title: "Edited ${i}: `));
        runs['Recap, one title edited']!.push(recap());
        writeFileSync(added, newest.replace(/^title: "/m, `title: "Added ${i}: `));
        runs['Recap, one post added']!.push(recap());
        rmSync(added);
        runs['Eleventy 3']!.push(timed(process.execPath, [eleventy, '--input=.', `--output=${path.join(root, 'out-eleventy')}`], eleventyDir));
        if (haveHugo) runs['Hugo 0.111']!.push(timed(HUGO, ['--quiet', '--destination', path.join(root, 'out-hugo')], hugoDir));
      }
      const line = (name: string): Run => ({ seconds: median(runs[name]!.map((r) => r.seconds)), cpuSeconds: median(runs[name]!.map((r) => r.cpuSeconds)), rssMb: median(runs[name]!.map((r) => r.rssMb)) });
      const recapCold = line('Recap, no cache');
      const recapWarm = line('Recap, nothing changed');
      const recapEdit = line('Recap, one post edited again');
      const recapTitle = line('Recap, one title edited');
      const recapAdded = line('Recap, one post added');
      console.log(`peers, ${count} posts (median of ${RUNS}, wall s / CPU s / peak RSS MB):`);
      for (const name of Object.keys(runs)) {
        if (runs[name]!.length === 0) continue;
        const { seconds, cpuSeconds, rssMb } = line(name);
        const ratio = name.startsWith('Recap') ? '' : `  Recap/peer: no cache ${(recapCold.seconds / seconds).toFixed(2)}× wall, ${(recapCold.cpuSeconds / cpuSeconds).toFixed(2)}× CPU, ${(recapCold.rssMb / rssMb).toFixed(2)}× memory; nothing changed ${(recapWarm.seconds / seconds).toFixed(2)}× wall, ${(recapWarm.rssMb / rssMb).toFixed(2)}× memory; one post edited again ${(recapEdit.seconds / seconds).toFixed(2)}×, one title edited ${(recapTitle.seconds / seconds).toFixed(2)}×, one post added ${(recapAdded.seconds / seconds).toFixed(2)}× wall`;
        console.log(`  ${name.padEnd(24)} ${seconds.toFixed(2)} s  ${cpuSeconds.toFixed(2)} CPU-s  ${rssMb.toFixed(0)} MB${ratio}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
