/**
 * @module retrieve/vectors
 * The vector stage over an index folder: symbol vectors in the `vectors` table of `lexical.sqlite`
 * (Float32 little-endian BLOBs), a fitted embedder's state beside them, and, above {@link HNSW_THRESHOLD}
 * vectors, an HNSW graph in `vectors-<model hash>-<epoch>-<version>.usearch`. Updates are incremental (a symbol is
 * embedded again only when its text or the embedder's state changed) and crash-safe.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EngineError, hash64, throwIfCancelled } from '../base/index.js';
import { LexicalIndex, openSqlite, prepared } from '../store/index.js';
import type { SqliteDatabase, SqliteStatement } from '../store/index.js';
import { isFittedEmbedder } from './embedders/index.js';
import type { Embedder, SymbolDocument, VectorSearch } from './types.js';
import { ExactVectorIndex, HNSW_THRESHOLD, HnswGraph, HnswVectorIndex, KeyTable } from './vector-index.js';
import type { HnswOptions } from './vector-index.js';

/**
 * How the stored vectors change.
 * - `documents`: new and changed symbols; unchanged ones may be included (their text hash skips them).
 * - `removed`: ids of symbols gone.
 * - `files`: paths whose symbols are now exactly those of `documents`: their other vectors are dropped.
 * - `all`: `documents` is the whole corpus: every other vector is dropped, and a fitted embedder is fitted
 *   again when it has no state, when `refit` is set, or when the corpus size drifted by more than
 *   {@link REFIT_DRIFT} since its fit (then every vector is embedded again).
 */
export interface VectorChanges {
  documents: readonly SymbolDocument[];
  removed?: readonly string[];
  files?: readonly string[];
  all?: boolean;
  refit?: boolean;
}

export interface VectorUpdateOptions {
  /** Vectors from which an HNSW graph is kept (default {@link HNSW_THRESHOLD}). */
  threshold?: number;
  /** Settings of the HNSW graph (the same must be given to {@link openVectors}). */
  hnsw?: HnswOptions;
  /**
   * Vectors written or removed since the graph file after which it is written again (default: 5% of the
   * vectors, at least 1000, at most 10 000). Until then readers search those written since exactly.
   */
  rewriteAfter?: number;
  /** Documents per embedding call and per transaction (default 1024). */
  chunk?: number;
  signal?: AbortSignal;
}

export interface VectorUpdateResult {
  model: string;
  /** Vectors computed (new or changed symbols). */
  embedded: number;
  removed: number;
  /** Vectors of this model now. */
  total: number;
  /** Whether the embedder's statistics were fitted in this update. */
  refitted: boolean;
  /**
   * The vectors may not reflect the whole corpus: no update with `all` completed for this embedder yet
   * (or the last one was interrupted), or its fitted statistics drifted. Call again with `all`.
   */
  needsAll: boolean;
  /** What {@link openVectors} will search: exact, or an HNSW graph (`graph`: rewritten in this update). */
  search: 'exact' | 'hnsw';
  graph: 'unchanged' | 'updated' | 'rebuilt' | 'none';
}

/** Relative change of the corpus size after which a fitted embedder's statistics count as stale. */
export const REFIT_DRIFT = 0.25;

/** Characters of a document's text given to an embedder. */
const MAX_TEXT = 8000;
/** Rows per INSERT statement. */
const ROWS_PER_INSERT = 100;

/** The text a symbol is embedded from: kind and qualified name, path, doc comment, code tokens. */
export function documentText(document: SymbolDocument): string {
  const text = `${document.kind} ${document.qualifiedName}\n${document.path}\n${document.doc ?? ''}\n${document.text}`;
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

interface StateRow {
  model: string;
  dim: number;
  version: number;
  next_key: number;
  fitted_documents: number;
  complete: number;
  state_hash: string;
  epoch: string;
}

type Connection = ReturnType<typeof openSqlite>;

const SCHEMA_READY = new WeakSet<SqliteDatabase>();

/**
 * Adds what the vector stage keeps to `lexical.sqlite`: the `vectors` table (made here when the lexical
 * index did not make it) with the columns it needs, the embedder states, the tombstones of removed keys.
 */
function ensureSchema(connection: Connection): void {
  const db = connection.db;
  if (SCHEMA_READY.has(db)) return;
  db.exec(
    'CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL)',
  );
  const columns = new Set(
    (db.prepare('PRAGMA table_info(vectors)').all([]) as { name: string }[]).map((column) => column.name),
  );
  const added: [string, string][] = [
    ['path', 'TEXT'],
    ['key', 'INTEGER'],
    ['hash', 'TEXT'],
    ['version', 'INTEGER'],
  ];
  for (const [name, type] of added) {
    if (!columns.has(name)) db.exec(`ALTER TABLE vectors ADD COLUMN ${name} ${type}`);
  }
  db.exec(`
    CREATE INDEX IF NOT EXISTS vectors_path ON vectors(path);
    CREATE TABLE IF NOT EXISTS vector_state (
      model TEXT PRIMARY KEY, dim INTEGER NOT NULL, version INTEGER NOT NULL, next_key INTEGER NOT NULL,
      fitted_documents INTEGER NOT NULL, complete INTEGER NOT NULL, state_hash TEXT NOT NULL, state BLOB,
      epoch TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS vector_tombstones (model TEXT NOT NULL, key INTEGER NOT NULL, version INTEGER NOT NULL);
  `);
  SCHEMA_READY.add(db);
}

function storeFailure(what: string, cause: unknown): EngineError {
  if (cause instanceof EngineError) return cause;
  return new EngineError(
    ERROR_CODES.STORE_FAILED,
    `${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

function transaction<T>(db: SqliteDatabase, body: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = body();
    db.exec('COMMIT');
    return result;
  } catch (cause) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // no transaction open
    }
    throw storeFailure('Writing the vectors failed', cause);
  }
}

/** The start of the names of a model's graph files: `vectors-<model hash>-<epoch>-<version>.usearch`. */
function graphPrefix(model: string): string {
  return `vectors-${hash64(model).slice(0, 12)}-`;
}

/**
 * The graph files of a model in `dir`, newest version first. The epoch (random, drawn when the model's
 * state row is made) keeps a file of an older `lexical.sqlite` from passing for one of this.
 */
function graphFiles(dir: string, model: string): { path: string; epoch: string; version: number }[] {
  const prefix = graphPrefix(model);
  const files: { path: string; epoch: string; version: number }[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of names) {
    const match = /^([0-9a-f]+)-(\d+)\.usearch$/.exec(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !match) continue;
    files.push({ path: join(dir, name), epoch: match[1]!, version: Number(match[2]) });
  }
  return files.sort((a, b) => b.version - a.version);
}

function removeFile(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // A reader may map it (Windows): the next update removes it.
  }
}

/** The bytes of a vector as a BLOB (little-endian, as every platform Node runs on). */
function vectorBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** The bytes of a BLOB as libSQL returns it (an ArrayBuffer, or a Buffer in some versions). */
function blobBytes(blob: ArrayBuffer | Uint8Array): Uint8Array {
  return blob instanceof Uint8Array ? blob : new Uint8Array(blob);
}

/** Copies BLOB rows into one matrix (BLOBs need not be 4-byte aligned). */
function fillMatrix(rows: readonly { vector: ArrayBuffer | Uint8Array }[], dimensions: number): Float32Array {
  const matrix = new Float32Array(rows.length * dimensions);
  const bytes = new Uint8Array(matrix.buffer);
  const rowBytes = dimensions * 4;
  rows.forEach((row, i) => {
    const vector = blobBytes(row.vector);
    if (vector.byteLength !== rowBytes) {
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `A stored vector has ${vector.byteLength} bytes, not ${rowBytes}`,
      );
    }
    bytes.set(vector, i * rowBytes);
  });
  return matrix;
}

/** The embedder states this process loaded or fitted, by hash: a state is loaded once per embedder. */
const LOADED_STATE = new WeakMap<Embedder, string>();

function stateHashOf(bytes: Uint8Array): string {
  return hash64(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/**
 * Brings the vectors of `dir` (an index folder) up to date for `embedder`. Call it after the lexical
 * index's commit, with the index's write lock held, never beside another write to the same folder. The
 * vectors of one embedder are kept at a time: those of another id are dropped.
 */
export async function updateVectors(
  dir: string,
  embedder: Embedder,
  changes: VectorChanges,
  options: VectorUpdateOptions = {},
): Promise<VectorUpdateResult> {
  LexicalIndex.open(dir); // its schema (the `vectors` table) first
  const connection = openSqlite(join(dir, 'lexical.sqlite'), { readOnly: false });
  ensureSchema(connection);
  const db = connection.db;
  const sql = (text: string): SqliteStatement => prepared(connection, text);
  const model = embedder.id;
  const dimensions = embedder.dimensions;
  const all = changes.all ?? false;
  const documents = new Map<string, SymbolDocument>();
  for (const document of changes.documents) documents.set(document.id, document);

  const state = sql('SELECT * FROM vector_state WHERE model = ?').get([model]) as StateRow | undefined;
  if (state && state.dim !== dimensions) {
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `The stored vectors of ${model} have ${state.dim} dimensions, the embedder ${dimensions}`,
    );
  }

  // The embedder's statistics: the stored ones, or fitted again.
  let stateHash = state?.state_hash ?? '';
  let newState: Uint8Array | undefined;
  let refitted = false;
  if (isFittedEmbedder(embedder)) {
    if (state && state.state_hash !== '' && LOADED_STATE.get(embedder) !== state.state_hash) {
      const row = sql('SELECT state FROM vector_state WHERE model = ?').get([model]) as {
        state: ArrayBuffer | Uint8Array;
      };
      embedder.loadState(blobBytes(row.state));
      LOADED_STATE.set(embedder, state.state_hash);
    }
    const drifted =
      state !== undefined &&
      Math.abs(documents.size - state.fitted_documents) > REFIT_DRIFT * state.fitted_documents;
    const unfitted = !state || state.state_hash === '';
    const fit = all ? unfitted || changes.refit === true || drifted : !state;
    if (fit && documents.size > 0) {
      embedder.fit(Array.from(documents.values(), documentText));
      const bytes = embedder.saveState();
      const fittedHash = stateHashOf(bytes);
      LOADED_STATE.set(embedder, fittedHash);
      if (fittedHash !== stateHash) {
        refitted = true;
        newState = bytes;
        stateHash = fittedHash;
      }
    }
  }

  // What is stored, and what changes.
  const stored = new Map<string, { key: number; hash: string }>();
  for (const row of sql('SELECT id, key, hash FROM vectors WHERE model = ?').all([model]) as {
    id: string;
    key: number;
    hash: string;
  }[]) {
    stored.set(row.id, { key: row.key, hash: row.hash });
  }
  const gone = new Set<string>();
  if (all) for (const id of stored.keys()) if (!documents.has(id)) gone.add(id);
  for (const id of changes.removed ?? []) if (stored.has(id) && !documents.has(id)) gone.add(id);
  for (const path of changes.files ?? []) {
    for (const row of sql('SELECT id FROM vectors WHERE model = ? AND path = ?').all([model, path]) as {
      id: string;
    }[]) {
      if (!documents.has(row.id)) gone.add(row.id);
    }
  }
  const pending: { document: SymbolDocument; text: string; hash: string }[] = [];
  for (const document of documents.values()) {
    const text = documentText(document);
    const hash = hash64(`${stateHash}\u0000${text}`);
    if (stored.get(document.id)?.hash !== hash) pending.push({ document, text, hash });
  }
  const others = sql('SELECT DISTINCT model FROM vectors WHERE model != ?').all([model]) as {
    model: string;
  }[];
  const changing =
    pending.length > 0 || gone.size > 0 || others.length > 0 || newState !== undefined || !state;

  // The first transaction: removals, the state, the new version (the rows written below carry it).
  const version = (state?.version ?? 0) + (changing ? 1 : 0);
  let nextKey = state?.next_key ?? 0;
  if (changing) {
    transaction(db, () => {
      for (const other of others) {
        sql('DELETE FROM vectors WHERE model = ?').run([other.model]);
        sql('DELETE FROM vector_state WHERE model = ?').run([other.model]);
        sql('DELETE FROM vector_tombstones WHERE model = ?').run([other.model]);
        for (const file of graphFiles(dir, other.model)) removeFile(file.path);
      }
      const remove = sql('DELETE FROM vectors WHERE id = ?');
      const tombstone = sql('INSERT INTO vector_tombstones (model, key, version) VALUES (?, ?, ?)');
      for (const id of gone) {
        remove.run([id]);
        tombstone.run([model, stored.get(id)!.key, version]);
      }
      // An update with `all` marks the vectors incomplete until it ends.
      const complete = all ? 0 : (state?.complete ?? 0);
      if (!state) {
        sql(
          `INSERT INTO vector_state (model, dim, version, next_key, fitted_documents, complete, state_hash, state, epoch)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run([
          model,
          dimensions,
          version,
          nextKey,
          newState ? documents.size : 0,
          complete,
          stateHash,
          newState ? Buffer.from(newState) : null,
          randomBytes(6).toString('hex'),
        ]);
      } else if (newState) {
        sql(
          'UPDATE vector_state SET version = ?, fitted_documents = ?, complete = ?, state_hash = ?, state = ? WHERE model = ?',
        ).run([version, documents.size, complete, stateHash, Buffer.from(newState), model]);
      } else {
        sql('UPDATE vector_state SET version = ?, complete = ? WHERE model = ?').run([
          version,
          complete,
          model,
        ]);
      }
    });
  }

  // Embedding, a chunk at a time, each chunk its own transaction: an interrupted run keeps what it did.
  const chunk = Math.max(1, options.chunk ?? 1024);
  for (let start = 0; start < pending.length; start += chunk) {
    throwIfCancelled(options.signal);
    const part = pending.slice(start, start + chunk);
    const vectors = await embedder.embed(
      part.map((item) => item.text),
      'document',
    );
    if (vectors.length !== part.length) {
      throw new EngineError(
        ERROR_CODES.INTERNAL,
        `The embedder ${model} returned ${vectors.length} vectors for ${part.length} texts`,
      );
    }
    for (const vector of vectors) {
      if (vector.length !== dimensions) {
        throw new EngineError(
          ERROR_CODES.INVALID_ARGUMENT,
          `The embedder ${model} returned a vector of ${vector.length} dimensions, not ${dimensions}`,
        );
      }
    }
    transaction(db, () => {
      const tombstone = sql('INSERT INTO vector_tombstones (model, key, version) VALUES (?, ?, ?)');
      for (let at = 0; at < part.length; at += ROWS_PER_INSERT) {
        const rows = part.slice(at, at + ROWS_PER_INSERT);
        const params: unknown[] = [];
        rows.forEach((item, i) => {
          const old = stored.get(item.document.id);
          if (old) tombstone.run([model, old.key, version]);
          params.push(
            item.document.id,
            model,
            dimensions,
            vectorBlob(vectors[at + i]!),
            item.document.path,
            nextKey++,
            item.hash,
            version,
          );
        });
        sql(
          `INSERT OR REPLACE INTO vectors (id, model, dim, vector, path, key, hash, version) VALUES ${rows
            .map(() => '(?, ?, ?, ?, ?, ?, ?, ?)')
            .join(', ')}`,
        ).run(params);
      }
      sql('UPDATE vector_state SET next_key = ? WHERE model = ?').run([nextKey, model]);
    });
  }

  if (all) sql('UPDATE vector_state SET complete = 1 WHERE model = ? AND complete = 0').run([model]);
  const total = countRows(connection, model);
  const final = sql('SELECT * FROM vector_state WHERE model = ?').get([model]) as StateRow;
  const graph = maintainGraph(dir, connection, final, total, options);
  const drifted =
    isFittedEmbedder(embedder) &&
    final.fitted_documents > 0 &&
    Math.abs(total - final.fitted_documents) > REFIT_DRIFT * final.fitted_documents;
  return {
    model,
    embedded: pending.length,
    removed: gone.size,
    total,
    refitted,
    needsAll: final.complete !== 1 || drifted,
    search: graph === 'none' ? 'exact' : 'hnsw',
    graph,
  };
}

function countRows(connection: Connection, model: string): number {
  return (
    prepared(connection, 'SELECT count(*) AS n FROM vectors WHERE model = ?').get([model]) as { n: number }
  ).n;
}

/** Rows of vectors at a time while building a graph. */
const GRAPH_PAGE = 8192;

/**
 * Keeps the model's HNSW graph file in step with its rows: none below the threshold; built when missing or
 * when the vectors removed since its build pass a quarter of it; updated (removals, additions, written under
 * the new version) when the changes since the file pass `rewriteAfter`; else left alone: readers search
 * the vectors written since the file exactly, beside the graph. Tombstones (keys removed) are kept until
 * the next build: their count is what decides it.
 */
function maintainGraph(
  dir: string,
  connection: Connection,
  state: StateRow,
  total: number,
  options: VectorUpdateOptions,
): VectorUpdateResult['graph'] {
  const model = state.model;
  const sql = (text: string): SqliteStatement => prepared(connection, text);
  const prefix = graphPrefix(model);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) removeFile(join(dir, name));
  }
  const files = graphFiles(dir, model);
  if (total < (options.threshold ?? HNSW_THRESHOLD)) {
    for (const file of files) removeFile(file.path);
    sql('DELETE FROM vector_tombstones WHERE model = ?').run([model]);
    return 'none';
  }
  const newest = files.find((file) => file.epoch === state.epoch && file.version <= state.version);
  const target = join(dir, `${prefix}${state.epoch}-${state.version}.usearch`);
  const keepOnly = (): void => {
    for (const file of graphFiles(dir, model)) if (file.path !== target) removeFile(file.path);
  };
  if (newest?.version === state.version) {
    keepOnly();
    return 'unchanged';
  }
  const hnsw = options.hnsw ?? {};
  if (newest) {
    const recent = (
      sql('SELECT count(*) AS n FROM vectors WHERE model = ? AND version > ?').get([
        model,
        newest.version,
      ]) as {
        n: number;
      }
    ).n;
    const removed = sql('SELECT key FROM vector_tombstones WHERE model = ? AND version > ?').all([
      model,
      newest.version,
    ]) as { key: number }[];
    const removedSinceBuild = (
      sql('SELECT count(*) AS n FROM vector_tombstones WHERE model = ?').get([model]) as { n: number }
    ).n;
    if (removedSinceBuild <= 0.25 * total) {
      const rewriteAfter = options.rewriteAfter ?? Math.min(10_000, Math.max(1000, 0.05 * total));
      if (recent + removed.length <= rewriteAfter) return 'unchanged';
      const graph = HnswGraph.open(newest.path, state.dim, hnsw);
      graph.remove(removed.map((row) => row.key));
      addRows(connection, graph, model, state.dim, newest.version);
      graph.save(target);
      keepOnly();
      return 'updated';
    }
  }
  const graph = HnswGraph.create(state.dim, hnsw);
  addRows(connection, graph, model, state.dim, -1);
  graph.save(target);
  keepOnly();
  sql('DELETE FROM vector_tombstones WHERE model = ? AND version <= ?').run([model, state.version]);
  return 'rebuilt';
}

/** Adds the model's rows written after version `since` to a graph, a page at a time. */
function addRows(
  connection: Connection,
  graph: HnswGraph,
  model: string,
  dimensions: number,
  since: number,
): void {
  const page = prepared(
    connection,
    'SELECT rowid, key, vector FROM vectors WHERE model = ? AND version > ? AND rowid > ? ORDER BY rowid LIMIT ?',
  );
  let after = -1;
  for (;;) {
    const rows = page.all([model, since, after, GRAPH_PAGE]) as {
      rowid: number;
      key: number;
      vector: ArrayBuffer | Uint8Array;
    }[];
    if (rows.length === 0) return;
    graph.add(
      Float64Array.from(rows, (row) => row.key),
      fillMatrix(rows, dimensions),
    );
    after = rows[rows.length - 1]!.rowid;
  }
}

/**
 * A search over the stored vectors of `embedder` in `dir`, or undefined when there are none for its id.
 * A fitted embedder gets its stored state (queries are then embedded as the documents were). With a graph
 * file, the graph is mapped, and vectors written since it are searched exactly beside it; without one (below
 * the threshold, or after an interrupted update), every vector is read and searched exactly.
 */
export function openVectors(
  dir: string,
  embedder: Embedder,
  options: { hnsw?: HnswOptions } = {},
): VectorSearch | undefined {
  const path = join(dir, 'lexical.sqlite');
  if (!existsSync(path)) return undefined;
  let connection: Connection;
  try {
    connection = openSqlite(path, { readOnly: true });
  } catch (cause) {
    throw storeFailure(`Cannot open ${path}`, cause);
  }
  const db = connection.db;
  const sql = (text: string): SqliteStatement => prepared(connection, text);
  const model = embedder.id;
  db.exec('BEGIN'); // one snapshot for every read below
  try {
    let state: (StateRow & { state: ArrayBuffer | Uint8Array | null }) | undefined;
    try {
      state = sql('SELECT * FROM vector_state WHERE model = ?').get([model]) as typeof state;
    } catch {
      return undefined; // no vector stage in this index yet
    }
    if (!state) return undefined;
    if (state.dim !== embedder.dimensions) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `The stored vectors of ${model} have ${state.dim} dimensions, the embedder ${embedder.dimensions}`,
      );
    }
    if (isFittedEmbedder(embedder) && state.state && LOADED_STATE.get(embedder) !== state.state_hash) {
      embedder.loadState(blobBytes(state.state));
      LOADED_STATE.set(embedder, state.state_hash);
    }
    const file = graphFiles(dir, model).find(
      (candidate) => candidate.epoch === state.epoch && candidate.version <= state.version,
    );
    if (!file) {
      const rows = sql('SELECT id, vector FROM vectors WHERE model = ?').all([model]) as {
        id: string;
        vector: ArrayBuffer | Uint8Array;
      }[];
      if (rows.length === 0) return undefined;
      return new ExactVectorIndex(
        rows.map((row) => row.id),
        fillMatrix(rows, state.dim),
        state.dim,
      );
    }
    const keyed = sql('SELECT key, id FROM vectors WHERE model = ?').all([model]) as {
      key: number;
      id: string;
    }[];
    const recentRows = sql('SELECT id, vector FROM vectors WHERE model = ? AND version > ?').all([
      model,
      file.version,
    ]) as {
      id: string;
      vector: ArrayBuffer | Uint8Array;
    }[];
    const graph = HnswGraph.open(file.path, state.dim, { ...options.hnsw, view: true });
    const recent = new ExactVectorIndex(
      recentRows.map((row) => row.id),
      fillMatrix(recentRows, state.dim),
      state.dim,
    );
    return new HnswVectorIndex(
      graph,
      KeyTable.from(
        keyed.map((row) => row.key),
        keyed.map((row) => row.id),
      ),
      { stale: Math.max(0, graph.size - (keyed.length - recentRows.length)), recent },
    );
  } finally {
    db.exec('COMMIT');
  }
}
