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
import { DEFAULT_POLICY, emptyPolicy } from '../../retrieve/index.js';
import { indexWorkspace, openIndex } from '../indexed-workspace.js';
import type { IndexOptions } from '../indexed-workspace.js';
import type { QueryOptions, QueryResult } from '../types.js';
import type { Workspace } from '../workspace.js';
import { checkoutWorktree, openRepository } from './git.js';
import { listCandidates } from './instances.js';
import { answer, EVAL_TIME_MS, instanceAt } from './answer.js';
import type { EvalQuery, EvalResultRecord } from './answer.js';
import { learnOnCandidates } from './learn.js';
import { historyTasks } from './task-history.js';
import type { HeldOutScore, HistoryEpisodeOptions } from './learn.js';
import type { CandidateOptions, EvalCandidate, SkipReason } from './instances.js';
import { DEFAULT_KS, meanMetrics } from './metrics.js';
import type { MetricValues } from './metrics.js';
import { selectSystems } from './systems.js';
import { formatTable } from './table.js';
import type { EvalSystemSummary } from './table.js';

export { EVAL_TIME_MS };
export type { EvalQuery, EvalResultRecord };

/** Where an evaluation is. */
export interface EvalProgress {
  phase: 'index' | 'query' | 'learn';
  /** Instances done, of total. */
  done: number;
  total: number;
  commit: string;
  subject: string;
}

/** Settings of {@link runEval}. */
export interface EvalOptions extends CandidateOptions {
  /** Systems to run (default: all of `EVAL_SYSTEMS`, systems.ts). */
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
  /**
   * Learning mode: learn a policy on the candidates committed before this date (anything `Date.parse`
   * reads), test on the later ones. The rows are then `full+learned`, `full` (the default policy) and the
   * systems asked for (default `bm25`).
   */
  learnBefore?: string;
  /** Learning mode: learn on this share of the candidates (the oldest), test on the rest. */
  learnSplit?: number;
  /** Learning mode: passes over the learning commits (default 1). */
  learnEpochs?: number;
  /** Learning mode: the share of the learning commits held out to pick the policy (default 0.2). */
  learnHoldout?: number;
  /** Learning mode: how commits become episodes (default value estimates only; `{ ranking: true }`: weights and edge priors too). */
  learnEpisode?: HistoryEpisodeOptions;
  /** Learning mode: learn a task memory from the earlier history (default true). */
  learnMemory?: boolean;
}

/** The row of the learned policy in learning mode. */
export const LEARNED_SYSTEM = 'full+learned';

/** What the learning mode learned (on the commits before the test slice). */
export interface EvalLearning {
  /** Candidates learned from (training and held out), and tested on. */
  learnCandidates: number;
  testCandidates: number;
  /** The first test commit's time (ISO 8601). */
  testFrom?: string;
  episodes: number;
  /** Held-out file Acc@5 and MRR (within the learning commits) of the default and the learned policy. */
  heldOutBefore: HeldOutScore;
  heldOutAfter: HeldOutScore;
  /** Whether the learned policy was kept (else `full+learned` is `full`). */
  improved: boolean;
  policyVersion: number;
  /** Tasks the learned policy remembers, and the memory's weight (absent: not used). */
  memoryTasks: number;
  memoryWeight?: number;
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
  /** Learning mode only. */
  learning?: EvalLearning;
}

/**
 * Evaluates retrieval on localization instances from a repository's history (see the module comment), and
 * writes `instances.jsonl`, `results.jsonl`, `summary.json` and `table.md` to the output folder.
 */
export async function runEval(repoPath: string, options: EvalOptions = {}): Promise<EvalReport> {
  const learningMode = options.learnBefore !== undefined || options.learnSplit !== undefined;
  const systems = learningMode
    ? [
        LEARNED_SYSTEM,
        ...selectSystems(
          options.systems ? options.systems.filter((name) => name !== LEARNED_SYSTEM) : ['full', 'bm25'],
        ),
      ]
    : selectSystems(options.systems);
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
  let candidates = list.candidates;
  let learning: EvalLearning | undefined;
  const extras = new Map<string, Pick<QueryOptions, 'policy'>>();
  if (learningMode) {
    const at = splitAt(list.candidates, options);
    const learnSet = list.candidates.slice(0, at);
    candidates = list.candidates.slice(at);
    if (candidates.length === 0)
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Nothing to test on: no commit after the split');
    // The task memory: the history up to the last commit learned from, without the commits tested on
    // (nor commits with the same subject: cherry-picks of a tested change).
    const tested = new Set(candidates.map((candidate) => candidate.commit));
    const testedSubjects = new Set(candidates.map((candidate) => candidate.subject));
    const last = learnSet[learnSet.length - 1];
    const tasks =
      options.learnMemory === false || !last
        ? []
        : await historyTasks(repo, {
            rev: last.commit,
            exclude: (commit) =>
              tested.has(commit.hash) || testedSubjects.has(commit.message.split('\n')[0]!.trim()),
          });
    const outcome = await learnOnCandidates(
      { repo, worktree, dbDir, ...pick(options) },
      learnSet,
      emptyPolicy(),
      {
        tasks,
        ...(options.learnEpochs !== undefined ? { epochs: options.learnEpochs } : {}),
        ...(options.learnHoldout !== undefined ? { holdout: options.learnHoldout } : {}),
        ...(options.learnEpisode ? { episode: options.learnEpisode } : {}),
        answer: { seed, limit, query, budgets },
        ...(options.onProgress
          ? {
              onProgress: (progress) => {
                options.onProgress?.({ ...progress, phase: 'learn' });
              },
            }
          : {}),
      },
    );
    learning = {
      learnCandidates: learnSet.length,
      testCandidates: candidates.length,
      ...(candidates[0] ? { testFrom: new Date(candidates[0].time * 1000).toISOString() } : {}),
      episodes: outcome.episodes,
      heldOutBefore: outcome.before,
      heldOutAfter: outcome.after,
      improved: outcome.improved,
      policyVersion: outcome.policy.version,
      memoryTasks: outcome.memoryTasks,
      ...(outcome.memoryWeight !== undefined ? { memoryWeight: outcome.memoryWeight } : {}),
    };
    for (const system of systems)
      extras.set(system, { policy: system === LEARNED_SYSTEM ? outcome.policy : DEFAULT_POLICY });
  }

  mkdirSync(out, { recursive: true });
  const instancesFile = join(out, 'instances.jsonl');
  const resultsFile = join(out, 'results.jsonl');
  writeFileSync(instancesFile, '');
  writeFileSync(resultsFile, '');

  const skipped = { ...list.skipped };
  const rows = new Map(systems.map((name) => [name, [] as MetricValues[]]));
  const errors = new Map(systems.map((name) => [name, [] as string[]]));
  const times = new Map(systems.map((name) => [name, 0]));
  // The first query on a freshly opened index pays for warming it: the learned row goes last, so that its
  // time per query compares with the default's.
  const askOrder = learningMode ? [...systems.slice(1), LEARNED_SYSTEM] : systems;
  let instances = 0;
  for (const [done, candidate] of candidates.entries()) {
    throwIfCancelled(options.signal);
    const progress = {
      done,
      total: candidates.length,
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
      for (const system of askOrder) {
        throwIfCancelled(options.signal);
        const extra = extras.get(system);
        const record = await answer(workspace, instance, system, {
          seed,
          limit,
          ks,
          query,
          budgets,
          ...(extra ? { extra } : {}),
        });
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
    ...(learning ? { learning } : {}),
  };
  report.table = describe(report) + '\n\n' + formatTable(summaries, ks) + '\n';
  writeFileSync(join(out, 'table.md'), report.table);
  writeFileSync(join(out, 'summary.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

/** The number of candidates (oldest first) that learning mode learns from. */
function splitAt(
  candidates: readonly EvalCandidate[],
  options: Pick<EvalOptions, 'learnBefore' | 'learnSplit'>,
): number {
  if (options.learnBefore !== undefined) {
    const time = Date.parse(options.learnBefore);
    if (Number.isNaN(time))
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a date: ${options.learnBefore}`);
    const at = candidates.findIndex((candidate) => candidate.time * 1000 >= time);
    return at < 0 ? candidates.length : at;
  }
  const split = options.learnSplit ?? 0.5;
  if (!(split > 0 && split < 1))
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'The learning split must be between 0 and 1');
  return Math.round(candidates.length * split);
}

/** The indexing settings and the signal of an evaluation. */
function pick(options: EvalOptions): { index?: NonNullable<EvalOptions['index']>; signal?: AbortSignal } {
  return {
    ...(options.index ? { index: options.index } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
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
    ...(report.learning ? [describeLearning(report.learning)] : []),
  ].join('\n');
}

/** The line of the learning mode: what was learned from, and how the policy did on its held-out commits. */
function describeLearning(learning: EvalLearning): string {
  const score = (s: HeldOutScore): string => `Acc@5 ${s.acc.toFixed(3)}, MRR ${s.mrr.toFixed(3)}`;
  return (
    `- Learning: ${learning.learnCandidates} earlier commits (${learning.episodes} episodes), tested on the ` +
    `${learning.testCandidates} later ones${learning.testFrom ? ` (from ${learning.testFrom})` : ''}; ` +
    `held-out within the earlier commits: default ${score(learning.heldOutBefore)}, ` +
    `learned ${score(learning.heldOutAfter)}` +
    (learning.memoryWeight !== undefined
      ? `; task memory of ${learning.memoryTasks} past commits at weight ${learning.memoryWeight}`
      : '; no task memory') +
    (learning.improved ? '' : ' (the learned policy was not better: full+learned is full)')
  );
}
