/**
 * @module test/support/index
 * Temporary repositories made of the fixture projects, and the content of an index as comparable data.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRecords, openIndex } from '../../src/engine/index.js';
import type { ExportRecord } from '../../src/engine/index.js';

export const FIXTURE_REPOS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');

/** A fresh folder holding copies of the fixture repositories (all of them, or the named ones). */
export function fixtureCopy(names?: readonly string[]): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-index-'));
  if (names)
    for (const name of names) cpSync(join(FIXTURE_REPOS, name), join(dir, name), { recursive: true });
  else cpSync(FIXTURE_REPOS, dir, { recursive: true });
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything an index holds, as export records (the same order for the same content). */
export async function indexContent(repo: string, dbDir?: string): Promise<ExportRecord[]> {
  const workspace = await openIndex(repo, { refresh: 'never', ...(dbDir ? { dbDir } : {}) });
  try {
    return [...exportRecords(workspace)];
  } finally {
    await workspace.close();
  }
}
