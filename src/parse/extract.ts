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
 */
import type { Node, Query, Tree } from 'web-tree-sitter';
import { comparePositions } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import type { LanguageSpec } from './language.js';
import { nodeRange } from './node-range.js';
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

interface ExtractInput {
  tree: Tree;
  text: string;
  path: string;
  spec: LanguageSpec;
  query: Query;
  diagnostics: Diagnostic[];
}

interface PendingDef {
  def: SyntaxDef;
  node: Node;
  nameNode?: Node;
  bodyNode?: Node;
  valueNode?: Node;
}

interface PendingCall {
  call: Omit<SyntaxCall, 'args' | 'scope' | 'receiver'>;
  receiverNode?: Node;
  /** The arguments' start and end indexes, in pairs. */
  argSpans: number[];
}

/** Extracts the language-neutral summary of one parsed file. */
export function extractSyntax(input: ExtractInput): FileSyntax {
  const { tree, spec, query } = input;
  const adapter = spec.adapter;
  const defs = new Map<string, PendingDef>();
  const calls = new Map<string, PendingCall>();
  const refs: (SyntaxRef & { startIndex: number; endIndex: number })[] = [];
  const imports = new Map<string, SyntaxImport[]>();
  const exportNames: FileSyntax['exportNames'] = [];
  const returns: { node: Node; value?: Node }[] = [];
  const assigns: { node: Node; left: Node; right: Node }[] = [];
  const comments: Node[] = [];
  let packageName: string | undefined;

  for (const match of query.matches(tree.rootNode)) {
    // Fast path for the most frequent matches: a lone identifier or type name.
    if (match.captures.length === 1) {
      const only = match.captures[0]!;
      if (only.name === 'reference.identifier' || only.name === 'reference.type') {
        refs.push(refOf(only.node, only.name === 'reference.type' ? 'type' : 'value'));
        continue;
      }
    }
    let main: { name: string; node: Node } | undefined;
    for (const capture of match.captures) {
      if (isMainCapture(capture.name)) {
        main = capture;
        break;
      }
    }
    if (!main) continue;
    const captures = match.captures;
    const sub = (name: string): Node | undefined => {
      for (const capture of captures) if (capture.name === name) return capture.node;
      return undefined;
    };
    const subAll = (name: string): Node[] => {
      const found: Node[] = [];
      for (const capture of captures) if (capture.name === name) found.push(capture.node);
      return found;
    };
    const role = main.name;
    const node = main.node;
    if (role.startsWith('definition.')) {
      const kind = role.slice('definition.'.length);
      if (!DEF_KIND_SET.has(kind)) continue;
      addDef(defs, input, kind as DefKind, node, sub, subAll);
    } else if (role === 'reference.call' || role === 'reference.new') {
      const startIndex = node.startIndex;
      const endIndex = node.endIndex;
      const key = `${startIndex}:${endIndex}`;
      const nameNode = sub('name');
      if (!nameNode || calls.has(key)) continue;
      const receiverNode = sub('receiver');
      const argsNode = sub('args');
      const name = nameNode.text;
      const argSpans: number[] = [];
      if (argsNode)
        for (const arg of argsNode.namedChildren)
          if (arg !== null && !isComment(arg)) argSpans.push(arg.startIndex, arg.endIndex);
      const pending: PendingCall = {
        call: {
          range: nodeRange(node),
          nameRange: shortRangeOf(nameNode, name),
          startIndex,
          endIndex,
          name,
          calleeText: calleeText(input.text, startIndex, endIndex, nameNode.startIndex + name.length),
          isNew: role === 'reference.new',
        },
        argSpans,
      };
      if (receiverNode) pending.receiverNode = receiverNode;
      calls.set(key, pending);
    } else if (role === 'reference.identifier' || role === 'reference.type') {
      refs.push(refOf(node, role === 'reference.type' ? 'type' : 'value'));
    } else if (role === 'import' || role === 'reexport') {
      const key = `${node.startIndex}:${node.endIndex}`;
      if (adapter.importsOf) {
        if (!imports.has(key)) imports.set(key, adapter.importsOf(node));
        continue;
      }
      addImportFromCaptures(imports, key, node, role === 'reexport', sub);
    } else if (role === 'export') {
      const local = sub('local');
      const isDefault = node.type === 'export_statement' && /^export\s+default\b/.test(node.text);
      if (local)
        exportNames.push({
          local: local.text,
          exported: isDefault ? 'default' : (sub('alias')?.text ?? local.text),
        });
    } else if (role === 'return') {
      const value = sub('value');
      // `=> { … }` returns through its return statements, not as a value.
      if (value?.type === 'statement_block') continue;
      returns.push({ node, ...(value ? { value } : {}) });
    } else if (role === 'assignment') {
      const left = sub('left');
      const right = sub('right');
      if (left && right) assigns.push({ node, left, right });
    } else if (role === 'package') {
      packageName ??= sub('name')?.text ?? node.text;
    } else if (role === 'comment') {
      comments.push(node);
    }
  }

  // A variable whose value is a function is that function (`const f = () => …`, `f = lambda: …`).
  for (const [key, pending] of defs) {
    const value = pending.valueNode;
    if (value && (pending.def.kind === 'variable' || pending.def.kind === 'field')) {
      const fn = defs.get(`${value.startIndex}:${value.endIndex}`);
      if (fn && (fn.def.kind === 'function' || fn.def.kind === 'lambda')) {
        if (fn.def.kind === 'lambda' || pending.def.kind === 'field') {
          // A field holding a function (`handle = () => …`) is a method.
          fn.def.kind = pending.def.kind === 'field' ? 'method' : 'function';
          fn.def.name = pending.def.name;
          fn.def.nameRange = pending.def.nameRange;
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
    defList.forEach((def, index) => {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= def.startIndex) stack.pop();
      def.parent = stack.length > 0 ? stack[stack.length - 1]!.index : -1;
      if (def.kind === 'function' && def.parent >= 0 && MEMBER_OWNER_KINDS.has(defList[def.parent]!.kind))
        def.kind = 'method';
      if (SCOPE_KINDS.has(def.kind)) {
        stack.push({ end: def.endIndex, index });
        scopeStarts.push({ start: def.startIndex, end: def.endIndex, index });
      }
    });
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
  pendingDefs.forEach(({ def, node }) => {
    const topLevel = def.parent === -1 || defList[def.parent]?.kind === 'namespace';
    def.exported =
      (adapter.isExported ? adapter.isExported(node, def.name, topLevel) : topLevel) ||
      (topLevel && exportedLocals.has(def.name));
  });
  attachDocs(pendingDefs, comments, adapter);

  // Calls, sorted, with scopes; then flows, which need the sorted calls.
  const callList = [...calls.values()].sort(
    (a, b) => a.call.startIndex - b.call.startIndex || b.call.endIndex - a.call.endIndex,
  );
  const defNameStarts = new Set(
    pendingDefs.map((p) => p.def.nameRange.start.line * 1e7 + p.def.nameRange.start.character),
  );
  const valueRefs = refs
    .filter(
      (r) => r.role === 'value' && !defNameStarts.has(r.range.start.line * 1e7 + r.range.start.character),
    )
    .sort((a, b) => a.startIndex - b.startIndex);
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
  defList.forEach((def) => {
    const fn = def.kind === 'parameter' && def.parent >= 0 ? defList[def.parent]! : undefined;
    if (fn?.kind === 'method' && comparePositions(def.range.start, fn.nameRange.start) < 0)
      receiverNameOf.set(def.parent, def.name);
  });
  const selfNamesAt = (scope: number): readonly string[] => {
    for (let current = scope; current >= 0; current = defList[current]!.parent) {
      const receiver = receiverNameOf.get(current);
      if (receiver) return [...adapter.selfNames, receiver];
    }
    return adapter.selfNames;
  };
  const superNames = adapter.superNames ?? ['super'];
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
          receiver: classifyReceiver(receiverNode, selfNamesAt(scope), superNames),
          scope,
          args,
        }
      : { range, nameRange, startIndex, endIndex, name, calleeText, isNew, scope, args };
  });
  // A name inside a qualified name (`inv.Store`, `a.b.C`) is read as part of it, not on its own.
  refs.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  let outerEnd = -1;
  let kept = 0;
  for (const ref of refs) {
    if (ref.endIndex <= outerEnd && ref.role === 'type') continue;
    if (ref.role === 'type' && /[.:\\]/.test(ref.name)) outerEnd = ref.endIndex;
    refs[kept++] = ref;
  }
  refs.length = kept;
  const syntaxRefs: SyntaxRef[] = refs
    .filter(
      (r) => r.role === 'type' || !defNameStarts.has(r.range.start.line * 1e7 + r.range.start.character),
    )
    .map(({ name, range, role, startIndex }) => ({ name, range, role, scope: scopeAt(startIndex) }));

  const syntaxAssigns: SyntaxAssign[] = [];
  const seenAssigns = new Set<string>();
  const pushAssign = (scope: number, left: Node, value: Node, range: Node): void => {
    const target = assignTarget(left, selfNamesAt(scope));
    if (!target) return;
    const key = `${range.startIndex}:${target.name}`;
    if (seenAssigns.has(key)) return;
    seenAssigns.add(key);
    syntaxAssigns.push({
      scope,
      name: target.name,
      member: target.member,
      range: nodeRange(range),
      value: flowOf(value.startIndex, value.endIndex),
    });
  };
  for (const { def, node, nameNode, valueNode } of pendingDefs) {
    if (
      valueNode &&
      nameNode &&
      (def.kind === 'variable' || def.kind === 'constant' || def.kind === 'field')
    ) {
      pushAssign(def.parent, nameNode, valueNode, node);
    }
  }
  for (const { node, left, right } of assigns) pushAssign(scopeAt(node.startIndex), left, right, node);
  const syntaxReturns: SyntaxReturn[] = returns.map(({ node, value }) => ({
    scope: scopeAt(node.startIndex),
    range: nodeRange(node),
    value: value ? flowOf(value.startIndex, value.endIndex) : { identifiers: [], calls: [] },
  }));

  return {
    path: input.path,
    language: spec.id,
    ...(packageName !== undefined ? { packageName } : {}),
    defs: defList,
    calls: syntaxCalls,
    refs: syntaxRefs,
    assigns: syntaxAssigns,
    returns: syntaxReturns,
    imports: [...imports.values()].flat().map((imp) => {
      const scope = scopeAtPosition(imp.range.start);
      return scope >= 0 ? { ...imp, scope } : imp;
    }),
    exportNames,
    lineCount: tree.rootNode.endPosition.row + 1,
    diagnostics: input.diagnostics,
  };
}

/** The range of a short node (a name) whose text is `text`: computed from its text when it is on one line. */
function shortRangeOf(node: Node, text: string): SyntaxDef['range'] {
  if (text.includes('\n')) return nodeRange(node);
  const start = node.startPosition;
  return {
    start: { line: start.row, character: start.column },
    end: { line: start.row, character: start.column + text.length },
  };
}

/** A reference from its node. A one-line name's end is computed from its length, saving a call into wasm. */
function refOf(node: Node, role: SyntaxRef['role']): SyntaxRef & { startIndex: number; endIndex: number } {
  const name = node.text;
  const start = node.startPosition;
  const startIndex = node.startIndex;
  const endIndex = startIndex + name.length;
  const range = name.includes('\n')
    ? nodeRange(node)
    : {
        start: { line: start.row, character: start.column },
        end: { line: start.row, character: start.column + name.length },
      };
  return { name, range, scope: -1, role, startIndex, endIndex };
}

function isMainCapture(name: string): boolean {
  return (
    name.startsWith('definition.') ||
    name.startsWith('reference.') ||
    name === 'import' ||
    name === 'reexport' ||
    name === 'export' ||
    name === 'return' ||
    name === 'assignment' ||
    name === 'package' ||
    name === 'comment'
  );
}

function addDef(
  defs: Map<string, PendingDef>,
  input: ExtractInput,
  kind: DefKind,
  node: Node,
  sub: (name: string) => Node | undefined,
  subAll: (name: string) => Node[],
): void {
  const nameNode = sub('name');
  if (!nameNode && kind !== 'lambda' && kind !== 'impl') return;
  const nameText = nameNode?.text;
  // Error recovery can produce zero-width MISSING names.
  if (nameText !== undefined && nameText.trim() === '') return;
  const startIndex = node.startIndex;
  const endIndex = node.endIndex;
  const key = `${startIndex}:${endIndex}`;
  const existing = defs.get(key);
  if (existing && rank(existing.def.kind) >= rank(kind)) {
    mergeDefParts(existing, input, sub, subAll);
    return;
  }
  const body = sub('body');
  const typeNode = sub('type');
  const returnType = sub('return_type');
  const receiver = sub('receiver');
  const doc = sub('doc');
  const valueNode = sub('value');
  const initType = sub('init_type')?.text ?? (valueNode ? constructorName(valueNode) : undefined);
  const name =
    nameText !== undefined
      ? stripQuotes(nameText)
      : kind === 'impl'
        ? (receiver?.text ?? '<impl>')
        : '<lambda>';
  const range = nodeRange(node);
  const def: SyntaxDef = {
    kind,
    name,
    range,
    nameRange: nameNode && nameText !== undefined ? shortRangeOf(nameNode, nameText) : startOnly(range),
    startIndex,
    endIndex,
    parent: -1,
    signature: signatureOf(input.text, startIndex, endIndex, body, valueNode),
    ...(doc ? { doc: cleanDocString(doc.text) } : {}),
    ...(typeNode ? { typeText: cleanTypeText(typeNode.text) } : {}),
    ...(returnType ? { returnTypeText: cleanTypeText(returnType.text) } : {}),
    extends: subAll('extends').map((n) => cleanTypeText(n.text)),
    implements: subAll('implements').map((n) => cleanTypeText(n.text)),
    ...(receiver ? { receiverType: baseTypeName(receiver.text) } : {}),
    ...(initType ? { initType } : {}),
    exported: false,
    decorators: subAll('decorator').map((n) => n.text),
    snippet: snippetOf(input.text, startIndex, endIndex),
  };
  if (!def.doc && input.spec.adapter.innerDoc) {
    const inner = input.spec.adapter.innerDoc(node);
    if (inner) def.doc = inner;
  }
  defs.set(key, {
    def,
    node,
    ...(nameNode ? { nameNode } : {}),
    ...(body ? { bodyNode: body } : {}),
    ...(valueNode ? { valueNode } : {}),
  });
}

function mergeDefParts(
  existing: PendingDef,
  input: ExtractInput,
  sub: (name: string) => Node | undefined,
  subAll: (name: string) => Node[],
): void {
  const def = existing.def;
  // Matches finish in any order: the first may have lacked the body or the initializer.
  const body = sub('body');
  const value = sub('value');
  if ((body && !existing.bodyNode) || (value && !existing.valueNode)) {
    if (body) existing.bodyNode = body;
    if (value && !existing.valueNode) {
      existing.valueNode = value;
      const initType = sub('init_type')?.text ?? constructorName(value);
      if (initType && !def.initType) def.initType = initType;
    }
    def.signature = signatureOf(
      input.text,
      def.startIndex,
      def.endIndex,
      existing.bodyNode,
      existing.valueNode,
    );
  }
  if (!existing.nameNode) {
    const nameNode = sub('name');
    if (nameNode) existing.nameNode = nameNode;
  }
  const doc = sub('doc');
  if (doc && !def.doc) def.doc = cleanDocString(doc.text);
  for (const n of subAll('extends'))
    if (!def.extends.includes(n.text)) def.extends.push(cleanTypeText(n.text));
  for (const n of subAll('implements'))
    if (!def.implements.includes(n.text)) def.implements.push(cleanTypeText(n.text));
  for (const n of subAll('decorator')) if (!def.decorators.includes(n.text)) def.decorators.push(n.text);
  const typeNode = sub('type');
  if (typeNode && !def.typeText) def.typeText = cleanTypeText(typeNode.text);
  const returnType = sub('return_type');
  if (returnType && !def.returnTypeText) def.returnTypeText = cleanTypeText(returnType.text);
  const receiver = sub('receiver');
  if (receiver && !def.receiverType) def.receiverType = baseTypeName(receiver.text);
}

function startOnly(range: SyntaxDef['range']): SyntaxDef['range'] {
  return { start: range.start, end: range.start };
}

function rank(kind: DefKind): number {
  return DEF_RANK[kind] ?? 10;
}

function addImportFromCaptures(
  imports: Map<string, SyntaxImport[]>,
  key: string,
  node: Node,
  reexport: boolean,
  sub: (name: string) => Node | undefined,
): void {
  const source = sub('source');
  if (!source) return;
  let records = imports.get(key);
  if (!records) {
    records = [{ range: nodeRange(node), source: stripQuotes(source.text), bindings: [], reexport }];
    imports.set(key, records);
  }
  const record = records[0]!;
  const named = sub('import.name');
  const namespace = sub('import.namespace');
  const defaultName = sub('import.default');
  const push = (imported: string, local: string): void => {
    if (!record.bindings.some((b) => b.imported === imported && b.local === local))
      record.bindings.push({ imported, local });
  };
  if (named) push(named.text, sub('import.alias')?.text ?? named.text);
  if (namespace) push('*', namespace.text);
  if (defaultName) push('default', defaultName.text);
}

/** Attaches the comment block that ends on the line just above a declaration as its doc. */
function attachDocs(pendingDefs: PendingDef[], comments: Node[], adapter: LanguageSpec['adapter']): void {
  if (comments.length === 0) return;
  const byEndLine = new Map<number, Node>();
  for (const comment of comments) byEndLine.set(comment.endPosition.row, comment);
  for (const { def, node } of pendingDefs) {
    if (def.doc || def.kind === 'parameter') continue;
    const startRow = docAnchorRow(node);
    const parts: string[] = [];
    let row = startRow - 1;
    let comment = byEndLine.get(row);
    while (comment && comment.endIndex <= node.startIndex) {
      parts.unshift(comment.text);
      row = comment.startPosition.row - 1;
      comment = byEndLine.get(row);
    }
    if (parts.length === 0) continue;
    const text = parts.join('\n');
    const doc = adapter.docFromComment ? adapter.docFromComment(text) : cleanComment(text);
    if (doc) def.doc = doc;
  }
}

/** Where a declaration's doc comment ends: above its decorators and export keyword, if any. */
function docAnchorRow(node: Node): number {
  let anchor = node;
  let parent = anchor.parent;
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
  let previous = anchor.previousNamedSibling;
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
  refs: { name: string; range: SyntaxRef['range']; startIndex: number; endIndex: number }[],
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
  node: Node,
  selfNames: readonly string[],
  superNames: readonly string[],
): SyntaxReceiver {
  const text = node.text;
  if (selfNames.includes(text)) return { kind: 'this', text };
  const type = node.type;
  const isSuper =
    superNames.includes(text) ||
    (superNames.includes('super') && (text.startsWith('super(') || type === 'super')) ||
    type === 'base_expression';
  if (isSuper) return { kind: 'super', text };
  if (/^@\w+$/.test(text)) return { kind: 'this-member', name: text.slice(1), text };
  const created = constructorName(node);
  if (created) return { kind: 'new', name: created, text: text.length > 80 ? `${text.slice(0, 80)}…` : text };
  const plain = text.replace(/^\$/, '');
  if (IDENTIFIER.test(plain)) return { kind: 'name', name: plain, text };
  const member = /^\$?(\w+)(?:\.|->|::)(\w+)$/.exec(text);
  if (member && selfNames.includes(member[1]!)) return { kind: 'this-member', name: member[2]!, text };
  if (member && selfNames.includes(`$${member[1]!}`)) return { kind: 'this-member', name: member[2]!, text };
  return { kind: 'expr', text: text.length > 80 ? `${text.slice(0, 80)}…` : text };
}

function assignTarget(
  left: Node,
  selfNames: readonly string[],
): { name: string; member: boolean } | undefined {
  const leftText = left.text;
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
  const text = source
    .slice(callStart, Math.min(callEnd, callStart + end))
    .replace(/\s+/g, ' ')
    .replace(/^new /, '')
    .trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The class named by `new X(…)`, `X(…)` or `X::new(…)`, when the value is such a call. */
function constructorName(value: Node): string | undefined {
  const type = value.type;
  if (type === 'new_expression' || type === 'object_creation_expression') {
    const ctor = value.childForFieldName('constructor') ?? value.childForFieldName('type');
    return ctor ? baseTypeName(ctor.text) : undefined;
  }
  if (type === 'call' || type === 'call_expression') {
    const fn = value.childForFieldName('function');
    if (!fn) return undefined;
    const scoped = /^([A-Z]\w*)::(new|default|from|with_\w+)$/.exec(fn.text);
    if (scoped) return scoped[1];
    if (/^[A-Z]\w*$/.test(fn.text)) return fn.text;
  }
  if (type === 'call' && value.childForFieldName('method')?.text === 'new') {
    const receiver = value.childForFieldName('receiver');
    return receiver && /^[A-Z][\w:]*$/.test(receiver.text)
      ? baseTypeName(receiver.text.split('::').pop() ?? '')
      : undefined;
  }
  if (type === 'object_creation_expression') {
    const type = value.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name');
    return type ? (type.text.split('\\').pop() ?? undefined) : undefined;
  }
  if (type === 'composite_literal' || type === 'struct_expression') {
    const type = value.childForFieldName('type') ?? value.childForFieldName('name');
    return type ? baseTypeName(type.text) : undefined;
  }
  if (type === 'unary_expression' && value.text.startsWith('&')) {
    const operand = value.childForFieldName('operand');
    return operand ? constructorName(operand) : undefined;
  }
  return undefined;
}

/** `Map<K, V>` → `Map`, `*pkg.Server` → `pkg.Server`, `&mut Foo` → `Foo`. */
export function baseTypeName(text: string): string {
  return text
    .replace(/^[:\s]+/, '')
    .replace(/^(&\s*(mut\s+)?|\*+|\[\]|\?)/, '')
    .replace(/[<[(].*$/s, '')
    .replace(/[?!]$/, '')
    .trim();
}

function cleanTypeText(text: string): string {
  return text
    .replace(/^:(?!:)\s*/, '')
    .replace(/^->\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function stripQuotes(text: string): string {
  return text.replace(/^["'`]|["'`]$/g, '');
}

function signatureOf(
  text: string,
  startIndex: number,
  endIndex: number,
  body: Node | undefined,
  value: Node | undefined,
): string {
  const end = body && body.startIndex > startIndex ? body.startIndex : value ? value.startIndex : endIndex;
  let header = text.slice(startIndex, Math.min(end, startIndex + SIGNATURE_LIMIT * 2));
  if (!body && !value) header = header.split('\n')[0] ?? header;
  header = header
    .replace(/\s+/g, ' ')
    .replace(/[\s{:=;]+$/, '')
    .trim();
  return header.length > SIGNATURE_LIMIT ? `${header.slice(0, SIGNATURE_LIMIT)}…` : header;
}

function snippetOf(text: string, startIndex: number, endIndex: number): string {
  const length = endIndex - startIndex;
  const snippet = text.slice(startIndex, startIndex + Math.min(length, SNIPPET_LIMIT));
  return length > SNIPPET_LIMIT ? `${snippet}…` : snippet;
}

function isComment(node: Node): boolean {
  const type = node.type;
  return type === 'comment' || type === 'line_comment' || type === 'block_comment';
}
