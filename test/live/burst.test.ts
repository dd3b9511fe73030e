/**
 * @module test/live/burst
 * Queries that run without pause during a burst of 1,000 edits never fail and never see a half-applied
 * delta: in the version a reader holds, the marker file's function, its caller in another file and the call
 * edge between them always agree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveWorkspace } from '../../src/engine/index.js';
import type { LiveWorkspace } from '../../src/engine/index.js';

const EDITS = 1000;
let dir: string;
let live: LiveWorkspace;

function marker(n: number): string {
  return `export function version${n}(): number {\n  return ${n};\n}\n\nexport function current(): number {\n  return version${n}();\n}\n`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-burst-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "burst", "type": "module" }\n');
  writeFileSync(join(dir, 'src/marker.ts'), marker(0));
  writeFileSync(
    join(dir, 'src/user.ts'),
    "import { current } from './marker.js';\n\nexport function useMarker(): number {\n  return current() + 1;\n}\n",
  );
  live = await openLiveWorkspace(dir, { workers: 0, flushMs: 50 });
}, 60_000);

afterAll(async () => {
  await live.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a burst of edits', () => {
  it('never fails a query and never shows a half-applied delta', async () => {
    let editing = true;
    const versions = new Set<number>();
    let queries = 0;
    const reader = (async () => {
      while (editing) {
        await live.read(async (workspace, version) => {
          versions.add(version);
          // The version's marker: exactly one versionN, called by `current`, which `useMarker` calls.
          const markers = workspace.symbols('version*').filter((s) => /^version\d+$/.test(s.name));
          expect(markers, `version ${version}`).toHaveLength(1);
          const name = markers[0]!.name;
          const callees = workspace.callees('current').flatMap((c) => c.calls.map((x) => x.callee?.name));
          expect(callees, `version ${version}`).toEqual([name]);
          const callers = workspace.callers('current').flatMap((c) => c.calls.map((x) => x.caller?.name));
          expect(callers).toEqual(['useMarker']);
          const result = await workspace.query(`${name} current`, { recentChanges: [] });
          expect(result.version).toBe(version);
          expect(result.symbols.some((s) => s.name === name)).toBe(true);
          // Whatever the query returned exists in its version.
          for (const symbol of result.symbols)
            expect(
              workspace.resolveSymbol(symbol.qualifiedName).length,
              symbol.qualifiedName,
            ).toBeGreaterThan(0);
        });
        queries++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      for (let n = 1; n <= EDITS; n++) {
        // Each edit arrives as its own event (an editor's change, a watcher's batch): queries run between.
        const delta = await live.update([{ path: 'src/marker.ts', text: marker(n) }]);
        expect(delta?.version).toBe(live.version);
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      editing = false;
      await reader;
    }
    expect(queries).toBeGreaterThan(50);
    expect(versions.size).toBeGreaterThan(20);
    const last = await live.read((w) => w.symbols('version*').map((s) => s.name));
    expect(last).toContain(`version${EDITS}`);
  }, 240_000);
});
