/**
 * Indexes a folder once with the built engine and prints one JSON line: files, bytes, timings, peak memory.
 * Run by throughput.mjs in a fresh process per measurement, so that peak memory is this run's alone.
 * Usage: node bench/index-once.mjs DIR [WORKERS]
 */
import { availableParallelism } from 'node:os';
import { buildWorkspaceGraph } from '../dist/index/index.js';

const [dir, workersArg] = process.argv.slice(2);
const workers = workersArg === undefined ? availableParallelism() : Number(workersArg);
const start = performance.now();
const graph = await buildWorkspaceGraph(dir, { workers });
const ms = performance.now() - start;
const bytes = graph.files.reduce((sum, f) => sum + f.bytes, 0);
console.log(
  JSON.stringify({
    files: graph.files.length,
    bytes,
    ms,
    timings: graph.timings,
    nodes: graph.asg.nodes.size,
    edges: graph.asg.edges.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    workers,
  }),
);
