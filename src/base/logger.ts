/**
 * @module base/logger
 * The Logger interface that library code receives instead of writing to the console.
 */

/** Where the engine reports what it does; the CLI writes it to stderr, tests collect it. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything. */
export const SILENT_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
