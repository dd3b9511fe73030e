/**
 * @module retrieve/mcts.test
 * The search on small hand-made graphs: it finds a rewarding node that only the graph leads to, is
 * repeatable for a seed, keeps to its budgets, and stops when cancelled.
 */
import { describe, expect, it } from 'vitest';
import { monteCarloTreeSearch, seededRandom, uctScore } from './mcts.js';
import type { Move, SearchSpace } from './mcts.js';

/** A graph from an adjacency list and a reward per node (0 when not given). */
function space(adjacency: number[][], rewards: Record<number, number>, onReward?: () => void): SearchSpace {
  return {
    moves: (node) => (adjacency[node] ?? []).map((target): Move => ({ target, edge: 'calls', weight: 0.5 })),
    reward: (node) => {
      onReward?.();
      return rewards[node] ?? 0;
    },
    fileOf: (node) => node,
  };
}

/**
 * Entry points 0 and 1 (their text matched a little). From 0 a chain 0 → 2 → 3 → 4 leads to node 4, the
 * relevant one; node 1 leads to ten dull nodes, all linked to each other (too many paths to exhaust).
 */
const dull = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const planted = [[2], dull, [3], [4], [], ...dull.map((node) => dull.filter((other) => other !== node))];
const plantedRewards = { 0: 0.3, 1: 0.35, 2: 0.05, 3: 0.05, 4: 1 };

describe('the MCTS controller', () => {
  it('finds a relevant node reachable only through the graph', () => {
    const result = monteCarloTreeSearch(
      space(planted, plantedRewards),
      [
        { node: 0, prior: 1 },
        { node: 1, prior: 1 },
      ],
      { iterations: 300, timeMs: 10_000 },
    );
    const found = result.stats.get(4);
    expect(found).toBeDefined();
    expect(found!.reward).toBe(1);
    expect(found!.path.map((step) => step.node)).toEqual([0, 2, 3, 4]);
    // The rewards steer it there early: a breadth-first walk of 12 steps would still be in the dull fan.
    const early = monteCarloTreeSearch(
      space(planted, plantedRewards),
      [
        { node: 1, prior: 1 },
        { node: 0, prior: 0.9 },
      ],
      { iterations: 12, timeMs: 10_000 },
    );
    expect(early.stats.get(4)?.reward).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) =>
      [
        ...monteCarloTreeSearch(
          space(planted, plantedRewards),
          [
            { node: 0, prior: 1 },
            { node: 1, prior: 0.5 },
          ],
          {
            iterations: 200,
            timeMs: 10_000,
            seed,
          },
        ).stats.values(),
      ].map((s) => [s.node, s.visits, s.value]);
    expect(run(7)).toEqual(run(7));
  });

  it('keeps to the iteration budget', () => {
    let rewards = 0;
    const result = monteCarloTreeSearch(
      space(planted, plantedRewards, () => rewards++),
      [{ node: 1, prior: 1 }],
      { iterations: 5, timeMs: 10_000 },
    );
    expect(result.iterations).toBe(5);
    expect(result.stoppedBy).toBe('iterations');
    const visits = [...result.stats.values()].reduce((n, s) => Math.max(n, s.visits), 0);
    expect(visits).toBe(5);
    expect(rewards).toBeGreaterThan(0);
  });

  it('keeps to the time budget (on a clock it is given)', () => {
    let clock = 0;
    // Every read of the clock moves it by 1 ms: a budget of 40 ms ends the search after some reads.
    const result = monteCarloTreeSearch(
      space(planted, plantedRewards),
      [
        { node: 0, prior: 1 },
        { node: 1, prior: 1 },
      ],
      { iterations: 1_000_000, timeMs: 40, now: () => clock++ },
    );
    expect(result.stoppedBy).toBe('time');
    expect(result.iterations).toBeLessThan(1_000_000);
    expect(result.iterations).toBeLessThanOrEqual(40 * 16 + 16);
  });

  it('stops when cancelled', () => {
    const controller = new AbortController();
    let calls = 0;
    const result = monteCarloTreeSearch(
      space(planted, plantedRewards, () => {
        if (++calls === 20) controller.abort();
      }),
      [
        { node: 0, prior: 1 },
        { node: 1, prior: 1 },
      ],
      { iterations: 100_000, timeMs: 100_000, signal: controller.signal },
    );
    expect(result.stoppedBy).toBe('cancelled');
    expect(result.iterations).toBeLessThan(100);
  });

  it('ends when there is nothing left to expand', () => {
    const result = monteCarloTreeSearch(space([[1], []], { 1: 1 }), [{ node: 0, prior: 1 }], {
      iterations: 1000,
      timeMs: 10_000,
      rolloutDepth: 0,
    });
    expect(result.stats.get(1)!.reward).toBe(1);
    expect(result.iterations).toBeLessThan(1000);
  });

  it('scores with the seed’s UCT and depth terms', () => {
    const constants = { c: 1.414, alpha: 0.25, beta: 0.7, gamma: 0.1 };
    // V = 0.5, explore = 1.414·sqrt(ln 10 / 2), depth 1: + 0.25 − 0.1.
    expect(uctScore(10, 2, 1, 1, constants)).toBeCloseTo(
      0.5 + 1.414 * Math.sqrt(Math.log(10) / 2) + 0.25 - 0.1,
      10,
    );
    // Deeper nodes get less bonus and more penalty.
    expect(uctScore(10, 2, 1, 3, constants)).toBeLessThan(uctScore(10, 2, 1, 1, constants));
    expect(uctScore(10, 0, 0, 1, constants)).toBe(Infinity);
  });

  it('draws repeatable random numbers in [0, 1)', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    const values = Array.from({ length: 100 }, () => a());
    expect(values).toEqual(Array.from({ length: 100 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(100);
  });
});
