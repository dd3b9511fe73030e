/**
 * @module interfaces/cli
 * The command-line interface.
 */
export { runCli, buildProgram, findRepositoryRoot } from './program.js';
export type { CliIo } from './program.js';
export { EXIT } from './exit-codes.js';
export { DEFAULT_PORT } from './commands/servers.js';
export type { ServeStartOptions, ServerStarters } from './commands/servers.js';
