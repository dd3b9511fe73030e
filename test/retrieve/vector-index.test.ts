/**
 * @module test/retrieve/vector-index.test
 * Vector search: exact search returns the true top-k; HNSW (real usearch, default settings) keeps recall@10
 * ≥ 0.95 against it on clustered and random vectors; a saved graph opens again (mapped or loaded) with the same answers;
 * removed keys are skipped and recent vectors merged; dimension mismatches are errors.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/base/index.js';
import {
  buildVectorSearch,
  ExactVectorIndex,
  HnswGraph,
  HnswVectorIndex,
  KeyTable,
  mergeHits,
} from '../../src/retrieve/index.js';

/** A seeded PRNG (mulberry32), so every run sees the same vectors. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
}

/** `count` unit vectors: 90% around `clusters` random centres, 10% uniform on the sphere. */
function vectors(count: number, dimensions: number, seed: number, clusters = 100): Float32Array {
  const centreRandom = random(1);
  const centres = Array.from({ length: clusters }, () =>
    Float32Array.from({ length: dimensions }, () => gaussian(centreRandom)),
  );
  const next = random(seed);
  const matrix = new Float32Array(count * dimensions);
  for (let i = 0; i < count; i++) {
    const row = matrix.subarray(i * dimensions, (i + 1) * dimensions);
    const centre = next() < 0.9 ? centres[Math.floor(next() * clusters)] : undefined;
    for (let j = 0; j < dimensions; j++)
      row[j] = (centre ? centre[j]! : 0) + gaussian(next) * (centre ? 0.6 : 1);
    let norm = 0;
    for (const x of row) norm += x * x;
    norm = Math.sqrt(norm);
    for (let j = 0; j < dimensions; j++) row[j]! /= norm;
  }
  return matrix;
}

/** The true top-k by brute force in plain JS. */
function trueTop(matrix: Float32Array, dimensions: number, query: Float32Array, k: number): number[] {
  const scores: { row: number; score: number }[] = [];
  for (let row = 0; row * dimensions < matrix.length; row++) {
    let dot = 0;
    for (let j = 0; j < dimensions; j++) dot += matrix[row * dimensions + j]! * query[j]!;
    scores.push({ row, score: dot });
  }
  return scores
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((s) => s.row);
}

const DIMENSIONS = 384;
const COUNT = 3000;
const ids = Array.from({ length: COUNT }, (_, i) => `sym${i}`);
let matrix: Float32Array;
let queries: Float32Array[];
let dir: string;

beforeAll(() => {
  matrix = vectors(COUNT, DIMENSIONS, 7);
  // Queries: near stored vectors (perturbed) and fresh random ones.
  const fresh = vectors(50, DIMENSIONS, 99);
  queries = Array.from({ length: 100 }, (_, q) => {
    if (q < 50) return fresh.slice(q * DIMENSIONS, (q + 1) * DIMENSIONS);
    const next = random(q);
    const row = (q * 37) % COUNT;
    const query = Float32Array.from(
      matrix.subarray(row * DIMENSIONS, (row + 1) * DIMENSIONS),
      (x) => x + gaussian(next) * 0.05,
    );
    let norm = 0;
    for (const x of query) norm += x * x;
    return query.map((x) => x / Math.sqrt(norm));
  });
  dir = mkdtempSync(join(tmpdir(), 'rtc-vector-index-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function recallAt10(search: { search(q: Float32Array, k: number): { id: string }[] }): number {
  let found = 0;
  for (const query of queries) {
    const truth = new Set(trueTop(matrix, DIMENSIONS, query, 10).map((row) => `sym${row}`));
    for (const hit of search.search(query, 10)) if (truth.has(hit.id)) found++;
  }
  return found / (queries.length * 10);
}

describe('ExactVectorIndex', () => {
  it('returns the true top-k, best first, with cosine scores', () => {
    const exact = new ExactVectorIndex(ids, matrix, DIMENSIONS);
    expect(exact.size).toBe(COUNT);
    for (const query of queries.slice(0, 20)) {
      const hits = exact.search(query, 10);
      expect(hits.map((hit) => hit.id)).toEqual(
        trueTop(matrix, DIMENSIONS, query, 10).map((row) => `sym${row}`),
      );
      const row = Number(hits[0]!.id.slice(3));
      let dot = 0;
      for (let j = 0; j < DIMENSIONS; j++) dot += matrix[row * DIMENSIONS + j]! * query[j]!;
      expect(hits[0]!.score).toBeCloseTo(dot, 4);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    }
    expect(exact.search(queries[0]!, 5000)).toHaveLength(COUNT);
    expect(exact.search(queries[0]!, 0)).toEqual([]);
  });

  it('rejects queries and matrices of other dimensions', () => {
    const exact = new ExactVectorIndex(ids, matrix, DIMENSIONS);
    const error = (() => {
      try {
        exact.search(new Float32Array(128), 10);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isEngineError(error, 'RTC_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/128 dimensions cannot search vectors of 384/);
    expect(() => new ExactVectorIndex(ids, new Float32Array(10), DIMENSIONS)).toThrow(/need/);
  });
});

describe('HNSW', () => {
  it('keeps recall@10 at 0.95 or more against exact search', () => {
    const search = buildVectorSearch(ids, matrix, DIMENSIONS, { threshold: 1000 });
    expect(search).toBeInstanceOf(HnswVectorIndex);
    expect(search.size).toBe(COUNT);
    expect(recallAt10(search)).toBeGreaterThanOrEqual(0.95);
  });

  it('uses exact search below the threshold', () => {
    expect(buildVectorSearch(ids, matrix, DIMENSIONS, { threshold: COUNT + 1 })).toBeInstanceOf(
      ExactVectorIndex,
    );
  });

  it('saves and opens again, mapped or loaded, with the same answers', () => {
    const graph = HnswGraph.create(DIMENSIONS);
    const keys = Float64Array.from({ length: COUNT }, (_, i) => 1000 + i * 3);
    graph.add(keys, matrix);
    const path = join(dir, 'graph.usearch');
    graph.save(path);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const table = new KeyTable(keys, ids);
    const before = new HnswVectorIndex(graph, table);
    for (const view of [true, false]) {
      const opened = new HnswVectorIndex(HnswGraph.open(path, DIMENSIONS, { view }), table);
      expect(opened.size).toBe(COUNT);
      for (const query of queries.slice(0, 20)) {
        expect(opened.search(query, 10)).toEqual(before.search(query, 10));
      }
    }
    expect(() => HnswGraph.open(path, 128)).toThrow(/has 384 dimensions, not 128/);
    expect(() => HnswGraph.open(join(dir, 'missing.usearch'), DIMENSIONS)).toThrow(
      /Cannot read the vector index/,
    );
    expect(existsSync(path)).toBe(true);
  });

  it('skips removed keys and merges recent vectors', () => {
    const graph = HnswGraph.create(DIMENSIONS);
    const keys = Float64Array.from({ length: COUNT }, (_, i) => i);
    graph.add(keys, matrix);
    const query = queries[60]!;
    const [best] = new HnswVectorIndex(graph, new KeyTable(keys, ids)).search(query, 1);
    // The best vector's symbol changed: its old key is gone from the table, its new vector is recent.
    const bestRow = Number(best!.id.slice(3));
    const liveKeys = Float64Array.from(Array.from(keys).filter((key) => key !== bestRow));
    const liveIds = ids.filter((_, i) => i !== bestRow);
    const moved = new Float32Array(DIMENSIONS).fill(0);
    moved[0] = 1;
    const recent = new ExactVectorIndex([best!.id], moved, DIMENSIONS);
    const search = new HnswVectorIndex(graph, KeyTable.from(liveKeys, liveIds), { stale: 1, recent });
    expect(search.size).toBe(COUNT);
    const hits = search.search(query, 10);
    expect(hits).toHaveLength(10);
    expect(hits.map((hit) => hit.id)).not.toContain(best!.id);
    const near = search.search(moved, 3);
    expect(near[0]!.id).toBe(best!.id);
    expect(near[0]!.score).toBeCloseTo(1, 5);
  });

  it('maps keys to ids and merges hit lists', () => {
    const table = KeyTable.from([30, 10, 20], ['c', 'a', 'b']);
    expect([table.id(10), table.id(20), table.id(30), table.id(15)]).toEqual(['a', 'b', 'c', undefined]);
    expect(
      mergeHits(
        [
          { id: 'a', score: 0.9 },
          { id: 'b', score: 0.5 },
        ],
        [
          { id: 'c', score: 0.7 },
          { id: 'd', score: 0.1 },
        ],
        3,
      ).map((hit) => hit.id),
    ).toEqual(['a', 'c', 'b']);
  });
});
