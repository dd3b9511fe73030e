/**
 * @module store/lexical-writer
 * Writes the lexical index in a worker thread ({@link LexicalWriter}), or in this thread for small runs,
 * behind one interface: `begin` early (right after parsing), `add` files as they come, `commit` once the
 * LMDB generation is committed, `rollback` if it is not. The SQLite transaction stays open meanwhile; a
 * crash rolls it back.
 */
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, EngineError } from '../base/index.js';
import { LexicalIndex } from './lexical-index.js';
import type { LexicalFile } from './lexical-index.js';
import type { LexicalMessage } from './lexical-worker.js';

export interface LexicalWriter {
  add(files: LexicalFile[]): void;
  commit(generation: number): Promise<void>;
  rollback(): Promise<void>;
}

/** Symbols from which a worker thread pays for its start-up. */
const WORKER_THRESHOLD = 2000;

/** Starts a lexical write in `dir`: in a worker when `symbols` is large, else in this thread. */
export function beginLexicalWrite(
  dir: string,
  options: { removed: readonly string[]; all: boolean; symbols: number; root: string },
): LexicalWriter {
  if (options.symbols < WORKER_THRESHOLD) {
    const lexical = LexicalIndex.open(dir);
    lexical.begin({ removed: options.removed, all: options.all, root: options.root });
    return {
      add: (files) => {
        for (const file of files) lexical.add(file);
      },
      commit: (generation) => {
        lexical.commit(generation);
        return Promise.resolve();
      },
      rollback: () => {
        lexical.rollback();
        return Promise.resolve();
      },
    };
  }
  return new WorkerWriter(dir, options);
}

class WorkerWriter implements LexicalWriter {
  readonly #worker: Worker;
  readonly #answers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #error: Error | undefined;

  constructor(dir: string, options: { removed: readonly string[]; all: boolean; root: string }) {
    this.#worker = startWorker();
    this.#worker.on('message', (answer: { ok: boolean; message?: string }) => {
      const waiting = this.#answers.shift();
      if (answer.ok) waiting?.resolve();
      else
        waiting?.reject(
          new EngineError(
            ERROR_CODES.STORE_FAILED,
            `Writing the lexical index failed: ${answer.message ?? ''}`,
          ),
        );
    });
    this.#worker.on('error', (error) => {
      this.#error = error;
      for (const waiting of this.#answers.splice(0)) waiting.reject(error);
    });
    // The answer to `begin` is awaited with the commit's.
    this.#send({
      type: 'begin',
      dir,
      removed: [...options.removed],
      all: options.all,
      root: options.root,
    }).catch((error: unknown) => {
      this.#error = error instanceof Error ? error : new Error(String(error));
    });
  }

  #send(message: LexicalMessage): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#answers.push({ resolve, reject });
      this.#worker.postMessage(message);
    });
  }

  add(files: LexicalFile[]): void {
    if (!this.#error) this.#worker.postMessage({ type: 'add', files } satisfies LexicalMessage);
  }

  async commit(generation: number): Promise<void> {
    try {
      await this.#send({ type: 'commit', generation });
      if (this.#error) throw this.#error;
    } finally {
      await this.#worker.terminate();
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.#send({ type: 'rollback' }).catch(() => undefined);
    } finally {
      await this.#worker.terminate();
    }
  }
}

function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./lexical-worker.js', self));
  // Under a TypeScript runner (the tests), the worker is a .ts file: register tsx's loader in the thread first.
  const url = new URL('./lexical-worker.ts', self).href;
  return new Worker(
    `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); });`,
    { eval: true },
  );
}
