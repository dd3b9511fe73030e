/**
 * @module parse/extract
 * Runs a language's query over a tree and turns the captures into a {@link FileSyntax}.
 *
 * The capture vocabulary (see parse/README.md): every pattern has one main capture that says what the match
 * is (`definition.<kind>`, `reference.call`, `reference.new`, `reference.identifier`, `reference.type`,
 * `import`, `reexport`, `export`, `return`, `assignment`, `package`, `comment`) and sub-captures that
 * give its parts (`name`, `body`, `type`, `return_type`, `extends`, `implements`, `receiver`, `doc`, `value`,
 * `init_type`, `decorator`, `args`, `source`, `import.name`, `import.alias`, `import.namespace`,
 * `import.default`, `left`, `right`, `local`, `alias`).
 *
 * This runs on every save in the live workspace and is half of cold indexing, so it keeps calls into wasm low:
 * every node property but `startIndex` and `startPosition` is one (and `parent` walks down from the root).
 * Node texts are sliced from the source (web-tree-sitter indexes are UTF-16 code units, like JS strings), end
 * positions are computed from a line index, and each match's captures are sorted out in one pass by a table of
 * capture codes, without closures.
 */
import type { Language, Node, Point, Query, Tree } from 'web-tree-sitter';
import { comparePositions } from '../base/index.js';
import type { Diagnostic, Position, Range } from '../base/index.js';
import type { LanguageAdapter, LanguageSpec } from './language.js';
import { DEF_KINDS, SCOPE_KINDS } from './syntax.js';
import type {
  DefKind,
  FileSyntax,
  SyntaxAssign,
  SyntaxCall,
  SyntaxDef,
  SyntaxFlow,
  SyntaxImport,
  SyntaxReceiver,
  SyntaxRef,
  SyntaxReturn,
} from './syntax.js';
import { isAsciiSpace, isWordChar } from './char-codes.js';

const SNIPPET_LIMIT = 600;
const SIGNATURE_LIMIT = 300;
const DEF_KIND_SET: ReadonlySet<string> = new Set(DEF_KINDS);
/** A function declared directly inside one of these is a method. */
const MEMBER_OWNER_KINDS: ReadonlySet<DefKind> = new Set<DefKind>([
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'impl',
]);
/** When two definitions cover the same node, the one with the higher rank wins. */
const DEF_RANK: Partial<Record<DefKind, number>> = { lambda: 1, variable: 2, constant: 3, field: 3 };

// Capture codes: what a capture name means. Main roles (what a match is) are below PART, parts at or above.
const NONE = 0;
const DEF = 1;
/** `definition.<kind>` of a kind that is not a DefKind: a main capture whose match is skipped. */
const DEF_OTHER = 2;
const CALL = 3;
const NEW = 4;
const REF_VALUE = 5;
const REF_TYPE = 6;
/** Another `reference.*`: a main capture whose match is skipped. */
const REF_OTHER = 7;
const IMPORT = 8;
const REEXPORT = 9;
const EXPORT = 10;
const RETURN = 11;
const ASSIGNMENT = 12;
const PACKAGE = 13;
const COMMENT = 14;
const PART = 32;
const PART_CODES: ReadonlyMap<string, number> = new Map(
  [
    'name',
    'body',
    'type',
    'return_type',
    'receiver',
    'doc',
    'value',
    'init_type',
    'args',
    'source',
    'import.name',
    'import.alias',
    'import.namespace',
    'import.default',
    'local',
    'alias',
    'left',
    'right',
    'extends',
    'implements',
    'decorator',
  ].map((name, index) => [name, PART + index]),
);
const MAIN_CODES: ReadonlyMap<string, number> = new Map([
  ['reference.call', CALL],
  ['reference.new', NEW],
  ['reference.identifier', REF_VALUE],
  ['reference.type', REF_TYPE],
  ['import', IMPORT],
  ['reexport', REEXPORT],
  ['export', EXPORT],
  ['return', RETURN],
  ['assignment', ASSIGNMENT],
  ['package', PACKAGE],
  ['comment', COMMENT],
]);
/** Capture codes by name, filled as names are met (a query has a few dozen). */
const captureCodes = new Map<string, number>();
/** The kind of each `definition.<kind>` capture name whose kind is a DefKind. */
const defKinds = new Map<string, DefKind>();

let lastName = '';
let lastCode = NONE;

function captureCode(name: string): number {
  // Runs of the same capture (identifiers) are the rule: a one-entry cache before the map.
  if (name === lastName) return lastCode;
  let code = captureCodes.get(name);
  if (code === undefined) {
    if (name.startsWith('definition.')) {
      const kind = name.slice('definition.'.length);
      code = DEF_KIND_SET.has(kind) ? DEF : DEF_OTHER;
      if (code === DEF) defKinds.set(name, kind as DefKind);
    } else {
      code =
        MAIN_CODES.get(name) ?? PART_CODES.get(name) ?? (name.startsWith('reference.') ? REF_OTHER : NONE);
    }
    captureCodes.set(name, code);
  }
  lastName = name;
  lastCode = code;
  return code;
}

/** The parts (sub-captures) of one match: the first node of each, or all of them for the repeatable ones. */
class MatchParts {
  name: Node | undefined = undefined;
  body: Node | undefined = undefined;
  type: Node | undefined = undefined;
  returnType: Node | undefined = undefined;
  receiver: Node | undefined = undefined;
  doc: Node | undefined = undefined;
  value: Node | undefined = undefined;
  initType: Node | undefined = undefined;
  args: Node | undefined = undefined;
  source: Node | undefined = undefined;
  importName: Node | undefined = undefined;
  importAlias: Node | undefined = undefined;
  importNamespace: Node | undefined = undefined;
  importDefault: Node | undefined = undefined;
  local: Node | undefined = undefined;
  alias: Node | undefined = undefined;
  left: Node | undefined = undefined;
  right: Node | undefined = undefined;
  /** Reused from match to match: read, never kept. */
  readonly extends: Node[] = [];
  readonly implements: Node[] = [];
  readonly decorators: Node[] = [];

  clear(): void {
    this.name = this.body = this.type = this.returnType = this.receiver = this.doc = undefined;
    this.value = this.initType = this.args = this.source = undefined;
    this.importName = this.importAlias = this.importNamespace = this.importDefault = undefined;
    this.local = this.alias = this.left = this.right = undefined;
    // Setting a length is a call into the runtime, even to 0 from 0.
    if (this.extends.length !== 0) this.extends.length = 0;
    if (this.implements.length !== 0) this.implements.length = 0;
    if (this.decorators.length !== 0) this.decorators.length = 0;
  }

  add(code: number, node: Node): void {
    switch (code - PART) {
      case 0:
        this.name ??= node;
        break;
      case 1:
        this.body ??= node;
        break;
      case 2:
        this.type ??= node;
        break;
      case 3:
        this.returnType ??= node;
        break;
      case 4:
        this.receiver ??= node;
        break;
      case 5:
        this.doc ??= node;
        break;
      case 6:
        this.value ??= node;
        break;
      case 7:
        this.initType ??= node;
        break;
      case 8:
        this.args ??= node;
        break;
      case 9:
        this.source ??= node;
        break;
      case 10:
        this.importName ??= node;
        break;
      case 11:
        this.importAlias ??= node;
        break;
      case 12:
        this.importNamespace ??= node;
        break;
      case 13:
        this.importDefault ??= node;
        break;
      case 14:
        this.local ??= node;
        break;
      case 15:
        this.alias ??= node;
        break;
      case 16:
        this.left ??= node;
        break;
      case 17:
        this.right ??= node;
        break;
      case 18:
        this.extends.push(node);
        break;
      case 19:
        this.implements.push(node);
        break;
      case 20:
        this.decorators.push(node);
        break;
    }
  }
}

/**
 * Line starts of the source, for end positions without a call into wasm. tree-sitter ends rows at `\n` only,
 * and its columns are UTF-16 code units here, so a node's end follows from its start and its end index.
 */
class LineIndex {
  readonly #starts: number[] = [0];
  /** The length of the longest line. */
  readonly longest: number;

  constructor(text: string) {
    let longest = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      longest = Math.max(longest, i - this.#starts[this.#starts.length - 1]!);
      this.#starts.push(i + 1);
    }
    this.longest = Math.max(longest, text.length - this.#starts[this.#starts.length - 1]!);
  }

  /** The end position of a node starting at `start` (index `startIndex`) and ending at `endIndex`. */
  end(start: Point, startIndex: number, endIndex: number): Position {
    const starts = this.#starts;
    // The tree's row is the right line whenever tree and text agree; a search finds it otherwise.
    let row = start.row;
    if (!(starts[row]! <= startIndex && (row + 1 >= starts.length || startIndex < starts[row + 1]!)))
      row = upperBound(starts, startIndex) - 1;
    if (row + 1 >= starts.length || endIndex < starts[row + 1]!)
      return { line: start.row, character: start.column + (endIndex - startIndex) };
    const endRow = upperBound(starts, endIndex) - 1;
    return { line: start.row + (endRow - row), character: endIndex - starts[endRow]! };
  }
}

interface ExtractInput {
  tree: Tree;
  text: string;
  path: string;
  spec: LanguageSpec;
  query: Query;
  diagnostics: Diagnostic[];
}

/** A key for a node's span, unique within one file. */
type SpanKey = number | string;

/** What the helpers below share during one extraction. */
interface Extraction {
  readonly text: string;
  readonly lines: LineIndex;
  readonly adapter: LanguageAdapter;
  readonly key: (start: number, end: number) => SpanKey;
}

interface PendingDef {
  def: SyntaxDef;
  node: Node;
  /** The index where `def.nameRange` starts. */
  nameStart: number;
  nameNode: Node | undefined;
  bodyNode: Node | undefined;
  valueNode: Node | undefined;
  /** `valueNode.endIndex`, once read. */
  valueEnd: number | undefined;
}

interface PendingCall {
  call: Omit<SyntaxCall, 'args' | 'scope' | 'receiver'>;
  receiverNode: Node | undefined;
  /** The arguments' start and end indexes, in pairs. */
  argSpans: number[];
}

interface PendingRef extends SyntaxRef {
  startIndex: number;
  endIndex: number;
}

/** Extracts the language-neutral summary of one parsed file. */
export function extractSyntax(input: ExtractInput): FileSyntax {
  const { tree, spec, query, text } = input;
  const adapter = spec.adapter;
  const scale = text.length + 1;
  const ctx: Extraction = {
    text,
    lines: new LineIndex(text),
    adapter,
    key:
      scale * scale <= Number.MAX_SAFE_INTEGER
        ? (start, end) => start * scale + end
        : (start, end) => `${start}:${end}`,
  };
  const defs = new Map<SpanKey, PendingDef>();
  const calls = new Map<SpanKey, PendingCall>();
  const refs: PendingRef[] = [];
  const imports = new Map<SpanKey, SyntaxImport[]>();
  const exportNames: FileSyntax['exportNames'] = [];
  const returns: { node: Node; value: Node | undefined }[] = [];
  const assigns: { node: Node; left: Node; right: Node }[] = [];
  const comments: Node[] = [];
  let packageName: string | undefined;

  const parts = new MatchParts();
  for (const match of query.matches(tree.rootNode)) {
    const captures = match.captures;
    const count = captures.length;
    // Fast path for the most frequent matches: a lone identifier or type name.
    if (count === 1) {
      const only = captures[0]!;
      const code = captureCode(only.name);
      if (code === REF_VALUE || code === REF_TYPE) {
        refs.push(refOf(ctx, only.node, code === REF_TYPE ? 'type' : 'value'));
        continue;
      }
    }
    let mainName: string | undefined;
    let main: Node | undefined;
    let role = NONE;
    parts.clear();
    for (let i = 0; i < count; i++) {
      const capture = captures[i]!;
      const code = captureCode(capture.name);
      if (code >= PART) parts.add(code, capture.node);
      else if (code !== NONE && main === undefined) {
        main = capture.node;
        mainName = capture.name;
        role = code;
      }
    }
    if (main === undefined) continue;
    const node = main;
    switch (role) {
      case DEF:
        addDef(ctx, defs, defKinds.get(mainName!)!, node, parts);
        break;
      case CALL:
      case NEW: {
        const nameNode = parts.name;
        if (!nameNode) break;
        const startIndex = node.startIndex;
        const endIndex = node.endIndex;
        const key = ctx.key(startIndex, endIndex);
        if (calls.has(key)) break;
        const nameStart = nameNode.startIndex;
        const name = text.slice(nameStart, nameNode.endIndex);
        const argSpans: number[] = [];
        const argsNode = parts.args;
        if (argsNode)
          for (const arg of argsNode.namedChildren)
            if (arg !== null && !(mayBeComment(text, arg) && isComment(arg)))
              argSpans.push(arg.startIndex, arg.endIndex);
        calls.set(key, {
          call: {
            range: rangeOf(ctx, node, endIndex),
            nameRange: shortRangeOf(ctx, nameNode, name),
            startIndex,
            endIndex,
            name,
            calleeText: calleeText(text, startIndex, endIndex, nameStart + name.length),
            isNew: role === NEW,
          },
          receiverNode: parts.receiver,
          argSpans,
        });
        break;
      }
      case REF_VALUE:
      case REF_TYPE:
        refs.push(refOf(ctx, node, role === REF_TYPE ? 'type' : 'value'));
        break;
      case IMPORT:
      case REEXPORT: {
        const endIndex = node.endIndex;
        const key = ctx.key(node.startIndex, endIndex);
        if (adapter.importsOf) {
          if (!imports.has(key)) imports.set(key, adapter.importsOf(node));
          break;
        }
        addImportFromCaptures(ctx, imports, key, node, endIndex, role === REEXPORT, parts);
        break;
      }
      case EXPORT: {
        const local = parts.local;
        if (!local) break;
        const isDefault = node.type === 'export_statement' && /^export\s+default\b/.test(textOf(text, node));
        const localText = textOf(text, local);
        exportNames.push({
          local: localText,
          exported: isDefault ? 'default' : parts.alias ? textOf(text, parts.alias) : localText,
        });
        break;
      }
      case RETURN: {
        const value = parts.value;
        // `=> { … }` returns through its return statements, not as a value.
        if (value?.type === 'statement_block') break;
        returns.push({ node, value });
        break;
      }
      case ASSIGNMENT: {
        const left = parts.left;
        const right = parts.right;
        if (left && right) assigns.push({ node, left, right });
        break;
      }
      case PACKAGE:
        packageName ??= textOf(text, parts.name ?? node);
        break;
      case COMMENT:
        comments.push(node);
        break;
    }
  }

  // A variable whose value is a function is that function (`const f = () => …`, `f = lambda: …`).
  for (const [key, pending] of defs) {
    const value = pending.valueNode;
    if (value && (pending.def.kind === 'variable' || pending.def.kind === 'field')) {
      const fn = defs.get(ctx.key(value.startIndex, valueEndOf(pending, value)));
      if (fn && (fn.def.kind === 'function' || fn.def.kind === 'lambda')) {
        if (fn.def.kind === 'lambda' || pending.def.kind === 'field') {
          // A field holding a function (`handle = () => …`) is a method.
          fn.def.kind = pending.def.kind === 'field' ? 'method' : 'function';
          fn.def.name = pending.def.name;
          fn.def.nameRange = pending.def.nameRange;
          fn.nameStart = pending.nameStart;
        }
        defs.delete(key);
      }
    }
  }
  // Order definitions outer-first and give each its parent scope.
  const pendingDefs = [...defs.values()].sort(
    (a, b) => a.def.startIndex - b.def.startIndex || b.def.endIndex - a.def.endIndex,
  );
  const defList = pendingDefs.map((p) => p.def);
  const scopeStarts: { start: number; end: number; index: number }[] = [];
  {
    const stack: { end: number; index: number }[] = [];
    for (let index = 0; index < defList.length; index++) {
      const def = defList[index]!;
      while (stack.length > 0 && stack[stack.length - 1]!.end <= def.startIndex) stack.pop();
      def.parent = stack.length > 0 ? stack[stack.length - 1]!.index : -1;
      if (def.kind === 'function' && def.parent >= 0 && MEMBER_OWNER_KINDS.has(defList[def.parent]!.kind))
        def.kind = 'method';
      if (SCOPE_KINDS.has(def.kind)) {
        stack.push({ end: def.endIndex, index });
        scopeStarts.push({ start: def.startIndex, end: def.endIndex, index });
      }
    }
  }
  const scopeAt = makeScopeLookup(scopeStarts, defList);
  // Imports carry positions, not indexes: find their scope by position among the scope declarations.
  // The innermost is the last scope starting at or before the position, or one of its ancestors (as scopeAt).
  const scopeAtPosition = (position: { line: number; character: number }): number => {
    let lo = 0;
    let hi = scopeStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePositions(defList[scopeStarts[mid]!.index]!.range.start, position) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let index = lo > 0 ? scopeStarts[lo - 1]!.index : -1; index >= 0; index = defList[index]!.parent)
      if (comparePositions(position, defList[index]!.range.end) < 0) return index;
    return -1;
  };

  // Exported: adapter rule, plus names listed in export clauses.
  const exportedLocals = new Set(exportNames.map((e) => e.local));
  for (const { def, node } of pendingDefs) {
    const topLevel = def.parent === -1 || defList[def.parent]?.kind === 'namespace';
    def.exported =
      (adapter.isExported ? adapter.isExported(node, def.name, topLevel) : topLevel) ||
      (topLevel && exportedLocals.has(def.name));
  }
  attachDocs(ctx, pendingDefs, comments, tree);

  // Calls, sorted, with scopes; then flows, which need the sorted calls.
  const callList = [...calls.values()].sort(
    (a, b) => a.call.startIndex - b.call.startIndex || b.call.endIndex - a.call.endIndex,
  );
  // A reference where a definition's name starts is that name, not a read. Positions are keyed by their index,
  // which is what `line * 1e7 + character` (the key of old) tells apart unless a line has 10^7 characters.
  const indexKeys = ctx.lines.longest < 1e7;
  const defNameStarts = new Set<number>();
  for (const { def, nameStart } of pendingDefs)
    defNameStarts.add(indexKeys ? nameStart : def.nameRange.start.line * 1e7 + def.nameRange.start.character);
  const isDefName = (ref: PendingRef): boolean =>
    defNameStarts.has(indexKeys ? ref.startIndex : ref.range.start.line * 1e7 + ref.range.start.character);
  const valueRefs: PendingRef[] = [];
  for (const ref of refs) if (ref.role === 'value' && !isDefName(ref)) valueRefs.push(ref);
  valueRefs.sort((a, b) => a.startIndex - b.startIndex);
  // Identifiers inside a nested function or lambda do not flow into the enclosing value. Returns -1 when the
  // position is not inside a scope that starts at or after `flowStart`, else the end of the outermost such
  // scope: everything before that end is nested too, and is skipped at once.
  const nestedEnd = (position: number, flowStart: number): number => {
    let scope = scopeAt(position);
    if (scope < 0 || defList[scope]!.startIndex < flowStart) return -1;
    for (
      let up = defList[scope]!.parent;
      up >= 0 && defList[up]!.startIndex >= flowStart;
      up = defList[up]!.parent
    )
      scope = up;
    return defList[scope]!.endIndex;
  };
  const flowOf = makeFlowBuilder(callList, valueRefs, nestedEnd);
  // A method's named receiver (Go `func (s *Server) M()`) means `this` inside it.
  const receiverNameOf = new Map<number, string>();
  for (const def of defList) {
    const fn = def.kind === 'parameter' && def.parent >= 0 ? defList[def.parent]! : undefined;
    if (fn?.kind === 'method' && comparePositions(def.range.start, fn.nameRange.start) < 0)
      receiverNameOf.set(def.parent, def.name);
  }
  const selfNamesCache = new Map<number, readonly string[]>();
  const selfNamesAt = (scope: number): readonly string[] => {
    if (receiverNameOf.size === 0) return adapter.selfNames;
    let names = selfNamesCache.get(scope);
    if (!names) {
      names = adapter.selfNames;
      for (let current = scope; current >= 0; current = defList[current]!.parent) {
        const receiver = receiverNameOf.get(current);
        if (receiver) {
          names = [...adapter.selfNames, receiver];
          break;
        }
      }
      selfNamesCache.set(scope, names);
    }
    return names;
  };
  const superNames = adapter.superNames ?? ['super'];
  const clean = callList.length === 0 || !tree.rootNode.hasError;
  const syntaxCalls: SyntaxCall[] = callList.map(({ call, receiverNode, argSpans }) => {
    const scope = scopeAt(call.startIndex);
    const args: SyntaxFlow[] = [];
    for (let i = 0; i < argSpans.length; i += 2) args.push(flowOf(argSpans[i]!, argSpans[i + 1]!));
    // Keys in the order of `{ ...call, receiver?, scope, args }`.
    const { range, nameRange, startIndex, endIndex, name, calleeText, isNew } = call;
    return receiverNode
      ? {
          range,
          nameRange,
          startIndex,
          endIndex,
          name,
          calleeText,
          isNew,
          receiver: classifyReceiver(text, clean, receiverNode, selfNamesAt(scope), superNames),
          scope,
          args,
        }
      : { range, nameRange, startIndex, endIndex, name, calleeText, isNew, scope, args };
  });
  // A name inside a qualified name (`inv.Store`, `a.b.C`) is read as part of it, not on its own.
  refs.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  let outerEnd = -1;
  const syntaxRefs: SyntaxRef[] = [];
  for (const ref of refs) {
    const isType = ref.role === 'type';
    if (isType && ref.endIndex <= outerEnd) continue;
    if (isType && /[.:\\]/.test(ref.name)) outerEnd = ref.endIndex;
    if (isType || !isDefName(ref))
      syntaxRefs.push({ name: ref.name, range: ref.range, role: ref.role, scope: scopeAt(ref.startIndex) });
  }

  const syntaxAssigns: SyntaxAssign[] = [];
  const seenAssigns = new Set<string>();
  const pushAssign = (
    scope: number,
    left: Node,
    valueStart: number,
    valueEnd: number,
    start: number,
    range: Range,
  ): void => {
    const target = assignTarget(text, left, selfNamesAt(scope));
    if (!target) return;
    const key = `${start}:${target.name}`;
    if (seenAssigns.has(key)) return;
    seenAssigns.add(key);
    syntaxAssigns.push({
      scope,
      name: target.name,
      member: target.member,
      range,
      value: flowOf(valueStart, valueEnd),
    });
  };
  for (const pending of pendingDefs) {
    const { def, nameNode, valueNode } = pending;
    if (
      valueNode &&
      nameNode &&
      (def.kind === 'variable' || def.kind === 'constant' || def.kind === 'field')
    ) {
      const { start, end } = def.range;
      pushAssign(def.parent, nameNode, valueNode.startIndex, valueEndOf(pending, valueNode), def.startIndex, {
        start: { line: start.line, character: start.character },
        end: { line: end.line, character: end.character },
      });
    }
  }
  for (const { node, left, right } of assigns) {
    const start = node.startIndex;
    pushAssign(
      scopeAt(start),
      left,
      right.startIndex,
      right.endIndex,
      start,
      rangeOf(ctx, node, node.endIndex),
    );
  }
  const syntaxReturns: SyntaxReturn[] = returns.map(({ node, value }) => ({
    scope: scopeAt(node.startIndex),
    range: rangeOf(ctx, node, node.endIndex),
    value: value ? flowOf(value.startIndex, value.endIndex) : { identifiers: [], calls: [] },
  }));

  const syntaxImports: SyntaxImport[] = [];
  for (const records of imports.values())
    for (const imp of records) {
      const scope = scopeAtPosition(imp.range.start);
      syntaxImports.push(scope >= 0 ? { ...imp, scope } : imp);
    }

  return {
    path: input.path,
    language: spec.id,
    ...(packageName !== undefined ? { packageName } : {}),
    defs: defList,
    calls: syntaxCalls,
    refs: syntaxRefs,
    assigns: syntaxAssigns,
    returns: syntaxReturns,
    imports: syntaxImports,
    exportNames,
    lineCount: tree.rootNode.endPosition.row + 1,
    diagnostics: input.diagnostics,
  };
}

/** A node's text: the same as `node.text`, sliced from the source instead of copied out of wasm. */
function textOf(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

function valueEndOf(pending: PendingDef, value: Node): number {
  return (pending.valueEnd ??= value.endIndex);
}

/** The range of a node whose end index is known. */
function rangeOf(ctx: Extraction, node: Node, endIndex: number): Range {
  const start = node.startPosition;
  return {
    start: { line: start.row, character: start.column },
    end: ctx.lines.end(start, node.startIndex, endIndex),
  };
}

/** The range of a short node (a name) whose text is `name`: computed from its text when it is on one line. */
function shortRangeOf(ctx: Extraction, node: Node, name: string): Range {
  const start = node.startPosition;
  if (name.includes('\n')) return rangeOf(ctx, node, node.startIndex + name.length);
  return {
    start: { line: start.row, character: start.column },
    end: { line: start.row, character: start.column + name.length },
  };
}

/** A reference from its node. */
function refOf(ctx: Extraction, node: Node, role: SyntaxRef['role']): PendingRef {
  const startIndex = node.startIndex;
  const endIndex = node.endIndex;
  const name = ctx.text.slice(startIndex, endIndex);
  return { name, range: shortRangeOf(ctx, node, name), scope: -1, role, startIndex, endIndex };
}

function addDef(
  ctx: Extraction,
  defs: Map<SpanKey, PendingDef>,
  kind: DefKind,
  node: Node,
  parts: MatchParts,
): void {
  const text = ctx.text;
  const nameNode = parts.name;
  if (!nameNode && kind !== 'lambda' && kind !== 'impl') return;
  const nameText = nameNode ? textOf(text, nameNode) : undefined;
  // Error recovery can produce zero-width MISSING names.
  if (nameText !== undefined && nameText.trim() === '') return;
  const startIndex = node.startIndex;
  const endIndex = node.endIndex;
  const key = ctx.key(startIndex, endIndex);
  const existing = defs.get(key);
  if (existing && rank(existing.def.kind) >= rank(kind)) {
    mergeDefParts(ctx, existing, parts);
    return;
  }
  const body = parts.body;
  const typeNode = parts.type;
  const returnType = parts.returnType;
  const receiver = parts.receiver;
  const doc = parts.doc;
  const valueNode = parts.value;
  const initType = parts.initType
    ? textOf(text, parts.initType)
    : valueNode
      ? constructorName(text, valueNode)
      : undefined;
  const name =
    nameText !== undefined
      ? stripQuotes(nameText)
      : kind === 'impl'
        ? receiver
          ? textOf(text, receiver)
          : '<impl>'
        : '<lambda>';
  const range = rangeOf(ctx, node, endIndex);
  // Keys in the order of the record's type: optional ones only when present.
  const def = {
    kind,
    name,
    range,
    nameRange: nameNode && nameText !== undefined ? shortRangeOf(ctx, nameNode, nameText) : startOnly(range),
    startIndex,
    endIndex,
    parent: -1,
    signature: signatureOf(text, startIndex, endIndex, body, valueNode),
  } as SyntaxDef;
  if (doc) def.doc = cleanDocString(textOf(text, doc));
  if (typeNode) def.typeText = cleanTypeText(textOf(text, typeNode));
  if (returnType) def.returnTypeText = cleanTypeText(textOf(text, returnType));
  def.extends = parts.extends.map((n) => cleanTypeText(textOf(text, n)));
  def.implements = parts.implements.map((n) => cleanTypeText(textOf(text, n)));
  if (receiver) def.receiverType = baseTypeName(textOf(text, receiver));
  if (initType) def.initType = initType;
  def.exported = false;
  def.decorators = parts.decorators.map((n) => textOf(text, n));
  def.snippet = snippetOf(text, startIndex, endIndex);
  if (!def.doc && ctx.adapter.innerDoc) {
    const inner = ctx.adapter.innerDoc(node);
    if (inner) def.doc = inner;
  }
  defs.set(key, {
    def,
    node,
    nameStart: nameNode && nameText !== undefined ? nameNode.startIndex : startIndex,
    nameNode,
    bodyNode: body,
    valueNode,
    valueEnd: undefined,
  });
}

function mergeDefParts(ctx: Extraction, existing: PendingDef, parts: MatchParts): void {
  const text = ctx.text;
  const def = existing.def;
  // Matches finish in any order: the first may have lacked the body or the initializer.
  const body = parts.body;
  const value = parts.value;
  if ((body && !existing.bodyNode) || (value && !existing.valueNode)) {
    if (body) existing.bodyNode = body;
    if (value && !existing.valueNode) {
      existing.valueNode = value;
      const initType = parts.initType ? textOf(text, parts.initType) : constructorName(text, value);
      if (initType && !def.initType) def.initType = initType;
    }
    def.signature = signatureOf(text, def.startIndex, def.endIndex, existing.bodyNode, existing.valueNode);
  }
  if (!existing.nameNode && parts.name) existing.nameNode = parts.name;
  const doc = parts.doc;
  if (doc && !def.doc) def.doc = cleanDocString(textOf(text, doc));
  for (const n of parts.extends) {
    const written = textOf(text, n);
    if (!def.extends.includes(written)) def.extends.push(cleanTypeText(written));
  }
  for (const n of parts.implements) {
    const written = textOf(text, n);
    if (!def.implements.includes(written)) def.implements.push(cleanTypeText(written));
  }
  for (const n of parts.decorators) {
    const written = textOf(text, n);
    if (!def.decorators.includes(written)) def.decorators.push(written);
  }
  const typeNode = parts.type;
  if (typeNode && !def.typeText) def.typeText = cleanTypeText(textOf(text, typeNode));
  const returnType = parts.returnType;
  if (returnType && !def.returnTypeText) def.returnTypeText = cleanTypeText(textOf(text, returnType));
  const receiver = parts.receiver;
  if (receiver && !def.receiverType) def.receiverType = baseTypeName(textOf(text, receiver));
}

function startOnly(range: Range): Range {
  return { start: range.start, end: range.start };
}

function rank(kind: DefKind): number {
  return DEF_RANK[kind] ?? 10;
}

function addImportFromCaptures(
  ctx: Extraction,
  imports: Map<SpanKey, SyntaxImport[]>,
  key: SpanKey,
  node: Node,
  endIndex: number,
  reexport: boolean,
  parts: MatchParts,
): void {
  const text = ctx.text;
  const source = parts.source;
  if (!source) return;
  let records = imports.get(key);
  if (!records) {
    records = [
      {
        range: rangeOf(ctx, node, endIndex),
        source: stripQuotes(textOf(text, source)),
        bindings: [],
        reexport,
      },
    ];
    imports.set(key, records);
  }
  const record = records[0]!;
  const push = (imported: string, local: string): void => {
    if (!record.bindings.some((b) => b.imported === imported && b.local === local))
      record.bindings.push({ imported, local });
  };
  const named = parts.importName;
  if (named) {
    const namedText = textOf(text, named);
    push(namedText, parts.importAlias ? textOf(text, parts.importAlias) : namedText);
  }
  if (parts.importNamespace) push('*', textOf(text, parts.importNamespace));
  if (parts.importDefault) push('default', textOf(text, parts.importDefault));
}

interface DocComment {
  startIndex: number;
  endIndex: number;
  startRow: number;
}

/** Which steps of {@link docAnchorRow} can apply to a grammar: those whose node types it has. */
interface AnchorSteps {
  /** Whether it has `export_statement` or `decorated_definition`. */
  parents: boolean;
  /** Whether its only such parent is `export_statement`, whose declaration follows `export` or `default`. */
  exportParentsOnly: boolean;
  /** Whether it has `decorator`, `attribute_item` or `annotation`. */
  siblings: boolean;
  /** The characters those start with: `@`, and `#` for `attribute_item`. */
  siblingMarks: string[];
}

const anchorStepsByLanguage = new WeakMap<Language, AnchorSteps>();

function anchorSteps(language: Language): AnchorSteps {
  let steps = anchorStepsByLanguage.get(language);
  if (!steps) {
    const has = (type: string): boolean => language.idForNodeType(type, true) !== null;
    const exportParents = has('export_statement');
    const decoratedParents = has('decorated_definition');
    steps = {
      parents: exportParents || decoratedParents,
      exportParentsOnly: exportParents && !decoratedParents,
      siblings: has('decorator') || has('attribute_item') || has('annotation'),
      siblingMarks: has('attribute_item') ? ['@', '#'] : ['@'],
    };
    anchorStepsByLanguage.set(language, steps);
  }
  return steps;
}

/**
 * The source before nodes, for {@link docAnchorRow} to rule out an `export` parent or a decorator sibling
 * without walking the tree. Only in trees without syntax errors, whose nodes follow the grammar.
 */
interface TextBefore {
  text: string;
  /** Where each captured comment starts, by where it ends: comments are skipped like spaces. */
  commentStarts: Map<number, number>;
  /**
   * Whether the file may have decorators, attributes or annotations: whether the character they start with
   * occurs outside the captured comments.
   */
  marked: boolean;
}

/** Whether one of `marks` occurs in `text` outside the comments (start and end indexes, sorted, in pairs). */
function hasMarkOutside(text: string, marks: readonly string[], comments: number[]): boolean {
  for (const mark of marks) {
    for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) {
      // The last comment starting at or before i.
      let lo = 0;
      let hi = comments.length / 2;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comments[2 * mid]! <= i) lo = mid + 1;
        else hi = mid;
      }
      if (lo === 0 || i >= comments[2 * (lo - 1) + 1]!) return true;
    }
  }
  return false;
}

/**
 * The index of the last character before `index` that is neither an ASCII space nor in a captured comment, or
 * -1 when there is none.
 */
function lastCharBefore(before: TextBefore, index: number): number {
  const { text, commentStarts } = before;
  let i = index;
  for (;;) {
    while (i > 0 && isAsciiSpace(text.charCodeAt(i - 1))) i--;
    const commentStart = commentStarts.get(i);
    if (commentStart === undefined || commentStart >= i) return i - 1;
    i = commentStart;
  }
}

/**
 * Whether a node may be the declaration of an `export` statement: that follows the `export` or `default`
 * keyword, or `=` (`export = …`). Anything else before it (spaces and comments aside) rules it out, but for
 * what could end a comment that was not captured (`/`, `>`), `\` and characters beyond ASCII.
 */
function mayFollowExport(before: TextBefore, node: Node): boolean {
  const i = lastCharBefore(before, node.startIndex);
  if (i < 0) return false;
  const text = before.text;
  const code = text.charCodeAt(i);
  if (isWordChar(code)) {
    let wordStart = i;
    while (wordStart > 0 && isWordChar(text.charCodeAt(wordStart - 1))) wordStart--;
    const word = text.slice(wordStart, i + 1);
    return word === 'export' || word === 'default';
  }
  return code === 61 || code === 47 || code === 62 || code === 92 || code > 127;
}

/**
 * Whether the previous sibling of a node cannot be a decorator, an attribute or an annotation: these end with a
 * name, `)` or `]`, right before what they decorate, so that `;`, `{`, `}` or `,` (or nothing) before the node
 * rule them out.
 */
function followsNoDecorator(before: TextBefore, node: Node): boolean {
  if (!before.marked) return true;
  const i = lastCharBefore(before, node.startIndex);
  if (i < 0) return true;
  const code = before.text.charCodeAt(i);
  return code === 59 || code === 123 || code === 125 || code === 44;
}

/** Attaches the comment block that ends on the line just above a declaration as its doc. */
function attachDocs(ctx: Extraction, pendingDefs: PendingDef[], comments: Node[], tree: Tree): void {
  if (comments.length === 0) return;
  const steps = anchorSteps(tree.language);
  const byEndLine = new Map<number, DocComment>();
  const commentStarts = new Map<number, number>();
  for (const comment of comments) {
    const start = comment.startPosition;
    const startIndex = comment.startIndex;
    const endIndex = comment.endIndex;
    byEndLine.set(ctx.lines.end(start, startIndex, endIndex).line, {
      startIndex,
      endIndex,
      startRow: start.row,
    });
    commentStarts.set(endIndex, startIndex);
  }
  let before: TextBefore | null | undefined;
  const adapter = ctx.adapter;
  for (const { def, node } of pendingDefs) {
    if (def.doc || def.kind === 'parameter') continue;
    if (before === undefined && (steps.parents || steps.siblings)) {
      const spans = [...commentStarts].sort((a, b) => a[1] - b[1]).flatMap(([end, start]) => [start, end]);
      before = tree.rootNode.hasError
        ? null
        : {
            text: ctx.text,
            commentStarts,
            marked: steps.siblings && hasMarkOutside(ctx.text, steps.siblingMarks, spans),
          };
    }
    const startRow = docAnchorRow(node, steps, before ?? null);
    const parts: string[] = [];
    let row = startRow - 1;
    let comment = byEndLine.get(row);
    while (comment && comment.endIndex <= node.startIndex) {
      parts.unshift(ctx.text.slice(comment.startIndex, comment.endIndex));
      row = comment.startRow - 1;
      comment = byEndLine.get(row);
    }
    if (parts.length === 0) continue;
    const text = parts.join('\n');
    const doc = adapter.docFromComment ? adapter.docFromComment(text) : cleanComment(text);
    if (doc) def.doc = doc;
  }
}

/**
 * Where a declaration's doc comment ends: above its decorators and export keyword, if any. `parent` and
 * `previousNamedSibling` walk down from the root, so a step is skipped for grammars without its node types,
 * and, in trees without errors (`before`), where the text before the node rules it out.
 */
function docAnchorRow(node: Node, steps: AnchorSteps, before: TextBefore | null): number {
  if (!steps.parents && !steps.siblings) return node.startPosition.row;
  let anchor = node;
  let parent =
    steps.parents && !(before && steps.exportParentsOnly && !mayFollowExport(before, anchor))
      ? anchor.parent
      : null;
  let parentType = parent?.type;
  while (
    parent &&
    (parentType === 'export_statement' || parentType === 'decorated_definition') &&
    parent.startIndex < anchor.startIndex + 1
  ) {
    anchor = parent;
    parent = anchor.parent;
    parentType = parent?.type;
  }
  let row = anchor.startPosition.row;
  let previous =
    steps.siblings && !(before && followsNoDecorator(before, anchor)) ? anchor.previousNamedSibling : null;
  let previousType = previous?.type;
  while (
    previous &&
    (previousType === 'decorator' || previousType === 'attribute_item' || previousType === 'annotation') &&
    previous.endPosition.row === row - 1
  ) {
    row = previous.startPosition.row;
    previous = previous.previousNamedSibling;
    previousType = previous?.type;
  }
  return row;
}

/** Strips comment markers: `/** … *\/`, `//`, `///`, `#`, `--`. */
export function cleanComment(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\/\*\*?/, '')
        .replace(/\*\/$/, '')
        .replace(/^\*\s?/, '')
        .replace(/^\/\/[/!]?\s?/, '')
        .replace(/^#\s?/, '')
        .trimEnd(),
    )
    .join('\n')
    .trim();
}

function cleanDocString(text: string): string {
  return text
    .replace(/^[rRuUbB]*("""|'''|"|')/, '')
    .replace(/("""|'''|"|')$/, '')
    .trim();
}

function makeScopeLookup(
  scopes: { start: number; end: number; index: number }[],
  defs: SyntaxDef[],
): (position: number) => number {
  // Scopes are properly nested and sorted by start. The innermost scope containing a position is the last
  // scope starting at or before it, or one of that scope's ancestors: O(log n + depth), never O(n).
  const starts = scopes.map((s) => s.start);
  return (position: number): number => {
    const last = upperBound(starts, position) - 1;
    if (last < 0) return -1;
    let index = scopes[last]!.index;
    while (index >= 0) {
      const def = defs[index]!;
      if (def.startIndex <= position && position < def.endIndex) return index;
      index = def.parent;
    }
    return -1;
  };
}

function makeFlowBuilder(
  calls: PendingCall[],
  refs: PendingRef[],
  nestedEnd: (position: number, flowStart: number) => number,
): (start: number, end: number) => SyntaxFlow {
  const callStarts = calls.map((c) => c.call.startIndex);
  const refStarts = refs.map((r) => r.startIndex);
  return (start: number, end: number): SyntaxFlow => {
    const topCalls: number[] = [];
    let lastEnd = -1;
    for (let i = lowerBound(callStarts, start); i < calls.length && callStarts[i]! < end; i++) {
      const call = calls[i]!.call;
      if (call.endIndex > end || call.startIndex < lastEnd) continue;
      const skipTo = nestedEnd(call.startIndex, start);
      if (skipTo >= 0) {
        i = lowerBound(callStarts, skipTo) - 1;
        continue;
      }
      topCalls.push(i);
      lastEnd = call.endIndex;
    }
    const identifiers: SyntaxFlow['identifiers'] = [];
    let callCursor = 0;
    for (let i = lowerBound(refStarts, start); i < refs.length && refStarts[i]! < end; i++) {
      const ref = refs[i]!;
      if (ref.endIndex > end) continue;
      while (callCursor < topCalls.length && calls[topCalls[callCursor]!]!.call.endIndex <= ref.startIndex)
        callCursor++;
      const call = callCursor < topCalls.length ? calls[topCalls[callCursor]!]!.call : undefined;
      if (call && call.startIndex <= ref.startIndex) continue;
      const skipTo = nestedEnd(ref.startIndex, start);
      if (skipTo >= 0) {
        i = lowerBound(refStarts, skipTo) - 1;
        continue;
      }
      identifiers.push({ name: ref.name, range: ref.range });
    }
    return { identifiers, calls: topCalls };
  };
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function classifyReceiver(
  source: string,
  clean: boolean,
  node: Node,
  selfNames: readonly string[],
  superNames: readonly string[],
): SyntaxReceiver {
  const text = textOf(source, node);
  if (selfNames.includes(text)) return { kind: 'this', text };
  const plain = text.replace(/^\$/, '');
  if (clean && IDENTIFIER.test(plain)) {
    // A plain name (most receivers), decided without reading its type: no node of the types tested below
    // has such a text, but `super` and `base`, whose texts are in `superNames`. (Only where the tree has no
    // zero-width MISSING tokens, which could hide a `new` or parentheses.)
    return superNames.includes(text) ? { kind: 'super', text } : { kind: 'name', name: plain, text };
  }
  const type = node.type;
  const isSuper =
    superNames.includes(text) ||
    (superNames.includes('super') && (text.startsWith('super(') || type === 'super')) ||
    type === 'base_expression';
  if (isSuper) return { kind: 'super', text };
  if (/^@\w+$/.test(text)) return { kind: 'this-member', name: text.slice(1), text };
  const created = constructorName(source, node, type);
  if (created) return { kind: 'new', name: created, text: text.length > 80 ? `${text.slice(0, 80)}…` : text };
  if (IDENTIFIER.test(plain)) return { kind: 'name', name: plain, text };
  const member = /^\$?(\w+)(?:\.|->|::)(\w+)$/.exec(text);
  if (member && selfNames.includes(member[1]!)) return { kind: 'this-member', name: member[2]!, text };
  if (member && selfNames.includes(`$${member[1]!}`)) return { kind: 'this-member', name: member[2]!, text };
  return { kind: 'expr', text: text.length > 80 ? `${text.slice(0, 80)}…` : text };
}

function assignTarget(
  source: string,
  left: Node,
  selfNames: readonly string[],
): { name: string; member: boolean } | undefined {
  const leftText = textOf(source, left);
  if (/^@\w+$/.test(leftText)) return { name: leftText.slice(1), member: true };
  const text = leftText.replace(/^\$/, '');
  if (IDENTIFIER.test(text)) return { name: text, member: false };
  const member = /^\$?(\w+)(?:\.|->)(\w+)$/.exec(leftText);
  if (member && (selfNames.includes(member[1]!) || selfNames.includes(`$${member[1]!}`)))
    return { name: member[2]!, member: true };
  return undefined;
}

/** The callee as written: the call's text up to the end of the called name (`nameEnd`), spaces collapsed. */
function calleeText(source: string, callStart: number, callEnd: number, nameEnd: number): string {
  const end = Math.max(0, nameEnd - callStart);
  let text = source.slice(callStart, Math.min(callEnd, callStart + end));
  if (MULTIPLE_OR_OTHER_SPACE.test(text)) text = text.replace(/\s+/g, ' ');
  if (text.startsWith('new ')) text = text.slice(4);
  text = text.trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The class named by `new X(…)`, `X(…)` or `X::new(…)`, when the value is such a call. */
function constructorName(source: string, value: Node, type = value.type): string | undefined {
  if (type === 'new_expression' || type === 'object_creation_expression') {
    const ctor = value.childForFieldName('constructor') ?? value.childForFieldName('type');
    return ctor ? baseTypeName(textOf(source, ctor)) : undefined;
  }
  if (type === 'call' || type === 'call_expression') {
    const fn = value.childForFieldName('function');
    if (!fn) return undefined;
    const fnText = textOf(source, fn);
    const scoped = /^([A-Z]\w*)::(new|default|from|with_\w+)$/.exec(fnText);
    if (scoped) return scoped[1];
    if (/^[A-Z]\w*$/.test(fnText)) return fnText;
  }
  if (type === 'call') {
    const method = value.childForFieldName('method');
    if (method && textOf(source, method) === 'new') {
      const receiver = value.childForFieldName('receiver');
      const receiverText = receiver ? textOf(source, receiver) : '';
      return receiver && /^[A-Z][\w:]*$/.test(receiverText)
        ? baseTypeName(receiverText.split('::').pop() ?? '')
        : undefined;
    }
  }
  if (type === 'object_creation_expression') {
    const type = value.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name');
    return type ? (textOf(source, type).split('\\').pop() ?? undefined) : undefined;
  }
  if (type === 'composite_literal' || type === 'struct_expression') {
    const type = value.childForFieldName('type') ?? value.childForFieldName('name');
    return type ? baseTypeName(textOf(source, type)) : undefined;
  }
  // `&X{…}`: a zero-width node has no text, so it cannot start with `&`.
  if (
    type === 'unary_expression' &&
    source.charCodeAt(value.startIndex) === 38 &&
    value.endIndex > value.startIndex
  ) {
    const operand = value.childForFieldName('operand');
    return operand ? constructorName(source, operand) : undefined;
  }
  return undefined;
}

/** `Map<K, V>` → `Map`, `*pkg.Server` → `pkg.Server`, `&mut Foo` → `Foo`. */
export function baseTypeName(text: string): string {
  // A plain name or dotted path is its own base (no step below changes it).
  if (PLAIN_PATH.test(text)) return text;
  return text
    .replace(/^[:\s]+/, '')
    .replace(/^(&\s*(mut\s+)?|\*+|\[\]|\?)/, '')
    .replace(/[<[(].*$/s, '')
    .replace(/[?!]$/, '')
    .trim();
}

function cleanTypeText(text: string): string {
  // No `:` or `->` to strip and no whitespace to collapse or trim: nothing below changes it.
  if (!NOT_PLAIN_TYPE.test(text)) return text;
  return text
    .replace(/^:(?!:)\s*/, '')
    .replace(/^->\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function stripQuotes(text: string): string {
  if (!isQuote(text.charCodeAt(0)) && !isQuote(text.charCodeAt(text.length - 1))) return text;
  return text.replace(/^["'`]|["'`]$/g, '');
}

/** `"`, `'`, `` ` ``. */
function isQuote(code: number): boolean {
  return code === 34 || code === 39 || code === 96;
}

const PLAIN_PATH = /^[\w.]*$/;
/** What {@link cleanTypeText} may change: a leading `:` or `->`, and whitespace at the ends or in runs. */
const NOT_PLAIN_TYPE = /^(?::|->)|^\s|\s$|\s\s|[^\S ]/;

function signatureOf(
  text: string,
  startIndex: number,
  endIndex: number,
  body: Node | undefined,
  value: Node | undefined,
): string {
  const end = body && body.startIndex > startIndex ? body.startIndex : value ? value.startIndex : endIndex;
  let header = text.slice(startIndex, Math.min(end, startIndex + SIGNATURE_LIMIT * 2));
  if (!body && !value) {
    const lineEnd = header.indexOf('\n');
    if (lineEnd >= 0) header = header.slice(0, lineEnd);
  }
  // Whitespace runs become one space (most headers have none to change), then `{`, `:`, `=`, `;` and spaces
  // are cut from the end: the only whitespace left is the space.
  if (MULTIPLE_OR_OTHER_SPACE.test(header)) header = header.replace(/\s+/g, ' ');
  let cut = header.length;
  while (cut > 0 && isHeaderEnd(header.charCodeAt(cut - 1))) cut--;
  header = header.slice(0, cut).trim();
  return header.length > SIGNATURE_LIMIT ? `${header.slice(0, SIGNATURE_LIMIT)}…` : header;
}

/** Whether `/\s+/g → ' '` changes the text: a run of two whitespace characters, or one that is not a space. */
const MULTIPLE_OR_OTHER_SPACE = /\s\s|[^\S ]/;

/** ` `, `{`, `:`, `=`, `;`. */
function isHeaderEnd(code: number): boolean {
  return code === 32 || code === 123 || code === 58 || code === 61 || code === 59;
}

function snippetOf(text: string, startIndex: number, endIndex: number): string {
  const length = endIndex - startIndex;
  const snippet = text.slice(startIndex, startIndex + Math.min(length, SNIPPET_LIMIT));
  return length > SNIPPET_LIMIT ? `${snippet}…` : snippet;
}

/**
 * Whether a node can be a comment, from its first character: every comment of the registered grammars starts
 * with `/` (`//`, `/*`), `#` or `=` (Ruby's `=begin`). Saves reading the type of most nodes.
 */
function mayBeComment(text: string, node: Node): boolean {
  const first = text.charCodeAt(node.startIndex);
  return first === 47 || first === 35 || first === 61;
}

function isComment(node: Node): boolean {
  const type = node.type;
  return type === 'comment' || type === 'line_comment' || type === 'block_comment';
}
