/**
 * @module interfaces/http/app
 * The HTTP application (hono) over a {@link WorkspaceSet}: the route table mounted, then what every request
 * goes through: metrics, refusal of `..` in the raw request path, the bearer token when one is set (without
 * one, a Host header that is not loopback is refused: DNS rebinding), and one
 * error handler that turns whatever a handler throws into a JSON error (the status from the one table in
 * errors.ts), so that a failing request never takes the server down.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_CODES } from '../../base/index.js';
import type { Logger } from '../../base/index.js';
import { readChatSettings } from '../../engine/index.js';
import type { WorkspaceSet } from '../../engine/index.js';
import { DEFAULT_BODY_LIMIT } from './body.js';
import { buildInfo } from './build-info.js';
import { HTTP_ERROR_CODES, HttpError, toWireError } from './errors.js';
import { isLoopbackHostHeader } from './loopback.js';
import { HttpMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { allowedMethods, mountRoutes } from './route-table.js';
import type { HttpEnv, HttpState, RouteSpec } from './route-table.js';
import { chatRoutes } from './routes/chat.js';
import { eventRoutes } from './routes/events.js';
import { fileRoutes } from './routes/files.js';
import { infoRoutes } from './routes/info.js';
import { retrievalRoutes } from './routes/retrieval.js';
import { toolRoutes } from './routes/tools.js';
import { webRoutes } from './routes/web.js';

/** An MCP Streamable HTTP handler, mounted at `/mcp` (the composition root makes it). */
export interface McpHttpHandler {
  handle(request: Request): Promise<Response>;
  close(): Promise<void>;
}

export interface HttpAppOptions {
  /** Bearer token every route but `GET /healthz` requires (none: no check). */
  token?: string;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Environment of the chat settings (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  mcp?: McpHttpHandler;
}

export interface HttpApp {
  app: Hono<HttpEnv>;
  routes: readonly RouteSpec[];
  /** Ends the open event streams and stops counting updates (the set stays open). */
  close(): void;
}

/** Builds the application over an open workspace set. */
export function createHttpApp(set: WorkspaceSet, options: HttpAppOptions = {}): HttpApp {
  const metrics = new HttpMetrics();
  const env = options.env ?? process.env;
  const state: HttpState = {
    set,
    metrics,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    env,
    logger: options.logger,
    chat: (root) => readChatSettings(root, env),
    streams: new Set(),
  };
  const unsubscribe = set.onDelta((root) => {
    metrics.update(root);
  });
  const routes: RouteSpec[] = [
    ...webRoutes(),
    ...infoRoutes(),
    ...retrievalRoutes(),
    ...fileRoutes(),
    ...toolRoutes(),
    ...chatRoutes(),
    ...eventRoutes(),
  ];
  let document: Record<string, unknown> | undefined;
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    tag: 'server',
    summary: 'This OpenAPI 3.1 document',
    returns: 'The OpenAPI document',
    handle: () =>
      (document ??= openApiDocument(routes, { version: buildInfo().version, mcp: !!options.mcp })),
  });

  const app = new Hono<HttpEnv>();
  app.use(async (c, next) => {
    const start = performance.now();
    await next();
    metrics.request(
      c.get('route') ?? 'unmatched',
      c.req.method,
      c.res.status,
      (performance.now() - start) / 1000,
    );
  });
  app.use(async (c, next) => {
    refuseDotSegments(c.env?.incoming?.url ?? new URL(c.req.url).pathname);
    await next();
  });
  const token = options.token;
  if (token === undefined || token === '') {
    // Without a token only loopback is bound: refuse requests addressed to another name (DNS rebinding).
    app.use(async (c, next) => {
      const host = c.req.header('host');
      if (host !== undefined && !isLoopbackHostHeader(host))
        throw new HttpError(
          403,
          HTTP_ERROR_CODES.HOST_NOT_ALLOWED,
          `Host '${host}' is not served: without a token this server answers only requests addressed to localhost, 127.0.0.1 or [::1]`,
        );
      await next();
    });
  } else {
    const expected = createHash('sha256').update(token).digest();
    const matches = (given: string | undefined): boolean =>
      given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), expected);
    app.use(async (c, next) => {
      if (c.req.method === 'GET' && c.req.path === '/healthz') return next();
      // The web page: opened once as /?token=…, it then authenticates by a same-site cookie (a page's
      // EventSource cannot send a header).
      const query = c.req.query('token');
      if (c.req.method === 'GET' && query !== undefined && matches(query)) {
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        c.header(
          'set-cookie',
          `${TOKEN_COOKIE}=${encodeURIComponent(query)}; HttpOnly; SameSite=Strict; Path=/`,
        );
        return c.redirect(`${url.pathname}${url.search}`, 303);
      }
      const header = c.req.header('authorization') ?? '';
      const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
      const cookie = cookieValue(c.req.header('cookie'), TOKEN_COOKIE);
      if (!matches(given) && !(given === undefined && matches(cookie)))
        throw new HttpError(
          401,
          HTTP_ERROR_CODES.UNAUTHORIZED,
          given === undefined
            ? 'This server requires a bearer token: send Authorization: Bearer <token> (the web page: open /?token=<token>)'
            : 'The bearer token is wrong',
          { headers: { 'www-authenticate': 'Bearer realm="rtc"' } },
        );
      await next();
    });
  }
  mountRoutes(app, routes, state);
  if (options.mcp) {
    const mcp = options.mcp;
    app.all('/mcp', (c) => {
      c.set('route', '/mcp');
      return mcp.handle(c.req.raw);
    });
  }
  app.notFound((c) => {
    const methods = allowedMethods(routes, c.req.path);
    if (methods.length > 0)
      return c.json(
        {
          error: {
            code: HTTP_ERROR_CODES.METHOD_NOT_ALLOWED,
            message: `${c.req.method} is not allowed on ${c.req.path} (allowed: ${methods.join(', ')})`,
          },
        },
        405,
        { allow: methods.join(', ') },
      );
    return c.json(
      {
        error: { code: HTTP_ERROR_CODES.ROUTE_NOT_FOUND, message: `No route ${c.req.method} ${c.req.path}` },
      },
      404,
    );
  });
  app.onError((error, c) => {
    const wire = toWireError(error);
    if (wire.internal)
      options.logger?.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json(wire.body, wire.status as ContentfulStatusCode, wire.headers);
  });
  return {
    app,
    routes,
    close: () => {
      unsubscribe();
      for (const end of [...state.streams]) end();
    },
  };
}

/** Refuses a request path with a `..` segment, as sent or percent-encoded (before URL normalisation). */
function refuseDotSegments(target: string): void {
  const path = target.split('?', 1)[0]!;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: the raw path is checked.
  }
  for (const candidate of [path, decoded])
    if (candidate.split(/[\\/]/).includes('..'))
      throw new HttpError(400, ERROR_CODES.INVALID_ARGUMENT, `Refused path '${path}': '..' is not allowed`);
}

/** The cookie the web page authenticates with on a server that has a token. */
const TOKEN_COOKIE = 'rtc_token';

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
