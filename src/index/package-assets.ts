/**
 * @module index/package-assets
 * Reads grammars (from the `tree-sitter-wasms` package) and query files (shipped beside the sources, in
 * `src/parse/languages/`) for the parser host. The parse layer itself does no IO.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetLoader, GrammarRef } from '../parse/index.js';

const require = createRequire(import.meta.url);
/** The package root: this file is `src/index/x.ts` or `dist/index/x.js`. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The assets shipped with this package. */
export function packageAssets(): AssetLoader {
  const dirs: Record<GrammarRef['package'], string> = {
    '@vscode/tree-sitter-wasm': join(
      dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')),
      'wasm',
    ),
    'tree-sitter-wasms': join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out'),
  };
  return {
    grammar: async (grammar: GrammarRef) =>
      new Uint8Array(await readFile(join(dirs[grammar.package], `tree-sitter-${grammar.name}.wasm`))),
    queries: (queryDir: string) =>
      readFile(join(PACKAGE_ROOT, 'src', 'parse', 'languages', queryDir, 'queries.scm'), 'utf8'),
  };
}
