/**
 * @module parse/syntax
 * The language-neutral summary of one file that the parse layer extracts from a tree-sitter tree with the
 * language's queries. It is plain data (it crosses worker threads by structured clone) and the only thing the
 * graph layer sees of syntax.
 */
import type { Diagnostic, Range } from '../base/index.js';

/** The kinds of declaration a query can capture as `@definition.<kind>`. */
export const DEF_KINDS = [
  'module',
  'namespace',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'impl',
  'function',
  'method',
  'lambda',
  'parameter',
  'variable',
  'field',
  'constant',
  'type_alias',
] as const;
export type DefKind = (typeof DEF_KINDS)[number];

/** Kinds that open a scope: names declared inside them belong to them. */
export const SCOPE_KINDS: ReadonlySet<DefKind> = new Set<DefKind>([
  'module',
  'namespace',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'impl',
  'function',
  'method',
  'lambda',
]);

/** A declaration. `parent` is the index of the innermost enclosing scope declaration, or -1 for the file. */
export interface SyntaxDef {
  kind: DefKind;
  name: string;
  range: Range;
  nameRange: Range;
  startIndex: number;
  endIndex: number;
  parent: number;
  /** The header of the declaration: its text up to the body, whitespace collapsed. */
  signature: string;
  doc?: string;
  /** Declared type of a variable, field or parameter. */
  typeText?: string;
  returnTypeText?: string;
  /** Names in `extends` / `implements` clauses (or Python base classes, Rust trait of an impl). */
  extends: string[];
  implements: string[];
  /** The type a method belongs to when it is declared outside it (Go receivers, Rust impl blocks). */
  receiverType?: string;
  /** The constructor called in the initializer (`new X()`, `X()`), for receiver typing. */
  initType?: string;
  exported: boolean;
  decorators: string[];
  snippet: string;
}

/** The receiver of a member call `recv.name(…)`. */
export interface SyntaxReceiver {
  /** `this`/`self`, `super`, a plain name, `this.field`, a new instance (`new X()`, `X()`), or any other expression. */
  kind: 'this' | 'super' | 'name' | 'this-member' | 'new' | 'expr';
  /** The identifier for `name`, the field for `this-member`, the class for `new`. */
  name?: string;
  text: string;
}

/** The sources of a value: identifiers read directly and calls whose results are used directly. */
export interface SyntaxFlow {
  identifiers: { name: string; range: Range }[];
  /** Indexes into {@link FileSyntax.calls}. */
  calls: number[];
}

export interface SyntaxCall {
  range: Range;
  /** Where the called name is written. */
  nameRange: Range;
  startIndex: number;
  endIndex: number;
  /** The called name: the last segment of the callee (`b` in `a.b()`, `X` in `new X()`). */
  name: string;
  calleeText: string;
  receiver?: SyntaxReceiver;
  isNew: boolean;
  args: SyntaxFlow[];
  /** Index of the innermost enclosing scope declaration, or -1. */
  scope: number;
}

export interface SyntaxRef {
  name: string;
  range: Range;
  scope: number;
  /** `value` for an identifier read, `type` for a type name. */
  role: 'value' | 'type';
}

export interface SyntaxAssign {
  scope: number;
  name: string;
  /** Whether the left side is `this.name`/`self.name` (a field write). */
  member: boolean;
  range: Range;
  value: SyntaxFlow;
}

export interface SyntaxReturn {
  scope: number;
  range: Range;
  value: SyntaxFlow;
}

/** One name an import binds. `imported` is `*` for a namespace or module, `default` for a default import. */
export interface SyntaxImportBinding {
  imported: string;
  local: string;
}

export interface SyntaxImport {
  range: Range;
  /** The innermost enclosing scope declaration (function-local imports), or -1. */
  scope?: number;
  /** The module as written (`./x`, `a.b`, `crate::a`, `github.com/x/y`). */
  source: string;
  bindings: SyntaxImportBinding[];
  /** Whether this re-exports (`export … from`). */
  reexport: boolean;
}

/** Everything the graph layer needs from one file. */
export interface FileSyntax {
  path: string;
  language: string;
  /** The package or namespace the file declares (Go `package`, Java `package`, C# namespace). */
  packageName?: string;
  defs: SyntaxDef[];
  calls: SyntaxCall[];
  refs: SyntaxRef[];
  assigns: SyntaxAssign[];
  returns: SyntaxReturn[];
  imports: SyntaxImport[];
  /** Names listed in export clauses without a source (`export { a, b as c }`): local → exported. */
  exportNames: { local: string; exported: string }[];
  lineCount: number;
  diagnostics: Diagnostic[];
}
