/**
 * @module engine/navigation.test
 * Position-based queries over real fixture workspaces (TypeScript and Python, built in memory). A cursor is
 * written as the text around it with `|` where it stands (`dis|count(total`), so that cases read as code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '../base/index.js';
import {
  definitionAt,
  documentSymbols,
  hoverAt,
  incomingCalls,
  nodeById,
  outgoingCalls,
  referencesAt,
  symbolAt,
  workspaceSymbols,
} from './navigation.js';
import type { DocumentSymbolNode } from './navigation.js';
import { openWorkspace } from './workspace.js';
import type { Workspace } from './workspace.js';

const REPOS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');
const workspaces = new Map<string, Workspace>();

beforeAll(async () => {
  for (const repo of ['ts-shop', 'py-library']) workspaces.set(repo, await openWorkspace(join(REPOS, repo)));
});

function ws(repo: string): Workspace {
  return workspaces.get(repo)!;
}

/** The position of `|` in the first occurrence of `marked` (its text without `|`) in a file. */
function cursor(repo: string, path: string, marked: string): Position {
  const text = readFileSync(join(REPOS, repo, path), 'utf8');
  const bar = marked.indexOf('|');
  const offset = text.indexOf(marked.replace('|', ''));
  if (bar < 0 || offset < 0) throw new Error(`'${marked}' is not in ${path}`);
  const before = text.slice(0, offset + bar).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

const at = (repo: string, path: string, marked: string): [Workspace, string, Position] => [
  ws(repo),
  path,
  cursor(repo, path, marked),
];

/** `path:line:character` (one-based line) of a range's start. */
const place = (l: { path: string; range: { start: Position } }): string =>
  `${l.path}:${l.range.start.line + 1}:${l.range.start.character}`;

describe('definitionAt', () => {
  const cases: [repo: string, path: string, marked: string, expected: string[]][] = [
    // a call through an aliased import
    ['ts-shop', 'src/services/checkout.ts', 'due = dis|count(', ['src/models/discount.ts:applyDiscount']],
    // a constructor call of a class re-exported by an index file
    ['ts-shop', 'src/services/checkout.ts', 'new Ca|rt<Item>()', ['src/models/item.ts:Cart']],
    // a method through a typed receiver
    ['ts-shop', 'src/services/checkout.ts', 'this.cart.to|tal()', ['src/models/item.ts:Cart.total']],
    // an imported name: the declaration it imports
    ['ts-shop', 'src/services/checkout.ts', 'import { Ca|rt, applyDiscount', ['src/models/item.ts:Cart']],
    [
      'ts-shop',
      'src/services/checkout.ts',
      'applyDisc|ount as discount',
      ['src/models/discount.ts:applyDiscount'],
    ],
    // a type reference
    ['ts-shop', 'src/services/checkout.ts', 'items: It|em[]', ['src/models/item.ts:Item']],
    // a declaration is its own definition
    ['ts-shop', 'src/ui/cart-view.tsx', 'function CartV|iew', ['src/ui/cart-view.tsx:CartView']],
    // a path alias (@util/math)
    ['ts-shop', 'src/index.ts', 'factor|ial(5)', ['src/util/math.ts:factorial']],
    // nothing there
    ['ts-shop', 'src/services/checkout.ts', 'for (const item |of items)', []],
    // Python: a method through an attribute's declared type, and a function imported under another name
    ['py-library', 'src/bookshelf/search.py', 'by_author.loo|kup(', ['src/bookshelf/index.py:Index.lookup']],
    ['py-library', 'src/bookshelf/cli.py', 'in run_sea|rch(catalog', ['src/bookshelf/search.py:search']],
    [
      'py-library',
      'src/bookshelf/catalog.py',
      'Index(lambda book: no|rm(',
      ['src/bookshelf/util/text.py:normalize'],
    ],
  ];
  it.each(cases)('%s %s `%s`', (repo, path, marked, expected) => {
    const found = definitionAt(...at(repo, path, marked));
    expect(found.map((n) => `${n.path}:${n.qualifiedName}`)).toEqual(expected);
  });
});

describe('referencesAt', () => {
  const cases: [repo: string, path: string, marked: string, declaration: boolean, expected: string[]][] = [
    [
      'ts-shop',
      'src/util/math.ts',
      'function ro|und(',
      true,
      [
        'src/models/discount.ts:1:9', // import { round }
        'src/models/discount.ts:5:9', // round(reduced)
        'src/ui/cart-view.tsx:3:9', // import { round }
        'src/ui/cart-view.tsx:10:16', // round(cents / 100)
        'src/util/math.ts:1:16', // the declaration
      ],
    ],
    // from a use, by id: Cart.total, not every `total`
    [
      'ts-shop',
      'src/ui/cart-view.tsx',
      'cart.to|tal()',
      false,
      // Priced.describe's `this.total()` reaches Cart.total through the class hierarchy
      ['src/models/item.ts:11:25', 'src/services/checkout.ts:12:28', 'src/ui/cart-view.tsx:15:21'],
    ],
    ['py-library', 'src/bookshelf/search.py', 'def ma|tcher(', false, ['src/bookshelf/search.py:24:11']],
  ];
  it.each(cases)('%s %s `%s`', (repo, path, marked, includeDeclaration, expected) => {
    const found = referencesAt(...at(repo, path, marked), { includeDeclaration });
    expect(found.map(place)).toEqual(expected);
  });
});

describe('symbolAt', () => {
  it('says how the cursor designates its target and where the name is', () => {
    const found = symbolAt(...at('ts-shop', 'src/services/checkout.ts', 'flow.pa|y(10)'));
    expect(found?.via).toBe('call');
    expect(found?.node.kind).toBe('call_site');
    expect(found?.range).toEqual({ start: { line: 29, character: 14 }, end: { line: 29, character: 17 } });
    expect(found?.targets.map((t) => t.qualifiedName)).toEqual(['Checkout.pay']);
  });
});

describe('hoverAt', () => {
  const cases: [repo: string, path: string, marked: string, expected: string[]][] = [
    [
      'ts-shop',
      'src/services/checkout.ts',
      'this.cart.to|tal()',
      ['```typescript\ntotal(): number\n```', 'Overrides Priced.total.', '`Cart.total`'],
    ],
    [
      'py-library',
      'src/bookshelf/search.py',
      'keep = matc|her(',
      [
        '```python\ndef matcher(words: list[str])\n```',
        'A predicate that keeps books whose title holds every word.',
      ],
    ],
  ];
  it.each(cases)('%s %s `%s`', (repo, path, marked, expected) => {
    const hover = hoverAt(...at(repo, path, marked));
    for (const part of expected) expect(hover?.markdown).toContain(part);
  });
});

describe('documentSymbols', () => {
  const outline = (symbols: DocumentSymbolNode[]): unknown[] =>
    symbols.map((s) =>
      s.children.length > 0 ? { [`${s.kind} ${s.name}`]: outline(s.children) } : `${s.kind} ${s.name}`,
    );

  it('nests members in their class and locals in their function', () => {
    expect(outline(documentSymbols(ws('ts-shop'), 'src/services/checkout.ts'))).toEqual([
      'function logged',
      {
        'class Checkout': [
          'method constructor',
          'field cart',
          { 'method pay': ['variable total', 'variable due'] },
          // the closure's variable belongs to counter (the anonymous function is skipped through)
          { 'method counter': ['variable count'] },
        ],
      },
      { 'function checkout': ['variable cart', 'variable item', 'variable flow'] },
    ]);
  });

  it('keeps every selection range inside its range, with the signature as detail', () => {
    const check = (symbols: DocumentSymbolNode[]): void => {
      for (const s of symbols) {
        expect(s.range.start.line).toBeLessThanOrEqual(s.selectionRange.start.line);
        expect(s.range.end.line).toBeGreaterThanOrEqual(s.selectionRange.end.line);
        check(s.children);
      }
    };
    const symbols = documentSymbols(ws('py-library'), 'src/bookshelf/catalog.py');
    check(symbols);
    expect(symbols[0]?.name).toBe('Catalog');
    expect(symbols[0]?.children.map((c) => c.detail)).toContain('def total(self) -> int');
  });
});

describe('workspaceSymbols', () => {
  it('ranks exact and prefix matches first and honours the limit', () => {
    const found = workspaceSymbols(ws('ts-shop'), 'applyDisc', 5);
    expect(found[0]).toMatchObject({ name: 'applyDiscount', path: 'src/models/discount.ts' });
    expect(workspaceSymbols(ws('ts-shop'), '', 3)).toHaveLength(3);
    expect(workspaceSymbols(ws('py-library'), 'Catalog*').map((n) => n.qualifiedName)).toContain('Catalog');
  });
});

describe('incomingCalls and outgoingCalls', () => {
  const id = (repo: string, path: string, marked: string): string =>
    definitionAt(...at(repo, path, marked))[0]!.id;

  it('groups the callers of a function by declaration, with the call ranges', () => {
    const round = id('ts-shop', 'src/util/math.ts', 'function ro|und(');
    const calls = incomingCalls(ws('ts-shop'), round);
    expect(
      calls.map((c) => `${c.node.qualifiedName} ${c.ranges.map((r) => r.start.line + 1).join(',')}`),
    ).toEqual(['applyDiscount 5', 'Price 10']);
  });

  it('lists what a method calls, one group per callee', () => {
    const pay = id('ts-shop', 'src/services/checkout.ts', 'pa|y(percent');
    const calls = outgoingCalls(ws('ts-shop'), pay);
    expect(calls.map((c) => `${c.node.path}:${c.node.qualifiedName}`)).toEqual([
      'src/models/discount.ts:applyDiscount',
      'src/models/item.ts:Cart.total',
      'src/util/math.ts:double',
    ]);
    expect(nodeById(ws('ts-shop'), pay)?.qualifiedName).toBe('Checkout.pay');
    expect(nodeById(ws('ts-shop'), 'no-such-id')).toBeUndefined();
  });

  it('follows Python calls across files', () => {
    const search = id('py-library', 'src/bookshelf/search.py', 'def sea|rch(');
    expect(
      incomingCalls(ws('py-library'), search).map((c) => `${c.node.path}:${c.node.qualifiedName}`),
    ).toEqual(['src/bookshelf/cli.py:main']);
  });
});
