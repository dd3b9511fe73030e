/**
 * @module parse/ast-view
 * The syntax tree of a file for people and tools (`rtc ast`): an indented text with field names, JSON, or a
 * Mermaid flowchart. Walks iteratively with depth and size limits, so that no input can overflow the stack
 * or flood the terminal.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../base/index.js';
import { nodeRange } from './node-range.js';

/** One node of the syntax tree as JSON. Only named nodes are kept; leaves carry their text. */
export interface AstNodeJson {
  type: string;
  field?: string;
  range: Range;
  text?: string;
  error?: true;
  children?: AstNodeJson[];
}

export interface AstViewOptions {
  /** Deeper nodes are cut off (default 400). */
  maxDepth?: number;
  /** At most this many nodes are shown (default 50,000). */
  maxNodes?: number;
}

export interface AstView {
  root: AstNodeJson;
  nodeCount: number;
  truncated: boolean;
}

const LEAF_TEXT_LIMIT = 60;

/** Builds the JSON view of a tree: named nodes with their field names. */
export function buildAstView(tree: Tree, options: AstViewOptions = {}): AstView {
  const maxDepth = options.maxDepth ?? 400;
  const maxNodes = options.maxNodes ?? 50_000;
  const root = toJson(tree.rootNode, undefined);
  let nodeCount = 1;
  let truncated = false;
  const stack: { node: Node; json: AstNodeJson; depth: number }[] = [
    { node: tree.rootNode, json: root, depth: 0 },
  ];
  while (stack.length > 0) {
    const { node, json, depth } = stack.pop()!;
    if (node.namedChildCount === 0) continue;
    if (depth >= maxDepth || nodeCount >= maxNodes) {
      truncated = true;
      continue;
    }
    const children: AstNodeJson[] = [];
    const pending: { node: Node; json: AstNodeJson; depth: number }[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      if (!child || (!child.isNamed && !child.isMissing)) continue;
      if (nodeCount >= maxNodes) {
        truncated = true;
        break;
      }
      const childJson = toJson(child, node.fieldNameForChild(i) ?? undefined);
      nodeCount++;
      children.push(childJson);
      pending.push({ node: child, json: childJson, depth: depth + 1 });
    }
    json.children = children;
    for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]!);
  }
  return { root, nodeCount, truncated };
}

function toJson(node: Node, field: string | undefined): AstNodeJson {
  const json: AstNodeJson = {
    type: node.isMissing ? `MISSING ${node.type}` : node.type,
    range: nodeRange(node),
  };
  if (field) json.field = field;
  if (node.isError || node.isMissing) json.error = true;
  if (node.namedChildCount === 0) {
    const text = node.text;
    json.text = text.length > LEAF_TEXT_LIMIT ? `${text.slice(0, LEAF_TEXT_LIMIT)}…` : text;
  }
  return json;
}

/** Visits a JSON tree depth-first without recursion. */
function walk(
  root: AstNodeJson,
  visit: (node: AstNodeJson, depth: number, parent: AstNodeJson | undefined) => void,
): void {
  const stack: { node: AstNodeJson; depth: number; parent: AstNodeJson | undefined }[] = [
    { node: root, depth: 0, parent: undefined },
  ];
  while (stack.length > 0) {
    const { node, depth, parent } = stack.pop()!;
    visit(node, depth, parent);
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i]!, depth: depth + 1, parent: node });
  }
}

/** The indented text form: `name: identifier "add"`, one node per line. */
export function renderAstText(view: AstView): string {
  const lines: string[] = [];
  walk(view.root, (node, depth) => {
    const field = node.field ? `${node.field}: ` : '';
    const text = node.text !== undefined ? ` ${JSON.stringify(node.text)}` : '';
    const where = ` [${node.range.start.line + 1}:${node.range.start.character}]`;
    lines.push(
      `${'  '.repeat(depth)}${field}${node.type}${text}${node.error ? ' (error)' : ''}${depth === 0 ? where : ''}`,
    );
  });
  if (view.truncated) lines.push(`… truncated after ${view.nodeCount} nodes (use --max-nodes / --max-depth)`);
  return lines.join('\n');
}

/** A Mermaid `flowchart TD` of the tree; edges are labelled with field names. */
export function renderAstMermaid(view: AstView, maxNodes = 300): string {
  const lines = ['flowchart TD'];
  const ids = new Map<AstNodeJson, string>();
  let count = 0;
  let cut = false;
  walk(view.root, (node, _depth, parent) => {
    if (count >= maxNodes) {
      cut = true;
      return;
    }
    if (parent && !ids.has(parent)) return;
    const id = `n${count++}`;
    ids.set(node, id);
    const label = node.text !== undefined ? `${node.type}: ${node.text}` : node.type;
    lines.push(`  ${id}["${mermaidEscape(label)}"]`);
    if (node.error) lines.push(`  style ${id} stroke:#e06060,stroke-width:2px`);
    if (parent) {
      const parentId = ids.get(parent)!;
      lines.push(
        node.field ? `  ${parentId} -->|${mermaidEscape(node.field)}| ${id}` : `  ${parentId} --> ${id}`,
      );
    }
  });
  if (cut || view.truncated) lines.push(`  %% truncated after ${count} nodes`);
  return lines.join('\n');
}

/** Escapes text for a quoted Mermaid label. */
export function mermaidEscape(text: string): string {
  return text
    .replace(/"/g, '#quot;')
    .replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '#124;');
}
