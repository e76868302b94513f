import { randomBytes } from 'node:crypto';

/** Where a part went in its page: its index, its byte offset and its length. */
export type PartPlace = readonly [index: number, offset: number, length: number];

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

  /**
   * The page's bytes with each part in its marker's place, and where each part went (its index,
   * byte offset and length); undefined unless every part asked for is there once, as it was given.
   */
  assemble(text: string): { bytes: Buffer; places: PartPlace[] } | undefined {
    const pieces: Buffer[] = [];
    const places: PartPlace[] = [];
    const placed = new Set<number>();
    let from = 0;
    let offset = 0;
    for (const match of text.matchAll(new RegExp(`<!--recap-part:${this.nonce}:(\\d+)-->`, 'g'))) {
      const index = Number(match[1]);
      const part = this.parts.get(index);
      if (!part || placed.has(index)) return undefined;
      placed.add(index);
      const before = Buffer.from(text.slice(from, match.index));
      offset += before.length;
      places.push([index, offset, part.length]);
      offset += part.length;
      pieces.push(before, part);
      from = match.index + match[0].length;
    }
    const rest = text.slice(from);
    if (placed.size !== this.parts.size || pieces.some((piece, n) => n % 2 === 0 && piece.includes(this.nonce)) || rest.includes(this.nonce)) return undefined;
    pieces.push(Buffer.from(rest));
    return { bytes: joinPieces(pieces), places };
  }
}

/**
 * The pieces' bytes joined. Runs of pieces that are already side by side in one buffer (parts read
 * out of the page last built, and the text between them where it is the same bytes as there) are
 * copied as one: a page with one part made again is a few copies, not one per piece.
 */
export function joinPieces(pieces: readonly Buffer[]): Buffer {
  const runs: Buffer[] = [];
  let run: { from: Buffer; start: number; end: number } | undefined;
  for (const piece of pieces) {
    const whole = run?.from;
    const follows = whole !== undefined && (piece.buffer === whole.buffer && piece.byteOffset === whole.byteOffset + run!.end
      || (run!.end + piece.length <= whole.length && whole.subarray(run!.end, run!.end + piece.length).equals(piece)));
    if (follows) {
      run!.end += piece.length;
      continue;
    }
    if (run) runs.push(run.from.subarray(run.start, run.end));
    // A piece cut out of a bigger buffer may be followed by its neighbours there.
    const from = piece.byteOffset === 0 && piece.length === piece.buffer.byteLength ? piece : Buffer.from(piece.buffer, 0, piece.buffer.byteLength);
    run = { from, start: piece.byteOffset, end: piece.byteOffset + piece.length };
  }
  if (run) runs.push(run.from.subarray(run.start, run.end));
  return Buffer.concat(runs);
}
