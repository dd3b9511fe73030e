/**
 * @module retrieve/retriever
 * A query, end to end: route it, find entry points (lexical search over symbols and over whole files,
 * vector search, the identifiers it names, recent changes) fused by reciprocal rank, search the graph from
 * them (MCTS, steered by the rewards), and rank symbols and files, each with the reason it was chosen.
 * Baselines for the evaluation harness run through the same door: BM25 alone, and personalised PageRank
 * from the same entry points.
 */
import { ERROR_CODES, EngineError, splitIdentifier } from '../base/index.js';
import { CALLABLE_KINDS, CLASS_LIKE_KINDS, EDGE_KINDS, NODE_KINDS, SYMBOL_KINDS } from '../graph/index.js';
import type { CsrGraph, NodeKind } from '../graph/index.js';
import type { LexicalHit, LexicalIndex } from '../store/index.js';
import { monteCarloTreeSearch } from './mcts.js';
import type { MctsOptions, Move, NodeStats, SearchSpace } from './mcts.js';
import { personalizedPageRank } from './pagerank.js';
import { edgePrior, isNeutralPolicy, policyBonuses, policyWeights } from './policy.js';
import type { RetrievalPolicy } from './policy.js';
import { isActiveMemory, RECALL_SCALE, recallFiles } from './task-memory.js';
import {
  ChangeIndex,
  changeProximity,
  contextRelevance,
  DEFAULT_EDGE_WEIGHTS,
  OTHER_EDGE_WEIGHT,
  queryTerms,
  rewardWeights,
  semanticSimilarity,
  symbolRelevance,
  workspaceCoverage,
} from './rewards.js';
import type { QueryTerms, RewardParts } from './rewards.js';
import { DEFAULT_ROUTE, SemanticRouter } from './router.js';
import type {
  Embedder,
  Reason,
  RecentChange,
  RetrievalSwitches,
  Route,
  RewardWeights,
  VectorSearch,
} from './types.js';

/** What a retriever reads. */
export interface RetrieverSources {
  csr: CsrGraph;
  /** The lexical index (absent: no lexical entry points). */
  lexical?: LexicalIndex;
  /** Vector search and the embedder of its vectors (absent: no vector entry points). */
  vectors?: { search: VectorSearch; embedder: Embedder };
  /** The lines of a node (zero-based, inclusive), for change proximity and results. */
  lines: (node: number) => [number, number] | undefined;
  router?: SemanticRouter;
}

export interface RetrievalOptions extends RetrievalSwitches {
  /** Results per list (default 20). */
  limit?: number;
  recentChanges?: readonly RecentChange[];
  seed?: number;
  iterations?: number;
  timeMs?: number;
  signal?: AbortSignal;
  /** MCTS constants (C, α, β, γ, rollout depth). */
  mcts?: boolean;
  /** Test files count as much as source files (default: less, unless the query mentions tests). */
  tests?: boolean;
  /** The route by name, instead of routing the query (an unknown name fails). */
  route?: string;
  search?: Pick<MctsOptions, 'c' | 'alpha' | 'beta' | 'gamma' | 'rolloutDepth' | 'maxDepth'>;
  /** What was learned for this repository: weights, edge priors, node values (retrieve/policy.ts). */
  policy?: RetrievalPolicy;
}

export interface RetrievedSymbol {
  node: number;
  id: string;
  path: string;
  name: string;
  kind: string;
  lines: [number, number] | undefined;
  score: number;
  reason: Reason;
}

export interface RetrievalResult {
  route: Route;
  files: { path: string; score: number }[];
  symbols: RetrievedSymbol[];
  timings: Record<string, number>;
  /** Iterations the graph search ran, and why it stopped. */
  search?: { iterations: number; stoppedBy: string };
}

/** Kinds listed as symbols in results (others count for their enclosing declaration). */
const RESULT_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>([
  ...CALLABLE_KINDS,
  ...CLASS_LIKE_KINDS,
  'namespace',
  'type_alias',
  'constant',
  'variable',
  'field',
]);
const KIND_CODE = Object.fromEntries(NODE_KINDS.map((kind, i) => [kind, i])) as Record<NodeKind, number>;
const EDGE_CODE = Object.fromEntries(EDGE_KINDS.map((kind, i) => [kind, i])) as Record<string, number>;
/** Kinds that hold values: a local one stands for its function. */
const VALUE_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(['variable', 'constant', 'field']);
/** Edges walked up to find a node's declaration. */
const OWNER_EDGES = new Set(['contains', 'defines', 'has_parameter', 'returns']);
/** By edge kind code: 0 not an owner edge, {@link CONTAINER} for `contains` and `defines`, 1 for the others. */
const CONTAINER = 2;
const OWNER_CODES = Uint8Array.from(EDGE_KINDS, (kind) =>
  kind === 'contains' || kind === 'defines' ? CONTAINER : OWNER_EDGES.has(kind) ? 1 : 0,
);
/** By edge kind code: the label of an edge followed backwards (`called_by`, `references_by`…). */
const INCOMING_LABELS = EDGE_KINDS.map((kind) => (kind === 'calls' ? 'called_by' : `${kind}_by`));
/** The factor of test files' scores (see {@link isTestPath}) when the query does not ask for tests. */
const TEST_PRIOR = 0.5;
const TEST_DIRS = /(^|\/)(tests?|__tests__|specs?|testing|fixtures?)\//i;
const TEST_FILES = /(\.(test|spec)\.[a-z]+$|_test\.(go|py)$|(^|\/)test_[^/]*\.py$|Tests?\.(java|cs|kt)$)/;

/** Whether a path is a test (by folder or file name, as the common conventions of each language). */
export function isTestPath(path: string): boolean {
  return TEST_DIRS.test(path) || TEST_FILES.test(path);
}

/** The name the graph gives anonymous functions. */
const LAMBDA = '<lambda>';
/**
 * The graph search's default budgets: 300 iterations (measured with `rtc eval`: file Acc@5 within one
 * instance of 1,000 iterations on ky, click and hono) or 8 ms, whichever ends first (a query's p50 target
 * is 15 ms, of which the lexical entry points take about 2 with the lexical index in memory). On the
 * largest index (bench/.work as one repository) the time binds: a few dozen to a few hundred iterations.
 */
export const DEFAULT_ITERATIONS = 300;
export const DEFAULT_TIME_MS = 8;
/** Symbols are searched in this many of the best files. */
const SYMBOL_FILES = 20;
/** Reciprocal rank fusion constant. */
const RRF_K = 60;
/** Moves kept per node (by weight). */
const MAX_MOVES = 16;
/** Files the task memory recalls that become entry points (their module nodes). */
const RECALLED_ENTRIES = 10;
/** The task memory's weight counts up to this much in the reward bonus. */
const MAX_RECALL_WEIGHT = 4;

type Via = 'lexical' | 'vector' | 'symbol' | 'change' | 'memory';

/** Retrieval over one index snapshot. Build once per opened index: it keeps lookup tables. */
export class Retriever {
  readonly #sources: RetrieverSources;
  readonly #router: SemanticRouter;
  #names: Map<string, number[]> | undefined;
  #modules: Map<number, number> | undefined;
  #files: Map<string, number> | undefined;
  #maxInDegree = -1;
  /** Per node, its declaration plus two (0: not known yet; 1: none). */
  #owner: Int32Array | undefined;
  /**
   * Symbol names numbered as queries meet them, kept across queries: per node its name's number plus one
   * (0: not met yet), per number the name's parts (`splitIdentifier`), and this query's relevance of the
   * name, stamped with the query's number (typed arrays rather than maps keyed by strings: a search on a
   * large index meets tens of thousands of nodes).
   */
  #nameOf: Int32Array | undefined;
  readonly #nameNumbers = new Map<string, number>();
  readonly #nameParts: (readonly string[])[] = [];
  #nameRelevance = new Float64Array(0);
  #nameStamp = new Int32Array(0);

  constructor(sources: RetrieverSources) {
    this.#sources = sources;
    this.#router = sources.router ?? new SemanticRouter();
  }

  get router(): SemanticRouter {
    return this.#router;
  }

  #namedRoute(name: string): Route {
    const route = this.#router.routes.find((r) => r.name === name);
    if (!route)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `Unknown route '${name}' (routes: ${this.#router.routes.map((r) => r.name).join(', ')})`,
      );
    return route;
  }

  /** Answers a query. */
  async retrieve(text: string, options: RetrievalOptions = {}): Promise<RetrievalResult> {
    const t0 = performance.now();
    const limit = options.limit ?? 20;
    const timings: Record<string, number> = {};
    const route = options.route
      ? this.#namedRoute(options.route)
      : options.router === false
        ? DEFAULT_ROUTE
        : this.#router.route(text).route;
    timings.route = performance.now() - t0;

    const terms = queryTerms(text);
    const t1 = performance.now();
    const entry = await this.#entryPoints(text, terms, options);
    timings.entry = performance.now() - t1;

    const strategy = options.strategy ?? 'full';
    let result: RetrievalResult;
    if (strategy === 'bm25') result = this.#bm25(entry, route, limit);
    else if (strategy === 'pagerank') result = this.#pagerank(entry, route, limit);
    else result = this.#search(text, entry, terms, route, options, limit);
    result.timings = { ...timings, ...result.timings, total: performance.now() - t0 };
    return result;
  }

  // Entry points ------------------------------------------------------------------------------------------

  async #entryPoints(text: string, terms: QueryTerms, options: RetrievalOptions): Promise<EntryPoints> {
    const { csr, lexical, vectors } = this.#sources;
    const lists: { via: Via; weight: number; nodes: number[] }[] = [];
    const lexicalSimilarity = new Map<number, number>();
    const vectorSimilarity = new Map<number, number>();
    const toNodes = (hits: readonly { id: string; score: number }[], similarity: Map<number, number>) => {
      const best = hits[0]?.score ?? 0;
      const nodes: number[] = [];
      for (const hit of hits) {
        const node = csr.indexOf(hit.id);
        if (node < 0) continue;
        nodes.push(node);
        const value = best > 0 ? hit.score / best : 0;
        if (value > (similarity.get(node) ?? 0)) similarity.set(node, value);
      }
      return nodes;
    };
    let moduleHits: LexicalHit[] = [];
    if (lexical) {
      // Files first (one document each: cheap), then the symbols of the best files (BM25 over every
      // symbol's text costs ten times more and found little the graph search does not reach).
      moduleHits = lexical.search(text, { limit: 40, kinds: ['module'] });
      const symbolHits = lexical.search(text, {
        limit: 60,
        kinds: SYMBOL_SEARCH_KINDS,
        paths: moduleHits.slice(0, SYMBOL_FILES).map((hit) => hit.path),
      });
      lists.push({ via: 'lexical', weight: 1, nodes: toNodes(symbolHits, lexicalSimilarity) });
      lists.push({ via: 'lexical', weight: 1, nodes: toNodes(moduleHits, lexicalSimilarity) });
    }
    if (vectors && options.vectors !== false) {
      const [query] = await vectors.embedder.embed([text], 'query');
      if (query) {
        const hits = vectors.search.search(query, 60);
        lists.push({ via: 'vector', weight: 1, nodes: toNodes(hits, vectorSimilarity) });
      }
    }
    // Identifiers the query names.
    const named: number[] = [];
    if (terms.identifiers.size > 0) {
      const names = this.#nameIndex();
      for (const identifier of terms.identifiers) {
        const last = identifier.split('.').pop()!;
        for (const node of names.get(last)?.slice(0, 20) ?? []) named.push(node);
      }
      lists.push({ via: 'symbol', weight: 1.5, nodes: named });
    }
    // Recently changed files, by recency.
    const changes = new ChangeIndex(options.off?.includes('change') ? [] : (options.recentChanges ?? []));
    if (changes.size > 0) {
      const modules = this.#moduleIndex();
      const files = this.#fileIndex();
      const changed = [...changes.paths()]
        .map((path) => ({ path, weight: changes.get(path)!.weight }))
        .sort((a, b) => b.weight - a.weight);
      const nodes: number[] = [];
      for (const { path } of changed) {
        const file = files.get(path);
        const module = file === undefined ? undefined : modules.get(file);
        if (module !== undefined) nodes.push(module);
      }
      lists.push({ via: 'change', weight: 0.5, nodes });
    }
    // Files that past tasks like this one touched (the policy's task memory).
    const recalled = new Map<number, number>();
    const memory = options.policy?.memory;
    if (options.strategy !== 'bm25' && options.strategy !== 'pagerank' && isActiveMemory(memory)) {
      const modules = this.#moduleIndex();
      const fileIndex = this.#fileIndex();
      const nodes: number[] = [];
      for (const [path, score] of recallFiles(memory, text)) {
        const file = fileIndex.get(path);
        if (file === undefined) continue;
        recalled.set(file, score);
        const module = modules.get(file);
        if (module !== undefined && nodes.length < RECALLED_ENTRIES) nodes.push(module);
      }
      lists.push({ via: 'memory', weight: Math.min(1, memory.weight), nodes });
    }
    // Reciprocal rank fusion.
    const fused = new Map<number, { score: number; via: Via }>();
    for (const list of lists) {
      list.nodes.forEach((node, rank) => {
        const add = list.weight / (RRF_K + rank + 1);
        const known = fused.get(node);
        if (!known) fused.set(node, { score: add, via: list.via });
        else known.score += add;
      });
    }
    const ranked = [...fused].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    const best = ranked[0]?.[1].score ?? 1;
    return {
      entries: ranked.map(([node, { score, via }]) => ({ node, prior: score / best, via })),
      lexicalSimilarity,
      vectorSimilarity,
      moduleHits,
      changes,
      recalled,
    };
  }

  // Strategies --------------------------------------------------------------------------------------------

  #bm25(entry: EntryPoints, route: Route, limit: number): RetrievalResult {
    const { csr } = this.#sources;
    const files = entry.moduleHits.slice(0, limit).map((hit) => ({ path: hit.path, score: hit.score }));
    const symbols: RetrievedSymbol[] = [];
    const seen = new Set<number>();
    for (const [node, similarity] of [...entry.lexicalSimilarity].sort((a, b) => b[1] - a[1])) {
      if (csr.arrays.nodeKind[node] === KIND_CODE.module) continue;
      const symbol = this.#declarationOf(node);
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      symbols.push(this.#symbol(symbol, similarity, { route: route.name }));
      if (symbols.length >= limit) break;
    }
    return { route, files, symbols, timings: {} };
  }

  #pagerank(entry: EntryPoints, route: Route, limit: number): RetrievalResult {
    const t0 = performance.now();
    const seeds = new Map(entry.entries.slice(0, 100).map((e) => [e.node, e.prior]));
    const scores = personalizedPageRank(this.#sources.csr, seeds, { iterations: 30 });
    const candidates: number[] = [];
    for (let node = 0; node < scores.length; node++) if (scores[node]! > 0) candidates.push(node);
    candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);
    const ranked = this.#rank(
      candidates
        .slice(0, 5000)
        .map((node) => ({ node, score: scores[node]!, reason: () => ({ route: route.name }) })),
      limit,
      false,
    );
    return { route, ...ranked, timings: { search: performance.now() - t0 } };
  }

  #search(
    text: string,
    entry: EntryPoints,
    terms: QueryTerms,
    route: Route,
    options: RetrievalOptions,
    limit: number,
  ): RetrievalResult {
    const t0 = performance.now();
    const policy = isNeutralPolicy(options.policy) ? undefined : options.policy;
    const weights = policyWeights(rewardWeights(route.rewards, options.off), policy);
    const space = this.#space(entry, terms, route, weights, policy);
    const entries = entry.entries.slice(0, 40);
    const viaOf = new Map(entries.map((e) => [e.node, e.via]));
    // Reasons are built for the symbols that make the list only.
    const scored: Scored[] = [];
    let search: RetrievalResult['search'];
    if (options.mcts === false) {
      for (const e of entries) {
        const reward = space.reward(e.node, undefined, 1, 0);
        scored.push({
          node: e.node,
          score: reward,
          reason: () => this.#reason(route, space, [{ node: e.node, edge: undefined }], viaOf),
        });
      }
    } else {
      const result = monteCarloTreeSearch(space, entries, {
        iterations: options.iterations ?? DEFAULT_ITERATIONS,
        timeMs: options.timeMs ?? DEFAULT_TIME_MS,
        seed: options.seed ?? 1,
        ...(options.signal ? { signal: options.signal } : {}),
        ...options.search,
      });
      search = { iterations: result.iterations, stoppedBy: result.stoppedBy };
      // Entry points the budget left unvisited still count, by their own reward.
      for (const e of entries)
        if (!result.stats.has(e.node))
          scored.push({
            node: e.node,
            score: space.reward(e.node, undefined, 1, 0),
            reason: () => this.#reason(route, space, [{ node: e.node, edge: undefined }], viaOf),
          });
      for (const stats of result.stats.values())
        scored.push({
          node: stats.node,
          score: nodeScore(stats),
          reason: () => this.#reason(route, space, stats.path, viaOf),
        });
    }
    const t1 = performance.now();
    const testPrior = options.tests === false || /\btests?\b|\bspecs?\b/i.test(text) ? 1 : TEST_PRIOR;
    const ranked = this.#rank(scored, limit, weights.coverage > 0, testPrior);
    return {
      route,
      ...ranked,
      timings: { search: t1 - t0, rank: performance.now() - t1 },
      ...(search ? { search } : {}),
    };
  }

  /** Symbols (declarations, best first, spread over files) and files from scored nodes. */
  #rank(
    scored: readonly Scored[],
    limit: number,
    spread: boolean,
    testPrior = 1,
  ): Pick<RetrievalResult, 'files' | 'symbols'> {
    const { csr } = this.#sources;
    const bySymbol = new Map<number, { score: number; reason: () => Reason }>();
    const byFile = new Map<string, number[]>();
    for (const { node, score: raw, reason } of scored) {
      const path = csr.pathOf(node);
      if (path === '') continue;
      // Tests explain code but are rarely what a task changes: they count less, unless asked for.
      const score = testPrior < 1 && isTestPath(path) ? raw * testPrior : raw;
      const scores = byFile.get(path);
      if (scores) scores.push(score);
      else byFile.set(path, [score]);
      if (csr.arrays.nodeKind[node] === KIND_CODE.module) continue;
      const symbol = this.#declarationOf(node);
      if (symbol < 0 || csr.arrays.nodeKind[symbol] === KIND_CODE.module) continue;
      const known = bySymbol.get(symbol);
      if (!known || known.score < score) bySymbol.set(symbol, { score, reason });
    }
    const files = [...byFile]
      .map(([path, scores]) => {
        scores.sort((a, b) => b - a);
        return { path, score: (scores[0] ?? 0) + 0.25 * (scores[1] ?? 0) + 0.1 * (scores[2] ?? 0) };
      })
      .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1));
    const candidates = [...bySymbol].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    const symbols: RetrievedSymbol[] = [];
    const picks = new Map<string, number>();
    // Greedy, with a coverage discount: the fourth pick in a file needs a clearly better score.
    const pool = candidates.slice(0, limit * 4);
    while (symbols.length < limit && pool.length > 0) {
      let bestIndex = 0;
      let bestScore = -Infinity;
      for (let i = 0; i < pool.length; i++) {
        const [node, { score }] = pool[i]!;
        const adjusted = spread ? score * (0.7 + 0.3 * workspaceCoverage(csr.pathOf(node), picks)) : score;
        if (adjusted > bestScore) {
          bestScore = adjusted;
          bestIndex = i;
        }
      }
      const [node, { reason }] = pool.splice(bestIndex, 1)[0]!;
      const path = csr.pathOf(node);
      picks.set(path, (picks.get(path) ?? 0) + 1);
      symbols.push(this.#symbol(node, bestScore, reason()));
    }
    return { files: files.slice(0, limit), symbols };
  }

  #symbol(node: number, score: number, reason: Reason): RetrievedSymbol {
    const { csr } = this.#sources;
    return {
      node,
      id: csr.arrays.ids[node]!,
      path: csr.pathOf(node),
      name: csr.arrays.names[node]!,
      kind: csr.kindOf(node),
      lines: this.#sources.lines(node),
      score,
      reason,
    };
  }

  #reason(
    route: Route,
    space: RewardSpace,
    path: readonly { node: number; edge: string | undefined }[],
    viaOf: ReadonlyMap<number, Via>,
  ): Reason {
    const names = this.#sources.csr.arrays.names;
    const first = path[0];
    const last = path[path.length - 1];
    const reason: Reason = { route: route.name };
    if (first)
      reason.entry = {
        id: this.#sources.csr.arrays.ids[first.node]!,
        name: names[first.node]!,
        via: viaOf.get(first.node) ?? 'lexical',
      };
    if (path.length > 1)
      reason.path = path.slice(1).map((step) => ({ edge: step.edge ?? '', name: names[step.node]! }));
    if (last) reason.rewards = space.parts(last.node, last.edge);
    return reason;
  }

  // The search space ----------------------------------------------------------------------------------------

  #space(
    entry: EntryPoints,
    terms: QueryTerms,
    route: Route,
    weights: RewardWeights,
    policy: RetrievalPolicy | undefined,
  ): RewardSpace {
    const { csr } = this.#sources;
    const { nodeKind, nodeFile, outStart, edgeTarget, edgeKind, edgeConfidence, inStart, inEdges, names } =
      csr.arrays;
    const inSource = csr.inSource;
    const incoming = route.incoming ?? 0.5;
    // Edge weights by label (`calls`, and `called_by`, `references_by`… for edges followed backwards).
    const edgeWeights = new Map<string, number>();
    const edgeWeight = (label: string): number => {
      let weight = edgeWeights.get(label);
      if (weight === undefined) {
        const kind = label === 'called_by' ? 'calls' : label.replace(/_by$/, '');
        weight = (DEFAULT_EDGE_WEIGHTS[kind] ?? OTHER_EDGE_WEIGHT) * (route.edges?.[kind] ?? 1);
        edgeWeights.set(label, weight);
      }
      return weight;
    };
    const maxInDegree = this.#maxIn();
    const weightSum =
      weights.semantic + weights.symbol + weights.change + weights.coverage + weights.context || 1;
    // Per-node parts of this query, in arrays kept by the retriever and stamped with the query's number:
    // no allocation per node, nothing cleared between queries.
    const cache = this.#partsCache();
    const stamp = ++this.#query;
    // Many nodes share a name: symbol relevance is computed once per name and query.
    const nameOf = (this.#nameOf ??= new Int32Array(csr.nodeCount));
    const relevanceOf = (node: number): number => {
      let number = nameOf[node]! - 1;
      if (number < 0) {
        number = this.#nameNumber(names[node]!);
        nameOf[node] = number + 1;
      }
      if (this.#nameStamp[number] === stamp) return this.#nameRelevance[number]!;
      const name = names[node]!;
      const value = symbolRelevance(name, name, terms, this.#nameParts[number]);
      this.#nameRelevance[number] = value;
      this.#nameStamp[number] = stamp;
      return value;
    };
    const ownParts = (node: number): void => {
      if (cache.stamp[node] === stamp) return;
      const path = csr.pathOf(node);
      const change =
        entry.changes.size > 0 && entry.changes.get(path)
          ? changeProximity(path, this.#sources.lines(node), entry.changes)
          : 0;
      const semantic = semanticSimilarity(
        entry.lexicalSimilarity.get(node) ?? 0,
        entry.vectorSimilarity.get(node) ?? 0,
      );
      const symbol = nodeKind[node] === KIND_CODE.call_site ? 0 : relevanceOf(node);
      cache.semantic[node] = semantic;
      cache.symbol[node] = symbol;
      cache.change[node] = change;
      // The part of the weighted sum that depends on the node alone.
      cache.fixed[node] = weights.semantic * semantic + weights.symbol * symbol + weights.change * change;
      cache.stamp[node] = stamp;
    };
    const affinity = (node: number): number => {
      ownParts(node);
      return Math.max(cache.semantic[node]!, cache.symbol[node]!, cache.change[node]!);
    };
    const movesCache = new Map<number, Move[]>();
    const typeCode = KIND_CODE.type;
    const callSite = KIND_CODE.call_site;
    const callsCode = EDGE_CODE.calls!;
    const referencesCode = EDGE_CODE.references!;
    // Weights by edge kind code, forwards and backwards: no strings built or looked up per edge.
    // The policy's priors scale the moves (not the context reward); without a policy they are all 1.
    const outWeight = EDGE_KINDS.map((kind) => edgeWeight(kind) * edgePrior(policy, kind));
    const inWeight = EDGE_KINDS.map((kind) => edgeWeight(kind) * incoming * edgePrior(policy, kind));
    const callsWeight = edgeWeight('calls') * edgePrior(policy, 'calls');
    const containerWeight = 0.3 * incoming * edgePrior(policy, 'contains');
    // What the policy learned of nodes and files: a bounded bonus on their reward; and what the task
    // memory recalls for this query: a bonus on the nodes of the recalled files.
    const learned = this.#bonuses(policy);
    const recallScale = RECALL_SCALE * Math.min(MAX_RECALL_WEIGHT, policy?.memory?.weight ?? 0);
    const recalled = entry.recalled;
    const bonus =
      recalled.size === 0 || recallScale === 0
        ? learned
        : (node: number): number =>
            (learned ? learned(node) : 0) + recallScale * (recalled.get(nodeFile[node]!) ?? 0);
    // The moves of a node: in edge order when there are at most MAX_MOVES, else the best MAX_MOVES by
    // weight (ties: lower target, then edge order), kept as they come rather than sorted at the end.
    let list: Move[] = [];
    let candidates = 0;
    const add = (target: number, edge: string, base: number) => {
      if (nodeKind[target] === typeCode) return;
      const weight = base * (0.5 + 0.5 * affinity(target));
      candidates++;
      if (candidates <= MAX_MOVES) {
        list.push({ target, edge, weight });
        return;
      }
      if (candidates === MAX_MOVES + 1) list.sort(byWeight); // stable: equal moves keep their order
      const worst = list[MAX_MOVES - 1]!;
      if (weight < worst.weight || (weight === worst.weight && target >= worst.target)) return;
      let at = MAX_MOVES - 1;
      while (at > 0 && better(weight, target, list[at - 1]!)) at--;
      list.splice(at, 0, { target, edge, weight });
      list.length = MAX_MOVES;
    };
    const moves = (node: number): readonly Move[] => {
      const cached = movesCache.get(node);
      if (cached) return cached;
      list = [];
      candidates = 0;
      for (let e = outStart[node]!; e < outStart[node + 1]!; e++) {
        const target = edgeTarget[e]!;
        const code = edgeKind[e]!;
        if (nodeKind[target] === callSite) {
          // A call site stands for the calls it makes: go straight to the callees.
          for (let f = outStart[target]!; f < outStart[target + 1]!; f++)
            if (edgeKind[f] === callsCode) add(edgeTarget[f]!, 'calls', callsWeight * edgeConfidence[f]!);
          continue;
        }
        if (nodeKind[target] === typeCode) {
          // A type stands for the declarations it names.
          for (let f = outStart[target]!; f < outStart[target + 1]!; f++)
            if (edgeKind[f] === referencesCode) add(edgeTarget[f]!, EDGE_KINDS[code]!, outWeight[code]!);
          continue;
        }
        add(target, EDGE_KINDS[code]!, outWeight[code]! * edgeConfidence[e]!);
      }
      if (incoming > 0) {
        for (let i = inStart[node]!; i < inStart[node + 1]!; i++) {
          const e = inEdges[i]!;
          const source = inSource[i]!;
          const code = edgeKind[e]!;
          const owner = OWNER_CODES[code]!;
          if (owner > 0) {
            if (owner === CONTAINER) add(source, 'contained_in', containerWeight);
            continue;
          }
          const from = nodeKind[source] === callSite ? this.#declarationOf(source) : source;
          if (from < 0 || from === node) continue;
          add(from, INCOMING_LABELS[code]!, inWeight[code]! * edgeConfidence[e]!);
        }
      }
      movesCache.set(node, list);
      return list;
    };
    const centrality = (node: number): number => inStart[node + 1]! - inStart[node]!;
    const parts = (node: number, edge: string | undefined, sameFile = 0): RewardParts => {
      ownParts(node);
      return {
        semantic: cache.semantic[node]!,
        symbol: cache.symbol[node]!,
        change: cache.change[node]!,
        coverage: 1 / (1 + sameFile),
        context: contextRelevance(edge === undefined ? 1 : edgeWeight(edge), centrality(node), maxInDegree),
      };
    };
    return {
      moves,
      fileOf: (node) => nodeFile[node]!,
      // combineRewards(parts(…), weights), without building the parts (the search calls this most).
      reward: (node, edge, _depth, sameFile) => {
        ownParts(node);
        const context = contextRelevance(
          edge === undefined ? 1 : edgeWeight(edge),
          centrality(node),
          maxInDegree,
        );
        const reward =
          (cache.fixed[node]! + weights.coverage / (1 + sameFile) + weights.context * context) / weightSum;
        return bonus ? Math.max(0, reward + bonus(node)) : reward;
      },
      parts: (node, edge) => parts(node, edge),
    };
  }

  // Lookup tables -------------------------------------------------------------------------------------------

  /** Lowercased symbol names → nodes (declarations first: classes and functions before variables). */
  #nameIndex(): Map<string, number[]> {
    if (this.#names) return this.#names;
    const { names, nodeKind } = this.#sources.csr.arrays;
    const index = new Map<string, number[]>();
    for (let node = 0; node < names.length; node++) {
      const kind = NODE_KINDS[nodeKind[node]!]!;
      if (!RESULT_KINDS.has(kind)) continue;
      const key = names[node]!.toLowerCase();
      const list = index.get(key);
      if (list) list.push(node);
      else index.set(key, [node]);
    }
    const rank = (node: number) =>
      CALLABLE_KINDS.has(this.#sources.csr.kindOf(node)) ||
      CLASS_LIKE_KINDS.has(this.#sources.csr.kindOf(node))
        ? 0
        : 1;
    for (const list of index.values()) if (list.length > 1) list.sort((a, b) => rank(a) - rank(b) || a - b);
    this.#names = index;
    return index;
  }

  /** Path → file index. */
  #fileIndex(): Map<string, number> {
    return (this.#files ??= new Map(this.#sources.csr.arrays.files.map((path, i) => [path, i])));
  }

  /** File index → its module node. */
  #moduleIndex(): Map<number, number> {
    if (this.#modules) return this.#modules;
    const { nodeKind, nodeFile } = this.#sources.csr.arrays;
    const modules = new Map<number, number>();
    for (let node = 0; node < nodeKind.length; node++)
      if (nodeKind[node] === KIND_CODE.module && !modules.has(nodeFile[node]!))
        modules.set(nodeFile[node]!, node);
    this.#modules = modules;
    return modules;
  }

  #query = 0;
  #parts: PartsCache | undefined;
  #policyBonus: { policy: RetrievalPolicy; bonus: ((node: number) => number) | undefined } | undefined;

  /** The policy's bonus of each node, kept while the same policy object comes back. */
  #bonuses(policy: RetrievalPolicy | undefined): ((node: number) => number) | undefined {
    if (!policy) return undefined;
    if (this.#policyBonus?.policy !== policy)
      this.#policyBonus = { policy, bonus: policyBonuses(policy, this.#sources.csr) };
    return this.#policyBonus.bonus;
  }

  /** Arrays of per-node reward parts, one slot per node, reused by every query. */
  #partsCache(): PartsCache {
    const n = this.#sources.csr.nodeCount;
    this.#parts ??= {
      stamp: new Int32Array(n),
      semantic: new Float32Array(n),
      symbol: new Float32Array(n),
      change: new Float32Array(n),
      fixed: new Float32Array(n),
    };
    return this.#parts;
  }

  /** The number of a symbol name (see {@link #nameOf}), given when first met. */
  #nameNumber(name: string): number {
    let number = this.#nameNumbers.get(name);
    if (number !== undefined) return number;
    number = this.#nameParts.length;
    this.#nameNumbers.set(name, number);
    this.#nameParts.push(splitIdentifier(name));
    if (number >= this.#nameStamp.length) {
      const size = Math.max(1024, this.#nameStamp.length * 2);
      const relevance = new Float64Array(size);
      relevance.set(this.#nameRelevance);
      const stamps = new Int32Array(size);
      stamps.set(this.#nameStamp);
      this.#nameRelevance = relevance;
      this.#nameStamp = stamps;
    }
    return number;
  }

  #maxIn(): number {
    if (this.#maxInDegree >= 0) return this.#maxInDegree;
    const { inStart } = this.#sources.csr.arrays;
    let max = 0;
    for (let node = 0; node + 1 < inStart.length; node++)
      max = Math.max(max, inStart[node + 1]! - inStart[node]!);
    this.#maxInDegree = max;
    return max;
  }

  /**
   * The declaration a node stands for: itself when it is a named function, class or the like, or a variable
   * at module or class level; else the nearest enclosing one (lambdas and local variables stand for the
   * function around them). -1: none.
   */
  #declarationOf(node: number): number {
    const owners = (this.#owner ??= new Int32Array(this.#sources.csr.nodeCount));
    if (owners[node] !== 0) return owners[node]! - 2;
    const { csr } = this.#sources;
    const names = csr.arrays.names;
    const parentOf = (at: number): number => {
      const { inStart, inEdges, edgeKind } = csr.arrays;
      for (let i = inStart[at]!; i < inStart[at + 1]!; i++)
        if (OWNER_CODES[edgeKind[inEdges[i]!]!]! > 0) return csr.inSource[i]!;
      return -1;
    };
    let at = node;
    for (let steps = 0; steps < 16 && at >= 0; steps++) {
      const kind = csr.kindOf(at);
      if (kind === 'module') break;
      if (names[at] !== LAMBDA && RESULT_KINDS.has(kind)) {
        if (!VALUE_KINDS.has(kind)) break;
        const parent = parentOf(at);
        if (parent < 0 || csr.kindOf(parent) === 'module' || CLASS_LIKE_KINDS.has(csr.kindOf(parent))) break;
      }
      at = parentOf(at);
    }
    owners[node] = at + 2;
    return at;
  }
}

/** Moves by weight, best first; ties by target. */
function byWeight(a: Move, b: Move): number {
  return b.weight - a.weight || a.target - b.target;
}

/** Whether a move of this weight and target comes before `move` in {@link byWeight} order. */
function better(weight: number, target: number, move: Move): boolean {
  return weight > move.weight || (weight === move.weight && target < move.target);
}

/** What the search knows of a node: its reward, plus half the value of what lies beyond it. */
function nodeScore(stats: NodeStats): number {
  return stats.reward + 0.5 * stats.value;
}

/** Lexical kinds searched as symbols (modules are searched apart, as whole files). */
const SYMBOL_SEARCH_KINDS = [...SYMBOL_KINDS].filter((kind) => kind !== 'module' && kind !== 'parameter');

/** A node the search scored, with the reason for it (built on demand). */
interface Scored {
  node: number;
  score: number;
  reason: () => Reason;
}

interface PartsCache {
  stamp: Int32Array;
  semantic: Float32Array;
  symbol: Float32Array;
  change: Float32Array;
  fixed: Float32Array;
}

interface EntryPoints {
  entries: { node: number; prior: number; via: Via }[];
  lexicalSimilarity: Map<number, number>;
  vectorSimilarity: Map<number, number>;
  moduleHits: LexicalHit[];
  changes: ChangeIndex;
  /** File index → how strongly the task memory recalls it (0, 1]. */
  recalled: Map<number, number>;
}

interface RewardSpace extends SearchSpace {
  parts(node: number, edge: string | undefined): RewardParts;
}
