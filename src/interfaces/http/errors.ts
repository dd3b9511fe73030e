/**
 * @module interfaces/http/errors
 * The one table from engine error codes to HTTP statuses, the errors only HTTP has (a body too large, a
 * missing token, a wrong method), and the JSON body every error gets:
 * `{ "error": { "code": "RTC_…", "message": "…" } }`.
 */
import { ERROR_CODES, isEngineError } from '../../base/index.js';
import type { ErrorCode } from '../../base/index.js';

/** Codes of failures that only the HTTP interface knows. */
export const HTTP_ERROR_CODES = {
  PAYLOAD_TOO_LARGE: 'RTC_PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'RTC_UNSUPPORTED_MEDIA_TYPE',
  UNAUTHORIZED: 'RTC_UNAUTHORIZED',
  HOST_NOT_ALLOWED: 'RTC_HOST_NOT_ALLOWED',
  ROUTE_NOT_FOUND: 'RTC_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'RTC_METHOD_NOT_ALLOWED',
  CHAT_UNCONFIGURED: 'RTC_CHAT_UNCONFIGURED',
  UPSTREAM_FAILED: 'RTC_UPSTREAM_FAILED',
} as const;

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[keyof typeof HTTP_ERROR_CODES];

/** An error of the HTTP layer itself, with its status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: HttpErrorCode | ErrorCode;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: HttpErrorCode | ErrorCode,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
  }
}

/** Engine code → HTTP status (the one table; codes not listed are 500). */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  [ERROR_CODES.INVALID_ARGUMENT]: 400,
  [ERROR_CODES.QUERY_INVALID]: 400,
  [ERROR_CODES.UNSUPPORTED_LANGUAGE]: 400,
  [ERROR_CODES.NOT_FOUND]: 404,
  [ERROR_CODES.INDEX_LOCKED]: 409,
  [ERROR_CODES.INDEX_MISSING]: 503,
  [ERROR_CODES.INDEX_TOO_NEW]: 503,
  [ERROR_CODES.CANCELLED]: 499,
  [ERROR_CODES.IO_ERROR]: 500,
  [ERROR_CODES.GRAMMAR_LOAD_FAILED]: 500,
  [ERROR_CODES.STORE_FAILED]: 500,
  [ERROR_CODES.INTERNAL]: 500,
};

/** The wire body of an error. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** What a thrown value becomes on the wire: status, body and extra headers. */
export function toWireError(error: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  internal: boolean;
} {
  if (error instanceof HttpError)
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message } },
      headers: error.headers,
      internal: false,
    };
  if (isEngineError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    return {
      status,
      body: { error: { code: error.code, message: error.message } },
      headers: {},
      internal: status >= 500,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: { error: { code: ERROR_CODES.INTERNAL, message: `Internal error: ${message}` } },
    headers: {},
    internal: true,
  };
}
