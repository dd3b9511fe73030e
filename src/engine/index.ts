/**
 * @module engine
 * The one API every interface uses: open a workspace, query its graph, show a file's syntax tree.
 */
export { openWorkspace, Workspace } from './workspace.js';
export type { ContextResult, OpenOptions, RetrievalBacking, WorkspaceBacking } from './workspace.js';
export { readRetrievalConfig, recentChanges } from './retrieval.js';
export type { RetrievalConfig } from './retrieval.js';
export {
  exportRecords,
  indexDirOf,
  indexWorkspace,
  indexWriter,
  openIndex,
  SCHEMA_VERSION,
} from './indexed-workspace.js';
export type { IndexOptions, IndexProgress, IndexReport, OpenIndexOptions } from './indexed-workspace.js';
export { syntaxTree } from './syntax-tree.js';
export type { SyntaxTreeOptions, SyntaxTreeOutput } from './syntax-tree.js';
export { LANGUAGES } from '../parse/index.js';
export type {
  CallRelation,
  ExportRecord,
  GraphData,
  GraphEdge,
  GraphNode,
  IndexInfo,
  QueryFile,
  QueryOptions,
  QueryReason,
  QueryResult,
  QuerySymbol,
  ReferenceSite,
  ResolutionCounts,
  WorkspaceSummary,
} from './types.js';
export { EVAL_SYSTEMS, runEval } from './eval/index.js';
export { DEFAULT_HOLDOUT, LEARNED_SYSTEM, learnFromGit } from './eval/index.js';
export type { EvalLearning, HeldOutScore, LearnOptions, LearnProgress, LearnReport } from './eval/index.js';
export type {
  EvalOptions,
  EvalProgress,
  EvalReport,
  EvalResultRecord,
  EvalSystemSummary,
} from './eval/index.js';
export { openLiveWorkspace, LiveWorkspace, relativeFolder, storedChanges } from './live-workspace.js';
export type { ChangeEntry, GraphDelta, LiveChange, LiveWorkspaceOptions } from './live-workspace.js';
export { workingTreeChanges } from './retrieval.js';
export type { WorkingChange } from './retrieval.js';
export { MAX_SERVED_FILE_BYTES, resolveInside, WorkspaceSet } from './workspace-set.js';
export type { OpenDocument, WorkspaceFolderInfo, WorkspaceSetOptions } from './workspace-set.js';
export { findTool, invokeTool, TOOLS } from './tools.js';
export type { ToolCallOptions, ToolDefinition, ToolOutput } from './tools.js';
export { validateInput } from './validation.js';
export type { JsonSchema } from './validation.js';
export { FEEDBACK_FILE, readFeedback, recordFeedback } from './feedback.js';
export type { FeedbackInput, FeedbackItem, FeedbackRecord } from './feedback.js';
export {
  importPolicy,
  learnFromFeedback,
  loadPolicy,
  POLICY_FILE,
  PolicyStore,
  resetPolicy,
  policyText,
  savePolicy,
  updateStoredPolicy,
} from './policy-store.js';
export type { FeedbackOutcome, LoadedPolicy } from './policy-store.js';
export { episodeResults, MAX_ESTIMATES, MAX_EVIDENCE, observeValue, updatePolicy } from './policy-update.js';
export type { EpisodeItem, EpisodeResult, PolicyEpisode, PolicyUpdateOptions } from './policy-update.js';
export { IMPLICIT_NEGATIVE_WEIGHT, IMPLICIT_WINDOW_MS, ImplicitFeedback } from './implicit-feedback.js';
export type { ImplicitFeedbackOptions, ImplicitLesson } from './implicit-feedback.js';
export {
  DEFAULT_POLICY,
  DEFAULT_REWARD_WEIGHTS,
  emptyPolicy,
  FILE_VALUE_SCALE,
  NODE_VALUE_SCALE,
  parsePolicy,
  POLICY_SCHEMA,
} from '../retrieve/index.js';
export type { RetrievalPolicy, ValueEstimate } from '../retrieve/index.js';
export {
  definitionAt,
  documentSymbols,
  hoverAt,
  hoverMarkdown,
  incomingCalls,
  nodeById,
  outgoingCalls,
  referencesAt,
  referencesOf,
  symbolAt,
  wordAt,
  workspaceSymbols,
} from './navigation.js';
export type {
  CallGroup,
  DocumentSymbolNode,
  PositionOptions,
  SourceLocation,
  SymbolAt,
} from './navigation.js';
export { CHAT_HOWTO, readChatSettings } from './chat-settings.js';
export type { ChatSettings } from './chat-settings.js';
