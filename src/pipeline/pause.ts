// Letting waiting work through in the middle of a long loop.

/**
 * Resolves on the event loop's next turn, after the I/O and messages already waiting: recap serve
 * keeps answering requests and hearing file events while it rebuilds a large site, and worker
 * threads' answers get in (and their next batches out) while the main thread works too.
 */
export function pause(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
