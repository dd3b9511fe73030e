/**
 * @module store/lexical-index
 * The lexical index, in SQLite (libSQL): an FTS5 table over code-aware tokens of every symbol (its name split
 * on camelCase and snake_case, its qualified name, its path) and its doc comment, ranked by BM25; and the
 * table of vectors that the retrieval stage fills. It is derived from the LMDB index and stamped with the
 * generation it reflects: when a crash leaves it behind, the next index run rebuilds it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeTokens, ERROR_CODES, EngineError } from '../base/index.js';
import { SYMBOL_KINDS } from '../graph/index.js';
import type { AsgNode } from '../graph/index.js';
import { isAscii, LEXICAL_COLUMNS, LexicalMemory } from './lexical-memory.js';
import type { MemoryRow } from './lexical-memory.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSqlite, prepared } from './sqlite.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite.js';

/** A symbol found by a lexical query. */
export interface LexicalHit extends Omit<LexicalNode, 'doc'> {
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
  /** Zero-based first and last line of the declaration. */
  line: number;
  endLine: number;
  doc?: string;
}

/** A symbol with the code tokens of its source text, as retrieval reads it back. */
export interface LexicalDocument extends LexicalNode {
  /** Code tokens of the symbol's source text, space-separated, capped ({@link BODY_TOKENS}). */
  text: string;
}

/** Symbols to index for one file. */
export interface LexicalFile {
  path: string;
  nodes: readonly LexicalNode[];
  /** The file's text when it is not (yet) the file on disk (an editor's buffer); else it is read from disk. */
  text?: string;
}

/** The lexical part of a file's nodes (the kinds worth finding by words). */
export function lexicalFile(path: string, nodes: readonly AsgNode[], text?: string): LexicalFile {
  const kept: LexicalNode[] = [];
  for (const n of nodes) {
    // Lambdas are found through the declaration around them, whose text holds theirs.
    if (!LEXICAL_KINDS.has(n.kind) || n.path === '' || n.name === '<lambda>') continue;
    kept.push({
      id: n.id,
      path: n.path,
      name: n.name,
      qualifiedName: n.qualifiedName,
      kind: n.kind,
      line: n.range.start.line,
      endLine: n.range.end.line,
      ...(n.doc !== undefined ? { doc: n.doc } : {}),
    });
  }
  return { path, nodes: kept, ...(text !== undefined ? { text } : {}) };
}

function storeFailure(cause: unknown): EngineError {
  if (cause instanceof EngineError) return cause;
  return new EngineError(
    ERROR_CODES.STORE_FAILED,
    `Writing the lexical index failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

/** Rows per INSERT statement (SQLite allows 32766 parameters: 9 × 256 is well below). */
const BATCH = 256;

/**
 * At most this many body tokens per symbol (a module: per file). Enough for the words of a long function;
 * a class whose methods are indexed anyway needs no more.
 */
export const BODY_TOKENS = { symbol: 1500, module: 30_000 };

/** The generation of rows written by a transaction not yet committed. */
const PENDING = -1;

/** In an index of at least LARGE_INDEX documents, query words in more than COMMON_SHARE of them are left out. */
const COMMON_SHARE = 0.25;
const LARGE_INDEX = 20_000;
/** At most this many query words (the rarest) are matched. */
const MAX_TERMS = 24;

/**
 * Searches run on a copy of the tables in memory ({@link LexicalMemory}) up to this many bytes of it; a
 * larger index is searched in SQLite (a build that passes it stops). The copy takes about 20 bytes per
 * posting (a term in a document) and 30 per document: bench/.work as one repository (275,611 symbols,
 * 9 million postings) takes about 165 MB of typed arrays, built in 10 to 12 s on this machine; hono
 * (15,600 symbols) about 10 MB.
 */
const MEMORY_BYTES = 1 << 30;
/** Above this many symbols the copy is not even tried (it would pass {@link MEMORY_BYTES}). */
const MEMORY_SYMBOLS = 5_000_000;
/**
 * The copy is built in the background, {@link BUILD_CHUNK} rows at a time between other work (a tenth of
 * that for whole files; a process that asks one question and exits never pays for it); searches go to
 * SQLite meanwhile, and the {@link BUILD_PATIENCE}th search in a row of a process that never lets it run
 * (no step between them) finishes it on the spot.
 */
const BUILD_CHUNK = 500;
const BUILD_PATIENCE = 8;

/** The copy in memory of one connection (every handle of a file shares it). */
interface MemoryState {
  /** Ready, at the generation it reflects. */
  ready?: LexicalMemory;
  /** Being built: from the generation it started at, the table and row id it has reached. */
  building?: { memory: LexicalMemory; table: number; after: number };
  /** Searches since the build started. */
  waited: number;
  /** Too large: searched in SQLite. */
  off?: boolean;
}
const MEMORIES = new WeakMap<SqliteDatabase, MemoryState>();
/** Logarithms SQLite computed, by argument (see `LexicalIndex.#log`). */
const LOGARITHMS = new Map<number, number>();
const MEMORY_TABLES = ['symbols_fts', 'files_fts'];
/**
 * Rows of both tables with their text, as the copy in memory reads them: from FTS5's content table
 * (`<table>_content`, its columns c0… in order), which reads a range of row ids 4 times faster than the FTS
 * table itself does.
 */
const ROWS_SQL = (table: string, where: string) =>
  `SELECT f.id AS rowid, s.path, s.kind, f.c0, f.c1, f.c2, f.c3, f.c4
     FROM ${table}_content f JOIN symbols s ON s.rowid = f.id WHERE ${where}`;
/** The rows of the hits the copy in memory found (a JSON array of row ids). */
const HITS_SQL = `SELECT rowid, id, path, name, qualified_name AS qualifiedName, kind, line, end_line AS endLine
  FROM symbols WHERE rowid IN (SELECT value FROM json_each(?))`;

/** BM25 weights of the columns: name, qualified name, path, doc, body. */
const DEFAULT_WEIGHTS = [4, 2, 1, 1, 1];

/** Words of questions that say nothing about code (matched after lowercasing). */
const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by do does for from how i in into is it its of on or our should that the their then there these this to was we what when where which while who why will with'.split(
    ' ',
  ),
);

/**
 * The words of a query worth matching, given their document frequencies in a table of `total` documents:
 * no stop words, none absent, none in more than a quarter of the documents of a large index (they rank
 * nothing and make every query read most of the index), and the rarest {@link MAX_TERMS}, rarest first.
 */
function queryTokens(query: string, frequency: (term: string) => number, total: number): string[] {
  const tokens = [...new Set(codeTokens(query))].filter((t) => !STOP_WORDS.has(t));
  if (tokens.length === 0) return tokens;
  // Only a large index pays for common words; in a small one BM25's weights are enough.
  const most = total >= LARGE_INDEX ? total * COMMON_SHARE : Infinity;
  const counts = new Map(tokens.map((t) => [t, frequency(t)]));
  return tokens
    .filter((t) => counts.get(t)! > 0 && counts.get(t)! <= most)
    .sort((a, b) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : 1))
    .slice(0, MAX_TERMS);
}

/** A row of {@link ROWS_SQL} as the copy in memory takes it. */
function memoryRow(row: unknown): MemoryRow {
  const r = row as Omit<MemoryRow, 'columns'> & Record<'c0' | 'c1' | 'c2' | 'c3' | 'c4', string | null>;
  return {
    rowid: r.rowid,
    path: r.path,
    kind: r.kind,
    columns: [r.c0 ?? '', r.c1 ?? '', r.c2 ?? '', r.c3 ?? '', r.c4 ?? ''],
  };
}

/**
 * Gives the rows whose text goes beyond ASCII the tokens FTS5 makes of it, read back from a scratch FTS5
 * table in memory (`unicode61` as the index's tables have it): JavaScript's Unicode tables are not
 * SQLite's (an emoji is a token to FTS5), and the copy's scores must be FTS5's.
 */
function tokenizeBeyondAscii(rows: MemoryRow[]): void {
  const beyond = rows.filter((row) => row.columns.some((text) => !isAscii(text)));
  if (beyond.length === 0) return;
  const scratch = openSqlite(':memory:', {
    readOnly: false,
    create: (db) =>
      db.exec(`CREATE VIRTUAL TABLE scratch USING fts5(c0, c1, c2, c3, c4, tokenize = 'unicode61');
               CREATE VIRTUAL TABLE scratch_instances USING fts5vocab(scratch, 'instance');`),
  });
  const insert = prepared(
    scratch,
    'INSERT INTO scratch (rowid, c0, c1, c2, c3, c4) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const tokens = beyond.map(() => Array.from({ length: LEXICAL_COLUMNS }, () => [] as string[]));
  try {
    beyond.forEach((row, i) => insert.run([i, ...row.columns]));
    const instances = prepared(scratch, 'SELECT term, doc, col FROM scratch_instances').all([]) as {
      term: string;
      doc: number;
      col: string;
    }[];
    for (const { term, doc, col } of instances) tokens[doc]![Number(col.slice(1))]!.push(term);
  } finally {
    scratch.db.exec('DELETE FROM scratch');
  }
  beyond.forEach((row, i) => (row.tokens = tokens[i]!));
}

/** The lines of a source file, or none when it cannot be read. */
function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** The code tokens of a symbol's lines, capped. */
function bodyTokens(lines: readonly string[], node: LexicalNode): string {
  if (lines.length === 0) return '';
  const cap = node.kind === 'module' ? BODY_TOKENS.module : BODY_TOKENS.symbol;
  const end = Math.min(node.endLine, lines.length - 1);
  const tokens: string[] = [];
  for (let line = node.line; line <= end && tokens.length < cap; line++) {
    for (const token of codeTokens(lines[line]!)) tokens.push(token);
  }
  if (tokens.length > cap) tokens.length = cap;
  return tokens.join(' ');
}

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
          created.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
          const schema = created.prepare("SELECT value FROM meta WHERE key = 'schema'").get([]) as
            | { value: string }
            | undefined;
          if (schema && Number(schema.value) !== SCHEMA_VERSION) {
            // Another layout: derived data, so rebuilt (the generation stamp goes with it).
            created.exec(`
              DROP TABLE IF EXISTS symbols; DROP TABLE IF EXISTS symbols_fts; DROP TABLE IF EXISTS files_fts;
              DROP TABLE IF EXISTS symbols_vocab; DROP TABLE IF EXISTS files_vocab;
              DELETE FROM meta WHERE key IN ('schema', 'generation');
            `);
          }
          created.exec(`
            CREATE TABLE IF NOT EXISTS symbols (
              rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
              qualified_name TEXT NOT NULL, kind TEXT NOT NULL, line INTEGER NOT NULL,
              end_line INTEGER NOT NULL, generation INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS symbols_path ON symbols(path);
            CREATE INDEX IF NOT EXISTS symbols_generation ON symbols(generation);
            CREATE VIRTUAL TABLE IF NOT EXISTS symbols_fts USING fts5(name, qualified, path, doc, body, tokenize = 'unicode61');
            CREATE VIRTUAL TABLE IF NOT EXISTS files_fts USING fts5(name, qualified, path, doc, body, tokenize = 'unicode61');
            CREATE VIRTUAL TABLE IF NOT EXISTS symbols_vocab USING fts5vocab(symbols_fts, 'row');
            CREATE VIRTUAL TABLE IF NOT EXISTS files_vocab USING fts5vocab(files_fts, 'row');
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
    /** The repository root: symbols' text is read from its files. */
    root: string;
  }): void {
    this.begin({ removed: changes.removed, all: changes.all ?? false, root: changes.root });
    try {
      for (const file of changes.files) this.add(file);
    } catch (cause) {
      this.rollback();
      throw storeFailure(cause);
    }
    this.commit(changes.generation);
  }

  /**
   * Starts a write: one transaction, until {@link commit} or {@link rollback}. The symbols' text is read
   * from the files under `root`; their rows are stamped with the generation of the commit.
   */
  begin(options: { removed: readonly string[]; all: boolean; root: string }): void {
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      this.#all = options.all;
      this.#root = options.root;
      if (options.all) db.exec('DELETE FROM symbols; DELETE FROM symbols_fts; DELETE FROM files_fts;');
      for (const path of options.removed) this.#deletePath(path);
      this.#rowid = (
        this.#prepare('SELECT coalesce(max(rowid), 0) AS n FROM symbols').get([]) as { n: number }
      ).n;
    } catch (cause) {
      this.rollback();
      throw storeFailure(cause);
    }
  }

  /**
   * Replaces one file's symbols, inside a write. The file is read again for the symbols' text: a file that
   * cannot be read (deleted since it was parsed) gets its names only, and the next run re-indexes it.
   */
  add(file: LexicalFile): void {
    if (!this.#all) this.#deletePath(file.path);
    const pathTokens = codeTokens(file.path).join(' ');
    const lines = file.text !== undefined ? file.text.split('\n') : readLines(join(this.#root, file.path));
    for (const node of file.nodes) {
      if (!LEXICAL_KINDS.has(node.kind) || node.path === '') continue;
      const rowid = ++this.#rowid;
      this.#symbolRows.push(
        rowid,
        node.id,
        node.path,
        node.name,
        node.qualifiedName,
        node.kind,
        node.line,
        node.endLine,
        PENDING,
      );
      // A module is its file: searched apart (`kinds: ['module']`), so that whole files do not crowd symbols.
      (node.kind === 'module' ? this.#fileRows : this.#ftsRows).push(
        rowid,
        codeTokens(node.name).join(' '),
        codeTokens(node.qualifiedName).join(' '),
        node.path === file.path ? pathTokens : codeTokens(node.path).join(' '),
        node.doc ?? '',
        bodyTokens(lines, node),
      );
      if (++this.#pending === BATCH) this.#flush();
    }
  }

  /** Ends a write: the rows, the generation stamp, the commit. */
  commit(generation: number): void {
    try {
      this.#flush();
      this.#prepare('UPDATE symbols SET generation = ? WHERE generation = ?').run([generation, PENDING]);
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
    this.#fileRows = [];
    this.#pending = 0;
    try {
      this.#db.exec('ROLLBACK');
    } catch {
      // no transaction open
    }
  }

  #all = false;
  #root = '';
  #rowid = 0;
  #symbolRows: unknown[] = [];
  #ftsRows: unknown[] = [];
  #fileRows: unknown[] = [];
  /** Documents per FTS table, counted once per handle (a reader's index does not change). */
  readonly #documentCount = new Map<string, number>();
  #pending = 0;

  #deletePath(path: string): void {
    for (const table of ['symbols_fts', 'files_fts'])
      this.#prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM symbols WHERE path = ?)`).run([
        path,
      ]);
    this.#prepare('DELETE FROM symbols WHERE path = ?').run([path]);
  }

  /** Rows go in batches of BATCH per statement, with rowids assigned here: per-call overhead dominates. */
  #flush(): void {
    const rows = this.#pending;
    if (rows === 0) return;
    this.#prepare(
      `INSERT INTO symbols (rowid, id, path, name, qualified_name, kind, line, end_line, generation) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    ).run(this.#symbolRows);
    for (const [table, values] of [
      ['symbols_fts', this.#ftsRows],
      ['files_fts', this.#fileRows],
    ] as const) {
      const count = values.length / 6;
      if (count === 0) continue;
      this.#prepare(
        `INSERT INTO ${table} (rowid, name, qualified, path, doc, body) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      ).run(values);
    }
    this.#symbolRows = [];
    this.#ftsRows = [];
    this.#fileRows = [];
    this.#pending = 0;
  }

  /**
   * Symbols matching the words of a query (any of them), ranked by BM25 with the columns weighted
   * (`weights`: name, qualified name, path, doc, body). `kinds` keeps only those kinds (`['module']`: one
   * document per file, its whole text). `paths` keeps only symbols of those files.
   */
  search(
    query: string,
    options:
      | {
          limit?: number;
          kinds?: readonly string[];
          weights?: readonly number[];
          paths?: readonly string[];
          /** Search the copy in memory (default: when the index is small enough); false: SQLite. */
          memory?: boolean;
        }
      | number = {},
  ): LexicalHit[] {
    const {
      limit = 20,
      kinds,
      weights = DEFAULT_WEIGHTS,
      paths,
      memory: useMemory = true,
    } = typeof options === 'number' ? { limit: options } : options;
    const files = kinds?.length === 1 && kinds[0] === 'module';
    const memory = useMemory ? this.#memoryOrNone() : undefined;
    if (memory) {
      const table = files ? memory.files : memory.symbols;
      const tokens = queryTokens(query, (t) => table.documentFrequency(t), table.size);
      if (tokens.length === 0) return [];
      const kindSet = !files && kinds && kinds.length > 0 ? new Set(kinds) : undefined;
      const found = table.search(tokens, weights, limit, kindSet, paths, (x) => this.#log(x));
      if (found.length === 0) return [];
      // The rows of the hits, read back by row id (the copy keeps none of their text).
      const rows = new Map<number, Omit<LexicalHit, 'score'>>();
      for (const row of this.#prepare(HITS_SQL).all([JSON.stringify(found.map((hit) => hit.rowid))])) {
        const { rowid, ...rest } = row as Omit<LexicalHit, 'score'> & { rowid: number };
        rows.set(rowid, rest);
      }
      const hits: LexicalHit[] = [];
      for (const { rowid, score } of found) {
        const row = rows.get(rowid);
        if (row) hits.push({ ...row, score });
      }
      return hits;
    }
    const table = files ? 'files_fts' : 'symbols_fts';
    const tokens = this.#queryTokens(query, files ? 'files_vocab' : 'symbols_vocab');
    if (tokens.length === 0) return [];
    const match = tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
    const kindFilter =
      !files && kinds && kinds.length > 0 ? `AND s.kind IN (${kinds.map(() => '?').join(', ')})` : '';
    // Only these files: the score is computed for their matches alone, which is what makes it cheap.
    const pathFilter = paths ? `AND s.path IN (${paths.map(() => '?').join(', ') || "''"})` : '';
    const rows = this.#prepare(
      `SELECT s.id, s.path, s.name, s.qualified_name AS qualifiedName, s.kind, s.line, s.end_line AS endLine,
                -bm25(${table}, ${weights.map((w) => w.toFixed(3)).join(', ')}) AS score
           FROM ${table} JOIN symbols s ON s.rowid = ${table}.rowid
          WHERE ${table} MATCH ? ${kindFilter} ${pathFilter} ORDER BY score DESC LIMIT ?`,
    ).all([match, ...(files ? [] : (kinds ?? [])), ...(paths ?? []), limit]) as LexicalHit[];
    return rows;
  }

  /**
   * The natural logarithm as SQLite computes it (its C library's `log`, which FTS5's IDF uses; V8's
   * `Math.log` differs from it in the last bit now and then), kept by argument; `Math.log` when SQLite has
   * no `ln`.
   */
  #log(x: number): number {
    let value = LOGARITHMS.get(x);
    if (value !== undefined) return value;
    try {
      value = (this.#prepare('SELECT ln(?) AS value').get([x]) as { value: number }).value;
    } catch {
      value = Math.log(x);
    }
    if (LOGARITHMS.size >= 100_000) LOGARITHMS.clear();
    LOGARITHMS.set(x, value);
    return value;
  }

  /**
   * The words of a query worth matching: no stop words, none found in more than a quarter of the documents
   * (they rank nothing and make every query read most of the index), and the rarest {@link MAX_TERMS}.
   */
  #queryTokens(query: string, vocab: string): string[] {
    const tokens = [...new Set(codeTokens(query))].filter((t) => !STOP_WORDS.has(t));
    if (tokens.length === 0) return tokens;
    const rows = this.#prepare(
      `SELECT term, doc FROM ${vocab} WHERE term IN (${tokens.map(() => '?').join(', ')})`,
    ).all(tokens) as { term: string; doc: number }[];
    let total = this.#documentCount.get(vocab);
    if (total === undefined) {
      const table = vocab === 'files_vocab' ? 'files_fts' : 'symbols_fts';
      total = (this.#prepare(`SELECT count(*) AS n FROM ${table}`).get([]) as { n: number }).n;
      this.#documentCount.set(vocab, total);
    }
    const frequency = new Map(rows.map((r) => [r.term, r.doc]));
    return queryTokens(query, (t) => frequency.get(t) ?? 0, total);
  }

  /**
   * Builds the copy of the tables in memory now, when the index is small enough for one (searches use it
   * from then on; otherwise it is built in the background after the first search). Returns whether there
   * is one.
   */
  prepareMemory(): boolean {
    return this.#memory(true) !== undefined;
  }

  /**
   * The copy of the tables in memory at the current generation, when it is ready: brought up to date when
   * the generation moves (the files whose rows were written since, and those removed). Undefined while it
   * is being built (the first search starts it) and for a large index (searched in SQLite).
   */
  #memory(now = false): LexicalMemory | undefined {
    let state = MEMORIES.get(this.#db);
    if (state?.off) return undefined;
    const generation = this.generation();
    const ready = state?.ready;
    if (ready) {
      if (ready.generation === generation) return ready;
      if (generation > ready.generation && this.#refresh(ready, generation)) return ready;
      state!.ready = undefined;
    }
    if (!state) {
      state = { waited: 0 };
      MEMORIES.set(this.#db, state);
    }
    if (!state.building) {
      const count = (this.#prepare('SELECT count(*) AS n FROM symbols').get([]) as { n: number }).n;
      if (count > MEMORY_SYMBOLS) {
        state.off = true;
        return undefined;
      }
      state.building = { memory: new LexicalMemory(generation), table: 0, after: -1 };
      state.waited = 0;
      if (!now) this.#buildLater(state);
    }
    if (now || ++state.waited >= BUILD_PATIENCE) {
      // In chunks still: the rows of a large index, read at once, would take as much memory as the copy.
      while (state.building) this.#buildStep(state, BUILD_CHUNK * 10);
      return this.#memory();
    }
    return undefined;
  }

  /** {@link #memory}, or none when building it failed (SQLite answers; the next search tries again). */
  #memoryOrNone(): LexicalMemory | undefined {
    try {
      return this.#memory();
    } catch {
      const state = MEMORIES.get(this.#db);
      if (state) state.building = state.ready = undefined;
      return undefined;
    }
  }

  /** Goes on with the build in a later turn of the event loop (which the build does not keep alive). */
  #buildLater(state: MemoryState): void {
    setTimeout(() => {
      if (!state.building) return;
      // The process lets the build run: searches meanwhile are not waiting for it in vain.
      state.waited = 0;
      try {
        // Whole files are long: fewer at a time (a step of 500 took 100 ms on bench/.work).
        this.#buildStep(
          state,
          MEMORY_TABLES[state.building.table] === 'files_fts' ? BUILD_CHUNK / 10 : BUILD_CHUNK,
        );
      } catch {
        state.building = undefined; // the next search starts again
        return;
      }
      if (state.building) this.#buildLater(state);
    }, 0).unref();
  }

  /**
   * Reads up to `rows` rows into the copy being built. Rows are read in row id order, in chunks that may
   * see different generations: the copy keeps the generation it started at, and its first use brings the
   * files written since up to date (which also drops rows read twice).
   */
  #buildStep(state: MemoryState, rows: number): void {
    const building = state.building!;
    const table = MEMORY_TABLES[building.table]!;
    const limit = Number.isFinite(rows) ? ` LIMIT ${rows}` : '';
    const found = this.#prepare(
      `${ROWS_SQL(table, 'f.id > ? AND s.generation >= 0')} ORDER BY f.id${limit}`,
    ).all([building.after]);
    const read = found.map(memoryRow);
    tokenizeBeyondAscii(read);
    for (const row of read) building.memory.add(row);
    if (building.memory.bytes() > MEMORY_BYTES) {
      // Too large: searched in SQLite.
      state.building = undefined;
      state.off = true;
      return;
    }
    if (found.length > 0) building.after = (found[found.length - 1] as { rowid: number }).rowid;
    if (found.length < rows) {
      building.table++;
      building.after = -1;
      if (building.table === MEMORY_TABLES.length) {
        building.memory.pack();
        state.ready = building.memory;
        state.building = undefined;
      }
    }
  }

  /** Brings the copy in memory to `generation`; false when rebuilding it is simpler. */
  #refresh(memory: LexicalMemory, generation: number): boolean {
    // The rows of the generation index (DISTINCT would scan every path: 40 ms on 275,000 symbols).
    const changed = new Set(
      (
        this.#prepare('SELECT path FROM symbols WHERE generation > ?').all([memory.generation]) as {
          path: string;
        }[]
      ).map((r) => r.path),
    );
    const files = Math.max(memory.symbols.pathCount, memory.files.pathCount);
    if (changed.size * 3 > files) return false;
    for (const path of changed) {
      memory.drop(path);
      for (const table of ['symbols_fts', 'files_fts']) {
        const read = this.#prepare(ROWS_SQL(table, 's.path = ? AND s.generation >= 0'))
          .all([path])
          .map(memoryRow);
        tokenizeBeyondAscii(read);
        for (const row of read) memory.add(row);
      }
    }
    // Removed files: the copy has rows the tables no longer have (looked for only then).
    // (All rows less those of a write not committed: counting rows with `generation >= 0` reads the whole
    // generation index.)
    const count = (sql: string) => (this.#prepare(sql).get([]) as { n: number }).n;
    const stored = () =>
      count('SELECT count(*) AS n FROM symbols') -
      count('SELECT count(*) AS n FROM symbols WHERE generation < 0');
    if (memory.symbols.size + memory.files.size !== stored()) {
      const current = new Set(
        (this.#prepare('SELECT DISTINCT path FROM symbols').all([]) as { path: string }[]).map((r) => r.path),
      );
      const removed = new Set<string>();
      for (const table of [memory.symbols, memory.files])
        for (const path of table.paths()) if (!current.has(path)) removed.add(path);
      if ((changed.size + removed.size) * 3 > files) return false;
      for (const path of removed) memory.drop(path);
      if (memory.symbols.size + memory.files.size !== stored()) return false;
    }
    memory.generation = generation;
    return true;
  }

  /** The symbols written at a generation after `since` (all with 0), with their text. */
  documents(options: { since?: number; paths?: readonly string[] } = {}): LexicalDocument[] {
    const rows = this.#prepare(
      `SELECT s.id, s.path, s.name, s.qualified_name AS qualifiedName, s.kind, s.line, s.end_line AS endLine,
              f.doc, f.body AS text
         FROM symbols s JOIN symbols_fts f ON f.rowid = s.rowid
        WHERE s.generation > ?
       UNION ALL
       SELECT s.id, s.path, s.name, s.qualified_name AS qualifiedName, s.kind, s.line, s.end_line AS endLine,
              f.doc, f.body AS text
         FROM symbols s JOIN files_fts f ON f.rowid = s.rowid
        WHERE s.generation > ?`,
    ).all([options.since ?? 0, options.since ?? 0]) as (LexicalDocument & { doc: string })[];
    const paths = options.paths ? new Set(options.paths) : undefined;
    const documents: LexicalDocument[] = [];
    for (const row of rows) {
      if (paths && !paths.has(row.path)) continue;
      const { doc, ...rest } = row;
      documents.push(doc === '' ? rest : { ...rest, doc });
    }
    return documents;
  }

  /** Ids of every indexed symbol. */
  ids(): Set<string> {
    const rows = this.#prepare('SELECT id FROM symbols').all([]) as { id: string }[];
    return new Set(rows.map((r) => r.id));
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
