/**
 * @module interfaces/cli/commands/servers
 * `rtc serve` (the HTTP API, the web page and MCP over Streamable HTTP) and `rtc mcp` (MCP on stdio). The
 * servers live in their own interface folders, which the CLI may not import: the composition root
 * (bin/rtc.ts) hands their start functions in as {@link ServerStarters}.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import type { IndexOptions } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';

/** What `rtc serve` asks of the HTTP server. */
export interface ServeStartOptions {
  repos: string[];
  host: string;
  port: number;
  token?: string;
  watch: boolean;
  /** `--db`, `--workers`, `--max-file-size`. */
  indexing: IndexOptions;
}

/** The servers' start functions, injected by the composition root. */
export interface ServerStarters {
  /** Starts the HTTP server; resolves once it listens. */
  serve?: (options: ServeStartOptions) => Promise<{ url: string; close: () => Promise<void> }>;
  /** Runs the LSP server on stdio; resolves when the client has gone. */
  lsp?: (options: { repo: string; indexing: IndexOptions }) => Promise<void>;
  /** Runs the MCP server on stdio; resolves when the client has gone. */
  mcp?: (options: { repo: string; indexing: IndexOptions }) => Promise<void>;
}

/** The default port of `rtc serve`. */
export const DEFAULT_PORT = 7421;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port (0–65535)');
  return n;
}

function unavailable(what: string): never {
  throw new EngineError(ERROR_CODES.INTERNAL, `This build of rtc has no ${what}`);
}

/** Resolves on the first SIGINT or SIGTERM, with its name. */
export function interrupted(): Promise<string> {
  return new Promise<string>((done) => {
    const stop = (signal: string) => () => {
      done(signal);
    };
    process.once('SIGINT', stop('SIGINT'));
    process.once('SIGTERM', stop('SIGTERM'));
  });
}

export function registerServerCommands(program: Command, context: CliContext, servers: ServerStarters): void {
  const { io, withCommon, repoOf } = context;
  /** The index options of `--db`, `--workers` and `--max-file-size` (no progress bar: servers log). */
  const indexing = (options: CommonOptions, folders = 1): IndexOptions => {
    if (options.db !== undefined && folders > 1)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        '--db names the index of one folder: serve one folder with it',
      );
    const rest = context.indexOptions(options);
    delete rest.onProgress;
    return rest;
  };

  withCommon(
    program
      .command('serve')
      .description(
        'Serve the HTTP API (/v1: context, search, symbols, graph, files, documents, workspaces, tools, feedback, chat), the web page and MCP (Streamable HTTP at /mcp), keeping the index live',
      )
      .argument('[dirs...]', 'more workspace folders to serve besides --repo')
      .option('--host <host>', 'address to bind (any address other than loopback needs --token)', '127.0.0.1')
      .addOption(new Option('--port <n>', 'port (0: any free port)').argParser(port).default(DEFAULT_PORT))
      .addOption(
        new Option('--token <token>', 'bearer token every request must carry (required off loopback)').env(
          'RTC_TOKEN',
        ),
      )
      .option('--no-watch', 'do not watch the files (updates come only from /v1/documents and reindex)')
      .addHelpText(
        'after',
        `
Runs until interrupted (Ctrl-C, SIGTERM). With --json, prints one line {"url": …} once it listens.

Examples:
  rtc serve                                   http://127.0.0.1:${DEFAULT_PORT}/ (the web page), /v1/…, /mcp
  rtc serve --port 0 --json                   any free port; the URL as JSON
  RTC_TOKEN=secret rtc serve --host 0.0.0.0   reachable from other machines, with a bearer token
  curl -s localhost:${DEFAULT_PORT}/v1/context -H 'content-type: application/json' \\
       -d '{"query":"where is the config parsed","budget":2000}'`,
      ),
    true,
    false,
  ).action(
    async (
      dirs: string[],
      options: CommonOptions & { host: string; port: number; token?: string; watch: boolean },
    ) => {
      const start = servers.serve ?? unavailable('HTTP server');
      const repos = [repoOf(options), ...dirs.map((dir) => repoOf({ ...options, repo: dir }))];
      const stopped = interrupted();
      const server = await start({
        repos,
        host: options.host,
        port: options.port,
        watch: options.watch,
        indexing: indexing(options, repos.length),
        ...(options.token ? { token: options.token } : {}),
      });
      try {
        if (options.json) io.out(JSON.stringify({ url: server.url, repos }));
        else
          io.err(
            `serving ${repos.join(', ')} at ${server.url} (web page /, API /v1, MCP /mcp); Ctrl-C to stop`,
          );
        const signal = await stopped;
        if (!options.json) io.err(`${signal}: stopping`);
      } finally {
        await server.close();
      }
    },
  );

  withCommon(
    program
      .command('mcp')
      .description(
        'Run the MCP server on stdio (tools get_context, search, find_symbol, find_references, get_callers, get_callees, get_graph, index_status, reindex, feedback; file and symbol resources), keeping the index live',
      )
      .option('--stdio', 'use stdio (the default and only transport here; `rtc serve` has /mcp over HTTP)')
      .addHelpText(
        'after',
        `
Assistants start it as a command, for example (Claude Code):
  claude mcp add rtc -- npx rtc mcp --repo /path/to/repo`,
      ),
    true,
    false,
  ).action(async (options: CommonOptions) => {
    const run = servers.mcp ?? unavailable('MCP server');
    await run({ repo: repoOf(options), indexing: indexing(options) });
  });

  withCommon(
    program
      .command('lsp')
      .description(
        'Run the language server on stdio: definitions, references, symbols, call hierarchy, hover, and the rtc/context request, over a live index fed by the editor’s buffers',
      )
      .option('--stdio', 'use stdio (the default and only transport)')
      .addOption(
        // VS Code's node client adds it; the server exits with the client through stdin's end anyway.
        new Option('--clientProcessId <pid>', 'the editor process (accepted and ignored)').hideHelp(),
      ),
    true,
    false,
  ).action(async (options: CommonOptions) => {
    const run = servers.lsp ?? unavailable('language server');
    await run({ repo: repoOf(options), indexing: indexing(options) });
  });
}
