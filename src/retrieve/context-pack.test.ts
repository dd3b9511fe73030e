/**
 * @module retrieve/context-pack.test
 * The context packer: the budget is never exceeded (checked with the real tokenizer over random budgets and
 * random candidates from this repository's own files), ranges merge, bodies degrade to signatures, missing
 * or changed files fall back, and every excerpt shows its real lines and why it was chosen.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packContext } from './context-pack.js';
import type { ContextCandidate, PackedContext, PackOptions } from './context-pack.js';
import { formatReason } from './context-render.js';
import { CODE_CHARS_PER_TOKEN, O200K_TOKEN_COUNTER, estimateTokenCounter } from './token-count.js';
import type { Reason } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A small source file, one declaration per few lines; zero-based line numbers in the comments. */
const STORE_TS = [
  '/** A store. */', // 0
  'export class Store {', // 1
  '  private items = new Map<string, number>();', // 2
  '', // 3
  '  get(key: string): number | undefined {', // 4
  '    return this.items.get(key);', // 5
  '  }', // 6
  '', // 7
  '  set(key: string, value: number): void {', // 8
  '    this.items.set(key, value);', // 9
  '  }', // 10
  '}', // 11
  '', // 12
  'export function first(): number {', // 13
  '  return 1;', // 14
  '}', // 15
  '', // 16
  'export function second(): number {', // 17
  '  return 2;', // 18
  '}', // 19
  ...Array.from({ length: 10 }, (_, index) => `// filler ${index}`), // 20..29
  'export function far(): number {', // 30
  '  return 3;', // 31
  '}', // 32
  '',
].join('\n');

const REASON: Reason = {
  route: 'explain',
  entry: { id: 'n1', name: 'Store', via: 'lexical' },
  path: [{ edge: 'contains', name: 'Store.get' }],
  rewards: { semantic: 0.42, symbol: 0.3 },
};

/** Declarations of `STORE_TS`: [name, qualified name, kind, first line, last line, signature]. */
const STORE_SYMBOLS: Record<string, ContextCandidate> = Object.fromEntries(
  (
    [
      ['Store', 'Store', 'class', 1, 11, 'export class Store'],
      ['get', 'Store.get', 'method', 4, 6, 'get(key: string): number | undefined'],
      ['set', 'Store.set', 'method', 8, 10, 'set(key: string, value: number): void'],
      ['first', 'first', 'function', 13, 15, 'export function first(): number'],
      ['second', 'second', 'function', 17, 19, 'export function second(): number'],
      ['far', 'far', 'function', 30, 32, 'export function far(): number'],
    ] as const
  ).map(([name, qualifiedName, kind, start, end, signature]) => [
    qualifiedName,
    {
      path: 'src/store.ts',
      range: { start: { line: start, character: 0 }, end: { line: end, character: 1 } },
      name,
      qualifiedName,
      kind,
      signature,
      score: 1,
      core: true,
      reason: { ...REASON, path: [{ edge: 'contains', name: qualifiedName }] },
    },
  ]),
);

function symbol(qualifiedName: string, overrides: Partial<ContextCandidate> = {}): ContextCandidate {
  const base = STORE_SYMBOLS[qualifiedName];
  if (!base) throw new Error(`no symbol ${qualifiedName}`);
  return { ...base, ...overrides };
}

function pack(
  candidates: ContextCandidate[],
  options: Partial<PackOptions> & { files?: Record<string, string> } = {},
): PackedContext {
  const files = options.files ?? { 'src/store.ts': STORE_TS };
  return packContext(candidates, { budget: 10_000, readFile: (path) => files[path], ...options });
}

function linesOf(text: string, startLine: number, endLine: number): string {
  return text
    .split('\n')
    .slice(startLine - 1, endLine)
    .join('\n');
}

describe('packContext: merging', () => {
  it.each([
    ['a method inside a class', ['Store', 'Store.get'], [[2, 12, ['Store', 'Store.get']]]],
    ['a class around a method included first', ['Store.get', 'Store'], [[2, 12, ['Store.get', 'Store']]]],
    ['two methods a blank line apart', ['Store.get', 'Store.set'], [[5, 11, ['Store.get', 'Store.set']]]],
    ['two functions a blank line apart', ['first', 'second'], [[14, 20, ['first', 'second']]]],
    ['a function bridging two bodies', ['Store', 'second', 'first'], [[2, 20, ['Store', 'second', 'first']]]],
    [
      'functions ten lines apart',
      ['second', 'far'],
      [
        [18, 20, ['second']],
        [31, 33, ['far']],
      ],
    ],
  ] as const)('%s', (_title, names, expected) => {
    const candidates = names.map((name, index) => symbol(name, { score: names.length - index }));
    const packed = pack(candidates);
    expect(packed.items.map((item) => [item.startLine, item.endLine, item.names])).toEqual(expected);
    for (const item of packed.items) {
      expect(item.mode).toBe('body');
      expect(item.code).toBe(linesOf(STORE_TS, item.startLine, item.endLine));
      expect(item.reasons.map((reason) => reason.path?.[0]?.name)).toEqual(item.names);
    }
    expect(packed.omitted).toBe(0);
  });

  it('puts a periphery symbol inside an included body into that body', () => {
    const packed = pack([symbol('Store'), symbol('Store.set', { core: false, score: 0.5 })]);
    expect(packed.items).toHaveLength(1);
    expect(packed.items[0]).toMatchObject({ mode: 'body', names: ['Store', 'Store.set'] });
    expect(packed.text.match(/set\(key: string, value: number\): void/g)).toHaveLength(1);
  });

  it('orders files by their best item and excerpts by line', () => {
    const other = 'export const one = 1;\nexport const two = 2;\n';
    const files = { 'src/store.ts': STORE_TS, 'src/other.ts': other };
    const packed = pack(
      [
        symbol('far', { score: 5 }),
        { ...symbol('first', { score: 4 }), path: 'src/other.ts', name: 'two', qualifiedName: 'two' },
        symbol('Store.get', { score: 3 }),
      ].map((candidate) =>
        candidate.path === 'src/other.ts'
          ? { ...candidate, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 21 } } }
          : candidate,
      ),
      { files },
    );
    expect(packed.items.map((item) => [item.path, item.startLine])).toEqual([
      ['src/store.ts', 5],
      ['src/store.ts', 31],
      ['src/other.ts', 2],
    ]);
    expect(packed.text.indexOf('### src/store.ts')).toBeLessThan(packed.text.indexOf('### src/other.ts'));
    expect(packed.text.indexOf('lines 5–7')).toBeLessThan(packed.text.indexOf('lines 31–33'));
  });
});

describe('packContext: what is shown', () => {
  it('renders the path, one-based lines, a language tag and the reason', () => {
    const packed = pack([symbol('Store.get', { reason: REASON })]);
    expect(packed.text).toBe(
      [
        '### src/store.ts',
        'lines 5–7 · Store.get (method) · why: route explain; entry Store (lexical) → contains Store.get; semantic 0.42, symbol 0.30',
        '```typescript',
        linesOf(STORE_TS, 5, 7),
        '```',
        '',
      ].join('\n'),
    );
    expect(packed.tokens).toBe(O200K_TOKEN_COUNTER.count(packed.text));
  });

  const reasons: [Reason, string][] = [
    [{ route: 'explain' }, 'route explain'],
    [{ route: 'debug', entry: { id: 'x', name: 'x', via: 'vector' } }, 'route debug; entry point (vector)'],
    [
      { route: 'debug', path: [{ edge: 'calls', name: 'run' }], rewards: { change: 1 } },
      'route debug; → calls run; change 1.00',
    ],
  ];
  it.each(reasons)('formats the reason %j', (reason, text) => {
    expect(formatReason(reason)).toBe(text);
    expect(pack([symbol('first', { reason })]).text).toContain(`why: ${text}`);
  });

  it('shows periphery symbols by their signature, with the lines of the declaration', () => {
    const packed = pack([symbol('far', { core: false })]);
    expect(packed.items).toMatchObject([
      { mode: 'signature', startLine: 31, endLine: 33, code: 'export function far(): number' },
    ]);
    expect(packed.text).toContain('lines 31–33 (signature) · far (function)');
  });

  it('falls back to the first line of the range without a signature', () => {
    const packed = pack([symbol('Store.set', { core: false, signature: undefined })]);
    expect(packed.items[0]?.code).toBe('set(key: string, value: number): void {');
  });

  it('writes JSON with the same items and the excerpt text', () => {
    const packed = pack([symbol('first'), symbol('far', { core: false, score: 0 })], { format: 'json' });
    const parsed = JSON.parse(packed.text) as {
      budget: number;
      files: { path: string; language: string; excerpts: Record<string, unknown>[] }[];
    };
    expect(parsed.budget).toBe(10_000);
    expect(parsed.files.map((file) => [file.path, file.language])).toEqual([['src/store.ts', 'typescript']]);
    expect(parsed.files[0]?.excerpts).toEqual(
      packed.items.map(({ startLine, endLine, mode, names, reasons, code }) => ({
        startLine,
        endLine,
        mode,
        names,
        reasons,
        code,
      })),
    );
    expect(packed.tokens).toBe(O200K_TOKEN_COUNTER.count(packed.text));
  });

  it('fences code that contains backtick fences with a longer fence', () => {
    const text = 'export const doc = `\n```ts\nx\n```\n`;\n';
    const candidate = {
      ...symbol('first'),
      path: 'src/doc.ts',
      name: 'doc',
      qualifiedName: 'doc',
      range: { start: { line: 0, character: 0 }, end: { line: 4, character: 2 } },
    };
    const packed = pack([candidate], { files: { 'src/doc.ts': text } });
    expect(packed.text).toContain('````typescript\n');
    expect(packed.text.endsWith('\n````\n')).toBe(true);
  });

  it('counts special-token text in code as plain text', () => {
    const text = 'export const end = "<|endoftext|>";\n';
    const candidate = {
      ...symbol('first'),
      path: 'src/end.ts',
      name: 'end',
      qualifiedName: 'end',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 35 } },
    };
    const packed = pack([candidate], { files: { 'src/end.ts': text } });
    expect(packed.items[0]?.code).toBe(text.trimEnd());
  });
});

describe('packContext: budget and fallbacks', () => {
  const all = Object.keys(STORE_SYMBOLS).map((name, index) => symbol(name, { score: 10 - index }));

  it.each([0, 1, 5, 10])('packs nothing when the budget (%i) is smaller than any item', (budget) => {
    const packed = pack(all, { budget });
    expect(packed).toMatchObject({ text: '', tokens: 0, items: [], omitted: all.length, budget });
  });

  it('degrades a body that does not fit to its signature', () => {
    const big = symbol('Store');
    const full = pack([big]);
    const packed = pack([big], { budget: full.tokens - 1 });
    expect(packed.items).toMatchObject([{ mode: 'signature', code: 'export class Store', names: ['Store'] }]);
    expect(packed.tokens).toBeLessThanOrEqual(full.tokens - 1);
  });

  it('keeps lower-scored items that still fit after a higher one is left out', () => {
    const long = 'export function long(): string {\n' + '  return "x";\n'.repeat(200) + '}\n';
    const files = { 'src/store.ts': STORE_TS, 'src/long.ts': long };
    const huge: ContextCandidate = {
      ...symbol('first', { score: 10, signature: 'export function long(): string '.repeat(40) }),
      path: 'src/long.ts',
      name: 'long',
      qualifiedName: 'long',
      range: { start: { line: 0, character: 0 }, end: { line: 201, character: 1 } },
    };
    const packed = pack([huge, symbol('first', { score: 1 })], { files, budget: 80 });
    expect(packed.items.map((item) => item.names)).toEqual([['first']]);
    expect(packed.omitted).toBe(1);
  });

  const fallbacks: [string, { throws?: boolean; text?: string; signature?: string }, string][] = [
    ['the file is missing', {}, 'export class Store'],
    ['the file cannot be read', { throws: true }, 'export class Store'],
    ['the range is past the end of the file', { text: 'export class Store {}\n' }, 'export class Store'],
    [
      'the name is not where the range says',
      { text: STORE_TS.replace(/Store/g, 'Shop') },
      'export class Store',
    ],
    ['there is no signature either', { signature: '' }, 'class Store'],
  ];
  it.each(fallbacks)('falls back to the signature when %s', (_title, setup, code) => {
    const readFile = (path: string): string | undefined => {
      if (setup.throws) throw new Error(`cannot read ${path}`);
      return setup.text;
    };
    const candidate = symbol('Store', setup.signature === undefined ? {} : { signature: setup.signature });
    const packed = packContext([candidate], { budget: 1000, readFile });
    expect(packed.items).toMatchObject([{ mode: 'signature', code, startLine: 2, endLine: 12 }]);
  });

  it('reports the counter it used and can use the estimate', () => {
    const counter = estimateTokenCounter();
    const packed = pack(all, { budget: 120, counter });
    expect(packed.counter).toBe(counter.name);
    expect(packed.tokens).toBe(counter.count(packed.text));
    expect(packed.tokens).toBeLessThanOrEqual(120);
  });
});

describe('packContext: never over budget (real files, real tokenizer)', () => {
  const sources = readSources();
  const paths = [...sources.keys()];

  it('holds for random candidate sets and random budgets', () => {
    const random = seededRandom(20_240_604);
    const seen = { packs: 0, empty: 0, body: 0, signature: 0, merged: 0, omitted: 0, json: 0 };
    for (let round = 0; round < 160; round++) {
      const candidates = randomCandidates(random, sources, paths, 1 + Math.floor(random() * 80));
      const budget = round < 10 ? round * 3 : Math.floor(Math.exp(random() * Math.log(12_000)));
      const format = random() < 0.3 ? 'json' : 'markdown';
      const packed = packContext(candidates, { budget, readFile: (path) => sources.get(path), format });
      expect(packed.tokens).toBeLessThanOrEqual(budget);
      expect(packed.tokens).toBe(O200K_TOKEN_COUNTER.count(packed.text));
      checkItems(packed, candidates.length, sources);
      seen.packs++;
      if (packed.items.length === 0) seen.empty++;
      if (packed.items.some((item) => item.mode === 'body')) seen.body++;
      if (packed.items.some((item) => item.mode === 'signature')) seen.signature++;
      if (packed.items.some((item) => item.names.length > 1)) seen.merged++;
      if (packed.omitted > 0) seen.omitted++;
      if (format === 'json') seen.json++;
    }
    // The rounds cover every case: nothing fits, bodies, signatures, merges, left-out items, both formats.
    expect(seen.packs).toBe(160);
    for (const [what, times] of Object.entries(seen)) expect(times, what).toBeGreaterThan(5);
  });

  it('holds when the whole text counts more than its pieces (the packing is redone)', () => {
    // A superadditive count: a text counts more than the sum of its parts, a long one up to a fifth more.
    const counter = {
      name: 'superadditive',
      count: (text: string) => Math.ceil((text.length / 4) * (1 + text.length / 200_000)),
    };
    const random = seededRandom(99);
    let packed = 0;
    for (let round = 0; round < 30; round++) {
      const candidates = randomCandidates(random, sources, paths, 40);
      const budget = Math.floor(random() * 20_000);
      const result = packContext(candidates, { budget, counter, readFile: (path) => sources.get(path) });
      expect(result.tokens).toBeLessThanOrEqual(budget);
      expect(result.tokens).toBe(counter.count(result.text));
      if (result.items.length > 0) packed++;
    }
    expect(packed).toBeGreaterThan(20);
  });

  it('uses most of a large budget when there is enough to pack', () => {
    const random = seededRandom(7);
    const candidates = randomCandidates(random, sources, paths, 200);
    const packed = packContext(candidates, { budget: 4000, readFile: (path) => sources.get(path) });
    expect(packed.tokens).toBeLessThanOrEqual(4000);
    expect(packed.tokens).toBeGreaterThan(3600);
  });

  it('has an estimate within 10% of the real count over this repository', () => {
    const texts = [...sources.values()];
    const real = texts.reduce((sum, text) => sum + O200K_TOKEN_COUNTER.count(text), 0);
    const chars = texts.reduce((sum, text) => sum + text.length, 0);
    expect(chars / CODE_CHARS_PER_TOKEN / real).toBeGreaterThan(0.9);
    expect(chars / CODE_CHARS_PER_TOKEN / real).toBeLessThan(1.1);
  });
});

/** Every body shows the file's real lines; bodies of a file do not overlap; every candidate is counted once. */
function checkItems(packed: PackedContext, candidates: number, sources: ReadonlyMap<string, string>): void {
  let shown = 0;
  const lastEnd = new Map<string, number>();
  for (const item of packed.items) {
    shown += item.names.length;
    expect(item.reasons).toHaveLength(item.names.length);
    expect(item.startLine).toBeLessThanOrEqual(item.endLine);
    if (item.mode === 'body') {
      const text = sources.get(item.path);
      expect(text).toBeDefined();
      expect(item.code).toBe(linesOf(text ?? '', item.startLine, item.endLine));
    }
    expect(item.startLine).toBeGreaterThanOrEqual(lastEnd.get(item.path) ?? 0);
    if (item.mode === 'body') lastEnd.set(item.path, item.endLine + 1);
    if (packed.text.startsWith('{')) continue;
    expect(packed.text).toContain(`### ${item.path}\n`);
  }
  expect(shown + packed.omitted).toBe(candidates);
}

function readSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|scm|md)$/.test(entry.name)) {
        try {
          sources.set(relative(ROOT, path), readFileSync(path, 'utf8'));
        } catch {
          // Removed meanwhile by another edit: skip it.
        }
      }
    }
  };
  walk(join(ROOT, 'src'));
  return sources;
}

/** Random ranges over real files, some nested or adjacent, some in missing files, some with stale names. */
function randomCandidates(
  random: () => number,
  sources: ReadonlyMap<string, string>,
  paths: readonly string[],
  count: number,
): ContextCandidate[] {
  const focus = paths.slice(0, 1 + Math.floor(random() * paths.length));
  return Array.from({ length: count }, (_, index): ContextCandidate => {
    const missing = random() < 0.05;
    const path = missing ? `src/missing-${index}.ts` : (focus[Math.floor(random() * focus.length)] ?? '');
    const lines = (sources.get(path) ?? '').split('\n');
    const start = Math.floor(random() * Math.max(1, lines.length - 1));
    const length = random() < 0.1 ? Math.floor(random() * 400) : Math.floor(random() * 40);
    const end = Math.min(Math.max(lines.length - 1, start), start + length);
    const word = /[A-Za-z_$][\w$]*/.exec(lines[start] ?? '')?.[0];
    const name = random() < 0.1 ? 'stale' : (word ?? 'module-body');
    return {
      path,
      range: { start: { line: start, character: 0 }, end: { line: end, character: random() < 0.2 ? 0 : 3 } },
      name,
      qualifiedName: `${path.split('/').pop() ?? ''}#${name}`,
      kind: random() < 0.5 ? 'function' : 'class',
      ...(random() < 0.7 ? { signature: (lines[start] ?? '').trim().slice(0, 120) } : {}),
      score: Math.round(random() * 100) / 10,
      core: random() < 0.5,
      reason: {
        route: random() < 0.5 ? 'explain' : 'debug',
        entry: { id: `e${index}`, name, via: random() < 0.5 ? 'lexical' : 'vector' },
        path: random() < 0.5 ? [] : [{ edge: 'calls', name: 'callee' }],
        rewards: { semantic: random(), symbol: random() },
      },
    };
  });
}

/** A small linear congruential generator: the same rounds every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}
