/**
 * @module interfaces/cli/program
 * The `rtc` command line: every command, its options and help, over the engine API.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ERROR_CODES, EngineError, isEngineError } from '../../base/index.js';
import { LANGUAGES, openWorkspace, syntaxTree } from '../../engine/index.js';
import type { OpenOptions, Workspace } from '../../engine/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatCallees, formatCallers, formatReferences, formatSummary, formatSymbol } from './format.js';

/** Where output goes; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown only then). */
  isTty: boolean;
  cwd: string;
}

const VERSION = '0.1.0';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** The repository containing `dir`: the nearest folder above it with a `.git`, or `dir` itself. */
export function findRepositoryRoot(dir: string): string {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return resolve(dir);
    current = parent;
  }
}

interface CommonOptions {
  repo?: string;
  json?: boolean;
  workers?: number;
  maxFileSize?: number;
}

/** Builds the program. `io` receives all output. */
export function buildProgram(io: CliIo): Command {
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

Exit codes: 0 success, 1 failure, 2 bad usage, 3 not found (file or symbol), 130 cancelled.

Examples:
  rtc ast src/app.py                      the syntax tree of a file
  rtc asg src/app.py --format mermaid     its semantic graph as a Mermaid flowchart
  rtc graph . --symbol handleRequest      the neighbourhood of a symbol, as JSON
  rtc callers parseConfig                 who calls parseConfig in this repository
  rtc symbols 'User*' --kind class        classes whose name starts with User`,
    );

  const withCommon = (command: Command, repoOption = true): Command => {
    if (repoOption)
      command.option(
        '--repo <dir>',
        'repository to index (default: the repository containing the current folder)',
      );
    return command
      .option('--json', 'print JSON for scripts')
      .addOption(
        new Option(
          '--workers <n>',
          'parser threads (default: one per core for large repositories)',
        ).argParser(integer),
      )
      .addOption(
        new Option('--max-file-size <bytes>', 'skip files larger than this (default 1000000)').argParser(
          integer,
        ),
      );
  };

  const open = async (target: string, options: CommonOptions): Promise<Workspace> => {
    const openOptions: OpenOptions = {};
    if (options.workers !== undefined) openOptions.workers = options.workers;
    if (options.maxFileSize !== undefined) openOptions.maxFileBytes = options.maxFileSize;
    if (io.isTty && !options.json) {
      let last = 0;
      openOptions.onProgress = (done, total, bytes) => {
        const now = Date.now();
        if (now - last < 100 && done < total) return;
        last = now;
        io.err(
          `\r\u001b[2Kparsing ${done}/${total} files (${(bytes / 1e6).toFixed(1)} MB)${done === total ? '\n' : ''}`,
        );
      };
    }
    return openWorkspace(target, openOptions);
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
    .addOption(new Option('--max-depth <n>', 'cut the tree below this depth').argParser(integer).default(400))
    .addOption(
      new Option('--max-nodes <n>', 'show at most this many nodes').argParser(integer).default(50_000),
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
      .addOption(new Option('--depth <n>', 'neighbour depth around --symbol').argParser(integer).default(1)),
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
      .argument('[dir]', 'folder to index (default: --repo or the current repository)')
      .requiredOption('--symbol <name>', 'symbol name or qualified name (Class.method)')
      .addOption(new Option('--depth <n>', 'how many edges out').argParser(integer).default(1))
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
      const workspace = await open(dir ? resolve(io.cwd, dir) : repoOf(options), options);
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
    },
  );

  withCommon(
    program
      .command('symbols')
      .description("Find symbols by name: a substring, or a pattern with * wildcards ('get*User')")
      .argument('<pattern>', 'name pattern')
      .option('--kind <kinds>', 'only these kinds, comma-separated (class,function,method,…)')
      .addOption(new Option('--limit <n>', 'at most this many results').argParser(integer).default(50)),
  ).action(async (pattern: string, options: CommonOptions & { kind?: string; limit: number }) => {
    const workspace = await open(repoOf(options), options);
    const kinds = options.kind ? options.kind.split(',').map((k) => k.trim()) : [];
    const found = workspace.symbols(pattern, { limit: options.limit, kinds });
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
    const workspace = await open(repoOf(options), options);
    const found = workspace.references(name);
    requireFound(found, name);
    print(options, found, () => found.map((f) => formatReferences(f.symbol, f.references)).join('\n\n'));
  });

  withCommon(
    program
      .command('callers')
      .description('Who calls a function or method')
      .argument('<name>', 'symbol name or Class.method'),
  ).action(async (name: string, options: CommonOptions) => {
    const workspace = await open(repoOf(options), options);
    const found = workspace.callers(name);
    requireFound(found, name);
    print(options, found, () => found.map((f) => formatCallers(f.symbol, f.calls)).join('\n\n'));
  });

  withCommon(
    program
      .command('callees')
      .description('What a function or method calls, resolved or not')
      .argument('<name>', 'symbol name or Class.method'),
  ).action(async (name: string, options: CommonOptions) => {
    const workspace = await open(repoOf(options), options);
    const found = workspace.callees(name);
    requireFound(found, name);
    print(options, found, () => found.map((f) => formatCallees(f.symbol, f.calls)).join('\n\n'));
  });

  withCommon(
    program
      .command('stats')
      .description(
        'Index a folder in memory and summarise it: files, nodes, edges, resolution, skipped files',
      )
      .argument('[dir]', 'folder (default: --repo or the current repository)'),
  ).action(async (dir: string | undefined, options: CommonOptions) => {
    const workspace = await open(dir ? resolve(io.cwd, dir) : repoOf(options), options);
    const summary = workspace.summary();
    print(options, summary, () => formatSummary(summary));
  });

  return program;
}

/** Runs the CLI and returns its exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
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
