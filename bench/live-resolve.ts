/**
 * The incremental resolver against a full `resolveWorkspace` for a live update, in one run: a file is
 * replaced by the graph of its source with one added call (alternating with its original graph, so that
 * every run is a real change), and the file plus its dependents (`dependentsOf`) are resolved:
 *
 * - old: `resolveWorkspace(files, config, { targets })`, which builds every table from every file graph;
 * - new: `IncrementalResolver.update({ upsert: [graph] })` + `resolve(targets)` on a resolver kept warm.
 *
 * Medians of --runs runs (default 9) after warm-ups; the two alternate within each run. The new answer is
 * checked against the old one (same edges in the same order, same counts). With --baseline-rev REV, "old" is
 * `src/graph/resolver.ts` as of git revision REV (read with `git show`, run from a temp folder), so that the
 * resolver before this change can be compared with the new one on the same data.
 *
 * Usage: npx tsx bench/live-resolve.ts [DIR | DATA.json] [--file PATH]... [--runs N] [--baseline-rev REV]
 *   DIR (default bench/.work/hono) is indexed in memory (one thread) and its file graphs are cached as plain
 *   JSON in the temp folder (DATA.json reads such a cache; then --repo DIR gives the sources to edit).
 *   Default files: the ~1000-line files src/context.ts, src/jsx/dom/render.ts, src/hono-base.ts and
 *   src/middleware/bearer-auth/index.test.ts, when present.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve as resolvePath } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { buildFileGraph, IncrementalResolver, resolveWorkspace } from '../src/graph/index.js';
import type { FileGraph, ProjectConfig, ResolutionResult, ResolverRunStats } from '../src/graph/index.js';
import { buildWorkspaceGraph } from '../src/index/index.js';
import { dependentsOf } from '../src/index/dependents.js';
import { packageAssets } from '../src/index/package-assets.js';
import { detectLanguage, ParserHost } from '../src/parse/index.js';

interface Data {
  config: ProjectConfig;
  graphs: FileGraph[];
}
type Resolve = typeof resolveWorkspace;

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const runs = Number(option('--runs') ?? 9);
const baselineRev = option('--baseline-rev');
const target =
  args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--')) ?? 'bench/.work/hono';
const repo = option('--repo') ?? (target.endsWith('.json') ? 'bench/.work/hono' : target);
const files = args.flatMap((a, i) => (args[i - 1] === '--file' ? [a] : []));

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

async function load(): Promise<Data> {
  if (target.endsWith('.json')) return JSON.parse(readFileSync(target, 'utf8')) as Data;
  const cache = join(tmpdir(), `rtc-live-resolve-${basename(target)}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as Data;
  const workspace = await buildWorkspaceGraph(target, { workers: 0 });
  const data: Data = {
    config: workspace.config,
    graphs: [...workspace.fileGraphs].sort((a, b) => compare(a.path, b.path)),
  };
  writeFileSync(cache, JSON.stringify(data));
  console.log(`(cached the graphs of ${target} in ${cache})`);
  return data;
}

/** `resolveWorkspace` of src/graph/resolver.ts as of a git revision. */
async function baselineAt(rev: string): Promise<Resolve> {
  const source = execFileSync('git', ['show', `${rev}:src/graph/resolver.ts`], { encoding: 'utf8' });
  const src = resolvePath('src');
  const rewritten = source
    .replace(/'\.\.\/base\/index\.js'/g, `'${join(src, 'base', 'index.ts')}'`)
    .replace(/'\.\/([a-z-]+)\.js'/g, (_, name: string) => `'${join(src, 'graph', `${name}.ts`)}'`);
  const file = join(mkdtempSync(join(tmpdir(), 'rtc-baseline-')), 'resolver.ts');
  writeFileSync(file, rewritten);
  const module = (await import(file)) as { resolveWorkspace: Resolve };
  return module.resolveWorkspace;
}

/** The text with one call added as the first statement of the longest function body. */
function withAddedCall(graph: FileGraph, text: string): string {
  const lines = text.split('\n');
  const bodies = graph.nodes
    .filter(
      (n) => (n.kind === 'function' || n.kind === 'method') && n.range.end.line > n.range.start.line + 1,
    )
    .sort((a, b) => b.range.end.line - b.range.start.line - (a.range.end.line - a.range.start.line));
  const body = bodies[0];
  const at = body ? body.range.start.line + 1 : lines.length;
  const indent = /^\s*/.exec(lines[at] ?? '')![0];
  lines.splice(at, 0, `${indent}console.log('live edit');`);
  return lines.join('\n');
}

function sameResult(a: ResolutionResult, b: ResolutionResult): boolean {
  return (
    isDeepStrictEqual([...a.byFile], [...b.byFile]) &&
    isDeepStrictEqual(a.edges, b.edges) &&
    isDeepStrictEqual([a.calls, a.references, a.imports], [b.calls, b.references, b.imports])
  );
}

const data = await load();
const graphs = data.graphs;
const config = data.config;
const byPath = new Map(graphs.map((g) => [g.path, g]));
const paths = (
  files.length > 0
    ? files
    : [
        'src/context.ts',
        'src/jsx/dom/render.ts',
        'src/hono-base.ts',
        'src/middleware/bearer-auth/index.test.ts',
      ]
).filter((path) => byPath.has(path));
const old: Resolve = baselineRev ? await baselineAt(baselineRev) : resolveWorkspace;
const host = new ParserHost(packageAssets());
console.log(
  `${target}: ${graphs.length} files, ${graphs.reduce((n, g) => n + g.nodes.length, 0)} nodes; ` +
    `old = ${baselineRev ? `resolver.ts at ${baselineRev}` : 'resolveWorkspace (this tree)'}; ` +
    `load ${loadavg()[0]!.toFixed(2)}; medians of ${runs} runs`,
);

for (const path of paths) {
  const original = byPath.get(path)!;
  const text = readFileSync(join(repo, path), 'utf8');
  const language = detectLanguage(path, text.split('\n', 1)[0])!;
  const edited = buildFileGraph(await host.extract(path, language.id, withAddedCall(original, text)));
  const resolver = new IncrementalResolver(graphs, config);
  let time = performance.now();
  resolver.resolve();
  const coldMs = performance.now() - time;
  // The same sequence of changes for both: the changed graph alternates between the edited and the original.
  const warmups = 3;
  const steps: { before: FileGraph; after: FileGraph; files: FileGraph[]; targets: Set<string> }[] = [];
  const dependentsMs: number[] = [];
  let before = original;
  for (let run = 0; run < runs + warmups; run++) {
    // A fresh copy each time, as a re-parse gives: nothing may be known of the graph object.
    const after = structuredClone(run % 2 === 0 ? edited : original);
    const files = graphs.map((g) => (g.path === path ? after : g));
    time = performance.now();
    const targets = dependentsOf({ changed: [after], before: [before], files });
    if (run >= warmups) dependentsMs.push(performance.now() - time);
    steps.push({ before, after, files, targets });
    before = after;
  }
  // Old and new run in separate loops, so that neither pays for the other's garbage.
  const expected: ResolutionResult[] = [];
  const oldMs: number[] = [];
  for (const [run, step] of steps.entries()) {
    time = performance.now();
    expected.push(old(step.files, config, { targets: step.targets }));
    if (run >= warmups) oldMs.push(performance.now() - time);
  }
  const updateMs: number[] = [];
  const resolveMs: number[] = [];
  const stats: ResolverRunStats[] = [];
  let checked = true;
  for (const [run, step] of steps.entries()) {
    time = performance.now();
    resolver.update({ upsert: [step.after] });
    const updateTime = performance.now() - time;
    const result = resolver.resolve(step.targets);
    const resolveTime = performance.now() - time - updateTime;
    if (!sameResult(result, expected[run]!)) checked = false;
    if (run < warmups) continue;
    updateMs.push(updateTime);
    resolveMs.push(resolveTime);
    stats.push(resolver.lastRun);
  }
  const targetCount = steps[0]!.targets.size;
  const total = updateMs.map((u, i) => u + resolveMs[i]!);
  const med = (pick: (s: ResolverRunStats) => number): string => median(stats.map(pick)).toFixed(2);
  console.log(
    `\n${path} (${original.lineCount} lines, ${targetCount} targets with dependents; ` +
      `dependentsOf ${median(dependentsMs).toFixed(1)} ms; first full resolve ${coldMs.toFixed(0)} ms)` +
      `\n  old  resolveWorkspace(targets)         ${median(oldMs).toFixed(1)} ms` +
      `\n  new  update + resolve(targets)         ${median(total).toFixed(2)} ms ` +
      `(update ${median(updateMs).toFixed(2)}, resolve ${median(resolveMs).toFixed(2)})` +
      `\n       stages: structure ${med((s) => s.structureMs)} ms, sweeps ${med((s) => s.sweepMs)} ms ` +
      `(${med((s) => s.sweepUnits)} file parts), resolution ${med((s) => s.resolveMs)} ms ` +
      `(${med((s) => s.resolvedFiles)} files resolved, ${med((s) => s.reusedFiles)} kept)` +
      `\n  same result as old: ${checked ? 'yes' : 'NO'}`,
  );
}
