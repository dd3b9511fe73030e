/**
 * @module graph/resolver
 * Cross-file resolution: binds imports to modules and symbols, names to declarations through scopes,
 * methods on receivers whose type is known, base classes, and types; then adds the data flow that a resolved
 * call implies (argument → parameter, return value → assigned variable).
 *
 * Architecture Invariant: an edge is either proven (scope, import, declared or constructed type, class
 * hierarchy: confidence 1) or marked ambiguous with a confidence below 1. A name matched by nothing becomes
 * no edge: it is counted as unresolved (or external, when it comes from outside the workspace).
 *
 * One engine serves both a one-shot run ({@link resolveWorkspace}) and the live workspace
 * (`IncrementalResolver`). Resolution runs in stages whose results do not depend on which files are targets:
 * import targets (a pure function of the files' data), the structure (detached methods, base classes: over
 * all files, in file order), the types inferred from calls (two sweeps over all files, in file order), and
 * then each target file's own edges. In incremental mode every import target, every file's part of a sweep
 * and every file's resolution records the keys of the data it read (a file's exports, scopes, members,
 * types, parameters; derived base classes and inferred types; name tables); an update marks the keys whose
 * data changed, and only what read one of them is computed again.
 */
import { ownGet, ownSetDefault } from '../base/index.js';
import type { CallUse, FileGraph, ImportInfo, NameUse } from './file-graph.js';
import { dirnameOf, ModuleResolver } from './module-resolution.js';
import type { ModuleTarget } from './module-resolution.js';
import type { ProjectConfig } from './project-config.js';
import { CALLABLE_KINDS, CLASS_LIKE_KINDS } from './types.js';
import type { AsgEdge, AsgNode, NodeId, NodeKind, ResolutionStats } from './types.js';

/** The most candidates a name-only match may have before it is left unresolved. */
const MAX_CANDIDATES = 4;
/** Confidence of a candidate found by name alone (split between candidates). */
const NAME_ONLY_CONFIDENCE = 0.6;
/** How deep re-exports are followed. */
const MAX_EXPORT_DEPTH = 20;

const CONSTRUCTOR_NAMES: Record<string, string[]> = {
  typescript: ['constructor'],
  tsx: ['constructor'],
  javascript: ['constructor'],
  python: ['__init__'],
  ruby: ['initialize'],
  php: ['__construct'],
};

/** Objects every JavaScript runtime provides, whose methods are never the workspace's. */
const RUNTIME_GLOBALS = new Set([
  'console',
  'window',
  'document',
  'process',
  'globalThis',
  'navigator',
  'self',
  'module',
  'exports',
  'require',
  'os',
  'sys',
  're',
  'json',
  'fmt',
  'log',
  'std',
]);

const NO_IMPORTS: readonly ImportInfo[] = [];
const NO_IDS: readonly NodeId[] = [];

/** Languages where methods of the enclosing class are in scope without `this.`. */
const IMPLICIT_MEMBER_LANGUAGES = new Set(['java', 'csharp', 'cpp', 'ruby']);
/** Languages whose packages span several files that see each other's top-level names. */
const PACKAGE_SCOPED = new Set(['go', 'java', 'csharp']);
/** Languages whose top-level functions are global across files (no imports needed). */
const GLOBAL_SCOPED = new Set(['c', 'cpp', 'ruby', 'php']);

type ImportTarget =
  | { kind: 'symbol'; ids: NodeId[] }
  | { kind: 'module'; files: FileGraph[] }
  | { kind: 'external' }
  | { kind: 'unresolved' };

const UNRESOLVED: ImportTarget = { kind: 'unresolved' };

interface Lookup {
  ids: readonly NodeId[];
  /** Module targets (namespace imports, packages). */
  modules?: FileGraph[];
  external?: boolean;
}

/** Counts of resolution outcomes by kind of use. */
export interface ResolutionCounts {
  calls: ResolutionStats;
  references: ResolutionStats;
  imports: ResolutionStats;
}

/** What resolving one file's uses proved: its edges and its counts. */
export interface FileResolution extends ResolutionCounts {
  edges: AsgEdge[];
}

export interface ResolutionResult extends ResolutionCounts {
  /** Every edge of the resolved files, in file order. */
  edges: AsgEdge[];
  /** The same per resolved file (by path): the edges its uses prove, owned by that file. */
  byFile: Map<string, FileResolution>;
}

export interface ResolveOptions {
  /**
   * Paths of the files whose uses to resolve (default: all). The other files still feed the tables (symbols,
   * members, base classes, inferred types), so that a target resolves exactly as in a full run: this is how a
   * re-index re-resolves only the files that depend on a change.
   */
  targets?: ReadonlySet<string>;
}

/** Resolves every pending use of every file; returns the edges between files (and inside them) it proves. */
export function resolveWorkspace(
  files: readonly FileGraph[],
  config: ProjectConfig,
  options: ResolveOptions = {},
): ResolutionResult {
  return new ResolverEngine(files, config, false).resolve(options.targets);
}

/** Zero counts for every kind of use. */
export function emptyResolutionCounts(): ResolutionCounts {
  return {
    calls: { resolved: 0, ambiguous: 0, unresolved: 0, external: 0 },
    references: { resolved: 0, ambiguous: 0, unresolved: 0, external: 0 },
    imports: { resolved: 0, ambiguous: 0, unresolved: 0, external: 0 },
  };
}

/** Adds counts into a total. */
export function addResolutionCounts(total: ResolutionCounts, counts: ResolutionCounts): void {
  for (const use of ['calls', 'references', 'imports'] as const) {
    const into = total[use];
    const from = counts[use];
    into.resolved += from.resolved;
    into.ambiguous += from.ambiguous;
    into.unresolved += from.unresolved;
    into.external += from.external;
  }
}

/** Languages whose code calls each other's (TypeScript, TSX and JavaScript are one family). */
export function languageFamily(language: string): string {
  return language === 'tsx' || language === 'javascript' ? 'typescript' : language === 'c' ? 'cpp' : language;
}

/** The key of the package a file belongs to (Go: its folder and package name; Java, C#: the package). */
function packageKey(file: FileGraph): string {
  return file.language === 'go'
    ? `go:${dirnameOf(file.path)}:${file.packageName ?? ''}`
    : `${file.language}:${file.packageName ?? ''}`;
}

function registersPackage(file: FileGraph): boolean {
  return PACKAGE_SCOPED.has(file.language) && (file.packageName !== undefined || file.language === 'go');
}

// ---- dependency keys

/**
 * Each file has consecutive dependency keys, one per facet of what it provides; a computation that reads a
 * facet records its key, and an update marks the keys of the facets that changed.
 */
const FACET = {
  /** Everything of the file, for its own computations. */
  own: 0,
  /** Exports, export clauses, imports and top-level names. */
  exports: 1,
  scopes: 2,
  /** Members of its classes as declared. */
  members: 3,
  /** Declared types of its symbols. */
  typed: 4,
  /** Parameters and return values of its functions. */
  signatures: 5,
  /** Derived: members attached to and bases found for its classes. */
  structure: 6,
  /** Derived: the types its calls let the sweeps infer. */
  inferred: 7,
  /** Derived: its edges from the structure stage. */
  structureEdges: 8,
} as const;
const FACET_COUNT = 9;
/** Read by whoever met a node id that no file declares (marked on every update). */
const KEY_UNKNOWN = 0;
/** Marked when a file's detached methods, detached heritage or heritage uses changed. */
const KEY_STRUCTURE_INPUT = 1;
const FIRST_FREE_KEY = 2;

/** What the last `resolve` of an incremental engine computed again, and how long its stages took. */
export interface ResolverRunStats {
  /** Whether every derived result was computed again (first run, files came or went). */
  fresh: boolean;
  /** Keys of changed data the run started from (and grew by: structure, inferred types). */
  changedKeys: number;
  structureRan: boolean;
  structureMs: number;
  /** Files' parts of the two sweeps computed again. */
  sweepUnits: number;
  sweepMs: number;
  /** Target files resolved again, and those whose kept resolution was still valid. */
  resolvedFiles: number;
  reusedFiles: number;
  resolveMs: number;
}

/** A declared type: the file (path) and scope in which its name is looked up. */
interface TypedEntry {
  typeName: string;
  scope: number;
  file: string;
}

/** Declarations under one name in file order, as several files contribute them. */
interface NameList {
  key: number;
  ids: NodeId[];
  slots: Slot[];
}

interface NameCount {
  key: number;
  count: number;
}

/** One file's part of a type-inference sweep: what it read and the types it inferred. */
interface SweepUnit {
  deps: Set<number>;
  variables: NodeId[];
  entries: TypedEntry[];
}

interface InferredType {
  entry: TypedEntry;
  writer: Slot;
}

interface CachedTarget {
  target: ImportTarget;
  deps: Set<number> | undefined;
}

/** A file of the workspace and what the engine keeps of it. */
interface Slot {
  readonly path: string;
  graph: FileGraph;
  /** Position in file order. */
  rank: number;
  /** The first of its dependency keys (see FACET). */
  readonly key: number;
  heritage: NameUse[];
  /** Calls whose result is assigned to variables. */
  assigning: CallUse[];
  /** Its parts of the two sweeps (incremental mode). */
  units: [SweepUnit | undefined, SweepUnit | undefined];
  /** Its resolution and the keys it read (incremental mode). */
  result: { deps: Set<number>; resolution: FileResolution } | undefined;
  /** Its edges from the structure stage (detached methods, heritage), in order. */
  structureEdges: AsgEdge[];
}

/** The fields of an import that other files' resolution reads. */
function sameImports(a: readonly ImportInfo[], b: readonly ImportInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.scope !== y.scope ||
      x.source !== y.source ||
      x.imported !== y.imported ||
      x.local !== y.local ||
      x.reexport !== y.reexport
    )
      return false;
  }
  return true;
}

function sameHeritage(a: readonly NameUse[], b: readonly NameUse[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.from !== y.from || x.scope !== y.scope || x.name !== y.name || x.kind !== y.kind) return false;
  }
  return true;
}

/** Deep equality of plain data (arrays in order; records as maps, or in order when `ordered`). */
function sameData(a: unknown, b: unknown, ordered = false): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i], ordered)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  if (ordered) {
    const keys = Object.keys(x);
    const others = Object.keys(y);
    if (keys.length !== others.length) return false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key !== others[i] || !sameData(x[key], y[key], true)) return false;
    }
    return true;
  }
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    count++;
    if (!Object.hasOwn(y, key) || !sameData(x[key], y[key])) return false;
  }
  for (const key in y) if (Object.hasOwn(y, key)) count--;
  return count === 0;
}

function sameEdges(a: readonly AsgEdge[], b: readonly AsgEdge[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.source !== y.source ||
      x.target !== y.target ||
      x.kind !== y.kind ||
      x.ambiguous !== y.ambiguous ||
      x.confidence !== y.confidence
    )
      return false;
  }
  return true;
}

function sameIds(a: readonly NodeId[] | undefined, b: readonly NodeId[] | undefined): boolean {
  const x = a ?? NO_IDS;
  const y = b ?? NO_IDS;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

interface DeclaredNames {
  /** Callables and classes (`family:name`) → how many the file declares. */
  declared: Map<string, number>;
  /** Every symbol (`family:name`) → how many. */
  all: Map<string, number>;
}

const declaredNamesOf = new WeakMap<FileGraph, DeclaredNames>();

/** The names a file declares (computed once per graph). */
function namesOf(file: FileGraph): DeclaredNames {
  let names = declaredNamesOf.get(file);
  if (!names) {
    names = countNames(file);
    declaredNamesOf.set(file, names);
  }
  return names;
}

function countNames(file: FileGraph): DeclaredNames {
  const family = languageFamily(file.language);
  const declared = new Map<string, number>();
  const all = new Map<string, number>();
  for (const node of file.nodes) {
    if (CALLABLE_KINDS.has(node.kind) || CLASS_LIKE_KINDS.has(node.kind)) {
      const name = `${family}:${node.name}`;
      declared.set(name, (declared.get(name) ?? 0) + 1);
    }
    if (node.kind !== 'call_site' && node.kind !== 'type' && node.kind !== 'return_value') {
      const name = `${family}:${node.name}`;
      all.set(name, (all.get(name) ?? 0) + 1);
    }
  }
  return { declared, all };
}

function heritageOf(graph: FileGraph): NameUse[] {
  return graph.names.filter((use) => use.kind === 'extends' || use.kind === 'implements');
}

/** Key → the computations that read it (sweep parts, file resolutions), to find what a change reaches. */
class Readers<T> {
  readonly #byKey = new Map<number, Set<T>>();

  add(deps: Iterable<number>, reader: T): void {
    for (const key of deps) {
      let readers = this.#byKey.get(key);
      if (!readers) {
        readers = new Set();
        this.#byKey.set(key, readers);
      }
      readers.add(reader);
    }
  }

  remove(deps: Iterable<number>, reader: T): void {
    for (const key of deps) {
      const readers = this.#byKey.get(key);
      if (!readers) continue;
      readers.delete(reader);
      if (readers.size === 0) this.#byKey.delete(key);
    }
  }

  of(key: number): ReadonlySet<T> | undefined {
    return this.#byKey.get(key);
  }

  clear(): void {
    this.#byKey.clear();
  }
}

/** The lists one after the other (`concat` copies in bulk; arguments go in chunks, which engines limit). */
function concatAll<T>(lists: readonly T[][]): T[] {
  const chunk = 8192;
  if (lists.length <= chunk) return ([] as T[]).concat(...lists);
  let all: T[] = [];
  for (let i = 0; i < lists.length; i += chunk) all = all.concat(...lists.slice(i, i + chunk));
  return all;
}

function copyResolution(resolution: FileResolution): FileResolution {
  return {
    edges: resolution.edges.slice(),
    calls: { ...resolution.calls },
    references: { ...resolution.references },
    imports: { ...resolution.imports },
  };
}

/**
 * The resolver's tables and stages. In one-shot mode (`incremental` false) it resolves once and records
 * nothing; in incremental mode it keeps every stage's results with the keys they read, and
 * {@link upsert}/{@link remove} mark what changed.
 */
export class ResolverEngine {
  readonly #incremental: boolean;
  #config: ProjectConfig;
  readonly #slots = new Map<string, Slot>();
  #order: Slot[] = [];
  #nextKey = FIRST_FREE_KEY;

  // Per-file contributions, kept up to date by add and drop.
  readonly #nodeOf = new Map<NodeId, AsgNode>();
  readonly #slotOf = new Map<NodeId, Slot>();
  /** Ids that several files declare (type nodes): each file that does, with its node (incremental mode). */
  readonly #sharedIds = new Map<NodeId, Map<Slot, AsgNode>>();
  readonly #members = new Map<NodeId, Record<string, NodeId>>();
  readonly #parameters = new Map<NodeId, NodeId[]>();
  readonly #returnValues = new Map<NodeId, NodeId>();
  readonly #typed = new Map<NodeId, TypedEntry>();
  readonly #methodsByName = new Map<string, NameList>();
  readonly #globalTopLevel = new Map<string, NameList>();
  /** Package key + NUL + name → the package's top-level declarations under that name. */
  readonly #packageNames = new Map<string, NameList>();
  /** Names of every callable or class declared in the workspace (`family:name`). */
  readonly #declaredNames = new Map<string, NameCount>();
  /** Names of every symbol declared in the workspace (`family:name`). */
  readonly #allNames = new Map<string, NameCount>();
  #modules: ModuleResolver;
  readonly #importIndex = new WeakMap<FileGraph, Map<string, ImportInfo[]>>();

  // Import targets: a pure function of the files' data, cached when no cycle or depth limit was met.
  readonly #importTargets = new Map<ImportInfo, CachedTarget>();
  /** Key → imports whose cached target read it. */
  readonly #importReaders = new Map<number, Set<ImportInfo>>();
  /** Path → cached module targets that list the file (patched when its graph is replaced). */
  readonly #moduleTargets = new Map<string, Set<{ kind: 'module'; files: FileGraph[] }>>();
  /** Module specifiers resolved (language, from, source) → their key; resolved again when files come or go. */
  readonly #moduleQueries = new Map<
    string,
    { key: number; from: string; language: string; source: string }
  >();
  /** Paths whose existence was asked → their key. */
  readonly #existence = new Map<string, number>();
  readonly #inProgress = new Map<ImportInfo, number>();
  #lowestReentry = Infinity;

  // The structure stage.
  #structureMembers = new Map<NodeId, Record<string, NodeId>>();
  #structureMethods = new Map<string, NodeId[]>();
  #bases = new Map<NodeId, NodeId[]>();
  #basesLog = new Map<NodeId, string>();
  #membersLog = new Map<NodeId, string>();
  #methodsLog = new Map<string, string>();
  #structureDeps: Set<number> | undefined;
  #structureEdges: AsgEdge[] | undefined;

  /** Who read what: the sweep parts and the file resolutions kept (incremental mode). */
  readonly #unitReaders = new Readers<SweepUnit>();
  readonly #resultReaders = new Readers<Slot>();

  // The sweeps: inferred types by round.
  readonly #inferred: [Map<NodeId, InferredType>, Map<NodeId, InferredType>] = [
    new Map<NodeId, InferredType>(),
    new Map<NodeId, InferredType>(),
  ];
  /** Which types are visible: 0 declared only; 1, 2 during that sweep (as seen by #viewSlot); 3 all. */
  #viewRound = 0;
  #viewSlot: Slot | undefined;

  // Change tracking.
  /** Whether every derived result must be computed again (first run, files came or went, new config). */
  #fresh = true;
  #pending = new Set<number>();
  /** Where the current computation records the keys it reads. */
  #deps: Set<number> | undefined;

  /** What the last run computed again. */
  stats: ResolverRunStats = {
    fresh: true,
    changedKeys: 0,
    structureRan: false,
    structureMs: 0,
    sweepUnits: 0,
    sweepMs: 0,
    resolvedFiles: 0,
    reusedFiles: 0,
    resolveMs: 0,
  };

  // The file being resolved.
  #current: { resolution: FileResolution; keys: Set<string> } | undefined;
  #callTargets = new Map<NodeId, { ids: NodeId[]; confidence: number }>();
  readonly #discard = emptyResolutionCounts();

  constructor(files: readonly FileGraph[], config: ProjectConfig, incremental: boolean) {
    this.#incremental = incremental;
    this.#config = config;
    const ordered = incremental
      ? [...new Map(files.map((f) => [f.path, f])).values()].sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        )
      : files;
    for (const graph of ordered) {
      const slot = this.#newSlot(graph);
      slot.rank = this.#order.length;
      this.#order.push(slot);
      this.#slots.set(graph.path, slot);
      this.#add(slot, false);
    }
    this.#modules = new ModuleResolver(ordered, config);
  }

  /** The files in order. */
  get files(): FileGraph[] {
    return this.#order.map((slot) => slot.graph);
  }

  /**
   * Drops the files of `remove`, then replaces or adds those of `upsert`, and marks what changed. A file that
   * comes or goes also changes how imports resolve: every module specifier the kept results resolved is
   * resolved again, and those whose files differ are marked.
   */
  apply(upsert: readonly FileGraph[], remove: readonly string[]): void {
    this.#mark(KEY_UNKNOWN);
    const modules = this.#modules;
    let paths = false;
    for (const path of remove) {
      const slot = this.#slots.get(path);
      if (!slot) continue;
      this.#removeSlot(slot);
      paths = true;
    }
    for (const graph of upsert) {
      const slot = this.#slots.get(graph.path);
      if (slot && slot.graph.language === graph.language && slot.graph.packageName === graph.packageName) {
        const old = slot.graph;
        this.#replace(slot, old, graph);
        for (const target of this.#moduleTargets.get(graph.path) ?? []) {
          const files = target.files;
          for (let i = 0; i < files.length; i++) if (files[i]!.path === graph.path) files[i] = graph;
        }
        for (const imp of old.imports) this.#forgetTarget(imp);
        continue;
      }
      // A new file, or one whose language or package changed (which module resolution reads).
      if (slot) this.#removeSlot(slot);
      this.#addSlot(graph);
      paths = true;
    }
    if (!paths) return;
    this.#modules = new ModuleResolver(this.files, this.#config);
    for (const query of this.#moduleQueries.values()) {
      const before = modules.resolve(query.from, query.language, query.source);
      const after = this.#resolveModule(query.from, query.language, query.source);
      if (!sameIds(before.files, after.files) || !sameIds(before.rest, after.rest)) this.#mark(query.key);
    }
  }

  #addSlot(graph: FileGraph): void {
    const slot = this.#newSlot(graph);
    this.#slots.set(graph.path, slot);
    let at = this.#order.length;
    while (at > 0 && this.#order[at - 1]!.path > graph.path) at--;
    this.#order.splice(at, 0, slot);
    this.#renumber();
    this.#add(slot, true);
    const exists = this.#existence.get(graph.path);
    if (exists !== undefined) this.#mark(exists);
    if (this.#hasStructureInput(graph)) this.#mark(KEY_STRUCTURE_INPUT);
  }

  /** Takes a file out: its contributions, what was derived from it, and every key of it is marked. */
  #removeSlot(slot: Slot): void {
    const file = slot.graph;
    for (let facet = 0; facet < FACET_COUNT; facet++) this.#mark(slot.key + facet);
    const exists = this.#existence.get(slot.path);
    if (exists !== undefined) this.#mark(exists);
    if (this.#hasStructureInput(file)) this.#mark(KEY_STRUCTURE_INPUT);
    for (const [round, unit] of slot.units.entries()) {
      if (!unit) continue;
      this.#unitReaders.remove(unit.deps, unit);
      const inferred = this.#inferred[round]!;
      for (const variable of unit.variables)
        if (inferred.get(variable)?.writer === slot) inferred.delete(variable);
    }
    slot.units = [undefined, undefined];
    if (slot.result) this.#resultReaders.remove(slot.result.deps, slot);
    slot.result = undefined;
    for (const imp of file.imports) this.#forgetTarget(imp);
    this.#drop(slot, true);
    this.#slots.delete(slot.path);
    this.#order.splice(slot.rank, 1);
    this.#renumber();
  }

  #hasStructureInput(file: FileGraph): boolean {
    return file.detachedMethods.length > 0 || file.detachedHeritage.length > 0 || heritageOf(file).length > 0;
  }

  /** Marks a key as changed; import targets that read it are computed again. */
  #mark(key: number): void {
    this.#pending.add(key);
    const readers = this.#importReaders.get(key);
    if (readers) for (const imp of [...readers]) this.#forgetTarget(imp);
  }

  /** Resolves the uses of the targets (default: every file). */
  resolve(targets?: ReadonlySet<string>): ResolutionResult {
    const stats: ResolverRunStats = (this.stats = {
      fresh: this.#fresh,
      changedKeys: 0,
      structureRan: false,
      structureMs: 0,
      sweepUnits: 0,
      sweepMs: 0,
      resolvedFiles: 0,
      reusedFiles: 0,
      resolveMs: 0,
    });
    let time = performance.now();
    if (this.#fresh) this.#forgetDerived();
    const changed = this.#pending;
    this.#pending = new Set();
    if (this.#fresh || changed.has(KEY_STRUCTURE_INPUT) || this.#readsAny(this.#structureDeps, changed)) {
      this.#runStructure(changed, targets);
      stats.structureRan = true;
    }
    stats.structureMs = performance.now() - time;
    time += stats.structureMs;
    this.#sweep(changed);
    stats.sweepMs = performance.now() - time;
    time += stats.sweepMs;
    stats.changedKeys = changed.size;
    if (this.#incremental)
      for (const key of changed)
        for (const slot of [...(this.#resultReaders.of(key) ?? [])]) {
          this.#resultReaders.remove(slot.result!.deps, slot);
          slot.result = undefined;
        }
    this.#fresh = false;
    const byFile = new Map<string, FileResolution>();
    const total = emptyResolutionCounts();
    const lists: AsgEdge[][] = [];
    for (const slot of this.#order) {
      if (targets && !targets.has(slot.path)) continue;
      let resolution: FileResolution;
      if (!this.#incremental) resolution = this.#resolveFile(slot);
      else {
        if (slot.result) stats.reusedFiles++;
        else {
          slot.result = this.#trackedResolution(slot);
          this.#resultReaders.add(slot.result.deps, slot);
        }
        resolution = copyResolution(slot.result.resolution);
      }
      byFile.set(slot.path, resolution);
      addResolutionCounts(total, resolution);
      lists.push(resolution.edges);
    }
    const edges = concatAll(lists);
    stats.resolvedFiles = byFile.size - stats.reusedFiles;
    stats.resolveMs = performance.now() - time;
    return { edges, ...total, byFile };
  }

  // ---- tables

  #newSlot(graph: FileGraph): Slot {
    const key = this.#nextKey;
    this.#nextKey += FACET_COUNT;
    return {
      path: graph.path,
      graph,
      rank: 0,
      key,
      heritage: heritageOf(graph),
      assigning: graph.calls.filter((call) => call.assignTo.length > 0),
      units: [undefined, undefined],
      result: undefined,
      structureEdges: [],
    };
  }

  #renumber(): void {
    this.#order.forEach((slot, rank) => {
      slot.rank = rank;
    });
  }

  /** Adds a new file's contributions to the tables (`mark`: mark the name table entries that change). */
  #add(slot: Slot, mark: boolean): void {
    const file = slot.graph;
    this.#addNodes(slot, file);
    const names = namesOf(file);
    for (const [map, counts] of [
      [this.#declaredNames, names.declared],
      [this.#allNames, names.all],
    ] as const)
      for (const [name, count] of counts) {
        this.#count(map, name, count);
        if (mark && map.get(name)!.count === count) this.#mark(map.get(name)!.key);
      }
    this.#setRecords(file, undefined);
    for (const [name, id] of this.#methodsOf(file)) this.#insert(this.#methodsByName, name, slot, id, mark);
    for (const [map, entries] of this.#topLevelLists(file))
      for (const [name, id] of entries) this.#insert(map, name, slot, id, mark);
  }

  /** Removes a file's contributions from the tables (`mark`: mark the name table entries that change). */
  #drop(slot: Slot, mark: boolean): void {
    const file = slot.graph;
    const methods = this.#methodsOf(file);
    this.#dropSharedNodes(slot, file);
    for (const node of file.nodes)
      if (this.#slotOf.get(node.id) === slot) {
        this.#slotOf.delete(node.id);
        this.#nodeOf.delete(node.id);
      }
    const names = namesOf(file);
    for (const [map, counts] of [
      [this.#declaredNames, names.declared],
      [this.#allNames, names.all],
    ] as const)
      for (const [name, count] of counts) {
        this.#count(map, name, -count);
        if (mark && map.get(name)!.count <= 0) this.#mark(map.get(name)!.key);
      }
    this.#deleteRecords(file, undefined);
    this.#retract(this.#methodsByName, slot, methods, mark ? [] : undefined);
    for (const [map, entries] of this.#topLevelLists(file))
      this.#retract(map, slot, entries, mark ? [] : undefined);
  }

  /**
   * Replaces a file's contributions by those of its new graph, table by table where they differ, and marks
   * the facets and table entries that changed.
   */
  #replace(slot: Slot, old: FileGraph, next: FileGraph): void {
    const marks: number[] = [FACET.own];
    // Name lists follow the order of members and top-level names: those compare in order.
    const sameMembers = sameData(old.members, next.members, true);
    const oldMethods = sameMembers ? [] : this.#methodsOf(old);
    // Nodes: what the new graph declares again is overwritten in place, only what it lost is deleted
    // (deleting and adding back keys of a large map costs much more than overwriting them).
    this.#dropSharedNodes(slot, old);
    slot.graph = next;
    this.#addNodes(slot, next);
    const kept = new Set<NodeId>();
    for (const node of next.nodes) kept.add(node.id);
    for (const node of old.nodes)
      if (!kept.has(node.id) && this.#slotOf.get(node.id) === slot) {
        this.#slotOf.delete(node.id);
        this.#nodeOf.delete(node.id);
      }
    // Names declared somewhere: a name whose being declared flips changed.
    const before = namesOf(old);
    const after = namesOf(next);
    for (const [map, was, now] of [
      [this.#declaredNames, before.declared, after.declared],
      [this.#allNames, before.all, after.all],
    ] as const) {
      for (const [name, count] of was) this.#count(map, name, -count);
      for (const [name, count] of now) this.#count(map, name, count);
      for (const name of was.keys())
        if (!now.has(name) && map.get(name)!.count <= 0) this.#mark(map.get(name)!.key);
      for (const [name, count] of now) {
        const entry = map.get(name)!;
        if (entry.count === count && !was.has(name)) this.#mark(entry.key);
      }
    }
    if (!sameMembers) marks.push(FACET.members);
    const sameTyped = sameData(old.typed, next.typed);
    if (!sameTyped) marks.push(FACET.typed);
    const sameSignatures =
      sameData(old.parameters, next.parameters) && sameData(old.returnValues, next.returnValues);
    if (!sameSignatures) marks.push(FACET.signatures);
    const sameTopLevel = sameData(old.topLevel, next.topLevel, true);
    if (
      !sameTopLevel ||
      !sameImports(old.imports, next.imports) ||
      !sameData(old.exports, next.exports) ||
      !sameData(old.exportNames, next.exportNames)
    )
      marks.push(FACET.exports);
    if (!sameData(old.scopes, next.scopes)) marks.push(FACET.scopes);
    // Records keyed by the file's own ids: equal ones stay as they are.
    this.#deleteRecords(old, next);
    this.#setRecords(next, { members: sameMembers, typed: sameTyped, signatures: sameSignatures });
    if (!sameMembers) {
      const methods = this.#methodsOf(next);
      this.#retract(this.#methodsByName, slot, oldMethods, methods);
      for (const [name, id] of methods) this.#insert(this.#methodsByName, name, slot, id);
    }
    if (!sameTopLevel) {
      const lists = this.#topLevelLists(next);
      for (const [map, entries] of this.#topLevelLists(old))
        this.#retract(map, slot, entries, lists.find(([other]) => other === map)?.[1] ?? []);
      for (const [map, entries] of lists) for (const [name, id] of entries) this.#insert(map, name, slot, id);
    }
    for (const facet of marks) this.#mark(slot.key + facet);
    slot.heritage = heritageOf(next);
    slot.assigning = next.calls.filter((call) => call.assignTo.length > 0);
    if (
      !sameHeritage(heritageOf(old), slot.heritage) ||
      !sameData(old.detachedMethods, next.detachedMethods) ||
      !sameData(old.detachedHeritage, next.detachedHeritage)
    )
      this.#mark(KEY_STRUCTURE_INPUT);
  }

  /** Registers a file's nodes (the last file in order that declares an id wins, as when built in order). */
  #addNodes(slot: Slot, file: FileGraph): void {
    const incremental = this.#incremental;
    for (const node of file.nodes) {
      const id = node.id;
      const holder = this.#slotOf.get(id);
      if (incremental && holder && holder !== slot) {
        let holders = this.#sharedIds.get(id);
        if (!holders) {
          holders = new Map([[holder, this.#nodeOf.get(id)!]]);
          this.#sharedIds.set(id, holders);
        }
        holders.set(slot, node);
        if (holder.rank > slot.rank) continue;
      } else if (holder === slot) {
        if (incremental) this.#sharedIds.get(id)?.set(slot, node);
        this.#nodeOf.set(id, node);
        continue;
      }
      this.#nodeOf.set(id, node);
      this.#slotOf.set(id, slot);
    }
  }

  /** Takes a file out of the holders of ids that several files declare. */
  #dropSharedNodes(slot: Slot, file: FileGraph): void {
    for (const node of file.nodes) {
      const id = node.id;
      const holders = this.#sharedIds.get(id);
      if (!holders?.delete(slot)) continue;
      if (this.#slotOf.get(id) === slot) {
        let winner: Slot | undefined;
        for (const other of holders.keys()) if (!winner || other.rank > winner.rank) winner = other;
        this.#nodeOf.set(id, holders.get(winner!)!);
        this.#slotOf.set(id, winner!);
      }
      if (holders.size <= 1) this.#sharedIds.delete(id);
    }
  }

  /** Sets the records keyed by a file's ids (`same`: which of them are equal to what the tables hold). */
  #setRecords(
    file: FileGraph,
    same: { members: boolean; typed: boolean; signatures: boolean } | undefined,
  ): void {
    if (!same?.members)
      for (const [owner, members] of Object.entries(file.members)) this.#members.set(owner, members);
    if (!same?.signatures) {
      for (const [fn, params] of Object.entries(file.parameters)) this.#parameters.set(fn, params);
      for (const [fn, rv] of Object.entries(file.returnValues)) this.#returnValues.set(fn, rv);
    }
    if (!same?.typed)
      for (const [id, typed] of Object.entries(file.typed))
        this.#typed.set(id, { typeName: typed.typeName, scope: typed.scope, file: file.path });
  }

  /** Deletes the records keyed by a file's ids (those that `next` sets again stay). */
  #deleteRecords(file: FileGraph, next: FileGraph | undefined): void {
    for (const owner of Object.keys(file.members))
      if (!next || !Object.hasOwn(next.members, owner)) this.#members.delete(owner);
    for (const fn of Object.keys(file.parameters))
      if (!next || !Object.hasOwn(next.parameters, fn)) this.#parameters.delete(fn);
    for (const fn of Object.keys(file.returnValues))
      if (!next || !Object.hasOwn(next.returnValues, fn)) this.#returnValues.delete(fn);
    for (const id of Object.keys(file.typed))
      if (!next || !Object.hasOwn(next.typed, id)) this.#typed.delete(id);
  }

  /** The name lists a file's top-level names go to (its package's, or the global ones), keyed. */
  #topLevelLists(file: FileGraph): [Map<string, NameList>, [string, NodeId][]][] {
    const lists: [Map<string, NameList>, [string, NodeId][]][] = [];
    if (registersPackage(file)) {
      const prefix = `${packageKey(file)}\u0000`;
      lists.push([
        this.#packageNames,
        Object.entries(file.topLevel).map(([name, id]): [string, NodeId] => [prefix + name, id]),
      ]);
    }
    if (GLOBAL_SCOPED.has(file.language))
      lists.push([
        this.#globalTopLevel,
        Object.entries(file.topLevel).map(([name, id]): [string, NodeId] => [`${file.language}:${name}`, id]),
      ]);
    return lists;
  }

  /** A file's methods as (name, id), in the order the tables list them. */
  #methodsOf(file: FileGraph): [string, NodeId][] {
    const methods: [string, NodeId][] = [];
    for (const members of Object.values(file.members))
      for (const [name, id] of Object.entries(members)) {
        const kind = this.#nodeOf.get(id)?.kind;
        if (kind && CALLABLE_KINDS.has(kind)) methods.push([name, id]);
      }
    return methods;
  }

  #insert(map: Map<string, NameList>, name: string, slot: Slot, id: NodeId, mark = false): void {
    let list = map.get(name);
    if (!list) {
      list = { key: this.#nextKey++, ids: [], slots: [] };
      map.set(name, list);
    }
    if (mark) this.#mark(list.key);
    let at = list.slots.length;
    while (at > 0 && list.slots[at - 1]!.rank > slot.rank) at--;
    list.ids.splice(at, 0, id);
    list.slots.splice(at, 0, slot);
  }

  /** Takes a file's entries out of name lists; marks the names whose entries differ in `next`. */
  #retract(
    map: Map<string, NameList>,
    slot: Slot,
    mine: readonly [string, NodeId][],
    next?: readonly [string, NodeId][],
  ): void {
    const before = new Map<string, NodeId[]>();
    for (const [name, id] of mine) {
      const ids = before.get(name);
      if (ids) ids.push(id);
      else before.set(name, [id]);
    }
    for (const name of before.keys()) {
      const list = map.get(name);
      if (!list) continue;
      const keep = list.slots.map((s) => s !== slot);
      list.ids = list.ids.filter((_, i) => keep[i]);
      list.slots = list.slots.filter((_, i) => keep[i]);
    }
    if (!next) return;
    const after = new Map<string, NodeId[]>();
    for (const [name, id] of next) {
      const ids = after.get(name);
      if (ids) ids.push(id);
      else after.set(name, [id]);
    }
    for (const name of new Set([...before.keys(), ...after.keys()]))
      if (!sameIds(before.get(name), after.get(name))) this.#mark(this.#nameList(map, name).key);
  }

  #count(map: Map<string, NameCount>, name: string, by: number): void {
    const entry = map.get(name);
    if (entry) entry.count += by;
    else map.set(name, { key: this.#nextKey++, count: by });
  }

  #nameList(map: Map<string, NameList>, name: string): NameList {
    let list = map.get(name);
    if (!list) {
      list = { key: this.#nextKey++, ids: [], slots: [] };
      map.set(name, list);
    }
    return list;
  }

  /** Forgets every derived result: the next run computes all of them. */
  #forgetDerived(): void {
    this.#importTargets.clear();
    this.#importReaders.clear();
    this.#moduleTargets.clear();
    this.#inferred[0].clear();
    this.#inferred[1].clear();
    this.#structureDeps = undefined;
    this.#unitReaders.clear();
    this.#resultReaders.clear();
    this.#basesLog = new Map();
    this.#membersLog = new Map();
    this.#methodsLog = new Map();
    for (const slot of this.#order) {
      slot.units = [undefined, undefined];
      slot.result = undefined;
      slot.structureEdges = [];
    }
  }

  // ---- dependency tracking

  #readsAny(deps: Set<number> | undefined, changed: Set<number>): boolean {
    if (!deps) return true;
    for (const key of changed) if (deps.has(key)) return true;
    return false;
  }

  #slotFor(file: FileGraph): Slot {
    return this.#slots.get(file.path)!;
  }

  /** Records a read of a facet of the file that declares `id`. */
  #touchId(deps: Set<number>, id: NodeId, facet: number): void {
    const slot = this.#slotOf.get(id);
    deps.add(slot ? slot.key + facet : KEY_UNKNOWN);
  }

  // ---- stages

  /** Detached methods, detached heritage and base classes, over all files in order. */
  #runStructure(changed: Set<number>, targets: ReadonlySet<string> | undefined): void {
    const incremental = this.#incremental;
    const oldBases = this.#basesLog;
    const oldMembers = this.#membersLog;
    const oldMethods = this.#methodsLog;
    this.#structureMembers = new Map();
    this.#structureMethods = new Map();
    this.#bases = new Map();
    this.#basesLog = new Map();
    this.#membersLog = new Map();
    this.#methodsLog = new Map();
    this.#viewRound = 0;
    this.#deps = incremental ? new Set() : undefined;
    const edges = new Map<Slot, AsgEdge[]>();
    const phase = (run: (slot: Slot) => void): void => {
      for (const slot of this.#order) {
        if (!incremental && targets && !targets.has(slot.path)) this.#structureEdges = undefined;
        else {
          let list = edges.get(slot);
          if (!list) {
            list = [];
            edges.set(slot, list);
          }
          this.#structureEdges = list;
        }
        run(slot);
      }
    };
    phase((slot) => {
      this.#attachDetachedMethods(slot);
    });
    phase((slot) => {
      this.#attachDetachedHeritage(slot);
    });
    phase((slot) => {
      for (const use of slot.heritage) this.#resolveHeritage(slot, use);
    });
    this.#structureEdges = undefined;
    this.#structureDeps = this.#deps;
    this.#deps = undefined;
    for (const slot of this.#order) {
      const list = edges.get(slot) ?? [];
      if (incremental && !sameEdges(slot.structureEdges, list)) changed.add(slot.key + FACET.structureEdges);
      slot.structureEdges = list;
    }
    if (!incremental) return;
    const markOwner = (owner: NodeId): void => {
      const slot = this.#slotOf.get(owner);
      changed.add(slot ? slot.key + FACET.structure : KEY_UNKNOWN);
    };
    for (const [owner, log] of this.#basesLog) if (oldBases.get(owner) !== log) markOwner(owner);
    for (const owner of oldBases.keys()) if (!this.#basesLog.has(owner)) markOwner(owner);
    for (const [owner, log] of this.#membersLog) if (oldMembers.get(owner) !== log) markOwner(owner);
    for (const owner of oldMembers.keys()) if (!this.#membersLog.has(owner)) markOwner(owner);
    for (const [name, log] of this.#methodsLog)
      if (oldMethods.get(name) !== log) changed.add(this.#nameList(this.#methodsByName, name).key);
    for (const name of oldMethods.keys())
      if (!this.#methodsLog.has(name)) changed.add(this.#nameList(this.#methodsByName, name).key);
  }

  #log(map: Map<string, string>, key: string, entry: string): void {
    if (!this.#incremental) return;
    map.set(key, (map.get(key) ?? '') + entry);
  }

  /**
   * Gives variables assigned from a call the declared return type of the called function
   * (`const x = makeX()` → x: X), so that calls on them resolve. Two sweeps over the files in order follow
   * short chains; a file's part of a sweep is computed again only when something it read changed.
   */
  #sweep(changed: Set<number>): void {
    const incremental = this.#incremental;
    if (incremental && !this.#fresh && changed.size === 0) return;
    // The parts that read a changed key; parts reached later (a changed inferred type) join as they come.
    const dirty = new Set<SweepUnit>();
    const reach = (key: number): void => {
      for (const unit of this.#unitReaders.of(key) ?? []) dirty.add(unit);
    };
    if (incremental) for (const key of changed) reach(key);
    for (let round = 1; round <= 2; round++) {
      const inferred = this.#inferred[round - 1]!;
      let learned = 0;
      for (const slot of this.#order) {
        const old = slot.units[round - 1];
        if (incremental && old && !dirty.has(old)) continue;
        if (old) {
          this.#unitReaders.remove(old.deps, old);
          for (const variable of old.variables)
            if (inferred.get(variable)?.writer === slot) inferred.delete(variable);
        }
        if (slot.assigning.length === 0) {
          slot.units[round - 1] = undefined;
          if (old && old.variables.length > 0) {
            changed.add(slot.key + FACET.inferred);
            reach(slot.key + FACET.inferred);
          }
          continue;
        }
        const unit: SweepUnit = { deps: new Set([slot.key + FACET.own]), variables: [], entries: [] };
        this.stats.sweepUnits++;
        this.#viewRound = round;
        this.#viewSlot = slot;
        this.#deps = incremental ? unit.deps : undefined;
        this.#inferTypes(slot, unit, inferred);
        this.#deps = undefined;
        this.#viewSlot = undefined;
        learned += unit.variables.length;
        if (!incremental) continue;
        slot.units[round - 1] = unit;
        this.#unitReaders.add(unit.deps, unit);
        if (!old || !this.#sameInferred(old, unit)) {
          const key = slot.key + FACET.inferred;
          if (!changed.has(key)) {
            changed.add(key);
            reach(key);
          }
        }
      }
      // Nothing learned: a second sweep would see the same and learn nothing either.
      if (!incremental && learned === 0) break;
    }
    this.#viewRound = 3;
  }

  #sameInferred(a: SweepUnit, b: SweepUnit): boolean {
    if (a.variables.length !== b.variables.length) return false;
    for (let i = 0; i < a.variables.length; i++) {
      const x = a.entries[i]!;
      const y = b.entries[i]!;
      if (
        a.variables[i] !== b.variables[i] ||
        x.typeName !== y.typeName ||
        x.scope !== y.scope ||
        x.file !== y.file
      )
        return false;
    }
    return true;
  }

  #inferTypes(slot: Slot, unit: SweepUnit, inferred: Map<NodeId, InferredType>): void {
    const file = slot.graph;
    for (const call of slot.assigning) {
      const result = this.#callTargetsOf(file, call);
      if (result.confidence < 1 || result.ids.length !== 1) continue;
      const target = result.ids[0]!;
      const kind = this.#kindOf(target);
      if (kind && CLASS_LIKE_KINDS.has(kind)) continue;
      const rv = this.#returnValueOf(target);
      const typed = rv ? this.#typedOf(rv) : undefined;
      if (!typed) continue;
      for (const variable of call.assignTo) {
        if (this.#typedOf(variable)) continue;
        inferred.set(variable, { entry: typed, writer: slot });
        unit.variables.push(variable);
        unit.entries.push(typed);
      }
    }
  }

  #trackedResolution(slot: Slot): { deps: Set<number>; resolution: FileResolution } {
    const deps = new Set([slot.key + FACET.own, slot.key + FACET.structureEdges]);
    this.#deps = deps;
    const resolution = this.#resolveFile(slot);
    this.#deps = undefined;
    return { deps, resolution };
  }

  /** One file's edges and counts, in the order of the stages. */
  #resolveFile(slot: Slot): FileResolution {
    const file = slot.graph;
    const resolution: FileResolution = { edges: [], ...emptyResolutionCounts() };
    this.#current = { resolution, keys: new Set() };
    this.#callTargets = new Map();
    this.#viewRound = 0;
    for (const imp of file.imports) this.#resolveImportEdge(file, imp);
    for (const edge of slot.structureEdges) this.#keep(edge);
    // Names resolve before the sweeps: with declared types only.
    for (const use of file.names)
      if (use.kind === 'type' || use.kind === 'references') this.#resolveName(file, use);
    this.#viewRound = 3;
    for (const call of file.calls) this.#resolveCall(file, call);
    for (const call of file.calls) this.#addCallFlows(call);
    this.#current = undefined;
    this.#callTargets = new Map();
    return resolution;
  }

  /** The counts of the current file (a sink when there is none). */
  get #stats(): ResolutionCounts {
    return this.#current?.resolution ?? this.#discard;
  }

  #edge(source: NodeId, target: NodeId, kind: AsgEdge['kind'], extra: Partial<AsgEdge> = {}): void {
    const structure = this.#structureEdges;
    if (structure) {
      structure.push({ source, target, kind, ...extra });
      return;
    }
    const current = this.#current;
    if (!current) return;
    const key = `${source}>${target}>${kind}${extra.range ? `@${extra.range.start.line}:${extra.range.start.character}` : ''}`;
    if (current.keys.has(key)) return;
    current.keys.add(key);
    current.resolution.edges.push({ source, target, kind, ...extra });
  }

  /** Adds an edge of the structure stage to the current file (no range: keyed without one). */
  #keep(edge: AsgEdge): void {
    const current = this.#current!;
    const key = `${edge.source}>${edge.target}>${edge.kind}`;
    if (current.keys.has(key)) return;
    current.keys.add(key);
    current.resolution.edges.push(edge);
  }

  // ---- table reads (each records the key of what it reads)

  #kindOf(id: NodeId): NodeKind | undefined {
    const node = this.#nodeOf.get(id);
    if (!node) this.#deps?.add(KEY_UNKNOWN);
    return node?.kind;
  }

  #memberRecord(owner: NodeId): Record<string, NodeId> | undefined {
    const deps = this.#deps;
    if (deps) {
      this.#touchId(deps, owner, FACET.members);
      this.#touchId(deps, owner, FACET.structure);
    }
    return this.#structureMembers.get(owner) ?? this.#members.get(owner);
  }

  #basesOf(owner: NodeId): readonly NodeId[] {
    const deps = this.#deps;
    if (deps) this.#touchId(deps, owner, FACET.structure);
    return this.#bases.get(owner) ?? NO_IDS;
  }

  #returnValueOf(fn: NodeId): NodeId | undefined {
    const deps = this.#deps;
    if (deps) this.#touchId(deps, fn, FACET.signatures);
    return this.#returnValues.get(fn);
  }

  #parametersOf(fn: NodeId): NodeId[] | undefined {
    const deps = this.#deps;
    if (deps) this.#touchId(deps, fn, FACET.signatures);
    return this.#parameters.get(fn);
  }

  /** The type of a symbol as the current stage sees it: declared, then inferred by the sweeps so far. */
  #typedOf(id: NodeId): TypedEntry | undefined {
    const deps = this.#deps;
    if (deps) this.#touchId(deps, id, FACET.typed);
    const declared = this.#typed.get(id);
    if (declared) return declared;
    const round = this.#viewRound;
    if (round === 0) return undefined;
    if (deps) this.#touchId(deps, id, FACET.inferred);
    const first = this.#inferred[0].get(id);
    if (first) {
      if (deps) deps.add(first.writer.key + FACET.inferred);
      if (round >= 2 || this.#sees(first.writer)) return first.entry;
    }
    if (round < 2) return undefined;
    const second = this.#inferred[1].get(id);
    if (second) {
      if (deps) deps.add(second.writer.key + FACET.inferred);
      if (round === 3 || this.#sees(second.writer)) return second.entry;
    }
    return undefined;
  }

  /** Whether the current part of a sweep sees what a file inferred in the same sweep (files before it). */
  #sees(writer: Slot): boolean {
    const me = this.#viewSlot!;
    return writer === me || writer.rank < me.rank;
  }

  #methodIds(name: string): readonly NodeId[] {
    const list = this.#incremental
      ? this.#nameList(this.#methodsByName, name)
      : this.#methodsByName.get(name);
    if (list) this.#deps?.add(list.key);
    return this.#structureMethods.get(name) ?? list?.ids ?? NO_IDS;
  }

  #listIds(map: Map<string, NameList>, name: string): readonly NodeId[] {
    const list = this.#incremental ? this.#nameList(map, name) : map.get(name);
    if (list) this.#deps?.add(list.key);
    return list?.ids ?? NO_IDS;
  }

  #declares(map: Map<string, NameCount>, name: string): boolean {
    let entry = map.get(name);
    if (!entry && this.#incremental) {
      entry = { key: this.#nextKey++, count: 0 };
      map.set(name, entry);
    }
    if (entry) this.#deps?.add(entry.key);
    return (entry?.count ?? 0) > 0;
  }

  // ---- imports

  /**
   * The target of an import, following re-exports. It depends on the files' data only, never on which file
   * asked first: an import met again while its own target is being computed (a cycle) is unresolved there,
   * and a target whose computation met such a cycle or the depth limit depends on where it was asked from,
   * so it is computed again each time instead of kept. (Keeping the first computation's view of a cycle
   * made a targeted run differ from a full run.) Members after a path (`use a::Type::Variant`) are the
   * declared ones: imports bind before base classes and detached methods are known, as in a full run.
   */
  #importTarget(file: FileGraph, imp: ImportInfo, depth = 0): ImportTarget {
    const cached = this.#importTargets.get(imp);
    if (cached) {
      const deps = this.#deps;
      if (deps && cached.deps) for (const key of cached.deps) deps.add(key);
      return cached.target;
    }
    const at = this.#inProgress.get(imp);
    if (at !== undefined) {
      if (at < this.#lowestReentry) this.#lowestReentry = at;
      return UNRESOLVED;
    }
    const position = this.#inProgress.size;
    this.#inProgress.set(imp, position);
    const outerLowest = this.#lowestReentry;
    this.#lowestReentry = Infinity;
    const outerDeps = this.#deps;
    const deps = this.#incremental ? new Set<number>([this.#slotFor(file).key + FACET.exports]) : undefined;
    this.#deps = deps;
    let target: ImportTarget;
    try {
      target = this.#importTargetUncached(file, imp, depth);
    } finally {
      this.#inProgress.delete(imp);
      this.#deps = outerDeps;
    }
    if (outerDeps && deps) for (const key of deps) outerDeps.add(key);
    const clean = this.#lowestReentry === Infinity;
    this.#lowestReentry = Math.min(outerLowest, this.#lowestReentry);
    if (clean) {
      this.#importTargets.set(imp, { target, deps });
      if (deps) {
        for (const key of deps) {
          let readers = this.#importReaders.get(key);
          if (!readers) {
            readers = new Set();
            this.#importReaders.set(key, readers);
          }
          readers.add(imp);
        }
        if (target.kind === 'module')
          for (const module of target.files) {
            let holders = this.#moduleTargets.get(module.path);
            if (!holders) {
              holders = new Set();
              this.#moduleTargets.set(module.path, holders);
            }
            holders.add(target);
          }
      }
    }
    return target;
  }

  /** Drops a kept import target, and its entries in the indexes. */
  #forgetTarget(imp: ImportInfo): void {
    const cached = this.#importTargets.get(imp);
    if (!cached) return;
    this.#importTargets.delete(imp);
    for (const key of cached.deps ?? []) {
      const readers = this.#importReaders.get(key);
      readers?.delete(imp);
      if (readers?.size === 0) this.#importReaders.delete(key);
    }
    if (cached.target.kind === 'module')
      for (const module of cached.target.files) this.#moduleTargets.get(module.path)?.delete(cached.target);
  }

  #filesAt(paths: readonly string[]): FileGraph[] {
    const files: FileGraph[] = [];
    for (const path of paths) {
      const slot = this.#slots.get(path);
      if (slot) files.push(slot.graph);
    }
    return files;
  }

  #importTargetUncached(file: FileGraph, imp: ImportInfo, depth: number): ImportTarget {
    const module = this.#resolveModule(file.path, file.language, imp.source);
    let modules = this.#filesAt(module.files);
    if (modules.length === 0) {
      // Python `from pkg import submodule`.
      if (file.language === 'python' && imp.imported && imp.imported !== '*') {
        const sub = this.#resolveModule(
          file.path,
          file.language,
          `${imp.source}${imp.source.endsWith('.') ? '' : '.'}${imp.imported}`,
        );
        const subFiles = this.#filesAt(sub.files);
        if (subFiles.length > 0) return { kind: 'module', files: subFiles };
      }
      return { kind: 'external' };
    }
    const imported = imp.imported;
    const rest = [...module.rest];
    if (rest.length > 0) {
      // `use a::Item::Variant` / `import static a.b.C.m`: look the first item up, then its declared members.
      const owner = this.#exported(modules, rest.shift()!, depth + 1);
      if (owner.length === 0) return { kind: 'unresolved' };
      let current = owner;
      for (const segment of [...rest, ...(imported && imported !== '*' ? [imported] : [])]) {
        current = current.flatMap((id) => {
          const member = this.#declaredMember(id, segment);
          return member ? [member] : [];
        });
      }
      if (imported === '*' || !imported) return { kind: 'symbol', ids: owner };
      return current.length > 0 ? { kind: 'symbol', ids: current } : { kind: 'unresolved' };
    }
    if (!imported || imported === '*') return { kind: 'module', files: modules };
    if (file.language === 'rust' && imported === 'self') return { kind: 'module', files: modules };
    const ids = this.#exported(modules, imported, depth + 1);
    if (ids.length > 0) return { kind: 'symbol', ids };
    if (file.language === 'python') {
      const sub = this.#resolveModule(
        file.path,
        file.language,
        `${imp.source}${imp.source.endsWith('.') ? '' : '.'}${imported}`,
      );
      modules = this.#filesAt(sub.files);
      if (modules.length > 0) return { kind: 'module', files: modules };
    }
    return { kind: 'unresolved' };
  }

  /** Resolves a module specifier, recording it (with the files the answer depends on). */
  #resolveModule(from: string, language: string, source: string): ModuleTarget {
    const deps = this.#deps;
    if (deps) {
      const id = `${language}\u0000${from}\u0000${source}`;
      let query = this.#moduleQueries.get(id);
      if (!query) {
        query = { key: this.#nextKey++, from, language, source };
        this.#moduleQueries.set(id, query);
      }
      deps.add(query.key);
    }
    return this.#modules.resolve(from, language, source);
  }

  /** A member as its class declares it (imports bind before any base class or detached method is known). */
  #declaredMember(owner: NodeId, name: string): NodeId | undefined {
    const deps = this.#deps;
    if (deps) this.#touchId(deps, owner, FACET.members);
    return ownGet(this.#members.get(owner), name);
  }

  /** The declarations a module exports under `name`, following re-exports. */
  #exported(modules: readonly FileGraph[], name: string, depth: number): NodeId[] {
    if (depth > MAX_EXPORT_DEPTH) {
      // The result depends on how deep the question started: nothing on the way is kept.
      this.#lowestReentry = -1;
      return [];
    }
    const deps = this.#deps;
    const found: NodeId[] = [];
    for (const module of modules) {
      if (deps) deps.add(this.#slotFor(module).key + FACET.exports);
      const direct = ownGet(module.exports, name);
      if (direct) {
        found.push(direct);
        continue;
      }
      if (
        name === 'default' &&
        (module.language === 'typescript' || module.language === 'tsx' || module.language === 'javascript')
      ) {
        const fallback = ownGet(module.exports, 'default');
        if (fallback) found.push(fallback);
      }
      // `export { a as b }`: a local declaration or an imported name, exported under another name.
      let viaClause = false;
      for (const clause of module.exportNames) {
        if (clause.exported !== name) continue;
        const local = ownGet(module.topLevel, clause.local);
        if (local) {
          found.push(local);
          viaClause = true;
          continue;
        }
        for (const imp of module.imports) {
          if (imp.local !== clause.local || imp.scope >= 0) continue;
          const target = this.#importTarget(module, imp, depth + 1);
          if (target.kind === 'symbol') found.push(...target.ids);
          else if (target.kind === 'module') found.push(...target.files.map((f) => f.moduleId));
          viaClause ||= target.kind === 'symbol' || target.kind === 'module';
        }
      }
      if (viaClause) continue;
      let viaImport = false;
      for (const imp of module.imports) {
        const visible =
          imp.reexport || module.language === 'python' || (module.language === 'rust' && imp.reexport);
        if (!visible) continue;
        if (imp.local === name) {
          const target = this.#importTarget(module, imp, depth + 1);
          if (target.kind === 'symbol') {
            found.push(...target.ids);
            viaImport = true;
          } else if (target.kind === 'module') {
            found.push(...target.files.map((f) => f.moduleId));
            viaImport = true;
          }
        }
      }
      if (viaImport) continue;
      for (const imp of module.imports) {
        if (!imp.reexport || imp.local !== '*') continue;
        const target = this.#importTarget(module, imp, depth + 1);
        if (target.kind === 'module') found.push(...this.#exported(target.files, name, depth + 1));
      }
    }
    return [...new Set(found)];
  }

  #resolveImportEdge(file: FileGraph, imp: ImportInfo): void {
    const target = this.#importTarget(file, imp);
    const stats = this.#stats.imports;
    if (target.kind === 'symbol') {
      stats.resolved++;
      const confidence = target.ids.length > 1 ? 1 / target.ids.length : 1;
      for (const id of target.ids)
        this.#edge(imp.node, id, 'imports', target.ids.length > 1 ? { ambiguous: true, confidence } : {});
      for (const id of target.ids) {
        const owner = this.#slotOf.get(id);
        if (owner && owner.path !== file.path) this.#edge(file.moduleId, owner.graph.moduleId, 'imports');
      }
    } else if (target.kind === 'module') {
      stats.resolved++;
      for (const module of target.files) {
        this.#edge(imp.node, module.moduleId, 'imports');
        if (module.path !== file.path) this.#edge(file.moduleId, module.moduleId, 'imports');
      }
    } else if (target.kind === 'external') stats.external++;
    else stats.unresolved++;
  }

  // ---- names

  /** Looks a name up from a scope: enclosing scopes, the file, its imports, its package. */
  #lookup(file: FileGraph, scope: number, name: string): Lookup {
    const deps = this.#deps;
    if (deps) {
      const key = this.#slotFor(file).key;
      deps.add(key + FACET.scopes);
      deps.add(key + FACET.exports);
    }
    let current = scope;
    let first = true;
    for (let guard = 0; guard < 1000; guard++) {
      const info = file.scopes[String(current)];
      if (!info) break;
      const isClass = CLASS_LIKE_KINDS.has(info.kind as NodeKind);
      if (!isClass || first || IMPLICIT_MEMBER_LANGUAGES.has(file.language)) {
        const found = ownGet(info.names, name);
        if (found) return { ids: [found] };
        if (current >= 0) {
          const local = this.#scopedImport(file, current, name);
          if (local) return local;
        }
        if (isClass && !first) {
          const inherited = this.#findMember(info.node, name);
          if (inherited) return { ids: [inherited] };
        }
      }
      if (current < 0) break;
      current = info.parent;
      first = false;
    }
    const top = ownGet(file.topLevel, name);
    if (top) return { ids: [top] };
    for (const imp of this.#importsNamed(file, name)) {
      if (imp.scope >= 0 || (imp.reexport && file.language !== 'rust')) continue;
      const target = this.#importTarget(file, imp);
      if (target.kind === 'symbol') return { ids: target.ids };
      if (target.kind === 'module') return { ids: [], modules: target.files };
      if (target.kind === 'external') return { ids: [], external: true };
    }
    for (const imp of this.#importsNamed(file, '*')) {
      if (imp.reexport && file.language !== 'rust') continue;
      const target = this.#importTarget(file, imp);
      if (target.kind === 'module') {
        const ids = this.#exported(target.files, name, 0);
        if (ids.length > 0) return { ids };
      }
    }
    if (PACKAGE_SCOPED.has(file.language)) {
      const ids = this.#listIds(this.#packageNames, `${packageKey(file)}\u0000${name}`);
      if (ids.length > 0) return { ids };
    }
    if (GLOBAL_SCOPED.has(file.language)) {
      const ids = this.#listIds(this.#globalTopLevel, `${file.language}:${name}`);
      if (ids.length > 0) return { ids };
    }
    return { ids: [] };
  }

  /** A file's imports binding a local name, indexed once per file. */
  #importsNamed(file: FileGraph, name: string): readonly ImportInfo[] {
    let index = this.#importIndex.get(file);
    if (!index) {
      index = new Map();
      for (const imp of file.imports) {
        const list = index.get(imp.local);
        if (list) list.push(imp);
        else index.set(imp.local, [imp]);
      }
      this.#importIndex.set(file, index);
    }
    return index.get(name) ?? NO_IMPORTS;
  }

  /** An import written inside a function or class (`def f(): from .x import g`). */
  #scopedImport(file: FileGraph, scope: number, name: string): Lookup | undefined {
    for (const imp of this.#importsNamed(file, name)) {
      if (imp.scope !== scope || imp.reexport) continue;
      const target = this.#importTarget(file, imp);
      if (target.kind === 'symbol') return { ids: target.ids };
      if (target.kind === 'module') return { ids: [], modules: target.files };
      if (target.kind === 'external') return { ids: [], external: true };
    }
    return undefined;
  }

  #resolveName(file: FileGraph, use: NameUse): void {
    const stats = this.#stats.references;
    const parts = use.name.split(/\.|::|\\/).filter(Boolean);
    let found = this.#lookup(file, use.scope, parts[0] ?? use.name);
    // Qualified names: `ns.Type`, `pkg::Type`.
    for (const part of parts.slice(1)) {
      if (found.modules) found = { ids: this.#exported(found.modules, part, 0) };
      else
        // Through a class, or through the declared type of a field, variable or parameter.
        found = {
          ids: found.ids
            .map((id) => {
              const cls = CLASS_LIKE_KINDS.has(this.#kindOf(id)!) ? id : this.#classOf(id);
              return cls ? this.#findMember(cls, part) : undefined;
            })
            .filter((id): id is NodeId => id !== undefined),
        };
    }
    if (found.ids.length === 0) {
      if (found.modules && use.kind === 'references') {
        stats.resolved++;
        return;
      }
      if (
        found.external ||
        !this.#declares(this.#allNames, `${languageFamily(file.language)}:${parts[0] ?? use.name}`)
      )
        stats.external++;
      else stats.unresolved++;
      return;
    }
    const ambiguous = found.ids.length > 1;
    if (ambiguous) stats.ambiguous++;
    else stats.resolved++;
    for (const id of found.ids.slice(0, MAX_CANDIDATES)) {
      if (id === use.from) continue;
      this.#edge(use.from, id, 'references', {
        range: use.range,
        ...(ambiguous ? { ambiguous: true, confidence: 1 / found.ids.length } : {}),
      });
    }
  }

  #resolveHeritage(slot: Slot, use: NameUse): void {
    const file = slot.graph;
    const parts = use.name.split(/\.|::|\\/).filter(Boolean);
    let found = this.#lookup(file, use.scope, parts[0] ?? use.name);
    for (const part of parts.slice(1)) {
      found = found.modules
        ? { ids: this.#exported(found.modules, part, 0) }
        : {
            ids: found.ids
              .map((id) => this.#findMember(id, part))
              .filter((id): id is NodeId => id !== undefined),
          };
    }
    const classes = found.ids.filter((id) => CLASS_LIKE_KINDS.has(this.#kindOf(id)!));
    if (classes.length === 0) return;
    const kind = use.kind === 'implements' ? 'implements' : 'extends';
    const ambiguous = classes.length > 1;
    for (const id of classes) {
      if (id === use.from) continue;
      this.#edge(use.from, id, kind, ambiguous ? { ambiguous: true, confidence: 1 / classes.length } : {});
      this.#addBase(use.from, id, slot);
    }
  }

  #addBase(owner: NodeId, base: NodeId, from: Slot): void {
    const bases = this.#bases.get(owner);
    if (bases) bases.push(base);
    else this.#bases.set(owner, [base]);
    this.#log(this.#basesLog, owner, `${base}@${from.path}\n`);
  }

  #attachDetachedMethods(slot: Slot): void {
    const file = slot.graph;
    for (const detached of file.detachedMethods) {
      const owner = this.#lookup(file, detached.scope < 0 ? -1 : detached.scope, detached.typeName).ids.find(
        (id) => CLASS_LIKE_KINDS.has(this.#kindOf(id)!),
      );
      if (!owner) {
        this.#edge(file.moduleId, detached.method, 'defines');
        continue;
      }
      this.#edge(owner, detached.method, 'defines');
      let members = this.#structureMembers.get(owner);
      if (!members) {
        members = { ...(this.#members.get(owner) ?? {}) };
        this.#structureMembers.set(owner, members);
      }
      ownSetDefault(members, detached.name, detached.method);
      this.#log(this.#membersLog, owner, `${detached.name}\u0000${detached.method}@${slot.path}\n`);
      let list = this.#structureMethods.get(detached.name);
      if (!list) {
        list = [...(this.#methodsByName.get(detached.name)?.ids ?? NO_IDS)];
        this.#structureMethods.set(detached.name, list);
      }
      list.push(detached.method);
      this.#log(this.#methodsLog, detached.name, `${detached.method}@${slot.path}\n`);
    }
  }

  #attachDetachedHeritage(slot: Slot): void {
    const file = slot.graph;
    for (const { typeName, base, scope } of file.detachedHeritage) {
      const owner = this.#classNamed(file, scope, typeName);
      const baseClass = this.#classNamed(file, scope, base);
      if (!owner || !baseClass || owner === baseClass) continue;
      this.#edge(owner, baseClass, 'implements');
      this.#addBase(owner, baseClass, slot);
    }
  }

  // ---- members and types

  /** A member of a class or of its bases (depth-first, nearest first). */
  #findMember(owner: NodeId, name: string, depth = 0): NodeId | undefined {
    if (depth > 12) return undefined;
    const direct = ownGet(this.#memberRecord(owner), name);
    if (direct) return direct;
    for (const base of this.#basesOf(owner)) {
      const found = this.#findMember(base, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The class a typed symbol (variable, field, parameter, return value) is an instance of. */
  #classOf(symbol: NodeId): NodeId | undefined {
    const typed = this.#typedOf(symbol);
    if (!typed) return undefined;
    return this.#classNamed(this.#slots.get(typed.file)!.graph, typed.scope, typed.typeName);
  }

  #classNamed(file: FileGraph, scope: number, typeName: string): NodeId | undefined {
    const parts = typeName.split(/\.|::|\\/).filter(Boolean);
    let found = this.#lookup(file, scope, parts[0] ?? typeName);
    for (const part of parts.slice(1)) {
      found = found.modules
        ? { ids: this.#exported(found.modules, part, 0) }
        : {
            ids: found.ids
              .map((id) => this.#findMember(id, part))
              .filter((id): id is NodeId => id !== undefined),
          };
    }
    const classes = found.ids.filter((id) => CLASS_LIKE_KINDS.has(this.#kindOf(id)!));
    return classes.length === 1 ? classes[0] : undefined;
  }

  /** The class whose method encloses a scope (`this`), if any. */
  #enclosingClass(file: FileGraph, scope: number): NodeId | undefined {
    const deps = this.#deps;
    if (deps) deps.add(this.#slotFor(file).key + FACET.scopes);
    let current = scope;
    for (let guard = 0; guard < 1000 && current >= 0; guard++) {
      const info = file.scopes[String(current)];
      if (!info) return undefined;
      if (CLASS_LIKE_KINDS.has(info.kind as NodeKind)) return info.node;
      if (info.ownerClass) return info.ownerClass;
      if (info.ownerTypeName) return this.#classNamed(file, info.parent, info.ownerTypeName);
      current = info.parent;
    }
    return undefined;
  }

  // ---- calls

  #resolveCall(file: FileGraph, call: CallUse): void {
    const stats = this.#stats.calls;
    const result = this.#callTargetsOf(file, call);
    if (result.ids.length === 0) {
      // A name that nothing in the workspace declares is called from outside it (a library, a builtin).
      if (
        result.external ||
        !this.#declares(this.#declaredNames, `${languageFamily(file.language)}:${call.name}`)
      )
        stats.external++;
      else stats.unresolved++;
      return;
    }
    const ambiguous = result.confidence < 1;
    if (ambiguous) stats.ambiguous++;
    else stats.resolved++;
    for (const id of result.ids) {
      this.#edge(call.site, id, 'calls', ambiguous ? { ambiguous: true, confidence: result.confidence } : {});
    }
    this.#callTargets.set(call.site, result);
  }

  /** Targets proven by scope, import or type: their callables (a class's constructor), split confidence. */
  #exact(ids: readonly NodeId[], language: string): { ids: NodeId[]; confidence: number } {
    const callables: NodeId[] = [];
    for (const id of ids) {
      const callable = this.#asCallable(id, language);
      if (callable !== undefined) callables.push(callable);
    }
    return { ids: callables, confidence: ids.length === 1 ? 1 : 1 / Math.max(1, ids.length) };
  }

  #callTargetsOf(file: FileGraph, call: CallUse): { ids: NodeId[]; confidence: number; external?: boolean } {
    const receiver = call.receiver;
    const language = file.language;
    if (!receiver) {
      if (file.language === 'python' && (call.name === 'super' || call.name === 'cls')) {
        if (call.name === 'super') return { ids: [], confidence: 0, external: true };
        const cls = this.#enclosingClass(file, call.scope);
        return cls ? this.#exact([cls], language) : { ids: [], confidence: 0 };
      }
      if (
        call.name === 'super' ||
        call.name === 'super()' ||
        (file.language === 'csharp' && call.name === 'base')
      ) {
        const cls = this.#enclosingClass(file, call.scope);
        const base = cls ? this.#basesOf(cls)[0] : undefined;
        return base ? this.#exact([base], language) : { ids: [], confidence: 0 };
      }
      const found = this.#lookup(file, call.scope, call.name);
      if (found.ids.length > 0) return this.#exact(found.ids.slice(0, MAX_CANDIDATES), language);
      if (found.external) return { ids: [], confidence: 0, external: true };
      // Java, C#, C++ and Ruby call methods of the enclosing class without a receiver.
      if (!IMPLICIT_MEMBER_LANGUAGES.has(file.language)) return { ids: [], confidence: 0 };
      const cls = this.#enclosingClass(file, call.scope);
      const member = cls ? this.#findMember(cls, call.name) : undefined;
      return member ? this.#exact([member], language) : { ids: [], confidence: 0 };
    }
    let owner: NodeId | undefined;
    switch (receiver.kind) {
      case 'this':
        owner = this.#enclosingClass(file, call.scope);
        break;
      case 'super': {
        const cls = this.#enclosingClass(file, call.scope);
        for (const base of cls ? this.#basesOf(cls) : NO_IDS) {
          const member = this.#findMember(base, call.name);
          if (member) return this.#exact([member], language);
        }
        return { ids: [], confidence: 0 };
      }
      case 'new':
        owner = receiver.name ? this.#classNamed(file, call.scope, receiver.name) : undefined;
        break;
      case 'this-member': {
        const cls = this.#enclosingClass(file, call.scope);
        const field = cls && receiver.name ? this.#findMember(cls, receiver.name) : undefined;
        owner = field ? this.#classOf(field) : undefined;
        break;
      }
      case 'name': {
        if (receiver.name === 'Self') {
          owner = this.#enclosingClass(file, call.scope);
          break;
        }
        if (file.language === 'rust' && (receiver.name === 'super' || receiver.name === 'crate')) {
          const ids = this.#pathCall(file, receiver.text, call.name);
          if (ids.length > 0) return this.#exact(ids, language);
          break;
        }
        const found = this.#lookup(file, call.scope, receiver.name ?? receiver.text);
        if (found.modules) {
          const ids = this.#exported(found.modules, call.name, 0);
          if (ids.length > 0) return this.#exact(ids, language);
          return { ids: [], confidence: 0 };
        }
        if (found.external) return { ids: [], confidence: 0, external: true };
        const symbol = found.ids.length === 1 ? found.ids[0]! : undefined;
        if (symbol) {
          const kind = this.#kindOf(symbol)!;
          owner = CLASS_LIKE_KINDS.has(kind) ? symbol : kind === 'module' ? undefined : this.#classOf(symbol);
          if (kind === 'module') {
            const module = this.#slotOf.get(symbol)?.graph;
            const ids = module ? this.#exported([module], call.name, 0) : [];
            if (ids.length > 0) return this.#exact(ids, language);
          }
        }
        break;
      }
      case 'expr': {
        // Dotted paths through modules and classes: `pkg.sub.f()`, `click.types.Choice()`.
        if (/^[A-Za-z_$#][\w$]*(\.#?[A-Za-z_$][\w$]*)+$/.test(receiver.text)) {
          const parts = receiver.text.split('.');
          // `this.a.b.m()`: start from the enclosing class.
          const start =
            parts[0] === 'this' || parts[0] === 'self' ? this.#enclosingClass(file, call.scope) : undefined;
          let found: Lookup = start ? { ids: [start] } : this.#lookup(file, call.scope, parts[0]!);
          for (const part of parts.slice(1)) {
            if (found.modules) {
              const ids = this.#exported(found.modules, part, 0);
              let subModules = ids
                .filter((id) => this.#kindOf(id) === 'module')
                .map((id) => this.#slotOf.get(id)!.graph);
              if (ids.length === 0) subModules = found.modules.flatMap((m) => this.#pythonSubmodule(m, part));
              found = subModules.length > 0 ? { ids: [], modules: subModules } : { ids };
            } else {
              found = {
                ids: found.ids
                  .map((id) => this.#findMember(id, part))
                  .filter((id): id is NodeId => id !== undefined),
              };
            }
          }
          if (found.modules) {
            const ids = this.#exported(found.modules, call.name, 0);
            if (ids.length > 0) return this.#exact(ids, language);
          } else if (found.ids.length === 1) {
            const kind = this.#kindOf(found.ids[0]!)!;
            owner = CLASS_LIKE_KINDS.has(kind) ? found.ids[0] : this.#classOf(found.ids[0]!);
          }
          break;
        }
        // Paths such as `a::b::f` (Rust) or `pkg.sub.f`.
        if (receiver.text.includes('::')) {
          const ids = this.#pathCall(file, receiver.text, call.name);
          if (ids.length > 0) return this.#exact(ids, language);
          const head = receiver.text.split('::')[0]!;
          const typeOwner = this.#classNamed(file, call.scope, head);
          if (typeOwner && receiver.text.split('::').length === 1) owner = typeOwner;
        }
        break;
      }
    }
    if (owner) {
      const member = this.#findMember(owner, call.name);
      if (member) return this.#exact([member], language);
      // The receiver's class is known and has no such member: it comes from a base outside the workspace.
      return { ids: [], confidence: 0, external: true };
    }
    if (!this.#mayGuess(file, call)) return { ids: [], confidence: 0, external: true };
    // Unknown receiver type: candidates by method name, when there are few.
    const family = languageFamily(file.language);
    const candidates = this.#methodIds(call.name).filter(
      (id) => languageFamily(this.#slotOf.get(id)?.graph.language ?? '') === family,
    );
    if (candidates.length > 0 && candidates.length <= MAX_CANDIDATES) {
      return { ids: candidates, confidence: NAME_ONLY_CONFIDENCE / candidates.length };
    }
    return { ids: [], confidence: 0 };
  }

  /** A Python package's submodule: `pkg/__init__.py` + `sub` → `pkg/sub.py` or `pkg/sub/__init__.py`. */
  #pythonSubmodule(module: FileGraph, name: string): FileGraph[] {
    if (module.language !== 'python' || !/\/?__init__\.pyi?$/.test(module.path)) return [];
    const dir = dirnameOf(module.path);
    const prefix = dir ? `${dir}/` : '';
    for (const candidate of [`${prefix}${name}.py`, `${prefix}${name}/__init__.py`, `${prefix}${name}.pyi`]) {
      const deps = this.#deps;
      if (deps) {
        let key = this.#existence.get(candidate);
        if (key === undefined) {
          key = this.#nextKey++;
          this.#existence.set(candidate, key);
        }
        deps.add(key);
      }
      const found = this.#slots.get(candidate);
      if (found) return [found.graph];
    }
    return [];
  }

  /** The targets of `a::b::name(…)`: a function of module `a::b`, or a method of type `b` in module `a`. */
  #pathCall(file: FileGraph, path: string, name: string): NodeId[] {
    const target = this.#resolveModule(file.path, file.language, path);
    const modules = this.#filesAt(target.files);
    if (modules.length === 0) return [];
    if (target.rest.length === 0) return this.#exportedOrTop(modules, name);
    return this.#exportedOrTop(modules, target.rest[0]!)
      .map((id) => this.#findMember(id, name))
      .filter((id): id is NodeId => id !== undefined);
  }

  /** A module's exported name, or its private one when the caller is inside the same crate (Rust). */
  #exportedOrTop(modules: readonly FileGraph[], name: string): NodeId[] {
    const exported = this.#exported(modules, name, 0);
    if (exported.length > 0) return exported;
    return modules.map((m) => ownGet(m.topLevel, name)).filter((id): id is NodeId => id !== undefined);
  }

  /**
   * Whether a call on a receiver of unknown type may be matched by method name. Not when the receiver is a
   * global of the runtime (`console`, `Math`, `String`), a value of a declared type that is not in the
   * workspace (`Vec`, `Set`, `string`), or `this.field` of such a type.
   */
  #mayGuess(file: FileGraph, call: CallUse): boolean {
    const receiver = call.receiver;
    if (!receiver) return false;
    if (receiver.kind === 'expr' || receiver.kind === 'this' || receiver.kind === 'super') return true;
    if (receiver.kind === 'new') return false;
    if (receiver.kind === 'this-member') {
      const cls = this.#enclosingClass(file, call.scope);
      const field = cls && receiver.name ? this.#findMember(cls, receiver.name) : undefined;
      return field === undefined || !this.#typedOf(field);
    }
    const name = receiver.name ?? receiver.text;
    const found = this.#lookup(file, call.scope, name);
    // An undeclared name: a runtime global (`console`, `Math`, `String`), or a local the extractor does not
    // declare (comprehension and pattern variables), which may be guessed.
    if (found.ids.length === 0)
      return !found.external && !found.modules && !/^[A-Z]/.test(name) && !RUNTIME_GLOBALS.has(name);
    return found.ids.every((id) => !this.#typedOf(id));
  }

  /** A call to a class is a call to its constructor, when it has one. */
  #asCallable(id: NodeId, language: string): NodeId | undefined {
    const node = this.#nodeOf.get(id);
    if (!node) {
      this.#deps?.add(KEY_UNKNOWN);
      return undefined;
    }
    const kind = node.kind;
    if (CLASS_LIKE_KINDS.has(kind)) {
      const names = CONSTRUCTOR_NAMES[language] ?? [node.name];
      const members = this.#memberRecord(id);
      for (const name of names) {
        const ctor = ownGet(members, name);
        if (ctor) return ctor;
      }
      return id;
    }
    if (kind === 'module' || kind === 'import') return undefined;
    return id;
  }

  #addCallFlows(call: CallUse): void {
    const target = this.#callTargets.get(call.site);
    const resolved = target?.confidence === 1 && target.ids.length === 1 ? target.ids[0]! : undefined;
    const params = resolved ? this.#parametersOf(resolved) : undefined;
    call.args.forEach((arg, index) => {
      const param = params?.[index];
      const into = param ?? call.site;
      for (const source of arg.nodes)
        this.#edge(source, into, 'data_flow', param ? {} : { meta: { argument: index } });
      for (const inner of arg.calls) {
        const innerTarget = this.#callTargets.get(inner);
        const innerResolved =
          innerTarget?.confidence === 1 && innerTarget.ids.length === 1 ? innerTarget.ids[0]! : undefined;
        const rv = innerResolved ? this.#returnValueOf(innerResolved) : undefined;
        this.#edge(rv ?? inner, into, 'data_flow', param ? {} : { meta: { argument: index } });
      }
    });
    const rv = resolved ? this.#returnValueOf(resolved) : undefined;
    for (const variable of call.assignTo) this.#edge(rv ?? call.site, variable, 'data_flow');
    if (call.returnTo) this.#edge(rv ?? call.site, call.returnTo, 'data_flow');
  }
}
