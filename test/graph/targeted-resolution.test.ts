/**
 * @module test/graph/targeted-resolution
 * Re-resolving only some files (what a re-index does) gives those files exactly the edges and counts that
 * a full resolution gives them, on every fixture repository.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWorkspace } from '../../src/graph/index.js';
import { buildWorkspaceGraph } from '../../src/index/index.js';

const REPOS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');
const repos = readdirSync(REPOS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name);

describe.each(repos)('targeted resolution of %s', (repo) => {
  it('equals the full resolution, file by file', async () => {
    const { fileGraphs, config } = await buildWorkspaceGraph(join(REPOS, repo), { workers: 0 });
    const full = resolveWorkspace(fileGraphs, config);
    expect(full.byFile.size).toBe(fileGraphs.length);
    for (const file of fileGraphs) {
      const one = resolveWorkspace(fileGraphs, config, { targets: new Set([file.path]) });
      expect([...one.byFile.keys()]).toEqual([file.path]);
      expect(one.byFile.get(file.path), file.path).toEqual(full.byFile.get(file.path));
    }
  });
});
