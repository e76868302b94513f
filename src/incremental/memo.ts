/**
 * The one memo every cached stage uses: values by a key that stands for everything they depend on
 * (a digest of their inputs), kept from one build to the next only when the last build used them.
 * recap serve keeps memos in memory between rebuilds; the post cache keeps its memo in a file
 * between builds: one mechanism, two stores.
 */
export class Memo<V> {
  private previous: Map<string, V>;
  private current = new Map<string, V>();
  /** How many of `previous`'s keys this build has used (read or set again), so settle() need not look at each. */
  private kept = 0;

  /** A memo holding what an earlier build left (a file's entries), or nothing. */
  constructor(entries: Iterable<readonly [string, V]> = []) {
    this.previous = new Map(entries);
  }

  /** The value remembered under a key, marking it used by this build. */
  get(key: string): V | undefined {
    let value = this.current.get(key);
    if (value === undefined) {
      value = this.previous.get(key);
      if (value !== undefined) {
        this.current.set(key, value);
        this.kept++;
      }
    }
    return value;
  }

  /** True when anything at all is remembered. */
  holdsAny(): boolean {
    return this.previous.size > 0 || this.current.size > 0;
  }

  /** True when a value is remembered under a key (not marking it used: get() does). */
  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  /** Remembers a value this build made. */
  set(key: string, value: V): void {
    if (!this.current.has(key) && this.previous.has(key)) this.kept++;
    this.current.set(key, value);
  }

  /** Drops a remembered value (one that failed validation). */
  delete(key: string): void {
    if (this.previous.delete(key) && this.current.has(key)) this.kept--;
    this.current.delete(key);
  }

  /** Ends a build: what it used is what the next build may reuse; the rest is forgotten. True when anything was. */
  settle(): boolean {
    const dropped = this.kept < this.previous.size;
    this.previous = this.current;
    this.current = new Map();
    this.kept = 0;
    return dropped;
  }

  /** What the next build may reuse (after settle), for a store that writes it out. */
  entries(): IterableIterator<[string, V]> {
    return this.previous.entries();
  }
}
