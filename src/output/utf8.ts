/**
 * A text's UTF-8 bytes, the text first copied into one piece. A page rendered by concatenation
 * (Nunjucks and markdown-it build their output with `+=`) is a long chain of pieces, and V8
 * encodes such a chain several times slower than the same text in one piece; copying it whole
 * first (a slice of it, which V8 makes flat) costs less than the difference.
 */
export function utf8Bytes(text: string): Buffer {
  return Buffer.from(` ${text}`.slice(1));
}
