/**
 * @module store/lexical-index
 * The lexical index, in SQLite (libSQL): an FTS5 table over code-aware tokens of every symbol (its name split
 * on camelCase and snake_case, its qualified name, its path) and its doc comment, ranked by BM25; and the
 * table of vectors that the retrieval stage fills. It is derived from the LMDB index and stamped with the
 * generation it reflects: when a crash leaves it behind, the next index run rebuilds it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { codeTokens, ERROR_CODES, EngineError } from '../base/index.js';
import type { AsgNode } from '../graph/index.js';
import { SCHEMA_VERSION } from './schema.js';

/** A symbol found by a lexical query. */
export interface LexicalHit {
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: string;
  line: number;
  /** BM25 score, higher is better. */
  score: number;
}

/** Symbols to index for one file. */
export interface LexicalFile {
  path: string;
  nodes: readonly AsgNode[];
}

interface SqliteStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
  get(params: unknown[]): unknown;
}
interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** Rows per INSERT statement (SQLite allows 32766 parameters: 7 × 256 is well below). */
const BATCH = 256;

/** Node kinds worth finding by words (not call sites, imports, return values, parameters or type texts). */
const LEXICAL_KINDS = new Set([
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

/**
 * Open connections, one per file and mode, shared by every {@link LexicalIndex} of the process. libSQL keeps
 * a connection's file open until its prepared statements are garbage-collected, even after `close()`, so
 * opening and closing per query would leak file descriptors: a connection is opened once and reused, with
 * its statements. The file's inode is checked at each open: a deleted and re-created index gets a new one.
 */
const CONNECTIONS = new Map<
  string,
  { db: SqliteDatabase; inode: string; statements: Map<string, SqliteStatement> }
>();

function inodeOf(path: string): string {
  try {
    const info = statSync(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return '';
  }
}

export class LexicalIndex {
  readonly path: string;
  readonly #db: SqliteDatabase;
  readonly #statements: Map<string, SqliteStatement>;

  private constructor(path: string, db: SqliteDatabase, statements: Map<string, SqliteStatement>) {
    this.path = path;
    this.#db = db;
    this.#statements = statements;
  }

  #prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Opens (creating when asked) the lexical index of the index folder `dir`. */
  static open(dir: string, options: { readOnly?: boolean } = {}): LexicalIndex {
    const path = join(dir, 'lexical.sqlite');
    const key = `${options.readOnly ? 'r' : 'w'}:${path}`;
    const cached = CONNECTIONS.get(key);
    if (cached?.inode === inodeOf(path)) return new LexicalIndex(path, cached.db, cached.statements);
    let db: SqliteDatabase;
    try {
      db = new Database(path, {
        readonly: options.readOnly ?? false,
        fileMustExist: options.readOnly ?? false,
      }) as unknown as SqliteDatabase;
      db.exec('PRAGMA busy_timeout = 5000');
      if (!options.readOnly) {
        db.exec('PRAGMA journal_mode = WAL');
        db.exec(`
          CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE IF NOT EXISTS symbols (
            rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
            qualified_name TEXT NOT NULL, kind TEXT NOT NULL, line INTEGER NOT NULL);
          CREATE INDEX IF NOT EXISTS symbols_path ON symbols(path);
          CREATE VIRTUAL TABLE IF NOT EXISTS symbols_fts USING fts5(name, qualified, path, doc, tokenize = 'unicode61');
          CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL);
        `);
        db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run([
          'schema',
          String(SCHEMA_VERSION),
        ]);
      }
    } catch (cause) {
      throw new EngineError(
        options.readOnly ? ERROR_CODES.INDEX_MISSING : ERROR_CODES.STORE_FAILED,
        `Cannot open the lexical index ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    const statements = new Map<string, SqliteStatement>();
    CONNECTIONS.set(key, { db, inode: inodeOf(path), statements });
    return new LexicalIndex(path, db, statements);
  }

  /** The index generation this lexical index reflects (0: none). */
  generation(): number {
    const row = this.#prepare("SELECT value FROM meta WHERE key = 'generation'").get([]) as
      | { value: string }
      | undefined;
    return row ? Number(row.value) : 0;
  }

  /**
   * Replaces the symbols of some files (and drops those of removed files) in one transaction, and stamps the
   * generation. With `all`, everything is dropped first (a rebuild).
   */
  update(changes: {
    files: Iterable<LexicalFile>;
    removed: readonly string[];
    generation: number;
    all?: boolean;
  }): void {
    const db = this.#db;
    const deleteFts = this.#prepare(
      'DELETE FROM symbols_fts WHERE rowid IN (SELECT rowid FROM symbols WHERE path = ?)',
    );
    const deleteSymbols = this.#prepare('DELETE FROM symbols WHERE path = ?');
    // Rows go in batches of BATCH per statement, with rowids assigned here: per-call overhead dominates.
    const symbolSql = (rows: number): string =>
      `INSERT INTO symbols (rowid, id, path, name, qualified_name, kind, line) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
    const ftsSql = (rows: number): string =>
      `INSERT INTO symbols_fts (rowid, name, qualified, path, doc) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}`;
    let symbolRows: unknown[] = [];
    let ftsRows: unknown[] = [];
    let pending = 0;
    const flush = (): void => {
      if (pending === 0) return;
      this.#prepare(symbolSql(pending)).run(symbolRows);
      this.#prepare(ftsSql(pending)).run(ftsRows);
      symbolRows = [];
      ftsRows = [];
      pending = 0;
    };
    db.exec('BEGIN IMMEDIATE');
    try {
      if (changes.all) db.exec('DELETE FROM symbols; DELETE FROM symbols_fts;');
      for (const path of changes.removed) {
        deleteFts.run([path]);
        deleteSymbols.run([path]);
      }
      let rowid = (this.#prepare('SELECT coalesce(max(rowid), 0) AS n FROM symbols').get([]) as { n: number })
        .n;
      for (const file of changes.files) {
        if (!changes.all) {
          deleteFts.run([file.path]);
          deleteSymbols.run([file.path]);
        }
        const pathTokens = codeTokens(file.path).join(' ');
        for (const node of file.nodes) {
          if (!LEXICAL_KINDS.has(node.kind) || node.path === '') continue;
          rowid++;
          symbolRows.push(
            rowid,
            node.id,
            node.path,
            node.name,
            node.qualifiedName,
            node.kind,
            node.range.start.line,
          );
          ftsRows.push(
            rowid,
            codeTokens(node.name).join(' '),
            codeTokens(node.qualifiedName).join(' '),
            node.path === file.path ? pathTokens : codeTokens(node.path).join(' '),
            node.doc ?? '',
          );
          if (++pending === BATCH) flush();
        }
      }
      flush();
      this.#prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)").run([
        String(changes.generation),
      ]);
      db.exec('COMMIT');
    } catch (cause) {
      db.exec('ROLLBACK');
      throw new EngineError(
        ERROR_CODES.STORE_FAILED,
        `Writing the lexical index failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  /**
   * Symbols matching the words of a query (any of them; BM25 with name matches weighted over qualified
   * names, paths and docs).
   */
  search(query: string, limit = 20): LexicalHit[] {
    const tokens = [...new Set(codeTokens(query))];
    if (tokens.length === 0) return [];
    const match = tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
    const rows = this.#prepare(
      `SELECT s.id, s.path, s.name, s.qualified_name AS qualifiedName, s.kind, s.line,
                -bm25(symbols_fts, 4.0, 2.0, 1.0, 0.5) AS score
           FROM symbols_fts JOIN symbols s ON s.rowid = symbols_fts.rowid
          WHERE symbols_fts MATCH ? ORDER BY score DESC LIMIT ?`,
    ).all([match, limit]) as LexicalHit[];
    return rows;
  }

  /** How many symbols are indexed. */
  count(): number {
    return (this.#prepare('SELECT count(*) AS n FROM symbols').get([]) as { n: number }).n;
  }

  /** Ends the use of this handle. The shared connection stays open for the next (see `CONNECTIONS`). */
  close(): void {
    // Nothing to release: the connection is shared.
  }
}
