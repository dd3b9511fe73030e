/**
 * The workspace watcher's own latency: from a file write to onBatch reporting it, with the default settings
 * (debounce 30 ms, max wait 300 ms), in a generated workspace of 1,000 files in 50 folders. For comparison,
 * the floor: the same write to a bare non-recursive fs.watch event. Also the start time (initial walk) and a
 * burst of 300 writes (the last write to the last batch that completes them), and the inotify watches held
 * (Linux) against Node's `fs.watch(root, { recursive: true })` when node_modules holds 2,000 more files.
 * Several runs; prints one JSON line with the medians.
 * Usage: npx tsx bench/watch-latency.mjs [--writes N] [--runs N]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchRepository } from '../src/index/watcher.ts';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const WRITES = argument('--writes', 200);
const RUNS = argument('--runs', 5);
const FOLDERS = 50;
const FILES_PER_FOLDER = 20;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => quantile(values, 0.5);
const round = (value) => Math.round(value * 100) / 100;

function makeWorkspace() {
  const root = mkdtempSync(join(tmpdir(), 'rtc-watch-bench-'));
  for (let d = 0; d < FOLDERS; d++) {
    mkdirSync(join(root, 'src', `m${d}`), { recursive: true });
    for (let f = 0; f < FILES_PER_FOLDER; f++)
      writeFileSync(join(root, 'src', `m${d}`, `f${f}.ts`), `export const v${f} = ${f};\n`);
  }
  for (let d = 0; d < 100; d++) {
    mkdirSync(join(root, `node_modules/dep${d}`), { recursive: true });
    for (let f = 0; f < 20; f++)
      writeFileSync(join(root, `node_modules/dep${d}/f${f}.js`), 'module.exports = 1;\n');
  }
  return root;
}

/** The inotify watches this process holds (Linux; undefined elsewhere). */
function inotifyWatches() {
  let fds;
  try {
    fds = readdirSync('/proc/self/fdinfo');
  } catch {
    return undefined;
  }
  let count = 0;
  for (const fd of fds) {
    try {
      count += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('inotify wd:').length - 1;
    } catch {
      // The folder's own descriptor, closed by now.
    }
  }
  return count;
}

/** Watches held and start time: this watcher against Node's recursive fs.watch. */
async function watchesRun(root) {
  let t0 = performance.now();
  const recursive = watch(root, { recursive: true });
  const recursiveStartMs = performance.now() - t0;
  const recursiveWatches = inotifyWatches();
  recursive.close();
  await sleep(50);
  t0 = performance.now();
  const watcher = await watchRepository(root, { onBatch: () => undefined });
  const startMs = performance.now() - t0;
  const watches = inotifyWatches();
  await watcher.close();
  return { recursiveStartMs, recursiveWatches, startMs, watches };
}

/** Writes one file at a time and waits for `seen(path)`; the pause between writes is 0-20 ms. */
async function measureWrites(root, waitSeen) {
  const latencies = [];
  for (let i = 0; i < WRITES; i++) {
    const path = `src/m${i % FOLDERS}/f${i % FILES_PER_FOLDER}.ts`;
    const seen = waitSeen(path);
    const t0 = performance.now();
    writeFileSync(join(root, path), `export const v = ${i};\n`);
    latencies.push((await seen) - t0);
    await sleep(Math.random() * 20);
  }
  return latencies;
}

/** The floor: a non-recursive fs.watch on each folder, no debounce, no resolution. */
async function rawRun(root) {
  let waiting;
  const watchers = [];
  for (let d = 0; d < FOLDERS; d++) {
    const dir = `src/m${d}`;
    watchers.push(
      watch(join(root, dir), (_event, name) => {
        if (waiting && `${dir}/${name}` === waiting.path) {
          const { resolve } = waiting;
          waiting = undefined;
          resolve(performance.now());
        }
      }),
    );
  }
  const latencies = await measureWrites(
    root,
    (path) => new Promise((resolve) => (waiting = { path, resolve })),
  );
  for (const watcher of watchers) watcher.close();
  return latencies;
}

async function watcherRun(root) {
  let waiting;
  const t0 = performance.now();
  const watcher = await watchRepository(root, {
    onBatch: (batch) => {
      if (waiting && batch.changed.includes(waiting.path)) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve(performance.now());
      }
    },
  });
  const startMs = performance.now() - t0;
  const latencies = await measureWrites(
    root,
    (path) => new Promise((resolve) => (waiting = { path, resolve })),
  );
  await watcher.close();
  return { startMs, latencies };
}

/** 300 files rewritten in one go: from the last write to the batch completing them. */
async function burstRun(root) {
  const expected = new Set();
  for (let i = 0; i < 300; i++) expected.add(`src/m${i % FOLDERS}/f${Math.floor(i / FOLDERS)}.ts`);
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  let batches = 0;
  const watcher = await watchRepository(root, {
    onBatch: (batch) => {
      batches++;
      for (const path of batch.changed) expected.delete(path);
      if (expected.size === 0) done(performance.now());
    },
  });
  let i = 0;
  for (const path of expected) writeFileSync(join(root, path), `export const burst = ${i++};\n`);
  const t0 = performance.now();
  const end = await finished;
  await watcher.close();
  return { afterLastWriteMs: end - t0, batches };
}

const results = { raw: [], watcher: [], start: [], burst: [], burstBatches: [], watches: [] };
for (let run = 0; run < RUNS; run++) {
  const root = makeWorkspace();
  try {
    const raw = await rawRun(root);
    const { startMs, latencies } = await watcherRun(root);
    const burst = await burstRun(root);
    results.watches.push(await watchesRun(root));
    results.raw.push({ p50: quantile(raw, 0.5), p99: quantile(raw, 0.99) });
    results.watcher.push({ p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) });
    results.start.push(startMs);
    results.burst.push(burst.afterLastWriteMs);
    results.burstBatches.push(burst.batches);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
console.log(
  JSON.stringify({
    node: process.version,
    files: FOLDERS * FILES_PER_FOLDER,
    writesPerRun: WRITES,
    runs: RUNS,
    rawFsWatchMs: {
      p50: round(median(results.raw.map((r) => r.p50))),
      p99: round(median(results.raw.map((r) => r.p99))),
    },
    watcherMs: {
      p50: round(median(results.watcher.map((r) => r.p50))),
      p99: round(median(results.watcher.map((r) => r.p99))),
    },
    watcherP50PerRun: results.watcher.map((r) => round(r.p50)),
    watcherP99PerRun: results.watcher.map((r) => round(r.p99)),
    startMs: round(median(results.start)),
    burst300Ms: round(median(results.burst)),
    burst300Batches: median(results.burstBatches),
    // With node_modules: 2,000 files in 100 folders that are ignored.
    inotifyWatches: results.watches[0]?.watches,
    recursiveFsWatchInotifyWatches: results.watches[0]?.recursiveWatches,
    startWithNodeModulesMs: round(median(results.watches.map((w) => w.startMs))),
    recursiveFsWatchStartMs: round(median(results.watches.map((w) => w.recursiveStartMs))),
  }),
);
