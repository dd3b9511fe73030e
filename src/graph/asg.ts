/**
 * @module graph/asg
 * The assembled Abstract Semantic Graph of a workspace: nodes by id, edges with out/in adjacency, and the
 * lookups the views need (by name, callers, callees, neighbourhood).
 */
import type { FileGraph } from './file-graph.js';
import type { ProjectConfig } from './project-config.js';
import { resolveWorkspace } from './resolver.js';
import type { ResolutionResult } from './resolver.js';
import type { AsgEdge, AsgNode, EdgeKind, NodeId } from './types.js';

/** Nodes and edges, the shape of the Graph API. */
export interface GraphSlice {
  nodes: AsgNode[];
  edges: AsgEdge[];
}

/** Symbol kinds a user looks for by name (not call sites, imports, types or return values). */
const SYMBOL_KINDS = new Set([
  'module',
  'namespace',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'function',
  'method',
  'variable',
  'field',
  'constant',
  'type_alias',
  'parameter',
]);

/**
 * The assembled graph. Adjacency is kept in compressed sparse rows: every node has an integer index, and the
 * edges leaving (entering) node i are `edges[outEdges[outStart[i] .. outStart[i + 1]]]`. Building it costs two
 * passes over the edges and a few typed arrays, instead of one array per node.
 */
export class Asg {
  readonly nodes = new Map<NodeId, AsgNode>();
  readonly edges: AsgEdge[] = [];
  readonly #index = new Map<NodeId, number>();
  #outStart: Int32Array = new Int32Array(1);
  #outEdges: Int32Array = new Int32Array(0);
  #inStart: Int32Array = new Int32Array(1);
  #inEdges: Int32Array = new Int32Array(0);
  readonly #byName = new Map<string, AsgNode[]>();

  constructor(nodes: Iterable<AsgNode>, edges: Iterable<AsgEdge>) {
    for (const node of nodes) {
      if (this.#index.has(node.id)) continue;
      this.#index.set(node.id, this.#index.size);
      this.nodes.set(node.id, node);
      if (SYMBOL_KINDS.has(node.kind)) {
        const list = this.#byName.get(node.name);
        if (list) list.push(node);
        else this.#byName.set(node.name, [node]);
      }
    }
    const sources: number[] = [];
    const targets: number[] = [];
    for (const edge of edges) {
      const source = this.#index.get(edge.source);
      const target = this.#index.get(edge.target);
      if (source === undefined || target === undefined) continue;
      this.edges.push(edge);
      sources.push(source);
      targets.push(target);
    }
    [this.#outStart, this.#outEdges] = compressedRows(this.#index.size, sources);
    [this.#inStart, this.#inEdges] = compressedRows(this.#index.size, targets);
  }

  outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    return this.#row(this.#outStart, this.#outEdges, id, kind);
  }

  incoming(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    return this.#row(this.#inStart, this.#inEdges, id, kind);
  }

  #row(start: Int32Array, rows: Int32Array, id: NodeId, kind: EdgeKind | undefined): AsgEdge[] {
    const index = this.#index.get(id);
    if (index === undefined) return [];
    const found: AsgEdge[] = [];
    for (let i = start[index]!; i < start[index + 1]!; i++) {
      const edge = this.edges[rows[i]!]!;
      if (!kind || edge.kind === kind) found.push(edge);
    }
    return found;
  }

  /** Symbols named exactly `name`, or whose qualified name is `name` (`Class.method`). */
  findSymbols(name: string): AsgNode[] {
    const exact = this.#byName.get(name) ?? [];
    // A file's module shares its name with symbols often (`foo.py` and `def foo`): prefer the symbols.
    const declarations = exact.filter((n) => n.kind !== 'module');
    if (!name.includes('.') && !name.includes('/')) return declarations.length > 0 ? declarations : exact;
    const last = name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf('/')) + 1);
    return (this.#byName.get(last) ?? []).filter(
      (n) =>
        n.qualifiedName === name ||
        n.qualifiedName.endsWith(`.${name}`) ||
        `${n.path}:${n.qualifiedName}` === name,
    );
  }

  /** Symbols whose name or qualified name matches a pattern (`*` wildcards, case-insensitive substring otherwise). */
  searchSymbols(pattern: string, limit = 200): AsgNode[] {
    const regex = pattern.includes('*')
      ? new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 'i')
      : new RegExp(escapeRegex(pattern), 'i');
    const found: AsgNode[] = [];
    for (const [name, nodes] of this.#byName) {
      for (const node of nodes) {
        if (node.kind === 'parameter') continue;
        if (regex.test(name) || regex.test(node.qualifiedName)) found.push(node);
      }
    }
    found.sort(
      (a, b) =>
        rankMatch(a, pattern) - rankMatch(b, pattern) ||
        a.path.localeCompare(b.path) ||
        a.range.start.line - b.range.start.line,
    );
    return found.slice(0, limit);
  }

  /** The declaration enclosing a node (walking contains/defines/has_parameter edges up). */
  ownerOf(id: NodeId): AsgNode | undefined {
    for (const edge of this.incoming(id)) {
      if (edge.kind === 'contains' || edge.kind === 'defines' || edge.kind === 'has_parameter')
        return this.nodes.get(edge.source);
    }
    return undefined;
  }

  /** Call sites that call `id`, each with the declaration it sits in. */
  callersOf(id: NodeId): { site: AsgNode; caller: AsgNode | undefined; edge: AsgEdge }[] {
    return this.incoming(id, 'calls').map((edge) => {
      const site = this.nodes.get(edge.source)!;
      return { site, caller: this.ownerOf(site.id), edge };
    });
  }

  /** Call sites inside `id` (not inside nested functions), each with its targets. */
  calleesOf(id: NodeId): { site: AsgNode; targets: { node: AsgNode; edge: AsgEdge }[] }[] {
    return this.outgoing(id, 'contains')
      .map((edge) => this.nodes.get(edge.target)!)
      .filter((node) => node.kind === 'call_site')
      .map((site) => ({
        site,
        targets: this.outgoing(site.id, 'calls').map((edge) => ({
          node: this.nodes.get(edge.target)!,
          edge,
        })),
      }));
  }

  /** Nodes within `depth` edges of the seeds (both directions), and the edges between them. */
  neighbourhood(
    seeds: readonly NodeId[],
    depth: number,
    options: { maxNodes?: number; kinds?: ReadonlySet<EdgeKind> } = {},
  ): GraphSlice {
    const maxNodes = options.maxNodes ?? 500;
    const seen = new Set<NodeId>(seeds.filter((id) => this.nodes.has(id)));
    let frontier = [...seen];
    for (let level = 0; level < depth && frontier.length > 0 && seen.size < maxNodes; level++) {
      const next: NodeId[] = [];
      for (const id of frontier) {
        for (const edge of [...this.outgoing(id), ...this.incoming(id)]) {
          if (options.kinds && !options.kinds.has(edge.kind)) continue;
          const other = edge.source === id ? edge.target : edge.source;
          if (seen.has(other) || seen.size >= maxNodes) continue;
          seen.add(other);
          next.push(other);
        }
      }
      frontier = next;
    }
    return this.slice(seen);
  }

  /** The nodes with these ids and the edges among them. */
  slice(ids: Iterable<NodeId>): GraphSlice {
    const set = new Set(ids);
    const nodes = [...set].map((id) => this.nodes.get(id)).filter((n): n is AsgNode => n !== undefined);
    const edges = this.edges.filter((e) => set.has(e.source) && set.has(e.target));
    return { nodes, edges };
  }
}

/** Offsets and edge indexes of compressed sparse rows, from the row (node index) of every edge. */
function compressedRows(nodeCount: number, rowOfEdge: readonly number[]): [Int32Array, Int32Array] {
  const start = new Int32Array(nodeCount + 1);
  for (const row of rowOfEdge) start[row + 1]!++;
  for (let i = 0; i < nodeCount; i++) start[i + 1]! += start[i]!;
  const next = start.slice(0, nodeCount);
  const edges = new Int32Array(rowOfEdge.length);
  rowOfEdge.forEach((row, edge) => {
    edges[next[row]!++] = edge;
  });
  return [start, edges];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rankMatch(node: AsgNode, pattern: string): number {
  if (node.name === pattern) return 0;
  if (node.name.toLowerCase() === pattern.toLowerCase()) return 1;
  if (node.name.toLowerCase().startsWith(pattern.toLowerCase())) return 2;
  return 3;
}

/** The result of building a workspace's ASG. */
export interface AsgBuild {
  asg: Asg;
  resolution: ResolutionResult;
}

/** Assembles file graphs into one ASG and resolves names across them. */
export function assembleAsg(files: readonly FileGraph[], config: ProjectConfig): AsgBuild {
  const resolution = resolveWorkspace(files, config);
  const asg = new Asg(
    allOf(files.map((file) => file.nodes)),
    allOf([...files.map((file) => file.edges), resolution.edges]),
  );
  return { asg, resolution };
}

function* allOf<T>(lists: readonly (readonly T[])[]): Generator<T> {
  for (const list of lists) yield* list;
}
