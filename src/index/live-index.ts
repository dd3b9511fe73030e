/**
 * @module index/live-index
 * The live index: one update path for every source of change (the file watcher, an editor's unsaved buffer,
 * a scan). It keeps what an index run would read back from the store in memory (every file's graph, the
 * edges each file's uses resolved to, the records, the project configuration), so that an update parses only
 * the changed files, re-resolves them and their dependents, and computes the graph delta: nodes and edges
 * added, removed and updated, in the changed files and in the files whose resolution changes.
 *
 * Versions: every update builds the new in-memory structure, commits one LMDB transaction (generation N + 1:
 * the changed files' records, graphs, node details, the resolved edges that changed and the change history;
 * the whole structure is not rewritten, see `IndexMeta.structureGeneration`) and publishes snapshot N + 1.
 * Readers hold a {@link LiveSnapshot} (the structure and an LMDB read transaction of one generation) for as
 * long as they need it: what an update does meanwhile is invisible to them. The structure is written to the
 * store after a quiet spell and on close.
 *
 * Lexical rows: the SQLite rows of the changed files (symbols and their text, FTS5) are written after the
 * version is published, in a later turn of the event loop and always before the next update starts (and
 * before close), or at once when someone asks for the lexical index first ({@link LiveIndex.lexical}, which
 * every query's view reads): so the lexical rows a query reads are those of the newest version, and the
 * caller of {@link LiveIndex.apply} gets its version without waiting for them. A crash between the LMDB
 * commit and that write leaves the lexical index a generation behind, which the next index run (every
 * open) sees from its generation stamp and rebuilds.
 *
 * Durability: a live commit is as durable as an index run's (LMDB syncs each commit; measured on this
 * machine's disk, the syncs cost about 0.15 ms each, not worth a weaker guarantee). A process killed at any
 * point leaves the index of the last committed update, which opens; the source files stay the truth, and
 * the next index run re-reads what changed since (by hash and mtime).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { ERROR_CODES, EngineError, fingerprint128 } from '../base/index.js';
import type { Diagnostic, Logger } from '../base/index.js';
import {
  buildFileGraph,
  emptyResolutionCounts,
  SYMBOL_KINDS,
  GraphStructure,
  IncrementalResolver,
} from '../graph/index.js';
import type {
  AsgEdge,
  AsgNode,
  CsrGraph,
  FileGraph,
  NodeId,
  ProjectConfig,
  ResolutionStats,
} from '../graph/index.js';
import { detectLanguage, DocumentParser, ParserHost } from '../parse/index.js';
import { acquireWriteLock, encodeSnapshot, IndexStore, LexicalIndex, lexicalFile } from '../store/index.js';
import type { ChangeKind, FileRecord, IndexReader, LexicalFile, SkippedRecord } from '../store/index.js';
import { DependentsIndex } from './dependents.js';
import { DEFAULT_MAX_FILE_BYTES } from './discover.js';
import { DEFAULT_INDEX_DIR, indexRepository } from './indexer.js';
import type { IndexOptions, IndexReport } from './indexer.js';
import { packageAssets } from './package-assets.js';
import { parseFiles } from './parse-pool.js';
import type { FileResult } from './process-files.js';
import { MANIFEST_NAMES, readProjectConfig } from './project-manifests.js';
import { decodeSource } from './read-source.js';

/** The qualified names of the declarations (symbol kinds) a change added, removed or updated, 50 of each at most. */
export interface SymbolDelta {
  added: string[];
  removed: string[];
  updated: string[];
}

const SYMBOLS_PER_CHANGE = 50;

class SymbolChanges {
  readonly #delta: SymbolDelta = { added: [], removed: [], updated: [] };

  add(how: keyof SymbolDelta, node: AsgNode): void {
    if (!SYMBOL_KINDS.has(node.kind) || node.kind === 'parameter' || node.kind === 'module') return;
    const list = this.#delta[how];
    if (list.length < SYMBOLS_PER_CHANGE) list.push(node.qualifiedName);
  }

  done(): SymbolDelta {
    return this.#delta;
  }
}

/** One changed path. */
export interface LiveChange {
  /** Repository-relative, with `/` separators. */
  path: string;
  /** The file's text from an editor's buffer; absent: the file on disk (a missing file is removed). */
  text?: string;
}

/** How one file changed in an update. */
export interface FileDelta {
  path: string;
  kind: ChangeKind;
  nodes: { added: number; removed: number; updated: number };
  /** Which declarations: the node level of the change. */
  symbols: SymbolDelta;
  /**
   * Zero-based line ranges of the new text that changed: from the old text when it was kept (recently
   * changed files), else the declarations added or whose text changed; a new file is changed whole.
   */
  lines: [number, number][];
}

/** What one update changed: the seed's GraphDelta. */
export interface GraphDelta {
  /** The version (index generation) the update produced, and the one before. */
  version: number;
  previous: number;
  files: FileDelta[];
  /** Files whose uses were resolved again: the changed ones and their dependents. */
  resolved: string[];
  nodes: { added: NodeId[]; removed: NodeId[]; updated: NodeId[] };
  edges: { added: AsgEdge[]; removed: AsgEdge[] };
  /** The configuration (manifests) changed: every file was resolved again. */
  configChanged: boolean;
  diagnostics: Diagnostic[];
  timings: Record<
    'readMs' | 'parseMs' | 'resolveMs' | 'deltaMs' | 'structureMs' | 'storeMs' | 'lexicalMs' | 'totalMs',
    number
  >;
}

export interface LiveIndexOptions extends IndexOptions {
  /** Quiet time after an update before the structure is written to the store (default 2000 ms). */
  flushMs?: number;
  /** Files kept as text for line-level change tracking (default 256). */
  keptTexts?: number;
  /** Syntax trees kept for incremental re-parsing (default 64 files, the most recently changed). */
  keptTrees?: number;
  logger?: Logger;
}

/** One version of the live graph: its structure and a read transaction of the same generation. */
export class LiveSnapshot {
  readonly version: number;
  readonly csr: CsrGraph;
  readonly reader: IndexReader;
  #refs = 1;

  constructor(version: number, csr: CsrGraph, reader: IndexReader) {
    this.version = version;
    this.csr = csr;
    this.reader = reader;
  }

  /** Holds the snapshot until the returned function is called (it may be called more than once). */
  acquire(): () => void {
    if (this.#refs === 0)
      throw new EngineError(ERROR_CODES.INTERNAL, `Snapshot ${this.version} was released`);
    this.#refs++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** @internal Drops one hold; the read transaction ends with the last. */
  release(): void {
    if (this.#refs === 0) return;
    if (--this.#refs === 0) this.reader.done();
  }

  get released(): boolean {
    return this.#refs === 0;
  }
}

/** A file read for an update: its new graph, or why it is gone. */
type ReadFile =
  | {
      path: string;
      state: 'present';
      text: string;
      bytes: number;
      hash: string;
      mtimeMs: number;
      language: string;
      diagnostics: Diagnostic[];
      fromBuffer: boolean;
    }
  | { path: string; state: 'gone'; reason?: string; detail?: string }
  | { path: string; state: 'manifest' };

const FLUSH_MS = 2000;
/** Above this many files an update parses in worker threads (a branch switch). */
const POOL_THRESHOLD = 48;

/** The live index of a repository. One per index folder: it holds the index's write lock while open. */
export class LiveIndex {
  readonly root: string;
  readonly dbDir: string;
  /** What the index run at open did (bringing the index up to date). */
  readonly opening: IndexReport;
  readonly #options: LiveIndexOptions;
  readonly #store: IndexStore;
  readonly #lexical: LexicalIndex;
  readonly #releaseLock: () => void;
  /** What updates need in memory; loaded again from the store after an update failed halfway. */
  #state: LiveState;
  /** An update failed after changing the state in memory: the next one loads it from the store first. */
  #stale = false;
  readonly #texts = new Map<string, string>();
  /** Node details of recently parsed files, as committed (see `#keepDetails`). */
  readonly #details = new Map<string, Map<NodeId, AsgNode>>();
  #skipped: SkippedRecord[];
  #snapshot: LiveSnapshot;
  #host: ParserHost | undefined;
  #documents: DocumentParser | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #flushTimer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #listeners = new Set<(delta: GraphDelta) => void>();
  /** The lexical rows of the last published update, until written (see `#writeLexical`). */
  #lexicalPending: { files: LexicalFile[]; removed: string[]; generation: number } | undefined;

  private constructor(init: {
    root: string;
    dbDir: string;
    opening: IndexReport;
    options: LiveIndexOptions;
    store: IndexStore;
    lexical: LexicalIndex;
    releaseLock: () => void;
    state: LiveState;
    snapshot: LiveSnapshot;
  }) {
    this.root = init.root;
    this.dbDir = init.dbDir;
    this.opening = init.opening;
    this.#options = init.options;
    this.#store = init.store;
    this.#lexical = init.lexical;
    this.#releaseLock = init.releaseLock;
    this.#state = init.state;
    this.#snapshot = init.snapshot;
    this.#skipped = init.snapshot.reader.meta()?.skipped ?? [];
  }

  /**
   * Brings the index of `root` up to date (an incremental index run), takes its write lock, and loads what
   * updates need into memory.
   */
  static async open(root: string, options: LiveIndexOptions = {}): Promise<LiveIndex> {
    const absolute = resolvePath(root);
    const dbDir = resolvePath(options.dbDir ?? join(absolute, DEFAULT_INDEX_DIR));
    const opening = await indexRepository(absolute, { ...options, dbDir });
    const releaseLock = acquireWriteLock(dbDir);
    let store: IndexStore | undefined;
    let lexical: LexicalIndex | undefined;
    try {
      store = IndexStore.open(dbDir);
      lexical = LexicalIndex.open(dbDir);
      const reader = store.read();
      const meta = reader.meta();
      if (!meta) {
        reader.done();
        throw new EngineError(ERROR_CODES.INDEX_MISSING, `The index in ${dbDir} is empty`);
      }
      const state = await loadState(absolute, reader);
      const live = new LiveIndex({
        root: absolute,
        dbDir,
        opening,
        options,
        store,
        lexical,
        releaseLock,
        state,
        snapshot: new LiveSnapshot(meta.generation, state.structure.build(), reader),
      });
      await live.#warmUp();
      return live;
    } catch (error) {
      lexical?.close();
      await store?.close();
      releaseLock();
      throw error;
    }
  }

  /**
   * Makes the first update as fast as the next ones (measured: 1.6 s cold against 0.2 s): loads the grammar of
   * every language present and parses its smallest file, computes the resolver's derived state, and runs the
   * structure's incremental path once. Nothing of it is published.
   */
  async #warmUp(): Promise<void> {
    this.#host ??= new ParserHost(packageAssets());
    const smallest = new Map<string, FileRecord>();
    for (const record of this.#state.records.values()) {
      const known = smallest.get(record.language);
      if (!known || record.bytes < known.bytes) smallest.set(record.language, record);
    }
    for (const record of smallest.values()) {
      const text = await readFile(join(this.root, record.path), 'utf8').catch(() => undefined);
      if (text !== undefined)
        await this.#host.extract(record.path, record.language, text).catch(() => undefined);
    }
    const first = this.#state.graphs.keys().next();
    if (first.done) return;
    this.#state.resolver.resolve(new Set([first.value]));
    this.#state.structure.setResolved(first.value, this.#state.resolved.get(first.value) ?? []);
    this.#state.structure.build();
  }

  /** The current version (index generation). */
  get version(): number {
    return this.#snapshot.version;
  }

  /** The current snapshot, held until the returned release is called. */
  acquire(): { snapshot: LiveSnapshot; release: () => void } {
    const snapshot = this.#snapshot;
    return { snapshot, release: snapshot.acquire() };
  }

  /**
   * The lexical index (shared by every snapshot; its rows follow the newest version). The rows of the last
   * update may still be waiting to be written (see `#writeLexical`): they are written first.
   */
  get lexical(): LexicalIndex {
    this.#writeLexicalNow();
    return this.#lexical;
  }

  /** Paths of the indexed files. */
  paths(): string[] {
    return [...this.#state.records.keys()].sort();
  }

  /** Calls `listener` after every update that changed something. */
  onDelta(listener: (delta: GraphDelta) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Applies changes: reads (or takes the buffer of) each path, parses what changed, re-resolves the changed
   * files and their dependents, commits the new version and publishes it. Updates run one at a time, in the
   * order they were asked for. Returns undefined when nothing changed.
   */
  apply(changes: readonly LiveChange[]): Promise<GraphDelta | undefined> {
    const run = this.#queue.then(() => this.#apply(changes));
    // The lexical rows of the update are written before the next update starts (and before close).
    const lexical = (): Promise<void> => this.#writeLexical();
    this.#queue = run.then(lexical, lexical);
    return run;
  }

  /**
   * Writes the lexical rows of the last published update, in a later turn of the event loop: whoever awaited
   * the update gets its version first. A failure leaves the lexical index behind (logged): queries then
   * go without the rows of those files, and the next index run rebuilds it (its generation stamp is behind).
   */
  async #writeLexical(): Promise<void> {
    if (!this.#lexicalPending) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#writeLexicalNow();
  }

  /** Writes the lexical rows left to write, if any (at once: a reader of the lexical index needs them). */
  #writeLexicalNow(): void {
    const pending = this.#lexicalPending;
    if (!pending) return;
    this.#lexicalPending = undefined;
    try {
      this.#lexical.update({ ...pending, root: this.root });
    } catch (error) {
      this.#options.logger?.warn(`The lexical index was not updated: ${(error as Error).message}`);
    }
  }

  /** Waits for the updates asked for so far. */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** Writes the structure of the current version to the store, if it is behind. */
  flush(): boolean {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#closed) return false;
    const snapshot = this.#snapshot;
    return this.#store.writeStructure(snapshot.version, encodeSnapshot(snapshot.csr));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.flush();
    this.#closed = true;
    this.#snapshot.release();
    this.#documents?.dispose();
    await this.#host?.dispose();
    this.#lexical.close();
    await this.#store.close();
    this.#releaseLock();
  }

  async #apply(changes: readonly LiveChange[]): Promise<GraphDelta | undefined> {
    if (this.#closed) throw new EngineError(ERROR_CODES.INTERNAL, 'The live index is closed');
    if (this.#stale) {
      // The last update failed after changing the state in memory: start again from the committed index.
      const reader = this.#store.read();
      try {
        this.#state = await loadState(this.root, reader);
      } finally {
        reader.done();
      }
      this.#details.clear();
      this.#stale = false;
    }
    try {
      return await this.#applyChanges(changes);
    } catch (error) {
      this.#stale = true;
      throw error;
    }
  }

  async #applyChanges(changes: readonly LiveChange[]): Promise<GraphDelta | undefined> {
    const t0 = performance.now();
    const byPath = new Map<string, LiveChange>();
    for (const change of changes)
      byPath.set(normalise(change.path), { ...change, path: normalise(change.path) });
    const read = await Promise.all([...byPath.values()].map((change) => this.#read(change)));
    const diagnostics: Diagnostic[] = [];
    const present = read.filter((r): r is Extract<ReadFile, { state: 'present' }> => r.state === 'present');
    const changed = present.filter((r) => this.#state.records.get(r.path)?.hash !== r.hash);
    const removed = read
      .filter((r): r is Extract<ReadFile, { state: 'gone' }> => r.state === 'gone')
      .filter((r) => this.#state.records.has(r.path));
    const manifestTouched = read.some((r) => r.state === 'manifest');
    const skippedBefore = JSON.stringify(this.#skipped);
    for (const r of read) {
      if (r.state === 'manifest') continue;
      this.#skipped = this.#skipped.filter((s) => s.path !== r.path);
      if (r.state === 'gone' && r.reason)
        this.#skipped.push({ path: r.path, reason: r.reason, ...(r.detail ? { detail: r.detail } : {}) });
    }
    this.#skipped.sort((a, b) => compare(a.path, b.path));
    const t1 = performance.now();

    // Parse.
    const results = await this.#parse(changed);
    const parsed: { record: FileRecord; graph: FileGraph; text: string | undefined }[] = [];
    for (const result of results) {
      const file = changed.find((c) => c.path === result.path)!;
      if (!result.ok) {
        diagnostics.push({
          severity: 'warning',
          code: `INDEX_${result.reason.toUpperCase().replace('-', '_')}`,
          message: `Skipped: ${result.reason} (${result.detail})`,
          path: result.path,
        });
        this.#skipped.push({ path: result.path, reason: result.reason, detail: result.detail });
        if (this.#state.records.has(result.path)) removed.push({ path: result.path, state: 'gone' });
        continue;
      }
      diagnostics.push(...result.diagnostics);
      parsed.push({
        graph: result.graph,
        text: file.text,
        record: {
          path: result.path,
          language: result.graph.language,
          hash: file.hash,
          bytes: result.bytes,
          lines: result.graph.lineCount,
          // A buffer is not the file on disk: the next index run must read the file again.
          mtimeMs: file.fromBuffer ? 0 : file.mtimeMs,
          nodes: result.graph.nodes.length,
          diagnostics: result.diagnostics,
          counts: emptyResolutionCounts(),
        },
      });
    }
    const t2 = performance.now();

    let config = this.#state.config;
    let configChanged = false;
    if (manifestTouched) {
      const paths = new Set(this.#state.records.keys());
      for (const p of parsed) paths.add(p.record.path);
      for (const r of removed) paths.delete(r.path);
      const next = await readProjectConfig(this.root, [...paths]);
      diagnostics.push(...next.diagnostics);
      const fingerprint = fingerprint128(JSON.stringify(next.config));
      if (fingerprint !== this.#state.configFingerprint) {
        config = next.config;
        configChanged = true;
      }
    }
    const skippedChanged = JSON.stringify(this.#skipped) !== skippedBefore;
    if (parsed.length === 0 && removed.length === 0 && !configChanged) {
      if (skippedChanged) this.#store.updateSkipped(this.#skipped);
      return undefined;
    }

    // Resolve the changed files and their dependents.
    const before: FileGraph[] = [];
    for (const path of [...parsed.map((p) => p.record.path), ...removed.map((r) => r.path)]) {
      const graph = this.#state.graphs.get(path);
      if (graph) before.push(graph);
    }
    const beforeByPath = new Map(before.map((g) => [g.path, g]));
    for (const { graph } of parsed) {
      this.#state.graphs.set(graph.path, graph);
      this.#state.dependents.set(graph);
    }
    for (const { path } of removed) {
      this.#state.graphs.delete(path);
      this.#state.dependents.remove(path);
    }
    const targets = configChanged
      ? new Set(this.#state.graphs.keys())
      : this.#state.dependents.dependentsOf(
          parsed.map((p) => p.graph),
          before,
        );
    // The resolver keeps its tables: only what the change touches is recomputed.
    this.#state.resolver.update({
      upsert: parsed.map((p) => p.graph),
      remove: removed.map((r) => r.path),
      ...(configChanged ? { config } : {}),
    });
    const resolution = this.#state.resolver.resolve(targets);
    const t3 = performance.now();

    // The delta.
    const parsedPaths = new Set(parsed.map((p) => p.record.path));
    const edgesBefore: AsgEdge[] = [];
    const edgesAfter: AsgEdge[] = [];
    for (const path of targets) {
      for (const edge of this.#state.resolved.get(path) ?? []) edgesBefore.push(edge);
      for (const edge of resolution.byFile.get(path)?.edges ?? []) edgesAfter.push(edge);
    }
    for (const graph of before) for (const edge of graph.edges) edgesBefore.push(edge);
    for (const { path } of removed)
      for (const edge of this.#state.resolved.get(path) ?? []) edgesBefore.push(edge);
    for (const { graph } of parsed) for (const edge of graph.edges) edgesAfter.push(edge);
    // The edge delta is computed when first read (listeners that print it): it is not on the way to queryable.
    let edges: GraphDelta['edges'] | undefined;
    const edgeDelta = (): GraphDelta['edges'] => (edges ??= edgeDifference(edgesBefore, edgesAfter));
    const current = this.#snapshot;
    const nodeDelta = { added: [] as NodeId[], removed: [] as NodeId[], updated: [] as NodeId[] };
    const files: FileDelta[] = [];
    for (const { graph, text } of parsed) {
      const old = beforeByPath.get(graph.path);
      // The details the store holds for the file: kept from its last parse when recent (decoding the
      // stored entry of a 1,000-node file takes milliseconds).
      const details = old
        ? (this.#details.get(graph.path) ?? current.reader.fileNodes(graph.path))
        : new Map<NodeId, AsgNode>();
      const counts = { added: 0, removed: 0, updated: 0 };
      const symbols = new SymbolChanges();
      const newIds = new Set<NodeId>();
      /** Lines of the declarations added or whose text changed (when the old text is unknown). */
      const touched: [number, number][] = [];
      for (const node of graph.nodes) {
        if (node.path === '') continue;
        newIds.add(node.id);
        const was = details.get(node.id);
        if (!was) {
          nodeDelta.added.push(node.id);
          counts.added++;
          symbols.add('added', node);
        } else if (detailsDiffer(was, node)) {
          nodeDelta.updated.push(node.id);
          counts.updated++;
          symbols.add('updated', node);
        } else continue;
        if (node.kind !== 'module') touched.push([node.range.start.line, node.range.end.line]);
      }
      for (const [id, node] of details)
        if (!newIds.has(id)) {
          nodeDelta.removed.push(id);
          counts.removed++;
          symbols.add('removed', node);
        }
      const newText = text ?? (await readFile(join(this.root, graph.path), 'utf8').catch(() => ''));
      const oldText = this.#texts.get(graph.path);
      files.push({
        path: graph.path,
        kind: old ? 'edited' : 'added',
        nodes: counts,
        symbols: symbols.done(),
        lines:
          oldText !== undefined
            ? changedLines(oldText, newText)
            : old
              ? mergeRanges(touched)
              : [[0, Math.max(0, newText.split('\n').length - (newText.endsWith('\n') ? 2 : 1))]],
      });
      this.#keepText(graph.path, newText);
      this.#keepDetails(graph);
    }
    for (const { path } of removed) {
      const gone = beforeByPath.get(path);
      let count = 0;
      for (const node of gone?.nodes ?? []) {
        if (node.path === '') continue;
        nodeDelta.removed.push(node.id);
        count++;
      }
      const symbols = new SymbolChanges();
      for (const node of current.reader.fileNodes(path).values()) symbols.add('removed', node);
      files.push({
        path,
        kind: 'removed',
        nodes: { added: 0, removed: count, updated: 0 },
        symbols: symbols.done(),
        lines: [],
      });
      this.#texts.delete(path);
      this.#details.delete(path);
      this.#documents?.forget(path);
    }

    // Records: new ones for parsed files, new counts for re-resolved ones. A dependent resolved again to the
    // same edges (nearly all of them) changes nothing: neither its structure rows nor its stored entries.
    const updatedRecords: FileRecord[] = [];
    const reResolved: [path: string, edges: AsgEdge[]][] = [];
    for (const { record } of parsed) this.#state.records.set(record.path, record);
    for (const { path } of removed) {
      this.#state.records.delete(path);
      this.#state.resolved.delete(path);
    }
    for (const [path, own] of resolution.byFile) {
      const parsedNow = parsedPaths.has(path);
      const record = this.#state.records.get(path);
      const counts = { calls: own.calls, references: own.references, imports: own.imports };
      const sameCounts = record !== undefined && sameResolutionCounts(record.counts, counts);
      if (!parsedNow && sameCounts && sameEdges(this.#state.resolved.get(path), own.edges)) continue;
      this.#state.resolved.set(path, own.edges);
      reResolved.push([path, own.edges]);
      if (!record) continue;
      record.counts = counts;
      if (!parsedNow && !sameCounts) updatedRecords.push(record);
    }
    this.#state.config = config;
    if (configChanged) this.#state.configFingerprint = fingerprint128(JSON.stringify(config));

    const tDelta = performance.now();

    // The structure of the new version: only the changed files' rows are rebuilt.
    for (const { graph } of parsed)
      this.#state.structure.setFile(graph.path, {
        nodes: graph.nodes,
        edges: graph.edges,
        resolved: this.#state.resolved.get(graph.path) ?? [],
      });
    for (const { path } of removed) this.#state.structure.removeFile(path);
    for (const [path, edges] of reResolved)
      if (!parsedPaths.has(path) && this.#state.structure.has(path))
        this.#state.structure.setResolved(path, edges);
    const csr = this.#state.structure.build();
    const t4 = performance.now();

    // One transaction: the new generation.
    const at = Date.now();
    const generation = this.#store.write({
      meta: {
        root: this.root,
        indexedAt: new Date(at).toISOString(),
        configFingerprint: this.#state.configFingerprint,
        skipped: this.#skipped,
        nodes: csr.nodeCount,
        edges: csr.edgeCount,
        lastRun: {
          live: true,
          files: this.#state.graphs.size,
          parsed: parsed.length,
          removed: removed.length,
          resolved: targets.size,
        },
      },
      parsed: parsed.map(({ record, graph }) => ({ record, graph })),
      records: updatedRecords,
      removed: removed.map((r) => r.path),
      edges: reResolved,
      changes: files.map((f) => ({ ...f, at, source: 'live' })),
    });
    const t5 = performance.now();

    // Publish.
    const previous = this.#snapshot;
    this.#snapshot = new LiveSnapshot(generation, csr, this.#store.read());
    previous.release();
    this.#scheduleFlush();
    // The lexical rows of the changed files are written right after (see the module comment).
    this.#lexicalPending = {
      files: parsed.map((p) => lexicalFile(p.graph.path, p.graph.nodes, p.text)),
      removed: removed.map((r) => r.path),
      generation,
    };
    const t6 = performance.now();
    const delta: GraphDelta = {
      version: generation,
      previous: previous.version,
      files,
      resolved: [...targets].sort(),
      nodes: nodeDelta,
      get edges() {
        return edgeDelta();
      },
      configChanged,
      diagnostics,
      timings: {
        readMs: t1 - t0,
        parseMs: t2 - t1,
        resolveMs: t3 - t2,
        deltaMs: tDelta - t3,
        structureMs: t4 - tDelta,
        storeMs: t5 - t4,
        // Off the way to queryable: the rows are written after the version is published.
        lexicalMs: t6 - t5,
        totalMs: performance.now() - t0,
      },
    };
    for (const listener of this.#listeners) listener(delta);
    return delta;
  }

  /** Reads one changed path: its text (buffer or disk), hash and language, or why it is gone. */
  async #read(change: LiveChange): Promise<ReadFile> {
    const path = change.path;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const inside = relative(this.dbDir, join(this.root, path));
    if (!inside.startsWith('..') && !inside.startsWith(sep) && inside !== '') return { path, state: 'gone' };
    let bytes: Uint8Array;
    let mtimeMs = 0;
    if (change.text !== undefined) {
      bytes = Buffer.from(change.text, 'utf8');
    } else {
      try {
        const info = await stat(join(this.root, path));
        if (!info.isFile()) return { path, state: 'gone' };
        const limit = this.#options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
        if (info.size > limit)
          return { path, state: 'gone', reason: 'too-large', detail: `${info.size} bytes > ${limit}` };
        mtimeMs = info.mtimeMs;
        bytes = await readFile(join(this.root, path));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
          return { path, state: MANIFEST_NAMES.includes(name) ? 'manifest' : 'gone' };
        return { path, state: 'gone', reason: 'unreadable', detail: (error as Error).message };
      }
    }
    if (MANIFEST_NAMES.includes(name)) return { path, state: 'manifest' };
    const source = decodeSource(path, bytes);
    if (!source.ok) return { path, state: 'gone', reason: source.reason, detail: source.detail };
    const firstLine = source.text.slice(0, source.text.indexOf('\n') >>> 0);
    const language = detectLanguage(path, firstLine);
    if (!language) return { path, state: 'gone' };
    return {
      path,
      state: 'present',
      text: source.text,
      bytes: bytes.length,
      hash: createHash('sha256').update(bytes).digest('hex'),
      mtimeMs,
      language: language.id,
      diagnostics: source.diagnostics,
      fromBuffer: change.text !== undefined,
    };
  }

  async #parse(files: readonly Extract<ReadFile, { state: 'present' }>[]): Promise<FileResult[]> {
    if (files.length >= POOL_THRESHOLD && files.every((f) => !f.fromBuffer)) {
      return parseFiles(
        files.map((f) => ({ path: f.path, absolutePath: join(this.root, f.path), language: f.language })),
        this.#options.workers !== undefined ? { workers: this.#options.workers } : {},
      );
    }
    // Trees of recently changed files are kept: the next change to them re-parses incrementally.
    this.#host ??= new ParserHost(packageAssets());
    this.#documents ??= new DocumentParser(this.#host, { maxTrees: this.#options.keptTrees ?? 64 });
    const results: FileResult[] = [];
    for (const file of files) {
      try {
        const { syntax } = await this.#documents.update(file.path, file.language, file.text);
        results.push({
          ok: true,
          path: file.path,
          graph: buildFileGraph(syntax),
          bytes: file.bytes,
          diagnostics: [...file.diagnostics, ...syntax.diagnostics],
        });
      } catch (error) {
        this.#documents.forget(file.path);
        results.push({
          ok: false,
          path: file.path,
          reason: 'parse-failed',
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return results;
  }

  /** Keeps a parsed file's node details, as the store holds them (shared type nodes aside). */
  #keepDetails(graph: FileGraph): void {
    const nodes = new Map<NodeId, AsgNode>();
    for (const node of graph.nodes) if (node.path !== '') nodes.set(node.id, node);
    this.#details.delete(graph.path);
    this.#details.set(graph.path, nodes);
    const limit = this.#options.keptTrees ?? 64;
    while (this.#details.size > limit) this.#details.delete(this.#details.keys().next().value!);
  }

  #keepText(path: string, text: string): void {
    this.#texts.delete(path);
    this.#texts.set(path, text);
    const limit = this.#options.keptTexts ?? 256;
    while (this.#texts.size > limit) this.#texts.delete(this.#texts.keys().next().value!);
  }

  #scheduleFlush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      if (this.#closed) return;
      void this.#queue.then(() => {
        try {
          this.flush();
        } catch (error) {
          this.#options.logger?.warn(`Writing the structure failed: ${(error as Error).message}`);
        }
      });
    }, this.#options.flushMs ?? FLUSH_MS);
    this.#flushTimer.unref();
  }
}

/** What updates need in memory: every file's graph, resolved edges and record, and the derived indexes. */
interface LiveState {
  graphs: Map<string, FileGraph>;
  resolved: Map<string, AsgEdge[]>;
  records: Map<string, FileRecord>;
  config: ProjectConfig;
  configFingerprint: string;
  structure: GraphStructure;
  dependents: DependentsIndex;
  resolver: IncrementalResolver;
}

/** Loads the live state from one read of the index (graphs with thin nodes; resolved edges; records). */
async function loadState(root: string, reader: IndexReader): Promise<LiveState> {
  const records = reader.files();
  const state = {
    graphs: new Map<string, FileGraph>(),
    resolved: new Map<string, AsgEdge[]>(),
    records: new Map(records.map((r) => [r.path, r])),
    structure: new GraphStructure(),
    dependents: new DependentsIndex(),
  };
  const graphs: FileGraph[] = [];
  for (const record of records) {
    const graph = reader.fileGraph(record.path);
    if (!graph) continue;
    const edges = reader.resolvedEdges(record.path);
    graphs.push(graph);
    state.graphs.set(graph.path, graph);
    state.resolved.set(graph.path, edges);
    state.dependents.set(graph);
    state.structure.setFile(graph.path, { nodes: graph.nodes, edges: graph.edges, resolved: edges });
  }
  const { config } = await readProjectConfig(
    root,
    records.map((r) => r.path),
  );
  return {
    ...state,
    config,
    configFingerprint: fingerprint128(JSON.stringify(config)),
    resolver: new IncrementalResolver(graphs, config),
  };
}

function normalise(path: string): string {
  return path.split(sep).join('/').replace(/^\.\//, '');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function edgeKey(edge: AsgEdge): string {
  const r = edge.range;
  return `${edge.source}>${edge.target}>${edge.kind}${r ? `@${r.start.line}:${r.start.character}` : ''}`;
}

/** Edges only before and only after (as multisets: a repeated edge counts once). */
function edgeDifference(before: readonly AsgEdge[], after: readonly AsgEdge[]): GraphDelta['edges'] {
  const old = new Map(before.map((e) => [edgeKey(e), e]));
  const added: AsgEdge[] = [];
  const seen = new Set<string>();
  for (const edge of after) {
    const key = edgeKey(edge);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!old.delete(key)) added.push(edge);
  }
  return { added, removed: [...old.values()] };
}

function sameResolutionCounts(a: FileRecord['counts'], b: FileRecord['counts']): boolean {
  const same = (x: ResolutionStats, y: ResolutionStats): boolean =>
    x.resolved === y.resolved &&
    x.ambiguous === y.ambiguous &&
    x.unresolved === y.unresolved &&
    x.external === y.external;
  return same(a.calls, b.calls) && same(a.references, b.references) && same(a.imports, b.imports);
}

/** Whether two edge lists are the same, edge by edge (what the store and the structure keep of them). */
function sameEdges(before: readonly AsgEdge[] | undefined, after: readonly AsgEdge[]): boolean {
  if (!before || before.length !== after.length) return false;
  for (let i = 0; i < after.length; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (
      a.source !== b.source ||
      a.target !== b.target ||
      a.kind !== b.kind ||
      a.confidence !== b.confidence ||
      (a.ambiguous ?? false) !== (b.ambiguous ?? false) ||
      !sameRange(a.range, b.range) ||
      (a.meta !== b.meta && JSON.stringify(a.meta) !== JSON.stringify(b.meta))
    )
      return false;
  }
  return true;
}

function sameRange(a: AsgEdge['range'], b: AsgEdge['range']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** Whether a node's text changed (not merely its position). */
function detailsDiffer(was: AsgNode, now: AsgNode): boolean {
  return (
    was.kind !== now.kind ||
    was.snippet !== now.snippet ||
    was.signature !== now.signature ||
    was.doc !== now.doc ||
    was.typeText !== now.typeText
  );
}

/** Line ranges sorted and merged where they overlap or touch. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The lines of `after` that differ from `before`: one range between the common head and tail. */
export function changedLines(before: string, after: string): [number, number][] {
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const end = b.length - 1 - tail;
  // Only deletions: the line where the removed text was.
  return [[Math.min(head, b.length - 1), Math.max(head, end)]];
}
