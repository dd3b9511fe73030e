/**
 * @module graph/resolver
 * Cross-file resolution: binds imports to modules and symbols, names to declarations through scopes,
 * methods on receivers whose type is known, base classes, and types; then adds the data flow that a resolved
 * call implies (argument → parameter, return value → assigned variable).
 *
 * Architecture Invariant: an edge is either proven (scope, import, declared or constructed type, class
 * hierarchy: confidence 1) or marked ambiguous with a confidence below 1. A name matched by nothing becomes
 * no edge: it is counted as unresolved (or external, when it comes from outside the workspace).
 */
import { ownGet, ownSetDefault } from '../base/index.js';
import type { FileGraph, ImportInfo, NameUse } from './file-graph.js';
import { dirnameOf, ModuleResolver } from './module-resolution.js';
import type { ProjectConfig } from './project-config.js';
import { CALLABLE_KINDS, CLASS_LIKE_KINDS } from './types.js';
import type { AsgEdge, NodeId, NodeKind, ResolutionStats } from './types.js';

/** The most candidates a name-only match may have before it is left unresolved. */
const MAX_CANDIDATES = 4;
/** Confidence of a candidate found by name alone (split between candidates). */
const NAME_ONLY_CONFIDENCE = 0.6;

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

interface Lookup {
  ids: NodeId[];
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
  return new WorkspaceResolver(files, config, options.targets).run();
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

class WorkspaceResolver {
  readonly #files: readonly FileGraph[];
  readonly #byPath = new Map<string, FileGraph>();
  readonly #kinds = new Map<NodeId, NodeKind>();
  readonly #names = new Map<NodeId, string>();
  readonly #fileOf = new Map<NodeId, FileGraph>();
  readonly #members = new Map<NodeId, Record<string, NodeId>>();
  readonly #bases = new Map<NodeId, NodeId[]>();
  readonly #parameters = new Map<NodeId, NodeId[]>();
  readonly #returnValues = new Map<NodeId, NodeId>();
  readonly #typed = new Map<NodeId, { typeName: string; scope: number; file: FileGraph }>();
  readonly #methodsByName = new Map<string, NodeId[]>();
  readonly #globalTopLevel = new Map<string, NodeId[]>();
  /** Names of every callable or class declared in the workspace. */
  readonly #declaredNames = new Set<string>();
  /** Names of every symbol declared in the workspace. */
  readonly #allNames = new Set<string>();
  /** Package (Go folder + package name, Java/C# package) → top-level name → declarations in its files. */
  readonly #packageNames = new Map<string, Map<string, NodeId[]>>();
  readonly #modules: ModuleResolver;
  readonly #importTargets = new Map<ImportInfo, ImportTarget>();
  readonly #importIndex = new Map<FileGraph, Map<string, ImportInfo[]>>();
  readonly #callTargets = new Map<NodeId, { ids: NodeId[]; confidence: number }>();
  readonly #targets: ReadonlySet<string> | undefined;
  readonly #byFile = new Map<string, FileResolution>();
  /** The file whose uses are being resolved: edges and counts go to it (or nowhere, for a non-target). */
  #current: { resolution: FileResolution; keys: Set<string> } | undefined;
  /** Where counts of non-target files go. */
  readonly #discard = emptyResolutionCounts();

  constructor(files: readonly FileGraph[], config: ProjectConfig, targets?: ReadonlySet<string>) {
    this.#files = files;
    this.#targets = targets;
    for (const file of files) {
      this.#byPath.set(file.path, file);
      for (const node of file.nodes) {
        if (CALLABLE_KINDS.has(node.kind) || CLASS_LIKE_KINDS.has(node.kind))
          this.#declaredNames.add(`${languageFamily(file.language)}:${node.name}`);
        if (node.kind !== 'call_site' && node.kind !== 'type' && node.kind !== 'return_value')
          this.#allNames.add(`${languageFamily(file.language)}:${node.name}`);
        this.#kinds.set(node.id, node.kind);
        this.#names.set(node.id, node.name);
        this.#fileOf.set(node.id, file);
      }
      for (const [owner, members] of Object.entries(file.members)) this.#members.set(owner, { ...members });
      for (const [fn, params] of Object.entries(file.parameters)) this.#parameters.set(fn, params);
      for (const [fn, rv] of Object.entries(file.returnValues)) this.#returnValues.set(fn, rv);
      for (const [id, typed] of Object.entries(file.typed)) this.#typed.set(id, { ...typed, file });
      if (PACKAGE_SCOPED.has(file.language) && (file.packageName !== undefined || file.language === 'go')) {
        const key = packageKey(file);
        let names = this.#packageNames.get(key);
        if (!names) {
          names = new Map();
          this.#packageNames.set(key, names);
        }
        for (const [name, id] of Object.entries(file.topLevel)) {
          const list = names.get(name);
          if (list) list.push(id);
          else names.set(name, [id]);
        }
      }
      if (GLOBAL_SCOPED.has(file.language)) {
        for (const [name, id] of Object.entries(file.topLevel)) {
          const list = this.#globalTopLevel.get(`${file.language}:${name}`) ?? [];
          list.push(id);
          this.#globalTopLevel.set(`${file.language}:${name}`, list);
        }
      }
    }
    for (const members of this.#members.values()) {
      for (const [name, id] of Object.entries(members)) {
        if (!CALLABLE_KINDS.has(this.#kinds.get(id)!)) continue;
        const list = this.#methodsByName.get(name) ?? [];
        list.push(id);
        this.#methodsByName.set(name, list);
      }
    }
    this.#modules = new ModuleResolver(files, config);
  }

  run(): ResolutionResult {
    const files = this.#files;
    const targets = this.#targets ? files.filter((f) => this.#targets!.has(f.path)) : files;
    // Phases that also fill tables every file's resolution reads run over all files; the others over targets.
    for (const file of targets)
      this.#in(file, () => {
        file.imports.forEach((imp) => {
          this.#resolveImportEdge(file, imp);
        });
      });
    for (const file of files)
      this.#in(file, () => {
        this.#attachDetachedMethods(file);
      });
    for (const file of files)
      this.#in(file, () => {
        this.#attachDetachedHeritage(file);
      });
    for (const file of files)
      this.#in(file, () => {
        for (const use of file.names)
          if (use.kind === 'extends' || use.kind === 'implements') this.#resolveHeritage(file, use);
      });
    for (const file of targets)
      this.#in(file, () => {
        for (const use of file.names)
          if (use.kind === 'type' || use.kind === 'references') this.#resolveName(file, use);
      });
    this.#inferTypesFromCalls();
    for (const file of targets)
      this.#in(file, () => {
        file.calls.forEach((call) => {
          this.#resolveCall(file, call);
        });
      });
    for (const file of targets)
      this.#in(file, () => {
        file.calls.forEach((call) => {
          this.#addCallFlows(call);
        });
      });
    const total = emptyResolutionCounts();
    const edges: AsgEdge[] = [];
    for (const file of targets) {
      const resolution = this.#byFile.get(file.path);
      if (!resolution) continue;
      addResolutionCounts(total, resolution);
      for (const edge of resolution.edges) edges.push(edge);
    }
    return { edges, ...total, byFile: this.#byFile };
  }

  /** Runs a phase for one file: its edges and counts are recorded only when the file is a target. */
  #in(file: FileGraph, phase: () => void): void {
    if (this.#targets && !this.#targets.has(file.path)) {
      this.#current = undefined;
    } else {
      let resolution = this.#byFile.get(file.path);
      if (!resolution) {
        resolution = { edges: [], ...emptyResolutionCounts() };
        this.#byFile.set(file.path, resolution);
      }
      this.#current = { resolution, keys: this.#keys.get(file.path) ?? new Set() };
      this.#keys.set(file.path, this.#current.keys);
    }
    phase();
    this.#current = undefined;
  }

  readonly #keys = new Map<string, Set<string>>();

  /** The counts of the current file (a sink when it is not a target). */
  get #stats(): ResolutionCounts {
    return this.#current?.resolution ?? this.#discard;
  }

  #edge(source: NodeId, target: NodeId, kind: AsgEdge['kind'], extra: Partial<AsgEdge> = {}): void {
    const current = this.#current;
    if (!current) return;
    const key = `${source}>${target}>${kind}${extra.range ? `@${extra.range.start.line}:${extra.range.start.character}` : ''}`;
    if (current.keys.has(key)) return;
    current.keys.add(key);
    current.resolution.edges.push({ source, target, kind, ...extra });
  }

  // ---- imports

  #importTarget(file: FileGraph, imp: ImportInfo, depth = 0): ImportTarget {
    const cached = this.#importTargets.get(imp);
    if (cached) return cached;
    // Guard against import cycles: a re-entrant lookup sees "unresolved".
    this.#importTargets.set(imp, { kind: 'unresolved' });
    const target = this.#importTargetUncached(file, imp, depth);
    this.#importTargets.set(imp, target);
    return target;
  }

  #importTargetUncached(file: FileGraph, imp: ImportInfo, depth: number): ImportTarget {
    const module = this.#modules.resolve(file.path, file.language, imp.source);
    let modules = module.files
      .map((path) => this.#byPath.get(path))
      .filter((f): f is FileGraph => f !== undefined);
    if (modules.length === 0) {
      // Python `from pkg import submodule`.
      if (file.language === 'python' && imp.imported && imp.imported !== '*') {
        const sub = this.#modules.resolve(
          file.path,
          file.language,
          `${imp.source}${imp.source.endsWith('.') ? '' : '.'}${imp.imported}`,
        );
        const subFiles = sub.files
          .map((p) => this.#byPath.get(p))
          .filter((f): f is FileGraph => f !== undefined);
        if (subFiles.length > 0) return { kind: 'module', files: subFiles };
      }
      return { kind: 'external' };
    }
    const imported = imp.imported;
    const rest = [...module.rest];
    if (rest.length > 0) {
      // `use a::Item::Variant` / `import static a.b.C.m`: look the first item up, then members.
      const owner = this.#exported(modules, rest.shift()!, depth + 1);
      if (owner.length === 0) return { kind: 'unresolved' };
      let current = owner;
      for (const segment of [...rest, ...(imported && imported !== '*' ? [imported] : [])]) {
        current = current.flatMap((id) => {
          const member = this.#findMember(id, segment);
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
      const sub = this.#modules.resolve(
        file.path,
        file.language,
        `${imp.source}${imp.source.endsWith('.') ? '' : '.'}${imported}`,
      );
      modules = sub.files.map((p) => this.#byPath.get(p)).filter((f): f is FileGraph => f !== undefined);
      if (modules.length > 0) return { kind: 'module', files: modules };
    }
    return { kind: 'unresolved' };
  }

  /** The declarations a module exports under `name`, following re-exports. */
  #exported(modules: readonly FileGraph[], name: string, depth: number): NodeId[] {
    if (depth > 20) return [];
    const found: NodeId[] = [];
    for (const module of modules) {
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
        const owner = this.#fileOf.get(id);
        if (owner && owner !== file) this.#edge(file.moduleId, owner.moduleId, 'imports');
      }
    } else if (target.kind === 'module') {
      stats.resolved++;
      for (const module of target.files) {
        this.#edge(imp.node, module.moduleId, 'imports');
        if (module !== file) this.#edge(file.moduleId, module.moduleId, 'imports');
      }
    } else if (target.kind === 'external') stats.external++;
    else stats.unresolved++;
  }

  // ---- names

  /** Looks a name up from a scope: enclosing scopes, the file, its imports, its package. */
  #lookup(file: FileGraph, scope: number, name: string): Lookup {
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
      const ids = this.#packageNames.get(packageKey(file))?.get(name);
      if (ids && ids.length > 0) return { ids };
    }
    if (GLOBAL_SCOPED.has(file.language)) {
      const ids = this.#globalTopLevel.get(`${file.language}:${name}`);
      if (ids && ids.length > 0) return { ids };
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
              const cls = CLASS_LIKE_KINDS.has(this.#kinds.get(id)!) ? id : this.#classOf(id);
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
      if (found.external || !this.#allNames.has(`${languageFamily(file.language)}:${parts[0] ?? use.name}`))
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

  #resolveHeritage(file: FileGraph, use: NameUse): void {
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
    const classes = found.ids.filter((id) => CLASS_LIKE_KINDS.has(this.#kinds.get(id)!));
    if (classes.length === 0) return;
    const kind = use.kind === 'implements' ? 'implements' : 'extends';
    const ambiguous = classes.length > 1;
    for (const id of classes) {
      if (id === use.from) continue;
      this.#edge(use.from, id, kind, ambiguous ? { ambiguous: true, confidence: 1 / classes.length } : {});
      const bases = this.#bases.get(use.from) ?? [];
      bases.push(id);
      this.#bases.set(use.from, bases);
    }
  }

  #attachDetachedMethods(file: FileGraph): void {
    for (const detached of file.detachedMethods) {
      const owner = this.#lookup(file, detached.scope < 0 ? -1 : detached.scope, detached.typeName).ids.find(
        (id) => CLASS_LIKE_KINDS.has(this.#kinds.get(id)!),
      );
      if (!owner) {
        this.#edge(file.moduleId, detached.method, 'defines');
        continue;
      }
      this.#edge(owner, detached.method, 'defines');
      const members = this.#members.get(owner) ?? {};
      ownSetDefault(members, detached.name, detached.method);
      this.#members.set(owner, members);
      const list = this.#methodsByName.get(detached.name) ?? [];
      list.push(detached.method);
      this.#methodsByName.set(detached.name, list);
    }
  }

  #attachDetachedHeritage(file: FileGraph): void {
    for (const { typeName, base, scope } of file.detachedHeritage) {
      const owner = this.#classNamed(file, scope, typeName);
      const baseClass = this.#classNamed(file, scope, base);
      if (!owner || !baseClass || owner === baseClass) continue;
      this.#edge(owner, baseClass, 'implements');
      const bases = this.#bases.get(owner) ?? [];
      bases.push(baseClass);
      this.#bases.set(owner, bases);
    }
  }

  // ---- members and types

  /** A member of a class or of its bases (depth-first, nearest first). */
  #findMember(owner: NodeId, name: string, depth = 0): NodeId | undefined {
    if (depth > 12) return undefined;
    const direct = ownGet(this.#members.get(owner), name);
    if (direct) return direct;
    for (const base of this.#bases.get(owner) ?? []) {
      const found = this.#findMember(base, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The class a typed symbol (variable, field, parameter, return value) is an instance of. */
  #classOf(symbol: NodeId): NodeId | undefined {
    const typed = this.#typed.get(symbol);
    if (!typed) return undefined;
    return this.#classNamed(typed.file, typed.scope, typed.typeName);
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
    const classes = found.ids.filter((id) => CLASS_LIKE_KINDS.has(this.#kinds.get(id)!));
    return classes.length === 1 ? classes[0] : undefined;
  }

  /** The class whose method encloses a scope (`this`), if any. */
  #enclosingClass(file: FileGraph, scope: number): NodeId | undefined {
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

  /**
   * Gives variables assigned from a call the declared return type of the called function
   * (`const x = makeX()` → x: X), so that calls on them resolve. Two rounds follow short chains.
   */
  #inferTypesFromCalls(): void {
    for (let round = 0; round < 2; round++) {
      let learned = 0;
      for (const file of this.#files) {
        for (const call of file.calls) {
          if (call.assignTo.length === 0) continue;
          const result = this.#callTargetsOf(file, call);
          if (result.confidence < 1 || result.ids.length !== 1) continue;
          const target = result.ids[0]!;
          const kind = this.#kinds.get(target);
          let typed = undefined as { typeName: string; scope: number; file: FileGraph } | undefined;
          if (kind && CLASS_LIKE_KINDS.has(kind)) continue;
          const rv = this.#returnValues.get(target);
          if (rv) typed = this.#typed.get(rv);
          // A constructor's result is an instance of its class.
          if (!typed && this.#names.get(target) && call.isNew) continue;
          if (!typed) continue;
          for (const variable of call.assignTo) {
            if (this.#typed.has(variable)) continue;
            this.#typed.set(variable, typed);
            learned++;
          }
        }
      }
      if (learned === 0) break;
    }
  }

  #resolveCall(file: FileGraph, call: FileGraph['calls'][number]): void {
    const stats = this.#stats.calls;
    const result = this.#callTargetsOf(file, call);
    if (result.ids.length === 0) {
      // A name that nothing in the workspace declares is called from outside it (a library, a builtin).
      if (result.external || !this.#declaredNames.has(`${languageFamily(file.language)}:${call.name}`))
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

  #callTargetsOf(
    file: FileGraph,
    call: FileGraph['calls'][number],
  ): { ids: NodeId[]; confidence: number; external?: boolean } {
    const receiver = call.receiver;
    const exact = (ids: NodeId[]): { ids: NodeId[]; confidence: number } => ({
      ids: ids
        .map((id) => this.#asCallable(id, file.language))
        .filter((id): id is NodeId => id !== undefined),
      confidence: ids.length === 1 ? 1 : 1 / Math.max(1, ids.length),
    });
    if (!receiver) {
      if (file.language === 'python' && (call.name === 'super' || call.name === 'cls')) {
        if (call.name === 'super') return { ids: [], confidence: 0, external: true };
        const cls = this.#enclosingClass(file, call.scope);
        return cls ? exact([cls]) : { ids: [], confidence: 0 };
      }
      if (
        call.name === 'super' ||
        call.name === 'super()' ||
        (file.language === 'csharp' && call.name === 'base')
      ) {
        const cls = this.#enclosingClass(file, call.scope);
        const base = cls ? this.#bases.get(cls)?.[0] : undefined;
        return base ? exact([base]) : { ids: [], confidence: 0 };
      }
      const found = this.#lookup(file, call.scope, call.name);
      if (found.ids.length > 0) return exact(found.ids.slice(0, MAX_CANDIDATES));
      if (found.external) return { ids: [], confidence: 0, external: true };
      // Java, C#, C++ and Ruby call methods of the enclosing class without a receiver.
      if (!IMPLICIT_MEMBER_LANGUAGES.has(file.language)) return { ids: [], confidence: 0 };
      const cls = this.#enclosingClass(file, call.scope);
      const member = cls ? this.#findMember(cls, call.name) : undefined;
      return member ? exact([member]) : { ids: [], confidence: 0 };
    }
    let owner: NodeId | undefined;
    switch (receiver.kind) {
      case 'this':
        owner = this.#enclosingClass(file, call.scope);
        break;
      case 'super': {
        const cls = this.#enclosingClass(file, call.scope);
        for (const base of cls ? (this.#bases.get(cls) ?? []) : []) {
          const member = this.#findMember(base, call.name);
          if (member) return exact([member]);
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
          if (ids.length > 0) return exact(ids);
          break;
        }
        const found = this.#lookup(file, call.scope, receiver.name ?? receiver.text);
        if (found.modules) {
          const ids = this.#exported(found.modules, call.name, 0);
          if (ids.length > 0) return exact(ids);
          return { ids: [], confidence: 0 };
        }
        if (found.external) return { ids: [], confidence: 0, external: true };
        const symbol = found.ids.length === 1 ? found.ids[0]! : undefined;
        if (symbol) {
          const kind = this.#kinds.get(symbol)!;
          owner = CLASS_LIKE_KINDS.has(kind) ? symbol : kind === 'module' ? undefined : this.#classOf(symbol);
          if (kind === 'module') {
            const module = this.#fileOf.get(symbol);
            const ids = module ? this.#exported([module], call.name, 0) : [];
            if (ids.length > 0) return exact(ids);
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
          let found = start ? { ids: [start] } : this.#lookup(file, call.scope, parts[0]!);
          for (const part of parts.slice(1)) {
            if (found.modules) {
              const ids = this.#exported(found.modules, part, 0);
              let subModules = ids
                .filter((id) => this.#kinds.get(id) === 'module')
                .map((id) => this.#fileOf.get(id)!);
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
            if (ids.length > 0) return exact(ids);
          } else if (found.ids.length === 1) {
            const kind = this.#kinds.get(found.ids[0]!)!;
            owner = CLASS_LIKE_KINDS.has(kind) ? found.ids[0] : this.#classOf(found.ids[0]!);
          }
          break;
        }
        // Paths such as `a::b::f` (Rust) or `pkg.sub.f`.
        if (receiver.text.includes('::')) {
          const ids = this.#pathCall(file, receiver.text, call.name);
          if (ids.length > 0) return exact(ids);
          const head = receiver.text.split('::')[0]!;
          const typeOwner = this.#classNamed(file, call.scope, head);
          if (typeOwner && receiver.text.split('::').length === 1) owner = typeOwner;
        }
        break;
      }
    }
    if (owner) {
      const member = this.#findMember(owner, call.name);
      if (member) return exact([member]);
      // The receiver's class is known and has no such member: it comes from a base outside the workspace.
      return { ids: [], confidence: 0, external: true };
    }
    if (!this.#mayGuess(file, call)) return { ids: [], confidence: 0, external: true };
    // Unknown receiver type: candidates by method name, when there are few.
    const family = languageFamily(file.language);
    const candidates = (this.#methodsByName.get(call.name) ?? []).filter(
      (id) => languageFamily(this.#fileOf.get(id)?.language ?? '') === family,
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
      const found = this.#byPath.get(candidate);
      if (found) return [found];
    }
    return [];
  }

  /** The targets of `a::b::name(…)`: a function of module `a::b`, or a method of type `b` in module `a`. */
  #pathCall(file: FileGraph, path: string, name: string): NodeId[] {
    const target = this.#modules.resolve(file.path, file.language, path);
    const modules = target.files
      .map((p) => this.#byPath.get(p))
      .filter((f): f is FileGraph => f !== undefined);
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
  #mayGuess(file: FileGraph, call: FileGraph['calls'][number]): boolean {
    const receiver = call.receiver;
    if (!receiver) return false;
    if (receiver.kind === 'expr' || receiver.kind === 'this' || receiver.kind === 'super') return true;
    if (receiver.kind === 'new') return false;
    if (receiver.kind === 'this-member') {
      const cls = this.#enclosingClass(file, call.scope);
      const field = cls && receiver.name ? this.#findMember(cls, receiver.name) : undefined;
      return field === undefined || !this.#typed.has(field);
    }
    const name = receiver.name ?? receiver.text;
    const found = this.#lookup(file, call.scope, name);
    // An undeclared name: a runtime global (`console`, `Math`, `String`), or a local the extractor does not
    // declare (comprehension and pattern variables), which may be guessed.
    if (found.ids.length === 0)
      return !found.external && !found.modules && !/^[A-Z]/.test(name) && !RUNTIME_GLOBALS.has(name);
    return found.ids.every((id) => !this.#typed.has(id));
  }

  /** A call to a class is a call to its constructor, when it has one. */
  #asCallable(id: NodeId, language: string): NodeId | undefined {
    const kind = this.#kinds.get(id);
    if (!kind) return undefined;
    if (CLASS_LIKE_KINDS.has(kind)) {
      const names = CONSTRUCTOR_NAMES[language] ?? [this.#names.get(id) ?? ''];
      for (const name of names) {
        const ctor = ownGet(this.#members.get(id), name);
        if (ctor) return ctor;
      }
      return id;
    }
    if (kind === 'module' || kind === 'import') return undefined;
    return id;
  }

  #addCallFlows(call: FileGraph['calls'][number]): void {
    const target = this.#callTargets.get(call.site);
    const resolved = target?.confidence === 1 && target.ids.length === 1 ? target.ids[0]! : undefined;
    const params = resolved ? this.#parameters.get(resolved) : undefined;
    call.args.forEach((arg, index) => {
      const param = params?.[index];
      const into = param ?? call.site;
      for (const source of arg.nodes)
        this.#edge(source, into, 'data_flow', param ? {} : { meta: { argument: index } });
      for (const inner of arg.calls) {
        const innerTarget = this.#callTargets.get(inner);
        const innerResolved =
          innerTarget?.confidence === 1 && innerTarget.ids.length === 1 ? innerTarget.ids[0]! : undefined;
        const rv = innerResolved ? this.#returnValues.get(innerResolved) : undefined;
        this.#edge(rv ?? inner, into, 'data_flow', param ? {} : { meta: { argument: index } });
      }
    });
    const rv = resolved ? this.#returnValues.get(resolved) : undefined;
    for (const variable of call.assignTo) this.#edge(rv ?? call.site, variable, 'data_flow');
    if (call.returnTo) this.#edge(rv ?? call.site, call.returnTo, 'data_flow');
  }
}
