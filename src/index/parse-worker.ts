/**
 * @module index/parse-worker
 * Entry point of a parse worker thread: processes batches of files sent by the ParsePool.
 */
import { parentPort } from 'node:worker_threads';
import { ParserHost } from '../parse/index.js';
import { packageAssets } from './package-assets.js';
import { encodeResults, processBatch } from './process-files.js';
import type { FileJob, FileResult } from './process-files.js';

const host = new ParserHost(packageAssets());

parentPort?.on('message', (message: { id: number; jobs: FileJob[] }) => {
  void (async () => {
    const results: FileResult[] = await processBatch(host, message.jobs);
    // Text crosses threads much faster than a structured clone of many small objects.
    parentPort?.postMessage({ id: message.id, json: encodeResults(results) });
  })();
});
