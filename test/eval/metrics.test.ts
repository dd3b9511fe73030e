/**
 * @module test/eval/metrics
 * The localization metrics on hand-made rankings, with exact values: file Acc@k, Recall@k and MRR, function
 * Recall@k and Acc@k, the means, and the table.
 */
import { describe, expect, it } from 'vitest';
import {
  fileMetrics,
  formatTable,
  functionMetrics,
  matchesGold,
  meanMetrics,
  selectSystems,
} from '../../src/engine/eval/index.js';
import type { GoldFunction, RankedSymbol } from '../../src/engine/eval/index.js';

const KS = [1, 3, 5, 10];

describe('file metrics', () => {
  it('scores a ranking with both gold files at ranks 2 and 4', () => {
    const ranked = ['x.ts', 'a.ts', 'y.ts', 'b.ts', 'z.ts'];
    expect(fileMetrics(ranked, ['a.ts', 'b.ts'], KS)).toEqual({
      'fileAcc@1': 0,
      'fileRecall@1': 0,
      'fileAcc@3': 0,
      'fileRecall@3': 0.5,
      'fileAcc@5': 1,
      'fileRecall@5': 1,
      'fileAcc@10': 1,
      'fileRecall@10': 1,
      mrr: 0.5,
    });
  });

  it('scores a perfect ranking, a miss, and an empty ranking', () => {
    const perfect = fileMetrics(['a.ts'], ['a.ts'], KS);
    expect(perfect['fileAcc@1']).toBe(1);
    expect(perfect.mrr).toBe(1);
    const miss = fileMetrics(['x.ts', 'y.ts'], ['a.ts'], KS);
    expect(miss.mrr).toBe(0);
    expect(miss['fileRecall@10']).toBe(0);
    expect(fileMetrics([], ['a.ts'], [5])).toEqual({ 'fileAcc@5': 0, 'fileRecall@5': 0, mrr: 0 });
  });

  it('counts a repeated path once', () => {
    const metrics = fileMetrics(['x.ts', 'x.ts', 'x.ts', 'a.ts'], ['a.ts'], [2]);
    expect(metrics['fileAcc@2']).toBe(1);
    expect(metrics.mrr).toBe(0.5);
  });

  it('gives Acc@k 0 and Recall@k 1/3 with one of three gold files in the top k', () => {
    const metrics = fileMetrics(['a.ts', 'x.ts'], ['a.ts', 'b.ts', 'c.ts'], [1, 3]);
    expect(metrics['fileAcc@3']).toBe(0);
    expect(metrics['fileRecall@3']).toBeCloseTo(1 / 3, 12);
    expect(metrics.mrr).toBe(1);
  });
});

describe('function metrics', () => {
  const gold: GoldFunction[] = [
    { id: 'g1', path: 'a.ts', name: 'area', qualifiedName: 'Shape.area', kind: 'method', lines: [2, 6] },
    { id: 'g2', path: 'b.ts', name: 'run', qualifiedName: 'run', kind: 'function', lines: [10, 20] },
  ];
  const other = (n: number): RankedSymbol => ({
    id: `o${n}`,
    path: 'z.ts',
    name: `f${n}`,
    qualifiedName: `f${n}`,
  });

  it('matches by id, or by file, name and overlapping lines', () => {
    expect(matchesGold({ id: 'g1', path: '', name: '', qualifiedName: '' }, gold[0]!)).toBe(true);
    expect(
      matchesGold(
        { id: 'x', path: 'a.ts', name: 'area', qualifiedName: 'Shape.area', lines: [5, 9] },
        gold[0]!,
      ),
    ).toBe(true);
    expect(
      matchesGold(
        { id: 'x', path: 'a.ts', name: 'area', qualifiedName: 'Shape.area', lines: [7, 9] },
        gold[0]!,
      ),
    ).toBe(false);
    expect(
      matchesGold(
        { id: 'x', path: 'c.ts', name: 'area', qualifiedName: 'Shape.area', lines: [2, 6] },
        gold[0]!,
      ),
    ).toBe(false);
  });

  it('scores gold functions at ranks 3 and 7', () => {
    const ranked = [
      other(1),
      other(2),
      { ...other(3), id: 'g1' },
      other(4),
      other(5),
      other(6),
      { ...other(7), id: 'g2' },
    ];
    expect(functionMetrics(ranked, gold, [1, 5, 10])).toEqual({
      'fnRecall@1': 0,
      'fnAcc@1': 0,
      'fnRecall@5': 0.5,
      'fnAcc@5': 0,
      'fnRecall@10': 1,
      'fnAcc@10': 1,
    });
  });

  it('has no value without gold functions', () => {
    expect(functionMetrics([other(1)], [], KS)).toEqual({});
  });
});

describe('means and table', () => {
  it('averages each metric over the instances that have it', () => {
    const { means, counts } = meanMetrics([
      { mrr: 1, 'fnRecall@5': 0.5 },
      { mrr: 0.5 },
      { mrr: 0, 'fnRecall@5': 1 },
    ]);
    expect(means).toEqual({ mrr: 0.5, 'fnRecall@5': 0.75 });
    expect(counts).toEqual({ mrr: 3, 'fnRecall@5': 2 });
  });

  it('writes one row per system and one column per metric', () => {
    const table = formatTable(
      [
        {
          system: 'full',
          instances: 2,
          functionInstances: 1,
          errors: 0,
          metrics: {
            'fileAcc@1': 0.5,
            'fileAcc@5': 1,
            'fileRecall@5': 1,
            mrr: 0.75,
            'fnRecall@5': 1,
            'fnAcc@5': 1,
          },
          meanMs: 12.4,
        },
        {
          system: 'bm25',
          instances: 2,
          functionInstances: 0,
          errors: 2,
          firstError: 'x',
          metrics: { mrr: 0 },
          meanMs: 1,
        },
      ],
      [1, 5],
    );
    expect(table.split('\n')).toEqual([
      '| system | n | Acc@1 | Acc@5 | R@5 | MRR | fn n | fn R@5 | fn Acc@5 | ms/query | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| full | 2 | 0.500 | 1.000 | 1.000 | 0.750 | 1 | 1.000 | 1.000 | 12 | 0 |',
      '| bm25 | 2 | – | – | – | 0.000 | 0 | – | – | 1 | 2 |',
    ]);
  });

  it('chooses systems by name, all by default, and refuses unknown ones', () => {
    expect(selectSystems()).toEqual([
      'full',
      'bm25',
      'pagerank',
      'no-mcts',
      'no-router',
      'no-vectors',
      'no-semantic',
      'no-symbol',
      'no-change',
      'no-coverage',
      'no-context',
    ]);
    expect(selectSystems(['bm25', 'full', 'bm25'])).toEqual(['bm25', 'full']);
    expect(() => selectSystems(['nope'])).toThrow(/Unknown system nope/);
  });
});
