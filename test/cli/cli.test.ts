/**
 * @module test/cli/cli
 * The `rtc` executable, spawned as a child process over the built package: help, the seed examples through
 * `rtc ast` and `rtc asg`, the Graph API shape of `rtc graph`, queries, and exit codes.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('indexes into .rtc, says what it did, and finds nothing to do the second time', async () => {
    const first = await rtc('index', '--repo', '.', '--json');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { generation: number; files: { total: number } };
    expect(report.files.total).toBe(2);
    expect(existsSync(join(dir, '.rtc', 'index.mdb'))).toBe(true);
    const again = await rtc('index', '--repo', '.');
    expect(again.stdout).toContain('up to date');
    const stats = JSON.parse((await rtc('stats', '--repo', '.', '--json')).stdout) as {
      index: { generation: number; sizeBytes: number };
      nodesByKind: Record<string, number>;
    };
    expect(stats.index.generation).toBe(report.generation);
    expect(stats.index.sizeBytes).toBeGreaterThan(0);
    expect(stats.nodesByKind.function).toBe(2);
  });

  it('records skipped files with their reason', async () => {
    writeFileSync(join(dir, 'blob.py'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]));
    await rtc('index', '--repo', '.');
    const stats = JSON.parse((await rtc('stats', '--repo', '.', '--json')).stdout) as {
      skipped: { path: string; reason: string }[];
    };
    expect(stats.skipped).toContainEqual(expect.objectContaining({ path: 'blob.py', reason: 'binary' }));
    expect((await rtc('stats', '--repo', '.')).stdout).toContain('blob.py: binary');
  });

  it('refreshes the index before a query, unless told not to', async () => {
    writeFileSync(join(dir, 'more.py'), 'from add import add\n\ndef twice(x):\n    return add(x, x)\n');
    const fresh = await rtc('callers', 'add', '--repo', '.');
    expect(fresh.stdout).toContain('twice');
    writeFileSync(join(dir, 'more.py'), 'def nothing():\n    return 0\n');
    const stale = await rtc('callers', 'add', '--repo', '.', '--no-refresh');
    expect(stale.stdout).toContain('twice');
    const refreshed = await rtc('callers', 'add', '--repo', '.');
    expect(refreshed.stdout).not.toContain('twice');
  });

  it('exports one JSON line per node with its relations', async () => {
    const result = await rtc('export', '--repo', '.', '--format', 'jsonl');
    expect(result.code, result.stderr).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const add = records.find((r) => r.kind === 'function' && r.name === 'add')!;
    expect(Object.keys(add)).toEqual(
      expect.arrayContaining([
        'id',
        'kind',
        'qualifiedName',
        'path',
        'range',
        'snippet',
        'metadata',
        'relations',
      ]),
    );
    expect((add.relations as { kind: string }[]).map((r) => r.kind)).toContain('has_parameter');
    expect((add.incoming as { kind: string }[]).map((r) => r.kind)).toContain('calls');
  });

  it('reads the index as it is, with a warning, while another process writes it', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, '.rtc', 'write.lock'), String(sleeper.pid));
      const result = await rtc('callers', 'add', '--repo', '.');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('add.py:3');
      expect(result.stderr).toContain(`pid ${sleeper.pid}`);
      expect((await rtc('index', '--repo', '.')).code).toBe(4);
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(join(dir, '.rtc', 'write.lock'), { force: true });
    }
  });

  it('says when there is no index to read (exit code 4)', async () => {
    const result = await rtc('callers', 'add', '--repo', '.', '--db', 'nowhere', '--no-refresh');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('rtc index');
  });
});
