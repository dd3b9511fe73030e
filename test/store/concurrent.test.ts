/**
 * @module test/store/concurrent
 * Readers while a writer re-indexes: a child process rewrites a file and re-indexes it over and over; the
 * test opens the index and queries it in a loop meanwhile. No query fails, and every answer comes from one
 * generation (names, structure, callers and summary agree on the version of the file).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexWorkspace, openIndex } from '../../src/engine/index.js';
import { writeFileSync } from 'node:fs';
import { fixtureCopy } from '../support/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
let repo: { dir: string; remove: () => void };

function marker(version: number): string {
  return `export function version${version}(): number {\n  return ${version};\n}\nexport function callVersion${version}(): number {\n  return version${version}();\n}\n`;
}

const WRITER = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const { indexWorkspace } = await import(process.argv[1]);
const [dir, rounds] = [process.argv[2], Number(process.argv[3])];
for (let v = 2; v <= rounds + 1; v++) {
  writeFileSync(join(dir, 'ts-shop/src/marker.ts'), process.argv[4].replaceAll('VERSION', String(v)));
  await indexWorkspace(dir, { workers: 0 });
}
`;

beforeAll(async () => {
  repo = fixtureCopy(['ts-shop']);
  writeFileSync(join(repo.dir, 'ts-shop/src/marker.ts'), marker(1));
  await indexWorkspace(repo.dir, { workers: 0 });
});

afterAll(() => {
  repo.remove();
});

describe('queries while an index run writes', () => {
  it('never fail and never mix two generations', async () => {
    const writer = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        WRITER,
        join(ROOT, 'dist', 'engine', 'index.js'),
        repo.dir,
        '12',
        marker(0).replaceAll('0', 'VERSION'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let writerError = '';
    writer.stderr.on('data', (chunk: Buffer) => (writerError += chunk.toString()));
    const exited = new Promise<number | null>((done) => writer.on('close', done));
    let running = true;
    void exited.then(() => (running = false));

    const generations = new Set<number>();
    const versions = new Set<number>();
    let reads = 0;
    while (running || reads === 0) {
      // Let the child's events in: the reads below never wait on IO.
      await new Promise((next) => setImmediate(next));
      const workspace = await openIndex(repo.dir, { refresh: 'never' });
      try {
        const generation = workspace.summary().index!.generation;
        const found = workspace.symbols('version*', { kinds: ['function'] }).map((s) => s.name);
        expect(found).toHaveLength(1);
        const version = Number(found[0]!.slice('version'.length));
        // The structure holds that version's functions and no other's.
        const names = workspace.graphReader
          .nodeIds('ts-shop/src/marker.ts')
          .map((id) => workspace.graphReader.node(id))
          .filter((n) => n?.kind === 'function')
          .map((n) => n?.name);
        expect(names).toContain(`version${version}`);
        expect(names).toContain(`callVersion${version}`);
        expect(names.filter((n) => n?.startsWith('version'))).toEqual([`version${version}`]);
        const callers = workspace.callers(`version${version}`);
        expect(callers[0]?.calls.map((c) => c.caller?.name)).toEqual([`callVersion${version}`]);
        expect(workspace.summary().index!.generation).toBe(generation);
        generations.add(generation);
        versions.add(version);
        reads++;
      } finally {
        await workspace.close();
      }
    }
    expect(await exited, writerError).toBe(0);
    expect(reads).toBeGreaterThan(5);
    // The reads overlapped the writes: they saw several generations.
    expect(generations.size).toBeGreaterThan(1);
    expect(versions.size).toBe(generations.size);
  });
});
