import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../diagnostics/diagnostics.js';
import { slugify } from '../content/text.js';
import { DEFAULT_IMAGE_WIDTHS } from '../content/config.js';
import { PACKAGE_ROOT } from '../package-files.js';

/** A spec npm fetches from a git repository (or a URL): how `npx --package=SPEC` may name Recap. */
const GIT_SPEC = /^(github:|git\+|git:|https:|gitlab:|bitbucket:)/;

/** What `recap new site` needs to know. */
export interface NewSiteOptions {
  title: string;
  /** Today in the site's time zone, `YYYY-MM-DD`: the sample recap's date. */
  today: string;
  timezone: string;
  /** How the site's package.json names Recap (a git URL, a tarball, a version). */
  recapSpec: string;
}

/** What was written, for the command to report. */
export interface NewSite {
  files: string[];
  /** A note when Recap's own address had to be guessed. */
  note?: string;
}

/** A site's title from its folder's name: `zürich-café` -> `Zürich Café` (each word's first letter raised, in any script that has cases). */
export function titleFromFolder(name: string): string {
  return name.replace(/[-_]+/g, ' ').replace(/(?<![\p{L}\p{M}\p{N}'’])\p{Ll}/gu, (c) => c.toUpperCase());
}

/**
 * How the new site's package.json should ask for Recap: the spec `npx --package=SPEC` ran it from
 * (npm passes it as npm_config_package); a tarball is copied into the site so its deploys can
 * install it too; otherwise this Recap's own folder.
 */
export function recapSpecFor(env: NodeJS.ProcessEnv, cwd: string, siteDir: string): { spec: string; tarball?: string; note?: string } {
  const given = env['npm_config_package']?.split('\n')[0]?.trim();
  if (given && /\.(tgz|tar\.gz)$/.test(given)) {
    const tarball = path.resolve(cwd, given.replace(/^file:/, ''));
    return { spec: `file:vendor/${path.basename(tarball)}`, tarball };
  }
  if (given && GIT_SPEC.test(given)) return { spec: given };
  return {
    spec: `file:${path.relative(siteDir, PACKAGE_ROOT) || '.'}`,
    note: `package.json points at this machine's copy of Recap (${PACKAGE_ROOT}); for deploys, change devDependencies.recap to Recap's git URL, and add that URL to allowScripts as false (npm builds Recap as it fetches it from git)`,
  };
}

function siteConfig(options: NewSiteOptions): string {
  return `# Settings of your Recap site. Each key is explained in Recap's README, under "Settings".
title: ${JSON.stringify(options.title)}
description: ${JSON.stringify(`Recaps of every ${options.title} meetup, with a link to each talk in the recording`)}
# The site's address. GitHub Pages deploys pass their own with --base-url, so this matters for
# builds elsewhere: set it to where the site lives, e.g. https://meetup.example.org
url: https://example.org
# Dates and event times are read in this time zone (an IANA name).
timezone: ${options.timezone}

# Optional settings, with their defaults:
# permalink: pretty          # post URLs: /2024/03/06/slug/ (or date, ordinal, none, /:year/:title/)
# paginate: 10               # recaps per page on the home page
# feed_size: 20              # entries in feed.xml
# raw_html: true             # false escapes HTML written in posts
# image_widths: [${DEFAULT_IMAGE_WIDTHS.join(', ')}]
# cache_dir: .cache          # encoded photos and parsed posts, kept between builds
# theme:
#   accent: "#0b5cad"        # the colour of links, buttons and the favicon
#   logo: /images/logo.svg   # shown beside the title
# nav:                       # the header menu; without it: Recaps, Talks, Speakers, Tags, Archive, Feed, and pages with nav: true
#   - label: Recaps
#     url: /
# silence: [R302]            # codes of warnings and notes you accept (each message ends with its code)
#
# Speakers' bios, photos and other spellings of their names go in speakers.yml (see the README).
`;
}

function samplePost(options: NewSiteOptions): string {
  const year = options.today.slice(0, 4);
  return `---
title: ${JSON.stringify(`${options.title}: our first meetup`)}
description: ${JSON.stringify(`Two talks and a group photo from the first ${options.title} meetup`)}
location: Your venue, Your city
image: /images/${options.today}-first-meetup.jpeg
image_alt: The audience of the first meetup, smiling at the camera
video: https://www.youtube.com/watch?v=M7lc1UVf-VE
tags:
  - Meetup
  - Video
  - "${year}"
# The meetup itself: with an event, a post dated ahead is the announcement (RSVP, calendar,
# countdown) until the meetup starts, then the recap. Times are in the site's time zone.
# event:
#   start: ${options.today} 18:30    # a date alone for a whole day's event (and end: its last day)
#   end: "21:00"
#   venue: Your venue
#   address: Street, City POSTCODE
#   rsvp: https://www.meetup.com/your-group/events/123/
---

Thank you to everyone who came to our first meetup, in the room and on the livestream! This is a
sample recap: replace the speakers, links and photo with your own, or delete this file.

### Overview

Opening the evening, Alex Morgan from Example Labs gave [Getting started with our stack](https://www.youtube.com/watch?v=M7lc1UVf-VE&t=95s) (starting at 1:35). The takeaways:

* Start small, and measure before you automate.
* Write down what you learn for the next person.

Next up, Sam Rivera from Acme told us about [What we learned running it in production](https://www.youtube.com/watch?v=M7lc1UVf-VE&t=1830s) (starting at 30:30):

* Make the safe path the easy path.
* Practise the incident before it happens.

And of course, our group photo!

![The audience of the first meetup, smiling at the camera](/images/${options.today}-first-meetup.jpeg)

See you at the next meetup!
`;
}

const ABOUT = (title: string) => `---
title: About
description: ${JSON.stringify(`Who runs ${title}, and how to take part`)}
nav: 1
---

${title} is a community meetup. We meet every month to hear talks from our members, and we
livestream and record every talk.

Want to speak? Get in touch with the organisers.
`;

/**
 * The install scripts a site's dependencies may run (npm 11.16 and later lists every one not
 * named here after each install; npm 12 skips them): none.
 * - @parcel/watcher's, Dart Sass's optional file watcher, which Recap never loads; its prebuilt
 *   binaries come without it.
 * - Recap's own `prepare` (compiling its TypeScript), which npm counts for a package from git:
 *   npm builds such a package as it fetches it, so it is not needed again in node_modules. npm
 *   knows a package from git by its repository, not its name: the entry is the spec
 *   devDependencies names. (npm counts it for a tarball too, but matches a tarball's entry only
 *   once a lock file names it, and then lists nothing anyway: a tarball needs none.)
 */
export function allowScriptsFor(recapSpec: string): Record<string, boolean> {
  return { '@parcel/watcher': false, ...(GIT_SPEC.test(recapSpec) ? { [recapSpec]: false } : {}) };
}

function packageJson(options: NewSiteOptions): string {
  return JSON.stringify({
    name: slugify(options.title) || 'meetup-site',
    private: true,
    description: `The ${options.title} website, built with Recap`,
    scripts: { build: 'recap build', serve: 'recap serve', check: 'recap check' },
    devDependencies: { recap: options.recapSpec },
    allowScripts: allowScriptsFor(options.recapSpec),
    engines: { node: '>=20.19' },
  }, null, 2) + '\n';
}

/**
 * The site's npm settings: npm 12 fetches no package from git unless allowed, and `root` allows
 * the ones the site's package.json names (Recap from its repository), none that they name.
 */
const NPMRC = `; npm 12 installs a package from git only where allowed: Recap, when package.json names its repository.
allow-git=root
`;

const WORKFLOW = `# Builds and checks the site on every push and pull request; on main (and once a day, so
# "upcoming" and "past" stay right) publishes it to GitHub Pages.
# Set Settings -> Pages -> Source to "GitHub Actions" once.
name: Build and deploy

on:
  push:
    branches: [main]
  pull_request:
  schedule:
    - cron: "23 4 * * *"
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: pages-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5

      - uses: actions/setup-node@v5
        with:
          node-version: 22

      - name: Install Recap
        run: if [ -f package-lock.json ]; then npm ci; else npm install; fi

      - name: Configure Pages
        id: pages
        if: github.event_name != 'pull_request'
        uses: actions/configure-pages@v6

      # Encoded photos are kept between runs: only new or changed photos are encoded again.
      - name: Photo and post cache
        uses: actions/cache@v5
        with:
          path: .cache
          key: recap-cache-\${{ hashFiles('images/**') }}
          restore-keys: recap-cache-

      - name: Check links, anchors, images and front matter
        run: npx --no-install recap check . --base-url "\${{ steps.pages.outputs.base_url || '/' }}"

      - name: Build
        run: npx --no-install recap build . --base-url "\${{ steps.pages.outputs.base_url || '/' }}"

      - name: Upload the site
        if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v5
        with:
          path: _site

  deploy:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v5
`;

const GITIGNORE = `_site/
._site.recap/
.cache/
node_modules/
`;

function readme(options: NewSiteOptions): string {
  return `# ${options.title}

The website of ${options.title}: a recap of every meetup, with a link to the moment each talk
starts in the recording. Built with Recap; its README explains every setting.

## Write

- **A recap**: \`npx --no-install recap new post "${options.title}, March"\` writes
  \`posts/YYYY-MM-DD-slug.md\` with the front matter of the newest recap. Link each talk to the
  livestream at the moment it starts (a YouTube link with \`t=\`), and write the time people see:
  \`[Talk title](https://www.youtube.com/watch?v=ID&t=538s) (starting at 8:58)\`. Recap checks that
  the two agree.
- **A page** (About, Code of Conduct, Sponsors): a Markdown file in \`pages/\`; \`nav: true\` (or a
  number, for its place) puts it in the menu.
- **Photos** go in \`images/\`: Recap makes small, modern versions of each and strips their
  metadata (no GPS location leaves your laptop).

## Preview

\`\`\`sh
npm install
npm run serve      # http://127.0.0.1:4000, reloads as you save
\`\`\`

## Check and deploy

\`npm run check\` finds broken links, anchors, images and front-matter mistakes, with file:line.
\`npm run build\` writes the site to \`_site/\`.

On GitHub, \`.github/workflows/deploy.yml\` checks every pull request and publishes \`main\` to
GitHub Pages (set *Settings → Pages → Source* to *GitHub Actions* once). It rebuilds every day
too, so dated pages stay right.

## Where things live

| What | Where |
| --- | --- |
| Site title, address, time zone, colours, menu | \`recap.yml\` |
| Recaps | \`posts/\` |
| Pages | \`pages/\` |
| Photos | \`images/\` |
| Files copied as they are (favicon, CNAME) | \`static/\` |
| Your own templates (optional) | \`templates/\`, overriding Recap's by name |
`;
}

/**
 * `recap new site`: writes a complete, working site folder — settings, a sample recap dated
 * today with its photo, an About page, a package.json with build, serve and check scripts, npm
 * settings, a GitHub Pages workflow, a .gitignore and a README. Refuses a folder that is not empty.
 */
export function createSite(dir: string, options: NewSiteOptions, tarball?: string): NewSite {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UserError({ code: 'R702', severity: 'error', file: dir, message: 'the folder is not empty; nothing was written', hint: 'choose a new folder name, e.g. recap new site my-meetup' });
  }
  const files: Array<[string, string | Buffer]> = [
    ['recap.yml', siteConfig(options)],
    [`posts/${options.today}-first-meetup.md`, samplePost(options)],
    [`images/${options.today}-first-meetup.jpeg`, readFileSync(path.join(PACKAGE_ROOT, 'starter/group-photo.jpeg'))],
    ['pages/about.md', ABOUT(options.title)],
    ['package.json', packageJson(options)],
    ['.npmrc', NPMRC],
    ['.github/workflows/deploy.yml', WORKFLOW],
    ['.gitignore', GITIGNORE],
    ['README.md', readme(options)],
  ];
  for (const [name, content] of files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content, { flag: 'wx' });
  }
  const written = files.map(([name]) => name);
  if (tarball) {
    mkdirSync(path.join(dir, 'vendor'), { recursive: true });
    copyFileSync(tarball, path.join(dir, 'vendor', path.basename(tarball)));
    written.push(`vendor/${path.basename(tarball)}`);
  }
  return { files: written };
}
