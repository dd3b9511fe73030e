/**
 * @module interfaces/cli/commands/learn
 * `rtc learn --from-git`: learns the repository's retrieval policy from its history (past commits replayed
 * as episodes on the index of each parent tree) and saves it when it scores no worse on the held-out, most
 * recent commits than the stored one.
 */
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import { learnFromGit } from '../../../engine/index.js';
import type { HeldOutScore, LearnOptions, LearnReport } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';
import { fraction, integer, positive } from '../arguments.js';

interface LearnCommandOptions extends CommonOptions {
  fromGit?: boolean;
  since?: string;
  commits?: number;
  maxInstances?: number;
  maxGold?: number;
  holdout?: number;
  epochs?: number;
  work?: string;
  seed?: number;
  iterations?: number;
  timeMs?: number;
  save: boolean;
  history: boolean;
  learnWeights?: boolean;
  memory: boolean;
  values: boolean;
}

const HELP = `
Each past commit with a descriptive message is an episode: its message is the query, asked on the index
of its parent tree (a worktree under --work, indexed incrementally, as \`rtc eval\` does) with the policy
learned so far, and the files and functions it changed are the relevant results. The policy learns from
each ranking (value estimates of nodes and files, reward weights, edge priors; \`rtc policy show\`).
It also remembers past tasks: each descriptive commit of the last 5,000 (its message's words and the
source files it changed); a query then recalls the files of the past tasks most like it (the task memory).
The most recent commits (--holdout, default 20%) are never learned from: they score the stored policy,
the learned one, and the task memory at several weights (file Acc@5, then MRR), and the learned policy is
saved to <repo>/.rtc/policy.json only when it scores better.

Examples:
  rtc learn --from-git
  rtc learn --from-git ../hono --commits 400 --epochs 2
  rtc learn --from-git --since 2024-01-01 --holdout 0.3 --json`;

function score(s: HeldOutScore): string {
  return `Acc@5 ${(s.acc * 100).toFixed(1)}%, MRR ${s.mrr.toFixed(3)} (${s.instances} commit${s.instances === 1 ? '' : 's'})`;
}

function summary(report: LearnReport): string {
  const skipped = Object.entries(report.skipped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    report.training === 0 && report.episodes === 0
      ? `No replay (--no-values): the task memory scored on ${report.heldOut} commits, each with the commits before it`
      : `Learned from ${report.training} commits (${report.episodes} episodes, ${report.epochs} epoch${report.epochs === 1 ? '' : 's'}); ${report.heldOut} held out`,
    `Commits read: ${report.commitsScanned}` + (skipped ? ` (left out: ${skipped})` : ''),
    `Held out, before:  ${score(report.before)}`,
    ...report.epochScores.map(
      (epochScore, i) =>
        `Held out, learned${report.epochs > 1 ? ` (epoch ${i + 1})` : ''}: ${score(epochScore)}`,
    ),
    `Held out, kept:    ${score(report.after)}` +
      (report.bestEpoch > 0 && report.epochs > 1 ? ` (epoch ${report.bestEpoch})` : ''),
    report.memoryWeight !== undefined
      ? `Task memory: ${report.memoryTasks} past commits, weight ${report.memoryWeight}`
      : 'Task memory: not kept (it did not score better on the held-out commits)',
    report.saved
      ? `Saved policy version ${report.version} to ${report.policyFile}`
      : `Not saved: the learned policy did not score better on the held-out commits; policy version ${report.version} kept`,
    ...(report.warning !== undefined ? [`Warning: ${report.warning}`] : []),
  ].join('\n');
}

/** Adds `learn` to the program. */
export function registerLearnCommand(program: Command, context: CliContext): void {
  const { io } = context;
  context
    .withCommon(
      program
        .command('learn')
        .description(
          "Learn the retrieval policy from the repository's history: replay past commits as queries on their parent trees, keep the policy only if it scores no worse on the most recent commits",
        )
        .argument('[repo]', 'git repository (default: the repository of the current folder)')
        .option('--from-git', 'learn from the git history (the only source for now)')
        .option('--since <date>', 'only commits made after this date')
        .addOption(
          new Option('--commits <n>', 'read at most the n most recent commits (default 300)').argParser(
            positive,
          ),
        )
        .addOption(
          new Option('--max-instances <n>', 'use the most recent n usable commits (default: all)').argParser(
            positive,
          ),
        )
        .addOption(
          new Option('--max-gold <n>', 'largest number of changed source files of a commit')
            .argParser(positive)
            .default(5),
        )
        .addOption(
          new Option('--holdout <fraction>', 'share of the most recent commits held out')
            .argParser(fraction)
            .default(0.2),
        )
        .addOption(
          new Option('--epochs <n>', 'passes over the learning commits').argParser(positive).default(1),
        )
        .option('--db <dir>', 'index folder whose policy is learned (default <repo>/.rtc)')
        .option('--work <dir>', 'worktree and index of the parent commits (default <repo>/.rtc/eval)')
        .addOption(new Option('--seed <n>', 'random seed of every query').argParser(integer).default(1))
        .addOption(
          new Option('--iterations <n>', "graph search iterations (default: the engine's)").argParser(
            positive,
          ),
        )
        .addOption(new Option('--time-ms <ms>', 'graph search time budget').argParser(positive))
        .option(
          '--learn-weights',
          'also learn the reward weights and edge priors (default: the value estimates of files and symbols only, which measured better)',
        )
        .option('--no-memory', 'do not learn a task memory from the history')
        .option(
          '--no-values',
          'do not replay commits for value estimates: learn the task memory alone, picking its weight on every commit (each with the tasks before it)',
        )
        .option('--no-save', 'report what learning would do, without saving the policy')
        .option('--no-history', 'give the queries no recent changes')
        .addHelpText('after', HELP),
      false,
    )
    .action(async (repo: string | undefined, options: LearnCommandOptions) => {
      if (!options.fromGit)
        throw new EngineError(
          ERROR_CODES.INVALID_ARGUMENT,
          'Say what to learn from: --from-git (the only source for now)',
        );
      const showProgress = io.isTty && !options.json;
      const indexOptions = context.indexOptions(options);
      const learnOptions: LearnOptions = {
        history: options.history,
        save: options.save,
        memory: options.memory,
        maxGold: options.maxGold ?? 5,
        holdout: options.holdout ?? 0.2,
        epochs: options.epochs ?? 1,
        seed: options.seed ?? 1,
        ...(options.learnWeights || !options.values
          ? { episode: { ranking: options.learnWeights === true, values: options.values } }
          : {}),
        ...(options.since !== undefined ? { since: options.since } : {}),
        ...(options.commits !== undefined ? { maxCommits: options.commits } : {}),
        ...(options.maxInstances !== undefined ? { maxInstances: options.maxInstances } : {}),
        ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
        ...(options.timeMs !== undefined ? { timeMs: options.timeMs } : {}),
        ...(options.db !== undefined ? { dbDir: resolve(io.cwd, options.db) } : {}),
        ...(options.work !== undefined ? { work: resolve(io.cwd, options.work) } : {}),
        index: {
          ...(indexOptions.workers !== undefined ? { workers: indexOptions.workers } : {}),
          ...(indexOptions.maxFileBytes !== undefined ? { maxFileBytes: indexOptions.maxFileBytes } : {}),
        },
        ...(showProgress
          ? {
              onProgress: (progress) => {
                const subject =
                  progress.subject.length > 60 ? `${progress.subject.slice(0, 59)}…` : progress.subject;
                io.err(
                  `\r\u001b[2K${progress.phase} ${progress.epoch}: ${progress.done + 1}/${progress.total} ${progress.commit.slice(0, 10)} ${subject}`,
                );
              },
            }
          : {}),
      };
      const report = await learnFromGit(repo ? resolve(io.cwd, repo) : context.repoOf({}), learnOptions);
      if (showProgress) io.err('\r\u001b[2K');
      context.print(options, report, () => summary(report));
    });
}
