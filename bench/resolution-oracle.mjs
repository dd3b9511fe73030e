/**
 * Resolution accuracy against SCIP: indexes real repositories with scip-typescript / scip-python (the
 * oracle) and with our engine, turns both into (calling definition -> called definition) edges, and prints
 * the precision and recall of ours, for TypeScript and Python, with samples of the errors.
 *
 * Usage: npm run bench:resolution -- [options]   (or: node bench/resolution-oracle.mjs after npm run build)
 *   --ts DIR          TypeScript repository (env RTC_BENCH_TS_REPO; default bench/.work/hono)
 *   --ts-project FILE its tsconfig for scip-typescript (env RTC_BENCH_TS_PROJECT; default tsconfig.build.json
 *                     when present, else tsconfig.json, else --infer-tsconfig)
 *   --py DIR          Python repository (env RTC_BENCH_PY_REPO; default bench/.work/click)
 *   --self DIR        this project, indexed through tsconfig.build.json (default: the repository root)
 *   --only LIST       comma-separated subset of ts,py,self
 *   --samples N       false positives/negatives to show per repository (default 10)
 *   --fresh           re-run the indexers even when a cached index.scip exists
 *   --json FILE       also write the summary as JSON
 * A repository that is missing is skipped with a message. Indexes are cached under bench/.work/scip/ (keyed by
 * commit, clean work trees only); the full lists of false positives and negatives go to bench/.work/resolution/.
 * See bench/README.md, "Resolution accuracy against SCIP", for the method and the results.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ourCallEdges, ourDeclarations } from './resolution-asg.mjs';
import {
  explainFalseNegative,
  explainFalsePositive,
  fmt,
  score,
  scoreSites,
  siteText,
  spread,
  tally,
} from './resolution-compare.mjs';
import {
  addFallbackScopes,
  buildScipModel,
  indexerVersions,
  readIndex,
  runIndexer,
  scipCallEdges,
} from './resolution-scip.mjs';
import { SourceCache } from './resolution-text.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'bench', '.work');

const { values: opts } = parseArgs({
  options: {
    ts: { type: 'string', default: process.env.RTC_BENCH_TS_REPO ?? join(WORK, 'hono') },
    'ts-project': { type: 'string', default: process.env.RTC_BENCH_TS_PROJECT },
    py: { type: 'string', default: process.env.RTC_BENCH_PY_REPO ?? join(WORK, 'click') },
    self: { type: 'string', default: ROOT },
    only: { type: 'string', default: 'ts,py,self' },
    samples: { type: 'string', default: '10' },
    fresh: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const engineEntry = join(ROOT, 'dist', 'engine', 'index.js');
if (!existsSync(engineEntry)) {
  console.error('dist/ is missing: run `npm run build` first (or use `npm run bench:resolution`).');
  process.exit(1);
}
const { openWorkspace } = await import(pathToFileURL(engineEntry).href);

function tsProject(dir, given) {
  if (given) return given;
  if (existsSync(join(dir, 'tsconfig.build.json'))) return 'tsconfig.build.json';
  return existsSync(join(dir, 'tsconfig.json')) ? 'tsconfig.json' : undefined;
}

const only = new Set(opts.only.split(',').map((s) => s.trim()));
const targets = [];
if (only.has('ts')) {
  const dir = resolve(opts.ts);
  targets.push({
    id: 'ts',
    name: basename(dir),
    language: 'typescript',
    dir,
    project: tsProject(dir, opts['ts-project']),
  });
}
if (only.has('py'))
  targets.push({ id: 'py', name: basename(resolve(opts.py)), language: 'python', dir: resolve(opts.py) });
if (only.has('self')) {
  const dir = resolve(opts.self);
  targets.push({
    id: 'self',
    name: 'real-time-context',
    language: 'typescript',
    dir,
    project: 'tsconfig.build.json',
  });
}
const SAMPLES = Number(opts.samples);

function git(dir, ...args) {
  try {
    return execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Runs (or reuses) the SCIP index of a target; returns {file, seconds, command, cached}. */
function scipIndexFor(target) {
  const commit = git(target.dir, 'rev-parse', 'HEAD');
  const clean = commit !== undefined && git(target.dir, 'status', '--porcelain') === '';
  target.commit = commit ?? 'unknown';
  target.dirty = !clean;
  const file = join(WORK, 'scip', `${target.name}-${clean ? commit.slice(0, 12) : 'worktree'}.scip`);
  if (clean && existsSync(file) && !opts.fresh) return { file, seconds: 0, cached: true };
  const run = runIndexer({
    language: target.language,
    repo: target.dir,
    output: file,
    project: target.project,
    projectName: target.name,
    projectVersion: clean ? commit.slice(0, 12) : 'worktree',
  });
  return { file, ...run, cached: false };
}

async function evaluate(target) {
  const jsLike = target.language === 'typescript';
  const index = scipIndexFor(target);
  const scipIndex = readIndex(index.file);
  const sources = new SourceCache(target.dir);
  const model = buildScipModel(scipIndex, sources, jsLike);

  const t0 = performance.now();
  const workspace = await openWorkspace(target.dir, { workers: 2 });
  const graph = workspace.asgData();
  const oursSeconds = (performance.now() - t0) / 1000;

  addFallbackScopes(model, ourDeclarations(graph, model.files), sources);
  const truth = scipCallEdges(model);
  const ours = ourCallEdges(graph, model, sources, jsLike);

  const label = (key) => {
    const name = model.labels.get(key) ?? ours.labels.get(key);
    const where = key.endsWith(':<module>') ? key.slice(0, -':<module>'.length) : key;
    return name ? `${name} (${where})` : key.endsWith(':<module>') ? `<module> ${where}` : where;
  };

  const views = {};
  for (const [name, view] of Object.entries(ours.views)) {
    const edgeScore = score(truth.edges, view.edges);
    const siteScore = scoreSites(truth.bySite, view.bySite);
    const fp = [...view.edges.values()]
      .filter((e) => !truth.edges.has(`${e.caller} -> ${e.callee}`))
      .map((e) => ({ edge: e, ...explainFalsePositive(e, truth, label) }));
    const fn = [...truth.edges.values()]
      .filter((e) => !view.edges.has(`${e.caller} -> ${e.callee}`))
      .map((e) => ({ edge: e, ...explainFalseNegative(e, view, ours.views.all, ours.callSites, label) }));
    views[name] = { edgeScore, siteScore, fp, fn };
  }
  return { target, index, scipTool: scipIndex.tool, model, truth, ours, views, oursSeconds, label };
}

function printResult(r) {
  const { target, index, model, truth, ours, views, label } = r;
  console.log(`\n=== ${target.name} (${target.language}) ${target.dir}`);
  console.log(`commit ${target.commit}${target.dirty ? ' + uncommitted changes' : ''}`);
  console.log(
    `${r.scipTool}: ${model.files.size} files${index.cached ? ' (cached index)' : `, ${index.seconds.toFixed(1)} s`};` +
      ` our engine: ${r.oursSeconds.toFixed(1)} s`,
  );
  if (!index.cached) console.log(`indexer: ${index.command}`);
  console.log(
    `SCIP: ${truth.edges.size} caller->callee edges from ${truth.bySite.size} call sites with an in-repo callee`,
  );
  const sk = ours.skipped;
  console.log(
    `ours, left out: ${sk.calleeOutOfScope} callee outside SCIP's files, ${sk.localCallee} local callee,` +
      ` ${sk.notCallSyntax} not call syntax, ${sk.superCalls} super(), ${sk.nonCallableTarget} non-callable target`,
  );
  for (const [name, title] of [
    ['resolved', '(a) non-ambiguous edges only'],
    ['all', '(b) all edges, ambiguous included'],
  ]) {
    const { edgeScore: e, siteScore: s, fp, fn } = views[name];
    console.log(`\n${title}`);
    console.log(
      `  edges: ours ${e.ours}, SCIP ${e.truth}, matched ${e.matched}  ->  precision ${fmt(e.precision)}  recall ${fmt(e.recall)}`,
    );
    console.log(
      `  call sites: ours ${s.ours}, SCIP ${s.truth}, matched ${s.matched}  ->  precision ${fmt(s.precision)}  recall ${fmt(s.recall)}`,
    );
    console.log(
      `  false positives by reason: ${
        tally(fp)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
    console.log(
      `  false negatives by reason: ${
        tally(fn)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
  }
  const show = (title, list) => {
    console.log(
      `\n${title} (${Math.min(SAMPLES, list.length)} of ${list.length}, view (b) for FP, (a) for FN)`,
    );
    for (const x of spread(list, SAMPLES)) {
      console.log(`  ${siteText(x.site)}  ${label(x.edge.caller)} -> ${label(x.edge.callee)}`);
      console.log(`      ${x.category}: ${x.detail}`);
    }
  };
  show('False positives', views.all.fp);
  show('False negatives', views.resolved.fn);
}

/** The JSON form of one result (full FP/FN lists), written under bench/.work/resolution/. */
function details(r) {
  const item = (x) => ({
    site: siteText(x.site),
    caller: r.label(x.edge.caller),
    callee: r.label(x.edge.callee),
    category: x.category,
    detail: x.detail,
    sites: x.edge.sites.map(siteText),
  });
  return {
    repository: r.target.name,
    language: r.target.language,
    commit: r.target.commit,
    views: Object.fromEntries(
      Object.entries(r.views).map(([k, v]) => [
        k,
        {
          edges: v.edgeScore,
          sites: v.siteScore,
          falsePositives: v.fp.map(item),
          falseNegatives: v.fn.map(item),
        },
      ]),
    ),
  };
}

const versions = indexerVersions();
console.log(
  `Resolution accuracy against SCIP (scip-typescript ${versions.typescript}, scip-python ${versions.python}); ` +
    'targets: precision >= 0.95, recall >= 0.85',
);
const results = [];
for (const target of targets) {
  if (!existsSync(target.dir)) {
    console.log(
      `\n=== ${target.id}: skipped, ${target.dir} does not exist (see bench/README.md for the checkout commands)`,
    );
    continue;
  }
  try {
    const r = await evaluate(target);
    printResult(r);
    mkdirSync(join(WORK, 'resolution'), { recursive: true });
    writeFileSync(join(WORK, 'resolution', `${target.name}.json`), JSON.stringify(details(r), null, 2));
    results.push(r);
  } catch (error) {
    console.log(`\n=== ${target.name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

// Totals per language (edge counts added up over repositories).
console.log('\n=== Summary (edges; (a) non-ambiguous only, (b) all)');
const summary = [];
for (const language of ['typescript', 'python']) {
  const rs = results.filter((r) => r.target.language === language);
  if (rs.length === 0) continue;
  for (const view of ['resolved', 'all']) {
    const sum = { truth: 0, ours: 0, matched: 0 };
    for (const r of rs) for (const k of Object.keys(sum)) sum[k] += r.views[view].edgeScore[k];
    const precision = sum.ours ? sum.matched / sum.ours : NaN;
    const recall = sum.truth ? sum.matched / sum.truth : NaN;
    const row = {
      language,
      view: view === 'resolved' ? 'a' : 'b',
      repositories: rs.map((r) => r.target.name),
      ...sum,
      precision,
      recall,
    };
    summary.push(row);
    const per = rs.map(
      (r) =>
        `${r.target.name} ${fmt(r.views[view].edgeScore.precision)}/${fmt(r.views[view].edgeScore.recall)}`,
    );
    console.log(
      `${language.padEnd(10)} (${row.view})  precision ${fmt(precision)}  recall ${fmt(recall)}` +
        `  [ours ${sum.ours}, SCIP ${sum.truth}, matched ${sum.matched}; ${per.join(', ')}]`,
    );
  }
}
if (opts.json) writeFileSync(opts.json, JSON.stringify({ versions, summary }, null, 2));
