/**
 * @module store/lexical-memory
 * The lexical index's FTS5 tables mirrored in memory for the query path: postings (term → documents and
 * their per-column counts), document lengths and metadata, scored with FTS5's own BM25 (same IDF, same
 * k1 = 1.2 and b = 0.75, same column weights, same average length over the whole table), so that a search
 * returns what the SQL query returns, in a fraction of the time. Documents are tokenized as FTS5's
 * `unicode61` tokenizer does (runs of letters, digits and private-use characters, case and diacritics
 * folded). Files can be dropped and added (the index follows a live session's updates); dropped documents
 * leave holes that a compaction removes.
 */

/** Columns of the FTS tables: name, qualified name, path, doc, body. */
export const LEXICAL_COLUMNS = 5;

/** FTS5's BM25 constants. */
const K1 = 1.2;
const B = 0.75;

/** A symbol row as the tables give it: its metadata and the text of its columns. */
export interface MemoryRow {
  rowid: number;
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: string;
  line: number;
  endLine: number;
  /** The column texts, in order (name, qualified, path, doc, body). */
  columns: readonly string[];
}

/** A scored document, before it becomes a hit. */
export interface MemoryHit {
  row: Omit<MemoryRow, 'columns' | 'rowid'>;
  score: number;
}

interface Posting {
  /** Document slots, in insertion order. */
  docs: number[];
  /** Term counts per column, {@link LEXICAL_COLUMNS} per document. */
  counts: number[];
  /** Live documents holding the term. */
  df: number;
  /** Scratch of {@link MemoryTable.add}: the last document slot that counted it, and its place there. */
  last: number;
  at: number;
}

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
/** Only ASCII characters (no character above U+007F). */
const ASCII = /^[^\u0080-\uffff]*$/;
const MARKS = /\p{M}/gu;

/** The tokens of a text as FTS5's `unicode61` tokenizer (remove_diacritics 1) gives them. */
export function unicode61Tokens(text: string): string[] {
  const found = text.match(TOKEN);
  if (!found) return [];
  if (ASCII.test(text)) return found.map((t) => t.toLowerCase());
  return found.map((t) => (ASCII.test(t) ? t : t.normalize('NFD').replace(MARKS, '')).toLowerCase());
}

/** One FTS table in memory. */
export class MemoryTable {
  readonly #postings = new Map<string, Posting>();
  /** Per document slot: metadata (undefined once dropped), length in tokens, its postings. */
  #rows: (Omit<MemoryRow, 'columns'> | undefined)[] = [];
  #lengths: number[] = [];
  #terms: (Posting[] | undefined)[] = [];
  readonly #byPath = new Map<string, number[]>();
  #live = 0;
  #tokens = 0;
  #dead = 0;
  /** Scratch of {@link add}: the postings of the document being added, and their counts. */
  #local: Posting[] = [];
  #localCounts: number[] = [];

  /** Live documents. */
  get size(): number {
    return this.#live;
  }

  /** Paths with documents. */
  paths(): IterableIterator<string> {
    return this.#byPath.keys();
  }

  /** Documents holding `term` (FTS5's `fts5vocab` `doc`), 0 when none. */
  documentFrequency(term: string): number {
    return this.#postings.get(term)?.df ?? 0;
  }

  add(row: MemoryRow): void {
    const slot = this.#rows.length;
    const { columns, ...meta } = row;
    const postings = this.#postings;
    const local = this.#local;
    const localCounts = this.#localCounts;
    local.length = 0;
    localCounts.length = 0;
    let length = 0;
    const count = (token: string, column: number): void => {
      length++;
      let posting = postings.get(token);
      if (!posting) {
        posting = { docs: [], counts: [], df: 0, last: -1, at: 0 };
        postings.set(token, posting);
      }
      if (posting.last !== slot) {
        posting.last = slot;
        posting.at = local.length;
        local.push(posting);
        localCounts.push(0, 0, 0, 0, 0);
      }
      localCounts[posting.at * LEXICAL_COLUMNS + column]!++;
    };
    for (let column = 0; column < LEXICAL_COLUMNS; column++) {
      const text = columns[column] ?? '';
      if (text === '') continue;
      if (!ASCII.test(text)) {
        // Beyond ASCII (doc comments): the tokenizer's rules, by regex.
        for (const token of unicode61Tokens(text)) count(token, column);
        continue;
      }
      // ASCII (every other column): scanned here, which is several times faster.
      const size = text.length;
      let start = -1;
      let upper = false;
      for (let i = 0; i <= size; i++) {
        const code = i < size ? text.charCodeAt(i) : 32;
        if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
          if (start < 0) {
            start = i;
            upper = false;
          }
        } else if (code >= 65 && code <= 90) {
          if (start < 0) start = i;
          upper = true;
        } else if (start >= 0) {
          const token = text.slice(start, i);
          count(upper ? token.toLowerCase() : token, column);
          start = -1;
        }
      }
    }
    for (let i = 0; i < local.length; i++) {
      const posting = local[i]!;
      posting.docs.push(slot);
      const base = i * LEXICAL_COLUMNS;
      posting.counts.push(
        localCounts[base]!,
        localCounts[base + 1]!,
        localCounts[base + 2]!,
        localCounts[base + 3]!,
        localCounts[base + 4]!,
      );
      posting.df++;
    }
    this.#rows.push(meta);
    this.#lengths.push(length);
    this.#terms.push(local.slice());
    const slots = this.#byPath.get(row.path);
    if (slots) slots.push(slot);
    else this.#byPath.set(row.path, [slot]);
    this.#live++;
    this.#tokens += length;
  }

  /** Drops the documents of a file. */
  drop(path: string): void {
    const slots = this.#byPath.get(path);
    if (!slots) return;
    this.#byPath.delete(path);
    for (const slot of slots) {
      for (const posting of this.#terms[slot] ?? []) posting.df--;
      this.#rows[slot] = undefined;
      this.#terms[slot] = undefined;
      this.#live--;
      this.#tokens -= this.#lengths[slot]!;
      this.#dead++;
    }
    if (this.#dead > 1000 && this.#dead > this.#live / 4) this.#compact();
  }

  /** Renumbers the live documents and drops the holes (and terms no document holds any more). */
  #compact(): void {
    const renumber = new Int32Array(this.#rows.length).fill(-1);
    const rows: Omit<MemoryRow, 'columns'>[] = [];
    const lengths: number[] = [];
    const terms: Posting[][] = [];
    for (let slot = 0; slot < this.#rows.length; slot++) {
      const row = this.#rows[slot];
      if (!row) continue;
      renumber[slot] = rows.length;
      rows.push(row);
      lengths.push(this.#lengths[slot]!);
      terms.push(this.#terms[slot]!);
    }
    for (const [term, posting] of this.#postings) {
      if (posting.df === 0) {
        this.#postings.delete(term);
        continue;
      }
      const docs: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < posting.docs.length; i++) {
        const slot = renumber[posting.docs[i]!]!;
        if (slot < 0) continue;
        docs.push(slot);
        for (let c = 0; c < LEXICAL_COLUMNS; c++) counts.push(posting.counts[i * LEXICAL_COLUMNS + c]!);
      }
      posting.docs = docs;
      posting.counts = counts;
      posting.last = -1;
    }
    for (const slots of this.#byPath.values())
      for (let i = 0; i < slots.length; i++) slots[i] = renumber[slots[i]!]!;
    this.#rows = rows;
    this.#lengths = lengths;
    this.#terms = terms;
    this.#dead = 0;
  }

  /**
   * The best documents for some terms (FTS5's phrase order: it sets the order of the sum), by BM25 with
   * the column weights, as `-bm25(table, …weights)` ranks them; ties by row id. `accept` filters.
   */
  search(
    terms: readonly string[],
    weights: readonly number[],
    limit: number,
    accept?: (row: Omit<MemoryRow, 'columns'>) => boolean,
    paths?: readonly string[],
  ): MemoryHit[] {
    const total = this.#live;
    if (total === 0 || limit <= 0) return [];
    const avgdl = this.#tokens / total;
    // Only some files: their documents are the candidates, and a posting is read for them alone.
    let only: Set<number> | undefined;
    if (paths) {
      only = new Set();
      for (const path of paths) for (const slot of this.#byPath.get(path) ?? []) only.add(slot);
      if (only.size === 0) return [];
    }
    const scores = new Map<number, number>();
    for (const term of terms) {
      const posting = this.#postings.get(term);
      if (!posting || posting.df === 0) continue;
      let idf = Math.log((total - posting.df + 0.5) / (posting.df + 0.5));
      if (idf <= 0) idf = 1e-6;
      const { docs, counts } = posting;
      for (let i = 0; i < docs.length; i++) {
        const slot = docs[i]!;
        if (only ? !only.has(slot) : this.#rows[slot] === undefined) continue;
        let frequency = 0;
        const base = i * LEXICAL_COLUMNS;
        // FTS5 adds a column's weight once per occurrence: the same sum, in the same order.
        for (let c = 0; c < LEXICAL_COLUMNS; c++) {
          const count = counts[base + c]!;
          const weight = weights[c] ?? 1;
          for (let k = 0; k < count; k++) frequency += weight;
        }
        const part =
          idf * ((frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * this.#lengths[slot]!) / avgdl)));
        scores.set(slot, (scores.get(slot) ?? 0) + part);
      }
    }
    const ranked: { slot: number; score: number; row: Omit<MemoryRow, 'columns'> }[] = [];
    for (const [slot, score] of scores) {
      const row = this.#rows[slot];
      if (!row || (accept && !accept(row))) continue;
      ranked.push({ slot, score, row });
    }
    ranked.sort((a, b) => b.score - a.score || a.row.rowid - b.row.rowid);
    if (ranked.length > limit) ranked.length = limit;
    return ranked.map(({ row, score }) => {
      const { rowid, ...rest } = row;
      void rowid;
      return { row: rest, score };
    });
  }
}

/** Both tables of a lexical index in memory, at one generation. */
export class LexicalMemory {
  readonly symbols = new MemoryTable();
  readonly files = new MemoryTable();
  generation: number;

  constructor(generation: number) {
    this.generation = generation;
  }

  /** Adds a row to the table it belongs to (a module: the files table). */
  add(row: MemoryRow): void {
    (row.kind === 'module' ? this.files : this.symbols).add(row);
  }

  drop(path: string): void {
    this.symbols.drop(path);
    this.files.drop(path);
  }
}
