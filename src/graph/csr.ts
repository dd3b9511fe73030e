/**
 * @module graph/csr
 * The graph's structure in compact typed arrays: node ids and kinds by integer index, edges as parallel
 * arrays, and compressed sparse rows (CSR) of the edges leaving and entering every node, each row ordered by
 * edge kind. This is what the store saves and what graph walks run on: a step never allocates an object or
 * touches the disk.
 */
import type { Range } from '../base/index.js';
import { EDGE_KINDS, NODE_KINDS } from './types.js';
import type { AsgEdge, AsgNode, EdgeKind, NodeId, NodeKind } from './types.js';

/** The code of a node kind in `nodeKind`. */
export const NODE_KIND_CODE: ReadonlyMap<NodeKind, number> = new Map(NODE_KINDS.map((kind, i) => [kind, i]));
/** The code of an edge kind in `edgeKind`. */
export const EDGE_KIND_CODE: ReadonlyMap<EdgeKind, number> = new Map(EDGE_KINDS.map((kind, i) => [kind, i]));

/** Edge flag: the edge is a candidate (ambiguous). */
export const EDGE_AMBIGUOUS = 1;
/** Edge flag: the edge has a range (`ranges[4 * e .. 4 * e + 3]`). */
export const EDGE_HAS_RANGE = 2;
/** Edge flag: the edge's meta is `{ index: edgeSlot[e] }` (a parameter's position). */
export const EDGE_HAS_INDEX = 4;
/** Edge flag: the edge's meta is `{ argument: edgeSlot[e] }` (the argument a value flows into). */
export const EDGE_HAS_ARGUMENT = 8;

/**
 * The arrays of a {@link CsrGraph}, as they are saved. Edges are numbered in the order of their source node,
 * then of their kind: the edges leaving node i are the edges `outStart[i] .. outStart[i + 1]`, so a walk
 * along them reads `edgeTarget` sequentially.
 */
export interface CsrArrays {
  /** Node ids, by index. */
  ids: NodeId[];
  /** Node names, by index (for scoring and lookups without reading node details). */
  names: string[];
  /** Repository-relative paths; `nodeFile[i]` indexes this (`-1` for shared type nodes). */
  files: string[];
  nodeKind: Uint8Array;
  nodeFile: Int32Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeKind: Uint8Array;
  edgeFlags: Uint8Array;
  edgeConfidence: Float32Array;
  /** Start line, start character, end line, end character of every edge (zeros without a range). */
  edgeRange: Int32Array;
  /** The number of an edge's `{ index }` or `{ argument }` meta (see the flags), else 0. */
  edgeSlot: Int32Array;
  /** Other extra facts of the few edges that have them, by edge index. */
  edgeMeta: Record<string, Record<string, string | number | boolean>>;
  outStart: Int32Array;
  /** Rows of entering edges: the edges entering node i are `inEdges[inStart[i] .. inStart[i + 1]]`. */
  inStart: Int32Array;
  inEdges: Int32Array;
}

/** A graph in compressed sparse rows. Immutable once built. */
export class CsrGraph {
  readonly arrays: CsrArrays;
  /** The source node of every entering edge, in `inEdges` order (derived: one read less per step). */
  readonly inSource: Int32Array;
  /** For a graph just built: the position in the input of each edge (edges are renumbered). */
  readonly inputOrder: Int32Array | undefined;
  #index: Map<NodeId, number> | undefined;
  #layout: WalkLayout | undefined;
  readonly #lookup: ((id: NodeId) => number) | undefined;

  /**
   * `derived` lets a builder that has them already hand over what is otherwise computed here (see
   * graph/live-structure): `lookup` answers {@link indexOf} instead of a table of all ids built on first
   * use, and `inSource` must be what the constructor would compute.
   */
  constructor(
    arrays: CsrArrays,
    inputOrder?: Int32Array,
    derived: { lookup?: (id: NodeId) => number; inSource?: Int32Array } = {},
  ) {
    this.arrays = arrays;
    this.inputOrder = inputOrder;
    this.#lookup = derived.lookup;
    const { inEdges, edgeSource } = arrays;
    if (derived.inSource) this.inSource = derived.inSource;
    else {
      this.inSource = new Int32Array(inEdges.length);
      for (let i = 0; i < inEdges.length; i++) this.inSource[i] = edgeSource[inEdges[i]!]!;
    }
  }

  /**
   * Builds the arrays from nodes and edges. Nodes with a repeated id are kept once (type nodes are shared);
   * edges whose ends are not nodes are dropped; with `dedupe`, so are repeats of an edge (same ends, kind
   * and range: two files can prove the same edge), the first kept.
   */
  static build(
    nodes: Iterable<AsgNode>,
    edges: Iterable<AsgEdge>,
    options: { dedupe?: boolean } = {},
  ): CsrGraph {
    const ids: NodeId[] = [];
    const names: string[] = [];
    const files: string[] = [];
    const fileIndex = new Map<string, number>();
    const kinds: number[] = [];
    const nodeFiles: number[] = [];
    const index = new Map<NodeId, number>();
    for (const node of nodes) {
      if (index.has(node.id)) continue;
      index.set(node.id, ids.length);
      ids.push(node.id);
      names.push(node.name);
      kinds.push(NODE_KIND_CODE.get(node.kind) ?? 0);
      let file = -1;
      if (node.path !== '') {
        file = fileIndex.get(node.path) ?? -1;
        if (file < 0) {
          file = files.length;
          fileIndex.set(node.path, file);
          files.push(node.path);
        }
      }
      nodeFiles.push(file);
    }
    const input = new EdgeColumns(Array.isArray(edges) ? (edges as AsgEdge[]).length : 1024);
    for (const edge of edges) {
      const s = index.get(edge.source);
      const t = index.get(edge.target);
      if (s === undefined || t === undefined) continue;
      input.push(s, t, edge);
    }
    // Renumber the edges in row order (by source, then kind), dropping repeats when asked.
    const [rowStart, rowOrder] = compressedRows(
      ids.length,
      input.source.subarray(0, input.length),
      input.kind.subarray(0, input.length),
    );
    const order = options.dedupe ? withoutRepeats(rowStart, rowOrder, input) : rowOrder;
    const m = order.length;
    const edgeSource = new Int32Array(m);
    const edgeTarget = new Int32Array(m);
    const edgeKind = new Uint8Array(m);
    const edgeFlags = new Uint8Array(m);
    const edgeConfidence = new Float32Array(m);
    const edgeRange = new Int32Array(4 * m);
    const edgeSlot = new Int32Array(m);
    const sortedMeta: CsrArrays['edgeMeta'] = {};
    const outStart = new Int32Array(ids.length + 1);
    for (let e = 0; e < m; e++) {
      const from = order[e]!;
      edgeSource[e] = input.source[from]!;
      outStart[edgeSource[e]! + 1]!++;
      edgeTarget[e] = input.target[from]!;
      edgeKind[e] = input.kind[from]!;
      edgeFlags[e] = input.flags[from]!;
      edgeConfidence[e] = input.confidence[from]!;
      edgeSlot[e] = input.slot[from]!;
      for (let k = 0; k < 4; k++) edgeRange[4 * e + k] = input.range[4 * from + k]!;
      const meta = input.meta.get(from);
      if (meta) sortedMeta[String(e)] = meta;
    }
    for (let i = 0; i < ids.length; i++) outStart[i + 1]! += outStart[i]!;
    const [inStart, inEdges] = compressedRows(ids.length, edgeTarget, edgeKind);
    return new CsrGraph(
      {
        ids,
        names,
        files,
        nodeKind: Uint8Array.from(kinds),
        nodeFile: Int32Array.from(nodeFiles),
        edgeSource,
        edgeTarget,
        edgeKind,
        edgeFlags,
        edgeConfidence,
        edgeRange,
        edgeSlot,
        edgeMeta: sortedMeta,
        outStart,
        inStart,
        inEdges,
      },
      order,
    );
  }

  get nodeCount(): number {
    return this.arrays.ids.length;
  }

  get edgeCount(): number {
    return this.arrays.edgeSource.length;
  }

  /** The integer index of a node id, or -1. (The lookup table is built on first use.) */
  indexOf(id: NodeId): number {
    if (this.#lookup) return this.#lookup(id);
    if (!this.#index) {
      this.#index = new Map();
      const ids = this.arrays.ids;
      for (let i = 0; i < ids.length; i++) this.#index.set(ids[i]!, i);
    }
    return this.#index.get(id) ?? -1;
  }

  kindOf(node: number): NodeKind {
    return NODE_KINDS[this.arrays.nodeKind[node]!]!;
  }

  pathOf(node: number): string {
    const file = this.arrays.nodeFile[node]!;
    return file < 0 ? '' : this.arrays.files[file]!;
  }

  /** The edge at an index, as an object. */
  edge(e: number): AsgEdge {
    const a = this.arrays;
    const flags = a.edgeFlags[e]!;
    const edge: AsgEdge = {
      source: a.ids[a.edgeSource[e]!]!,
      target: a.ids[a.edgeTarget[e]!]!,
      kind: EDGE_KINDS[a.edgeKind[e]!]!,
    };
    if (flags & EDGE_AMBIGUOUS) {
      edge.ambiguous = true;
      edge.confidence = a.edgeConfidence[e]!;
    } else if (a.edgeConfidence[e] !== 1) edge.confidence = a.edgeConfidence[e]!;
    if (flags & EDGE_HAS_RANGE) {
      const r = a.edgeRange;
      const range: Range = {
        start: { line: r[4 * e]!, character: r[4 * e + 1]! },
        end: { line: r[4 * e + 2]!, character: r[4 * e + 3]! },
      };
      edge.range = range;
    }
    if (flags & EDGE_HAS_INDEX) edge.meta = { index: a.edgeSlot[e]! };
    else if (flags & EDGE_HAS_ARGUMENT) edge.meta = { argument: a.edgeSlot[e]! };
    else {
      const meta = a.edgeMeta[String(e)];
      if (meta) edge.meta = meta;
    }
    return edge;
  }

  /** Edges leaving a node (optionally of one kind), as objects. */
  outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    return this.outgoingEdges(this.indexOf(id), kind).map((e) => this.edge(e));
  }

  /** Edges entering a node (optionally of one kind), as objects. */
  incoming(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    return this.incomingEdges(this.indexOf(id), kind).map((e) => this.edge(e));
  }

  /** Indexes of the edges leaving node `node` (optionally of one kind). */
  outgoingEdges(node: number, kind?: EdgeKind): number[] {
    if (node < 0) return [];
    const code = kind === undefined ? -1 : EDGE_KIND_CODE.get(kind)!;
    const { outStart, edgeKind } = this.arrays;
    const found: number[] = [];
    for (let e = outStart[node]!; e < outStart[node + 1]!; e++)
      if (code < 0 || edgeKind[e] === code) found.push(e);
    return found;
  }

  /** Indexes of the edges entering node `node` (optionally of one kind). */
  incomingEdges(node: number, kind?: EdgeKind): number[] {
    if (node < 0) return [];
    const code = kind === undefined ? -1 : EDGE_KIND_CODE.get(kind)!;
    const { inStart, inEdges, edgeKind } = this.arrays;
    const found: number[] = [];
    for (let i = inStart[node]!; i < inStart[node + 1]!; i++) {
      const e = inEdges[i]!;
      if (code < 0 || edgeKind[e] === code) found.push(e);
    }
    return found;
  }

  /**
   * The graph's walk layout (see {@link WalkLayout}), derived on first use and kept: it takes about as long
   * as three traversals of the rows, and 4 bytes per edge end and 12 per node.
   */
  walkLayout(): WalkLayout {
    this.#layout ??= deriveWalkLayout(this.arrays, this.inSource);
    return this.#layout;
  }

  /**
   * A breadth-first traversal of the whole graph: a walk from every node not yet reached, in index order,
   * along edges out and in (only out when `directed`), neighbours in row order (edges out, then in). Returns
   * the visit order (node indexes) and the number of walks started. Both ways, it runs on the
   * {@link walkLayout}, derived on first use; along edges out only, on the rows (the layout, made for walks
   * both ways, is slower there).
   */
  traverseAll(options: { directed?: boolean } = {}): { order: Int32Array; walks: number } {
    if (options.directed) return traverseRows(this.arrays, this.inSource, true);
    const { position, node, adjStart, adj } = this.walkLayout();
    const n = this.nodeCount;
    // A bitset of the positions reached: 8 times smaller than a byte per node, so it stays in cache.
    const seen = new Int32Array((n >> 5) + 1);
    const queue = new Int32Array(n);
    let tail = 0;
    let walks = 0;
    for (let index = 0; index < n; index++) {
      const start = position[index]!;
      if ((seen[start >> 5]! & (1 << (start & 31))) !== 0) continue;
      walks++;
      let head = tail;
      queue[tail++] = start;
      seen[start >> 5]! |= 1 << (start & 31);
      while (head < tail) {
        const p = queue[head++]!;
        for (let e = adjStart[p]!, end = adjStart[p + 1]!; e < end; e++) {
          const other = adj[e]!;
          const bit = 1 << (other & 31);
          if ((seen[other >> 5]! & bit) === 0) {
            seen[other >> 5]! |= bit;
            queue[tail++] = other;
          }
        }
      }
    }
    // Back from positions to node indexes.
    for (let i = 0; i < n; i++) queue[i] = node[queue[i]!]!;
    return { order: queue, walks };
  }

  /**
   * Breadth-first order of the nodes reachable from `start` along edges in both directions (the whole
   * component when unbounded), neighbours in row order. Both ways, it runs on the {@link walkLayout} when
   * that has been derived, on the rows otherwise (one walk does not pay for the layout); the order is the
   * same.
   */
  breadthFirst(start: number, options: { directed?: boolean; maxNodes?: number } = {}): Int32Array {
    const n = this.nodeCount;
    const queue = new Int32Array(Math.min(n, options.maxNodes ?? n));
    if (n === 0 || start < 0 || start >= n) return queue.subarray(0, 0);
    const layout = options.directed ? undefined : this.#layout;
    if (!layout) return walkRows(this.arrays, this.inSource, start, options.directed === true, queue);
    const order = walkLayout(layout, layout.position[start]!, queue);
    for (let i = 0; i < order.length; i++) order[i] = layout.node[order[i]!]!;
    return order;
  }
}

/**
 * A derived, in-memory layout of a graph for walks both ways (nothing of it is saved; node indexes are
 * unchanged). The nodes get positions in the order of a breadth-first traversal of the whole graph
 * (Cuthill–McKee order), and the node at each position one row of its neighbours' positions: the targets
 * of its edges out, then the sources of its edges in, in row order. A walk step then reads one contiguous
 * row instead of two rows of two edge arrays, and the nodes a walk reaches next lie close to those it
 * reached last, so that rows, queue and bitset are read almost in order instead of at random.
 */
export interface WalkLayout {
  /** The position of every node index. */
  readonly position: Int32Array;
  /** The node index at every position. */
  readonly node: Int32Array;
  /** The neighbours of the node at position p are `adj[adjStart[p] .. adjStart[p + 1]]` (positions). */
  readonly adjStart: Int32Array;
  readonly adj: Int32Array;
}

function deriveWalkLayout(arrays: CsrArrays, inSource: Int32Array): WalkLayout {
  const { outStart, inStart, edgeTarget } = arrays;
  const n = outStart.length - 1;
  const node = traverseRows(arrays, inSource, false).order;
  const position = new Int32Array(n);
  for (let p = 0; p < n; p++) position[node[p]!] = p;
  const adjStart = new Int32Array(n + 1);
  const adj = new Int32Array(edgeTarget.length + inSource.length);
  let k = 0;
  for (let p = 0; p < n; p++) {
    const v = node[p]!;
    adjStart[p] = k;
    for (let e = outStart[v]!, end = outStart[v + 1]!; e < end; e++) adj[k++] = position[edgeTarget[e]!]!;
    for (let i = inStart[v]!, end = inStart[v + 1]!; i < end; i++) adj[k++] = position[inSource[i]!]!;
  }
  adjStart[n] = k;
  return { position, node, adjStart, adj };
}

/** {@link CsrGraph.traverseAll} on the rows: edges out through `edgeTarget`, edges in through `inSource`. */
function traverseRows(
  arrays: CsrArrays,
  inSource: Int32Array,
  directed: boolean,
): { order: Int32Array; walks: number } {
  const { outStart, inStart, edgeTarget } = arrays;
  const n = outStart.length - 1;
  const seen = new Int32Array((n >> 5) + 1);
  const queue = new Int32Array(n);
  let tail = 0;
  let walks = 0;
  for (let start = 0; start < n; start++) {
    if ((seen[start >> 5]! & (1 << (start & 31))) !== 0) continue;
    walks++;
    let head = tail;
    queue[tail++] = start;
    seen[start >> 5]! |= 1 << (start & 31);
    while (head < tail) {
      const node = queue[head++]!;
      for (let e = outStart[node]!, end = outStart[node + 1]!; e < end; e++) {
        const other = edgeTarget[e]!;
        const bit = 1 << (other & 31);
        if ((seen[other >> 5]! & bit) === 0) {
          seen[other >> 5]! |= bit;
          queue[tail++] = other;
        }
      }
      if (directed) continue;
      for (let i = inStart[node]!, end = inStart[node + 1]!; i < end; i++) {
        const other = inSource[i]!;
        const bit = 1 << (other & 31);
        if ((seen[other >> 5]! & bit) === 0) {
          seen[other >> 5]! |= bit;
          queue[tail++] = other;
        }
      }
    }
  }
  return { order: queue, walks };
}

/** A breadth-first walk on the layout from position `start` into `queue` (which bounds it): its positions. */
function walkLayout(layout: WalkLayout, start: number, queue: Int32Array): Int32Array {
  const { adjStart, adj } = layout;
  const seen = new Uint8Array(adjStart.length - 1);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  seen[start] = 1;
  while (head < tail) {
    const p = queue[head++]!;
    for (let e = adjStart[p]!, end = adjStart[p + 1]!; e < end; e++) {
      const other = adj[e]!;
      if (seen[other] === 0) {
        seen[other] = 1;
        if (tail === queue.length) return queue;
        queue[tail++] = other;
      }
    }
  }
  return queue.subarray(0, tail);
}

/**
 * A breadth-first walk on the rows (edges out, then the sources of edges in unless `directed`) from `start`
 * into `queue` (which bounds it): its node indexes.
 */
function walkRows(
  arrays: CsrArrays,
  inSource: Int32Array,
  start: number,
  directed: boolean,
  queue: Int32Array,
): Int32Array {
  const { outStart, inStart, edgeTarget } = arrays;
  const seen = new Uint8Array(outStart.length - 1);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  seen[start] = 1;
  while (head < tail) {
    const node = queue[head++]!;
    for (let e = outStart[node]!, end = outStart[node + 1]!; e < end; e++) {
      const other = edgeTarget[e]!;
      if (seen[other] === 0) {
        seen[other] = 1;
        if (tail === queue.length) return queue;
        queue[tail++] = other;
      }
    }
    if (directed) continue;
    for (let i = inStart[node]!, end = inStart[node + 1]!; i < end; i++) {
      const other = inSource[i]!;
      if (seen[other] === 0) {
        seen[other] = 1;
        if (tail === queue.length) return queue;
        queue[tail++] = other;
      }
    }
  }
  return queue.subarray(0, tail);
}

/**
 * Offsets and edge indexes of compressed sparse rows: the edges of row i are
 * `edges[start[i] .. start[i + 1]]`, ordered by kind, then by edge index.
 */
function compressedRows(
  rowCount: number,
  rowOfEdge: Int32Array,
  kindOfEdge: Uint8Array,
): [Int32Array, Int32Array] {
  const start = new Int32Array(rowCount + 1);
  for (const row of rowOfEdge) start[row + 1]!++;
  for (let i = 0; i < rowCount; i++) start[i + 1]! += start[i]!;
  const edges = new Int32Array(rowOfEdge.length);
  // A counting sort by kind first, then a stable placement by row, keeps each row ordered by kind.
  const byKind = new Int32Array(rowOfEdge.length);
  const kindStart = new Int32Array(EDGE_KINDS.length + 1);
  for (const kind of kindOfEdge) kindStart[kind + 1]!++;
  for (let k = 0; k < EDGE_KINDS.length; k++) kindStart[k + 1]! += kindStart[k]!;
  for (let e = 0; e < kindOfEdge.length; e++) byKind[kindStart[kindOfEdge[e]!]!++] = e;
  const next = start.slice(0, rowCount);
  for (const e of byKind) edges[next[rowOfEdge[e]!]!++] = e;
  return [start, edges];
}

/** Edges as growable columns, while building (node ends by number, the other facts encoded as saved). */
export class EdgeColumns {
  length = 0;
  source: Int32Array;
  target: Int32Array;
  kind: Uint8Array;
  flags: Uint8Array;
  confidence: Float32Array;
  slot: Int32Array;
  range: Int32Array;
  readonly meta = new Map<number, Record<string, string | number | boolean>>();

  constructor(capacity: number) {
    const n = Math.max(capacity, 16);
    this.source = new Int32Array(n);
    this.target = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.confidence = new Float32Array(n);
    this.slot = new Int32Array(n);
    this.range = new Int32Array(4 * n);
  }

  push(source: number, target: number, edge: AsgEdge): void {
    if (this.length === this.source.length) this.#grow();
    const e = this.length++;
    this.source[e] = source;
    this.target[e] = target;
    this.kind[e] = EDGE_KIND_CODE.get(edge.kind) ?? 0;
    let flags = edge.ambiguous ? EDGE_AMBIGUOUS : 0;
    this.confidence[e] = edge.confidence ?? 1;
    const r = edge.range;
    if (r) {
      flags |= EDGE_HAS_RANGE;
      this.range[4 * e] = r.start.line;
      this.range[4 * e + 1] = r.start.character;
      this.range[4 * e + 2] = r.end.line;
      this.range[4 * e + 3] = r.end.character;
    }
    const meta = edge.meta;
    if (meta) {
      const keys = Object.keys(meta);
      const only = keys.length === 1 ? keys[0] : undefined;
      const value = only === undefined ? undefined : meta[only];
      if (only === 'index' && typeof value === 'number' && Number.isInteger(value)) {
        flags |= EDGE_HAS_INDEX;
        this.slot[e] = value;
      } else if (only === 'argument' && typeof value === 'number' && Number.isInteger(value)) {
        flags |= EDGE_HAS_ARGUMENT;
        this.slot[e] = value;
      } else this.meta.set(e, meta);
    }
    this.flags[e] = flags;
  }

  /** Appends edge `e` of other columns with the given ends. */
  copy(from: EdgeColumns, e: number, source: number, target: number): void {
    if (this.length === this.source.length) this.#grow();
    const i = this.length++;
    this.source[i] = source;
    this.target[i] = target;
    this.kind[i] = from.kind[e]!;
    this.flags[i] = from.flags[e]!;
    this.confidence[i] = from.confidence[e]!;
    this.slot[i] = from.slot[e]!;
    for (let k = 0; k < 4; k++) this.range[4 * i + k] = from.range[4 * e + k]!;
    const meta = from.meta.get(e);
    if (meta) this.meta.set(i, meta);
  }

  /** Whether two edges are the same relation (same ends, kind and range). */
  same(a: number, b: number): boolean {
    if (this.target[a] !== this.target[b] || this.kind[a] !== this.kind[b]) return false;
    if ((this.flags[a]! & EDGE_HAS_RANGE) !== (this.flags[b]! & EDGE_HAS_RANGE)) return false;
    return this.range[4 * a] === this.range[4 * b] && this.range[4 * a + 1] === this.range[4 * b + 1];
  }

  #grow(): void {
    const n = this.source.length * 2;
    const grow = <T extends Int32Array | Uint8Array | Float32Array>(old: T, size: number): T => {
      const next = new (old.constructor as new (size: number) => T)(size);
      next.set(old);
      return next;
    };
    this.source = grow(this.source, n);
    this.target = grow(this.target, n);
    this.kind = grow(this.kind, n);
    this.flags = grow(this.flags, n);
    this.confidence = grow(this.confidence, n);
    this.slot = grow(this.slot, n);
    this.range = grow(this.range, 4 * n);
  }
}

/**
 * The row order without repeated edges: within a row, an edge equal to an earlier one of the same kind and
 * target (and start of range) is dropped. Rows are short; long ones are checked through a map.
 */
function withoutRepeats(rowStart: Int32Array, rowOrder: Int32Array, input: EdgeColumns): Int32Array {
  const kept = new Int32Array(rowOrder.length);
  let count = 0;
  for (let row = 0; row + 1 < rowStart.length; row++) {
    const start = rowStart[row]!;
    const end = rowStart[row + 1]!;
    const first = count;
    if (end - start > 32) {
      const seen = new Set<string>();
      for (let i = start; i < end; i++) {
        const e = rowOrder[i]!;
        const key = `${input.kind[e]!}:${input.target[e]!}:${input.flags[e]! & EDGE_HAS_RANGE}:${input.range[4 * e]!}:${input.range[4 * e + 1]!}`;
        if (seen.has(key)) continue;
        seen.add(key);
        kept[count++] = e;
      }
      continue;
    }
    outer: for (let i = start; i < end; i++) {
      const e = rowOrder[i]!;
      for (let j = first; j < count; j++) if (input.same(kept[j]!, e)) continue outer;
      kept[count++] = e;
    }
  }
  return kept.slice(0, count);
}
