/**
 * @module graph/csr.test
 * The compressed-sparse-row structure: rows by kind, edge details kept, breadth-first traversal (on the
 * walk layout, checked against a plain walk over the public rows).
 */
import { describe, expect, it } from 'vitest';
import { CsrGraph } from './csr.js';
import type { AsgEdge, AsgNode } from './types.js';

function node(id: string, kind: AsgNode['kind'] = 'function', path = 'a.ts'): AsgNode {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  return { id, kind, name: id, qualifiedName: id, path, language: 'typescript', range };
}

const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } };
const nodes = [
  node('a', 'module'),
  node('b'),
  node('c'),
  node('d', 'type', ''),
  node('e', 'function', 'b.ts'),
];
const edges: AsgEdge[] = [
  { source: 'a', target: 'b', kind: 'defines' },
  { source: 'b', target: 'c', kind: 'calls', ambiguous: true, confidence: 0.5, range },
  { source: 'a', target: 'c', kind: 'contains' },
  { source: 'b', target: 'd', kind: 'type_dependency' },
  { source: 'c', target: 'b', kind: 'data_flow', meta: { argument: 1 } },
  { source: 'a', target: 'zz', kind: 'calls' }, // dangling: dropped
];

describe('CsrGraph', () => {
  const graph = CsrGraph.build([...nodes, node('b')], edges);

  it('keeps each node once and drops dangling edges', () => {
    expect(graph.nodeCount).toBe(5);
    expect(graph.edgeCount).toBe(5);
    expect(graph.indexOf('zz')).toBe(-1);
    expect(graph.arrays.files).toEqual(['a.ts', 'b.ts']);
    expect(graph.pathOf(graph.indexOf('d'))).toBe('');
    expect(graph.kindOf(graph.indexOf('a'))).toBe('module');
  });

  it('gives back every edge with its details, rows ordered by kind', () => {
    expect(graph.outgoing('a').map((e) => e.kind)).toEqual(['contains', 'defines']);
    expect(graph.outgoing('b', 'calls')).toEqual([edges[1]]);
    expect(graph.incoming('b')).toEqual([edges[0], edges[4]]);
    expect(graph.outgoing('c')).toEqual([edges[4]]);
    expect(graph.incoming('nope')).toEqual([]);
  });

  it('walks breadth-first, both ways or along edges', () => {
    const all = [...graph.breadthFirst(graph.indexOf('c'))].map((i) => graph.arrays.ids[i]);
    expect(all).toEqual(['c', 'b', 'a', 'd']);
    const directed = [...graph.breadthFirst(graph.indexOf('a'), { directed: true })].map(
      (i) => graph.arrays.ids[i],
    );
    expect(directed).toEqual(['a', 'c', 'b', 'd']);
    expect(graph.breadthFirst(graph.indexOf('e')).length).toBe(1);
    expect(graph.breadthFirst(graph.indexOf('c'), { maxNodes: 2 }).length).toBe(2);
  });

  it('traverses the whole graph, every node once', () => {
    const both = graph.traverseAll();
    expect(both.walks).toBe(2); // {a, b, c, d} and {e}
    expect([...both.order].map((i) => graph.arrays.ids[i])).toEqual(['a', 'c', 'b', 'd', 'e']);
    const out = graph.traverseAll({ directed: true });
    expect(new Set(out.order).size).toBe(5);
    expect(out.walks).toBe(2);
  });

  it('traverses on the walk layout only once derived, with the same orders', () => {
    const fresh = CsrGraph.build(nodes, edges);
    const before = fresh.breadthFirst(fresh.indexOf('c'));
    const layout = fresh.walkLayout();
    expect(fresh.walkLayout()).toBe(layout);
    expect([...fresh.breadthFirst(fresh.indexOf('c'))]).toEqual([...before]);
    expect([...layout.node].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

/** A seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/** A graph of `count` nodes in two files and the given edges (pairs of node numbers), kinds cycled. */
function graphOf(count: number, pairs: [number, number][]): CsrGraph {
  const kinds: AsgEdge['kind'][] = ['calls', 'contains', 'references', 'type_dependency'];
  const all = Array.from({ length: count }, (_, i) => node(`n${i}`, 'function', i % 2 ? 'a.ts' : 'b.ts'));
  return CsrGraph.build(
    all,
    pairs.map(([s, t], i) => ({ source: `n${s}`, target: `n${t}`, kind: kinds[i % kinds.length]! })),
  );
}

/** The reference: breadth-first walks over the public rows (edges out, then in), from every node left. */
function referenceTraversal(graph: CsrGraph, directed = false): { order: number[]; walks: number } {
  const { edgeTarget, edgeSource } = graph.arrays;
  const seen = new Set<number>();
  const order: number[] = [];
  let walks = 0;
  for (let start = 0; start < graph.nodeCount; start++) {
    if (seen.has(start)) continue;
    walks++;
    seen.add(start);
    order.push(start);
    for (let head = order.length - 1; head < order.length; head++) {
      const v = order[head]!;
      const next = graph.outgoingEdges(v).map((e) => edgeTarget[e]!);
      if (!directed) next.push(...graph.incomingEdges(v).map((e) => edgeSource[e]!));
      for (const other of next) {
        if (seen.has(other)) continue;
        seen.add(other);
        order.push(other);
      }
    }
  }
  return { order, walks };
}

/** Distances along edges both ways from `start`. */
function distances(graph: CsrGraph, start: number): Map<number, number> {
  const { edgeTarget, edgeSource } = graph.arrays;
  const distance = new Map([[start, 0]]);
  const queue = [start];
  // The loop goes on over the nodes pushed while it runs.
  for (const v of queue) {
    const next = [
      ...graph.outgoingEdges(v).map((e) => edgeTarget[e]!),
      ...graph.incomingEdges(v).map((e) => edgeSource[e]!),
    ];
    for (const other of next) {
      if (distance.has(other)) continue;
      distance.set(other, distance.get(v)! + 1);
      queue.push(other);
    }
  }
  return distance;
}

/**
 * Checks a traversal both ways: every node once; each walk starts at the first node not reached before, is
 * that node's whole component and visits it layer by layer (distances from its start never decrease).
 */
function expectBreadthFirst(graph: CsrGraph, order: Int32Array, walks: number): void {
  expect(order.length).toBe(graph.nodeCount);
  expect(new Set(order).size).toBe(graph.nodeCount);
  const reached = new Set<number>();
  let i = 0;
  let count = 0;
  while (i < order.length) {
    let first = 0;
    while (reached.has(first)) first++;
    expect(order[i]).toBe(first);
    const distance = distances(graph, first);
    const walk = [...order.subarray(i, i + distance.size)];
    expect(new Set(walk)).toEqual(new Set(distance.keys()));
    for (let j = 1; j < walk.length; j++)
      expect(distance.get(walk[j]!)!).toBeGreaterThanOrEqual(distance.get(walk[j - 1]!)!);
    for (const v of walk) reached.add(v);
    i += walk.length;
    count++;
  }
  expect(walks).toBe(count);
}

describe('CsrGraph traversal on the walk layout', () => {
  const cases: [string, number, [number, number][]][] = [
    ['no nodes', 0, []],
    ['isolated nodes', 4, []],
    [
      'self-loops',
      3,
      [
        [0, 0],
        [1, 1],
        [1, 2],
        [2, 2],
      ],
    ],
    [
      'parallel edges',
      4,
      [
        [0, 1],
        [0, 1],
        [0, 1],
        [2, 3],
        [2, 3],
        [3, 2],
      ],
    ],
    [
      'edges both ways',
      5,
      [
        [0, 1],
        [1, 0],
        [1, 2],
        [2, 1],
        [4, 3],
        [3, 4],
        [2, 0],
      ],
    ],
    [
      'edges into low indexes',
      6,
      [
        [5, 0],
        [4, 5],
        [3, 1],
        [1, 2],
        [2, 4],
      ],
    ],
    [
      'a star and a chain',
      9,
      [
        [0, 3],
        [0, 4],
        [5, 0],
        [6, 0],
        [1, 2],
        [2, 7],
        [7, 8],
      ],
    ],
  ];
  it.each(cases)('%s: every node once, walk by walk, layer by layer', (_, count, pairs) => {
    const graph = graphOf(count, pairs);
    const { order, walks } = graph.traverseAll();
    expectBreadthFirst(graph, order, walks);
    expect({ order: [...order], walks }).toEqual(referenceTraversal(graph));
    const out = graph.traverseAll({ directed: true });
    expect({ order: [...out.order], walks: out.walks }).toEqual(referenceTraversal(graph, true));
    for (let start = 0; start < count; start++) {
      const walk = [...graph.breadthFirst(start)];
      expect(walk[0]).toBe(start);
      expect(new Set(walk)).toEqual(new Set(distances(graph, start).keys()));
    }
  });

  it('keeps each node and each edge end in the layout', () => {
    const graph = graphOf(6, [
      [0, 0],
      [0, 1],
      [0, 1],
      [5, 2],
      [3, 4],
    ]);
    const { position, node, adjStart, adj } = graph.walkLayout();
    for (let v = 0; v < 6; v++) {
      expect(node[position[v]!]).toBe(v);
      const p = position[v]!;
      const row = [...adj.subarray(adjStart[p], adjStart[p + 1])].map((q) => node[q]!);
      const { edgeTarget, edgeSource } = graph.arrays;
      expect(row).toEqual([
        ...graph.outgoingEdges(v).map((e) => edgeTarget[e]!),
        ...graph.incomingEdges(v).map((e) => edgeSource[e]!),
      ]);
    }
    expect(adj.length).toBe(2 * graph.edgeCount);
  });

  it('visits a random graph as the walk over the rows does', () => {
    const random = seeded(7);
    const count = 3000;
    const pairs: [number, number][] = [];
    // Sparse, so that there are many components; some self-loops and repeated edges.
    for (let i = 0; i < 2600; i++) {
      const s = Math.floor(random() * count);
      const t = random() < 0.05 ? s : Math.floor(random() * count);
      pairs.push([s, t]);
      if (random() < 0.05) pairs.push([s, t]);
    }
    const graph = graphOf(count, pairs);
    const reference = referenceTraversal(graph);
    const both = graph.traverseAll();
    expect(both.walks).toBeGreaterThan(100);
    expectBreadthFirst(graph, both.order, both.walks);
    expect([...both.order]).toEqual(reference.order);
    expect(both.walks).toBe(reference.walks);
    const out = graph.traverseAll({ directed: true });
    expect([...out.order]).toEqual(referenceTraversal(graph, true).order);
    // Single walks, bounded or not: the same on a graph without the layout as with it.
    const plain = graphOf(count, pairs);
    for (let k = 0; k < 40; k++) {
      const start = Math.floor(random() * count);
      for (const options of [{}, { maxNodes: 5 }, { directed: true }]) {
        expect([...graph.breadthFirst(start, options)]).toEqual([...plain.breadthFirst(start, options)]);
      }
    }
  });
});
