/**
 * @module parse/document-parser.test
 * Incremental parsing with kept trees: the syntax equals a fresh parse for non-ASCII text, CRLF line endings,
 * empty text and text that breaks and is fixed; bad edits fail clearly and change nothing; a parse past its
 * time limit fails clearly; and every tree tree-sitter makes is deleted exactly once, through eviction, forget,
 * replacement and dispose. The tree edits themselves are checked against a slow, obvious oracle.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Parser, Tree } from 'web-tree-sitter';
import { testParserHost } from '../../test/support/parser.js';
import { ERROR_CODES, isEngineError } from '../base/index.js';
import type { ErrorCode, Range } from '../base/index.js';
import { DocumentParser, treeEditAt, treeEditBetween } from './document-parser.js';
import type { DocumentParse, TextEdit } from './document-parser.js';

const TS = [
  "import { readFile } from './io';",
  '',
  '/** Prices in €, with a 😀 for luck. */',
  'export class Café {',
  '  readonly name = "naïve 中文 😀🎉";',
  '  price(count: number): number {',
  '    return total(count) * 2;',
  '  }',
  '}',
  '',
  'function total(n: number) {',
  '  const label = "𝔘 ünïcode";',
  '  return n + label.length;',
  '}',
  '',
].join('\n');

function edit(
  startLine: number,
  startChar: number,
  endLine: number,
  endChar: number,
  text: string,
): TextEdit {
  const range: Range = {
    start: { line: startLine, character: startChar },
    end: { line: endLine, character: endChar },
  };
  return { range, text };
}

/** The syntax of a result must be exactly that of a fresh parse of its text. */
async function expectFresh(result: DocumentParse, path: string, languageId: string): Promise<void> {
  expect(result.syntax).toStrictEqual(await testParserHost().extract(path, languageId, result.text));
}

async function expectEngineError(promise: Promise<unknown>, code: ErrorCode, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isEngineError(error, code), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

const parsers: DocumentParser[] = [];

function documentParser(options?: ConstructorParameters<typeof DocumentParser>[1]): DocumentParser {
  const parser = new DocumentParser(testParserHost(), options);
  parsers.push(parser);
  return parser;
}

/** The tree-sitter point of an offset, the slow and obvious way: rows end at `\n`, columns are code units. */
function naivePoint(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  return { row: before.split('\n').length - 1, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d_2b_79_f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomText(random: () => number, length: number): string {
  const pieces = ['a', 'b', ' ', '\n', '\r\n', '\r', 'é', '😀', '中', '\uD83D'];
  let text = '';
  while (text.length < length) text += pieces[Math.floor(random() * pieces.length)]!;
  return text;
}

afterEach(() => {
  for (const parser of parsers.splice(0)) parser.dispose();
  vi.restoreAllMocks();
});

describe('tree edits', () => {
  it('places an edit at UTF-16 offsets and \\n-ended rows', () => {
    const random = prng(7);
    for (let i = 0; i < 500; i++) {
      const text = randomText(random, Math.floor(random() * 40));
      const start = Math.floor(random() * (text.length + 1));
      const end = start + Math.floor(random() * (text.length - start + 1));
      const inserted = randomText(random, Math.floor(random() * 8));
      const after = text.slice(0, start) + inserted + text.slice(end);
      expect(treeEditAt(text, start, end, inserted)).toEqual({
        startIndex: start,
        oldEndIndex: end,
        newEndIndex: start + inserted.length,
        startPosition: naivePoint(text, start),
        oldEndPosition: naivePoint(text, end),
        newEndPosition: naivePoint(after, start + inserted.length),
      });
    }
  });

  it('finds the one edit between two texts, never inside a surrogate pair', () => {
    const random = prng(11);
    expect(treeEditBetween('same 😀', 'same 😀')).toBeUndefined();
    // 😀 and 😃 share their high surrogate: the edit still covers the whole character.
    expect(treeEditBetween('a😀b', 'a😃b')).toMatchObject({ startIndex: 1, oldEndIndex: 3, newEndIndex: 3 });
    for (let i = 0; i < 500; i++) {
      const before = randomText(random, Math.floor(random() * 40));
      const start = Math.floor(random() * (before.length + 1));
      const end = start + Math.floor(random() * Math.min(6, before.length - start + 1));
      const after = before.slice(0, start) + randomText(random, Math.floor(random() * 6)) + before.slice(end);
      const edit = treeEditBetween(before, after);
      if (before === after) {
        expect(edit).toBeUndefined();
        continue;
      }
      expect(edit).toBeDefined();
      const { startIndex, oldEndIndex, newEndIndex } = edit!;
      expect(
        before.slice(0, startIndex) + after.slice(startIndex, newEndIndex) + before.slice(oldEndIndex),
      ).toBe(after);
      expect(before.length - oldEndIndex).toBe(after.length - newEndIndex);
      expect(edit).toEqual(treeEditAt(before, startIndex, oldEndIndex, after.slice(startIndex, newEndIndex)));
      for (const [text, index] of [
        [before, startIndex],
        [before, oldEndIndex],
        [after, startIndex],
        [after, newEndIndex],
      ] as const) {
        const split =
          /[\uD800-\uDBFF]/.test(text[index - 1] ?? '') && /[\uDC00-\uDFFF]/.test(text[index] ?? '');
        expect(split, `${JSON.stringify(text)} at ${index}`).toBe(false);
      }
    }
  });
});

describe('DocumentParser', () => {
  it('parses a new file afresh and an edited one with its kept tree', async () => {
    const parser = documentParser();
    const first = await parser.update('a.ts', 'typescript', TS);
    expect(first).toMatchObject({ incremental: false, changedRanges: [], text: TS });
    expect(first.syntax).toStrictEqual(await testParserHost().extract('a.ts', 'typescript', TS));
    expect(parser.has('a.ts')).toBe(true);

    const inserted = TS.replace(
      '    return total(count) * 2;',
      '    log("é");\n    return total(count) * 2;',
    );
    const second = await parser.update('a.ts', 'typescript', inserted);
    expect(second.incremental).toBe(true);
    await expectFresh(second, 'a.ts', 'typescript');
    // The new statement is on line 6; tree-sitter reports it as changed.
    expect(second.changedRanges.length).toBeGreaterThan(0);
    expect(second.changedRanges.some((r) => r.start.line <= 6 && r.end.line >= 6)).toBe(true);
    expect(second.syntax.calls.map((c) => c.name)).toContain('log');
  });

  it('measures positions in UTF-16 code units beside é, emoji and CJK', async () => {
    const parser = documentParser();
    await parser.update('a.ts', 'typescript', TS);
    // Line 4 is `  readonly name = "naïve 中文 😀🎉";`: insert between the two emoji, then after them.
    const line4 = TS.split('\n')[4]!;
    const afterFirstEmoji = line4.indexOf('😀') + 2;
    let result = await parser.applyEdits('a.ts', [edit(4, afterFirstEmoji, 4, afterFirstEmoji, '✓')]);
    expect(result.incremental).toBe(true);
    expect(result.text.split('\n')[4]).toBe('  readonly name = "naïve 中文 😀✓🎉";');
    await expectFresh(result, 'a.ts', 'typescript');
    // A new field after the emoji: its name starts at the UTF-16 column of the edit.
    const end = result.text.split('\n')[4]!.length;
    result = await parser.applyEdits('a.ts', [edit(4, end, 4, end, ' readonly ñ = 1;')]);
    expect(result.incremental).toBe(true);
    await expectFresh(result, 'a.ts', 'typescript');
    const field = result.syntax.defs.find((d) => d.name === 'ñ')!;
    expect(field.nameRange.start).toEqual({ line: 4, character: end + ' readonly '.length });
    // Replacing across lines, from inside a string with a surrogate pair to the next method.
    result = await parser.applyEdits('a.ts', [edit(4, afterFirstEmoji - 1, 6, 4, '\uDE00";\n  other() {\n')]);
    await expectFresh(result, 'a.ts', 'typescript');
    // Splitting a surrogate pair through update(): the diff must not start inside the pair.
    const split = result.text.replace('😀', '😃');
    result = await parser.update('a.ts', 'typescript', split);
    await expectFresh(result, 'a.ts', 'typescript');
  });

  it('handles CRLF line endings, and rejects a position between \\r and \\n', async () => {
    const crlf = TS.replaceAll('\n', '\r\n');
    const parser = documentParser();
    await parser.update('a.ts', 'typescript', crlf);
    // The end of line 6 is before its \r.
    const line6 = TS.split('\n')[6]!;
    let result = await parser.applyEdits('a.ts', [edit(6, line6.length, 6, line6.length, ' // 😀')]);
    expect(result.text.split('\r\n')[6]).toBe(`${line6} // 😀`);
    expect(result.incremental).toBe(true);
    await expectFresh(result, 'a.ts', 'typescript');
    // Joining two lines removes the whole \r\n.
    result = await parser.applyEdits('a.ts', [edit(0, 32, 1, 0, '')]);
    expect(result.text.startsWith("import { readFile } from './io';\r\n/**")).toBe(true);
    await expectFresh(result, 'a.ts', 'typescript');
    await expectEngineError(
      parser.applyEdits('a.ts', [edit(0, 33, 0, 33, 'x')]),
      ERROR_CODES.INVALID_ARGUMENT,
      /character 33 .* past the end of line 0 \(32 characters\)/,
    );
    // A lone \r ends a line for LSP.
    result = await parser.update('a.ts', 'typescript', 'let a = 1;\rlet b = 2;\n');
    result = await parser.applyEdits('a.ts', [edit(1, 4, 1, 5, 'ç')]);
    expect(result.text).toBe('let a = 1;\rlet ç = 2;\n');
    await expectFresh(result, 'a.ts', 'typescript');
  });

  it('goes from empty text to code and back', async () => {
    const parser = documentParser();
    let result = await parser.update('e.py', 'python', '');
    expect(result.syntax.defs).toEqual([]);
    await expectFresh(result, 'e.py', 'python');
    result = await parser.applyEdits('e.py', [edit(0, 0, 0, 0, 'def f(x):\n    return x\n')]);
    expect(result.incremental).toBe(true);
    expect(result.syntax.defs.map((d) => d.name)).toEqual(['f', 'x']);
    await expectFresh(result, 'e.py', 'python');
    result = await parser.applyEdits('e.py', [edit(0, 0, 2, 0, '')]);
    expect(result.text).toBe('');
    expect(result.incremental).toBe(true);
    await expectFresh(result, 'e.py', 'python');
    result = await parser.update('e.py', 'python', 'ö = "中"\n');
    await expectFresh(result, 'e.py', 'python');
  });

  it('gives the right syntax when a file is made unparseable and then fixed', async () => {
    const parser = documentParser();
    const valid = await parser.update('a.ts', 'typescript', TS);
    expect(valid.syntax.diagnostics).toEqual([]);
    // Line 5 is `  price(count: number): number {`: remove its `{`, then a `)` elsewhere.
    const line5 = TS.split('\n')[5]!;
    let result = await parser.applyEdits('a.ts', [edit(5, line5.length - 1, 5, line5.length, '')]);
    expect(result.syntax.diagnostics.length).toBeGreaterThan(0);
    await expectFresh(result, 'a.ts', 'typescript');
    result = await parser.update(
      'a.ts',
      'typescript',
      result.text.replace('total(n: number)', 'total(n: number'),
    );
    expect(result.syntax.diagnostics.length).toBeGreaterThan(0);
    await expectFresh(result, 'a.ts', 'typescript');
    result = await parser.update(
      'a.ts',
      'typescript',
      result.text.replace('total(n: number', 'total(n: number)'),
    );
    await expectFresh(result, 'a.ts', 'typescript');
    result = await parser.applyEdits('a.ts', [edit(5, line5.length - 1, 5, line5.length - 1, '{')]);
    expect(result.text).toBe(TS);
    expect(result.incremental).toBe(true);
    expect(result.syntax).toStrictEqual(valid.syntax);
  });

  it('rejects edits it cannot place, and keeps the text and tree as they were', async () => {
    const parser = documentParser();
    await expectEngineError(
      parser.applyEdits('none.ts', [edit(0, 0, 0, 0, 'x')]),
      ERROR_CODES.NOT_FOUND,
      /none\.ts/,
    );
    await parser.update('a.ts', 'typescript', TS);
    const cases: [TextEdit, RegExp][] = [
      [edit(15, 0, 15, 0, 'x'), /line 15 .* past the end of the text \(lines 0 to 14\)/],
      [edit(3, 0, 3, 20, 'x'), /character 20 .* past the end of line 3 \(19 characters\)/],
      [edit(4, 5, 4, 2, 'x'), /range ends \(4:2\) before it starts \(4:5\)/],
      [edit(-1, 0, 0, 0, 'x'), /is not a position/],
      [edit(0, 1.5, 0, 2, 'x'), /is not a position/],
    ];
    for (const [bad, message] of cases) {
      // A good edit before the bad one is not applied either.
      await expectEngineError(
        parser.applyEdits('a.ts', [edit(0, 0, 0, 0, '/* first */ '), bad]),
        ERROR_CODES.INVALID_ARGUMENT,
        message,
      );
    }
    const result = await parser.applyEdits('a.ts', [edit(14, 0, 14, 0, 'total(1);\n')]);
    expect(result.text).toBe(`${TS}total(1);\n`);
    expect(result.incremental).toBe(true);
    await expectFresh(result, 'a.ts', 'typescript');
  });

  it('applies several edits in order, each to the text the previous one made', async () => {
    const parser = documentParser();
    await parser.update('a.go', 'go', 'package main\n\nfunc a() {}\n');
    const result = await parser.applyEdits('a.go', [
      edit(2, 5, 2, 6, 'bé'),
      edit(2, 7, 2, 7, 'x'),
      edit(3, 0, 3, 0, 'func c() { béx() }\n'),
    ]);
    expect(result.text).toBe('package main\n\nfunc béx() {}\nfunc c() { béx() }\n');
    expect(result.incremental).toBe(true);
    await expectFresh(result, 'a.go', 'go');
  });

  it('keeps at most maxTrees trees and deletes every tree exactly once', async () => {
    const made = vi.spyOn(Parser.prototype, 'parse');
    const deleted = vi.spyOn(Tree.prototype, 'delete');
    const parser = documentParser({ maxTrees: 2 });
    const files = ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({
      path: `${name}.py`,
      text: `def ${name}(x):\n    return x + ${i}\n`,
    }));
    for (let round = 0; round < 3; round++) {
      for (const file of files) {
        file.text += `\ndef ${file.path[0]}${round}():\n    return "é${round}"\n`;
        const result = await parser.update(file.path, 'python', file.text);
        // Five files round-robin through two trees: each one was evicted since its last parse.
        expect(result.incremental).toBe(false);
        await expectFresh(result, file.path, 'python');
        expect(parser.size).toBeLessThanOrEqual(2);
      }
    }
    expect(files.map((f) => parser.has(f.path))).toEqual([false, false, false, true, true]);
    // Kept trees are reused.
    const last = files[4]!;
    const result = await parser.update(last.path, 'python', `${last.text}e()\n`);
    expect(result.incremental).toBe(true);
    await expectFresh(result, last.path, 'python');
    // A tree is replaced when the language changes, and forgotten on request.
    expect((await parser.update(last.path, 'javascript', 'e();')).incremental).toBe(false);
    parser.forget(files[3]!.path);
    expect(parser.has(files[3]!.path)).toBe(false);
    expect(parser.size).toBe(1);
    parser.dispose();
    expect(parser.size).toBe(0);

    const trees = made.mock.results.map((r) => r.value as Tree | null).filter((t) => t !== null);
    const deletions = deleted.mock.contexts as Tree[];
    expect(trees.length).toBeGreaterThan(30);
    expect(new Set(deletions).size).toBe(deletions.length);
    expect(new Set(deletions)).toEqual(new Set(trees));
  });

  it('re-parses text with syntax errors afresh, unless told not to', async () => {
    const parser = documentParser({ freshOnErrors: false });
    await parser.update('a.ts', 'typescript', TS);
    const broken = await parser.update('a.ts', 'typescript', TS.replace('class Café {', 'class Café'));
    expect(broken.incremental).toBe(true);
    expect(broken.syntax.diagnostics.length).toBeGreaterThan(0);
    const strict = documentParser();
    await strict.update('a.ts', 'typescript', TS);
    const fresh = await strict.update('a.ts', 'typescript', broken.text);
    expect(fresh.incremental).toBe(false);
    await expectFresh(fresh, 'a.ts', 'typescript');
  });

  it('fails clearly when a parse runs past its time limit, and parses afresh afterwards', async () => {
    const made = vi.spyOn(Parser.prototype, 'parse');
    const deleted = vi.spyOn(Tree.prototype, 'delete');
    const parser = documentParser({ parseTimeoutMs: 0 });
    await parser.update('a.ts', 'typescript', 'let a = 1;\n');
    const huge = `let a = 1;\n${'function f(a: number) { return [a, "é", { b: a }]; }\n'.repeat(20_000)}`;
    await expectEngineError(
      parser.update('a.ts', 'typescript', huge),
      ERROR_CODES.INTERNAL,
      /longer than 0 ms/,
    );
    expect(parser.has('a.ts')).toBe(false);
    const after = await parser.update('a.ts', 'typescript', 'let b = "😀";\n');
    expect(after.incremental).toBe(false);
    await expectFresh(after, 'a.ts', 'typescript');
    parser.dispose();
    const trees = made.mock.results.map((r) => r.value as Tree | null).filter((t) => t !== null);
    expect(new Set(deleted.mock.contexts)).toEqual(new Set(trees));
  });

  it('rejects a maxTrees below one', () => {
    expect(() => new DocumentParser(testParserHost(), { maxTrees: 0 })).toThrow(/maxTrees/);
  });
});
