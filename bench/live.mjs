#!/usr/bin/env node
/**
 * Live updates: from a file write to queryable, with and without the watcher's own latency, p50 and p99, for
 * a ~1,000-line file in a repository of at least 100k nodes; the delta apply time per changed node; a branch
 * switch of 500 files.
 *
 *   node bench/live.mjs [--corpus DIR] [--edits N] [--json FILE]
 *
 * Queryable: the update's version is published (structure, node details). Its lexical rows are written right
 * after, in the next turn of the event loop (or at once by the first query that reads the lexical index, see
 * `LiveIndex`): `lexicalMs` in the timings is only what the update itself spends on them.
 *
 * The default corpus is bench/.work/live: the tracked files of hono, ky (TypeScript) and click (Python), copied
 * from their clones in bench/.work (see bench/README.md). Needs `npm run build` (or RTC_DIST=<a build's folder>).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// RTC_DIST: another build's folder (e.g. a private `tsc --outDir`), to compare builds; default: dist/.
const dist = process.env.RTC_DIST
  ? pathToFileURL(resolve(process.env.RTC_DIST, 'engine/index.js')).href
  : '../dist/engine/index.js';
const { openLiveWorkspace } = await import(dist);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = resolve(import.meta.dirname, '..');
const corpus = resolve(option('--corpus', join(root, 'bench/.work/live')));
const edits = Number(option('--edits', '40'));
const jsonOut = option('--json');

if (!existsSync(corpus)) {
  // The tracked files of three repositories (no .git, no node_modules): TypeScript and Python.
  const work = join(root, 'bench/.work');
  for (const repo of ['hono', 'click', 'ky']) {
    if (!existsSync(join(work, repo, '.git'))) {
      console.error(`bench/.work/${repo} is missing: clone it first (see bench/README.md)`);
      process.exit(1);
    }
    const tracked = execFileSync('git', ['-C', join(work, repo), 'ls-files', '-z'], { encoding: 'utf8' });
    for (const path of tracked.split('\0')) {
      if (path === '') continue;
      mkdirSync(dirname(join(corpus, repo, path)), { recursive: true });
      cpSync(join(work, repo, path), join(corpus, repo, path));
    }
  }
}

/** Nodes of these files (`nodeIds(path)` also lists the shared type nodes: they are taken out). */
const nodesOf = (workspace, paths) => {
  const types = workspace.graphReader.nodeIds('\u0000').length;
  return paths.reduce((n, p) => n + workspace.graphReader.nodeIds(p).length - types, 0);
};

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values) => percentile(values, 50);
const round = (n, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const loadAtStart = loadavg();
const t0 = performance.now();
const live = await openLiveWorkspace(corpus, { flushMs: 3_600_000 });
const openMs = performance.now() - t0;
const summary = await live.read((w) => w.summary());
console.error(
  `corpus ${corpus}: ${summary.files} files, ${summary.nodes} nodes, ${summary.edges} edges (opened in ${round(openMs / 1000, 1)} s)`,
);

// The ~1,000-line TypeScript file.
const candidates = await live.read((w) =>
  w.summary().byLanguage.typescript ? w.symbols('*', { limit: 100000, kinds: ['module'] }) : [],
);
let target;
let best = Infinity;
for (const module of candidates) {
  if (!module.path.endsWith('.ts')) continue;
  const lines = readFileSync(join(corpus, module.path), 'utf8').split('\n').length;
  if (Math.abs(lines - 1000) < best) {
    best = Math.abs(lines - 1000);
    target = { path: module.path, lines };
  }
}
const original = readFileSync(join(corpus, target.path), 'utf8');
const originalLines = original.split('\n');
/** The i-th edit: a statement changed in the middle of the file (a comment added to a line). */
const edited = (i) => {
  const lines = [...originalLines];
  const at = Math.floor(lines.length / 2) + (i % 20);
  lines[at] = `${lines[at]} // edit ${i}`;
  return lines.join('\n');
};
console.error(`edited file: ${target.path} (${target.lines} lines)`);

// 1. Write → queryable, without the watcher: the file is written, then the update path runs.
const direct = [];
const applyPerNode = [];
let fileNodes = 0;
for (let i = 0; i < edits; i++) {
  const start = performance.now();
  writeFileSync(join(corpus, target.path), edited(i));
  const delta = await live.update([{ path: target.path }]);
  direct.push(performance.now() - start);
  const nodes = await live.read((w) => nodesOf(w, [target.path]));
  fileNodes = nodes;
  applyPerNode.push(
    ((delta.timings.structureMs + delta.timings.storeMs + delta.timings.lexicalMs) * 1000) / nodes,
  );
}
const lastDirect = await live.update([{ path: target.path, text: edited(0) }]);
const phases = {};
// Phase timings over editor-buffer updates (no disk read).
const buffer = [];
for (let i = 0; i < edits; i++) {
  const start = performance.now();
  const delta = await live.update([{ path: target.path, text: edited(i + 1) }]);
  buffer.push(performance.now() - start);
  for (const [phase, ms] of Object.entries(delta.timings)) (phases[phase] ??= []).push(ms);
}

// 1b. Editor buffer → the first query answered (it pays for the lexical rows the update left to write),
// against the same query asked again at once (the query alone).
const QUESTION = 'bearer token authentication header';
const firstQuery = [];
const queryAlone = [];
for (let i = 0; i < edits; i++) {
  const start = performance.now();
  await live.update([{ path: target.path, text: edited(2000 + i) }]);
  await live.query(QUESTION, { limit: 10 });
  firstQuery.push(performance.now() - start);
  const again = performance.now();
  await live.query(QUESTION, { limit: 10 });
  queryAlone.push(performance.now() - again);
}

// 2. With the watcher: write → the delta is published.
const watched = [];
const watcherOwn = [];
let resolveNext;
live.onDelta((delta) => resolveNext?.(delta));
await live.watch({ scanIntervalMs: 0 });
await sleep(300);
for (let i = 0; i < edits; i++) {
  const published = new Promise((r) => (resolveNext = r));
  const start = performance.now();
  writeFileSync(join(corpus, target.path), edited(1000 + i));
  const delta = await published;
  const total = performance.now() - start;
  watched.push(total);
  watcherOwn.push(total - delta.timings.totalMs);
  await sleep(50);
}
writeFileSync(join(corpus, target.path), original);
await sleep(500);

// 3. A branch switch of 500 files: every file changed at once (a function appended), then back.
const files = (
  await live.read((w) => w.symbols('*', { limit: 100000, kinds: ['module'] }).map((m) => m.path))
)
  .sort()
  .slice(0, 500);
const saved = new Map(files.map((p) => [p, readFileSync(join(corpus, p), 'utf8')]));
const switchRuns = [];
for (const [label, text] of [
  [
    'to the branch',
    (p, s) =>
      `${s}\n${p.endsWith('.py') ? 'def branch_marker():\n    return 1\n' : 'export function branchMarker() {\n  return 1;\n}\n'}`,
  ],
  ['back', (_p, s) => s],
]) {
  const published = new Promise((r) => (resolveNext = r));
  const start = performance.now();
  for (const p of files) writeFileSync(join(corpus, p), text(p, saved.get(p)));
  let delta = await published;
  // The watcher may split the switch into several batches: wait until every file is in.
  let seen = new Set(delta.files.map((f) => f.path));
  let applyMs = delta.timings.totalMs;
  const phasesOf = (d) => d.timings.structureMs + d.timings.storeMs + d.timings.lexicalMs;
  let deltaApplyMs = phasesOf(delta);
  let parseMs = delta.timings.parseMs;
  let batches = 1;
  let nodes = delta.nodes.added.length + delta.nodes.removed.length + delta.nodes.updated.length;
  while (seen.size < files.length) {
    delta = await new Promise((r) => (resolveNext = r));
    for (const f of delta.files) seen.add(f.path);
    applyMs += delta.timings.totalMs;
    deltaApplyMs += phasesOf(delta);
    parseMs += delta.timings.parseMs;
    batches++;
    nodes += delta.nodes.added.length + delta.nodes.removed.length + delta.nodes.updated.length;
  }
  const totalNodes = await live.read((w) => nodesOf(w, files));
  switchRuns.push({
    label,
    files: files.length,
    batches,
    wallMs: performance.now() - start,
    applyMs,
    parseMs,
    deltaApplyMs,
    deltaNodes: nodes,
    fileNodes: totalNodes,
  });
}
await live.close();

const result = {
  environment: {
    date: new Date().toISOString(),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg(),
    command: `${process.env.RTC_DIST ? `RTC_DIST=${process.env.RTC_DIST} ` : ''}node bench/live.mjs${args.length ? ` ${args.join(' ')}` : ''}`,
  },
  corpus: {
    dir: corpus,
    files: summary.files,
    nodes: summary.nodes,
    edges: summary.edges,
    openMs: round(openMs),
  },
  file: { ...target, nodes: fileNodes },
  writeToQueryable: {
    withoutWatcher: { p50: round(median(direct)), p99: round(percentile(direct, 99)), runs: direct.length },
    editorBuffer: { p50: round(median(buffer)), p99: round(percentile(buffer, 99)), runs: buffer.length },
    withWatcher: { p50: round(median(watched)), p99: round(percentile(watched, 99)), runs: watched.length },
    watcherOwn: { p50: round(median(watcherOwn)), p99: round(percentile(watcherOwn, 99)) },
    editorBufferToFirstQuery: {
      p50: round(median(firstQuery)),
      p99: round(percentile(firstQuery, 99)),
      runs: firstQuery.length,
    },
    queryAlone: { p50: round(median(queryAlone)), p99: round(percentile(queryAlone, 99)) },
  },
  phasesMedianMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(median(v))])),
  deltaApplyMicrosPerNode: { p50: round(median(applyPerNode)), p99: round(percentile(applyPerNode, 99)) },
  branchSwitch: switchRuns.map((r) => ({
    ...r,
    wallMs: round(r.wallMs),
    applyMs: round(r.applyMs),
    parseMs: round(r.parseMs),
    deltaApplyMs: round(r.deltaApplyMs),
    deltaApplyMicrosPerNode: round((r.deltaApplyMs * 1000) / Math.max(1, r.fileNodes)),
  })),
  lastDelta: { resolved: lastDirect.resolved.length, timings: lastDirect.timings },
};
console.log(JSON.stringify(result, null, 2));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 2));
