/**
 * @module bench/http-load
 * Load on `rtc serve`: starts the HTTP server in this process on 127.0.0.1 (a free port) over a repository,
 * warms up, then autocannon sends POST /v1/context with a few different queries for a bounded time and
 * prints requests/s, latency p50/p99, errors and non-2xx answers.
 *
 *   npm run build && node bench/http-load.mjs [--repo DIR] [--duration S] [--connections N] [--budget T] [--json]
 *   node --import tsx bench/http-load.mjs --from src …   (the TypeScript sources, no build)
 *
 * Defaults: this repository, 10 s, 8 connections, budget 2000. The repository's index (.rtc) is brought up
 * to date first (another process holding its write lock makes the start fail: stop it, or give --repo a copy).
 * Loopback only; the duration is capped at 120 s.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

const { fetch } = globalThis;

const ROOT = join(import.meta.dirname, '..');

function parseArgs(argv) {
  const options = {
    repo: ROOT,
    duration: 10,
    connections: 8,
    budget: 2000,
    json: false,
    from: 'dist',
    warmup: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--repo') options.repo = resolve(value());
    else if (arg === '--duration') options.duration = Number(value());
    else if (arg === '--connections') options.connections = Number(value());
    else if (arg === '--budget') options.budget = Number(value());
    else if (arg === '--warmup') options.warmup = Number(value());
    else if (arg === '--from') options.from = value();
    else if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'node bench/http-load.mjs [--repo DIR] [--duration S] [--connections N] [--budget T] [--warmup ROUNDS] [--from dist|src] [--json]',
      );
      process.exit(0);
    } else throw new Error(`Unknown argument ${arg}`);
  }
  if (!(options.duration > 0 && options.duration <= 120))
    throw new Error('--duration must be in (0, 120] seconds');
  if (!(Number.isInteger(options.connections) && options.connections >= 1 && options.connections <= 256))
    throw new Error('--connections must be an integer in 1..256');
  if (options.from !== 'dist' && options.from !== 'src') throw new Error('--from is dist or src');
  return options;
}

const QUERIES = [
  'how does the live index apply a change to the graph',
  'where are HTTP request bodies validated',
  'resolve imports across files',
  'pack context within a token budget',
  'MCTS search rewards',
  'watch the repository for file changes',
];

async function loadServer(from) {
  const path =
    from === 'dist'
      ? join(ROOT, 'dist', 'interfaces', 'http', 'index.js')
      : join(ROOT, 'src', 'interfaces', 'http', 'index.ts');
  if (!existsSync(path))
    throw new Error(
      from === 'dist'
        ? `${path} is missing: run npm run build, or use the sources: node --import tsx bench/http-load.mjs --from src`
        : `${path} is missing`,
    );
  return import(pathToFileURL(path).href);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { startHttpServer } = await loadServer(options.from);
  const log = (line) => {
    if (!options.json) console.log(line);
  };
  const openStart = performance.now();
  const server = await startHttpServer({
    repos: [options.repo],
    host: '127.0.0.1',
    port: 0,
    watch: false,
    env: {},
  });
  const openMs = performance.now() - openStart;
  log(`server ${server.url} over ${options.repo} (opened in ${(openMs / 1000).toFixed(1)} s)`);
  try {
    const bodies = QUERIES.map((query) => JSON.stringify({ query, budget: options.budget }));
    const warmStart = performance.now();
    for (let round = 0; round < options.warmup; round++)
      for (const body of bodies) {
        const response = await fetch(`${server.url}/v1/context`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (!response.ok) throw new Error(`warm-up: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      }
    log(
      `warm-up: ${options.warmup} round(s) of ${bodies.length} queries in ${((performance.now() - warmStart) / 1000).toFixed(1)} s`,
    );
    const result = await autocannon({
      url: server.url,
      connections: options.connections,
      duration: options.duration,
      timeout: 30,
      requests: bodies.map((body) => ({
        method: 'POST',
        path: '/v1/context',
        headers: { 'content-type': 'application/json' },
        body,
      })),
    });
    const summary = {
      repo: options.repo,
      from: options.from,
      route: 'POST /v1/context',
      queries: QUERIES.length,
      budget: options.budget,
      connections: options.connections,
      durationS: options.duration,
      requests: result.requests.total,
      requestsPerSecond: Number(result.requests.average.toFixed(2)),
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: Number(result.latency.average.toFixed(2)),
      },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      node: process.version,
    };
    if (options.json) console.log(JSON.stringify(summary, null, 2));
    else {
      log(
        `POST /v1/context, ${QUERIES.length} queries, budget ${options.budget}, ${options.connections} connections, ${options.duration} s`,
      );
      log(`  requests: ${summary.requests} (${summary.requestsPerSecond} req/s)`);
      log(
        `  latency: p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
      );
      log(`  errors ${summary.errors}, timeouts ${summary.timeouts}, non-2xx ${summary.non2xx}`);
    }
    if (summary.errors > 0 || summary.non2xx > 0) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
