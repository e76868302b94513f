import { lstatSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** An installed gem theme: its folder, and a label (`minima-2.5.1`) that names its files in messages and source maps. */
export interface ThemeGem {
  folder: string;
  label: string;
}

/** A gem's name as RubyGems allows it: nothing that could name a path. */
const GEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The folders below `dir` (real folders, not links), or none where it cannot be read. */
function folders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

/**
 * Where RubyGems keeps gems for a site built here, as Jekyll's `Gem::Specification` finds them:
 * GEM_HOME and GEM_PATH, Bundler's `vendor/bundle` in the site, the user's gems, and the system's
 * (Debian's packages, `gem install` as root).
 */
function gemRoots(siteDir: string, env: NodeJS.ProcessEnv): string[] {
  const home = env['HOME'] ?? os.homedir();
  // The site's own vendor/bundle is followed through real folders only: a link there could lead anywhere.
  const bundled = ['vendor', 'bundle', 'ruby'].every((_, n, parts) => lstatSync(path.join(siteDir, ...parts.slice(0, n + 1)), { throwIfNoEntry: false })?.isDirectory() === true)
    ? folders(path.join(siteDir, 'vendor', 'bundle', 'ruby')).filter((dir) => lstatSync(path.join(dir, 'gems'), { throwIfNoEntry: false })?.isDirectory() === true)
    : [];
  return [
    ...[env['GEM_HOME'], ...(env['GEM_PATH'] ?? '').split(path.delimiter)].filter((dir): dir is string => Boolean(dir)),
    ...bundled,
    ...folders(path.join(home, '.gem', 'ruby')),
    ...folders(path.join(home, '.local', 'share', 'gem', 'ruby')),
    ...folders('/var/lib/gems'),
    ...folders('/usr/local/lib/ruby/gems'),
    ...folders('/usr/lib/ruby/gems'),
    '/usr/share/rubygems-integration/all',
    ...folders('/usr/share/rubygems-integration'),
    ...folders('/usr/lib/x86_64-linux-gnu/rubygems-integration'),
  ];
}

/** Compares gem versions as RubyGems orders them, segment by segment (numbers as numbers). */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const order = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * The installed gem a Jekyll site's `theme:` names (its newest version, wherever RubyGems would
 * find it), or undefined when this machine has none. Only a real folder named `NAME-VERSION` below
 * a gem root's `gems/` is taken; the build reads nothing of it but its `assets/` and `_sass/`.
 */
export function findThemeGem(name: string, siteDir: string, env: NodeJS.ProcessEnv = process.env): ThemeGem | undefined {
  if (!GEM_NAME.test(name) || name.includes('..')) return undefined;
  const pattern = new RegExp(`^${name.replace(/[.]/g, '\\.')}-(\\d[0-9A-Za-z.]*)$`);
  let best: { folder: string; version: string } | undefined;
  for (const root of gemRoots(siteDir, env)) {
    for (const folder of folders(path.join(root, 'gems'))) {
      const version = pattern.exec(path.basename(folder))?.[1];
      if (version && (!best || compareVersions(version, best.version) > 0)) best = { folder, version };
    }
  }
  return best && { folder: best.folder, label: `${name}-${best.version}` };
}
