/**
 * @module store/lexical-memory
 * The lexical index's FTS5 tables mirrored in memory for the query path: postings (term → documents and
 * their per-column counts), document lengths and kinds, scored with FTS5's own BM25 (same IDF, same
 * k1 = 1.2 and b = 0.75, same column weights, same average length over the whole table), so that a search
 * returns what the SQL query returns, in a fraction of the time. Documents are tokenized as FTS5's
 * `unicode61` tokenizer does (runs of letters, digits and private-use characters, case and diacritics
 * folded). Files can be dropped and added (the index follows a live session's updates); dropped documents
 * leave holes that a compaction removes.
 *
 * Everything is kept in typed arrays, so that a large index fits (about 18 bytes per posting and 30 per
 * document, plus the term dictionary): a document is its row id, length and kind (the caller reads the
 * rest of the best hits' rows back by row id); postings are chained blocks in one pool, appended in
 * document order, and {@link MemoryTable.pack} lays each term's postings out in one block once a build is
 * done (and after a compaction).
 */

/** Columns of the FTS tables: name, qualified name, path, doc, body. */
export const LEXICAL_COLUMNS = 5;

/** FTS5's BM25 constants. */
const K1 = 1.2;
const B = 0.75;

/** A row as the copy in memory takes it: its row id, file, kind and the text of its columns. */
export interface MemoryRow {
  rowid: number;
  path: string;
  kind: string;
  /** The column texts, in order (name, qualified, path, doc, body). */
  columns: readonly string[];
  /**
   * The tokens of the columns as FTS5 gave them, when known (text beyond ASCII: Unicode's tables differ
   * between SQLite and JavaScript); else the texts are tokenized here.
   */
  tokens?: readonly (readonly string[])[];
}

/** Only ASCII characters (no character above U+007F): such a text is tokenized here exactly. */
export function isAscii(text: string): boolean {
  return ASCII.test(text);
}

/** A scored document: its row id (the caller reads the row back) and its score. */
export interface MemoryHit {
  rowid: number;
  score: number;
}

/** A count that does not fit a posting's 16 bits: the exact counts are in {@link MemoryTable}'s overflow. */
const SATURATED = 0xffff;
/** The largest block of postings appended at once (a term's first blocks double up to it). */
const MAX_BLOCK = 4096;

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

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a of the characters of `text[start, end)`, ASCII letters lowercased, as an int32. */
function hashOf(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    hash = Math.imul(hash ^ (code >= 65 && code <= 90 ? code + 32 : code), FNV_PRIME);
  }
  return hash;
}

type Typed = Int32Array | Uint16Array | Uint8Array | Float64Array;

/** `array` with room for at least `size` elements (grown by half, its contents kept). */
function grow<T extends Typed>(array: T, size: number): T {
  if (size <= array.length) return array;
  const length = Math.max(size, 64, Math.ceil(array.length * 1.5));
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array as never);
  return next;
}

/** A size with room to grow: a sixteenth more, and some. */
function room(size: number): number {
  return size + (size >> 4) + 1024;
}

/** Whether adding `weight` n times equals n × weight exactly (small dyadic weights: 4, 2, 1, 0.5, …). */
function exactMultiple(weight: number): boolean {
  return Number.isInteger(weight * 1024) && Math.abs(weight) <= 1024;
}

/** One FTS table in memory. */
export class MemoryTable {
  // Terms: their texts and hashes, an open-addressing table from hash to id + 1 (the texts of tokens are
  // looked up without making strings of them); per id its live documents, its chain of blocks, postings
  // ever appended.
  #texts: string[] = [];
  #hashes = new Int32Array(0);
  #table = new Int32Array(1024);
  #df = new Int32Array(0);
  #head = new Int32Array(0);
  #tail = new Int32Array(0);
  #appended = new Int32Array(0);
  /** Scratch of {@link add}: per term, the last slot that counted it and its place there. */
  #last = new Int32Array(0);
  #at = new Int32Array(0);
  // Blocks of postings: their start in the pool, size, postings used and the next block of the term.
  #blockStart = new Int32Array(0);
  #blockSize = new Int32Array(0);
  #blockUsed = new Int32Array(0);
  #blockNext = new Int32Array(0);
  #blocks = 0;
  // The pool: per posting its document slot and, LEXICAL_COLUMNS per posting, its term counts by column.
  #docs = new Int32Array(0);
  #counts = new Uint16Array(0);
  #pooled = 0;
  /** Exact counts of postings with a saturated count, by pool position. */
  #overflow = new Map<number, number[]>();
  // Documents, by slot: row id, length in tokens, kind, live or dropped, term ids (#docTerms from #termsAt).
  #rowids = new Int32Array(0);
  #lengths = new Int32Array(0);
  #kinds = new Uint8Array(0);
  #alive = new Uint8Array(0);
  #termsAt = new Int32Array(1);
  #docTerms = new Int32Array(0);
  #slots = 0;
  readonly #kindCodes = new Map<string, number>();
  #byPath = new Map<string, number[]>();
  #live = 0;
  #tokens = 0;
  #dead = 0;
  // Scratch of searches: scores, and stamps saying which slots this search touched or may touch.
  #scores = new Float64Array(0);
  #touched = new Int32Array(0);
  #seen = new Int32Array(0);
  #allowed = new Int32Array(0);
  #epoch = 0;
  /** Scratch of {@link add}: the terms of the document being added, and their counts. */
  readonly #local: number[] = [];
  readonly #localCounts: number[] = [];

  /** Live documents. */
  get size(): number {
    return this.#live;
  }

  /** How many paths have documents. */
  get pathCount(): number {
    return this.#byPath.size;
  }

  /** Paths with documents. */
  paths(): IterableIterator<string> {
    return this.#byPath.keys();
  }

  /** Documents holding `term` (FTS5's `fts5vocab` `doc`), 0 when none. */
  documentFrequency(term: string): number {
    const id = this.#find(term, 0, term.length, hashOf(term, 0, term.length));
    return id < 0 ? 0 : this.#df[id]!;
  }

  /** About how many bytes the table takes (its arrays, their slack included, and the term dictionary). */
  bytes(): number {
    const arrays = [
      this.#hashes,
      this.#table,
      this.#df,
      this.#head,
      this.#tail,
      this.#appended,
      this.#last,
      this.#at,
      this.#blockStart,
      this.#blockSize,
      this.#blockUsed,
      this.#blockNext,
      this.#docs,
      this.#counts,
      this.#rowids,
      this.#lengths,
      this.#kinds,
      this.#alive,
      this.#termsAt,
      this.#docTerms,
      this.#scores,
      this.#touched,
      this.#seen,
      this.#allowed,
    ];
    let bytes = 0;
    for (const array of arrays) bytes += array.byteLength;
    // A dictionary entry: the string (about 16 bytes and its characters) and the map's slot.
    return bytes + this.#texts.length * 32 + this.#byPath.size * 96 + this.#slots * 8;
  }

  /** The id of the term `text[start, end)` lowercased (ASCII letters), whose hash is `hash`; -1 if none. */
  #find(text: string, start: number, end: number, hash: number): number {
    const table = this.#table;
    const mask = table.length - 1;
    const size = end - start;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = table[at]!;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.#hashes[id] !== hash) continue;
      const term = this.#texts[id]!;
      if (term.length !== size) continue;
      let i = 0;
      while (i < size) {
        const code = text.charCodeAt(start + i);
        if ((code >= 65 && code <= 90 ? code + 32 : code) !== term.charCodeAt(i)) break;
        i++;
      }
      if (i === size) return id;
    }
  }

  /** Puts an id in the table at its hash's place. */
  #place(id: number, hash: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    let at = hash & mask;
    while (table[at] !== 0) at = (at + 1) & mask;
    table[at] = id + 1;
  }

  /** The id of a term, made when new (`term` is lowercased already). */
  #termId(term: string, hash: number): number {
    const found = this.#find(term, 0, term.length, hash);
    return found >= 0 ? found : this.#newTerm(term, hash);
  }

  #newTerm(term: string, hash: number): number {
    const id = this.#texts.length;
    // A copy: a slice of a long text keeps the whole text alive (V8 shares the characters from 13 on).
    this.#texts.push(term.length < 13 ? term : Buffer.from(term, 'utf16le').toString('utf16le'));
    if (this.#texts.length * 2 > this.#table.length) {
      this.#table = new Int32Array(this.#table.length * 2);
      for (let i = 0; i < id; i++) this.#place(i, this.#hashes[i]!);
    }
    if (id >= this.#df.length) {
      const size = id + 1;
      this.#hashes = grow(this.#hashes, size);
      this.#df = grow(this.#df, size);
      this.#head = grow(this.#head, size);
      this.#tail = grow(this.#tail, size);
      this.#appended = grow(this.#appended, size);
      this.#last = grow(this.#last, size);
      this.#at = grow(this.#at, size);
    }
    this.#hashes[id] = hash;
    this.#place(id, hash);
    this.#head[id] = -1;
    this.#tail[id] = -1;
    this.#last[id] = -1;
    return id;
  }

  /** Counts an occurrence of a term in a column of the document being added. */
  #count(term: number, column: number, slot: number): void {
    if (this.#last[term] !== slot) {
      this.#last[term] = slot;
      this.#at[term] = this.#local.length;
      this.#local.push(term);
      this.#localCounts.push(0, 0, 0, 0, 0);
    }
    this.#localCounts[this.#at[term]! * LEXICAL_COLUMNS + column]!++;
  }

  /** Appends a posting of `term` for `slot`, its counts at `from` in `counts`. */
  #append(term: number, slot: number, counts: readonly number[], from: number): void {
    let block = this.#tail[term]!;
    if (block < 0 || this.#blockUsed[block] === this.#blockSize[block]) {
      const size = Math.min(MAX_BLOCK, Math.max(1, this.#appended[term]!));
      const next = this.#newBlock(size);
      if (block < 0) this.#head[term] = next;
      else this.#blockNext[block] = next;
      this.#tail[term] = block = next;
    }
    const at = this.#blockStart[block]! + this.#blockUsed[block]!++;
    this.#docs[at] = slot;
    const base = at * LEXICAL_COLUMNS;
    let saturated = false;
    for (let c = 0; c < LEXICAL_COLUMNS; c++) {
      const count = counts[from + c]!;
      if (count >= SATURATED) saturated = true;
      this.#counts[base + c] = Math.min(count, SATURATED);
    }
    if (saturated) this.#overflow.set(at, counts.slice(from, from + LEXICAL_COLUMNS));
    this.#appended[term]!++;
    this.#df[term]!++;
  }

  #newBlock(size: number): number {
    const block = this.#blocks++;
    if (block >= this.#blockStart.length) {
      this.#blockStart = grow(this.#blockStart, block + 1);
      this.#blockSize = grow(this.#blockSize, block + 1);
      this.#blockUsed = grow(this.#blockUsed, block + 1);
      this.#blockNext = grow(this.#blockNext, block + 1);
    }
    const start = this.#pooled;
    this.#pooled += size;
    this.#docs = grow(this.#docs, this.#pooled);
    this.#counts = grow(this.#counts, this.#pooled * LEXICAL_COLUMNS);
    this.#blockStart[block] = start;
    this.#blockSize[block] = size;
    this.#blockUsed[block] = 0;
    this.#blockNext[block] = -1;
    return block;
  }

  add(row: MemoryRow): void {
    const slot = this.#slots++;
    const local = this.#local;
    local.length = 0;
    this.#localCounts.length = 0;
    let length = 0;
    for (let column = 0; column < LEXICAL_COLUMNS; column++) {
      const given = row.tokens?.[column];
      const text = row.columns[column] ?? '';
      if (given || !ASCII.test(text)) {
        // Beyond ASCII (doc comments): the tokens FTS5 made, or the tokenizer's rules by regex.
        for (const token of given ?? unicode61Tokens(text)) {
          this.#count(this.#termId(token, hashOf(token, 0, token.length)), column, slot);
          length++;
        }
        continue;
      }
      // ASCII (every other column): scanned here, the hash of each token made on the way (FNV-1a of its
      // lowercased characters), a string made of a token only when it is a new term.
      const size = text.length;
      let start = -1;
      let hash = 0;
      for (let i = 0; i <= size; i++) {
        let code = i < size ? text.charCodeAt(i) : 32;
        if (code >= 65 && code <= 90) code += 32;
        if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
          if (start < 0) {
            start = i;
            hash = FNV_OFFSET;
          }
          hash = Math.imul(hash ^ code, FNV_PRIME);
        } else if (start >= 0) {
          let term = this.#find(text, start, i, hash);
          if (term < 0) term = this.#newTerm(text.slice(start, i).toLowerCase(), hash);
          this.#count(term, column, slot);
          length++;
          start = -1;
        }
      }
    }
    for (let i = 0; i < local.length; i++)
      this.#append(local[i]!, slot, this.#localCounts, i * LEXICAL_COLUMNS);
    // The document.
    const size = slot + 1;
    this.#rowids = grow(this.#rowids, size);
    this.#lengths = grow(this.#lengths, size);
    this.#kinds = grow(this.#kinds, size);
    this.#alive = grow(this.#alive, size);
    this.#termsAt = grow(this.#termsAt, size + 1);
    const from = this.#termsAt[slot]!;
    this.#docTerms = grow(this.#docTerms, from + local.length);
    for (let i = 0; i < local.length; i++) this.#docTerms[from + i] = local[i]!;
    this.#termsAt[size] = from + local.length;
    this.#rowids[slot] = row.rowid;
    this.#lengths[slot] = length;
    this.#kinds[slot] = this.#kindCode(row.kind);
    this.#alive[slot] = 1;
    const slots = this.#byPath.get(row.path);
    if (slots) slots.push(slot);
    else this.#byPath.set(row.path, [slot]);
    this.#live++;
    this.#tokens += length;
  }

  #kindCode(kind: string): number {
    let code = this.#kindCodes.get(kind);
    if (code === undefined) {
      code = this.#kindCodes.size;
      if (code > 255) throw new Error('More than 256 node kinds');
      this.#kindCodes.set(kind, code);
    }
    return code;
  }

  /** Drops the documents of a file. */
  drop(path: string): void {
    const slots = this.#byPath.get(path);
    if (!slots) return;
    this.#byPath.delete(path);
    for (const slot of slots) {
      for (let i = this.#termsAt[slot]!; i < this.#termsAt[slot + 1]!; i++) this.#df[this.#docTerms[i]!]!--;
      this.#alive[slot] = 0;
      this.#live--;
      this.#tokens -= this.#lengths[slot]!;
      this.#dead++;
    }
    if (this.#dead > 1000 && this.#dead > this.#live / 4) this.pack();
  }

  /**
   * Lays the table out anew: the live documents renumbered (the holes of dropped ones gone), the terms no
   * document holds any more forgotten, and each term's postings in one block of the exact size.
   */
  pack(): void {
    // Documents.
    const renumber = new Int32Array(this.#slots).fill(-1);
    let slots = 0;
    for (let slot = 0; slot < this.#slots; slot++) if (this.#alive[slot]) renumber[slot] = slots++;
    // Terms.
    const texts: string[] = [];
    const termRenumber = new Int32Array(this.#texts.length).fill(-1);
    let postings = 0;
    for (let id = 0; id < this.#texts.length; id++) {
      const df = this.#df[id]!;
      if (df === 0) continue;
      termRenumber[id] = texts.length;
      texts.push(this.#texts[id]!);
      postings += df;
    }
    const termCount = texts.length;
    const hashes = new Int32Array(room(termCount));
    for (let id = 0; id < termRenumber.length; id++)
      if (termRenumber[id]! >= 0) hashes[termRenumber[id]!] = this.#hashes[id]!;
    // With room to grow: a live session's first updates then copy nothing.
    const df = new Int32Array(room(termCount));
    const head = new Int32Array(room(termCount));
    const docs = new Int32Array(room(postings));
    const counts = new Uint16Array(room(postings) * LEXICAL_COLUMNS);
    const overflow = new Map<number, number[]>();
    // No document dropped since the last layout (a build): every slot and term keeps its number, and the
    // blocks are copied whole (a large index's 9 million postings in a tenth of the time).
    const whole = this.#dead === 0 && termCount === this.#texts.length && this.#overflow.size === 0;
    let at = 0;
    for (let id = 0; id < termRenumber.length; id++) {
      const next = termRenumber[id]!;
      if (next < 0) continue;
      head[next] = next; // one block per term, numbered as the term
      df[next] = this.#df[id]!;
      for (let block = this.#head[id]!; block >= 0; block = this.#blockNext[block]!) {
        const start = this.#blockStart[block]!;
        const end = start + this.#blockUsed[block]!;
        if (whole) {
          // Small blocks by hand: a subarray per block costs more than copying a few postings.
          if (end - start >= 64) {
            docs.set(this.#docs.subarray(start, end), at);
            counts.set(
              this.#counts.subarray(start * LEXICAL_COLUMNS, end * LEXICAL_COLUMNS),
              at * LEXICAL_COLUMNS,
            );
            at += end - start;
          } else
            for (let p = start; p < end; p++, at++) {
              docs[at] = this.#docs[p]!;
              for (let c = 0; c < LEXICAL_COLUMNS; c++)
                counts[at * LEXICAL_COLUMNS + c] = this.#counts[p * LEXICAL_COLUMNS + c]!;
            }
          continue;
        }
        for (let p = start; p < end; p++) {
          const slot = renumber[this.#docs[p]!]!;
          if (slot < 0) continue;
          docs[at] = slot;
          for (let c = 0; c < LEXICAL_COLUMNS; c++)
            counts[at * LEXICAL_COLUMNS + c] = this.#counts[p * LEXICAL_COLUMNS + c]!;
          const exact = this.#overflow.get(p);
          if (exact) overflow.set(at, exact);
          at++;
        }
      }
    }
    const blockStart = new Int32Array(room(termCount));
    const blockSize = new Int32Array(room(termCount));
    let start = 0;
    for (let id = 0; id < termCount; id++) {
      blockStart[id] = start;
      blockSize[id] = df[id]!;
      start += df[id]!;
    }
    // Per document: its terms, renumbered.
    const rowids = new Int32Array(room(slots));
    const lengths = new Int32Array(room(slots));
    const kinds = new Uint8Array(room(slots));
    const termsAt = new Int32Array(room(slots) + 1);
    let docTermCount = 0;
    for (let slot = 0; slot < this.#slots; slot++)
      if (renumber[slot]! >= 0) docTermCount += this.#termsAt[slot + 1]! - this.#termsAt[slot]!;
    const docTerms = new Int32Array(room(docTermCount));
    let written = 0;
    if (whole) {
      rowids.set(this.#rowids.subarray(0, slots));
      lengths.set(this.#lengths.subarray(0, slots));
      kinds.set(this.#kinds.subarray(0, slots));
      termsAt.set(this.#termsAt.subarray(0, slots + 1));
      docTerms.set(this.#docTerms.subarray(0, docTermCount));
    }
    for (let slot = 0; !whole && slot < this.#slots; slot++) {
      const next = renumber[slot]!;
      if (next < 0) continue;
      rowids[next] = this.#rowids[slot]!;
      lengths[next] = this.#lengths[slot]!;
      kinds[next] = this.#kinds[slot]!;
      for (let i = this.#termsAt[slot]!; i < this.#termsAt[slot + 1]!; i++)
        docTerms[written++] = termRenumber[this.#docTerms[i]!]!;
      termsAt[next + 1] = written;
    }
    const byPath = new Map<string, number[]>();
    for (const [path, list] of this.#byPath)
      byPath.set(
        path,
        list.map((slot) => renumber[slot]!),
      );

    this.#texts = texts;
    this.#hashes = hashes;
    let tableSize = 1024;
    while (tableSize < termCount * 2) tableSize *= 2;
    this.#table = new Int32Array(tableSize);
    for (let id = 0; id < termCount; id++) this.#place(id, hashes[id]!);
    this.#df = df;
    this.#head = head;
    this.#tail = head.slice();
    // Counted again from here: a term's next blocks start small (a live update adds a few postings).
    this.#appended = new Int32Array(room(termCount));
    this.#last = new Int32Array(room(termCount)).fill(-1);
    this.#at = new Int32Array(room(termCount));
    this.#blockStart = blockStart;
    this.#blockSize = blockSize;
    this.#blockUsed = blockSize.slice();
    this.#blockNext = new Int32Array(room(termCount)).fill(-1);
    this.#blocks = termCount;
    this.#docs = docs;
    this.#counts = counts;
    this.#pooled = postings;
    this.#overflow = overflow;
    this.#rowids = rowids;
    this.#lengths = lengths;
    this.#kinds = kinds;
    this.#alive = new Uint8Array(room(slots)).fill(1, 0, slots);
    this.#termsAt = termsAt;
    this.#docTerms = docTerms;
    this.#slots = slots;
    this.#byPath = byPath;
    this.#dead = 0;
    this.#scores = new Float64Array(0);
    this.#touched = new Int32Array(0);
    this.#seen = new Int32Array(0);
    this.#allowed = new Int32Array(0);
  }

  /**
   * The best documents for some terms (FTS5's phrase order: it sets the order of the sum), by BM25 with
   * the column weights, as `-bm25(table, …weights)` ranks them; ties by row id. Only documents of `kinds`
   * and of `paths`, when given. `log` computes the IDF's logarithm: pass the C library's (SQLite's `ln`)
   * for FTS5's scores to the last bit (V8's `Math.log` is off by one unit in the last place now and then).
   */
  search(
    terms: readonly string[],
    weights: readonly number[],
    limit: number,
    kinds?: ReadonlySet<string>,
    paths?: readonly string[],
    log: (x: number) => number = Math.log,
  ): MemoryHit[] {
    const total = this.#live;
    if (total === 0 || limit <= 0) return [];
    const avgdl = this.#tokens / total;
    const slots = this.#slots;
    if (this.#seen.length < slots) {
      // With room: documents added since do not make every search allocate anew.
      this.#scores = new Float64Array(room(slots));
      this.#touched = new Int32Array(room(slots));
      this.#seen = new Int32Array(room(slots));
      this.#allowed = new Int32Array(room(slots));
      this.#epoch = 0;
    }
    const epoch = ++this.#epoch;
    const scores = this.#scores;
    const touched = this.#touched;
    const seen = this.#seen;
    const allowed = this.#allowed;
    const alive = this.#alive;
    const lengths = this.#lengths;
    const docs = this.#docs;
    const counts = this.#counts;
    // Only some files: their documents are the candidates.
    let only = false;
    if (paths) {
      only = true;
      let any = false;
      for (const path of paths)
        for (const slot of this.#byPath.get(path) ?? []) {
          allowed[slot] = epoch;
          any = true;
        }
      if (!any) return [];
    }
    let kindMask: Uint8Array | undefined;
    if (kinds) {
      kindMask = new Uint8Array(256);
      for (const kind of kinds) {
        const code = this.#kindCodes.get(kind);
        if (code !== undefined) kindMask[code] = 1;
      }
    }
    const kindOf = this.#kinds;
    const w = [0, 1, 2, 3, 4].map((c) => weights[c] ?? 1);
    const multiply = w.every(exactMultiple);
    let found = 0;
    for (const term of terms) {
      const id = this.#find(term, 0, term.length, hashOf(term, 0, term.length));
      if (id < 0) continue;
      const df = this.#df[id]!;
      if (df === 0) continue;
      let idf = log((total - df + 0.5) / (df + 0.5));
      if (idf <= 0) idf = 1e-6;
      for (let block = this.#head[id]!; block >= 0; block = this.#blockNext[block]!) {
        const start = this.#blockStart[block]!;
        const end = start + this.#blockUsed[block]!;
        for (let p = start; p < end; p++) {
          const slot = docs[p]!;
          if (only ? allowed[slot] !== epoch : alive[slot] === 0) continue;
          if (kindMask?.[kindOf[slot]!] === 0) continue;
          const base = p * LEXICAL_COLUMNS;
          let frequency = 0;
          const c0 = counts[base]!;
          const c1 = counts[base + 1]!;
          const c2 = counts[base + 2]!;
          const c3 = counts[base + 3]!;
          const c4 = counts[base + 4]!;
          if (
            multiply &&
            c0 !== SATURATED &&
            c1 !== SATURATED &&
            c2 !== SATURATED &&
            c3 !== SATURATED &&
            c4 !== SATURATED
          ) {
            // Small dyadic weights: adding a weight n times is n × weight, exactly.
            frequency = c0 * w[0]! + c1 * w[1]! + c2 * w[2]! + c3 * w[3]! + c4 * w[4]!;
          } else {
            // FTS5 adds a column's weight once per occurrence: the same sum, in the same order.
            const exact = this.#overflow.get(p);
            for (let c = 0; c < LEXICAL_COLUMNS; c++) {
              const count = exact ? exact[c]! : counts[base + c]!;
              const weight = w[c]!;
              for (let k = 0; k < count; k++) frequency += weight;
            }
          }
          const part =
            idf * ((frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * lengths[slot]!) / avgdl)));
          if (seen[slot] !== epoch) {
            seen[slot] = epoch;
            scores[slot] = part;
            touched[found++] = slot;
          } else scores[slot] = scores[slot]! + part;
        }
      }
    }
    return this.#best(found, limit);
  }

  /** The `limit` best of the `found` touched slots, best first (a heap of the best so far, worst on top). */
  #best(found: number, limit: number): MemoryHit[] {
    const scores = this.#scores;
    const rowids = this.#rowids;
    const touched = this.#touched;
    const size = Math.min(limit, found);
    const heap = new Int32Array(size);
    // `a` ranks below `b`: a lower score, or the same and a larger row id.
    const worse = (a: number, b: number): boolean =>
      scores[a]! < scores[b]! || (scores[a] === scores[b] && rowids[a]! > rowids[b]!);
    const down = (from: number, count: number): void => {
      let i = from;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= count) return;
        const right = left + 1;
        const child = right < count && worse(heap[right]!, heap[left]!) ? right : left;
        if (!worse(heap[child]!, heap[i]!)) return;
        const swap = heap[i]!;
        heap[i] = heap[child]!;
        heap[child] = swap;
        i = child;
      }
    };
    let count = 0;
    for (let i = 0; i < found; i++) {
      const slot = touched[i]!;
      if (count < size) {
        heap[count++] = slot;
        if (count === size) for (let j = (size >> 1) - 1; j >= 0; j--) down(j, size);
      } else if (worse(heap[0]!, slot)) {
        heap[0] = slot;
        down(0, size);
      }
    }
    if (count < size) for (let j = (count >> 1) - 1; j >= 0; j--) down(j, count);
    // Worst first off the heap: filled from the end.
    const hits: MemoryHit[] = new Array<MemoryHit>(count);
    for (let n = count; n > 0; n--) {
      const slot = heap[0]!;
      hits[n - 1] = { rowid: rowids[slot]!, score: scores[slot]! };
      heap[0] = heap[n - 1]!;
      down(0, n - 1);
    }
    return hits;
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

  /** Lays both tables out compactly (a build is done). */
  pack(): void {
    this.symbols.pack();
    this.files.pack();
  }

  /** About how many bytes both tables take. */
  bytes(): number {
    return this.symbols.bytes() + this.files.bytes();
  }
}
