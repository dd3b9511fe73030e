/**
 * @module test/engine/policy-lock
 * Two processes updating the same policy at once both count (the policy's lock file); a lock left by a dead
 * process is taken over; a lock held too long is passed by with a warning, never a failed update.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy, updateStoredPolicy, updatePolicy } from '../../src/engine/index.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-policy-lock-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const UPDATES = 100;

/** A child process that applies `UPDATES` feedback episodes to the policy of `dir`, from `startAt` on. */
function updater(dir: string, name: string, startAt: number): Promise<unknown> {
  const script = `
    import { updateStoredPolicy, updatePolicy } from ${JSON.stringify(join(ROOT, 'src', 'engine', 'index.ts'))};
    while (Date.now() < ${startAt});
    for (let i = 0; i < ${UPDATES}; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      updateStoredPolicy(${JSON.stringify(dir)}, (policy) =>
        updatePolicy(policy, { source: ${JSON.stringify(name)}, relevant: [{ path: 'src/' + i + '.ts' }] }));
    }
  `;
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
}

describe('the policy lock', () => {
  it('keeps every update of two processes writing at once', async () => {
    const dir = scratch();
    // Both start at the same instant (after loading), so that their updates interleave.
    const startAt = Date.now() + 5000;
    await Promise.all([updater(dir, 'a', startAt), updater(dir, 'b', startAt)]);
    const { policy, stored } = loadPolicy(dir);
    expect(stored).toBe(true);
    expect(policy.episodes).toEqual({ a: UPDATES, b: UPDATES });
    expect(policy.version).toBe(2 * UPDATES);
    expect(existsSync(join(dir, 'policy.json.lock'))).toBe(false);
  }, 60_000);

  it('takes over a lock whose process is gone, and passes one held too long with a warning', () => {
    const dir = scratch();
    const lock = join(dir, 'policy.json.lock');
    const episode = { source: 'test', relevant: [{ path: 'src/a.ts' }] };
    // No process has this pid (above the kernel's limit).
    writeFileSync(lock, '4194305');
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => warnings.push(message),
      error: () => undefined,
    };
    expect(updateStoredPolicy(dir, (p) => updatePolicy(p, episode), logger).version).toBe(1);
    expect(warnings).toEqual([]);
    expect(existsSync(lock)).toBe(false);
    // Held by a live process (this one): the update waits, then goes on without it.
    writeFileSync(lock, String(process.pid));
    expect(updateStoredPolicy(dir, (p) => updatePolicy(p, episode), logger).version).toBe(2);
    expect(warnings).toEqual([expect.stringMatching(/held by another process/)]);
    expect(existsSync(lock)).toBe(true);
  });
});
