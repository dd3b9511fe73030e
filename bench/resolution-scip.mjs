/**
 * The SCIP side of the resolution benchmark: runs scip-typescript / scip-python on a repository, decodes
 * `index.scip` with the protobuf bindings that @sourcegraph/scip-typescript ships (dist/src/scip.js, built
 * on google-protobuf), and turns the index into a model of definitions, scopes and call edges.
 *
 * Definitions are the non-local symbols with a Definition occurrence in a document of the index (so the
 * callee is always defined in the same repository). A reference is a call when the shared textual rule
 * (resolution-text.mjs) says so and its symbol is callable: a method/function (descriptor ends in `).`),
 * a class (`#`, a call or `new` of a class) or a term that holds a function: its definition has an
 * enclosing range (`const f = () => …` in TypeScript), or our graph declares a function or method on its
 * definition line (a class property `handler = () => …`, which SCIP gives no enclosing range). `X#<constructor>().` and `X#__init__().` are normalised to `X#`.
 * The caller is the innermost scope around the reference: a definition with an `enclosing_range`, taken from
 * its name onwards (so decorators belong to the outer scope), else the module.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isCallAt } from './resolution-text.mjs';

const require = createRequire(import.meta.url);
const { scip } = require('@sourcegraph/scip-typescript/dist/src/scip.js');

const DEFINITION = scip.SymbolRole.Definition;

/** Paths of the two indexers' entry points, from this project's devDependencies. */
export function indexerPaths() {
  return {
    typescript: join(
      dirname(require.resolve('@sourcegraph/scip-typescript/package.json')),
      'dist/src/main.js',
    ),
    python: join(dirname(require.resolve('@sourcegraph/scip-python/package.json')), 'index.js'),
  };
}

/** Versions of the two indexers, for the report. */
export function indexerVersions() {
  const read = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  return { typescript: read('@sourcegraph/scip-typescript'), python: read('@sourcegraph/scip-python') };
}

/**
 * Runs the SCIP indexer for `language` on `repo`, writing `output`. `project` is the tsconfig for
 * TypeScript (omitted: --infer-tsconfig when the repository has no tsconfig.json). Throws on failure.
 */
export function runIndexer({ language, repo, output, project, projectName, projectVersion }) {
  mkdirSync(dirname(output), { recursive: true });
  const paths = indexerPaths();
  let args;
  if (language === 'typescript') {
    args = [paths.typescript, 'index', '--cwd', repo, '--output', output, '--no-progress-bar'];
    if (project) args.push(project);
    else if (!existsSync(join(repo, 'tsconfig.json'))) args.push('--infer-tsconfig');
  } else {
    args = [paths.python, 'index', '--cwd', repo, '--output', output, '--quiet'];
    args.push('--project-name', projectName, '--project-version', projectVersion);
  }
  // A src-layout Python project: put src/ on the path so that pyright resolves `import pkg` (in tests,
  // examples) to the repository's own code and not to a copy of the package installed in site-packages.
  const env = { ...process.env };
  if (language === 'python' && existsSync(join(repo, 'src'))) {
    env.PYTHONPATH = [join(repo, 'src'), env.PYTHONPATH].filter(Boolean).join(':');
  }
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: repo,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0 || !existsSync(output)) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-20).join('\n');
    throw new Error(`SCIP indexer failed (${args.slice(1).join(' ')}):\n${tail}`);
  }
  const prefix = env.PYTHONPATH && language === 'python' ? `PYTHONPATH=${env.PYTHONPATH} ` : '';
  return { seconds: (performance.now() - started) / 1000, command: `${prefix}node ${args.join(' ')}` };
}

/** A SCIP range ([line, start, end] or [startLine, startChar, endLine, endChar]) as {start, end}. */
function toRange(r) {
  return r.length === 3
    ? { start: { line: r[0], character: r[1] }, end: { line: r[0], character: r[2] } }
    : { start: { line: r[0], character: r[1] }, end: { line: r[2], character: r[3] } };
}

/** Decodes an index.scip file into plain documents. */
export function readIndex(file) {
  const index = scip.Index.deserializeBinary(readFileSync(file));
  const documents = index.documents.map((doc) => ({
    path: doc.relative_path,
    occurrences: doc.occurrences.map((o) => ({
      range: toRange(o.range),
      symbol: o.symbol,
      definition: (o.symbol_roles & DEFINITION) !== 0,
      enclosing: o.enclosing_range.length > 0 ? toRange(o.enclosing_range) : undefined,
    })),
  }));
  const tool = index.metadata?.tool_info;
  return { tool: tool ? `${tool.name} ${tool.version}` : 'unknown', documents };
}

export const isLocalSymbol = (symbol) => symbol.startsWith('local ');
/** Methods and functions: the last descriptor is `name().` (or `name(+1).` for a disambiguated one). */
const isMethodSymbol = (symbol) => /\)\.$/.test(symbol);
/** Types: the last descriptor ends in `#` (classes, interfaces, type aliases). */
const isTypeSymbol = (symbol) => symbol.endsWith('#');
/** Terms: the last descriptor ends in `.` but is not a method (variables, properties). */
const isTermSymbol = (symbol) => symbol.endsWith('.') && !isMethodSymbol(symbol);

/** `X#<constructor>().` and `X#__init__().` name the class `X#` as a callee. */
export function normaliseCallee(symbol) {
  const m = /^(.*#)(<constructor>|__init__)\(\)\.$/.exec(symbol);
  return m ? m[1] : symbol;
}

/** A short, readable name for a symbol: its descriptors after the file part. */
export function symbolLabel(symbol) {
  const i = symbol.lastIndexOf('`/');
  return i >= 0 ? symbol.slice(i + 2) : symbol.split(' ').slice(4).join(' ');
}

const before = (a, b) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (range, pos) => before(range.start, pos) && before(pos, range.end);

/**
 * Builds the model of one index: definitions by symbol and by line, scopes, and call sites.
 * `sources` is a SourceCache of the repository; `jsLike` selects the TypeScript forms of the call rule.
 */
export function buildScipModel(index, sources, jsLike) {
  const files = new Set(index.documents.map((d) => d.path));
  /** symbol -> [{path, line, character, enclosing}] (non-local definitions only) */
  const defs = new Map();
  /** 'path:line' -> [{symbol, character, local}] (every definition occurrence, locals included) */
  const defsAtLine = new Map();
  for (const doc of index.documents) {
    for (const o of doc.occurrences) {
      if (!o.definition) continue;
      const local = isLocalSymbol(o.symbol);
      const at = `${doc.path}:${o.range.start.line}`;
      if (!defsAtLine.has(at)) defsAtLine.set(at, []);
      defsAtLine.get(at).push({ symbol: o.symbol, character: o.range.start.character, local });
      if (local) continue;
      if (!defs.has(o.symbol)) defs.set(o.symbol, []);
      defs.get(o.symbol).push({ path: doc.path, ...o.range.start, enclosing: o.enclosing });
    }
  }

  /** The key of a symbol: the file and one-based line of its last definition (implementations follow overloads). */
  const keyOf = (symbol) => {
    const list = defs.get(symbol);
    if (!list) return undefined;
    const last = list.reduce((a, b) => (b.path === a.path && b.line > a.line ? b : a));
    return `${last.path}:${last.line + 1}`;
  };
  // Labels for keys: several symbols can share a line (a method and its parameters); prefer methods.
  const rank = (symbol) =>
    isMethodSymbol(symbol) ? 0 : isTypeSymbol(symbol) ? 1 : isTermSymbol(symbol) ? 2 : 3;
  const labelRank = new Map();
  const labels = new Map();
  for (const symbol of defs.keys()) {
    const key = keyOf(symbol);
    if (rank(symbol) < (labelRank.get(key) ?? 3)) {
      labelRank.set(key, rank(symbol));
      labels.set(key, symbolLabel(symbol));
    }
  }

  /** Scopes per file: [{range, symbol}] from definitions with an enclosing range, starting at the name. */
  const scopes = new Map();
  for (const [symbol, list] of defs) {
    if (symbol.endsWith('/') || symbol.endsWith(':')) continue; // modules
    for (const d of list) {
      if (!d.enclosing) continue;
      const name = { line: d.line, character: d.character };
      const start = before(d.enclosing.start, name) ? name : d.enclosing.start;
      addScope(scopes, d.path, { range: { start, end: d.enclosing.end }, symbol });
    }
  }

  /** Candidate call sites: [{path, range, callee (normalised symbol)}]; scipCallEdges keeps the callable ones. */
  const sites = [];
  for (const doc of index.documents) {
    const source = sources.get(doc.path);
    if (!source) continue;
    const seen = new Set();
    for (const o of doc.occurrences) {
      if (o.definition || isLocalSymbol(o.symbol)) continue;
      const callee = normaliseCallee(o.symbol);
      if (!defs.has(callee) || !isCallAt(source, o.range, jsLike)) continue;
      const id = `${o.range.start.line}:${o.range.start.character}:${callee}`;
      if (seen.has(id)) continue;
      seen.add(id);
      sites.push({ path: doc.path, range: o.range, callee });
    }
  }
  const functionTerms = new Set();
  const model = { tool: index.tool, files, defs, defsAtLine, scopes, sites, keyOf, labels, functionTerms };
  /** Callable: a method/function, a class, or a term known to hold a function. */
  model.isCallable = (symbol) =>
    isMethodSymbol(symbol) ||
    isTypeSymbol(symbol) ||
    (isTermSymbol(symbol) && (functionTerms.has(symbol) || defs.get(symbol).some((d) => d.enclosing)));
  return model;
}

function addScope(scopes, path, scope) {
  if (!scopes.has(path)) scopes.set(path, []);
  scopes.get(path).push(scope);
}

/** The name in a symbol's last descriptor: `exit` for `…/Context#exit().`, `header` for `…/Context#header.`. */
export function descriptorName(symbol) {
  const body = symbol.replace(/(\(\))?\.$/, '');
  const m = /(`[^`]*`|[^/#.`]+)$/.exec(body);
  return m ? m[1].replace(/^`|`$/g, '') : '';
}

/**
 * Adds scopes for non-local definitions that SCIP gives no enclosing range (TypeScript class properties
 * holding arrow functions, `x = lambda: …` in Python…), using the range of our function declaration on
 * the same line, so that both sides attribute the calls inside it to the same symbol; such a term then
 * counts as callable. Our declaration must carry the symbol's name, or be its initializer (the text from
 * the name to our declaration is `= ` or `: Type = `, optionally `async`).
 * `ourDeclarations`: [{path, line, character, name, range}] of our function and method nodes.
 */
export function addFallbackScopes(model, ourDeclarations, sources) {
  const hasScope = new Set();
  for (const list of model.scopes.values()) for (const s of list) hasScope.add(s.symbol);
  for (const decl of ourDeclarations) {
    const candidates = (model.defsAtLine.get(`${decl.path}:${decl.line}`) ?? []).filter(
      (d) => !d.local && !hasScope.has(d.symbol) && (isMethodSymbol(d.symbol) || isTermSymbol(d.symbol)),
    );
    const match = candidates.find(
      (d) =>
        descriptorName(d.symbol) === decl.name ||
        (d.character < decl.range.start.character &&
          isInitializer(sources.get(decl.path), decl.line, d.character, decl.range.start)),
    );
    if (!match) continue;
    addScope(model.scopes, decl.path, { range: decl.range, symbol: match.symbol });
    if (isTermSymbol(match.symbol)) model.functionTerms.add(match.symbol);
    hasScope.add(match.symbol);
  }
}

/** Whether the text from a name at (line, character) to `start` is `name = ` or `name: Type = ` (+ `async`). */
function isInitializer(source, line, character, start) {
  if (!source || start.line !== line) return false;
  const text = source
    .slice({ line, character }, start)
    .replace(/\s+$/, '')
    .replace(/(^|\s)async$/, '')
    .replace(/\s+$/, '');
  return (
    /^[\p{L}\p{N}_$#]+/u.test(text) && text.endsWith('=') && !/[=!<>]=$/.test(text) && !text.includes(';')
  );
}

/** The non-local callable-kind symbol defined on `path:line` (the one nearest `character` when several). */
export function globalSymbolAt(model, path, line, character, accept = () => true) {
  const list = (model.defsAtLine.get(`${path}:${line}`) ?? []).filter(
    (d) =>
      !d.local &&
      (isMethodSymbol(d.symbol) || isTypeSymbol(d.symbol) || isTermSymbol(d.symbol)) &&
      accept(d.symbol),
  );
  if (list.length === 0) return undefined;
  return list.reduce((a, b) =>
    Math.abs(b.character - character) < Math.abs(a.character - character) ? b : a,
  ).symbol;
}

/** Whether `path:line` holds only local definitions (a function-scoped declaration in SCIP's eyes). */
export function onlyLocalsAt(model, path, line) {
  const list = model.defsAtLine.get(`${path}:${line}`) ?? [];
  return list.length > 0 && list.every((d) => d.local);
}

/** The innermost scope symbol around a position, or undefined (module level). */
export function scopeAt(model, path, pos) {
  let best;
  for (const s of model.scopes.get(path) ?? []) {
    if (!contains(s.range, pos)) continue;
    if (!best || before(best.range.start, s.range.start)) best = s;
  }
  return best?.symbol;
}

/** The caller key of a scope symbol, or the module key. */
export const moduleKey = (path) => `${path}:<module>`;

/**
 * SCIP's call edges: Map 'callerKey -> calleeKey' to {caller, callee, sites: [{path, line, character}]}.
 * Also returns the per-site view: Map 'path:line:character' -> Set of callee keys.
 */
export function scipCallEdges(model) {
  const edges = new Map();
  const bySite = new Map();
  for (const site of model.sites) {
    if (!model.isCallable(site.callee)) continue;
    const scope = scopeAt(model, site.path, site.range.start);
    const caller = scope ? model.keyOf(scope) : moduleKey(site.path);
    const callee = model.keyOf(site.callee);
    const at = { path: site.path, line: site.range.start.line, character: site.range.start.character };
    const id = `${caller} -> ${callee}`;
    if (!edges.has(id)) edges.set(id, { caller, callee, sites: [] });
    edges.get(id).sites.push(at);
    const siteId = `${at.path}:${at.line}:${at.character}`;
    if (!bySite.has(siteId)) bySite.set(siteId, { at, caller, callees: new Set() });
    bySite.get(siteId).callees.add(callee);
  }
  return { edges, bySite };
}
