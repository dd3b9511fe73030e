/**
 * @module store/file-graph-codec
 * The saved form of a file's graph and of edge lists: compact JSON. A saved graph keeps what re-resolving
 * the file needs (scopes, uses, imports, members, types) and thin nodes (id, kind, name; the path is the
 * file's, or `''` for shared type nodes): node details live in the `nodes` database. Edges become tuples.
 *
 * Architecture Invariant: a graph read back from the store has thin nodes: only `id`, `kind`, `name` and
 * `path` are real (the resolver and the structure builder read nothing else).
 */
import { EDGE_KINDS, NODE_KINDS } from '../graph/index.js';
import type { AsgEdge, AsgNode, EdgeKind, FileGraph, NodeKind } from '../graph/index.js';
import type { Range } from '../base/index.js';

const NODE_CODE = new Map<NodeKind, number>(NODE_KINDS.map((kind, i) => [kind, i]));
const EDGE_CODE = new Map<EdgeKind, number>(EDGE_KINDS.map((kind, i) => [kind, i]));
const NO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `[source, target, kind, confidence?, ambiguous?, range?, meta?]`, trailing empties left out. */
type EdgeTuple = [
  string,
  string,
  number,
  number?,
  number?,
  number[]?,
  Record<string, string | number | boolean>?,
];

function edgeToTuple(edge: AsgEdge): EdgeTuple {
  const tuple: EdgeTuple = [edge.source, edge.target, EDGE_CODE.get(edge.kind) ?? 0];
  const r = edge.range;
  const tail: unknown[] = [
    edge.confidence ?? -1,
    edge.ambiguous ? 1 : 0,
    r ? [r.start.line, r.start.character, r.end.line, r.end.character] : 0,
    edge.meta ?? 0,
  ];
  const empty = [-1, 0, 0, 0];
  let last = tail.length - 1;
  while (last >= 0 && tail[last] === empty[last]) last--;
  (tuple as unknown[]).push(...tail.slice(0, last + 1));
  return tuple;
}

function tupleToEdge(tuple: EdgeTuple): AsgEdge {
  const edge: AsgEdge = { source: tuple[0], target: tuple[1], kind: EDGE_KINDS[tuple[2]]! };
  const [, , , confidence, ambiguous, range, meta] = tuple;
  if (confidence !== undefined && confidence !== -1) edge.confidence = confidence;
  if (ambiguous) edge.ambiguous = true;
  if (Array.isArray(range))
    edge.range = {
      start: { line: range[0]!, character: range[1]! },
      end: { line: range[2]!, character: range[3]! },
    };
  if (meta && typeof meta === 'object') edge.meta = meta;
  return edge;
}

/** An edge list as text. */
export function encodeEdges(edges: readonly AsgEdge[]): string {
  return JSON.stringify(edges.map(edgeToTuple));
}

/** An edge list from {@link encodeEdges}. */
export function decodeEdges(text: string): AsgEdge[] {
  return (JSON.parse(text) as EdgeTuple[]).map(tupleToEdge);
}

/** A file graph as text, with thin nodes and tuple edges. */
export function encodeFileGraph(graph: FileGraph): string {
  return JSON.stringify({
    ...graph,
    nodes: graph.nodes.map((n) => [n.id, NODE_CODE.get(n.kind) ?? 0, n.name, n.path === '' ? 1 : 0]),
    edges: graph.edges.map(edgeToTuple),
  });
}

/** A file graph from {@link encodeFileGraph}: its nodes are thin (see the module's invariant). */
export function decodeFileGraph(text: string): FileGraph {
  const saved = JSON.parse(text) as Omit<FileGraph, 'nodes' | 'edges'> & {
    nodes: [string, number, string, number][];
    edges: EdgeTuple[];
  };
  const nodes = saved.nodes.map(
    ([id, kind, name, shared]): AsgNode => ({
      id,
      kind: NODE_KINDS[kind]!,
      name,
      qualifiedName: name,
      path: shared ? '' : saved.path,
      language: saved.language,
      range: NO_RANGE,
    }),
  );
  return { ...saved, nodes, edges: saved.edges.map(tupleToEdge) };
}
