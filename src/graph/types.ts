/**
 * @module graph/types
 * The Abstract Semantic Graph: node and edge kinds, nodes with stable ids, edges with resolution confidence.
 */
import type { Range } from '../base/index.js';

/** Node kinds of the ASG. */
export const NODE_KINDS = [
  'module',
  'namespace',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'function',
  'method',
  'parameter',
  'variable',
  'field',
  'constant',
  'type_alias',
  'type',
  'import',
  'call_site',
  'return_value',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** Edge kinds of the ASG. */
export const EDGE_KINDS = [
  'contains',
  'defines',
  'has_parameter',
  'returns',
  'calls',
  'references',
  'imports',
  'extends',
  'implements',
  'type_dependency',
  'data_flow',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** A stable node id: 16 hex digits derived from path, kind, qualified name and a disambiguator (32 for types). */
export type NodeId = string;

/** Kinds that are classes in the wide sense: they have members and may extend others. */
export const CLASS_LIKE_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>([
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
]);
/** Kinds that can be called. */
export const CALLABLE_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(['function', 'method']);

export interface AsgNode {
  id: NodeId;
  kind: NodeKind;
  name: string;
  /** Dotted name inside its module (`Class.method`); the module path for modules; the text for types. */
  qualifiedName: string;
  /** Repository-relative path (`''` for type nodes, which are shared by all files). */
  path: string;
  language: string;
  range: Range;
  /** The range of the name (declarations) or of the called name (call sites), as LSP's selectionRange. */
  selectionRange?: Range;
  signature?: string;
  doc?: string;
  snippet?: string;
  exported?: boolean;
  /** Declared type text (variables, fields, parameters) or return type (functions). */
  typeText?: string;
  /** Small extra facts: parameter index, callee text, 128-bit type fingerprint… */
  meta?: Record<string, string | number | boolean>;
}

/** How sure the resolver is of an edge. */
export type EdgeResolution = 'resolved' | 'ambiguous';

export interface AsgEdge {
  source: NodeId;
  target: NodeId;
  kind: EdgeKind;
  /** 1 for edges proven by scope, import or type; below 1 for candidates. */
  confidence?: number;
  /** Set on candidate edges: the target was one of several possibilities, or was matched by name only. */
  ambiguous?: boolean;
  /** Where in the source the relation is written (a call, a reference). */
  range?: Range;
  meta?: Record<string, string | number | boolean>;
}

/** What became of one use of a name (a call, a reference). */
export type ResolutionStatus = 'resolved' | 'ambiguous' | 'unresolved' | 'external';

/** Counts of resolution outcomes, for statistics. */
export interface ResolutionStats {
  resolved: number;
  ambiguous: number;
  unresolved: number;
  external: number;
}
