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
export { resolveWorkspace } from './resolver.js';
export type { ResolutionResult } from './resolver.js';
export { Asg, assembleAsg } from './asg.js';
export type { GraphSlice, AsgBuild } from './asg.js';
export { renderAsgText, renderAsgMermaid } from './render.js';
