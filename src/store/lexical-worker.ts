/**
 * @module store/lexical-worker
 * The lexical index written in a worker thread, so that tokenizing and SQLite inserts overlap the main
 * thread's resolution and LMDB write. Messages: `begin`, `add` (files), `commit` (a generation), `rollback`;
 * each answered `{ ok: true }` or `{ ok: false, message }` once done.
 */
import { parentPort } from 'node:worker_threads';
import { LexicalIndex } from './lexical-index.js';
import type { LexicalFile } from './lexical-index.js';

export type LexicalMessage =
  | { type: 'begin'; dir: string; removed: string[]; all: boolean; root: string }
  | { type: 'add'; files: LexicalFile[] }
  | { type: 'commit'; generation: number }
  | { type: 'rollback' };

let lexical: LexicalIndex | undefined;

parentPort?.on('message', (message: LexicalMessage) => {
  try {
    if (message.type === 'begin') {
      lexical = LexicalIndex.open(message.dir);
      lexical.begin({ removed: message.removed, all: message.all, root: message.root });
    } else if (message.type === 'add') {
      for (const file of message.files) lexical!.add(file);
      return; // adds are not answered: a failure shows at commit
    } else if (message.type === 'commit') lexical!.commit(message.generation);
    else lexical?.rollback();
    parentPort?.postMessage({ ok: true });
  } catch (error) {
    lexical?.rollback();
    if (message.type === 'add') {
      failed = error instanceof Error ? error.message : String(error);
      return;
    }
    parentPort?.postMessage({
      ok: false,
      message: failed ?? (error instanceof Error ? error.message : String(error)),
    });
  }
});

/** The failure of an `add`, reported at the next answered message. */
let failed: string | undefined;
