/**
 * @module interfaces/http/routes/tools
 * The tool catalogue that MCP serves, over HTTP (`/v1/tools`: list, and invoke one by name with its
 * arguments as the body), and explicit feedback on results (`/v1/feedback`, the `feedback` tool's schema).
 */
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import { findTool, invokeTool, TOOLS } from '../../../engine/index.js';
import type { RouteSpec } from '../route-table.js';
import { workspaceOption } from './shared.js';

export function toolRoutes(): RouteSpec[] {
  const feedback = findTool('feedback');
  if (!feedback) throw new EngineError(ERROR_CODES.INTERNAL, "The tool catalogue has no 'feedback'");
  return [
    {
      method: 'GET',
      path: '/v1/tools',
      tag: 'tools',
      summary: 'The tool catalogue (the same tools as MCP), with input schemas',
      returns: '{tools: [{name, title, description, inputSchema, readOnly}]}',
      handle: () => ({ tools: TOOLS }),
    },
    {
      method: 'POST',
      path: '/v1/tools/:name',
      openapiPath: '/v1/tools/{name}',
      tag: 'tools',
      summary: "Invokes a tool; the body is its arguments (validated against the tool's inputSchema)",
      body: { type: 'object', description: "The tool's arguments (see GET /v1/tools)" },
      bodyRequired: false,
      returns: '{data, text}',
      handle: ({ c, state, body, signal }) =>
        invokeTool(state.set, c.req.param('name') ?? '', body, { signal, source: 'http' }),
    },
    {
      method: 'POST',
      path: '/v1/feedback',
      tag: 'feedback',
      summary: 'Which results of a query were useful and which were not',
      body: feedback.inputSchema,
      returns: '{recorded: number, policyVersion: number}',
      handle: ({ state, body }) => {
        const input = body as {
          query?: string;
          items: { id?: string; path?: string; useful: boolean }[];
          workspace?: string;
        };
        const live = state.set.get(workspaceOption(input.workspace));
        const record = live.feedback({
          ...(input.query !== undefined ? { query: input.query } : {}),
          items: input.items,
          source: 'http',
          version: live.version,
        });
        return { recorded: record.items.length, policyVersion: live.policy.version };
      },
    },
  ];
}
