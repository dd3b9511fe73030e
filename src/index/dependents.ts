/**
 * @module index/dependents
 * Which files must be re-resolved after some files changed: the changed files, and every file that uses a
 * name the changed files declare, export or re-export (before or after the change), or imports a module
 * whose name is one of theirs. Files that re-export become sources of names in turn, until nothing new is
 * found. This over-approximates (a use of a common name such as `get` pulls its file in) but never misses a
 * file whose resolution can change: resolution binds only names, and every binding goes through one of them.
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
      // A file that re-exports a name of the change under another name passes it on.
      const before = names.size;
      for (const imp of graph.imports)
        if (imp.reexport && (names.has(imp.imported) || imp.imported === '*')) names.add(imp.local);
      for (const clause of graph.exportNames) if (names.has(clause.local)) names.add(clause.exported);
      if (names.size > before) grew = true;
    }
  }
  return targets;
}

/** Names a file declares, exports or re-exports, and the names of its module. */
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

function anyPart(text: string, names: ReadonlySet<string>): boolean {
  if (names.has(text)) return true;
  for (const part of text.split(SEPARATORS)) if (part !== '' && names.has(part)) return true;
  return false;
}
