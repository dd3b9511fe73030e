/**
 * @module store/stored-graph
 * The ASG of an index: its structure in memory (compressed sparse rows, loaded once), node details read from
 * LMDB on demand, all from one read transaction, so that every answer comes from one generation.
 */
import { AsgQueries, findSymbolsIn, rankSymbols, symbolPattern } from '../graph/index.js';
import type { AsgEdge, AsgNode, CsrGraph, EdgeKind, NodeId } from '../graph/index.js';
import type { IndexReader } from './index-store.js';

export class StoredGraph extends AsgQueries {
  readonly csr: CsrGraph;
  readonly #reader: IndexReader;
  readonly #cache = new Map<NodeId, AsgNode | undefined>();

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
    const node = this.csr.indexOf(id) >= 0 ? this.#reader.node(id) : undefined;
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
    return this.#reader
      .symbolsNamed(name)
      .map((id) => this.node(id))
      .filter((n): n is AsgNode => n !== undefined);
  }

  searchSymbols(pattern: string, limit = 200): AsgNode[] {
    const regex = symbolPattern(pattern);
    // `Class.meth*`: names are matched by the last part, qualified names by the whole pattern.
    const dot = pattern.lastIndexOf('.');
    const last = dot >= 0 ? symbolPattern(pattern.slice(dot + 1) || '*') : regex;
    const found: AsgNode[] = [];
    for (const name of this.#reader.symbolNames()) {
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
    const file = files.indexOf(path);
    const found: NodeId[] = [];
    for (let i = 0; i < ids.length; i++) if (nodeFile[i] === file || nodeFile[i] === -1) found.push(ids[i]!);
    return found;
  }
}
