#!/usr/bin/env node
/**
 * @module bin/rtc
 * The `rtc` executable, and the composition root of the interfaces: the CLI runs the servers (HTTP with the
 * web page and MCP over Streamable HTTP, MCP on stdio, LSP on stdio) that are handed to it here, since
 * interfaces never import each other.
 */
import type { Logger } from '../base/index.js';
import { runCli } from '../interfaces/cli/index.js';
import { startHttpServer } from '../interfaces/http/index.js';
import { startLspServer } from '../interfaces/lsp/index.js';
import { createMcpHttpHandler, runMcpStdio } from '../interfaces/mcp/index.js';

/** Logs to stderr: stdout belongs to the protocol (MCP, LSP on stdio) or to the command's output. */
const stderrLogger: Logger = {
  debug: () => undefined,
  info: (message) => process.stderr.write(`rtc: ${message}\n`),
  warn: (message) => process.stderr.write(`rtc: warning: ${message}\n`),
  error: (message) => process.stderr.write(`rtc: error: ${message}\n`),
};

const code = await runCli(
  process.argv,
  {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(text.startsWith('\r') ? text : `${text}\n`),
    isTty: process.stderr.isTTY,
    cwd: process.cwd(),
  },
  {
    serve: (options) =>
      startHttpServer({
        ...options,
        logger: stderrLogger,
        mcp: (set) => createMcpHttpHandler(set, { logger: stderrLogger }),
      }),
    mcp: (options) => runMcpStdio({ ...options, logger: stderrLogger }),
    lsp: (options) => startLspServer({ ...options, input: process.stdin, output: process.stdout }),
  },
);
process.exitCode = code;
