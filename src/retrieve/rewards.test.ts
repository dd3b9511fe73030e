/**
 * @module retrieve/rewards.test
 * Each reward component on its own, their combination, and ablation.
 */
import { describe, expect, it } from 'vitest';
import {
  ChangeIndex,
  changeProximity,
  combineRewards,
  contextRelevance,
  DEFAULT_EDGE_WEIGHTS,
  queryTerms,
  rewardWeights,
  semanticSimilarity,
  symbolRelevance,
  workspaceCoverage,
} from './rewards.js';

describe('the terms of a query', () => {
  it('keeps words, identifier parts, and the identifiers that look like code', () => {
    const terms = queryTerms('Why does parseConfig crash on an empty user_id in Store.open?');
    expect([...terms.identifiers].sort()).toEqual(['parseconfig', 'store.open', 'user_id'].sort());
    for (const token of ['parse', 'config', 'crash', 'empty', 'user', 'id', 'store', 'open'])
      expect(terms.tokens.has(token)).toBe(true);
    expect(terms.identifiers.has('crash')).toBe(false);
  });
});

describe('semantic similarity', () => {
  it('takes the best of the lexical and vector similarities, capped at 1', () => {
    expect(semanticSimilarity(0.4, 0.7)).toBe(0.7);
    expect(semanticSimilarity(0.9, 0)).toBe(0.9);
    expect(semanticSimilarity(1.3, 0)).toBe(1);
    expect(semanticSimilarity(0, 0)).toBe(0);
  });
});

describe('symbol relevance', () => {
  const terms = queryTerms('fix parseConfig when the config file is empty; see Store.open');
  it('is 1 for a symbol the query names', () => {
    expect(symbolRelevance('parseConfig', 'parseConfig', terms)).toBe(1);
    expect(symbolRelevance('open', 'Store.open', terms)).toBe(1);
    expect(symbolRelevance('ParseConfig', 'ParseConfig', terms)).toBe(1);
  });
  it('is high for a near miss of a long identifier', () => {
    expect(symbolRelevance('parseConfigs', 'parseConfigs', terms)).toBe(0.7);
  });
  it('grows with the share of name parts the query mentions', () => {
    const partial = symbolRelevance('readConfigFile', 'readConfigFile', terms);
    expect(partial).toBeCloseTo((0.6 * 2) / 3, 10);
    expect(symbolRelevance('renderCart', 'renderCart', terms)).toBe(0);
    expect(symbolRelevance('', '', terms)).toBe(0);
  });
});

describe('change proximity', () => {
  const changes = new ChangeIndex([
    { path: 'src/a.ts', lines: [[10, 20]], weight: 1 },
    { path: 'src/b.ts', weight: 0.5 },
    { path: 'src/a.ts', weight: 0.2 },
  ]);
  it('is the recency weight when the change touched the node', () => {
    expect(changeProximity('src/a.ts', [15, 30], changes)).toBe(1);
    expect(changeProximity('src/b.ts', [1, 2], changes)).toBe(0.5);
  });
  it('is less for other lines of a changed file, and 0 elsewhere', () => {
    expect(changeProximity('src/a.ts', [40, 50], changes)).toBeCloseTo(0.6, 10);
    expect(changeProximity('src/c.ts', [1, 2], changes)).toBe(0);
  });
});

describe('workspace coverage', () => {
  it('prefers files not picked yet', () => {
    const picks = new Map([['a.ts', 2]]);
    expect(workspaceCoverage('b.ts', picks)).toBe(1);
    expect(workspaceCoverage('a.ts', picks)).toBeCloseTo(1 / 3, 10);
  });
});

describe('context relevance', () => {
  it('follows the seed’s edge weights and centrality', () => {
    const flow = contextRelevance(DEFAULT_EDGE_WEIGHTS.data_flow!, 0, 100);
    const type = contextRelevance(DEFAULT_EDGE_WEIGHTS.type_dependency!, 0, 100);
    const other = contextRelevance(0.3, 0, 100);
    expect(flow).toBeCloseTo(0.56, 10);
    expect(flow).toBeGreaterThan(type);
    expect(type).toBeGreaterThan(other);
    expect(contextRelevance(0.3, 100, 100)).toBeCloseTo(0.21 + 0.3, 10);
  });
});

describe('combining rewards', () => {
  const parts = { semantic: 1, symbol: 0, change: 0.5, coverage: 1, context: 0.2 };
  it('is the weighted mean of the components switched on', () => {
    const weights = { semantic: 1, symbol: 1, change: 0, coverage: 0, context: 0 };
    expect(combineRewards(parts, weights)).toBeCloseTo(0.5, 10);
  });
  it('drops an ablated component and keeps route overrides', () => {
    const weights = rewardWeights({ symbol: 2 }, ['semantic']);
    expect(weights.semantic).toBe(0);
    expect(weights.symbol).toBe(2);
    expect(combineRewards(parts, weights)).toBeLessThan(combineRewards(parts, rewardWeights(undefined)));
  });
});
