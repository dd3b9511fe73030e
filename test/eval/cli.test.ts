/**
 * @module test/eval/cli
 * `rtc eval` through the built executable on a real git history: help, the table, the JSON summary, and bad
 * usage. The runs answer with the real `Workspace.query`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryRepo } from './history-repo.js';
import type { HistoryRepo } from './history-repo.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'rtc.js');
const run = promisify(execFile);
let repo: HistoryRepo;
let scratch: string;

async function rtc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: repo.dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  repo = createHistoryRepo();
  scratch = mkdtempSync(join(tmpdir(), 'rtc-eval-cli-'));
});

afterAll(() => {
  rmSync(repo.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

interface Summary {
  instances: number;
  commitsScanned: number;
  range: string;
  ks: number[];
  out: string;
  systems: {
    system: string;
    instances: number;
    functionInstances: number;
    errors: number;
    metrics: Record<string, number>;
  }[];
  table: string;
}

describe('rtc eval', () => {
  it('explains instances, systems and metrics', async () => {
    const help = await rtc('eval', '--help');
    expect(help.code).toBe(0);
    for (const text of [
      '--range',
      '--rev',
      '--max-commits',
      '--max-instances',
      '--systems',
      '--k',
      '--work',
      '--out',
      '--seed',
      '--no-history',
      '--json',
      'An instance',
      'Acc@k',
      'MRR',
      'fn R@k',
      'pagerank',
    ])
      expect(help.stdout).toContain(text);
    expect((await rtc('--help')).stdout).toContain('eval');
  });

  it('refuses an unknown system', async () => {
    const result = await rtc('eval', '--work', join(scratch, 'bad'), '--systems', 'full,nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown system nope');
  });

  // Needs Workspace.query.
  it('prints the summary as JSON: every system scored on every instance, without failures', async () => {
    const result = await rtc(
      'eval',
      repo.dir,
      '--work',
      join(scratch, 'work'),
      '--json',
      '--systems',
      'full,bm25,pagerank,no-mcts',
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.instances).toBe(3);
    expect(summary.commitsScanned).toBe(9);
    expect(summary.ks).toEqual([1, 3, 5, 10]);
    expect(summary.systems.map((s) => s.system)).toEqual(['full', 'bm25', 'pagerank', 'no-mcts']);
    for (const system of summary.systems) {
      expect(system.errors).toBe(0);
      expect(system.instances).toBe(3);
      expect(system.functionInstances).toBe(3);
      for (const name of ['fileAcc@1', 'fileAcc@5', 'fileRecall@10', 'mrr', 'fnRecall@10', 'fnAcc@10']) {
        expect(system.metrics[name]).toBeGreaterThanOrEqual(0);
        expect(system.metrics[name]).toBeLessThanOrEqual(1);
      }
    }
    expect(readFileSync(join(summary.out, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(12);
  });

  // Needs Workspace.query.
  it('prints the table, and where the results are', async () => {
    const out = join(scratch, 'out');
    const result = await rtc(
      'eval',
      '--work',
      join(scratch, 'work'),
      '--out',
      out,
      '--systems',
      'full,bm25',
      '--k',
      '1,5',
      '--no-history',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '| system | n | Acc@1 | Acc@5 | R@5 | MRR | fn n | fn R@5 | fn Acc@5 | ms/query |',
    );
    expect(result.stdout).toMatch(/\| full \| 3 \|/);
    expect(result.stdout).toMatch(/\| bm25 \| 3 \|/);
    expect(result.stdout).toContain('History: none (--no-history)');
    expect(result.stdout).toContain(`Results in ${out}`);
    expect(result.stdout).not.toContain('queries failed');
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toContain('| full | 3 |');
  });
});
