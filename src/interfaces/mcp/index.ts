/**
 * @module interfaces/mcp
 * The MCP interface: a server over the engine's tool catalogue and resources, on stdio (`rtc mcp`) and on
 * Streamable HTTP (mounted by the HTTP server at `/mcp`).
 */
export { createMcpServer, MCP_SERVER_NAME } from './server.js';
export type { McpProtocolServer, McpServerOptions } from './server.js';
export { runMcpStdio } from './stdio.js';
export type { McpStdioOptions } from './stdio.js';
export { createMcpHttpHandler } from './http.js';
export type { McpHttpHandler, McpHttpOptions } from './http.js';
export { MCP_ERROR_CODES } from './errors.js';
export { FILE_URI_PREFIX, fileUri, SYMBOL_URI_PREFIX, symbolUri } from './resources.js';
