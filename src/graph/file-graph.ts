/**
 * @module graph/file-graph
 * Builds the part of the ASG that one file determines on its own: its nodes (with stable ids), the edges
 * inside it, and the uses of names (calls, references, types, base classes, imports) that only the
 * cross-file resolver can bind. Pure: runs in worker threads on a {@link FileSyntax}.
 */
import { comparePositions, fingerprint128, hash64, ownGet } from '../base/index.js';
import type { Range } from '../base/index.js';
import { baseTypeName, languageById } from '../parse/index.js';
import type { DefKind, FileSyntax, SyntaxFlow, SyntaxReceiver } from '../parse/index.js';
import type { AsgEdge, AsgNode, NodeId, NodeKind } from './types.js';

/** Names visible in one scope: the module (`-1`) or a scope declaration (its index in `FileSyntax.defs`). */
export interface ScopeInfo {
  node: NodeId;
  kind: DefKind | 'file';
  parent: number;
  names: Record<string, NodeId>;
  /** For a method's scope, the class (or receiver type name) it belongs to. */
  ownerClass?: NodeId;
  ownerTypeName?: string;
}

/** Where the values flowing into an argument come from. */
export interface FlowSources {
  nodes: NodeId[];
  /** Call sites whose results flow in. */
  calls: NodeId[];
}

export interface CallUse {
  site: NodeId;
  scope: number;
  name: string;
  calleeText: string;
  receiver?: SyntaxReceiver;
  isNew: boolean;
  range: Range;
  args: FlowSources[];
  /** Variables assigned from the call's result. */
  assignTo: NodeId[];
  /** The return value the call's result is returned as. */
  returnTo?: NodeId;
}

export interface NameUse {
  from: NodeId;
  scope: number;
  name: string;
  range: Range;
  kind: 'references' | 'type' | 'extends' | 'implements' | 'receiver';
}

export interface ImportInfo {
  node: NodeId;
  /** The scope the import is written in (-1: the module). */
  scope: number;
  source: string;
  imported: string;
  local: string;
  reexport: boolean;
  range: Range;
}

/** A symbol with a declared or constructed type, for typing receivers. */
export interface TypedSymbol {
  typeName: string;
  scope: number;
}

/** Everything one file contributes to the ASG, as plain data. */
export interface FileGraph {
  path: string;
  language: string;
  moduleId: NodeId;
  packageName?: string;
  nodes: AsgNode[];
  edges: AsgEdge[];
  scopes: Record<string, ScopeInfo>;
  calls: CallUse[];
  names: NameUse[];
  imports: ImportInfo[];
  /** Top-level names of the file (exported or not) → node. */
  topLevel: Record<string, NodeId>;
  /** Names other modules may import → node. */
  exports: Record<string, NodeId>;
  /** Export clauses without a source (`export { a as b }`), which may name imports. */
  exportNames: { local: string; exported: string }[];
  /** Class-like node → member name → node. */
  members: Record<NodeId, Record<string, NodeId>>;
  /** `impl Trait for Type` (Rust): a type's base declared outside it. */
  detachedHeritage: { typeName: string; base: string; scope: number }[];
  /** Methods declared outside their type (Go receivers, Rust impl blocks) awaiting their type. */
  detachedMethods: { method: NodeId; typeName: string; scope: number; name: string }[];
  /** Variables, fields and parameters whose type is known by name. */
  typed: Record<NodeId, TypedSymbol>;
  /** Callable node → its parameters by position. */
  parameters: Record<NodeId, NodeId[]>;
  /** Callable node → its return value node. */
  returnValues: Record<NodeId, NodeId>;
  lineCount: number;
}

/** Languages where class members are in scope inside methods without `this.`. */
const IMPLICIT_MEMBER_LANGUAGES = new Set(['java', 'csharp', 'cpp', 'ruby']);
const FUNCTION_KINDS = new Set<DefKind>(['function', 'method', 'lambda']);
const CLASS_KINDS = new Set<DefKind>(['class', 'interface', 'struct', 'enum', 'trait']);
const PRIMITIVE_TYPES = new Set(
  'any unknown never void undefined null number string boolean bigint symbol object int str float bool bytes None Self self i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 char byte rune error uint int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 long short double var dynamic'.split(
    ' ',
  ),
);

/** The stable id of a node: a hash of where it is and what it is, never a counter. */
export function makeNodeId(path: string, kind: string, qualifiedName: string, disambiguator = 0): NodeId {
  return hash64(`${path}\u0000${kind}\u0000${qualifiedName}\u0000${disambiguator}`);
}

/** The module path of a file: its path without the extension (`src/a/b.ts` → `src/a/b`). */
export function modulePathOf(path: string): string {
  return path.replace(/\.[^./]+$/, '');
}

/**
 * Sets `record[key]` unless the record already has its own value; returns the value now there. The same as
 * `ownSetDefault` of base (a key from source code never reaches Object.prototype), with a plain assignment
 * for every key but `__proto__`, which is much cheaper than `Object.defineProperty`.
 */
function ownSetDefault<T>(record: Record<string, T>, key: string, value: T): T {
  if (Object.hasOwn(record, key)) return record[key]!;
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
  return value;
}

/** Fingerprints of normalised type texts, which repeat within and across files (`string`, `error`, `int`). */
const typeFingerprints = new Map<string, string>();
const TYPE_FINGERPRINT_CACHE_LIMIT = 50_000;

function typeFingerprint(normalised: string): string {
  let fingerprint = typeFingerprints.get(normalised);
  if (fingerprint === undefined) {
    if (typeFingerprints.size >= TYPE_FINGERPRINT_CACHE_LIMIT) typeFingerprints.clear();
    fingerprint = fingerprint128(normalised);
    typeFingerprints.set(normalised, fingerprint);
  }
  return fingerprint;
}

/** A position as a map key: a number (exact below 2^21 lines), else text. */
function positionKey(position: { line: number; character: number }): number | string {
  return position.line < 0x200000
    ? position.line * 0x100000000 + position.character
    : `${position.line}:${position.character}`;
}

function nodeKindOf(kind: DefKind): NodeKind {
  if (kind === 'lambda') return 'function';
  if (kind === 'impl') return 'struct';
  return kind;
}

/** Builds the file's nodes, local edges and pending uses. */
export function buildFileGraph(syntax: FileSyntax): FileGraph {
  const builder = new FileGraphBuilder(syntax);
  return builder.build();
}

class FileGraphBuilder {
  readonly #syntax: FileSyntax;
  readonly #selfNames: readonly string[];
  readonly #implicitMembers: boolean;
  readonly #nodes: AsgNode[] = [];
  readonly #edges: AsgEdge[] = [];
  /** Node kind → qualified name → how many nodes have it so far. */
  readonly #seenIds = new Map<string, Map<string, number>>();
  readonly #defIds: (NodeId | undefined)[] = [];
  readonly #qnames: string[] = [];
  readonly #graph: FileGraph;
  readonly #moduleNode: AsgNode;
  readonly #typeNodes = new Map<string, NodeId>();
  readonly #nodeById = new Map<NodeId, AsgNode>();

  constructor(syntax: FileSyntax) {
    this.#syntax = syntax;
    const language = languageById(syntax.language);
    this.#selfNames = language?.adapter.selfNames ?? [];
    this.#implicitMembers = IMPLICIT_MEMBER_LANGUAGES.has(syntax.language);
    const modulePath = modulePathOf(syntax.path);
    this.#moduleNode = {
      id: makeNodeId(syntax.path, 'module', ''),
      kind: 'module',
      name: modulePath.slice(modulePath.lastIndexOf('/') + 1),
      qualifiedName: modulePath,
      path: syntax.path,
      language: syntax.language,
      range: { start: { line: 0, character: 0 }, end: { line: syntax.lineCount, character: 0 } },
      ...(syntax.packageName ? { meta: { package: syntax.packageName } } : {}),
    };
    this.#nodes.push(this.#moduleNode);
    this.#graph = {
      path: syntax.path,
      language: syntax.language,
      moduleId: this.#moduleNode.id,
      ...(syntax.packageName ? { packageName: syntax.packageName } : {}),
      nodes: this.#nodes,
      edges: this.#edges,
      scopes: { '-1': { node: this.#moduleNode.id, kind: 'file', parent: -2, names: {} } },
      calls: [],
      names: [],
      imports: [],
      topLevel: {},
      exports: {},
      exportNames: syntax.exportNames,
      members: {},
      detachedMethods: [],
      detachedHeritage: [],
      typed: {},
      parameters: {},
      returnValues: {},
      lineCount: syntax.lineCount,
    };
    this.#scopeList[0] = this.#graph.scopes['-1'];
  }

  build(): FileGraph {
    this.#addDefs();
    this.#addImplicitFields();
    this.#addImports();
    this.#addReturnValues();
    this.#addCalls();
    this.#addFlows();
    this.#addNameUses();
    return this.#graph;
  }

  // ---- nodes

  /** Gives a node built with a placeholder `id` (its first key) its id, and adds it. */
  #push(node: AsgNode, disambiguate: boolean): AsgNode {
    let byName = this.#seenIds.get(node.kind);
    if (!byName) {
      byName = new Map<string, number>();
      this.#seenIds.set(node.kind, byName);
    }
    const count = byName.get(node.qualifiedName) ?? 0;
    byName.set(node.qualifiedName, count + 1);
    const id = makeNodeId(this.#syntax.path, node.kind, node.qualifiedName, disambiguate ? count : 0);
    node.id = id;
    if (count > 0 && disambiguate) node.meta = { ...node.meta, disambiguator: count };
    this.#nodes.push(node);
    this.#nodeById.set(id, node);
    return node;
  }

  #edge(source: NodeId, target: NodeId, kind: AsgEdge['kind'], extra?: Partial<AsgEdge>): void {
    this.#edges.push(extra ? { source, target, kind, ...extra } : { source, target, kind });
  }

  #scopeNode(scope: number): NodeId {
    if (scope < 0) return this.#moduleNode.id;
    return this.#defIds[scope] ?? this.#scopeNode(this.#syntax.defs[scope]?.parent ?? -1);
  }

  /** The scopes by index + 1, the same as `#graph.scopes` without turning numbers into keys. */
  readonly #scopeList: (ScopeInfo | undefined)[] = [];

  #scope(index: number): ScopeInfo | undefined {
    return this.#scopeList[index + 1];
  }

  #setScope(index: number, info: ScopeInfo): void {
    this.#graph.scopes[String(index)] = info;
    this.#scopeList[index + 1] = info;
  }

  #addDefs(): void {
    const defs = this.#syntax.defs;
    const paramCounts = new Map<number, number>();
    defs.forEach((def, index) => {
      const parentScope = this.#scope(def.parent) ?? this.#scope(-1)!;
      const parentQname = def.parent >= 0 ? (this.#qnames[def.parent] ?? '') : '';
      // Methods declared outside their type take the type's name as prefix (Go receivers).
      const owner =
        def.parent >= 0 && defs[def.parent]!.kind === 'impl'
          ? defs[def.parent]!.receiverType
          : def.receiverType;
      const parentIsImpl = def.parent >= 0 && defs[def.parent]!.kind === 'impl';
      const prefix =
        def.kind === 'impl'
          ? ''
          : (def.parent < 0 || parentIsImpl) && owner
            ? baseTypeName(owner)
            : parentQname;
      const qualifiedName =
        def.kind === 'impl'
          ? `impl ${def.receiverType ?? def.name}`
          : prefix
            ? `${prefix}.${def.name}`
            : def.name;
      this.#qnames[index] = qualifiedName;

      // A repeated variable in the same scope is the same variable (Python assigns, JS `var`).
      if (
        (def.kind === 'variable' || def.kind === 'parameter') &&
        ownGet(parentScope.names, def.name) !== undefined
      ) {
        const existing = ownGet(parentScope.names, def.name)!;
        const existingNode = this.#nodeById.get(existing);
        if (existingNode && (existingNode.kind === 'variable' || existingNode.kind === 'parameter')) {
          this.#defIds[index] = existing;
          return;
        }
      }

      if (def.kind === 'impl') {
        // An impl block is a scope, not a node: its methods attach to their type, and its trait is a base.
        for (const trait of def.implements) {
          if (def.receiverType)
            this.#graph.detachedHeritage.push({
              typeName: def.receiverType,
              base: baseTypeName(trait),
              scope: def.parent,
            });
        }
        this.#setScope(index, {
          node: this.#moduleNode.id,
          kind: 'impl',
          parent: def.parent,
          names: {},
          ...(def.receiverType ? { ownerTypeName: def.receiverType } : {}),
        });
        return;
      }

      // Keys in this order (optional ones appended in order): ids and output must not depend on the code path.
      const fields: AsgNode = {
        id: '',
        kind: nodeKindOf(def.kind),
        name: def.name,
        qualifiedName,
        path: this.#syntax.path,
        language: this.#syntax.language,
        range: def.range,
        selectionRange: def.nameRange,
        signature: def.signature,
      };
      if (def.doc) fields.doc = def.doc;
      if (def.kind !== 'parameter') fields.snippet = def.snippet;
      if (def.exported) fields.exported = true;
      if (def.typeText) fields.typeText = def.typeText;
      else if (def.returnTypeText) fields.typeText = def.returnTypeText;
      if (def.decorators.length > 0) fields.meta = { decorators: def.decorators.join(' ') };
      else if (def.kind === 'lambda') fields.meta = { anonymous: true };
      const node = this.#push(fields, true);
      this.#defIds[index] = node.id;
      const parentNode = this.#scopeNode(def.parent);

      if (def.kind === 'parameter') {
        const fn = def.parent;
        const fnDef = defs[fn];
        const isReceiver =
          fnDef !== undefined && comparePositions(def.range.start, fnDef.nameRange.start) < 0;
        const isSelf = this.#selfNames.includes(def.name) && fnDef?.kind === 'method';
        if (!isReceiver && !isSelf && fn >= 0) {
          const position = paramCounts.get(fn) ?? 0;
          paramCounts.set(fn, position + 1);
          node.meta = { ...node.meta, index: position };
          (this.#graph.parameters[parentNode] ??= []).push(node.id);
        } else {
          node.meta = { ...node.meta, receiver: true };
        }
        this.#edge(
          parentNode,
          node.id,
          'has_parameter',
          node.meta?.index !== undefined ? { meta: { index: node.meta.index } } : undefined,
        );
      } else if (def.kind !== 'lambda') {
        const detachedOwner =
          def.kind === 'method' && owner && (def.parent < 0 || defs[def.parent]!.kind === 'impl');
        if (detachedOwner) {
          this.#graph.detachedMethods.push({
            method: node.id,
            typeName: baseTypeName(owner),
            scope: def.parent,
            name: def.name,
          });
        } else {
          this.#edge(parentNode, node.id, 'defines');
        }
      } else {
        this.#edge(parentNode, node.id, 'contains');
      }

      const parentDefForName = def.parent >= 0 ? defs[def.parent] : undefined;
      const isNamedConstructor =
        def.kind === 'method' && parentDefForName !== undefined && parentDefForName.name === def.name;
      if (def.kind !== 'lambda' && !isNamedConstructor) ownSetDefault(parentScope.names, def.name, node.id);
      if (def.parent < 0 && def.kind !== 'parameter') {
        ownSetDefault(this.#graph.topLevel, def.name, node.id);
        if (def.exported) ownSetDefault(this.#graph.exports, def.name, node.id);
      }
      const parentDef = def.parent >= 0 ? defs[def.parent] : undefined;
      if (parentDef && CLASS_KINDS.has(parentDef.kind)) {
        ownSetDefault(ownSetDefault(this.#graph.members, parentNode, {}), def.name, node.id);
      }
      if (def.parent >= 0 && defs[def.parent]?.kind === 'namespace' && def.exported) {
        ownSetDefault(this.#graph.exports, def.name, node.id);
      }
      if (CLASS_KINDS.has(def.kind)) {
        ownSetDefault(this.#graph.members, node.id, {});
        for (const base of def.extends)
          this.#nameUse(node.id, def.parent, baseTypeName(base), def.range, 'extends');
        for (const base of def.implements)
          this.#nameUse(node.id, def.parent, baseTypeName(base), def.range, 'implements');
      }
      if (SCOPE_DEF_KINDS.has(def.kind)) {
        const ownerClass = parentDef && CLASS_KINDS.has(parentDef.kind) ? parentNode : undefined;
        const ownerTypeName = owner
          ? baseTypeName(owner)
          : parentDef?.kind === 'impl'
            ? parentDef.receiverType
            : undefined;
        const scope: ScopeInfo = { node: node.id, kind: def.kind, parent: def.parent, names: {} };
        if (ownerClass) scope.ownerClass = ownerClass;
        if (ownerTypeName) scope.ownerTypeName = ownerTypeName;
        this.#setScope(index, scope);
      }
      const typeText = def.kind === 'function' || def.kind === 'method' ? undefined : def.typeText;
      if (typeText && def.kind !== 'type_alias') this.#addType(node.id, def.parent, typeText, def.range);
      else if (def.kind === 'type_alias' && def.typeText)
        this.#addType(node.id, def.parent, def.typeText, def.range);
      const typeName = this.#selfType(typeText ? baseTypeName(typeText) : def.initType, index);
      if (typeName && !PRIMITIVE_TYPES.has(typeName))
        this.#graph.typed[node.id] = { typeName, scope: def.parent };
    });
  }

  /** Fields declared by assignment (`self.x = …`) or by constructor parameters (`constructor(private x: X)`). */
  #addImplicitFields(): void {
    const defs = this.#syntax.defs;
    const addField = (
      classIndex: number,
      name: string,
      range: Range,
      typeName: string | undefined,
      signature: string,
    ): void => {
      const classNode = this.#defIds[classIndex];
      if (!classNode) return;
      const members = ownSetDefault(this.#graph.members, classNode, {});
      if (ownGet(members, name)) return;
      const node = this.#push(
        {
          id: '',
          kind: 'field',
          name,
          qualifiedName: `${this.#qnames[classIndex] ?? ''}.${name}`,
          path: this.#syntax.path,
          language: this.#syntax.language,
          range,
          selectionRange: range,
          signature,
        },
        true,
      );
      ownSetDefault(members, name, node.id);
      ownSetDefault(this.#scope(classIndex)!.names, name, node.id);
      this.#edge(classNode, node.id, 'defines');
      if (typeName && !PRIMITIVE_TYPES.has(typeName))
        this.#graph.typed[node.id] = { typeName, scope: classIndex };
    };
    for (const def of defs) {
      if (def.kind !== 'parameter' || !/^(private|public|protected|readonly)\b/.test(def.signature)) continue;
      const method = defs[def.parent];
      if (method?.name !== 'constructor' || method.parent < 0) continue;
      addField(
        method.parent,
        def.name,
        def.nameRange,
        def.typeText ? baseTypeName(def.typeText) : undefined,
        def.signature,
      );
    }
    for (const assign of this.#syntax.assigns) {
      if (!assign.member) continue;
      const method = defs[assign.scope];
      if (method?.kind !== 'method' || method.parent < 0 || !CLASS_KINDS.has(defs[method.parent]!.kind))
        continue;
      // The type of `self.x = y` is y's type when y is a typed parameter, or the class of `self.x = X()`.
      let typeName: string | undefined;
      const only =
        assign.value.identifiers.length === 1 && assign.value.calls.length === 0
          ? assign.value.identifiers[0]
          : undefined;
      if (only) {
        const source = this.#lookupLocal(assign.scope, only.name);
        if (source) typeName = this.#graph.typed[source]?.typeName;
      }
      if (!typeName && assign.value.calls.length === 1 && assign.value.identifiers.length === 0) {
        const call = this.#syntax.calls[assign.value.calls[0]!];
        if (call && !call.receiver && /^[A-Z]/.test(call.name)) typeName = call.name;
      }
      addField(method.parent, assign.name, assign.range, typeName, assign.name);
    }
  }

  #addType(owner: NodeId, scope: number, text: string, range: Range): void {
    const normalised = text.replace(/\s+/g, '');
    if (normalised === '') return;
    const fingerprint = typeFingerprint(normalised);
    let typeId = this.#typeNodes.get(fingerprint);
    if (!typeId) {
      typeId = fingerprint;
      this.#typeNodes.set(fingerprint, typeId);
      this.#nodes.push({
        id: typeId,
        kind: 'type',
        name: text.length > 120 ? `${text.slice(0, 120)}…` : text,
        qualifiedName: normalised,
        path: '',
        language: this.#syntax.language,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        meta: { fingerprint },
      });
      const base = baseTypeName(text);
      if (base && !PRIMITIVE_TYPES.has(base) && /^[\w.:$\\]+$/.test(base))
        this.#nameUse(typeId, scope, base, range, 'type');
    }
    this.#edge(owner, typeId, 'type_dependency');
  }

  #selfType(typeName: string | undefined, defIndex: number): string | undefined {
    // `Self` (Rust) means the type of the enclosing impl, trait or class.
    if (typeName !== 'Self') return typeName;
    const defs = this.#syntax.defs;
    for (let current = defs[defIndex]?.parent ?? -1; current >= 0; current = defs[current]!.parent) {
      const def = defs[current]!;
      if (def.kind === 'impl') return def.receiverType;
      if (CLASS_KINDS.has(def.kind)) return def.name;
    }
    return undefined;
  }

  #nameUse(from: NodeId, scope: number, name: string, range: Range, kind: NameUse['kind']): void {
    this.#graph.names.push({ from, scope, name, range, kind });
  }

  #addImports(): void {
    for (const imp of this.#syntax.imports) {
      const bindings =
        imp.bindings.length > 0
          ? imp.bindings
          : [{ imported: imp.reexport ? '*' : '', local: imp.reexport ? '*' : '' }];
      for (const binding of bindings) {
        const local = binding.local || imp.source;
        const node = this.#push(
          {
            id: '',
            kind: 'import',
            name: local,
            qualifiedName: `import ${imp.source}${binding.imported ? `:${binding.imported}` : ''}${local !== binding.imported ? ` as ${local}` : ''}`,
            path: this.#syntax.path,
            language: this.#syntax.language,
            range: imp.range,
            signature: `${imp.reexport ? 'export' : 'import'} ${binding.imported || '(module)'}${binding.local && binding.local !== binding.imported ? ` as ${binding.local}` : ''} from ${imp.source}`,
            meta: { source: imp.source, ...(imp.reexport ? { reexport: true } : {}) },
          },
          true,
        );
        this.#edge(this.#moduleNode.id, node.id, 'contains');
        this.#graph.imports.push({
          node: node.id,
          scope: imp.scope ?? -1,
          source: imp.source,
          imported: binding.imported,
          local: binding.local,
          reexport: imp.reexport,
          range: imp.range,
        });
      }
    }
  }

  #addReturnValues(): void {
    const hasReturn = new Set(this.#syntax.returns.map((r) => r.scope));
    this.#syntax.defs.forEach((def, index) => {
      if (!FUNCTION_KINDS.has(def.kind)) return;
      if (!hasReturn.has(index) && !def.returnTypeText) return;
      const fnId = this.#defIds[index];
      if (!fnId) return;
      const fields: AsgNode = {
        id: '',
        kind: 'return_value',
        name: 'return',
        qualifiedName: `${this.#qnames[index] ?? def.name}.<return>`,
        path: this.#syntax.path,
        language: this.#syntax.language,
        range: def.range,
      };
      if (def.returnTypeText) fields.typeText = def.returnTypeText;
      const node = this.#push(fields, true);
      this.#edge(fnId, node.id, 'returns');
      this.#graph.returnValues[fnId] = node.id;
      if (def.returnTypeText) {
        this.#addType(node.id, def.parent, def.returnTypeText, def.range);
        const typeName = this.#selfType(baseTypeName(def.returnTypeText), index);
        if (typeName && !PRIMITIVE_TYPES.has(typeName))
          this.#graph.typed[node.id] = { typeName, scope: def.parent };
      }
    });
  }

  #callSites: NodeId[] = [];

  #addCalls(): void {
    for (const call of this.#syntax.calls) {
      const scopeNode = this.#scopeNode(call.scope);
      const scopeQname = call.scope >= 0 ? (this.#qnames[call.scope] ?? '') : '';
      const node = this.#push(
        {
          id: '',
          kind: 'call_site',
          name: call.calleeText,
          qualifiedName: `${scopeQname}@${call.name}`,
          path: this.#syntax.path,
          language: this.#syntax.language,
          range: call.range,
          selectionRange: call.nameRange,
          meta: call.isNew ? { callee: call.name, new: true } : { callee: call.name },
        },
        true,
      );
      this.#callSites.push(node.id);
      this.#edge(scopeNode, node.id, 'contains');
    }
    this.#syntax.calls.forEach((call, index) => {
      const site = this.#callSites[index]!;
      const args = call.args.map((arg) => this.#sources(call.scope, arg));
      // Two literals, so that both keep the key order of `{ …, ...(receiver ? { receiver } : {}), … }`.
      this.#graph.calls.push(
        call.receiver
          ? {
              site,
              scope: call.scope,
              name: call.name,
              calleeText: call.calleeText,
              receiver: call.receiver,
              isNew: call.isNew,
              range: call.range,
              args,
              assignTo: [],
            }
          : {
              site,
              scope: call.scope,
              name: call.name,
              calleeText: call.calleeText,
              isNew: call.isNew,
              range: call.range,
              args,
              assignTo: [],
            },
      );
    });
  }

  #sources(scope: number, flow: SyntaxFlow): FlowSources {
    const nodes: NodeId[] = [];
    for (const identifier of flow.identifiers) {
      const source = this.#lookupLocal(scope, identifier.name);
      if (source && !nodes.includes(source)) nodes.push(source);
    }
    return { nodes, calls: flow.calls.map((index) => this.#callSites[index]!).filter(Boolean) };
  }

  #addFlows(): void {
    const seen = new Set<string>();
    const flow = (source: NodeId, target: NodeId): void => {
      const key = `${source}>${target}`;
      if (source === target || seen.has(key)) return;
      seen.add(key);
      this.#edge(source, target, 'data_flow');
    };
    for (const assign of this.#syntax.assigns) {
      let target: NodeId | undefined;
      if (assign.member) {
        const method = this.#syntax.defs[assign.scope];
        const classNode = method && method.parent >= 0 ? this.#defIds[method.parent] : undefined;
        target = classNode ? ownGet(this.#graph.members[classNode], assign.name) : undefined;
      } else {
        target = this.#lookupLocal(assign.scope, assign.name);
      }
      if (!target) continue;
      const sources = this.#sources(assign.scope, assign.value);
      for (const source of sources.nodes) flow(source, target);
      for (const index of assign.value.calls) this.#graph.calls[index]?.assignTo.push(target);
    }
    for (const ret of this.#syntax.returns) {
      const fnId = ret.scope >= 0 ? this.#defIds[ret.scope] : undefined;
      const rv = fnId ? this.#graph.returnValues[fnId] : undefined;
      if (!rv) continue;
      for (const source of this.#sources(ret.scope, ret.value).nodes) flow(source, rv);
      for (const index of ret.value.calls) {
        const use = this.#graph.calls[index];
        if (use) use.returnTo = rv;
      }
    }
  }

  #addNameUses(): void {
    // Positions as map keys without building strings: calls' names by where they are written, and the
    // (scope node, name) pairs already seen at each position.
    const callNamesAt = new Map<number | string, string[]>();
    for (const call of this.#syntax.calls) {
      const key = positionKey(call.nameRange.start);
      const names = callNamesAt.get(key);
      if (names) names.push(call.name);
      else callNamesAt.set(key, [call.name]);
    }
    const importLines = new Set<number>();
    for (const imp of this.#syntax.imports)
      for (let l = imp.range.start.line; l <= imp.range.end.line; l++) importLines.add(l);
    const seen = new Map<number | string, { from: NodeId; name: string }[]>();
    for (const ref of this.#syntax.refs) {
      if (importLines.has(ref.range.start.line)) continue;
      const key = positionKey(ref.range.start);
      if (ref.role === 'value' && callNamesAt.get(key)?.includes(ref.name)) continue;
      if (this.#selfNames.includes(ref.name)) continue;
      const from = this.#scopeNode(ref.scope);
      const seenHere = seen.get(key);
      if (seenHere) {
        if (seenHere.some((s) => s.from === from && s.name === ref.name)) continue;
        seenHere.push({ from, name: ref.name });
      } else {
        seen.set(key, [{ from, name: ref.name }]);
      }
      const local = this.#lookupLocal(ref.scope, ref.name);
      if (local) {
        if (!this.#isFunctionLocal(local) && local !== from)
          this.#edge(from, local, 'references', { range: ref.range });
        continue;
      }
      this.#nameUse(from, ref.scope, ref.name, ref.range, 'references');
    }
  }

  readonly #functionLocals = new Set<NodeId>();

  #isFunctionLocal(id: NodeId): boolean {
    if (this.#functionLocals.size === 0) {
      this.#syntax.defs.forEach((def, index) => {
        const parent = this.#syntax.defs[def.parent];
        const defId = this.#defIds[index];
        if (
          defId &&
          (def.kind === 'parameter' || (def.kind === 'variable' && parent && FUNCTION_KINDS.has(parent.kind)))
        ) {
          this.#functionLocals.add(defId);
        }
      });
    }
    return this.#functionLocals.has(id);
  }

  /** Looks a name up through the enclosing scopes of this file (not imports). */
  #lookupLocal(scope: number, name: string): NodeId | undefined {
    let current = scope;
    let first = true;
    for (let guard = 0; guard < 1000; guard++) {
      const info = this.#scope(current);
      if (info) {
        const isClassScope = CLASS_KINDS.has(info.kind as DefKind);
        if (!isClassScope || first || this.#implicitMembers) {
          const found = ownGet(info.names, name);
          if (found) return found;
        }
      }
      if (current < 0) return undefined;
      current = this.#syntax.defs[current]?.parent ?? -1;
      first = false;
    }
    return undefined;
  }
}

const SCOPE_DEF_KINDS = new Set<DefKind>([
  'namespace',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'function',
  'method',
  'lambda',
  'module',
]);
