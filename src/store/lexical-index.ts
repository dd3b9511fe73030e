/**
 * @module store/lexical-index
 * The lexical index, in SQLite (libSQL): an FTS5 table over code-aware tokens of every symbol (its name split
 * on camelCase and snake_case, its qualified name, its path) and its doc comment, ranked by BM25; and the
 * table of vectors that the retrieval stage fills. It is derived from the LMDB index and stamped with the
 * generation it reflects: when a crash leaves it behind, the next index run rebuilds it.
 */
import { join } from 'node:path';
import { codeTokens, ERROR_CODES, EngineError } from '../base/index.js';
import { SYMBOL_KINDS } from '../graph/index.js';
import type { AsgNode } from '../graph/index.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSqlite } from './sqlite.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite.js';

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

/** What the lexical index keeps of a node. */
export interface LexicalNode {
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: string;
  /** Zero-based line of the declaration. */
  line: number;
  doc?: string;
}

/** Symbols to index for one file. */
export interface LexicalFile {
  path: string;
  nodes: readonly LexicalNode[];
}

/** The lexical part of a file's nodes (the kinds worth finding by words). */
export function lexicalFile(path: string, nodes: readonly AsgNode[]): LexicalFile {
  const kept: LexicalNode[] = [];
  for (const n of nodes) {
    if (!LEXICAL_KINDS.has(n.kind) || n.path === '') continue;
    kept.push({
      id: n.id,
      path: n.path,
      name: n.name,
      qualifiedName: n.qualifiedName,
      kind: n.kind,
      line: n.range.start.line,
      ...(n.doc !== undefined ? { doc: n.doc } : {}),
    });
  }
  return { path, nodes: kept };
}

function storeFailure(cause: unknown): EngineError {
  if (cause instanceof EngineError) return cause;
  return new EngineError(
    ERROR_CODES.STORE_FAILED,
    `Writing the lexical index failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

/** Rows per INSERT statement (SQLite allows 32766 parameters: 7 × 256 is well below). */
const BATCH = 256;

/** Node kinds worth finding by words: the symbol kinds but parameters. */
const LEXICAL_KINDS: ReadonlySet<string> = new Set([...SYMBOL_KINDS].filter((kind) => kind !== 'parameter'));

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
    try {
      const { db, statements } = openSqlite(path, {
        readOnly: options.readOnly ?? false,
        create: (created) => {
          created.exec(`
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS symbols (
              rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
              qualified_name TEXT NOT NULL, kind TEXT NOT NULL, line INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS symbols_path ON symbols(path);
            CREATE VIRTUAL TABLE IF NOT EXISTS symbols_fts USING fts5(name, qualified, path, doc, tokenize = 'unicode61');
            CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL);
          `);
          created
            .prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
            .run(['schema', String(SCHEMA_VERSION)]);
        },
      });
      return new LexicalIndex(path, db, statements);
    } catch (cause) {
      throw new EngineError(
        options.readOnly ? ERROR_CODES.INDEX_MISSING : ERROR_CODES.STORE_FAILED,
        `Cannot open the lexical index ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
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
    this.begin({ removed: changes.removed, all: changes.all ?? false });
    try {
      for (const file of changes.files) this.add(file);
    } catch (cause) {
      this.rollback();
      throw storeFailure(cause);
    }
    this.commit(changes.generation);
  }

  /** Starts a write: one transaction, until {@link commit} or {@link rollback}. */
  begin(options: { removed: readonly string[]; all: boolean }): void {
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      this.#all = options.all;
      if (options.all) db.exec('DELETE FROM symbols; DELETE FROM symbols_fts;');
      for (const path of options.removed) this.#deletePath(path);
      this.#rowid = (
        this.#prepare('SELECT coalesce(max(rowid), 0) AS n FROM symbols').get([]) as { n: number }
      ).n;
    } catch (cause) {
      this.rollback();
      throw storeFailure(cause);
    }
  }

  /** Replaces one file's symbols, inside a write. */
  add(file: LexicalFile): void {
    if (!this.#all) this.#deletePath(file.path);
    const pathTokens = codeTokens(file.path).join(' ');
    for (const node of file.nodes) {
      if (!LEXICAL_KINDS.has(node.kind) || node.path === '') continue;
      const rowid = ++this.#rowid;
      this.#symbolRows.push(rowid, node.id, node.path, node.name, node.qualifiedName, node.kind, node.line);
      this.#ftsRows.push(
        rowid,
        codeTokens(node.name).join(' '),
        codeTokens(node.qualifiedName).join(' '),
        node.path === file.path ? pathTokens : codeTokens(node.path).join(' '),
        node.doc ?? '',
      );
      if (++this.#pending === BATCH) this.#flush();
    }
  }

  /** Ends a write: the rows, the generation stamp, the commit. */
  commit(generation: number): void {
    try {
      this.#flush();
      this.#prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)").run([
        String(generation),
      ]);
      this.#db.exec('COMMIT');
    } catch (cause) {
      this.rollback();
      throw storeFailure(cause);
    }
  }

  /** Abandons a write. */
  rollback(): void {
    this.#symbolRows = [];
    this.#ftsRows = [];
    this.#pending = 0;
    try {
      this.#db.exec('ROLLBACK');
    } catch {
      // no transaction open
    }
  }

  #all = false;
  #rowid = 0;
  #symbolRows: unknown[] = [];
  #ftsRows: unknown[] = [];
  #pending = 0;

  #deletePath(path: string): void {
    this.#prepare('DELETE FROM symbols_fts WHERE rowid IN (SELECT rowid FROM symbols WHERE path = ?)').run([
      path,
    ]);
    this.#prepare('DELETE FROM symbols WHERE path = ?').run([path]);
  }

  /** Rows go in batches of BATCH per statement, with rowids assigned here: per-call overhead dominates. */
  #flush(): void {
    const rows = this.#pending;
    if (rows === 0) return;
    this.#prepare(
      `INSERT INTO symbols (rowid, id, path, name, qualified_name, kind, line) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    ).run(this.#symbolRows);
    this.#prepare(
      `INSERT INTO symbols_fts (rowid, name, qualified, path, doc) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
    ).run(this.#ftsRows);
    this.#symbolRows = [];
    this.#ftsRows = [];
    this.#pending = 0;
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
