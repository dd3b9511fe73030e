/**
 * @module test/index/dependents
 * The dependents index answers what the scanning `dependentsOf` answers: on the fixture repositories after
 * seeded random edits (new, renamed and re-exported names, new uses, added and removed files), and on the
 * cases where the order of the scan decides.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileGraph } from '../../src/graph/index.js';
import { buildWorkspaceGraph } from '../../src/index/index.js';
import { DependentsIndex, dependentsOf } from '../../src/index/dependents.js';

const REPOS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');
const repos = readdirSync(REPOS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name);

const byPath = (a: FileGraph, b: FileGraph): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

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

/** Every name the files declare or use, to draw edits from. */
function namePool(graphs: readonly FileGraph[]): string[] {
  const names = new Set<string>();
  for (const g of graphs) {
    for (const name of Object.keys(g.topLevel)) names.add(name);
    for (const call of g.calls) names.add(call.name);
    for (const use of g.names) names.add(use.name);
    for (const imp of g.imports) names.add(imp.imported).add(imp.local);
  }
  return [...names].sort();
}

/** An edit of a file: some names and uses added or dropped, re-exports added. */
function edit(rand: () => number, graph: FileGraph, pool: readonly string[], path = graph.path): FileGraph {
  const pick = (): string =>
    rand() < 0.1 ? `fresh${Math.floor(rand() * 5)}` : pool[Math.floor(rand() * pool.length)]!;
  const edited = structuredClone(graph);
  edited.path = path;
  if (rand() < 0.5) edited.topLevel[pick()] = edited.moduleId;
  if (rand() < 0.3) edited.exports[pick()] = edited.moduleId;
  if (rand() < 0.5) edited.calls = edited.calls.filter(() => rand() < 0.7);
  const call = graph.calls[0];
  if (call && rand() < 0.5) edited.calls.push({ ...call, name: pick() });
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const reexports = Math.floor(rand() * 3);
  for (let i = 0; i < reexports; i++)
    edited.imports.push({
      node: edited.moduleId,
      scope: -1,
      source: `./${pick()}`,
      imported: rand() < 0.2 ? '*' : pick(),
      local: pick(),
      reexport: true,
      range,
    });
  if (rand() < 0.3) edited.exportNames.push({ local: pick(), exported: pick() });
  return edited;
}

const graphsOf = new Map<string, FileGraph[]>();

beforeAll(async () => {
  for (const repo of repos)
    graphsOf.set(repo, (await buildWorkspaceGraph(join(REPOS, repo), { workers: 0 })).fileGraphs);
  graphsOf.set('all fixtures', (await buildWorkspaceGraph(REPOS, { workers: 0 })).fileGraphs);
});

describe.each([...repos, 'all fixtures'])('DependentsIndex on %s', (repo) => {
  it('answers what dependentsOf answers after random edits', () => {
    const original = graphsOf.get(repo)!;
    const pool = namePool(original);
    const rand = random(original.length * 31 + repo.length);
    const current = new Map(original.map((g) => [g.path, g]));
    const index = new DependentsIndex();
    for (const g of original) index.set(g);
    let nonTrivial = 0;
    for (let step = 0; step < 60; step++) {
      const paths = [...current.keys()];
      const changed: FileGraph[] = [];
      const before: FileGraph[] = [];
      const count = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < count; i++) {
        const path = paths[Math.floor(rand() * paths.length)]!;
        const old = current.get(path);
        if (!old || changed.some((g) => g.path === path) || before.some((g) => g.path === path)) continue;
        const choice = rand();
        if (choice < 0.15 && current.size > 2) {
          before.push(old);
          current.delete(path);
          index.remove(path);
          continue;
        }
        if (choice < 0.3) {
          const added = edit(rand, old, pool, `${path}.copy${step}`);
          changed.push(added);
          current.set(added.path, added);
          index.set(added);
          continue;
        }
        const next = edit(rand, old, pool);
        before.push(old);
        changed.push(next);
        current.set(path, next);
        index.set(next);
      }
      const files = [...current.values()].sort(byPath);
      const expected = dependentsOf({ changed, before, files });
      const actual = index.dependentsOf(changed, before);
      expect([...actual].sort(), `${repo} step ${step}`).toEqual([...expected].sort());
      if (expected.size > changed.length) nonTrivial++;
    }
    expect(index.size).toBe(current.size);
    expect(nonTrivial).toBeGreaterThan(0);
  });
});

describe('DependentsIndex', () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const graph = (path: string, parts: Partial<FileGraph>): FileGraph => ({
    path,
    language: 'typescript',
    moduleId: `${path}#module`,
    nodes: [],
    edges: [],
    scopes: {},
    calls: [],
    names: [],
    imports: [],
    topLevel: {},
    exports: {},
    exportNames: [],
    members: {},
    detachedHeritage: [],
    detachedMethods: [],
    typed: {},
    parameters: {},
    returnValues: {},
    lineCount: 1,
    ...parts,
  });
  const call = (name: string): FileGraph['calls'][number] => ({
    site: name,
    scope: -1,
    name,
    calleeText: name,
    isNew: false,
    range,
    args: [],
    assignTo: [],
  });
  const reexport = (imported: string, local: string): FileGraph['imports'][number] => ({
    node: local,
    scope: -1,
    source: './elsewhere',
    imported,
    local,
    reexport: true,
    range,
  });

  it('follows the passes of the scan: a name passed on only after a file was visited is not passed on', () => {
    const files = [
      graph('lib.ts', { topLevel: { X: 'x' } }),
      // Visited before z.ts gives the name b, so it never passes b on as c.
      graph('a.ts', { calls: [call('X')], imports: [reexport('b', 'c')] }),
      // Uses q, which r.ts passes on later in the first pass: taken in the second pass.
      graph('b.ts', { calls: [call('q')] }),
      graph('r.ts', { calls: [call('X')], imports: [reexport('X', 'q')] }),
      graph('y.ts', { calls: [call('c')] }),
      graph('z.ts', { calls: [call('X')], imports: [reexport('X', 'b')] }),
      graph('other.py', { language: 'python', calls: [call('X')] }),
    ];
    const index = new DependentsIndex();
    for (const file of [...files].reverse()) index.set(file);
    const changed = [files[0]!];
    const expected = dependentsOf({ changed, before: [], files });
    expect([...expected].sort()).toEqual(['a.ts', 'b.ts', 'lib.ts', 'r.ts', 'z.ts']);
    expect(index.dependentsOf(changed, [])).toEqual(expected);
  });

  it('forgets removed files and replaced graphs', () => {
    const index = new DependentsIndex();
    const lib = graph('lib.ts', { topLevel: { X: 'x' } });
    index.set(lib);
    index.set(graph('a.ts', { calls: [call('X')] }));
    index.set(graph('b.ts', { calls: [call('X')] }));
    expect([...index.dependentsOf([lib], [])].sort()).toEqual(['a.ts', 'b.ts', 'lib.ts']);
    index.remove('a.ts');
    index.set(graph('b.ts', { calls: [call('Y')] }));
    expect([...index.dependentsOf([lib], [])]).toEqual(['lib.ts']);
    expect(index.size).toBe(2);
  });
});
