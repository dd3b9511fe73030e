/**
 * @module test/retrieve/embedders.test
 * The built-in embedders (hashed terms; terms blended with co-occurrence vectors): unit vectors, related
 * code closer than unrelated code, IDF fitted on a corpus, the co-occurrence model relating words that
 * occur together, state that persists, and `createEmbedder` choosing by configuration.
 */
import { describe, expect, it } from 'vitest';
import { codeTokens, isEngineError } from '../../src/base/index.js';
import {
  CooccurrenceEmbedder,
  createEmbedder,
  HashedEmbedder,
  isFittedEmbedder,
} from '../../src/retrieve/index.js';
import { termCounts } from '../../src/retrieve/embedders/term-features.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function norm(a: Float32Array): number {
  return Math.sqrt(cosine(a, a));
}

/** A small corpus of symbol texts in a few topics, each a few times with variations. */
const TOPICS: Record<string, string[]> = {
  http: [
    'function sendRequest url headers fetch response status retry timeout',
    'class HttpClient request response headers status code retry backoff',
    'async function fetchJson url response json status error retry',
    'function retryRequest request attempts backoff timeout response',
    'interface RequestOptions headers timeout method url body response',
  ],
  config: [
    'function loadConfig path read file parse json settings defaults',
    'class ConfigLoader settings file path parse validate defaults',
    'function parseSettings json schema validate defaults config',
    'function readConfigFile path encoding settings parse json',
    'interface ConfigOptions settings path defaults schema validate',
  ],
  graph: [
    'function shortestPath graph nodes edges distance queue visited',
    'class Graph nodes edges addEdge neighbors adjacency',
    'function breadthFirst graph start queue visited neighbors nodes',
    'function topologicalSort graph nodes edges visited order',
    'interface Edge from to weight graph nodes',
  ],
};
const CORPUS = Object.values(TOPICS).flatMap((texts) =>
  texts.flatMap((text, i) => [text, `${text} helper${i}`, `${text.split(' ').reverse().join(' ')} util`]),
);

describe('term features', () => {
  it('counts exactly the tokens of codeTokens', () => {
    const text = 'const userById = getUserById(HTTPServer2, user_id); // getUserById again $x __init__';
    const counts = termCounts(text);
    const expected = new Map<string, number>();
    for (const token of codeTokens(text)) expected.set(token, (expected.get(token) ?? 0) + 1);
    const actual = new Map(counts.terms.map((term, i) => [term, counts.counts[i]!]));
    expect(actual).toEqual(expected);
  });
});

describe('HashedEmbedder', () => {
  it('gives unit vectors of its dimensions, the same for the same text', async () => {
    const embedder = new HashedEmbedder({ dimensions: 128 });
    const [a, b, empty] = await embedder.embed(['getUserById(id)', 'getUserById(id)', '']);
    expect(a!.length).toBe(128);
    expect(norm(a!)).toBeCloseTo(1, 5);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(norm(empty!)).toBe(0);
  });

  it('puts code about the same things closer than unrelated code', () => {
    const embedder = new HashedEmbedder();
    const query = embedder.embedText('fetchUser retries the http request');
    const related = embedder.embedText('function fetchUser(url) { return retryRequest(http.get(url)) }');
    const unrelated = embedder.embedText('function topologicalSort(graph) { return visit(graph.nodes) }');
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.1);
  });

  it('matches word variants through character trigrams', () => {
    const grams = new HashedEmbedder();
    const words = new HashedEmbedder({ ngram: 0 });
    const a = 'parser';
    const b = 'parsing';
    // Three of six trigrams shared, at a quarter of the energy of the whole word: about 0.09.
    expect(cosine(grams.embedText(a), grams.embedText(b))).toBeGreaterThan(0.05);
    expect(Math.abs(cosine(words.embedText(a), words.embedText(b)))).toBeLessThan(0.01);
  });

  it('weighs rare terms above common ones once fitted', () => {
    const embedder = new HashedEmbedder({ ngram: 0 });
    const common = 'function return const value';
    embedder.fit([...CORPUS, ...CORPUS.map((text) => `${text} ${common}`)]);
    expect(embedder.fitted).toBe(true);
    const query = embedder.embedText('function return const value topologicalSort');
    const rare = embedder.embedText('topologicalSort');
    const frequent = embedder.embedText('function return const value');
    expect(cosine(query, rare)).toBeGreaterThan(cosine(query, frequent));
  });

  it('persists its fitted IDF', () => {
    const fitted = new HashedEmbedder();
    fitted.fit(CORPUS);
    const restored = new HashedEmbedder();
    restored.loadState(fitted.saveState());
    const text = 'class HttpClient request retry';
    expect(Array.from(restored.embedText(text))).toEqual(Array.from(fitted.embedText(text)));
    expect(Array.from(new HashedEmbedder().embedText(text))).not.toEqual(Array.from(fitted.embedText(text)));
    expect(() => {
      new HashedEmbedder({ dimensions: 64 }).loadState(fitted.saveState());
    }).toThrow(/not builtin/);
  });
});

describe('CooccurrenceEmbedder', () => {
  it('relates texts that share no word through words that occur together', () => {
    const embedder = new CooccurrenceEmbedder({ lexicalWeight: 0.3 });
    const hashed = new HashedEmbedder();
    embedder.fit(CORPUS);
    hashed.fit(CORPUS);
    // "backoff" and "fetch" never occur in one text with each other here, but both occur with http words.
    const query = 'backoff';
    const related = 'fetch headers';
    const unrelated = 'adjacency neighbors';
    const score = (e: { embedText(text: string): Float32Array }, text: string): number =>
      cosine(e.embedText(query), e.embedText(text));
    expect(score(embedder, related)).toBeGreaterThan(score(embedder, unrelated) + 0.1);
    // The hashed embedder cannot tell them apart: no shared term.
    expect(Math.abs(score(hashed, related) - score(hashed, unrelated))).toBeLessThan(0.1);
  });

  it('ranks the documents of a topic above the others for a query with topic words', () => {
    const embedder = new CooccurrenceEmbedder();
    embedder.fit(CORPUS);
    const query = embedder.embedText('how are settings validated against the schema');
    const scores = Object.entries(TOPICS).map(([topic, texts]) => ({
      topic,
      mean: texts.reduce((sum, text) => sum + cosine(query, embedder.embedText(text)), 0) / texts.length,
    }));
    scores.sort((a, b) => b.mean - a.mean);
    expect(scores[0]!.topic).toBe('config');
  });

  it('persists its fitted state, and embeds unfitted as the hashed terms', async () => {
    const fitted = new CooccurrenceEmbedder();
    fitted.fit(CORPUS);
    expect(fitted.vocabularySize).toBeGreaterThan(20);
    const restored = new CooccurrenceEmbedder();
    restored.loadState(fitted.saveState());
    const text = 'retry the request with backoff';
    expect(Array.from(restored.embedText(text))).toEqual(Array.from(fitted.embedText(text)));
    const [vector] = await new CooccurrenceEmbedder().embed([text]);
    expect(norm(vector!)).toBeCloseTo(1, 5);
    expect(Array.from(vector!)).toEqual(Array.from(new HashedEmbedder().embedText(text)));
  });
});

describe('createEmbedder', () => {
  it('chooses the built-in variant by model, co-occurrence by default', async () => {
    expect(await createEmbedder({ provider: 'builtin' })).toBeInstanceOf(CooccurrenceEmbedder);
    const hashed = await createEmbedder({ provider: 'builtin', model: 'hashed' });
    expect(hashed).toBeInstanceOf(HashedEmbedder);
    expect(hashed.dimensions).toBe(384);
    expect(isFittedEmbedder(hashed)).toBe(true);
    const words = await createEmbedder({ provider: 'builtin', model: 'hashed-words', dimensions: 256 });
    expect(words.dimensions).toBe(256);
    expect(words.id).not.toBe(hashed.id);
    expect(await createEmbedder({ provider: 'builtin', model: 'cooccurrence' })).toBeInstanceOf(
      CooccurrenceEmbedder,
    );
  });

  it('rejects unknown models and incomplete configurations with clear errors', async () => {
    await expect(createEmbedder({ provider: 'builtin', model: 'bert' })).rejects.toThrow(
      /Unknown built-in embedding model "bert": use one of hashed, hashed-words, cooccurrence/,
    );
    await expect(createEmbedder({ provider: 'http', model: 'x' })).rejects.toThrow(/needs embedding.url/);
    await expect(createEmbedder({ provider: 'onnx' })).rejects.toThrow(/model directory/);
    const error = await createEmbedder({ provider: 'builtin', model: 'bert' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'RTC_INVALID_ARGUMENT')).toBe(true);
  });
});
