/**
 * @module interfaces/http/openapi
 * The OpenAPI 3.1 document of the API, built from the route table: the request schemas in it are the JSON
 * Schemas the server validates with.
 */
import type { RouteSpec } from './route-table.js';

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** The OpenAPI document of `routes`. */
export function openApiDocument(
  routes: readonly RouteSpec[],
  info: { version: string; mcp: boolean },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.openapiPath ?? spec.path;
    const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParameters = (spec.query ?? []).map((parameter) => ({
      name: parameter.name,
      in: 'query',
      required: parameter.required ?? false,
      description: parameter.description,
      schema: parameter.schema ?? { type: 'string' },
    }));
    const parameters = [...pathParameters, ...queryParameters];
    const produces = spec.produces ?? 'application/json';
    const status = String(spec.status ?? 200);
    const operation: Record<string, unknown> = {
      operationId: `${spec.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c?: string) => (c ?? '').toUpperCase())}`,
      summary: spec.summary,
      tags: [spec.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body
        ? {
            requestBody: {
              required: spec.bodyRequired ?? true,
              content: { 'application/json': { schema: spec.body } },
            },
          }
        : {}),
      responses: {
        [status]: { description: spec.returns, content: { [produces]: { schema: {} } } },
        default: {
          description: 'An error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  if (info.mcp)
    paths['/mcp'] = {
      post: {
        operationId: 'mcp',
        summary: 'MCP Streamable HTTP (JSON-RPC)',
        tags: ['mcp'],
        responses: { '200': { description: 'A JSON-RPC response or an event stream' } },
      },
    };
  return {
    openapi: '3.1.0',
    info: {
      title: 'rtc — real-time context',
      version: info.version,
      description:
        'The HTTP API of `rtc serve`. Errors are {"error": {"code", "message"}}. With a token, every route but GET /healthz needs Authorization: Bearer <token>.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{}, { bearer: [] }],
  };
}
