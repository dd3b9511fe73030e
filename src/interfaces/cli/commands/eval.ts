/**
 * @module interfaces/cli/commands/eval
 * `rtc eval`: the evaluation harness.
 */
import type { Command } from 'commander';
import type { CliContext } from '../program.js';

/** Adds `eval` to the program. */
export function registerEvalCommand(program: Command, context: CliContext): void {
  void program;
  void context;
}
