/**
 * @module test/mcp/http
 * MCP over Streamable HTTP: the handler of `createMcpHttpHandler` behind a real HTTP server on 127.0.0.1,
 * reached with the SDK's Streamable HTTP client. The contract of test/mcp/mcp-contract.ts, then sessions:
 * two clients at once, a request without a session or with an unknown one refused, DELETE ending a session.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceSet } from '../../src/engine/index.js';
import { createMcpHttpHandler } from '../../src/interfaces/mcp/index.js';
import type { McpHttpHandler, McpHttpOptions } from '../../src/interfaces/mcp/index.js';
import { fixtureCopy } from '../support/index.js';
import { runMcpContract } from './mcp-contract.js';

interface HttpFixture {
  url: URL;
  handler: McpHttpHandler;
  repo: string;
  stop(): Promise<void>;
}

async function startServer(options: McpHttpOptions = {}): Promise<HttpFixture> {
  const copy = fixtureCopy(['ts-shop']);
  const repo = join(copy.dir, 'ts-shop');
  const set = await WorkspaceSet.open([repo], { watch: false, workers: 0 });
  const handler = createMcpHttpHandler(set, options);
  const server = serve({
    fetch: async (request) => handler.handle(request),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else
      server.once('listening', () => {
        resolve();
      });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    handler,
    repo,
    async stop() {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await set.close();
      copy.remove();
    },
  };
}

async function connectClient(
  url: URL,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(url);
  const client = new Client({ name: 'rtc-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, transport };
}

runMcpContract('Streamable HTTP', async () => {
  const fixture = await startServer();
  const { client } = await connectClient(fixture.url);
  return {
    client,
    repo: fixture.repo,
    async close() {
      await client.close();
      await fixture.stop();
    },
  };
});

describe('MCP over Streamable HTTP: sessions', () => {
  let fixture: HttpFixture;

  beforeAll(async () => {
    fixture = await startServer({ resourcePageSize: 3 });
  }, 60_000);

  afterAll(async () => {
    await fixture.stop();
  });

  it('serves two clients in their own sessions, and DELETE ends one', async () => {
    const first = await connectClient(fixture.url);
    const second = await connectClient(fixture.url);
    expect(first.transport.sessionId).toBeDefined();
    expect(second.transport.sessionId).toBeDefined();
    expect(first.transport.sessionId).not.toBe(second.transport.sessionId);
    expect(fixture.handler.sessions).toBe(2);

    const [a, b] = await Promise.all([
      first.client.callTool({ name: 'find_symbol', arguments: { name: 'round' } }),
      second.client.callTool({ name: 'find_symbol', arguments: { name: 'factorial' } }),
    ]);
    expect(JSON.stringify(a.content)).toContain('round');
    expect(JSON.stringify(b.content)).toContain('factorial');

    const ended = first.transport.sessionId!;
    await first.transport.terminateSession();
    await first.client.close();
    expect(fixture.handler.sessions).toBe(1);

    const stale = await fetch(fixture.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': ended,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(stale.status).toBe(404);

    const tools = await second.client.listTools();
    expect(tools.tools).toHaveLength(10);
    await second.transport.terminateSession();
    await second.client.close();
    expect(fixture.handler.sessions).toBe(0);
  });

  it('lists resources in pages, and refuses a bad cursor', async () => {
    const { client, transport } = await connectClient(fixture.url);
    const uris: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listResources(cursor === undefined ? {} : { cursor });
      expect(page.resources.length).toBeLessThanOrEqual(3);
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris).toContain('rtc://file/src/services/checkout.ts');
    expect(uris).toContain('rtc://file/src/util/math.ts');
    const status = await client.callTool({ name: 'index_status', arguments: {} });
    const folders = (status.structuredContent as { folders: { files: number }[] }).folders;
    expect(uris).toHaveLength(folders[0]!.files);
    const error = await client.listResources({ cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    await transport.terminateSession();
    await client.close();
  });

  it('refuses a request without a session, and bad JSON, and stays up', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const noSession = await fetch(fixture.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
    expect(((await noSession.json()) as { error: { message: string } }).error.message).toMatch(/session/i);

    const badJson = await fetch(fixture.url, { method: 'POST', headers, body: '{ not json' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: number } }).error.code).toBe(-32700);

    const put = await fetch(fixture.url, { method: 'PUT', headers, body: '{}' });
    expect(put.status).toBe(405);

    const { client, transport } = await connectClient(fixture.url);
    expect((await client.listTools()).tools).toHaveLength(10);
    await transport.terminateSession();
    await client.close();
  });
});
