/**
 * @module test/cli/live
 * `rtc watch` and `rtc changes` as child processes over the built package: the watch prints one JSON line
 * per update after its ready line, `rtc changes` in another process sees the change it applied, and SIGTERM
 * ends the watch with exit code 0 and the index left whole (`rtc stats` reads it, with the new symbol).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'rtc.js');
const run = promisify(execFile);
let dir: string;

async function rtc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-cli-live-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/a.ts'), 'export function alpha(): number {\n  return 1;\n}\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rtc watch and rtc changes', () => {
  it('applies a change, records it, and stops cleanly on SIGTERM', async () => {
    const watch = spawn(process.execPath, [BIN, 'watch', '--repo', dir, '--json', '--debounce', '20'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    watch.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => watch.on('close', done));
    const lines = createInterface({ input: watch.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => {
      const line = await lines.next();
      if (line.done) throw new Error(`rtc watch ended: ${stderr}`);
      return JSON.parse(line.value) as Record<string, unknown>;
    };
    try {
      const ready = await next();
      expect(ready.ready).toBe(true);
      writeFileSync(
        join(dir, 'src/b.ts'),
        "import { alpha } from './a.js';\n\nexport function beta(): number {\n  return alpha() + 1;\n}\n",
      );
      const delta = (await next()) as { version: number; files: { path: string; kind: string }[] };
      expect(delta.version).toBeGreaterThan(ready.version as number);
      expect(delta.files).toEqual([expect.objectContaining({ path: 'src/b.ts', kind: 'added' })]);

      const changes = await rtc('changes', '--repo', dir, '--json', '--since', '1h');
      expect(changes.code).toBe(0);
      const history = JSON.parse(changes.stdout) as {
        changes: { path: string; source: string; version?: number }[];
      };
      expect(history.changes).toContainEqual(
        expect.objectContaining({ path: 'src/b.ts', source: 'live', version: delta.version }),
      );
      // While the watch holds the write lock, other commands read the index it keeps.
      const callers = await rtc('callers', 'alpha', '--repo', dir, '--json');
      expect(callers.stdout).toContain('beta');
    } finally {
      watch.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const stats = await rtc('stats', '--repo', dir, '--json');
    expect(stats.code).toBe(0);
    const symbols = await rtc('symbols', 'beta', '--repo', dir, '--json', '--no-refresh');
    expect(symbols.stdout).toContain('src/b.ts');
    const text = await rtc('changes', '--repo', dir);
    expect(text.stdout).toMatch(/added\s+src\/b\.ts.*\(live v\d+\)/);
  }, 60_000);

  it('rejects a bad --since with a usage error', async () => {
    const bad = await rtc('changes', '--repo', dir, '--since', 'yesterday-ish');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('duration');
  });
});
