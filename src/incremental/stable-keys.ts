/** What a key is made of: strings, and numbers or flags written as text. */
export type KeyPart = string | number | boolean;

/**
 * Memo keys that stay the very same strings from one build to the next while what they are made of
 * stays the same. A Map finds such a key by the hash V8 keeps inside the string; a key built
 * afresh is a new string, joined, flattened and hashed again before the lookup (recap serve looks
 * up ~6000 keys of up to 470 characters in a rebuild of 1000 posts). Each key is held by what it
 * is the key of (a source file, a post), for as long as that is alive.
 */
export class StableKeys {
  private readonly held = new WeakMap<object, readonly KeyPart[]>();

  /** The key of `owner` made of `parts`: the string handed out last time when every part is the same, else their join. */
  of(owner: object, parts: readonly KeyPart[]): string {
    const last = this.held.get(owner);
    if (last !== undefined && last.length === parts.length + 1 && parts.every((part, index) => part === last[index])) return last[parts.length] as string;
    const key = parts.join('\0');
    this.held.set(owner, [...parts, key]);
    return key;
  }
}

/** A memo key made of parts: held by its owner where a build remembers keys (`keys`), else joined afresh. */
export function stableKey(keys: StableKeys | undefined, owner: object, parts: readonly KeyPart[]): string {
  return keys ? keys.of(owner, parts) : parts.join('\0');
}
