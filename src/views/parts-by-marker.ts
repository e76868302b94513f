import { randomBytes } from 'node:crypto';

/**
 * Parts of a page already made as bytes, each standing in the page's text as a marker while its
 * template renders (an HTML comment, so escaping it or changing its case shows), then put in as
 * bytes: the page is never one string to encode, and a part kept from the last build is not
 * encoded again.
 */
export class PartsByMarker {
  /** Tells this page's markers from any text a post could hold. */
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly parts = new Map<number, Buffer>();

  /** The marker of part `index`, whose bytes are `bytes`. */
  marker(index: number, bytes: Buffer): string {
    this.parts.set(index, bytes);
    return `<!--recap-part:${this.nonce}:${index}-->`;
  }

  /** The page's bytes with each part in its marker's place; undefined unless every part asked for is there once, as it was given. */
  assemble(text: string): Buffer | undefined {
    const pieces: Buffer[] = [];
    const placed = new Set<number>();
    let from = 0;
    for (const match of text.matchAll(new RegExp(`<!--recap-part:${this.nonce}:(\\d+)-->`, 'g'))) {
      const index = Number(match[1]);
      const part = this.parts.get(index);
      if (!part || placed.has(index)) return undefined;
      placed.add(index);
      pieces.push(Buffer.from(text.slice(from, match.index)), part);
      from = match.index + match[0].length;
    }
    const rest = text.slice(from);
    if (placed.size !== this.parts.size || pieces.some((piece, n) => n % 2 === 0 && piece.includes(this.nonce)) || rest.includes(this.nonce)) return undefined;
    pieces.push(Buffer.from(rest));
    return Buffer.concat(pieces);
  }
}
