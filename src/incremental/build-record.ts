import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { countSeverities, isValidDiagnostic, SEVERITIES, type Diagnostic, type SeverityCounts } from '../diagnostics/diagnostics.js';
import { isSafeOutputPath } from '../policy/output-policy.js';
import { folderMarks, foldersOf, OUTPUT_MARKER, stateFolder, treeId, type TreeIdentities } from '../output/write.js';
import { identityAt, identityOf, lstatOrNone } from '../output/file-identity.js';
import { pathInTree } from '../output/tree-entry.js';
import { readRegularFile, RegularFileReader, writeStateFile } from '../output/state-file.js';
import { TOOLCHAIN } from './code-fingerprint.js';
import { cacheFolderProblem } from '../policy/cache-policy.js';

const FORMAT = 2;
const RECORD_NAME = 'build.json';
/** Folders of a site that are never a build's input. */
const NEVER_INPUT = new Set(['.git', 'node_modules']);
/**
 * A file changed this recently may change again within the file system's timestamp tick without
 * its stamp moving (Git calls such entries "racily clean"): a snapshot holding one is not recorded.
 */
export const SETTLED_MS = 2000;

/** Every file and folder of a site as it stood before a build read it: one line per entry, by site path. */
export interface InputSnapshot {
  entries: Array<{ path: string; line: string; changedMs: number }>;
  takenMs: number;
}

/**
 * What a finished `recap build` left in its output's state folder for the next build to compare
 * against: the file's first line. Its second line is the build's diagnostics, read only when they
 * are reported again (at 4000 posts with 3 warnings each, 2.9 of the file's 3.1 MB).
 */
interface BuildRecord {
  format: number;
  toolchain: string;
  options: string;
  /** The cache folder (site path), whose entries are Recap's own, not inputs. */
  cacheDir: string;
  inputs: string;
  /** The post cache file as this build left it: deleting the cache forces a full build. */
  cacheFile: string;
  cacheMark: string;
  /** Until when the clock alone leaves the output as it is (epoch ms). */
  validUntil: number;
  tree: string;
  outputs: string[];
  outputMarks: string;
  counts: SeverityCounts;
  pages: number;
  posts: number;
}

/**
 * A build found up to date: how many diagnostics of each severity it reported, and the
 * diagnostics themselves, to be reported again (undefined when the record's list is not the one
 * its counts describe: then the output cannot be trusted to be that build's either).
 */
export interface RecordedBuild {
  counts: SeverityCounts;
  diagnostics: () => Diagnostic[] | undefined;
  pages: number;
  posts: number;
}

/**
 * Lists a site's files and folders with their identities, never following links (the build does
 * not either), leaving out version control, installed packages, the output with its state, and
 * the cache folder the last build used (`last`), whose entries are Recap's own, not inputs: a
 * site's photos leave thousands of encoded files there. That folder is read from the untrusted
 * record, so it is left out only where a cache may be (see cacheFolderProblem); a build whose
 * settings moved the cache elsewhere finds the inputs changed, and builds.
 */
export function snapshotInputs(siteDir: string, outDir: string, last?: LastBuild): InputSnapshot {
  const takenMs = Date.now();
  const skipped = new Set([path.resolve(outDir), stateFolder(path.resolve(outDir))]);
  const cacheDir = last?.record.cacheDir;
  if (cacheDir && cacheFolderProblem(siteDir, cacheDir) === undefined) skipped.add(path.resolve(siteDir, cacheDir));
  const entries: InputSnapshot['entries'] = [];
  const walk = (dir: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return; // an unreadable folder is the build's to report
    }
    for (const name of names) {
      const full = pathInTree(dir, name);
      if (skipped.has(full) || (prefix === '' && NEVER_INPUT.has(name))) continue;
      const info = lstatOrNone(full);
      // A folder's own times say only that an entry came or went (the cache, a renamed output): not a change of input.
      // To the millisecond, as takenMs is: a file written earlier in the snapshot's millisecond is not one changed after it.
      const changedMs = info && !info.isDirectory() ? Math.floor(Math.max(info.mtimeMs, info.ctimeMs)) : 0;
      entries.push({ path: prefix + name, line: `${prefix}${name}\0${identityOf(info)}`, changedMs });
      if (info?.isDirectory()) walk(full, `${prefix}${name}/`);
    }
  };
  walk(path.resolve(siteDir), '');
  return { entries, takenMs };
}

/** A snapshot's inputs: every entry but those in the cache folder (a site path, or '' for one outside the site). */
function inputsOf(snapshot: InputSnapshot, cacheDir: string): InputSnapshot['entries'] {
  return cacheDir === '' ? snapshot.entries : snapshot.entries.filter((e) => e.path !== cacheDir && !e.path.startsWith(`${cacheDir}/`));
}

/** The digest of a snapshot's inputs. */
function inputsDigest(snapshot: InputSnapshot, cacheDir: string): string {
  const hash = createHash('sha1');
  for (const entry of inputsOf(snapshot, cacheDir)) hash.update(entry.line).update('\n');
  return hash.digest('hex');
}

/** The digest of a tree's identities: its outputs' and its folders' (a file planted in a folder changes that folder's). */
function treeDigest(outputs: readonly string[], folders: readonly string[], identities: TreeIdentities): string {
  // One text hashed with one call: thousands of small updates cost more than the text.
  const lines = outputs.map((file) => `${file}\0${identities.files[file]}\n`);
  for (const dir of folders) lines.push(`${dir}/\0${identities.folders[dir]}\n`);
  return createHash('sha1').update(lines.join('')).digest('hex');
}

/** The identities of a tree's outputs and folders (`foldersOf` the outputs) as they are on disk now. */
function identitiesOnDisk(out: string, outputs: readonly string[], folders: readonly string[]): TreeIdentities {
  const files: Record<string, string> = {};
  for (const file of outputs) files[file] = identityAt(pathInTree(out, file));
  return { files, folders: folderMarks(out, folders) };
}

/** A site path of a folder inside the site, or '' for one outside it (whose files are not in a snapshot). */
function sitePathOf(siteDir: string, dir: string): string {
  const rel = path.relative(path.resolve(siteDir), dir);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? '' : rel.split(path.sep).join('/');
}

/** Bytes read at first when looking for the end of a record's first line (doubled until it is found). */
const FIRST_LINE_CHUNK = 256 * 1024;

/** A file's first line, as bytes without its newline, or undefined when it has none (or no file to trust). */
function readFirstLine(file: string): Buffer | undefined {
  const reader = RegularFileReader.open(file);
  if (!reader) return undefined;
  try {
    for (let length = FIRST_LINE_CHUNK; ; length *= 2) {
      const bytes = reader.read(0, Math.min(length, reader.size));
      const newline = bytes.indexOf(10);
      if (newline >= 0) return bytes.subarray(0, newline);
      if (bytes.length < length) return undefined;
    }
  } finally {
    reader.close();
  }
}

/** The last build's record, read once: what the snapshot leaves out, and what upToDateBuild compares against. */
export interface LastBuild {
  record: BuildRecord;
  /** The record's first line, to know the rest of the file by. */
  firstLine: Buffer;
}

/**
 * The record, if it is one this Recap wrote (the state folder is as untrusted as the old output):
 * its first line alone is read, and kept, to know the rest of the file by.
 */
async function readRecord(file: string): Promise<LastBuild | undefined> {
  const firstLine = readFirstLine(file);
  if (!firstLine) return undefined;
  let parsed: Partial<BuildRecord>;
  try {
    parsed = JSON.parse(firstLine.toString('utf8')) as Partial<BuildRecord>;
  } catch {
    return undefined;
  }
  const strings = [parsed?.toolchain, parsed?.options, parsed?.cacheDir, parsed?.inputs, parsed?.cacheFile, parsed?.cacheMark, parsed?.tree, parsed?.outputMarks];
  const counts = parsed?.counts as Partial<SeverityCounts> | undefined;
  const valid = parsed !== null && typeof parsed === 'object' && parsed.format === FORMAT && strings.every((s) => typeof s === 'string')
    && typeof parsed.validUntil === 'number' && Number.isInteger(parsed.pages) && Number.isInteger(parsed.posts)
    && Array.isArray(parsed.outputs) && parsed.outputs.every((p) => typeof p === 'string' && isSafeOutputPath(p))
    && typeof counts === 'object' && counts !== null && SEVERITIES.every((s) => Number.isInteger(counts[s]) && counts[s]! >= 0) && counts.error === 0;
  return valid ? { record: parsed as BuildRecord, firstLine } : undefined;
}

/**
 * A record's diagnostics, read when they are to be reported again: its second line, if the file
 * still starts with the first line read before, holds valid diagnostics, and exactly as many of
 * each severity as the record's counts say.
 */
function recordedDiagnostics(file: string, firstLine: Buffer, counts: SeverityCounts): Diagnostic[] | undefined {
  const bytes = readRegularFile(file)?.bytes;
  if (!bytes || bytes[firstLine.length] !== 10 || !bytes.subarray(0, firstLine.length).equals(firstLine)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8', firstLine.length + 1));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every(isValidDiagnostic)) return undefined;
  const found = countSeverities(parsed);
  return SEVERITIES.every((s) => found[s] === counts[s]) ? parsed : undefined;
}

/** Where an output folder's record is (an absolute output folder). */
function recordFileOf(out: string): string {
  return path.join(stateFolder(out), RECORD_NAME);
}

/** The record the last build into an output folder left, if it is one this Recap wrote. */
export function lastBuild(outDir: string): Promise<LastBuild | undefined> {
  return readRecord(recordFileOf(path.resolve(outDir)));
}

/** What decides a build's output besides its inputs: the options it was asked with. */
export function optionsKey(options: { baseUrl?: string; future?: boolean }, outDir: string): string {
  return JSON.stringify([options.baseUrl ?? null, options.future ?? false, path.resolve(outDir)]);
}

/**
 * The last build, when the output folder already holds exactly what a build now would make: same
 * Recap, same options, every input file as it was, the post cache as that build left it, the
 * clock not yet past a future post or an event's next change, and every output file as written.
 * Costs a stat per input and per output; anything that differs, or a record that is missing or
 * not one Recap wrote, means a full build.
 */
export async function upToDateBuild(last: LastBuild | undefined, snapshot: InputSnapshot, outDir: string, key: string, nowMs: number): Promise<RecordedBuild | undefined> {
  if (!last) return undefined;
  const out = path.resolve(outDir);
  const recordFile = recordFileOf(out);
  const { record, firstLine } = last;
  if (record.toolchain !== TOOLCHAIN || record.options !== key || nowMs >= record.validUntil) return undefined;
  if (record.tree !== (await treeId(out)) || !lstatOrNone(path.join(out, OUTPUT_MARKER))?.isFile()) return undefined;
  if (identityAt(record.cacheFile) !== record.cacheMark) return undefined;
  if (inputsDigest(snapshot, record.cacheDir) !== record.inputs) return undefined;
  const folders = foldersOf(record.outputs);
  if (treeDigest(record.outputs, folders, identitiesOnDisk(out, record.outputs, folders)) !== record.outputMarks) return undefined;
  return { counts: record.counts, diagnostics: () => recordedDiagnostics(recordFile, firstLine, record.counts), pages: record.pages, posts: record.posts };
}

/**
 * Removes the record before the output changes: a build that fails part way leaves none to trust.
 * Only from a real state folder: through a link planted in its place it would delete a file
 * elsewhere (the writer replaces such a link); where there is none, there is nothing to remove.
 */
export async function forgetBuild(outDir: string): Promise<void> {
  const state = stateFolder(path.resolve(outDir));
  if (!lstatOrNone(state)?.isDirectory()) return;
  await rm(path.join(state, RECORD_NAME), { recursive: true, force: true });
}

/** What a successful build tells the record. */
export interface FinishedBuild {
  siteDir: string;
  outDir: string;
  key: string;
  snapshot: InputSnapshot;
  /** How long an input must have stood unchanged for its timestamps to be trusted. */
  settledMs: number;
  cacheDir: string;
  cacheFile: string;
  /** The earliest instant the clock alone changes the output (Infinity for never). */
  changesAt: number;
  /** The live tree as the writer left it, by output path. */
  written: TreeIdentities;
  diagnostics: Diagnostic[];
  pages: number;
  posts: number;
}

/**
 * Records a build just written, so the next one with nothing changed can stop after comparing.
 * Not recorded when an input changed too recently for its timestamps to be trusted.
 */
export async function recordBuild(finished: FinishedBuild): Promise<void> {
  const out = path.resolve(finished.outDir);
  const cacheDir = sitePathOf(finished.siteDir, finished.cacheDir);
  if (inputsOf(finished.snapshot, cacheDir).some((e) => e.changedMs > finished.snapshot.takenMs - finished.settledMs)) return;
  const tree = await treeId(out);
  if (!tree) return;
  const outputs = Object.keys(finished.written.files);
  const record: BuildRecord = {
    format: FORMAT, toolchain: TOOLCHAIN, options: finished.key, cacheDir, inputs: inputsDigest(finished.snapshot, cacheDir),
    cacheFile: finished.cacheFile, cacheMark: identityAt(finished.cacheFile),
    validUntil: finished.changesAt, tree, outputs, outputMarks: treeDigest(outputs, foldersOf(outputs), finished.written),
    counts: countSeverities(finished.diagnostics), pages: finished.pages, posts: finished.posts,
  };
  // Infinity is not JSON: a build the clock never changes is valid until the largest date there is.
  if (!Number.isFinite(record.validUntil)) record.validUntil = Number.MAX_SAFE_INTEGER;
  await writeStateFile(recordFileOf(out), `${JSON.stringify(record)}\n${JSON.stringify(finished.diagnostics)}\n`);
}

/** What every page of a build depends on besides its own post's content, for reusing pages: see `environmentOf`. */
export interface Environment {
  digest: string;
  /** False when one of those inputs changed too recently for its timestamps to be trusted: pages made in it are not kept. */
  settled: boolean;
}

/**
 * The digest of everything a page depends on that page keys do not carry: Recap, the options, and
 * every input file but the posts and pages (`contentFiles`, whose content the keys carry) and the
 * cache — templates, settings, photos, static files, data. Folders are left out: an entry that
 * comes or goes is a file that does.
 */
export function environmentOf(snapshot: InputSnapshot, siteDir: string, cacheDir: string, key: string, contentFiles: ReadonlySet<string>, settledMs: number): Environment {
  const hash = createHash('sha1').update(`${FORMAT}\0${TOOLCHAIN}\0${key}\n`);
  let settled = true;
  for (const entry of inputsOf(snapshot, sitePathOf(siteDir, cacheDir))) {
    if (entry.line.endsWith('\0d') || contentFiles.has(entry.path)) continue;
    hash.update(entry.line).update('\n');
    if (entry.changedMs > snapshot.takenMs - settledMs) settled = false;
  }
  return { digest: hash.digest('hex'), settled };
}
