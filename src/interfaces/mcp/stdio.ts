/**
 * @module interfaces/mcp/stdio
 * `rtc mcp`: the MCP server on standard input and output, over one repository, watched. Only MCP messages go
 * to stdout (logs go to the injected logger, which the CLI points at stderr). The server answers
 * `initialize` at once and its requests wait while the repository is being indexed; it ends when stdin
 * ends (the client closed it) or the signal aborts, and then closes the workspace.
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../../base/index.js';
import { WorkspaceSet } from '../../engine/index.js';
import type { IndexOptions } from '../../engine/index.js';
import { createMcpServer } from './server.js';
import type { McpServerOptions } from './server.js';

export interface McpStdioOptions extends McpServerOptions {
  /** The repository served. */
  repo: string;
  logger?: Logger;
  /** Watch the repository's files (default true). */
  watch?: boolean;
  /** How the repository is indexed (index folder, parser threads, file size limit). */
  indexing?: IndexOptions;
  /** Stops the server (as the end of stdin does). */
  signal?: AbortSignal;
  /** Default process.stdin. */
  stdin?: Readable;
  /** Default process.stdout. */
  stdout?: Writable;
}

/**
 * Serves MCP on stdio until the client goes away; resolves then, once the workspace is closed. Rejects
 * when the repository cannot be opened (after closing the transport).
 */
export async function runMcpStdio(options: McpStdioOptions): Promise<void> {
  const { repo, logger, signal } = options;
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const opening = WorkspaceSet.open([repo], {
    ...options.indexing,
    watch: options.watch ?? true,
    ...(logger ? { logger } : {}),
  });
  const server = createMcpServer(opening, options);
  const transport = new StdioServerTransport(stdin, stdout);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  const stop = (): void => {
    void server.close().catch(() => undefined);
  };
  stdin.once('end', stop);
  stdin.once('close', stop);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await server.connect(transport);
    if (signal?.aborted) stop();
    let set: WorkspaceSet;
    try {
      set = await opening;
    } catch (error) {
      stop();
      await closed;
      throw error;
    }
    logger?.info(`MCP server on stdio for ${set.get().root}`);
    await closed;
    await set.close();
  } finally {
    stdin.off('end', stop);
    stdin.off('close', stop);
    signal?.removeEventListener('abort', stop);
  }
}
