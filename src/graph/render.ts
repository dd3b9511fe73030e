/**
 * @module graph/render
 * Renderings of an ASG slice for people: an indented outline in the spirit of the seed's
 * `Function: add / Parameter: a / Returns: …` example, and a Mermaid flowchart.
 */
import { mermaidEscape } from '../parse/index.js';
import type { GraphSlice } from './asg.js';
import type { AsgEdge, AsgNode, NodeId, NodeKind } from './types.js';

const STRUCTURE = new Set(['contains', 'defines', 'has_parameter', 'returns']);
const LABEL: Record<NodeKind, string> = {
  module: 'Module',
  namespace: 'Namespace',
  class: 'Class',
  interface: 'Interface',
  struct: 'Struct',
  enum: 'Enum',
  trait: 'Trait',
  function: 'Function',
  method: 'Method',
  parameter: 'Parameter',
  variable: 'Variable',
  field: 'Field',
  constant: 'Constant',
  type_alias: 'TypeAlias',
  type: 'Type',
  import: 'Import',
  call_site: 'Call',
  return_value: 'Returns',
};

function title(node: AsgNode): string {
  if (node.kind === 'call_site') return `Call: ${node.name}(…)`;
  if (node.kind === 'return_value') return `Returns${node.typeText ? `: ${node.typeText}` : ''}`;
  if (node.kind === 'import') return `Import: ${node.signature ?? node.name}`;
  const type =
    node.typeText && node.kind !== 'function' && node.kind !== 'method' ? `: ${node.typeText}` : '';
  return `${LABEL[node.kind]}: ${node.name}${type}`;
}

function shortName(node: AsgNode | undefined): string {
  if (!node) return '?';
  if (node.kind === 'call_site') return `call ${node.name}(…) @${node.range.start.line + 1}`;
  if (node.kind === 'return_value') return `${node.qualifiedName.replace(/\.<return>$/, '')} return`;
  if (node.kind === 'type') return `type ${node.name}`;
  return `${node.kind} ${node.qualifiedName}${node.path ? ` (${node.path}:${node.range.start.line + 1})` : ''}`;
}

function relation(edge: AsgEdge, other: AsgNode | undefined, incoming: boolean): string {
  const confidence = edge.ambiguous ? ` [ambiguous ${(edge.confidence ?? 0).toFixed(2)}]` : '';
  return `${incoming ? '← ' : '→ '}${edge.kind}${incoming ? ' from' : ''} ${shortName(other)}${confidence}`;
}

/** An indented outline: declarations nested as they are in the code, with their semantic edges. */
export function renderAsgText(slice: GraphSlice): string {
  const nodes = new Map(slice.nodes.map((n) => [n.id, n]));
  const children = new Map<NodeId, AsgNode[]>();
  const hasParent = new Set<NodeId>();
  const out = new Map<NodeId, AsgEdge[]>();
  const incoming = new Map<NodeId, AsgEdge[]>();
  for (const edge of slice.edges) {
    if (STRUCTURE.has(edge.kind)) {
      const child = nodes.get(edge.target);
      if (child && !hasParent.has(child.id)) {
        hasParent.add(child.id);
        const list = children.get(edge.source) ?? [];
        list.push(child);
        children.set(edge.source, list);
      }
    } else {
      (out.get(edge.source) ?? out.set(edge.source, []).get(edge.source)!).push(edge);
      if (edge.kind === 'data_flow' || edge.kind === 'calls')
        (incoming.get(edge.target) ?? incoming.set(edge.target, []).get(edge.target)!).push(edge);
    }
  }
  const lines: string[] = [];
  const roots = slice.nodes.filter((n) => !hasParent.has(n.id) && n.kind !== 'type');
  roots.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line);
  const stack: { node: AsgNode; depth: number }[] = roots.reverse().map((node) => ({ node, depth: 0 }));
  const printed = new Set<NodeId>();
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (printed.has(node.id)) continue;
    printed.add(node.id);
    const indent = '  '.repeat(depth);
    if (depth === 0 && lines.length > 0) lines.push('------');
    const where = node.path ? `  (${node.path}:${node.range.start.line + 1})` : '';
    lines.push(`${indent}${title(node)}${depth === 0 ? where : ''}`);
    for (const edge of out.get(node.id) ?? [])
      lines.push(`${indent}  ${relation(edge, nodes.get(edge.target), false)}`);
    for (const edge of incoming.get(node.id) ?? []) {
      if (edge.kind === 'data_flow') lines.push(`${indent}  ${relation(edge, nodes.get(edge.source), true)}`);
    }
    const kids = (children.get(node.id) ?? [])
      .slice()
      .sort(
        (a, b) =>
          a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
      );
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, depth: depth + 1 });
  }
  return lines.join('\n');
}

const SHAPES: Partial<Record<NodeKind, [string, string]>> = {
  module: ['[/', '/]'],
  class: ['[[', ']]'],
  interface: ['[[', ']]'],
  struct: ['[[', ']]'],
  trait: ['[[', ']]'],
  enum: ['[[', ']]'],
  function: ['[', ']'],
  method: ['[', ']'],
  parameter: ['([', '])'],
  variable: ['([', '])'],
  field: ['([', '])'],
  constant: ['([', '])'],
  call_site: ['((', '))'],
  return_value: ['>', ']'],
  type: ['{{', '}}'],
  import: ['[/', '\\]'],
};

/** A Mermaid `flowchart LR`: one shape per node kind, edges labelled with their kind. */
export function renderAsgMermaid(slice: GraphSlice, maxNodes = 200): string {
  const lines = ['flowchart LR'];
  const ids = new Map<NodeId, string>();
  for (const node of slice.nodes.slice(0, maxNodes)) {
    const id = `n${ids.size}`;
    ids.set(node.id, id);
    const [open, close] = SHAPES[node.kind] ?? ['[', ']'];
    lines.push(`  ${id}${open}"${mermaidEscape(title(node))}"${close}`);
  }
  for (const edge of slice.edges) {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    if (!source || !target) continue;
    const arrow = edge.ambiguous ? '-.->' : edge.kind === 'data_flow' ? '==>' : '-->';
    lines.push(`  ${source} ${arrow}|${edge.kind}| ${target}`);
  }
  if (slice.nodes.length > maxNodes) lines.push(`  %% ${slice.nodes.length - maxNodes} more nodes not shown`);
  return lines.join('\n');
}
