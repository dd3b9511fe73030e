/**
 * @module retrieve
 * Retrieval: embedders and vector search, lexical entry points, the semantic router, the reward system, the
 * Monte Carlo Tree Search over the graph, and the token-budgeted context.
 */
export { REWARD_COMPONENTS } from './types.js';
export type {
  Embedder,
  EmbeddingConfig,
  Reason,
  RecentChange,
  RetrievalSwitches,
  RewardComponent,
  RewardWeights,
  Route,
  SymbolDocument,
  VectorHit,
  VectorSearch,
} from './types.js';
