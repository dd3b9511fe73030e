/**
 * @module store
 * The embedded index of a repository (`<repo>/.rtc/`): LMDB for documents, file graphs, nodes, names and
 * the graph's structure; SQLite (libSQL) for the lexical index and vectors; one writer at a time.
 */
export { IndexStore, IndexReader } from './index-store.js';
export type {
  ChangeKind,
  ChangeRecord,
  FileRecord,
  IndexMeta,
  IndexWrite,
  SkippedRecord,
} from './index-store.js';
export { LexicalIndex, lexicalFile } from './lexical-index.js';
export type { LexicalDocument, LexicalFile, LexicalHit, LexicalNode } from './lexical-index.js';
export { LexicalMemory, MemoryTable, unicode61Tokens } from './lexical-memory.js';
export type { MemoryHit, MemoryRow } from './lexical-memory.js';
export { beginLexicalWrite } from './lexical-writer.js';
export type { LexicalWriter } from './lexical-writer.js';
export { StoredGraph } from './stored-graph.js';
export { encodeSnapshot, decodeSnapshot } from './snapshot-codec.js';
export { acquireWriteLock, activeWriter } from './write-lock.js';
export { SCHEMA_VERSION } from './schema.js';
export { openSqlite, prepared } from './sqlite.js';
export type { SqliteDatabase, SqliteStatement } from './sqlite.js';
