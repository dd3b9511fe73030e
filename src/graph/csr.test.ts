/**
 * @module graph/csr.test
 * The compressed-sparse-row structure: rows by kind, edge details kept, breadth-first traversal.
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
});
