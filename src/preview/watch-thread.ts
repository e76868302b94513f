// The program of recap serve's watching thread (see watchSiteInThread): chokidar and the quiet window, off the thread that rebuilds.

import { parentPort, workerData } from 'node:worker_threads';
import { watchSite, type WatchMessage } from './watch.js';

const { siteDir, quietMs, oneFileQuietMs } = workerData as { siteDir: string; quietMs: number | undefined; oneFileQuietMs: number | undefined };
const tell = (message: WatchMessage): void => parentPort!.postMessage(message);
const watch = watchSite(siteDir, (batch) => tell({ kind: 'batch', paths: [...batch.paths], kinds: [...batch.kinds], lastChangeAt: batch.lastChangeAt }), {
  quietMs,
  oneFileQuietMs,
  onWarning: (line) => tell({ kind: 'warning', line }),
});
void watch.ready.then(() => tell({ kind: 'ready' }));
