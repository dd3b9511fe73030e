/**
 * @module interfaces/cli/commands/eval
 * `rtc eval`: the evaluation harness. Builds localization instances from a repository's history, runs the
 * full system, the baselines and the ablations on each, and prints the table of metrics.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { EVAL_SYSTEMS, runEval } from '../../../engine/index.js';
import type { EvalOptions, IndexOptions } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';
import { date, fraction, integer, positive } from '../arguments.js';

interface EvalCommandOptions extends CommonOptions {
  range?: string;
  rev?: string;
  maxCommits?: number;
  maxInstances?: number;
  maxGold?: number;
  minWords?: number;
  systems?: string[];
  k?: number[];
  work?: string;
  out?: string;
  seed?: number;
  iterations?: number;
  timeMs?: number;
  /** `--no-history` sets it to false. */
  history: boolean;
  learnBefore?: string;
  learnSplit?: number;
  learnEpochs?: number;
  learnWeights?: boolean;
  learnMemory: boolean;
  learnValues: boolean;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function positives(value: string): number[] {
  const items = list(value).map(positive);
  if (items.length === 0)
    throw new InvalidArgumentError('expected a comma-separated list of positive integers');
  return items;
}

const HELP = `
An instance is one commit of the repository's history, taken as a localization question. Its descriptive
message (subject and body) is the query; the answer is the source files it modified (tests, docs and
configuration left out; 1 to --max-gold of them) and the functions and methods whose lines it changed.
Merges, reverts, release and version bumps, formatting, typo and dependency chores are left out. The index
is built from the commit's parent, in a worktree under --work that moves forward commit by commit (only
changed files are parsed again), so no system sees the answer. Unless --no-history, every system is also
given the files changed by the five commits up to and including the parent, as recent changes: history
known before the answer.

Systems (--systems): full (the default query), bm25 (lexical search alone), pagerank (personalised PageRank
from the same entry points, as Aider's repo map), and the ablations no-mcts, no-router, no-vectors and
no-<reward> for each reward component (semantic, symbol, change, coverage, context).

Metrics, means over instances:
  Acc@k      1 when every gold file is in the top k files, else 0
  R@k        the share of gold files in the top k files
  MRR        1 / the rank of the first gold file (0 when none is ranked)
  fn R@k     the share of gold functions in the top k symbols (over instances with gold functions: fn n)
  fn Acc@k   1 when every gold function is in the top k symbols

Learning mode (--learn-before DATE or --learn-split FRACTION): a policy is learned, as \`rtc learn\` does
(from the default policy, its most recent 20% held out to pick it), on the commits before the date (or the
oldest share of them), with a task memory of the history before them (commits tested on, and commits with
the same subject, left out), and the later commits are the test: the rows are full+learned (the learned
policy), full (the default policy) and the --systems asked for (default bm25).

Written to --out: instances.jsonl (one instance a line), results.jsonl (one system's answer to one instance
a line, with its metrics), summary.json and table.md.

Examples:
  rtc eval ../hono --max-commits 400 --max-instances 50
  rtc eval --range v1.0.0..v1.2.0 --systems full,bm25,pagerank --out bench/results/eval
  rtc eval /work/.mirror/honojs+hono/repo --work /tmp/eval-hono --json`;

/** The indexing settings the harness takes (the index folder is its own). */
function indexSettings(options: IndexOptions): EvalOptions['index'] {
  return {
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}

/** Adds `eval` to the program. */
export function registerEvalCommand(program: Command, context: CliContext): void {
  const { io } = context;
  context
    .withCommon(
      program
        .command('eval')
        .description(
          'Evaluate retrieval on localization instances from git history: the full system against BM25, personalised PageRank and the ablations; prints a table of file Acc@k, Recall@k, MRR and function Recall@k',
        )
        .argument(
          '[repo]',
          'git repository, work tree or bare (default: the repository of the current folder)',
        )
        .option('--range <A..B>', 'the commits reachable from B and not from A')
        .option('--rev <rev>', 'without --range: walk back from this revision (default HEAD)')
        .addOption(
          new Option(
            '--max-commits <n>',
            'read at most this many commits (default 300 without --range)',
          ).argParser(positive),
        )
        .addOption(
          new Option('--max-instances <n>', 'keep the most recent n instances (default: all)').argParser(
            positive,
          ),
        )
        .addOption(
          new Option('--max-gold <n>', 'largest number of gold files of an instance')
            .argParser(positive)
            .default(5),
        )
        .addOption(
          new Option('--min-words <n>', 'fewest words of a descriptive subject')
            .argParser(positive)
            .default(3),
        )
        .addOption(
          new Option(
            '--systems <list>',
            `comma-separated systems (default all: ${Object.keys(EVAL_SYSTEMS).join(',')})`,
          ).argParser(list),
        )
        .addOption(
          new Option('--k <list>', 'cut-offs of the metrics (default 1,3,5,10)').argParser(positives),
        )
        .option('--work <dir>', 'worktree and index of the parent commits (default <repo>/.rtc/eval)')
        .option('--out <dir>', 'where results go (default <work>/results)')
        .addOption(new Option('--seed <n>', 'random seed of every query').argParser(integer).default(1))
        .addOption(
          new Option(
            '--iterations <n>',
            "graph search iterations of every query (default: the engine's)",
          ).argParser(positive),
        )
        .addOption(
          new Option(
            '--time-ms <ms>',
            'graph search time budget of every query (default: none: the iterations bound the search, so results do not depend on the machine)',
          ).argParser(positive),
        )
        .option('--no-history', 'give the systems no recent changes')
        .addOption(
          new Option(
            '--learn-before <date>',
            'learning mode: learn on the commits before this date, test on the later ones',
          ).argParser(date),
        )
        .addOption(
          new Option(
            '--learn-split <fraction>',
            'learning mode: learn on this share of the commits (the oldest), test on the rest',
          ).argParser(fraction),
        )
        .option(
          '--learn-weights',
          'learning mode: also learn reward weights and edge priors (default: value estimates only)',
        )
        .option('--no-learn-memory', 'learning mode: do not learn a task memory from the earlier history')
        .option(
          '--no-learn-values',
          'learning mode: do not replay the learning commits for value estimates (the task memory alone is much cheaper)',
        )
        .addOption(
          new Option('--learn-epochs <n>', 'learning mode: passes over the learning commits').argParser(
            positive,
          ),
        )
        .addHelpText('after', HELP),
      false,
    )
    .action(async (repo: string | undefined, options: EvalCommandOptions) => {
      const showProgress = io.isTty && !options.json;
      const evalOptions: EvalOptions = {
        history: options.history,
        maxGold: options.maxGold ?? 5,
        minWords: options.minWords ?? 3,
        seed: options.seed ?? 1,
        ...(options.range !== undefined ? { range: options.range } : {}),
        ...(options.rev !== undefined ? { rev: options.rev } : {}),
        ...(options.maxCommits !== undefined ? { maxCommits: options.maxCommits } : {}),
        ...(options.maxInstances !== undefined ? { maxInstances: options.maxInstances } : {}),
        ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
        ...(options.timeMs !== undefined ? { timeMs: options.timeMs } : {}),
        ...(options.systems !== undefined ? { systems: options.systems } : {}),
        ...(options.k !== undefined ? { ks: options.k } : {}),
        ...(options.learnBefore !== undefined ? { learnBefore: options.learnBefore } : {}),
        ...(options.learnSplit !== undefined ? { learnSplit: options.learnSplit } : {}),
        ...(options.learnEpochs !== undefined ? { learnEpochs: options.learnEpochs } : {}),
        ...(options.learnWeights || !options.learnValues
          ? { learnEpisode: { ranking: options.learnWeights === true, values: options.learnValues } }
          : {}),
        ...(!options.learnMemory ? { learnMemory: false } : {}),
        ...(options.work !== undefined ? { work: resolve(io.cwd, options.work) } : {}),
        ...(options.out !== undefined ? { out: resolve(io.cwd, options.out) } : {}),
        index: indexSettings(context.indexOptions(options)),
        ...(showProgress
          ? {
              onProgress: (progress) => {
                const subject =
                  progress.subject.length > 60 ? `${progress.subject.slice(0, 59)}…` : progress.subject;
                io.err(
                  `\r\u001b[2K${progress.phase} ${progress.done + 1}/${progress.total} ${progress.commit.slice(0, 10)} ${subject}`,
                );
              },
            }
          : {}),
      };
      const report = await runEval(repo ? resolve(io.cwd, repo) : context.repoOf({}), evalOptions);
      if (showProgress) io.err('\r\u001b[2K');
      context.print(options, report, () => {
        const failures = report.systems
          .filter((s) => s.firstError !== undefined)
          .map((s) => `${s.system}: ${s.errors} queries failed (${s.firstError ?? ''})`);
        return [
          report.table.trimEnd(),
          ...(failures.length > 0 ? ['', ...failures] : []),
          '',
          `Results in ${report.out}`,
        ].join('\n');
      });
    });
}
