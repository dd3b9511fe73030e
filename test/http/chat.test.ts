/**
 * @module test/http/chat
 * `/v1/chat` against a real OpenAI-compatible upstream (a node:http server on 127.0.0.1 that records what
 * it receives and answers JSON or an event stream): 503 with the way to configure one while none is, then
 * configured by rtc.config.json and by the environment, the context inserted as a system message, the
 * answer passed through (JSON, and the stream unchanged), and upstream failures as 502.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/interfaces/http/index.js';
import { call, serveRepos, tempRepo } from './support.js';
import type { TempRepo } from './support.js';

interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; stream?: boolean; messages: { role: string; content: string }[] } & Record<
    string,
    unknown
  >;
}

const STREAM_CHUNKS = [
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}\n\n',
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo"}}]}\n\n',
  'data: [DONE]\n\n',
];

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'upstream-model',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'The checkout calls pay.' }, finish_reason: 'stop' },
  ],
};

let upstream: Server;
let upstreamUrl: string;
const received: Recorded[] = [];
let repo: TempRepo;
let envRepo: TempRepo;
let server: HttpServer;
let envServer: HttpServer;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as Recorded['body'];
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/fail/')) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"model overloaded"}}');
        return;
      }
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let i = 0;
        const next = (): void => {
          if (i < STREAM_CHUNKS.length) {
            res.write(STREAM_CHUNKS[i++]);
            setTimeout(next, 10);
          } else res.end();
        };
        next();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(COMPLETION));
    });
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  repo = tempRepo();
  envRepo = tempRepo();
  ({ server } = await serveRepos([repo.root], { watch: false }));
  ({ server: envServer } = await serveRepos([envRepo.root], {
    watch: false,
    env: { RTC_CHAT_URL: `${upstreamUrl}/v1`, RTC_CHAT_MODEL: 'env-model', RTC_CHAT_API_KEY: 'sk-test' },
  }));
});

afterAll(async () => {
  await server.close();
  await envServer.close();
  await new Promise((done) => upstream.close(done));
  repo.remove();
  envRepo.remove();
});

const QUESTION = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'How does the checkout compute the total?' },
  ],
};

describe('/v1/chat', () => {
  it('answers 503 saying how to configure an upstream while none is', async () => {
    const reply = await call(server.url, 'POST', '/v1/chat', QUESTION);
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('RTC_CHAT_UNCONFIGURED');
    expect(reply.body.error.message).toContain('RTC_CHAT_URL');
    expect(reply.body.error.message).toContain('rtc.config.json');
    expect(received).toHaveLength(0);
  });

  it('forwards with the context inserted (rtc.config.json) and returns the JSON answer', async () => {
    writeFileSync(
      join(repo.root, 'rtc.config.json'),
      JSON.stringify({ chat: { url: `${upstreamUrl}/v1/`, model: 'file-model' } }),
    );
    try {
      const reply = await call(server.url, 'POST', '/v1/chat/completions', { ...QUESTION, temperature: 0 });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual(COMPLETION);
      expect(Number(reply.headers.get('x-rtc-context-version'))).toBeGreaterThan(0);
      const request = received.at(-1)!;
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.body.model).toBe('file-model');
      expect(request.body.temperature).toBe(0);
      expect(request.body).not.toHaveProperty('rtc');
      expect(request.headers.authorization).toBeUndefined();
      const roles = request.body.messages.map((m) => m.role);
      expect(roles).toEqual(['system', 'system', 'user']);
      expect(request.body.messages[0]!.content).toBe('You are terse.');
      expect(request.body.messages[1]!.content).toContain('src/services/checkout.ts');
      expect(request.body.messages[2]!.content).toBe('How does the checkout compute the total?');
    } finally {
      rmSync(join(repo.root, 'rtc.config.json'));
    }
  });

  it('streams the upstream events through unchanged (environment settings, key sent)', async () => {
    const response = await fetch(`${envServer.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...QUESTION, stream: true, rtc: { budget: 300 } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-rtc-context-version')).toMatch(/^\d+$/);
    expect(await response.text()).toBe(STREAM_CHUNKS.join(''));
    const request = received.at(-1)!;
    expect(request.body.stream).toBe(true);
    expect(request.body.model).toBe('env-model');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body.messages[1]!.content).toContain('checkout');
  });

  it('answers 502 when the upstream fails or does not answer, and keeps serving', async () => {
    writeFileSync(
      join(repo.root, 'rtc.config.json'),
      JSON.stringify({ chat: { url: `${upstreamUrl}/fail` } }),
    );
    try {
      const failed = await call(server.url, 'POST', '/v1/chat', QUESTION);
      expect(failed.status).toBe(502);
      expect(failed.body.error.code).toBe('RTC_UPSTREAM_FAILED');
      expect(failed.body.error.message).toContain('500');
      expect(failed.body.error.message).toContain('model overloaded');
      // A port nobody listens on: the upstream's own, once closed, is not; a fresh server's closed port is.
      const closed = createServer();
      await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((done) => closed.close(done));
      writeFileSync(
        join(repo.root, 'rtc.config.json'),
        JSON.stringify({ chat: { url: `http://127.0.0.1:${port}/v1` } }),
      );
      const unreachable = await call(server.url, 'POST', '/v1/chat', QUESTION);
      expect(unreachable.status).toBe(502);
      expect(unreachable.body.error.message).toContain('did not answer');
      writeFileSync(
        join(repo.root, 'rtc.config.json'),
        JSON.stringify({ chat: { url: upstreamUrl, apiKeyEnv: 'HOME' } }),
      );
      const badKey = await call(server.url, 'POST', '/v1/chat', QUESTION);
      expect(badKey.status).toBe(400);
      expect(badKey.body.error.message).toContain('apiKeyEnv');
    } finally {
      rmSync(join(repo.root, 'rtc.config.json'));
    }
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});
