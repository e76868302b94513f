import { lstatSync } from 'node:fs';
import path from 'node:path';
import { readYaml } from '../content/yaml.js';
import { trimEndOf } from '../content/text.js';
import { readStateFile } from './state-file.js';

/**
 * A Jekyll site's `_site` is Jekyll's output, which every `jekyll build` replaces as a whole but
 * for what `keep_files` keeps there: Recap may replace it as Jekyll does.
 */

/** The largest Jekyll settings file read for its `keep_files` (the build refuses a larger one). */
const MAX_JEKYLL_SETTINGS_BYTES = 256 * 1024;
/** What Jekyll keeps in its output folder where `keep_files` does not say: a deploy checkout's repository. */
const JEKYLL_KEEP_FILES: readonly string[] = ['.git', '.svn'];

/**
 * For a Jekyll site's own `_site` (settings in `_config.yml`, none in `recap.yml`): the paths in
 * it that Jekyll would keep, none when it may be replaced. Undefined for any other folder.
 */
export function keptInJekyllsOutput(outDir: string, siteDir: string): string[] | undefined {
  if (outDir !== path.join(siteDir, '_site')) return undefined;
  const isFile = (file: string) => lstatSync(file, { throwIfNoEntry: false })?.isFile() === true;
  if (!isFile(path.join(siteDir, '_config.yml')) || lstatSync(path.join(siteDir, 'recap.yml'), { throwIfNoEntry: false })) return undefined;
  return keptFiles(siteDir).filter((entry) => lstatSync(path.join(outDir, entry), { throwIfNoEntry: false }) !== undefined);
}

/** The paths a Jekyll site's `keep_files` names in its output folder (Jekyll's own where it names none); only plain ones below it. */
function keptFiles(siteDir: string): readonly string[] {
  const text = readStateFile(path.join(siteDir, '_config.yml'), MAX_JEKYLL_SETTINGS_BYTES);
  const parsed = text === undefined ? undefined : readYaml(text);
  const value = parsed?.ok && parsed.value !== null && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>)['keep_files'] : undefined;
  if (!Array.isArray(value)) return JEKYLL_KEEP_FILES;
  return value.filter((entry): entry is string => typeof entry === 'string' && !['', '.'].includes(trimEndOf(path.normalize(entry.trim()), '\\/'))
    && !path.isAbsolute(entry) && !entry.split(/[\\/]/).includes('..'));
}
