/**
 * @module engine/policy-update
 * The update rules of the retrieval policy: one episode (a query, what it returned, which items turned out
 * relevant and which did not) in, a new policy out. Pure: the same rules serve explicit feedback, implicit
 * feedback from edits and the replay of past commits (`rtc learn`).
 * - Values: each judged node and file moves its running mean towards +1 (relevant) or -1 (not relevant);
 *   a weak negative counts for less than one observation. Past {@link MAX_EVIDENCE} observations the mean
 *   becomes an exponential moving average, so that old evidence fades.
 * - Reward weights: a pairwise ranking step (RankNet) over (relevant, not relevant) pairs of the results:
 *   each component's log-multiplier moves by the difference of the two items' reward parts, times how
 *   wrong the pair's order was (1 − σ((s⁺ − s⁻) / τ)).
 * - Edge priors: the same step on the edge kinds of the paths that led to the two items (the share of each
 *   kind among a path's edges): kinds that lead to relevant items gain, kinds that lead away lose.
 * - Task memory: the query and the files judged relevant are remembered as a past task (retrieve/
 *   task-memory.ts), so that a later query like it recalls those files.
 * Multipliers stay within [MIN_MULTIPLIER, MAX_MULTIPLIER]; the maps of values and the memory are capped in
 * size (the oldest go first).
 */
import {
  clampMultiplier,
  edgeKindOfLabel,
  MAX_MULTIPLIER,
  MIN_MULTIPLIER,
  rememberTasks,
  REWARD_COMPONENTS,
  taskTerms,
} from '../retrieve/index.js';
import type { RetrievalPolicy, RewardComponent, ValueEstimate } from '../retrieve/index.js';
import type { QuerySymbol } from './types.js';

/** One ranked result of an episode: what retrieval said about it. */
export interface EpisodeResult {
  /** The symbol's node id (absent: a file). */
  id?: string;
  path: string;
  /** Its score in the ranking. */
  score?: number;
  /** Its reward parts (`reason.rewards` of a query's symbol). */
  rewards?: Partial<Record<RewardComponent, number>>;
  /** The edges from the entry point to it (`reason.path[].edge`: `calls`, `called_by`…). */
  edges?: readonly string[];
}

/** An item judged by an episode: a symbol by id (its path, when known, too) or a file by path. */
export interface EpisodeItem {
  id?: string;
  path?: string;
}

/** What one episode says: for a query, which items were relevant and which were not. */
export interface PolicyEpisode {
  /** The query or task. */
  query?: string;
  /** Where the judgement comes from: `explicit` (feedback), `implicit` (edits), `history` (commits)… */
  source: string;
  /** The ranked results, best first (needed to learn weights and edge priors). */
  results?: readonly EpisodeResult[];
  /** Relevant items (useful, edited, changed by the commit). */
  relevant: readonly EpisodeItem[];
  /** Items judged not relevant; absent: the results not relevant. */
  irrelevant?: readonly EpisodeItem[];
  /** How much one negative counts against one positive (default 1; weak negatives less). */
  negativeWeight?: number;
  /** Which value estimates to move (default both): a caller that moved the positives already says so. */
  values?: { relevant?: boolean; irrelevant?: boolean };
  /** When (ms since the epoch; default now). */
  at?: number;
  /** Remember the query and its relevant files in the task memory (default true when there is a query). */
  remember?: boolean;
}

export interface PolicyUpdateOptions {
  /** Step of the pairwise update of the reward weights' log-multipliers (default 0.1). */
  weightRate?: number;
  /** Step of the edge priors' log-multipliers (default 0.1). */
  edgeRate?: number;
  /** Pairs per episode at most (default 64: the best-ranked ones). */
  maxPairs?: number;
}

/** The ranked symbols of a query (`QueryResult.symbols`) as an episode's results. */
export function episodeResults(symbols: readonly QuerySymbol[]): EpisodeResult[] {
  return symbols.map((symbol) => ({
    id: symbol.id,
    path: symbol.path,
    score: symbol.score,
    ...(symbol.reason?.rewards ? { rewards: symbol.reason.rewards } : {}),
    ...(symbol.reason?.path ? { edges: symbol.reason.path.map((step) => step.edge) } : {}),
  }));
}

/** Past this many observations, a value estimate is a moving average. */
export const MAX_EVIDENCE = 20;
/** Value estimates kept at most per map (nodes, files); the least recently updated go first. */
export const MAX_ESTIMATES = 20_000;
/** The temperature of the pairwise update (score differences are small: rewards are in [0, 1]). */
const PAIR_TEMPERATURE = 0.1;

/** The estimate after one observation of `target` counting `strength` observations. */
export function observeValue(
  estimate: ValueEstimate | undefined,
  target: number,
  strength: number,
  at: number,
): ValueEstimate {
  const before = estimate?.value ?? 0;
  const count = (estimate?.count ?? 0) + strength;
  const rate = Math.min(1, strength / Math.min(count, MAX_EVIDENCE));
  const value = Math.max(-1, Math.min(1, before + rate * (target - before)));
  return { value: round(value), count: round(count), at };
}

/** The policy after one episode (a new object: `policy` is not changed). Its version is one more. */
export function updatePolicy(
  policy: RetrievalPolicy,
  episode: PolicyEpisode,
  options: PolicyUpdateOptions = {},
): RetrievalPolicy {
  const at = episode.at ?? Date.now();
  const negativeWeight = episode.negativeWeight ?? 1;
  const next: RetrievalPolicy = {
    schema: policy.schema,
    version: policy.version + 1,
    updatedAt: new Date(at).toISOString(),
    weights: { ...policy.weights },
    edges: { ...policy.edges },
    nodes: copy(policy.nodes),
    files: copy(policy.files),
    episodes: { ...policy.episodes, [episode.source]: (policy.episodes[episode.source] ?? 0) + 1 },
  };
  const results = episode.results ?? [];
  const pathOfId = new Map<string, string>();
  for (const result of results) if (result.id !== undefined) pathOfId.set(result.id, result.path);
  const relevant = itemSet(episode.relevant);
  const isRelevant = (result: EpisodeResult): boolean =>
    (result.id !== undefined && relevant.ids.has(result.id)) || relevant.paths.has(result.path);
  const irrelevantItems =
    episode.irrelevant ??
    results.filter((result) => !isRelevant(result)).map((r) => ({ id: r.id, path: r.path }));
  const irrelevant = itemSet(irrelevantItems);
  const isIrrelevant = (result: EpisodeResult): boolean =>
    !isRelevant(result) &&
    ((result.id !== undefined && irrelevant.ids.has(result.id)) || irrelevant.paths.has(result.path));

  // Values.
  const observe = (items: readonly EpisodeItem[], target: number, strength: number): void => {
    const files = new Map<string, number>();
    for (const item of items) {
      if (item.id !== undefined)
        next.nodes[item.id] = observeValue(next.nodes[item.id], target, strength, at);
      const path = item.path ?? (item.id !== undefined ? pathOfId.get(item.id) : undefined);
      // A file judged through several of its symbols moves once, by the strongest judgement.
      if (path !== undefined)
        files.set(path, Math.max(files.get(path) ?? 0, item.id === undefined ? 1 : 0.5));
    }
    for (const [path, share] of files)
      next.files[path] = observeValue(next.files[path], target, strength * share, at);
  };
  if (episode.values?.relevant !== false) observe(episode.relevant, 1, 1);
  if (episode.values?.irrelevant !== false && negativeWeight > 0)
    observe(irrelevantItems, -1, negativeWeight);

  // Reward weights and edge priors, from pairs of ranked results.
  const positives = results.filter(isRelevant);
  const negatives = results.filter(isIrrelevant);
  if (positives.length > 0 && negatives.length > 0) {
    const pairs = rankedPairs(positives, negatives, options.maxPairs ?? 64);
    const weightStep = (options.weightRate ?? 0.1) / pairs.length;
    const edgeStep = (options.edgeRate ?? 0.1) / pairs.length;
    const weightGrad = new Map<RewardComponent, number>();
    const edgeGrad = new Map<string, number>();
    for (const [positive, negative] of pairs) {
      const margin = (positive.score ?? 0) - (negative.score ?? 0);
      const wrong = (1 - sigmoid(margin / PAIR_TEMPERATURE)) * negativeWeight;
      for (const component of REWARD_COMPONENTS) {
        const a = positive.rewards?.[component];
        const b = negative.rewards?.[component];
        if (a === undefined || b === undefined) continue;
        weightGrad.set(component, (weightGrad.get(component) ?? 0) + wrong * (a - b));
      }
      const shares = edgeShares(positive.edges);
      for (const [kind, share] of edgeShares(negative.edges))
        shares.set(kind, (shares.get(kind) ?? 0) - share);
      for (const [kind, share] of shares) edgeGrad.set(kind, (edgeGrad.get(kind) ?? 0) + wrong * share);
    }
    for (const [component, gradient] of weightGrad)
      next.weights[component] = step(next.weights[component], weightStep * gradient);
    for (const [kind, gradient] of edgeGrad) next.edges[kind] = step(next.edges[kind], edgeStep * gradient);
  }
  next.nodes = prune(next.nodes);
  next.files = prune(next.files);

  // The task memory: the query and the files that mattered to it.
  if (policy.memory) next.memory = policy.memory;
  if (episode.remember !== false && episode.query !== undefined) {
    const files = new Set<string>();
    for (const item of episode.relevant) {
      const path = item.path ?? (item.id !== undefined ? pathOfId.get(item.id) : undefined);
      if (path !== undefined) files.add(path);
    }
    const terms = taskTerms(episode.query);
    if (files.size > 0 && terms.length > 0)
      next.memory = rememberTasks(policy.memory, [{ terms, files: [...files], source: episode.source, at }]);
  }
  return next;
}

/** A multiplier moved by `delta` in log space, within the bounds (1 when it comes back to about 1). */
function step(multiplier: number | undefined, delta: number): number {
  const log = Math.log(clampMultiplier(multiplier ?? 1)) + delta;
  const value = Math.exp(Math.max(Math.log(MIN_MULTIPLIER), Math.min(Math.log(MAX_MULTIPLIER), log)));
  return round(value);
}

/** Pairs (relevant, not relevant), the best-ranked first: up to `max`. */
function rankedPairs(
  positives: readonly EpisodeResult[],
  negatives: readonly EpisodeResult[],
  max: number,
): [EpisodeResult, EpisodeResult][] {
  const pairs: [EpisodeResult, EpisodeResult][] = [];
  // Diagonals first (relevant i with negative i, then i + 1…): the best-ranked of both take part first.
  for (let offset = 0; offset < negatives.length && pairs.length < max; offset++)
    for (let i = 0; i < positives.length && pairs.length < max; i++)
      pairs.push([positives[i]!, negatives[(i + offset) % negatives.length]!]);
  return pairs;
}

/** The share of each edge kind among the edges of a path. */
function edgeShares(edges: readonly string[] | undefined): Map<string, number> {
  const shares = new Map<string, number>();
  const steps = (edges ?? []).filter((edge) => edge !== '' && edge !== 'entry');
  for (const edge of steps) {
    const kind = edgeKindOfLabel(edge);
    shares.set(kind, (shares.get(kind) ?? 0) + 1 / steps.length);
  }
  return shares;
}

function itemSet(items: readonly EpisodeItem[]): { ids: Set<string>; paths: Set<string> } {
  const ids = new Set<string>();
  const paths = new Set<string>();
  for (const item of items) {
    if (item.id !== undefined) ids.add(item.id);
    else if (item.path !== undefined) paths.add(item.path);
  }
  return { ids, paths };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/** A copy without a prototype (keys are ids and paths: `__proto__` is a valid file name). */
function copy(record: Record<string, ValueEstimate>): Record<string, ValueEstimate> {
  const out = Object.create(null) as Record<string, ValueEstimate>;
  for (const key of Object.keys(record)) out[key] = record[key]!;
  return out;
}

/** The estimates without the least recently updated beyond {@link MAX_ESTIMATES}. */
function prune(record: Record<string, ValueEstimate>): Record<string, ValueEstimate> {
  const keys = Object.keys(record);
  if (keys.length <= MAX_ESTIMATES) return record;
  keys.sort((a, b) => record[b]!.at - record[a]!.at);
  const kept = Object.create(null) as Record<string, ValueEstimate>;
  for (const key of keys.slice(0, MAX_ESTIMATES)) kept[key] = record[key]!;
  return kept;
}
