/**
 * @module engine/workspace
 * The engine facade over one indexed workspace: summaries, symbol search, references, callers and callees,
 * graph neighbourhoods. Every method returns plain data (see engine/types.ts).
 */
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import { Asg, renderAsgMermaid, renderAsgText, SYMBOL_KINDS } from '../graph/index.js';
import type { AsgEdge, AsgNode, AsgQueries, EdgeKind } from '../graph/index.js';
import { buildWorkspaceGraph } from '../index/index.js';
import type { WorkspaceGraph, WorkspaceGraphOptions } from '../index/index.js';
import { packContext } from '../retrieve/index.js';
import type { PackedContext, RetrievalPolicy, Retriever } from '../retrieve/index.js';
import { recentChanges, toQuerySymbol } from './retrieval.js';
import type { RetrievalConfig } from './retrieval.js';
import type {
  CallRelation,
  QueryOptions,
  QueryResult,
  GraphData,
  GraphEdge,
  GraphNode,
  ReferenceSite,
  WorkspaceSummary,
} from './types.js';

export type OpenOptions = WorkspaceGraphOptions;

/** Opens (indexes in memory) a folder or a single file. */
export async function openWorkspace(target: string, options: OpenOptions = {}): Promise<Workspace> {
  return new Workspace(inMemoryBacking(await buildWorkspaceGraph(target, options)));
}

/** What a {@link Workspace} stands on: a graph in memory, or an index on disk. */
export interface WorkspaceBacking {
  root: string;
  /** The version (index generation) every answer comes from; absent for a graph built in memory. */
  version?: number;
  graph: AsgQueries;
  diagnostics: readonly Diagnostic[];
  summary(): WorkspaceSummary;
  /** Releases what the backing holds (a read transaction, open files). */
  close(): Promise<void>;
  /** Retrieval over this backing (an index on disk has it; a graph in memory does not). */
  retrieval?: () => Promise<RetrievalBacking>;
}

/** What queries need besides the graph. */
export interface RetrievalBacking {
  retriever: Retriever;
  config: RetrievalConfig;
  /** The current text of a repository-relative path, or undefined. */
  readSource(path: string): string | undefined;
  /** The repository's retrieval policy (undefined: the default one). */
  policy?: () => RetrievalPolicy | undefined;
}

/** What `Workspace.context` returns (`rtc context --format json`). */
export interface ContextResult {
  query: string;
  /** The version (index generation) it comes from. */
  version?: number;
  route: string;
  budget: number;
  tokens: number;
  text: string;
  items: PackedContext['items'];
  omitted: number;
  timings: Record<string, number>;
}

/** Files, bytes and lines by language, and the totals, of a list of files. */
export function languageTotals(files: readonly { language: string; bytes: number; lines: number }[]): {
  byLanguage: WorkspaceSummary['byLanguage'];
  bytes: number;
  lines: number;
} {
  const byLanguage: WorkspaceSummary['byLanguage'] = {};
  let bytes = 0;
  let lines = 0;
  for (const file of files) {
    const entry = (byLanguage[file.language] ??= { files: 0, bytes: 0, lines: 0 });
    entry.files++;
    entry.bytes += file.bytes;
    entry.lines += file.lines;
    bytes += file.bytes;
    lines += file.lines;
  }
  return { byLanguage, bytes, lines };
}

function inMemoryBacking(g: WorkspaceGraph): WorkspaceBacking {
  return {
    root: g.root,
    graph: g.asg,
    diagnostics: g.diagnostics,
    close: () => Promise.resolve(),
    summary: () => {
      const { byLanguage, bytes, lines } = languageTotals(g.files);
      const nodesByKind: Record<string, number> = {};
      for (const node of g.asg.nodes.values()) nodesByKind[node.kind] = (nodesByKind[node.kind] ?? 0) + 1;
      const edgesByKind: Record<string, number> = {};
      for (const edge of g.asg.edges) edgesByKind[edge.kind] = (edgesByKind[edge.kind] ?? 0) + 1;
      return {
        root: g.root,
        files: g.files.length,
        bytes,
        lines,
        nodes: g.asg.nodes.size,
        edges: g.asg.edges.length,
        byLanguage,
        nodesByKind,
        edgesByKind,
        resolution: {
          calls: g.resolution.calls,
          references: g.resolution.references,
          imports: g.resolution.imports,
        },
        skipped: g.skipped.map((s) => ({
          path: s.path,
          reason: s.reason,
          ...(s.detail ? { detail: s.detail } : {}),
        })),
        diagnostics: g.diagnostics.length,
        timings: g.timings,
      };
    },
  };
}

const REFERENCE_KINDS = new Set<EdgeKind>(['references', 'imports', 'extends', 'implements', 'calls']);

export class Workspace {
  readonly #backing: WorkspaceBacking;

  constructor(backing: WorkspaceBacking) {
    this.#backing = backing;
  }

  get root(): string {
    return this.#backing.root;
  }

  /** The version (index generation) this workspace reads; undefined for a graph built in memory. */
  get version(): number | undefined {
    return this.#backing.version;
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.#backing.diagnostics;
  }

  /** The graph the queries run on (in memory, or the index's). */
  get graphReader(): AsgQueries {
    return this.#backing.graph;
  }

  /** @internal The in-memory graph, for benchmarks and tests; fails on a workspace opened from an index. */
  get asg(): Asg {
    const graph = this.#backing.graph;
    if (graph instanceof Asg) return graph;
    throw new EngineError(ERROR_CODES.INTERNAL, 'This workspace reads an index: it has no in-memory Asg');
  }

  summary(): WorkspaceSummary {
    return this.#backing.summary();
  }

  /** Releases the index (its read snapshot); the workspace is unusable after. */
  async close(): Promise<void> {
    await this.#backing.close();
  }

  /** Symbols whose name matches a pattern (`*` wildcards, else a case-insensitive substring). */
  symbols(pattern: string, options: { limit?: number; kinds?: readonly string[] } = {}): GraphNode[] {
    const kinds = options.kinds && options.kinds.length > 0 ? new Set(options.kinds) : undefined;
    return this.#backing.graph
      .searchSymbols(pattern, (options.limit ?? 200) * (kinds ? 10 : 1))
      .filter((n) => !kinds || kinds.has(n.kind))
      .slice(0, options.limit ?? 200)
      .map(toGraphNode);
  }

  /**
   * Finds the code that matters for a task or a question: files and symbols, ranked, each symbol with the
   * reason it was chosen (route, entry point, edge path, reward parts). Needs an index (`openIndex`).
   */
  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    const retrieval = await this.#retrieval();
    const changes =
      options.recentChanges ?? (options.off?.includes('change') ? [] : await recentChanges(this.root));
    const search = retrieval.config.search ?? {};
    const policy = options.policy ?? retrieval.policy?.();
    const result = await retrieval.retriever.retrieve(text, {
      limit: options.limit ?? 20,
      recentChanges: changes,
      seed: options.seed ?? 1,
      ...((options.iterations ?? search.iterations)
        ? { iterations: options.iterations ?? search.iterations }
        : {}),
      ...((options.timeMs ?? search.timeMs) ? { timeMs: options.timeMs ?? search.timeMs } : {}),
      ...(options.strategy ? { strategy: options.strategy } : {}),
      ...(options.mcts !== undefined ? { mcts: options.mcts } : {}),
      ...(options.router !== undefined ? { router: options.router } : {}),
      ...(options.route !== undefined ? { route: options.route } : {}),
      ...(options.vectors !== undefined ? { vectors: options.vectors } : {}),
      ...(options.off ? { off: options.off } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(policy ? { policy } : {}),
      search,
    });
    if (options.signal?.aborted) throw new EngineError(ERROR_CODES.CANCELLED, 'The query was cancelled');
    const graph = this.#backing.graph;
    return {
      query: text,
      ...(this.#backing.version !== undefined ? { version: this.#backing.version } : {}),
      route: result.route.name,
      files: result.files.map((f) => ({ path: f.path, score: Math.round(f.score * 1e4) / 1e4 })),
      symbols: result.symbols.map((symbol) => toQuerySymbol(symbol, graph.node(symbol.id))),
      timings: Object.fromEntries(
        Object.entries(result.timings).map(([stage, ms]) => [stage, Math.round(ms * 100) / 100]),
      ),
    };
  }

  /**
   * The context for a task, packed within a token budget: bodies of the best symbols, signatures of the
   * others, grouped by file with line numbers and the reason for each piece.
   */
  async context(
    text: string,
    options: QueryOptions & {
      budget?: number;
      format?: 'markdown' | 'json';
      core?: number;
      /** Called with the ranking the context is packed from (the live workspace remembers it). */
      onQuery?: (result: QueryResult) => void;
    } = {},
  ): Promise<ContextResult> {
    const retrieval = await this.#retrieval();
    const t0 = performance.now();
    const result = await this.query(text, { limit: 40, ...options });
    options.onQuery?.(result);
    const route = retrieval.retriever.router.routes.find((r) => r.name === result.route);
    const budget = options.budget ?? route?.budget ?? 6000;
    const core = options.core ?? 6;
    const t1 = performance.now();
    const packed = packContext(
      result.symbols.map((symbol, rank) => ({
        path: symbol.path,
        range: symbol.range,
        name: symbol.name,
        qualifiedName: symbol.qualifiedName,
        kind: symbol.kind,
        ...(graphSignature(this.#backing.graph.node(symbol.id)) ?? {}),
        score: symbol.score,
        core: rank < core,
        reason: symbol.reason ?? { route: result.route },
      })),
      { budget, readFile: (path) => retrieval.readSource(path), format: options.format ?? 'markdown' },
    );
    return {
      query: text,
      ...(result.version !== undefined ? { version: result.version } : {}),
      route: result.route,
      budget,
      tokens: packed.tokens,
      text: packed.text,
      items: packed.items,
      omitted: packed.omitted,
      timings: {
        ...result.timings,
        pack: Math.round((performance.now() - t1) * 100) / 100,
        total: Math.round((performance.now() - t0) * 100) / 100,
      },
    };
  }

  async #retrieval(): Promise<RetrievalBacking> {
    const retrieval = await this.#backing.retrieval?.();
    if (!retrieval)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        'Queries need an index: open the workspace with openIndex (run `rtc index`)',
      );
    return retrieval;
  }

  /** The declarations of a file (symbol kinds, parameters excepted), in source order. */
  fileSymbols(path: string): GraphNode[] {
    const graph = this.#backing.graph;
    const nodes: AsgNode[] = [];
    for (const id of graph.nodeIds(path)) {
      const node = graph.node(id);
      if (node?.path === path && SYMBOL_KINDS.has(node.kind) && node.kind !== 'parameter') nodes.push(node);
    }
    nodes.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
    return nodes.map(toGraphNode);
  }

  /** The symbols a name designates: exact name, or a qualified name such as `Class.method`. */
  resolveSymbol(name: string): GraphNode[] {
    return this.#backing.graph
      .findSymbols(name)
      .filter((n) => n.kind !== 'parameter')
      .map(toGraphNode);
  }

  /** Where the symbols named `name` are referred to: references, imports, calls, base classes. */
  references(name: string): { symbol: GraphNode; references: ReferenceSite[] }[] {
    const asg = this.#backing.graph;
    return asg
      .findSymbols(name)
      .filter((n) => n.kind !== 'parameter')
      .map((symbol) => {
        const references: ReferenceSite[] = [];
        for (const edge of asg.incoming(symbol.id)) {
          if (!REFERENCE_KINDS.has(edge.kind)) continue;
          const source = asg.node(edge.source)!;
          if (source.kind === 'type') {
            // A type names the symbol: its users are the declarations typed with it.
            for (const use of asg.incoming(source.id, 'type_dependency')) {
              const user = asg.node(use.source)!;
              const owner = user.kind === 'return_value' ? (asg.ownerOf(user.id) ?? user) : user;
              references.push({
                kind: 'type',
                from: toGraphNode(owner),
                path: user.path,
                range: user.selectionRange ?? user.range,
                confidence: edge.confidence ?? 1,
              });
            }
            continue;
          }
          const from = source.kind === 'call_site' ? (asg.ownerOf(source.id) ?? source) : source;
          references.push({
            kind: edge.kind,
            from: toGraphNode(from),
            path: source.path,
            range: edge.range ?? source.range,
            confidence: edge.confidence ?? 1,
          });
        }
        references.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line);
        return { symbol: toGraphNode(symbol), references };
      });
  }

  /** Who calls the symbols named `name`. */
  callers(name: string): { symbol: GraphNode; calls: CallRelation[] }[] {
    const asg = this.#backing.graph;
    return asg
      .findSymbols(name)
      .filter((n) => n.kind !== 'parameter')
      .map((symbol) => ({
        symbol: toGraphNode(symbol),
        calls: asg.callersOf(symbol.id).map(({ site, caller, edge }) => ({
          ...(caller ? { caller: toGraphNode(caller) } : {}),
          site: toGraphNode(site),
          callee: toGraphNode(symbol),
          calleeText: site.name,
          confidence: edge.confidence ?? 1,
          ambiguous: edge.ambiguous ?? false,
        })),
      }));
  }

  /** What the symbols named `name` call, resolved or not. */
  callees(name: string): { symbol: GraphNode; calls: CallRelation[] }[] {
    const asg = this.#backing.graph;
    return asg
      .findSymbols(name)
      .filter((n) => n.kind !== 'parameter')
      .map((symbol) => ({
        symbol: toGraphNode(symbol),
        calls: asg.calleesOf(symbol.id).flatMap(({ site, targets }): CallRelation[] => {
          const base = { caller: toGraphNode(symbol), site: toGraphNode(site), calleeText: site.name };
          if (targets.length === 0) return [{ ...base, confidence: 0, ambiguous: false }];
          return targets.map(({ node, edge }) => ({
            ...base,
            callee: toGraphNode(node),
            confidence: edge.confidence ?? 1,
            ambiguous: edge.ambiguous ?? false,
          }));
        }),
      }));
  }

  /** The neighbourhood of the symbols named `name`, `depth` edges out (the Graph API). */
  graph(name: string, options: { depth?: number; maxNodes?: number } = {}): GraphData {
    const asg = this.#backing.graph;
    const seeds = asg.findSymbols(name).map((n) => n.id);
    const slice = asg.neighbourhood(seeds, options.depth ?? 1, { maxNodes: options.maxNodes ?? 500 });
    return { nodes: slice.nodes.map(toGraphNode), edges: slice.edges.map(toGraphEdge) };
  }

  /** The whole ASG, or the part of it in and around the symbols named `symbol`. */
  asgData(options: { symbol?: string; depth?: number; path?: string } = {}): GraphData {
    const slice = this.#slice(options);
    return { nodes: slice.nodes.map(toGraphNode), edges: slice.edges.map(toGraphEdge) };
  }

  /** The ASG (or part of it) rendered as an outline or a Mermaid flowchart. */
  renderAsg(
    format: 'text' | 'mermaid',
    options: { symbol?: string; depth?: number; path?: string } = {},
  ): string {
    const slice = this.#slice(options);
    return format === 'mermaid' ? renderAsgMermaid(slice) : renderAsgText(slice);
  }

  #slice(options: { symbol?: string; depth?: number; path?: string }): {
    nodes: AsgNode[];
    edges: AsgEdge[];
  } {
    const asg = this.#backing.graph;
    if (options.symbol) {
      const seeds = asg.findSymbols(options.symbol);
      // A symbol with everything it contains, plus the edges that leave it.
      const ids = new Set<string>();
      const stack = seeds.map((s) => s.id);
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (ids.has(id)) continue;
        ids.add(id);
        for (const edge of asg.outgoing(id)) {
          if (
            edge.kind === 'contains' ||
            edge.kind === 'defines' ||
            edge.kind === 'has_parameter' ||
            edge.kind === 'returns'
          )
            stack.push(edge.target);
        }
      }
      const around = asg.neighbourhood([...ids], options.depth ?? 1, { maxNodes: 400 });
      return around;
    }
    return asg.slice(asg.nodeIds(options.path));
  }
}

function graphSignature(node: AsgNode | undefined): { signature: string } | undefined {
  return node?.signature ? { signature: node.signature } : undefined;
}

/** @internal */
export function toGraphNode(node: AsgNode): GraphNode {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    qualifiedName: node.qualifiedName,
    path: node.path,
    range: node.range,
    ...(node.selectionRange ? { selectionRange: node.selectionRange } : {}),
    language: node.language,
    ...(node.signature !== undefined ? { signature: node.signature } : {}),
    ...(node.doc !== undefined ? { doc: node.doc } : {}),
    ...(node.snippet !== undefined ? { snippet: node.snippet } : {}),
    ...(node.typeText !== undefined ? { typeText: node.typeText } : {}),
    ...(node.exported ? { exported: true } : {}),
    ...(node.meta ? { meta: node.meta } : {}),
  };
}

/** @internal */
export function toGraphEdge(edge: AsgEdge): GraphEdge {
  return {
    source: edge.source,
    target: edge.target,
    kind: edge.kind,
    ...(edge.confidence !== undefined ? { confidence: edge.confidence } : {}),
    ...(edge.ambiguous ? { ambiguous: true } : {}),
    ...(edge.range ? { range: edge.range } : {}),
    ...(edge.meta ? { meta: edge.meta } : {}),
  };
}
