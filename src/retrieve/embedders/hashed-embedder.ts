/**
 * @module retrieve/embedders/hashed-embedder
 * The built-in offline embedder: code-aware terms (`codeTokens`: whole identifiers and their parts) and their
 * character trigrams, weighted by sublinear term frequency × IDF, signed-hashed into a fixed number of
 * dimensions, L2-normalised. No download, no model: the IDF is fitted on the repository's own documents.
 */
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { FittedEmbedder } from './fitted-embedder.js';
import { decodeState, encodeState, stateArray } from './state-codec.js';
import {
  addHashed,
  checkDimensions,
  ngramHashes,
  normalize,
  sublinear,
  TermStatistics,
  termCounts,
} from './term-features.js';
import type { TermCounts } from './term-features.js';

export interface HashedEmbedderOptions {
  /** Dimensions of the vectors (default 384). */
  dimensions?: number;
  /** Length of the character n-grams of terms (default 3; 0: whole terms only). */
  ngram?: number;
  /** Share of a term's weight that goes to its n-grams, as a norm (default 0.5). */
  ngramWeight?: number;
}

export const DEFAULT_DIMENSIONS = 384;

/**
 * Adds the hashed features of a text's terms to `vector`: each term `±(1 + ln tf) × idf` in its bucket, and
 * its n-grams sharing `ngramWeight` of that (as a norm). Not normalised. A term that the fitted corpus does
 * not have gets no feature of its own (it could only collide), its n-grams the weight of the rarest term.
 */
export function addTermFeatures(
  vector: Float32Array,
  terms: TermCounts,
  statistics: TermStatistics,
  ngram: number,
  ngramWeight: number,
): void {
  for (let i = 0; i < terms.hashes.length; i++) {
    const hash = terms.hashes[i]!;
    const tf = sublinear(terms.counts[i]!);
    const idf = statistics.idf(hash);
    if (idf > 0) addHashed(vector, hash, tf * idf);
    if (ngram > 0 && ngramWeight > 0) {
      const grams = ngramHashes(terms.terms[i]!, hash, ngram);
      if (grams.length === 0) continue;
      // A term unknown to the corpus keeps its n-grams, at the weight of the rarest terms.
      const gramWeight = (ngramWeight * tf * (idf > 0 ? idf : statistics.rarest)) / Math.sqrt(grams.length);
      for (const gram of grams) addHashed(vector, gram, gramWeight);
    }
  }
}

/**
 * Symmetric: queries and documents are embedded alike, IDF on both sides. The IDF is frozen at fit time
 * (persisted with the vectors): documents embedded later use the same weights, so old and new vectors stay
 * comparable until the next fit.
 */
export class HashedEmbedder implements FittedEmbedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #ngram: number;
  readonly #ngramWeight: number;
  #statistics = TermStatistics.EMPTY;

  constructor(options: HashedEmbedderOptions = {}) {
    this.dimensions = checkDimensions(options.dimensions ?? DEFAULT_DIMENSIONS);
    this.#ngram = options.ngram ?? 3;
    this.#ngramWeight = options.ngramWeight ?? 0.5;
    const grams = this.#ngram > 0 && this.#ngramWeight > 0 ? `-g${this.#ngram}x${this.#ngramWeight}` : '';
    this.id = `builtin:hashed-v1-d${this.dimensions}${grams}`;
  }

  get fitted(): boolean {
    return this.#statistics.documents > 0;
  }

  /** The IDF table in use. */
  get statistics(): TermStatistics {
    return this.#statistics;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedText(text)));
  }

  /** One text's vector, synchronously. */
  embedText(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    addTermFeatures(vector, termCounts(text), this.#statistics, this.#ngram, this.#ngramWeight);
    return normalize(vector);
  }

  fit(texts: Iterable<string>): void {
    this.#statistics = TermStatistics.fit(mapIterable(texts, (text) => termCounts(text).hashes));
  }

  /** Uses statistics fitted elsewhere (the co-occurrence embedder shares its own). */
  useStatistics(statistics: TermStatistics): void {
    this.#statistics = statistics;
  }

  saveState(): Uint8Array {
    const statistics = this.#statistics;
    return encodeState(
      { kind: 'hashed', id: this.id, documents: statistics.documents },
      { hashes: statistics.hashes, frequencies: statistics.frequencies },
    );
  }

  loadState(state: Uint8Array): void {
    const { header, arrays } = decodeState(state);
    if (header.kind !== 'hashed' || header.id !== this.id) {
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `The stored embedder state is for ${String(header.id)}, not ${this.id}`,
      );
    }
    this.#statistics = TermStatistics.fromArrays(
      Number(header.documents),
      stateArray(arrays, 'hashes', 'u32'),
      stateArray(arrays, 'frequencies', 'u32'),
    );
  }
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Iterable<U> {
  for (const item of items) yield map(item);
}
