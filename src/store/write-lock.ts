/**
 * @module store/write-lock
 * One writer per index: a lock file holding the writer's process id. A lock left by a process that no longer
 * runs (killed mid-run) is taken over; a live one is reported with its pid.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';

const LOCK_FILE = 'write.lock';

/** Takes the write lock of the index folder `dir`; returns its release. */
export function acquireWriteLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new EngineError(ERROR_CODES.STORE_FAILED, `Cannot create the lock ${path}: ${String(error)}`, {
          cause: error,
        });
      }
      const holder = lockHolder(dir);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new EngineError(
          ERROR_CODES.INDEX_LOCKED,
          `Another rtc process (pid ${holder}) is writing the index in ${dir}; wait for it to finish`,
        );
      }
      rmSync(path, { force: true }); // stale: its writer is gone
    }
  }
  throw new EngineError(ERROR_CODES.INDEX_LOCKED, `Cannot take the write lock ${path}`);
}

/** The pid of the live process writing the index in `dir`, if any. */
export function activeWriter(dir: string): number | undefined {
  const holder = lockHolder(dir);
  return holder !== undefined && isAlive(holder) ? holder : undefined;
}

function lockHolder(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, LOCK_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
