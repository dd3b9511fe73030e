/**
 * @module retrieve/embedders/cooccurrence-embedder
 * The built-in embedder that learns from the repository: reflective random indexing over symbol documents.
 * Every term gets a sparse random index vector; a document's context vector is the IDF-weighted sum of its
 * terms' index vectors; a term's learned vector is the sum of the context vectors of the documents it
 * occurs in (centred, normalised, int8). Terms that occur together in code thus get similar vectors.
 * A text's vector blends its hashed lexical features (exact terms) with its terms' learned vectors.
 */
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { FittedEmbedder } from './fitted-embedder.js';
import { addTermFeatures, DEFAULT_DIMENSIONS } from './hashed-embedder.js';
import { decodeState, encodeState, stateArray } from './state-codec.js';
import {
  checkDimensions,
  HashIndex,
  normalize,
  sublinear,
  TermStatistics,
  termCounts,
} from './term-features.js';
import type { TermCounts } from './term-features.js';

export interface CooccurrenceEmbedderOptions {
  /** Dimensions of the vectors (default 384). */
  dimensions?: number;
  /** At most this many terms (the most frequent seen in 2 documents or more) get a learned vector (default 32768). */
  vocabulary?: number;
  /** Weight of the lexical features against the learned ones, in [0, 1] (default 0.5). */
  lexicalWeight?: number;
  /** Non-zero entries of a term's random index vector (default 8). */
  nonzeros?: number;
  /** Character n-grams of the lexical part, as the hashed embedder (default 3; 0: none). */
  ngram?: number;
  ngramWeight?: number;
}

/** Terms of the fitted corpus, kept in flat pools while fitting (no per-document objects). */
class TermPool {
  hashes = new Uint32Array(1 << 16);
  counts = new Uint16Array(1 << 16);
  offsets: number[] = [0];
  size = 0;

  push(terms: TermCounts): void {
    const needed = this.size + terms.hashes.length;
    if (needed > this.hashes.length) {
      let capacity = this.hashes.length * 2;
      while (capacity < needed) capacity *= 2;
      const hashes = new Uint32Array(capacity);
      hashes.set(this.hashes.subarray(0, this.size));
      const counts = new Uint16Array(capacity);
      counts.set(this.counts.subarray(0, this.size));
      this.hashes = hashes;
      this.counts = counts;
    }
    this.hashes.set(terms.hashes, this.size);
    this.counts.set(terms.counts, this.size);
    this.size = needed;
    this.offsets.push(needed);
  }

  get documents(): number {
    return this.offsets.length - 1;
  }

  *documentHashes(): Iterable<Uint32Array> {
    for (let d = 0; d < this.documents; d++) yield this.hashes.subarray(this.offsets[d], this.offsets[d + 1]);
  }
}

export class CooccurrenceEmbedder implements FittedEmbedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #vocabulary: number;
  readonly #lexicalWeight: number;
  readonly #nonzeros: number;
  readonly #ngram: number;
  readonly #ngramWeight: number;
  #statistics = TermStatistics.EMPTY;
  /** Learned vectors: row of a term hash, int8 rows with a scale each. */
  #rows = new HashIndex(new Uint32Array(0));
  #vocab: Uint32Array = new Uint32Array(0);
  #matrix: Int8Array = new Int8Array(0);
  #scales: Float32Array = new Float32Array(0);

  constructor(options: CooccurrenceEmbedderOptions = {}) {
    this.dimensions = checkDimensions(options.dimensions ?? DEFAULT_DIMENSIONS);
    this.#vocabulary = options.vocabulary ?? 32_768;
    this.#lexicalWeight = options.lexicalWeight ?? 0.5;
    this.#nonzeros = options.nonzeros ?? 8;
    this.#ngram = options.ngram ?? 3;
    this.#ngramWeight = options.ngramWeight ?? 0.5;
    if (!(this.#lexicalWeight >= 0 && this.#lexicalWeight <= 1)) {
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'lexicalWeight must lie in [0, 1]');
    }
    this.id =
      `builtin:cooccurrence-v1-d${this.dimensions}-v${this.#vocabulary}-l${this.#lexicalWeight}` +
      `-z${this.#nonzeros}-g${this.#ngram}x${this.#ngramWeight}`;
  }

  get fitted(): boolean {
    return this.#statistics.documents > 0;
  }

  /** How many terms have a learned vector. */
  get vocabularySize(): number {
    return this.#vocab.length;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedText(text)));
  }

  /** One text's vector, synchronously. */
  embedText(text: string): Float32Array {
    const terms = termCounts(text);
    const dimensions = this.dimensions;
    const lexical = new Float32Array(dimensions);
    addTermFeatures(lexical, terms, this.#statistics, this.#ngram, this.#ngramWeight);
    normalize(lexical);
    if (this.#lexicalWeight === 1 || this.#vocab.length === 0) return lexical;
    // The learned part: the terms with a learned vector, the heaviest LEARNED_TERMS of them.
    const rows: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < terms.hashes.length; i++) {
      const hash = terms.hashes[i]!;
      const row = this.#rows.get(hash);
      if (row < 0) continue;
      rows.push(row);
      weights.push(sublinear(terms.counts[i]!) * this.#statistics.idf(hash));
    }
    if (rows.length === 0) return lexical;
    const floor =
      rows.length > LEARNED_TERMS ? Float64Array.from(weights).sort()[rows.length - LEARNED_TERMS]! : 0;
    const learned = new Float32Array(dimensions);
    const matrix = this.#matrix;
    let taken = 0;
    for (let i = 0; i < rows.length && taken < LEARNED_TERMS; i++) {
      if (weights[i]! < floor) continue;
      taken++;
      const row = rows[i]!;
      const weight = weights[i]! * this.#scales[row]!;
      const offset = row * dimensions;
      for (let j = 0; j < dimensions; j++) learned[j]! += weight * matrix[offset + j]!;
    }
    normalize(learned);
    const a = this.#lexicalWeight;
    const b = 1 - a;
    for (let j = 0; j < dimensions; j++) lexical[j] = a * lexical[j]! + b * learned[j]!;
    return normalize(lexical);
  }

  fit(texts: Iterable<string>): void {
    const pool = new TermPool();
    for (const text of texts) pool.push(termCounts(text));
    const statistics = TermStatistics.fit(pool.documentHashes());
    const dimensions = this.dimensions;

    // The vocabulary: the most frequent terms seen in two documents or more.
    const order = Array.from(statistics.hashes.keys());
    order.sort((x, y) => statistics.frequencies[y]! - statistics.frequencies[x]!);
    const kept = order
      .slice(0, this.#vocabulary)
      .sort((x, y) => statistics.hashes[x]! - statistics.hashes[y]!);
    const vocab = Uint32Array.from(kept, (i) => statistics.hashes[i]!);
    const rowFrequencies = Uint32Array.from(kept, (i) => statistics.frequencies[i]!);
    const rows = new HashIndex(vocab);

    // Learned vectors: sums of the (unit) context vectors of the documents each term occurs in.
    const sums = new Float32Array(vocab.length * dimensions);
    const context = new Float32Array(dimensions);
    const positions = new Uint32Array(this.#nonzeros);
    const documentRows: number[] = [];
    for (let d = 0; d < pool.documents; d++) {
      const start = pool.offsets[d]!;
      const end = pool.offsets[d + 1]!;
      context.fill(0);
      documentRows.length = 0;
      for (let i = start; i < end; i++) {
        const hash = pool.hashes[i]!;
        const weight = sublinear(pool.counts[i]!) * statistics.idf(hash);
        indexVector(hash, dimensions, positions);
        for (const p of positions) context[p >>> 1]! += p & 1 ? -weight : weight;
        const row = rows.get(hash);
        // Frequent terms learn from a sample of their documents (SAMPLES on average): the work is bounded.
        if (row >= 0 && sampled(d, hash, SAMPLES / rowFrequencies[row]!)) documentRows.push(row);
      }
      if (documentRows.length === 0) continue;
      normalize(context);
      for (const row of documentRows) {
        const offset = row * dimensions;
        for (let j = 0; j < dimensions; j++) sums[offset + j]! += context[j]!;
      }
    }

    // Centre (the mean vector is what every term shares), normalise, quantise.
    const mean = new Float64Array(dimensions);
    for (let r = 0; r < vocab.length; r++) {
      const row = normalize(sums.subarray(r * dimensions, (r + 1) * dimensions));
      for (let j = 0; j < dimensions; j++) mean[j]! += row[j]!;
    }
    for (let j = 0; j < dimensions; j++) mean[j]! /= Math.max(1, vocab.length);
    const matrix = new Int8Array(vocab.length * dimensions);
    const scales = new Float32Array(vocab.length);
    for (let r = 0; r < vocab.length; r++) {
      const row = sums.subarray(r * dimensions, (r + 1) * dimensions);
      for (let j = 0; j < dimensions; j++) row[j]! -= mean[j]!;
      normalize(row);
      let max = 0;
      for (let j = 0; j < dimensions; j++) max = Math.max(max, Math.abs(row[j]!));
      const scale = max > 0 ? max / 127 : 1;
      scales[r] = scale;
      for (let j = 0; j < dimensions; j++) matrix[r * dimensions + j] = Math.round(row[j]! / scale);
    }
    this.#use(statistics, vocab, matrix, scales);
  }

  #use(statistics: TermStatistics, vocab: Uint32Array, matrix: Int8Array, scales: Float32Array): void {
    this.#statistics = statistics;
    this.#vocab = vocab;
    this.#matrix = matrix;
    this.#scales = scales;
    this.#rows = new HashIndex(vocab);
  }

  saveState(): Uint8Array {
    return encodeState(
      { kind: 'cooccurrence', id: this.id, documents: this.#statistics.documents },
      {
        hashes: this.#statistics.hashes,
        frequencies: this.#statistics.frequencies,
        vocab: this.#vocab,
        scales: this.#scales,
        matrix: this.#matrix,
      },
    );
  }

  loadState(state: Uint8Array): void {
    const { header, arrays } = decodeState(state);
    if (header.kind !== 'cooccurrence' || header.id !== this.id) {
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `The stored embedder state is for ${String(header.id)}, not ${this.id}`,
      );
    }
    const vocab = stateArray(arrays, 'vocab', 'u32');
    const matrix = stateArray(arrays, 'matrix', 'i8');
    if (matrix.length !== vocab.length * this.dimensions) {
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        'The stored embedder state has a matrix of the wrong size',
      );
    }
    this.#use(
      TermStatistics.fromArrays(
        Number(header.documents),
        stateArray(arrays, 'hashes', 'u32'),
        stateArray(arrays, 'frequencies', 'u32'),
      ),
      vocab,
      matrix,
      stateArray(arrays, 'scales', 'f32'),
    );
  }
}

/** Terms whose learned vectors make up a text's learned part: the heaviest ones (by tf-idf). */
const LEARNED_TERMS = 32;
/** Documents a term learns from, on average at most (a sample of those it occurs in). */
const SAMPLES = 1000;

/** Whether document `d` is in the sample of term `hash` taken with probability `p` (deterministic). */
function sampled(d: number, hash: number, p: number): boolean {
  if (p >= 1) return true;
  let h = Math.imul(d, 0x9e3779b1) ^ hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0 < p * 0x1_0000_0000;
}

/**
 * The sparse random index vector of a term hash: `positions.length` entries, each `position << 1 | sign`,
 * drawn by a small PRNG (mulberry32) seeded with the hash, so every term has the same one everywhere.
 */
function indexVector(hash: number, dimensions: number, positions: Uint32Array): void {
  let state = hash;
  for (let z = 0; z < positions.length; z++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const draw = (t ^ (t >>> 14)) >>> 0;
    positions[z] = (draw % dimensions << 1) | (draw >>> 31);
  }
}
