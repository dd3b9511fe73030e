/**
 * @module retrieve/mcts
 * The Monte Carlo Tree Search controller: a search over the graph in which an action follows an edge.
 * From a virtual root whose children are the entry points, each iteration selects a path by UCT with the
 * seed's depth terms, UCT(s,a) = V(s,a) + C·sqrt(ln N(s) / N(s,a)) + α·e^(−β·(d−1)) − γ·√d, expands one
 * untried move (the one with the best prior), simulates a short random walk from there (moves drawn by
 * their weight), and backpropagates the value along the path. Budgets: iterations and time, whichever ends
 * first; an `AbortSignal` cancels. The random walk draws from a seeded generator, so a search whose
 * iteration budget binds first is deterministic for a seed.
 */

/** A move from a graph node: the node it reaches, the edge kind, and a prior weight in (0, 1]. */
export interface Move {
  target: number;
  edge: string;
  weight: number;
}

/** The graph as the search sees it: moves and rewards. Both are called often: cache inside. */
export interface SearchSpace {
  /** The moves out of a node (already filtered and capped by the caller). */
  moves(node: number): readonly Move[];
  /**
   * The immediate reward, in [0, 1], of reaching `node` through an edge of kind `edge` (undefined for an
   * entry point) at `depth` (entry points: 1), when `sameFile` nodes of the path so far are in its file.
   */
  reward(node: number, edge: string | undefined, depth: number, sameFile: number): number;
  /** The file of a node (an index into any table, -1 for none), for coverage. */
  fileOf(node: number): number;
}

export interface MctsOptions {
  /** At most this many iterations (default 1000). */
  iterations?: number;
  /** At most this many milliseconds (default 20). */
  timeMs?: number;
  /** Exploration constant C (default 1.414). */
  c?: number;
  /** Depth bonus α·e^(−β·(d−1)) (defaults 0.25, 0.7). */
  alpha?: number;
  beta?: number;
  /** Depth penalty γ·√d (default 0.1). */
  gamma?: number;
  /** Steps of the random walk after an expansion (default 3). */
  rolloutDepth?: number;
  /** Deepest a path may go (default 6). */
  maxDepth?: number;
  /** Seed of the random walk (default 1). */
  seed?: number;
  signal?: AbortSignal;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** What the search learned about one graph node (over all the tree nodes standing for it). */
export interface NodeStats {
  node: number;
  visits: number;
  /** Mean backed-up value of the best tree node for it. */
  value: number;
  /** The best immediate reward it got. */
  reward: number;
  /** The shallowest depth it was reached at. */
  depth: number;
  /** The path from an entry point to it (graph nodes and edge kinds), of its best tree node. */
  path: { node: number; edge: string | undefined }[];
}

export interface MctsResult {
  stats: Map<number, NodeStats>;
  iterations: number;
  elapsedMs: number;
  /** Why it stopped: the iteration budget, the time budget, cancellation, or nothing left to expand. */
  stoppedBy: 'iterations' | 'time' | 'cancelled' | 'exhausted';
}

class TreeNode {
  readonly node: number;
  readonly edge: string | undefined;
  readonly depth: number;
  readonly parent: TreeNode | undefined;
  readonly reward: number;
  readonly children: TreeNode[] = [];
  untried: Move[] | undefined;
  /** Everything below has been expanded: selection passes it by. */
  exhausted = false;
  visits = 0;
  total = 0;
  /** The file of the node (for coverage). */
  readonly file: number;

  constructor(
    node: number,
    edge: string | undefined,
    depth: number,
    parent: TreeNode | undefined,
    reward: number,
    file: number,
  ) {
    this.node = node;
    this.edge = edge;
    this.depth = depth;
    this.parent = parent;
    this.reward = reward;
    this.file = file;
  }

  /** How many nodes from the root to here (this one included) are in `file`. */
  sameFile(file: number): number {
    if (file < 0) return 0;
    let count = this.file === file ? 1 : 0;
    for (let at = this.parent; at; at = at.parent) if (at.file === file) count++;
    return count;
  }

  onPath(node: number): boolean {
    if (this.node === node) return true;
    for (let at = this.parent; at; at = at.parent) if (at.node === node) return true;
    return false;
  }
}

/** A small, fast, seeded generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The UCT score of a child, with the seed's depth terms. */
export function uctScore(
  parentVisits: number,
  childVisits: number,
  childTotal: number,
  depth: number,
  options: { c: number; alpha: number; beta: number; gamma: number },
): number {
  if (childVisits === 0) return Infinity;
  const exploit = childTotal / childVisits;
  const explore = options.c * Math.sqrt(Math.log(parentVisits) / childVisits);
  return (
    exploit +
    explore +
    options.alpha * Math.exp(-options.beta * (depth - 1)) -
    options.gamma * Math.sqrt(depth)
  );
}

/**
 * Searches from the entry points (graph nodes with a prior in (0, 1]). Returns, for every graph node the
 * tree reached, its visits, value, best reward, depth and path.
 */
export function monteCarloTreeSearch(
  space: SearchSpace,
  entries: readonly { node: number; prior: number }[],
  options: MctsOptions = {},
): MctsResult {
  const iterations = options.iterations ?? 1000;
  const timeMs = options.timeMs ?? 20;
  const uct = {
    c: options.c ?? 1.414,
    alpha: options.alpha ?? 0.25,
    beta: options.beta ?? 0.7,
    gamma: options.gamma ?? 0.1,
  };
  const rolloutDepth = options.rolloutDepth ?? 3;
  const maxDepth = options.maxDepth ?? 6;
  const random = seededRandom(options.seed ?? 1);
  const now = options.now ?? (() => performance.now());
  const start = now();

  const root = new TreeNode(-1, undefined, 0, undefined, 0, -1);
  root.untried = [...entries]
    .sort((a, b) => b.prior - a.prior || a.node - b.node)
    .map((e) => ({ target: e.node, edge: 'entry', weight: e.prior }))
    .reverse(); // popped from the end: best prior first

  let done = 0;
  let stoppedBy: MctsResult['stoppedBy'] = 'iterations';
  for (; done < iterations; done++) {
    if (options.signal?.aborted) {
      stoppedBy = 'cancelled';
      break;
    }
    // The clock is read every iteration (a read costs far less than one): on a large graph a single
    // iteration that expands a node with many edges can take milliseconds.
    if (done > 0 && now() - start >= timeMs) {
      stoppedBy = 'time';
      break;
    }
    // Selection.
    let current = root;
    for (;;) {
      current.untried ??= untriedMoves(space, current, maxDepth);
      if (current.untried.length > 0 || current.children.length === 0) break;
      let best: TreeNode | undefined;
      let bestScore = -Infinity;
      // uctScore, with what is the same for every child computed once (the same sums, so the same scores).
      const logVisits = Math.log(current.visits);
      const depth = current.depth + 1;
      const depthTerms = uct.alpha * Math.exp(-uct.beta * (depth - 1));
      const depthPenalty = uct.gamma * Math.sqrt(depth);
      for (const child of current.children) {
        if (child.exhausted) continue;
        const score =
          child.visits === 0
            ? Infinity
            : child.total / child.visits +
              uct.c * Math.sqrt(logVisits / child.visits) +
              depthTerms -
              depthPenalty;
        if (score > bestScore) {
          bestScore = score;
          best = child;
        }
      }
      if (!best) break;
      current = best;
    }
    // Expansion.
    const move = current.untried.pop();
    let leaf = current;
    if (move) {
      const depth = current.depth + 1;
      const edge = move.edge === 'entry' ? undefined : move.edge;
      const file = space.fileOf(move.target);
      const reward = space.reward(move.target, edge, depth, current.sameFile(file));
      leaf = new TreeNode(move.target, edge, depth, current, reward, file);
      current.children.push(leaf);
    } else {
      // Nothing left below: mark it, and the ancestors that this leaves with nothing to expand.
      for (let at: TreeNode | undefined = current; at; at = at.parent) {
        if (at.untried && at.untried.length > 0) break;
        if (!at.children.every((child) => child.exhausted || child === current)) break;
        at.exhausted = true;
      }
      if (root.exhausted) {
        stoppedBy = 'exhausted';
        break;
      }
    }
    // Simulation: a random walk, moves drawn by weight; the best discounted reward on it.
    let walkBest = 0;
    let at = leaf.node;
    const walked: number[] = [];
    let discount = 0.7;
    for (let step = 1; step <= rolloutDepth && leaf.depth + step <= maxDepth; step++) {
      const moves = space.moves(at);
      if (moves.length === 0) break;
      let sum = 0;
      for (const m of moves) sum += m.weight;
      let pick = random() * sum;
      let chosen = moves[moves.length - 1]!;
      for (const m of moves) {
        pick -= m.weight;
        if (pick <= 0) {
          chosen = m;
          break;
        }
      }
      const file = space.fileOf(chosen.target);
      let sameFile = leaf.sameFile(file);
      for (const other of walked) if (other === file) sameFile++;
      const reward = space.reward(chosen.target, chosen.edge, leaf.depth + step, sameFile);
      walkBest = Math.max(walkBest, discount * reward);
      discount *= 0.7;
      walked.push(file);
      at = chosen.target;
    }
    const value = (leaf.reward + 0.5 * walkBest) / 1.5;
    // Backpropagation.
    for (let node: TreeNode | undefined = leaf; node; node = node.parent) {
      node.visits++;
      node.total += value;
    }
  }

  return { stats: collect(root), iterations: done, elapsedMs: now() - start, stoppedBy };
}

/** Moves not yet tried from a tree node: no cycles, not deeper than the limit; best prior popped first. */
function untriedMoves(space: SearchSpace, node: TreeNode, maxDepth: number): Move[] {
  if (node.node < 0 || node.depth >= maxDepth) return [];
  const moves = space.moves(node.node).filter((m) => !node.onPath(m.target));
  moves.sort((a, b) => a.weight - b.weight || b.target - a.target);
  return moves;
}

function collect(root: TreeNode): Map<number, NodeStats> {
  const stats = new Map<number, NodeStats>();
  const stack = [...root.children];
  while (stack.length > 0) {
    const tree = stack.pop()!;
    for (const child of tree.children) stack.push(child);
    if (tree.visits === 0) continue;
    const value = tree.total / tree.visits;
    const known = stats.get(tree.node);
    if (known) {
      known.visits += tree.visits;
      known.depth = Math.min(known.depth, tree.depth);
      if (tree.reward > known.reward || (tree.reward === known.reward && value > known.value)) {
        known.reward = tree.reward;
        known.value = value;
        known.path = pathOf(tree);
      }
      continue;
    }
    stats.set(tree.node, {
      node: tree.node,
      visits: tree.visits,
      value,
      reward: tree.reward,
      depth: tree.depth,
      path: pathOf(tree),
    });
  }
  return stats;
}

function pathOf(tree: TreeNode): { node: number; edge: string | undefined }[] {
  const path: { node: number; edge: string | undefined }[] = [];
  for (let at: TreeNode | undefined = tree; at && at.node >= 0; at = at.parent)
    path.push({ node: at.node, edge: at.edge });
  return path.reverse();
}
