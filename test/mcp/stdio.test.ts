/**
 * @module test/mcp/stdio
 * `rtc mcp` as a child process (test/mcp/server-main.ts), reached with the SDK's stdio client: the
 * contract of test/mcp/mcp-contract.ts, then the server stops by itself when the client closes stdin.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { runMcpStdio } from '../../src/interfaces/mcp/index.js';
import { fixtureCopy } from '../support/index.js';
import { runMcpContract } from './mcp-contract.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'test', 'mcp', 'server-main.ts');

runMcpContract('stdio', async () => {
  const copy = fixtureCopy(['ts-shop']);
  const repo = join(copy.dir, 'ts-shop');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', SCRIPT, repo],
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'rtc-test', version: '0.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    copy.remove();
    throw new Error(`The stdio server did not start: ${stderr}`, { cause: error });
  }
  const pid = transport.pid;
  return {
    client,
    repo,
    async close() {
      await client.close();
      // The server ends when its stdin ends: the process is gone, and it said so on stderr.
      const alive = pid !== null && isAlive(pid);
      copy.remove();
      if (alive) throw new Error(`The stdio server is still running after the client closed: ${stderr}`);
      if (!stderr.includes('MCP server stopped'))
        throw new Error(`The stdio server did not stop cleanly: ${stderr}`);
    },
  };
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('MCP over stdio: the streams', () => {
  it('writes nothing but JSON-RPC messages to stdout, and exits 0 when stdin ends', async () => {
    const copy = fixtureCopy(['ts-shop']);
    const repo = join(copy.dir, 'ts-shop');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, repo], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const answered = new Set<number>();
      let allAnswered: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (allAnswered = resolve));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        for (const line of stdout.split('\n').slice(0, -1)) {
          const message = JSON.parse(line) as { id?: number };
          if (typeof message.id === 'number') answered.add(message.id);
        }
        if (answered.size === 3) allAnswered();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      const send = (message: object): void => {
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
      };
      send({
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '0' },
        },
      });
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/call', params: { name: 'reindex', arguments: {} } });
      send({
        id: 3,
        method: 'tools/call',
        params: { name: 'find_symbol', arguments: { name: 'factorial' } },
      });
      await Promise.race([done, exited.then(() => Promise.reject(new Error(`exited early: ${stderr}`)))]);
      child.stdin.end();
      expect(await exited).toBe(0);
      const lines = stdout.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
      expect(stdout).toContain('src/util/math.ts');
      expect(stderr).toContain('MCP server stopped');
    } finally {
      copy.remove();
    }
  });

  it('rejects when the repository cannot be opened', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    await expect(
      runMcpStdio({ repo: join(ROOT, 'no', 'such', 'repository'), stdin, stdout, watch: false }),
    ).rejects.toThrow(/No such folder/);
  });
});
