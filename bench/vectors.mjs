/**
 * Vector search of the retrieval stage (`dist/retrieve`): exact search (every vector scored) against HNSW
 * (usearch), on random clustered unit vectors of 384 dimensions, at 100k and 1M vectors:
 *
 * 1. the HNSW build (all cores), the memory it takes (RSS growth) and its file (size, save, open mapped,
 *    open loaded);
 * 2. per query, one thread, top-10: latency p50 and p99 over the queries (the median of `--rounds` rounds)
 *    for exact search and for HNSW at each `--ef` (candidates while searching);
 * 3. recall@10 of HNSW against exact search (ground truth computed by exact search on all cores);
 * 4. with `--threshold-sizes`: exact search against HNSW at small sizes (where HNSW starts to pay).
 *
 * The data: 90% of the vectors around random cluster centres (n/1000 clusters, each with 10 sub-centres:
 * centre N(0,1), sub-centre N(0,0.5²), point N(0,0.35²) per dimension), 10% uniform on the sphere, all
 * normalised; queries are fresh draws from the same mixture. Not real embeddings: their neighbourhoods are
 * as hard as high-dimensional noise makes them, so recall here is a pessimistic figure.
 *
 * Usage: npm run build && node bench/vectors.mjs [--sizes 100000,1000000] [--dimensions 384]
 *          [--queries 1000] [--exact-queries 100] [--truth-queries 500] [--ef 64,128,256] [--rounds 3]
 *          [--connectivity 16] [--expansion-add 128] [--quantization f16] [--threshold-sizes 5000,20000,50000]
 *          [--data mixture|latent] [--cache DIR] [--json FILE]
 *   --cache DIR: keep the built graphs there (bench/.work/vectors is git-ignored) and reuse them on later runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exactSearch, MetricKind } from 'usearch';

const root = resolve(import.meta.dirname, '..');
const { ExactVectorIndex, HnswGraph, HnswVectorIndex, KeyTable } = await import(
  join(root, 'dist', 'retrieve', 'index.js')
);

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    dimensions: { type: 'string', default: '384' },
    queries: { type: 'string', default: '1000' },
    'exact-queries': { type: 'string', default: '100' },
    'truth-queries': { type: 'string', default: '500' },
    ef: { type: 'string', default: '64,128,256' },
    rounds: { type: 'string', default: '3' },
    connectivity: { type: 'string', default: '16' },
    'expansion-add': { type: 'string', default: '128' },
    quantization: { type: 'string', default: 'f16' },
    'threshold-sizes': { type: 'string', default: '' },
    data: { type: 'string', default: 'mixture' },
    cache: { type: 'string' },
    json: { type: 'string' },
  },
});
const list = (text) => text.split(',').filter(Boolean).map(Number);
const DIMENSIONS = Number(values.dimensions);
const QUERIES = Number(values.queries);
const EXACT_QUERIES = Number(values['exact-queries']);
const TRUTH_QUERIES = Number(values['truth-queries']);
const ROUNDS = Number(values.rounds);
const HNSW = {
  connectivity: Number(values.connectivity),
  expansionAdd: Number(values['expansion-add']),
  quantization: values.quantization,
};

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const mb = (bytes) => bytes / 2 ** 20;
const rss = () => process.memoryUsage().rss;

/** A seeded PRNG (mulberry32) and Box-Muller normals: the same data on every run. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normals(next, into, scale) {
  for (let i = 0; i < into.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next() + 1e-12)) * scale;
    const a = 2 * Math.PI * next();
    into[i] = r * Math.cos(a);
    if (i + 1 < into.length) into[i + 1] = r * Math.sin(a);
  }
}

/**
 * `count` unit vectors of the clustered mixture (`clusters` centres, 10 sub-centres each), and which of them
 * are uniform. With `--data latent`: a 24-dimensional clustered latent mapped into 384 dimensions by a fixed
 * random matrix, plus a little noise (a low intrinsic dimension, as real embeddings have).
 */
function mixture(count, clusters, seed) {
  if (values.data === 'latent') return latent(count, clusters, seed);
  const d = DIMENSIONS;
  const centreRandom = random(12345);
  const centres = new Float32Array(clusters * d);
  normals(centreRandom, centres, 1);
  const subs = new Float32Array(clusters * 10 * d);
  normals(centreRandom, subs, 0.5);
  const next = random(seed);
  const matrix = new Float32Array(count * d);
  const uniform = new Uint8Array(count);
  const noise = new Float32Array(d);
  for (let i = 0; i < count; i++) {
    const row = matrix.subarray(i * d, (i + 1) * d);
    uniform[i] = next() < 0.9 ? 0 : 1;
    if (!uniform[i]) {
      const c = Math.floor(next() * clusters);
      const s = c * 10 + Math.floor(next() * 10);
      normals(next, noise, 0.35);
      for (let j = 0; j < d; j++) row[j] = centres[c * d + j] + subs[s * d + j] + noise[j];
    } else normals(next, row, 1);
    let norm = 0;
    for (let j = 0; j < d; j++) norm += row[j] * row[j];
    norm = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) row[j] *= norm;
  }
  return { matrix, uniform };
}

const LATENT = 24;

function latent(count, clusters, seed) {
  const d = DIMENSIONS;
  const fixed = random(777);
  const projection = new Float32Array(LATENT * d);
  normals(fixed, projection, 1);
  const centres = new Float32Array(clusters * LATENT);
  normals(fixed, centres, 1);
  const next = random(seed);
  const matrix = new Float32Array(count * d);
  const z = new Float32Array(LATENT);
  const noise = new Float32Array(d);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(next() * clusters);
    normals(next, z, 0.5);
    for (let l = 0; l < LATENT; l++) z[l] += centres[c * LATENT + l];
    normals(next, noise, 0.3);
    const row = matrix.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) {
      let x = noise[j];
      for (let l = 0; l < LATENT; l++) x += z[l] * projection[l * d + j];
      row[j] = x;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += row[j] * row[j];
    norm = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) row[j] *= norm;
  }
  return { matrix, uniform: new Uint8Array(count) };
}

/** Latency of `search` over the queries, one round: p50 and p99 in ms. */
function latency(search, queries, k = 10) {
  const times = [];
  for (const query of queries) {
    const t0 = performance.now();
    search.search(query, k);
    times.push(performance.now() - t0);
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

function rounds(search, queries) {
  for (const query of queries.slice(0, 50)) search.search(query, 10); // warm-up
  const all = Array.from({ length: ROUNDS }, () => latency(search, queries));
  return { p50: median(all.map((r) => r.p50)), p99: median(all.map((r) => r.p99)) };
}

/** Recall@10 over all queries, and over the clustered and the uniform ones apart. */
function recall(search, queries, truth, uniform) {
  const found = [0, 0];
  const asked = [0, 0];
  queries.forEach((query, q) => {
    asked[uniform[q]] += 10;
    for (const hit of search.search(query, 10)) if (truth[q].has(hit.id)) found[uniform[q]]++;
  });
  return {
    all: (found[0] + found[1]) / (asked[0] + asked[1]),
    clustered: found[0] / Math.max(1, asked[0]),
    uniform: asked[1] ? found[1] / asked[1] : undefined,
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'rtc-bench-vectors-'));
const results = {
  date: new Date().toISOString(),
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model, loadavg: loadavg() },
  settings: { data: values.data, dimensions: DIMENSIONS, ...HNSW, queries: QUERIES, rounds: ROUNDS },
  sizes: [],
  threshold: [],
};

function log(...parts) {
  console.log(...parts);
}

try {
  for (const n of list(values.sizes)) {
    log(`\n== ${n.toLocaleString('en')} vectors × ${DIMENSIONS} (load ${loadavg()[0].toFixed(2)})`);
    let t0 = performance.now();
    const { matrix } = mixture(n, Math.max(10, Math.round(n / 1000)), 1);
    const { matrix: queryMatrix, uniform } = mixture(
      Math.max(QUERIES, TRUTH_QUERIES),
      Math.max(10, Math.round(n / 1000)),
      2,
    );
    const queries = Array.from({ length: QUERIES }, (_, q) =>
      queryMatrix.slice(q * DIMENSIONS, (q + 1) * DIMENSIONS),
    );
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    log(`data: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Ground truth: exact search on all cores, in batches of queries.
    t0 = performance.now();
    const truthQueries = queries.slice(0, TRUTH_QUERIES);
    const truth = [];
    for (let start = 0; start < truthQueries.length; start += 50) {
      const batch = truthQueries.slice(start, start + 50);
      const found = exactSearch(matrix, batch, DIMENSIONS, 10, MetricKind.IP, 0);
      for (let q = 0; q < batch.length; q++) {
        truth.push(new Set(Array.from(found.get(q).keys, (key) => `s${Number(key)}`)));
      }
    }
    log(
      `ground truth (${truthQueries.length} queries, all cores): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const exact = new ExactVectorIndex(ids, matrix, DIMENSIONS);
    const exactQueries = queries.slice(0, EXACT_QUERIES);
    const exactLatency = rounds(exact, exactQueries);
    log(
      `exact: p50 ${exactLatency.p50.toFixed(2)} ms, p99 ${exactLatency.p99.toFixed(2)} ms (${exactQueries.length} queries)`,
    );

    // The graph, built now, or taken from --cache (the data is the same on every run for the same settings).
    const cached = values.cache
      ? join(
          values.cache,
          `graph-${values.data}-${n}-${DIMENSIONS}-m${HNSW.connectivity}-a${HNSW.expansionAdd}-${HNSW.quantization}.usearch`,
        )
      : undefined;
    const path = cached ?? join(scratch, `graph-${n}.usearch`);
    let build;
    if (cached && existsSync(cached)) {
      build = JSON.parse(readFileSync(`${cached}.json`, 'utf8'));
      log(`HNSW build: cached in ${cached} (built in ${build.seconds.toFixed(1)} s)`);
    } else {
      const before = rss();
      t0 = performance.now();
      const graph = HnswGraph.create(DIMENSIONS, HNSW);
      graph.add(
        Float64Array.from({ length: n }, (_, i) => i),
        matrix,
      );
      const seconds = (performance.now() - t0) / 1000;
      const rssMb = mb(rss() - before);
      if (cached) mkdirSync(values.cache, { recursive: true });
      t0 = performance.now();
      graph.save(path);
      const saveSeconds = (performance.now() - t0) / 1000;
      build = { seconds, perSecond: n / seconds, threads: availableParallelism(), rssMb, saveSeconds };
      if (cached) writeFileSync(`${cached}.json`, JSON.stringify(build));
    }
    build.fileMb = mb(statSync(path).size);
    log(
      `HNSW build: ${build.seconds.toFixed(1)} s (${Math.round(build.perSecond)}/s, ${build.threads} threads), ` +
        `+${build.rssMb.toFixed(0)} MB RSS, file ${build.fileMb.toFixed(0)} MB, save ${build.saveSeconds.toFixed(1)} s`,
    );
    t0 = performance.now();
    HnswGraph.open(path, DIMENSIONS, { ...HNSW, view: true });
    const viewMs = performance.now() - t0;
    t0 = performance.now();
    HnswGraph.open(path, DIMENSIONS, HNSW);
    const loadMs = performance.now() - t0;
    log(`open: mapped ${viewMs.toFixed(0)} ms, loaded ${loadMs.toFixed(0)} ms`);

    const table = new KeyTable(
      Float64Array.from({ length: n }, (_, i) => i),
      ids,
    );
    const hnsw = [];
    for (const ef of list(values.ef)) {
      const search = new HnswVectorIndex(
        HnswGraph.open(path, DIMENSIONS, { ...HNSW, expansionSearch: ef, view: true }),
        table,
      );
      const time = rounds(search, queries);
      const r = recall(search, truthQueries, truth, uniform);
      hnsw.push({ ef, ...time, recall: r });
      log(
        `HNSW ef=${ef}: p50 ${time.p50.toFixed(3)} ms, p99 ${time.p99.toFixed(3)} ms, recall@10 ${r.all.toFixed(3)} ` +
          `(clustered queries ${r.clustered.toFixed(3)}${r.uniform === undefined ? '' : `, uniform ${r.uniform.toFixed(3)}`})`,
      );
    }
    results.sizes.push({
      n,
      exact: exactLatency,
      build: { ...build, viewMs, loadMs },
      hnsw,
    });
    if (!cached) rmSync(path, { force: true });
  }

  // Where HNSW starts to pay: exact against HNSW (default ef) at small sizes.
  for (const n of list(values['threshold-sizes'])) {
    const { matrix } = mixture(n, Math.max(10, Math.round(n / 1000)), 3);
    const queries = Array.from(
      { length: 200 },
      (_, q) => mixture(1, Math.max(10, Math.round(n / 1000)), 100 + q).matrix,
    );
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const exact = rounds(new ExactVectorIndex(ids, matrix, DIMENSIONS), queries);
    const t0 = performance.now();
    const graph = HnswGraph.create(DIMENSIONS, HNSW);
    graph.add(
      Float64Array.from({ length: n }, (_, i) => i),
      matrix,
    );
    const buildS = (performance.now() - t0) / 1000;
    const hnsw = rounds(
      new HnswVectorIndex(
        graph,
        new KeyTable(
          Float64Array.from({ length: n }, (_, i) => i),
          ids,
        ),
      ),
      queries,
    );
    results.threshold.push({ n, exact, hnsw, buildSeconds: buildS });
    log(
      `threshold ${n}: exact p50 ${exact.p50.toFixed(3)} ms; HNSW p50 ${hnsw.p50.toFixed(3)} ms, build ${buildS.toFixed(1)} s`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

log(`\n| vectors (${values.data}) | search | p50 ms | p99 ms | recall@10 (clustered / uniform queries) |`);
log('|---|---|---|---|---|');
for (const size of results.sizes) {
  log(
    `| ${size.n.toLocaleString('en')} | exact | ${size.exact.p50.toFixed(2)} | ${size.exact.p99.toFixed(2)} | 1 |`,
  );
  for (const h of size.hnsw) {
    const parts =
      h.recall.uniform === undefined
        ? ''
        : ` (${h.recall.clustered.toFixed(3)} / ${h.recall.uniform.toFixed(3)})`;
    log(
      `| ${size.n.toLocaleString('en')} | HNSW ef=${h.ef} | ${h.p50.toFixed(3)} | ${h.p99.toFixed(3)} | ${h.recall.all.toFixed(3)}${parts} |`,
    );
  }
}
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
