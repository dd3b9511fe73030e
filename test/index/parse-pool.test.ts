/**
 * @module test/index/parse-pool
 * Parsing in worker threads gives exactly the graph that parsing in the main thread gives.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWorkspaceGraph } from '../../src/index/index.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'ts-shop');

function canonical(graph: Awaited<ReturnType<typeof buildWorkspaceGraph>>): string[] {
  const nodes = [...graph.asg.nodes.values()].map((n) => `${n.id} ${n.kind} ${n.qualifiedName}`);
  const edges = graph.asg.edges.map((e) => `${e.source} ${e.kind} ${e.target} ${e.confidence ?? 1}`);
  return [...nodes, ...edges].sort();
}

describe('parse pool', () => {
  it('builds the same graph with worker threads as in the main thread', async () => {
    const inProcess = await buildWorkspaceGraph(FIXTURE, { workers: 0 });
    const progress: number[] = [];
    const threaded = await buildWorkspaceGraph(FIXTURE, {
      workers: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(canonical(threaded)).toEqual(canonical(inProcess));
    expect(progress.at(-1)).toBe(inProcess.files.length);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(buildWorkspaceGraph(FIXTURE, { workers: 2, signal: controller.signal })).rejects.toThrow(
      /cancelled/i,
    );
  });
});
