/**
 * @module test/http/security
 * Hostile requests against `rtc serve` over real HTTP: path traversal in every spelling (`..` raw and
 * percent-encoded, absolute paths, symbolic links that lead to /etc or to a folder outside), bodies over
 * the limit (declared and chunked), malformed JSON, wrong types, wrong content types, unknown routes and
 * methods, handlers that throw; after each the server still answers /healthz. Then a server process bound
 * to 0.0.0.0: refused without a token, and with one every route but /healthz needs it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/interfaces/http/index.js';
import { rawGet, serveRepos, tempRepo } from './support.js';
import type { Call, Reply, TempRepo } from './support.js';

const SECRET = 'top-secret-outside-the-workspace';
const SERVER_MAIN = join(import.meta.dirname, 'server-main.ts');

let repo: TempRepo;
let outside: string;
let server: HttpServer;
let call: Call;

beforeAll(async () => {
  repo = tempRepo();
  outside = mkdtempSync(join(tmpdir(), 'rtc-http-outside-'));
  mkdirSync(join(outside, 'dir'));
  writeFileSync(join(outside, 'dir', 'secret.txt'), SECRET);
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  symlinkSync('/etc', join(repo.root, 'etc-link'));
  symlinkSync(join(outside, 'dir'), join(repo.root, 'out-link'));
  symlinkSync(join(outside, 'secret.txt'), join(repo.root, 'secret-link.txt'));
  ({ server, call } = await serveRepos([repo.root], { watch: false }));
});

afterAll(async () => {
  await server.close();
  repo.remove();
  rmSync(outside, { recursive: true, force: true });
});

/** After every hostile request the server still serves. */
afterEach(async () => {
  const health = await call('GET', '/healthz');
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('ok');
});

function expectError(reply: Reply, status: number, code?: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body.error.message).toEqual(expect.any(String));
  if (code) expect(reply.body.error.code).toBe(code);
}

describe('path traversal', () => {
  it.each([
    '/v1/files/../../../../etc/passwd',
    '/v1/files/src/../../../etc/passwd',
    '/v1/files/%2e%2e/%2e%2e/etc/passwd',
    '/v1/files/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/v1/files/src%2f..%2f..%2fsecret.txt',
    '/v1/files/..%5c..%5cetc%5cpasswd',
    '/v1/files/%2Fetc%2Fpasswd',
    '/v1/files//etc/passwd',
    '/v1/files/etc-link/passwd',
    '/v1/files/etc-link/hostname',
    '/v1/files/out-link/secret.txt',
    '/v1/files/secret-link.txt',
    '/v1/files/secret-link.txt?view=ast',
    '/v1/files/out-link/secret.txt?view=symbols',
    '/v1/files/%00etc',
  ])('refuses %s with 400 and serves nothing', async (path) => {
    const reply = await rawGet(server.url, path);
    expect(reply.status, reply.text).toBe(400);
    expect(reply.text).not.toContain(SECRET);
    expect(reply.text).not.toContain('root:');
    expect(JSON.parse(reply.text).error.code).toBe('RTC_INVALID_ARGUMENT');
  });

  it('serves nothing for double-encoded dots (a literal name, not found)', async () => {
    const reply = await rawGet(server.url, '/v1/files/%252e%252e%252fsecret.txt');
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain(SECRET);
  });

  it('refuses paths out of the folder in bodies too', async () => {
    expectError(await call('POST', '/v1/graph', { path: '../../etc/passwd' }), 400);
    expectError(await call('POST', '/v1/graph', { path: '/etc/passwd' }), 400);
    expectError(await call('POST', '/v1/documents', { path: 'out-link/new.ts', text: 'x' }), 400);
    expectError(await call('POST', '/v1/documents', { path: join(repo.root, '..', 'x.ts'), text: 'x' }), 404);
    expectError(await call('POST', '/v1/tools/get_graph', { name: 'x', workspace: '/etc' }), 404);
  });
});

describe('bad requests', () => {
  it('refuses a Host that is not loopback on a server without a token (DNS rebinding)', async () => {
    const rebound = await rawGet(server.url, '/v1/files/src/index.ts', { host: 'evil.example:80' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).error.code).toBe('RTC_HOST_NOT_ALLOWED');
    expect(rebound.text).not.toContain('checkout');
    expect((await rawGet(server.url, '/healthz', { host: 'localhost:1234' })).status).toBe(200);
    expect((await rawGet(server.url, '/healthz', { host: '[::1]:1234' })).status).toBe(200);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) });
    expectError(await call('POST', '/v1/search', big), 413, 'RTC_PAYLOAD_TOO_LARGE');
  });

  it('refuses a chunked body over the limit with 413', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${server.url}/v1/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('RTC_PAYLOAD_TOO_LARGE');
  });

  it('refuses malformed JSON with 400', async () => {
    const reply = await call('POST', '/v1/context', '{"query": "x",');
    expectError(reply, 400, 'RTC_INVALID_ARGUMENT');
    expect(reply.body.error.message).toContain('not valid JSON');
  });

  it.each([
    ['/v1/context', { query: 42 }, '/query must be string'],
    ['/v1/context', { query: 'x', budget: 'lots' }, '/budget must be integer'],
    ['/v1/context', {}, "must have required property 'query'"],
    ['/v1/context', [], 'must be object'],
    ['/v1/context', { query: 'x', unknown: true }, "unknown property 'unknown'"],
    ['/v1/search', { query: 'x', strategy: 'magic' }, 'must be equal to one of the allowed values'],
    ['/v1/symbols', { name: '' }, 'must NOT have fewer than 1 characters'],
    ['/v1/graph', { symbol: 'x', maxNodes: -1 }, '/maxNodes must be >= 1'],
    ['/v1/feedback', { items: 'all' }, '/items must be array'],
    ['/v1/documents', { path: 'a.ts', text: 7 }, '/text must be string'],
    ['/v1/workspaces', { root: null }, '/root must be string'],
    ['/v1/chat', { messages: 'hi' }, '/messages must be array'],
  ])('refuses wrong types: POST %s %j', async (path, body, message) => {
    const reply = await call('POST', path, body);
    expectError(reply, 400, 'RTC_INVALID_ARGUMENT');
    expect(reply.body.error.message).toContain(message);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const reply = await call('POST', '/v1/search', 'query=x', { headers: { 'content-type': 'text/plain' } });
    expectError(reply, 415, 'RTC_UNSUPPORTED_MEDIA_TYPE');
    const form = await fetch(`${server.url}/v1/context`, {
      method: 'POST',
      body: new URLSearchParams({ q: 'x' }),
    });
    expect(form.status).toBe(415);
  });

  it('answers unknown routes with 404 and wrong methods with 405, in JSON', async () => {
    expectError(await call('GET', '/v2/anything'), 404, 'RTC_NOT_FOUND');
    const wrong = await call('DELETE', '/v1/context');
    expectError(wrong, 405, 'RTC_METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toBe('POST');
    expectError(await call('GET', '/v1/tools/find_symbol'), 405);
  });

  it('turns a throwing handler into a JSON error and keeps serving', async () => {
    expectError(await call('POST', '/v1/tools/no_such_tool', {}), 404);
    expectError(await call('POST', '/v1/graph', { symbol: 'checkout', workspace: 'gone' }), 404);
    expectError(await call('POST', '/v1/context', { query: 'x', route: 'no-such-route' }), 400);
  });

  it('answers a graph request racing the removal of its folder with a result or a JSON error', async () => {
    const other = tempRepo('ts-shop');
    try {
      const added = await call('POST', '/v1/workspaces', { root: other.root });
      expect(added.status).toBe(201);
      const [graph, removed] = await Promise.all([
        call('POST', '/v1/graph', { symbol: 'checkout', depth: 3, workspace: added.body.root }),
        call('DELETE', '/v1/workspaces', { root: added.body.root }),
      ]);
      expect(removed.body).toEqual({ removed: true });
      expect([200, 404, 500]).toContain(graph.status);
      if (graph.status !== 200) expect(graph.body.error.message).toEqual(expect.any(String));
      expectError(await call('POST', '/v1/graph', { symbol: 'checkout', workspace: added.body.root }), 404);
    } finally {
      other.remove();
    }
  });
});

describe('binding beyond loopback', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function start(...args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN, repo.root, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    return { child, exited, stderr: () => stderr };
  }

  it('refuses to start on 0.0.0.0 without a token', async () => {
    const { exited, stderr } = await Promise.resolve(start('0.0.0.0'));
    expect(await exited).not.toBe(0);
    expect(stderr()).toContain('Refusing to listen on 0.0.0.0 without a token');
  });

  it('with a token, requires it on every route but /healthz', async () => {
    const token = 's3cret-token';
    // The in-process server holds the index: the child serves a copy of its own.
    const own = tempRepo('ts-shop');
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN, own.root, '0.0.0.0', token], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    try {
      const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
      if (line.done) throw new Error(`server-main ended: ${stderr}`);
      const { port } = JSON.parse(line.value) as { port: number };
      const base = `http://127.0.0.1:${port}`;
      const get = (path: string, headers: Record<string, string> = {}) =>
        fetch(`${base}${path}`, { headers });
      const none = await get('/info');
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('RTC_UNAUTHORIZED');
      expect((await get('/info', { authorization: 'Bearer wrong-token' })).status).toBe(401);
      expect((await get('/info', { authorization: `Bearer ${token}x` })).status).toBe(401);
      expect((await get('/v1/files/src/index.ts', { authorization: 'Basic abc' })).status).toBe(401);
      const authorised = await get('/info', { authorization: `Bearer ${token}` });
      expect(authorised.status).toBe(200);
      expect(((await authorised.json()) as { name: string }).name).toBe('real-time-context');
      expect((await get('/healthz')).status).toBe(200);
      // The web page: /?token= sets a same-site cookie and drops the token from the address.
      expect((await fetch(`${base}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
      const opened = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      expect(opened.headers.get('location')).toBe('/');
      const cookie = opened.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^rtc_token=s3cret-token; HttpOnly; SameSite=Strict; Path=\//);
      const session = { cookie: cookie.split(';')[0]! };
      expect((await get('/', session)).status).toBe(200);
      expect((await get('/v1/workspaces', session)).status).toBe(200);
      expect((await get('/v1/workspaces', { cookie: 'rtc_token=nope' })).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      own.remove();
    }
  });
});
