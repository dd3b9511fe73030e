/**
 * @module parse/node-range
 * Converts tree-sitter positions to editor ranges.
 */
import type { Node } from 'web-tree-sitter';
import type { Range } from '../base/index.js';

/** The range of a node, in zero-based lines and UTF-16 columns. */
export function nodeRange(node: Node): Range {
  const start = node.startPosition;
  const end = node.endPosition;
  return {
    start: { line: start.row, character: start.column },
    end: { line: end.row, character: end.column },
  };
}
