/**
 * @module retrieve/policy.test
 * Applying a policy: the default one changes nothing, multipliers scale the weights within their bounds,
 * values become bounded bonuses of the nodes of a graph, and a policy read from JSON is checked.
 */
import { describe, expect, it } from 'vitest';
import { CsrGraph, makeNodeId } from '../graph/index.js';
import type { AsgEdge, AsgNode } from '../graph/index.js';
import {
  DEFAULT_POLICY,
  edgeKindOfLabel,
  edgePrior,
  emptyPolicy,
  FILE_VALUE_SCALE,
  isNeutralPolicy,
  NODE_VALUE_SCALE,
  parsePolicy,
  policyBonuses,
  policyWeights,
} from './policy.js';
import { DEFAULT_REWARD_WEIGHTS } from './rewards.js';

describe('the retrieval policy', () => {
  it('changes nothing by default', () => {
    expect(isNeutralPolicy(DEFAULT_POLICY)).toBe(true);
    expect(isNeutralPolicy({ ...emptyPolicy(7), weights: { semantic: 1 } })).toBe(true);
    expect(policyWeights(DEFAULT_REWARD_WEIGHTS, DEFAULT_POLICY)).toBe(DEFAULT_REWARD_WEIGHTS);
    expect(edgePrior(DEFAULT_POLICY, 'calls')).toBe(1);
  });

  it('scales weights and edges within the bounds', () => {
    const policy = { ...emptyPolicy(1), weights: { symbol: 2, context: 100 }, edges: { calls: 0.01 } };
    expect(isNeutralPolicy(policy)).toBe(false);
    const weights = policyWeights(DEFAULT_REWARD_WEIGHTS, policy);
    expect(weights.symbol).toBe(DEFAULT_REWARD_WEIGHTS.symbol * 2);
    expect(weights.context).toBe(DEFAULT_REWARD_WEIGHTS.context * 4);
    expect(weights.semantic).toBe(DEFAULT_REWARD_WEIGHTS.semantic);
    expect(edgePrior(policy, 'calls')).toBe(0.25);
    expect(edgeKindOfLabel('called_by')).toBe('calls');
    expect(edgeKindOfLabel('references_by')).toBe('references');
    expect(edgeKindOfLabel('contained_in')).toBe('contains');
  });

  it('gives the nodes of a graph bounded bonuses from node and file values', () => {
    const node = (path: string, name: string): AsgNode => ({
      id: makeNodeId(path, 'function', name),
      kind: 'function',
      name,
      qualifiedName: name,
      path,
      language: 'typescript',
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
    });
    const nodes = [node('a.ts', 'f'), node('a.ts', 'g'), node('b.ts', 'h')];
    const csr = CsrGraph.build(nodes, [] as AsgEdge[]);
    const policy = {
      ...emptyPolicy(1),
      nodes: { [nodes[0]!.id]: { value: 1, count: 1000, at: 0 }, gone: { value: 1, count: 1, at: 0 } },
      files: { 'a.ts': { value: -1, count: 1, at: 0 } },
    };
    const bonus = policyBonuses(policy, csr)!;
    const at = (i: number) => bonus(csr.indexOf(nodes[i]!.id));
    expect(at(0)).toBeCloseTo(NODE_VALUE_SCALE * (1000 / 1001) - FILE_VALUE_SCALE / 2);
    expect(at(1)).toBeCloseTo(-FILE_VALUE_SCALE / 2);
    expect(at(2)).toBe(0);
    expect(policyBonuses(emptyPolicy(), csr)).toBeUndefined();
  });

  it('reads policies from JSON and refuses what is not one', () => {
    const policy = parsePolicy({ schema: 1, version: 3, nodes: { x: { value: 2, count: 1, at: 5 } } });
    expect(policy.nodes.x).toEqual({ value: 1, count: 1, at: 5 });
    expect(policy.weights).toEqual({});
    expect(() => parsePolicy({ schema: 2, version: 0 })).toThrow(/newer version/);
    expect(() => parsePolicy({ schema: 1, version: -1 })).toThrow(/"version"/);
    expect(() => parsePolicy({ schema: 1, version: 0, weights: { speed: 2 } })).toThrow(
      /not a reward component/,
    );
    expect(() => parsePolicy({ schema: 1, version: 0, nodes: { x: 1 } })).toThrow(/"nodes.x"/);
    expect(() => parsePolicy('policy')).toThrow(/JSON object/);
  });
});

describe('the task memory in a policy', () => {
  it('is read from JSON, checked, and makes a policy not neutral while it has tasks and weight', () => {
    const task = {
      terms: ['router', 'wildcard'],
      files: ['src/router.ts'],
      source: 'history',
      at: 5,
      key: 'abc',
    };
    const policy = parsePolicy({ schema: 1, version: 2, memory: { tasks: [task], weight: 2 } });
    expect(policy.memory).toEqual({ tasks: [task], weight: 2 });
    expect(isNeutralPolicy(policy)).toBe(false);
    expect(isNeutralPolicy({ ...policy, memory: { tasks: [task], weight: 0 } })).toBe(true);
    expect(isNeutralPolicy({ ...policy, memory: { tasks: [], weight: 1 } })).toBe(true);
    expect(() => parsePolicy({ schema: 1, version: 1, memory: { tasks: 'x' } })).toThrow(/"memory" must be/);
    expect(() =>
      parsePolicy({ schema: 1, version: 1, memory: { tasks: [{ terms: [1], files: [] }] } }),
    ).toThrow(/memory\.tasks\[0\]\.terms/);
    expect(() => parsePolicy({ schema: 1, version: 1, memory: { tasks: [], weight: -1 } })).toThrow(
      /"memory.weight"/,
    );
  });
});
