/**
 * @module interfaces/http/routes/retrieval
 * Retrieval over a workspace folder: packed context for a task (`/v1/context`), ranked search
 * (`/v1/search`), symbols by name (`/v1/symbols`) and a graph neighbourhood or a file's graph (`/v1/graph`).
 * The bodies of search and symbols are the MCP tools' own schemas.
 */
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import { findTool, resolveInside, validateInput } from '../../../engine/index.js';
import type { JsonSchema, WorkspaceSet } from '../../../engine/index.js';
import type { RouteSpec } from '../route-table.js';
import { integerParameter, WORKSPACE_PROPERTY, WORKSPACE_QUERY, workspaceOption } from './shared.js';

const CONTEXT_BODY: JsonSchema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1, maxLength: 8000, description: 'The task or question' },
    budget: {
      type: 'integer',
      minimum: 100,
      maximum: 200_000,
      description: 'Token budget (default by route)',
    },
    route: { type: 'string', maxLength: 64, description: 'A route by name instead of routing the query' },
    workspace: WORKSPACE_PROPERTY,
  },
  required: ['query'],
  additionalProperties: false,
};

const GRAPH_BODY: JsonSchema = {
  type: 'object',
  properties: {
    symbol: {
      type: 'string',
      minLength: 1,
      maxLength: 512,
      description: 'A symbol name or qualified name: its neighbourhood',
    },
    depth: { type: 'integer', minimum: 1, maximum: 4, description: 'Edges out (default 1)' },
    maxNodes: { type: 'integer', minimum: 1, maximum: 2000, description: 'Default 200' },
    path: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'A repository-relative file path: the graph of that file (instead of symbol)',
    },
    workspace: WORKSPACE_PROPERTY,
  },
  additionalProperties: false,
};

function toolSchema(name: string): JsonSchema {
  const tool = findTool(name);
  if (!tool) throw new EngineError(ERROR_CODES.INTERNAL, `The tool catalogue has no '${name}'`);
  return tool.inputSchema;
}

const SEARCH_BODY = toolSchema('search');
const SYMBOLS_BODY = toolSchema('find_symbol');

interface SymbolsInput {
  name: string;
  kinds?: string[];
  limit?: number;
  workspace?: string;
}

export function retrievalRoutes(): RouteSpec[] {
  const symbols = async (set: WorkspaceSet, input: SymbolsInput): Promise<unknown> => {
    const symbols = await set.get(input.workspace).read((workspace) =>
      workspace.symbols(input.name, {
        limit: input.limit ?? 50,
        ...(input.kinds ? { kinds: input.kinds } : {}),
      }),
    );
    return { symbols };
  };
  return [
    {
      method: 'POST',
      path: '/v1/context',
      tag: 'retrieval',
      summary: 'The packed context for a task, within a token budget, each item with its reason',
      body: CONTEXT_BODY,
      returns: 'ContextResult: {query, version, route, budget, tokens, text, items, omitted, timings}',
      handle: async ({ state, body, signal }) => {
        const input = body as { query: string; budget?: number; route?: string; workspace?: string };
        return state.set.get(workspaceOption(input.workspace)).context(input.query, {
          ...(input.budget !== undefined ? { budget: input.budget } : {}),
          ...(input.route !== undefined ? { route: input.route } : {}),
          signal,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/search',
      tag: 'retrieval',
      summary: 'Files and symbols ranked for a query, each with its reason',
      body: SEARCH_BODY,
      returns: 'QueryResult: {query, version, route, files, symbols, timings}',
      handle: async ({ state, body, signal }) => {
        const input = body as {
          query: string;
          limit?: number;
          strategy?: 'full' | 'bm25' | 'pagerank';
          route?: string;
          workspace?: string;
        };
        return state.set.get(workspaceOption(input.workspace)).query(input.query, {
          ...(input.limit !== undefined ? { limit: input.limit } : {}),
          ...(input.strategy !== undefined ? { strategy: input.strategy } : {}),
          ...(input.route !== undefined ? { route: input.route } : {}),
          signal,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/symbols',
      tag: 'retrieval',
      summary: 'Declarations whose name matches a pattern (`*` wildcards, else a case-insensitive substring)',
      body: SYMBOLS_BODY,
      returns: '{symbols: GraphNode[]}',
      handle: ({ state, body }) => symbols(state.set, body as SymbolsInput),
    },
    {
      method: 'GET',
      path: '/v1/symbols',
      tag: 'retrieval',
      summary: 'Declarations whose name matches a pattern (query parameters)',
      query: [
        { name: 'name', description: 'The pattern', required: true },
        { name: 'limit', description: 'At most this many (default 50)', schema: { type: 'integer' } },
        { name: 'kinds', description: 'Comma-separated symbol kinds' },
        WORKSPACE_QUERY,
      ],
      returns: '{symbols: GraphNode[]}',
      handle: ({ state, query }) => {
        const limit = integerParameter(query, 'limit');
        const input = {
          name: query.name ?? '',
          ...(limit !== undefined ? { limit } : {}),
          ...(query.kinds ? { kinds: query.kinds.split(',').filter((k) => k !== '') } : {}),
          ...(query.workspace ? { workspace: query.workspace } : {}),
        };
        validateInput(SYMBOLS_BODY, input, 'query of GET /v1/symbols');
        return symbols(state.set, input);
      },
    },
    {
      method: 'POST',
      path: '/v1/graph',
      tag: 'retrieval',
      summary:
        "The nodes and edges of a symbol's neighbourhood (calls, references, types, data flow), or of one file",
      body: GRAPH_BODY,
      returns: '{version, nodes: GraphNode[], edges: GraphEdge[]}',
      handle: async ({ state, body }) => {
        const input = body as {
          symbol?: string;
          depth?: number;
          maxNodes?: number;
          path?: string;
          workspace?: string;
        };
        if ((input.symbol === undefined) === (input.path === undefined))
          throw new EngineError(
            ERROR_CODES.INVALID_ARGUMENT,
            'Invalid body of POST /v1/graph: give either symbol (a neighbourhood) or path (a file)',
          );
        const live = state.set.get(workspaceOption(input.workspace));
        if (input.path !== undefined) {
          const file = resolveInside(live.root, input.path);
          return live.read((workspace, version) => ({
            version,
            ...workspace.asgData({ path: file.relative }),
          }));
        }
        const symbol = input.symbol!;
        return live.read((workspace, version) => ({
          version,
          ...workspace.graph(symbol, { depth: input.depth ?? 1, maxNodes: input.maxNodes ?? 200 }),
        }));
      },
    },
  ];
}
