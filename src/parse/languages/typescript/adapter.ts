/**
 * @module parse/languages/typescript/adapter
 * TypeScript and TSX (and, through JAVASCRIPT_ADAPTER, JavaScript): what is exported, and JSDoc comments.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';

function isExported(node: Node): boolean {
  // A declaration is exported when it sits in an `export` statement, directly or through its variable
  // declaration (`export const a = …`, `export const f = () => …`). Class members are not.
  // (Each `type` is a call into wasm: read once per node.)
  let current: Node | null = node.parent;
  const type = node.type;
  if (type === 'arrow_function' || type === 'function_expression' || type === 'generator_function') {
    current = current?.type === 'variable_declarator' ? current.parent : null;
  }
  let currentType = current?.type;
  while (
    current &&
    (currentType === 'variable_declarator' ||
      currentType === 'lexical_declaration' ||
      currentType === 'variable_declaration')
  ) {
    current = current.parent;
    currentType = current?.type;
  }
  return currentType === 'export_statement';
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
