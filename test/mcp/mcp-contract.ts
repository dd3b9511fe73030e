/**
 * @module test/mcp/mcp-contract
 * What every MCP transport must do, run by the stdio and the Streamable HTTP tests with the SDK's own
 * client over a temporary copy of the `ts-shop` fixture: the ten tools with the engine's input schemas,
 * each tool answering for a known function, re-indexing a new file, feedback recorded in the index folder,
 * invalid arguments and unknown tools refused without harming the server, and file and symbol resources
 * (with `..` refused).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeedback, TOOLS } from '../../src/engine/index.js';

export interface McpConnection {
  client: Client;
  /** The repository served. */
  repo: string;
  close(): Promise<void>;
}

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => part.text ?? '').join('\n');
}

/** Runs the contract over connections that `connect` makes (one for the whole suite). */
export function runMcpContract(transport: string, connect: () => Promise<McpConnection>): void {
  describe(`MCP over ${transport}`, () => {
    let connection: McpConnection;
    let client: Client;
    const call = async (name: string, args: Record<string, unknown>): Promise<ToolResult> =>
      (await client.callTool({ name, arguments: args })) as ToolResult;

    beforeAll(async () => {
      connection = await connect();
      client = connection.client;
    }, 60_000);

    afterAll(async () => {
      await connection.close();
    });

    it('identifies itself', () => {
      expect(client.getServerVersion()?.name).toBe('real-time-context');
      expect(client.getServerCapabilities()?.tools).toBeDefined();
    });

    it('lists the ten tools with the engine input schemas', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        [
          'feedback',
          'find_references',
          'find_symbol',
          'get_callees',
          'get_callers',
          'get_context',
          'get_graph',
          'index_status',
          'reindex',
          'search',
        ].sort(),
      );
      for (const tool of TOOLS) {
        const listed = tools.find((t) => t.name === tool.name);
        expect(listed?.inputSchema).toEqual(tool.inputSchema);
        expect(listed?.annotations?.readOnlyHint).toBe(tool.readOnly);
        expect(listed?.description).toBe(tool.description);
      }
      const context = tools.find((t) => t.name === 'get_context');
      expect(context?.inputSchema.required).toEqual(['task']);
    });

    it('get_context packs code for a task, with the reasons', async () => {
      const result = await call('get_context', {
        task: 'how does checkout apply the discount',
        budget: 2000,
      });
      expect(result.isError).toBeFalsy();
      const text = textOf(result);
      expect(text.length).toBeGreaterThan(0);
      expect(text).toContain('applyDiscount');
      expect(text).toContain('why:');
      const data = result.structuredContent as { items: unknown[]; budget: number; text: string };
      expect(data.budget).toBe(2000);
      expect(data.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(data.items)).toContain('"reasons"');
    });

    it('search ranks the files and symbols of a query', async () => {
      const result = await call('search', { query: 'factorial', limit: 5 });
      expect(result.isError).toBeFalsy();
      const data = result.structuredContent as { symbols: { name: string; path: string }[] };
      expect(data.symbols.some((s) => s.name === 'factorial' && s.path === 'src/util/math.ts')).toBe(true);
      expect(textOf(result)).toContain('factorial');
    });

    it('find_symbol finds a function by name', async () => {
      const result = await call('find_symbol', { name: 'factorial' });
      const data = result.structuredContent as { symbols: { name: string; path: string; kind: string }[] };
      expect(data.symbols).toContainEqual(
        expect.objectContaining({ name: 'factorial', path: 'src/util/math.ts' }),
      );
      expect(textOf(result)).toContain('src/util/math.ts');
    });

    it('find_references, get_callers, get_callees and get_graph answer for a known function', async () => {
      const references = await call('find_references', { name: 'Cart' });
      expect(references.isError).toBeFalsy();
      const refs = references.structuredContent as { symbols: { references: { path: string }[] }[] };
      expect(refs.symbols.flatMap((s) => s.references.map((r) => r.path))).toContain(
        'src/services/checkout.ts',
      );

      const callers = await call('get_callers', { name: 'factorial' });
      const callerData = callers.structuredContent as {
        symbols: { calls: { caller?: { name: string } }[] }[];
      };
      expect(callerData.symbols.flatMap((s) => s.calls.map((c) => c.caller?.name))).toContain('factorial');

      const callees = await call('get_callees', { name: 'checkout' });
      const calleeData = callees.structuredContent as {
        symbols: { calls: { callee?: { name: string }; calleeText?: string }[] }[];
      };
      const called = calleeData.symbols.flatMap((s) => s.calls.map((c) => c.callee?.name ?? c.calleeText));
      expect(called).toContain('pay');
      expect(textOf(callees)).toContain('pay');

      const graph = await call('get_graph', { name: 'checkout', depth: 1 });
      const graphData = graph.structuredContent as { nodes: { name: string }[]; edges: unknown[] };
      expect(graphData.nodes.some((n) => n.name === 'checkout')).toBe(true);
      expect(graphData.edges.length).toBeGreaterThan(0);
    });

    it('index_status describes the folder', async () => {
      const result = await call('index_status', {});
      const data = result.structuredContent as {
        folders: { files: number; nodes: number; version: number }[];
      };
      expect(data.folders).toHaveLength(1);
      expect(data.folders[0]?.files).toBeGreaterThan(3);
      expect(data.folders[0]?.nodes).toBeGreaterThan(0);
    });

    it('reindex brings in a file written on disk', async () => {
      mkdirSync(join(connection.repo, 'src', 'extra'), { recursive: true });
      writeFileSync(
        join(connection.repo, 'src', 'extra', 'tax.ts'),
        "import { round } from '../util/math.js';\n\nexport function addTaxOnTop(value: number): number {\n  return round(value * 1.2);\n}\n",
      );
      const result = await call('reindex', {});
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toMatch(/version \d+/i);
      const found = await call('find_symbol', { name: 'addTaxOnTop' });
      const data = found.structuredContent as { symbols: { name: string; path: string }[] };
      expect(data.symbols).toContainEqual(
        expect.objectContaining({ name: 'addTaxOnTop', path: 'src/extra/tax.ts' }),
      );
    });

    it('records feedback in the index folder', async () => {
      const query = `feedback over ${transport}`;
      const result = await call('feedback', {
        query,
        items: [
          { path: 'src/util/math.ts', useful: true },
          { path: 'src/index.ts', useful: false },
        ],
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        recorded: 2,
        policyVersion: expect.any(Number) as number,
      });
      const records = readFeedback(join(connection.repo, '.rtc')).filter((r) => r.query === query);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        source: 'mcp',
        items: [
          { path: 'src/util/math.ts', useful: true },
          { path: 'src/index.ts', useful: false },
        ],
      });
    });

    it('refuses invalid arguments with a tool error and goes on answering', async () => {
      const missing = await call('get_context', {});
      expect(missing.isError).toBe(true);
      expect(textOf(missing)).toMatch(/required property 'task'/);

      const wrongType = await call('get_context', { task: 'checkout', budget: 'lots' });
      expect(wrongType.isError).toBe(true);
      expect(textOf(wrongType)).toMatch(/\/budget must be integer/);

      const unknown = await call('find_symbol', { name: 'checkout', colour: 'blue' });
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toMatch(/unknown property 'colour'/);

      const noFolder = await call('find_symbol', { name: 'checkout', workspace: 'no-such-folder' });
      expect(noFolder.isError).toBe(true);
      expect(textOf(noFolder)).toMatch(/No workspace folder 'no-such-folder'/);

      const after = await call('find_symbol', { name: 'round' });
      expect(after.isError).toBeFalsy();
      expect(textOf(after)).toContain('src/util/math.ts');
    });

    it('survives a request the client cancels', async () => {
      const controller = new AbortController();
      const pending = client.callTool(
        { name: 'get_context', arguments: { task: 'everything about carts and items and discounts' } },
        undefined,
        { signal: controller.signal },
      );
      controller.abort(new Error('changed my mind'));
      await expect(pending).rejects.toThrow();
      const after = await call('find_symbol', { name: 'round' });
      expect(after.isError).toBeFalsy();
    });

    it('answers an unknown tool with a protocol error', async () => {
      const error = await client.callTool({ name: 'drop_database', arguments: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(-32602);
      expect((error as McpError).message).toMatch(/Unknown tool 'drop_database'/);
      expect((await client.listTools()).tools).toHaveLength(10);
    });

    it('lists file resources and reads a file', async () => {
      const { resources } = await client.listResources();
      const uris = resources.map((r) => r.uri);
      expect(uris).toContain('rtc://file/src/util/math.ts');
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.name).sort()).toEqual(['file', 'symbol']);
      const read = await client.readResource({ uri: 'rtc://file/src/util/math.ts' });
      const content = read.contents[0] as { text: string; uri: string };
      expect(content.uri).toBe('rtc://file/src/util/math.ts');
      expect(content.text).toContain('export function factorial(n: number): number');
    });

    it('reads a symbol resource: its declarations with their source', async () => {
      const read = await client.readResource({ uri: 'rtc://symbol/factorial' });
      const content = read.contents[0] as { text: string; mimeType: string };
      expect(content.mimeType).toBe('application/json');
      const data = JSON.parse(content.text) as {
        name: string;
        declarations: { name: string; path: string; source: string }[];
      };
      expect(data.name).toBe('factorial');
      expect(data.declarations).toHaveLength(1);
      expect(data.declarations[0]).toMatchObject({ name: 'factorial', path: 'src/util/math.ts' });
      expect(data.declarations[0]?.source).toContain('n * factorial(n - 1)');

      const missing = await client
        .readResource({ uri: 'rtc://symbol/noSuchSymbolAnywhere' })
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(McpError);
      expect((missing as McpError).code).toBe(-32002);
    });

    it('refuses resource URIs that leave the workspace, and unknown schemes', async () => {
      writeFileSync(join(connection.repo, '..', 'secret.txt'), 'TOP SECRET\n');
      for (const uri of [
        'rtc://file/../secret.txt',
        'rtc://file/src/../../secret.txt',
        'rtc://file/%2E%2E/secret.txt',
        'rtc://file/%2Fetc%2Fpasswd',
        'file:///etc/passwd',
      ]) {
        const error = await client.readResource({ uri }).catch((e: unknown) => e);
        expect(error, uri).toBeInstanceOf(McpError);
        expect(JSON.stringify(error)).not.toContain('TOP SECRET');
      }
      const refused = (await client
        .readResource({ uri: 'rtc://file/../secret.txt' })
        .catch((e: unknown) => e)) as McpError;
      expect(refused.code).toBe(-32602);
      expect(refused.message).toMatch(/'\.\.' is not allowed/);
      const read = await client.readResource({ uri: 'rtc://file/src/index.ts' });
      expect(read.contents).toHaveLength(1);
    });
  });
}
