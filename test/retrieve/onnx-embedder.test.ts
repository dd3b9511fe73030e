/**
 * @module test/retrieve/onnx-embedder.test
 * The ONNX embedder on a real model file loaded by the real runtime: the test writes a tiny model (the ONNX
 * protobuf encoded by hand: an embedding table gathered by `input_ids`, masked by `attention_mask`, as
 * `last_hidden_state`) and a WordPiece vocabulary, and checks the tokenisation, the mean pooling and the
 * padding. `onnxruntime-node` is optional: without it, the test checks the error that says how to enable it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/base/index.js';
import { createEmbedder, OnnxEmbedder } from '../../src/retrieve/index.js';
import { loadWordPiece } from '../../src/retrieve/embedders/word-piece.js';

const RUNTIME = 'onnxruntime-node';
const runtimeInstalled = await import(RUNTIME).then(
  () => true,
  () => false,
);

// --- A minimal protobuf writer, enough for an ONNX ModelProto. ---

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return bytes;
}
const field = (number: number, wire: number): number[] => varint((number << 3) | wire);
const int = (number: number, value: number | bigint): number[] => [...field(number, 0), ...varint(value)];
const bytes = (number: number, data: Uint8Array | number[]): number[] => [
  ...field(number, 2),
  ...varint(data.length),
  ...data,
];
const str = (number: number, text: string): number[] => bytes(number, Array.from(Buffer.from(text, 'utf8')));
const message = (number: number, ...parts: number[][]): number[] => bytes(number, parts.flat());

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto of a tensor with named (symbolic) or fixed dimensions. */
function valueInfo(number: number, name: string, type: number, dims: (string | number)[]): number[] {
  const shape = dims.map((dim) => message(1, typeof dim === 'string' ? str(2, dim) : int(1, dim)));
  return message(number, str(1, name), message(2, message(1, int(1, type), message(2, ...shape))));
}

function tensor(number: number, name: string, type: number, dims: number[], raw: Uint8Array): number[] {
  return message(number, ...dims.map((dim) => int(1, dim)), int(2, type), str(8, name), bytes(9, raw));
}

function node(op: string, inputs: string[], outputs: string[], ...attributes: number[][]): number[] {
  return message(
    1,
    ...inputs.map((input) => str(1, input)),
    ...outputs.map((output) => str(2, output)),
    str(3, `${op.toLowerCase()}_node`),
    str(4, op),
    ...attributes,
  );
}

/** The model: last_hidden_state = table[input_ids] × attention_mask. */
function encodeModel(table: Float32Array, vocabulary: number, dimensions: number): Uint8Array {
  const graph = [
    node('Gather', ['table', 'input_ids'], ['gathered']),
    // Cast's `to` attribute: name, i (FLOAT), type INT (2).
    node('Cast', ['attention_mask'], ['mask_float'], message(5, str(1, 'to'), int(3, FLOAT), int(20, 2))),
    node('Unsqueeze', ['mask_float', 'axes'], ['mask_3d']),
    node('Mul', ['gathered', 'mask_3d'], ['last_hidden_state']),
    str(2, 'tiny'),
    tensor(5, 'table', FLOAT, [vocabulary, dimensions], new Uint8Array(table.buffer)),
    tensor(5, 'axes', INT64, [1], new Uint8Array(BigInt64Array.of(-1n).buffer)),
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', dimensions]),
  ];
  return Uint8Array.from([
    ...int(1, 8),
    ...str(2, 'rtc-test'),
    ...message(7, ...graph),
    ...message(8, str(1, ''), int(2, 13)),
  ]);
}

const VOCABULARY = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'get',
  '##user',
  '##s',
  'user',
  'parse',
  'config',
  'http',
  'request',
  '.',
  '(',
  ')',
];
const DIMENSIONS = 8;
const TABLE = Float32Array.from({ length: VOCABULARY.length * DIMENSIONS }, (_, i) =>
  Math.sin(i * 1.7 + Math.floor(i / DIMENSIONS) * 0.3),
);

/** The expected vector: the mean of the table rows of the ids, normalised. */
function expected(tokens: string[]): number[] {
  const sum = new Array<number>(DIMENSIONS).fill(0);
  for (const token of tokens) {
    const row = VOCABULARY.indexOf(token);
    for (let j = 0; j < DIMENSIONS; j++) sum[j]! += TABLE[row * DIMENSIONS + j]! / tokens.length;
  }
  const norm = Math.sqrt(sum.reduce((a, x) => a + x * x, 0));
  return sum.map((x) => x / norm);
}

let dir: string;
let vocabDir: string;
let jsonDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtc-onnx-'));
  vocabDir = join(dir, 'vocab-model');
  jsonDir = join(dir, 'json-model');
  const model = encodeModel(TABLE, VOCABULARY.length, DIMENSIONS);
  mkdirSync(vocabDir);
  mkdirSync(jsonDir);
  writeFileSync(join(vocabDir, 'model.onnx'), model);
  writeFileSync(join(vocabDir, 'vocab.txt'), `${VOCABULARY.join('\n')}\n`);
  writeFileSync(join(jsonDir, 'model.onnx'), model);
  writeFileSync(
    join(jsonDir, 'tokenizer.json'),
    JSON.stringify({
      normalizer: { type: 'BertNormalizer', lowercase: true, strip_accents: null },
      post_processor: { special_tokens: { '[CLS]': { ids: [2] }, '[SEP]': { ids: [3] } } },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab: Object.fromEntries(VOCABULARY.map((token, id) => [token, id])),
      },
    }),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('WordPiece', () => {
  it('splits words, punctuation and sub-words as BERT does', () => {
    const tokenizer = loadWordPiece(vocabDir);
    const ids = tokenizer.encode('getUsers(HTTP.request) zzz', 64);
    expect(ids.map((id) => VOCABULARY[id])).toEqual([
      '[CLS]',
      'get',
      '##user',
      '##s',
      '(',
      'http',
      '.',
      'request',
      ')',
      '[UNK]',
      '[SEP]',
    ]);
    expect(tokenizer.encode('get user parse config', 4).map((id) => VOCABULARY[id])).toEqual([
      '[CLS]',
      'get',
      'user',
      '[SEP]',
    ]);
    expect(loadWordPiece(jsonDir).encode('getUsers(HTTP.request) zzz', 64)).toEqual(ids);
  });
});

describe('OnnxEmbedder', () => {
  it('says how to enable it when the model directory is missing', async () => {
    const error = await createEmbedder({ provider: 'onnx', model: join(dir, 'nowhere') }).catch(
      (e: unknown) => e,
    );
    expect(isEngineError(error, 'RTC_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(
      /No model.onnx in .*nowhere.*install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=skip.*point embedding.model at a directory holding model.onnx \+ tokenizer.json/,
    );
  });

  it.skipIf(runtimeInstalled)('says how to install onnxruntime-node when it is missing', async () => {
    const error = await createEmbedder({ provider: 'onnx', model: vocabDir }).catch((e: unknown) => e);
    expect(isEngineError(error, 'RTC_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(
      /needs the optional package onnxruntime-node.*ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node/,
    );
  });

  it.runIf(runtimeInstalled)('runs a real model: mean pooling over the mask, normalised', async () => {
    const embedder = await createEmbedder({ provider: 'onnx', model: vocabDir });
    expect(embedder).toBeInstanceOf(OnnxEmbedder);
    expect(embedder.dimensions).toBe(DIMENSIONS);
    expect(embedder.id).toMatch(/^onnx:vocab-model-\d+-d8$/);
    const texts = ['getUsers(HTTP.request)', 'parse config', 'user'];
    const batch = await embedder.embed(texts, 'document');
    const tokens = [
      ['[CLS]', 'get', '##user', '##s', '(', 'http', '.', 'request', ')', '[SEP]'],
      ['[CLS]', 'parse', 'config', '[SEP]'],
      ['[CLS]', 'user', '[SEP]'],
    ];
    batch.forEach((vector, i) => {
      expect(Array.from(vector)).toHaveLength(DIMENSIONS);
      expected(tokens[i]!).forEach((x, j) => {
        expect(vector[j]).toBeCloseTo(x, 5);
      });
    });
    // Padding changes nothing: each alone gives the same vector as in the batch.
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text], 'query');
      Array.from(alone!).forEach((x, j) => {
        expect(x).toBeCloseTo(batch[i]![j]!, 5);
      });
    }
    const fromJson = await createEmbedder({ provider: 'onnx', model: jsonDir });
    const [same] = await fromJson.embed([texts[0]!], 'query');
    Array.from(same!).forEach((x, j) => {
      expect(x).toBeCloseTo(batch[0]![j]!, 5);
    });
    await embedder.close?.();
    await fromJson.close?.();
  });
});
