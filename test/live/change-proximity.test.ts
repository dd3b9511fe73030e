/**
 * @module test/live/change-proximity
 * End to end: an edit to a file changes the next query's ranking through the change-proximity reward. Two
 * modules are twins (the same code under two folders); once one of them is edited, its function ranks first,
 * and its reason shows the change reward.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveWorkspace } from '../../src/engine/index.js';
import type { LiveWorkspace, QueryResult } from '../../src/engine/index.js';

/** The iteration budget binds, not the clock: the same answer on a loaded machine. */
const DETERMINISTIC = { iterations: 300, timeMs: 60_000 };
let dir: string;
let live: LiveWorkspace;

function twin(greeting: string): string {
  return `/** Reads the settings file and returns its entries. */\nexport function loadSettings(text: string): Map<string, string> {\n  const entries = new Map<string, string>();\n  for (const line of text.split('\\n')) {\n    const [key, value] = line.split('=');\n    if (key && value) entries.set(key.trim(), value.trim());\n  }\n  // ${greeting}\n  return entries;\n}\n`;
}

function rank(result: QueryResult, path: string): number {
  return result.symbols.findIndex((s) => s.path === path && s.name === 'loadSettings');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-change-'));
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
  await live.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('change proximity', () => {
  it('ranks the code just edited first', async () => {
    const query = 'read the settings file entries';
    const before = await live.query(query, DETERMINISTIC);
    expect(rank(before, 'alpha/settings.ts')).toBeGreaterThanOrEqual(0);
    expect(rank(before, 'beta/settings.ts')).toBeGreaterThanOrEqual(0);
    // Committed together: the twins tie on the change reward; whichever ranks second is edited now.
    const second = rank(before, 'alpha/settings.ts') < rank(before, 'beta/settings.ts') ? 'beta' : 'alpha';
    const first = second === 'alpha' ? 'beta' : 'alpha';
    const delta = await live.update([{ path: `${second}/settings.ts`, text: twin('hello, world') }]);
    // The old text was not kept: the lines are those of the declaration whose text changed.
    expect(delta?.files[0]?.lines).toEqual([[1, 9]]);
    const after = await live.query(query, DETERMINISTIC);
    expect(after.version).toBe(delta!.version);
    expect(rank(after, `${second}/settings.ts`)).toBeLessThan(rank(after, `${first}/settings.ts`));
    const edited = after.symbols.find(
      (s) => s.path === `${second}/settings.ts` && s.name === 'loadSettings',
    )!;
    const other = after.symbols.find((s) => s.path === `${first}/settings.ts` && s.name === 'loadSettings')!;
    expect(edited.reason?.rewards?.change ?? 0).toBeGreaterThan(other.reason?.rewards?.change ?? 0);
    // And the same query with the reward switched off does not prefer the edited twin for that reason.
    const off = await live.query(query, { ...DETERMINISTIC, off: ['change'] });
    expect(off.symbols.find((s) => s.path === `${second}/settings.ts`)?.reason?.rewards?.change ?? 0).toBe(0);
  });
});
