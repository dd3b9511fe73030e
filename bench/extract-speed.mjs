/**
 * Syntax extraction (`extractSyntax`: query matches → FileSyntax) of the working tree against a base revision
 * (default HEAD), on the same trees and the same query, in one process. Runs from the TypeScript sources, so it
 * needs no build:
 *
 *   npx tsx bench/extract-speed.mjs check [DIR|FILE ...]   every file: JSON of old and new must be identical
 *                                                          (also after an incremental re-parse of an edit)
 *   npx tsx bench/extract-speed.mjs speed [FILE ...]       per file: median ms (old, new, query alone), MB/s
 *   npx tsx bench/extract-speed.mjs corpus [DIR ...]       whole corpus, one extraction per file: median total
 *   npx tsx bench/extract-speed.mjs profile [FILE ...]     new extraction in a loop (for `--cpu-prof`)
 *
 * Times are CPU times, old and new alternated run by run, and the speed-up is the median of the ratios of
 * neighbouring runs: on a shared machine that is steadier than a ratio of medians. `npx tsx --single-threaded …`
 * (garbage collection and compilation on the main thread, so that CPU time is the extraction's) steadies them
 * further.
 *
 * Environment: BASE (git revision of the old code, default HEAD), RUNS (default 21), MAX_PER_LANGUAGE (files
 * per language in `check`/`corpus`, default 400), MAX_BYTES (largest file, default 400000), SECONDS (profile).
 * Default corpus: fixtures/repos and bench/.work/{hono,click,ky,sympy,terraform}, plus the directories in EXTRA
 * (colon-separated), e.g. checkouts of C#, Ruby, PHP and C++ projects.
 *
 * The base revision's extract.ts, syntax.ts, node-range.ts, language.ts, language-registry.ts and adapters are
 * written to bench/.work/extract-base/<rev>/src/parse (its `base` layer is the working tree's, linked).
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Query } from 'web-tree-sitter';
import { packageAssets } from '../src/index/package-assets.ts';
import { treeEditBetween } from '../src/parse/document-parser.ts';
import { extractSyntax } from '../src/parse/extract.ts';
import { ParserHost, detectLanguage, languageById } from '../src/parse/index.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const BASE = process.env.BASE ?? 'HEAD';
const RUNS = Number(process.env.RUNS ?? 21);
const MAX_PER_LANGUAGE = Number(process.env.MAX_PER_LANGUAGE ?? 400);
const MAX_BYTES = Number(process.env.MAX_BYTES ?? 400_000);
const DEFAULT_DIRS = [
  'fixtures/repos',
  'bench/.work/hono',
  'bench/.work/click',
  'bench/.work/ky',
  'bench/.work/sympy',
  'bench/.work/terraform',
];
const DEFAULT_SPEED_FILES = [
  'src/parse/extract.ts',
  'bench/.work/hono/src/context.ts',
  'bench/.work/hono/src/jsx/intrinsic-elements.ts',
  'bench/.work/click/src/click/core.py',
  'bench/.work/terraform/internal/plans/objchange/objchange_test.go',
];

/**
 * The clock: `cpu` (default) is the process's CPU time (user + system), which waiting for a core on a loaded
 * machine does not inflate; `wall` is performance.now().
 */
const CLOCK = process.env.CLOCK ?? 'cpu';
const now =
  CLOCK === 'wall'
    ? () => performance.now()
    : () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The speed-up: the median of old/new over runs taken side by side. */
function pairedRatio(times) {
  return median(times.old.map((old, i) => old / times.new[i]));
}

/** Writes the base revision's parse files and imports its extractor and registry. */
async function loadBase() {
  const rev = execFileSync('git', ['rev-parse', '--short', BASE], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(ROOT, 'bench', '.work', 'extract-base', rev, 'src');
  const paths = execFileSync('git', ['ls-tree', '-r', '--name-only', rev, 'src/parse'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((p) =>
      /^src\/parse\/(extract|syntax|node-range|language|language-registry)\.ts$|^src\/parse\/languages\/[^/]+\/adapter\.ts$/.test(
        p,
      ),
    );
  for (const path of paths) {
    const target = join(dir, relative('src', path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, execFileSync('git', ['show', `${rev}:${path}`], { cwd: ROOT }));
  }
  if (!existsSync(join(dir, 'base'))) symlinkSync(join(ROOT, 'src', 'base'), join(dir, 'base'));
  const extract = await import(pathToFileURL(join(dir, 'parse', 'extract.ts')).href);
  const registry = await import(pathToFileURL(join(dir, 'parse', 'language-registry.ts')).href);
  return { rev, extractSyntax: extract.extractSyntax, languageById: registry.languageById };
}

const host = new ParserHost(packageAssets());
const assets = packageAssets();
const base = await loadBase();
const queries = new Map();

/** The language's query, built as ParserHost builds it (one per language, shared by old and new). */
async function queryFor(languageId, tree) {
  let query = queries.get(languageId);
  if (!query) {
    const spec = languageById(languageId);
    const sources = await Promise.all(spec.queryDirs.map((dir) => assets.queries(dir)));
    query = new Query(tree.language, sources.join('\n'));
    queries.set(languageId, query);
  }
  return query;
}

/** Everything needed to extract one file both ways. */
async function prepare(path) {
  const text = readFileSync(path, 'utf8');
  const language = detectLanguage(path, text.split('\n', 1)[0]);
  if (!language) return undefined;
  const handle = await host.language(language.id);
  const tree = handle.parse(text);
  const query = await queryFor(language.id, tree);
  const input = { tree, text, path: relative(ROOT, path), query, diagnostics: [] };
  return {
    path: relative(ROOT, path),
    language: language.id,
    text,
    tree,
    handle,
    bytes: Buffer.byteLength(text),
    old: () => base.extractSyntax({ ...input, spec: base.languageById(language.id) }),
    new: () => extractSyntax({ ...input, spec: languageById(language.id) }),
    query: () => query.matches(tree.rootNode).length,
  };
}

/** Source files under the given directories, at most MAX_PER_LANGUAGE per language (sorted, then spread). */
function corpus(args) {
  const dirs = args.length > 0 ? args : [...DEFAULT_DIRS, ...(process.env.EXTRA?.split(':') ?? [])];
  const byLanguage = new Map();
  const walk = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      const name = path.split('/').pop();
      if (name === 'node_modules' || name === '.git' || name === '.rtc') return;
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
      return;
    }
    if (!stat.isFile() || stat.size > MAX_BYTES || !extname(path)) return;
    const language = detectLanguage(path, '');
    if (!language) return;
    let list = byLanguage.get(language.id);
    if (!list) byLanguage.set(language.id, (list = []));
    list.push(path);
  };
  for (const dir of dirs) walk(resolve(ROOT, dir));
  const files = [];
  for (const [, list] of [...byLanguage].sort()) {
    const step = Math.max(1, list.length / MAX_PER_LANGUAGE);
    for (let i = 0; i < list.length; i += step) files.push(list[Math.floor(i)]);
  }
  return files;
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: old …${a.slice(Math.max(0, i - 80), i + 80)}…\n    new …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

/** An edit in the middle of the text: a line inserted before the middle line. */
function edited(text) {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  return [...lines.slice(0, middle), 'x = f(y);', ...lines.slice(middle)].join('\n');
}

async function check(args) {
  const files = corpus(args);
  const counts = new Map();
  let failures = 0;
  let incremental = 0;
  for (const file of files) {
    const prepared = await prepare(file);
    if (!prepared) continue;
    const count = counts.get(prepared.language) ?? { files: 0, bytes: 0 };
    count.files++;
    count.bytes += prepared.bytes;
    counts.set(prepared.language, count);
    const compare = (what, oldSyntax, newSyntax) => {
      const a = JSON.stringify(oldSyntax);
      const b = JSON.stringify(newSyntax);
      if (a === b) return;
      failures++;
      console.log(`DIFFERENT ${what} ${prepared.path}\n    ${firstDifference(a, b)}`);
    };
    compare('fresh', prepared.old(), prepared.new());
    // The same on a tree re-parsed incrementally after an edit (positions come from tree edits then).
    const text = edited(prepared.text);
    const edit = treeEditBetween(prepared.text, text);
    if (edit) {
      prepared.tree.edit(edit);
      const tree = prepared.handle.parse(text, prepared.tree);
      const input = {
        tree,
        text,
        path: prepared.path,
        query: queries.get(prepared.language),
        diagnostics: [],
      };
      compare(
        'incremental',
        base.extractSyntax({ ...input, spec: base.languageById(prepared.language) }),
        extractSyntax({ ...input, spec: languageById(prepared.language) }),
      );
      incremental++;
      tree.delete();
    }
    prepared.tree.delete();
  }
  for (const [language, { files: n, bytes }] of [...counts].sort())
    console.log(
      `${language.padEnd(11)} ${String(n).padStart(5)} files ${(bytes / 1e6).toFixed(2).padStart(7)} MB`,
    );
  const total = [...counts.values()].reduce((sum, c) => sum + c.files, 0);
  console.log(
    `${failures === 0 ? 'IDENTICAL' : `${failures} DIFFERENT`}: ${total} files (+${incremental} incremental re-parses), base ${base.rev}`,
  );
  if (failures > 0) process.exitCode = 1;
}

async function speed(args) {
  const files = args.length > 0 ? args : DEFAULT_SPEED_FILES.filter((f) => existsSync(join(ROOT, f)));
  console.log(
    `median of ${RUNS} runs (${CLOCK} time), old = ${base.rev}, new = working tree; MB/s of UTF-8 source`,
  );
  console.log(
    'file                                                     KB   query    old ms   new ms  speed-up  old MB/s  new MB/s',
  );
  for (const file of files) {
    const prepared = await prepare(resolve(ROOT, file));
    if (!prepared) continue;
    const times = { old: [], new: [], query: [] };
    for (let run = 0; run < RUNS + 3; run++) {
      // Alternated, so that load on the machine falls on both alike.
      for (const what of run % 2 === 0 ? ['old', 'new', 'query'] : ['query', 'new', 'old']) {
        const start = now();
        prepared[what]();
        if (run >= 3) times[what].push(now() - start);
      }
    }
    const [q, o, n] = [median(times.query), median(times.old), median(times.new)];
    const mbs = (ms) => (prepared.bytes / 1e6 / (ms / 1000)).toFixed(2);
    console.log(
      `${prepared.path.slice(-54).padEnd(54)} ${(prepared.bytes / 1000).toFixed(0).padStart(5)} ${q.toFixed(2).padStart(7)} ${o.toFixed(2).padStart(9)} ${n.toFixed(2).padStart(8)} ${pairedRatio(times).toFixed(2).padStart(8)}× ${mbs(o).padStart(9)} ${mbs(n).padStart(9)}`,
    );
    prepared.tree.delete();
  }
}

async function corpusSpeed(args) {
  const prepared = [];
  for (const file of corpus(args)) {
    const p = await prepare(file);
    if (p) prepared.push(p);
  }
  const byLanguage = new Map();
  for (const p of prepared) {
    let entry = byLanguage.get(p.language);
    if (!entry) byLanguage.set(p.language, (entry = { files: [], bytes: 0 }));
    entry.files.push(p);
    entry.bytes += p.bytes;
  }
  const runs = Math.max(3, Math.floor(RUNS / 4));
  console.log(
    `whole files, one extraction each; median of ${runs} passes (${CLOCK} time); old = ${base.rev}`,
  );
  console.log('language    files     MB   query ms    old ms    new ms  speed-up  old MB/s  new MB/s');
  const totals = { query: 0, old: 0, new: 0, bytes: 0, files: 0, runs: { query: [], old: [], new: [] } };
  for (const [language, { files, bytes }] of [...byLanguage].sort()) {
    const times = { old: [], new: [], query: [] };
    for (let run = 0; run < runs + 1; run++) {
      for (const what of run % 2 === 0 ? ['old', 'new', 'query'] : ['query', 'new', 'old']) {
        const start = now();
        for (const p of files) p[what]();
        if (run >= 1) times[what].push(now() - start);
      }
    }
    const [q, o, n] = [median(times.query), median(times.old), median(times.new)];
    for (const what of ['query', 'old', 'new'])
      times[what].forEach((t, i) => (totals.runs[what][i] = (totals.runs[what][i] ?? 0) + t));
    totals.query += q;
    totals.old += o;
    totals.new += n;
    totals.bytes += bytes;
    totals.files += files.length;
    const mbs = (ms) => (bytes / 1e6 / (ms / 1000)).toFixed(2);
    console.log(
      `${language.padEnd(10)} ${String(files.length).padStart(6)} ${(bytes / 1e6).toFixed(2).padStart(6)} ${q.toFixed(0).padStart(10)} ${o.toFixed(0).padStart(9)} ${n.toFixed(0).padStart(9)} ${pairedRatio(times).toFixed(2).padStart(8)}× ${mbs(o).padStart(9)} ${mbs(n).padStart(9)}`,
    );
  }
  const mbs = (ms) => (totals.bytes / 1e6 / (ms / 1000)).toFixed(2);
  console.log(
    `${'all'.padEnd(10)} ${String(totals.files).padStart(6)} ${(totals.bytes / 1e6).toFixed(2).padStart(6)} ${totals.query.toFixed(0).padStart(10)} ${totals.old.toFixed(0).padStart(9)} ${totals.new.toFixed(0).padStart(9)} ${pairedRatio(totals.runs).toFixed(2).padStart(8)}× ${mbs(totals.old).padStart(9)} ${mbs(totals.new).padStart(9)}`,
  );
}

async function profile(args) {
  const files = args.length > 0 ? args : DEFAULT_SPEED_FILES.filter((f) => existsSync(join(ROOT, f)));
  const prepared = [];
  for (const file of files) prepared.push(await prepare(resolve(ROOT, file)));
  const what = process.env.WHICH ?? 'new';
  const end = performance.now() + Number(process.env.SECONDS ?? 15) * 1000;
  let count = 0;
  while (performance.now() < end) {
    for (const p of prepared) {
      if (!p) continue;
      p[what]();
      count++;
    }
  }
  console.log(`${count} extractions (${what})`);
}

const [mode = 'speed', ...args] = process.argv.slice(2);
const modes = { check, speed, corpus: corpusSpeed, profile };
if (!modes[mode]) {
  console.error(`Unknown mode ${mode}: ${Object.keys(modes).join(', ')}`);
  process.exit(2);
}
await modes[mode](args);
