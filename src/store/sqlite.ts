/**
 * @module store/sqlite
 * Shared SQLite (libSQL) connections. libSQL keeps a connection's file open until its prepared statements
 * are garbage-collected, even after `close()`, so opening and closing per query would leak file descriptors:
 * a connection is opened once per file and mode and reused, with its statements, by every user in the
 * process. The file's inode is checked at each open: a deleted and re-created file gets a new connection.
 * Pass parameters as an array: a single Buffer argument to `all`/`get` aborts the process.
 */
import { statSync } from 'node:fs';
import Database from 'libsql';

export interface SqliteStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
  get(params: unknown[]): unknown;
}
export interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

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

/**
 * The shared connection to `path` and its statement cache. A writable open (WAL mode) runs `create` on a
 * new connection; a read-only open needs the file to exist. Throws what libSQL throws.
 */
export function openSqlite(
  path: string,
  options: { readOnly: boolean; create?: (db: SqliteDatabase) => void },
): { db: SqliteDatabase; statements: Map<string, SqliteStatement> } {
  const key = `${options.readOnly ? 'r' : 'w'}:${path}`;
  const cached = CONNECTIONS.get(key);
  if (cached?.inode === inodeOf(path)) return cached;
  const db = new Database(path, {
    readonly: options.readOnly,
    fileMustExist: options.readOnly,
  }) as unknown as SqliteDatabase;
  db.exec('PRAGMA busy_timeout = 5000');
  if (!options.readOnly) {
    db.exec('PRAGMA journal_mode = WAL');
    options.create?.(db);
  }
  const entry = { db, inode: inodeOf(path), statements: new Map<string, SqliteStatement>() };
  CONNECTIONS.set(key, entry);
  return entry;
}

/** A cached prepared statement of a shared connection. */
export function prepared(
  connection: { db: SqliteDatabase; statements: Map<string, SqliteStatement> },
  sql: string,
): SqliteStatement {
  let statement = connection.statements.get(sql);
  if (!statement) {
    statement = connection.db.prepare(sql);
    connection.statements.set(sql, statement);
  }
  return statement;
}
