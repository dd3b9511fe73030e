/**
 * @module index/dependents
 * Which files must be re-resolved after some files changed: the changed files, and every file that uses a
 * name the changed files declare, export or re-export (before or after the change), or imports a module
 * whose name is one of theirs. Files that re-export become sources of names in turn, until nothing new is
 * found. This over-approximates (a use of a common name such as `get` pulls its file in) but never misses a
 * file whose resolution can change: resolution binds only names, and every binding goes through one of them.
 * {@link DependentsIndex} gives the same answer from an inverted index of the names files use, for the live
 * workspace, where scanning every file on each change costs too much.
 */
import { languageFamily } from '../graph/index.js';
import type { FileGraph } from '../graph/index.js';

const SEPARATORS = /\.|::|\/|\\/;
/** File names that make a module named after their folder. */
const FOLDER_MODULES = new Set(['index', '__init__', 'mod', 'lib', 'main']);

export interface DependentsInput {
  /** The new graphs of changed files. */
  changed: readonly FileGraph[];
  /** The previous graphs of changed and removed files. */
  before: readonly FileGraph[];
  /** Every file of the new index, changed ones included. */
  files: readonly FileGraph[];
}

/** The paths to re-resolve: the changed files and their dependents. */
export function dependentsOf(input: DependentsInput): Set<string> {
  const targets = new Set(input.changed.map((g) => g.path));
  // Names by language family: code only calls code of its own family.
  const byFamily = new Map<string, Set<string>>();
  const namesOf = (graph: FileGraph): Set<string> => {
    const family = languageFamily(graph.language);
    let names = byFamily.get(family);
    if (!names) {
      names = new Set();
      byFamily.set(family, names);
    }
    return names;
  };
  for (const graph of [...input.changed, ...input.before]) addProvidedNames(graph, namesOf(graph));
  let grew = true;
  while (grew) {
    grew = false;
    for (const graph of input.files) {
      const names = byFamily.get(languageFamily(graph.language));
      if (!names || targets.has(graph.path) || !usesAny(graph, names)) continue;
      targets.add(graph.path);
      const before = names.size;
      passOn(graph, names);
      if (names.size > before) grew = true;
    }
  }
  return targets;
}

/**
 * The answer of {@link dependentsOf} for a set of files kept up to date one file at a time: for each
 * language family, which files use each name (every name and name part that `usesAny` tests). A query
 * follows the names of the change through this index instead of scanning every file, and replays the
 * passes of {@link dependentsOf} over the files in path order, so that it returns exactly what
 * `dependentsOf({ changed, before, files })` returns with `files` = the graphs set, in path order. (That
 * order matters in rare cases: a file takes part in the change only with the names known when its pass
 * reaches it.)
 */
export class DependentsIndex {
  readonly #files = new Map<string, { graph: FileGraph; family: string; uses: string[] }>();
  /** Family → name → paths of the files that use it. */
  readonly #users = new Map<string, Map<string, Set<string>>>();

  /** The number of files set. */
  get size(): number {
    return this.#files.size;
  }

  /** Sets (adds or replaces) a file's graph (kept, not copied: its re-exports are read on queries). */
  set(graph: FileGraph): void {
    this.remove(graph.path);
    const family = languageFamily(graph.language);
    const uses = [...usedNames(graph)];
    this.#files.set(graph.path, { graph, family, uses });
    let users = this.#users.get(family);
    if (!users) {
      users = new Map();
      this.#users.set(family, users);
    }
    for (const name of uses) {
      const paths = users.get(name);
      if (paths) paths.add(graph.path);
      else users.set(name, new Set([graph.path]));
    }
  }

  /** Removes a file (nothing happens for a file not set). */
  remove(path: string): void {
    const entry = this.#files.get(path);
    if (!entry) return;
    this.#files.delete(path);
    const users = this.#users.get(entry.family)!;
    for (const name of entry.uses) {
      const paths = users.get(name)!;
      paths.delete(path);
      if (paths.size === 0) users.delete(name);
    }
  }

  /**
   * The paths to re-resolve: `changed` (the new graphs of changed files, normally set already) and their
   * dependents among the files set; `before` are the previous graphs of changed and removed files.
   */
  dependentsOf(changed: readonly FileGraph[], before: readonly FileGraph[]): Set<string> {
    const targets = new Set(changed.map((g) => g.path));
    const byFamily = new Map<string, Set<string>>();
    for (const graph of [...changed, ...before]) {
      const family = languageFamily(graph.language);
      let names = byFamily.get(family);
      if (!names) {
        names = new Set();
        byFamily.set(family, names);
      }
      addProvidedNames(graph, names);
    }
    // A pass of dependentsOf visits the files in path order and takes those that use a name known by then.
    // Here a pass takes its candidates from a queue in path order: the users of the names known at its
    // start, and of names found during it if they come after the file that found them (the others wait
    // for the next pass).
    let candidates = new Set<string>();
    for (const [family, names] of byFamily) {
      const users = this.#users.get(family);
      if (!users) continue;
      for (const name of names) for (const path of users.get(name) ?? []) candidates.add(path);
    }
    for (;;) {
      const queue = new PathQueue();
      for (const path of candidates) if (!targets.has(path) && this.#files.has(path)) queue.push(path);
      const later = new Set<string>();
      let grew = false;
      for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
        if (targets.has(path)) continue;
        targets.add(path);
        const { graph, family } = this.#files.get(path)!;
        const names = byFamily.get(family)!;
        const added: string[] = [];
        passOn(graph, names, added);
        if (added.length === 0) continue;
        grew = true;
        const users = this.#users.get(family)!;
        for (const name of added) {
          for (const user of users.get(name) ?? []) {
            if (targets.has(user)) continue;
            if (user > path) queue.push(user);
            else later.add(user);
          }
        }
      }
      if (!grew) return targets;
      candidates = later;
    }
  }
}

/** A file that re-exports a name of the change under another name passes it on (`added` gets new names). */
function passOn(graph: FileGraph, names: Set<string>, added?: string[]): void {
  for (const imp of graph.imports) {
    if (!imp.reexport || !(names.has(imp.imported) || imp.imported === '*') || names.has(imp.local)) continue;
    names.add(imp.local);
    added?.push(imp.local);
  }
  for (const clause of graph.exportNames) {
    if (!names.has(clause.local) || names.has(clause.exported)) continue;
    names.add(clause.exported);
    added?.push(clause.exported);
  }
}

/** Paths in ascending order (a binary heap). */
class PathQueue {
  readonly #heap: string[] = [];

  push(path: string): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(path);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= path) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = path;
  }

  pop(): string | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

/** Names a file declares or re-exports, and the names of its module. */
function addProvidedNames(graph: FileGraph, names: Set<string>): void {
  // Locals and parameters are invisible from other files: top-level names, exports and members are not.
  for (const name of Object.keys(graph.topLevel)) names.add(name);
  for (const name of Object.keys(graph.exports)) names.add(name);
  for (const members of Object.values(graph.members))
    for (const name of Object.keys(members)) names.add(name);
  for (const detached of graph.detachedMethods) names.add(detached.name);
  for (const clause of graph.exportNames) names.add(clause.exported);
  for (const imp of graph.imports) {
    if (!imp.reexport) continue;
    names.add(imp.local);
    names.add(imp.imported);
  }
  const parts = graph.path.replace(/\.[^./]+$/, '').split('/');
  const base = parts.at(-1) ?? '';
  names.add(base);
  // `pkg/index.ts`, `pkg/__init__.py`, `pkg/mod.rs`, Go packages: the module is named after its folder.
  if (parts.length > 1 && (FOLDER_MODULES.has(base) || graph.language === 'go')) names.add(parts.at(-2)!);
}

function usesAny(graph: FileGraph, names: ReadonlySet<string>): boolean {
  for (const call of graph.calls) {
    if (names.has(call.name)) return true;
    if (call.receiver?.name !== undefined && names.has(call.receiver.name)) return true;
  }
  for (const use of graph.names) if (anyPart(use.name, names)) return true;
  for (const imp of graph.imports) {
    if (names.has(imp.imported) || names.has(imp.local) || anyPart(imp.source, names)) return true;
  }
  for (const detached of graph.detachedMethods) if (anyPart(detached.typeName, names)) return true;
  for (const heritage of graph.detachedHeritage)
    if (anyPart(heritage.typeName, names) || anyPart(heritage.base, names)) return true;
  for (const typed of Object.values(graph.typed)) if (anyPart(typed.typeName, names)) return true;
  return false;
}

/** Every name whose presence in a set makes {@link usesAny} true for the file. */
function usedNames(graph: FileGraph): Set<string> {
  const used = new Set<string>();
  const parts = (text: string): void => {
    used.add(text);
    for (const part of text.split(SEPARATORS)) if (part !== '') used.add(part);
  };
  for (const call of graph.calls) {
    used.add(call.name);
    if (call.receiver?.name !== undefined) used.add(call.receiver.name);
  }
  for (const use of graph.names) parts(use.name);
  for (const imp of graph.imports) {
    used.add(imp.imported);
    used.add(imp.local);
    parts(imp.source);
  }
  for (const detached of graph.detachedMethods) parts(detached.typeName);
  for (const heritage of graph.detachedHeritage) {
    parts(heritage.typeName);
    parts(heritage.base);
  }
  for (const typed of Object.values(graph.typed)) parts(typed.typeName);
  return used;
}

function anyPart(text: string, names: ReadonlySet<string>): boolean {
  if (names.has(text)) return true;
  for (const part of text.split(SEPARATORS)) if (part !== '' && names.has(part)) return true;
  return false;
}
