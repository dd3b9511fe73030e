/**
 * @module test/eval/run
 * The harness end to end on a real git history, with a stand-in query (independent of `Workspace.query`):
 * every instance is answered on the index of its parent (never later code), the gold functions come from
 * that index, every system gets the same seed and the switches of its ablation, failed queries are counted,
 * and the JSONL files, the summary and the table are written. Also from a bare clone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_TIME_MS, runEval } from '../../src/engine/eval/index.js';
import type { EvalInstance, EvalQuery, EvalResultRecord } from '../../src/engine/eval/index.js';
import type { QueryOptions, QueryResult } from '../../src/engine/index.js';
import { createHistoryRepo } from './history-repo.js';
import type { HistoryRepo } from './history-repo.js';

let repo: HistoryRepo;
let scratch: string;

beforeAll(() => {
  repo = createHistoryRepo();
  scratch = mkdtempSync(join(tmpdir(), 'rtc-eval-work-'));
});

afterAll(() => {
  rmSync(repo.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const RANKING = ['src/parser.ts', 'src/calc.ts', 'app/util.py'];

interface Call {
  text: string;
  options: QueryOptions;
  /** Whether the index answering the query knows `negate` (added by the first instance's commit). */
  knowsNegate: boolean;
}

/** A stand-in for Workspace.query: a fixed file ranking, the files' functions in order; bm25 finds nothing, pagerank fails. */
function standIn(calls: Call[]): EvalQuery {
  return (workspace, text, options): QueryResult => {
    calls.push({ text, options, knowsNegate: workspace.resolveSymbol('negate').length > 0 });
    if (options.strategy === 'pagerank') throw new Error('pagerank is not ready');
    const files = options.strategy === 'bm25' ? [] : RANKING;
    const symbols = files.flatMap((path) =>
      workspace
        .fileSymbols(path)
        .filter((s) => s.kind === 'function' || s.kind === 'method')
        .map((s) => ({ ...s, score: 1 })),
    );
    return {
      query: text,
      route: 'test',
      files: files.map((path, i) => ({ path, score: 1 / (i + 1) })),
      symbols,
      timings: {},
    };
  };
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

describe('runEval', () => {
  it('answers every instance on its parent index, with the same seed and the switches of each system', async () => {
    const calls: Call[] = [];
    const work = join(scratch, 'work');
    const report = await runEval(repo.dir, {
      work,
      systems: ['full', 'bm25', 'pagerank', 'no-mcts', 'no-semantic'],
      seed: 7,
      query: standIn(calls),
    });
    expect(report.instances).toBe(3);
    expect(report.commitsScanned).toBe(9);
    expect(report.skipped).toEqual({ root: 1, merge: 1, message: 2, 'no-source-files': 2 });
    expect(calls).toHaveLength(3 * 5);

    // The first instance (negative numbers) is answered before `negate` exists; the later ones after.
    expect(calls.slice(0, 5).every((c) => !c.knowsNegate)).toBe(true);
    expect(calls.slice(5).every((c) => c.knowsNegate)).toBe(true);
    expect(calls[0]!.text).toBe(
      'Handle negative numbers when adding in the calculator\n\nBoth operands negative: add the magnitudes.',
    );
    expect(new Set(calls.map((c) => c.options.seed))).toEqual(new Set([7]));
    expect(
      calls
        .slice(0, 5)
        .map((c) => ({ strategy: c.options.strategy, mcts: c.options.mcts, off: c.options.off })),
    ).toEqual([
      { strategy: undefined, mcts: undefined, off: undefined },
      { strategy: 'bm25', mcts: undefined, off: undefined },
      { strategy: 'pagerank', mcts: undefined, off: undefined },
      { strategy: undefined, mcts: false, off: undefined },
      { strategy: undefined, mcts: undefined, off: ['semantic'] },
    ]);
    expect(calls[0]!.options.limit).toBe(20);
    // No time budget: the iterations bound the search, whatever the machine.
    expect(calls[0]!.options.timeMs).toBe(EVAL_TIME_MS);
    expect(calls[0]!.options.recentChanges!.length).toBeGreaterThan(0);

    // Gold functions, read from the parent's index.
    const instances = readJsonl<EvalInstance>(join(work, 'results', 'instances.jsonl'));
    expect(instances.map((i) => i.goldFunctions.map((g) => g.qualifiedName))).toEqual([
      ['add'],
      ['TextUtils.strip_tokens', 'Parser.tokens'],
      ['normalize'],
    ]);
    expect(instances[0]!.goldFunctions[0]).toMatchObject({
      path: 'src/calc.ts',
      kind: 'function',
      lines: [0, 2],
    });

    // Metrics: gold files at ranks 2 | 3 and 1 | 3 of the fixed ranking.
    const full = report.systems.find((s) => s.system === 'full')!;
    expect(full.instances).toBe(3);
    expect(full.functionInstances).toBe(3);
    expect(full.errors).toBe(0);
    expect(full.metrics['fileAcc@1']).toBe(0);
    expect(full.metrics['fileAcc@3']).toBe(1);
    expect(full.metrics['fileRecall@1']).toBeCloseTo(1 / 6, 12);
    expect(full.metrics.mrr).toBeCloseTo((1 / 2 + 1 + 1 / 3) / 3, 12);
    expect(full.metrics['fnRecall@10']).toBeGreaterThan(0);
    const bm25 = report.systems.find((s) => s.system === 'bm25')!;
    expect(bm25.metrics.mrr).toBe(0);
    const pagerank = report.systems.find((s) => s.system === 'pagerank')!;
    expect(pagerank.errors).toBe(3);
    expect(pagerank.firstError).toBe('pagerank is not ready');
    expect(pagerank.metrics['fileAcc@5']).toBe(0);

    // Files written.
    const results = readJsonl<EvalResultRecord>(join(work, 'results', 'results.jsonl'));
    expect(results).toHaveLength(15);
    expect(results[0]).toMatchObject({ commit: repo.commits.negative, system: 'full', firstGoldRank: 2 });
    expect(results[0]!.files).toEqual(RANKING);
    expect(results.find((r) => r.system === 'pagerank')!.error).toBe('pagerank is not ready');
    const table = readFileSync(join(work, 'results', 'table.md'), 'utf8');
    expect(table).toBe(report.table);
    expect(table).toContain('| system | n | Acc@1 | Acc@3 | Acc@5 | Acc@10 | R@5 | R@10 | MRR | fn n |');
    expect(table).toContain('| full | 3 | 0.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 0.611 | 3 |');
    expect(table).toMatch(/Range: HEAD; 9 commits read, 3 instances/);
    const summary = JSON.parse(readFileSync(join(work, 'results', 'summary.json'), 'utf8')) as {
      instances: number;
    };
    expect(summary.instances).toBe(3);
    expect(existsSync(join(work, 'worktree', '.git'))).toBe(true);
  });

  it('runs again in the same worktree, without history when asked, and writes where --out says', async () => {
    const calls: Call[] = [];
    const out = join(scratch, 'out-again');
    const report = await runEval(repo.dir, {
      work: join(scratch, 'work'),
      out,
      systems: ['full'],
      history: false,
      ks: [2],
      query: standIn(calls),
    });
    expect(report.instances).toBe(3);
    expect(report.history).toBe(false);
    expect(calls.every((c) => c.options.recentChanges?.length === 0)).toBe(true);
    expect(Object.keys(report.systems[0]!.metrics).sort()).toEqual([
      'fileAcc@2',
      'fileRecall@2',
      'fnAcc@2',
      'fnRecall@2',
      'mrr',
    ]);
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toContain(
      '| system | n | Acc@2 | R@2 | MRR | fn n | fn R@2 | fn Acc@2 |',
    );
  });

  it('works from a bare clone, the worktree in a folder of its own', async () => {
    const bare = join(scratch, 'mirror.git');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
    const calls: Call[] = [];
    const report = await runEval(bare, {
      work: join(scratch, 'bare-work'),
      systems: ['full'],
      query: standIn(calls),
    });
    expect(report.instances).toBe(3);
    expect(calls.map((c) => c.knowsNegate)).toEqual([false, true, true]);
    expect(report.systems[0]!.metrics.mrr).toBeCloseTo((1 / 2 + 1 + 1 / 3) / 3, 12);
  });

  it('refuses unknown systems and bad cut-offs before reading anything', async () => {
    await expect(runEval(repo.dir, { systems: ['nope'] })).rejects.toThrow(/Unknown system/);
    await expect(runEval(repo.dir, { ks: [0] })).rejects.toThrow(/positive integers/);
  });
});
