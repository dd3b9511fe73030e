/**
 * @module interfaces/cli/commands/retrieval
 * `rtc query` and `rtc context`: retrieval over the index.
 */
import type { Command } from 'commander';
import type { CliContext } from '../program.js';

/** Adds `query` and `context` to the program. */
export function registerRetrievalCommands(program: Command, context: CliContext): void {
  void program;
  void context;
}
