/**
 * @module graph
 * The Abstract Semantic Graph: per-file building from syntax summaries, cross-file resolution, assembly, and
 * renderings. Pure: no IO.
 */
export { NODE_KINDS, EDGE_KINDS, CLASS_LIKE_KINDS, CALLABLE_KINDS } from './types.js';
export type {
  AsgNode,
  AsgEdge,
  NodeId,
  NodeKind,
  EdgeKind,
  ResolutionStats,
  ResolutionStatus,
} from './types.js';
export { buildFileGraph, makeNodeId, modulePathOf } from './file-graph.js';
export type { FileGraph, CallUse, NameUse, ImportInfo, ScopeInfo } from './file-graph.js';
export { emptyProjectConfig } from './project-config.js';
export type { ProjectConfig, TsConfigInfo } from './project-config.js';
export { ModuleResolver } from './module-resolution.js';
export { addResolutionCounts, emptyResolutionCounts, languageFamily, resolveWorkspace } from './resolver.js';
export type { FileResolution, ResolutionCounts, ResolutionResult, ResolveOptions } from './resolver.js';
export type { ResolverRunStats } from './resolver.js';
export { IncrementalResolver } from './incremental-resolver.js';
export type { ResolverChange } from './incremental-resolver.js';
export {
  Asg,
  AsgQueries,
  assembleAsg,
  findSymbolsIn,
  rankSymbols,
  symbolPattern,
  SYMBOL_KINDS,
  uniqueEdges,
} from './asg.js';
export type { GraphSlice, AsgBuild, GraphReader } from './asg.js';
export { CsrGraph, EDGE_AMBIGUOUS, EDGE_HAS_RANGE } from './csr.js';
export type { CsrArrays } from './csr.js';
export { GraphStructure } from './live-structure.js';
export type { StructurePart } from './live-structure.js';
export { renderAsgText, renderAsgMermaid } from './render.js';
