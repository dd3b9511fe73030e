/**
 * @module test/live/live-durability
 * What a live update leaves on disk. After `close()`, its changes are in the index (the LMDB generation and
 * the lexical rows, which are written after the version is published). The lexical index read through the
 * live index right after an update already has the update's rows. A child process running a live index,
 * killed with SIGKILL right after an update was published and before its lexical rows were written, leaves
 * an index that opens whole; the next index run completes it to what a clean index of the same files holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { indexWorkspace } from '../../src/engine/index.js';
import { LiveIndex } from '../../src/index/index.js';
import { IndexStore, LexicalIndex } from '../../src/store/index.js';
import { fixtureCopy, indexContent } from '../support/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = 'ts-shop/src/util/math.ts';

let scratch: string;
const repos: { remove: () => void }[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'rtc-live-durability-'));
});

afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the TypeScript fixture, indexed. */
async function indexedRepo(): Promise<string> {
  const repo = fixtureCopy(['ts-shop']);
  repos.push(repo);
  await indexWorkspace(repo.dir, { workers: 0 });
  return repo.dir;
}

/** The file's text with a function added. */
function withFunction(dir: string, name: string): string {
  return `${readFileSync(join(dir, FILE), 'utf8')}\nexport function ${name}(value: number): number {\n  return value * 3;\n}\n`;
}

/** The generation of the index, its consistency problems, the lexical generation and its hits for a name. */
function inspect(
  dir: string,
  name: string,
): { generation: number; problems: string[]; lexical: number; hits: string[] } {
  const dbDir = join(dir, '.rtc');
  const store = IndexStore.open(dbDir, { readOnly: true });
  const reader = store.read();
  try {
    const lexical = LexicalIndex.open(dbDir, { readOnly: true });
    try {
      return {
        generation: reader.meta()?.generation ?? 0,
        problems: reader.check(),
        lexical: lexical.generation(),
        hits: lexical.search(name, { memory: false }).map((hit) => hit.name),
      };
    } finally {
      lexical.close();
    }
  } finally {
    reader.done();
    void store.close();
  }
}

async function cleanContent(dir: string): Promise<unknown[]> {
  const dbDir = mkdtempSync(join(scratch, 'clean-'));
  await indexWorkspace(dir, { dbDir, workers: 0 });
  return indexContent(dir, dbDir);
}

describe('a live update on disk', () => {
  it('is in the index after close, lexical rows included', async () => {
    const dir = await indexedRepo();
    const live = await LiveIndex.open(dir, { workers: 0 });
    let version: number;
    try {
      writeFileSync(join(dir, FILE), withFunction(dir, 'tripleValue'));
      const delta = await live.apply([{ path: FILE }]);
      version = delta!.version;
    } finally {
      await live.close();
    }
    const after = inspect(dir, 'tripleValue');
    expect(after.generation).toBe(version);
    expect(after.problems).toEqual([]);
    expect(after.lexical).toBe(version);
    expect(after.hits).toContain('tripleValue');
  }, 60_000);

  it('gives readers of the lexical index the rows of the newest version at once', async () => {
    const dir = await indexedRepo();
    const live = await LiveIndex.open(dir, { workers: 0 });
    try {
      const delta = await live.apply([{ path: FILE, text: withFunction(dir, 'quadrupleValue') }]);
      // Asked for before the event loop turned: the rows are written on the spot.
      const lexical = live.lexical;
      expect(lexical.generation()).toBe(delta!.version);
      expect(lexical.search('quadrupleValue').map((hit) => hit.name)).toContain('quadrupleValue');
      // And an update that follows at once waits for them too.
      const next = await live.apply([{ path: FILE, text: withFunction(dir, 'quintupleValue') }]);
      await live.settled();
      expect(live.lexical.generation()).toBe(next!.version);
    } finally {
      await live.close();
    }
  }, 60_000);

  it('survives SIGKILL right after an update: the index opens, and the next index run completes it', async () => {
    const dir = await indexedRepo();
    const before = inspect(dir, 'sextupleValue');
    const text = join(scratch, 'new-text.ts');
    writeFileSync(text, withFunction(dir, 'sextupleValue'));
    // The child saves the file once its live index is open and applies it, reports the version, then blocks:
    // the update's lexical rows never get written.
    const child = join(scratch, 'live-child.mjs');
    writeFileSync(
      child,
      `import { LiveIndex } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/index/index.ts')).href)};
import { copyFileSync } from 'node:fs';
const live = await LiveIndex.open(process.argv[2], { workers: 0 });
copyFileSync(process.argv[3], process.argv[2] + '/' + ${JSON.stringify(FILE)});
const delta = await live.apply([{ path: ${JSON.stringify(FILE)} }]);
process.stdout.write(\`applied \${delta.version}\\n\`, () => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
});
`,
    );
    const { version, signal } = await new Promise<{ version: number; signal: NodeJS.Signals | null }>(
      (done, fail) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, text], { cwd: ROOT });
        let out = '';
        let err = '';
        let version = 0;
        proc.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /applied (\d+)/.exec(out);
          if (match && version === 0) {
            version = Number(match[1]);
            proc.kill('SIGKILL');
          }
        });
        proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        proc.on('error', fail);
        proc.on('close', (_code, signal) => {
          if (version === 0) fail(new Error(`the child ended without an update: ${err}`));
          else done({ version, signal });
        });
      },
    );
    expect(signal).toBe('SIGKILL');
    expect(version).toBeGreaterThan(before.generation);
    const killed = inspect(dir, 'sextupleValue');
    // The update is committed and whole; the lexical index is a generation behind.
    expect(killed.generation).toBe(version);
    expect(killed.problems).toEqual([]);
    expect(killed.lexical).toBe(before.generation);
    await indexWorkspace(dir, { workers: 0 });
    const completed = inspect(dir, 'sextupleValue');
    expect(completed.problems).toEqual([]);
    expect(completed.lexical).toBe(completed.generation);
    expect(completed.hits).toContain('sextupleValue');
    expect(await indexContent(dir)).toEqual(await cleanContent(dir));
  }, 60_000);
});
