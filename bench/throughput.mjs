/**
 * Indexing throughput against universal-ctags, on the same files in the same run.
 *
 * Ours: discovery + parse + ASG build + cross-file resolution, with one worker thread per core.
 * Peer: `ctags --output-format=json` on exactly the files we index (our discovery's list), as one process
 * (what `ctags -R` does) and, for a stricter comparison, as one process per core on halves of the list.
 * Each is run RUNS times; the medians are compared. Peak memory is the max RSS of our indexing process.
 * For context it also prints the speed of tree-sitter parsing alone (bench/parse-only.mjs), one thread.
 *
 * Usage: node bench/throughput.mjs [DIR] (default: bench/.work, holding the repositories listed in bench/README.md)
 * Environment: RUNS (default 3), WORKERS (default: cores).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverFiles } from '../dist/index/index.js';

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '.work'));
const runs = Number(process.env.RUNS ?? 3);
const cores = availableParallelism();
const workers = Number(process.env.WORKERS ?? cores);

if (!existsSync(dir)) {
  console.error(`No folder ${dir}: see bench/README.md for the repositories to check out there`);
  process.exit(2);
}
try {
  execFileSync('ctags', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('universal-ctags is not installed (apt-get install universal-ctags)');
  process.exit(2);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const discovery = await discoverFiles(dir);
const files = discovery.files;
const bytes = files.reduce((sum, f) => sum + f.size, 0);
const byLanguage = {};
for (const f of files) byLanguage[f.language] = (byLanguage[f.language] ?? 0) + f.size;
console.log(
  `${dir}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB (${Object.entries(byLanguage)
    .map(([l, b]) => `${l} ${(b / 1e6).toFixed(1)}`)
    .join(', ')})`,
);

const work = mkdtempSync(join(tmpdir(), 'rtc-bench-'));
const lists = [join(work, 'all.txt')];
writeFileSync(lists[0], files.map((f) => f.path).join('\n'));
const parts = Array.from({ length: cores }, (_, i) =>
  files.filter((_, j) => j % cores === i).map((f) => f.path),
);
parts.forEach((part, i) => {
  const path = join(work, `part${i}.txt`);
  writeFileSync(path, part.join('\n'));
  lists.push(path);
});

function timeProcess(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    let stdout = '';
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], ...options });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise({ ms: performance.now() - start, stdout })
        : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

const ctagsArgs = (list) => ['--output-format=json', '--fields=+n', '-f', '/dev/null', '-L', list];
const results = { ctags1: [], ctagsN: [], ours: [] };
let last;
for (let run = 0; run < runs; run++) {
  results.ctags1.push((await timeProcess('ctags', ctagsArgs(lists[0]))).ms);
  const start = performance.now();
  await Promise.all(lists.slice(1).map((list) => timeProcess('ctags', ctagsArgs(list))));
  results.ctagsN.push(performance.now() - start);
  const ours = await timeProcess(process.execPath, [
    '--max-old-space-size=8192',
    join(import.meta.dirname, 'index-once.mjs'),
    dir,
    String(workers),
  ]);
  last = JSON.parse(ours.stdout.trim().split('\n').pop());
  results.ours.push(last.ms);
  console.log(
    `run ${run + 1}: ctags ${results.ctags1[run].toFixed(0)} ms, ctags x${cores} ${results.ctagsN[run].toFixed(0)} ms, rtc ${last.ms.toFixed(0)} ms`,
  );
}

// The floor under our time: tree-sitter parsing alone, one thread, once.
const parseOnly = JSON.parse(
  (await timeProcess(process.execPath, [join(import.meta.dirname, 'parse-only.mjs'), dir])).stdout
    .trim()
    .split('\n')
    .pop(),
);

const mbps = (ms) => bytes / 1e6 / (ms / 1000);
const ctags1 = median(results.ctags1);
const ctagsN = median(results.ctagsN);
const ours = median(results.ours);
console.log('');
console.log(`universal-ctags, 1 process:        ${mbps(ctags1).toFixed(2)} MB/s (median of ${runs})`);
console.log(`universal-ctags, ${cores} processes:       ${mbps(ctagsN).toFixed(2)} MB/s`);
console.log(
  `rtc parse+ASG+resolution, ${workers} workers: ${mbps(ours).toFixed(2)} MB/s  (parse ${last.timings.parseMs.toFixed(0)} ms, resolve ${last.timings.resolveMs.toFixed(0)} ms)`,
);
console.log(
  `tree-sitter parse only, 1 thread:  ${parseOnly.mbps.toFixed(2)} MB/s (the floor under rtc's time)`,
);
console.log(`ratio rtc / ctags (1 process):     ${(ctags1 / ours).toFixed(2)}x`);
console.log(`ratio rtc / ctags (${cores} processes):    ${(ctagsN / ours).toFixed(2)}x`);
console.log(
  `rtc peak memory: ${last.peakRssMb.toFixed(0)} MB; graph: ${last.nodes} nodes, ${last.edges} edges`,
);
