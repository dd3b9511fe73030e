/**
 * @module test/fixtures
 * Golden ASG snapshots of the fixture mini-repositories (fixtures/repos/<name>/, real projects with real
 * manifests), indexed through the real pipeline. Each source file has an annotated golden under
 * fixtures/expect/<name>/ that a reviewer can read; update with `vitest -u` and review the diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../src/engine/index.js';
import { renderGolden } from './support/golden.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures');
const repos = readdirSync(join(ROOT, 'repos'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name);

describe.each(repos)('fixture %s', (repo) => {
  it('matches its golden ASG snapshots', async () => {
    const dir = join(ROOT, 'repos', repo);
    const workspace = await openWorkspace(dir, { workers: 0 });
    const summary = workspace.summary();
    expect(summary.files).toBeGreaterThan(0);
    const files = new Map(
      workspace
        .asgData()
        .nodes.filter((n) => n.kind === 'module')
        .map((n) => [n.path, n]),
    );
    for (const file of files.values()) {
      const text = readFileSync(join(dir, file.path), 'utf8');
      const golden = renderGolden(workspace.asg, file.path, text, file.language ?? '');
      await expect(golden).toMatchFileSnapshot(join(ROOT, 'expect', repo, file.path));
    }
  });
});
