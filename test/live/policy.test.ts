/**
 * @module test/live/policy
 * End to end: the retrieval policy learns from edits and lasts. Two modules are twins (the same code under
 * two folders); after a query, one of them is edited (a word of a comment replaced by another: the lexical
 * scores stay equal), which is implicit positive feedback; with change proximity switched off, the next
 * query ranks the edited twin first because of the policy alone (the same query with the default policy
 * does not). When the session closes, the untouched results become weak negatives. The policy then
 * survives a restart and a full re-index from scratch: node ids are stable, so it still applies.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  indexDirOf,
  indexWorkspace,
  loadPolicy,
  openIndex,
  openLiveWorkspace,
  POLICY_FILE,
  readFeedback,
} from '../../src/engine/index.js';
import type { LiveWorkspace, QueryOptions, QueryResult } from '../../src/engine/index.js';

/** The iteration budget binds, not the clock; change proximity off: the edit's only effect is the policy. */
const OPTIONS: QueryOptions = { iterations: 300, timeMs: 60_000, off: ['change'] };
const QUERY = 'read the settings file entries';
let dir: string;
let live: LiveWorkspace | undefined;
/** The twin edited, the other, and the id of the edited twin's function. */
let edited = '';
let other = '';
let editedId = '';

function twin(word: string): string {
  return `/** Reads the settings file and returns its entries. */\nexport function loadSettings(text: string): Map<string, string> {\n  const entries = new Map<string, string>();\n  for (const line of text.split('\\n')) {\n    const [key, value] = line.split('=');\n    if (key && value) entries.set(key.trim(), value.trim());\n  }\n  // ${word}\n  return entries;\n}\n`;
}

function find(result: QueryResult, folder: string) {
  const index = result.symbols.findIndex(
    (s) => s.path === `${folder}/settings.ts` && s.name === 'loadSettings',
  );
  return { rank: index, symbol: result.symbols[index] };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-policy-'));
  for (const folder of ['alpha', 'beta']) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, 'settings.ts'), twin('hello'));
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'twins');
  live = await openLiveWorkspace(dir, { workers: 0 });
}, 60_000);

afterAll(async () => {
  await live?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the retrieval policy', () => {
  it('learns from an edit after a query, and the next query ranks the edited code higher', async () => {
    const workspace = live!;
    expect(workspace.policy.version).toBe(0);
    const before = await workspace.query(QUERY, OPTIONS);
    const alpha = find(before, 'alpha');
    const beta = find(before, 'beta');
    expect(alpha.rank).toBeGreaterThanOrEqual(0);
    expect(beta.rank).toBeGreaterThanOrEqual(0);
    // The twins (nearly) tie; whichever ranks second is edited.
    edited = alpha.rank < beta.rank ? 'beta' : 'alpha';
    other = edited === 'alpha' ? 'beta' : 'alpha';
    editedId = find(before, edited).symbol!.id;

    await workspace.update([{ path: `${edited}/settings.ts`, text: twin('howdy') }]);

    // The edit touched a result of the query: a positive for the function and its file.
    const policy = workspace.policy;
    expect(policy.version).toBeGreaterThan(0);
    expect(policy.episodes.implicit).toBeGreaterThanOrEqual(1);
    expect(policy.nodes[editedId]?.value).toBeGreaterThan(0);
    expect(policy.files[`${edited}/settings.ts`]?.value).toBeGreaterThan(0);
    expect(policy.nodes[find(before, other).symbol!.id]).toBeUndefined();
    const log = readFeedback(workspace.dbDir).filter((r) => r.source === 'implicit');
    expect(log.at(-1)?.items).toContainEqual({ id: editedId, path: `${edited}/settings.ts`, useful: true });

    const after = await workspace.query(QUERY, OPTIONS);
    expect(find(after, edited).rank).toBeLessThan(find(after, other).rank);
    expect(find(after, edited).symbol!.score).toBeGreaterThan(find(after, other).symbol!.score);
    // The same query without the policy ranks as before the edit (which changed no lexical score).
    const unlearned = await workspace.query(QUERY, { ...OPTIONS, policy: DEFAULT_POLICY });
    expect(find(unlearned, edited).rank).toBeGreaterThan(find(unlearned, other).rank);
    expect(unlearned.symbols.map((s) => [s.id, s.score])).toEqual(before.symbols.map((s) => [s.id, s.score]));
  });

  it('turns the untouched results into weak negatives when the session ends', async () => {
    const version = live!.policy.version;
    await live!.close();
    live = undefined;
    const { policy } = loadPolicy(indexDirOf(dir));
    expect(policy.version).toBeGreaterThan(version);
    const otherFile = policy.files[`${other}/settings.ts`];
    expect(otherFile?.value).toBeLessThan(0);
    // Weak: less evidence than the positive.
    expect(otherFile!.count).toBeLessThan(policy.files[`${edited}/settings.ts`]!.count);
    expect(policy.nodes[editedId]!.value).toBeGreaterThan(0);
    const negatives = readFeedback(indexDirOf(dir)).filter(
      (r) => r.source === 'implicit' && r.items.some((item) => !item.useful),
    );
    expect(negatives.length).toBeGreaterThan(0);
  });

  it('survives a restart and a re-index from scratch (node ids are stable)', async () => {
    const dbDir = indexDirOf(dir);
    const stored = loadPolicy(dbDir).policy;
    // Everything but the policy and the feedback log goes: the graph is built again from the files.
    for (const name of readdirSync(dbDir))
      if (name !== POLICY_FILE && name !== 'feedback.jsonl') rmSync(join(dbDir, name), { recursive: true });
    await indexWorkspace(dir, { workers: 0, full: true });
    const workspace = await openIndex(dir, { refresh: 'never' });
    try {
      expect(workspace.graphReader.node(editedId)?.path).toBe(`${edited}/settings.ts`);
      const learned = await workspace.query(QUERY, OPTIONS);
      expect(find(learned, edited).rank).toBeLessThan(find(learned, other).rank);
      const unlearned = await workspace.query(QUERY, { ...OPTIONS, policy: DEFAULT_POLICY });
      expect(find(unlearned, edited).rank).toBeGreaterThan(find(unlearned, other).rank);
    } finally {
      await workspace.close();
    }
    // A new live session reads the same policy, and it still applies.
    live = await openLiveWorkspace(dir, { workers: 0 });
    expect(live.policy.version).toBe(stored.version);
    expect(live.policy.nodes[editedId]).toEqual(stored.nodes[editedId]);
    const again = await live.query(QUERY, OPTIONS);
    expect(find(again, edited).rank).toBeLessThan(find(again, other).rank);
  });
});
