/**
 * @module retrieve/embedders/onnx-embedder
 * An embedder over a local sentence-transformers model in ONNX (a directory with `model.onnx` and
 * `tokenizer.json` or `vocab.txt`), run by `onnxruntime-node`: WordPiece ids, attention mask (and token
 * types when the model takes them), mean pooling of `last_hidden_state` over the mask, L2 normalisation.
 * `onnxruntime-node` is optional and loaded on demand: without it, a clear error says how to enable it.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { Embedder } from '../types.js';
import { normalize } from './term-features.js';
import { loadWordPiece } from './word-piece.js';
import type { WordPieceTokenizer } from './word-piece.js';

/** What this module uses of `onnxruntime-node` (typed here: the package is optional). */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OnnxRuntime {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
}

const PACKAGE = 'onnxruntime-node';
const HOW_TO_ENABLE =
  'install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=skip (`ONNXRUNTIME_NODE_INSTALL=skip npm install ' +
  'onnxruntime-node`: the variable skips its download of CUDA files), and point embedding.model at a ' +
  'directory holding model.onnx + tokenizer.json (or vocab.txt), such as a sentence-transformers export';

let runtime: Promise<OnnxRuntime> | undefined;

/** `onnxruntime-node`, imported once; a clear error when it is not installed. */
function loadRuntime(): Promise<OnnxRuntime> {
  runtime ??= (import(PACKAGE) as Promise<OnnxRuntime & { default?: OnnxRuntime }>).then(
    (module) => (module.InferenceSession ? module : module.default!),
    (cause: unknown) => {
      runtime = undefined;
      throw new EngineError(
        ERROR_CODES.NOT_FOUND,
        `The ONNX embedder needs the optional package onnxruntime-node, which did not load ` +
          `(${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}). To enable it, ${HOW_TO_ENABLE}.`,
        { cause },
      );
    },
  );
  return runtime;
}

export interface OnnxEmbedderOptions {
  /** The model directory: `model.onnx` (or `onnx/model.onnx`) and `tokenizer.json` or `vocab.txt`. */
  directory: string;
  /** Tokens per text, `[CLS]` and `[SEP]` included (default: the tokenizer's, at most 256). */
  maxTokens?: number;
  /** Texts per run of the model (default 16). */
  batchSize?: number;
  /** Threads of one run (default: the cores, at most 4). */
  threads?: number;
}

/** Queries and documents alike (models that want prefixes, as e5's `query: `, get them in the text). */
export class OnnxEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #ort: OnnxRuntime;
  readonly #session: OrtSession;
  readonly #tokenizer: WordPieceTokenizer;
  readonly #maxTokens: number;
  readonly #batchSize: number;
  readonly #output: string;

  private constructor(
    id: string,
    dimensions: number,
    parts: { ort: OnnxRuntime; session: OrtSession; tokenizer: WordPieceTokenizer; output: string },
    options: OnnxEmbedderOptions,
  ) {
    this.id = id;
    this.dimensions = dimensions;
    this.#ort = parts.ort;
    this.#session = parts.session;
    this.#tokenizer = parts.tokenizer;
    this.#output = parts.output;
    this.#maxTokens = options.maxTokens ?? Math.min(parts.tokenizer.maxLength ?? 256, 256);
    this.#batchSize = Math.max(1, options.batchSize ?? 16);
  }

  /** Loads the model and finds its dimensions with one run. */
  static async create(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const directory = resolve(options.directory);
    const modelPath = [join(directory, 'model.onnx'), join(directory, 'onnx', 'model.onnx')].find((path) =>
      existsSync(path),
    );
    if (!modelPath) {
      throw new EngineError(
        ERROR_CODES.NOT_FOUND,
        `No model.onnx in ${directory}. To use the ONNX embedder, ${HOW_TO_ENABLE}.`,
      );
    }
    const tokenizer = loadWordPiece(directory);
    const ort = await loadRuntime();
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(modelPath, {
        intraOpNumThreads: options.threads ?? Math.min(4, availableParallelism()),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (cause) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `Cannot load the ONNX model ${modelPath}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    for (const input of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(input)) {
        throw new EngineError(
          ERROR_CODES.INVALID_ARGUMENT,
          `The ONNX model ${modelPath} has no ${input} input (inputs: ${session.inputNames.join(', ')})`,
        );
      }
    }
    const output = session.outputNames.includes('last_hidden_state')
      ? 'last_hidden_state'
      : session.outputNames[0]!;
    const probe = new OnnxEmbedder('', 0, { ort, session, tokenizer, output }, options);
    const [vector] = await probe.#run(['dimensions probe']);
    const dimensions = vector!.length;
    const id = `onnx:${basename(directory)}-${statSync(modelPath).size}-d${dimensions}`;
    return new OnnxEmbedder(id, dimensions, { ort, session, tokenizer, output }, options);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      for (const vector of await this.#run(texts.slice(start, start + this.#batchSize))) vectors.push(vector);
    }
    return vectors;
  }

  async close(): Promise<void> {
    await this.#session.release();
  }

  /** One run of the model over a batch, padded to its longest text. */
  async #run(texts: readonly string[]): Promise<Float32Array[]> {
    const encoded = texts.map((text) => this.#tokenizer.encode(text, this.#maxTokens));
    const length = Math.max(...encoded.map((ids) => ids.length));
    const batch = encoded.length;
    const ids = new BigInt64Array(batch * length).fill(BigInt(this.#tokenizer.padId));
    const mask = new BigInt64Array(batch * length);
    encoded.forEach((tokens, row) => {
      tokens.forEach((id, column) => {
        ids[row * length + column] = BigInt(id);
        mask[row * length + column] = 1n;
      });
    });
    const dims = [batch, length];
    const feeds: Record<string, OrtTensor> = {
      input_ids: new this.#ort.Tensor('int64', ids, dims),
      attention_mask: new this.#ort.Tensor('int64', mask, dims),
    };
    if (this.#session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new this.#ort.Tensor('int64', new BigInt64Array(batch * length), dims);
    }
    let result: OrtTensor;
    try {
      result = (await this.#session.run(feeds))[this.#output]!;
    } catch (cause) {
      throw new EngineError(
        ERROR_CODES.INTERNAL,
        `The ONNX model failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    const data = result.data;
    if (!(data instanceof Float32Array)) {
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `The ONNX model's ${this.#output} is not float32`);
    }
    const [rows, second, third] = result.dims;
    if (rows !== batch || second === undefined) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `The ONNX model's ${this.#output} has dims ${result.dims.join('×')}`,
      );
    }
    // [batch, dimensions]: already pooled (a sentence_embedding output).
    if (third === undefined) {
      return encoded.map((_, row) => normalize(data.slice(row * second, (row + 1) * second)));
    }
    // [batch, sequence, dimensions]: mean over the tokens of the mask.
    if (second !== length) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `The ONNX model's ${this.#output} has dims ${result.dims.join('×')}`,
      );
    }
    return encoded.map((tokens, row) => {
      const vector = new Float32Array(third);
      for (let t = 0; t < tokens.length; t++) {
        const offset = (row * length + t) * third;
        for (let j = 0; j < third; j++) vector[j]! += data[offset + j]!;
      }
      for (let j = 0; j < third; j++) vector[j]! /= tokens.length;
      return normalize(vector);
    });
  }
}
