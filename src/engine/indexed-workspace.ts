/**
 * @module engine/indexed-workspace
 * Workspaces over the index on disk: index a repository, open its index (indexing it first when asked), and
 * export it. A workspace opened from the index holds one read snapshot: every answer it gives comes from one
 * generation, whatever an index run writes meanwhile.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { addResolutionCounts, EDGE_KINDS, emptyResolutionCounts, NODE_KINDS } from '../graph/index.js';
import { DEFAULT_INDEX_DIR, indexRepository } from '../index/index.js';
import type { IndexOptions, IndexProgress, IndexReport } from '../index/index.js';
import {
  acquireWriteLock,
  activeWriter,
  IndexStore,
  LexicalIndex,
  SCHEMA_VERSION,
  StoredGraph,
} from '../store/index.js';
import type { IndexReader } from '../store/index.js';
import { ERROR_CODES, EngineError, isEngineError } from '../base/index.js';
import type { Logger } from '../base/index.js';
import { createEmbedder, openVectors, Retriever, SemanticRouter, updateVectors } from '../retrieve/index.js';
import type { Embedder, VectorSearch, VectorUpdateResult } from '../retrieve/index.js';
import { readRetrievalConfig } from './retrieval.js';
import type { RetrievalConfig } from './retrieval.js';
import { PolicyStore } from './policy-store.js';
import { languageTotals, Workspace } from './workspace.js';
import type { RetrievalBacking, WorkspaceBacking } from './workspace.js';
import type { ExportRecord, WorkspaceSummary } from './types.js';

export type { IndexOptions, IndexProgress, IndexReport };

export interface OpenIndexOptions extends IndexOptions {
  /**
   * Bring the index up to date first (an incremental run: only changed files are parsed): `'always'`, only
   * when there is no index yet (`'missing'`, the default), or `'never'`.
   */
  refresh?: 'always' | 'missing' | 'never';
  /**
   * Called when refreshing an existing index fails (another process writes it, a read-only or full disk):
   * the index is then read as it is. Without it, such failures are silent.
   */
  onRefreshError?: (error: EngineError) => void;
  /** Where warnings go (a retrieval policy that cannot be read: the default one is used). */
  logger?: Logger;
}

/** The index folder of a repository. */
export function indexDirOf(repo: string, dbDir?: string): string {
  return resolvePath(dbDir ?? join(resolvePath(repo), DEFAULT_INDEX_DIR));
}

/** What an index run did, with the vector stage when embeddings are configured. */
export type IndexRunReport = IndexReport & { vectors?: VectorUpdateResult };

/**
 * Indexes (or re-indexes, incrementally) a repository into its index folder; then, when the configuration
 * asks for embeddings (`embedding` in `rtc.config.json`), brings the vectors up to date (only symbols whose
 * text changed are embedded again).
 */
export async function indexWorkspace(repo: string, options: IndexOptions = {}): Promise<IndexRunReport> {
  const report = await indexRepository(repo, options);
  const root = resolvePath(repo);
  const dir = indexDirOf(root, options.dbDir);
  const config = readRetrievalConfig(root, dir);
  if (!config.embedding) return report;
  const embedder = await createEmbedder(config.embedding, { root });
  const release = acquireWriteLock(dir);
  try {
    const lexical = LexicalIndex.open(dir);
    const vectors = await updateVectors(
      dir,
      embedder,
      {
        documents: lexical.documents(),
        all: true,
      },
      options.signal ? { signal: options.signal } : {},
    );
    return { ...report, vectors };
  } finally {
    release();
    await embedder.close?.();
  }
}

/** Opens the index of a repository as a {@link Workspace}. Close it when done. */
export async function openIndex(repo: string, options: OpenIndexOptions = {}): Promise<Workspace> {
  const root = resolvePath(repo);
  const dir = indexDirOf(root, options.dbDir);
  const refresh = options.refresh ?? 'missing';
  const exists = hasIndex(dir);
  if (refresh === 'always' || (refresh === 'missing' && !exists)) {
    try {
      await indexWorkspace(root, { ...options, dbDir: dir });
    } catch (error) {
      // Another process is writing, or the disk refuses: read what is there.
      if (!exists || !isEngineError(error) || error.code === ERROR_CODES.CANCELLED) throw error;
      options.onRefreshError?.(error);
    }
  }
  if (!hasIndex(dir))
    throw new EngineError(ERROR_CODES.INDEX_MISSING, `No index in ${dir}: run \`rtc index\` first`);
  return new Workspace(
    storedBacking(
      IndexStore.open(dir, { readOnly: true }),
      dir,
      new PolicyStore(dir, options.logger ? { logger: options.logger } : {}),
    ),
  );
}

function hasIndex(dir: string): boolean {
  try {
    return statSync(join(dir, 'index.mdb')).isFile();
  } catch {
    return false;
  }
}

function storedBacking(store: IndexStore, dir: string, policy: PolicyStore): WorkspaceBacking {
  const reader = store.read();
  const meta = reader.meta();
  const csr = reader.graph();
  if (!meta || !csr) {
    reader.done();
    void store.close();
    throw new EngineError(ERROR_CODES.INDEX_MISSING, `The index in ${dir} is empty: run \`rtc index\``);
  }
  const graph = new StoredGraph(reader, csr);
  let closed = false;
  let retrieval: Promise<RetrievalBacking> | undefined;
  return {
    ...readerBacking(reader, graph, dir),
    retrieval: () => {
      retrieval ??= storedRetrieval(dir, meta.root, meta.generation, graph, policy);
      return retrieval;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      reader.done();
      await store.close();
    },
  };
}

/**
 * What every backing over one read of the index has: root, version, graph, diagnostics and summary (a live
 * snapshot's reader and structure, or an opened index's).
 */
export function readerBacking(
  reader: IndexReader,
  graph: StoredGraph,
  dir: string,
): Omit<WorkspaceBacking, 'close' | 'retrieval'> {
  const meta = reader.meta();
  if (!meta)
    throw new EngineError(ERROR_CODES.INDEX_MISSING, `The index in ${dir} is empty: run \`rtc index\``);
  const csr = graph.csr;
  return {
    root: meta.root,
    version: meta.generation,
    graph,
    get diagnostics() {
      return reader.files().flatMap((f) => f.diagnostics);
    },
    summary: (): WorkspaceSummary => {
      const files = reader.files();
      const { byLanguage, bytes, lines } = languageTotals(files);
      let diagnostics = 0;
      const resolution = emptyResolutionCounts();
      for (const file of files) {
        diagnostics += file.diagnostics.length;
        addResolutionCounts(resolution, file.counts);
      }
      const nodesByKind: Record<string, number> = {};
      for (const code of csr.arrays.nodeKind) {
        const kind = NODE_KINDS[code]!;
        nodesByKind[kind] = (nodesByKind[kind] ?? 0) + 1;
      }
      const edgesByKind: Record<string, number> = {};
      for (const code of csr.arrays.edgeKind) {
        const kind = EDGE_KINDS[code]!;
        edgesByKind[kind] = (edgesByKind[kind] ?? 0) + 1;
      }
      const lastRun = meta.lastRun as { timings?: Record<string, number> };
      return {
        root: meta.root,
        files: files.length,
        bytes,
        lines,
        nodes: csr.nodeCount,
        edges: csr.edgeCount,
        byLanguage,
        nodesByKind,
        edgesByKind,
        resolution,
        skipped: meta.skipped,
        diagnostics,
        timings: lastRun.timings ?? {},
        index: {
          dir,
          schema: meta.schema,
          generation: meta.generation,
          indexedAt: meta.indexedAt,
          sizeBytes: folderSize(dir),
          lexicalSymbols: lexicalCount(dir, meta.generation),
        },
      };
    },
  };
}

async function storedRetrieval(
  dir: string,
  root: string,
  generation: number,
  graph: StoredGraph,
  policy: PolicyStore,
): Promise<RetrievalBacking> {
  const config = readRetrievalConfig(root, dir);
  // Vectors when the configuration asks for them and an index run has made them (`rtc index`).
  let vectors: { search: VectorSearch; embedder: Embedder } | undefined;
  if (config.embedding) {
    const embedder = await createEmbedder(config.embedding, { root });
    const search = openVectors(dir, embedder);
    if (search) vectors = { search, embedder };
  }
  let lexical: LexicalIndex | undefined;
  try {
    lexical = LexicalIndex.open(dir, { readOnly: true });
    // A lexical index behind the graph (a crash between the two commits) would give ids of another state.
    if (lexical.generation() !== generation) lexical = undefined;
  } catch {
    lexical = undefined;
  }
  return retrievalOver(graph, {
    root,
    config,
    ...(lexical ? { lexical } : {}),
    ...(vectors ? { vectors } : {}),
    policy,
  });
}

/** Retrieval over one graph snapshot, with the lexical index and vectors given. */
export function retrievalOver(
  graph: StoredGraph,
  sources: {
    root: string;
    config: RetrievalConfig;
    lexical?: LexicalIndex;
    vectors?: { search: VectorSearch; embedder: Embedder };
    router?: SemanticRouter;
    /** The repository's policy (read again when it changes). */
    policy?: PolicyStore;
  },
): RetrievalBacking {
  const csr = graph.csr;
  const retriever = new Retriever({
    csr,
    ...(sources.lexical ? { lexical: sources.lexical } : {}),
    ...(sources.vectors ? { vectors: sources.vectors } : {}),
    lines: (node) => {
      const found = graph.node(csr.arrays.ids[node]!);
      return found ? [found.range.start.line, found.range.end.line] : undefined;
    },
    router: sources.router ?? new SemanticRouter(sources.config.routes ?? []),
  });
  const policy = sources.policy;
  return {
    retriever,
    config: sources.config,
    ...(policy ? { policy: () => policy.current() } : {}),
    readSource: (path) => {
      try {
        return readFileSync(join(sources.root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

function lexicalCount(dir: string, generation: number): number {
  try {
    const lexical = LexicalIndex.open(dir, { readOnly: true });
    try {
      return lexical.generation() === generation ? lexical.count() : 0;
    } finally {
      lexical.close();
    }
  } catch {
    return 0;
  }
}

function folderSize(dir: string): number {
  let size = 0;
  for (const name of readdirSync(dir)) {
    try {
      size += statSync(join(dir, name)).size;
    } catch {
      // removed meanwhile (a WAL file)
    }
  }
  return size;
}

/** Every node of a workspace with its relations, one record at a time (the RAG export). */
export function* exportRecords(workspace: Workspace): Generator<ExportRecord> {
  const graph = workspace.graphReader;
  for (const id of graph.nodeIds()) {
    const node = graph.node(id);
    if (!node) continue;
    const metadata: ExportRecord['metadata'] = { ...node.meta };
    if (node.typeText !== undefined) metadata.type = node.typeText;
    if (node.exported) metadata.exported = true;
    yield {
      id: node.id,
      kind: node.kind,
      name: node.name,
      qualifiedName: node.qualifiedName,
      path: node.path,
      language: node.language,
      range: node.range,
      ...(node.signature !== undefined ? { signature: node.signature } : {}),
      ...(node.doc !== undefined ? { doc: node.doc } : {}),
      ...(node.snippet !== undefined ? { snippet: node.snippet } : {}),
      metadata,
      relations: graph.outgoing(id).map((e) => ({
        kind: e.kind,
        target: e.target,
        ...(e.confidence !== undefined && e.confidence !== 1 ? { confidence: e.confidence } : {}),
        ...(e.ambiguous ? { ambiguous: true } : {}),
      })),
      incoming: graph.incoming(id).map((e) => ({
        kind: e.kind,
        source: e.source,
        ...(e.confidence !== undefined && e.confidence !== 1 ? { confidence: e.confidence } : {}),
        ...(e.ambiguous ? { ambiguous: true } : {}),
      })),
    };
  }
}

/** The pid of a process writing the index in `dir`, if one is. */
export function indexWriter(dir: string): number | undefined {
  return activeWriter(dir);
}

export { SCHEMA_VERSION };
