/**
 * @module parse/languages/typescript/adapter
 * TypeScript and TSX (and, through JAVASCRIPT_ADAPTER, JavaScript): what is exported, and JSDoc comments.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';

function isExported(node: Node): boolean {
  // A declaration is exported when it sits in an `export` statement, directly or through its variable
  // declaration (`export const a = …`, `export const f = () => …`). Class members are not.
  let current: Node | null = node.parent;
  if (
    node.type === 'arrow_function' ||
    node.type === 'function_expression' ||
    node.type === 'generator_function'
  ) {
    current = current?.type === 'variable_declarator' ? current.parent : null;
  }
  while (
    current &&
    (current.type === 'variable_declarator' ||
      current.type === 'lexical_declaration' ||
      current.type === 'variable_declaration')
  ) {
    current = current.parent;
  }
  return current?.type === 'export_statement';
}

function docFromComment(text: string): string | undefined {
  if (!text.startsWith('/**') && !text.startsWith('//')) return undefined;
  return text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\/\*\*?/, '')
        .replace(/\*\/$/, '')
        .replace(/^\*\s?/, '')
        .replace(/^\/\/\s?/, ''),
    )
    .join('\n')
    .trim();
}

export const TYPESCRIPT_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  isExported: (node: Node) => isExported(node),
  docFromComment,
};

export const JAVASCRIPT_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  // CommonJS files export through `module.exports`, which the queries list as export names.
  isExported: (node: Node) => isExported(node),
  docFromComment,
};
