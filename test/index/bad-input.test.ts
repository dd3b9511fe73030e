/**
 * @module test/index/bad-input
 * Bad input never crashes or hangs indexing: syntax errors, binary files, invalid UTF-8, a 5 MB minified
 * bundle, an empty file, 10,000 levels of nesting, symlink loops, files that vanish. Each gives a result or
 * diagnostics.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, syntaxTree } from '../../src/engine/index.js';
import { decodeSource, discoverFiles, parseFiles } from '../../src/index/index.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-bad-'));
  writeFileSync(
    join(dir, 'broken.py'),
    'def ok(a):\n    return a\n\ndef broken(:\n    pass\n\nclass Fine:\n    def m(self):\n        return ok(1)\n',
  );
  writeFileSync(
    join(dir, 'binary.js'),
    Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x00, 0x01, 0x02, 0xff, 0x00]),
  );
  writeFileSync(
    join(dir, 'latin1.py'),
    Buffer.concat([Buffer.from('def caf'), Buffer.from([0xe9]), Buffer.from('():\n    return 1\n')]),
  );
  writeFileSync(join(dir, 'empty.ts'), '');
  const deep = `const x = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\nexport function after() { return x; }\n`;
  writeFileSync(join(dir, 'deep.ts'), deep);
  mkdirSync(join(dir, 'loop'));
  writeFileSync(join(dir, 'loop', 'inner.ts'), 'export const inner = 1;\n');
  symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'again'));
  symlinkSync('/', join(dir, 'outside'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Minified-looking JavaScript of about `bytes` bytes, on one line. */
function minifiedBundle(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = `function f${i}(a,b){return a+b*${i}}var v${i}=f${i}(${i},2);`;
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

describe('bad input', () => {
  it('indexes a folder of bad files without crashing, with diagnostics and skip reasons', async () => {
    const workspace = await openWorkspace(dir, { workers: 0 });
    const summary = workspace.summary();
    const skipped = Object.fromEntries(summary.skipped.map((s) => [s.path, s.reason]));
    expect(skipped['binary.js']).toBe('binary');
    expect(skipped['loop/again']).toBe('symlink-loop');
    expect(skipped.outside).toBe('ignored-symlink');
    const codes = workspace.diagnostics.map((d) => `${d.path}:${d.code}`);
    expect(codes).toContain('broken.py:PARSE_SYNTAX_ERROR');
    expect(codes).toContain('latin1.py:INDEX_INVALID_UTF8');
    // The rest of a broken file still yields nodes, and its calls still resolve.
    expect(workspace.resolveSymbol('Fine.m')).toHaveLength(1);
    expect(workspace.callers('ok')[0]?.calls).toHaveLength(1);
    expect(workspace.resolveSymbol('after')).toHaveLength(1);
    // An empty file is a module with nothing in it.
    expect(
      workspace
        .asgData()
        .nodes.filter((n) => n.path === 'empty.ts')
        .map((n) => n.kind),
    ).toEqual(['module']);
    expect(workspace.resolveSymbol('inner').filter((s) => s.kind === 'variable')).toHaveLength(1);
  });

  it('skips a 5 MB minified bundle when indexing, and still shows its syntax tree', async () => {
    const bundleDir = mkdtempSync(join(tmpdir(), 'rtc-bundle-'));
    try {
      const path = join(bundleDir, 'bundle.min.js');
      writeFileSync(path, minifiedBundle(5_000_000));
      writeFileSync(join(bundleDir, 'main.js'), 'export function app() { return 1; }\n');
      const workspace = await openWorkspace(bundleDir, { workers: 0 });
      expect(workspace.summary().skipped).toEqual([
        { path: 'bundle.min.js', reason: 'too-large', detail: expect.stringMatching(/bytes > 1000000/) },
      ]);
      expect(workspace.resolveSymbol('app')).toHaveLength(1);
      const tree = await syntaxTree(path, { format: 'text', maxNodes: 1000 });
      expect(tree.truncated).toBe(true);
      expect(tree.rendered?.split('\n').length).toBeGreaterThan(900);
    } finally {
      rmSync(bundleDir, { recursive: true, force: true });
    }
  });

  it.runIf(process.env.SLOW)(
    'builds the graph of a 5 MB minified bundle when the size limit allows it',
    async () => {
      const path = join(dir, 'bundle.min.js');
      writeFileSync(path, minifiedBundle(5_000_000));
      const [result] = await parseFiles(
        [{ path: 'bundle.min.js', absolutePath: path, language: 'javascript' }],
        { workers: 0 },
      );
      expect(result?.ok).toBe(true);
      if (result?.ok) expect(result.graph.nodes.length).toBeGreaterThan(10_000);
      rmSync(path);
    },
    300_000,
  );

  it('reports a file that vanished between discovery and reading', async () => {
    const path = join(dir, 'gone.ts');
    writeFileSync(path, 'export const a = 1;\n');
    const discovery = await discoverFiles(dir);
    rmSync(path);
    const job = discovery.files.find((f) => f.path === 'gone.ts')!;
    const [result] = await parseFiles([job], { workers: 0 });
    expect(result).toMatchObject({ ok: false, reason: 'unreadable', detail: 'ENOENT' });
  });

  it('shows the syntax tree of deeply nested input, cut at a depth limit', async () => {
    const result = await syntaxTree(join(dir, 'deep.ts'), { format: 'text' });
    expect(result.truncated).toBe(true);
    expect(result.rendered).toContain('truncated');
    const json = await syntaxTree(join(dir, 'deep.ts'), { format: 'json' });
    expect(() => JSON.stringify(json.tree)).not.toThrow();
  });

  it('refuses a binary file in rtc ast with a clear error', async () => {
    await expect(syntaxTree(join(dir, 'binary.js'), { format: 'text' })).rejects.toThrow(/binary file/);
  });

  it('decodes invalid UTF-8 with replacement characters', () => {
    const decoded = decodeSource('x.py', new Uint8Array([0x61, 0xff, 0x62]));
    expect(decoded).toMatchObject({ ok: true, text: 'a\uFFFDb' });
  });
});
