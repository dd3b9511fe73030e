/**
 * @module base
 * Shared vocabulary of every layer: ranges, diagnostics, errors, hashes, the logger.
 */
export type { Position, Range } from './range.js';
export { makeRange, rangeContains, comparePositions, formatRange } from './range.js';
export type { Diagnostic, Severity, WithDiagnostics } from './diagnostic.js';
export { ERROR_CODES, EngineError, isEngineError, throwIfCancelled } from './errors.js';
export type { ErrorCode } from './errors.js';
export { fingerprint128, fmix32, hash64, contentHash } from './hash.js';
export type { Logger } from './logger.js';
export { SILENT_LOGGER } from './logger.js';
export { ownGet, ownSetDefault } from './records.js';
export { codeTokens, splitIdentifier } from './tokens.js';
