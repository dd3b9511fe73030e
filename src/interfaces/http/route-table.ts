/**
 * @module interfaces/http/route-table
 * Every route of the API is one {@link RouteSpec}: method, path, the JSON Schema of its body, the query
 * parameters and the handler. The same table mounts the routes on the app, validates request bodies, tells
 * a wrong method (405) from an unknown path (404), and produces `/openapi.json`, so what is published is
 * what is enforced.
 */
import type { Context, Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from '../../base/index.js';
import { validateInput } from '../../engine/index.js';
import type { ChatSettings, JsonSchema, WorkspaceSet } from '../../engine/index.js';
import { readJsonBody } from './body.js';
import type { HttpMetrics } from './metrics.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Hono's environment for this app: Node's request and response, and the route label for metrics. */
export interface HttpEnv {
  Bindings: Partial<HttpBindings>;
  Variables: { route: string };
}

export type HttpContext = Context<HttpEnv>;

/** What every handler can reach. */
export interface HttpState {
  set: WorkspaceSet;
  metrics: HttpMetrics;
  bodyLimit: number;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger | undefined;
  /** The chat upstream, read at each request (the config file may change). */
  chat: (root: string) => ChatSettings | undefined;
  /** Open event streams, ended when the server closes. */
  streams: Set<() => void>;
}

/** A query parameter, as published. */
export interface QueryParameter {
  name: string;
  description: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface RouteRequest {
  c: HttpContext;
  state: HttpState;
  /** The body, validated against the route's schema (undefined when the route takes none). */
  body: unknown;
  query: Record<string, string>;
  signal: AbortSignal;
}

export interface RouteSpec {
  method: HttpMethod;
  /** Hono pattern (`/v1/tools/:name`, `/v1/files/*`). */
  path: string;
  /** The path as OpenAPI writes it (`/v1/files/{path}`), when it has parameters. */
  openapiPath?: string;
  tag: string;
  summary: string;
  /** JSON Schema of the body. */
  body?: JsonSchema;
  /** Whether a body must be sent (default: true when the route has a body schema). */
  bodyRequired?: boolean;
  query?: readonly QueryParameter[];
  /** Status of a success (default 200). */
  status?: number;
  /** What a success returns, in words (OpenAPI). */
  returns: string;
  /** Content type of a success (default application/json). */
  produces?: string;
  handle(request: RouteRequest): unknown;
}

/** Mounts every route of the table on `app`. */
export function mountRoutes(app: Hono<HttpEnv>, routes: readonly RouteSpec[], state: HttpState): void {
  for (const spec of routes) {
    app.on(spec.method, spec.path, async (c) => {
      c.set('route', spec.path);
      let body: unknown;
      if (spec.body) {
        body = await readJsonBody(c.req.raw, state.bodyLimit);
        if (body === undefined && spec.bodyRequired === false) body = {};
        validateInput(spec.body, body, `body of ${spec.method} ${spec.openapiPath ?? spec.path}`);
      }
      const result: unknown = await spec.handle({
        c,
        state,
        body,
        query: c.req.query(),
        signal: c.req.raw.signal,
      });
      if (result instanceof Response) return result;
      return c.json(result as object, (spec.status ?? 200) as 200);
    });
  }
}

/** The methods that `path` answers to, by the table (empty: no such route). */
export function allowedMethods(routes: readonly RouteSpec[], path: string): HttpMethod[] {
  const methods = new Set<HttpMethod>();
  for (const spec of routes) if (patternRegExp(spec.path).test(path)) methods.add(spec.method);
  return [...methods];
}

const PATTERNS = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let regexp = PATTERNS.get(pattern);
  if (!regexp) {
    const source = pattern
      .split('/')
      .map((part) => {
        if (part === '*') return '.*';
        if (part.startsWith(':')) return '[^/]+';
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    regexp = new RegExp(`^${source}$`);
    PATTERNS.set(pattern, regexp);
  }
  return regexp;
}
