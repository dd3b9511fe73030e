/**
 * @module store/snapshot-codec.test
 * The graph structure survives encoding, from aligned and unaligned buffers; foreign bytes are refused.
 */
import { describe, expect, it } from 'vitest';
import { CsrGraph } from '../graph/index.js';
import type { AsgEdge, AsgNode } from '../graph/index.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

const range = { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } };
const nodes: AsgNode[] = ['x', 'y', 'z'].map((id, i) => ({
  id,
  kind: i === 0 ? 'class' : 'method',
  name: id,
  qualifiedName: id,
  path: `f${i}.py`,
  language: 'python',
  range,
}));
const edges: AsgEdge[] = [
  { source: 'x', target: 'y', kind: 'defines' },
  { source: 'y', target: 'z', kind: 'calls', ambiguous: true, confidence: 0.25, range },
  { source: 'z', target: 'y', kind: 'data_flow', meta: { argument: 0 } },
];

describe('snapshot codec', () => {
  const graph = CsrGraph.build(nodes, edges);

  it('round-trips every array', () => {
    const decoded = decodeSnapshot(encodeSnapshot(graph));
    expect(decoded.arrays).toEqual(graph.arrays);
    expect(decoded.outgoing('y')).toEqual([edges[1]]);
    expect(decoded.incoming('y')).toEqual([edges[0], edges[2]]);
  });

  it('decodes from a buffer that starts at an odd offset', () => {
    const bytes = encodeSnapshot(graph);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeSnapshot(shifted.subarray(1)).arrays).toEqual(graph.arrays);
  });

  it('refuses bytes that are not a snapshot', () => {
    expect(() => decodeSnapshot(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(
      /not a graph/,
    );
  });
});
