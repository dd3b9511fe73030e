/**
 * @module parse/language
 * What the parse layer knows of a language: its grammar, file extensions, query file and a small adapter
 * for the syntax that queries cannot express alone (nested import trees, export rules, docstrings).
 */
import type { Node } from 'web-tree-sitter';
import type { SyntaxImport } from './syntax.js';

/**
 * Where a grammar comes from. `@vscode/tree-sitter-wasm` (VS Code's builds, newer and about 3 times faster to
 * parse here) has every language but C, which comes from `tree-sitter-wasms`.
 */
export interface GrammarRef {
  readonly package: '@vscode/tree-sitter-wasm' | 'tree-sitter-wasms';
  readonly name: string;
}

/** How much of the ASG a language gets. */
export type SupportLevel = 'full' | 'basic';

/** Hooks a language may add to the query-driven extraction. Every hook is optional. */
export interface LanguageAdapter {
  /** Names that mean the current object (`this`, `self`). */
  readonly selfNames: readonly string[];
  /** Names that mean the base class (`super`; C# `base`). Default: `super`. */
  readonly superNames?: readonly string[];
  /** Turns an `@import` capture into import records, when the query's sub-captures are not enough. */
  importsOf?(node: Node): SyntaxImport[];
  /** Whether a declaration is visible to other modules. The default: every top-level declaration is. */
  isExported?(node: Node, name: string, topLevel: boolean): boolean;
  /** A doc comment that lives inside the declaration (Python docstrings). */
  innerDoc?(node: Node): string | undefined;
  /** Cleans a comment's text into doc text, or returns undefined when it is not a doc comment. */
  docFromComment?(text: string): string | undefined;
}

/** A language the registry knows. */
export interface LanguageSpec {
  /** Stable id, used in stores and on the wire: `typescript`, `tsx`, `python`… */
  readonly id: string;
  readonly displayName: string;
  /** The grammar's wasm file: its package and base name (`tree-sitter-<name>.wasm`). */
  readonly grammar: GrammarRef;
  /** The folders under `parse/languages/` whose `queries.scm` files, joined, make the language's query. */
  readonly queryDirs: readonly string[];
  readonly extensions: readonly string[];
  /** Interpreter names that select this language from a `#!` line. */
  readonly shebangs: readonly string[];
  readonly support: SupportLevel;
  readonly adapter: LanguageAdapter;
}
