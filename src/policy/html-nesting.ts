import type { Handler, Parser } from 'htmlparser2';

/** How deeply nested elements are read: Chromium's HTML parser nests no deeper either (it puts what is deeper at this depth). */
export const MAX_HTML_NESTING = 512;

/**
 * htmlparser2's handlers, counting how deeply the open elements nest: past MAX_HTML_NESTING the
 * parser is paused, which ends the reading, and `tooDeep` is called. htmlparser2 keeps the open
 * elements in an array it adds to and takes from at the front, and searches for each end tag, so
 * reading N nested elements took time in N²: 160,000 unclosed `<pre>` (800 KB) took 15 s.
 */
export function nestingBounded(handlers: Partial<Handler>, parser: () => Parser, tooDeep: () => void): Partial<Handler> {
  let depth = 0;
  let stopped = false;
  return {
    ...handlers,
    onopentag(name, attributes, implied) {
      if (stopped) return;
      if (++depth > MAX_HTML_NESTING) {
        stopped = true;
        parser().pause();
        tooDeep();
        return;
      }
      handlers.onopentag?.(name, attributes, implied);
    },
    onclosetag(name, implied) {
      depth--;
      if (!stopped) handlers.onclosetag?.(name, implied);
    },
  };
}
