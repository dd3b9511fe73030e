/**
 * @module graph/live-structure.test
 * The live graph structure against full builds: after every step of seeded random sequences of file
 * updates on the fixture repositories (edited nodes, repeated, dangling and cross-file edges, removals),
 * its snapshot holds what `CsrGraph.build` of all files gives; older snapshots stay as they were.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspaceGraph } from '../index/index.js';
import { decodeSnapshot, encodeSnapshot } from '../store/index.js';
import { CsrGraph } from './csr.js';
import { GraphStructure } from './live-structure.js';
import type { StructurePart } from './live-structure.js';
import { resolveWorkspace } from './resolver.js';
import type { AsgEdge, AsgNode } from './types.js';

const REPOS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');
const repos = readdirSync(REPOS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name);

interface Part {
  nodes: AsgNode[];
  edges: AsgEdge[];
  resolved: AsgEdge[];
}

/** Every file's part, resolved as an index run resolves them (files in path order). */
async function partsOf(dir: string): Promise<Map<string, Part>> {
  const { fileGraphs, config } = await buildWorkspaceGraph(dir, { workers: 0 });
  const graphs = [...fileGraphs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const resolution = resolveWorkspace(graphs, config);
  return new Map(
    graphs.map((g) => [
      g.path,
      { nodes: g.nodes, edges: g.edges, resolved: resolution.byFile.get(g.path)?.edges ?? [] },
    ]),
  );
}

/** What an index run builds from the parts: nodes in path order, local edges, then resolved edges. */
function fullBuild(parts: ReadonlyMap<string, StructurePart>): CsrGraph {
  const paths = [...parts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const nodes = paths.flatMap((p) => parts.get(p)!.nodes) as AsgNode[];
  const edges = [
    ...paths.flatMap((p) => parts.get(p)!.edges),
    ...paths.flatMap((p) => parts.get(p)!.resolved),
  ];
  return CsrGraph.build(nodes, edges, { dedupe: true });
}

/**
 * Nodes and edges with all their facts, independent of numbering; the edges leaving each node in the order
 * of its row (by kind, then as the input gives them).
 */
function canonical(graph: CsrGraph): string {
  const { ids, names, outStart } = graph.arrays;
  const nodes = ids.map((id, i) => {
    const row: string[] = [];
    for (let e = outStart[i]!; e < outStart[i + 1]!; e++) row.push(JSON.stringify(graph.edge(e)));
    return `${id} ${graph.kindOf(i)} ${names[i]!} ${graph.pathOf(i)}\n  ${row.join('\n  ')}`;
  });
  return nodes.sort().join('\n');
}

/** The rows of a snapshot are well formed: ordered by kind, entering rows match, `indexOf` inverts ids. */
function rowProblems(graph: CsrGraph): string[] {
  const a = graph.arrays;
  const problems: string[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.indexOf(a.ids[v]!) !== v) problems.push(`indexOf ${a.ids[v]!}`);
    for (let e = a.outStart[v]!; e < a.outStart[v + 1]!; e++) {
      if (a.edgeSource[e] !== v) problems.push(`edge ${e} not from ${v}`);
      if (e > a.outStart[v]! && a.edgeKind[e]! < a.edgeKind[e - 1]!) problems.push(`row ${v} unordered`);
    }
    for (let i = a.inStart[v]!; i < a.inStart[v + 1]!; i++) {
      const e = a.inEdges[i]!;
      if (a.edgeTarget[e] !== v) problems.push(`edge ${e} not into ${v}`);
      if (graph.inSource[i] !== a.edgeSource[e]) problems.push(`inSource ${i}`);
      const previous = i > a.inStart[v]! ? a.inEdges[i - 1]! : -1;
      if (
        previous >= 0 &&
        (a.edgeKind[previous]! > a.edgeKind[e]! || (a.edgeKind[previous] === a.edgeKind[e] && previous > e))
      )
        problems.push(`entering row ${v} unordered`);
    }
  }
  if (a.inEdges.length !== graph.edgeCount) problems.push('entering rows miss edges');
  if (graph.indexOf('no such node') !== -1) problems.push('found a node that is not there');
  return problems;
}

/** Arrays as text (typed arrays as lists), to compare them whole. */
function arraysText(graph: CsrGraph): string {
  return JSON.stringify(graph.arrays, (_, value: unknown) =>
    ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value,
  );
}

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Variations of a file's part that an edit could give, with the awkward cases the real code meets. */
function variant(
  rand: () => number,
  part: Part,
  others: Part[],
): { nodes: AsgNode[]; edges: AsgEdge[]; resolved: AsgEdge[] } {
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rand() * list.length)];
  const keep = <T>(list: readonly T[], share: number): T[] => list.filter(() => rand() < share);
  const other = pick(others);
  // Fewer nodes: edges to them dangle (dropped), and come back when the nodes do.
  const nodes = [part.nodes[0]!, ...keep(part.nodes.slice(1), 0.85)];
  // A node another file lists too, under another name (the first file in path order gives the facts).
  const shared = other ? pick(other.nodes) : undefined;
  if (shared) nodes.push({ ...shared, name: `${shared.name}~${part.nodes[0]!.path}` });
  const edges = keep(part.edges, 0.9);
  const resolved = keep(part.resolved, 0.9);
  // Repeats with other facts (the first one is kept): in one list, in both lists, and in another file.
  for (const list of [edges, resolved]) {
    const copied = pick(list);
    if (copied) list.push({ ...copied, confidence: 0.25, meta: { note: 'repeat' } });
  }
  const local = pick(edges);
  if (local) resolved.push({ ...local, confidence: 0.125 });
  const foreign = other ? pick([...other.edges, ...other.resolved]) : undefined;
  if (foreign) resolved.push({ ...foreign, confidence: 0.5 });
  if (foreign) edges.unshift({ ...foreign, ambiguous: true, confidence: 0.4 });
  // An edge from another file's node (a stray in this file), and one to a node nobody lists.
  const from = other ? pick(other.nodes) : undefined;
  const to = pick(nodes);
  if (from && to) resolved.push({ source: from.id, target: to.id, kind: 'data_flow', meta: { argument: 1 } });
  if (to) edges.push({ source: to.id, target: 'ffffffffffffffff', kind: 'calls' });
  if (rand() < 0.3) edges.reverse();
  return { nodes, edges, resolved };
}

const parts = new Map<string, Map<string, Part>>();

beforeAll(async () => {
  for (const repo of repos) parts.set(repo, await partsOf(join(REPOS, repo)));
  parts.set('all fixtures', await partsOf(REPOS));
});

describe.each([...repos, 'all fixtures'])('GraphStructure on %s', (repo) => {
  it('builds what a full build builds after every step of random updates', () => {
    const original = parts.get(repo)!;
    const paths = [...original.keys()];
    for (const seed of [1, 2, 3]) {
      const rand = random(seed * 7919 + paths.length);
      const current = new Map<string, Part>();
      const structure = new GraphStructure();
      for (const path of [...paths].sort(() => rand() - 0.5)) {
        current.set(path, original.get(path)!);
        structure.setFile(path, original.get(path)!);
      }
      let snapshot = structure.build();
      // The first snapshot numbers nodes as a full build does: the same arrays.
      expect(arraysText(snapshot)).toBe(arraysText(fullBuild(current)));
      const first = snapshot;
      const firstContent = canonical(first);
      const firstArrays = arraysText(first);
      for (let step = 0; step < 40; step++) {
        const path = paths[Math.floor(rand() * paths.length)]!;
        const choice = rand();
        const others = [...current.entries()].filter(([p]) => p !== path).map(([, part]) => part);
        const now = current.get(path);
        if (choice < 0.2 && now) {
          structure.removeFile(path);
          current.delete(path);
        } else if (choice < 0.45 && now) {
          const resolved = rand() < 0.5 ? [] : variant(rand, now, others).resolved;
          structure.setResolved(path, resolved);
          current.set(path, { ...now, resolved });
        } else {
          const part = rand() < 0.3 ? original.get(path)! : variant(rand, original.get(path)!, others);
          structure.setFile(path, part);
          current.set(path, part);
        }
        if (rand() < 0.3) continue; // several updates between snapshots
        const previous = snapshot;
        snapshot = structure.build();
        const full = fullBuild(current);
        expect(canonical(snapshot), `${repo} seed ${seed} step ${step}`).toBe(canonical(full));
        expect(rowProblems(snapshot)).toEqual([]);
        // Nodes that stay keep their numbers; only nodes past the new count move (into gaps).
        for (let i = 0; i < Math.min(previous.nodeCount, snapshot.nodeCount); i++) {
          const at = snapshot.indexOf(previous.arrays.ids[i]!);
          if (at >= 0 && at !== i) expect.fail(`node ${i} moved to ${at}`);
        }
      }
      // What the store saves of a snapshot reads back the same.
      expect(canonical(decodeSnapshot(encodeSnapshot(snapshot)))).toBe(canonical(snapshot));
      expect(canonical(first)).toBe(firstContent);
      expect(arraysText(first)).toBe(firstArrays);
      expect(rowProblems(first)).toEqual([]);
    }
  });
});

describe('GraphStructure', () => {
  const node = (id: string, path: string, name = id, kind: AsgNode['kind'] = 'function'): AsgNode => ({
    id,
    kind,
    name,
    qualifiedName: name,
    path,
    language: 'typescript',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  });
  const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 5 } });

  it('gives a shared node the facts of the first file that lists it, and keeps it while any does', () => {
    const structure = new GraphStructure();
    structure.setFile('b.ts', {
      nodes: [node('b', 'b.ts'), node('T', '', 'Map<K,V>', 'type')],
      edges: [],
      resolved: [],
    });
    structure.setFile('a.ts', {
      nodes: [node('a', 'a.ts'), node('T', '', 'Map<K, V>', 'type')],
      edges: [],
      resolved: [],
    });
    const both = structure.build();
    expect(both.arrays.names[both.indexOf('T')]).toBe('Map<K, V>');
    structure.removeFile('a.ts');
    const one = structure.build();
    expect(one.arrays.names[one.indexOf('T')]).toBe('Map<K,V>');
    expect(one.indexOf('a')).toBe(-1);
    expect(both.indexOf('a')).toBeGreaterThanOrEqual(0);
    structure.removeFile('b.ts');
    expect(structure.build().nodeCount).toBe(0);
  });

  it('keeps the first of repeated edges across files, and edges to nodes that come back', () => {
    const structure = new GraphStructure();
    const edge = (confidence: number): AsgEdge => ({
      source: 'T',
      target: 'b',
      kind: 'references',
      confidence,
      range: at(3),
    });
    structure.setFile('b.ts', {
      nodes: [node('b', 'b.ts'), node('T', '', 'T', 'type')],
      edges: [],
      resolved: [edge(0.5)],
    });
    structure.setFile('a.ts', {
      nodes: [node('a', 'a.ts'), node('T', '', 'T', 'type')],
      edges: [],
      resolved: [edge(0.75)],
    });
    const graph = structure.build();
    expect(graph.outgoing('T')).toEqual([edge(0.75)]);
    structure.setResolved('a.ts', [{ source: 'a', target: 'c', kind: 'calls' }]);
    expect(structure.build().outgoing('T')).toEqual([edge(0.5)]);
    expect(structure.build().outgoing('a')).toEqual([]);
    structure.setFile('c.ts', { nodes: [node('c', 'c.ts')], edges: [], resolved: [] });
    expect(structure.build().outgoing('a')).toEqual([{ source: 'a', target: 'c', kind: 'calls' }]);
    expect(graph.outgoing('T')).toEqual([edge(0.75)]);
  });

  it('refuses resolved edges for a file it does not hold', () => {
    expect(() => {
      new GraphStructure().setResolved('nope.ts', []);
    }).toThrow(/nope\.ts/);
  });

  it('moves to a fresh id table when ids pile up, leaving older snapshots their lookups', () => {
    const structure = new GraphStructure();
    const many = (prefix: string): StructurePart => {
      const nodes = Array.from({ length: 10_000 }, (_, i) => node(`${prefix}${i}`, 'a.ts'));
      const edges = nodes
        .slice(1)
        .map((n, i) => ({ source: nodes[i]!.id, target: n.id, kind: 'calls' as const }));
      return { nodes, edges, resolved: [] };
    };
    structure.setFile('a.ts', many('x'));
    const before = structure.build();
    const content = canonical(before);
    for (const prefix of ['y', 'z', 'w']) structure.setFile('a.ts', many(prefix));
    const after = structure.build();
    expect(canonical(after)).toEqual(canonical(fullBuild(new Map([['a.ts', many('w')]]))));
    expect(after.indexOf('x5')).toBe(-1);
    expect(after.indexOf('w5')).toBe(5);
    expect(before.indexOf('x5')).toBe(5);
    expect(before.indexOf('w5')).toBe(-1);
    expect(canonical(before)).toEqual(content);
  });
});
