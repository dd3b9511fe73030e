/**
 * @module interfaces/lsp
 * The LSP server (`rtc lsp`): navigation over the live graph of the workspace folders, and `rtc/context`.
 */
export { startLspServer } from './server.js';
export type { LspServerOptions } from './server.js';
export { CONTEXT_PARAMS_SCHEMA, CONTEXT_REQUEST } from './context-request.js';
export type { ContextParams, ContextResponse } from './context-request.js';
export { LSP_ERROR_CODES } from './errors.js';
export type { LspErrorData } from './errors.js';
