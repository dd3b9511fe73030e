/**
 * @module engine/eval/answer
 * One query of an evaluation, scored: the instance of a commit in its parent's index and a system's answer
 * to it. Shared by the evaluation (run.ts) and learning from history (learn.ts), which would otherwise
 * import each other.
 */
import type { QueryOptions, QueryResult } from '../types.js';
import type { Workspace } from '../workspace.js';
import { oldSideLines } from './git.js';
import type { openRepository } from './git.js';
import { goldFunctions } from './instances.js';
import type { EvalCandidate, EvalInstance } from './instances.js';
import { fileMetrics, functionMetrics } from './metrics.js';
import type { MetricValues, RankedSymbol } from './metrics.js';
import { EVAL_SYSTEMS } from './systems.js';

/** The default time budget of a query's graph search: long enough never to be the bound. */
export const EVAL_TIME_MS = 600_000;

/** Runs one query: `Workspace.query` unless a test passes its own. */
export type EvalQuery = (
  workspace: Workspace,
  text: string,
  options: QueryOptions,
) => QueryResult | Promise<QueryResult>;

/** One line of `results.jsonl`: a system's answer to one instance. */
export interface EvalResultRecord {
  commit: string;
  system: string;
  metrics: MetricValues;
  /** Rank of the first gold file (0: not ranked). */
  firstGoldRank: number;
  /** The top files and symbols (`path#qualifiedName`), up to the largest k. */
  files: string[];
  symbols: string[];
  ms: number;
  error?: string;
}

/**
 * The instance of a candidate in its parent's index; undefined when no gold file is in the index.
 * @internal
 */
export async function instanceAt(
  repo: Awaited<ReturnType<typeof openRepository>>,
  candidate: EvalCandidate,
  workspace: Workspace,
): Promise<EvalInstance | undefined> {
  const symbolsByFile = new Map(candidate.goldFiles.map((path) => [path, workspace.fileSymbols(path)]));
  // A file the indexer skipped (too large, binary) cannot be found: leave it out of the answer.
  const goldFiles = candidate.goldFiles.filter((path) => symbolsByFile.get(path)!.length > 0);
  if (goldFiles.length === 0) return undefined;
  const lines = await oldSideLines(repo, candidate.parent, candidate.commit, goldFiles);
  const present = { ...candidate, goldFiles };
  return {
    ...present,
    goldFunctions: goldFunctions(present, lines, (path) => symbolsByFile.get(path) ?? []),
  };
}

/** What every answer of an evaluation shares. @internal */
export interface AnswerSettings {
  seed: number;
  limit: number;
  ks: readonly number[];
  query: EvalQuery;
  budgets: Pick<QueryOptions, 'iterations' | 'timeMs'>;
  /** Options of this answer beyond its system's switches (a policy). */
  extra?: Pick<QueryOptions, 'policy'>;
  /** Receives the query's result (learning reads the ranking). */
  onResult?: (result: QueryResult) => void;
}

/**
 * One system's answer to one instance, scored. `system` names a row: a system of {@link EVAL_SYSTEMS}, or
 * any other name with `settings.extra` (the switches of `full`, then the extra options).
 * @internal
 */
export async function answer(
  workspace: Workspace,
  instance: EvalInstance,
  system: string,
  settings: AnswerSettings,
): Promise<EvalResultRecord> {
  const { seed, limit, ks, query, budgets } = settings;
  const options: QueryOptions = {
    ...(EVAL_SYSTEMS[system] ?? {}),
    ...settings.extra,
    ...budgets,
    limit,
    seed,
    // Always given: without it the engine would read recent changes from the worktree (git, file times).
    recentChanges: instance.recentChanges.map(({ path, weight }) => ({ path, weight })),
  };
  const started = performance.now();
  let result: QueryResult | undefined;
  let error: string | undefined;
  try {
    result = await query(workspace, instance.query, options);
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const ms = performance.now() - started;
  if (result) settings.onResult?.(result);
  const files = (result?.files ?? []).map((f) => f.path);
  const symbols: RankedSymbol[] = (result?.symbols ?? []).map((s) => ({
    id: s.id,
    path: s.path,
    name: s.name,
    qualifiedName: s.qualifiedName,
    lines: [s.range.start.line, s.range.end.line],
  }));
  const metrics = {
    ...fileMetrics(files, instance.goldFiles, ks),
    ...functionMetrics(symbols, instance.goldFunctions, ks),
  };
  const maxK = ks[ks.length - 1]!;
  const wanted = new Set(instance.goldFiles);
  return {
    commit: instance.commit,
    system,
    metrics,
    firstGoldRank: files.findIndex((path) => wanted.has(path)) + 1,
    files: files.slice(0, maxK),
    symbols: symbols.slice(0, maxK).map((s) => `${s.path}#${s.qualifiedName}`),
    ms: Math.round(ms * 10) / 10,
    ...(error !== undefined ? { error } : {}),
  };
}
