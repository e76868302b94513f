import { parentPort, workerData } from 'node:worker_threads';
import { compileStylesheet, type SassJob } from '../../content/sass.js';

// The program of the Sass thread (started by SassThread): it compiles each stylesheet it is sent, in turn, from the site's Sass files it started with.

const files = new Map(workerData as Array<[string, string]>);
parentPort!.on('message', (job: SassJob) => parentPort!.postMessage(compileStylesheet(job, files)));
