// The thread that writes pages into the standby tree while the build goes on (see early-writes.ts).

import { parentPort, workerData } from 'node:worker_threads';
import { writeTreeFile, type CheckedFolders } from './tree-entry.js';

/** A batch of pages to write: paths inside the tree, already checked to be safe, and their bytes. */
export interface EarlyBatch {
  files: Array<{ path: string; content: Uint8Array }>;
}

/** What the thread did with a batch: each written file's identity, or the file-system error that stopped it. */
export interface EarlyReply {
  marks: Array<[string, string]>;
  error?: { code?: string; path?: string; message: string };
}

/** Writes each batch the build sends into the tree, in order, for as long as the thread lives. */
function writeBatches(tree: string): void {
  const checked: CheckedFolders = new Map();
  let stopped = false;
  parentPort!.on('message', (batch: EarlyBatch) => {
    const reply: EarlyReply = { marks: [] };
    // After an error nothing more is written: the build fails, and the standby tree is rebuilt next time.
    if (!stopped) {
      try {
        for (const file of batch.files) reply.marks.push([file.path, writeTreeFile(tree, file.path, file.content, checked)]);
      } catch (err) {
        stopped = true;
        const { code, path, message } = err as NodeJS.ErrnoException;
        reply.error = { code, path, message };
      }
    }
    parentPort!.postMessage(reply);
    // The pages' bytes moved here without a copy; this thread makes almost no garbage of its own, so
    // V8 would hold them for long before it collects. Where Recap runs with --expose-gc, they go now.
    (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
  });
}

writeBatches((workerData as { tree: string }).tree);
