/**
 * @module interfaces/http/web/graph
 * Graphs of the page drawn with cytoscape (window.cytoscape, from /assets/vendor/cytoscape.min.js): nodes
 * coloured and shaped by kind, edges coloured and labelled by kind, a tooltip with the signature and doc of
 * the node under the pointer, the legend, and the grouping of a neighbourhood's edges for the filters
 * (callers, callees, types, data flow, references, structure).
 */
/* global window */
import { $, h } from './dom.js';

// Colours of node and edge kinds (src/graph/types.ts NODE_KINDS and EDGE_KINDS).
export const NODE_COLOURS = {
  module: '#7f8c8d',
  namespace: '#95a5a6',
  class: '#e67e22',
  interface: '#f1c40f',
  struct: '#d35400',
  enum: '#c0a000',
  trait: '#b7950b',
  function: '#2e86de',
  method: '#5f27cd',
  parameter: '#a4b0be',
  variable: '#10ac84',
  field: '#1dd1a1',
  constant: '#00a3a3',
  type_alias: '#c56cf0',
  type: '#9b59b6',
  import: '#ff9f43',
  call_site: '#ee5253',
  return_value: '#27ae60',
};
export const EDGE_COLOURS = {
  calls: '#ee5253',
  references: '#2e86de',
  type_dependency: '#9b59b6',
  data_flow: '#27ae60',
  imports: '#ff9f43',
  extends: '#8e44ad',
  implements: '#16a085',
  contains: '#b2bec3',
  defines: '#b2bec3',
  has_parameter: '#a4b0be',
  returns: '#2ecc71',
};
/** The edge filters of the symbol graph; `calls` and `contains` of call sites split into callers and callees. */
export const FILTERS = [
  { id: 'callers', label: 'callers' },
  { id: 'callees', label: 'callees' },
  { id: 'types', label: 'types', kinds: ['type_dependency', 'extends', 'implements'] },
  { id: 'dataflow', label: 'data flow', kinds: ['data_flow', 'returns', 'has_parameter'] },
  { id: 'references', label: 'references', kinds: ['references', 'imports'] },
  { id: 'structure', label: 'structure', kinds: ['contains', 'defines'] },
];
/** Kinds a graph can be centred on (the others are parts of a declaration). */
export const SYMBOL_KINDS = new Set([
  'module',
  'namespace',
  'class',
  'interface',
  'struct',
  'enum',
  'trait',
  'function',
  'method',
  'variable',
  'field',
  'constant',
  'type_alias',
]);

const GRAPH_STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'background-color': 'data(colour)',
      'font-size': 10,
      color: '#222',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      width: 18,
      height: 18,
      'text-outline-color': '#fff',
      'text-outline-width': 2,
    },
  },
  {
    selector: 'node[kind = "call_site"], node[kind = "return_value"]',
    style: { shape: 'diamond', width: 12, height: 12 },
  },
  {
    selector: 'node[kind = "class"], node[kind = "interface"], node[kind = "module"]',
    style: { shape: 'round-rectangle' },
  },
  { selector: 'node[kind = "type"], node[kind = "type_alias"]', style: { shape: 'hexagon' } },
  {
    selector: 'node.centre',
    style: { width: 30, height: 30, 'border-width': 3, 'border-color': '#222', 'font-weight': 'bold' },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': 'data(colour)',
      'target-arrow-color': 'data(colour)',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      'curve-style': 'bezier',
      'font-size': 7,
      color: '#555',
      'text-rotation': 'autorotate',
      'text-background-color': '#fff',
      'text-background-opacity': 0.8,
    },
  },
  { selector: 'edge.ambiguous', style: { 'line-style': 'dashed' } },
  { selector: 'edge.labelled', style: { label: 'data(kind)' } },
  { selector: '.faded', style: { opacity: 0.25 } },
];

const shorten = (text, max = 28) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Draws nodes and edges into a container; returns the cytoscape instance. Edges are labelled with their kind;
 * in a large graph only those of the node or edge under the pointer.
 */
export function drawGraph(
  container,
  data,
  { centre = () => false, group = () => 'all', onTap, layout } = {},
) {
  const ids = new Set(data.nodes.map((n) => n.id));
  const quiet = data.edges.length > 40;
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const cy = window.cytoscape({
    container,
    elements: [
      ...data.nodes.map((n) => ({
        data: {
          id: n.id,
          label: shorten(n.name || n.qualifiedName || n.kind),
          qualifiedName: n.qualifiedName,
          kind: n.kind,
          colour: NODE_COLOURS[n.kind] ?? '#999',
        },
        classes: centre(n) ? 'centre' : '',
      })),
      ...data.edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e, i) => ({
          data: {
            id: `e${i}`,
            source: e.source,
            target: e.target,
            kind: e.kind,
            group: group(e, byId),
            colour: EDGE_COLOURS[e.kind] ?? '#888',
          },
          classes: `${e.ambiguous ? 'ambiguous' : ''} ${quiet ? '' : 'labelled'}`,
        })),
    ],
    style: GRAPH_STYLE,
    layout: layout ?? {
      name: 'cose',
      animate: false,
      nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 12000,
      idealEdgeLength: () => 60,
    },
    minZoom: 0.1,
    maxZoom: 4,
  });
  const tooltip = $('tooltip');
  tooltip.hidden = true;
  cy.on('mouseover', 'node', (event) => {
    const node = byId.get(event.target.id());
    const box = container.getBoundingClientRect();
    const pane = $('view-pane').getBoundingClientRect();
    tooltip.replaceChildren(
      h(
        'div',
        {},
        h('div', {}, h('b', {}, node.kind), ' ', node.qualifiedName),
        node.path ? h('div', { class: 'muted' }, `${node.path}:${node.range.start.line + 1}`) : null,
        node.signature ? h('pre', {}, node.signature) : null,
        node.typeText ? h('div', {}, `type ${node.typeText}`) : null,
        node.doc ? h('div', { class: 'doc' }, node.doc) : null,
      ),
    );
    const at = event.target.renderedPosition();
    tooltip.style.left = `${box.left - pane.left + at.x + 14}px`;
    tooltip.style.top = `${box.top - pane.top + at.y + 14}px`;
    tooltip.hidden = false;
    if (quiet) event.target.connectedEdges().addClass('labelled');
  });
  cy.on('mouseout', 'node', () => {
    tooltip.hidden = true;
    if (quiet) cy.edges().removeClass('labelled');
  });
  cy.on('mouseover', 'edge', (event) => {
    event.target.addClass('labelled');
  });
  cy.on('mouseout', 'edge', (event) => {
    if (quiet) event.target.removeClass('labelled');
  });
  if (onTap)
    cy.on('tap', 'node', (event) => {
      tooltip.hidden = true;
      onTap(byId.get(event.target.id()));
    });
  return cy;
}

export function renderLegend(el, data) {
  const nodeKinds = [...new Set(data.nodes.map((n) => n.kind))].sort();
  const edgeKinds = [...new Set(data.edges.map((e) => e.kind))].sort();
  el.replaceChildren(
    ...nodeKinds.map((k) =>
      h('span', { class: 'legend-node', style: `--kind:${NODE_COLOURS[k] ?? '#999'}` }, k),
    ),
    ...edgeKinds.map((k) =>
      h('span', { class: 'legend-edge', style: `--kind:${EDGE_COLOURS[k] ?? '#888'}` }, k),
    ),
  );
}

/** Which filter an edge of a neighbourhood belongs to; `callerSide` holds the nodes that lead to the centre by calls. */
export function edgeGroup(edge, byId, callerSide) {
  const callEdge =
    edge.kind === 'calls' || (edge.kind === 'contains' && byId.get(edge.target)?.kind === 'call_site');
  if (callEdge) return callerSide.has(edge.target) ? 'callers' : 'callees';
  return FILTERS.find((f) => f.kinds?.includes(edge.kind))?.id ?? 'structure';
}

/** The nodes from which the centre is reached by calls (call sites, their declarations, their callers). */
export function callerSideOf(data, centres) {
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const incoming = new Map();
  for (const e of data.edges) {
    if (e.kind !== 'calls' && !(e.kind === 'contains' && byId.get(e.target)?.kind === 'call_site')) continue;
    if (!incoming.has(e.target)) incoming.set(e.target, []);
    incoming.get(e.target).push(e.source);
  }
  const seen = new Set(centres);
  const stack = [...centres];
  while (stack.length > 0) {
    for (const source of incoming.get(stack.pop()) ?? []) {
      if (seen.has(source)) continue;
      seen.add(source);
      stack.push(source);
    }
  }
  return seen;
}
