import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { build } from '../src/pipeline/build.js';
import { writeManifest } from '../src/output/write.js';
import { staticHost } from './static-host.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

/**
 * Lighthouse (mobile, its default throttling) on every page type of the example site, built for
 * and served from a local static host with the site's own headers, in Debian's Chromium. Prints a
 * table of the four scores and every audit that cost a point; exits 1 when any score is below 100.
 */
async function main(): Promise<void> {
  const out = mkdtempSync(path.join(tmpdir(), 'recap-lighthouse-'));
  const { server, origin } = await staticHost(out);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--remote-debugging-port=9223'],
  });
  let failed = false;
  try {
    const result = await build({ siteDir: REPO, baseUrl: origin });
    await writeManifest(result.manifest, out, REPO);
    const posts = result.postList.filter((p) => p.kind === 'post');
    // The example's next meetup while it is ahead; once it has passed, any post with an event.
    const announcement = posts.find((p) => p.event && p.event.start.epochMs > Date.now()) ?? posts.find((p) => p.event);
    // A recap with its recording and photo, from its front matter: a one-off build lets go of each body's video once its page is made.
    const recap = posts.find((p) => p.data.video && p.data.image);
    const pages: Array<[string, string | undefined]> = [
      ['home', '/'], ['recap', recap?.url], ['announcement', announcement?.url], ['talks', '/talks/'],
      ['speakers', '/speakers/'], ['speaker', '/speakers/priya-raman/'], ['search', '/search/'],
      ['home page 2', '/page2/'], ['tags', '/tags/'], ['tag', '/tags/meetup/'], ['archive', '/archive/'], ['year', '/2024/'],
      ['page', '/about/'], ['not found', '/404.html'],
    ];
    console.log(`| page | ${CATEGORIES.join(' | ')} |\n| --- | ${CATEGORIES.map(() => '---').join(' | ')} |`);
    for (const [name, url] of pages) {
      if (!url) throw new Error(`the example site has no ${name} page`);
      const run = await lighthouse(`${origin}${url}`, { port: 9223, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
      const lhr = run!.lhr;
      const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
      console.log(`| ${name} (${url}) | ${scores.join(' | ')} |`);
      for (const category of CATEGORIES) {
        for (const ref of lhr.categories[category]!.auditRefs) {
          const audit = lhr.audits[ref.id]!;
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) console.log(`    ${category}: ${ref.id} ${audit.score} ${audit.displayValue ?? ''} ${audit.title}`);
        }
      }
      if (scores.some((s) => s < 100)) failed = true;
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
