/**
 * @module test/cli/policy
 * `rtc feedback` and `rtc policy show|export|reset|import` as child processes over the built package:
 * feedback by file, by symbol name and by id moves the policy; show prints it (text and JSON); export and
 * import round-trip it through a file and standard output; reset forgets it; a corrupt file is a warning
 * and the default policy; bad input gives the usage and not-found exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'rtc.js');
const run = promisify(execFile);
let dir: string;

interface Policy {
  version: number;
  nodes: Record<string, { value: number; count: number }>;
  files: Record<string, { value: number; count: number }>;
  episodes: Record<string, number>;
}

async function rtc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--repo', dir], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function policy(): Promise<Policy> {
  const shown = await rtc('policy', 'show', '--json');
  expect(shown.code).toBe(0);
  return JSON.parse(shown.stdout) as Policy;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-cli-policy-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/a.ts'), 'export function alpha(): number {\n  return 1;\n}\n');
  writeFileSync(
    join(dir, 'src/b.ts'),
    "import { alpha } from './a.js';\n\nexport function beta(): number {\n  return alpha() + 1;\n}\n",
  );
  expect((await rtc('index')).code).toBe(0);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rtc feedback and rtc policy', () => {
  it('starts with the default policy', async () => {
    const shown = await rtc('policy', 'show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('policy version 0');
    expect(shown.stdout).toContain('node values: 0');
    expect(shown.stdout).toContain('task memory: none');
    expect((await policy()).version).toBe(0);
  });

  it('learns from feedback by file, symbol name and id', async () => {
    const given = await rtc(
      'feedback',
      '--query',
      'add one',
      '--useful',
      'beta',
      'src/b.ts',
      '--not-useful',
      'src/a.ts',
      '--json',
    );
    expect(given.code).toBe(0);
    const output = JSON.parse(given.stdout) as {
      recorded: number;
      version: number;
      items: { id?: string }[];
    };
    expect(output).toMatchObject({ recorded: 3, version: 1 });
    const betaId = output.items[0]!.id!;
    let learned = await policy();
    expect(learned.version).toBe(1);
    expect(learned.episodes).toEqual({ explicit: 1 });
    expect(learned.nodes[betaId]!.value).toBeGreaterThan(0);
    expect(learned.files['src/b.ts']!.value).toBeGreaterThan(0);
    expect(learned.files['src/a.ts']!.value).toBeLessThan(0);
    // By id, the other way.
    expect((await rtc('feedback', '--not-useful', betaId)).stdout).toContain('policy version 2');
    learned = await policy();
    expect(learned.nodes[betaId]!.value).toBeLessThan(1);
    const text = (await rtc('policy', 'show')).stdout;
    expect(text).toContain('policy version 2');
    expect(text).toContain(`src/b.ts beta  [${betaId}]`);
    // The query and its useful files are remembered as a past task.
    expect(text).toContain('task memory: 1 past tasks (explicit 1), weight 1');
    const log = readFileSync(join(dir, '.rtc', 'feedback.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(log[0]!)).toMatchObject({ query: 'add one', source: 'cli' });
  });

  it('exports, resets and imports', async () => {
    const exported = await rtc('policy', 'export');
    expect(exported.code).toBe(0);
    const saved = JSON.parse(exported.stdout) as Policy;
    expect(saved.version).toBe(2);
    const file = join(dir, 'saved-policy.json');
    expect((await rtc('policy', 'export', file)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved);

    const reset = await rtc('policy', 'reset');
    expect(reset.stdout).toContain('Policy reset (version 3)');
    expect(await policy()).toMatchObject({ version: 3, nodes: {}, files: {} });

    const imported = await rtc('policy', 'import', file, '--json');
    expect(imported.code).toBe(0);
    const back = await policy();
    expect(back.version).toBe(4);
    expect(back.nodes).toEqual(saved.nodes);
    expect(back.files).toEqual(saved.files);
  });

  it('warns about a corrupt policy and uses the default one', async () => {
    writeFileSync(join(dir, '.rtc', 'policy.json'), '{"schema": 1, "version": ');
    const shown = await rtc('policy', 'show', '--json');
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(/warning: .*policy\.json is unusable.*using the default policy/);
    expect(JSON.parse(shown.stdout)).toMatchObject({ version: 0, nodes: {} });
    // Queries go on.
    expect((await rtc('query', 'alpha')).code).toBe(0);
    // Feedback starts a fresh policy.
    expect((await rtc('feedback', '--useful', 'src/a.ts')).code).toBe(0);
    expect((await policy()).version).toBe(1);
  });

  it('refuses bad input', async () => {
    expect((await rtc('feedback')).code).toBe(2);
    expect((await rtc('feedback', '--useful', 'src/nowhere.ts')).code).toBe(3);
    const notPolicy = join(dir, 'not-policy.json');
    writeFileSync(notPolicy, '{"schema": 99, "version": 1}');
    const refused = await rtc('policy', 'import', notPolicy);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('newer version');
    expect((await rtc('policy', 'import', join(dir, 'missing.json'))).code).toBe(3);
  });
});
