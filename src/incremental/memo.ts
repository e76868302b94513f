/**
 * The one memo every cached stage uses: values by a key that stands for everything they depend on
 * (a digest of their inputs), kept from one build to the next only when the last build used them.
 * recap serve keeps memos in memory between rebuilds; the post cache keeps its memo in a file
 * between builds: one mechanism, two stores.
 */
export class Memo<V> {
  /**
   * Every value remembered, with the build that last used it. A value used again stays in place
   * (it is not moved into a map of this build's): a rebuild that reuses thousands of values neither
   * grows a new map nor keeps the keys it built afresh to look them up.
   */
  private readonly remembered = new Map<string, { value: V; build: number }>();
  /** This build's number; entries of an earlier build are the last build's until settle() drops them. */
  private build = 1;

  /** A memo holding what an earlier build left (a file's entries), or nothing. */
  constructor(entries: Iterable<readonly [string, V]> = []) {
    for (const [key, value] of entries) this.remembered.set(key, { value, build: 0 });
  }

  /** The value remembered under a key, marking it used by this build. */
  get(key: string): V | undefined {
    const entry = this.remembered.get(key);
    if (entry === undefined) return undefined;
    entry.build = this.build;
    return entry.value;
  }

  /** True when anything at all is remembered. */
  holdsAny(): boolean {
    return this.remembered.size > 0;
  }

  /** True when a value is remembered under a key (not marking it used: get() does). */
  has(key: string): boolean {
    return this.remembered.has(key);
  }

  /** Remembers a value this build made. */
  set(key: string, value: V): void {
    const entry = this.remembered.get(key);
    if (entry === undefined) this.remembered.set(key, { value, build: this.build });
    else {
      entry.value = value;
      entry.build = this.build;
    }
  }

  /** Marks every remembered value used by this build: what a value kept whole was made of stays for the next. */
  keepAll(): void {
    for (const entry of this.remembered.values()) entry.build = this.build;
  }

  /** Drops a remembered value (one that failed validation). */
  delete(key: string): void {
    this.remembered.delete(key);
  }

  /** Ends a build: what it used is what the next build may reuse; the rest is forgotten. True when anything was. */
  settle(): boolean {
    let dropped = false;
    for (const [key, entry] of this.remembered) {
      if (entry.build === this.build) continue;
      this.remembered.delete(key);
      dropped = true;
    }
    this.build++;
    return dropped;
  }

  /** What the next build may reuse (after settle), for a store that writes it out. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, entry] of this.remembered) yield [key, entry.value];
  }
}
