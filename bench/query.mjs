/**
 * End-to-end query latency with the index already open: `Workspace.query` (the full system: route, lexical
 * and identifier entry points, MCTS within its default budget, ranking) against BM25 alone (the lexical
 * search the full system starts from) in the same process, on the same queries. Each query runs once to
 * warm up, then `--runs` times; p50 and p99 over all timed runs, and the ratio to BM25.
 *
 * Usage: node bench/query.mjs [--repo DIR] [--db DIR] [--queries FILE.jsonl] [--runs N] [--refresh]
 *   --repo: an indexed repository (default: bench/.work/hono's evaluation worktree when present, else .)
 *   --db: its index folder (default: <repo>/.rtc, or the evaluation index with the default repo)
 *   --queries: lines {query, recentChanges?} (default: the instances.jsonl of the last `rtc eval` of the
 *     repository, else a built-in list)
 *   --refresh: index the repository first (incremental)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { indexWorkspace, openIndex } from '../dist/engine/index.js';

const { values } = parseArgs({
  options: {
    repo: { type: 'string' },
    db: { type: 'string' },
    queries: { type: 'string' },
    runs: { type: 'string', default: '5' },
    refresh: { type: 'boolean', default: false },
  },
});

const honoEval = resolve('bench/.work/hono/.rtc/eval');
const useHono = !values.repo && existsSync(join(honoEval, 'index', 'index.mdb'));
const repo = resolve(values.repo ?? (useHono ? join(honoEval, 'worktree') : '.'));
const db = values.db ? resolve(values.db) : useHono ? join(honoEval, 'index') : undefined;
const runs = Number(values.runs);

const BUILT_IN = [
  'fix the crash when the config file is empty',
  'where do we validate tokens',
  'who calls the router',
  'explain how requests are handled',
  'add a timeout option to the client',
  'parse the request body as json',
  'handle errors thrown by middleware',
  'set cookies on the response',
];

function loadQueries() {
  const file = values.queries ?? (useHono ? join(honoEval, 'results', 'instances.jsonl') : undefined);
  if (file && existsSync(file))
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .map((q) => ({ query: q.query, recentChanges: q.recentChanges ?? [] }));
  return BUILT_IN.map((query) => ({ query, recentChanges: [] }));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

if (values.refresh) await indexWorkspace(repo, db ? { dbDir: db } : {});
const openStart = performance.now();
const workspace = await openIndex(repo, { refresh: 'never', ...(db ? { dbDir: db } : {}) });
const openMs = performance.now() - openStart;
const summary = workspace.summary();
const queries = loadQueries();

const systems = {
  full: (q) => workspace.query(q.query, { recentChanges: q.recentChanges }),
  bm25: (q) => workspace.query(q.query, { recentChanges: q.recentChanges, strategy: 'bm25' }),
};
const times = {};
const firstMs = performance.now();
await systems.full(queries[0]);
const firstQueryMs = performance.now() - firstMs;
for (const [name, run] of Object.entries(systems)) {
  for (const q of queries) await run(q); // warm-up
  const list = [];
  for (let r = 0; r < runs; r++)
    for (const q of queries) {
      const t = performance.now();
      await run(q);
      list.push(performance.now() - t);
    }
  list.sort((a, b) => a - b);
  times[name] = { p50: percentile(list, 50), p99: percentile(list, 99), n: list.length };
}
await workspace.close();

const fmt = (ms) => ms.toFixed(1);
console.log(`repository: ${repo}`);
console.log(
  `index: ${summary.files} files, ${summary.nodes} nodes, ${summary.edges} edges; open ${fmt(openMs)} ms; first query (builds lookup tables) ${fmt(firstQueryMs)} ms`,
);
console.log(`queries: ${queries.length} × ${runs} runs\n`);
console.log('| system | p50 ms | p99 ms | p50 / BM25 |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, t] of Object.entries(times))
  console.log(`| ${name} | ${fmt(t.p50)} | ${fmt(t.p99)} | ${(t.p50 / times.bm25.p50).toFixed(2)}× |`);
