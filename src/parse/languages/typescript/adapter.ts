/**
 * @module parse/languages/typescript/adapter
 * TypeScript and TSX (and, through JAVASCRIPT_ADAPTER, JavaScript): what is exported, and JSDoc comments.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';

function isExported(node: Node): boolean {
  let current: Node | null = node;
  // A declaration is exported when it sits in an `export` statement, directly or through
  // its variable declaration (`export const a = …`).
  for (let depth = 0; current && depth < 3; depth++) {
    if (current.type === 'export_statement') return true;
    current = current.parent;
  }
  return false;
}

function docFromComment(text: string): string | undefined {
  if (!text.startsWith('/**') && !text.startsWith('//')) return undefined;
  return text
    .split('\n')
    .map((line) => line.trim().replace(/^\/\*\*?/, '').replace(/\*\/$/, '').replace(/^\*\s?/, '').replace(/^\/\/\s?/, ''))
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
