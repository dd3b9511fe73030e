/**
 * @module parse/languages/c/adapter
 * C and C++: `#include` paths (and C++ `using` declarations) as imports, doc comments, `static` (file-local)
 * declarations, and the doc comment of a template, which sits above the `template <…>` line rather than
 * above the declaration.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport } from '../../syntax.js';

/** `#include <a/b.h>` and `#include "b.h"`: the path without its delimiters, importing everything. */
function includeImports(node: Node): SyntaxImport[] {
  const path = node.childForFieldName('path');
  if (!path) return [];
  const source = path.text.replace(/^[<"]/, '').replace(/[>"]$/, '').trim();
  if (!source) return [];
  return [{ range: nodeRange(node), source, bindings: [{ imported: '*', local: '*' }], reexport: false }];
}

/** Splits `a::b::c` into its scope `a::b` and last name `c`. */
function splitQualified(text: string): { scope: string; name: string } {
  const clean = text.replace(/\s+/g, '').replace(/^::/, '');
  const cut = clean.lastIndexOf('::');
  return cut < 0 ? { scope: '', name: clean } : { scope: clean.slice(0, cut), name: clean.slice(cut + 2) };
}

/**
 * C++ `using a::b;` binds `b` from `a`; `using namespace a;` imports all of `a`;
 * `namespace x = a::b;` binds `x` to all of `a::b`.
 */
function usingImports(node: Node): SyntaxImport[] {
  const range = nodeRange(node);
  if (node.type === 'namespace_alias_definition') {
    const alias = node.childForFieldName('name')?.text;
    const target = node.namedChildren.find(
      (c) => c !== null && c.type !== 'namespace_identifier' && c.type !== 'comment',
    );
    const source = (target ?? node.namedChildren.at(-1))?.text.replace(/\s+/g, '').replace(/^::/, '');
    if (!alias || !source || source === alias) return [];
    return [{ range, source, bindings: [{ imported: '*', local: alias }], reexport: false }];
  }
  const target = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
  if (!target) return [];
  const isNamespace = node.children.some((c) => c?.type === 'namespace');
  if (isNamespace) {
    const source = target.text.replace(/\s+/g, '').replace(/^::/, '');
    return [{ range, source, bindings: [{ imported: '*', local: '*' }], reexport: false }];
  }
  const { scope, name } = splitQualified(target.text);
  if (!scope) return [];
  return [{ range, source: scope, bindings: [{ imported: name, local: name }], reexport: false }];
}

/** `/** … *\/`, `/*! … *\/`, `///` and `//` comments are docs; plain `/* … *\/` comments are not. */
function docFromComment(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('/*') && !trimmed.startsWith('/**') && !trimmed.startsWith('/*!')) return undefined;
  const doc = text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\/\*[*!]?/, '')
        .replace(/\*\/$/, '')
        .replace(/^\*\s?/, '')
        .replace(/^\/\/[/!]?\s?/, '')
        .trimEnd(),
    )
    .join('\n')
    .trim();
  return doc || undefined;
}

/**
 * Definitions that the grammar never puts directly in a `template_declaration` (parameters, enumerators,
 * declarators and their names, namespaces, macros, typedefs, lambdas): their template doc is known to be none without
 * walking up the tree (which starts from the root).
 */
const NEVER_TEMPLATED: ReadonlySet<string> = new Set([
  'parameter_declaration',
  'optional_parameter_declaration',
  'variadic_parameter_declaration',
  'enumerator',
  'identifier',
  'field_identifier',
  'init_declarator',
  'pointer_declarator',
  'reference_declarator',
  'array_declarator',
  'function_declarator',
  'lambda_expression',
  'namespace_definition',
  'preproc_def',
  'preproc_function_def',
  'type_definition',
]);

/** The doc comment above `template <…>` for the declaration the template wraps. */
function templateDoc(node: Node): string | undefined {
  if (NEVER_TEMPLATED.has(node.type)) return undefined;
  let anchor = node;
  while (anchor.parent?.type === 'template_declaration') anchor = anchor.parent;
  if (anchor === node) return undefined;
  const parts: string[] = [];
  let row = anchor.startPosition.row;
  let previous = anchor.previousNamedSibling;
  while (previous?.type === 'comment' && previous.endPosition.row === row - 1) {
    parts.unshift(previous.text);
    row = previous.startPosition.row;
    previous = previous.previousNamedSibling;
  }
  return parts.length > 0 ? docFromComment(parts.join('\n')) : undefined;
}

/** Top-level declarations are visible to other files unless they are `static`. */
function isExported(node: Node, _name: string, topLevel: boolean): boolean {
  if (!topLevel) return false;
  const declaration = node.parent?.type === 'declaration' && node.type !== 'declaration' ? node.parent : node;
  return !declaration.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
}

export const C_ADAPTER: LanguageAdapter = {
  selfNames: [],
  importsOf: includeImports,
  isExported,
  docFromComment,
};

export const CPP_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  importsOf(node: Node): SyntaxImport[] {
    return node.type === 'preproc_include' ? includeImports(node) : usingImports(node);
  },
  isExported,
  innerDoc: templateDoc,
  docFromComment,
};
