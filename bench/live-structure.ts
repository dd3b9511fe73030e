/**
 * The live graph structure and dependents index against the full rebuilds they replace, in one run:
 *
 * 1. `CsrGraph.build` of every node and edge (what an index run does, step 6 of index/indexer) against
 *    `GraphStructure.build()` after a one-file change: an edit that adds or removes a node (a call site),
 *    an edit that keeps the file's nodes (a change inside a body), and new resolved edges of one file;
 * 2. `dependentsOf({ changed, before, files })` against `DependentsIndex.dependentsOf(changed, before)`
 *    for one changed file.
 *
 * Medians of --runs runs (default 15) after warm-ups, wall time and (in brackets) the process's CPU time,
 * which a busy machine inflates less; the changed file rotates over a sample of files. Each new answer is
 * checked against the old one (canonically for graphs: same nodes and edges, any numbering).
 *
 * Usage: npx tsx --expose-gc bench/live-structure.ts [DIR | DATA.json] [--runs N]
 *   (with --expose-gc, garbage is collected between the phases, so that none pays for another's)
 *   DIR (default bench/.work/hono) is indexed in memory (one thread) and its file graphs and resolved edges
 *   are cached as plain JSON in the temp folder; DATA.json reads such a cache.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CsrGraph, resolveWorkspace } from '../src/graph/index.js';
import type { AsgEdge, AsgNode, FileGraph } from '../src/graph/index.js';
import { GraphStructure } from '../src/graph/live-structure.js';
import { buildWorkspaceGraph } from '../src/index/index.js';
import { DependentsIndex, dependentsOf } from '../src/index/dependents.js';

interface Data {
  graphs: FileGraph[];
  resolved: Record<string, AsgEdge[]>;
}

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 15;
const target = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? 'bench/.work/hono';

async function load(): Promise<Data> {
  if (target.endsWith('.json')) return JSON.parse(readFileSync(target, 'utf8')) as Data;
  const cache = join(tmpdir(), `rtc-live-structure-${basename(target)}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as Data;
  const workspace = await buildWorkspaceGraph(target, { workers: 0 });
  const graphs = [...workspace.fileGraphs].sort((a, b) => compare(a.path, b.path));
  const resolution = resolveWorkspace(graphs, workspace.config);
  const data: Data = {
    graphs,
    resolved: Object.fromEntries([...resolution.byFile].map(([p, r]) => [p, r.edges])),
  };
  writeFileSync(cache, JSON.stringify(data));
  console.log(`(cached the graphs of ${target} in ${cache})`);
  return data;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Wall time of a call, its result, and its CPU time. */
function time<T>(f: () => T): [number, T, number] {
  const cpu = cpuNow();
  const start = performance.now();
  const result = f();
  return [performance.now() - start, result, cpuNow() - cpu];
}

/** `median ms [median CPU ms]` */
function report(wall: number[], cpu: number[]): string {
  return `median ${median(wall).toFixed(2)} ms [${median(cpu).toFixed(2)}]`;
}

/** Nodes and edges as sorted text lines, independent of numbering. */
function canonical(graph: CsrGraph): string[][] {
  const a = graph.arrays;
  const nodes = a.ids.map((id, i) => `${id}\t${graph.kindOf(i)}\t${a.names[i]!}\t${graph.pathOf(i)}`);
  const edges: string[] = [];
  for (let e = 0; e < graph.edgeCount; e++) edges.push(JSON.stringify(graph.edge(e)));
  return [nodes.sort(), edges.sort()];
}

function sameGraph(a: CsrGraph, b: CsrGraph): boolean {
  const [x, y] = [canonical(a), canonical(b)];
  return JSON.stringify(x) === JSON.stringify(y);
}

const data = await load();
const graphs = data.graphs;
const resolvedOf = (g: FileGraph): AsgEdge[] => data.resolved[g.path] ?? [];
const partOf = (g: FileGraph): { nodes: AsgNode[]; edges: AsgEdge[]; resolved: AsgEdge[] } => ({
  nodes: g.nodes,
  edges: g.edges,
  resolved: resolvedOf(g),
});
const fullBuild = (): CsrGraph => {
  const nodes: AsgNode[] = [];
  const edges: AsgEdge[] = [];
  const resolved: AsgEdge[] = [];
  for (const g of graphs) {
    for (const n of g.nodes) nodes.push(n);
    for (const e of g.edges) edges.push(e);
    for (const e of resolvedOf(g)) resolved.push(e);
  }
  for (const e of resolved) edges.push(e);
  return CsrGraph.build(nodes, edges, { dedupe: true });
};

// A sample of files to change: spread over the path order, by size.
const bySize = [...graphs].sort((a, b) => a.nodes.length - b.nodes.length);
const sample = Array.from({ length: 9 }, (_, i) => bySize[Math.floor(((i + 0.5) * bySize.length) / 9)]!);

const [loadMs, structure] = time(() => {
  const s = new GraphStructure();
  for (const g of graphs) s.setFile(g.path, partOf(g));
  return s;
});
const full = fullBuild();
console.log(
  `${target}: ${graphs.length} files, ${full.nodeCount} nodes, ${full.edgeCount} edges; structure filled in ${loadMs.toFixed(0)} ms`,
);

/** Collects garbage between phases when node exposes it. */
const collect = (): void => {
  (globalThis as { gc?: () => void }).gc?.();
};

// Old and new are timed in separate loops, so that neither pays for the other's garbage.
collect();
const oldMs: number[] = [];
const oldCpu: number[] = [];
for (let run = -2; run < runs; run++) {
  const [wall, , cpu] = time(fullBuild);
  if (run < 0) continue;
  oldMs.push(wall);
  oldCpu.push(cpu);
}
// One-file edits, each followed by a snapshot: an edit that changes the file's nodes (a call site comes,
// then goes), one that keeps them (a change inside a body re-parses to the same ids and names), and
// new resolved edges only.
collect();
const changed = { set: [] as number[], wall: [] as number[], cpu: [] as number[] };
const kept = { set: [] as number[], wall: [] as number[], cpu: [] as number[] };
const resolved = { wall: [] as number[], cpu: [] as number[] };
let last = structure.build();
for (let run = -3; run < runs; run++) {
  const g = sample[(run + 3) % sample.length]!;
  // A new call site in the file (what typing a call adds): a node and the edge that contains it.
  const site = { ...g.nodes[0]!, id: `new call in ${g.path}`, kind: 'call_site' as const, name: 'added' };
  const edited = {
    ...partOf(g),
    nodes: [...g.nodes, site],
    edges: [...g.edges, { source: g.nodes[0]!.id, target: site.id, kind: 'contains' as const }],
  };
  for (const part of [edited, partOf(g)]) {
    const [set] = time(() => {
      structure.setFile(g.path, part);
    });
    const [wall, snapshot, cpu] = time(() => structure.build());
    last = snapshot;
    if (run < 0) continue;
    changed.set.push(set);
    changed.wall.push(wall);
    changed.cpu.push(cpu);
  }
  const [set] = time(() => {
    structure.setFile(g.path, partOf(g));
  });
  const [wall, snapshot, cpu] = time(() => structure.build());
  last = snapshot;
  structure.setResolved(g.path, resolvedOf(g).slice(1));
  const [resolvedWall, , resolvedCpu] = time(() => structure.build());
  structure.setResolved(g.path, resolvedOf(g));
  if (run < 0) continue;
  kept.set.push(set);
  kept.wall.push(wall);
  kept.cpu.push(cpu);
  resolved.wall.push(resolvedWall);
  resolved.cpu.push(resolvedCpu);
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `graph snapshots equal to a full build: ${sameGraph(full, last) && sameGraph(full, structure.build())}`,
);
console.log(`CsrGraph.build of everything                 ${report(oldMs, oldCpu)}`);
console.log(`build after an edit changing nodes           ${report(changed.wall, changed.cpu)}`);
console.log(`build after an edit keeping nodes            ${report(kept.wall, kept.cpu)}`);
console.log(`build after new resolved edges of one file   ${report(resolved.wall, resolved.cpu)}`);
console.log(
  `setFile of the changed file: ${median(changed.set).toFixed(2)} ms (nodes changed), ${median(kept.set).toFixed(2)} ms (kept)`,
);
const [indexOfMs] = time(() => {
  for (let i = 0; i < 1000; i++) last.indexOf(full.arrays.ids[(i * 7919) % full.nodeCount]!);
});
console.log(`1000 indexOf on a fresh snapshot: ${indexOfMs.toFixed(2)} ms`);

// Dependents of one changed file (its graph unchanged: the names it provides are what matters).
const index = new DependentsIndex();
const [indexLoadMs] = time(() => {
  for (const g of graphs) index.set(g);
});
collect();
const oldDeps: number[] = [];
const oldDepsCpu: number[] = [];
const newDeps: number[] = [];
const newDepsCpu: number[] = [];
let equal = true;
let found = 0;
for (let run = -3; run < runs; run++) {
  const g = sample[(run + 3) % sample.length]!;
  const [o, expected, oc] = time(() => dependentsOf({ changed: [g], before: [g], files: graphs }));
  const [n, actual, nc] = time(() => {
    index.set(g);
    return index.dependentsOf([g], [g]);
  });
  equal &&= JSON.stringify([...expected].sort()) === JSON.stringify([...actual].sort());
  if (run < 0) continue;
  found += actual.size;
  oldDeps.push(o);
  oldDepsCpu.push(oc);
  newDeps.push(n);
  newDepsCpu.push(nc);
}
console.log(
  `dependents index filled in ${indexLoadMs.toFixed(1)} ms; answers equal: ${equal}; mean dependents ${(found / runs).toFixed(0)}`,
);
console.log(`dependentsOf (scan)                           ${report(oldDeps, oldDepsCpu)}`);
console.log(`DependentsIndex set + dependentsOf           ${report(newDeps, newDepsCpu)}`);
