/**
 * @module test/graph/incremental-resolution
 * The incremental resolver, after any sequence of edits (files removed, re-added, replaced by the graph of
 * an edited source: a function renamed, a declaration deleted, a call or a typed chain of calls added),
 * returns for any targets exactly what a fresh `resolveWorkspace` over the current files returns, on every
 * fixture repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFileGraph, IncrementalResolver, resolveWorkspace } from '../../src/graph/index.js';
import type { FileGraph, ProjectConfig, ResolutionResult } from '../../src/graph/index.js';
import { buildWorkspaceGraph } from '../../src/index/index.js';
import { extractFile } from '../support/parser.js';

const REPOS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');
const repos = readdirSync(REPOS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name);

/** A small seeded generator (mulberry32): the same seed gives the same edits. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rng() * items.length)];
}

const DECLARATIONS = new Set([
  'function',
  'method',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'variable',
]);

function assignment(language: string, variable: string, call: string): string {
  switch (language) {
    case 'python':
      return `${variable} = ${call}`;
    case 'go':
      return `${variable} := ${call}`;
    case 'rust':
      return `let ${variable} = ${call};`;
    case 'java':
      return `var ${variable} = ${call};`;
    default:
      return `const ${variable} = ${call};`;
  }
}

/** An edited version of a file's text, or undefined when the file offers nothing to edit. */
function editText(
  rng: () => number,
  graph: FileGraph,
  text: string,
  names: readonly string[],
): string | undefined {
  const lines = text.split('\n');
  const declared = graph.nodes.filter((n) => DECLARATIONS.has(n.kind) && n.selectionRange);
  const bodies = graph.nodes.filter(
    (n) => (n.kind === 'function' || n.kind === 'method') && n.range.end.line > n.range.start.line + 1,
  );
  const name = pick(rng, names) ?? 'helper';
  const member = pick(rng, names) ?? 'run';
  switch (pick(rng, ['rename', 'delete', 'call', 'chain'] as const)) {
    case 'rename': {
      const node = pick(rng, declared);
      const at = node?.selectionRange;
      if (!node || !at || at.start.line !== at.end.line) return undefined;
      const line = lines[at.start.line]!;
      lines[at.start.line] = `${line.slice(0, at.end.character)}Renamed${line.slice(at.end.character)}`;
      return lines.join('\n');
    }
    case 'delete': {
      const node = pick(rng, declared);
      if (!node) return undefined;
      lines.splice(node.range.start.line, node.range.end.line - node.range.start.line + 1);
      return lines.join('\n');
    }
    case 'call':
    case 'chain': {
      const body = pick(rng, bodies);
      if (!body) return undefined;
      const next = lines[body.range.start.line + 1] ?? '';
      const indent = /^\s*/.exec(next)![0] || '    ';
      const added = [
        `${indent}${assignment(graph.language, 'zz', `${name}()`)}`,
        `${indent}zz.${member}()${graph.language === 'python' ? '' : ';'}`,
      ];
      lines.splice(body.range.start.line + 1, 0, ...(rng() < 0.5 ? added : [`${indent}${name}();`]));
      return lines.join('\n');
    }
    case undefined:
      return undefined;
  }
}

function sameResult(actual: ResolutionResult, expected: ResolutionResult, context: string): void {
  expect([...actual.byFile.keys()], context).toEqual([...expected.byFile.keys()]);
  for (const [path, own] of expected.byFile)
    expect(actual.byFile.get(path), `${context} ${path}`).toStrictEqual(own);
  expect(actual.edges, context).toStrictEqual(expected.edges);
  expect({ calls: actual.calls, references: actual.references, imports: actual.imports }, context).toEqual({
    calls: expected.calls,
    references: expected.references,
    imports: expected.imports,
  });
}

interface Workspace {
  dir: string;
  config: ProjectConfig;
  original: Map<string, FileGraph>;
  texts: Map<string, string>;
}

async function workspaceOf(repo: string): Promise<Workspace> {
  const dir = join(REPOS, repo);
  const { fileGraphs, config } = await buildWorkspaceGraph(dir, { workers: 0 });
  const texts = new Map(fileGraphs.map((g) => [g.path, readFileSync(join(dir, g.path), 'utf8')]));
  return { dir, config, original: new Map(fileGraphs.map((g) => [g.path, g])), texts };
}

/** Runs seeded edits; returns how many steps changed the full resolution (so that the checks are not idle). */
async function runEdits(workspace: Workspace, seed: number, steps: number): Promise<number> {
  const rng = random(seed);
  const current = new Map(workspace.original);
  const texts = new Map(workspace.texts);
  const removed = new Map<string, FileGraph>();
  const resolver = new IncrementalResolver([...current.values()], workspace.config);
  const ordered = (): FileGraph[] => [...current.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  // Names other files declare: what an added call may bind to.
  const names = [
    ...new Set(
      [...current.values()].flatMap((g) => [
        ...Object.keys(g.exports),
        ...Object.keys(g.topLevel),
        ...Object.values(g.members).flatMap((m) => Object.keys(m)),
      ]),
    ),
  ].sort();
  let previous = JSON.stringify(resolveWorkspace(ordered(), workspace.config).edges);
  let changes = 0;
  for (let step = 0; step < steps; step++) {
    const paths = [...current.keys()].sort();
    const op = pick(rng, ['edit', 'edit', 'edit', 'edit2', 'revert', 'remove', 'readd', 'none'] as const)!;
    const upsert: FileGraph[] = [];
    const remove: string[] = [];
    if ((op === 'edit' || op === 'edit2') && paths.length > 0) {
      for (let n = 0; n < (op === 'edit2' ? 2 : 1); n++) {
        const path = pick(rng, paths)!;
        const graph = current.get(path)!;
        const text = editText(rng, graph, texts.get(path)!, names);
        if (text === undefined) continue;
        const edited = buildFileGraph(await extractFile(path, text));
        texts.set(path, text);
        current.set(path, edited);
        upsert.push(edited);
      }
    } else if (op === 'revert') {
      const path = pick(rng, paths);
      if (path) {
        texts.set(path, workspace.texts.get(path)!);
        current.set(path, workspace.original.get(path)!);
        upsert.push(workspace.original.get(path)!);
      }
    } else if (op === 'remove' && paths.length > 2) {
      const path = pick(rng, paths)!;
      removed.set(path, current.get(path)!);
      current.delete(path);
      remove.push(path);
    } else if (op === 'readd') {
      const path = pick(rng, [...removed.keys()].sort());
      if (path) {
        current.set(path, removed.get(path)!);
        removed.delete(path);
        upsert.push(current.get(path)!);
      }
    }
    resolver.update({ upsert, remove });
    const files = ordered();
    expect(resolver.files.map((g) => g.path)).toEqual(files.map((g) => g.path));
    const all = resolveWorkspace(files, workspace.config);
    const context = `seed ${seed} step ${step} ${op} ${[...upsert.map((g) => g.path), ...remove].join(',')}`;
    // Some target sets first (what a live update resolves), then every file.
    for (let round = 0; round < 2; round++) {
      const targets = new Set(files.filter(() => rng() < 0.4).map((g) => g.path));
      for (const graph of upsert) if (rng() < 0.7) targets.add(graph.path);
      sameResult(
        resolver.resolve(targets),
        resolveWorkspace(files, workspace.config, { targets }),
        `${context} targets`,
      );
    }
    sameResult(resolver.resolve(), all, `${context} all`);
    const now = JSON.stringify(all.edges);
    if (now !== previous) changes++;
    previous = now;
  }
  return changes;
}

describe.each(repos)('incremental resolution of %s', (repo) => {
  it('equals a fresh resolution after every step of random edits', async () => {
    const workspace = await workspaceOf(repo);
    let changes = 0;
    for (const seed of [1, 2, 3]) changes += await runEdits(workspace, seed * 7919 + repo.length, 24);
    // The edits changed what resolution proves: a resolver that kept stale tables would have been caught.
    expect(changes).toBeGreaterThan(10);
  });
});

describe('incremental resolution', () => {
  it('re-resolves an unchanged workspace to the same result', async () => {
    const workspace = await workspaceOf('ts-shop');
    const files = [...workspace.original.values()];
    const resolver = new IncrementalResolver(files, workspace.config);
    const first = resolver.resolve();
    sameResult(resolver.resolve(), first, 'again');
    sameResult(first, resolveWorkspace(files, workspace.config), 'fresh');
  });

  it('follows a change of a class the other files call through an inferred type', async () => {
    const config = (await workspaceOf('ts-shop')).config;
    const graph = async (path: string, text: string): Promise<FileGraph> =>
      buildFileGraph(await extractFile(path, text));
    const files = [
      await graph(
        'a.ts',
        'export class Box {\n  open(): void {}\n}\nexport function make(): Box {\n  return new Box();\n}\n',
      ),
      await graph(
        'b.ts',
        "import { make } from './a';\nexport function use() {\n  const box = make();\n  box.open();\n}\n",
      ),
    ];
    const resolver = new IncrementalResolver(files, config);
    const calls = (result: ResolutionResult): number => result.byFile.get('b.ts')!.calls.resolved;
    expect(calls(resolver.resolve(new Set(['b.ts'])))).toBe(2);
    // `open` renamed: `box.open()` resolves no more, though b.ts did not change.
    const renamed = await graph(
      'a.ts',
      'export class Box {\n  shut(): void {}\n}\nexport function make(): Box {\n  return new Box();\n}\n',
    );
    resolver.update({ upsert: [renamed] });
    const after = resolver.resolve(new Set(['b.ts']));
    expect(calls(after)).toBe(1);
    sameResult(
      after,
      resolveWorkspace([renamed, files[1]!], config, { targets: new Set(['b.ts']) }),
      'renamed',
    );
  });

  it('follows base classes and detached methods that another file changes', async () => {
    const config = (await workspaceOf('ts-shop')).config;
    const graph = async (path: string, text: string): Promise<FileGraph> =>
      buildFileGraph(await extractFile(path, text));
    const child = (heritage: string): string =>
      `import { Base } from './a';\nexport class Child ${heritage}{\n  own(): void {}\n}\n`;
    const method = (name: string): string => `package shop\n\nfunc (s *Server) ${name}() {\n}\n`;
    let files = [
      await graph('a.ts', 'export class Base {\n  hello(): void {}\n}\n'),
      await graph('b.ts', child('extends Base ')),
      await graph('c.ts', "import { Child } from './b';\nexport function f(c: Child) {\n  c.hello();\n}\n"),
      await graph('shop/a.go', 'package shop\n\ntype Server struct {\n}\n'),
      await graph('shop/b.go', method('Start')),
      await graph('shop/c.go', 'package shop\n\nfunc run(s *Server) {\n  s.Start()\n}\n'),
    ];
    const resolver = new IncrementalResolver(files, config);
    const targets = new Set(['c.ts', 'shop/c.go']);
    const resolved = (result: ResolutionResult, path: string): number =>
      result.byFile.get(path)!.calls.resolved;
    const first = resolver.resolve(targets);
    sameResult(first, resolveWorkspace(files, config, { targets }), 'before');
    expect([resolved(first, 'c.ts'), resolved(first, 'shop/c.go')]).toEqual([1, 1]);
    for (const [step, replaced, calls] of [
      ['no base', await graph('b.ts', child('')), [0, 1]],
      ['renamed method', await graph('shop/b.go', method('Begin')), [0, 0]],
      ['base again', await graph('b.ts', child('extends Base ')), [1, 0]],
      ['method again', await graph('shop/b.go', method('Start')), [1, 1]],
    ] as const) {
      files = files.map((f) => (f.path === replaced.path ? replaced : f));
      resolver.update({ upsert: [replaced] });
      const result = resolver.resolve(targets);
      sameResult(result, resolveWorkspace(files, config, { targets }), step);
      expect([resolved(result, 'c.ts'), resolved(result, 'shop/c.go')], step).toEqual(calls);
    }
  });

  it('infers again the types that a changed return type changes, in files that did not change', async () => {
    const config = (await workspaceOf('ts-shop')).config;
    const graph = async (path: string, text: string): Promise<FileGraph> =>
      buildFileGraph(await extractFile(path, text));
    const classes =
      'export class Box {\n  open(): void {}\n  next(): Crate {\n    return new Crate();\n  }\n}\n' +
      'export class Crate {\n  close(): void {}\n  next(): Box {\n    return new Box();\n  }\n}\n';
    const maker = (type: string): string =>
      `import { Box, Crate } from './a';\nexport function make(): ${type} {\n  return new ${type}();\n}\n`;
    const user = (name: string, from: string): string =>
      `import { ${name} } from './${from}';\nexport function use() {\n  ${name}.open();\n  ${name}.close();\n}\n`;
    // A chain across files: m.ts infers `made` in the first sweep; b.ts, before it, sees that only in the
    // second sweep (so `second`), and aa.ts, before b.ts, never sees `second` (so `third` stays unknown).
    let files = [
      await graph('a.ts', classes),
      await graph('aa.ts', "import { second } from './b';\nexport const third = second.next();\n"),
      await graph('b.ts', "import { made } from './m';\nexport const second = made.next();\n"),
      await graph('k.ts', maker('Box')),
      await graph('m.ts', "import { make } from './k';\nexport const made = make();\n"),
      await graph('y.ts', user('third', 'aa')),
      await graph('z.ts', user('made', 'm')),
    ];
    const resolver = new IncrementalResolver(files, config);
    const targets = new Set(['y.ts', 'z.ts']);
    const first = resolver.resolve(targets);
    sameResult(first, resolveWorkspace(files, config, { targets }), 'before');
    expect(first.byFile.get('y.ts')!.calls.resolved).toBe(0);
    for (const type of ['Crate', 'Box', 'Crate']) {
      const changed = await graph('k.ts', maker(type));
      files = files.map((f) => (f.path === 'k.ts' ? changed : f));
      resolver.update({ upsert: [changed] });
      const result = resolver.resolve(targets);
      sameResult(result, resolveWorkspace(files, config, { targets }), type);
      // b.ts again (as after an edit that changes nothing): its first sweep must still not see m.ts's.
      resolver.update({ upsert: [files[2]!] });
      sameResult(resolver.resolve(), resolveWorkspace(files, config), `${type} all`);
      expect(result.byFile.get('z.ts')!.calls.resolved).toBe(1);
      const [target] = result.byFile
        .get('z.ts')!
        .edges.filter((e) => e.kind === 'calls')
        .map((e) => files[0]!.nodes.find((n) => n.id === e.target)?.qualifiedName);
      expect(target).toBe(type === 'Box' ? 'Box.open' : 'Crate.close');
      expect(result.byFile.get('y.ts')!.calls.resolved).toBe(0);
    }
  });
});
