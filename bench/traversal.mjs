/**
 * The full breadth-first traversal of an index's graph (`CsrGraph.traverseAll`: a walk from every node not
 * yet reached, edges out and in), on the library's walk layout against the reference walk on the rows (the
 * algorithm before the layout: edges out through `outStart`/`edgeTarget`, edges in through
 * `inStart`/`inSource`, a bitset of reached nodes), in one process:
 *
 * 1. the cost of deriving the walk layout (`CsrGraph.walkLayout()`, on fresh graph objects over the same
 *    arrays), and the first `traverseAll` of a fresh graph, which derives it;
 * 2. traversals, both directions and along edges out only (which stays on the rows): median of --runs
 *    after --warmups, old and new alternating run by run (a shared machine's noise falls on both), per 1M
 *    nodes; the visit orders of old and new are checked to be the same;
 * 3. single walks (`breadthFirst`) from --starts seeded random nodes, bounded by --max-nodes, with and
 *    without the layout.
 *
 * The index is opened read-only and never written. The sources are imported (no build needed).
 *
 * Usage: npx tsx bench/traversal.mjs [--db DIR] [--runs N] [--warmups N] [--starts N] [--max-nodes N]
 *          [--json FILE]
 *   --db: the index folder (default bench/.work/.rtc); --runs 10, --warmups 2, --starts 50,
 *   --max-nodes 100000 by default.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CsrGraph } from '../src/graph/csr.ts';
import { IndexStore } from '../src/store/index.ts';

const here = import.meta.dirname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1];
};
const db = resolve(option('--db', join(here, '.work', '.rtc')));
const runs = Number(option('--runs', 10));
const warmups = Number(option('--warmups', 2));
const startCount = Number(option('--starts', 50));
const maxNodes = Number(option('--max-nodes', 100000));
const jsonFile = option('--json');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The reference: the traversal on the rows, as `traverseAll` was before the walk layout. */
function rowsTraversal(csr, directed) {
  const { outStart, inStart, edgeTarget } = csr.arrays;
  const inSource = csr.inSource;
  const n = csr.nodeCount;
  const seen = new Int32Array((n >> 5) + 1);
  const queue = new Int32Array(n);
  let tail = 0;
  let walks = 0;
  for (let start = 0; start < n; start++) {
    if ((seen[start >> 5] & (1 << (start & 31))) !== 0) continue;
    walks++;
    let head = tail;
    queue[tail++] = start;
    seen[start >> 5] |= 1 << (start & 31);
    while (head < tail) {
      const node = queue[head++];
      for (let e = outStart[node], end = outStart[node + 1]; e < end; e++) {
        const other = edgeTarget[e];
        const bit = 1 << (other & 31);
        if ((seen[other >> 5] & bit) === 0) {
          seen[other >> 5] |= bit;
          queue[tail++] = other;
        }
      }
      if (directed) continue;
      for (let i = inStart[node], end = inStart[node + 1]; i < end; i++) {
        const other = inSource[i];
        const bit = 1 << (other & 31);
        if ((seen[other >> 5] & bit) === 0) {
          seen[other >> 5] |= bit;
          queue[tail++] = other;
        }
      }
    }
  }
  return { order: queue, walks };
}

const sameOrder = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
/** Wall time, the value, and the process's user CPU time (which a busy machine inflates less). */
const time = (f) => {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  return [performance.now() - t0, value, process.cpuUsage(cpu).user / 1000];
};

const t0 = performance.now();
const store = IndexStore.open(db, { readOnly: true });
const reader = store.read();
const csr = reader.graph();
const openMs = performance.now() - t0;
if (!csr) {
  console.error(`No graph in ${db}`);
  process.exit(2);
}
const n = csr.nodeCount;
const m = csr.edgeCount;
const perMillion = (ms) => ms / (n / 1e6);
const fresh = () => new CsrGraph(csr.arrays, undefined, { inSource: csr.inSource });
console.log(
  `${db}: ${n} nodes, ${m} edges (${2 * m} edge ends out and in); open + read + graph ${openMs.toFixed(0)} ms; load ${load()}`,
);

// 1. Deriving the layout.
const layoutTimes = [];
for (let run = 0; run < 3; run++) layoutTimes.push(time(() => fresh().walkLayout())[0]);
const [firstMs] = time(() => fresh().traverseAll());
const layoutMs = median(layoutTimes);
const layout = csr.walkLayout();
const layoutBytes = [layout.position, layout.node, layout.adjStart, layout.adj].reduce(
  (sum, a) => sum + a.byteLength,
  0,
);
console.log(
  `walk layout: ${layoutMs.toFixed(0)} ms (${layoutTimes.map((t) => t.toFixed(0)).join(', ')}) = ${(layoutMs / (n / 1e5)).toFixed(1)} ms per 100k nodes, ${(layoutBytes / 2 ** 20).toFixed(1)} MiB; first traverseAll of a fresh graph (derives it) ${firstMs.toFixed(0)} ms; load ${load()}`,
);

// 2. Full traversals, old and new alternating.
const result = {
  db,
  nodes: n,
  edges: m,
  openMs,
  layout: { ms: layoutMs, times: layoutTimes, bytes: layoutBytes, firstTraverseMs: firstMs },
};
for (const directed of [false, true]) {
  const oldTimes = [];
  const newTimes = [];
  const oldCpu = [];
  const newCpu = [];
  let same = true;
  let walks = 0;
  for (let run = 0; run < warmups + runs; run++) {
    const [oldMs, old, oldUser] = time(() => rowsTraversal(csr, directed));
    const [newMs, now, newUser] = time(() => csr.traverseAll({ directed }));
    if (run === 0) {
      same = sameOrder(old.order, now.order) && old.walks === now.walks;
      walks = now.walks;
    }
    if (run >= warmups) {
      oldTimes.push(oldMs);
      newTimes.push(newMs);
      oldCpu.push(oldUser);
      newCpu.push(newUser);
    }
  }
  const oldMs = median(oldTimes);
  const newMs = median(newTimes);
  const cpu = `CPU ${median(oldCpu).toFixed(1)} and ${median(newCpu).toFixed(1)} ms`;
  const name = directed ? 'out' : 'both';
  result[name] = {
    oldMs,
    newMs,
    oldTimes,
    newTimes,
    oldPer1M: perMillion(oldMs),
    newPer1M: perMillion(newMs),
    oldCpuMs: median(oldCpu),
    newCpuMs: median(newCpu),
    walks,
    sameOrder: same,
    load: loadavg(),
  };
  console.log(
    `traverseAll, edges ${directed ? 'out only' : 'out and in'} (${walks} walks; same visit order: ${same}): reference on the rows ${oldMs.toFixed(1)} ms = ${perMillion(oldMs).toFixed(1)} ms per 1M nodes; traverseAll (${directed ? 'rows' : 'walk layout'}) ${newMs.toFixed(1)} ms = ${perMillion(newMs).toFixed(1)} ms per 1M nodes (${newTimes.map((t) => t.toFixed(1)).join(', ')}); ${cpu}; load ${load()}`,
  );
}

// 3. Single walks from random starts, bounded.
let seed = 42;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const starts = Array.from({ length: startCount }, () => Math.floor(random() * n));
const plain = fresh();
const walkAll = (graph) => {
  let reached = 0;
  for (const start of starts) reached += graph.breadthFirst(start, { maxNodes }).length;
  return reached;
};
const rowsWalk = [];
const layoutWalk = [];
let sameWalks = true;
for (let run = 0; run < warmups + 5; run++) {
  const [rowsMs, a] = time(() => walkAll(plain));
  const [layoutMs, b] = time(() => walkAll(csr));
  sameWalks &&= a === b;
  if (run >= warmups) {
    rowsWalk.push(rowsMs);
    layoutWalk.push(layoutMs);
  }
}
for (const start of starts.slice(0, 20))
  sameWalks &&= sameOrder(plain.breadthFirst(start, { maxNodes }), csr.breadthFirst(start, { maxNodes }));
result.walks = {
  starts: startCount,
  maxNodes,
  rowsMs: median(rowsWalk),
  layoutMs: median(layoutWalk),
  same: sameWalks,
};
console.log(
  `breadthFirst from ${startCount} random nodes, at most ${maxNodes} nodes each (same orders: ${sameWalks}): rows ${median(rowsWalk).toFixed(1)} ms, layout ${median(layoutWalk).toFixed(1)} ms; load ${load()}`,
);

if (jsonFile) writeFileSync(jsonFile, JSON.stringify(result, null, 2));
reader.done();
await store.close();
