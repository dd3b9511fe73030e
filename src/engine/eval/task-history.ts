/**
 * @module engine/eval/task-history
 * A repository's history as remembered tasks (retrieve/task-memory.ts): each descriptive commit is a task
 * (its message's words) and the source files it modified or added are what mattered for it. One `git log`
 * pass; merges, chores (releases, version bumps, formatting…) and commits that touch no source file or more
 * than {@link MAX_TASK_FILES} are left out.
 */
import { ERROR_CODES, EngineError } from '../../base/index.js';
import { MAX_TASK_FILES, MAX_TASKS, taskTerms } from '../../retrieve/index.js';
import type { RememberedTask } from '../../retrieve/index.js';
import { git, LOG_FORMAT_ARGS, parseLog } from './git.js';
import type { CommitRecord, GitRepository } from './git.js';
import { isDescriptiveMessage, isGoldSourcePath, queryText } from './instances.js';

/** Which commits to remember. */
export interface HistoryTaskOptions {
  /** The newest commit (default `HEAD`): it and its ancestors are read. */
  rev?: string;
  /** Commits read at most (default {@link MAX_TASKS}). */
  maxCommits?: number;
  /** Only commits made after this date (anything `git log --since` takes). */
  since?: string;
  /** Commits to leave out (for example the ones an evaluation tests on). */
  exclude?: (commit: CommitRecord) => boolean;
}

/** The task a commit stands for, or undefined when it says nothing about where code lives. */
export function commitTask(commit: CommitRecord): RememberedTask | undefined {
  if (commit.parents.length > 1) return undefined;
  const subject = commit.message.split('\n')[0]!.trim();
  if (!isDescriptiveMessage(subject, 2)) return undefined;
  const files = [
    ...new Set(
      commit.changes
        .filter((change) => (change.status === 'M' || change.status === 'A') && isGoldSourcePath(change.path))
        .map((change) => change.path),
    ),
  ].sort();
  if (files.length === 0 || files.length > MAX_TASK_FILES) return undefined;
  const terms = taskTerms(queryText(commit.message));
  if (terms.length === 0) return undefined;
  return { terms, files, source: 'history', at: commit.time * 1000, key: commit.hash };
}

/** The tasks of a repository's history, oldest first. */
export async function historyTasks(
  repo: GitRepository,
  options: HistoryTaskOptions = {},
): Promise<RememberedTask[]> {
  const rev = options.rev ?? 'HEAD';
  if (rev.startsWith('-')) throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a revision: ${rev}`);
  const args = ['-C', repo.dir, 'log', ...LOG_FORMAT_ARGS, `--max-count=${options.maxCommits ?? MAX_TASKS}`];
  if (options.since !== undefined) args.push(`--since=${options.since}`);
  args.push('--end-of-options', rev, '--');
  const tasks: RememberedTask[] = [];
  for (const commit of parseLog(await git(args, { code: ERROR_CODES.INVALID_ARGUMENT }))) {
    if (options.exclude?.(commit)) continue;
    const task = commitTask(commit);
    if (task) tasks.push(task);
  }
  return tasks.sort((a, b) => a.at - b.at);
}
