/**
 * @module test/retrieve/vectors.test
 * The vector stage on real SQLite files in a temporary index folder: vectors stored and searched, the
 * fitted embedder state persisted, incremental updates that embed only what changed, removals by id and
 * by file, the switch to another embedder, the HNSW graph file (written, reused, updated, rebuilt, stamped),
 * an interrupted update, and dimension mismatches.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/base/index.js';
import {
  CooccurrenceEmbedder,
  ExactVectorIndex,
  HashedEmbedder,
  HnswVectorIndex,
  openVectors,
  updateVectors,
} from '../../src/retrieve/index.js';
import type { Embedder, SymbolDocument } from '../../src/retrieve/index.js';
import { openSqlite, prepared } from '../../src/store/index.js';

const WORDS = [
  'parse config settings schema validate defaults json file path read',
  'http request response retry backoff timeout headers status fetch url',
  'graph nodes edges visit queue neighbors path shortest order sort',
  'render template html view component props state update element',
  'token lexer scanner identifier keyword string number comment',
];

/** `count` documents over a few topics, in `files` files. */
function documents(count: number, files = 10, variant = ''): SymbolDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const topic = WORDS[i % WORDS.length]!.split(' ');
    const words = Array.from({ length: 12 }, (_, j) => topic[(i * 7 + j * 3) % topic.length]);
    return {
      id: `id${i}`,
      path: `src/file${i % files}.ts`,
      name: `symbol${i}`,
      qualifiedName: `Module.symbol${i}`,
      kind: 'function',
      line: i,
      endLine: i + 3,
      text: `symbol${i} ${words.join(' ')} ${variant}`,
    };
  });
}

/** Rows of the vectors table: id → key and hash. */
function rows(dir: string): Map<string, { key: number; hash: string; model: string }> {
  const connection = openSqlite(join(dir, 'lexical.sqlite'), { readOnly: true });
  const all = prepared(connection, 'SELECT id, key, hash, model FROM vectors').all([]) as {
    id: string;
    key: number;
    hash: string;
    model: string;
  }[];
  return new Map(all.map((row) => [row.id, row]));
}

function graphFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('vectors-'));
}

/** Counts what an embedder is asked to embed. */
function counting<T extends Embedder>(embedder: T): T & { embedded: number } {
  const wrapped = embedder as T & { embedded: number };
  wrapped.embedded = 0;
  const embed = embedder.embed.bind(embedder);
  wrapped.embed = (texts, purpose) => {
    wrapped.embedded += texts.length;
    return embed(texts, purpose);
  };
  return wrapped;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-vectors-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('updateVectors and openVectors', () => {
  it('stores vectors that openVectors searches, with the fitted state restored', async () => {
    const corpus = documents(60);
    const embedder = new HashedEmbedder();
    const result = await updateVectors(dir, embedder, { documents: corpus, all: true });
    expect(result).toMatchObject({ embedded: 60, removed: 0, total: 60, refitted: true, needsAll: false });
    expect(result.search).toBe('exact');

    // A fresh embedder, as a query process has: openVectors gives it the fitted IDF.
    const queryEmbedder = new HashedEmbedder();
    const search = openVectors(dir, queryEmbedder);
    expect(search).toBeInstanceOf(ExactVectorIndex);
    expect(search!.size).toBe(60);
    expect(queryEmbedder.fitted).toBe(true);
    const [query] = await queryEmbedder.embed(['retry the http request after a timeout']);
    const hits = search!.search(query!, 5);
    expect(hits).toHaveLength(5);
    // Topic 1 (http) holds ids 1, 6, 11…
    for (const hit of hits) expect(Number(hit.id.slice(2)) % WORDS.length).toBe(1);
    // The same document's stored vector scores 1 against its own embedding.
    const [own] = await queryEmbedder.embed([`function Module.symbol7\nsrc/file7.ts\n\n${corpus[7]!.text}`]);
    expect(search!.search(own!, 1)[0]).toMatchObject({ id: 'id7' });
    expect(search!.search(own!, 1)[0]!.score).toBeCloseTo(1, 5);
  });

  it('returns undefined without vectors for the embedder, and for a folder without an index', async () => {
    expect(openVectors(dir, new HashedEmbedder())).toBeUndefined();
    await updateVectors(dir, new HashedEmbedder(), { documents: documents(5), all: true });
    expect(openVectors(dir, new HashedEmbedder({ ngram: 0 }))).toBeUndefined();
    expect(openVectors(join(dir, 'nowhere'), new HashedEmbedder())).toBeUndefined();
  });

  it('embeds again only the symbols whose text changed', async () => {
    const embedder = counting(new HashedEmbedder());
    const corpus = documents(40);
    await updateVectors(dir, embedder, { documents: corpus, all: true });
    const before = rows(dir);
    embedder.embedded = 0;

    const changed = corpus.map((document) =>
      document.id === 'id3' ? { ...document, text: `${document.text} extra words` } : document,
    );
    // Incremental: only the changed document given.
    const result = await updateVectors(dir, embedder, { documents: [changed[3]!] });
    expect(result).toMatchObject({ embedded: 1, removed: 0, total: 40, refitted: false, needsAll: false });
    expect(embedder.embedded).toBe(1);
    const after = rows(dir);
    for (const [id, row] of before) {
      if (id === 'id3') expect(after.get(id)!.key).not.toBe(row.key);
      else expect(after.get(id)).toEqual(row);
    }

    // The whole corpus again, unchanged: nothing embedded, nothing refitted (no drift).
    embedder.embedded = 0;
    const again = await updateVectors(dir, embedder, { documents: changed, all: true });
    expect(again).toMatchObject({ embedded: 0, removed: 0, refitted: false });
    expect(embedder.embedded).toBe(0);
    expect(rows(dir)).toEqual(after);
  });

  it('drops removed ids, the lost symbols of re-indexed files, and what a full update does not list', async () => {
    const embedder = new HashedEmbedder();
    const corpus = documents(30, 3);
    await updateVectors(dir, embedder, { documents: corpus, all: true });
    let result = await updateVectors(dir, embedder, { documents: [], removed: ['id0', 'id1', 'nothing'] });
    expect(result).toMatchObject({ removed: 2, total: 28, embedded: 0 });
    expect(rows(dir).has('id0')).toBe(false);

    // src/file2.ts now holds id2 and id5 only (its other symbols are gone).
    const kept = corpus.filter((document) => document.id === 'id2' || document.id === 'id5');
    result = await updateVectors(dir, embedder, { documents: kept, files: ['src/file2.ts'] });
    expect(result.removed).toBe(8);
    const ids = [...rows(dir).keys()];
    expect(ids.filter((id) => Number(id.slice(2)) % 3 === 2).sort()).toEqual(['id2', 'id5']);

    result = await updateVectors(dir, embedder, { documents: corpus.slice(10, 20), all: true });
    expect(result.total).toBe(10);
    expect([...rows(dir).keys()].sort()).toEqual(
      corpus
        .slice(10, 20)
        .map((d) => d.id)
        .sort(),
    );
  });

  it('refits when asked or when the corpus drifted, and then embeds everything again', async () => {
    const embedder = counting(new HashedEmbedder());
    await updateVectors(dir, embedder, { documents: documents(40), all: true });
    embedder.embedded = 0;
    // 40 → 100 documents: the IDF no longer describes the corpus.
    const grown = await updateVectors(dir, embedder, { documents: documents(100).slice(40) });
    expect(grown).toMatchObject({ embedded: 60, refitted: false, needsAll: true });
    embedder.embedded = 0;
    const refitted = await updateVectors(dir, embedder, { documents: documents(100), all: true });
    expect(refitted).toMatchObject({ embedded: 100, refitted: true, needsAll: false, total: 100 });
    expect(embedder.embedded).toBe(100);
  });

  it('asks for a full update after an incremental first one', async () => {
    const result = await updateVectors(dir, new HashedEmbedder(), { documents: documents(10) });
    expect(result).toMatchObject({ total: 10, needsAll: true });
    const full = await updateVectors(dir, new HashedEmbedder(), { documents: documents(10), all: true });
    expect(full.needsAll).toBe(false);
  });

  it('keeps the vectors of one embedder: another one replaces them', async () => {
    await updateVectors(dir, new HashedEmbedder(), { documents: documents(20), all: true });
    const cooccurrence = new CooccurrenceEmbedder();
    const result = await updateVectors(dir, cooccurrence, { documents: documents(20), all: true });
    expect(result).toMatchObject({ embedded: 20, total: 20 });
    expect(new Set([...rows(dir).values()].map((row) => row.model))).toEqual(new Set([cooccurrence.id]));
    expect(openVectors(dir, new HashedEmbedder())).toBeUndefined();
    const restored = new CooccurrenceEmbedder();
    expect(openVectors(dir, restored)?.size).toBe(20);
    expect(restored.vocabularySize).toBe(cooccurrence.vocabularySize);
  });

  it('keeps what an interrupted update did, and completes it on the next full one', async () => {
    const corpus = documents(50);
    const embedder = new HashedEmbedder();
    let calls = 0;
    const failing: Embedder = {
      id: embedder.id,
      dimensions: embedder.dimensions,
      embed: (texts) => {
        if (++calls === 3) return Promise.reject(new Error('killed'));
        return embedder.embed(texts);
      },
    };
    // Not a fitted embedder (no fit/saveState): plain vectors, 10 per chunk; the third chunk fails.
    await expect(
      updateVectors(dir, failing, { documents: corpus, all: true }, { chunk: 10 }),
    ).rejects.toThrow('killed');
    expect(rows(dir).size).toBe(20);
    expect(openVectors(dir, failing)?.size).toBe(20);
    calls = 100;
    const resumed = await updateVectors(dir, failing, { documents: corpus, all: true }, { chunk: 10 });
    expect(resumed).toMatchObject({ embedded: 30, total: 50, needsAll: false });
  });

  it('rejects vectors of the wrong dimensions', async () => {
    const embedder = new HashedEmbedder();
    await updateVectors(dir, embedder, { documents: documents(5), all: true });
    const liar: Embedder = {
      id: embedder.id,
      dimensions: 64,
      embed: () => Promise.resolve([new Float32Array(64)]),
    };
    const error = await updateVectors(dir, liar, { documents: documents(1) }).catch((e: unknown) => e);
    expect(isEngineError(error, 'RTC_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/have 384 dimensions, the embedder 64/);
    expect(() => openVectors(dir, liar)).toThrow(/have 384 dimensions, the embedder 64/);
    const short: Embedder = {
      id: 'short',
      dimensions: 16,
      embed: (texts) => Promise.resolve(texts.map(() => new Float32Array(8))),
    };
    await expect(updateVectors(dir, short, { documents: documents(2), all: true })).rejects.toThrow(
      /returned a vector of 8 dimensions, not 16/,
    );
  });
});

describe('the HNSW graph file', () => {
  const options = { threshold: 100, chunk: 64, rewriteAfter: 20 };

  it('is written above the threshold, reused, updated, rebuilt, and removed below it', async () => {
    const embedder = new HashedEmbedder({ dimensions: 64 });
    const corpus = documents(300);
    let result = await updateVectors(dir, embedder, { documents: corpus, all: true }, options);
    expect(result).toMatchObject({ search: 'hnsw', graph: 'rebuilt', total: 300 });
    const [first] = graphFiles(dir);
    expect(first).toMatch(/^vectors-[0-9a-f]{12}-[0-9a-f]+-\d+\.usearch$/);
    const search = openVectors(dir, embedder);
    expect(search).toBeInstanceOf(HnswVectorIndex);
    expect(search!.size).toBe(300);

    // Nothing changed: the file stays.
    result = await updateVectors(dir, embedder, { documents: corpus, all: true }, options);
    expect(result.graph).toBe('unchanged');
    expect(graphFiles(dir)).toEqual([first]);

    // A small change: the file stays, readers find the new vector beside it and skip the old one.
    const changed = { ...corpus[4]!, text: 'quaternion slerp interpolation rotation matrix' };
    result = await updateVectors(dir, embedder, { documents: [changed] }, options);
    expect(result).toMatchObject({ graph: 'unchanged', embedded: 1 });
    expect(graphFiles(dir)).toEqual([first]);
    const reader = openVectors(dir, embedder)!;
    expect(reader.size).toBe(300);
    const [query] = await embedder.embed(['quaternion slerp rotation']);
    expect(reader.search(query!, 1)[0]!.id).toBe('id4');
    const hits = reader.search(query!, 300);
    expect(hits.filter((hit) => hit.id === 'id4')).toHaveLength(1);

    // More changes: the graph is updated and written under the new version.
    const many = corpus.slice(0, 40).map((document) => ({ ...document, text: `${document.text} renamed` }));
    result = await updateVectors(dir, embedder, { documents: many }, options);
    expect(result.graph).toBe('updated');
    expect(graphFiles(dir)).toHaveLength(1);
    expect(graphFiles(dir)[0]).not.toBe(first);
    const updated = openVectors(dir, embedder)!;
    expect(updated.size).toBe(300);

    // Most removed: rebuilt; then below the threshold: no file, exact search.
    result = await updateVectors(dir, embedder, { documents: corpus.slice(0, 150), all: true }, options);
    expect(result).toMatchObject({ graph: 'rebuilt', total: 150 });
    result = await updateVectors(dir, embedder, { documents: corpus.slice(0, 50), all: true }, options);
    expect(result).toMatchObject({ graph: 'none', search: 'exact' });
    expect(graphFiles(dir)).toEqual([]);
    expect(openVectors(dir, embedder)).toBeInstanceOf(ExactVectorIndex);
  });

  it('ignores graph files of another incarnation of the index and leftover temporary files', async () => {
    const embedder = new HashedEmbedder({ dimensions: 64 });
    await updateVectors(dir, embedder, { documents: documents(200), all: true }, options);
    const [file] = graphFiles(dir);
    const tag = file!.split('-')[1]!;
    // The index folder is rebuilt from scratch: same model, versions start again.
    rmSync(join(dir, 'lexical.sqlite'));
    rmSync(join(dir, 'lexical.sqlite-wal'), { force: true });
    rmSync(join(dir, 'lexical.sqlite-shm'), { force: true });
    writeFileSync(join(dir, `vectors-${tag}-00-1.usearch.123.tmp`), 'half a file');
    const smaller = documents(150);
    const result = await updateVectors(dir, embedder, { documents: smaller, all: true }, options);
    expect(result.graph).toBe('rebuilt');
    expect(graphFiles(dir)).toHaveLength(1);
    expect(graphFiles(dir)[0]).not.toBe(file);
    expect(openVectors(dir, embedder)!.size).toBe(150);
  });
});
