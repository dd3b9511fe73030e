/**
 * @module test/engine/workspace-set
 * The engine API every server stands on: workspace folders (add, remove, locate), editors' unsaved buffers
 * routed to their folder, file reads that never leave a folder, and the tool catalogue (validation, every
 * tool over a real index, feedback recorded).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/base/index.js';
import {
  indexDirOf,
  invokeTool,
  readFeedback,
  resolveInside,
  TOOLS,
  validateInput,
  WorkspaceSet,
} from '../../src/engine/index.js';
import { fixtureCopy } from '../support/index.js';

let copy: ReturnType<typeof fixtureCopy>;
let shop: string;
let library: string;
let set: WorkspaceSet;

beforeAll(async () => {
  copy = fixtureCopy(['ts-shop', 'py-library']);
  shop = join(copy.dir, 'ts-shop');
  library = join(copy.dir, 'py-library');
  mkdirSync(join(copy.dir, 'outside'));
  writeFileSync(join(copy.dir, 'outside', 'secret.txt'), 'secret\n');
  symlinkSync(join(copy.dir, 'outside'), join(shop, 'leak'));
  symlinkSync(join(copy.dir, 'outside', 'secret.txt'), join(shop, 'secret-link.txt'));
  symlinkSync(join(shop, 'src', 'util'), join(shop, 'util-link'));
  set = await WorkspaceSet.open([shop], { workers: 0 });
}, 120_000);

afterAll(async () => {
  await set.close();
  copy.remove();
});

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isEngineError(error) ? error.code : 'not an EngineError';
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isEngineError(error) ? error.code : `not an EngineError: ${String(error)}`;
  }
}

describe('resolveInside', () => {
  it.each([
    ['../outside/secret.txt'],
    ['src/../../outside/secret.txt'],
    ['..'],
    ['/etc/passwd'],
    ['C:/Windows/win.ini'],
    ['..\\outside\\secret.txt'],
    ['leak/secret.txt'],
    ['secret-link.txt'],
    ['src/\0x'],
    [''],
    ['.'],
  ])('refuses %j', (path) => {
    expect(code(() => resolveInside(shop, path))).toBe('RTC_INVALID_ARGUMENT');
  });

  it.each([
    ['src/index.ts', 'src/index.ts'],
    ['./src//util/math.ts', 'src/util/math.ts'],
    ['util-link/math.ts', 'util-link/math.ts'],
    ['src/not-yet-there.ts', 'src/not-yet-there.ts'],
  ])('accepts %j', (path, relative) => {
    expect(resolveInside(shop, path).relative).toBe(relative);
  });
});

describe('WorkspaceSet', () => {
  it('lists, adds, finds and removes folders', async () => {
    expect(set.list().map((f) => f.name)).toEqual(['ts-shop']);
    const info = await set.add(library);
    expect(info).toMatchObject({ name: 'py-library', watching: false, documents: 0 });
    expect(info.files).toBeGreaterThan(3);
    expect(await set.add(library)).toMatchObject({ root: info.root });
    expect(set.list()).toHaveLength(2);
    expect(set.get('py-library').root).toBe(info.root);
    expect(set.get().root).toBe(set.list()[0]!.root);
    expect(set.locate(join(library, 'src', 'bookshelf', 'cli.py'))?.path).toBe('src/bookshelf/cli.py');
    expect(set.locate(join(copy.dir, 'outside', 'secret.txt'))).toBeUndefined();
    expect(set.locate('relative/path.ts')).toBeUndefined();
    expect(await set.remove(library)).toBe(true);
    expect(await set.remove(library)).toBe(false);
    expect(code(() => set.get('py-library'))).toBe('RTC_NOT_FOUND');
    expect(await codeOf(set.add(join(copy.dir, 'no-such-folder')))).toBe('RTC_NOT_FOUND');
  }, 120_000);

  it('routes an unsaved buffer to its folder, reads it, and goes back to the disk on close', async () => {
    const file = join(shop, 'src', 'util', 'math.ts');
    const before = set.get().version;
    const added = `export function roundHalfEven(value: number): number {\n  return Math.round(value);\n}\n`;
    const disk = (await set.readText('src/util/math.ts')).text;
    const delta = await set.openDocument(file, `${disk}\n${added}`, 1);
    expect(delta?.version).toBeGreaterThan(before);
    expect(await set.get().read((w) => w.resolveSymbol('roundHalfEven').length)).toBe(1);
    expect(await set.readText('src/util/math.ts')).toMatchObject({ source: 'buffer' });
    expect(set.documents().map((d) => d.relativePath)).toEqual(['src/util/math.ts']);
    expect(set.list()[0]!.documents).toBe(1);

    await set.changeDocument(file, disk.replace('export function round(', 'export function roundTo('));
    expect(set.document(file)?.version).toBe(2);
    expect(await set.get().read((w) => w.resolveSymbol('roundTo').length)).toBe(1);
    expect(await set.get().read((w) => w.resolveSymbol('roundHalfEven').length)).toBe(0);

    await set.closeDocument(file);
    expect(await set.readText('src/util/math.ts')).toEqual({
      path: 'src/util/math.ts',
      text: disk,
      source: 'disk',
    });
    expect(await set.get().read((w) => w.resolveSymbol('roundTo').length)).toBe(0);
    expect(await set.get().read((w) => w.resolveSymbol('round').length)).toBeGreaterThan(0);

    expect(await codeOf(set.openDocument(join(copy.dir, 'outside', 'x.ts'), 'x'))).toBe('RTC_NOT_FOUND');
    expect(await codeOf(set.openDocument('src/x.ts', 'x'))).toBe('RTC_INVALID_ARGUMENT');
  }, 60_000);

  it('never reads outside a folder', async () => {
    expect(await codeOf(set.readText('leak/secret.txt'))).toBe('RTC_INVALID_ARGUMENT');
    expect(await codeOf(set.readText('../outside/secret.txt'))).toBe('RTC_INVALID_ARGUMENT');
    expect(await codeOf(set.readText('src'))).toBe('RTC_INVALID_ARGUMENT');
    expect(await codeOf(set.readText('src/missing.ts'))).toBe('RTC_NOT_FOUND');
    expect((await set.readText('util-link/math.ts')).text).toContain('factorial');
  });
});

describe('tools', () => {
  it('publish an object schema each, refusing unknown properties', () => {
    expect(TOOLS.map((t) => t.name)).toEqual([
      'get_context',
      'search',
      'find_symbol',
      'find_references',
      'get_callers',
      'get_callees',
      'get_graph',
      'index_status',
      'reindex',
      'feedback',
    ]);
    for (const tool of TOOLS) {
      expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(() => {
        validateInput(tool.inputSchema, { surprise: 1 });
      }).toThrow(/unknown property 'surprise'/);
    }
  });

  it.each([
    ['get_context', {}, /must have required property 'task'/],
    ['get_context', { task: 'x', budget: 'big' }, /\/budget must be integer/],
    ['get_context', { task: 'x', budget: 5 }, /\/budget must be >= 100/],
    ['search', { query: '' }, /\/query must NOT have fewer than 1 characters/],
    ['feedback', { items: [] }, /\/items must NOT have fewer than 1 items/],
    ['feedback', { items: [{ id: 'x' }] }, /must have required property 'useful'/],
    ['get_graph', { name: 'x', depth: 9 }, /\/depth must be <= 4/],
  ])('%s refuses %j', async (name, args, message) => {
    await expect(invokeTool(set, name, args)).rejects.toThrow(message);
  });

  it('refuses an unknown tool and an unknown folder', async () => {
    expect(await codeOf(invokeTool(set, 'rm_rf', {}))).toBe('RTC_NOT_FOUND');
    expect(await codeOf(invokeTool(set, 'index_status', { workspace: 'nowhere' }))).toBe('RTC_NOT_FOUND');
  });

  it('answers every tool over the real index', async () => {
    const context = await invokeTool(set, 'get_context', {
      task: 'apply a discount at checkout',
      budget: 2000,
    });
    expect(context.text).toContain('applyDiscount');
    expect((context.data as { tokens: number }).tokens).toBeLessThanOrEqual(2000);
    const search = await invokeTool(set, 'search', { query: 'discount percent', limit: 5 });
    expect(search.text).toMatch(/discount\.ts/);
    expect((await invokeTool(set, 'find_symbol', { name: 'Checkout' })).text).toMatch(/class Checkout/);
    expect((await invokeTool(set, 'find_references', { name: 'applyDiscount' })).text).toMatch(
      /checkout\.ts/,
    );
    expect((await invokeTool(set, 'get_callers', { name: 'applyDiscount' })).text).toMatch(
      /checkout\.ts:\d+/,
    );
    expect((await invokeTool(set, 'get_callees', { name: 'checkout' })).text).toMatch(/callee/);
    const graph = await invokeTool(set, 'get_graph', { name: 'applyDiscount', depth: 1 });
    expect((graph.data as { nodes: unknown[] }).nodes.length).toBeGreaterThan(1);
    expect((await invokeTool(set, 'find_symbol', { name: 'NoSuchThing' })).text).toMatch(/No symbol/);
    const status = await invokeTool(set, 'index_status', {});
    expect(status.text).toMatch(/ts-shop: version \d+, \d+ files, \d+ nodes/);
  }, 60_000);

  it('re-indexes what changed on disk, and records feedback', async () => {
    writeFileSync(
      join(shop, 'src', 'util', 'strings.ts'),
      'export function shout(s: string): string {\n  return s.toUpperCase();\n}\n',
    );
    const reindex = await invokeTool(set, 'reindex', {});
    expect(reindex.text).toMatch(/added src\/util\/strings\.ts/);
    expect((await invokeTool(set, 'find_symbol', { name: 'shout' })).text).toMatch(/function shout/);
    expect((await invokeTool(set, 'reindex', { paths: ['src/util/strings.ts'] })).text).toMatch(/Up to date/);

    const feedback = await invokeTool(
      set,
      'feedback',
      {
        query: 'shouting',
        items: [
          { path: 'src/util/strings.ts', useful: true },
          { id: 'x', useful: false },
        ],
      },
      { source: 'test' },
    );
    expect(feedback.data).toMatchObject({ recorded: 2, policyVersion: expect.any(Number) as number });
    const records = readFeedback(indexDirOf(shop));
    expect(records.at(-1)).toMatchObject({
      query: 'shouting',
      source: 'test',
      items: [{ useful: true }, { useful: false }],
    });
  }, 60_000);
});
