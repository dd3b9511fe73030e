/**
 * @module test/index/watcher
 * The workspace watcher on real folders with real file events: create, edit, rename and delete; new folders;
 * a branch switch written by another process; editor-style atomic saves; ignored paths; the same files as
 * discovery; scans; symlink loops; the workspace folder deleted; and close() releasing every handle.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineError } from '../../src/base/index.js';
import { discoverFiles, watchRepository } from '../../src/index/index.js';
import type { RepositoryWatcher, WatchBatch, WatchOptions } from '../../src/index/index.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix = 'rtc-watch-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

function write(root: string, path: string, text = `export const v = ${Math.random()};\n`): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Polls `condition` until it holds; fails with `what` after the timeout. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Recorder {
  watcher: RepositoryWatcher;
  /** The batches since the last reset, without the paths written by settle(). */
  batches: () => WatchBatch[];
  errors: EngineError[];
  changed: () => Set<string>;
  removed: () => Set<string>;
  reset: () => void;
  /** Writes a file and waits until a batch reports it: every earlier event has been handled by then. */
  settle: () => Promise<void>;
}

async function watch(root: string, options: Partial<WatchOptions> = {}): Promise<Recorder> {
  const all: WatchBatch[] = [];
  const errors: EngineError[] = [];
  const watcher = await watchRepository(root, {
    scanIntervalMs: 0,
    ...options,
    onBatch: async (batch) => {
      // A path is in one list, once.
      expect(new Set([...batch.changed, ...batch.removed]).size).toBe(
        batch.changed.length + batch.removed.length,
      );
      all.push(batch);
      await options.onBatch?.(batch);
    },
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => watcher.close());
  let settles = 0;
  const isOurs = (path: string) => !path.startsWith('settle-');
  const batches = () =>
    all
      .map((batch) => ({
        ...batch,
        changed: batch.changed.filter(isOurs),
        removed: batch.removed.filter(isOurs),
      }))
      .filter((batch) => batch.changed.length + batch.removed.length > 0);
  const union = (list: 'changed' | 'removed') => new Set(batches().flatMap((batch) => batch[list]));
  const recorder: Recorder = {
    watcher,
    batches,
    errors,
    changed: () => union('changed'),
    removed: () => union('removed'),
    reset: () => {
      all.length = 0;
    },
    settle: async () => {
      const path = `settle-${settles++}.ts`;
      write(root, path);
      await waitFor(() => all.some((batch) => batch.changed.includes(path)), path);
    },
  };
  return recorder;
}

describe('watchRepository', () => {
  it('reports a created, edited, renamed and deleted file', async () => {
    const root = tempDir();
    write(root, 'src/a.ts');
    const rec = await watch(root);

    write(root, 'src/b.ts');
    await waitFor(() => rec.changed().has('src/b.ts'), 'created file');
    rec.reset();
    write(root, 'src/a.ts', 'export const a = 2;\n');
    await waitFor(() => rec.changed().has('src/a.ts'), 'edited file');
    rec.reset();
    renameSync(join(root, 'src/b.ts'), join(root, 'src/c.ts'));
    await waitFor(() => rec.changed().has('src/c.ts') && rec.removed().has('src/b.ts'), 'rename');
    expect(rec.batches()).toEqual([{ changed: ['src/c.ts'], removed: ['src/b.ts'], source: 'events' }]);
    rec.reset();
    unlinkSync(join(root, 'src/a.ts'));
    await waitFor(() => rec.removed().has('src/a.ts'), 'deleted file');
    expect(rec.batches()).toEqual([{ changed: [], removed: ['src/a.ts'], source: 'events' }]);
    expect(rec.errors).toEqual([]);
  });

  it('watches a new folder tree and reports its files and manifests', async () => {
    const root = tempDir();
    const rec = await watch(root);
    mkdirSync(join(root, 'pkg/lib/deep'), { recursive: true });
    const expected = ['pkg/package.json', 'pkg/tsconfig.base.json', 'pkg/lib/x.py', 'pkg/lib/deep/y.go'];
    for (const path of [...expected, 'pkg/README.md', 'pkg/lib/deep/data.bin']) write(root, path, '{}\n');
    await waitFor(() => expected.every((path) => rec.changed().has(path)), 'the new files');
    // The new deepest folder is watched: a later write there is an event.
    write(root, 'pkg/lib/deep/later.rs', 'fn main() {}\n');
    await waitFor(() => rec.changed().has('pkg/lib/deep/later.rs'), 'a file in the new folder');
    expect([...rec.changed()].sort()).toEqual([...expected, 'pkg/lib/deep/later.rs'].sort());
    expect(rec.batches().every((batch) => batch.source === 'events')).toBe(true);
    rmSync(join(root, 'pkg/lib'), { recursive: true });
    await waitFor(() => rec.removed().has('pkg/lib/deep/later.rs'), 'the removed folder');
    expect([...rec.removed()].sort()).toEqual(['pkg/lib/deep/later.rs', 'pkg/lib/deep/y.go', 'pkg/lib/x.py']);
  });

  it('watches a folder deleted and made again at once (its inode number may be reused)', async () => {
    const root = tempDir();
    write(root, 'src/m/a.ts');
    const rec = await watch(root);
    rmSync(join(root, 'src/m'), { recursive: true });
    write(root, 'src/m/b.ts');
    await waitFor(() => rec.changed().has('src/m/b.ts'), 'the new file');
    expect([...rec.removed()]).toEqual(['src/m/a.ts']);
    write(root, 'src/m/c.ts');
    await waitFor(() => rec.changed().has('src/m/c.ts'), 'a file in the folder made again');
  });

  it('reports a branch switch made by another process, in a few batches', async () => {
    const root = tempDir();
    for (let m = 0; m < 10; m++) for (let f = 0; f < 20; f++) write(root, `src/m${m}/f${f}.ts`);
    const rec = await watch(root);
    // Rewrites m0-m4 (100 files), removes m5-m9 (100) and adds n0-n4 (100), as a checkout would.
    const script = `
      const fs = require('node:fs'), path = require('node:path');
      const root = ${JSON.stringify(root)};
      for (let m = 0; m < 5; m++) for (let f = 0; f < 20; f++)
        fs.writeFileSync(path.join(root, 'src/m' + m + '/f' + f + '.ts'), 'export const x = ' + f + ';\\n');
      for (let m = 5; m < 10; m++) fs.rmSync(path.join(root, 'src/m' + m), { recursive: true });
      for (let m = 0; m < 5; m++) {
        fs.mkdirSync(path.join(root, 'src/n' + m));
        for (let f = 0; f < 20; f++) fs.writeFileSync(path.join(root, 'src/n' + m + '/f' + f + '.ts'), '');
      }`;
    const t0 = performance.now();
    await promisify(execFile)(process.execPath, ['-e', script]);
    const writingMs = performance.now() - t0;
    const paths = (prefix: string, from: number) =>
      Array.from({ length: 100 }, (_, i) => `src/${prefix}${from + Math.floor(i / 20)}/f${i % 20}.ts`);
    await rec.settle();
    expect([...rec.changed()].sort()).toEqual([...paths('m', 0), ...paths('n', 0)].sort());
    expect([...rec.removed()].sort()).toEqual(paths('m', 5).sort());
    // A few batches, not one per file or folder (1 on a quiet machine; a writer pausing longer than the
    // debounce on a loaded one splits the stream).
    expect(rec.batches().length, `${Math.round(writingMs)} ms of writing`).toBeLessThanOrEqual(10);
    expect(rec.errors).toEqual([]);
  });

  it('emits one batch at a time: events during onBatch wait for the next batch', async () => {
    const root = tempDir();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const rec = await watch(root, {
      onBatch: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        if (calls++ === 0) await held;
        inFlight--;
      },
    });
    write(root, 'first.ts');
    await waitFor(() => calls === 1, 'the first batch');
    for (let i = 0; i < 10; i++) write(root, `later${i}.ts`);
    // Time for a watcher that does not wait to call onBatch again.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls).toBe(1);
    release();
    await waitFor(() => rec.changed().size === 11, 'the held events');
    expect(maxInFlight).toBe(1);
    expect(rec.batches()[1]!.changed).toHaveLength(10);
  });

  it('reports an editor-style atomic save, never its temporary files', async () => {
    const root = tempDir();
    write(root, 'src/a.ts');
    const rec = await watch(root);
    for (let i = 0; i < 20; i++) {
      write(root, `src/a.ts.tmp-${i}`, `export const a = ${i};\n`);
      write(root, 'src/a.ts~', 'backup');
      renameSync(join(root, `src/a.ts.tmp-${i}`), join(root, 'src/a.ts'));
      unlinkSync(join(root, 'src/a.ts~'));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await rec.settle();
    expect([...rec.changed()]).toEqual(['src/a.ts']);
    expect([...rec.removed()]).toEqual([]);
  });

  it('never reports ignored paths, and applies a changed .gitignore', async () => {
    const root = tempDir();
    write(root, '.gitignore', 'gen/\nsecret.ts\n');
    write(root, 'node_modules/dep/index.js');
    write(root, 'gen/a.ts');
    write(root, 'src/old/a.ts');
    const rec = await watch(root, { dbDir: join(root, 'index-data') });
    for (const path of [
      'node_modules/dep/index.js',
      'node_modules/dep2/lib/b.js',
      'src/node_modules/x/index.ts',
      'gen/a.ts',
      'gen/new/b.ts',
      'src/secret.ts',
      '.git/HEAD',
      '.git/objects/ab/cdef.ts',
      '.rtc/graph.ts',
      'index-data/lexical.ts',
      'dist/bundle.js',
      'src/README.md',
      'src/data.bin',
    ])
      write(root, path);
    await rec.settle();
    expect(rec.batches()).toEqual([]);

    writeFileSync(join(root, '.gitignore'), 'gen/\nsecret.ts\nsrc/old/\n');
    await waitFor(() => rec.removed().has('src/old/a.ts'), 'the newly ignored file');
    expect(rec.batches()).toEqual([{ changed: [], removed: ['src/old/a.ts'], source: 'scan' }]);
    write(root, 'src/old/b.ts');
    await rec.settle();
    expect(rec.changed().has('src/old/b.ts')).toBe(false);
    rec.reset();
    writeFileSync(join(root, '.gitignore'), 'secret.ts\n');
    await waitFor(() => rec.changed().has('src/old/b.ts'), 'the files no longer ignored');
    expect([...rec.changed()].sort()).toEqual(['gen/a.ts', 'gen/new/b.ts', 'src/old/a.ts', 'src/old/b.ts']);
  });

  it('reports the files discovery lists, through events and through scans', async () => {
    const root = tempDir();
    write(root, '.rtcignore', 'proj/legacy/\n');
    write(root, '.git/info/exclude', 'proj/scratch.py\n');
    const rec = await watch(root, { maxFileBytes: 1000 });
    // Built outside, then moved in: one folder event.
    const outside = tempDir('rtc-watch-outside-');
    const proj = join(outside, 'proj');
    for (const [path, text] of [
      ['.gitignore', 'generated/\n*.gen.ts\n'],
      ['src/app.ts', 'export const a = 1;\n'],
      ['src/app.gen.ts', 'export const b = 1;\n'],
      ['src/nested/.gitignore', 'local.py\n'],
      ['src/nested/local.py', 'x = 1\n'],
      ['src/nested/kept.py', 'x = 1\n'],
      ['generated/out.ts', 'export const c = 1;\n'],
      ['legacy/old.js', 'var d = 1;\n'],
      ['scratch.py', 'y = 2\n'],
      ['node_modules/pkg/index.js', 'module.exports = 1;\n'],
      ['target/debug/build.rs', 'fn main() {}\n'],
      ['bin/tool', '#!/usr/bin/env python3\nprint(1)\n'],
      ['bin/data', 'not a script\n'],
      ['README.md', '# readme\n'],
      ['big.py', `x = "${'a'.repeat(2000)}"\n`],
      ['package.json', '{"name": "proj"}\n'],
      ['go.mod', 'module example.com/proj\n'],
      ['src/tsconfig.base.json', '{}\n'],
    ] as const)
      write(proj, path, text);
    symlinkSync('generated', join(proj, 'alias'));
    symlinkSync('.', join(proj, 'src/loop'));
    symlinkSync('app.ts', join(proj, 'src/app-link.ts'));
    symlinkSync(outside, join(proj, 'outside'));
    const discovered = (await discoverFiles(proj, { maxFileBytes: 1000 })).files.map((f) => `proj/${f.path}`);
    expect(discovered).toContain('proj/alias/out.ts');
    renameSync(proj, join(root, 'proj'));
    const manifests = ['proj/go.mod', 'proj/package.json', 'proj/src/tsconfig.base.json'];
    const discovery = await discoverFiles(root, { maxFileBytes: 1000 });
    const listed = discovery.files.map((f) => f.path);
    expect(listed).not.toContain('proj/legacy/old.js');
    // Files too large to index are reported too: the live index records why it leaves them out.
    const tooLarge = discovery.skipped.filter((s) => s.reason === 'too-large').map((s) => s.path);
    expect(tooLarge).toEqual(['proj/big.py']);
    const expected = [...listed, ...tooLarge, ...manifests].sort();
    await rec.settle();
    expect([...rec.changed()].sort()).toEqual(expected);

    // Every file rewritten: the same paths, now one event each.
    rec.reset();
    for (const path of ['app.ts', 'app.gen.ts', 'nested/local.py', 'nested/kept.py', 'tsconfig.base.json'])
      write(root, `proj/src/${path}`, 'x = 2\n');
    for (const path of ['generated/out.ts', 'legacy/old.js', 'scratch.py', 'node_modules/pkg/index.js'])
      write(root, `proj/${path}`, 'x = 2\n');
    for (const path of ['bin/tool', 'bin/data', 'README.md', 'big.py', 'package.json', 'go.mod'])
      write(root, `proj/${path}`, `${readFileText(root, `proj/${path}`)}\n`);
    await rec.settle();
    expect([...rec.changed()].sort()).toEqual(expected);
    expect(rec.batches().every((batch) => batch.source === 'events')).toBe(true);
    expect(await rec.watcher.scan()).toEqual({ changed: [], removed: [], source: 'scan' });
  });

  it('scan() finds a change that no event reported yet', async () => {
    const root = tempDir();
    write(root, 'src/a.ts', 'export const a = 1;\n');
    write(root, 'src/b.ts', 'export const b = 1;\n');
    const rec = await watch(root);
    // The events of these writes cannot arrive before the scan: it runs before the event loop polls again.
    write(root, 'src/a.ts', 'export const a = 22;\n');
    unlinkSync(join(root, 'src/b.ts'));
    const batch = await rec.watcher.scan();
    expect(batch).toEqual({ changed: ['src/a.ts'], removed: ['src/b.ts'], source: 'scan' });
    expect(rec.batches()[0]).toEqual(batch);
    await rec.settle();
    // The late events: the deleted file is not reported twice.
    expect(rec.removed()).toEqual(new Set(['src/b.ts']));
    rec.reset();
    expect(await rec.watcher.scan()).toEqual({ changed: [], removed: [], source: 'scan' });
    expect(rec.batches()).toEqual([]);
  });

  it('finds by periodic scans a change that no event reports (a write through a hard link)', async () => {
    const root = tempDir();
    const outside = tempDir('rtc-watch-outside-');
    write(outside, 'a.ts', 'export const a = 1;\n');
    mkdirSync(join(root, 'src'));
    linkSync(join(outside, 'a.ts'), join(root, 'src/a.ts'));
    const rec = await watch(root, { scanIntervalMs: 50 });
    // inotify reports a write to the folder it was made through only.
    writeFileSync(join(outside, 'a.ts'), 'export const a = 22;\n');
    await waitFor(() => rec.changed().has('src/a.ts'), 'the periodic scan');
    expect(rec.batches()).toEqual([{ changed: ['src/a.ts'], removed: [], source: 'scan' }]);
  });

  it('survives symlink loops and unreadable folders', async () => {
    const root = tempDir();
    write(root, 'src/a.ts');
    symlinkSync('..', join(root, 'src/up'));
    symlinkSync('.', join(root, 'src/self'));
    symlinkSync('/nonexistent/target', join(root, 'src/broken.ts'));
    symlinkSync(tmpdir(), join(root, 'outside'));
    const locked = process.getuid?.() !== 0;
    if (locked) {
      write(root, 'locked/secret.ts');
      chmodSync(join(root, 'locked'), 0o000);
      cleanups.push(() => {
        chmodSync(join(root, 'locked'), 0o755);
      });
    }
    const rec = await watch(root);
    write(root, 'src/b.ts');
    symlinkSync('../src', join(root, 'src/again'));
    await rec.settle();
    expect([...rec.changed()]).toEqual(['src/b.ts']);
    expect(rec.errors).toEqual([]);
  });

  it('falls back to scans when the workspace folder is deleted, and reports it once', async () => {
    const root = tempDir();
    write(root, 'src/a.ts');
    const rec = await watch(root);
    rmSync(root, { recursive: true });
    await waitFor(() => rec.errors.length === 1, 'the error');
    expect(rec.errors[0]).toMatchObject({ name: 'EngineError', code: 'RTC_IO_ERROR' });
    write(root, 'src/b.ts');
    expect(await rec.watcher.scan()).toEqual({
      changed: ['src/b.ts'],
      removed: ['src/a.ts'],
      source: 'scan',
    });
    // Watched again: events flow.
    write(root, 'src/c.ts');
    await waitFor(() => rec.changed().has('src/c.ts'), 'an event after the scan');
    rmSync(root, { recursive: true });
    mkdirSync(root);
    await rec.watcher.scan();
    expect(rec.errors).toHaveLength(1);
  });

  it('close() releases every watch and timer', async () => {
    const root = tempDir();
    write(root, 'src/a.ts');
    const count = (name: string) => process.getActiveResourcesInfo().filter((n) => n === name).length;
    // Timers of the test runner may end meanwhile: no more timers than before, and no watches.
    const released = () => count('FSEventWrap') === 0 && count('Timeout') <= timersBefore;
    // The watches of the tests before are closed, and released soon.
    await waitFor(() => count('FSEventWrap') === 0, 'the watches of earlier tests released', 1000);
    const timersBefore = count('Timeout');
    const controller = new AbortController();
    const rec = await watch(root, { scanIntervalMs: 10_000, signal: controller.signal });
    write(root, 'src/b.ts');
    expect(count('FSEventWrap')).toBeGreaterThan(0);
    await rec.settle();
    write(root, 'src/c.ts');
    await rec.watcher.close();
    // Handles are released in the loop's close phase, after close() resolves.
    await waitFor(released, 'the handles released', 1000);
    await expect(rec.watcher.scan()).rejects.toMatchObject({ code: 'RTC_INVALID_ARGUMENT' });

    // Aborting the signal closes too.
    const again = await watch(root, { scanIntervalMs: 10_000, signal: controller.signal });
    controller.abort();
    await waitFor(released, 'the handles released after abort', 1000);
    await expect(again.watcher.scan()).rejects.toMatchObject({ code: 'RTC_INVALID_ARGUMENT' });
    await expect(watch(root, { signal: controller.signal })).rejects.toMatchObject({ code: 'RTC_CANCELLED' });
    expect(count('FSEventWrap')).toBe(0);
  });
});

function readFileText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
