/**
 * @module test/eval/instances
 * Localization instances from a real git history: which commits make instances and why the others do not,
 * the gold files, the recent changes known at the parent, and the pieces (message and path filters, diff
 * hunks, gold functions from symbol ranges).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  goldFunctionsOf,
  isDescriptiveMessage,
  isGoldSourcePath,
  listCandidates,
  openRepository,
  parseOldSideLines,
  queryText,
} from '../../src/engine/eval/index.js';
import type { GraphNode } from '../../src/engine/index.js';
import { createHistoryRepo } from './history-repo.js';
import type { HistoryRepo } from './history-repo.js';

let repo: HistoryRepo;

beforeAll(() => {
  repo = createHistoryRepo();
});

afterAll(() => {
  rmSync(repo.dir, { recursive: true, force: true });
});

describe('listCandidates', () => {
  it('keeps the descriptive commits that modify source files, oldest first, and counts the others', async () => {
    const list = await listCandidates(await openRepository(repo.dir));
    expect(list.commitsScanned).toBe(9);
    expect(list.candidates.map((c) => c.commit)).toEqual([
      repo.commits.negative,
      repo.commits.tokens,
      repo.commits.normalize,
    ]);
    expect(list.skipped).toEqual({ root: 1, merge: 1, message: 2, 'no-source-files': 2 });
    const [negative, tokens, normalize] = list.candidates;
    // README.md changed too, but is no source file.
    expect(negative!.goldFiles).toEqual(['src/calc.ts']);
    expect(negative!.changedFiles).toBe(2);
    expect(negative!.parent).toBe(repo.commits.initial);
    expect(tokens!.goldFiles).toEqual(['app/util.py', 'src/parser.ts']);
    expect(normalize!.goldFiles).toEqual(['app/util.py']);
    expect(normalize!.parent).toBe(repo.commits.config);
  });

  it('asks the subject and body, without trailers', async () => {
    const list = await listCandidates(await openRepository(repo.dir));
    const negative = list.candidates[0]!;
    expect(negative.subject).toBe('Handle negative numbers when adding in the calculator');
    expect(negative.query).toBe(
      'Handle negative numbers when adding in the calculator\n\nBoth operands negative: add the magnitudes.',
    );
  });

  it('records the files changed up to and including the parent, weighted by recency', async () => {
    const list = await listCandidates(await openRepository(repo.dir));
    const tokens = list.candidates.find((c) => c.commit === repo.commits.tokens)!;
    const weights = Object.fromEntries(tokens.recentChanges.map((c) => [c.path, c.weight]));
    // The parent (the version bump) weighs 1, the commits before it less and less; README.md is no source.
    expect(weights['src/version.ts']).toBe(1);
    expect(weights['test/parser.test.ts']).toBeCloseTo(0.6);
    expect(weights['src/calc.ts']).toBeCloseTo(0.36);
    expect(weights['src/parser.ts']).toBeCloseTo(0.216);
    expect(weights['README.md']).toBeUndefined();
    // Nothing from the answer or after it.
    const negative = list.candidates.find((c) => c.commit === repo.commits.negative)!;
    expect(negative.recentChanges.every((c) => c.weight === 1)).toBe(true);
    expect(negative.recentChanges.map((c) => c.path).sort()).toEqual([
      'app/util.py',
      'src/calc.ts',
      'src/parser.ts',
      'src/version.ts',
      'test/parser.test.ts',
    ]);
  });

  it('reads a range, a revision with a limit, and no history when asked', async () => {
    const git = await openRepository(repo.dir);
    const range = await listCandidates(git, { range: `${repo.commits.negative}..${repo.commits.typo}` });
    expect(range.candidates.map((c) => c.commit)).toEqual([repo.commits.tokens]);
    expect(range.commitsScanned).toBe(4);
    const limited = await listCandidates(git, { rev: repo.commits.tokens, maxCommits: 2 });
    expect(limited.candidates.map((c) => c.commit)).toEqual([repo.commits.tokens]);
    const newest = await listCandidates(git, { maxInstances: 1, history: false });
    expect(newest.candidates.map((c) => c.commit)).toEqual([repo.commits.normalize]);
    expect(newest.skipped['over-limit']).toBe(2);
    expect(newest.candidates[0]!.recentChanges).toEqual([]);
    const few = await listCandidates(git, { maxGold: 1 });
    expect(few.candidates.map((c) => c.commit)).toEqual([repo.commits.negative, repo.commits.normalize]);
    await expect(listCandidates(git, { range: '--output=x' })).rejects.toThrow(/Not a revision/);
    await expect(listCandidates(git, { range: 'nope..main' })).rejects.toThrow(/git log/);
  });

  it('reads a bare repository the same way', async () => {
    const { execFileSync } = await import('node:child_process');
    const bare = `${repo.dir}-bare.git`;
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
    try {
      const git = await openRepository(bare);
      expect(git.bare).toBe(true);
      const list = await listCandidates(git);
      expect(list.candidates.map((c) => c.commit)).toEqual([
        repo.commits.negative,
        repo.commits.tokens,
        repo.commits.normalize,
      ]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('message and path filters', () => {
  it.each([
    ['Handle negative numbers when adding in the calculator', true],
    ['fix(parser): handle empty input', true],
    ['Fix parser crash', true],
    ['Fix CI', false],
    ['Add `init` hook (#841)', true],
    ['Merge `searchParams` with input URL (#840)', true],
    ['Bump version to 1.1.0', false],
    ['v2.3.1', false],
    ['chore(release): 4.0.0', false],
    ['chore(deps): update dependency typescript to v5', false],
    ['Bump lodash from 4.17.20 to 4.17.21', false],
    ['Merge pull request #12 from user/branch', false],
    ['Revert "Add the cache layer to the resolver"', false],
    ['style: run the formatter over the whole source tree', false],
    ['Fix a typo in the calculator comments of the module', false],
    ['Release 1.2.0 with the new parser and bug fixes', false],
    ['Split tokens on any whitespace in the parser', true],
    ['Fix date formatting in the request logger', true],
    ['Fix formatting of the source files', false],
    ['Remove trailing whitespace everywhere in src', false],
  ])('%s: descriptive %s', (subject, expected) => {
    expect(isDescriptiveMessage(subject)).toBe(expected);
  });

  it.each([
    ['src/calc.ts', true],
    ['app/util.py', true],
    ['lib/deep/module.go', true],
    ['test/parser.test.ts', false],
    ['src/__tests__/calc.ts', false],
    ['src/calc.spec.ts', false],
    ['pkg/server_test.go', false],
    ['tests/helpers.py', false],
    ['app/test_util.py', false],
    ['app/util_test.py', false],
    ['conftest.py', false],
    ['vite.config.ts', false],
    ['eslint.config.mjs', false],
    ['.eslintrc.js', false],
    ['setup.py', false],
    ['docs/conf.py', false],
    ['README.md', false],
    ['package-lock.json', false],
    ['node_modules/x/index.js', false],
    ['types/index.d.ts', false],
  ])('%s: gold source %s', (path, expected) => {
    expect(isGoldSourcePath(path)).toBe(expected);
  });

  it('drops trailers from the question', () => {
    expect(queryText('Subject line here\n\nBody.\n\nCo-authored-by: A <a@b>\nSigned-off-by: B <b@c>\n')).toBe(
      'Subject line here\n\nBody.',
    );
  });
});

describe('gold functions', () => {
  it('reads the old-side lines of -U0 hunks: changed lines, and gaps where lines were only added', () => {
    const diff = [
      'diff --git a/src/calc.ts b/src/calc.ts',
      'index 1..2 100644',
      '--- a/src/calc.ts',
      '+++ b/src/calc.ts',
      '@@ -1,0 +2 @@ export function add',
      '+  if (a < 0) return 0;',
      '@@ -5 +6 @@',
      '-x',
      '+y',
      '@@ -7,3 +8,0 @@',
      'diff --git a/new.ts b/new.ts',
      '--- /dev/null',
      '+++ b/new.ts',
      '@@ -0,0 +1 @@',
    ].join('\n');
    const lines = parseOldSideLines(diff);
    expect([...lines.keys()]).toEqual(['src/calc.ts']);
    expect(lines.get('src/calc.ts')).toEqual([
      [1, 0],
      [4, 4],
      [6, 8],
    ]);
  });

  const symbol = (name: string, kind: string, start: number, end: number): GraphNode => ({
    id: name,
    kind,
    name: name.split('.').pop()!,
    qualifiedName: name,
    path: 'a.ts',
    range: { start: { line: start, character: 0 }, end: { line: end, character: 1 } },
  });
  const symbols = [
    symbol('a.ts', 'module', 0, 40),
    symbol('Shape', 'class', 0, 20),
    symbol('Shape.area', 'method', 2, 6),
    symbol('Shape.scale', 'method', 8, 12),
    symbol('Shape.scale.helper', 'function', 9, 10),
    { ...symbol('Shape.scale.<lambda>', 'function', 11, 11), meta: { anonymous: true } },
    symbol('top', 'function', 22, 30),
    symbol('LIMIT', 'constant', 32, 32),
  ];

  it('takes the innermost function around each changed line or gap', () => {
    const names = (lines: [number, number][]): string[] =>
      goldFunctionsOf(symbols, lines).map((g) => g.qualifiedName);
    expect(names([[3, 3]])).toEqual(['Shape.area']);
    expect(names([[9, 9]])).toEqual(['Shape.scale.helper']);
    // Not the anonymous function, but its named owner.
    expect(names([[11, 11]])).toEqual(['Shape.scale']);
    expect(names([[6, 8]])).toEqual(['Shape.area', 'Shape.scale']);
    // A gap inside `top`, one right after it (not inside), one before `area` starts.
    expect(names([[25, 24]])).toEqual(['top']);
    expect(names([[31, 30]])).toEqual([]);
    // Lines added before `area` starts, inside the class.
    expect(names([[2, 1]])).toEqual(['Shape']);
    expect(goldFunctionsOf(symbols, [[3, 3]])[0]!.lines).toEqual([2, 6]);
  });

  it('falls back to the class when no function is touched, and to nothing outside declarations', () => {
    const names = (lines: [number, number][]): string[] =>
      goldFunctionsOf(symbols, lines).map((g) => g.qualifiedName);
    expect(names([[14, 15]])).toEqual(['Shape']);
    expect(
      names([
        [14, 15],
        [3, 3],
      ]),
    ).toEqual(['Shape.area']);
    expect(names([[32, 32]])).toEqual([]);
  });
});
