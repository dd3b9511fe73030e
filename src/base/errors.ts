/**
 * @module base/errors
 * The one error type of the engine. Broken source code is not an error (see diagnostic.ts);
 * these are real failures: a missing file, an unknown language, a bad argument, a cancelled operation.
 */

/** Error codes, prefixed by area. Interfaces map each to their own wire code (HTTP status, exit code…). */
export const ERROR_CODES = {
  INVALID_ARGUMENT: 'RTC_INVALID_ARGUMENT',
  NOT_FOUND: 'RTC_NOT_FOUND',
  UNSUPPORTED_LANGUAGE: 'RTC_UNSUPPORTED_LANGUAGE',
  IO_ERROR: 'RTC_IO_ERROR',
  GRAMMAR_LOAD_FAILED: 'RTC_GRAMMAR_LOAD_FAILED',
  QUERY_INVALID: 'RTC_QUERY_INVALID',
  CANCELLED: 'RTC_CANCELLED',
  /** No index where one was expected. */
  INDEX_MISSING: 'RTC_INDEX_MISSING',
  /** The index was written by a newer version (its schema is unknown here). */
  INDEX_TOO_NEW: 'RTC_INDEX_TOO_NEW',
  /** Another process is writing the index. */
  INDEX_LOCKED: 'RTC_INDEX_LOCKED',
  /** The index could not be read or written (a full disk, a corrupt file). */
  STORE_FAILED: 'RTC_STORE_FAILED',
  INTERNAL: 'RTC_INTERNAL',
} as const;

/** One of the values of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** A real failure of the engine, with a code that interfaces translate. */
export class EngineError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** Whether `error` is an {@link EngineError}, optionally with the given code. */
export function isEngineError(error: unknown, code?: ErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/** Throws {@link ERROR_CODES.CANCELLED} when the signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError(ERROR_CODES.CANCELLED, 'Operation cancelled');
}
