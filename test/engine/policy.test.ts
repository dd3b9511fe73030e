/**
 * @module test/engine/policy
 * The retrieval policy over a real index: explicit feedback through the tool catalogue (the MCP and HTTP
 * path) updates it, with the query's ranking when the query was asked; a query reads the newest policy; a
 * corrupt or newer file gives a warning and the default policy (the same ranking as with no file at all),
 * never a failure; writes are atomic and leave no temporary files; export and import round-trip; the task
 * memory brings the files of a past task like the query into the ranking, and feedback remembers tasks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/base/index.js';
import {
  DEFAULT_POLICY,
  importPolicy,
  indexDirOf,
  invokeTool,
  loadPolicy,
  openIndex,
  POLICY_FILE,
  PolicyStore,
  readFeedback,
  resetPolicy,
  WorkspaceSet,
} from '../../src/engine/index.js';
import type { QueryOptions, QueryResult } from '../../src/engine/index.js';
import { fixtureCopy } from '../support/index.js';

const DETERMINISTIC: QueryOptions = { iterations: 300, timeMs: 60_000, recentChanges: [] };
const QUERY = 'apply a discount to the order total';
let copy: ReturnType<typeof fixtureCopy>;
let shop: string;
let dbDir: string;
let set: WorkspaceSet;

function fingerprint(result: QueryResult): unknown {
  return { files: result.files, symbols: result.symbols.map((s) => [s.id, s.score]) };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: () => undefined,
  };
}

beforeAll(async () => {
  copy = fixtureCopy(['ts-shop']);
  shop = join(copy.dir, 'ts-shop');
  dbDir = indexDirOf(shop);
  set = await WorkspaceSet.open([shop], { workers: 0 });
}, 120_000);

afterAll(async () => {
  await set.close();
  copy.remove();
});

describe('explicit feedback', () => {
  it('updates the policy through the feedback tool: values move, the version goes up', async () => {
    const workspace = set.get();
    const result = await workspace.query(QUERY, DETERMINISTIC);
    expect(result.symbols.length).toBeGreaterThan(3);
    const [good, , , bad] = result.symbols;
    const version = workspace.policy.version;
    const output = await invokeTool(
      set,
      'feedback',
      {
        query: QUERY,
        items: [
          { id: good!.id, useful: true },
          { id: bad!.id, useful: false },
          { path: 'src/util/strings.ts', useful: false },
        ],
      },
      { source: 'test' },
    );
    expect(output.data).toMatchObject({ recorded: 3 });
    const policy = loadPolicy(dbDir).policy;
    expect(policy.version).toBe(version + 1);
    expect(policy.episodes.explicit).toBe(1);
    expect(policy.nodes[good!.id]?.value).toBeGreaterThan(0);
    expect(policy.nodes[bad!.id]?.value).toBeLessThan(0);
    // A symbol's file learns too (from the index when the item gives no path).
    expect(policy.files[good!.path]?.value).toBeGreaterThan(0);
    expect(policy.files['src/util/strings.ts']?.value).toBeLessThan(0);
    // The query was asked in this session: its ranking moved the reward weights.
    expect(Object.keys(policy.weights).length).toBeGreaterThan(0);
    expect(readFeedback(dbDir).at(-1)).toMatchObject({ query: QUERY, source: 'test' });

    // The next query reads the new policy: the useful symbol gains, the other loses.
    const after = await workspace.query(QUERY, DETERMINISTIC);
    const score = (r: QueryResult, id: string) => r.symbols.find((s) => s.id === id)?.score ?? 0;
    expect(score(after, good!.id)).toBeGreaterThan(score(result, good!.id));
    expect(score(after, bad!.id)).toBeLessThan(score(result, bad!.id));
    // And the default policy still gives the ranking of before.
    const unlearned = await workspace.query(QUERY, { ...DETERMINISTIC, policy: DEFAULT_POLICY });
    expect(fingerprint(unlearned)).toEqual(fingerprint(result));
  });

  it('moves a value back with contrary feedback (a running mean)', async () => {
    const workspace = set.get();
    const [first] = (await workspace.query(QUERY, DETERMINISTIC)).symbols;
    const before = workspace.policy.nodes[first!.id]?.value ?? 0;
    workspace.feedback({ items: [{ id: first!.id, useful: false }], source: 'test' });
    const after = workspace.policy.nodes[first!.id]!;
    expect(after.value).toBeLessThan(before);
    expect(after.value).toBeGreaterThanOrEqual(-1);
  });
});

describe('the task memory', () => {
  // No word of it is in the code: without a memory, nothing is found.
  const TASK = 'the page flickers when scrolling quickly';
  const rankOf = (result: QueryResult, path: string): number => {
    const at = result.files.findIndex((file) => file.path === path);
    return at < 0 ? Infinity : at;
  };

  it('recalls the files of a past task like the query, through the entry points and the reward', async () => {
    const workspace = set.get();
    const saved = readFileSync(join(dbDir, POLICY_FILE), 'utf8');
    try {
      const before = await workspace.query(TASK, { ...DETERMINISTIC, policy: DEFAULT_POLICY });
      const target = 'src/ui/cart-view.tsx';
      expect(rankOf(before, target)).toBe(Infinity);
      const memory = {
        weight: 1,
        tasks: [
          { terms: ['page', 'flickers', 'scrolling'], files: [target], source: 'history', at: 1 },
          { terms: ['refund', 'receipt', 'wrong'], files: ['src/util/math.ts'], source: 'history', at: 2 },
        ],
      };
      const policy = { ...DEFAULT_POLICY, version: 1, memory };
      const after = await workspace.query(TASK, { ...DETERMINISTIC, policy });
      expect(rankOf(after, target)).toBe(0);
      expect(after.symbols.some((s) => s.path === target && s.reason?.entry?.via === 'memory')).toBe(true);
      // The same memory at weight 0 changes nothing; a query unlike every past task neither.
      const off = await workspace.query(TASK, {
        ...DETERMINISTIC,
        policy: { ...policy, memory: { ...memory, weight: 0 } },
      });
      expect(fingerprint(off)).toEqual(fingerprint(before));
      const other = 'apply a discount to the order total';
      expect(fingerprint(await workspace.query(other, { ...DETERMINISTIC, policy }))).toEqual(
        fingerprint(await workspace.query(other, { ...DETERMINISTIC, policy: DEFAULT_POLICY })),
      );
    } finally {
      importPolicy(dbDir, saved);
    }
  });

  it('remembers the query and the useful files of explicit feedback', async () => {
    await invokeTool(
      set,
      'feedback',
      {
        query: TASK,
        items: [
          { path: 'src/util/math.ts', useful: true },
          { path: 'src/index.ts', useful: false },
        ],
      },
      { source: 'test' },
    );
    const { policy } = loadPolicy(dbDir);
    const task = policy.memory?.tasks.at(-1);
    expect(task).toMatchObject({ files: ['src/util/math.ts'], source: 'explicit' });
    expect(task?.terms).toEqual(['page', 'flickers', 'scrolling', 'quickly']);
    expect(policy.memory?.weight).toBe(1);
  });
});

describe('the policy file', () => {
  it('falls back to the default policy with a warning when the file is corrupt or newer', async () => {
    const saved = readFileSync(join(dbDir, POLICY_FILE), 'utf8');
    const reference = await openIndex(shop, { refresh: 'never' });
    let expected: unknown;
    try {
      expected = fingerprint(await reference.query(QUERY, { ...DETERMINISTIC, policy: DEFAULT_POLICY }));
    } finally {
      await reference.close();
    }
    for (const text of ['{"schema": 1, "version": 3, "nodes": [', '{"schema": 99, "version": 1}', '[]']) {
      writeFileSync(join(dbDir, POLICY_FILE), text);
      const loaded = loadPolicy(dbDir);
      expect(loaded.warning).toMatch(/policy\.json is unusable.*using the default policy/);
      expect(loaded.policy).toEqual(DEFAULT_POLICY);
      const logger = recordingLogger();
      const workspace = await openIndex(shop, { refresh: 'never', logger });
      try {
        expect(fingerprint(await workspace.query(QUERY, DETERMINISTIC))).toEqual(expected);
        await workspace.query(QUERY, DETERMINISTIC);
      } finally {
        await workspace.close();
      }
      // Once per state of the file.
      expect(logger.warnings).toHaveLength(1);
    }
    expect(loadPolicy(dbDir).warning).toMatch(/Not a retrieval policy/);
    writeFileSync(join(dbDir, POLICY_FILE), '{"schema": 99, "version": 1}');
    expect(loadPolicy(dbDir).warning).toMatch(/newer version \(schema 99/);
    // An update over a corrupt file starts afresh; the live workspace warns and goes on.
    writeFileSync(join(dbDir, POLICY_FILE), 'garbage');
    const [first] = (await set.get().query(QUERY, DETERMINISTIC)).symbols;
    set.get().feedback({ items: [{ id: first!.id, useful: true }], source: 'test' });
    expect(loadPolicy(dbDir).policy.version).toBe(1);
    importPolicy(dbDir, saved);
  });

  it('is read again when it changes, and written atomically', () => {
    const store = new PolicyStore(dbDir);
    const current = store.current();
    expect(current?.version).toBe(loadPolicy(dbDir).policy.version);
    expect(store.current()).toBe(current);
    const exported = readFileSync(join(dbDir, POLICY_FILE), 'utf8');
    const reset = resetPolicy(dbDir);
    expect(reset.version).toBe(current!.version + 1);
    expect(store.current()).toBeUndefined();
    expect(store.version).toBe(reset.version);
    const imported = importPolicy(dbDir, exported);
    expect(imported.version).toBe(reset.version + 1);
    expect(imported.nodes).toEqual(current!.nodes);
    expect(store.current()?.version).toBe(imported.version);
    expect(readdirSync(dbDir).filter((name) => name.includes('.tmp'))).toEqual([]);
    expect(() => importPolicy(dbDir, '{"schema": 1}')).toThrow(/"version" must be/);
    expect(() => importPolicy(dbDir, 'nope')).toThrow(/invalid JSON/);
  });
});
