/**
 * @module interfaces/mcp/errors
 * The one table from engine error codes to MCP: a failed protocol request (`resources/read`) answers with
 * the JSON-RPC code of this table; a failed tool call answers with a tool result marked `isError` whose text
 * is the engine's message (the MCP convention: the model reads the error and can correct its call).
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ERROR_CODES, isEngineError } from '../../base/index.js';
import type { ErrorCode as EngineErrorCode, Logger } from '../../base/index.js';

/** JSON-RPC code of "resource not found" (MCP specification, resources). */
export const RESOURCE_NOT_FOUND = -32002;

/** Engine error code → JSON-RPC error code of a failed MCP request. */
export const MCP_ERROR_CODES: Readonly<Record<EngineErrorCode, number>> = {
  [ERROR_CODES.INVALID_ARGUMENT]: ErrorCode.InvalidParams,
  [ERROR_CODES.NOT_FOUND]: RESOURCE_NOT_FOUND,
  [ERROR_CODES.UNSUPPORTED_LANGUAGE]: ErrorCode.InvalidParams,
  [ERROR_CODES.IO_ERROR]: ErrorCode.InternalError,
  [ERROR_CODES.GRAMMAR_LOAD_FAILED]: ErrorCode.InternalError,
  [ERROR_CODES.QUERY_INVALID]: ErrorCode.InternalError,
  [ERROR_CODES.CANCELLED]: ErrorCode.RequestTimeout,
  [ERROR_CODES.INDEX_MISSING]: ErrorCode.InternalError,
  [ERROR_CODES.INDEX_TOO_NEW]: ErrorCode.InternalError,
  [ERROR_CODES.INDEX_LOCKED]: ErrorCode.InternalError,
  [ERROR_CODES.STORE_FAILED]: ErrorCode.InternalError,
  [ERROR_CODES.INTERNAL]: ErrorCode.InternalError,
};

/** Any failure of a protocol request as an {@link McpError} (engine errors through the table). */
export function toMcpError(error: unknown, logger?: Logger): McpError {
  if (error instanceof McpError) return error;
  if (isEngineError(error))
    return new McpError(MCP_ERROR_CODES[error.code], error.message, { rtcCode: error.code });
  logger?.error(`MCP request failed: ${describe(error)}`);
  return new McpError(ErrorCode.InternalError, `Internal error: ${messageOf(error)}`);
}

/** A failed tool call as a tool result marked `isError`. */
export function toolErrorResult(error: unknown, logger?: Logger): CallToolResult {
  let text: string;
  if (isEngineError(error)) text = error.message;
  else {
    logger?.error(`MCP tool call failed: ${describe(error)}`);
    text = `Internal error: ${messageOf(error)}`;
  }
  return {
    isError: true,
    content: [{ type: 'text', text }],
    ...(isEngineError(error) ? { _meta: { 'rtc/errorCode': error.code } } : {}),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
