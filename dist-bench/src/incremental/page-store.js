import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isValidDiagnostic } from '../diagnostics/diagnostics.js';
import { identityAt, lstatOrNone } from '../output/file-identity.js';
import { readStateFile, writeStateFile } from '../output/state-file.js';
import { liveOutputs, stateFolder } from '../output/write.js';
import { isSafeOutputPath } from '../policy/output-policy.js';
import { Memo } from './memo.js';
const FORMAT = 1;
const STORE_NAME = 'pages.json';
const ORIGINS = new Set(['recap', 'static', 'content']);
function isStoredOutput(value) {
    const output = value;
    return value !== null && typeof value === 'object' && typeof output.url === 'string' && typeof output.source === 'string'
        && ORIGINS.has(output.origin) && (output.optional === undefined || typeof output.optional === 'boolean')
        && typeof output.path === 'string' && isSafeOutputPath(output.path) && typeof output.fingerprint === 'string' && /:\d+$/.test(output.fingerprint);
}
function isStoredPages(value) {
    const pages = value;
    return value !== null && typeof value === 'object' && Array.isArray(pages.outputs) && pages.outputs.every(isStoredOutput)
        && Array.isArray(pages.diagnostics) && pages.diagnostics.every(isValidDiagnostic) && !pages.diagnostics.some((d) => d.severity === 'error')
        && (pages.token === undefined || typeof pages.token === 'string');
}
/** A memo key as stored: a digest, so the file holds no content and stays small. */
function storedKey(key) {
    return createHash('sha1').update(key).digest('base64');
}
/**
 * `recap build`'s pages from one build to the next: what each post page and list section made,
 * by a key standing for everything it was made from, so an unchanged one is neither rendered nor
 * written again — its bytes are the live output's file, as long as that file is exactly as the
 * writer left it. Kept beside the output (the bytes live there), for one environment (Recap, the
 * options, every input but the posts): when that changes, every page is made afresh.
 */
export class PageStore {
    out;
    stored;
    reusing;
    environmentOf;
    memo = new Memo();
    live;
    environment;
    constructor(out, stored, reusing, environmentOf) {
        this.out = out;
        this.stored = stored;
        this.reusing = reusing;
        this.environmentOf = environmentOf;
    }
    /**
     * The store an output folder holds (none when missing or not one Recap wrote), with how to work
     * out a build's environment; `reuse` false to make every page afresh but keep what this build makes.
     */
    static async open(outDir, reuse, environmentOf) {
        const out = path.resolve(outDir);
        let stored;
        try {
            const parsed = JSON.parse(readStateFile(path.join(stateFolder(out), STORE_NAME)) ?? 'null');
            if (parsed && typeof parsed === 'object' && parsed.format === FORMAT && typeof parsed.environment === 'string'
                && parsed.entries !== null && typeof parsed.entries === 'object' && !Array.isArray(parsed.entries)) {
                stored = parsed;
            }
        }
        catch {
            stored = undefined;
        }
        const store = new PageStore(out, stored, reuse, environmentOf);
        store.live = await liveOutputs(out);
        return store;
    }
    /** Starts a build once its posts and pages are known (`contentFiles`, site paths): stored pages of another environment are not reused. */
    begin(contentFiles, cacheDir) {
        const environment = (this.environment = this.environmentOf(contentFiles, cacheDir));
        const entries = this.reusing && this.stored?.environment === environment.digest ? Object.entries(this.stored.entries) : [];
        this.memo = new Memo(entries.filter(([, pages]) => isStoredPages(pages)));
    }
    /**
     * The pages stored under a key, when every one of them is in the live output exactly as written
     * (same fingerprint in the tree's record, same identity on disk); otherwise undefined, and the
     * caller makes them afresh.
     */
    reuse(key) {
        const { live } = this;
        if (!live)
            return undefined;
        const stored = this.memo.get(storedKey(key));
        if (!stored)
            return undefined;
        const outputs = [];
        for (const output of stored.outputs) {
            const from = path.join(this.out, output.path);
            const mark = live.marks[output.path];
            if (live.files[output.path] !== output.fingerprint || mark === undefined || identityAt(from) !== mark)
                return undefined;
            outputs.push({ ...output, reuse: { from, mark } });
        }
        return { outputs, diagnostics: stored.diagnostics, token: stored.token };
    }
    /** Keeps what a key's pages were made into, for the next build. */
    remember(key, pages) {
        this.memo.set(storedKey(key), pages);
    }
    /**
     * Saves what this build made and reused, once its output is live. A build whose environment was
     * not settled keeps nothing: its pages could not be told apart from the next edit's.
     */
    async save() {
        const file = path.join(stateFolder(this.out), STORE_NAME);
        if (!lstatOrNone(stateFolder(this.out))?.isDirectory())
            return;
        if (!this.environment?.settled) {
            await rm(file, { force: true });
            return;
        }
        this.memo.settle();
        const entries = {};
        for (const [key, pages] of this.memo.entries())
            entries[key] = pages;
        await writeStateFile(file, JSON.stringify({ format: FORMAT, environment: this.environment.digest, entries }));
    }
}
