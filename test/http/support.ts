/**
 * @module test/http/support
 * What the HTTP suites share: a temporary copy of a fixture repository, an in-process server on 127.0.0.1
 * port 0 over it, JSON requests with real `fetch`, raw requests that keep `..` in the path (fetch would
 * normalise it away), and a reader of Server-Sent Events.
 */
import { request as httpRequest } from 'node:http';
import { fixtureCopy } from '../support/index.js';
import { join } from 'node:path';
import { startHttpServer } from '../../src/interfaces/http/index.js';
import type { HttpServer, HttpServerOptions } from '../../src/interfaces/http/index.js';

export interface TempRepo {
  root: string;
  remove(): void;
}

/** A temporary copy of a fixture repository (default ts-shop). */
export function tempRepo(name = 'ts-shop'): TempRepo {
  const copy = fixtureCopy([name]);
  return { root: join(copy.dir, name), remove: copy.remove };
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  init?: { headers?: Record<string, string> },
) => Promise<Reply>;

/** A server over `repos` and a JSON client for it. */
export async function serveRepos(
  repos: string[],
  options: Partial<HttpServerOptions> = {},
): Promise<{ server: HttpServer; call: Call }> {
  const server = await startHttpServer({ repos, port: 0, env: {}, ...options });
  return { server, call: (method, path, body, init) => call(server.url, method, path, body, init) };
}

/** A request with a JSON body (a string is sent as is), read back as JSON when it is JSON. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  init: { headers?: Record<string, string> } = {},
): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A GET whose path is sent exactly as given (`..` kept). */
export function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Opens `/v1/events` and collects its events. */
export async function openEvents(base: string): Promise<{
  events: SseEvent[];
  next(predicate: (event: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  close(): void;
}> {
  const controller = new AbortController();
  const response = await fetch(`${base}/v1/events`, { signal: controller.signal });
  if (!response.body) throw new Error('no event stream');
  const events: SseEvent[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let failed: unknown;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '') events.push({ event, data: JSON.parse(data) as unknown });
        }
      }
    } catch (error) {
      failed = error;
    }
  })();
  return {
    events,
    next: async (predicate, ms = 20_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (failed && !controller.signal.aborted) throw failed as Error;
        if (Date.now() > deadline) throw new Error(`no matching event (got ${JSON.stringify(events)})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => {
      controller.abort();
    },
  };
}

/** Waits until `condition` holds (polling), or fails after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
