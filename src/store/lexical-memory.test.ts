/**
 * @module store/lexical-memory.test
 * The lexical index's copy in memory answers what SQLite's FTS5 answers (same hits, same order, same BM25
 * scores), on whole files and on symbols, with kinds, paths and column weights; and it follows updates
 * (changed, added and removed files) as the live index makes them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LexicalIndex } from './lexical-index.js';
import type { LexicalFile, LexicalHit } from './lexical-index.js';
import { unicode61Tokens } from './lexical-memory.js';

const dir = mkdtempSync(join(tmpdir(), 'rtc-lexical-memory-'));
const root = join(dir, 'repo');
mkdirSync(join(root, 'src'), { recursive: true });
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const WORDS = [
  'parse',
  'config',
  'request',
  'body',
  'json',
  'cookie',
  'router',
  'middleware',
  'token',
  'validate',
  'timeout',
  'client',
  'error',
  'handler',
  'user_id',
  'HTTPServer2',
  'café',
];

/** A seeded generator, so that the repository is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A file of `count` functions (one per line, its text a few words) and a class around the last ones. */
function writeSource(path: string, count: number, seed: number): LexicalFile {
  const next = random(seed);
  const word = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const lines: string[] = [];
  const nodes: LexicalFile['nodes'][number][] = [];
  for (let i = 0; i < count; i++) {
    const name = `${word()}${word().replace(/^./, (c) => c.toUpperCase())}${i}`;
    lines.push(`function ${name}() { return ${word()}(${word()}, ${word()}) }`);
    nodes.push({
      id: `${path}#${name}`,
      path,
      name,
      qualifiedName: `${path.replace(/\..*$/, '')}.${name}`,
      kind: i % 5 === 4 ? 'variable' : 'function',
      line: i,
      endLine: i,
      // Beyond ASCII: diacritics, an emoji (a token to FTS5, not to JavaScript's tables), a dotted capital.
      ...(i % 3 === 0
        ? { doc: `Does the ${word()} with the ${word()}: Ünïcode ${word()} téxt 🙄 İstanbul 東京.` }
        : {}),
    });
  }
  nodes.push({
    id: `${path}#Holder`,
    path,
    name: 'Holder',
    qualifiedName: 'Holder',
    kind: 'class',
    line: Math.max(0, count - 3),
    endLine: count - 1,
  });
  nodes.push({
    id: `${path}#module`,
    path,
    name: path,
    qualifiedName: path,
    kind: 'module',
    line: 0,
    endLine: count,
  });
  writeFileSync(join(root, path), `${lines.join('\n')}\n`);
  return { path, nodes };
}

const QUERIES = [
  'parse the request body as json',
  'where do we validate tokens',
  'set cookies on the response',
  'add a timeout option to the client',
  'handle errors thrown by middleware',
  'user_id HTTPServer2 cafe',
  'ParseConfig routerHandler',
  'unicode text',
  'nothing matches zzzz',
];

/** The hits of a search, from memory and from SQLite. */
function both(lexical: LexicalIndex, query: string, options: Parameters<LexicalIndex['search']>[1]) {
  const base = typeof options === 'number' ? { limit: options } : (options ?? {});
  return {
    memory: lexical.search(query, { ...base, memory: true }),
    sql: lexical.search(query, { ...base, memory: false }),
  };
}

function expectSame(memory: LexicalHit[], sql: LexicalHit[]): void {
  expect(memory.map((h) => h.id)).toEqual(sql.map((h) => h.id));
  // Exactly: ties are broken by the scores, to the last bit.
  expect(memory.map((h) => h.score)).toEqual(sql.map((h) => h.score));
  const withoutScore = (hits: LexicalHit[]) => hits.map((h) => ({ ...h, score: 0 }));
  expect(withoutScore(memory)).toEqual(withoutScore(sql));
}

function expectAllSame(lexical: LexicalIndex, paths: readonly string[]): number {
  let hits = 0;
  for (const query of QUERIES) {
    const files = both(lexical, query, { limit: 40, kinds: ['module'] });
    expectSame(files.memory, files.sql);
    const symbols = both(lexical, query, { limit: 60 });
    expectSame(symbols.memory, symbols.sql);
    const kinds = both(lexical, query, { limit: 25, kinds: ['function'], paths: paths.slice(0, 3) });
    expectSame(kinds.memory, kinds.sql);
    const weights = both(lexical, query, { limit: 10, weights: [1, 1, 3, 0.5, 2] });
    expectSame(weights.memory, weights.sql);
    // Weights that repeated additions do not multiply exactly.
    const uneven = both(lexical, query, { limit: 10, weights: [0.3, 1.7, 0.1, 1, 2.2] });
    expectSame(uneven.memory, uneven.sql);
    hits += files.sql.length + symbols.sql.length + kinds.sql.length;
  }
  return hits;
}

describe('the lexical index in memory', () => {
  const files = Array.from({ length: 12 }, (_, i) => writeSource(`src/f${i}.ts`, 20 + 7 * i, i + 1));
  const paths = files.map((f) => f.path);
  const lexical = LexicalIndex.open(dir);
  lexical.update({ files, removed: [], generation: 1, all: true, root });

  it('tokenizes as unicode61 does', () => {
    expect(unicode61Tokens('Café naïve_x HTTPServer2 $y')).toEqual([
      'cafe',
      'naive',
      'x',
      'httpserver2',
      'y',
    ]);
  });

  it('finds what SQLite finds, in the same order, with the same scores', () => {
    expect(lexical.prepareMemory()).toBe(true);
    expect(expectAllSame(lexical, paths)).toBeGreaterThan(100);
  });

  it('follows changed, added and removed files', () => {
    lexical.prepareMemory();
    const changed = [writeSource('src/f1.ts', 30, 99), writeSource('src/new.ts', 15, 42)];
    rmSync(join(root, 'src/f2.ts'));
    lexical.update({ files: changed, removed: ['src/f2.ts'], generation: 2, root });
    const now = [...paths.filter((p) => p !== 'src/f2.ts'), 'src/new.ts'];
    expectAllSame(lexical, now);
    // The removed file is gone, the new one found.
    const found = lexical.search('json body', { limit: 100, kinds: ['module'] }).map((h) => h.path);
    expect(found).not.toContain('src/f2.ts');
    expect(found).toContain('src/new.ts');
  });

  it('stays right when updates leave many holes (compaction)', () => {
    lexical.prepareMemory();
    for (let round = 0; round < 3; round++) {
      const big = writeSource('src/big.ts', 1200, 7 + round);
      lexical.update({ files: [big], removed: [], generation: 3 + round, root });
      lexical.search('parse', { kinds: ['module'] }); // the copy follows each generation
    }
    expectAllSame(lexical, [...paths.filter((p) => p !== 'src/f2.ts'), 'src/big.ts']);
  });

  it('counts past 16 bits as FTS5 does (a word 70,000 times in one doc comment)', () => {
    const path = 'src/long.ts';
    writeFileSync(join(root, path), 'function longDoc() {}\nfunction shortDoc() {}\n');
    const node = (name: string, line: number, doc: string) => ({
      id: `${path}#${name}`,
      path,
      name,
      qualifiedName: name,
      kind: 'function',
      line,
      endLine: line,
      doc,
    });
    lexical.update({
      files: [
        {
          path,
          nodes: [node('longDoc', 0, 'zebra '.repeat(70_000)), node('shortDoc', 1, 'zebra validate zebra')],
        },
      ],
      removed: [],
      generation: 10,
      root,
    });
    expect(lexical.prepareMemory()).toBe(true);
    for (const weights of [undefined, [4, 2, 1, 1, 1], [1, 1, 1, 0.3, 1]]) {
      const found = both(lexical, 'zebra validate', { limit: 20, ...(weights ? { weights } : {}) });
      expect(found.sql.map((h) => h.id)).toContain(`${path}#longDoc`);
      expectSame(found.memory, found.sql);
    }
  });

  it('answers from SQLite until the copy is built, then from the copy, the same', async () => {
    const reader = LexicalIndex.open(dir, { readOnly: true });
    const before = reader.search('request body json', { limit: 20 });
    // The copy is built in the background (timers) or on the spot after a few searches.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reader.prepareMemory()).toBe(true);
    const after = reader.search('request body json', { limit: 20 });
    expect(after).toEqual(before);
  });
});
