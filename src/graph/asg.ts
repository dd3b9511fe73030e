/**
 * @module graph/asg
 * The assembled Abstract Semantic Graph of a workspace: nodes by id, edges with out/in adjacency, and the
 * lookups the views need (by name, callers, callees, neighbourhood).
 */
import type { FileGraph } from './file-graph.js';
import type { ProjectConfig } from './project-config.js';
import { resolveWorkspace } from './resolver.js';
import type { ResolutionResult } from './resolver.js';
import type { AsgEdge, AsgNode, EdgeKind, NodeId, NodeKind } from './types.js';
import { CsrGraph } from './csr.js';

/** Nodes and edges, the shape of the Graph API. */
export interface GraphSlice {
  nodes: AsgNode[];
  edges: AsgEdge[];
}

/** Symbol kinds a user looks for by name (not call sites, imports, types or return values). */
export const SYMBOL_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>([
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

/** Read access to a graph, in memory or in a store: what every query over the ASG is written against. */
export interface GraphReader {
  readonly nodeCount: number;
  readonly edgeCount: number;
  node(id: NodeId): AsgNode | undefined;
  outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[];
  incoming(id: NodeId, kind?: EdgeKind): AsgEdge[];
  /** Symbols named exactly `name`, or whose qualified name is `name` (`Class.method`). */
  findSymbols(name: string): AsgNode[];
  /** Symbols whose name or qualified name matches a pattern (`*` wildcards, case-insensitive substring otherwise). */
  searchSymbols(pattern: string, limit?: number): AsgNode[];
  /** Ids of all nodes, or of the nodes of one file (with the shared type nodes it uses). */
  nodeIds(path?: string): NodeId[];
}

/** The queries over a graph that need nothing but a {@link GraphReader}. */
export abstract class AsgQueries implements GraphReader {
  abstract readonly nodeCount: number;
  abstract readonly edgeCount: number;
  abstract node(id: NodeId): AsgNode | undefined;
  abstract outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[];
  abstract incoming(id: NodeId, kind?: EdgeKind): AsgEdge[];
  abstract findSymbols(name: string): AsgNode[];
  abstract searchSymbols(pattern: string, limit?: number): AsgNode[];
  abstract nodeIds(path?: string): NodeId[];

  /** The declaration enclosing a node (walking contains/defines/has_parameter edges up). */
  ownerOf(id: NodeId): AsgNode | undefined {
    for (const edge of this.incoming(id)) {
      if (edge.kind === 'contains' || edge.kind === 'defines' || edge.kind === 'has_parameter')
        return this.node(edge.source);
    }
    return undefined;
  }

  /** Call sites that call `id`, each with the declaration it sits in. */
  callersOf(id: NodeId): { site: AsgNode; caller: AsgNode | undefined; edge: AsgEdge }[] {
    return this.incoming(id, 'calls').flatMap((edge) => {
      const site = this.node(edge.source);
      return site ? [{ site, caller: this.ownerOf(site.id), edge }] : [];
    });
  }

  /** Call sites inside `id` (not inside nested functions), each with its targets. */
  calleesOf(id: NodeId): { site: AsgNode; targets: { node: AsgNode; edge: AsgEdge }[] }[] {
    return this.outgoing(id, 'contains')
      .map((edge) => this.node(edge.target))
      .filter((node): node is AsgNode => node?.kind === 'call_site')
      .map((site) => ({
        site,
        targets: this.outgoing(site.id, 'calls').flatMap((edge) => {
          const node = this.node(edge.target);
          return node ? [{ node, edge }] : [];
        }),
      }));
  }

  /** Nodes within `depth` edges of the seeds (both directions), and the edges between them. */
  neighbourhood(
    seeds: readonly NodeId[],
    depth: number,
    options: { maxNodes?: number; kinds?: ReadonlySet<EdgeKind> } = {},
  ): GraphSlice {
    const maxNodes = options.maxNodes ?? 500;
    const seen = new Set<NodeId>(seeds.filter((id) => this.node(id) !== undefined));
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

  /** The nodes with these ids and the edges among them (in node order, then edge order). */
  slice(ids: Iterable<NodeId>): GraphSlice {
    const set = new Set(ids);
    const nodes = [...set].map((id) => this.node(id)).filter((n): n is AsgNode => n !== undefined);
    const edges: AsgEdge[] = [];
    for (const node of nodes)
      for (const edge of this.outgoing(node.id)) if (set.has(edge.target)) edges.push(edge);
    return { nodes, edges };
  }
}

/**
 * The assembled graph in memory: node objects by id, edge objects, and the structure in compressed sparse
 * rows ({@link CsrGraph}).
 */
export class Asg extends AsgQueries {
  readonly nodes = new Map<NodeId, AsgNode>();
  readonly edges: AsgEdge[];
  readonly csr: CsrGraph;
  readonly #byName = new Map<string, AsgNode[]>();

  constructor(nodes: Iterable<AsgNode>, edges: Iterable<AsgEdge>) {
    super();
    for (const node of nodes) {
      if (this.nodes.has(node.id)) continue;
      this.nodes.set(node.id, node);
      if (SYMBOL_KINDS.has(node.kind)) {
        const list = this.#byName.get(node.name);
        if (list) list.push(node);
        else this.#byName.set(node.name, [node]);
      }
    }
    this.edges = [...edges].filter((e) => this.nodes.has(e.source) && this.nodes.has(e.target));
    this.csr = CsrGraph.build(this.nodes.values(), this.edges);
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  get edgeCount(): number {
    return this.edges.length;
  }

  node(id: NodeId): AsgNode | undefined {
    return this.nodes.get(id);
  }

  outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    const order = this.csr.inputOrder!;
    return this.csr.outgoingEdges(this.csr.indexOf(id), kind).map((e) => this.edges[order[e]!]!);
  }

  incoming(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    const order = this.csr.inputOrder!;
    return this.csr.incomingEdges(this.csr.indexOf(id), kind).map((e) => this.edges[order[e]!]!);
  }

  nodeIds(path?: string): NodeId[] {
    const ids: NodeId[] = [];
    if (path === undefined) {
      for (const node of this.nodes.values()) ids.push(node.id);
      return ids;
    }
    // The file's nodes, then the shared type nodes they point to (in the graph's order).
    const shared = new Set<NodeId>();
    for (const node of this.nodes.values()) {
      if (node.path !== path) continue;
      ids.push(node.id);
      for (const edge of this.outgoing(node.id))
        if (this.nodes.get(edge.target)?.path === '') shared.add(edge.target);
    }
    for (const node of this.nodes.values()) if (shared.has(node.id)) ids.push(node.id);
    return ids;
  }

  findSymbols(name: string): AsgNode[] {
    return findSymbolsIn((n) => this.#byName.get(n) ?? [], name);
  }

  searchSymbols(pattern: string, limit = 200): AsgNode[] {
    const regex = symbolPattern(pattern);
    const found: AsgNode[] = [];
    for (const [name, nodes] of this.#byName) {
      for (const node of nodes) {
        if (node.kind === 'parameter') continue;
        if (regex.test(name) || regex.test(node.qualifiedName)) found.push(node);
      }
    }
    return rankSymbols(found, pattern, limit);
  }
}

/** {@link GraphReader.findSymbols} over a lookup by exact name. */
export function findSymbolsIn(byName: (name: string) => AsgNode[], name: string): AsgNode[] {
  const exact = byName(name);
  // A file's module shares its name with symbols often (`foo.py` and `def foo`): prefer the symbols.
  const declarations = exact.filter((n) => n.kind !== 'module');
  if (!name.includes('.') && !name.includes('/')) return declarations.length > 0 ? declarations : exact;
  // `path:qualifiedName` names one file's declaration (the path has dots of its own).
  const colon = name.lastIndexOf(':');
  if (colon > 0) {
    const path = name.slice(0, colon);
    const qualified = name.slice(colon + 1);
    const tail = qualified.slice(qualified.lastIndexOf('.') + 1);
    const inFile = byName(tail).filter((n) => n.path === path && n.qualifiedName === qualified);
    if (inFile.length > 0) return inFile;
  }
  const last = name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf('/')) + 1);
  return byName(last).filter(
    (n) =>
      n.qualifiedName === name ||
      n.qualifiedName.endsWith(`.${name}`) ||
      `${n.path}:${n.qualifiedName}` === name,
  );
}

/** The regular expression of a symbol pattern: `*` wildcards (whole name), else a case-insensitive substring. */
export function symbolPattern(pattern: string): RegExp {
  return pattern.includes('*')
    ? new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 'i')
    : new RegExp(escapeRegex(pattern), 'i');
}

/** Orders matches of a symbol pattern: exact names first, then prefixes, then by path and line. */
export function rankSymbols(found: AsgNode[], pattern: string, limit: number): AsgNode[] {
  found.sort(
    (a, b) =>
      rankMatch(a, pattern) - rankMatch(b, pattern) ||
      a.path.localeCompare(b.path) ||
      a.range.start.line - b.range.start.line,
  );
  return found.slice(0, limit);
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
    allOf([...files.map((file) => file.edges), uniqueEdges(resolution.edges)]),
  );
  return { asg, resolution };
}

/**
 * The edges without repeats: two files can prove the same edge (two callers pass `Entry.new()`'s result to
 * the same parameter); each file keeps its own copy, the graph one.
 */
export function uniqueEdges(edges: Iterable<AsgEdge>): AsgEdge[] {
  const seen = new Set<string>();
  const unique: AsgEdge[] = [];
  for (const edge of edges) {
    const key = `${edge.source}>${edge.target}>${edge.kind}${edge.range ? `@${edge.range.start.line}:${edge.range.start.character}` : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(edge);
  }
  return unique;
}

function* allOf<T>(lists: readonly (readonly T[])[]): Generator<T> {
  for (const list of lists) yield* list;
}
