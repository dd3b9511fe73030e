/**
 * @module retrieve/pagerank.test
 * Personalised PageRank on small hand-built graphs: the mass sums to 1, the seed keeps the most, what the
 * seed reaches outranks what it cannot reach, edge weights and direction matter, files aggregate their nodes.
 */
import { describe, expect, it } from 'vitest';
import { CsrGraph } from '../graph/index.js';
import type { AsgEdge, AsgNode } from '../graph/index.js';
import { personalizedPageRank, rankFilesByPageRank } from './pagerank.js';

function node(id: string, path: string, kind: AsgNode['kind'] = 'function'): AsgNode {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  return { id, kind, name: id, qualifiedName: id, path, language: 'typescript', range };
}

function edge(source: string, target: string, kind: AsgEdge['kind'] = 'calls'): AsgEdge {
  return { source, target, kind };
}

/** a → b → c in a.ts and b.ts; d ↔ e in c.ts, not connected to the rest; f alone in d.ts. */
const graph = CsrGraph.build(
  [
    node('a', 'a.ts'),
    node('b', 'a.ts'),
    node('c', 'b.ts'),
    node('d', 'c.ts'),
    node('e', 'c.ts'),
    node('f', 'd.ts'),
  ],
  [edge('a', 'b'), edge('b', 'c', 'references'), edge('d', 'e'), edge('e', 'd')],
);
const at = (id: string): number => graph.indexOf(id);
const sum = (scores: Float64Array): number => scores.reduce((total, x) => total + x, 0);

describe('personalizedPageRank', () => {
  it('keeps a distribution: the scores sum to 1', () => {
    for (const seeds of [new Map([[at('a'), 1]]), new Map([[at('f'), 1]]), new Map<number, number>()]) {
      const scores = personalizedPageRank(graph, seeds);
      expect(sum(scores)).toBeCloseTo(1, 9);
      for (const score of scores) expect(score).toBeGreaterThanOrEqual(0);
    }
    expect(sum(personalizedPageRank(graph, new Map([[at('a'), 1]]), { undirected: false }))).toBeCloseTo(
      1,
      9,
    );
  });

  it('gives the seed the most mass, then what it reaches, and nothing to what it cannot reach', () => {
    // With the default damping the hub b next to the seed can collect more than the seed itself; the seed
    // always keeps at least the jump (1 - damping).
    expect(personalizedPageRank(graph, new Map([[at('a'), 1]]))[at('a')]).toBeGreaterThanOrEqual(0.15);
    const scores = personalizedPageRank(graph, new Map([[at('a'), 1]]), { damping: 0.5 });
    const best = scores.indexOf(Math.max(...scores));
    expect(best).toBe(at('a'));
    expect(scores[at('b')]).toBeGreaterThan(scores[at('d')]!);
    expect(scores[at('c')]).toBeGreaterThan(scores[at('e')]!);
    expect(scores[at('c')]).toBeGreaterThan(0);
    expect(scores[at('d')]).toBe(0);
    expect(scores[at('f')]).toBe(0);
    // Nearer is better: one step beats two.
    expect(scores[at('b')]).toBeGreaterThan(scores[at('c')]!);
  });

  it('follows edges backwards too by default, and only forwards when directed', () => {
    const both = personalizedPageRank(graph, new Map([[at('c'), 1]]));
    expect(both[at('a')]).toBeGreaterThan(0);
    const forward = personalizedPageRank(graph, new Map([[at('c'), 1]]), { undirected: false });
    expect(forward[at('a')]).toBe(0);
    expect(forward[at('b')]).toBe(0);
    // c has no way out when directed: its mass goes back to the seed, which keeps all of it.
    expect(forward[at('c')]).toBeCloseTo(1, 9);
  });

  it('splits the jump by the seed weights', () => {
    const scores = personalizedPageRank(
      graph,
      new Map([
        [at('a'), 3],
        [at('d'), 1],
      ]),
    );
    expect(scores[at('a')]! + scores[at('b')]! + scores[at('c')]!).toBeCloseTo(0.75, 6);
    expect(scores[at('d')]! + scores[at('e')]!).toBeCloseTo(0.25, 6);
    expect(scores[at('f')]).toBe(0);
  });

  it('weighs edges by kind: a kind weighted 0 is not followed', () => {
    const cut = personalizedPageRank(graph, new Map([[at('a'), 1]]), { edgeWeights: { references: 0 } });
    expect(cut[at('c')]).toBe(0);
    expect(cut[at('b')]).toBeGreaterThan(0);
  });

  it('is plain PageRank without seeds: symmetric nodes score the same', () => {
    const scores = personalizedPageRank(graph, new Map());
    expect(scores[at('d')]).toBeCloseTo(scores[at('e')]!, 12);
    expect(scores[at('f')]).toBeGreaterThan(0);
  });

  it('ignores seeds out of range and handles an empty graph', () => {
    const scores = personalizedPageRank(
      graph,
      new Map([
        [99, 1],
        [at('a'), 1],
        [at('b'), -1],
      ]),
    );
    expect(sum(scores)).toBeCloseTo(1, 9);
    expect([...scores]).toEqual([...personalizedPageRank(graph, new Map([[at('a'), 1]]))]);
    expect(personalizedPageRank(CsrGraph.build([], []), new Map()).length).toBe(0);
  });
});

describe('rankFilesByPageRank', () => {
  it('sums node scores per file, best first, leaving out files that score 0', () => {
    const scores = personalizedPageRank(graph, new Map([[at('a'), 1]]));
    const files = rankFilesByPageRank(graph, scores);
    expect(files.map((f) => f.path)).toEqual(['a.ts', 'b.ts']);
    expect(files[0]!.score).toBeCloseTo(scores[at('a')]! + scores[at('b')]!, 12);
    expect(files[0]!.score + files[1]!.score).toBeCloseTo(1, 9);
  });

  it('breaks ties by path', () => {
    const scores = new Float64Array(graph.nodeCount);
    scores[at('d')] = 0.5;
    scores[at('c')] = 0.5;
    expect(rankFilesByPageRank(graph, scores).map((f) => f.path)).toEqual(['b.ts', 'c.ts']);
  });
});
