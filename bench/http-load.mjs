/**
 * @module bench/http-load
 * Load on `rtc serve`: starts the server as its own process on 127.0.0.1 (a free port) over a repository,
 * warms up, then autocannon (in this process) sends, for a bounded time each: GET /healthz (the peer: what
 * the HTTP stack alone sustains), POST /v1/context with a few different queries on one connection (serial
 * latency), then on N connections; prints requests/s, latency p50/p90/p99, errors, timeouts and non-2xx.
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
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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

/** Starts `rtc serve` as its own process (the load generator must not share its event loop) and reads its URL. */
async function startServer(options) {
  const entry =
    options.from === 'dist'
      ? [join(ROOT, 'dist', 'bin', 'rtc.js')]
      : ['--import', 'tsx', join(ROOT, 'src', 'bin', 'rtc.ts')];
  if (options.from === 'dist' && !existsSync(entry[0]))
    throw new Error(`${entry[0]} is missing: run npm run build (or --from src)`);
  const child = spawn(
    process.execPath,
    [...entry, 'serve', '--repo', options.repo, '--port', '0', '--json', '--no-watch'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RTC_TOKEN: '' } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  const line = await new Promise((done, fail) => {
    createInterface({ input: child.stdout }).once('line', done);
    child.once('exit', (code) => fail(new Error(`rtc serve exited with ${code}: ${stderr}`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    close: () =>
      new Promise((done) => {
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

function summarize(result) {
  return {
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
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const log = (line) => {
    if (!options.json) console.log(line);
  };
  const openStart = performance.now();
  const server = await startServer(options);
  const openMs = performance.now() - openStart;
  log(`rtc serve ${server.url} over ${options.repo} (ready in ${(openMs / 1000).toFixed(1)} s)`);
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
    const context = (connections) =>
      autocannon({
        url: server.url,
        connections,
        duration: options.duration,
        timeout: 30,
        requests: bodies.map((body) => ({
          method: 'POST',
          path: '/v1/context',
          headers: { 'content-type': 'application/json' },
          body,
        })),
      });
    // The peer: the same server's cheapest route, the ceiling of the HTTP stack itself.
    const healthz = summarize(
      await autocannon({
        url: `${server.url}/healthz`,
        connections: options.connections,
        duration: options.duration,
      }),
    );
    const serial = summarize(await context(1));
    const loaded = summarize(await context(options.connections));
    const summary = {
      repo: options.repo,
      from: options.from,
      route: 'POST /v1/context',
      queries: QUERIES.length,
      budget: options.budget,
      durationS: options.duration,
      connections: options.connections,
      context: loaded,
      contextOneConnection: serial,
      healthz,
      node: process.version,
    };
    if (options.json) console.log(JSON.stringify(summary, null, 2));
    else {
      const line = (name, r) =>
        log(
          `  ${name.padEnd(34)} ${String(r.requestsPerSecond).padStart(8)} req/s  p50 ${r.latencyMs.p50} ms  p90 ${r.latencyMs.p90} ms  p99 ${r.latencyMs.p99} ms  errors ${r.errors}  timeouts ${r.timeouts}  non-2xx ${r.non2xx}`,
        );
      log(`${QUERIES.length} queries, budget ${options.budget}, ${options.duration} s per run`);
      line(`GET /healthz, ${options.connections} connections`, healthz);
      line('POST /v1/context, 1 connection', serial);
      line(`POST /v1/context, ${options.connections} connections`, loaded);
    }
    const failed = [healthz, serial, loaded].some((r) => r.errors > 0 || r.non2xx > 0 || r.timeouts > 0);
    if (failed) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
