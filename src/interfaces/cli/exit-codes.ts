/**
 * @module interfaces/cli/exit-codes
 * The CLI's exit codes, and the one table from engine error codes to them.
 */
import { ERROR_CODES } from '../../base/index.js';
import type { ErrorCode } from '../../base/index.js';

export const EXIT = {
  OK: 0,
  /** The operation failed (IO, internal error). */
  FAILURE: 1,
  /** Bad usage: unknown option, invalid argument. */
  USAGE: 2,
  /** What was asked for does not exist (file, symbol). */
  NOT_FOUND: 3,
  /** The index cannot be used: missing, written by a newer version, or locked by another writer. */
  INDEX_UNUSABLE: 4,
  /** Cancelled by the user (Ctrl-C). */
  CANCELLED: 130,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  [ERROR_CODES.INVALID_ARGUMENT]: EXIT.USAGE,
  [ERROR_CODES.NOT_FOUND]: EXIT.NOT_FOUND,
  [ERROR_CODES.UNSUPPORTED_LANGUAGE]: EXIT.USAGE,
  [ERROR_CODES.IO_ERROR]: EXIT.FAILURE,
  [ERROR_CODES.GRAMMAR_LOAD_FAILED]: EXIT.FAILURE,
  [ERROR_CODES.QUERY_INVALID]: EXIT.FAILURE,
  [ERROR_CODES.CANCELLED]: EXIT.CANCELLED,
  [ERROR_CODES.INTERNAL]: EXIT.FAILURE,
  [ERROR_CODES.INDEX_MISSING]: EXIT.INDEX_UNUSABLE,
  [ERROR_CODES.INDEX_TOO_NEW]: EXIT.INDEX_UNUSABLE,
  [ERROR_CODES.INDEX_LOCKED]: EXIT.INDEX_UNUSABLE,
  [ERROR_CODES.STORE_FAILED]: EXIT.FAILURE,
};

/** The exit code for an engine error code. */
export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code];
}
