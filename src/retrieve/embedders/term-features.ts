/**
 * @module retrieve/embedders/term-features
 * What the built-in embedders share: the terms of a text (`codeTokens`, counted), 32-bit term hashes,
 * signed feature hashing into a fixed number of dimensions, character n-grams of terms, and the document
 * frequencies (IDF) fitted on a corpus.
 */
import { codeTokens, ERROR_CODES, EngineError, fmix32 } from '../../base/index.js';

/** 32-bit FNV-1a of a string with a murmur finaliser: the one term hash of the built-in embedders. */
export function termHash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** Checks the dimensions an embedder is configured with. */
export function checkDimensions(dimensions: number): number {
  if (!Number.isInteger(dimensions) || dimensions < 8) {
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `embedding.dimensions must be an integer of at least 8, not ${dimensions}`,
    );
  }
  return dimensions;
}

/** Terms of a text, each once, with its hash and count, in typed arrays (no per-term objects). */
export interface TermCounts {
  terms: string[];
  hashes: Uint32Array;
  counts: Uint16Array;
}

/** The tokens of one word and their hashes. */
interface WordTerms {
  word: string;
  tokens: readonly string[];
  hashes: Uint32Array;
}

/**
 * `codeTokens` of each word seen lately, by a hash of the word: words repeat across a corpus, and splitting
 * them is the cost. A hit is checked against the word itself.
 */
const WORD_TERMS = new Map<number, WordTerms>();
const WORD_CACHE_SIZE = 200_000;

function wordTerms(text: string, start: number, end: number, hash: number): WordTerms {
  const cached = WORD_TERMS.get(hash);
  const word = text.slice(start, end);
  if (cached?.word === word) return cached;
  const tokens = codeTokens(word);
  const terms = { word, tokens, hashes: Uint32Array.from(tokens, termHash) };
  if (WORD_TERMS.size >= WORD_CACHE_SIZE) WORD_TERMS.clear();
  WORD_TERMS.set(hash, terms);
  return terms;
}

/** Whether a char code is one of a word's (`[A-Za-z0-9_$]`, the words of base/tokens.ts). */
function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36
  );
}

/** An open-addressing table of the distinct hashes of one text, reused from text to text. */
let slotHashes = new Uint32Array(1024);
let slotStamps = new Uint32Array(1024);
let slotIndex = new Uint32Array(1024);
let stamp = 0;

/**
 * The terms of a text: `codeTokens` (whole identifiers and their parts), counted. `codeTokens` works word
 * by word, so the tokens of a text are those of its words, each word split once and cached.
 */
export function termCounts(text: string): TermCounts {
  const terms: string[] = [];
  const hashes: number[] = [];
  const counts: number[] = [];
  if (++stamp === 0xffffffff) {
    slotStamps.fill(0);
    stamp = 1;
  }
  const length = text.length;
  let position = 0;
  while (position < length) {
    while (position < length && !isWordCode(text.charCodeAt(position))) position++;
    if (position === length) break;
    const start = position;
    let wordHash = 0x811c9dc5;
    for (let code = text.charCodeAt(position); position < length && isWordCode(code); ) {
      wordHash = Math.imul(wordHash ^ code, 0x01000193);
      code = text.charCodeAt(++position);
    }
    const found = wordTerms(text, start, position, wordHash & 0x3fffffff);
    for (let t = 0; t < found.hashes.length; t++) {
      const hash = found.hashes[t]!;
      const mask = slotHashes.length - 1;
      let slot = (Math.imul(hash, 0x9e3779b1) >>> 0) & mask;
      while (slotStamps[slot] === stamp && slotHashes[slot] !== hash) slot = (slot + 1) & mask;
      if (slotStamps[slot] === stamp) {
        counts[slotIndex[slot]!]! += 1;
        continue;
      }
      slotStamps[slot] = stamp;
      slotHashes[slot] = hash;
      slotIndex[slot] = terms.length;
      terms.push(found.tokens[t]!);
      hashes.push(hash);
      counts.push(1);
      if (terms.length * 2 > slotHashes.length) growSlots(hashes);
    }
  }
  // Copied by hand: `TypedArray.from` (with a map function above all) costs more than the rest here.
  const hashArray = new Uint32Array(terms.length);
  const countArray = new Uint16Array(terms.length);
  for (let i = 0; i < terms.length; i++) {
    hashArray[i] = hashes[i]!;
    countArray[i] = Math.min(counts[i]!, 0xffff);
  }
  return { terms, hashes: hashArray, counts: countArray };
}

/** Doubles the table and re-inserts the hashes of the current text. */
function growSlots(hashes: readonly number[]): void {
  const size = slotHashes.length * 2;
  slotHashes = new Uint32Array(size);
  slotStamps = new Uint32Array(size);
  slotIndex = new Uint32Array(size);
  const mask = size - 1;
  for (let i = 0; i < hashes.length; i++) {
    let slot = (Math.imul(hashes[i]!, 0x9e3779b1) >>> 0) & mask;
    while (slotStamps[slot] === stamp) slot = (slot + 1) & mask;
    slotStamps[slot] = stamp;
    slotHashes[slot] = hashes[i]!;
    slotIndex[slot] = i;
  }
}

/** Sublinear term frequency: 1 + ln(tf). */
export function sublinear(count: number): number {
  return count > 0 ? 1 + Math.log(count) : 0;
}

/** Adds `weight` to the signed bucket of a hash (bit 0: the sign, the rest: the bucket). */
export function addHashed(vector: Float32Array, hash: number, weight: number): void {
  // Multiply and shift, not `%`: the same spread, without an integer division.
  const bucket = ((hash >>> 1) * vector.length * 4.656612873077393e-10) | 0;
  vector[bucket]! += hash & 1 ? -weight : weight;
}

/**
 * Hashes of the character n-grams of a term, with its ends marked (`<get>` → `<ge`, `get`, `et>`); none for
 * terms shorter than `n`. Computed on char codes, with no substrings, and cached by the term's hash (a hit
 * is checked against the term).
 */
export function ngramHashes(term: string, termHashValue: number, n: number): Uint32Array {
  const key = (termHashValue & 0x3fffffff) * 8 + n;
  const cached = NGRAMS.get(key);
  if (cached?.term === term) return cached.grams;
  const grams = new Uint32Array(term.length < n ? 0 : term.length + 3 - n);
  for (let start = 0; start < grams.length; start++) {
    let h = 0x9e3779b9; // a seed of its own keeps n-gram buckets apart from whole terms'
    for (let i = start; i < start + n; i++) {
      const code = i === 0 ? 60 : i === term.length + 1 ? 62 : term.charCodeAt(i - 1);
      h = Math.imul(h ^ code, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    grams[start] = (h ^ (h >>> 16)) >>> 0;
  }
  if (NGRAMS.size >= WORD_CACHE_SIZE) NGRAMS.clear();
  NGRAMS.set(key, { term, grams });
  return grams;
}

const NGRAMS = new Map<number, { term: string; grams: Uint32Array }>();

/** Scales a vector to unit length in place (a zero vector stays zero); returns it. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  }
  return vector;
}

/** Positions of 32-bit hashes in an array, by open addressing in typed arrays (faster than a Map here). */
export class HashIndex {
  readonly #keys: Uint32Array;
  /** Position + 1 of the key in each slot; 0: a free slot. */
  readonly #positions: Int32Array;
  readonly #mask: number;

  constructor(hashes: Uint32Array) {
    let size = 16;
    while (size < hashes.length * 2) size *= 2;
    this.#keys = new Uint32Array(size);
    this.#positions = new Int32Array(size);
    this.#mask = size - 1;
    for (let i = 0; i < hashes.length; i++) {
      let slot = (Math.imul(hashes[i]!, 0x9e3779b1) >>> 0) & this.#mask;
      while (this.#positions[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#keys[slot] = hashes[i]!;
      this.#positions[slot] = i + 1;
    }
  }

  /** The position of a hash, or -1. */
  get(hash: number): number {
    const keys = this.#keys;
    const positions = this.#positions;
    let slot = (Math.imul(hash, 0x9e3779b1) >>> 0) & this.#mask;
    for (;;) {
      const position = positions[slot]!;
      if (position === 0) return -1;
      if (keys[slot] === hash) return position - 1;
      slot = (slot + 1) & this.#mask;
    }
  }
}

/**
 * Document frequencies of terms (by hash) over a corpus, and the IDF they give:
 * `ln(1 + (N - df + 0.5) / (df + 0.5))`, as BM25. A term that occurs in no document of the corpus weighs 0
 * (see {@link TermStatistics.idf}); unfitted (no corpus), every term weighs 1.
 */
export class TermStatistics {
  readonly documents: number;
  /** The kept term hashes (sorted) and their document frequencies: what persists. */
  readonly hashes: Uint32Array;
  readonly frequencies: Uint32Array;
  readonly #index: HashIndex;
  readonly #idf: Float32Array;
  /** The IDF of a term seen in one document: the largest. */
  readonly rarest: number;

  private constructor(documents: number, hashes: Uint32Array, frequencies: Uint32Array) {
    this.documents = documents;
    this.hashes = hashes;
    this.frequencies = frequencies;
    this.#index = new HashIndex(hashes);
    this.#idf = Float32Array.from(frequencies, (df) => idfOf(documents, df));
    this.rarest = documents > 0 ? idfOf(documents, 1) : 1;
  }

  static readonly EMPTY = new TermStatistics(0, new Uint32Array(0), new Uint32Array(0));

  /** Counts the documents each term hash occurs in (`documentHashes`: each document's distinct hashes). */
  static fit(documentHashes: Iterable<Uint32Array>): TermStatistics {
    // An open-addressing table in typed arrays (a count of 0 marks a free slot): a Map is slower here.
    let keys = new Uint32Array(1 << 16);
    let counts = new Uint32Array(1 << 16);
    let used = 0;
    let documents = 0;
    const insert = (hash: number, count: number): void => {
      const mask = keys.length - 1;
      let slot = (Math.imul(hash, 0x9e3779b1) >>> 0) & mask;
      while (counts[slot] !== 0 && keys[slot] !== hash) slot = (slot + 1) & mask;
      if (counts[slot] === 0) {
        keys[slot] = hash;
        used++;
      }
      counts[slot]! += count;
    };
    for (const hashes of documentHashes) {
      documents++;
      for (const hash of hashes) {
        insert(hash, 1);
        if (used * 2 > keys.length) {
          const oldKeys = keys;
          const oldCounts = counts;
          keys = new Uint32Array(oldKeys.length * 2);
          counts = new Uint32Array(oldKeys.length * 2);
          used = 0;
          for (let i = 0; i < oldKeys.length; i++) if (oldCounts[i] !== 0) insert(oldKeys[i]!, oldCounts[i]!);
        }
      }
    }
    const kept: number[] = [];
    for (let i = 0; i < keys.length; i++) if (counts[i]! > 0) kept.push(i);
    kept.sort((a, b) => keys[a]! - keys[b]!);
    const hashes = Uint32Array.from(kept, (i) => keys[i]!);
    const dfs = Uint32Array.from(kept, (i) => counts[i]!);
    return new TermStatistics(documents, hashes, dfs);
  }

  /** Statistics as persisted (`hashes` sorted, `frequencies` in the same order). */
  static fromArrays(documents: number, hashes: Uint32Array, frequencies: Uint32Array): TermStatistics {
    return new TermStatistics(documents, hashes, frequencies);
  }

  /**
   * The IDF of a term hash; 0 for a term that no document of the fitted corpus has: it can match nothing
   * but by a collision of hashes (English words of a question, above all), so it gets no feature of its
   * own, on either side, until the next fit (its n-grams still count). 1 for every term when unfitted.
   */
  idf(hash: number): number {
    if (this.documents === 0) return 1;
    const at = this.#index.get(hash);
    return at < 0 ? 0 : this.#idf[at]!;
  }
}

function idfOf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}
