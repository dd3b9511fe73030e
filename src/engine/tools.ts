/**
 * @module engine/tools
 * The tool catalogue: the operations an assistant can call, with their input schemas, defined once and
 * served by MCP (`tools/list`, `tools/call`) and by HTTP (`/v1/tools`). A tool returns plain data and a
 * text rendering of it (what an assistant reads); inputs are validated against the published schema.
 */
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { GraphNode } from './types.js';
import { validateInput } from './validation.js';
import type { JsonSchema } from './validation.js';
import type { WorkspaceSet } from './workspace-set.js';

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  /** Whether the tool only reads (false: it changes the index or records something). */
  readOnly: boolean;
}

/** What a tool returns: the data (JSON) and a text for a model to read. */
export interface ToolOutput {
  data: unknown;
  text: string;
}

export interface ToolCallOptions {
  signal?: AbortSignal;
  /** Who calls (`mcp`, `http`): recorded with feedback. */
  source?: string;
}

const WORKSPACE = {
  type: 'string',
  description: 'Workspace folder (root path or name); default: the first folder',
  maxLength: 4096,
} as const;
const NAME = {
  type: 'string',
  minLength: 1,
  maxLength: 512,
  description: 'A symbol name or qualified name (`Class.method`)',
} as const;

function objectSchema(properties: Record<string, unknown>, required: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties: { ...properties, workspace: WORKSPACE },
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** The catalogue. */
export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'get_context',
    title: 'Get context for a task',
    description:
      'The code that matters for a task or question, packed within a token budget: bodies of the best symbols, signatures of the others, grouped by file with line numbers and the reason each piece was chosen',
    inputSchema: objectSchema(
      {
        task: { type: 'string', minLength: 1, maxLength: 8000, description: 'The task or question' },
        budget: {
          type: 'integer',
          minimum: 100,
          maximum: 200_000,
          description: 'Token budget (default by route)',
        },
        route: { type: 'string', maxLength: 64, description: 'A route by name instead of routing the task' },
      },
      ['task'],
    ),
    readOnly: true,
  },
  {
    name: 'search',
    title: 'Search the code',
    description:
      'Files and symbols ranked for a query (lexical and vector entry points, then the graph search), each with its reason',
    inputSchema: objectSchema(
      {
        query: { type: 'string', minLength: 1, maxLength: 8000 },
        limit: { type: 'integer', minimum: 1, maximum: 200, description: 'Results per list (default 20)' },
        strategy: { enum: ['full', 'bm25', 'pagerank'], description: 'Default full' },
        route: { type: 'string', maxLength: 64, description: 'A route by name instead of routing the query' },
      },
      ['query'],
    ),
    readOnly: true,
  },
  {
    name: 'find_symbol',
    title: 'Find symbols by name',
    description:
      'Declarations whose name matches a pattern (`*` wildcards, else a case-insensitive substring)',
    inputSchema: objectSchema(
      {
        name: NAME,
        kinds: { type: 'array', items: { type: 'string', maxLength: 32 }, maxItems: 20 },
        limit: { type: 'integer', minimum: 1, maximum: 1000 },
      },
      ['name'],
    ),
    readOnly: true,
  },
  {
    name: 'find_references',
    title: 'Find references',
    description:
      'Where the symbols of a name are referred to: references, imports, calls, type uses, base classes',
    inputSchema: objectSchema({ name: NAME, limit: { type: 'integer', minimum: 1, maximum: 5000 } }, [
      'name',
    ]),
    readOnly: true,
  },
  {
    name: 'get_callers',
    title: 'Get callers',
    description: 'Who calls the functions or methods of a name, with the call sites',
    inputSchema: objectSchema({ name: NAME, limit: { type: 'integer', minimum: 1, maximum: 5000 } }, [
      'name',
    ]),
    readOnly: true,
  },
  {
    name: 'get_callees',
    title: 'Get callees',
    description: 'What the functions or methods of a name call, resolved or not',
    inputSchema: objectSchema({ name: NAME, limit: { type: 'integer', minimum: 1, maximum: 5000 } }, [
      'name',
    ]),
    readOnly: true,
  },
  {
    name: 'get_graph',
    title: 'Get a symbol graph',
    description:
      "The nodes and edges of a symbol's neighbourhood in the semantic graph (calls, references, types, data flow)",
    inputSchema: objectSchema(
      {
        name: NAME,
        depth: { type: 'integer', minimum: 1, maximum: 4, description: 'Edges out (default 1)' },
        maxNodes: { type: 'integer', minimum: 1, maximum: 2000, description: 'Default 200' },
      },
      ['name'],
    ),
    readOnly: true,
  },
  {
    name: 'index_status',
    title: 'Index status',
    description:
      'The workspace folders: version, files, nodes, edges, when indexed, whether watched, open buffers',
    inputSchema: objectSchema({}),
    readOnly: true,
  },
  {
    name: 'reindex',
    title: 'Re-index',
    description:
      'Brings the index up to date with the files on disk: the given paths, or every file (unchanged files cost a hash)',
    inputSchema: objectSchema({
      paths: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 4096 }, maxItems: 10_000 },
    }),
    readOnly: false,
  },
  {
    name: 'feedback',
    title: 'Give feedback',
    description: 'Says which results of a query were useful and which were not; the engine learns from it',
    inputSchema: objectSchema(
      {
        query: { type: 'string', maxLength: 8000 },
        items: {
          type: 'array',
          minItems: 1,
          maxItems: 500,
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', maxLength: 1024, description: 'A symbol id from a result' },
              path: { type: 'string', maxLength: 4096, description: 'A file path from a result' },
              useful: { type: 'boolean' },
            },
            required: ['useful'],
            additionalProperties: false,
          },
        },
      },
      ['items'],
    ),
    readOnly: false,
  },
];

const BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

/** A tool by name, or undefined. */
export function findTool(name: string): ToolDefinition | undefined {
  return BY_NAME.get(name);
}

/** Validates the arguments and runs a tool over the workspace set. */
export async function invokeTool(
  set: WorkspaceSet,
  name: string,
  args: unknown,
  options: ToolCallOptions = {},
): Promise<ToolOutput> {
  const tool = BY_NAME.get(name);
  if (!tool)
    throw new EngineError(
      ERROR_CODES.NOT_FOUND,
      `No tool '${name}' (tools: ${TOOLS.map((t) => t.name).join(', ')})`,
    );
  const input = (args ?? {}) as Record<string, unknown>;
  validateInput(tool.inputSchema, input, `arguments of ${name}`);
  const workspace = set.get(input.workspace as string | undefined);
  const signal = options.signal;
  switch (name) {
    case 'get_context': {
      const result = await workspace.context(input.task as string, {
        ...(input.budget !== undefined ? { budget: input.budget as number } : {}),
        ...(input.route !== undefined ? { route: input.route as string } : {}),
        ...(signal ? { signal } : {}),
      });
      return { data: result, text: result.text };
    }
    case 'search': {
      const result = await workspace.query(input.query as string, {
        ...(input.limit !== undefined ? { limit: input.limit as number } : {}),
        ...(input.strategy !== undefined ? { strategy: input.strategy as 'full' | 'bm25' | 'pagerank' } : {}),
        ...(input.route !== undefined ? { route: input.route as string } : {}),
        ...(signal ? { signal } : {}),
      });
      const lines = [
        `route ${result.route}, version ${result.version ?? '-'}`,
        'files:',
        ...result.files.map((f) => `  ${f.path} (${f.score})`),
        'symbols:',
        ...result.symbols.map(
          (s) =>
            `  ${s.path}:${s.range.start.line + 1} ${s.kind} ${s.qualifiedName} (${s.score})${reasonText(s.reason)}`,
        ),
      ];
      return { data: result, text: lines.join('\n') };
    }
    case 'find_symbol': {
      const limit = (input.limit as number | undefined) ?? 50;
      const symbols = await workspace.read((w) =>
        w.symbols(input.name as string, {
          limit,
          ...(input.kinds ? { kinds: input.kinds as string[] } : {}),
        }),
      );
      return {
        data: { symbols },
        text:
          symbols.length === 0
            ? `No symbol matches '${String(input.name)}'`
            : symbols.map(nodeLine).join('\n'),
      };
    }
    case 'find_references': {
      const limit = (input.limit as number | undefined) ?? 200;
      const found = await workspace.read((w) => w.references(input.name as string));
      const data = found.map((f) => ({ symbol: f.symbol, references: f.references.slice(0, limit) }));
      return {
        data: { symbols: data },
        text: notFoundOr(input.name, data, (f) => [
          `${nodeLine(f.symbol)}: ${f.references.length} reference(s)`,
          ...f.references.map(
            (r) => `  ${r.path}:${r.range.start.line + 1} ${r.kind} from ${r.from.qualifiedName}`,
          ),
        ]),
      };
    }
    case 'get_callers':
    case 'get_callees': {
      const limit = (input.limit as number | undefined) ?? 200;
      const callers = name === 'get_callers';
      const found = await workspace.read((w) =>
        callers ? w.callers(input.name as string) : w.callees(input.name as string),
      );
      const data = found.map((f) => ({ symbol: f.symbol, calls: f.calls.slice(0, limit) }));
      return {
        data: { symbols: data },
        text: notFoundOr(input.name, data, (f) => [
          `${nodeLine(f.symbol)}: ${f.calls.length} ${callers ? 'caller(s)' : 'callee(s)'}`,
          ...f.calls.map((c) => {
            const at = `${c.site.path}:${c.site.range.start.line + 1}`;
            if (callers) return `  ${at} ${c.caller?.qualifiedName ?? '(top level)'}`;
            return `  ${at} ${c.callee ? `${c.callee.qualifiedName} (${c.callee.path})` : `${c.calleeText} (unresolved)`}`;
          }),
        ]),
      };
    }
    case 'get_graph': {
      const graph = await workspace.read((w) =>
        w.graph(input.name as string, {
          depth: (input.depth as number | undefined) ?? 1,
          maxNodes: (input.maxNodes as number | undefined) ?? 200,
        }),
      );
      const names = new Map(graph.nodes.map((n) => [n.id, `${n.kind} ${n.qualifiedName}`]));
      const text =
        graph.nodes.length === 0
          ? `No symbol named '${String(input.name)}'`
          : [
              `${graph.nodes.length} nodes, ${graph.edges.length} edges`,
              ...graph.edges.map(
                (e) => `  ${names.get(e.source) ?? e.source} -${e.kind}-> ${names.get(e.target) ?? e.target}`,
              ),
            ].join('\n');
      return { data: graph, text };
    }
    case 'index_status': {
      const folders = await Promise.all(
        set.list().map(async (folder) => {
          const summary = await set.get(folder.root).read((w) => w.summary());
          return {
            ...folder,
            nodes: summary.nodes,
            edges: summary.edges,
            ...(summary.index
              ? { indexedAt: summary.index.indexedAt, sizeBytes: summary.index.sizeBytes }
              : {}),
          };
        }),
      );
      return {
        data: { folders },
        text: folders
          .map(
            (f) =>
              `${f.root}: version ${f.version}, ${f.files} files, ${f.nodes} nodes, ${f.edges} edges${f.watching ? ', watched' : ''}${f.documents > 0 ? `, ${f.documents} open buffer(s)` : ''}`,
          )
          .join('\n'),
      };
    }
    case 'reindex': {
      const delta = await workspace.reindex(input.paths as string[] | undefined);
      const data = {
        version: workspace.version,
        changed: delta ? delta.files.map((f) => ({ path: f.path, kind: f.kind })) : [],
        resolved: delta ? delta.resolved.length : 0,
      };
      return {
        data,
        text:
          data.changed.length === 0
            ? `Up to date (version ${data.version})`
            : `Version ${data.version}: ${data.changed.length} file(s) changed (${data.changed
                .slice(0, 20)
                .map((c) => `${c.kind} ${c.path}`)
                .join(', ')}), ${data.resolved} re-resolved`,
      };
    }
    case 'feedback': {
      const record = workspace.feedback({
        ...(input.query !== undefined ? { query: input.query as string } : {}),
        items: input.items as { id?: string; path?: string; useful: boolean }[],
        source: options.source ?? 'tool',
        version: workspace.version,
      });
      const policy = workspace.policy;
      return {
        data: { recorded: record.items.length, policyVersion: policy.version },
        text: `Recorded ${record.items.length} item(s); the retrieval policy is now at version ${policy.version}`,
      };
    }
    default:
      throw new EngineError(ERROR_CODES.INTERNAL, `Tool '${name}' has no implementation`);
  }
}

function nodeLine(node: GraphNode): string {
  return `${node.path}:${node.range.start.line + 1} ${node.kind} ${node.qualifiedName}${node.signature ? ` — ${node.signature}` : ''}`;
}

function reasonText(
  reason: { entry?: { via: string }; path?: { edge: string; name: string }[] } | undefined,
): string {
  if (!reason) return '';
  const parts: string[] = [];
  if (reason.entry) parts.push(`via ${reason.entry.via}`);
  if (reason.path && reason.path.length > 1)
    parts.push(reason.path.map((p) => `${p.edge} ${p.name}`).join(' → '));
  return parts.length > 0 ? ` [${parts.join('; ')}]` : '';
}

function notFoundOr<T>(name: unknown, found: readonly T[], lines: (item: T) => string[]): string {
  if (found.length === 0) return `No symbol named '${String(name)}'`;
  return found.flatMap(lines).join('\n');
}
