/**
 * @module engine/eval/metrics
 * Localization metrics of one ranking against its gold answer, and their means over instances.
 * File Acc@k: every gold file is in the top k (1 or 0). File Recall@k: the share of gold files in the top k.
 * MRR: the reciprocal rank of the first gold file (0 when none is ranked). Function Recall@k and Acc@k: the
 * same over the ranked symbols, against the gold functions.
 */
import type { GoldFunction } from './instances.js';

/** A ranked symbol, as far as matching it to a gold function goes. */
export interface RankedSymbol {
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  /** Zero-based first and last line. */
  lines?: [number, number];
}

/** Metric name → value: `fileAcc@k`, `fileRecall@k`, `mrr`, `fnRecall@k`, `fnAcc@k`. */
export type MetricValues = Record<string, number>;

/** The default cut-offs. */
export const DEFAULT_KS: readonly number[] = [1, 3, 5, 10];

/** File metrics of a ranking (paths, best first): Acc@k and Recall@k for every k, and MRR. */
export function fileMetrics(
  ranked: readonly string[],
  gold: readonly string[],
  ks: readonly number[],
): MetricValues {
  const wanted = new Set(gold);
  const ranks: number[] = [];
  const seen = new Set<string>();
  let rank = 0;
  for (const path of ranked) {
    if (seen.has(path)) continue;
    seen.add(path);
    rank++;
    if (wanted.has(path)) ranks.push(rank);
  }
  const values: MetricValues = {};
  for (const k of ks) {
    const hits = ranks.filter((r) => r <= k).length;
    values[`fileAcc@${k}`] = wanted.size > 0 && hits === wanted.size ? 1 : 0;
    values[`fileRecall@${k}`] = wanted.size > 0 ? hits / wanted.size : 0;
  }
  values.mrr = ranks.length > 0 ? 1 / ranks[0]! : 0;
  return values;
}

/** Whether a ranked symbol is a gold function: the same id, or the same file and name with overlapping lines. */
export function matchesGold(symbol: RankedSymbol, gold: GoldFunction): boolean {
  if (symbol.id === gold.id) return true;
  if (symbol.path !== gold.path) return false;
  if (symbol.qualifiedName !== gold.qualifiedName && symbol.name !== gold.name) return false;
  if (!symbol.lines) return symbol.qualifiedName === gold.qualifiedName;
  return symbol.lines[0] <= gold.lines[1] && symbol.lines[1] >= gold.lines[0];
}

/** Function metrics of a ranking of symbols: Recall@k and Acc@k for every k (empty without gold functions). */
export function functionMetrics(
  ranked: readonly RankedSymbol[],
  gold: readonly GoldFunction[],
  ks: readonly number[],
): MetricValues {
  if (gold.length === 0) return {};
  // The rank at which each gold function is first found.
  const firstRank = gold.map((g) => {
    const index = ranked.findIndex((symbol) => matchesGold(symbol, g));
    return index < 0 ? Infinity : index + 1;
  });
  const values: MetricValues = {};
  for (const k of ks) {
    const hits = firstRank.filter((r) => r <= k).length;
    values[`fnRecall@${k}`] = hits / gold.length;
    values[`fnAcc@${k}`] = hits === gold.length ? 1 : 0;
  }
  return values;
}

/** Means of metric values, each over the instances that have it, with those counts. */
export function meanMetrics(rows: readonly MetricValues[]): {
  means: MetricValues;
  counts: Record<string, number>;
} {
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const row of rows)
    for (const [name, value] of Object.entries(row)) {
      sums[name] = (sums[name] ?? 0) + value;
      counts[name] = (counts[name] ?? 0) + 1;
    }
  const means: MetricValues = {};
  for (const name of Object.keys(sums)) means[name] = sums[name]! / counts[name]!;
  return { means, counts };
}
