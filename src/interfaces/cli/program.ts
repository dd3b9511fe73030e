/**
 * @module interfaces/cli/program
 * The `rtc` command line: every command, its options and help, over the engine API.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ERROR_CODES, EngineError, isEngineError } from '../../base/index.js';
import { createWriteStream } from 'node:fs';
import {
  exportRecords,
  indexWorkspace,
  LANGUAGES,
  openIndex,
  openWorkspace,
  syntaxTree,
} from '../../engine/index.js';
import type { IndexOptions, OpenOptions, Workspace } from '../../engine/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import {
  formatCallees,
  formatCallers,
  formatIndexReport,
  formatReferences,
  formatSummary,
  formatSymbol,
} from './format.js';
import { progressReporter } from './progress.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerLearnCommand } from './commands/learn.js';
import { registerLiveCommands } from './commands/live.js';
import { registerRetrievalCommands } from './commands/retrieval.js';
import { registerServerCommands } from './commands/servers.js';
import { registerToolCommand } from './commands/tools.js';
import { registerPolicyCommands } from './commands/policy.js';
import type { ServerStarters } from './commands/servers.js';
import { nonNegative } from './arguments.js';

/** Where output goes; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown only then). */
  isTty: boolean;
  cwd: string;
}

const VERSION = '0.1.0';

/** The repository containing `dir`: the nearest folder above it with a `.git` or an `.rtc`, or `dir` itself. */
export function findRepositoryRoot(dir: string): string {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git')) || existsSync(join(current, '.rtc'))) return current;
    const parent = dirname(current);
    if (parent === current) return resolve(dir);
    current = parent;
  }
}

export interface CommonOptions {
  repo?: string;
  db?: string;
  /** `--no-refresh` sets it to false. */
  refresh?: boolean;
  json?: boolean;
  workers?: number;
  maxFileSize?: number;
}

/** What the commands of other files (`commands/*.ts`) share with the program. */
export interface CliContext {
  io: CliIo;
  /** Adds `--repo`, `--db`, `--no-refresh` (when asked), `--json`, `--workers`, `--max-file-size`. */
  withCommon: (command: Command, repoOption?: boolean, refreshOption?: boolean) => Command;
  /** Opens the index of a repository, refreshed first unless `--no-refresh`; runs `use`, then closes it. */
  withIndex: <T>(
    repo: string,
    options: CommonOptions,
    use: (workspace: Workspace) => T | Promise<T>,
    refresh?: 'always' | 'missing',
  ) => Promise<T>;
  /** The repository of `--repo`, or the one containing the current folder. */
  repoOf: (options: CommonOptions) => string;
  indexOptions: (options: CommonOptions) => IndexOptions;
  /** Prints JSON with `--json`, else the text. */
  print: (options: CommonOptions, json: unknown, text: () => string) => void;
}

/** Builds the program. `io` receives all output. */
export function buildProgram(io: CliIo, servers: ServerStarters = {}): Command {
  const program = new Command('rtc');
  program
    .description(
      'Real-time Context: parses a repository with tree-sitter into an Abstract Semantic Graph (functions, classes, calls, data flow, types, imports across files) and answers questions about it.',
    )
    .version(VERSION, '-v, --version')
    .configureOutput({
      writeOut: (s) => {
        io.out(s.replace(/\n$/, ''));
      },
      writeErr: (s) => {
        io.err(s.replace(/\n$/, ''));
      },
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Languages: ${LANGUAGES.map((l) => `${l.displayName}${l.support === 'basic' ? '*' : ''}`).join(', ')}  (* definitions and calls only)

Exit codes: 0 success, 1 failure, 2 bad usage, 3 not found (file or symbol), 4 index unusable (missing,
newer version, locked), 130 cancelled.

The index lives in <repo>/.rtc (--db moves it). Queries bring it up to date first (only changed files are
parsed); --no-refresh reads it as it is.

Examples:
  rtc index                               index the current repository (again: only what changed)
  rtc query "why does login fail"         the files and symbols that matter for a task, with reasons
  rtc context "add a retry option"        that code packed in a token budget, for an assistant
  rtc eval --max-instances 50             measure retrieval on this repository's own history
  rtc stats                               what the index holds
  rtc serve                               the HTTP API, the web page and MCP at http://127.0.0.1:7421
  rtc mcp                                 the MCP server on stdio, for assistants
  rtc lsp --stdio                         the language server, for editors
  rtc ast src/app.py                      the syntax tree of a file
  rtc asg src/app.py --format mermaid     its semantic graph as a Mermaid flowchart
  rtc graph . --symbol handleRequest      the neighbourhood of a symbol, as JSON
  rtc callers parseConfig                 who calls parseConfig in this repository
  rtc symbols 'User*' --kind class        classes whose name starts with User
  rtc export --format jsonl > graph.jsonl one line per node with its relations, for embedding elsewhere`,
    );

  const withCommon = (command: Command, repoOption = true, refreshOption = true): Command => {
    if (repoOption) {
      command
        .option('--repo <dir>', 'repository (default: the repository containing the current folder)')
        .option('--db <dir>', 'index folder (default: <repo>/.rtc)');
      if (refreshOption) command.option('--no-refresh', 'read the index as it is, without updating it first');
    }
    return command
      .option('--json', 'print JSON for scripts')
      .addOption(
        new Option(
          '--workers <n>',
          'parser threads (default: one per core for large repositories)',
        ).argParser(nonNegative),
      )
      .addOption(
        new Option('--max-file-size <bytes>', 'skip files larger than this (default 1000000)').argParser(
          nonNegative,
        ),
      );
  };

  /** Indexes a file or folder in memory (`rtc asg`: no index needed). */
  const open = async (target: string, options: CommonOptions): Promise<Workspace> => {
    const openOptions: OpenOptions = {};
    if (options.workers !== undefined) openOptions.workers = options.workers;
    if (options.maxFileSize !== undefined) openOptions.maxFileBytes = options.maxFileSize;
    if (io.isTty && !options.json) {
      const report = progressReporter(io);
      openOptions.onProgress = (done, total, bytes) => {
        report({ phase: 'parse', done, total, bytes });
      };
    }
    return openWorkspace(target, openOptions);
  };
  const indexOptions = (options: CommonOptions): IndexOptions => ({
    ...(options.db !== undefined ? { dbDir: resolve(io.cwd, options.db) } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.maxFileSize !== undefined ? { maxFileBytes: options.maxFileSize } : {}),
    ...(io.isTty && !options.json ? { onProgress: progressReporter(io) } : {}),
  });
  /** Opens the index of a repository, refreshed first unless `--no-refresh`; runs `use`, then closes it. */
  const withIndex = async <T>(
    repo: string,
    options: CommonOptions,
    use: (workspace: Workspace) => T | Promise<T>,
    refresh: 'always' | 'missing' = 'always',
  ): Promise<T> => {
    const workspace = await openIndex(repo, {
      ...indexOptions(options),
      refresh: options.refresh === false ? 'never' : refresh,
      onRefreshError: (error) => {
        io.err(`rtc: warning: the index was not brought up to date (${error.message}); reading it as it is`);
      },
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message) => {
          io.err(`rtc: warning: ${message}`);
        },
        error: (message) => {
          io.err(`rtc: error: ${message}`);
        },
      },
    });
    try {
      return await use(workspace);
    } finally {
      await workspace.close();
    }
  };
  const repoOf = (options: CommonOptions): string =>
    options.repo ? resolve(io.cwd, options.repo) : findRepositoryRoot(io.cwd);
  const print = (options: CommonOptions, json: unknown, text: () => string): void => {
    io.out(options.json ? JSON.stringify(json, null, 2) : text());
  };
  const requireFound = (found: unknown[], name: string): void => {
    if (found.length === 0) throw new EngineError(ERROR_CODES.NOT_FOUND, `No symbol named ${name}`);
  };

  program
    .command('ast')
    .description(
      'Print the syntax tree of a file, with field names (text), as JSON, or as a Mermaid flowchart',
    )
    .argument('<file>', 'source file')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'mermaid'])
        .default('text'),
    )
    .option('--json', 'same as --format json')
    .option('--language <id>', `parse as this language (${LANGUAGES.map((l) => l.id).join(', ')})`)
    .addOption(
      new Option('--max-depth <n>', 'cut the tree below this depth').argParser(nonNegative).default(400),
    )
    .addOption(
      new Option('--max-nodes <n>', 'show at most this many nodes').argParser(nonNegative).default(50_000),
    )
    .action(
      async (
        file: string,
        options: {
          format: 'text' | 'json' | 'mermaid';
          json?: boolean;
          language?: string;
          maxDepth: number;
          maxNodes: number;
        },
      ) => {
        const format = options.json ? 'json' : options.format;
        const result = await syntaxTree(resolve(io.cwd, file), {
          format,
          maxDepth: options.maxDepth,
          maxNodes: options.maxNodes,
          ...(options.language ? { language: options.language } : {}),
        });
        if (format === 'json')
          io.out(
            JSON.stringify(
              {
                path: file,
                language: result.language,
                truncated: result.truncated,
                diagnostics: result.diagnostics,
                tree: result.tree,
              },
              null,
              2,
            ),
          );
        else io.out(result.rendered ?? '');
        for (const d of result.diagnostics) if (format !== 'json') io.err(`${d.severity}: ${d.message}`);
      },
    );

  withCommon(
    program
      .command('asg')
      .description(
        'Print the Abstract Semantic Graph of a file or folder: an outline (text), JSON, or a Mermaid flowchart',
      )
      .argument('<path>', 'file or folder')
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'json', 'mermaid'])
          .default('text'),
      )
      .option(
        '--symbol <name>',
        'only this symbol (name or Class.method), what it contains, and its neighbours',
      )
      .addOption(
        new Option('--depth <n>', 'neighbour depth around --symbol').argParser(nonNegative).default(1),
      ),
    false,
  ).action(
    async (
      path: string,
      options: CommonOptions & { format: 'text' | 'json' | 'mermaid'; symbol?: string; depth: number },
    ) => {
      const workspace = await open(resolve(io.cwd, path), options);
      if (options.symbol) requireFound(workspace.resolveSymbol(options.symbol), options.symbol);
      const slice = { ...(options.symbol ? { symbol: options.symbol } : {}), depth: options.depth };
      if (options.json || options.format === 'json')
        io.out(JSON.stringify({ ...workspace.asgData(slice), diagnostics: workspace.diagnostics }, null, 2));
      else io.out(workspace.renderAsg(options.format, slice));
    },
  );

  withCommon(
    program
      .command('graph')
      .description(
        'Print the neighbourhood of a symbol: {nodes:[{id,kind,name,qualifiedName,path,range}], edges:[{source,target,kind}]}',
      )
      .argument('[dir]', 'repository (default: --repo or the current repository)')
      .requiredOption('--symbol <name>', 'symbol name or qualified name (Class.method)')
      .addOption(new Option('--depth <n>', 'how many edges out').argParser(nonNegative).default(1))
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['json', 'mermaid', 'text'])
          .default('json'),
      ),
  ).action(
    async (
      dir: string | undefined,
      options: CommonOptions & { symbol: string; depth: number; format: 'json' | 'mermaid' | 'text' },
    ) => {
      await withIndex(dir ? resolve(io.cwd, dir) : repoOf(options), options, (workspace) => {
        requireFound(workspace.resolveSymbol(options.symbol), options.symbol);
        if (options.json || options.format === 'json') {
          const data = workspace.graph(options.symbol, { depth: options.depth });
          io.out(
            JSON.stringify(
              {
                nodes: data.nodes.map(({ id, kind, name, qualifiedName, path, range }) => ({
                  id,
                  kind,
                  name,
                  qualifiedName,
                  path,
                  range,
                })),
                edges: data.edges.map(({ source, target, kind, confidence, ambiguous }) => ({
                  source,
                  target,
                  kind,
                  ...(ambiguous ? { ambiguous, confidence } : {}),
                })),
              },
              null,
              2,
            ),
          );
        } else {
          io.out(workspace.renderAsg(options.format, { symbol: options.symbol, depth: options.depth }));
        }
      });
    },
  );

  withCommon(
    program
      .command('symbols')
      .description("Find symbols by name: a substring, or a pattern with * wildcards ('get*User')")
      .argument('<pattern>', 'name pattern')
      .option('--kind <kinds>', 'only these kinds, comma-separated (class,function,method,…)')
      .addOption(new Option('--limit <n>', 'at most this many results').argParser(nonNegative).default(50)),
  ).action(async (pattern: string, options: CommonOptions & { kind?: string; limit: number }) => {
    const kinds = options.kind ? options.kind.split(',').map((k) => k.trim()) : [];
    const found = await withIndex(repoOf(options), options, (workspace) =>
      workspace.symbols(pattern, { limit: options.limit, kinds }),
    );
    print(options, found, () =>
      found.length === 0 ? `No symbol matches ${pattern}` : found.map(formatSymbol).join('\n'),
    );
    if (found.length === 0) process.exitCode = EXIT.NOT_FOUND;
  });

  withCommon(
    program
      .command('refs')
      .description('Where a symbol is referred to: references, imports, calls, base classes')
      .argument('<name>', 'symbol name or Class.method'),
  ).action(async (name: string, options: CommonOptions) => {
    const found = await withIndex(repoOf(options), options, (workspace) => workspace.references(name));
    requireFound(found, name);
    print(options, found, () => found.map((f) => formatReferences(f.symbol, f.references)).join('\n\n'));
  });

  withCommon(
    program
      .command('callers')
      .description('Who calls a function or method')
      .argument('<name>', 'symbol name or Class.method'),
  ).action(async (name: string, options: CommonOptions) => {
    const found = await withIndex(repoOf(options), options, (workspace) => workspace.callers(name));
    requireFound(found, name);
    print(options, found, () => found.map((f) => formatCallers(f.symbol, f.calls)).join('\n\n'));
  });

  withCommon(
    program
      .command('callees')
      .description('What a function or method calls, resolved or not')
      .argument('<name>', 'symbol name or Class.method'),
  ).action(async (name: string, options: CommonOptions) => {
    const found = await withIndex(repoOf(options), options, (workspace) => workspace.callees(name));
    requireFound(found, name);
    print(options, found, () => found.map((f) => formatCallees(f.symbol, f.calls)).join('\n\n'));
  });

  withCommon(
    program
      .command('stats')
      .description(
        'Summarise the index: files, nodes and edges by language and kind, resolution, skipped files, size on disk (indexes first when there is no index)',
      )
      .argument('[dir]', 'repository (default: --repo or the current repository)'),
    true,
    false,
  ).action(async (dir: string | undefined, options: CommonOptions) => {
    const summary = await withIndex(
      dir ? resolve(io.cwd, dir) : repoOf(options),
      options,
      (workspace) => workspace.summary(),
      'missing',
    );
    print(options, summary, () => formatSummary(summary));
  });

  withCommon(
    program
      .command('index')
      .description(
        'Index a repository into <repo>/.rtc: parse on all cores, resolve across files, commit atomically. Again: only changed files are parsed, and only they and their dependents re-resolved',
      )
      .argument('[dir]', 'repository (default: --repo or the current repository)')
      .option('--full', 'ignore the previous index: parse and resolve everything'),
    true,
    false,
  ).action(async (dir: string | undefined, options: CommonOptions & { full?: boolean }) => {
    const report = await indexWorkspace(dir ? resolve(io.cwd, dir) : repoOf(options), {
      ...indexOptions(options),
      ...(options.full ? { full: true } : {}),
    });
    print(options, report, () => formatIndexReport(report));
  });

  withCommon(
    program
      .command('export')
      .description(
        'Export the graph for retrieval elsewhere (an embedding service): one JSON line per node with id, kind, qualified name, path, range, snippet, metadata and relations',
      )
      .argument('[dir]', 'repository (default: --repo or the current repository)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['jsonl']).default('jsonl'))
      .option('-o, --output <file>', 'write to this file instead of standard output'),
  ).action(async (dir: string | undefined, options: CommonOptions & { output?: string }) => {
    await withIndex(dir ? resolve(io.cwd, dir) : repoOf(options), options, async (workspace) => {
      if (!options.output) {
        for (const record of exportRecords(workspace)) io.out(JSON.stringify(record));
        return;
      }
      const stream = createWriteStream(resolve(io.cwd, options.output));
      let count = 0;
      for (const record of exportRecords(workspace)) {
        if (!stream.write(JSON.stringify(record) + '\n'))
          await new Promise<void>((done) =>
            stream.once('drain', () => {
              done();
            }),
          );
        count++;
      }
      await new Promise<void>((done, fail) =>
        stream.end((error?: Error | null) => {
          if (error) fail(error);
          else done();
        }),
      );
      if (!options.json) io.err(`wrote ${count} nodes to ${options.output}`);
    });
  });

  const context: CliContext = { io, withCommon, withIndex, repoOf, indexOptions, print };
  registerRetrievalCommands(program, context);
  registerEvalCommand(program, context);
  registerLearnCommand(program, context);
  registerLiveCommands(program, context);
  registerServerCommands(program, context, servers);
  registerToolCommand(program, context);
  registerPolicyCommands(program, context);
  return program;
}

/** Runs the CLI and returns its exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  servers: ServerStarters = {},
): Promise<number> {
  const program = buildProgram(io, servers);
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (
      error &&
      typeof error === 'object' &&
      'code' in error &&
      typeof (error as { code: unknown }).code === 'string'
    ) {
      const code = (error as { code: string }).code;
      if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help')
        return EXIT.OK;
      if (code.startsWith('commander.')) return EXIT.USAGE;
    }
    if (isEngineError(error)) {
      io.err(`rtc: ${error.message}`);
      return exitCodeFor(error.code);
    }
    io.err(`rtc: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.FAILURE;
  }
}
