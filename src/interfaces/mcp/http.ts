/**
 * @module interfaces/mcp/http
 * MCP over Streamable HTTP, as a handler of web-standard requests that an HTTP server mounts (at `/mcp`).
 * Sessions are stateful: an `initialize` request without a session id creates a session (its own `Server`
 * and transport, its id in the `mcp-session-id` header); later requests carry the id; `DELETE` ends it.
 * Sessions idle for too long, and the least recently used beyond the limit, are closed. A request that
 * fails in the handler itself is answered with a JSON-RPC error; it never reaches the HTTP server.
 */
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { WorkspaceSet } from '../../engine/index.js';
import { createMcpServer } from './server.js';
import type { McpProtocolServer, McpServerOptions } from './server.js';

export interface McpHttpOptions extends McpServerOptions {
  /** Open sessions at most; the least recently used is closed to make room (default 100). */
  maxSessions?: number;
  /** A session unused this long is closed (default 1 hour). */
  sessionIdleMs?: number;
  /** Host header values accepted (DNS rebinding protection; default: any). */
  allowedHosts?: string[];
  /** Origin header values accepted (default: any). */
  allowedOrigins?: string[];
}

export interface McpHttpHandler {
  /** Answers one request to the MCP endpoint (POST, GET for the event stream, DELETE). */
  handle(request: Request): Promise<Response>;
  /** Open sessions. */
  readonly sessions: number;
  /** Closes every session; later requests are refused. */
  close(): Promise<void>;
}

interface Session {
  server: McpProtocolServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

/** A handler serving MCP over Streamable HTTP for `set` (which the caller owns and closes). */
export function createMcpHttpHandler(set: WorkspaceSet, options: McpHttpOptions = {}): McpHttpHandler {
  const sessions = new Map<string, Session>();
  const maxSessions = Math.max(1, options.maxSessions ?? 100);
  const idleMs = options.sessionIdleMs ?? 3_600_000;
  const logger = options.logger;
  let closed = false;

  const drop = (id: string): void => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    void session.server.close().catch(() => undefined);
  };

  const sweep = (): void => {
    const now = Date.now();
    for (const [id, session] of sessions) if (now - session.lastUsed > idleMs) drop(id);
    while (sessions.size >= maxSessions) {
      let oldest: [string, Session] | undefined;
      for (const entry of sessions) if (!oldest || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
      if (!oldest) break;
      logger?.info(`MCP: closing session ${oldest[0]} to make room`);
      drop(oldest[0]);
    }
  };
  const timer = setInterval(sweep, Math.min(idleMs, 60_000));
  timer.unref();

  const open = async (request: Request, body: unknown): Promise<Response> => {
    sweep();
    const server = createMcpServer(set, options);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, { server, transport, lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        drop(id);
      },
      ...(options.allowedHosts || options.allowedOrigins
        ? {
            enableDnsRebindingProtection: true,
            ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
            ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
          }
        : {}),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) drop(transport.sessionId);
    };
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: body });
    if (transport.sessionId === undefined || !sessions.has(transport.sessionId))
      await server.close().catch(() => undefined);
    return response;
  };

  const handle = async (request: Request): Promise<Response> => {
    if (closed) return jsonRpcError(503, -32000, 'The MCP server is shutting down');
    if (request.method !== 'POST' && request.method !== 'GET' && request.method !== 'DELETE')
      return jsonRpcError(405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const session = sessions.get(id);
      if (!session) return jsonRpcError(404, -32001, 'Session not found');
      session.lastUsed = Date.now();
      return session.transport.handleRequest(request);
    }
    if (request.method !== 'POST')
      return jsonRpcError(400, -32000, 'Bad Request: no session id (send initialize first)');
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return jsonRpcError(400, -32700, 'Parse error: invalid JSON');
    }
    if (!isInitializeRequest(body))
      return jsonRpcError(400, -32000, 'Bad Request: no session id (send initialize first)');
    return open(request, body);
  };

  return {
    async handle(request: Request): Promise<Response> {
      try {
        return await handle(request);
      } catch (error) {
        logger?.error(
          `MCP over HTTP: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return jsonRpcError(500, -32603, 'Internal error');
      }
    },
    get sessions(): number {
      return sessions.size;
    },
    async close(): Promise<void> {
      closed = true;
      clearInterval(timer);
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((session) => session.server.close()));
    },
  };
}

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
