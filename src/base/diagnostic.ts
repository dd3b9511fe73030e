/**
 * @module base/diagnostic
 * Diagnostics: broken input is data, reported beside a result, never thrown.
 */
import type { Range } from './range.js';

/** How serious a diagnostic is. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in the input, with where it is. */
export interface Diagnostic {
  readonly severity: Severity;
  /** A stable, prefixed code such as `PARSE_SYNTAX_ERROR`. */
  readonly code: string;
  readonly message: string;
  /** Repository-relative path, when the diagnostic belongs to a file. */
  readonly path?: string;
  readonly range?: Range;
}

/** A value together with the diagnostics found while computing it (parsing never fails). */
export interface WithDiagnostics<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}
