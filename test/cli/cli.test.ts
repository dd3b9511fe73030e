/**
 * @module test/cli/cli
 * The `rtc` executable, spawned as a child process over the built package: help, the seed examples through
 * `rtc ast` and `rtc asg`, the Graph API shape of `rtc graph`, queries, and exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'rtc.js');
const run = promisify(execFile);
let dir: string;

async function rtc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-cli-'));
  writeFileSync(join(dir, 'add.py'), 'def add(a, b):\n    return a + b\nc = add(1, 2)\n');
  writeFileSync(join(dir, 'foo.py'), 'def foo(x):\n    y = x + 1\n    print(y)\nfoo(5)\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rtc', () => {
  it('explains itself', async () => {
    const help = await rtc('--help');
    expect(help.code).toBe(0);
    for (const command of ['ast', 'asg', 'graph', 'symbols', 'refs', 'callers', 'callees', 'stats'])
      expect(help.stdout).toContain(command);
    const graphHelp = await rtc('graph', '--help');
    expect(graphHelp.stdout).toContain('--symbol');
    expect(graphHelp.stdout).toContain('--depth');
  });

  it('prints the syntax tree of the seed example with field names, as JSON and as Mermaid', async () => {
    const text = await rtc('ast', 'add.py');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('function_definition');
    expect(text.stdout).toContain('name: identifier "add"');
    expect(text.stdout).toContain('parameters: parameters');
    const json = JSON.parse((await rtc('ast', 'add.py', '--format', 'json')).stdout) as {
      tree: { type: string };
    };
    expect(json.tree.type).toBe('module');
    const mermaid = await rtc('ast', 'foo.py', '--format', 'mermaid');
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(mermaid.stdout).toContain('-->|name|');
  });

  it('renders the ASG of both seed examples as Mermaid', async () => {
    const add = await rtc('asg', 'add.py', '--format', 'mermaid');
    expect(add.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(add.stdout).toContain('"Function: add"');
    expect(add.stdout).toContain('|has_parameter|');
    expect(add.stdout).toContain('==>|data_flow|');
    const foo = await rtc('asg', 'foo.py', '--format', 'mermaid');
    expect(foo.stdout).toContain('"Variable: y"');
    expect(foo.stdout).toContain('|calls|');
  });

  it('prints a symbol neighbourhood in the Graph API shape', async () => {
    const result = await rtc('graph', '.', '--symbol', 'add', '--depth', '1');
    expect(result.code).toBe(0);
    const graph = JSON.parse(result.stdout) as {
      nodes: Record<string, unknown>[];
      edges: Record<string, unknown>[];
    };
    expect(Object.keys(graph.nodes[0]!).sort()).toEqual([
      'id',
      'kind',
      'name',
      'path',
      'qualifiedName',
      'range',
    ]);
    expect(graph.nodes.map((n) => `${String(n.kind)} ${String(n.qualifiedName)}`)).toEqual(
      expect.arrayContaining(['function add', 'parameter add.a', 'parameter add.b']),
    );
    expect(
      graph.edges.every(
        (e) => typeof e.source === 'string' && typeof e.target === 'string' && typeof e.kind === 'string',
      ),
    ).toBe(true);
  });

  it('answers callers, callees and symbol queries, with --json', async () => {
    const callers = await rtc('callers', 'add', '--repo', '.');
    expect(callers.stdout).toContain('add.py:3');
    const callees = JSON.parse((await rtc('callees', 'foo', '--repo', '.', '--json')).stdout) as {
      calls: { calleeText: string }[];
    }[];
    expect(callees[0]!.calls.map((c) => c.calleeText)).toEqual(['print']);
    const symbols = await rtc('symbols', 'a*', '--kind', 'function', '--repo', '.');
    expect(symbols.stdout).toMatch(/function\s+add/);
    const stats = JSON.parse((await rtc('stats', '.', '--json')).stdout) as {
      files: number;
      resolution: { calls: { resolved: number } };
    };
    expect(stats.files).toBe(2);
    expect(stats.resolution.calls.resolved).toBe(2);
  });

  it('exits with meaningful codes', async () => {
    expect((await rtc('callers', 'nothingLikeThis', '--repo', '.')).code).toBe(3);
    expect((await rtc('ast', 'missing.py')).code).toBe(3);
    expect((await rtc('graph', '--no-such-flag')).code).toBe(2);
    const missing = await rtc('ast', 'missing.py');
    expect(missing.stderr).toContain('missing.py');
  });
});
