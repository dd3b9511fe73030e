/**
 * @module interfaces/mcp/server
 * The MCP server over a workspace set, on the SDK's low-level `Server`, so that the published input schemas
 * are exactly the engine's tool catalogue (`TOOLS`): `tools/list` lists it, `tools/call` runs
 * `invokeTool` (which validates the arguments against the same schemas), and resources serve files and
 * symbols. Every request is isolated: a tool that fails answers with an `isError` result, a resource that
 * fails with a JSON-RPC error, and nothing a request does can close the server.
 */
import { readFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, ListToolsResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../base/index.js';
import { findTool, invokeTool, TOOLS } from '../../engine/index.js';
import type { WorkspaceSet } from '../../engine/index.js';
import { toMcpError, toolErrorResult } from './errors.js';
import { listFileResources, readResource, resourceTemplates } from './resources.js';

export const MCP_SERVER_NAME = 'real-time-context';

export interface McpServerOptions {
  logger?: Logger;
  /** The version the server reports (default: the package's). */
  version?: string;
  /** Files per page of `resources/list` (default 500). */
  resourcePageSize?: number;
}

/**
 * The SDK's low-level server. The SDK marks it deprecated in favour of `McpServer`, which takes Zod schemas;
 * the low-level one publishes the engine's JSON Schemas as they are, so the schemas listed are the ones
 * `invokeTool` enforces.
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- on purpose, see above
export type McpProtocolServer = Server;

const INSTRUCTIONS =
  'Code context for the workspace, from its semantic graph. Start with get_context for a task or question; ' +
  'use search, find_symbol, find_references, get_callers, get_callees and get_graph to explore; ' +
  'reindex after changing files when the index is not watched; tell feedback which results helped.';

/**
 * An MCP server over `set` (or over the set a promise gives: the server can answer `initialize` while the
 * folders are still being indexed; requests wait for it, and fail with its error if it fails).
 * Connect it to one transport.
 */
export function createMcpServer(
  set: WorkspaceSet | Promise<WorkspaceSet>,
  options: McpServerOptions = {},
): McpProtocolServer {
  const logger = options.logger;
  const pageSize = Math.max(1, options.resourcePageSize ?? 500);
  const ready = Promise.resolve(set);
  ready.catch(() => undefined);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see McpProtocolServer
  const server = new Server(
    { name: MCP_SERVER_NAME, title: 'Real-time Context', version: options.version ?? packageVersion() },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  server.onerror = (error) => logger?.warn(`MCP: ${error.message}`);

  server.setRequestHandler(ListToolsRequestSchema, (): ListToolsResult => ({ tools: TOOLS.map(toolOf) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    if (!findTool(name))
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool '${name}' (tools: ${TOOLS.map((tool) => tool.name).join(', ')})`,
      );
    try {
      const output = await invokeTool(await ready, name, request.params.arguments ?? {}, {
        signal: extra.signal,
        source: 'mcp',
      });
      return {
        content: [{ type: 'text', text: output.text }],
        ...(isRecord(output.data) ? { structuredContent: output.data } : {}),
      };
    } catch (error) {
      return toolErrorResult(error, logger);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
    try {
      return listFileResources(await ready, request.params?.cursor, pageSize);
    } catch (error) {
      throw toMcpError(error, logger);
    }
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => resourceTemplates());

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    try {
      return await readResource(await ready, request.params.uri);
    } catch (error) {
      throw toMcpError(error, logger);
    }
  });

  return server;
}

function toolOf(tool: (typeof TOOLS)[number]): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    annotations: {
      title: tool.title,
      readOnlyHint: tool.readOnly,
      ...(tool.readOnly ? {} : { destructiveHint: false }),
      openWorldHint: false,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let cachedVersion: string | undefined;

/** The version of the package this module belongs to (src/ and dist/ are both two folders below it). */
function packageVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
      const version = (JSON.parse(text) as { version?: unknown }).version;
      cachedVersion = typeof version === 'string' ? version : '0.0.0';
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}
