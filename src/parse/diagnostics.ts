/**
 * @module parse/diagnostics
 * Turns tree-sitter ERROR and MISSING nodes into diagnostics. Walks only the subtrees that contain errors,
 * iteratively, so deeply nested input cannot overflow the stack.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Diagnostic } from '../base/index.js';
import { nodeRange } from './node-range.js';

/** At most this many syntax diagnostics per file; the rest are summarised in one. */
const MAX_DIAGNOSTICS = 20;

/** The syntax errors of a tree, as diagnostics. */
export function collectSyntaxDiagnostics(tree: Tree, path: string): Diagnostic[] {
  const root = tree.rootNode;
  if (!root.hasError) return [];
  const diagnostics: Diagnostic[] = [];
  let extra = 0;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      if (diagnostics.length < MAX_DIAGNOSTICS) {
        const what = node.isMissing ? `missing ${node.type}` : `unexpected ${describe(node)}`;
        diagnostics.push({
          severity: 'error',
          code: 'PARSE_SYNTAX_ERROR',
          message: `Syntax error: ${what}`,
          path,
          range: nodeRange(node),
        });
      } else {
        extra++;
      }
      if (node.isMissing) continue;
    }
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child && (child.hasError || child.isMissing)) stack.push(child);
    }
  }
  if (extra > 0) {
    diagnostics.push({
      severity: 'error',
      code: 'PARSE_SYNTAX_ERROR',
      message: `${extra} more syntax errors`,
      path,
    });
  }
  return diagnostics;
}

function describe(node: Node): string {
  const text = node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text;
  return text.trim() === '' ? 'input' : JSON.stringify(text.replace(/\s+/g, ' '));
}
