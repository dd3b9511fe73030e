/**
 * @module retrieve/types
 * The contracts of the retrieval stage: embedders, vector search, the documents they read, rewards, routes,
 * and what a query returns. Every part of `retrieve/` speaks these types; the engine maps them to its own.
 */
import type { LexicalDocument } from '../store/index.js';

/** Turns texts into unit-length vectors. One interface for the built-in, ONNX and HTTP embedders. */
export interface Embedder {
  /** Identifies the model and its settings: vectors of different ids are never compared. */
  readonly id: string;
  readonly dimensions: number;
  /** Unit-length vectors, one per text, in order. `purpose` lets asymmetric models treat queries apart. */
  embed(texts: readonly string[], purpose: 'query' | 'document'): Promise<Float32Array[]>;
  close?(): Promise<void>;
}

/** How to embed: the configuration users write (`.rtc/config.json` or `rtc.config.json`, key `embedding`). */
export interface EmbeddingConfig {
  /** `builtin` (default, offline, no download), `onnx` (a local model directory), `http` (OpenAI-compatible). */
  provider: 'builtin' | 'onnx' | 'http';
  /** builtin: the variant (chosen by measurement); onnx: the model directory; http: the model name sent. */
  model?: string;
  /** http: the endpoint base (`…/v1`, `/embeddings` is appended) or the full `/v1/embeddings` URL. */
  url?: string;
  /** http: the bearer token; also read from `RTC_EMBEDDING_API_KEY`. */
  apiKey?: string;
  dimensions?: number;
  batchSize?: number;
}

/** A symbol as retrieval reads it: what the lexical index keeps, with the code tokens of its text. */
export type SymbolDocument = LexicalDocument;

/** A vector search hit: cosine similarity, higher is better. */
export interface VectorHit {
  id: string;
  score: number;
}

/** A search index over unit vectors (exact or approximate). */
export interface VectorSearch {
  readonly size: number;
  readonly dimensions: number;
  search(query: Float32Array, k: number): VectorHit[];
}

/** The five reward components of the seed; each can be switched off (ablation) or reweighted by a route. */
export const REWARD_COMPONENTS = ['semantic', 'symbol', 'change', 'coverage', 'context'] as const;
export type RewardComponent = (typeof REWARD_COMPONENTS)[number];
export type RewardWeights = Record<RewardComponent, number>;

/** A recently changed place: a file (and lines, when known) with a recency weight in (0, 1]. */
export interface RecentChange {
  path: string;
  /** Zero-based line ranges touched, when known. */
  lines?: [number, number][];
  weight: number;
}

/** A route of the semantic router: data, not code (users add their own in configuration). */
export interface Route {
  name: string;
  description: string;
  /** Example utterances; a query goes to the route whose examples it is most similar to. */
  examples: string[];
  /** Reward weights (missing components keep the defaults). */
  rewards?: Partial<RewardWeights>;
  /** Edge-kind preferences for the graph search (multipliers of the default edge weights). */
  edges?: Partial<Record<string, number>>;
  /** Whether the search follows edges backwards too (callers, users) and how much (0..1). */
  incoming?: number;
  /** Default token budget of the packed context for this route. */
  budget?: number;
}

/** How one result was chosen. */
export interface Reason {
  route: string;
  /** The entry point the search started from, and how it was found. */
  entry?: { id: string; name: string; via: 'lexical' | 'vector' | 'symbol' | 'change' | 'memory' };
  /** Edge kinds and node names from the entry point to this node. */
  path?: { edge: string; name: string }[];
  /** The reward parts of this node. */
  rewards?: Partial<Record<RewardComponent, number>>;
}

/** Switches for baselines and ablations (the evaluation harness sets them). */
export interface RetrievalSwitches {
  /** `full` (default): fused entry points + MCTS; `bm25`: lexical search alone; `pagerank`: personalised PageRank from the same entry points (as Aider's repo map). */
  strategy?: 'full' | 'bm25' | 'pagerank';
  mcts?: boolean;
  router?: boolean;
  vectors?: boolean;
  /** Reward components switched off. */
  off?: RewardComponent[];
}
