/**
 * The persistent index (`<repo>/.rtc`: LMDB + SQLite), measured on real repositories in one run:
 *
 * 1. cold index: `rtc index DIR --db TMP --json` in a child process (wall time, peak RSS), against
 *    universal-ctags on exactly the files we index (our discovery's list, as bench/throughput.mjs does it:
 *    one process, and one process per core on parts of the list), in the same run;
 * 2. re-index with nothing changed (median), also as a share of the cold time;
 * 3. re-index after one file changed (a comment line appended), then again after restoring it;
 * 4. the index's size on disk, per MB of source;
 * 5. opening the index and loading the graph in a fresh process: `IndexStore.open(dir, { readOnly: true })`,
 *    `read()`, `graph()` (median of fresh processes), per 100k nodes;
 * 6. a full breadth-first traversal of the graph (every component, edges in both directions) on the CSR
 *    typed arrays (median after warm-ups, the first of which derives the walk layout), scaled to 1M nodes;
 *    bench/traversal.mjs compares it with the walk on the rows and times the layout.
 *
 * Each corpus folder is indexed as one repository. The changed file is restored (bytes and times) even when
 * the run fails or is interrupted; nothing else in the corpus is written (the index goes to a temp folder).
 *
 * Usage: node bench/store.mjs [DIR…] [--corpus DIR]… [--quick] [--runs N] [--rtc-runs N] [--json FILE]
 *          [--change RELATIVE_PATH] [--keep]
 *   default corpus: bench/.work (sympy, terraform, hono, click, ky: see bench/README.md), one repository;
 *   --quick: bench/.work/hono and bench/.work/click, each its own repository, 3 cold runs;
 *   --runs N: runs of ctags (default 3); --rtc-runs N: cold runs of rtc (default 1, 3 with --quick);
 *   --change: the file to change in step 3 (default: the median-sized file of the corpus's main language);
 *   --keep: keep the temp folder with the index.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const here = import.meta.dirname;
const root = resolve(here, '..');
const rtcBin = join(root, 'dist', 'bin', 'rtc.js');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Imports a module of dist/, rebuilding once if it fails (another engineer may be rebuilding dist/). */
async function importDist(path) {
  try {
    return await import(join(root, 'dist', path));
  } catch (error) {
    console.error(`import of dist/${path} failed (${error.message}); rebuilding`);
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    return import(join(root, 'dist', path) + `?retry=${Date.now()}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Child modes: run in a fresh process, print one JSON line.

if (process.argv[2] === '--child-open') {
  const dbDir = process.argv[3];
  const { IndexStore } = await importDist('store/index.js');
  const t0 = performance.now();
  const store = IndexStore.open(dbDir, { readOnly: true });
  const t1 = performance.now();
  const reader = store.read();
  const t2 = performance.now();
  const csr = reader.graph();
  const t3 = performance.now();
  console.log(
    JSON.stringify({
      openMs: t1 - t0,
      readMs: t2 - t1,
      graphMs: t3 - t2,
      totalMs: t3 - t0,
      nodes: csr.nodeCount,
      edges: csr.edgeCount,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    }),
  );
  reader.done();
  await store.close();
  process.exit(0);
}

if (process.argv[2] === '--child-traverse') {
  const [dbDir, runsArg, warmArg] = process.argv.slice(3);
  const { IndexStore } = await importDist('store/index.js');
  const store = IndexStore.open(dbDir, { readOnly: true });
  const reader = store.read();
  const csr = reader.graph();
  const times = [];
  let last;
  // The first traversal derives the walk layout (`CsrGraph.walkLayout`), which later ones reuse.
  let firstMs = 0;
  for (let run = 0; run < Number(warmArg) + Number(runsArg); run++) {
    const t0 = performance.now();
    last = traverseAll(csr);
    const ms = performance.now() - t0;
    if (run === 0) firstMs = ms;
    if (run >= Number(warmArg)) times.push(ms);
  }
  // For reference: along edges out only.
  const directedTimes = [];
  for (let run = 0; run < Number(warmArg) + Number(runsArg); run++) {
    const t0 = performance.now();
    traverseAll(csr, true);
    if (run >= Number(warmArg)) directedTimes.push(performance.now() - t0);
  }
  // For reference: the library's own walk, the component of node 0 only.
  const t0 = performance.now();
  const component0 = csr.breadthFirst(0).length;
  const component0Ms = performance.now() - t0;
  console.log(
    JSON.stringify({
      ms: median(times),
      times,
      firstMs,
      directedMs: median(directedTimes),
      nodes: csr.nodeCount,
      edges: csr.edgeCount,
      visited: last.visited,
      steps: last.steps,
      components: last.components,
      component0,
      component0Ms,
    }),
  );
  reader.done();
  await store.close();
  process.exit(0);
}

/** The library's full traversal (`CsrGraph.traverseAll`: every node, edges out and in), with counts. */
function traverseAll(csr, directed = false) {
  const { walks } = csr.traverseAll({ directed });
  const steps = directed ? csr.edgeCount : 2 * csr.edgeCount;
  return { visited: csr.nodeCount, steps, components: walks };
}

// ---------------------------------------------------------------------------------------------------------
// The driver.

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const jsonFile = option('--json');
const changeOption = option('--change');
const ctagsRuns = Number(option('--runs') ?? 3);
const rtcRuns = Number(option('--rtc-runs') ?? (quick ? 3 : 1));
const reindexRuns = 3;
const openRuns = 5;
const traverseRuns = 10;
const traverseWarmups = 2;
const valued = new Set(['--json', '--change', '--runs', '--rtc-runs', '--corpus']);
const corpora = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--corpus') corpora.push(resolve(args[++i]));
  else if (valued.has(args[i])) i++;
  else if (!args[i].startsWith('--')) corpora.push(resolve(args[i]));
}
if (corpora.length === 0) {
  if (quick) corpora.push(join(here, '.work', 'hono'), join(here, '.work', 'click'));
  else corpora.push(join(here, '.work'));
}
for (const dir of corpora) {
  if (!existsSync(dir)) {
    console.error(`No folder ${dir}: see bench/README.md for the repositories to check out there`);
    process.exit(2);
  }
}
if (!existsSync(rtcBin)) {
  console.error('No dist/: run `npm run build` first');
  process.exit(2);
}
let ctagsVersion;
try {
  ctagsVersion = execFileSync('ctags', ['--version'], { encoding: 'utf8' }).split('\n')[0];
} catch {
  console.error('universal-ctags is not installed (apt-get install universal-ctags)');
  process.exit(2);
}
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cores = availableParallelism();
const { discoverFiles } = await importDist('index/index.js');

const git = (...gitArgs) => {
  try {
    return execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8' });
  } catch {
    return '';
  }
};
const environment = {
  date: new Date().toISOString(),
  commit: git('rev-parse', 'HEAD').trim(),
  dirtyFiles: git('status', '--short').split('\n').filter(Boolean).length,
  command: `node bench/store.mjs ${args.join(' ')}`.trim(),
  node: process.version,
  cores,
  loadAverageAtStart: loadavg(),
  cpu: cpus()[0]?.model ?? '',
  ctags: ctagsVersion,
  peakRssFrom: timeBin ? '/usr/bin/time -v' : 'process.resourceUsage() in the child',
};

const work = mkdtempSync(join(tmpdir(), 'rtc-store-bench-'));

// The one file changed by step 3, restored whatever happens.
let pendingRestore;
const restore = () => {
  if (!pendingRestore) return;
  const { path, bytes, atime, mtime } = pendingRestore;
  writeFileSync(path, bytes);
  utimesSync(path, atime, mtime);
  pendingRestore = undefined;
};
process.on('exit', () => {
  restore();
  if (!keep) rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}

/** Runs a process; resolves with its wall time, stdout, stderr and peak RSS (when measured). */
function timeProcess(command, commandArgs, { cwd = root, peak = false } = {}) {
  let file = command;
  let fileArgs = commandArgs;
  if (peak && timeBin) {
    file = timeBin;
    fileArgs = ['-v', command, ...commandArgs];
  } else if (peak && command === process.execPath) {
    const hook =
      "process.on('exit',()=>process.stderr.write('\\nRTC_BENCH_MAXRSS_KB '+process.resourceUsage().maxRSS+'\\n'))";
    fileArgs = ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, ...commandArgs];
  }
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    let stdout = '';
    let stderr = '';
    const child = spawn(file, fileArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`${command} ${commandArgs.join(' ')} exited ${code}\n${stderr.slice(-3000)}`));
        return;
      }
      const kb =
        /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ??
        /RTC_BENCH_MAXRSS_KB (\d+)/.exec(stderr)?.[1];
      resolvePromise({ ms, stdout, stderr, peakRssMb: kb === undefined ? undefined : Number(kb) / 1024 });
    });
  });
}

const lastJson = (text) => JSON.parse(text.slice(text.indexOf('{')));
const rtcIndex = async (dir, dbDir, peak = false) => {
  const run = await timeProcess(process.execPath, [rtcBin, 'index', dir, '--db', dbDir, '--json'], { peak });
  return { ms: run.ms, peakRssMb: run.peakRssMb, report: lastJson(run.stdout) };
};
const folderBytes = (dir) => {
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const info = statSync(join(dir, name));
    bytes += info.isDirectory() ? folderBytes(join(dir, name)) : info.size;
  }
  return bytes;
};
const COMMENT = { python: '#', ruby: '#', shell: '#', bash: '#', r: '#', perl: '#', elixir: '#', lua: '--' };

const results = [];
for (const [corpusIndex, dir] of corpora.entries()) {
  console.log(`\n=== ${dir}`);
  // The files, as our discovery lists them; ctags gets exactly these.
  const discovery = await discoverFiles(dir);
  const files = discovery.files;
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const byLanguage = {};
  let nonEmptyLines = 0;
  for (const f of files) {
    byLanguage[f.language] = (byLanguage[f.language] ?? 0) + f.size;
    const text = readFileSync(f.absolutePath, 'utf8');
    for (const line of text.split('\n')) if (line.trim() !== '') nonEmptyLines++;
  }
  const mb = bytes / 1e6;
  console.log(
    `${files.length} files, ${mb.toFixed(1)} MB (${Object.entries(byLanguage)
      .sort((a, b) => b[1] - a[1])
      .map(([l, b]) => `${l} ${(b / 1e6).toFixed(1)}`)
      .join(', ')}), ${nonEmptyLines} non-empty lines`,
  );
  const lists = [join(work, `all-${corpusIndex}.txt`)];
  writeFileSync(lists[0], files.map((f) => f.path).join('\n'));
  for (let i = 0; i < cores; i++) {
    const path = join(work, `part-${corpusIndex}-${i}.txt`);
    writeFileSync(
      path,
      files
        .filter((_, j) => j % cores === i)
        .map((f) => f.path)
        .join('\n'),
    );
    lists.push(path);
  }
  const ctagsArgs = (list) => ['--output-format=json', '--fields=+n', '-f', '/dev/null', '-L', list];

  // 1. Cold index, interleaved with ctags.
  const ctags1 = [];
  const ctagsN = [];
  const cold = [];
  const dbDir = (run) => join(work, `db-${corpusIndex}-${run}`);
  for (let run = 0; run < Math.max(ctagsRuns, rtcRuns); run++) {
    const line = [];
    if (run < ctagsRuns) {
      ctags1.push((await timeProcess('ctags', ctagsArgs(lists[0]), { cwd: dir })).ms);
      const start = performance.now();
      await Promise.all(lists.slice(1).map((list) => timeProcess('ctags', ctagsArgs(list), { cwd: dir })));
      ctagsN.push(performance.now() - start);
      line.push(`ctags ${ctags1.at(-1).toFixed(0)} ms, ctags x${cores} ${ctagsN.at(-1).toFixed(0)} ms`);
    }
    if (run < rtcRuns) {
      if (run > 0) rmSync(dbDir(run - 1), { recursive: true, force: true });
      const result = await rtcIndex(dir, dbDir(run), true);
      if (!result.report.cold) throw new Error(`run ${run + 1} of rtc was not cold`);
      cold.push(result);
      const t = result.report.timings;
      line.push(
        `rtc ${result.ms.toFixed(0)} ms (discover ${t.discoverMs.toFixed(0)}, hash ${t.hashMs.toFixed(0)}, parse ${t.parseMs.toFixed(0)}, resolve ${t.resolveMs.toFixed(0)}, write ${t.writeMs.toFixed(0)}), peak ${result.peakRssMb?.toFixed(0) ?? '?'} MB`,
      );
    }
    console.log(`run ${run + 1}: ${line.join('; ')}`);
  }
  const db = dbDir(rtcRuns - 1);
  const coldMs = median(cold.map((c) => c.ms));
  const coldReport = cold.at(-1).report;

  // 2. Re-index, nothing changed.
  const noChange = [];
  for (let run = 0; run < reindexRuns; run++) {
    const result = await rtcIndex(dir, db);
    if (!result.report.upToDate) console.log('  note: a re-index with nothing changed was not up to date');
    noChange.push(result);
  }
  const noChangeMs = median(noChange.map((r) => r.ms));
  console.log(
    `re-index, nothing changed: ${noChange.map((r) => r.ms.toFixed(0)).join(', ')} ms (in-process ${noChange.map((r) => r.report.timings.totalMs.toFixed(0)).join(', ')} ms)`,
  );

  // 3. One file changed, then restored.
  const mainLanguage = Object.entries(byLanguage).sort((a, b) => b[1] - a[1])[0][0];
  let target = changeOption ? files.find((f) => f.path === changeOption) : undefined;
  if (changeOption && !target) throw new Error(`--change ${changeOption}: not an indexed file of ${dir}`);
  if (!target) {
    const candidates = files
      .filter((f) => f.language === mainLanguage)
      .sort((a, b) => a.size - b.size || (a.path < b.path ? -1 : 1));
    target = candidates[candidates.length >> 1];
  }
  const original = readFileSync(target.absolutePath);
  const info = statSync(target.absolutePath);
  pendingRestore = { path: target.absolutePath, bytes: original, atime: info.atime, mtime: info.mtime };
  let changed;
  try {
    const prefix = COMMENT[target.language] ?? '//';
    const newline = original.length > 0 && original[original.length - 1] !== 0x0a ? '\n' : '';
    appendFileSync(target.absolutePath, `${newline}${prefix} rtc store benchmark: one changed line\n`);
    changed = await rtcIndex(dir, db);
  } finally {
    restore();
  }
  const restored = await rtcIndex(dir, db);
  const describe = (r) =>
    `${r.ms.toFixed(0)} ms (parsed ${r.report.files.parsed}, resolved ${r.report.files.resolved}, dependents ${r.report.files.dependents}; load ${r.report.timings.loadMs.toFixed(0)}, resolve ${r.report.timings.resolveMs.toFixed(0)}, write ${r.report.timings.writeMs.toFixed(0)} ms)`;
  console.log(`re-index, ${target.path} changed: ${describe(changed)}`);
  console.log(`re-index, ${target.path} restored: ${describe(restored)}`);

  // 4. Size on disk, lines (from the index).
  const sizeBytes = folderBytes(db);
  const stats = lastJson(
    (await timeProcess(process.execPath, [rtcBin, 'stats', dir, '--db', db, '--json'])).stdout,
  );
  console.log(
    `index size ${(sizeBytes / 1e6).toFixed(1)} MB (${(sizeBytes / bytes).toFixed(1)} bytes per byte of source); ${stats.lines} lines in the index`,
  );

  // 5. Open the index and load the graph, in fresh processes.
  const opens = [];
  for (let run = 0; run < openRuns; run++) {
    opens.push(
      lastJson((await timeProcess(process.execPath, [join(here, 'store.mjs'), '--child-open', db])).stdout),
    );
  }
  const openMs = median(opens.map((o) => o.totalMs));
  const nodes = opens[0].nodes;
  const edges = opens[0].edges;
  console.log(
    `open + read + graph: ${opens.map((o) => o.totalMs.toFixed(0)).join(', ')} ms (open ${median(opens.map((o) => o.openMs)).toFixed(1)}, graph ${median(opens.map((o) => o.graphMs)).toFixed(0)} ms; ${nodes} nodes, ${edges} edges)`,
  );

  // 6. Full breadth-first traversal.
  const traversal = lastJson(
    (
      await timeProcess(process.execPath, [
        join(here, 'store.mjs'),
        '--child-traverse',
        db,
        String(traverseRuns),
        String(traverseWarmups),
      ])
    ).stdout,
  );
  console.log(
    `full traversal: ${traversal.ms.toFixed(2)} ms (${traversal.times.map((t) => t.toFixed(1)).join(', ')}), ${traversal.visited} nodes in ${traversal.components} components, ${traversal.steps} edge ends; the first (deriving the walk layout) ${traversal.firstMs.toFixed(0)} ms; along edges out only: ${traversal.directedMs.toFixed(2)} ms`,
  );

  results.push({
    dir,
    files: files.length,
    bytes,
    byLanguage,
    nonEmptyLines,
    indexLines: stats.lines,
    nodes,
    edges,
    ctags: { runs: ctagsRuns, oneProcessMs: ctags1, perCoreMs: ctagsN },
    cold: {
      runs: cold.map((c) => ({ ms: c.ms, peakRssMb: c.peakRssMb, timings: c.report.timings })),
      ms: coldMs,
      peakRssMb: Math.max(...cold.map((c) => c.peakRssMb ?? 0)) || undefined,
      report: coldReport,
    },
    noChange: { ms: noChangeMs, runs: noChange.map((r) => ({ ms: r.ms, timings: r.report.timings })) },
    oneChanged: {
      file: target.path,
      changed: { ms: changed.ms, files: changed.report.files, timings: changed.report.timings },
      restored: { ms: restored.ms, files: restored.report.files, timings: restored.report.timings },
      sameGraphAfterRestore:
        restored.report.nodes === coldReport.nodes && restored.report.edges === coldReport.edges,
    },
    size: { bytes: sizeBytes, perMbSource: sizeBytes / bytes },
    open: { ms: openMs, runs: opens },
    traversal,
  });
}

// ---------------------------------------------------------------------------------------------------------
// The table.

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows = [];
const verdicts = [];
const verdict = (ok) => (ok ? 'met' : 'NOT met');
for (const r of results) {
  const name = r.dir.startsWith(here) ? r.dir.slice(root.length + 1) : r.dir;
  const mb = r.bytes / 1e6;
  const mbps = (ms) => mb / (ms / 1000);
  const ctags1 = median(r.ctags.oneProcessMs);
  const ctagsN = median(r.ctags.perCoreMs);
  const ratio1 = ctags1 / r.cold.ms;
  const ratioN = ctagsN / r.cold.ms;
  const noChangeShare = r.noChange.ms / r.cold.ms;
  const openPer100k = r.open.ms / (r.nodes / 1e5);
  const traversalPer1M = r.traversal.ms / (r.nodes / 1e6);
  const c = r.oneChanged;
  const o = r.open.runs;
  r.verdicts = {
    coldVsCtags: { ratio: ratio1, ratioPerCore: ratioN, target: 0.5, met: ratio1 >= 0.5 },
    noChange: { share: noChangeShare, target: 0.05, met: noChangeShare <= 0.05 },
    openPer100kNodes: { ms: openPer100k, target: 300, met: openPer100k <= 300 },
    traversalPer1MNodes: { ms: traversalPer1M, target: 18, met: traversalPer1M <= 18 },
    millionLines: { lines: r.nonEmptyLines, met: r.nonEmptyLines >= 1e6 },
  };
  verdicts.push(r.verdicts);
  rows.push(
    [
      `**${name}**`,
      `${fmt(r.files)} files, ${fmt(mb, 1)} MB, ${fmt(r.nonEmptyLines)} non-empty lines (${fmt(r.indexLines)} in all); graph ${fmt(r.nodes)} nodes, ${fmt(r.edges)} edges`,
      '',
      '',
    ],
    [
      `universal-ctags, 1 process (median of ${r.ctags.runs})`,
      `${fmt(ctags1 / 1000, 2)} s, ${fmt(mbps(ctags1), 1)} MB/s`,
      '',
      '',
    ],
    [
      `universal-ctags, ${cores} processes`,
      `${fmt(ctagsN / 1000, 2)} s, ${fmt(mbps(ctagsN), 1)} MB/s`,
      '',
      '',
    ],
    [
      `rtc index, cold (${r.cold.runs.length === 1 ? '1 run' : `median of ${r.cold.runs.length}`})`,
      `${fmt(r.cold.ms / 1000, 1)} s (parse ${fmt(median(r.cold.runs.map((x) => x.timings.parseMs)) / 1000, 1)}, resolve ${fmt(median(r.cold.runs.map((x) => x.timings.resolveMs)) / 1000, 1)}, write ${fmt(median(r.cold.runs.map((x) => x.timings.writeMs)) / 1000, 1)} s), ${fmt(mbps(r.cold.ms), 2)} MB/s, peak RSS ${r.cold.peakRssMb ? fmt(r.cold.peakRssMb) : '?'} MB`,
      '',
      '',
    ],
    [
      'cold: ratio rtc / ctags (1 process; per core)',
      `${fmt(ratio1, 3)}×; ${fmt(ratioN, 3)}×`,
      '≥ 0.5×',
      verdict(ratio1 >= 0.5),
    ],
    [
      `re-index, nothing changed (median of ${r.noChange.runs.length})`,
      `${fmt(r.noChange.ms / 1000, 2)} s (in-process ${fmt(median(r.noChange.runs.map((x) => x.timings.totalMs)) / 1000, 2)} s) = ${fmt(noChangeShare * 100, 1)} % of cold`,
      '≤ 5 %',
      verdict(noChangeShare <= 0.05),
    ],
    [
      `re-index, 1 file changed (\`${c.file}\`)`,
      `${fmt(c.changed.ms / 1000, 1)} s (load ${fmt(c.changed.timings.loadMs / 1000, 1)}, resolve ${fmt(c.changed.timings.resolveMs / 1000, 1)}, write ${fmt(c.changed.timings.writeMs / 1000, 1)} s): parsed ${c.changed.files.parsed}, resolved ${c.changed.files.resolved} (dependents ${c.changed.files.dependents})`,
      '',
      '',
    ],
    [
      're-index, the file restored',
      `${fmt(c.restored.ms / 1000, 1)} s (load ${fmt(c.restored.timings.loadMs / 1000, 1)}, resolve ${fmt(c.restored.timings.resolveMs / 1000, 1)}, write ${fmt(c.restored.timings.writeMs / 1000, 1)} s): parsed ${c.restored.files.parsed}, resolved ${c.restored.files.resolved} (dependents ${c.restored.files.dependents})`,
      '',
      '',
    ],
    [
      'index size on disk',
      `${fmt(r.size.bytes / 1e6, 1)} MB = ${fmt(r.size.perMbSource, 1)} MB per MB of source`,
      '',
      '',
    ],
    [
      `open + read + graph, fresh process (median of ${o.length})`,
      `${fmt(r.open.ms)} ms (open ${fmt(median(o.map((x) => x.openMs)), 1)}, graph ${fmt(median(o.map((x) => x.graphMs)))}) = ${fmt(openPer100k)} ms per 100k nodes`,
      '≤ 300 ms / 100k nodes',
      verdict(openPer100k <= 300),
    ],
    [
      `full breadth-first traversal (median of ${r.traversal.times.length}, ${traverseWarmups} warm-ups)`,
      `${fmt(r.traversal.ms, 1)} ms for ${fmt(r.traversal.visited)} nodes, ${fmt(r.edges)} edges (${fmt(r.traversal.components)} components) = ${fmt(traversalPer1M, 1)} ms per 1M nodes`,
      '≤ 18 ms / 1M nodes',
      verdict(traversalPer1M <= 18),
    ],
    [
      'corpus has ≥ 1M lines',
      `${fmt(r.nonEmptyLines)} non-empty lines`,
      '≥ 1M',
      r.nonEmptyLines >= 1e6 ? 'yes' : 'no',
    ],
  );
}
const header = ['measure', 'result', 'target', 'status'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
console.log('');
console.log(
  `${environment.date.slice(0, 10)}, commit ${environment.commit.slice(0, 12)} (+${environment.dirtyFiles} changed files), ${cores} cores (load average ${environment.loadAverageAtStart[0].toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end), ${environment.node}, ${environment.ctags}`,
);
console.log(line(header));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const row of rows) console.log(line(row));

environment.loadAverageAtEnd = loadavg();
if (jsonFile) {
  writeFileSync(resolve(jsonFile), JSON.stringify({ environment, results }, null, 2));
  console.log(`\nwrote ${resolve(jsonFile)}`);
}
if (keep) console.log(`index kept in ${work}`);
