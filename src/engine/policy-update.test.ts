/**
 * @module engine/policy-update.test
 * The update rules on hand-made episodes: values move towards the judgement and stay in [-1, 1], weak
 * negatives count less, the pairwise step favours the reward components and edge kinds of relevant items,
 * multipliers stay within their bounds, and the policy given is never changed.
 */
import { describe, expect, it } from 'vitest';
import { emptyPolicy, MAX_MULTIPLIER, MIN_MULTIPLIER } from '../retrieve/index.js';
import { observeValue, updatePolicy } from './policy-update.js';
import type { EpisodeResult, PolicyEpisode } from './policy-update.js';

const RESULTS: EpisodeResult[] = [
  {
    id: 'n1',
    path: 'a.ts',
    score: 0.8,
    rewards: { semantic: 0.9, symbol: 0.1, context: 0.3 },
    edges: ['calls'],
  },
  {
    id: 'n2',
    path: 'b.ts',
    score: 0.7,
    rewards: { semantic: 0.2, symbol: 0.9, context: 0.3 },
    edges: ['references_by'],
  },
  {
    id: 'n3',
    path: 'c.ts',
    score: 0.6,
    rewards: { semantic: 0.8, symbol: 0.0, context: 0.3 },
    edges: ['calls', 'calls'],
  },
];

function episode(overrides: Partial<PolicyEpisode> = {}): PolicyEpisode {
  return { source: 'history', results: RESULTS, relevant: [{ id: 'n2' }], at: 1000, ...overrides };
}

describe('updatePolicy', () => {
  it('moves values, counts episodes and increments the version, without changing its input', () => {
    const before = emptyPolicy(4);
    const after = updatePolicy(before, episode());
    expect(before).toEqual(emptyPolicy(4));
    expect(after.version).toBe(5);
    expect(after.episodes).toEqual({ history: 1 });
    expect(after.nodes.n2).toEqual({ value: 1, count: 1, at: 1000 });
    expect(after.files['b.ts']!.value).toBe(1);
    // The other results were the negatives.
    expect(after.nodes.n1!.value).toBe(-1);
    expect(after.nodes.n3!.value).toBe(-1);
  });

  it('learns the weights of the components that tell relevant items apart', () => {
    const after = updatePolicy(emptyPolicy(), episode());
    // n2 is relevant by its symbol part and ranked below items with more semantic similarity.
    expect(after.weights.symbol).toBeGreaterThan(1);
    expect(after.weights.semantic).toBeLessThan(1);
    // Equal context parts teach nothing about context.
    expect(after.weights.context ?? 1).toBe(1);
    // Edges: the relevant item was reached backwards over a reference, the others over calls.
    expect(after.edges.references).toBeGreaterThan(1);
    expect(after.edges.calls).toBeLessThan(1);
  });

  it('keeps multipliers within their bounds', () => {
    let policy = emptyPolicy();
    for (let i = 0; i < 500; i++) policy = updatePolicy(policy, episode(), { weightRate: 5, edgeRate: 5 });
    for (const value of [...Object.values(policy.weights), ...Object.values(policy.edges)]) {
      expect(value).toBeGreaterThanOrEqual(MIN_MULTIPLIER);
      expect(value).toBeLessThanOrEqual(MAX_MULTIPLIER);
    }
    expect(policy.nodes.n2!.value).toBeLessThanOrEqual(1);
  });

  it('weights weak negatives less, and moves only the values asked for', () => {
    const weak = updatePolicy(emptyPolicy(), episode({ negativeWeight: 0.3 }));
    expect(weak.nodes.n1!.count).toBeCloseTo(0.3);
    const onlyNegatives = updatePolicy(emptyPolicy(), episode({ values: { relevant: false } }));
    expect(onlyNegatives.nodes.n2).toBeUndefined();
    expect(onlyNegatives.nodes.n1!.value).toBe(-1);
    // Explicit negatives: results not named are not judged.
    const explicit = updatePolicy(emptyPolicy(), episode({ irrelevant: [{ id: 'n1' }] }));
    expect(explicit.nodes.n3).toBeUndefined();
  });

  it('judges files by path (a commit changes files): every result in a relevant file is relevant', () => {
    const after = updatePolicy(emptyPolicy(), episode({ relevant: [{ path: 'c.ts' }] }));
    expect(after.files['c.ts']!.value).toBe(1);
    expect(after.nodes.n3).toBeUndefined();
    expect(after.files['a.ts']!.value).toBe(-1);
  });
});

describe('observeValue', () => {
  it('is a running mean, then a moving average', () => {
    let estimate = observeValue(undefined, 1, 1, 0);
    estimate = observeValue(estimate, -1, 1, 0);
    expect(estimate.value).toBe(0);
    for (let i = 0; i < 100; i++) estimate = observeValue(estimate, 1, 1, 0);
    expect(estimate.value).toBeGreaterThan(0.9);
    expect(estimate.count).toBe(102);
  });
});
