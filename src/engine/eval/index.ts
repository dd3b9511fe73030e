/**
 * @module engine/eval
 * The evaluation harness (`rtc eval`): localization instances from git history, the systems compared
 * (full, baselines, ablations), the metrics, and the table.
 */
export { EVAL_TIME_MS, LEARNED_SYSTEM, runEval } from './run.js';
export type {
  EvalLearning,
  EvalOptions,
  EvalProgress,
  EvalQuery,
  EvalReport,
  EvalResultRecord,
} from './run.js';
export { DEFAULT_HOLDOUT, historyEpisode, LEARN_K, learnFromGit } from './learn.js';
export type {
  HeldOutScore,
  HistoryEpisodeOptions,
  LearnOptions,
  LearnProgress,
  LearnReport,
} from './learn.js';
export {
  goldFunctionsOf,
  isDescriptiveMessage,
  isGoldSourcePath,
  listCandidates,
  queryText,
} from './instances.js';
export type {
  CandidateList,
  CandidateOptions,
  EvalCandidate,
  EvalInstance,
  GoldFunction,
  RecentFileChange,
  SkipReason,
} from './instances.js';
export { checkoutWorktree, openRepository, parseLog, parseOldSideLines } from './git.js';
export type { CommitRecord, GitRepository, OldSideLines } from './git.js';
export { DEFAULT_KS, fileMetrics, functionMetrics, matchesGold, meanMetrics } from './metrics.js';
export type { MetricValues, RankedSymbol } from './metrics.js';
export { EVAL_SYSTEMS, selectSystems } from './systems.js';
export type { SystemSwitches } from './systems.js';
export { formatTable } from './table.js';
export type { EvalSystemSummary } from './table.js';
