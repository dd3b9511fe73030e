/**
 * @module store/index-store
 * The durable index of a repository, in LMDB: documents (one record per file: content hash, language, size,
 * mtime, diagnostics, resolution counts), each file's graph as the parser built it, the edges its uses were
 * resolved to, node details by id, symbol names, and the whole graph's structure in compressed sparse rows
 * (edges out and in, by kind). Every index run commits in one LMDB write transaction, so the file on disk
 * always holds either the previous complete index or the new one; readers hold a read transaction and see
 * one generation whatever a writer does meanwhile.
 */
import { existsSync, mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import type { Database, RootDatabase, Transaction } from 'lmdb';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import { CsrGraph } from '../graph/index.js';
import type { AsgEdge, AsgNode, FileGraph, NodeId, ResolutionCounts } from '../graph/index.js';
import { decodeEdges, decodeFileGraph, encodeEdges, encodeFileGraph } from './file-graph-codec.js';
import { decodeSnapshot } from './snapshot-codec.js';
import { migrate, SCHEMA_VERSION } from './schema.js';

/** What the index knows of one source file. */
export interface FileRecord {
  path: string;
  language: string;
  /** SHA-256 of the file's bytes (hex). */
  hash: string;
  bytes: number;
  lines: number;
  mtimeMs: number;
  nodes: number;
  diagnostics: Diagnostic[];
  /** How this file's uses resolved, at the last run that resolved it. */
  counts: ResolutionCounts;
}

/** A file the last run left out, and why. */
export interface SkippedRecord {
  path: string;
  reason: string;
  detail?: string;
}

/** The index as a whole: written with every run. */
export interface IndexMeta {
  schema: number;
  generation: number;
  /** The repository's absolute path when it was indexed. */
  root: string;
  indexedAt: string;
  /** Fingerprint of the project configuration (manifests) the graph was resolved with. */
  configFingerprint: string;
  skipped: SkippedRecord[];
  /** Nodes and edges of the structure. */
  nodes: number;
  edges: number;
  /** What the run that wrote this generation did. */
  lastRun: Record<string, unknown>;
  /**
   * The generation whose structure the `structure` entry holds, when it is behind `generation` (a live update
   * writes its delta without rewriting the whole structure, and a later flush catches up). Absent: current.
   * A reader of a generation whose structure is behind rebuilds it from the file graphs and resolved edges.
   */
  structureGeneration?: number;
}

/** How a file changed, as the change history records it (`rtc changes`). */
export type ChangeKind = 'added' | 'edited' | 'removed';

/** One change to one file, recorded by the update that applied it. */
export interface ChangeRecord {
  /** Increasing number of the change in this index. */
  seq: number;
  /** When it was applied (ms since the epoch). */
  at: number;
  path: string;
  kind: ChangeKind;
  /** The generation it produced. */
  generation: number;
  /** Nodes of the file added, removed and updated (same id, other details). */
  nodes: { added: number; removed: number; updated: number };
  /** The declarations among them, by qualified name (a few dozen at most of each). */
  symbols?: { added: string[]; removed: string[]; updated: string[] };
  /** Zero-based line ranges of the new text touched by the change (added or updated declarations). */
  lines: [number, number][];
  /** Where the change came from: the file watcher, an editor's buffer, a scan. */
  source: string;
}

/** One index run's changes, written atomically by {@link IndexStore.write}. */
export interface IndexWrite {
  meta: Omit<IndexMeta, 'schema' | 'generation'>;
  /** Files (re)parsed: their records and graphs. */
  parsed: { record: FileRecord; graph: FileGraph }[];
  /** Records of files re-resolved but not re-parsed (their counts changed). */
  records: FileRecord[];
  /** Files gone from the repository (or now skipped). */
  removed: string[];
  /** The resolved edges of every re-resolved file. */
  edges: [path: string, edges: AsgEdge[]][];
  /**
   * The graph's structure after this run, encoded. Absent (a live delta): the stored structure stays as it
   * was and the meta records the generation it belongs to (`structureGeneration`).
   */
  snapshot?: Uint8Array;
  /** Changes to append to the change history. */
  changes?: Omit<ChangeRecord, 'seq' | 'generation'>[];
  /** Throw inside the transaction after this many steps (tests of failing writes). */
  failAfter?: number;
  /** Kill the process with SIGKILL halfway through the transaction (tests of crash safety). */
  killInside?: boolean;
}

export interface IndexStoreOptions {
  /** Open for reading only: fails when there is no index. */
  readOnly?: boolean;
}

/** Files whose node details a reader keeps decoded. */
const FILE_CACHE = 64;
/**
 * Nodes of a file a reader reads out of its entry one at a time (a query's results: a few per file)
 * before it decodes the whole entry (JSON.parse of a large file's details takes tens of milliseconds).
 */
const SINGLE_READS = 16;
/** The change history keeps this many changes (the oldest go first). */
const CHANGE_HISTORY = 20_000;

/** The LMDB environment of an index and its named databases. */
export class IndexStore {
  readonly dir: string;
  readonly #env: RootDatabase;
  readonly #meta: Database<IndexMeta, string>;
  readonly #files: Database<FileRecord, string>;
  readonly #graphs: Database<string, string>;
  readonly #edges: Database<string, string>;
  readonly #details: Database<string, string>;
  readonly #types: Database<AsgNode, string>;
  readonly #structure: Database<Buffer, string>;
  readonly #changes: Database<ChangeRecord, number>;

  private constructor(dir: string, env: RootDatabase) {
    this.dir = dir;
    this.#env = env;
    this.#meta = env.openDB({ name: 'meta', encoding: 'msgpack' });
    this.#files = env.openDB({ name: 'files', encoding: 'msgpack' });
    this.#graphs = env.openDB({ name: 'file-graphs', encoding: 'string' });
    this.#edges = env.openDB({ name: 'resolved-edges', encoding: 'string' });
    // JSON: measured here, V8's JSON encodes a file's node details about 3× faster than msgpack (2.7 against
    // 9 ms for 1,000 nodes) and decodes them as fast (4.6 against 5.1 ms); the entries are 18% larger.
    this.#details = env.openDB({ name: 'node-details', encoding: 'string' });
    this.#types = env.openDB({ name: 'types', encoding: 'msgpack' });
    this.#structure = env.openDB({ name: 'structure', encoding: 'binary' });
    this.#changes = env.openDB({ name: 'changes', encoding: 'msgpack', keyEncoding: 'uint32' });
  }

  /** Opens (or creates) the index in `dir` (`<repo>/.rtc` by default). */
  static open(dir: string, options: IndexStoreOptions = {}): IndexStore {
    const path = join(dir, 'index.mdb');
    let env: RootDatabase;
    try {
      if (!options.readOnly) mkdirSync(dir, { recursive: true });
      // A large map costs only address space: the file grows as it fills.
      env = options.readOnly ? openReadOnly(path) : open({ path, maxDbs: 16, mapSize: 2 ** 36 });
    } catch (cause) {
      if (options.readOnly)
        throw new EngineError(ERROR_CODES.INDEX_MISSING, `No index in ${dir}: run \`rtc index\` first`, {
          cause,
        });
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `Cannot open the index in ${dir}: ${messageOf(cause)}`,
        {
          cause,
        },
      );
    }
    const store = new IndexStore(dir, env);
    const meta = store.#meta.get('meta');
    if (meta && meta.schema > SCHEMA_VERSION) {
      void env.close();
      throw new EngineError(
        ERROR_CODES.INDEX_TOO_NEW,
        `The index in ${dir} has schema ${meta.schema}, written by a newer rtc; this one reads schema ${SCHEMA_VERSION}. ` +
          'Upgrade rtc, or delete the folder to rebuild the index.',
      );
    }
    if (meta && meta.schema < SCHEMA_VERSION && options.readOnly) {
      void env.close();
      throw new EngineError(
        ERROR_CODES.INDEX_MISSING,
        `The index in ${dir} has schema ${meta.schema}, older than this rtc's ${SCHEMA_VERSION}: ` +
          'run `rtc index` to rebuild it',
      );
    }
    if (meta && meta.schema < SCHEMA_VERSION && !options.readOnly) {
      store.#env.transactionSync(() => {
        migrate(meta.schema, {
          clearAll: () => {
            store.#clearAll();
          },
          setSchema: (schema) => {
            const current = store.#meta.get('meta');
            if (current) void store.#meta.put('meta', { ...current, schema });
          },
        });
      });
    }
    return store;
  }

  /** Starts a read: everything read through it comes from one generation. Call `done()` after. */
  read(): IndexReader {
    return new IndexReader(this, this.#env.useReadTransaction(), {
      meta: this.#meta,
      files: this.#files,
      graphs: this.#graphs,
      edges: this.#edges,
      details: this.#details,
      types: this.#types,
      structure: this.#structure,
      changes: this.#changes,
    });
  }

  /** The current generation (0: nothing indexed yet). */
  generation(): number {
    return this.#meta.get('meta')?.generation ?? 0;
  }

  /**
   * Writes one index run in one transaction: it either commits whole (the new generation) or leaves the
   * previous index untouched.
   */
  write(update: IndexWrite): number {
    let generation = 0;
    let writes = 0;
    const step = (): void => {
      writes++;
      if (update.failAfter !== undefined && writes > update.failAfter)
        throw new EngineError(ERROR_CODES.STORE_FAILED, 'Injected write failure (RTC_FAULT)');
    };
    try {
      this.#env.transactionSync(() => {
        const previous = this.#meta.get('meta');
        generation = (previous?.generation ?? 0) + 1;
        for (const path of update.removed) {
          void this.#files.remove(path);
          void this.#graphs.remove(path);
          void this.#edges.remove(path);
          void this.#details.remove(path);
          step();
        }
        const half = Math.floor(update.parsed.length / 2);
        for (const [i, { record, graph }] of update.parsed.entries()) {
          if (i === half && update.killInside) process.kill(process.pid, 'SIGKILL');
          void this.#files.put(record.path, record);
          void this.#graphs.put(record.path, encodeFileGraph(graph));
          // Node details by file, one entry each (a put per node costs more than the rest of the write).
          void this.#details.put(record.path, JSON.stringify(graph.nodes.filter((n) => n.path !== '')));
          for (const node of graph.nodes) if (node.path === '') void this.#types.put(node.id, node);
          step();
        }
        for (const record of update.records) void this.#files.put(record.path, record);
        for (const [path, edges] of update.edges) {
          void this.#edges.put(path, encodeEdges(edges));
          step();
        }
        let structureGeneration: number | undefined;
        if (update.snapshot) void this.#structure.put('csr', Buffer.from(update.snapshot));
        else structureGeneration = previous?.structureGeneration ?? previous?.generation ?? 0;
        step();
        if (update.changes && update.changes.length > 0) this.#appendChanges(update.changes, generation);
        const meta: Partial<IndexMeta> = { ...update.meta };
        delete meta.structureGeneration;
        void this.#meta.put('meta', {
          ...(meta as Omit<IndexMeta, 'schema' | 'generation'>),
          schema: SCHEMA_VERSION,
          generation,
          ...(structureGeneration !== undefined ? { structureGeneration } : {}),
        });
      });
    } catch (cause) {
      if (cause instanceof EngineError) throw cause;
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `Writing the index in ${this.dir} failed (${messageOf(cause)}${diskHint(this.dir)}); the previous index is unchanged`,
        { cause },
      );
    }
    return generation;
  }

  /**
   * Writes the structure of `generation` when it is still the index's generation (a live session's flush,
   * after its deltas); returns whether it did.
   */
  writeStructure(generation: number, snapshot: Uint8Array): boolean {
    let written = false;
    this.#env.transactionSync(() => {
      const meta = this.#meta.get('meta');
      if (meta?.generation !== generation || meta.structureGeneration === undefined) return;
      void this.#structure.put('csr', Buffer.from(snapshot));
      const current: IndexMeta = { ...meta };
      delete current.structureGeneration;
      void this.#meta.put('meta', current);
      written = true;
    });
    return written;
  }

  #appendChanges(changes: readonly Omit<ChangeRecord, 'seq' | 'generation'>[], generation: number): void {
    let last = 0;
    for (const key of this.#changes.getKeys({ reverse: true, limit: 1 })) last = key;
    let first = 0;
    for (const key of this.#changes.getKeys({ limit: 1 })) first = key;
    for (const change of changes) {
      last++;
      void this.#changes.put(last, { ...change, seq: last, generation });
    }
    // Keep the history bounded: drop the oldest.
    for (let seq = first; seq > 0 && seq <= last - CHANGE_HISTORY; seq++) void this.#changes.remove(seq);
  }

  /** Replaces the list of skipped files (a run that changed nothing else), in the current generation. */
  updateSkipped(skipped: SkippedRecord[]): void {
    this.#env.transactionSync(() => {
      const meta = this.#meta.get('meta');
      if (meta) void this.#meta.put('meta', { ...meta, skipped });
    });
  }

  #clearAll(): void {
    for (const db of [
      this.#meta,
      this.#files,
      this.#graphs,
      this.#edges,
      this.#details,
      this.#types,
      this.#structure,
      this.#changes,
    ])
      db.clearSync();
  }

  /** Deletes every entry (a rebuild from scratch). */
  clear(): void {
    this.#env.transactionSync(() => {
      this.#clearAll();
    });
  }

  async close(): Promise<void> {
    await this.#env.close();
  }
}

interface Databases {
  meta: Database<IndexMeta, string>;
  files: Database<FileRecord, string>;
  graphs: Database<string, string>;
  edges: Database<string, string>;
  details: Database<string, string>;
  types: Database<AsgNode, string>;
  structure: Database<Buffer, string>;
  changes: Database<ChangeRecord, number>;
}

/**
 * One node out of a file's details (the JSON array of its nodes, each object's first key its id) without
 * decoding the rest: the object that starts with the id, up to its closing brace. Undefined when the text
 * has no such object (the caller decodes the whole entry).
 */
function nodeInDetails(bytes: Buffer, id: NodeId): AsgNode | undefined {
  const start = bytes.indexOf(`{"id":${JSON.stringify(id)},`);
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x22) {
      // A string: to its closing quote, escapes skipped (bytes of UTF-8 sequences are all above 0x7f).
      for (i++; i < bytes.length && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return JSON.parse(bytes.toString('utf8', start, i + 1)) as AsgNode;
  }
  return undefined;
}

/** A consistent view of one generation of the index (an LMDB read transaction). */
export class IndexReader {
  readonly store: IndexStore;
  readonly #txn: Transaction;
  readonly #db: Databases;
  #graph: CsrGraph | undefined;
  readonly #fileNodes = new Map<string, Map<NodeId, AsgNode>>();
  /** Nodes read one at a time out of a file's entry, by path (see {@link SINGLE_READS}). */
  readonly #singleReads = new Map<string, number>();
  #done = false;

  constructor(store: IndexStore, txn: Transaction, db: Databases) {
    this.store = store;
    this.#txn = txn;
    this.#db = db;
  }

  #options(): { transaction: Transaction } {
    if (this.#done) throw new EngineError(ERROR_CODES.INTERNAL, 'Read of an index after done()');
    return { transaction: this.#txn };
  }

  /** The index's metadata; undefined when nothing was ever indexed. */
  meta(): IndexMeta | undefined {
    return this.#db.meta.get('meta', this.#options());
  }

  file(path: string): FileRecord | undefined {
    return this.#db.files.get(path, this.#options());
  }

  /** Every file record, in path order. */
  files(): FileRecord[] {
    const records: FileRecord[] = [];
    for (const { value } of this.#db.files.getRange(this.#options())) records.push(value);
    return records;
  }

  /** A file's graph as saved: its nodes are thin (id, kind, name, path); details come from {@link node}. */
  fileGraph(path: string): FileGraph | undefined {
    const text = this.#db.graphs.get(path, this.#options());
    return text === undefined ? undefined : decodeFileGraph(text);
  }

  /** The edges the last resolution of a file proved. */
  resolvedEdges(path: string): AsgEdge[] {
    const text = this.#db.edges.get(path, this.#options());
    return text === undefined ? [] : decodeEdges(text);
  }

  /** A node's details: from its file's entry (decoded once per file, a few files kept), or the shared types. */
  node(id: NodeId): AsgNode | undefined {
    const graph = this.graph();
    const index = graph?.indexOf(id) ?? -1;
    if (!graph || index < 0) return undefined;
    return this.nodeIn(graph.pathOf(index), id);
  }

  /** A node's details when its file is known (`''`: a shared type node). */
  nodeIn(path: string, id: NodeId): AsgNode | undefined {
    if (path === '') return this.#db.types.get(id, this.#options());
    if (!this.#fileNodes.has(path)) {
      const reads = this.#singleReads.get(path) ?? 0;
      if (reads < SINGLE_READS) {
        this.#singleReads.set(path, reads + 1);
        const details = this.#db.details as unknown as {
          getBinaryFast(key: string, options: { transaction: Transaction }): Buffer | undefined;
        };
        const bytes = details.getBinaryFast(path, this.#options());
        if (bytes === undefined) return undefined;
        const found = nodeInDetails(bytes, id);
        if (found) return found;
      }
    }
    return this.fileNodes(path).get(id);
  }

  /** The change history from `since` (ms since the epoch) on, oldest first; at most `limit` (the newest). */
  changes(options: { since?: number; limit?: number } = {}): ChangeRecord[] {
    const found: ChangeRecord[] = [];
    const limit = options.limit ?? Infinity;
    for (const { value } of this.#db.changes.getRange({ ...this.#options(), reverse: true })) {
      if (options.since !== undefined && value.at < options.since) break;
      found.push(value);
      if (found.length >= limit) break;
    }
    return found.reverse();
  }

  /** The details of a file's nodes, by id. */
  fileNodes(path: string): Map<NodeId, AsgNode> {
    let nodes = this.#fileNodes.get(path);
    if (nodes) {
      // Most recently used last.
      this.#fileNodes.delete(path);
      this.#fileNodes.set(path, nodes);
      return nodes;
    }
    const saved = this.#db.details.get(path, this.#options());
    nodes = new Map(((saved === undefined ? [] : JSON.parse(saved)) as AsgNode[]).map((n) => [n.id, n]));
    if (this.#fileNodes.size >= FILE_CACHE) this.#fileNodes.delete(this.#fileNodes.keys().next().value!);
    this.#fileNodes.set(path, nodes);
    return nodes;
  }

  /**
   * The graph's structure; decoded once per reader. When the stored structure is behind the generation (a
   * live session wrote deltas and has not flushed it), it is rebuilt from the file graphs and resolved edges,
   * the way an index run builds it.
   */
  graph(): CsrGraph | undefined {
    if (this.#graph) return this.#graph;
    const meta = this.meta();
    if (meta?.structureGeneration !== undefined && meta.structureGeneration !== meta.generation) {
      this.#graph = this.#rebuildStructure();
      return this.#graph;
    }
    const bytes = this.#db.structure.get('csr', this.#options());
    if (!bytes) return undefined;
    this.#graph = decodeSnapshot(bytes);
    return this.#graph;
  }

  #rebuildStructure(): CsrGraph {
    const nodes: AsgNode[] = [];
    const local: AsgEdge[] = [];
    const resolved: AsgEdge[] = [];
    for (const { key } of this.#db.files.getRange(this.#options())) {
      const graph = this.fileGraph(key);
      if (!graph) continue;
      for (const node of graph.nodes) nodes.push(node);
      for (const edge of graph.edges) local.push(edge);
      for (const edge of this.resolvedEdges(key)) resolved.push(edge);
    }
    for (const edge of resolved) local.push(edge);
    return CsrGraph.build(nodes, local, { dedupe: true });
  }

  /**
   * Checks that the generation read is whole: every file record has its graph, every node of the
   * structure has its details (types aside), and the structure's files are the records'. Returns the
   * problems found (none for a consistent index).
   */
  check(): string[] {
    const problems: string[] = [];
    const meta = this.meta();
    if (!meta) return this.graph() ? ['a structure without metadata'] : [];
    const graph = this.graph();
    if (!graph) return ['metadata without a structure'];
    const records = this.files();
    const paths = new Set(records.map((r) => r.path));
    for (const record of records) {
      const saved = this.#db.graphs.get(record.path, this.#options());
      if (saved === undefined) problems.push(`${record.path}: record without a file graph`);
    }
    for (const path of graph.arrays.files)
      if (!paths.has(path)) problems.push(`${path}: in the structure but has no record`);
    const { ids } = graph.arrays;
    for (let i = 0; i < ids.length; i++) {
      const node = this.node(ids[i]!);
      if (!node) problems.push(`node ${ids[i]!} (${graph.pathOf(i)}): no details`);
      else if (node.path !== graph.pathOf(i))
        problems.push(`node ${ids[i]!}: path ${node.path} ≠ ${graph.pathOf(i)}`);
      if (problems.length > 20) break;
    }
    return problems;
  }

  /** Ends the read (releases the snapshot). */
  done(): void {
    if (this.#done) return;
    this.#done = true;
    this.#txn.done();
  }
}

/**
 * Opens an index for reading. While another process commits, opening can fail for a moment (seen here: EINVAL
 * from the first read transaction while the writer grows the file): a few retries, 20 ms apart, before giving
 * up. A missing file fails at once.
 */
function openReadOnly(path: string): RootDatabase {
  for (let attempt = 0; ; attempt++) {
    try {
      return open({ path, maxDbs: 16, readOnly: true });
    } catch (error) {
      if (attempt >= 5 || !existsSync(path)) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** `, disk full: N bytes free` when the disk holding `dir` is (nearly) full. */
function diskHint(dir: string): string {
  try {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    return free < 64 * 1024 * 1024 ? `; the disk is full or nearly: ${free} bytes free` : '';
  } catch {
    return '';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
