/**
 * @module interfaces/cli/commands/policy
 * `rtc policy show|reset|export [FILE]|import FILE`: the retrieval policy the repository has learned
 * (reward weights, edge priors, values of nodes and files; `<repo>/.rtc/policy.json`), and
 * `rtc feedback --query TEXT --useful ID_OR_PATH… --not-useful ID_OR_PATH…`: explicit feedback on a query's
 * results, recorded and learned from (the same as `/v1/feedback` and the MCP `feedback` tool).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import {
  DEFAULT_REWARD_WEIGHTS,
  importPolicy,
  indexDirOf,
  learnFromFeedback,
  loadPolicy,
  policyText,
  resetPolicy,
} from '../../../engine/index.js';
import type { FeedbackItem, RetrievalPolicy, ValueEstimate, Workspace } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';

type FeedbackOptions = CommonOptions & { query?: string; useful?: string[]; notUseful?: string[] };

/** Values shown by `rtc policy show`, at most. */
const SHOWN_VALUES = 10;

export function registerPolicyCommands(program: Command, context: CliContext): void {
  const { io, withCommon, withIndex, repoOf, print } = context;
  const dbDirOf = (options: CommonOptions): string =>
    indexDirOf(repoOf(options), options.db !== undefined ? resolve(io.cwd, options.db) : undefined);
  /** The stored policy; a file that cannot be used is a warning, and the default policy stands in. */
  const load = (options: CommonOptions): RetrievalPolicy => {
    const loaded = loadPolicy(dbDirOf(options));
    if (loaded.warning) io.err(`rtc: warning: ${loaded.warning}`);
    return loaded.policy;
  };

  const policy = program
    .command('policy')
    .description('Show, reset, export or import what retrieval learned for this repository')
    .addHelpText(
      'after',
      `
The policy lives in <repo>/.rtc/policy.json: multipliers of the reward weights and of the graph search's edge
weights, and the learned values of nodes and files (from rtc feedback, /v1/feedback, the MCP feedback tool
and the edits that follow a query). Every update increments its version.

Examples:
  rtc policy show                  what was learned
  rtc policy export policy.json    save it (or print it without FILE)
  rtc policy import policy.json    use a saved one
  rtc policy reset                 forget everything`,
    );
  withCommon(policy.command('show').description('Print the policy'), true, false).action(
    async (options: CommonOptions) => {
      const current = load(options);
      // Names of the valued nodes, when the index can tell them.
      const names = await nodeNames(current, options, withIndex, repoOf);
      print(options, current, () => formatPolicy(current, names));
    },
  );
  withCommon(
    policy.command('reset').description('Replace the policy by the default one (nothing learned)'),
    true,
    false,
  ).action((options: CommonOptions) => {
    load(options);
    const next = resetPolicy(dbDirOf(options));
    print(options, next, () => `Policy reset (version ${next.version})`);
  });
  withCommon(
    policy
      .command('export')
      .description('Write the policy as JSON to FILE, or print it')
      .argument('[file]', 'where to write it (default: standard output)'),
    true,
    false,
  ).action((file: string | undefined, options: CommonOptions) => {
    const current = load(options);
    const text = policyText(current);
    if (file === undefined) {
      io.out(text.trimEnd());
      return;
    }
    const path = resolve(io.cwd, file);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new EngineError(ERROR_CODES.IO_ERROR, `Cannot write ${path}: ${(error as Error).message}`);
    }
    print(
      options,
      { exported: path, version: current.version },
      () => `Exported policy version ${current.version} to ${path}`,
    );
  });
  withCommon(
    policy
      .command('import')
      .description('Replace the policy by one exported earlier')
      .argument('<file>', 'a policy exported by rtc policy export'),
    true,
    false,
  ).action((file: string, options: CommonOptions) => {
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new EngineError(ERROR_CODES.NOT_FOUND, `Cannot read ${path}: ${(error as Error).message}`);
    }
    const next = importPolicy(dbDirOf(options), text);
    print(options, next, () => `Imported ${path} (policy version ${next.version})`);
  });

  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  withCommon(
    program
      .command('feedback')
      .description('Say which results of a query were useful and which were not; retrieval learns from it')
      .option('--query <text>', 'the query or task the results were for')
      .option('--useful <id-or-path...>', 'files, symbols (name, Class.method or id) that helped', collect)
      .option('--not-useful <id-or-path...>', 'files or symbols that did not', collect)
      .addHelpText(
        'after',
        `
Each item is a file path, a symbol's name or qualified name (Class.method) that names one symbol, or a
symbol id (as the MCP search tool and /v1/query return them). The feedback is appended to
<repo>/.rtc/feedback.jsonl and moves the policy (rtc policy show): useful items up, the others down.

Example:
  rtc feedback --query "add a retry option" --useful src/http/client.ts HttpClient.send --not-useful src/cli.ts`,
      ),
    true,
    false,
  ).action(async (options: FeedbackOptions) => {
    const useful = (options.useful ?? []).flat();
    const notUseful = (options.notUseful ?? []).flat();
    if (useful.length + notUseful.length === 0)
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Give at least one --useful or --not-useful item');
    const repo = repoOf(options);
    const outcome = await withIndex(
      repo,
      options,
      (workspace) => {
        const items: FeedbackItem[] = [
          ...useful.map((text) => feedbackItem(workspace, repo, io.cwd, text, true)),
          ...notUseful.map((text) => feedbackItem(workspace, repo, io.cwd, text, false)),
        ];
        return learnFromFeedback(
          dbDirOf(options),
          {
            ...(options.query !== undefined ? { query: options.query } : {}),
            items,
            source: 'cli',
            ...(workspace.version !== undefined ? { version: workspace.version } : {}),
          },
          { pathOf: (id) => workspace.graphReader.node(id)?.path },
        );
      },
      'missing',
    );
    print(
      options,
      { recorded: outcome.record.items.length, items: outcome.record.items, version: outcome.policy.version },
      () => `Recorded ${outcome.record.items.length} item(s); policy version ${outcome.policy.version}`,
    );
  });
}

/**
 * An item given on the command line: a node id, an indexed file (relative to the repository or to the
 * current folder), or a symbol name or qualified name that designates one symbol.
 */
function feedbackItem(
  workspace: Workspace,
  repo: string,
  cwd: string,
  text: string,
  useful: boolean,
): FeedbackItem {
  const node = workspace.graphReader.node(text);
  if (node) return { id: text, path: node.path, useful };
  const inside = relative(repo, resolve(cwd, text));
  const candidates = [text.replace(/^\.\//, '')];
  if (!inside.startsWith('..') && !isAbsolute(inside)) candidates.push(inside.split(sep).join('/'));
  for (const path of candidates) if (workspace.graphReader.nodeIds(path).length > 0) return { path, useful };
  const symbols = workspace.resolveSymbol(text);
  if (symbols.length === 1) return { id: symbols[0]!.id, path: symbols[0]!.path, useful };
  if (symbols.length > 1)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `'${text}' names ${symbols.length} symbols (${symbols
        .slice(0, 5)
        .map((s) => `${s.path} ${s.qualifiedName} [${s.id}]`)
        .join(', ')}${symbols.length > 5 ? ', …' : ''}): give a qualified name or an id`,
    );
  throw new EngineError(
    ERROR_CODES.NOT_FOUND,
    `'${text}' is neither a symbol id, an indexed file nor a symbol name`,
  );
}

/** Names of the nodes a policy values (`path qualifiedName`), when the index is there to tell them. */
async function nodeNames(
  policy: RetrievalPolicy,
  options: CommonOptions,
  withIndex: CliContext['withIndex'],
  repoOf: CliContext['repoOf'],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (Object.keys(policy.nodes).length === 0) return names;
  try {
    await withIndex(repoOf(options), { ...options, refresh: false }, (workspace) => {
      for (const id of topValues(policy.nodes).map(([key]) => key)) {
        const node = workspace.graphReader.node(id);
        if (node) names.set(id, `${node.path} ${node.qualifiedName}`);
      }
    });
  } catch {
    // No index: ids only.
  }
  return names;
}

/** The estimates with the most weight (|value| × evidence), strongest first. */
function topValues(record: Record<string, ValueEstimate>): [string, ValueEstimate][] {
  const strength = (e: ValueEstimate) => Math.abs(e.value) * (e.count / (e.count + 1));
  return Object.entries(record)
    .sort((a, b) => strength(b[1]) - strength(a[1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, SHOWN_VALUES);
}

function formatValue(key: string, estimate: ValueEstimate, name?: string): string {
  const sign = estimate.value >= 0 ? '+' : '';
  return `  ${sign}${estimate.value.toFixed(2)} (${estimate.count} obs.)  ${name ? `${name}  [${key}]` : key}`;
}

function formatPolicy(policy: RetrievalPolicy, names: ReadonlyMap<string, string>): string {
  const lines = [
    `policy version ${policy.version} (schema ${policy.schema})${policy.updatedAt ? `, updated ${policy.updatedAt}` : ''}`,
  ];
  const episodes = Object.entries(policy.episodes);
  lines.push(
    `episodes: ${episodes.length === 0 ? 'none' : episodes.map(([source, n]) => `${source} ${n}`).join(', ')}`,
  );
  lines.push('reward weights (default × learned):');
  for (const [component, base] of Object.entries(DEFAULT_REWARD_WEIGHTS)) {
    const factor = policy.weights[component as keyof typeof DEFAULT_REWARD_WEIGHTS] ?? 1;
    lines.push(`  ${component.padEnd(9)} ${base} × ${factor.toFixed(3)} = ${(base * factor).toFixed(3)}`);
  }
  const edges = Object.entries(policy.edges).filter(([, factor]) => factor !== undefined);
  lines.push(
    `edge priors: ${edges.length === 0 ? 'none (all × 1)' : edges.map(([kind, factor]) => `${kind} × ${factor!.toFixed(3)}`).join(', ')}`,
  );
  const nodes = Object.keys(policy.nodes).length;
  lines.push(`node values: ${nodes}`);
  for (const [key, estimate] of topValues(policy.nodes))
    lines.push(formatValue(key, estimate, names.get(key)));
  const files = Object.keys(policy.files).length;
  lines.push(`file values: ${files}`);
  for (const [key, estimate] of topValues(policy.files)) lines.push(formatValue(key, estimate));
  const memory = policy.memory;
  if (!memory || memory.tasks.length === 0) lines.push('task memory: none');
  else {
    const sources = new Map<string, number>();
    for (const task of memory.tasks) sources.set(task.source, (sources.get(task.source) ?? 0) + 1);
    lines.push(
      `task memory: ${memory.tasks.length} past tasks (${[...sources].map(([source, n]) => `${source} ${n}`).join(', ')}), weight ${memory.weight}` +
        (memory.weight === 0 ? ' (not used)' : ''),
    );
  }
  return lines.join('\n');
}
