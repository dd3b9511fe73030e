/**
 * @module test/store/crash
 * Crash safety with real processes: an `rtc index` child is killed with SIGKILL at random points (and at
 * the two critical ones: inside the write transaction, and between the LMDB commit and the lexical index).
 * Each time the index opens, reads consistently (one whole generation), and a following `rtc index`
 * completes it to the same content as a clean index of the same tree.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexWorkspace } from '../../src/engine/index.js';
import { IndexStore, LexicalIndex } from '../../src/store/index.js';
import { fixtureCopy, indexContent } from '../support/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin', 'rtc.js');

let repo: { dir: string; remove: () => void };
let scratch: string;
const db = (): string => join(repo.dir, '.rtc');

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `rtc …` in a child; kills it with SIGKILL after `killAfterMs` when given. */
function rtc(
  args: string[],
  options: { killAfterMs?: number; env?: Record<string, string> } = {},
): Promise<Child> {
  return new Promise((done) => {
    const start = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repo.dir,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - start });
    });
  });
}

/** The generation on disk and the consistency problems found reading it. */
function inspect(): { generation: number; problems: string[]; lexicalGeneration: number } {
  if (!existsSync(join(db(), 'index.mdb'))) return { generation: 0, problems: [], lexicalGeneration: 0 };
  const store = IndexStore.open(db(), { readOnly: true });
  const reader = store.read();
  try {
    const lexical = LexicalIndex.open(db(), { readOnly: true });
    const lexicalGeneration = lexical.generation();
    lexical.close();
    return { generation: reader.meta()?.generation ?? 0, problems: reader.check(), lexicalGeneration };
  } finally {
    reader.done();
    void store.close();
  }
}

async function cleanContent(): Promise<unknown[]> {
  const dbDir = mkdtempSync(join(scratch, 'clean-'));
  await indexWorkspace(repo.dir, { dbDir, workers: 0 });
  return indexContent(repo.dir, dbDir);
}

let edits = 0;
/** Changes the tree: edits two files, adds one, deletes one added before. */
function mutate(): void {
  edits++;
  appendFileSync(join(repo.dir, 'ts-shop/src/models/item.ts'), `\nexport const marker${edits} = ${edits};\n`);
  appendFileSync(join(repo.dir, 'src/graph/csr.ts'), `\nexport const crashMarker${edits} = ${edits};\n`);
  writeFileSync(
    join(repo.dir, `py-library/added_${edits}.py`),
    `def added_${edits}():\n    return ${edits}\n`,
  );
  if (edits > 1) unlinkSync(join(repo.dir, `py-library/added_${edits - 1}.py`));
}

/** After a crash: the index opens whole, `rtc stats` reads it, `rtc index` completes it like a clean run. */
async function recoverAndCompare(previous: number): Promise<number> {
  const after = inspect();
  expect(after.problems).toEqual([]);
  expect([previous, previous + 1]).toContain(after.generation);
  if (after.generation > 0) {
    const stats = await rtc(['stats', '--json']);
    expect(stats.code, stats.stderr).toBe(0);
    expect((JSON.parse(stats.stdout) as { index: { generation: number } }).index.generation).toBe(
      after.generation,
    );
  }
  const resumed = await rtc(['index', '--json']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const final = inspect();
  expect(final.problems).toEqual([]);
  expect(final.lexicalGeneration).toBe(final.generation);
  expect(await indexContent(repo.dir)).toEqual(await cleanContent());
  return final.generation;
}

beforeAll(() => {
  repo = fixtureCopy();
  // More files than the fixtures, so that a run lasts long enough to be killed in every phase.
  cpSync(join(ROOT, 'src'), join(repo.dir, 'src'), { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'rtc-crash-'));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('an index run killed with SIGKILL', () => {
  it('leaves the previous or the new index, at random points of full and incremental runs', async () => {
    const seed = Number(process.env.RTC_CRASH_SEED ?? Date.now() % 100_000);
    let state = seed;
    const random = (): number => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const first = await rtc(['index', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const fullMs = first.ms;
    let generation = inspect().generation;
    expect(generation).toBe(1);
    for (let round = 0; round < 4; round++) {
      mutate();
      const full = round % 2 === 0;
      const killAfterMs = Math.round(150 + random() * fullMs * (full ? 1.1 : 0.6));
      const killed = await rtc(full ? ['index', '--full'] : ['index'], { killAfterMs });
      // Killed (or, when the delay outlived the run, finished): either way the index must be whole.
      expect(
        killed.signal === 'SIGKILL' || killed.code === 0,
        `seed ${seed} round ${round}: ${killed.stderr}`,
      ).toBe(true);
      generation = await recoverAndCompare(generation);
    }
    // Four full or incremental runs, each recovered and compared with a clean index: slow on a busy machine.
  }, 180_000);

  it('leaves the previous index when killed inside the write transaction', async () => {
    const before = inspect().generation;
    mutate();
    const killed = await rtc(['index'], { env: { RTC_FAULT: 'kill:write' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(inspect().generation).toBe(before);
    await recoverAndCompare(before);
  });

  it('rebuilds the lexical index when killed between the two commits', async () => {
    const before = inspect().generation;
    mutate();
    const killed = await rtc(['index'], { env: { RTC_FAULT: 'kill:lexical' } });
    expect(killed.signal).toBe('SIGKILL');
    const after = inspect();
    expect(after.generation).toBe(before + 1);
    expect(after.lexicalGeneration).toBe(before);
    await recoverAndCompare(after.generation);
    const lexical = LexicalIndex.open(db(), { readOnly: true });
    try {
      expect(lexical.search(`added ${edits}`, 5).map((h) => h.name)).toContain(`added_${edits}`);
    } finally {
      lexical.close();
    }
  });
});
