/**
 * @module engine
 * The one API every interface uses: open a workspace, query its graph, show a file's syntax tree.
 */
export { openWorkspace, Workspace } from './workspace.js';
export type { OpenOptions } from './workspace.js';
export { syntaxTree } from './syntax-tree.js';
export type { SyntaxTreeOptions, SyntaxTreeOutput } from './syntax-tree.js';
export { LANGUAGES } from '../parse/index.js';
export type {
  CallRelation,
  GraphData,
  GraphEdge,
  GraphNode,
  ReferenceSite,
  ResolutionCounts,
  WorkspaceSummary,
} from './types.js';
