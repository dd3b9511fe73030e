/**
 * @module test/mcp/server-main
 * The MCP server on stdio over the repository given as the first argument, as `rtc mcp --repo` runs it:
 * spawned by the stdio tests (`node --import tsx test/mcp/server-main.ts <repo>`). Logs go to stderr.
 */
import { runMcpStdio } from '../../src/interfaces/mcp/index.js';

const repo = process.argv[2];
if (repo === undefined) {
  process.stderr.write('usage: server-main.ts <repo>\n');
  process.exit(2);
}
const log = (level: string) => (message: string) => process.stderr.write(`[${level}] ${message}\n`);
await runMcpStdio({
  repo,
  logger: { debug: () => undefined, info: log('info'), warn: log('warn'), error: log('error') },
});
process.stderr.write('[info] MCP server stopped\n');
