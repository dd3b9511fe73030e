/**
 * @module interfaces/http/server
 * `rtc serve`: opens the workspace folders (watching them), builds the app and listens. Binds the loopback
 * address by default; any other address needs a token, else the server refuses to start. `close()` ends the
 * event streams, the connections, the MCP handler and the folders.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { Logger } from '../../base/index.js';
import { WorkspaceSet } from '../../engine/index.js';
import type { IndexOptions } from '../../engine/index.js';
import { createHttpApp } from './app.js';
import { isLoopbackHost } from './loopback.js';
import type { McpHttpHandler } from './app.js';

/** The port `rtc serve` listens on without `--port`. */
export const DEFAULT_PORT = 7421;

export interface HttpServerOptions {
  /** Workspace folders; the first is the default. */
  repos: string[];
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default {@link DEFAULT_PORT}; 0: any free port). */
  port?: number;
  /** Bearer token (default: env RTC_TOKEN); required to bind a non-loopback address. */
  token?: string;
  /** Watch the folders' files (default true). */
  watch?: boolean;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Makes the MCP Streamable HTTP handler mounted at `/mcp`. */
  mcp?: (set: WorkspaceSet) => McpHttpHandler;
  /** How the folders are indexed (index folder, parser threads, file size limit). */
  indexing?: IndexOptions;
  /** Environment for RTC_TOKEN and the chat settings (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
}

export interface HttpServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  host: string;
  set: WorkspaceSet;
  close(): Promise<void>;
}

/** Opens the folders and starts listening. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  const token = options.token ?? (env.RTC_TOKEN || undefined);
  if (!isLoopbackHost(host) && !token)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `Refusing to listen on ${host} without a token: an address other than loopback (127.0.0.1, ::1) needs --token <secret> or RTC_TOKEN, and clients then send Authorization: Bearer <secret>`,
    );
  if (options.repos.length === 0)
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'No workspace folder to serve');
  const set = await WorkspaceSet.open(options.repos, {
    ...options.indexing,
    watch: options.watch ?? true,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  let mcp: McpHttpHandler | undefined;
  let httpApp: ReturnType<typeof createHttpApp> | undefined;
  try {
    mcp = options.mcp?.(set);
    httpApp = createHttpApp(set, {
      ...(token ? { token } : {}),
      ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
      env,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(mcp ? { mcp } : {}),
    });
    const app = httpApp.app;
    const server = await listen(app.fetch, host, options.port ?? DEFAULT_PORT, options.logger);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
    let closing: Promise<void> | undefined;
    const opened = httpApp;
    const handler = mcp;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      host,
      set,
      close: () =>
        (closing ??= (async () => {
          opened.close();
          const stopped = new Promise<void>((done) => {
            server.close(() => {
              done();
            });
          });
          server.closeAllConnections();
          await stopped;
          await handler?.close();
          await set.close();
        })()),
    };
  } catch (error) {
    httpApp?.close();
    await mcp?.close().catch(() => undefined);
    await set.close();
    throw error;
  }
}

function listen(
  fetch: (request: Request, env: never) => Response | Promise<Response>,
  host: string,
  port: number,
  logger: Logger | undefined,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: fetch as never, hostname: host, port }) as Server;
    const failed = (error: NodeJS.ErrnoException): void => {
      server.close();
      reject(
        new EngineError(
          ERROR_CODES.IO_ERROR,
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is in use (choose another with --port)`
            : `Cannot listen on ${host}:${port}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      server.on('error', (error) => logger?.error(`The HTTP server failed: ${error.message}`));
      resolve(server);
    });
  });
}
