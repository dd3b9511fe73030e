/**
 * @module engine/navigation
 * Position-based queries over one version of a workspace, for editors: the symbol under a cursor, its
 * definition, its references (by node id, not by name), hover text, the symbol tree of a file, workspace
 * symbols, and incoming and outgoing calls with their call-site ranges. Plain data in, plain data out
 * (zero-based lines, UTF-16 columns, repository-relative paths).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparePositions } from '../base/index.js';
import type { Position, Range } from '../base/index.js';
import { SYMBOL_KINDS } from '../graph/index.js';
import type { AsgEdge, AsgNode, AsgQueries, EdgeKind, NodeKind } from '../graph/index.js';
import { toGraphNode } from './workspace.js';
import type { Workspace } from './workspace.js';
import type { GraphNode } from './types.js';

/** What is under a cursor. */
export interface SymbolAt {
  /** The node the cursor is on: a declaration, a call site, an import, or the declaration holding a reference. */
  node: GraphNode;
  /** How the cursor designates its targets. */
  via: 'declaration' | 'call' | 'reference' | 'import';
  /** The range of the name under the cursor. */
  range: Range;
  /** The symbols designated: the declaration itself, or the resolved targets of the call, reference or import. */
  targets: GraphNode[];
}

/** A place in a file. */
export interface SourceLocation {
  path: string;
  range: Range;
}

/** A node of a file's symbol tree. */
export interface DocumentSymbolNode {
  node: GraphNode;
  name: string;
  kind: string;
  range: Range;
  selectionRange: Range;
  /** The signature, when there is one. */
  detail?: string;
  children: DocumentSymbolNode[];
}

/** Calls between two declarations: the other end and where the calls are written. */
export interface CallGroup {
  /** The caller (incoming calls) or the callee (outgoing calls). */
  node: GraphNode;
  /** The call sites' ranges (the called name), in the caller's file. */
  ranges: Range[];
}

export interface PositionOptions {
  /** The file's current text (an editor's buffer); read from disk when needed and absent. */
  text?: string;
  /** The current text of other files (editors' buffers); files it does not know are read from disk. */
  readText?: (path: string) => string | undefined;
}

/** Edge kinds through which a symbol is referred to. */
const REFERENCE_EDGES: ReadonlySet<EdgeKind> = new Set<EdgeKind>([
  'references',
  'calls',
  'imports',
  'extends',
  'implements',
]);
/** Declarations a file's symbol tree shows. */
const OUTLINE_KINDS: ReadonlySet<NodeKind> = new Set(
  [...SYMBOL_KINDS].filter((kind) => kind !== 'parameter' && kind !== 'module'),
);

interface Candidate {
  node: AsgNode;
  via: SymbolAt['via'];
  range: Range;
  targets: AsgNode[];
}

/** The node under the cursor and the symbols it designates; undefined when the cursor is on none. */
export function symbolAt(
  workspace: Workspace,
  path: string,
  position: Position,
  options: PositionOptions = {},
): SymbolAt | undefined {
  const graph = workspace.graphReader;
  let best: Candidate | undefined;
  const consider = (candidate: Candidate): void => {
    if (!contains(candidate.range, position)) return;
    if (!best || isSmaller(candidate.range, best.range)) best = candidate;
  };
  const imports: AsgNode[] = [];
  for (const id of graph.nodeIds(path)) {
    const node = graph.node(id);
    if (node?.path !== path) continue;
    if (node.kind === 'import') {
      if (contains(node.range, position)) imports.push(node);
      continue;
    }
    if (node.kind === 'call_site') {
      const targets = targetsOf(graph, graph.outgoing(id, 'calls'));
      consider({ node, via: 'call', range: node.selectionRange ?? node.range, targets });
    } else if (SYMBOL_KINDS.has(node.kind) && node.selectionRange && node.kind !== 'module') {
      consider({ node, via: 'declaration', range: node.selectionRange, targets: [node] });
    }
    for (const edge of graph.outgoing(id)) {
      if (!edge.range || !REFERENCE_EDGES.has(edge.kind) || !contains(edge.range, position)) continue;
      consider({ node, via: 'reference', range: edge.range, targets: targetsOf(graph, [edge]) });
    }
  }
  if (!best && imports.length > 0) best = importAt(graph, workspace.root, path, position, imports, options);
  if (!best) return undefined;
  return {
    node: toGraphNode(best.node),
    via: best.via,
    range: best.range,
    targets: best.targets.map(toGraphNode),
  };
}

/** Where the symbol under the cursor is declared (the declaration itself, or what a use resolves to). */
export function definitionAt(
  workspace: Workspace,
  path: string,
  position: Position,
  options: PositionOptions = {},
): GraphNode[] {
  return symbolAt(workspace, path, position, options)?.targets ?? [];
}

/** Where the symbols under the cursor are referred to (by id), and optionally declared. */
export function referencesAt(
  workspace: Workspace,
  path: string,
  position: Position,
  options: PositionOptions & { includeDeclaration?: boolean } = {},
): SourceLocation[] {
  const at = symbolAt(workspace, path, position, options);
  if (!at) return [];
  const locations: SourceLocation[] = [];
  for (const target of at.targets) {
    if (options.includeDeclaration && target.path !== '')
      locations.push({ path: target.path, range: declarationRange(target) });
    locations.push(...referencesOf(workspace, target.id, options));
  }
  return uniqueLocations(locations);
}

/** Where a symbol (by id) is referred to: calls, references, imports, base classes, type uses. */
export function referencesOf(
  workspace: Workspace,
  id: string,
  options: Pick<PositionOptions, 'readText'> = {},
): SourceLocation[] {
  const graph = workspace.graphReader;
  const texts = new Map<string, string | undefined>();
  const textOf = (path: string): string | undefined => {
    if (!texts.has(path)) texts.set(path, options.readText?.(path) ?? readText(workspace.root, path));
    return texts.get(path);
  };
  const direct: SourceLocation[] = [];
  const typed: { location: SourceLocation; within: Range }[] = [];
  for (const edge of graph.incoming(id)) {
    if (!REFERENCE_EDGES.has(edge.kind)) continue;
    const source = graph.node(edge.source);
    // A module imports a module: a file's dependency, written nowhere in particular.
    if (!source || source.kind === 'module') continue;
    if (source.kind === 'type') {
      // A type names the symbol: its users are the declarations typed with it.
      for (const use of graph.incoming(source.id, 'type_dependency')) {
        const user = graph.node(use.source);
        if (user)
          typed.push({
            location: { path: user.path, range: user.selectionRange ?? user.range },
            within: user.range,
          });
      }
    } else if (source.kind === 'import') {
      direct.push({ path: source.path, range: importedNameRange(source, textOf(source.path)) });
    } else if (source.kind === 'call_site') {
      direct.push({ path: source.path, range: source.selectionRange ?? edge.range ?? source.range });
    } else {
      direct.push({ path: source.path, range: edge.range ?? source.selectionRange ?? source.range });
    }
  }
  // A type use counts only where no direct reference already points inside the declaration typed with it.
  const covered = (use: { location: SourceLocation; within: Range }): boolean =>
    direct.some(
      (d) =>
        d.path === use.location.path &&
        comparePositions(use.within.start, d.range.start) <= 0 &&
        comparePositions(d.range.end, use.within.end) <= 0,
    );
  return uniqueLocations([...direct, ...typed.filter((use) => !covered(use)).map((use) => use.location)]);
}

/** Hover text of the symbol under the cursor: its signature in a code block, then its doc comment. */
export function hoverAt(
  workspace: Workspace,
  path: string,
  position: Position,
  options: PositionOptions = {},
): { node: GraphNode; markdown: string; range: Range } | undefined {
  const at = symbolAt(workspace, path, position, options);
  if (!at) return undefined;
  const node = at.targets[0] ?? at.node;
  return { node, markdown: hoverMarkdown(node), range: at.range };
}

/** The markdown of a hover: signature (fenced, with the language id), doc, kind and place. */
export function hoverMarkdown(node: GraphNode): string {
  const parts = [
    '```' + (node.language ?? '') + '\n' + (node.signature ?? `${node.kind} ${node.qualifiedName}`) + '\n```',
  ];
  if (node.doc) parts.push(node.doc);
  const place = node.path === '' ? '' : ` in \`${node.path}:${node.range.start.line + 1}\``;
  parts.push(`*${node.kind}* \`${node.qualifiedName}\`${place}`);
  return parts.join('\n\n');
}

/** The declarations of a file as a tree (class → methods, function → nested functions), in source order. */
export function documentSymbols(workspace: Workspace, path: string): DocumentSymbolNode[] {
  const graph = workspace.graphReader;
  const kept = new Map<string, DocumentSymbolNode>();
  for (const id of graph.nodeIds(path)) {
    const node = graph.node(id);
    if (node?.path !== path || !OUTLINE_KINDS.has(node.kind) || node.meta?.anonymous === true) continue;
    kept.set(id, {
      node: toGraphNode(node),
      name: node.name,
      kind: node.kind,
      range: node.range,
      selectionRange:
        node.selectionRange && contains(node.range, node.selectionRange.start)
          ? node.selectionRange
          : node.range,
      ...(node.signature ? { detail: node.signature } : {}),
      children: [],
    });
  }
  const roots: DocumentSymbolNode[] = [];
  for (const [id, symbol] of kept) {
    // The nearest enclosing declaration that the tree shows (anonymous functions are skipped through).
    let parent: DocumentSymbolNode | undefined;
    let owner = graph.ownerOf(id);
    for (let depth = 0; owner?.path === path && depth < 64; depth++) {
      parent = kept.get(owner.id);
      if (parent) break;
      owner = graph.ownerOf(owner.id);
    }
    (parent ? parent.children : roots).push(symbol);
  }
  const sort = (list: DocumentSymbolNode[]): DocumentSymbolNode[] => {
    list.sort((a, b) => comparePositions(a.range.start, b.range.start));
    for (const item of list) sort(item.children);
    return list;
  };
  return sort(roots);
}

/** Symbols of the whole workspace whose name matches `query` (a substring, or `*` wildcards; empty: all). */
export function workspaceSymbols(workspace: Workspace, query: string, limit = 200): GraphNode[] {
  return workspace.graphReader
    .searchSymbols(query, limit)
    .filter((node) => node.kind !== 'parameter')
    .map(toGraphNode);
}

/** A node by id, or undefined. */
export function nodeById(workspace: Workspace, id: string): GraphNode | undefined {
  const node = workspace.graphReader.node(id);
  return node ? toGraphNode(node) : undefined;
}

/** Who calls the symbol `id`: one group per calling declaration, with the ranges of its calls. */
export function incomingCalls(workspace: Workspace, id: string): CallGroup[] {
  const graph = workspace.graphReader;
  const groups = new Map<string, { node: AsgNode; ranges: Range[] }>();
  for (const { site, caller } of graph.callersOf(id)) {
    const from = caller ?? site;
    const group = groups.get(from.id) ?? { node: from, ranges: [] };
    group.ranges.push(site.selectionRange ?? site.range);
    groups.set(from.id, group);
  }
  return toCallGroups(groups);
}

/** What the symbol `id` calls (resolved calls only): one group per callee, with the ranges of the calls. */
export function outgoingCalls(workspace: Workspace, id: string): CallGroup[] {
  const graph = workspace.graphReader;
  const groups = new Map<string, { node: AsgNode; ranges: Range[] }>();
  for (const { site, targets } of graph.calleesOf(id)) {
    for (const { node } of targets) {
      const group = groups.get(node.id) ?? { node, ranges: [] };
      group.ranges.push(site.selectionRange ?? site.range);
      groups.set(node.id, group);
    }
  }
  return toCallGroups(groups);
}

function toCallGroups(groups: Map<string, { node: AsgNode; ranges: Range[] }>): CallGroup[] {
  return [...groups.values()]
    .map(({ node, ranges }) => ({
      node: toGraphNode(node),
      ranges: ranges.sort((a, b) => comparePositions(a.start, b.start)),
    }))
    .sort(
      (a, b) =>
        a.node.path.localeCompare(b.node.path) || comparePositions(a.node.range.start, b.node.range.start),
    );
}

/** The symbols edges lead to; a shared type node stands for the symbols it names, an import for what it imports. */
function targetsOf(graph: AsgQueries, edges: readonly AsgEdge[]): AsgNode[] {
  const targets: AsgNode[] = [];
  const seen = new Set<string>();
  const add = (node: AsgNode | undefined, depth: number): void => {
    if (!node || seen.has(node.id)) return;
    seen.add(node.id);
    if ((node.kind === 'type' || node.kind === 'import') && depth < 4) {
      const next = graph.outgoing(node.id, node.kind === 'type' ? 'references' : 'imports');
      if (next.length > 0) {
        for (const edge of next) add(graph.node(edge.target), depth + 1);
        return;
      }
    }
    targets.push(node);
  };
  for (const edge of edges) add(graph.node(edge.target), 0);
  return targets;
}

/**
 * The import under the cursor. Imports have the statement's range (several names share it): the word under
 * the cursor picks one by its local or imported name.
 */
function importAt(
  graph: AsgQueries,
  root: string,
  path: string,
  position: Position,
  imports: AsgNode[],
  options: PositionOptions,
): Candidate | undefined {
  let chosen = imports.length === 1 ? imports[0] : undefined;
  let range = chosen?.range;
  const text = options.text ?? readText(root, path);
  const word = text === undefined ? undefined : wordAt(text, position);
  if (word) {
    const named = imports.find(
      (node) => node.name === word.text || node.qualifiedName.includes(`:${word.text}`),
    );
    if (named) {
      chosen = named;
      range = word.range;
    } else if (imports.length === 1 && /^['"`]|['"`]$/.test(word.text)) {
      range = word.range;
    }
  }
  if (!chosen || !range) return undefined;
  return {
    node: chosen,
    via: 'import',
    range,
    targets: targetsOf(graph, graph.outgoing(chosen.id, 'imports')),
  };
}

/** Where a declaration's name is (a module: the start of its file). */
function declarationRange(node: GraphNode): Range {
  if (node.kind === 'module') return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return node.selectionRange ?? node.range;
}

/** The range of the imported name in an import statement (the statement's range when it is not found). */
function importedNameRange(node: AsgNode, text: string | undefined): Range {
  const imported = node.qualifiedName
    .slice(node.qualifiedName.lastIndexOf(':') + 1)
    .split(' as ')[0]!
    .trim();
  const name = /^[\p{L}\p{N}_$]+$/u.test(imported) ? imported : node.name;
  if (text === undefined || !/^[\p{L}\p{N}_$]+$/u.test(name)) return node.range;
  const lines = text.split('\n');
  for (let line = node.range.start.line; line <= node.range.end.line && line < lines.length; line++) {
    const from = line === node.range.start.line ? node.range.start.character : 0;
    const to = line === node.range.end.line ? node.range.end.character : lines[line]!.length;
    const match = new RegExp(
      `(?<![\\p{L}\\p{N}_$])${name.replaceAll('$', '\\$')}(?![\\p{L}\\p{N}_$])`,
      'u',
    ).exec(lines[line]!.slice(from, to));
    if (match)
      return {
        start: { line, character: from + match.index },
        end: { line, character: from + match.index + name.length },
      };
  }
  return node.range;
}

function readText(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** The identifier at a position, with its range. */
export function wordAt(text: string, position: Position): { text: string; range: Range } | undefined {
  let lineStart = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', lineStart);
    if (next < 0) return undefined;
    lineStart = next + 1;
  }
  const lineEnd = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const isWord = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_$]/u.test(ch);
  let start = Math.min(position.character, line.length);
  let end = start;
  while (start > 0 && isWord(line[start - 1])) start--;
  while (end < line.length && isWord(line[end])) end++;
  if (start === end) return undefined;
  return {
    text: line.slice(start, end),
    range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
  };
}

function contains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** Whether `a` is smaller than `b` (for ranges that both hold one position). */
function isSmaller(a: Range, b: Range): boolean {
  const lines = a.end.line - a.start.line - (b.end.line - b.start.line);
  if (lines !== 0) return lines < 0;
  return a.end.character - a.start.character < b.end.character - b.start.character;
}

function uniqueLocations(locations: readonly SourceLocation[]): SourceLocation[] {
  const seen = new Set<string>();
  const unique: SourceLocation[] = [];
  for (const location of locations) {
    const { start, end } = location.range;
    const key = `${location.path}:${start.line}:${start.character}:${end.line}:${end.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(location);
  }
  return unique.sort(
    (a, b) => a.path.localeCompare(b.path) || comparePositions(a.range.start, b.range.start),
  );
}
