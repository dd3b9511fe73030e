/**
 * @module retrieve/embedders/fitted-embedder
 * Embedders that learn from the repository (document frequencies, co-occurrences): fitted once on the
 * corpus, their state persisted with the vectors and loaded again on the query side.
 */
import type { Embedder } from '../types.js';

/** An embedder with corpus statistics. Unfitted, it still embeds (every term weighing the same). */
export interface FittedEmbedder extends Embedder {
  /** Whether a corpus was fitted or a state loaded. */
  readonly fitted: boolean;
  /** Fits the statistics on a corpus (the texts of every document); embeddings change with them. */
  fit(texts: Iterable<string>): void;
  /** The fitted state, to persist. */
  saveState(): Uint8Array;
  /** Restores a state that {@link saveState} wrote (for the same `id`). */
  loadState(state: Uint8Array): void;
}

/** Whether an embedder has corpus statistics to fit and persist. */
export function isFittedEmbedder(embedder: Embedder): embedder is FittedEmbedder {
  const candidate = embedder as Partial<FittedEmbedder>;
  return (
    typeof candidate.fit === 'function' &&
    typeof candidate.saveState === 'function' &&
    typeof candidate.loadState === 'function'
  );
}
