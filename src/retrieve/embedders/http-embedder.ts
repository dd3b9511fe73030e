/**
 * @module retrieve/embedders/http-embedder
 * An embedder over an OpenAI-compatible HTTP endpoint (OpenAI, Azure-style proxies, Ollama, LM Studio,
 * text-embeddings-inference, vLLM): `POST <url>/embeddings` with `{ model, input: [...] }`, in batches.
 */
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { Embedder } from '../types.js';
import { normalize } from './term-features.js';

export interface HttpEmbedderOptions {
  /** The endpoint base (`…/v1`: `/embeddings` is appended) or the full `…/embeddings` URL. */
  url: string;
  /** The model name sent. */
  model: string;
  /** The bearer token (default: `RTC_EMBEDDING_API_KEY`). */
  apiKey?: string;
  /** The expected dimensions: every vector is checked against them (see {@link HttpEmbedder.create}). */
  dimensions: number;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Time limit of one request in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Retries of a request that failed with 429, 5xx or a network error (default 2), after 0.5 s, 2 s… */
  retries?: number;
}

/** The `/embeddings` URL of an endpoint given as a base (`http://host/v1`) or in full. */
export function embeddingsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/embeddings') ? trimmed : `${trimmed}/embeddings`;
}

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: unknown }[];
}

/** Vectors are normalised here: not every server returns unit vectors. Queries and documents alike. */
export class HttpEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #url: string;
  readonly #model: string;
  readonly #apiKey: string | undefined;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #retries: number;

  constructor(options: HttpEmbedderOptions) {
    this.#url = embeddingsUrl(options.url);
    try {
      new URL(this.#url);
    } catch {
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `embedding.url is not a URL: ${options.url}`);
    }
    this.#model = options.model;
    this.#apiKey = options.apiKey ?? process.env.RTC_EMBEDDING_API_KEY;
    this.#batchSize = Math.max(1, options.batchSize ?? 64);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#retries = options.retries ?? 2;
    this.dimensions = options.dimensions;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 0) {
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `embedding.dimensions must be a positive integer`);
    }
    this.id = `http:${options.model}-d${options.dimensions}`;
  }

  /** An embedder for `options`; without `dimensions`, one request finds them. */
  static async create(
    options: Omit<HttpEmbedderOptions, 'dimensions'> & { dimensions?: number },
  ): Promise<HttpEmbedder> {
    if (options.dimensions !== undefined)
      return new HttpEmbedder({ ...options, dimensions: options.dimensions });
    const [probe] = await new HttpEmbedder({ ...options, dimensions: 0 }).embed(['dimensions probe']);
    return new HttpEmbedder({ ...options, dimensions: probe!.length });
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      const batch = texts.slice(start, start + this.#batchSize);
      for (const vector of await this.#request(batch)) vectors.push(vector);
    }
    return vectors;
  }

  /** One request, with retries of what may pass on a second try. */
  async #request(input: readonly string[]): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#post(input);
      } catch (error) {
        const retriable = error instanceof RetriableError;
        if (!retriable || attempt >= this.#retries) throw retriable ? error.engineError : error;
        await new Promise((resolve) => setTimeout(resolve, 500 * 4 ** attempt));
      }
    }
  }

  async #post(input: readonly string[]): Promise<Float32Array[]> {
    const where = `the embedding server ${this.#url} (model ${this.#model})`;
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.#model, input }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
      throw new RetriableError(
        new EngineError(
          ERROR_CODES.IO_ERROR,
          timedOut
            ? `No answer from ${where} within ${this.#timeoutMs} ms`
            : `Cannot reach ${where}: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        ),
      );
    }
    const body = await response.text().catch(() => '');
    if (!response.ok) {
      const error = new EngineError(
        ERROR_CODES.IO_ERROR,
        `${where} answered HTTP ${response.status} ${response.statusText}` +
          (response.status === 401 || response.status === 403
            ? ' (set embedding.apiKey or RTC_EMBEDDING_API_KEY)'
            : '') +
          (body ? `: ${body.slice(0, 300)}` : ''),
      );
      throw response.status === 429 || response.status >= 500 ? new RetriableError(error) : error;
    }
    let parsed: EmbeddingsResponse;
    try {
      parsed = JSON.parse(body) as EmbeddingsResponse;
    } catch (cause) {
      throw new EngineError(
        ERROR_CODES.IO_ERROR,
        `${where} answered with invalid JSON: ${body.slice(0, 200)}`,
        {
          cause,
        },
      );
    }
    const data = parsed.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EngineError(
        ERROR_CODES.IO_ERROR,
        `${where} answered without a \`data\` array of ${input.length} embeddings`,
      );
    }
    const vectors: Float32Array[] = new Array<Float32Array>(input.length);
    data.forEach((item, position) => {
      const index = typeof item.index === 'number' ? item.index : position;
      const embedding = item.embedding;
      if (!Array.isArray(embedding) || index < 0 || index >= input.length || vectors[index]) {
        throw new EngineError(
          ERROR_CODES.IO_ERROR,
          `${where} answered with a malformed embedding at ${position}`,
        );
      }
      if (this.dimensions > 0 && embedding.length !== this.dimensions) {
        throw new EngineError(
          ERROR_CODES.IO_ERROR,
          `${where} returned vectors of ${embedding.length} dimensions, expected ${this.dimensions} ` +
            '(set embedding.dimensions to match the model)',
        );
      }
      const vector = Float32Array.from(embedding as number[]);
      if (!vector.every(Number.isFinite)) {
        throw new EngineError(ERROR_CODES.IO_ERROR, `${where} returned a vector with non-numbers`);
      }
      vectors[index] = normalize(vector);
    });
    return vectors;
  }
}

/** A failure worth a retry, carrying the error to report when retries run out. */
class RetriableError extends Error {
  readonly engineError: EngineError;
  constructor(engineError: EngineError) {
    super(engineError.message);
    this.engineError = engineError;
  }
}
