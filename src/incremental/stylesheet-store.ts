import path from 'node:path';
import type { SassOutcome } from '../content/sass.js';
import { realFolderInside } from '../output/real-folders.js';
import { readStateFile, writeStateFile } from '../output/state-file.js';
import { Memo } from './memo.js';

/** An outcome as the store holds it, or undefined where an entry is not one (the store is as untrusted as any cache). */
function storedOutcome(value: unknown): SassOutcome | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entry = value as Record<string, unknown>;
  const optionalNumber = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isInteger(x) && x > 0);
  if (entry['ok'] === true && typeof entry['css'] === 'string' && (entry['map'] === undefined || typeof entry['map'] === 'string')) {
    return { ok: true, css: entry['css'], map: entry['map'] as string | undefined };
  }
  if (entry['ok'] === false && typeof entry['file'] === 'string' && typeof entry['message'] === 'string' && typeof entry['missingImport'] === 'boolean'
    && optionalNumber(entry['line']) && optionalNumber(entry['column'])) {
    return { ok: false, file: entry['file'], line: entry['line'] as number | undefined, column: entry['column'] as number | undefined, message: entry['message'], missingImport: entry['missingImport'] };
  }
  return undefined;
}

/**
 * The stylesheets' outcomes kept from one `recap build` to the next (`stylesheets.json` in the
 * cache folder), so a build that changed no stylesheet, Sass file or setting they read does not
 * start Dart Sass at all. Only the last build's outcomes are kept; an entry that is not one is
 * dropped, and the file is written only when what it holds changes.
 */
export class StylesheetStore {
  readonly memo: Memo<SassOutcome>;
  private readonly text: string;

  constructor(private readonly file: string) {
    const text = readStateFile(file);
    let entries: Array<[string, SassOutcome]> = [];
    try {
      const parsed = text === undefined ? {} : JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        entries = Object.entries(parsed).flatMap(([key, value]) => {
          const outcome = /^[0-9a-f]{40}$/.test(key) ? storedOutcome(value) : undefined;
          return outcome ? [[key, outcome] as [string, SassOutcome]] : [];
        });
      }
    } catch {
      // A damaged store is an empty one: every stylesheet is compiled again.
    }
    this.text = text ?? '';
    this.memo = new Memo(entries);
  }

  /** Keeps what this build used, inside the site's cache folder (`root`). */
  async save(root: string): Promise<void> {
    this.memo.settle();
    const text = JSON.stringify(Object.fromEntries(this.memo.entries()));
    if (text === this.text) return;
    realFolderInside(root, path.dirname(this.file));
    await writeStateFile(this.file, text);
  }
}
