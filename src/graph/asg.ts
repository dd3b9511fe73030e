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

export class Asg {
  readonly nodes = new Map<NodeId, AsgNode>();
  readonly edges: AsgEdge[] = [];
  readonly #out = new Map<NodeId, AsgEdge[]>();
  readonly #in = new Map<NodeId, AsgEdge[]>();
  readonly #byName = new Map<string, AsgNode[]>();

  constructor(nodes: Iterable<AsgNode>, edges: Iterable<AsgEdge>) {
    for (const node of nodes) {
      if (this.nodes.has(node.id)) continue;
      this.nodes.set(node.id, node);
      if (SYMBOL_KINDS.has(node.kind)) {
        const list = this.#byName.get(node.name) ?? [];
        list.push(node);
        this.#byName.set(node.name, list);
      }
    }
    for (const edge of edges) {
      if (!this.nodes.has(edge.source) || !this.nodes.has(edge.target)) continue;
      this.edges.push(edge);
      pushTo(this.#out, edge.source, edge);
      pushTo(this.#in, edge.target, edge);
    }
  }

  outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    const edges = this.#out.get(id) ?? [];
    return kind ? edges.filter((e) => e.kind === kind) : edges;
  }

  incoming(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    const edges = this.#in.get(id) ?? [];
    return kind ? edges.filter((e) => e.kind === kind) : edges;
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

function pushTo(map: Map<NodeId, AsgEdge[]>, key: NodeId, edge: AsgEdge): void {
  const list = map.get(key);
  if (list) list.push(edge);
  else map.set(key, [edge]);
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
    files.flatMap((file) => file.nodes),
    [...files.flatMap((file) => file.edges), ...resolution.edges],
  );
  return { asg, resolution };
}
