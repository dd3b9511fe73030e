/**
 * @module engine/types
 * The plain, serializable data the engine returns to every interface: symbols, call relations, graph
 * slices and statistics, in editor terms (paths, zero-based ranges, strings).
 */
import type { Diagnostic, Range } from '../base/index.js';
import type { RetrievalPolicy } from '../retrieve/index.js';

/** A node as interfaces see it (the Graph API shape, plus details). */
export interface GraphNode {
  id: string;
  kind: string;
  name: string;
  qualifiedName: string;
  path: string;
  range: Range;
  selectionRange?: Range;
  language?: string;
  signature?: string;
  doc?: string;
  snippet?: string;
  typeText?: string;
  exported?: boolean;
  meta?: Record<string, string | number | boolean>;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  confidence?: number;
  ambiguous?: boolean;
  range?: Range;
  meta?: Record<string, string | number | boolean>;
}

export interface GraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A call relation: the call site, the declaration it sits in, and what it calls. */
export interface CallRelation {
  caller?: GraphNode;
  site: GraphNode;
  callee?: GraphNode;
  /** The callee as written when it is not resolved. */
  calleeText: string;
  confidence: number;
  ambiguous: boolean;
}

/** A place that refers to a symbol: a reference, an import, a type use, a base class. */
export interface ReferenceSite {
  kind: string;
  from: GraphNode;
  path: string;
  range: Range;
  confidence: number;
}

export interface ResolutionCounts {
  resolved: number;
  ambiguous: number;
  unresolved: number;
  external: number;
}

export interface WorkspaceSummary {
  root: string;
  files: number;
  bytes: number;
  lines: number;
  nodes: number;
  edges: number;
  byLanguage: Record<string, { files: number; bytes: number; lines: number }>;
  nodesByKind: Record<string, number>;
  edgesByKind: Record<string, number>;
  resolution: { calls: ResolutionCounts; references: ResolutionCounts; imports: ResolutionCounts };
  skipped: { path: string; reason: string; detail?: string }[];
  diagnostics: number;
  timings: Record<string, number>;
  /** For a workspace read from an index: where it is and what it holds. */
  index?: IndexInfo;
}

/** An index on disk. */
export interface IndexInfo {
  dir: string;
  schema: number;
  generation: number;
  indexedAt: string;
  /** Bytes of the index's files on disk. */
  sizeBytes: number;
  /** Symbols in the lexical index (0 when it is behind and awaits a rebuild). */
  lexicalSymbols: number;
}

/** One node of an export (`rtc export --format jsonl`): the node, its metadata, and its relations. */
export interface ExportRecord {
  id: string;
  kind: string;
  name: string;
  qualifiedName: string;
  path: string;
  language: string;
  range: Range;
  signature?: string;
  doc?: string;
  snippet?: string;
  metadata: Record<string, string | number | boolean>;
  /** Edges leaving the node. */
  relations: { kind: string; target: string; confidence?: number; ambiguous?: boolean }[];
  /** Edges entering the node. */
  incoming: { kind: string; source: string; confidence?: number; ambiguous?: boolean }[];
}

export interface SyntaxTreeResult {
  path: string;
  language: string;
  diagnostics: Diagnostic[];
}

/** A file found by a query. */
export interface QueryFile {
  /** Relative to the repository root. */
  path: string;
  score: number;
}

/** A symbol found by a query. */
export interface QuerySymbol {
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: string;
  range: Range;
  score: number;
  /** How it was chosen (route, entry point, edge path, reward parts). */
  reason?: QueryReason;
}

export interface QueryReason {
  route: string;
  entry?: { id: string; name: string; via: 'lexical' | 'vector' | 'symbol' | 'change' | 'memory' };
  path?: { edge: string; name: string }[];
  rewards?: Partial<Record<'semantic' | 'symbol' | 'change' | 'coverage' | 'context', number>>;
}

/** What `Workspace.query` returns (`rtc query --json`). */
export interface QueryResult {
  query: string;
  /** The version (index generation) of the graph the answer comes from. */
  version?: number;
  route: string;
  files: QueryFile[];
  symbols: QuerySymbol[];
  /** Milliseconds per stage (entry, route, search, rank, total). */
  timings: Record<string, number>;
}

/** Options of `Workspace.query`. Baselines and ablations are switches (the evaluation harness sets them). */
export interface QueryOptions {
  /** Results per list (files, symbols); default 20. */
  limit?: number;
  /** `full` (default): fused entry points + graph search; `bm25`: lexical search alone; `pagerank`: personalised PageRank from the same entry points (Aider's repo map). */
  strategy?: 'full' | 'bm25' | 'pagerank';
  /** Graph search on (default) or off (entry points ranked by their rewards only). */
  mcts?: boolean;
  /** The semantic router on (default) or off (the default route). */
  router?: boolean;
  /** A route by name instead of routing the query (see the router's routes). */
  route?: string;
  /** Vector entry points on (default, when vectors exist) or off. */
  vectors?: boolean;
  /** Reward components switched off. */
  off?: ('semantic' | 'symbol' | 'change' | 'coverage' | 'context')[];
  /** Recent changes (paths, lines, recency weight in (0, 1]); default: read from git and file times. */
  recentChanges?: { path: string; lines?: [number, number][]; weight: number }[];
  /** The random seed of the graph search (results are deterministic for a seed). */
  seed?: number;
  /** Graph search budgets. */
  iterations?: number;
  timeMs?: number;
  signal?: AbortSignal;
  /**
   * The retrieval policy to rank with, instead of the repository's (`DEFAULT_POLICY`: none; the
   * evaluation harness compares learned and unlearned policies this way).
   */
  policy?: RetrievalPolicy;
}
