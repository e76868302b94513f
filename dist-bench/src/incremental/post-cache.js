import { rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { realFolderInside } from '../output/real-folders.js';
import { readRegularFile } from '../output/state-file.js';
import path from 'node:path';
import { isValidDiagnostic } from '../diagnostics/diagnostics.js';
import { isValidCachedBody, isValidCachedPost } from './cache-validation.js';
import { Memo } from './memo.js';
import { TOOLCHAIN } from './code-fingerprint.js';
/** The cache file's first line: what it is and its format. */
const MAGIC = 'recap post cache 5\n';
/** Entries written at a time (each a buffer of one write call). */
const WRITE_BATCH = 512;
/**
 * A key: the parts themselves, joined, not a hash of them — building one costs a string, and a
 * lookup a Map's own hashing. Recap's code is checked once per cache file instead (`code`).
 */
function key(parts) {
    return parts.join('\0');
}
/** The entries of a cache file by key, each as the bytes of its JSON: checked for shape, not yet read. */
function readEntries(bytes) {
    if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC)))
        throw new Error('not a post cache of this Recap');
    const headerEnd = bytes.indexOf(10, MAGIC.length);
    if (headerEnd === -1)
        throw new Error('no entries');
    const header = JSON.parse(bytes.toString('utf8', MAGIC.length, headerEnd));
    // A new Recap never reuses an old Recap's results (not an error: every upgrade does this once).
    if (header?.code !== TOOLCHAIN)
        return 'other code';
    if (!Array.isArray(header.entries))
        throw new Error('no entries');
    const body = bytes.subarray(headerEnd + 1);
    const entries = new Map();
    for (const entry of header.entries) {
        const [name, offset, length] = Array.isArray(entry) ? entry : [];
        const valid = typeof name === 'string' && Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= body.length;
        if (!valid)
            throw new Error('an entry of another shape, or past the end');
        entries.set(name, body.subarray(offset, offset + length));
    }
    return entries;
}
/**
 * Parsed posts and resolved bodies, keyed by everything that decides them: the file's bytes and
 * path, the settings the stage reads, the other posts' URLs for a body that uses `{% post_url %}`,
 * and Recap's own code. Kept in memory across rebuilds (recap serve) and, when given a file,
 * across builds (recap build), so unchanged posts are never parsed or rendered to HTML twice.
 * The file is an index of keys, then each entry's JSON: an entry is read only when a build asks
 * for it, and one the build did not change is written back as the same bytes.
 */
export class PostCache {
    file;
    root;
    readOnly;
    rawHtml;
    /** The memo of entries this build made or read (recap serve keeps it in memory between builds). */
    memo = new Memo();
    /** Entries of the file, not yet read or validated: the file is untrusted input (a restored CI cache). */
    stored = new Map();
    /** The file's bytes of entries read from it and still as they were, to be written back as they are. */
    unchanged = new Map();
    changed = false;
    /** Why entries or the whole file were discarded, for one note in the build's report. */
    discarded = [];
    constructor(file, root, readOnly, rawHtml) {
        this.file = file;
        this.root = root;
        this.readOnly = readOnly;
        this.rawHtml = rawHtml;
    }
    /**
     * A cache, loaded from its file when there is one (a missing file is an empty cache; an
     * unreadable, truncated or old-format one is discarded with a note); a read-only one never
     * writes the file back (recap check writes nothing). `rawHtml` is the site's setting, which
     * cached bodies must respect.
     */
    static async open(file, options) {
        const cache = new PostCache(file, options.siteDir ?? (file ? path.dirname(file) : ''), options.readOnly ?? false, options.rawHtml);
        if (!file)
            return cache;
        const read = readRegularFile(file);
        if (read === undefined)
            return cache; // no cache yet (or not a file Recap could have written)
        try {
            const entries = readEntries(read.bytes);
            if (entries === 'other code')
                cache.changed = true;
            else
                cache.stored = entries;
        }
        catch (err) {
            cache.changed = true;
            cache.discarded.push(`the whole file (${err.message})`);
        }
        return cache;
    }
    /** True when an entry read from the file has the shape and passes the policies its stage's fresh result would. */
    valid(kind, cached) {
        if (!cached.diagnostics.every(isValidDiagnostic))
            return false;
        return kind === 'parse' ? cached.value === null || isValidCachedPost(cached.value) : isValidCachedBody(cached.value, this.rawHtml);
    }
    /** The key of a source file's parse under these settings. */
    static parseKey(source, config) {
        return key(['parse', source.path, source.digest, config.timezone, config.permalink, source.kind, (source.folderCategories ?? []).join('/')]);
    }
    /** The key of a post's resolved body under these settings, and what it names of the rest of the site (other posts' URLs, includes, data), if anything. */
    static resolveKey(post, config, othersKey) {
        return key(['resolve', post.file, post.digest, config.baseurl, config.url, config.title, config.description, config.raw_html, config.timezone, othersKey]);
    }
    /** The cached result of a stage, marking it as still in use; an entry from the file that fails validation is discarded. */
    get(kind, key) {
        const hit = this.memo.get(key);
        if (hit)
            return hit;
        const bytes = this.stored.get(key);
        if (!bytes)
            return undefined;
        this.stored.delete(key);
        let cached;
        try {
            cached = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            cached = undefined;
        }
        if (!cached || typeof cached !== 'object' || !Array.isArray(cached.diagnostics) || !this.valid(kind, cached)) {
            this.changed = true;
            this.discarded.push(`a ${kind} entry`);
            return undefined;
        }
        this.memo.set(key, cached);
        this.unchanged.set(key, bytes);
        return cached;
    }
    /** Stores a stage's fresh result. */
    set(_kind, key, value) {
        this.memo.set(key, value);
        this.unchanged.delete(key);
        this.changed = true;
    }
    /** Forgets entries no build has used since the last save, and writes the file if anything changed. */
    async save() {
        if (this.memo.settle() || this.stored.size > 0)
            this.changed = true;
        this.stored = new Map();
        if (!this.file || !this.changed || this.readOnly)
            return;
        this.changed = false;
        realFolderInside(this.root, path.dirname(this.file));
        // Entries read and not changed are the very bytes they were; only fresh ones are made into JSON.
        const header = { code: TOOLCHAIN, entries: [] };
        const bodies = [];
        let offset = 0;
        for (const [name, value] of this.memo.entries()) {
            const bytes = this.unchanged.get(name) ?? Buffer.from(JSON.stringify(value));
            header.entries.push([name, offset, bytes.length]);
            bodies.push(bytes);
            offset += bytes.length;
        }
        this.unchanged.clear();
        // A fresh temporary file (never through whatever a restored cache left at that name), renamed over the old one.
        const temp = `${this.file}.${process.pid}.tmp`;
        rmSync(temp, { force: true });
        const out = await open(temp, 'wx');
        try {
            await out.write(`${MAGIC}${JSON.stringify(header)}\n`);
            for (let i = 0; i < bodies.length; i += WRITE_BATCH)
                await out.writev(bodies.slice(i, i + WRITE_BATCH));
        }
        finally {
            await out.close();
        }
        await rename(temp, this.file);
    }
}
