/**
 * @module test/http/api
 * Every route of `rtc serve` over real HTTP (fetch on 127.0.0.1) against a real index of a temporary copy
 * of the ts-shop fixture: build info, health, metrics, OpenAPI, retrieval, files and their views, unsaved
 * buffers seen by symbols and files, workspace folders added and removed, the tool catalogue, feedback read
 * back from the index folder, update events after a buffer change and after a write on disk, the web page.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeedback } from '../../src/engine/index.js';
import type { HttpServer } from '../../src/interfaces/http/index.js';
import { openEvents, serveRepos, tempRepo, until } from './support.js';
import type { Call, TempRepo } from './support.js';

/** One field of each object of a JSON array. */
function pluck(list: unknown, key: string): unknown[] {
  return (list as Record<string, unknown>[]).map((item) => item[key]);
}

let repo: TempRepo;
let second: TempRepo;
let server: HttpServer;
let call: Call;

beforeAll(async () => {
  repo = tempRepo();
  second = tempRepo('js-app');
  ({ server, call } = await serveRepos([repo.root]));
});

afterAll(async () => {
  await server.close();
  repo.remove();
  second.remove();
});

describe('server info', () => {
  it('GET /info gives build info, languages, schema and folders', async () => {
    const reply = await call('GET', '/info');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'real-time-context', schema: expect.any(Number) });
    expect(reply.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(reply.body.languages).toContain('typescript');
    expect(reply.body.workspaces).toHaveLength(1);
    expect(reply.body.workspaces[0]).toMatchObject({ name: 'ts-shop', files: 7, watching: true });
  });

  it('GET /healthz is ok with the default folder version', async () => {
    const reply = await call('GET', '/healthz');
    expect(reply.body).toEqual({ status: 'ok', version: expect.any(Number) });
  });

  it('GET /metrics gives Prometheus text with request counts and index gauges', async () => {
    await call('GET', '/healthz');
    const reply = await call('GET', '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(reply.text).toMatch(/rtc_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
    expect(reply.text).toContain('# TYPE rtc_http_request_duration_seconds histogram');
    expect(reply.text).toMatch(
      /rtc_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} \d+/,
    );
    expect(reply.text).toMatch(/rtc_index_files\{workspace="[^"]+ts-shop"\} 7/);
    expect(reply.text).toMatch(/rtc_index_version\{workspace="[^"]+"\} \d+/);
    expect(reply.text).toMatch(/rtc_updates_total\{workspace="[^"]+"\} \d+/);
    expect(reply.text).toMatch(/process_resident_memory_bytes \d+/);
    expect(reply.text).toMatch(/rtc_open_documents \d+/);
  });

  it('GET /openapi.json lists every route with its request schema', async () => {
    const reply = await call('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    const paths = reply.body.paths as Record<string, Record<string, unknown>>;
    const operations = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    for (const expected of [
      'GET /',
      'GET /info',
      'GET /healthz',
      'GET /metrics',
      'GET /openapi.json',
      'POST /v1/context',
      'POST /v1/search',
      'POST /v1/symbols',
      'GET /v1/symbols',
      'POST /v1/graph',
      'GET /v1/files',
      'GET /v1/files/{path}',
      'GET /v1/documents',
      'POST /v1/documents',
      'PUT /v1/documents',
      'DELETE /v1/documents',
      'GET /v1/workspaces',
      'POST /v1/workspaces',
      'DELETE /v1/workspaces',
      'GET /v1/tools',
      'POST /v1/tools/{name}',
      'POST /v1/feedback',
      'POST /v1/chat',
      'POST /v1/chat/completions',
      'GET /v1/events',
    ])
      expect(operations).toContain(expected);
    expect(reply.body.openapi).toBe('3.1.0');
    const context = paths['/v1/context']!.post as {
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
    };
    expect(context.requestBody.content['application/json'].schema.required).toEqual(['query']);
  });
});

describe('retrieval', () => {
  it('POST /v1/context packs context with reasons', async () => {
    const reply = await call('POST', '/v1/context', { query: 'checkout pay total', budget: 500 });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      query: 'checkout pay total',
      budget: 500,
      version: expect.any(Number),
    });
    expect(reply.body.items.length).toBeGreaterThan(0);
    expect(reply.body.items[0].reasons.length).toBeGreaterThan(0);
    expect(reply.body.text).toContain('checkout');
  });

  it('POST /v1/search ranks files and symbols', async () => {
    const reply = await call('POST', '/v1/search', { query: 'discount', limit: 5, strategy: 'bm25' });
    expect(reply.status).toBe(200);
    expect(reply.body.files.length).toBeGreaterThan(0);
    expect(pluck(reply.body.symbols, 'name').includes('applyDiscount')).toBe(true);
  });

  it('POST and GET /v1/symbols find declarations', async () => {
    const posted = await call('POST', '/v1/symbols', { name: 'factorial' });
    expect(pluck(posted.body.symbols, 'name')).toContain('factorial');
    const got = await call('GET', '/v1/symbols?name=Cart&limit=3');
    expect(got.status).toBe(200);
    expect(got.body.symbols.length).toBeGreaterThan(0);
    expect(got.body.symbols.length).toBeLessThanOrEqual(3);
    expect((await call('GET', '/v1/symbols?name=Cart&limit=many')).status).toBe(400);
    expect((await call('GET', '/v1/symbols')).status).toBe(400);
  });

  it("POST /v1/graph gives a symbol's neighbourhood, or a file's graph", async () => {
    const neighbourhood = await call('POST', '/v1/graph', { symbol: 'checkout', depth: 2 });
    expect(neighbourhood.status).toBe(200);
    expect(pluck(neighbourhood.body.nodes, 'name').includes('checkout')).toBe(true);
    expect(neighbourhood.body.edges.length).toBeGreaterThan(0);
    const file = await call('POST', '/v1/graph', { path: 'src/util/math.ts' });
    expect(pluck(file.body.nodes, 'name').includes('factorial')).toBe(true);
    expect((await call('POST', '/v1/graph', { symbol: 'a', path: 'b' })).status).toBe(400);
    expect((await call('POST', '/v1/graph', { symbol: 'checkout', depth: 9 })).status).toBe(400);
  });
});

describe('files', () => {
  it('GET /v1/files lists the indexed files', async () => {
    const reply = await call('GET', '/v1/files');
    expect(reply.body.files).toContainEqual({ path: 'src/util/math.ts' });
    expect(reply.body.files).toHaveLength(7);
  });

  it('GET /v1/files/<path> serves text, symbols, syntax tree and graph', async () => {
    const text = await call('GET', '/v1/files/src/util/math.ts');
    expect(text.body).toEqual({
      path: 'src/util/math.ts',
      source: 'disk',
      text: readFileSync(join(repo.root, 'src/util/math.ts'), 'utf8'),
    });
    const symbols = await call('GET', '/v1/files/src/util/math.ts?view=symbols');
    expect(pluck(symbols.body.symbols, 'name')).toEqual(
      expect.arrayContaining(['round', 'factorial', 'double']),
    );
    const ast = await call('GET', '/v1/files/src/util/math.ts?view=ast');
    expect(ast.body).toMatchObject({ language: 'typescript', tree: { type: 'program' } });
    expect(ast.body.nodeCount).toBeGreaterThan(10);
    const asg = await call('GET', '/v1/files/src/util/math.ts?view=asg');
    expect(asg.body.nodes.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/files/src/util/math.ts?view=pixels')).status).toBe(400);
    const missing = await call('GET', '/v1/files/src/nowhere.ts');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('RTC_NOT_FOUND');
  });
});

describe('documents', () => {
  it('an open buffer is seen by symbols and files until it is closed', async () => {
    const path = 'src/util/math.ts';
    const disk = readFileSync(join(repo.root, path), 'utf8');
    const text = `${disk}\nexport function zebraHorn(): number {\n  return 42;\n}\n`;
    const opened = await call('POST', '/v1/documents', { path, text, version: 1 });
    expect(opened.status).toBe(200);
    expect(opened.body.delta.files).toContainEqual({ path, kind: 'edited' });
    const found = await call('GET', '/v1/symbols?name=zebraHorn');
    expect(pluck(found.body.symbols, 'path')).toEqual([path]);
    expect((await call('GET', `/v1/files/${path}`)).body).toEqual({ path, source: 'buffer', text });
    const listed = await call('GET', '/v1/documents');
    expect(listed.body.documents).toEqual([
      {
        path: join(server.set.get().root, path),
        root: server.set.get().root,
        relativePath: path,
        version: 1,
      },
    ]);

    const changed = text.replace('zebraHorn', 'zebraTail');
    expect((await call('PUT', '/v1/documents', { path, text: changed })).status).toBe(200);
    expect((await call('GET', '/v1/symbols?name=zebraHorn')).body.symbols).toEqual([]);
    expect((await call('GET', '/v1/symbols?name=zebraTail')).body.symbols).toHaveLength(1);

    const closed = await call('DELETE', '/v1/documents', { path: join(server.set.get().root, path) });
    expect(closed.status).toBe(200);
    expect(closed.body.closed).toBe(true);
    expect((await call('GET', '/v1/symbols?name=zebraTail')).body.symbols).toEqual([]);
    expect((await call('GET', `/v1/files/${path}`)).body).toEqual({ path, source: 'disk', text: disk });
    expect((await call('GET', '/v1/documents')).body.documents).toEqual([]);
  });

  it('refuses buffers outside the folders', async () => {
    const outside = await call('POST', '/v1/documents', { path: '../escape.ts', text: 'x' });
    expect(outside.status).toBe(400);
    const elsewhere = await call('POST', '/v1/documents', { path: '/tmp/elsewhere.ts', text: 'x' });
    expect(elsewhere.status).toBe(404);
    expect((await call('POST', '/v1/documents', { path: 'a.ts' })).status).toBe(400);
  });
});

describe('workspaces', () => {
  it('adds, lists and removes a folder', async () => {
    const added = await call('POST', '/v1/workspaces', { root: second.root });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'js-app', files: expect.any(Number) });
    const listed = await call('GET', '/v1/workspaces');
    expect(pluck(listed.body.workspaces, 'name')).toEqual(['ts-shop', 'js-app']);
    const files = await call('GET', '/v1/files?workspace=js-app');
    expect(files.body.files.length).toBe(added.body.files);
    const search = await call('POST', '/v1/symbols', { name: '*', workspace: 'js-app', limit: 5 });
    expect(pluck(search.body.symbols, 'language').every((language) => language === 'javascript')).toBe(true);
    const removed = await call('DELETE', '/v1/workspaces', { root: added.body.root });
    expect(removed.body).toEqual({ removed: true });
    expect(
      (await call('DELETE', `/v1/workspaces?root=${encodeURIComponent(added.body.root as string)}`)).body,
    ).toEqual({
      removed: false,
    });
    expect((await call('GET', '/v1/workspaces')).body.workspaces).toHaveLength(1);
    expect((await call('POST', '/v1/workspaces', { root: 'relative/dir' })).status).toBe(400);
    expect((await call('POST', '/v1/workspaces', { root: '/no/such/folder/anywhere' })).status).toBe(404);
  });
});

describe('tools and feedback', () => {
  it('lists and invokes the tools, refusing bad arguments', async () => {
    const list = await call('GET', '/v1/tools');
    const names = pluck(list.body.tools, 'name');
    expect(names).toEqual(expect.arrayContaining(['get_context', 'search', 'find_symbol', 'get_graph']));
    expect(list.body.tools[0]).toHaveProperty('inputSchema');
    const invoked = await call('POST', '/v1/tools/find_symbol', { name: 'Cart' });
    expect(invoked.status).toBe(200);
    expect(invoked.body.data.symbols.length).toBeGreaterThan(0);
    expect(invoked.body.text).toContain('Cart');
    const status = await call('POST', '/v1/tools/index_status');
    expect(status.body.data.folders).toHaveLength(1);
    const bad = await call('POST', '/v1/tools/find_symbol', { name: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('/name must be string');
    expect((await call('POST', '/v1/tools/find_symbol', { name: 'x', extra: 1 })).status).toBe(400);
    const unknown = await call('POST', '/v1/tools/no_such_tool', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('get_context');
  });

  it('records feedback in the index folder', async () => {
    const reply = await call('POST', '/v1/feedback', {
      query: 'checkout',
      items: [
        { path: 'src/services/checkout.ts', useful: true },
        { id: 'abc', useful: false },
      ],
    });
    expect(reply.body).toMatchObject({ recorded: 2, policyVersion: expect.any(Number) as number });
    const records = readFeedback(server.set.get().dbDir);
    expect(records.at(-1)).toMatchObject({
      query: 'checkout',
      source: 'http',
      items: [
        { path: 'src/services/checkout.ts', useful: true },
        { id: 'abc', useful: false },
      ],
    });
    expect((await call('POST', '/v1/feedback', { items: [] })).status).toBe(400);
    expect((await call('POST', '/v1/feedback', { items: [{ path: 'x', useful: 'yes' }] })).status).toBe(400);
  });
});

describe('events', () => {
  it('streams hello, then a delta after a buffer change and after a write on disk', async () => {
    const events = await openEvents(server.url);
    try {
      const hello = await events.next((e) => e.event === 'hello');
      expect(Object.values((hello.data as { versions: Record<string, number> }).versions)).toHaveLength(1);
      const path = 'src/models/discount.ts';
      const disk = readFileSync(join(repo.root, path), 'utf8');
      await call('PUT', '/v1/documents', { path, text: `${disk}\nexport const bufferOnly = 1;\n` });
      const fromBuffer = await events.next(
        (e) => e.event === 'delta' && JSON.stringify(e.data).includes(path),
      );
      expect(fromBuffer.data).toMatchObject({ version: expect.any(Number), previous: expect.any(Number) });
      await call('DELETE', '/v1/documents', { path });

      writeFileSync(
        join(repo.root, 'src/added.ts'),
        'export function addedOnDisk(): number {\n  return 1;\n}\n',
      );
      const fromDisk = await events.next(
        (e) => e.event === 'delta' && JSON.stringify(e.data).includes('src/added.ts'),
      );
      expect((fromDisk.data as { files: unknown[] }).files).toContainEqual({
        path: 'src/added.ts',
        kind: 'added',
      });
      await until(async () => (await call('GET', '/v1/symbols?name=addedOnDisk')).body.symbols.length === 1);
    } finally {
      events.close();
    }
  });
});

describe('web page', () => {
  it('serves the page, its assets and the graph library', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<html/i);
    const library = await fetch(`${server.url}/assets/vendor/cytoscape.min.js`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toContain('text/javascript');
    expect((await library.text()).length).toBeGreaterThan(100_000);
    const missing = await call('GET', '/assets/nothing-here.js');
    expect(missing.status).toBe(404);
    expect((await call('GET', '/assets/.hidden')).status).toBe(404);
  });
});

describe('MCP mount and a token on loopback', () => {
  it('passes /mcp requests to the handler, behind the token, and closes it with the server', async () => {
    const seen: string[] = [];
    let closed = false;
    const other = tempRepo('ts-shop');
    const { server: mounted, call: mountedCall } = await serveRepos([other.root], {
      watch: false,
      token: 'loop-token',
      mcp: (set) => ({
        handle: async (request) => {
          seen.push(`${request.method} ${await request.text()}`);
          return Response.json({ jsonrpc: '2.0', id: 1, result: { folders: set.list().length } });
        },
        close: () => {
          closed = true;
          return Promise.resolve();
        },
      }),
    });
    try {
      const auth = { headers: { authorization: 'Bearer loop-token' } };
      expect((await mountedCall('POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(401);
      const reply = await mountedCall('POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'ping' }, auth);
      expect(reply.body).toEqual({ jsonrpc: '2.0', id: 1, result: { folders: 1 } });
      expect(seen).toEqual(['POST {"jsonrpc":"2.0","id":1,"method":"ping"}']);
      const document = await mountedCall('GET', '/openapi.json', undefined, auth);
      expect(Object.keys(document.body.paths as object)).toContain('/mcp');
      // An event stream still open when the server closes is ended, and close() returns.
      const stream = await fetch(`${mounted.url}/v1/events`, auth);
      const reader = stream.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await mounted.close();
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) break;
    } finally {
      await mounted.close();
      other.remove();
    }
    expect(closed).toBe(true);
  });
});
