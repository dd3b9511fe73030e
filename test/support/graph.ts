/**
 * @module test/support/graph
 * Builds an ASG from in-memory sources with the real grammars, and helpers to name nodes and edges readably.
 */
import { assembleAsg, buildFileGraph, emptyProjectConfig } from '../../src/graph/index.js';
import type { Asg, AsgEdge, AsgNode, ProjectConfig } from '../../src/graph/index.js';
import { extractFile } from './parser.js';

/** The ASG of a set of files given as `path → text`. */
export async function asgOf(
  files: Record<string, string>,
  config: ProjectConfig = emptyProjectConfig(),
): Promise<Asg> {
  const graphs = [];
  for (const [path, text] of Object.entries(files))
    graphs.push(buildFileGraph(await extractFile(path, text)));
  return assembleAsg(graphs, config).asg;
}

/** `kind qualifiedName`, or for call sites `call callee@line`. */
export function label(node: AsgNode | undefined): string {
  if (!node) return '?';
  if (node.kind === 'call_site') return `call ${node.name}@${node.range.start.line + 1}`;
  return `${node.kind} ${node.qualifiedName}`;
}

/** Every edge of some kinds as `source -kind-> target` strings, sorted. */
export function edgesOf(asg: Asg, ...kinds: AsgEdge['kind'][]): string[] {
  return asg.edges
    .filter((e) => kinds.length === 0 || kinds.includes(e.kind))
    .map(
      (e) =>
        `${label(asg.nodes.get(e.source))} -${e.kind}${e.ambiguous ? '?' : ''}-> ${label(asg.nodes.get(e.target))}`,
    )
    .sort();
}

/** The one node with this kind and qualified name. */
export function nodeOf(asg: Asg, kind: string, qualifiedName: string): AsgNode {
  const found = [...asg.nodes.values()].filter((n) => n.kind === kind && n.qualifiedName === qualifiedName);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${qualifiedName}, found ${found.length}`);
  return found[0]!;
}
