/**
 * Incremental against fresh parsing of one TypeScript file after a one-line edit: `DocumentParser.update()`
 * (the kept tree is edited and reused) and `applyEdits()` (an LSP edit, no diffing) against
 * `ParserHost.extract()` (a fresh parse). Parse and extraction times are reported apart; every number is the
 * median of RUNS runs (default 21). Runs from the TypeScript sources, so it needs no build:
 *
 *   npx tsx bench/incremental-parse.mjs [FILE.ts ...]     (RUNS=31 npx tsx … for more runs)
 *
 * Default files: src/parse/extract.ts and, when present, bench/.work/hono/src/jsx/intrinsic-elements.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { packageAssets } from '../src/index/package-assets.ts';
import { DocumentParser, ParserHost } from '../src/parse/index.ts';

const RUNS = Number(process.env.RUNS ?? 21);
const WARMUP = 5;
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : ['src/parse/extract.ts', 'bench/.work/hono/src/jsx/intrinsic-elements.ts'].filter((f) => existsSync(f));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(3)} ms`;

/**
 * Where to insert one line in the middle of the file: before a statement, so that a statement keeps it valid,
 * else (declarations only) a comment line.
 */
function editPoint(text) {
  const lines = text.split('\n');
  const statements = lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => /^\s+(const|let|return) /.test(line));
  const line =
    statements.length > 0
      ? statements[Math.floor(statements.length / 2)].index
      : Math.floor(lines.length / 2);
  const indent = /^\s*/.exec(lines[line])[0];
  const insert = (inserted) =>
    [...lines.slice(0, line), `${indent}${inserted}`, ...lines.slice(line)].join('\n');
  const valid = `${statements.length > 0 ? '' : '// '}const benchEdited = compute(1, "é");`;
  return { line, insertedLine: `${indent}${valid}\n`, edited: insert(valid), broken: insert('const x = (;') };
}

async function measure(host, path, text) {
  const language = 'typescript';
  const handle = await host.language(language);
  const base = text;
  const { line, insertedLine, edited, broken } = editPoint(text);
  const texts = [base, edited];
  const rows = {};
  const add = (name, value) => (rows[name] ??= []).push(value);

  // Fresh: ParserHost.extract, and its two halves through the language handle.
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const current = texts[run % 2];
    let start = performance.now();
    await host.extract(path, language, current);
    const total = performance.now() - start;
    start = performance.now();
    const tree = handle.parse(current);
    const parsed = performance.now();
    handle.extract(tree, path, current);
    const extracted = performance.now();
    tree.delete();
    if (run < WARMUP) continue;
    add('fresh: ParserHost.extract (total)', total);
    add('fresh: parse', parsed - start);
    add('fresh: extract', extracted - parsed);
  }

  // Incremental: update() with the full new text, alternating between the two versions (one line each way).
  const parser = new DocumentParser(host);
  await parser.update(path, language, base);
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const current = texts[(run + 1) % 2];
    const start = performance.now();
    const result = await parser.update(path, language, current);
    const total = performance.now() - start;
    if (!result.incremental) throw new Error('update() did not reuse the kept tree');
    if (run < WARMUP) continue;
    add('update(): parse', result.parseMs);
    add('update(): extract', result.extractMs);
    add('update(): total (diff + edit + parse + extract)', total);
  }
  parser.forget(path);

  // Incremental: applyEdits() with the LSP edit that inserts or deletes the line.
  await parser.update(path, language, base);
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const insert = run % 2 === 0;
    const range = insert
      ? { start: { line, character: 0 }, end: { line, character: 0 } }
      : { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
    const start = performance.now();
    const result = await parser.applyEdits(path, [{ range, text: insert ? insertedLine : '' }]);
    const total = performance.now() - start;
    if (!result.incremental) throw new Error('applyEdits() did not reuse the kept tree');
    if (run < WARMUP) continue;
    add('applyEdits(): parse', result.parseMs);
    add('applyEdits(): total', total);
  }
  parser.dispose();

  // Broken text: by default parsed again afresh after the incremental parse, so that its syntax is exact.
  for (const freshOnErrors of [true, false]) {
    const brokenParser = new DocumentParser(host, { freshOnErrors });
    await brokenParser.update(path, language, base);
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const result = await brokenParser.update(path, language, run % 2 === 0 ? broken : base);
      if (run < WARMUP || run % 2 === 1) continue;
      add(`update() to broken text, freshOnErrors ${freshOnErrors}: parse`, result.parseMs);
    }
    brokenParser.dispose();
  }

  console.log(
    `\n${path}: ${text.split('\n').length} lines, ${text.length} UTF-16 units, one-line edit at line ${line + 1}`,
  );
  for (const [name, values] of Object.entries(rows))
    console.log(`  ${name.padEnd(58)} ${ms(median(values))}`);
}

const host = new ParserHost(packageAssets());
console.log(`medians of ${RUNS} runs (after ${WARMUP} warm-up runs)`);
for (const file of files) await measure(host, file, readFileSync(file, 'utf8'));
await host.dispose();
