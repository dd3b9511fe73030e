/**
 * @module test/retrieve/query.test
 * Retrieval end to end on a real index of a small repository: the graph search finds code that shares no
 * word with the query (BM25 alone does not), results are repeatable for a seed, and the CLI's `query`
 * (single and batch) and `context` keep their shapes and the budget.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexWorkspace, openIndex } from '../../src/engine/index.js';
import type { Workspace } from '../../src/engine/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'rtc.js');
const run = promisify(execFile);

const FILES: Record<string, string> = {
  'src/config.ts': `import { normalizeSettings } from './settings';
import { readText } from './io';

/** Loads the config file; an empty file must not crash. */
export function loadConfig(path: string) {
  const text = readText(path);
  return normalizeSettings(JSON.parse(text));
}
`,
  // Shares no word with the query: found only by following the call from loadConfig.
  'src/settings.ts': `const DEFAULTS = { retries: 3, verbose: false };

export function normalizeSettings(raw: Record<string, unknown>) {
  return { ...DEFAULTS, ...raw };
}
`,
  'src/io.ts': `import { readFileSync } from 'node:fs';

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
`,
  // Words of the query, in unrelated code: what BM25 ranks.
  'src/cart.ts': `/** An empty cart; a file of items. */
export function emptyCart() { return { items: [] as string[], file: 'cart' }; }
export function cartIsEmpty(cart: { items: string[] }) { return cart.items.length === 0; }
export function crashReport(file: string) { return 'crash in ' + file; }
`,
  'src/render.ts': `export function renderPage(title: string) { return '<h1>' + title + '</h1>'; }
`,
};

const QUERY = 'fix the crash when the config file is empty';

let repo: string;
let workspace: Workspace;
beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'rtc-query-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  await indexWorkspace(repo);
  workspace = await openIndex(repo, { refresh: 'never' });
}, 60_000);
afterAll(async () => {
  await workspace.close();
  rmSync(repo, { recursive: true, force: true });
});

/** Generous time: the iteration budget decides, so results are repeatable. */
const STEADY = { recentChanges: [], timeMs: 60_000, iterations: 400, seed: 3 };

describe('a query over the index', () => {
  it('finds code reachable only through the graph, which BM25 alone misses', async () => {
    const full = await workspace.query(QUERY, STEADY);
    const names = full.symbols.map((s) => s.name);
    expect(names).toContain('loadConfig');
    expect(names).toContain('normalizeSettings');
    const found = full.symbols.find((s) => s.name === 'normalizeSettings')!;
    // Not an entry point: reached along edges (its reason says which).
    expect(found.reason?.path?.length ?? 0).toBeGreaterThan(0);
    expect(found.path).toBe('src/settings.ts');
    expect(found.range.start.line).toBe(2);

    const bm25 = await workspace.query(QUERY, { ...STEADY, strategy: 'bm25' });
    expect(bm25.symbols.map((s) => s.name)).not.toContain('normalizeSettings');
    expect(bm25.files.map((f) => f.path)).not.toContain('src/settings.ts');
    expect(full.files.map((f) => f.path)).toContain('src/settings.ts');
  });

  it('routes the query and is repeatable for a seed', async () => {
    const a = await workspace.query(QUERY, STEADY);
    const b = await workspace.query(QUERY, STEADY);
    expect(a.route).toBe('locate-bug');
    expect(b.symbols).toEqual(a.symbols);
    expect(b.files).toEqual(a.files);
  });

  it('runs the baselines and ablations through the same door', async () => {
    const pagerank = await workspace.query(QUERY, { ...STEADY, strategy: 'pagerank' });
    expect(pagerank.files.length).toBeGreaterThan(0);
    const noMcts = await workspace.query(QUERY, { ...STEADY, mcts: false });
    expect(noMcts.symbols.map((s) => s.name)).not.toContain('normalizeSettings');
    const noSymbol = await workspace.query(QUERY, { ...STEADY, off: ['symbol', 'semantic'] });
    expect(noSymbol.symbols.every((s) => (s.reason?.rewards?.semantic ?? 0) >= 0)).toBe(true);
    const noRouter = await workspace.query(QUERY, { ...STEADY, router: false });
    expect(noRouter.route).toBe('default');
  });

  it('boosts recently changed files', async () => {
    const plain = await workspace.query('render', STEADY);
    const changed = await workspace.query('render', {
      ...STEADY,
      recentChanges: [{ path: 'src/io.ts', weight: 1 }],
    });
    expect(plain.files.map((f) => f.path)).not.toContain('src/io.ts');
    expect(changed.files.map((f) => f.path)).toContain('src/io.ts');
  });

  it('packs a context within its budget, with reasons', async () => {
    for (const budget of [40, 150, 400, 2000]) {
      const context = await workspace.context(QUERY, { ...STEADY, budget });
      expect(context.tokens).toBeLessThanOrEqual(budget);
    }
    const context = await workspace.context(QUERY, { ...STEADY, budget: 2000 });
    expect(context.text).toContain('src/config.ts');
    expect(context.text).toContain('normalizeSettings');
  });
});

describe('rtc query and rtc context', () => {
  it('print the JSON shape of the issue', async () => {
    const { stdout } = await run(process.execPath, [
      BIN,
      'query',
      QUERY,
      '--repo',
      repo,
      '--json',
      '--limit',
      '5',
    ]);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['files', 'route', 'symbols', 'timings', 'version']);
    const symbols = result.symbols as Record<string, unknown>[];
    expect(symbols.length).toBeLessThanOrEqual(5);
    expect(Object.keys(symbols[0]!).sort()).toEqual([
      'kind',
      'name',
      'path',
      'qualifiedName',
      'range',
      'score',
    ]);
    expect((result.files as { path: string }[]).every((f) => !f.path.startsWith('/'))).toBe(true);
  });

  it('answer a batch with one index load, one line per query', async () => {
    const batch = join(repo, 'queries.jsonl');
    writeFileSync(batch, `{"id":"a","query":"${QUERY}"}\n{"id":7,"query":"render the page title"}\n`);
    const { stdout } = await run(process.execPath, [BIN, 'query', '--batch', batch, '--repo', repo]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: unknown; files: unknown[] });
    expect(lines.map((l) => l.id)).toEqual(['a', 7]);
    expect(lines[1]!.files.length).toBeGreaterThan(0);
  });

  it('refuse a bad batch line with its number', async () => {
    const batch = join(repo, 'bad.jsonl');
    writeFileSync(batch, `{"id":"a","query":"x"}\nnot json\n`);
    const failed = await run(process.execPath, [BIN, 'query', '--batch', batch, '--repo', repo]).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain('bad.jsonl:2');
  });

  it('pack a context in the budget given', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      BIN,
      'context',
      QUERY,
      '--repo',
      repo,
      '--budget',
      '300',
    ]);
    expect(stdout).toContain('src/');
    expect(stderr).toMatch(/^\d+ of 300 tokens/);
    const json = JSON.parse(
      (
        await run(process.execPath, [
          BIN,
          'context',
          QUERY,
          '--repo',
          repo,
          '--budget',
          '300',
          '--format',
          'json',
        ])
      ).stdout,
    ) as { tokens: number; items: unknown[] };
    expect(json.tokens).toBeLessThanOrEqual(300);
    expect(json.items.length).toBeGreaterThan(0);
  });
});

describe('vectors, when the configuration asks for them', () => {
  it('are built by the index run and searched by queries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtc-vectors-'));
    try {
      for (const [path, text] of Object.entries(FILES)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      writeFileSync(join(dir, 'rtc.config.json'), JSON.stringify({ embedding: { provider: 'builtin' } }));
      const report = await indexWorkspace(dir);
      expect(report.vectors?.total).toBeGreaterThan(5);
      expect(report.vectors?.search).toBe('exact');
      // Again with nothing changed: nothing embedded again.
      expect((await indexWorkspace(dir)).vectors?.embedded).toBe(0);
      const vectorWorkspace = await openIndex(dir, { refresh: 'never' });
      try {
        const result = await vectorWorkspace.query('page title heading', STEADY);
        const vias = result.symbols.map((s) => s.reason?.entry?.via);
        expect(vias).toContain('vector');
        const without = await vectorWorkspace.query('page title heading', { ...STEADY, vectors: false });
        expect(without.symbols.map((s) => s.reason?.entry?.via)).not.toContain('vector');
      } finally {
        await vectorWorkspace.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('say clearly when the configuration is not valid JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtc-badconfig-'));
    try {
      writeFileSync(join(dir, 'a.ts'), 'export function a() {}\n');
      writeFileSync(join(dir, 'rtc.config.json'), '{ "embedding": ');
      await expect(indexWorkspace(dir)).rejects.toThrow(/rtc.config.json is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
