/**
 * @module test/engine/policy
 * The retrieval policy over a real index: explicit feedback through the tool catalogue (the MCP and HTTP
 * path) updates it, with the query's ranking when the query was asked; a query reads the newest policy; a
 * corrupt or newer file gives a warning and the default policy (the same ranking as with no file at all),
 * never a failure; writes are atomic and leave no temporary files; export and import round-trip.
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
