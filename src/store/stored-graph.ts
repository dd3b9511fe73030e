/**
 * @module store/stored-graph
 * The ASG of an index: its structure in memory (compressed sparse rows, loaded once, or a live snapshot's),
 * node details read from LMDB on demand, all from one read transaction, so that every answer comes from one
 * generation.
 */
import { AsgQueries, findSymbolsIn, rankSymbols, SYMBOL_KINDS, symbolPattern } from '../graph/index.js';
import type { AsgEdge, AsgNode, CsrGraph, EdgeKind, NodeId } from '../graph/index.js';
import type { IndexReader } from './index-store.js';

export class StoredGraph extends AsgQueries {
  readonly csr: CsrGraph;
  readonly #reader: IndexReader;
  readonly #cache = new Map<NodeId, AsgNode | undefined>();
  #names: Map<string, number[]> | undefined;

  constructor(reader: IndexReader, csr: CsrGraph) {
    super();
    this.#reader = reader;
    this.csr = csr;
  }

  get nodeCount(): number {
    return this.csr.nodeCount;
  }

  get edgeCount(): number {
    return this.csr.edgeCount;
  }

  node(id: NodeId): AsgNode | undefined {
    if (this.#cache.has(id)) return this.#cache.get(id);
    // The file comes from this graph's structure, not the stored one (a live snapshot is ahead of it).
    const index = this.csr.indexOf(id);
    const node = index >= 0 ? this.#reader.nodeIn(this.csr.pathOf(index), id) : undefined;
    if (this.#cache.size > 50_000) this.#cache.clear();
    this.#cache.set(id, node);
    return node;
  }

  outgoing(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    return this.csr.outgoing(id, kind);
  }

  incoming(id: NodeId, kind?: EdgeKind): AsgEdge[] {
    return this.csr.incoming(id, kind);
  }

  findSymbols(name: string): AsgNode[] {
    return findSymbolsIn((n) => this.#named(n), name);
  }

  #named(name: string): AsgNode[] {
    return (this.#nameIndex().get(name) ?? [])
      .map((i) => this.node(this.csr.arrays.ids[i]!))
      .filter((n): n is AsgNode => n !== undefined);
  }

  /** Symbol name → node indexes of this structure, built on first use. */
  #nameIndex(): Map<string, number[]> {
    if (this.#names) return this.#names;
    const names = new Map<string, number[]>();
    const { names: nodeNames, nodeFile } = this.csr.arrays;
    for (let i = 0; i < nodeNames.length; i++) {
      if (nodeFile[i] === -1 || !SYMBOL_KINDS.has(this.csr.kindOf(i))) continue;
      const name = nodeNames[i]!;
      const list = names.get(name);
      if (list) list.push(i);
      else names.set(name, [i]);
    }
    this.#names = names;
    return names;
  }

  searchSymbols(pattern: string, limit = 200): AsgNode[] {
    const regex = symbolPattern(pattern);
    // `Class.meth*`: names are matched by the last part, qualified names by the whole pattern.
    const dot = pattern.lastIndexOf('.');
    const last = dot >= 0 ? symbolPattern(pattern.slice(dot + 1) || '*') : regex;
    const found: AsgNode[] = [];
    for (const name of this.#nameIndex().keys()) {
      const nameMatches = regex.test(name);
      if (!nameMatches && !last.test(name)) continue;
      for (const node of this.#named(name)) {
        if (node.kind === 'parameter') continue;
        if (nameMatches || regex.test(node.qualifiedName)) found.push(node);
      }
      if (found.length > limit * 20) break;
    }
    return rankSymbols(found, pattern, limit);
  }

  nodeIds(path?: string): NodeId[] {
    const { ids, files, nodeFile } = this.csr.arrays;
    if (path === undefined) return [...ids];
    const { outStart, edgeTarget } = this.csr.arrays;
    const file = files.indexOf(path);
    if (file < 0) return [];
    const found: NodeId[] = [];
    const shared = new Set<number>();
    for (let i = 0; i < ids.length; i++) {
      if (nodeFile[i] !== file) continue;
      found.push(ids[i]!);
      // The shared type nodes the file's nodes point to.
      for (let e = outStart[i]!; e < outStart[i + 1]!; e++) {
        const target = edgeTarget[e]!;
        if (nodeFile[target] === -1) shared.add(target);
      }
    }
    for (const node of [...shared].sort((a, b) => a - b)) found.push(ids[node]!);
    return found;
  }
}
