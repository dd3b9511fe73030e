/**
 * @module parse/languages/ruby/adapter
 * Ruby: `require`/`require_relative`/`load` calls as imports, `#` doc comments, and what is visible from
 * other files (top-level declarations, and classes, modules and constants wherever they are nested).
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport } from '../../syntax.js';

/** `require 'a/b'`: the required path as written, importing everything. Interpolated paths are skipped. */
function requireImports(node: Node): SyntaxImport[] {
  const string = node
    .childForFieldName('arguments')
    ?.namedChildren.find((c) => c !== null && c.type !== 'comment');
  if (
    string?.type !== 'string' ||
    string.namedChildren.some((c) => c !== null && c.type !== 'string_content')
  )
    return [];
  const source = string.namedChildren[0]?.text ?? '';
  if (!source) return [];
  return [{ range: nodeRange(node), source, bindings: [{ imported: '*', local: '*' }], reexport: false }];
}

function isExported(node: Node, _name: string, topLevel: boolean): boolean {
  if (topLevel || node.type === 'class' || node.type === 'module') return true;
  return node.type === 'assignment' && node.childForFieldName('left')?.type === 'constant';
}

/** `#` comments; `#!` lines and magic comments (`# frozen_string_literal: true`) are not docs. */
function docFromComment(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim());
  if (lines.some((line) => !line.startsWith('#') || line.startsWith('#!'))) return undefined;
  if (
    lines.length === 1 &&
    /^#\s*[\w-]+:\s*\S+$/.test(lines[0]!) &&
    /coding|frozen_string_literal|warn_indent|shareable_constant_value/.test(lines[0]!)
  ) {
    return undefined;
  }
  const doc = lines
    .map((line) => line.replace(/^#\s?/, ''))
    .join('\n')
    .trim();
  return doc || undefined;
}

export const RUBY_ADAPTER: LanguageAdapter = {
  selfNames: ['self'],
  importsOf: requireImports,
  isExported,
  docFromComment,
};
