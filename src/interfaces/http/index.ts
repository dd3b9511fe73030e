/**
 * @module interfaces/http
 * The HTTP interface (`rtc serve`): a JSON API over the engine's workspace set (retrieval, files, unsaved
 * buffers, folders, the tool catalogue, feedback, OpenAI-compatible chat with context, update events), the
 * web page, Prometheus metrics and an OpenAPI document. See src/interfaces/http/README.md.
 */
export { createHttpApp } from './app.js';
export type { HttpApp, HttpAppOptions, McpHttpHandler } from './app.js';
export { DEFAULT_PORT, startHttpServer } from './server.js';
export { isLoopbackHost } from './loopback.js';
export type { HttpServer, HttpServerOptions } from './server.js';
export { HTTP_ERROR_CODES, STATUS_BY_CODE } from './errors.js';
