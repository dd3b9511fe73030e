/**
 * @module retrieve/pagerank
 * Personalised PageRank over the graph's compressed sparse rows: the baseline of Aider's repo map, which
 * ranks files by the PageRank of their symbols with the personalisation put on the symbols a query mentions.
 * Power iteration over the typed arrays of a {@link CsrGraph}; the iterations allocate nothing.
 */
import { EDGE_KINDS } from '../graph/index.js';
import type { CsrGraph, EdgeKind } from '../graph/index.js';

/** Settings of {@link personalizedPageRank}. */
export interface PageRankOptions {
  /** The probability of following an edge rather than jumping back to a seed (default 0.85). */
  damping?: number;
  /** At most this many iterations (default 50). */
  iterations?: number;
  /** Stop when the L1 change of an iteration falls below this (default 1e-6). */
  tolerance?: number;
  /** Multipliers of the edge kinds (default 1 each; 0 drops a kind). An edge's weight is this times its confidence. */
  edgeWeights?: Partial<Record<EdgeKind, number>>;
  /**
   * Follow edges both ways (default): a reference is evidence about both of its ends, and a walk along
   * outgoing edges alone never reaches the callers of a seed.
   */
  undirected?: boolean;
}

/**
 * The stationary distribution of a random walk that follows weighted edges with probability `damping` and
 * otherwise jumps back to a seed (chosen by the seeds' weights). Nodes without edges to follow (dangling)
 * give their mass back to the seeds. Without a usable seed the jump is uniform (plain PageRank).
 *
 * @param seeds node index → weight (non-positive weights and indexes out of range are ignored)
 * @returns one score per node; the scores sum to 1
 */
export function personalizedPageRank(
  csr: CsrGraph,
  seeds: ReadonlyMap<number, number>,
  options: PageRankOptions = {},
): Float64Array {
  const n = csr.nodeCount;
  const rank = new Float64Array(n);
  if (n === 0) return rank;
  const damping = clamp(options.damping ?? 0.85, 0, 1);
  const iterations = Math.max(0, Math.floor(options.iterations ?? 50));
  const tolerance = options.tolerance ?? 1e-6;
  const undirected = options.undirected ?? true;
  const { outStart, edgeTarget, edgeKind, edgeConfidence, inStart, inEdges } = csr.arrays;
  const inSource = csr.inSource;

  // Personalisation: the seeds' weights, normalised (uniform without seeds).
  const personal = new Float64Array(n);
  let seedTotal = 0;
  for (const [node, weight] of seeds) {
    if (!Number.isInteger(node) || node < 0 || node >= n || !(weight > 0) || !Number.isFinite(weight))
      continue;
    personal[node]! += weight;
    seedTotal += weight;
  }
  if (seedTotal > 0) for (let i = 0; i < n; i++) personal[i]! /= seedTotal;
  else personal.fill(1 / n);

  // The weight of every edge, and the total weight each node can follow.
  const kindWeight = new Float64Array(EDGE_KINDS.length).fill(1);
  for (const [kind, weight] of Object.entries(options.edgeWeights ?? {})) {
    const code = EDGE_KINDS.indexOf(kind as EdgeKind);
    if (code >= 0 && weight !== undefined) kindWeight[code] = Math.max(0, weight);
  }
  const edgeWeight = new Float64Array(edgeTarget.length);
  for (let e = 0; e < edgeWeight.length; e++) edgeWeight[e] = kindWeight[edgeKind[e]!]! * edgeConfidence[e]!;
  const outWeight = new Float64Array(n);
  for (let node = 0; node < n; node++) {
    let total = 0;
    for (let e = outStart[node]!, end = outStart[node + 1]!; e < end; e++) total += edgeWeight[e]!;
    if (undirected)
      for (let i = inStart[node]!, end = inStart[node + 1]!; i < end; i++) total += edgeWeight[inEdges[i]!]!;
    outWeight[node] = total;
  }

  rank.set(personal);
  const next = new Float64Array(n);
  let current = rank;
  let other = next;
  for (let step = 0; step < iterations; step++) {
    other.fill(0);
    let dangling = 0;
    for (let node = 0; node < n; node++) {
      const mass = current[node]!;
      if (mass === 0) continue;
      const total = outWeight[node]!;
      if (total === 0) {
        dangling += mass;
        continue;
      }
      const share = (damping * mass) / total;
      for (let e = outStart[node]!, end = outStart[node + 1]!; e < end; e++)
        other[edgeTarget[e]!]! += share * edgeWeight[e]!;
      if (!undirected) continue;
      for (let i = inStart[node]!, end = inStart[node + 1]!; i < end; i++)
        other[inSource[i]!]! += share * edgeWeight[inEdges[i]!]!;
    }
    // The jump, plus what dangling nodes did not pass on (all of it: they have nowhere else to go).
    const jump = 1 - damping + damping * dangling;
    let change = 0;
    for (let node = 0; node < n; node++) {
      const value = other[node]! + jump * personal[node]!;
      other[node] = value;
      change += Math.abs(value - current[node]!);
    }
    const swap = current;
    current = other;
    other = swap;
    if (change < tolerance) break;
  }
  if (current !== rank) rank.set(current);
  return rank;
}

/**
 * Files ranked by the summed scores of their nodes (Aider ranks files, not symbols), best first; files whose
 * nodes all score 0 are left out. Ties go by path.
 */
export function rankFilesByPageRank(csr: CsrGraph, scores: Float64Array): { path: string; score: number }[] {
  const { nodeFile, files } = csr.arrays;
  const byFile = new Float64Array(files.length);
  const n = Math.min(scores.length, nodeFile.length);
  for (let node = 0; node < n; node++) {
    const file = nodeFile[node]!;
    if (file >= 0) byFile[file]! += scores[node]!;
  }
  const ranked: { path: string; score: number }[] = [];
  for (let file = 0; file < files.length; file++)
    if (byFile[file]! > 0) ranked.push({ path: files[file]!, score: byFile[file]! });
  ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ranked;
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low;
}
