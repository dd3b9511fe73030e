/**
 * @module test/retrieve/http-embedder.test
 * The OpenAI-compatible HTTP embedder against a real local server (node:http on port 0) that implements
 * `POST /v1/embeddings` with the hashed embedder: URLs, bearer token, batching, dimension probing, retries,
 * and clear errors for HTTP failures, invalid JSON, wrong dimensions and timeouts.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/base/index.js';
import { createEmbedder, embeddingsUrl, HashedEmbedder, HttpEmbedder } from '../../src/retrieve/index.js';

const reference = new HashedEmbedder({ dimensions: 64 });

interface Received {
  path: string;
  authorization: string | undefined;
  body: { model?: string; input?: string[] };
}

/** What the server does for the next requests (default: answer properly). */
let behaviour: (request: Received, response: ServerResponse) => boolean = () => false;
const received: Received[] = [];
let server: Server;
let base: string;

function answer(request: IncomingMessage, response: ServerResponse): void {
  let text = '';
  request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  request.on('end', () => {
    const item: Received = {
      path: request.url ?? '',
      authorization: request.headers.authorization,
      body: JSON.parse(text) as Received['body'],
    };
    received.push(item);
    if (behaviour(item, response)) return;
    if (request.method !== 'POST' || item.path !== '/v1/embeddings') {
      response.writeHead(404).end('not found');
      return;
    }
    const input = item.body.input ?? [];
    // Unnormalised on purpose (×3), in reverse order with indexes, as servers may answer.
    const data = input
      .map((value, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from(reference.embedText(value), (x) => x * 3),
      }))
      .reverse();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', data, model: item.body.model }));
  });
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

afterEach(() => {
  behaviour = () => false;
  received.length = 0;
  delete process.env.RTC_EMBEDDING_API_KEY;
});

describe('HttpEmbedder', () => {
  it('appends /embeddings to a base URL and keeps a full one', () => {
    expect(embeddingsUrl('http://h/v1')).toBe('http://h/v1/embeddings');
    expect(embeddingsUrl('http://h/v1/')).toBe('http://h/v1/embeddings');
    expect(embeddingsUrl('http://h/v1/embeddings')).toBe('http://h/v1/embeddings');
  });

  it('embeds in batches, in order, normalised, with the bearer token', async () => {
    const embedder = new HttpEmbedder({
      url: base,
      model: 'tiny',
      apiKey: 'secret',
      dimensions: 64,
      batchSize: 3,
    });
    const texts = ['getUserById', 'parseConfig', 'retry request', 'graph nodes', 'a', 'b', 'c'];
    const vectors = await embedder.embed(texts);
    expect(received.map((r) => r.body.input?.length)).toEqual([3, 3, 1]);
    expect(received.every((r) => r.authorization === 'Bearer secret' && r.body.model === 'tiny')).toBe(true);
    vectors.forEach((vector, i) => {
      const expected = reference.embedText(texts[i]!);
      for (let j = 0; j < 64; j++) expect(vector[j]).toBeCloseTo(expected[j]!, 5);
    });
    expect(embedder.id).toBe('http:tiny-d64');
  });

  it('takes the token from RTC_EMBEDDING_API_KEY, the full URL, and probes the dimensions', async () => {
    process.env.RTC_EMBEDDING_API_KEY = 'from-env';
    const embedder = await createEmbedder({ provider: 'http', url: `${base}/embeddings`, model: 'tiny' });
    expect(embedder.dimensions).toBe(64);
    await embedder.embed(['x'], 'query');
    expect(received.map((r) => r.authorization)).toEqual(['Bearer from-env', 'Bearer from-env']);
  });

  it('retries a 503 and succeeds', async () => {
    let failures = 1;
    behaviour = (_request, response) => {
      if (failures-- <= 0) return false;
      response.writeHead(503).end('busy');
      return true;
    };
    const embedder = new HttpEmbedder({ url: base, model: 'tiny', dimensions: 64, retries: 1 });
    const [vector] = await embedder.embed(['retry me']);
    expect(vector!.length).toBe(64);
    expect(received.length).toBe(2);
  });

  it('reports HTTP errors with their status and body', async () => {
    behaviour = (_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model exploded"}');
      return true;
    };
    const embedder = new HttpEmbedder({ url: base, model: 'tiny', dimensions: 64, retries: 0 });
    const error = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(isEngineError(error, 'RTC_IO_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/answered HTTP 500 .*model exploded/);

    behaviour = (_request, response) => {
      response.writeHead(401).end('no key');
      return true;
    };
    await expect(embedder.embed(['x'])).rejects.toThrow(/HTTP 401.*RTC_EMBEDDING_API_KEY/);
  });

  it('reports a 404 of a wrong URL without retrying', async () => {
    const embedder = new HttpEmbedder({ url: `${base}/nowhere`, model: 'tiny', dimensions: 64, retries: 3 });
    await expect(embedder.embed(['x'])).rejects.toThrow(/HTTP 404/);
    expect(received.length).toBe(1);
  });

  it('reports invalid JSON, missing data and wrong dimensions', async () => {
    const embedder = new HttpEmbedder({ url: base, model: 'tiny', dimensions: 64, retries: 0 });
    behaviour = (_request, response) => {
      response.writeHead(200).end('<html>proxy error</html>');
      return true;
    };
    await expect(embedder.embed(['x'])).rejects.toThrow(/invalid JSON: <html>proxy error/);
    behaviour = (_request, response) => {
      response.writeHead(200).end('{"data":[]}');
      return true;
    };
    await expect(embedder.embed(['x'])).rejects.toThrow(/without a `data` array of 1 embeddings/);
    const wrong = new HttpEmbedder({ url: base, model: 'tiny', dimensions: 384, retries: 0 });
    behaviour = () => false;
    await expect(wrong.embed(['x'])).rejects.toThrow(
      /returned vectors of 64 dimensions, expected 384 \(set embedding.dimensions/,
    );
  });

  it('gives up after its timeout', async () => {
    behaviour = () => true; // never answers
    const embedder = new HttpEmbedder({
      url: base,
      model: 'tiny',
      dimensions: 64,
      retries: 0,
      timeoutMs: 200,
    });
    await expect(embedder.embed(['x'])).rejects.toThrow(/No answer from .* within 200 ms/);
  });

  it('rejects a URL that is not one', () => {
    expect(() => new HttpEmbedder({ url: 'not a url', model: 'm', dimensions: 8 })).toThrow(/not a URL/);
  });
});
