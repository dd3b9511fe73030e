/**
 * @module retrieve/rewards
 * The reward system of the graph search: the seed's five components, each a separate function of a node and
 * the query, in [0, 1], combined with weights (a route sets them; an ablation sets one to zero).
 * - semantic similarity: how close the node's text is to the query (lexical and vector scores of the entry
 *   stage, normalised);
 * - symbol relevance: identifiers the query names, matched exactly or loosely;
 * - change proximity: recently edited files and lines, uncommitted work;
 * - workspace coverage: new files and modules rather than more of the same;
 * - context relevance: the kind of edge that led to the node (data flow 0.8, type dependency 0.6, other 0.3)
 *   and the node's centrality.
 */
import { splitIdentifier } from '../base/index.js';
import type { RecentChange, RewardComponent, RewardWeights } from './types.js';

/** Default weights: the query's own words count most, the graph's shape least. */
export const DEFAULT_REWARD_WEIGHTS: RewardWeights = {
  semantic: 1,
  symbol: 0.8,
  change: 0.5,
  coverage: 0.2,
  context: 0.3,
};

/** The seed's edge-kind weights for context relevance. */
export const DEFAULT_EDGE_WEIGHTS: Readonly<Record<string, number>> = {
  data_flow: 0.8,
  type_dependency: 0.6,
  calls: 0.5,
  extends: 0.5,
  implements: 0.5,
  references: 0.4,
  imports: 0.3,
  contains: 0.3,
  defines: 0.3,
  has_parameter: 0.3,
  returns: 0.3,
};
/** The weight of an edge kind not in the table (the seed's "other"). */
export const OTHER_EDGE_WEIGHT = 0.3;

/** What a query says, as the rewards read it. */
export interface QueryTerms {
  /** Lowercased words and identifier parts of the query. */
  tokens: ReadonlySet<string>;
  /** Identifiers as written that look like code (`parseConfig`, `user_id`, `Store.open`), lowercased. */
  identifiers: ReadonlySet<string>;
}

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*/g;

/** Whether a word looks like code rather than English: inner capitals, underscores, dots, digits. */
function looksLikeCode(word: string): boolean {
  return /[a-z][A-Z]|_|\.|\$|^[A-Z][a-z]+[A-Z]|[A-Za-z][0-9]/.test(word);
}

/** The terms of a query: its tokens and the identifiers it names. */
export function queryTerms(text: string): QueryTerms {
  const tokens = new Set<string>();
  const identifiers = new Set<string>();
  for (const word of text.match(WORD) ?? []) {
    for (const part of word.split('.')) {
      tokens.add(part.toLowerCase());
      for (const piece of splitIdentifier(part)) tokens.add(piece);
      if (looksLikeCode(part)) identifiers.add(part.toLowerCase());
    }
    if (looksLikeCode(word)) identifiers.add(word.toLowerCase());
  }
  return { tokens, identifiers };
}

/**
 * Semantic similarity: the node's similarity to the query as the entry stage measured it (BM25 over its
 * text, cosine of its vector), normalised to [0, 1] by the best of each list. 0 for nodes no list found.
 */
export function semanticSimilarity(lexical: number, vector: number): number {
  return Math.min(1, Math.max(lexical, vector));
}

/** Edit distance with a cap (stops early beyond it). */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      current.push(value);
      if (value < best) best = value;
    }
    if (best > cap) return cap + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Symbol relevance: 1 when the query names the symbol (its name or qualified name, any case); 0.7 for a
 * near miss of a long identifier (a typo, a plural); otherwise the share of the name's parts that the query
 * mentions, times 0.6 (`parseConfigFile` for "parse the config").
 */
export function symbolRelevance(
  name: string,
  qualifiedName: string,
  terms: QueryTerms,
  /** `splitIdentifier(name)`, when the caller keeps it (names repeat across nodes and queries). */
  split?: readonly string[],
): number {
  if (name === '') return 0;
  const lower = name.toLowerCase();
  if (
    terms.identifiers.has(lower) ||
    (qualifiedName !== name && terms.identifiers.has(qualifiedName.toLowerCase()))
  )
    return 1;
  const parts = split ?? splitIdentifier(name);
  if (terms.tokens.has(lower) && parts.length > 1) return 1;
  if (lower.length >= 6)
    for (const identifier of terms.identifiers)
      if (identifier.length >= 6 && editDistance(lower, identifier, 2) <= 2) return 0.7;
  if (parts.length === 0) return 0;
  let found = 0;
  for (const part of parts) if (part.length > 1 && terms.tokens.has(part)) found++;
  return (0.6 * found) / parts.length;
}

/** Recent changes by path, for {@link changeProximity}. */
export class ChangeIndex {
  readonly #byPath = new Map<string, RecentChange>();

  constructor(changes: readonly RecentChange[]) {
    for (const change of changes) {
      const known = this.#byPath.get(change.path);
      if (!known || known.weight < change.weight) this.#byPath.set(change.path, change);
    }
  }

  get size(): number {
    return this.#byPath.size;
  }

  get(path: string): RecentChange | undefined {
    return this.#byPath.get(path);
  }

  paths(): IterableIterator<string> {
    return this.#byPath.keys();
  }
}

/**
 * Change proximity: the recency weight of the node's file when it changed recently, in full when the
 * change touched the node's lines (or when lines are unknown), 60% when it touched other lines of the file.
 */
export function changeProximity(
  path: string,
  lines: readonly [number, number] | undefined,
  changes: ChangeIndex,
): number {
  const change = changes.get(path);
  if (!change) return 0;
  if (!change.lines || !lines) return change.weight;
  for (const [start, end] of change.lines) if (start <= lines[1] && end >= lines[0]) return change.weight;
  return 0.6 * change.weight;
}

/**
 * Workspace coverage: 1 for a node in a file not picked yet, decaying with every pick already made in its
 * file (1/2, 1/3, …): a context of five files says more than five pieces of one.
 */
export function workspaceCoverage(path: string, picksByFile: ReadonlyMap<string, number>): number {
  return 1 / (1 + (picksByFile.get(path) ?? 0));
}

/**
 * Context relevance: the weight of the edge kind that led to the node (entry points: 1), blended with its
 * centrality (log in-degree against the graph's largest), 70/30.
 */
export function contextRelevance(edgeWeight: number, inDegree: number, maxInDegree: number): number {
  const centrality = maxInDegree > 0 ? Math.log1p(inDegree) / Math.log1p(maxInDegree) : 0;
  return 0.7 * edgeWeight + 0.3 * centrality;
}

/** The parts of a node's reward. */
export type RewardParts = Record<RewardComponent, number>;

/**
 * The weighted mean of the parts, over the components switched on (weight > 0). In [0, 1].
 */
export function combineRewards(parts: RewardParts, weights: RewardWeights): number {
  let sum = 0;
  let total = 0;
  for (const key in weights) {
    const component = key as RewardComponent;
    const weight = weights[component];
    if (weight <= 0) continue;
    sum += weight * parts[component];
    total += weight;
  }
  return total > 0 ? sum / total : 0;
}

/** Weights with some components off (an ablation) and a route's overrides. */
export function rewardWeights(
  overrides: Partial<RewardWeights> | undefined,
  off: readonly RewardComponent[] = [],
): RewardWeights {
  const weights: RewardWeights = { ...DEFAULT_REWARD_WEIGHTS, ...overrides };
  for (const component of off) weights[component] = 0;
  return weights;
}
