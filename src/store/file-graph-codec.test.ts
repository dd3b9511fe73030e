/**
 * @module store/file-graph-codec.test
 * Saved graphs keep everything resolution needs; edges round-trip exactly; nodes come back thin.
 */
import { describe, expect, it } from 'vitest';
import type { AsgEdge } from '../graph/index.js';
import { buildFileGraph } from '../graph/index.js';
import { extractFile } from '../../test/support/parser.js';
import { decodeEdges, decodeFileGraph, encodeEdges, encodeFileGraph } from './file-graph-codec.js';

const range = { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } };

describe('file graph codec', () => {
  it('round-trips edges with and without their optional parts', () => {
    const edges: AsgEdge[] = [
      { source: 'a', target: 'b', kind: 'calls' },
      { source: 'a', target: 'c', kind: 'calls', ambiguous: true, confidence: 0.5 },
      { source: 'a', target: 'd', kind: 'references', range },
      { source: 'a', target: 'e', kind: 'data_flow', meta: { argument: 2 } },
      {
        source: 'a',
        target: 'f',
        kind: 'imports',
        confidence: 0.25,
        ambiguous: true,
        range,
        meta: { x: 'y' },
      },
    ];
    expect(decodeEdges(encodeEdges(edges))).toEqual(edges);
  });

  it('keeps the uses and scopes of a file, with thin nodes', async () => {
    const text =
      'import { b } from "./b";\nexport class A {\n  run(x: number): number {\n    return b(x);\n  }\n}\n';
    const graph = buildFileGraph(await extractFile('a.ts', text));
    const decoded = decodeFileGraph(encodeFileGraph(graph));
    const { nodes, edges, ...rest } = graph;
    const { nodes: thin, edges: decodedEdges, ...decodedRest } = decoded;
    expect(decodedRest).toEqual(rest);
    expect(decodedEdges).toEqual(edges);
    expect(thin.map((n) => [n.id, n.kind, n.name, n.path])).toEqual(
      nodes.map((n) => [n.id, n.kind, n.name, n.path]),
    );
  });
});
