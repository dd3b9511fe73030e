/**
 * @module test/live/vectors
 * With embeddings configured, live updates keep the vectors up to date: a new function is found by vector
 * search right after the update that added it, and the vectors of a deleted file go with it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveWorkspace } from '../../src/engine/index.js';
import type { LiveWorkspace } from '../../src/engine/index.js';

let dir: string;
let live: LiveWorkspace;

async function nearest(text: string): Promise<string[]> {
  const vectors = live.vectors!;
  const [query] = await vectors.embedder.embed([text], 'query');
  const hits = vectors.search.search(query!, 3);
  return live.read((w) => hits.map((hit) => w.graphReader.node(hit.id)?.name ?? hit.id));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-live-vectors-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'rtc.config.json'),
    JSON.stringify({ embedding: { provider: 'builtin', model: 'hashed' } }),
  );
  writeFileSync(
    join(dir, 'src/cart.ts'),
    'export function addItemToCart(cart: string[], item: string): string[] {\n  return [...cart, item];\n}\n',
  );
  writeFileSync(
    join(dir, 'src/user.ts'),
    'export function formatUserName(first: string, last: string): string {\n  return `${first} ${last}`;\n}\n',
  );
  live = await openLiveWorkspace(dir, { workers: 0 });
}, 60_000);

afterAll(async () => {
  await live.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vectors of a live workspace', () => {
  it('follow every update', async () => {
    expect(live.vectors).toBeDefined();
    const size = live.vectors!.search.size;
    expect(await nearest('add item to cart')).toContain('addItemToCart');
    await live.update([
      {
        path: 'src/flux.ts',
        text: 'export function calibrateQuantumFluxCapacitor(level: number): number {\n  return level * 88;\n}\n',
      },
    ]);
    expect(live.vectors!.search.size).toBeGreaterThan(size);
    expect((await nearest('calibrate the quantum flux capacitor'))[0]).toBe('calibrateQuantumFluxCapacitor');
    await live.update([{ path: 'src/flux.ts' }]); // not on disk: removed
    expect(await nearest('calibrate the quantum flux capacitor')).not.toContain(
      'calibrateQuantumFluxCapacitor',
    );
    expect(live.vectors!.search.size).toBe(size);
  });
});
