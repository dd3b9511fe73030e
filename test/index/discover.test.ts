/**
 * @module test/index/discover
 * File discovery on a real folder: .gitignore at several levels, .rtcignore, .git/info/exclude, default skips,
 * the size limit, and shebang detection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/index/index.js';

let dir: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-discover-'));
  write('.gitignore', 'generated/\n*.gen.ts\n');
  write('.rtcignore', 'legacy/\n');
  write('.git/info/exclude', 'scratch.py\n');
  write('src/app.ts', 'export const a = 1;\n');
  write('src/app.gen.ts', 'export const b = 1;\n');
  write('src/nested/.gitignore', 'local.py\n');
  write('src/nested/local.py', 'x = 1\n');
  write('src/nested/kept.py', 'x = 1\n');
  write('generated/out.ts', 'export const c = 1;\n');
  write('legacy/old.js', 'var d = 1;\n');
  write('scratch.py', 'y = 2\n');
  write('node_modules/pkg/index.js', 'module.exports = 1;\n');
  write('target/debug/build.rs', 'fn main() {}\n');
  write('bin/tool', '#!/usr/bin/env python3\nprint(1)\n');
  write('bin/data', 'not a script\n');
  write('README.md', '# readme\n');
  write('big.py', `x = "${'a'.repeat(2000)}"\n`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('discoverFiles', () => {
  it('honours ignore files and default skips, and detects languages', async () => {
    const discovery = await discoverFiles(dir, { maxFileBytes: 1000 });
    expect(discovery.files.map((f) => `${f.path} ${f.language}`)).toEqual([
      'bin/tool python',
      'src/app.ts typescript',
      'src/nested/kept.py python',
    ]);
    expect(discovery.skipped).toEqual([
      { path: 'big.py', reason: 'too-large', detail: expect.stringMatching(/> 1000/) },
    ]);
  });

  it('keeps only the languages asked for', async () => {
    const discovery = await discoverFiles(dir, { languages: new Set(['python']) });
    expect(discovery.files.map((f) => f.path)).toEqual(['big.py', 'bin/tool', 'src/nested/kept.py']);
  });
});
