/**
 * @module retrieve/vector-index
 * Search over unit vectors: exact (every vector scored, SIMD through usearch's `exactSearch`) for small
 * sets, HNSW (usearch) above {@link HNSW_THRESHOLD}, saved to a file and loaded again so that opening does
 * not rebuild it. Scores are cosine similarities (inner products of unit vectors), higher is better.
 */
import { renameSync, rmSync } from 'node:fs';
import { exactSearch, Index, MetricKind } from 'usearch';
import type { ScalarKind } from 'usearch';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { VectorHit, VectorSearch } from './types.js';

/**
 * Vectors from which HNSW replaces exact search. Measured here (bench/vectors.mjs, 384 dimensions, top-10,
 * one thread, p50): exact 0.85 ms at 5k, 1.7 ms at 10k, 3.5 ms at 20k, 8.4 ms at 50k; HNSW 0.2 to 0.5 ms,
 * its graph built in 2 s at 10k. Below, exact search needs no graph file nor a build, and finds everything.
 */
export const HNSW_THRESHOLD = 10_000;

/** Candidates while searching, by default: see bench/README.md (recall against latency at 100k and 1M). */
export const DEFAULT_EXPANSION_SEARCH = 128;

export interface HnswOptions {
  /** Edges per node (usearch `connectivity`, HNSW's M; default 16). */
  connectivity?: number;
  /** Candidates while inserting (efConstruction; default 128). */
  expansionAdd?: number;
  /** Candidates while searching (ef; default 128); k larger than it searches with k. */
  expansionSearch?: number;
  /**
   * How the graph keeps vectors (default f16: half the memory of f32, builds about 2.5 times faster here, the
   * same recall; i8 loses recall on unit vectors of 384 dimensions, whose components are small).
   */
  quantization?: 'f32' | 'f16' | 'i8';
  /** Threads for adding vectors (default 0: all cores). */
  threads?: number;
}

function checkQuery(query: Float32Array, dimensions: number): void {
  if (query.length !== dimensions) {
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `A query vector of ${query.length} dimensions cannot search vectors of ${dimensions}`,
    );
  }
}

/** Exact search: every vector scored. `matrix` holds `ids.length` rows of `dimensions` floats. */
export class ExactVectorIndex implements VectorSearch {
  readonly dimensions: number;
  readonly #ids: readonly string[];
  readonly #matrix: Float32Array;

  constructor(ids: readonly string[], matrix: Float32Array, dimensions: number) {
    if (matrix.length !== ids.length * dimensions) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${ids.length} ids need ${ids.length * dimensions} floats of ${dimensions} dimensions, not ${matrix.length}`,
      );
    }
    this.#ids = ids;
    this.#matrix = matrix;
    this.dimensions = dimensions;
  }

  get size(): number {
    return this.#ids.length;
  }

  search(query: Float32Array, k: number): VectorHit[] {
    checkQuery(query, this.dimensions);
    const count = Math.min(Math.floor(k), this.#ids.length);
    if (count <= 0) return [];
    const matches = exactSearch(this.#matrix, query, this.dimensions, count, MetricKind.IP, 1);
    const hits: VectorHit[] = [];
    for (let i = 0; i < matches.keys.length; i++) {
      // usearch's inner-product distance is 1 - a·b.
      hits.push({ id: this.#ids[Number(matches.keys[i])]!, score: 1 - matches.distances[i]! });
    }
    return hits;
  }
}

/** An HNSW graph (usearch, cosine) keyed by integers, without ids: see {@link HnswVectorIndex}. */
export class HnswGraph {
  readonly dimensions: number;
  readonly #index: Index;
  readonly #expansionSearch: number;
  readonly #threads: number;

  private constructor(index: Index, dimensions: number, options: HnswOptions) {
    this.#index = index;
    this.dimensions = dimensions;
    this.#expansionSearch = options.expansionSearch ?? DEFAULT_EXPANSION_SEARCH;
    this.#threads = options.threads ?? 0;
  }

  static #newIndex(dimensions: number, options: HnswOptions): Index {
    return new Index({
      dimensions,
      metric: MetricKind.Cos,
      quantization: (options.quantization ?? 'f16') as ScalarKind,
      connectivity: options.connectivity ?? 16,
      expansion_add: options.expansionAdd ?? 128,
      expansion_search: options.expansionSearch ?? DEFAULT_EXPANSION_SEARCH,
      multi: false,
    });
  }

  /** An empty graph. */
  static create(dimensions: number, options: HnswOptions = {}): HnswGraph {
    return new HnswGraph(HnswGraph.#newIndex(dimensions, options), dimensions, options);
  }

  /**
   * A graph saved by {@link save}: `view` maps the file (read-only, opened at once), else it is read into
   * memory (and can change). A file of other dimensions is an error.
   */
  static open(path: string, dimensions: number, options: HnswOptions & { view?: boolean } = {}): HnswGraph {
    const index = HnswGraph.#newIndex(dimensions, options);
    try {
      if (options.view) index.view(path);
      else index.load(path);
    } catch (cause) {
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `Cannot read the vector index ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    if (index.dimensions() !== dimensions) {
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `The vector index ${path} has ${index.dimensions()} dimensions, not ${dimensions}`,
      );
    }
    return new HnswGraph(index, dimensions, options);
  }

  /** Vectors in the graph (removed ones excluded). */
  get size(): number {
    return this.#index.size();
  }

  /** Adds rows of `vectors` under `keys` (integers below 2^53). */
  add(keys: ArrayLike<number>, vectors: Float32Array): void {
    if (vectors.length !== keys.length * this.dimensions) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${keys.length} keys need ${keys.length * this.dimensions} floats, not ${vectors.length}`,
      );
    }
    if (keys.length === 0) return;
    this.#index.add(BigUint64Array.from(Array.from(keys, BigInt)), vectors, this.#threads);
  }

  remove(keys: ArrayLike<number>): void {
    if (keys.length > 0) this.#index.remove(BigUint64Array.from(Array.from(keys, BigInt)));
  }

  /** The `k` nearest keys and their cosine similarities, best first. */
  search(query: Float32Array, k: number): { keys: Float64Array; scores: Float32Array } {
    checkQuery(query, this.dimensions);
    const count = Math.floor(k);
    if (count <= 0 || this.#index.size() === 0)
      return { keys: new Float64Array(0), scores: new Float32Array(0) };
    const matches = this.#index.search(query, Math.max(count, 1), 1);
    const keys = new Float64Array(matches.keys.length);
    const scores = new Float32Array(matches.keys.length);
    for (let i = 0; i < keys.length; i++) {
      keys[i] = Number(matches.keys[i]);
      scores[i] = 1 - matches.distances[i]!;
    }
    return { keys, scores };
  }

  /** Writes the graph to `path` through a temporary file and a rename: readers never see half a file. */
  save(path: string): void {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      this.#index.save(temporary);
      renameSync(temporary, path);
    } catch (cause) {
      rmSync(temporary, { force: true });
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `Cannot write the vector index ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  /** Candidates while searching, as configured (for reports). */
  get expansionSearch(): number {
    return this.#expansionSearch;
  }
}

/** Sorted keys and their ids: what turns the graph's keys into symbol ids. */
export class KeyTable {
  readonly keys: Float64Array;
  readonly ids: readonly string[];

  /** `keys` ascending, `ids` in the same order. */
  constructor(keys: Float64Array, ids: readonly string[]) {
    this.keys = keys;
    this.ids = ids;
  }

  /** From keys in any order. */
  static from(keys: ArrayLike<number>, ids: readonly string[]): KeyTable {
    const order = Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
    return new KeyTable(
      Float64Array.from(order, (i) => keys[i]!),
      order.map((i) => ids[i]!),
    );
  }

  get size(): number {
    return this.keys.length;
  }

  /** The id of a key, or undefined for a key not in the table (a removed vector). */
  id(key: number): string | undefined {
    const keys = this.keys;
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const found = keys[mid]!;
      if (found === key) return this.ids[mid];
      if (found < key) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

/**
 * HNSW search with ids: the graph's keys turned into ids by a {@link KeyTable}; keys missing from the
 * table (vectors removed since the graph was saved, `stale` of them at most) are skipped, and a `recent`
 * exact index (vectors added since) is searched as well and merged.
 */
export class HnswVectorIndex implements VectorSearch {
  readonly dimensions: number;
  readonly graph: HnswGraph;
  readonly #table: KeyTable;
  readonly #stale: number;
  readonly #recent: ExactVectorIndex | undefined;

  constructor(
    graph: HnswGraph,
    table: KeyTable,
    options: { stale?: number; recent?: ExactVectorIndex } = {},
  ) {
    this.graph = graph;
    this.dimensions = graph.dimensions;
    this.#table = table;
    this.#stale = options.stale ?? 0;
    this.#recent = options.recent;
  }

  get size(): number {
    return this.graph.size - this.#stale + (this.#recent?.size ?? 0);
  }

  search(query: Float32Array, k: number): VectorHit[] {
    checkQuery(query, this.dimensions);
    if (k <= 0) return [];
    const found = this.graph.search(query, k + Math.min(this.#stale, 4 * k));
    const hits: VectorHit[] = [];
    for (let i = 0; i < found.keys.length && hits.length < k; i++) {
      const id = this.#table.id(found.keys[i]!);
      if (id !== undefined) hits.push({ id, score: found.scores[i]! });
    }
    return this.#recent && this.#recent.size > 0 ? mergeHits(hits, this.#recent.search(query, k), k) : hits;
  }
}

/** The best `k` of two lists of hits, each best first. */
export function mergeHits(a: readonly VectorHit[], b: readonly VectorHit[], k: number): VectorHit[] {
  const merged: VectorHit[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < k && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i]!.score >= b[j]!.score)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}

/**
 * A search over vectors held in memory: exact below `threshold` (default {@link HNSW_THRESHOLD}), else an
 * HNSW graph built now (keys are row numbers).
 */
export function buildVectorSearch(
  ids: readonly string[],
  matrix: Float32Array,
  dimensions: number,
  options: HnswOptions & { threshold?: number } = {},
): VectorSearch {
  if (ids.length < (options.threshold ?? HNSW_THRESHOLD))
    return new ExactVectorIndex(ids, matrix, dimensions);
  const graph = HnswGraph.create(dimensions, options);
  const keys = Float64Array.from({ length: ids.length }, (_, i) => i);
  graph.add(keys, matrix);
  return new HnswVectorIndex(graph, new KeyTable(keys, ids));
}
