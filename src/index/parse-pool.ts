/**
 * @module index/parse-pool
 * Parses files on all cores with worker threads (each with its own tree-sitter runtime), handing out small
 * batches from a shared queue. Small jobs run in the main thread, where starting workers would cost more
 * than it saves.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, EngineError, throwIfCancelled } from '../base/index.js';
import { ParserHost } from '../parse/index.js';
import { packageAssets } from './package-assets.js';
import { decodeResults, processBatch } from './process-files.js';
import type { FileJob, FileResult } from './process-files.js';

export interface ParseOptions {
  /** Worker threads to use; 0 parses in the main thread. Default: one per core, for jobs of 64+ files. */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, bytes: number) => void;
}

const BATCH_SIZE = 8;
const IN_FLIGHT = 2;
const MIN_FILES_FOR_WORKERS = 64;

/** Processes every job and returns the results in job order. */
export async function parseFiles(
  jobs: readonly FileJob[],
  options: ParseOptions = {},
): Promise<FileResult[]> {
  throwIfCancelled(options.signal);
  if (jobs.length === 0) return [];
  const workers = options.workers ?? (jobs.length >= MIN_FILES_FOR_WORKERS ? availableParallelism() : 0);
  if (workers <= 0) return parseInProcess(jobs, options);
  return parseInWorkers(jobs, Math.min(workers, Math.ceil(jobs.length / BATCH_SIZE)), options);
}

let sharedHost: ParserHost | undefined;

async function parseInProcess(jobs: readonly FileJob[], options: ParseOptions): Promise<FileResult[]> {
  sharedHost ??= new ParserHost(packageAssets());
  const results: FileResult[] = [];
  let bytes = 0;
  for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
    if (options.signal?.aborted) throw new EngineError(ERROR_CODES.CANCELLED, 'Indexing cancelled');
    for (const result of await processBatch(sharedHost, jobs.slice(start, start + BATCH_SIZE))) {
      if (result.ok) bytes += result.bytes;
      results.push(result);
    }
    options.onProgress?.(results.length, jobs.length, bytes);
  }
  return results;
}

function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', self));
  // Under a TypeScript runner (the tests), the worker is a .ts file: register tsx's loader in the thread first.
  const url = new URL('./parse-worker.ts', self).href;
  return new Worker(
    `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); });`,
    { eval: true },
  );
}

async function parseInWorkers(
  jobs: readonly FileJob[],
  count: number,
  options: ParseOptions,
): Promise<FileResult[]> {
  const results: FileResult[] = new Array<FileResult>(jobs.length);
  const pool = Array.from({ length: count }, startWorker);
  let next = 0;
  let done = 0;
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false;
      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      const dispatch = (worker: Worker): void => {
        if (failed) return;
        if (options.signal?.aborted) {
          fail(new EngineError(ERROR_CODES.CANCELLED, 'Indexing cancelled'));
          return;
        }
        if (next >= jobs.length) {
          if (active === 0) resolve();
          return;
        }
        const start = next;
        const batch = jobs.slice(start, start + BATCH_SIZE);
        next += batch.length;
        active++;
        worker.postMessage({ id: start, jobs: batch });
      };
      for (const worker of pool) {
        worker.on('message', (message: { id: number; json: string }) => {
          active--;
          const batchResults = decodeResults(message.json);
          batchResults.forEach((result, offset) => {
            results[message.id + offset] = result;
            if (result.ok) bytes += result.bytes;
          });
          done += batchResults.length;
          options.onProgress?.(done, jobs.length, bytes);
          dispatch(worker);
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (code !== 0 && !failed && done < jobs.length)
            fail(new EngineError(ERROR_CODES.INTERNAL, `A parse worker exited with code ${code}`));
        });
        // Two batches in flight per worker, so that a worker never waits while the main thread is busy.
        for (let i = 0; i < IN_FLIGHT; i++) dispatch(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
