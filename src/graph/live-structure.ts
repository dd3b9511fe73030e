/**
 * @module graph/live-structure
 * The graph's structure kept up to date file by file, for the live workspace: {@link GraphStructure} holds
 * every file's nodes, local edges and resolved edges already turned into numbers, and hands out immutable
 * {@link CsrGraph} snapshots. A snapshot after a one-file change is the last one with the changed rows
 * written anew: block copies and one pass over the entering rows, instead of the string-id lookups and
 * sorts of a full {@link CsrGraph.build}.
 *
 * How it stays cheap:
 * - Every node id gets a slot number once, in a table that only grows; edges are kept with the slots of
 *   their ends, so a build never looks a string up. A slot is a node while some file lists it; an edge with
 *   an end that is not a node is left out of a snapshot (as a full build drops it) and comes back if the
 *   node does.
 * - Node numbers are stable: a node keeps its number from snapshot to snapshot; a new node takes the number
 *   of one that went, or the next one; when more go than come, the last nodes move into the gaps. The first
 *   snapshot numbers nodes as a full build does (files in path order).
 * - Each file keeps its edges merged into one block, ordered by the position of their source in the file,
 *   then by kind, local edges before resolved ones, repeats left out. A row is written from its node's
 *   block, and rows that did not change since the last snapshot are copied from it, stretch by stretch.
 * - Repeated edges (same ends, kind and range start) can only meet in one row. A row whose edges all come
 *   from the file that lists its node (nearly all) is freed of repeats when the file is set. A row fed by
 *   several files (a type node several files list, an edge a file resolves from another file's node) is
 *   gathered, ordered and freed of repeats while building, and kept until one of those files changes.
 * - A snapshot's `indexOf` reads the shared id → slot table and the snapshot's own slot → index array, so
 *   no snapshot builds a table of all ids. This holds for older snapshots too because the table never
 *   changes a slot's id: new ids get slots past the end of an older snapshot's array. When too many slots
 *   are garbage (ids no file lists or edge names any more), the structure moves to a fresh table; older
 *   snapshots keep the old one, which no longer changes.
 */
import { ERROR_CODES, EngineError } from '../base/index.js';
import { CsrGraph, EDGE_HAS_RANGE, EDGE_KIND_CODE, EdgeColumns, NODE_KIND_CODE } from './csr.js';
import type { CsrArrays } from './csr.js';
import { EDGE_KINDS } from './types.js';
import type { AsgEdge, AsgNode, NodeId } from './types.js';

/** What one file contributes: its nodes (only id, kind, name and path are read), local and resolved edges. */
export interface StructurePart {
  nodes: readonly Pick<AsgNode, 'id' | 'kind' | 'name' | 'path'>[];
  edges: readonly AsgEdge[];
  resolved: readonly AsgEdge[];
}

const KINDS = EDGE_KINDS.length;
/** A node the file gives (the first file that lists it), whose edges all come from the file's block. */
const ROW_OWN = 0;
/** A node the file gives, whose edges come from several files (see `#sharedRow`). */
const ROW_SHARED = 1;
/** A node another file gives. */
const ROW_OTHER = 2;
/** Garbage slots tolerated before moving to a fresh table: this many, and a third of all slots. */
const MIN_GARBAGE = 8192;
/** Rows longer than this are freed of repeats through a set of keys rather than by comparing pairs. */
const SHORT_ROW = 32;
/** Stretches of edges up to this long are copied edge by edge, longer ones as blocks. */
const SHORT_STRETCH = 16;

/** Ids by slot, and slots by id. Only grows: a slot never changes its id (snapshots rely on it). */
interface SlotTable {
  readonly map: Map<NodeId, number>;
  readonly ids: NodeId[];
}

interface FileEntry {
  readonly path: string;
  /** The slots of the file's nodes, each once, in the order first listed. */
  slots: Int32Array;
  /** What a build does with each of them: see {@link ROW_OWN}. */
  rows: Uint8Array;
  ids: NodeId[];
  kinds: Uint8Array;
  names: string[];
  /** Interned node paths (-1 for `''`). */
  paths: Int32Array;
  local: EdgePart;
  resolved: EdgePart;
  block: EdgeBlock;
}

/**
 * One file's local or resolved edges, ends as slots, sorted by the position of the source in the file's
 * slots, then by kind, then as given. Edges whose source the file does not list come last ("strays").
 */
interface EdgePart {
  readonly file: FileEntry;
  /** 0: local edges, 1: resolved edges (all local edges come first in a full build). */
  readonly phase: 0 | 1;
  readonly columns: EdgeColumns;
  readonly count: number;
  /** The position of each edge in the list given. */
  readonly position: Int32Array;
  /** Edges from the node at slot position p: `runStart[p] .. runStart[p + 1]`; strays from `runStart[P]`. */
  readonly runStart: Int32Array;
  /** Whether each edge is the first of its repeats in its row within the file. */
  readonly representative: Uint8Array;
  readonly kindCount: Int32Array;
  /** Whether the part is still a file's (parts are replaced whole). */
  alive: boolean;
}

/**
 * A file's edges from its own nodes as a build copies them: both parts merged row by row (by kind, local
 * first), without repeats. Row p is `runStart[p] .. runStart[p + 1]`.
 */
interface EdgeBlock {
  readonly columns: EdgeColumns;
  readonly runStart: Int32Array;
  /** For ordering rows that several files feed: each edge's part and position there. */
  readonly phase: Uint8Array;
  readonly position: Int32Array;
}

interface Claim {
  file: FileEntry;
  /** The node's position in the file's slots. */
  pos: number;
}

/** An edge of a shared row: where its facts are, and what orders it (kind, phase, path, position). */
interface RowEdge {
  columns: EdgeColumns;
  e: number;
  phase: number;
  path: string;
  position: number;
}

const NO_PART = undefined as unknown as EdgePart;
const EMPTY_BLOCK: EdgeBlock = {
  columns: new EdgeColumns(0),
  runStart: new Int32Array(1),
  phase: new Uint8Array(0),
  position: new Int32Array(0),
};

/**
 * Every file's share of the graph, updated by file, and immutable snapshots of the whole. A snapshot holds
 * what `CsrGraph.build(nodes of every file in path order, local edges of every file in path order then
 * resolved edges in path order, { dedupe: true })` holds: the same nodes, the same edges with the same
 * facts, the same representative of repeated edges, each row ordered by kind then input order. The first
 * snapshot numbers nodes as that build does; later ones keep the numbers of nodes that stay (see the module
 * comment). Start empty and {@link setFile} each file: filling costs a few full builds, and each update
 * after that about the size of what changed, plus block copies of the rest.
 */
export class GraphStructure {
  #table: SlotTable = { map: new Map(), ids: [] };
  /** Per slot: how many files list the node. */
  #claims: Int32Array = new Int32Array(1024);
  /** Per slot: claims plus the edge ends naming it; a slot at zero is garbage. */
  #refs: Int32Array = new Int32Array(1024);
  /** Per slot: edges from the node that files not listing it hold. */
  #strayCount: Int32Array = new Int32Array(1024);
  /** Per slot: the file whose listing counts (the first in path order), and the node's position there. */
  #owner: (FileEntry | undefined)[] = [];
  #ownerPos: Int32Array = new Int32Array(1024);
  /** Per slot: its position in the file being encoded, else -1. */
  #scratch: Int32Array = new Int32Array(1024).fill(-1);
  #garbage = 0;
  /** Per slot listed by several files: all of them. */
  readonly #claimants = new Map<number, Claim[]>();
  /** Per slot: the stray edges from it, by part and position. */
  readonly #strays = new Map<number, { part: EdgePart; e: number }[]>();
  /**
   * Rows that several files feed, as built last (in order, without repeats). A row is dropped from here
   * whenever edges from its node come or go.
   */
  readonly #sharedRows = new Map<number, RowEdge[]>();
  readonly #pathIndex = new Map<string, number>();
  readonly #paths: string[] = [];
  readonly #files = new Map<string, FileEntry>();
  readonly #kindTotal = new Int32Array(KINDS);
  #edgeTotal = 0;
  /** Per slot: the node's number (-1: none); per number: the node's slot; how many nodes are numbered. */
  #indexOf: Int32Array = new Int32Array(1024).fill(-1);
  #nodeAt: Int32Array = new Int32Array(1024);
  #count = 0;
  /** Per slot: how many edges end at it. */
  #targetRefs: Int32Array = new Int32Array(1024);
  /** The last snapshot, and what changed since: slots whose node came, went or changed, rows, new parts. */
  #last: { graph: CsrGraph; nodes: SnapshotNodes } | undefined;
  readonly #nodeChanges = new Set<number>();
  readonly #dirtyRows = new Set<number>();
  readonly #newParts: EdgePart[] = [];
  /** Whether the slots were renumbered since the last snapshot (its slot arrays no longer apply). */
  #compacted = false;
  /** Work arrays of `#deltaBuild`, kept between builds (no snapshot holds them). */
  #edgeTo = new Int32Array(0);
  #dirtyAt = new Uint8Array(0);
  #newToOld = new Int32Array(0);

  /** The number of files set. */
  get fileCount(): number {
    return this.#files.size;
  }

  /** Whether a file is set. */
  has(path: string): boolean {
    return this.#files.has(path);
  }

  /** Sets (adds or replaces) a file's nodes, local edges and resolved edges. */
  setFile(path: string, part: StructurePart): void {
    const nodes = this.#encodeNodes(part.nodes);
    let file = this.#files.get(path);
    if (file) {
      this.#dropPart(file.local);
      this.#dropPart(file.resolved);
      // Most edits keep a file's nodes (same ids, kinds, names): then the nodes of a snapshot stay too.
      if (!sameNodes(file, nodes)) {
        this.#unclaim(file);
        Object.assign(file, nodes);
        this.#claim(file);
      }
    } else {
      file = { path, ...nodes, local: NO_PART, resolved: NO_PART, block: EMPTY_BLOCK };
      this.#files.set(path, file);
      this.#claim(file);
    }
    file.local = this.#addPart(file, 0, part.edges);
    file.resolved = this.#addPart(file, 1, part.resolved);
    this.#mergeBlock(file);
    this.#maybeCompact();
  }

  /** Replaces only a file's resolved edges (its nodes and local edges are unchanged). */
  setResolved(path: string, resolved: readonly AsgEdge[]): void {
    const file = this.#files.get(path);
    if (!file) throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `No file ${path} in the graph structure`);
    this.#dropPart(file.resolved);
    file.resolved = this.#addPart(file, 1, resolved);
    this.#mergeBlock(file);
    this.#maybeCompact();
  }

  /** Removes a file (nothing happens for a file not set). */
  removeFile(path: string): void {
    const file = this.#files.get(path);
    if (!file) return;
    this.#unclaim(file);
    this.#dropPart(file.local);
    this.#dropPart(file.resolved);
    this.#files.delete(path);
    this.#maybeCompact();
  }

  /**
   * An immutable snapshot of the whole graph. Later changes leave it as it is. After the first, a snapshot
   * is made from the last one: rows that did not change are copied and the entering rows renumbered; only
   * changed rows are written edge by edge (see `#deltaBuild`).
   */
  build(): CsrGraph {
    const last = this.#compacted ? undefined : this.#last;
    const change = this.#renumber();
    const nodes = last ? this.#patchNodes(last.nodes, change) : this.#buildNodes();
    const graph = (last && this.#deltaBuild(nodes, last, change)) || this.#fullBuild(nodes);
    this.#last = { graph, nodes };
    this.#nodeChanges.clear();
    this.#dirtyRows.clear();
    this.#newParts.length = 0;
    this.#compacted = false;
    return graph;
  }

  /**
   * Numbers the nodes that came since the last snapshot and closes the gaps of those that went (see the
   * module comment). Returns what moved, in numbers of the last snapshot and of the next.
   */
  #renumber(): Renumbering {
    const indexOf = this.#indexOf;
    const owner = this.#owner;
    const ownerPos = this.#ownerPos;
    const gaps: number[] = [];
    const added: number[] = [];
    const changed: number[] = [];
    for (const s of this.#nodeChanges) {
      const at = indexOf[s]!;
      const live = this.#claims[s]! > 0;
      if (at >= 0 && !live) {
        gaps.push(at);
        indexOf[s] = -1;
      } else if (at < 0 && live) added.push(s);
      else if (at >= 0) changed.push(s);
    }
    // New nodes in file order: the first numbering follows the files, as a full build's does.
    added.sort((a, b) => {
      const fa = owner[a]!;
      const fb = owner[b]!;
      return fa === fb ? ownerPos[a]! - ownerPos[b]! : fa.path < fb.path ? -1 : 1;
    });
    gaps.sort((a, b) => a - b);
    const oldCount = this.#count;
    const count = oldCount - gaps.length + added.length;
    if (count > this.#nodeAt.length) {
      const grown = new Int32Array(Math.max(count, 2 * this.#nodeAt.length));
      grown.set(this.#nodeAt);
      this.#nodeAt = grown;
    }
    const nodeAt = this.#nodeAt;
    const placed: number[] = [];
    let g = 0;
    let next = oldCount;
    for (const s of added) {
      const at = g < gaps.length ? gaps[g++]! : next++;
      nodeAt[at] = s;
      indexOf[s] = at;
      placed.push(at);
    }
    // Gaps left: the last nodes move into them (gaps at the end just go).
    const moved: number[] = [];
    let tail = oldCount - 1;
    let top = gaps.length - 1;
    while (g <= top) {
      if (gaps[top] === tail) {
        top--;
        tail--;
        continue;
      }
      const gap = gaps[g++]!;
      const s = nodeAt[tail]!;
      nodeAt[gap] = s;
      indexOf[s] = gap;
      moved.push(tail, gap);
      tail--;
    }
    this.#count = count;
    return { oldCount, count, gaps, placed, moved, changed };
  }

  /** The node arrays of the last snapshot with the nodes that came, went, moved or changed patched in. */
  #patchNodes(before: SnapshotNodes, change: Renumbering): SnapshotNodes {
    const slotCount = this.#table.ids.length;
    const { count, gaps, placed, moved, changed } = change;
    if (gaps.length + placed.length + moved.length + changed.length === 0) {
      if (before.toIndex.length === slotCount) return before;
      // Ids named only by edges since: not nodes.
      const toIndex = new Int32Array(slotCount).fill(-1);
      toIndex.set(before.toIndex);
      return { ...before, toIndex };
    }
    const keep = Math.min(before.ids.length, count);
    const ids = before.ids.slice(0, keep);
    const names = before.names.slice(0, keep);
    for (let v = keep; v < count; v++) {
      ids.push('');
      names.push('');
    }
    const grow = <T extends Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(count);
      next.set(old.subarray(0, keep));
      return next;
    };
    const nodeKind = grow(before.nodeKind, (n) => new Uint8Array(n));
    const pathOf = grow(before.pathOf, (n) => new Int32Array(n));
    const slotOf = grow(before.slotOf, (n) => new Int32Array(n));
    const toIndex = new Int32Array(slotCount).fill(-1);
    toIndex.set(before.toIndex);
    const pathCount = new Int32Array(this.#paths.length);
    pathCount.set(before.pathCount);
    for (const gap of gaps) {
      toIndex[before.slotOf[gap]!] = -1;
      const path = before.pathOf[gap]!;
      if (path >= 0) pathCount[path]!--;
    }
    const patched: number[] = [];
    const set = (v: number): void => {
      const s = this.#nodeAt[v]!;
      const file = this.#owner[s]!;
      const pos = this.#ownerPos[s]!;
      slotOf[v] = s;
      toIndex[s] = v;
      ids[v] = file.ids[pos]!;
      names[v] = file.names[pos]!;
      nodeKind[v] = file.kinds[pos]!;
      const path = file.paths[pos]!;
      pathOf[v] = path;
      if (path >= 0) pathCount[path]!++;
      patched.push(v);
    };
    for (const v of placed) set(v);
    for (let i = 0; i < moved.length; i += 2) {
      const path = before.pathOf[moved[i]!]!;
      if (path >= 0) pathCount[path]!--;
      set(moved[i + 1]!);
    }
    for (const s of changed) {
      const v = this.#indexOf[s]!;
      if (before.slotOf[v] !== s) continue; // moved: set above
      const path = before.pathOf[v]!;
      if (path >= 0) pathCount[path]!--;
      set(v);
    }
    // Files are listed once each, in order of first node: keep the list while no file came or went.
    let files = before.files;
    let fileOf = before.fileOf;
    let nodeFile: Int32Array;
    let same = true;
    for (let p = 0; p < pathCount.length && same; p++)
      same = pathCount[p]! > 0 === (p < fileOf.length && fileOf[p]! >= 0);
    if (same) {
      nodeFile = grow(before.nodeFile, (n) => new Int32Array(n));
      for (const v of patched) nodeFile[v] = pathOf[v]! < 0 ? -1 : fileOf[pathOf[v]!]!;
    } else {
      ({ files, fileOf, nodeFile } = this.#listFiles(pathOf));
    }
    return { ids, names, files, nodeKind, nodeFile, pathOf, pathCount, fileOf, toIndex, slotOf };
  }

  /** The node arrays for the numbering, made whole. */
  #buildNodes(): SnapshotNodes {
    const n = this.#count;
    const nodeAt = this.#nodeAt;
    const toIndex = new Int32Array(this.#table.ids.length).fill(-1);
    const slotOf = nodeAt.slice(0, n);
    const ids = new Array<NodeId>(n);
    const names = new Array<string>(n);
    const nodeKind = new Uint8Array(n);
    const pathOf = new Int32Array(n);
    const pathCount = new Int32Array(this.#paths.length);
    for (let v = 0; v < n; v++) {
      const s = nodeAt[v]!;
      const file = this.#owner[s]!;
      const pos = this.#ownerPos[s]!;
      toIndex[s] = v;
      ids[v] = file.ids[pos]!;
      names[v] = file.names[pos]!;
      nodeKind[v] = file.kinds[pos]!;
      const path = file.paths[pos]!;
      pathOf[v] = path;
      if (path >= 0) pathCount[path]!++;
    }
    const { files, fileOf, nodeFile } = this.#listFiles(pathOf);
    return { ids, names, files, nodeKind, nodeFile, pathOf, pathCount, fileOf, toIndex, slotOf };
  }

  /** The paths of the nodes, each once in order of first node, and each node's place in that list. */
  #listFiles(pathOf: Int32Array): { files: string[]; fileOf: Int32Array; nodeFile: Int32Array } {
    const files: string[] = [];
    const fileOf = new Int32Array(this.#paths.length).fill(-1);
    const nodeFile = new Int32Array(pathOf.length);
    for (let v = 0; v < pathOf.length; v++) {
      const path = pathOf[v]!;
      let f = -1;
      if (path >= 0) {
        f = fileOf[path]!;
        if (f < 0) {
          f = files.length;
          fileOf[path] = f;
          files.push(this.#paths[path]!);
        }
      }
      nodeFile[v] = f;
    }
    return { files, fileOf, nodeFile };
  }

  /** A snapshot written edge by edge. */
  #fullBuild(nodes: SnapshotNodes): CsrGraph {
    const n = nodes.ids.length;
    const out = new SnapshotWriter(n, this.#edgeTotal, this.#kindTotal, nodes.toIndex, true);
    for (let v = 0; v < n; v++) {
      out.outStart[v] = out.count;
      this.#writeRow(this.#nodeAt[v]!, v, out);
    }
    out.flush();
    return this.#snapshot(nodes, out.finish(nodes), out.inSource!);
  }

  /**
   * A snapshot made from the last one, or undefined where that cannot be done (a node came that edges of
   * unchanged rows name: only a full build finds those edges). Rows are written anew where they may differ:
   * rows of nodes that came or moved, rows whose edges changed, rows with edges to nodes that went or moved.
   * The other rows are copied, stretch by stretch; the entering rows of the last snapshot are kept for the
   * copied edges, renumbered, with the new edges merged in.
   */
  #deltaBuild(
    nodes: SnapshotNodes,
    last: { graph: CsrGraph; nodes: SnapshotNodes },
    change: Renumbering,
  ): CsrGraph | undefined {
    if (this.#revived(change.placed)) return undefined;
    const before = last.graph.arrays;
    const beforeSource = last.graph.inSource;
    const { oldCount, count: n } = change;
    const indexOf = this.#indexOf;
    const lastSlotOf = last.nodes.slotOf;
    if (this.#dirtyAt.length < n) {
      this.#dirtyAt = new Uint8Array(2 * n);
      this.#newToOld = new Int32Array(2 * n);
    }
    // The rows to write anew, listed once each (a byte per row says which are listed).
    const dirty = this.#dirtyAt.fill(0, 0, n);
    const dirtyList: number[] = [];
    const mark = (v: number): void => {
      if (dirty[v] === 1) return;
      dirty[v] = 1;
      dirtyList.push(v);
    };
    for (const s of this.#dirtyRows) if (indexOf[s]! >= 0) mark(indexOf[s]!);
    for (const v of change.placed) mark(v);
    // Rows with edges to nodes that went or moved hold their old numbers.
    const sourcesOf = (old: number): void => {
      for (let j = before.inStart[old]!; j < before.inStart[old + 1]!; j++) {
        const v = indexOf[lastSlotOf[beforeSource[j]!]!]!;
        if (v >= 0) mark(v);
      }
    };
    for (const gap of change.gaps) sourcesOf(gap);
    for (let i = 0; i < change.moved.length; i += 2) {
      sourcesOf(change.moved[i]!);
      mark(change.moved[i + 1]!);
    }
    const rowsToWrite = Int32Array.from(dirtyList).sort();
    const out = new SnapshotWriter(n, this.#edgeTotal, this.#kindTotal, nodes.toIndex, false);
    // Where each copied edge of the last snapshot goes (-1: not copied): the edges before the first row
    // written stay where they were, those of the last stretch copied move by one shift, and the ones between
    // are looked up (only they are tabled: `moveOf`).
    const oldEdges = before.edgeSource.length;
    if (this.#edgeTo.length < oldEdges) this.#edgeTo = new Int32Array(2 * oldEdges);
    const edgeTo = this.#edgeTo;
    const stretches: number[] = [];
    const fresh: number[] = [];
    let k = 0;
    for (let v = 0; v < n; ) {
      while (k < rowsToWrite.length && rowsToWrite[k]! < v) k++;
      const next = Math.min(k < rowsToWrite.length ? rowsToWrite[k]! : n, oldCount);
      if (next <= v) {
        out.outStart[v] = out.count;
        const from = out.count;
        this.#writeRow(this.#nodeAt[v]!, v, out);
        for (let e = from; e < out.count; e++) fresh.push(e);
        v++;
        continue;
      }
      const start = before.outStart[v]!;
      const end = before.outStart[next]!;
      stretches.push(start, end, out.count - start);
      out.copyRows(before, v, next - v);
      v = next;
    }
    out.flush();
    const m = out.count;
    let first = 0;
    let lastStretch = stretches.length;
    const low = stretches.length > 0 && stretches[0] === 0 && stretches[2] === 0 ? stretches[1]! : 0;
    if (low > 0) first = 3;
    let high = oldEdges;
    let highShift = 0;
    if (lastStretch > first && stretches[lastStretch - 2] === oldEdges) {
      high = stretches[lastStretch - 3]!;
      highShift = stretches[lastStretch - 1]!;
      lastStretch -= 3;
    }
    edgeTo.fill(-1, low, high);
    for (let i = first; i < lastStretch; i += 3) {
      const shift = stretches[i + 2]!;
      for (let e = stretches[i]!, end = stretches[i + 1]!; e < end; e++) edgeTo[e] = e + shift;
    }
    const moveOf = (e: number): number => (e < low ? e : e >= high ? e + highShift : edgeTo[e]!);
    for (const key of Object.keys(before.edgeMeta)) {
      const e = moveOf(Number(key));
      if (e >= 0) out.meta[String(e)] = before.edgeMeta[key]!;
    }
    // Entering rows: the last snapshot's entries of copied edges (whose sources kept their numbers),
    // renumbered, merged with the new edges by kind, then edge number.
    const { target, kind, source } = out;
    sortFresh(fresh, target, kind);
    const newToOld = this.#newToOld;
    for (let t = 0; t < n; t++) newToOld[t] = t < oldCount ? t : -1;
    for (const v of change.placed) newToOld[v] = -1;
    for (let i = 0; i < change.moved.length; i += 2) newToOld[change.moved[i + 1]!] = change.moved[i]!;
    const inStart = new Int32Array(n + 1);
    const inEdges = new Int32Array(m);
    const inSource = new Int32Array(m);
    const { inStart: oldStart, inEdges: oldIn } = before;
    let w = 0;
    let next = 0;
    for (let t = 0; t < n; t++) {
      inStart[t] = w;
      const i = newToOld[t]!;
      let j = i < 0 ? 0 : oldStart[i]!;
      const jEnd = i < 0 ? 0 : oldStart[i + 1]!;
      if (next >= fresh.length || target[fresh[next]!] !== t) {
        for (; j < jEnd; j++) {
          const e = moveOf(oldIn[j]!);
          if (e < 0) continue;
          inEdges[w] = e;
          inSource[w++] = beforeSource[j]!;
        }
        continue;
      }
      for (;;) {
        while (j < jEnd && moveOf(oldIn[j]!) < 0) j++;
        const e = j < jEnd ? moveOf(oldIn[j]!) : -1;
        const f = next < fresh.length && target[fresh[next]!] === t ? fresh[next]! : -1;
        if (e < 0 && f < 0) break;
        if (f < 0 || (e >= 0 && (kind[e]! < kind[f]! || (kind[e] === kind[f] && e < f)))) {
          inEdges[w] = e;
          inSource[w++] = beforeSource[j++]!;
        } else {
          inEdges[w] = f;
          inSource[w++] = source[f]!;
          next++;
        }
      }
    }
    inStart[n] = w;
    return this.#snapshot(nodes, out.finish(nodes, { inStart, inEdges, inSource }), inSource);
  }

  /**
   * Whether a node that came since the last snapshot is the end of edges in parts older than that snapshot
   * (their rows are copied, and would miss those edges).
   */
  #revived(placed: readonly number[]): boolean {
    let fresh: Map<number, number> | undefined;
    for (const v of placed) {
      const s = this.#nodeAt[v]!;
      if (this.#targetRefs[s] === 0) continue;
      (fresh ??= new Map()).set(s, this.#targetRefs[s]!);
    }
    if (!fresh) return false;
    for (const part of this.#newParts) {
      if (!part.alive) continue;
      const { target } = part.columns;
      for (let e = 0; e < part.count; e++) {
        const refs = fresh.get(target[e]!);
        if (refs !== undefined) fresh.set(target[e]!, refs - 1);
      }
    }
    for (const refs of fresh.values()) if (refs > 0) return true;
    return false;
  }

  /** Writes the row of the node at slot s, numbered v, edge by edge. */
  #writeRow(s: number, v: number, out: SnapshotWriter): void {
    const file = this.#owner[s]!;
    const pos = this.#ownerPos[s]!;
    if (file.rows[pos] !== ROW_OWN) {
      out.flush();
      this.#sharedRow(s, v, out);
      return;
    }
    const { block } = file;
    const blockTarget = block.columns.target;
    const blockKind = block.columns.kind;
    const { source, target, inCount, byKind, kindNext, toIndex } = out;
    const countIn = out.countIn;
    const start = block.runStart[pos]!;
    const end = block.runStart[pos + 1]!;
    out.continueAt(block.columns, start);
    let m = out.count;
    for (let e = start; e < end; e++) {
      const t = toIndex[blockTarget[e]!]!;
      if (t < 0) {
        out.count = m;
        out.continueAt(block.columns, e + 1);
        continue;
      }
      source[m] = v;
      target[m] = t;
      if (countIn) {
        inCount[t + 1]!++;
        byKind[kindNext[blockKind[e]!]!++] = m;
      }
      m++;
    }
    out.count = m;
  }

  #snapshot(nodes: SnapshotNodes, arrays: CsrArrays, inSource: Int32Array): CsrGraph {
    const map = this.#table.map;
    const { toIndex } = nodes;
    return new CsrGraph(arrays, undefined, {
      inSource,
      lookup: (id) => {
        // Ids added after this snapshot have slots past its array; the table never gives a slot another id.
        const s = map.get(id);
        return s === undefined || s >= toIndex.length ? -1 : toIndex[s]!;
      },
    });
  }

  /** A row that several files feed: every edge from the node, in full-build order, repeats left out. */
  #sharedRow(s: number, v: number, out: SnapshotWriter): void {
    let row = this.#sharedRows.get(s);
    if (!row) {
      row = this.#gatherRow(s);
      this.#sharedRows.set(s, row);
    }
    for (const edge of row) out.emit(edge.columns, edge.e, v);
  }

  #gatherRow(s: number): RowEdge[] {
    const row: RowEdge[] = [];
    const claims =
      this.#claims[s]! > 1 ? this.#claimants.get(s)! : [{ file: this.#owner[s]!, pos: this.#ownerPos[s]! }];
    // A file's block holds each of its rows without the repeats within the file: the first of those
    // comes first in the row too (same kind; earlier phase or position), so the rest would be dropped.
    for (const { file, pos } of claims) {
      const { columns, runStart, phase, position } = file.block;
      for (let e = runStart[pos]!, end = runStart[pos + 1]!; e < end; e++)
        row.push({ columns, e, phase: phase[e]!, path: file.path, position: position[e]! });
    }
    for (const { part, e } of this.#strays.get(s) ?? [])
      row.push({
        columns: part.columns,
        e,
        phase: part.phase,
        path: part.file.path,
        position: part.position[e]!,
      });
    row.sort(
      (a, b) =>
        a.columns.kind[a.e]! - b.columns.kind[b.e]! ||
        a.phase - b.phase ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
        a.position - b.position,
    );
    const kept: RowEdge[] = [];
    const seen = row.length > SHORT_ROW ? new Set<string>() : undefined;
    outer: for (const edge of row) {
      if (seen) {
        const key = rowKey(edge.columns, edge.e);
        if (seen.has(key)) continue;
        seen.add(key);
      } else {
        for (const other of kept) if (sameEdge(other.columns, other.e, edge.columns, edge.e)) continue outer;
      }
      kept.push(edge);
    }
    return kept;
  }

  /** Marks the rows a part's edges are in (they are coming or going), and forgets them if shared. */
  #touchRows(part: EdgePart): void {
    const rows = this.#sharedRows;
    const { runStart } = part;
    const strayRun = runStart.length - 2;
    const slots = part.file.slots;
    for (let p = 0; p < strayRun; p++) {
      if (runStart[p] === runStart[p + 1]) continue;
      this.#dirtyRows.add(slots[p]!);
      if (rows.size > 0) rows.delete(slots[p]!);
    }
    const { source } = part.columns;
    for (let e = runStart[strayRun]!; e < part.count; e++) {
      this.#dirtyRows.add(source[e]!);
      rows.delete(source[e]!);
    }
  }

  /** The slot of an id, made when new. */
  #slotOf(id: NodeId): number {
    const table = this.#table;
    let s = table.map.get(id);
    if (s !== undefined) return s;
    s = table.ids.length;
    table.map.set(id, s);
    table.ids.push(id);
    if (s === this.#claims.length) this.#growSlots(2 * s);
    this.#owner.push(undefined);
    this.#garbage++; // no reference yet: the caller adds one
    return s;
  }

  #growSlots(size: number): void {
    const grow = (old: Int32Array, fill = 0): Int32Array => {
      const next = new Int32Array(size);
      if (fill !== 0) next.fill(fill, old.length);
      next.set(old);
      return next;
    };
    this.#claims = grow(this.#claims);
    this.#refs = grow(this.#refs);
    this.#strayCount = grow(this.#strayCount);
    this.#ownerPos = grow(this.#ownerPos);
    this.#scratch = grow(this.#scratch, -1);
    this.#indexOf = grow(this.#indexOf, -1);
    this.#targetRefs = grow(this.#targetRefs);
  }

  #reference(s: number): void {
    if (this.#refs[s]!++ === 0) this.#garbage--;
  }

  #release(s: number): void {
    const refs = --this.#refs[s]!;
    if (refs === 0) this.#garbage++;
  }

  #internPath(path: string): number {
    if (path === '') return -1;
    let p = this.#pathIndex.get(path);
    if (p === undefined) {
      p = this.#paths.length;
      this.#pathIndex.set(path, p);
      this.#paths.push(path);
    }
    return p;
  }

  #encodeNodes(
    nodes: StructurePart['nodes'],
  ): Pick<FileEntry, 'slots' | 'rows' | 'ids' | 'kinds' | 'names' | 'paths'> {
    const slots: number[] = [];
    const kinds: number[] = [];
    const names: string[] = [];
    const paths: number[] = [];
    // A file may list an id twice: its first listing is the one a full build keeps.
    const seen = new Set<number>();
    for (const node of nodes) {
      const s = this.#slotOf(node.id);
      if (seen.has(s)) continue;
      seen.add(s);
      slots.push(s);
      kinds.push(NODE_KIND_CODE.get(node.kind) ?? 0);
      names.push(node.name);
      paths.push(this.#internPath(node.path));
    }
    return {
      slots: Int32Array.from(slots),
      rows: new Uint8Array(slots.length),
      ids: slots.map((s) => this.#table.ids[s]!),
      kinds: Uint8Array.from(kinds),
      names,
      paths: Int32Array.from(paths),
    };
  }

  /** Counts the file's listings of its nodes; the first file in path order that lists a node gives its facts. */
  #claim(file: FileEntry): void {
    const { slots } = file;
    for (let pos = 0; pos < slots.length; pos++) {
      const s = slots[pos]!;
      this.#reference(s);
      const count = this.#claims[s]!++;
      if (count === 0) {
        this.#owner[s] = file;
        this.#ownerPos[s] = pos;
        this.#nodeChanges.add(s);
        continue;
      }
      let all = this.#claimants.get(s);
      if (!all) {
        all = [{ file: this.#owner[s]!, pos: this.#ownerPos[s]! }];
        this.#claimants.set(s, all);
      }
      all.push({ file, pos });
      if (file.path < this.#owner[s]!.path) {
        this.#owner[s] = file;
        this.#ownerPos[s] = pos;
        this.#nodeChanges.add(s);
        this.#dirtyRows.add(s);
      }
    }
    for (const s of slots) this.#refreshRows(s);
  }

  /** Tells the files that list a node what a build does with it (after its listings or strays changed). */
  #refreshRows(s: number): void {
    const owner = this.#owner[s];
    if (!owner) return;
    const pos = this.#ownerPos[s]!;
    const before = owner.rows[pos];
    if (this.#claims[s]! > 1) {
      for (const claim of this.#claimants.get(s)!)
        claim.file.rows[claim.pos] = claim.file === owner ? ROW_SHARED : ROW_OTHER;
    } else owner.rows[pos] = this.#strayCount[s]! > 0 ? ROW_SHARED : ROW_OWN;
    if (owner.rows[pos] !== before) this.#dirtyRows.add(s);
  }

  #unclaim(file: FileEntry): void {
    for (const s of file.slots) {
      const count = --this.#claims[s]!;
      this.#release(s);
      this.#nodeChanges.add(s);
      if (count === 0) {
        this.#owner[s] = undefined;
        continue;
      }
      const all = this.#claimants.get(s)!;
      all.splice(
        all.findIndex((c) => c.file === file),
        1,
      );
      if (all.length === 1) this.#claimants.delete(s);
      if (this.#owner[s] !== file) continue;
      let first = all[0]!;
      for (const other of all) if (other.file.path < first.file.path) first = other;
      this.#owner[s] = first.file;
      this.#ownerPos[s] = first.pos;
      this.#dirtyRows.add(s);
    }
    for (const s of file.slots) this.#refreshRows(s);
  }

  #addPart(file: FileEntry, phase: 0 | 1, edges: readonly AsgEdge[]): EdgePart {
    const count = edges.length;
    const { slots } = file;
    const strayRun = slots.length;
    for (let p = 0; p < slots.length; p++) this.#scratch[slots[p]!] = p;
    // Sort by (position of the source in the file, kind), stably: a counting sort on both at once.
    const source = new Int32Array(count);
    const target = new Int32Array(count);
    const bucket = new Int32Array(count);
    const bucketStart = new Int32Array((strayRun + 1) * KINDS + 1);
    const kindCount = new Int32Array(KINDS);
    for (let e = 0; e < count; e++) {
      const edge = edges[e]!;
      const s = this.#slotOf(edge.source);
      const t = this.#slotOf(edge.target);
      this.#reference(s);
      this.#reference(t);
      this.#targetRefs[t]!++;
      source[e] = s;
      target[e] = t;
      const at = this.#scratch[s]!;
      const kind = EDGE_KIND_CODE.get(edge.kind) ?? 0;
      kindCount[kind]!++;
      const b = (at < 0 ? strayRun : at) * KINDS + kind;
      bucket[e] = b;
      bucketStart[b + 1]!++;
    }
    for (const s of slots) this.#scratch[s] = -1;
    for (let b = 1; b < bucketStart.length; b++) bucketStart[b]! += bucketStart[b - 1]!;
    const runStart = new Int32Array(strayRun + 2);
    for (let p = 0; p <= strayRun; p++) runStart[p] = bucketStart[p * KINDS]!;
    runStart[strayRun + 1] = count;
    const position = new Int32Array(count);
    for (let e = 0; e < count; e++) position[bucketStart[bucket[e]!]!++] = e;
    const columns = new EdgeColumns(count);
    for (let i = 0; i < count; i++) {
      const e = position[i]!;
      columns.push(source[e]!, target[e]!, edges[e]!);
    }
    const representative = new Uint8Array(count).fill(1);
    const part: EdgePart = {
      file,
      phase,
      columns,
      count,
      position,
      runStart,
      representative,
      kindCount,
      alive: true,
    };
    this.#newParts.push(part);
    markRepeats(part, phase === 1 ? file.local : undefined);
    this.#touchRows(part);
    for (let e = runStart[strayRun]!; e < count; e++) {
      const s = columns.source[e]!;
      const list = this.#strays.get(s);
      if (list) list.push({ part, e });
      else this.#strays.set(s, [{ part, e }]);
      this.#strayCount[s]!++;
      this.#refreshRows(s);
    }
    for (let k = 0; k < KINDS; k++) this.#kindTotal[k]! += kindCount[k]!;
    this.#edgeTotal += count;
    return part;
  }

  #dropPart(part: EdgePart): void {
    part.alive = false;
    this.#touchRows(part);
    const { source, target } = part.columns;
    for (let e = 0; e < part.count; e++) {
      this.#release(source[e]!);
      this.#release(target[e]!);
      this.#targetRefs[target[e]!]!--;
    }
    for (let e = part.runStart[part.runStart.length - 2]!; e < part.count; e++) {
      const s = source[e]!;
      const list = this.#strays.get(s)!;
      list.splice(
        list.findIndex((stray) => stray.part === part && stray.e === e),
        1,
      );
      if (list.length === 0) this.#strays.delete(s);
      this.#strayCount[s]!--;
      this.#refreshRows(s);
    }
    for (let k = 0; k < KINDS; k++) this.#kindTotal[k]! -= part.kindCount[k]!;
    this.#edgeTotal -= part.count;
  }

  /** Merges a file's two parts into its block (see {@link EdgeBlock}). */
  #mergeBlock(file: FileEntry): void {
    const { local, resolved } = file;
    const rows = file.slots.length;
    const count = local.runStart[rows]! + resolved.runStart[rows]!;
    const columns = new EdgeColumns(count);
    const runStart = new Int32Array(rows + 1);
    const phase = new Uint8Array(count);
    const position = new Int32Array(count);
    const lc = local.columns;
    const rc = resolved.columns;
    let n = 0;
    for (let p = 0; p < rows; p++) {
      runStart[p] = n;
      let i = local.runStart[p]!;
      const iEnd = local.runStart[p + 1]!;
      let j = resolved.runStart[p]!;
      const jEnd = resolved.runStart[p + 1]!;
      while (i < iEnd || j < jEnd) {
        if (j >= jEnd || (i < iEnd && lc.kind[i]! <= rc.kind[j]!)) {
          if (local.representative[i] === 1) {
            columns.copy(lc, i, lc.source[i]!, lc.target[i]!);
            position[n++] = local.position[i]!;
          }
          i++;
        } else {
          if (resolved.representative[j] === 1) {
            columns.copy(rc, j, rc.source[j]!, rc.target[j]!);
            phase[n] = 1;
            position[n++] = resolved.position[j]!;
          }
          j++;
        }
      }
      // The block is new: shared rows holding edges of the old one are gathered again.
      if (runStart[p]! < n) this.#sharedRows.delete(file.slots[p]!);
    }
    runStart[rows] = n;
    file.block = { columns, runStart, phase, position };
  }

  /**
   * Moves to a fresh slot table when garbage slots (no file lists the id, no edge names it) pile up. Older
   * snapshots keep the old table, which no longer changes.
   */
  #maybeCompact(): void {
    const total = this.#table.ids.length;
    if (this.#garbage < MIN_GARBAGE || this.#garbage * 3 < total) return;
    // Numbers go with live nodes only; the next snapshot is made whole, so what changed is not needed.
    this.#renumber();
    this.#nodeChanges.clear();
    this.#dirtyRows.clear();
    this.#compacted = true;
    const old = this.#table;
    const renumber = new Int32Array(total).fill(-1);
    const table: SlotTable = { map: new Map(), ids: [] };
    const size = Math.max(1024, total - this.#garbage);
    const claims = new Int32Array(size);
    const refs = new Int32Array(size);
    const strayCount = new Int32Array(size);
    const ownerPos = new Int32Array(size);
    const indexOf = new Int32Array(size);
    const targetRefs = new Int32Array(size);
    const owner: (FileEntry | undefined)[] = [];
    for (let s = 0; s < total; s++) {
      if (this.#refs[s] === 0) continue;
      const to = table.ids.length;
      renumber[s] = to;
      const id = old.ids[s]!;
      table.map.set(id, to);
      table.ids.push(id);
      claims[to] = this.#claims[s]!;
      refs[to] = this.#refs[s]!;
      strayCount[to] = this.#strayCount[s]!;
      ownerPos[to] = this.#ownerPos[s]!;
      indexOf[to] = this.#indexOf[s]!;
      targetRefs[to] = this.#targetRefs[s]!;
      owner.push(this.#owner[s]);
    }
    for (let v = 0; v < this.#count; v++) this.#nodeAt[v] = renumber[this.#nodeAt[v]!]!;
    this.#sharedRows.clear();
    const claimants = [...this.#claimants];
    this.#claimants.clear();
    for (const [s, all] of claimants) this.#claimants.set(renumber[s]!, all);
    const strays = [...this.#strays];
    this.#strays.clear();
    for (const [s, list] of strays) this.#strays.set(renumber[s]!, list);
    const renumberEnds = (columns: EdgeColumns): void => {
      const { source, target } = columns;
      for (let e = 0; e < columns.length; e++) {
        source[e] = renumber[source[e]!]!;
        target[e] = renumber[target[e]!]!;
      }
    };
    for (const file of this.#files.values()) {
      for (let i = 0; i < file.slots.length; i++) file.slots[i] = renumber[file.slots[i]!]!;
      renumberEnds(file.local.columns);
      renumberEnds(file.resolved.columns);
      renumberEnds(file.block.columns);
    }
    this.#table = table;
    this.#claims = claims;
    this.#refs = refs;
    this.#strayCount = strayCount;
    this.#ownerPos = ownerPos;
    this.#owner = owner;
    this.#scratch = new Int32Array(size).fill(-1);
    this.#indexOf = indexOf;
    this.#targetRefs = targetRefs;
    this.#garbage = 0;
  }
}

/** The node arrays of a snapshot, and what the next one needs to patch them. */
interface SnapshotNodes {
  ids: NodeId[];
  names: string[];
  files: string[];
  nodeKind: Uint8Array;
  nodeFile: Int32Array;
  /** Node number → interned path (-1: none); nodes per interned path; interned path → place in `files`. */
  pathOf: Int32Array;
  pathCount: Int32Array;
  fileOf: Int32Array;
  /** Slot → node number (-1: not a node), and node number → slot. */
  toIndex: Int32Array;
  slotOf: Int32Array;
}

/** What `#renumber` did: node counts before and after, and numbers that went, came, moved or changed. */
interface Renumbering {
  oldCount: number;
  count: number;
  /** Numbers of the last snapshot whose nodes went (ascending). */
  gaps: number[];
  /** Numbers given to nodes that came. */
  placed: number[];
  /** Pairs: the old number of a node that moved, its new number. */
  moved: number[];
  /** Slots of nodes that stayed whose facts may have changed. */
  changed: number[];
}

/** Whether freshly encoded nodes are those a file has. */
function sameNodes(file: FileEntry, nodes: Pick<FileEntry, 'slots' | 'kinds' | 'names' | 'paths'>): boolean {
  const { slots, kinds, names, paths } = nodes;
  if (slots.length !== file.slots.length) return false;
  for (let p = 0; p < slots.length; p++)
    if (
      slots[p] !== file.slots[p] ||
      kinds[p] !== file.kinds[p] ||
      names[p] !== file.names[p] ||
      paths[p] !== file.paths[p]
    )
      return false;
  return true;
}

/**
 * The arrays of a snapshot, written row after row. Edges from a block are written in two halves: the
 * builder maps their ends one by one, and their other facts are copied later a stretch at a time
 * (pending: the block edges from `#pendingFrom` went to the outputs from `#pendingTo` on).
 */
class SnapshotWriter {
  count = 0;
  readonly outStart: Int32Array;
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly confidence: Float32Array;
  readonly range: Int32Array;
  readonly slot: Int32Array;
  readonly meta: CsrArrays['edgeMeta'] = {};
  readonly toIndex: Int32Array;
  /** Whether entering rows are counted while writing (else the builder makes them). */
  readonly countIn: boolean;
  /** Entering edges per node (shifted by one), and the edges of each kind in order, for the entering rows. */
  readonly inCount: Int32Array;
  readonly byKind: Int32Array;
  readonly kindNext: Int32Array;
  readonly #kindStart: Int32Array;
  #block: EdgeColumns | undefined;
  #pendingFrom = -1;
  #pendingTo = 0;
  inSource: Int32Array | undefined;

  /** `bound`: at most this many edges, at most `kindBound[k]` of kind k. */
  constructor(nodes: number, bound: number, kindBound: Int32Array, toIndex: Int32Array, countIn: boolean) {
    this.outStart = new Int32Array(nodes + 1);
    this.source = new Int32Array(bound);
    this.target = new Int32Array(bound);
    this.kind = new Uint8Array(bound);
    this.flags = new Uint8Array(bound);
    this.confidence = new Float32Array(bound);
    this.range = new Int32Array(4 * bound);
    this.slot = new Int32Array(bound);
    this.toIndex = toIndex;
    this.countIn = countIn;
    this.inCount = new Int32Array(countIn ? nodes + 1 : 0);
    this.byKind = new Int32Array(countIn ? bound : 0);
    this.#kindStart = new Int32Array(KINDS + 1);
    for (let k = 0; k < KINDS; k++) this.#kindStart[k + 1] = this.#kindStart[k]! + kindBound[k]!;
    this.kindNext = this.#kindStart.slice(0, KINDS);
  }

  /** The next edge the builder writes comes from edge `e` of a block: a new stretch unless it follows. */
  continueAt(block: EdgeColumns, e: number): void {
    if (block === this.#block && e === this.#pendingFrom + this.count - this.#pendingTo) return;
    this.flush();
    this.#block = block;
    this.#pendingFrom = e;
  }

  /** Copies the facts of the pending stretch. */
  flush(): void {
    const length = this.count - this.#pendingTo;
    if (length > 0) {
      const from = this.#pendingFrom;
      const to = this.#pendingTo;
      const block = this.#block!;
      if (length > SHORT_STRETCH) {
        this.kind.set(block.kind.subarray(from, from + length), to);
        this.flags.set(block.flags.subarray(from, from + length), to);
        this.confidence.set(block.confidence.subarray(from, from + length), to);
        this.slot.set(block.slot.subarray(from, from + length), to);
        this.range.set(block.range.subarray(4 * from, 4 * (from + length)), 4 * to);
      } else {
        // Short stretches (around rows fed by several files) are cheaper to copy than to make views of.
        for (let i = 0; i < length; i++) {
          this.kind[to + i] = block.kind[from + i]!;
          this.flags[to + i] = block.flags[from + i]!;
          this.confidence[to + i] = block.confidence[from + i]!;
          this.slot[to + i] = block.slot[from + i]!;
        }
        for (let i = 0; i < 4 * length; i++) this.range[4 * to + i] = block.range[4 * from + i]!;
      }
      if (block.meta.size > 0)
        for (let i = 0; i < length; i++) {
          const meta = block.meta.get(from + i);
          if (meta) this.meta[String(to + i)] = meta;
        }
    }
    this.#pendingFrom = -1;
    this.#pendingTo = this.count;
  }

  /** Appends edge e of some columns whole to the row of node v, unless its target is not a node. */
  emit(columns: EdgeColumns, e: number, v: number): void {
    const t = this.toIndex[columns.target[e]!]!;
    if (t < 0) return;
    const m = this.count++;
    const kind = columns.kind[e]!;
    this.source[m] = v;
    this.target[m] = t;
    this.kind[m] = kind;
    this.flags[m] = columns.flags[e]!;
    this.confidence[m] = columns.confidence[e]!;
    this.slot[m] = columns.slot[e]!;
    for (let k = 0; k < 4; k++) this.range[4 * m + k] = columns.range[4 * e + k]!;
    const meta = columns.meta.get(e);
    if (meta) this.meta[String(m)] = meta;
    if (this.countIn) {
      this.inCount[t + 1]!++;
      this.byKind[this.kindNext[kind]!++] = m;
    }
    this.#pendingTo = this.count;
  }

  /** Appends the rows of `count` nodes of an earlier snapshot, from node v, as the rows of the same nodes. */
  copyRows(before: CsrArrays, v: number, count: number): void {
    this.flush();
    const start = before.outStart[v]!;
    const end = before.outStart[v + count]!;
    const m = this.count;
    for (let i = 0; i < count; i++) this.outStart[v + i] = before.outStart[v + i]! - start + m;
    this.source.set(before.edgeSource.subarray(start, end), m);
    this.target.set(before.edgeTarget.subarray(start, end), m);
    this.kind.set(before.edgeKind.subarray(start, end), m);
    this.flags.set(before.edgeFlags.subarray(start, end), m);
    this.confidence.set(before.edgeConfidence.subarray(start, end), m);
    this.slot.set(before.edgeSlot.subarray(start, end), m);
    this.range.set(before.edgeRange.subarray(4 * start, 4 * end), 4 * m);
    this.count += end - start;
    this.#pendingTo = this.count;
  }

  /**
   * The finished arrays. Entering rows are given, or made from the counts kept while writing (by kind,
   * then edge number, as compressed rows order them).
   */
  finish(
    nodes: SnapshotNodes,
    entering?: { inStart: Int32Array; inEdges: Int32Array; inSource: Int32Array },
  ): CsrArrays {
    const n = nodes.ids.length;
    const m = this.count;
    this.outStart[n] = m;
    if (entering) this.inSource = entering.inSource;
    const inStart = entering ? entering.inStart : this.inCount;
    const inEdges = entering ? entering.inEdges : new Int32Array(m);
    if (!entering) {
      for (let v = 0; v < n; v++) inStart[v + 1]! += inStart[v]!;
      const next = inStart.slice(0, n);
      const inSource = new Int32Array(m);
      const { source, target, byKind } = this;
      for (let k = 0; k < KINDS; k++) {
        for (let i = this.#kindStart[k]!, end = this.kindNext[k]!; i < end; i++) {
          const e = byKind[i]!;
          const at = next[target[e]!]!++;
          inEdges[at] = e;
          inSource[at] = source[e]!;
        }
      }
      this.inSource = inSource;
    }
    return {
      ids: nodes.ids,
      names: nodes.names,
      files: nodes.files,
      nodeKind: nodes.nodeKind,
      nodeFile: nodes.nodeFile,
      edgeSource: this.source.subarray(0, m),
      edgeTarget: this.target.subarray(0, m),
      edgeKind: this.kind.subarray(0, m),
      edgeFlags: this.flags.subarray(0, m),
      edgeConfidence: this.confidence.subarray(0, m),
      edgeRange: this.range.subarray(0, 4 * m),
      edgeSlot: this.slot.subarray(0, m),
      edgeMeta: this.meta,
      outStart: this.outStart,
      inStart,
      inEdges,
    };
  }
}

/**
 * Sorts the edges written anew by target, then kind, then edge number (as entering rows order them): as
 * numbers that hold all three (a typed array sorts without calling back), or with a comparison when they
 * do not fit.
 */
function sortFresh(fresh: number[], target: Int32Array, kind: Uint8Array): void {
  const count = fresh.length;
  if (count < 2) return;
  const maxEdge = fresh[count - 1]! + 1;
  let maxTarget = 0;
  for (const e of fresh) if (target[e]! > maxTarget) maxTarget = target[e]!;
  const scale = (maxTarget + 1) * KINDS * maxEdge;
  if (!(scale < Number.MAX_SAFE_INTEGER)) {
    fresh.sort((a, b) => target[a]! - target[b]! || kind[a]! - kind[b]! || a - b);
    return;
  }
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const e = fresh[i]!;
    keys[i] = (target[e]! * KINDS + kind[e]!) * maxEdge + e;
  }
  keys.sort();
  for (let i = 0; i < count; i++) fresh[i] = keys[i]! % maxEdge;
}

/**
 * Marks the edges of a part that repeat an earlier edge of their row within the file: of the local part
 * itself, or for resolved edges of the local part and then of themselves (local edges come first).
 */
function markRepeats(part: EdgePart, local: EdgePart | undefined): void {
  const { columns, runStart, representative } = part;
  const rows = runStart.length - 2;
  for (let p = 0; p < rows; p++) {
    const start = runStart[p]!;
    const end = runStart[p + 1]!;
    if (start === end) continue;
    const localStart = local ? local.runStart[p]! : 0;
    const localEnd = local ? local.runStart[p + 1]! : 0;
    if (end - start + localEnd - localStart <= SHORT_ROW) {
      next: for (let e = start; e < end; e++) {
        for (let f = localStart; f < localEnd; f++)
          if (sameEdge(local!.columns, f, columns, e)) {
            representative[e] = 0;
            continue next;
          }
        for (let f = start; f < e; f++)
          if (sameEdge(columns, f, columns, e)) {
            representative[e] = 0;
            continue next;
          }
      }
      continue;
    }
    const seen = new Set<string>();
    for (let f = localStart; f < localEnd; f++) seen.add(rowKey(local!.columns, f));
    for (let e = start; e < end; e++) {
      const key = rowKey(columns, e);
      if (seen.has(key)) representative[e] = 0;
      else seen.add(key);
    }
  }
}

/** Whether two edges of one row repeat each other (as a full build decides: target, kind, range start). */
function sameEdge(a: EdgeColumns, i: number, b: EdgeColumns, j: number): boolean {
  return (
    a.target[i] === b.target[j] &&
    a.kind[i] === b.kind[j] &&
    (a.flags[i]! & EDGE_HAS_RANGE) === (b.flags[j]! & EDGE_HAS_RANGE) &&
    a.range[4 * i] === b.range[4 * j] &&
    a.range[4 * i + 1] === b.range[4 * j + 1]
  );
}

/** What {@link sameEdge} compares, as text. */
function rowKey(columns: EdgeColumns, e: number): string {
  return `${columns.kind[e]!}:${columns.target[e]!}:${columns.flags[e]! & EDGE_HAS_RANGE}:${columns.range[4 * e]!}:${columns.range[4 * e + 1]!}`;
}
