/**
 * @module interfaces/lsp/errors
 * The one table from engine error codes to LSP/JSON-RPC error codes, and the guard every request handler
 * runs in: whatever a handler throws becomes an error response (with the engine code in `data`), never a
 * crash of the server.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { CancellationToken } from 'vscode-languageserver/node';
import { ERROR_CODES, isEngineError } from '../../base/index.js';
import type { ErrorCode, Logger } from '../../base/index.js';

/** Engine error code → the error code of the LSP response. */
export const LSP_ERROR_CODES: Readonly<Record<ErrorCode, number>> = {
  [ERROR_CODES.INVALID_ARGUMENT]: ErrorCodes.InvalidParams,
  [ERROR_CODES.NOT_FOUND]: LSPErrorCodes.RequestFailed,
  [ERROR_CODES.UNSUPPORTED_LANGUAGE]: ErrorCodes.InvalidParams,
  [ERROR_CODES.IO_ERROR]: LSPErrorCodes.RequestFailed,
  [ERROR_CODES.GRAMMAR_LOAD_FAILED]: ErrorCodes.InternalError,
  [ERROR_CODES.QUERY_INVALID]: ErrorCodes.InternalError,
  [ERROR_CODES.CANCELLED]: LSPErrorCodes.RequestCancelled,
  [ERROR_CODES.INDEX_MISSING]: LSPErrorCodes.RequestFailed,
  [ERROR_CODES.INDEX_TOO_NEW]: LSPErrorCodes.RequestFailed,
  [ERROR_CODES.INDEX_LOCKED]: LSPErrorCodes.RequestFailed,
  [ERROR_CODES.STORE_FAILED]: LSPErrorCodes.RequestFailed,
  [ERROR_CODES.INTERNAL]: ErrorCodes.InternalError,
};

/** What an error response carries besides code and message. */
export interface LspErrorData {
  /** The engine's error code (`RTC_NOT_FOUND`…), absent for unexpected failures. */
  rtcCode?: ErrorCode;
}

/** Any failure as a {@link ResponseError}: engine errors through the table, the rest as internal errors. */
export function toResponseError(error: unknown, logger?: Logger): ResponseError<LspErrorData> {
  if (error instanceof ResponseError) return error as ResponseError<LspErrorData>;
  if (isEngineError(error))
    return new ResponseError(LSP_ERROR_CODES[error.code], error.message, { rtcCode: error.code });
  logger?.error(
    `LSP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return new ResponseError(
    ErrorCodes.InternalError,
    `Internal error: ${error instanceof Error ? error.message : String(error)}`,
    {},
  );
}

/**
 * A request handler that answers an error response instead of throwing. (The library types the error data of
 * standard requests as `void`; the response carries {@link LspErrorData} all the same.)
 */
export function guard<P, R>(
  logger: Logger,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<never>> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (error) {
      return toResponseError(error, logger) as ResponseError<never>;
    }
  };
}

/** An AbortSignal that follows a request's cancellation token. */
export function signalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else
    token.onCancellationRequested(() => {
      controller.abort();
    });
  return controller.signal;
}
