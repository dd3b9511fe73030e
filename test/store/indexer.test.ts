/**
 * @module test/store/indexer
 * The index on disk (real LMDB and SQLite files): a cold run, a run with nothing changed, incremental runs
 * after edits, additions and deletions (each equal to a clean index of the same tree), the lexical index,
 * failing writes, schema versions and the write lock.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/base/index.js';
import { indexWorkspace, openIndex } from '../../src/engine/index.js';
import { IndexStore, LexicalIndex } from '../../src/store/index.js';
import { fixtureCopy, indexContent } from '../support/index.js';

let repo: { dir: string; remove: () => void };
let scratch: string;
const db = (): string => join(repo.dir, '.rtc');

/** A clean index of the repository as it is now, in a folder of its own. */
async function cleanContent(): Promise<unknown[]> {
  const dbDir = mkdtempSync(join(scratch, 'clean-'));
  await indexWorkspace(repo.dir, { dbDir, workers: 0 });
  return indexContent(repo.dir, dbDir);
}

function consistency(dir = db()): string[] {
  const store = IndexStore.open(dir, { readOnly: true });
  const reader = store.read();
  try {
    return reader.check();
  } finally {
    reader.done();
    void store.close();
  }
}

beforeAll(() => {
  repo = fixtureCopy();
  scratch = mkdtempSync(join(tmpdir(), 'rtc-scratch-'));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('indexing into the store', () => {
  it('indexes cold, then finds nothing to do', async () => {
    const cold = await indexWorkspace(repo.dir, { workers: 0 });
    expect(cold.cold).toBe(true);
    expect(cold.generation).toBe(1);
    expect(cold.files.parsed).toBeGreaterThan(30);
    expect(cold.files.parsed).toBe(cold.files.total);
    expect(cold.nodes).toBeGreaterThan(1000);
    expect(consistency()).toEqual([]);

    const again = await indexWorkspace(repo.dir, { workers: 0 });
    expect(again.upToDate).toBe(true);
    expect(again.generation).toBe(1);
    expect(again.files.parsed).toBe(0);
    expect(again.files.total).toBe(cold.files.total);
  });

  it('serves the summary and queries from the index', async () => {
    const workspace = await openIndex(repo.dir, { refresh: 'never' });
    try {
      const summary = workspace.summary();
      expect(summary.index?.generation).toBe(1);
      expect(summary.index?.sizeBytes).toBeGreaterThan(0);
      expect(summary.index?.lexicalSymbols).toBeGreaterThan(100);
      expect(Object.keys(summary.byLanguage).sort()).toEqual(
        ['go', 'java', 'javascript', 'python', 'rust', 'tsx', 'typescript'].sort(),
      );
      expect(summary.resolution.calls.resolved).toBeGreaterThan(50);
      const callers = workspace.callers('Cart.total');
      expect(callers[0]?.calls.map((c) => c.caller?.qualifiedName)).toContain('Checkout.pay');
      expect(workspace.symbols('Cart*').map((s) => s.qualifiedName)).toContain('Cart');
    } finally {
      await workspace.close();
    }
  });

  it('finds symbols by the words of their names (FTS5 over split identifiers)', () => {
    const lexical = LexicalIndex.open(db(), { readOnly: true });
    try {
      const hits = lexical.search('cart total', 10);
      expect(hits.map((h) => h.qualifiedName)).toContain('Cart.total');
      expect(lexical.search('', 10)).toEqual([]);
    } finally {
      lexical.close();
    }
  });

  it('re-parses only an edited file, re-resolves its dependents, and equals a clean index', async () => {
    appendFileSync(
      join(repo.dir, 'ts-shop/src/models/item.ts'),
      '\nexport function discount(p: number): number {\n  return p / 2;\n}\n',
    );
    const report = await indexWorkspace(repo.dir, { workers: 0 });
    expect(report.upToDate).toBe(false);
    expect(report.files.parsed).toBe(1);
    expect(report.files.dependents).toBeGreaterThan(0);
    expect(report.files.resolved).toBe(1 + report.files.dependents);
    expect(report.files.resolved).toBeLessThan(report.files.total / 2);
    expect(report.generation).toBe(2);
    expect(consistency()).toEqual([]);
    expect(await indexContent(repo.dir)).toEqual(await cleanContent());
  });

  it('sees a same-size edit made right after a run (size and mtime vouch only for older files)', async () => {
    const path = join(repo.dir, 'js-app/src/lib/format.js');
    const text = readFileSync(path, 'utf8');
    await indexWorkspace(repo.dir, { workers: 0 });
    writeFileSync(path, text.replace('format', 'FORMAT'));
    const report = await indexWorkspace(repo.dir, { workers: 0 });
    expect(report.files.parsed).toBe(1);
    writeFileSync(path, text);
    expect((await indexWorkspace(repo.dir, { workers: 0 })).files.parsed).toBe(1);
  });

  it('follows added and deleted files', async () => {
    writeFileSync(
      join(repo.dir, 'py-library/src/extra.py'),
      'from .core import *\n\ndef helper(x):\n    return x\n',
    );
    unlinkSync(join(repo.dir, 'go-service/internal/audit/logger.go'));
    const report = await indexWorkspace(repo.dir, { workers: 0 });
    expect(report.files.parsed).toBe(1);
    expect(report.files.removed).toBe(1);
    expect(consistency()).toEqual([]);
    expect(await indexContent(repo.dir)).toEqual(await cleanContent());
  });

  it('leaves the previous index whole when a write fails', async () => {
    const before = await indexContent(repo.dir);
    appendFileSync(join(repo.dir, 'rust-crate/src/lib.rs'), '\npub fn extra() -> i32 { 1 }\n');
    const failed = await indexWorkspace(repo.dir, { workers: 0, failWriteAfter: 2 }).catch((e: unknown) => e);
    expect(isEngineError(failed, 'RTC_STORE_FAILED')).toBe(true);
    expect((failed as Error).message).toMatch(/previous index is unchanged|Injected/);
    expect(consistency()).toEqual([]);
    expect(await indexContent(repo.dir)).toEqual(before);
    const report = await indexWorkspace(repo.dir, { workers: 0 });
    expect(report.files.parsed).toBe(1);
    expect(await indexContent(repo.dir)).toEqual(await cleanContent());
  });
});

describe('schema versions', () => {
  async function withSchema(schema: number): Promise<string> {
    const dir = mkdtempSync(join(scratch, 'schema-'));
    await indexWorkspace(repo.dir, { dbDir: dir, workers: 0 });
    const env = open({ path: join(dir, 'index.mdb'), maxDbs: 16 });
    const meta = env.openDB<Record<string, unknown>, string>({ name: 'meta', encoding: 'msgpack' });
    await meta.put('meta', { ...meta.get('meta'), schema });
    await env.close();
    return dir;
  }

  it('refuses an index written by a newer version, with a clear message', async () => {
    const dir = await withSchema(99);
    const error = await openIndex(repo.dir, { dbDir: dir, refresh: 'never' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'RTC_INDEX_TOO_NEW')).toBe(true);
    expect((error as Error).message).toMatch(/schema 99.*newer rtc/);
  });

  it('refuses to read an index of an older schema without rebuilding it, with a clear message', async () => {
    const dir = await withSchema(1);
    const error = await openIndex(repo.dir, { dbDir: dir, refresh: 'never' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'RTC_INDEX_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/schema 1, older than .*run `rtc index`/);
  });

  it('rebuilds an index of an older schema', async () => {
    const dir = await withSchema(0);
    const report = await indexWorkspace(repo.dir, { dbDir: dir, workers: 0 });
    expect(report.cold).toBe(true);
    expect(report.generation).toBe(1);
  });
});

describe('the write lock', () => {
  it('refuses a second writer while the first lives, and takes over a dead one', async () => {
    const dir = mkdtempSync(join(scratch, 'lock-'));
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'write.lock'), String(sleeper.pid));
      const error = await indexWorkspace(repo.dir, { dbDir: dir, workers: 0 }).catch((e: unknown) => e);
      expect(isEngineError(error, 'RTC_INDEX_LOCKED')).toBe(true);
      expect((error as Error).message).toContain(String(sleeper.pid));
    } finally {
      sleeper.kill('SIGKILL');
    }
    writeFileSync(join(dir, 'write.lock'), '2147483646');
    const report = await indexWorkspace(repo.dir, { dbDir: dir, workers: 0 });
    expect(report.generation).toBe(1);
  });
});

describe('bad input while indexing', () => {
  it('skips a broken symlink, a symlink loop and a file deleted mid-run, with reasons, and stays consistent', async () => {
    const bad = fixtureCopy(['py-library']);
    try {
      symlinkSync(join(bad.dir, 'nowhere.py'), join(bad.dir, 'broken.py'));
      symlinkSync(bad.dir, join(bad.dir, 'py-library', 'loop'));
      writeFileSync(join(bad.dir, 'doomed.py'), 'def doomed():\n    return 1\n');
      const report = await indexWorkspace(bad.dir, {
        workers: 0,
        onProgress: (p) => {
          if (p.phase === 'hash' && p.done === 0) unlinkSync(join(bad.dir, 'doomed.py'));
        },
      });
      expect(report.generation).toBe(1);
      const workspace = await openIndex(bad.dir, { refresh: 'never' });
      try {
        const skipped = workspace.summary().skipped;
        expect(skipped).toContainEqual(expect.objectContaining({ path: 'broken.py', reason: 'unreadable' }));
        expect(skipped).toContainEqual(
          expect.objectContaining({ path: 'py-library/loop', reason: 'symlink-loop' }),
        );
        expect(skipped).toContainEqual(expect.objectContaining({ path: 'doomed.py', reason: 'unreadable' }));
        expect(workspace.symbols('doomed')).toEqual([]);
      } finally {
        await workspace.close();
      }
      expect(consistency(join(bad.dir, '.rtc'))).toEqual([]);
    } finally {
      bad.remove();
    }
  });
});

/** A 2 MB tmpfs, when this process may mount one (root on Linux); undefined otherwise. */
function smallFilesystem(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rtc-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

describe('a full disk', () => {
  const mounted = smallFilesystem();
  afterAll(() => {
    if (!mounted) return;
    // Lazily: the process still holds the lexical index's shared connection there.
    execFileSync('umount', ['-l', mounted], { stdio: 'ignore' });
    rmSync(mounted, { recursive: true, force: true });
  });

  it.skipIf(!mounted)('fails the run with a clear message and keeps the previous index', async () => {
    const small = fixtureCopy(['py-library']);
    try {
      const dbDir = join(mounted!, 'db');
      await indexWorkspace(small.dir, { dbDir, workers: 0 });
      const before = await indexContent(small.dir, dbDir);
      const lines: string[] = [];
      for (let i = 0; i < 3000; i++)
        lines.push(
          `def function_number_${i}(a, b):\n    """Doc ${i}"""\n    return function_number_${Math.max(i - 1, 0)}(a, b) + ${i}\n`,
        );
      writeFileSync(join(small.dir, 'big.py'), lines.join('\n'));
      const error = await indexWorkspace(small.dir, { dbDir, workers: 0 }).catch((e: unknown) => e);
      expect(isEngineError(error, 'RTC_STORE_FAILED')).toBe(true);
      expect((error as Error).message).toMatch(/disk is full.*previous index is unchanged/);
      expect(consistency(dbDir)).toEqual([]);
      expect(await indexContent(small.dir, dbDir)).toEqual(before);
    } finally {
      small.remove();
    }
  });
});
