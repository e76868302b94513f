import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { SaxesParser } from 'saxes';
import { build, type BuildOptions, type BuildResult } from '../src/pipeline/build.js';
import { formatDiagnostic } from '../src/diagnostics/diagnostics.js';
import type { Manifest } from '../src/output/manifest.js';
import { makePhoto } from '../tools/photos.js';

/** The repository root (the example site). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'dist/src/cli.js');

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'recap-test-'));
  tempDirs.push(dir);
  return dir;
}

/** Every file of an output folder by path (Recap's marker left out), as bytes in base64: what two builds are compared by. */
export function outputFolder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === '.recap-output') continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = readFileSync(full).toString('base64');
  }
  return files;
}

/** What a fresh build in memory (no cache, no record, no store) makes of a site, in outputFolder's shape. */
export async function freshFiles(siteDir: string, options: Omit<BuildOptions, 'siteDir'>): Promise<Record<string, string>> {
  const result = await build({ siteDir, ...options });
  const files: Record<string, string> = {};
  for (const file of result.manifest.all()) files[file.path] = (file.content ?? readFileSync(file.copyFrom!)).toString('base64');
  return files;
}

/** Every output of a manifest by URL as bytes in base64, copied files read from disk: what two in-memory builds are compared by. */
export function manifestBytes(manifest: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of manifest.values()) out.set(file.url, (file.content ?? readFileSync(file.copyFrom!)).toString('base64'));
  return out;
}

/** Writes a fixture site (path -> content) into a temporary folder and returns it. */
export function makeSite(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

/** A minimal valid post with the given front-matter lines and body. */
export function post(frontMatter: string, body = 'Hello from the meetup.\n'): string {
  return `---\n${frontMatter.trim()}\n---\n${body}`;
}

/** Builds a site in memory. */
export function buildSite(siteDir: string, options: Partial<BuildOptions> = {}): Promise<BuildResult> {
  return build({ siteDir, now: new Date('2026-01-01T00:00:00Z'), ...options });
}

/** The diagnostics of a build as printed lines, for assertions. */
export function messages(result: BuildResult): string[] {
  return result.diagnostics.sorted().map(formatDiagnostic);
}

/**
 * The front matter of an announcement three weeks after 2027-03-01 (the present the event tests
 * build at): an event with its venue, address and RSVP link, plus any further event lines.
 */
export function announcementMatter(...eventLines: string[]): string {
  return [
    'title: "March meetup: paved roads"',
    'description: Two talks on golden paths',
    'event:',
    '  start: 2027-03-23 18:30',
    '  end: "21:00"',
    '  venue: The Tetley',
    '  address: Hunslet Road, Leeds LS10 1JQ',
    '  rsvp: https://www.meetup.com/example-group/events/123/',
    ...eventLines.map((line) => `  ${line}`),
  ].join('\n');
}

/** The text of an output in the manifest. */
export function output(result: BuildResult, url: string): string {
  const file = result.manifest.get(url);
  if (!file) throw new Error(`no output at ${url}; have ${result.manifest.all().map((f) => f.url).join(', ')}`);
  return file.content !== undefined ? file.content.toString() : readFileSync(file.copyFrom!, 'utf8');
}

/** An output parsed as HTML. */
export function html(result: BuildResult, url: string): cheerio.CheerioAPI {
  return cheerio.load(output(result, url));
}

/** An output parsed as XML. */
export function xml(result: BuildResult, url: string): cheerio.CheerioAPI {
  return cheerio.load(output(result, url), { xml: true });
}

/** Runs the recap CLI and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The first major of each action the workflows use that runs on Node 24: GitHub forced actions
 * on Node 20 onto Node 24 in June 2026 and removed Node 20 in September, with a warning on every run.
 */
const FIRST_NODE24_MAJOR: Readonly<Record<string, number>> = {
  'actions/checkout': 5, 'actions/setup-node': 5, 'actions/cache': 5,
  'actions/configure-pages': 6, 'actions/upload-pages-artifact': 5, 'actions/deploy-pages': 5,
};

/** The `uses:` of a workflow that name an action this table does not know, or a major before its Node 24 one. */
export function actionsBeforeNode24(workflow: string): string[] {
  return [...workflow.matchAll(/^\s*(?:-\s+)?uses:\s*([\w.-]+\/[\w.-]+)@v(\d+)\s*$/gm)]
    .filter(([, action, major]) => !(Number(major) >= (FIRST_NODE24_MAJOR[action!] ?? Infinity)))
    .map(([, action, major]) => `${action}@v${major}`);
}

/** A real JPEG photo of the given size for fixtures (generated, deterministic). */
export function photo(width = 640, height = 427, seed = 1): Promise<Buffer> {
  return makePhoto(width, height, seed);
}

/** Parses XML strictly (saxes, a conforming XML parser): throws on anything XML 1.0 forbids. */
export function parseXml(text: string): void {
  const parser = new SaxesParser();
  parser.on('error', (err) => {
    throw err;
  });
  parser.write(text).close();
}

/** A post cache as its index describes it: the index's first line, its Recap's code, its segments, and each entry's key and JSON text (read from its segment), in the index's order. */
export function readPostCacheEntries(file: string): { magic: string; code: string; segments: string[]; entries: Array<[key: string, json: string]> } {
  const text = readFileSync(file, 'utf8');
  const magicEnd = text.indexOf('\n') + 1;
  const index = JSON.parse(text.slice(magicEnd, -1)) as { code: string; segments: string[]; entries: Array<[string, number, number, number]> };
  const segments = index.segments.map((id) => readFileSync(`${file}.${id}.seg`));
  return {
    magic: text.slice(0, magicEnd), code: index.code, segments: index.segments,
    entries: index.entries.map(([key, segment, at, length]) => [key, segments[segment]!.toString('utf8', at, at + length)]),
  };
}

/**
 * Writes a post cache well formed, as someone tampering with a restored cache would: the entries,
 * in this order, in one segment named after its bytes, and an index of their places (a test that
 * only shifted bytes would see entries fail to parse, not fail the checks it means to try).
 * Returns the index's bytes.
 */
export function writePostCache(file: string, magic: string, code: string, entries: Array<[key: string, json: string]>): Buffer {
  const parts = entries.map(([, json]) => Buffer.from(json));
  const segment = Buffer.concat(parts);
  const id = createHash('sha1').update(segment).digest('hex').slice(0, 16);
  writeFileSync(`${file}.${id}.seg`, segment);
  let offset = 0;
  const places = entries.map(([key], i) => {
    offset += parts[i]!.length;
    return [key, 0, offset - parts[i]!.length, parts[i]!.length];
  });
  const index = Buffer.from(`${magic}${JSON.stringify({ code, segments: [id], entries: places })}\n`);
  writeFileSync(file, index);
  return index;
}

/** Rewrites each entry of a post cache with `edit` (see writePostCache). */
export function editPostCacheEntries(file: string, edit: (entry: string) => string): void {
  const { magic, code, entries } = readPostCacheEntries(file);
  writePostCache(file, magic, code, entries.map(([key, json]) => [key, edit(json)]));
}
