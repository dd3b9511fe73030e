/**
 * @module interfaces/cli/commands/retrieval
 * `rtc query` (ranked files and symbols for a task, one query or a JSONL batch over one index load) and
 * `rtc context` (the packed, token-budgeted context).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import type { QueryOptions, QueryResult, Workspace } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';
import { positive } from '../arguments.js';

interface QueryCliOptions extends CommonOptions {
  limit: number;
  batch?: string;
  explain?: boolean;
  seed?: number;
}

/** The JSON of `rtc query`: the shape, plus reasons with --explain. */
function queryJson(result: QueryResult, explain: boolean): object {
  return {
    files: result.files,
    symbols: result.symbols.map(({ path, name, qualifiedName, kind, range, score, reason }) => ({
      path,
      name,
      qualifiedName,
      kind,
      range,
      score,
      ...(explain && reason ? { reason } : {}),
    })),
    route: result.route,
    ...(result.version !== undefined ? { version: result.version } : {}),
    timings: result.timings,
  };
}

function formatQuery(result: QueryResult, explain: boolean): string {
  const lines = [`route: ${result.route}`, '', 'files:'];
  for (const file of result.files) lines.push(`  ${file.score.toFixed(3)}  ${file.path}`);
  lines.push('', 'symbols:');
  for (const symbol of result.symbols) {
    lines.push(
      `  ${symbol.score.toFixed(3)}  ${symbol.qualifiedName} (${symbol.kind})  ${symbol.path}:${symbol.range.start.line + 1}`,
    );
    if (explain && symbol.reason) {
      const { entry, path } = symbol.reason;
      const via = entry ? `${entry.via}: ${entry.name}` : '';
      const walk = path?.map((step) => `${step.edge} → ${step.name}`).join(' ') ?? '';
      lines.push(`         why: ${[via, walk].filter((s) => s !== '').join(' ')}`);
    }
  }
  lines.push('', `${result.timings.total ?? 0} ms`);
  return lines.join('\n');
}

/** Reads `{id, query}` lines; a bad line is reported with its number. */
function readBatch(path: string): { id: unknown; query: string }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new EngineError(ERROR_CODES.NOT_FOUND, `Cannot read ${path}`, { cause });
  }
  const items: { id: unknown; query: string }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `${path}:${i + 1}: not a JSON object`);
    }
    const query = (parsed as { query?: unknown } | null)?.query;
    if (typeof query !== 'string' || query.trim() === '')
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `${path}:${i + 1}: needs a "query" string`);
    items.push({ id: (parsed as { id?: unknown }).id ?? i + 1, query });
  });
  return items;
}

/** Adds `query` and `context` to the program. */
export function registerRetrievalCommands(program: Command, context: CliContext): void {
  const { io, withCommon, withIndex, repoOf, print } = context;
  const queryOptions = (options: QueryCliOptions): QueryOptions => ({
    limit: options.limit,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });

  withCommon(
    program
      .command('query')
      .description(
        'Find the code that matters for a task or a question: ranked files and symbols ({files:[{path,score}], symbols:[{path,name,qualifiedName,kind,range,score}], route, timings})',
      )
      .argument('[text]', 'the task or question, in words ("fix the crash when the config file is empty")')
      .addOption(new Option('--limit <n>', 'results per list').argParser(positive).default(20))
      .option(
        '--batch <file>',
        'answer every {id, query} line of a JSONL file: one {id, files, symbols} line each',
      )
      .option('--explain', 'show why each symbol was chosen (entry point, edge path, reward parts)')
      .addOption(
        new Option('--seed <n>', 'seed of the graph search (results are repeatable)').argParser(positive),
      )
      .addHelpText(
        'after',
        `
How it works: the query is routed (locate a bug, find a definition, find usages, explain, implement), entry
points are found by BM25 over code-aware tokens and by the identifiers it names (plus recent changes from
git), and a Monte Carlo Tree Search walks the graph from them (calls, data flow, types, imports) steered by
rewards. Routes can be added in rtc.config.json ("routes": [{"name", "examples", "rewards", "edges"}]).

Examples:
  rtc query "where do we validate tokens?"
  rtc query "fix the crash when the config file is empty" --json
  rtc query --batch queries.jsonl > answers.jsonl`,
      ),
  ).action(async (text: string | undefined, options: QueryCliOptions) => {
    if (options.batch) {
      const items = readBatch(resolve(io.cwd, options.batch));
      await withIndex(repoOf(options), options, async (workspace: Workspace) => {
        for (const item of items) {
          const result = await workspace.query(item.query, queryOptions(options));
          const { files, symbols } = queryJson(result, options.explain ?? false) as {
            files: unknown;
            symbols: unknown;
          };
          io.out(JSON.stringify({ id: item.id, files, symbols }));
        }
      });
      return;
    }
    if (!text || text.trim() === '')
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Give a query text, or --batch FILE.jsonl');
    const result = await withIndex(repoOf(options), options, (workspace) =>
      workspace.query(text, queryOptions(options)),
    );
    print(options, queryJson(result, options.explain ?? false), () =>
      formatQuery(result, options.explain ?? false),
    );
  });

  withCommon(
    program
      .command('context')
      .description(
        'Print the context for a task, packed within a token budget: bodies of the core symbols, signatures of the periphery, by file with line numbers and why each piece was chosen',
      )
      .argument('<text>', 'the task or question, in words')
      .addOption(
        new Option(
          '--budget <tokens>',
          'most tokens (o200k tokenizer; default: the route’s budget)',
        ).argParser(positive),
      )
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['markdown', 'json'])
          .default('markdown'),
      )
      .addOption(new Option('--seed <n>', 'seed of the graph search').argParser(positive)),
  ).action(
    async (
      text: string,
      options: CommonOptions & { budget?: number; format: 'markdown' | 'json'; seed?: number },
    ) => {
      const format = options.json ? 'json' : options.format;
      const result = await withIndex(repoOf(options), options, (workspace) =>
        workspace.context(text, {
          format,
          ...(options.budget !== undefined ? { budget: options.budget } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
        }),
      );
      if (format === 'json') io.out(JSON.stringify(result, null, 2));
      else {
        io.out(result.text);
        io.err(
          `${result.tokens} of ${result.budget} tokens · route ${result.route} · ${result.omitted} left out`,
        );
      }
    },
  );
}
