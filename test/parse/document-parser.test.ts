/**
 * @module test/parse/document-parser
 * Property tests of incremental parsing over the fixture repositories: seeded random edits (inserts, deletes,
 * replacements, across lines, beside and inside non-ASCII characters, with LF and CRLF line endings) go through
 * both `update()` and `applyEdits()`, and after each one the syntax must equal a fresh parse of the same text.
 * Also: calls apply in the order they were made, even while a grammar loads.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageAssets } from '../../src/index/package-assets.js';
import { DocumentParser, ParserHost, detectLanguage } from '../../src/parse/index.js';
import { ERROR_CODES } from '../../src/base/index.js';
import type { Position, Range } from '../../src/base/index.js';
import type { TextEdit } from '../../src/parse/index.js';
import { testParserHost } from '../support/parser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const STEPS = 60;

/** mulberry32: a small seeded PRNG, so that a failure can be replayed. */
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

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path, extensions);
      return extensions.some((ext) => entry.name.endsWith(ext)) ? [path] : [];
    })
    .sort();
}

interface Corpus {
  name: string;
  /** How a line comment starts. */
  comment: string;
  /** The path the text is parsed as (its extension picks the language). */
  path: string;
  text: string;
}

/** The fixture sources of one language joined into one file, with non-ASCII text spread through it. */
function corpus(name: string, repo: string, exts: string[], comment: string, crlf: boolean): Corpus {
  const files = filesUnder(join(ROOT, 'fixtures', 'repos', repo), exts);
  const marks = ['café naïve', '😀 emoji 🎉', '中文 注释', 'Ünïcödé ✓ 𝔘'];
  const lines = files.flatMap((file, i) => [
    `${comment} ${relative(ROOT, file)} ${marks[i % marks.length]}`,
    ...readFileSync(file, 'utf8').split('\n'),
  ]);
  const text = lines.join('\n');
  return { name, comment, path: `corpus${exts[0]!}`, text: crlf ? text.replaceAll('\n', '\r\n') : text };
}

const CORPORA: Corpus[] = [
  corpus('typescript', 'ts-shop', ['.ts'], '//', false),
  corpus('tsx', 'ts-shop', ['.tsx', '.ts'], '//', true),
  corpus('javascript', 'js-app', ['.js', '.jsx'], '//', false),
  corpus('python', 'py-library', ['.py'], '#', true),
  corpus('rust', 'rust-crate', ['.rs'], '//', false),
  corpus('go', 'go-service', ['.go'], '//', true),
  corpus('java', 'java-app', ['.java'], '//', false),
];

const FRAGMENTS = [
  'x',
  'foo',
  ' ',
  '\n',
  '\r\n',
  '(',
  ')',
  '{',
  '}',
  '"',
  "'",
  ';',
  ':',
  '//',
  '/*',
  'é',
  '😀',
  '中文',
  '\uD83D',
  'return value;\n',
  'function helper(a, b) { return a + b }\n',
  'def helper(a, b):\n    return a + b\n',
  'fn helper(a: i32) -> i32 { a }\n',
  'class Café { naïve() { return "😀" } }\n',
];

interface Change {
  start: number;
  end: number;
  text: string;
}

/** A random change: an insert, a delete or a replacement, often beside non-ASCII characters. */
function breakingChange(text: string, source: string, random: () => number): Change {
  const pick = (n: number): number => Math.floor(random() * n);
  let start = pick(text.length + 1);
  if (random() < 0.4) {
    const wide: number[] = [];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) wide.push(i);
    if (wide.length > 0) start = Math.min(text.length, Math.max(0, wide[pick(wide.length)]! + pick(5) - 2));
  }
  const kind = random();
  const length = random() < 0.2 ? pick(400) : pick(12);
  const end = kind < 0.3 ? start : Math.min(text.length, start + length);
  let inserted = '';
  if (kind >= 0.3 && kind < 0.7) {
    const from = pick(source.length);
    inserted = source.slice(from, from + pick(200));
  } else if (kind >= 0.7) {
    for (let i = 1 + pick(3); i > 0; i--) inserted += FRAGMENTS[pick(FRAGMENTS.length)]!;
  }
  return { start, end, text: inserted };
}

/** A change that usually keeps the text valid: a comment line, a renamed identifier, text in a string. */
function gentleChange(text: string, comment: string, random: () => number): Change | undefined {
  const pick = (n: number): number => Math.floor(random() * n);
  const kind = random();
  if (kind < 0.35) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const at = starts[pick(starts.length)]!;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return { start: at, end: at, text: `${comment} ${['é', '😀', '中文', 'x'][pick(4)]!} note${eol}` };
  }
  const pattern = kind < 0.7 ? /\b[a-z_][A-Za-z0-9_]{2,}\b/g : /"[^"\r\n\\]*"/g;
  const matches = [...text.matchAll(pattern)];
  const match = matches[pick(matches.length)];
  if (!match) return undefined;
  if (kind < 0.7) {
    const renamed = `${match[0]}${['é', 'x', '中', 'ñ2'][pick(4)]!}`;
    return { start: match.index, end: match.index + match[0].length, text: renamed };
  }
  // Inside a string literal, possibly between the halves of a surrogate pair.
  const at = match.index + 1 + pick(match[0].length - 1);
  const end = Math.min(at + pick(3), match.index + match[0].length - 1);
  return { start: at, end, text: ['é', '😀', '中文', '', 'ab'][pick(5)]! };
}

/** The one change between two texts (common prefix and suffix), as an editor would send it. */
function changeBetween(before: string, after: string): Change {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** LSP line starts: lines end at `\r\n`, `\r` or `\n`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** The LSP position of an offset (which must not lie between a `\r` and its `\n`). */
function positionOf(starts: number[], offset: number): Position {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return { line, character: offset - starts[line]! };
}

/** Moves an offset between `\r` and `\n` before the `\r`: LSP has no position there. */
function lspOffset(text: string, offset: number): number {
  return text[offset - 1] === '\r' && text[offset] === '\n' ? offset - 1 : offset;
}

function apply(text: string, change: Change): string {
  return text.slice(0, change.start) + change.text + text.slice(change.end);
}

/** The LSP edit of a change of `text`, with its offsets moved off the middle of line breaks. */
function lspEdit(text: string, change: Change): { edit: TextEdit; change: Change } {
  const start = lspOffset(text, change.start);
  const moved = { start, end: Math.max(start, lspOffset(text, change.end)), text: change.text };
  const starts = lineStarts(text);
  const range: Range = { start: positionOf(starts, moved.start), end: positionOf(starts, moved.end) };
  return { edit: { range, text: change.text }, change: moved };
}

describe('DocumentParser over random edits', () => {
  for (const [index, { name, path, text: source, comment }] of CORPORA.entries()) {
    it(`matches a fresh parse after each of ${STEPS} random edits (${name})`, async () => {
      const host = testParserHost();
      const language = detectLanguage(path, '')!.id;
      const parser = new DocumentParser(host);
      const random = prng(0x5e_ed + index);
      let text = source;
      /** The last text without syntax errors, to come back to. */
      let valid = source;
      let broken = false;
      let incrementalSteps = 0;
      try {
        const first = await parser.update(path, language, text);
        expect(first.incremental).toBe(false);
        expect(first.changedRanges).toEqual([]);
        expect(first.syntax).toStrictEqual(await host.extract(path, language, text));
        for (let step = 0; step < STEPS; step++) {
          const changes: Change[] = [];
          let next = text;
          const count = random() < 0.2 ? 2 + Math.floor(random() * 3) : 1;
          for (let i = 0; i < count; i++) {
            const roll = random();
            const change =
              broken && roll < 0.4
                ? changeBetween(next, valid)
                : roll < 0.65
                  ? (gentleChange(next, comment, random) ?? breakingChange(next, source, random))
                  : roll < 0.97
                    ? breakingChange(next, source, random)
                    : { start: 0, end: next.length, text: random() < 0.5 ? '' : source };
            changes.push(change);
            next = apply(next, change);
          }
          const viaEdits = random() < 0.5;
          const previous = text;
          let result;
          if (viaEdits) {
            const edits: TextEdit[] = [];
            for (const change of changes) {
              const lsp = lspEdit(text, change);
              edits.push(lsp.edit);
              text = apply(text, lsp.change);
            }
            result = await parser.applyEdits(path, edits);
          } else {
            text = next;
            result = await parser.update(path, language, text);
          }
          const context = `${name} step ${step} (${viaEdits ? 'applyEdits' : 'update'})`;
          const fresh = await host.extract(path, language, text);
          expect(result.text, context).toBe(text);
          expect(result.syntax, context).toStrictEqual(fresh);
          // Broken text is parsed afresh; anything else (and the same text again) reuses the kept tree.
          broken = fresh.diagnostics.length > 0;
          expect(result.incremental, context).toBe(!broken || text === previous);
          if (!broken) valid = text;
          if (result.incremental) incrementalSteps++;
        }
        // The walk must spend much of its time on valid text, or it would not test incremental parsing.
        expect(incrementalSteps).toBeGreaterThanOrEqual(STEPS / 4);
      } finally {
        parser.dispose();
      }
    });
  }
});

describe('DocumentParser call order', () => {
  it('runs calls in order, even while the grammar loads, and refuses calls after dispose', async () => {
    const host = new ParserHost(packageAssets());
    const parser = new DocumentParser(host);
    try {
      const first = parser.update('a.rs', 'rust', 'fn main() {}\n');
      const second = parser.applyEdits('a.rs', [
        {
          range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
          text: 'fn ß() { main() }\n',
        },
      ]);
      expect((await first).text).toBe('fn main() {}\n');
      const result = await second;
      expect(result.text).toBe('fn main() {}\nfn ß() { main() }\n');
      expect(result.incremental).toBe(true);
      expect(result.syntax).toStrictEqual(await testParserHost().extract('a.rs', 'rust', result.text));
      parser.dispose();
      expect(parser.has('a.rs')).toBe(false);
      await expect(parser.update('a.rs', 'rust', '')).rejects.toMatchObject({
        code: ERROR_CODES.CANCELLED,
        message: expect.stringMatching(/disposed/),
      });
    } finally {
      parser.dispose();
      await host.dispose();
    }
  });
});
