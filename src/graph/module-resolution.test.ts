/**
 * @module graph/module-resolution.test
 * Import specifiers to files, per language, on a set of paths and a project configuration.
 */
import { describe, expect, it } from 'vitest';
import { ModuleResolver } from './module-resolution.js';
import { emptyProjectConfig } from './project-config.js';
import type { ProjectConfig } from './project-config.js';

function resolver(
  paths: string[],
  config: Partial<ProjectConfig> = {},
  packages: Record<string, string> = {},
): ModuleResolver {
  const files = paths.map((path) => ({
    path,
    language: path.endsWith('.py')
      ? 'python'
      : path.endsWith('.rs')
        ? 'rust'
        : path.endsWith('.go')
          ? 'go'
          : path.endsWith('.java')
            ? 'java'
            : 'typescript',
    ...(packages[path] ? { packageName: packages[path] } : {}),
  }));
  return new ModuleResolver(files, { ...emptyProjectConfig(), ...config });
}

describe('module resolution', () => {
  it('resolves TypeScript relative paths, .js to .ts, index files, tsconfig paths and workspace packages', () => {
    const r = resolver(
      [
        'src/a.ts',
        'src/b/index.ts',
        'src/c.tsx',
        'src/util/math.ts',
        'packages/core/src/index.ts',
        'packages/core/src/deep/x.ts',
        'lib/base.ts',
      ],
      {
        tsconfigs: [{ dir: '', baseUrl: 'lib', paths: { '@util/*': ['../src/util/*'] } }],
        packages: [{ name: '@acme/core', dir: 'packages/core', entry: 'dist/index.js' }],
      },
    );
    expect(r.resolve('src/a.ts', 'typescript', './b').files).toEqual(['src/b/index.ts']);
    expect(r.resolve('src/a.ts', 'typescript', './c.js').files).toEqual(['src/c.tsx']);
    expect(r.resolve('src/b/index.ts', 'typescript', '../a.js').files).toEqual(['src/a.ts']);
    expect(r.resolve('src/a.ts', 'typescript', '@util/math').files).toEqual(['src/util/math.ts']);
    expect(r.resolve('src/a.ts', 'typescript', 'base').files).toEqual(['lib/base.ts']);
    expect(r.resolve('src/a.ts', 'typescript', '@acme/core').files).toEqual(['packages/core/src/index.ts']);
    expect(r.resolve('src/a.ts', 'typescript', '@acme/core/deep/x').files).toEqual([
      'packages/core/src/deep/x.ts',
    ]);
    expect(r.resolve('src/a.ts', 'typescript', 'react').files).toEqual([]);
  });

  it('resolves Python absolute and relative imports, packages and src layouts', () => {
    const r = resolver(
      [
        'src/pkg/__init__.py',
        'src/pkg/a.py',
        'src/pkg/sub/__init__.py',
        'src/pkg/sub/b.py',
        'tests/test_a.py',
      ],
      {
        pythonRoots: ['', 'src'],
      },
    );
    expect(r.resolve('tests/test_a.py', 'python', 'pkg.a').files).toEqual(['src/pkg/a.py']);
    expect(r.resolve('tests/test_a.py', 'python', 'pkg').files).toEqual(['src/pkg/__init__.py']);
    expect(r.resolve('src/pkg/sub/b.py', 'python', '..a').files).toEqual(['src/pkg/a.py']);
    expect(r.resolve('src/pkg/sub/b.py', 'python', '.').files).toEqual(['src/pkg/sub/__init__.py']);
    expect(r.resolve('src/pkg/a.py', 'python', 'os.path').files).toEqual([]);
  });

  it('resolves Rust crate, self, super and child module paths, leaving item names over', () => {
    const r = resolver(['src/lib.rs', 'src/ledger/mod.rs', 'src/ledger/entry.rs', 'src/util.rs'], {
      rustCrates: [{ dir: '', name: 'tally', roots: ['src/lib.rs', 'src/main.rs'] }],
    });
    expect(r.resolve('src/lib.rs', 'rust', 'crate::ledger::entry')).toEqual({
      files: ['src/ledger/entry.rs'],
      rest: [],
    });
    expect(r.resolve('src/ledger/entry.rs', 'rust', 'super::Ledger')).toEqual({
      files: ['src/ledger/mod.rs'],
      rest: ['Ledger'],
    });
    expect(r.resolve('src/ledger/mod.rs', 'rust', 'entry::Entry')).toEqual({
      files: ['src/ledger/entry.rs'],
      rest: ['Entry'],
    });
    expect(r.resolve('src/ledger/mod.rs', 'rust', 'crate::util::round')).toEqual({
      files: ['src/util.rs'],
      rest: ['round'],
    });
    expect(r.resolve('src/lib.rs', 'rust', 'std::collections').files).toEqual([]);
  });

  it('resolves Go packages of the module and Java packages', () => {
    const r = resolver(
      [
        'internal/store/store.go',
        'internal/store/item.go',
        'internal/store/store_test.go',
        'src/main/java/com/x/A.java',
      ],
      { goModules: [{ dir: '', module: 'example.com/app' }] },
      { 'src/main/java/com/x/A.java': 'com.x' },
    );
    expect(r.resolve('main.go', 'go', 'example.com/app/internal/store').files.sort()).toEqual([
      'internal/store/item.go',
      'internal/store/store.go',
    ]);
    expect(r.resolve('main.go', 'go', 'net/http').files).toEqual([]);
    expect(r.resolve('B.java', 'java', 'com.x').files).toEqual(['src/main/java/com/x/A.java']);
    expect(r.resolve('B.java', 'java', 'com.x.A')).toEqual({
      files: ['src/main/java/com/x/A.java'],
      rest: ['A'],
    });
  });
});
