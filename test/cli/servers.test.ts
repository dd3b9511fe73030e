/**
 * @module test/cli/servers
 * The servers as users start them, through the built `rtc` executable (the composition root wires them in):
 * `rtc serve` answers HTTP and MCP at /mcp and stops on SIGTERM with exit code 0; `rtc serve` on a
 * non-loopback address without a token refuses to start; `rtc mcp` speaks MCP on stdio to the SDK's client;
 * `rtc lsp --stdio` speaks LSP to a JSON-RPC client and exits 0 after shutdown and exit.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { fixtureCopy } from '../support/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'rtc.js');
let copy: ReturnType<typeof fixtureCopy>;
let repo: string;

beforeAll(() => {
  copy = fixtureCopy(['ts-shop']);
  repo = join(copy.dir, 'ts-shop');
});

afterAll(() => {
  copy.remove();
});

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else
      child.once('exit', (code) => {
        done(code);
      });
  });
}

describe('rtc serve', () => {
  it('serves HTTP, the web page and MCP, and stops on SIGTERM with exit code 0', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--repo', repo, '--port', '0', '--json'], {
      env: { ...process.env, RTC_TOKEN: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const first = await new Promise<string>((done, fail) => {
        const lines = createInterface({ input: child.stdout });
        lines.once('line', done);
        child.once('exit', (code) => {
          fail(new Error(`rtc serve exited with ${code}: ${stderr}`));
        });
      });
      const { url } = JSON.parse(first) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/`)).text()).toMatch(/<html/i);
      const context = (await (
        await fetch(`${url}/v1/context`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'apply a discount at checkout', budget: 1500 }),
        })
      ).json()) as { text: string; tokens: number };
      expect(context.text).toContain('applyDiscount');
      const client = new Client({ name: 'rtc-cli-test', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
      expect((await client.listTools()).tools).toHaveLength(10);
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
  }, 120_000);

  it('refuses to bind a non-loopback address without a token', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--repo', repo, '--host', '0.0.0.0', '--port', '0'],
      {
        env: { ...process.env, RTC_TOKEN: '' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await exited(child);
    expect(code).toBe(2);
    expect(stderr).toMatch(/token/i);
  }, 60_000);
});

describe('rtc mcp', () => {
  it('speaks MCP on stdio', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--repo', repo, '--db', join(copy.dir, 'mcp-index'), '--workers', '0'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'rtc-cli-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      const result = await client.callTool({ name: 'find_symbol', arguments: { name: 'Checkout' } });
      expect(JSON.stringify(result.content)).toMatch(/class Checkout/);
      // --db is honoured: the index lives where it says.
      expect(existsSync(join(copy.dir, 'mcp-index', 'index.mdb'))).toBe(true);
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe('rtc tool', () => {
  function rtc(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [BIN, ...args]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => {
        done({ code, stdout, stderr });
      });
    });
  }

  it('lists the tools, calls one, and refuses bad arguments with exit code 2', async () => {
    const list = await rtc('tool', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { tools: { name: string }[] }).tools).toHaveLength(10);
    const called = await rtc('tool', 'get_callers', '{"name": "applyDiscount"}', '--repo', repo);
    expect(called.code, called.stderr).toBe(0);
    expect(called.stdout).toMatch(/applyDiscount.*caller/);
    const bad = await rtc('tool', 'get_context', '{"task": 3}', '--repo', repo);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\/task must be string/);
    const notJson = await rtc('tool', 'search', '{oops', '--repo', repo);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/JSON object/);
  }, 120_000);
});

describe('rtc lsp', () => {
  it('speaks LSP on stdio and exits 0 after shutdown and exit', async () => {
    const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: repo });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
    try {
      const init = await connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(repo).href,
        capabilities: {},
        workspaceFolders: [{ uri: pathToFileURL(repo).href, name: 'ts-shop' }],
      });
      expect(init.capabilities).toHaveProperty('definitionProvider');
      await connection.sendNotification('initialized', {});
      const symbols = await connection.sendRequest<{ name: string }[]>('workspace/symbol', {
        query: 'applyDiscount',
      });
      expect(symbols.map((s) => s.name)).toContain('applyDiscount');
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    }
    expect(await exited(child)).toBe(0);
    connection.dispose();
  }, 120_000);
});
