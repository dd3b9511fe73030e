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
export { personalizedPageRank, rankFilesByPageRank } from './pagerank.js';
export type { PageRankOptions } from './pagerank.js';
export { Retriever } from './retriever.js';
export type { RetrievalOptions, RetrievalResult, RetrievedSymbol, RetrieverSources } from './retriever.js';
export { SemanticRouter, DEFAULT_ROUTES, DEFAULT_ROUTE } from './router.js';
export type { RouteChoice } from './router.js';
export { monteCarloTreeSearch, seededRandom, uctScore } from './mcts.js';
export type { MctsOptions, MctsResult, Move, NodeStats, SearchSpace } from './mcts.js';
export {
  ChangeIndex,
  changeProximity,
  combineRewards,
  contextRelevance,
  DEFAULT_EDGE_WEIGHTS,
  DEFAULT_REWARD_WEIGHTS,
  queryTerms,
  rewardWeights,
  semanticSimilarity,
  symbolRelevance,
  workspaceCoverage,
} from './rewards.js';
export type { QueryTerms, RewardParts } from './rewards.js';
export {
  clampMultiplier,
  DEFAULT_POLICY,
  edgeKindOfLabel,
  edgePrior,
  emptyPolicy,
  FILE_VALUE_SCALE,
  isNeutralPolicy,
  MAX_MULTIPLIER,
  MIN_MULTIPLIER,
  NODE_VALUE_SCALE,
  parsePolicy,
  POLICY_SCHEMA,
  policyBonuses,
  policyWeights,
  valueBonus,
} from './policy.js';
export type { RetrievalPolicy, ValueEstimate } from './policy.js';
export {
  emptyMemory,
  isActiveMemory,
  MAX_TASK_FILES,
  MAX_TASKS,
  RECALL_SCALE,
  RECALLED_TASKS,
  recallFiles,
  recallTasks,
  rememberTasks,
  taskTerms,
} from './task-memory.js';
export type { RecalledTask, RememberedTask, TaskMemory } from './task-memory.js';
export { packContext } from './context-pack.js';
export type { ContextCandidate, PackOptions, PackedContext, PackedItem } from './context-pack.js';
export { formatReason } from './context-render.js';
export {
  CODE_CHARS_PER_TOKEN,
  O200K_TOKEN_COUNTER,
  defaultTokenCounter,
  estimateTokenCounter,
} from './token-count.js';
export type { TokenCounter } from './token-count.js';
export {
  BUILTIN_MODELS,
  CooccurrenceEmbedder,
  DEFAULT_BUILTIN_MODEL,
  HashedEmbedder,
  HttpEmbedder,
  OnnxEmbedder,
  builtinEmbedder,
  createEmbedder,
  embeddingsUrl,
  isFittedEmbedder,
} from './embedders/index.js';
export type {
  BuiltinModel,
  CooccurrenceEmbedderOptions,
  FittedEmbedder,
  HashedEmbedderOptions,
  HttpEmbedderOptions,
  OnnxEmbedderOptions,
} from './embedders/index.js';
export {
  ExactVectorIndex,
  DEFAULT_EXPANSION_SEARCH,
  HNSW_THRESHOLD,
  HnswGraph,
  HnswVectorIndex,
  KeyTable,
  buildVectorSearch,
  mergeHits,
} from './vector-index.js';
export type { HnswOptions } from './vector-index.js';
export { REFIT_DRIFT, documentText, openVectors, updateVectors } from './vectors.js';
export type { VectorChanges, VectorUpdateOptions, VectorUpdateResult } from './vectors.js';
