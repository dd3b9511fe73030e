/**
 * @module test/live/live-workspace
 * The live workspace with a real watcher on a temporary repository: files created, edited, renamed and
 * deleted, a branch switch of hundreds of files, rapid editor-style saves, a file made unparseable and then
 * fixed. After each, queries see the change and the graph equals a fresh full index of the same tree.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRecords, indexWorkspace, openLiveWorkspace } from '../../src/engine/index.js';
import type { ExportRecord, GraphDelta, LiveWorkspace } from '../../src/engine/index.js';
import { indexContent } from '../support/index.js';

let dir: string;
let scratch: string;
let live: LiveWorkspace;
const deltas: GraphDelta[] = [];

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function git(...args: string[]): void {
  execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
}

/** Waits until `condition` holds (polling), or fails after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the live workspace');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Records sorted by id, relations sorted: the content, whatever the order of nodes and edges. */
function canonical(records: ExportRecord[]): ExportRecord[] {
  const key = (r: { kind: string; target?: string; source?: string }) => `${r.kind}>${r.target ?? r.source}`;
  return records
    .map((r) => ({
      ...r,
      relations: [...r.relations].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
      incoming: [...r.incoming].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

let freshRuns = 0;
/** The live graph equals the graph of a fresh full index of the same files. */
async function expectEqualsFreshIndex(): Promise<void> {
  const liveRecords = await live.read((workspace) => [...exportRecords(workspace)]);
  const freshDir = join(scratch, `fresh-${freshRuns++}`);
  await indexWorkspace(dir, { dbDir: freshDir, workers: 0 });
  const fresh = await indexContent(dir, freshDir);
  expect(canonical(liveRecords)).toEqual(canonical(fresh));
}

async function symbolsNamed(name: string): Promise<string[]> {
  return live.read((workspace) => workspace.resolveSymbol(name).map((s) => s.path));
}

/** Whether a query for `name` returns a symbol of that name (queries see the change). */
async function queryFinds(name: string): Promise<boolean> {
  const result = await live.query(name, { recentChanges: [] });
  expect(result.version).toBeDefined();
  return result.symbols.some((s) => s.name === name);
}

/** Waits for the watcher to bring in a state where `check` holds. */
async function settle(check: () => Promise<boolean>): Promise<void> {
  await until(check);
  // Events of the same burst may still be on their way: wait for a quiet spell.
  let version = live.version;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    if (live.version === version) return;
    version = live.version;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-live-'));
  scratch = mkdtempSync(join(tmpdir(), 'rtc-live-fresh-'));
  write('package.json', '{ "name": "live-demo", "type": "module" }\n');
  write('.gitignore', '.rtc/\nignored/\n');
  write(
    'src/math.ts',
    'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function twice(x: number): number {\n  return add(x, x);\n}\n',
  );
  write(
    'src/app.ts',
    "import { add, twice } from './math.js';\n\nexport function main(): number {\n  const total = add(1, 2);\n  return twice(total);\n}\n",
  );
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'init');
  live = await openLiveWorkspace(dir, { workers: 0, flushMs: 200 });
  live.onDelta((delta) => deltas.push(delta));
  await live.watch({ debounceMs: 20 });
}, 60_000);

afterAll(async () => {
  await live.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('the live workspace with a real watcher', () => {
  it('starts from the index of the repository', async () => {
    expect(await symbolsNamed('twice')).toEqual(['src/math.ts']);
    await expectEqualsFreshIndex();
  });

  it('sees a created file, and resolves calls into it', async () => {
    write(
      'src/extra.ts',
      "import { add } from './math.js';\n\nexport function addThree(x: number): number {\n  return add(add(x, 1), 2);\n}\n",
    );
    await settle(async () => (await symbolsNamed('addThree')).length === 1);
    const result = await live.query('addThree');
    expect(result.version).toBe(live.version);
    expect(result.symbols.some((s) => s.name === 'addThree' && s.path === 'src/extra.ts')).toBe(true);
    const callers = await live.read((w) =>
      w.callers('add').flatMap((c) => c.calls.map((x) => x.caller?.name)),
    );
    expect(callers).toContain('addThree');
    await expectEqualsFreshIndex();
  });

  it('follows an edit that renames a function: the callers lose their edges', async () => {
    const before = live.version;
    write(
      'src/math.ts',
      'export function sum(a: number, b: number): number {\n  return a + b;\n}\n\nexport function twice(x: number): number {\n  return sum(x, x);\n}\n',
    );
    await settle(async () => (await symbolsNamed('sum')).length === 1);
    expect(live.version).toBeGreaterThan(before);
    expect(await symbolsNamed('add')).toEqual([]);
    expect(await queryFinds('sum')).toBe(true);
    expect(await queryFinds('add')).toBe(false);
    const delta = deltas.at(-1)!;
    expect(delta.resolved).toEqual(expect.arrayContaining(['src/app.ts', 'src/extra.ts', 'src/math.ts']));
    await expectEqualsFreshIndex();
  });

  it('follows a rename of a file and a deletion', async () => {
    renameSync(join(dir, 'src/extra.ts'), join(dir, 'src/more.ts'));
    await settle(async () => (await live.read((w) => w.fileSymbols('src/more.ts').length)) > 0);
    expect(await live.read((w) => w.fileSymbols('src/extra.ts').length)).toBe(0);
    await expectEqualsFreshIndex();
    unlinkSync(join(dir, 'src/more.ts'));
    await settle(async () => (await symbolsNamed('addThree')).length === 0);
    expect(await queryFinds('addThree')).toBe(false);
    await expectEqualsFreshIndex();
  });

  it('ignores ignored folders', async () => {
    const version = live.version;
    write('ignored/skip.ts', 'export function hidden(): void {}\n');
    write('node_modules/pkg/index.ts', 'export function vendored(): void {}\n');
    await new Promise((r) => setTimeout(r, 500));
    expect(live.version).toBe(version);
    expect(await symbolsNamed('hidden')).toEqual([]);
  });

  it('keeps up with rapid editor-style saves (write to a temporary file, rename over)', async () => {
    for (let i = 0; i < 20; i++) {
      const text = `export function rapid${i}(): number {\n  return ${i};\n}\n`;
      writeFileSync(join(dir, 'src/.rapid.ts.tmp'), text);
      renameSync(join(dir, 'src/.rapid.ts.tmp'), join(dir, 'src/rapid.ts'));
      await new Promise((r) => setTimeout(r, 10));
    }
    await settle(async () => (await symbolsNamed('rapid19')).length === 1);
    expect(await symbolsNamed('rapid5')).toEqual([]);
    expect(await queryFinds('rapid19')).toBe(true);
    await expectEqualsFreshIndex();
  });

  it('keeps a file made unparseable (with diagnostics) and follows its fix', async () => {
    write('src/broken.ts', 'export function broken( {\n  return ;;; }}}\n');
    await settle(async () => live.read((w) => w.diagnostics.some((d) => d.path === 'src/broken.ts')));
    await expectEqualsFreshIndex();
    write('src/broken.ts', 'export function fixed(): number {\n  return 1;\n}\n');
    await settle(async () => (await symbolsNamed('fixed')).length === 1);
    expect(await queryFinds('fixed')).toBe(true);
    expect(await live.read((w) => w.diagnostics.some((d) => d.path === 'src/broken.ts'))).toBe(false);
    await expectEqualsFreshIndex();
  });

  it('skips a binary file, a huge file and invalid UTF-8 without failing', async () => {
    const version = live.version;
    writeFileSync(join(dir, 'src/blob.ts'), Buffer.from([0, 1, 2, 3, 0, 255, 0]));
    writeFileSync(join(dir, 'src/huge.ts'), `export const big = "${'x'.repeat(1_100_000)}";\n`);
    writeFileSync(
      join(dir, 'src/latin1.ts'),
      Buffer.concat([Buffer.from('export function caf'), Buffer.from([0xe9]), Buffer.from('(): void {}\n')]),
    );
    await settle(async () => (await live.read((w) => w.fileSymbols('src/latin1.ts').length)) > 0);
    expect(live.version).toBeGreaterThan(version);
    const summary = await live.read((w) => w.summary());
    expect(summary.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'src/blob.ts', reason: 'binary' }),
        expect.objectContaining({ path: 'src/huge.ts', reason: 'too-large' }),
      ]),
    );
    await expectEqualsFreshIndex();
    unlinkSync(join(dir, 'src/blob.ts'));
    unlinkSync(join(dir, 'src/huge.ts'));
    unlinkSync(join(dir, 'src/latin1.ts'));
    await settle(async () => (await live.read((w) => w.fileSymbols('src/latin1.ts').length)) === 0);
    await expectEqualsFreshIndex();
  });

  it('follows a branch switch of hundreds of files', async () => {
    git('add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'state');
    git('checkout', '-qb', 'wide');
    for (let i = 0; i < 300; i++) {
      const next = (i + 1) % 300;
      write(
        `src/gen/m${i}.ts`,
        `import { f${next} } from './m${next}.js';\n\nexport function f${i}(n: number): number {\n  return n <= 0 ? ${i} : f${next}(n - 1);\n}\n`,
      );
    }
    git('add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'wide');
    await settle(async () => (await symbolsNamed('f299')).length === 1);
    expect(await queryFinds('f150')).toBe(true);
    await expectEqualsFreshIndex();
    git('checkout', '-q', 'master');
    await settle(async () => (await symbolsNamed('f0')).length === 0);
    expect(await queryFinds('f150')).toBe(false);
    await expectEqualsFreshIndex();
  }, 120_000);

  it('records the history of changes', () => {
    const changes = live.changes();
    expect(changes.some((c) => c.path === 'src/math.ts' && c.kind === 'edited' && c.source === 'live')).toBe(
      true,
    );
    expect(changes.some((c) => c.path === 'src/more.ts' && c.kind === 'removed')).toBe(true);
    const edit = changes.find((c) => c.path === 'src/math.ts' && c.kind === 'edited')!;
    expect(edit.nodes!.added + edit.nodes!.removed + edit.nodes!.updated).toBeGreaterThan(0);
    // The node level: `add` became `sum`, and `twice` now calls `sum`.
    expect(edit.symbols).toEqual({ added: ['sum'], removed: ['add'], updated: ['twice'] });
  });
});
