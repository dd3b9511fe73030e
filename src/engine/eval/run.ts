/**
 * @module engine/eval/run
 * `rtc eval`: for each instance, oldest first, the worktree is moved to the parent commit, the parent's
 * tree is indexed (incrementally: only the files that changed since the previous instance are parsed), the
 * gold functions are read from that index, and every system answers the question on the same open index
 * with the same seed. Per-instance results go to JSONL files; the means make the table.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { ERROR_CODES, EngineError, throwIfCancelled } from '../../base/index.js';
import { indexWorkspace, openIndex } from '../indexed-workspace.js';
import type { IndexOptions } from '../indexed-workspace.js';
import type { QueryOptions, QueryResult } from '../types.js';
import type { Workspace } from '../workspace.js';
import { checkoutWorktree, oldSideLines, openRepository } from './git.js';
import { goldFunctions, listCandidates } from './instances.js';
import type { CandidateOptions, EvalCandidate, EvalInstance, SkipReason } from './instances.js';
import { DEFAULT_KS, fileMetrics, functionMetrics, meanMetrics } from './metrics.js';
import type { MetricValues, RankedSymbol } from './metrics.js';
import { EVAL_SYSTEMS, selectSystems } from './systems.js';
import { formatTable } from './table.js';
import type { EvalSystemSummary } from './table.js';

/** The default time budget of a query's graph search: long enough never to be the bound. */
export const EVAL_TIME_MS = 600_000;

/** Runs one query: `Workspace.query` unless a test passes its own. */
export type EvalQuery = (
  workspace: Workspace,
  text: string,
  options: QueryOptions,
) => QueryResult | Promise<QueryResult>;

/** Where an evaluation is. */
export interface EvalProgress {
  phase: 'index' | 'query';
  /** Instances done, of total. */
  done: number;
  total: number;
  commit: string;
  subject: string;
}

/** Settings of {@link runEval}. */
export interface EvalOptions extends CandidateOptions {
  /** Systems to run (default: all of {@link EVAL_SYSTEMS}). */
  systems?: readonly string[];
  /** Cut-offs of the metrics (default 1, 3, 5, 10). */
  ks?: readonly number[];
  /** The harness's folder: the worktree and its index (default `<repo>/.rtc/eval`). */
  work?: string;
  /** Where the results go (default `<work>/results`). */
  out?: string;
  /** The random seed of every query (default 1). */
  seed?: number;
  /** Results asked of each query (default: the largest k, and at least 20). */
  limit?: number;
  /** Graph search iterations of every query (default: the engine's). */
  iterations?: number;
  /**
   * Graph search time budget of every query. Default: {@link EVAL_TIME_MS}, so that the iterations bound the
   * search and the results do not depend on the machine's speed or load.
   */
  timeMs?: number;
  /** Indexing settings (threads, file size limit, progress). */
  index?: Pick<IndexOptions, 'workers' | 'maxFileBytes' | 'onProgress'>;
  onProgress?: (progress: EvalProgress) => void;
  signal?: AbortSignal;
  /** @internal The query to run (tests); default `Workspace.query`. */
  query?: EvalQuery;
}

/** What an evaluation found (`rtc eval --json`). */
export interface EvalReport {
  repo: string;
  /** The range read (`A..B` or a revision). */
  range: string;
  work: string;
  out: string;
  commitsScanned: number;
  instances: number;
  /** Commits that gave no instance, by reason. */
  skipped: Partial<Record<SkipReason, number>>;
  history: boolean;
  seed: number;
  ks: number[];
  systems: EvalSystemSummary[];
  /** The Markdown report: what was measured, and the table. */
  table: string;
}

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
 * Evaluates retrieval on localization instances from a repository's history (see the module comment), and
 * writes `instances.jsonl`, `results.jsonl`, `summary.json` and `table.md` to the output folder.
 */
export async function runEval(repoPath: string, options: EvalOptions = {}): Promise<EvalReport> {
  const systems = selectSystems(options.systems);
  const ks = [...new Set(options.ks ?? DEFAULT_KS)].sort((a, b) => a - b);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1))
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Cut-offs (k) must be positive integers');
  const seed = options.seed ?? 1;
  const history = options.history ?? true;
  const limit = Math.max(options.limit ?? 20, ks[ks.length - 1]!);
  const query = options.query ?? workspaceQuery;
  const budgets: Pick<QueryOptions, 'iterations' | 'timeMs'> = {
    ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
    timeMs: options.timeMs ?? EVAL_TIME_MS,
  };

  const repo = await openRepository(repoPath);
  const work = resolvePath(options.work ?? join(repo.dir, '.rtc', 'eval'));
  const out = resolvePath(options.out ?? join(work, 'results'));
  const worktree = join(work, 'worktree');
  const dbDir = join(work, 'index');
  const list = await listCandidates(repo, { ...options, history });

  mkdirSync(out, { recursive: true });
  const instancesFile = join(out, 'instances.jsonl');
  const resultsFile = join(out, 'results.jsonl');
  writeFileSync(instancesFile, '');
  writeFileSync(resultsFile, '');

  const skipped = { ...list.skipped };
  const rows = new Map(systems.map((name) => [name, [] as MetricValues[]]));
  const errors = new Map(systems.map((name) => [name, [] as string[]]));
  const times = new Map(systems.map((name) => [name, 0]));
  let instances = 0;
  for (const [done, candidate] of list.candidates.entries()) {
    throwIfCancelled(options.signal);
    const progress = {
      done,
      total: list.candidates.length,
      commit: candidate.commit,
      subject: candidate.subject,
    };
    options.onProgress?.({ phase: 'index', ...progress });
    await checkoutWorktree(repo, worktree, candidate.parent);
    await indexWorkspace(worktree, {
      dbDir,
      ...options.index,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const workspace = await openIndex(worktree, { dbDir, refresh: 'never' });
    try {
      const instance = await instanceAt(repo, candidate, workspace);
      if (!instance) {
        skipped['not-indexed'] = (skipped['not-indexed'] ?? 0) + 1;
        continue;
      }
      instances++;
      appendFileSync(instancesFile, JSON.stringify(instance) + '\n');
      options.onProgress?.({ phase: 'query', ...progress });
      for (const system of systems) {
        throwIfCancelled(options.signal);
        const record = await answer(workspace, instance, system, { seed, limit, ks, query, budgets });
        appendFileSync(resultsFile, JSON.stringify(record) + '\n');
        rows.get(system)!.push(record.metrics);
        times.set(system, times.get(system)! + record.ms);
        if (record.error !== undefined) errors.get(system)!.push(record.error);
      }
    } finally {
      await workspace.close();
    }
  }

  const summaries = systems.map((system): EvalSystemSummary => {
    const { means, counts } = meanMetrics(rows.get(system)!);
    const failures = errors.get(system)!;
    return {
      system,
      instances: rows.get(system)!.length,
      functionInstances: counts[`fnRecall@${ks[0]!}`] ?? 0,
      errors: failures.length,
      ...(failures[0] !== undefined ? { firstError: failures[0] } : {}),
      metrics: means,
      meanMs: instances > 0 ? times.get(system)! / instances : 0,
    };
  });
  const report: EvalReport = {
    repo: repo.dir,
    range: list.range,
    work,
    out,
    commitsScanned: list.commitsScanned,
    instances,
    skipped,
    history,
    seed,
    ks,
    systems: summaries,
    table: '',
  };
  report.table = describe(report) + '\n\n' + formatTable(summaries, ks) + '\n';
  writeFileSync(join(out, 'table.md'), report.table);
  writeFileSync(join(out, 'summary.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

/** The instance of a candidate in its parent's index; undefined when no gold file is in the index. */
async function instanceAt(
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

/** One system's answer to one instance, scored. */
async function answer(
  workspace: Workspace,
  instance: EvalInstance,
  system: string,
  settings: {
    seed: number;
    limit: number;
    ks: readonly number[];
    query: EvalQuery;
    budgets: Pick<QueryOptions, 'iterations' | 'timeMs'>;
  },
): Promise<EvalResultRecord> {
  const { seed, limit, ks, query, budgets } = settings;
  const options: QueryOptions = {
    ...EVAL_SYSTEMS[system],
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

/** `Workspace.query`. */
function workspaceQuery(workspace: Workspace, text: string, options: QueryOptions): Promise<QueryResult> {
  return workspace.query(text, options);
}

/** The paragraph above the table: what was measured. */
function describe(report: EvalReport): string {
  const skipped = Object.entries(report.skipped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    `- Repository: ${report.repo}`,
    `- Range: ${report.range}; ${report.commitsScanned} commits read, ${report.instances} instances` +
      (skipped ? ` (left out: ${skipped})` : ''),
    `- History: ${report.history ? 'recent changes up to the parent given to every system' : 'none (--no-history)'}`,
    `- Seed: ${report.seed}`,
  ].join('\n');
}
