/**
 * @module engine/eval/learn
 * Learning the retrieval policy from a repository's history (`rtc learn --from-git`, and the learning mode
 * of `rtc eval`). Past commits are replayed as episodes, oldest first, on the index of each parent tree (the
 * harness's worktree and incremental index): the commit's message is the query, asked with the policy
 * learned so far; the files and functions the commit changed are the relevant items, the other results
 * the irrelevant ones; `updatePolicy` learns from the ranking. The most recent commits (a held-out slice)
 * are never learned from: they score the starting policy and the policy of each epoch (file Acc@5, ties by
 * MRR), and the best of them is kept, so that learning never makes retrieval worse on unseen history.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { ERROR_CODES, EngineError, throwIfCancelled } from '../../base/index.js';
import { rememberTasks } from '../../retrieve/index.js';
import type { RememberedTask, RetrievalPolicy } from '../../retrieve/index.js';
import { indexDirOf, indexWorkspace, openIndex } from '../indexed-workspace.js';
import type { IndexOptions } from '../indexed-workspace.js';
import { loadPolicy, POLICY_FILE, savePolicy } from '../policy-store.js';
import { episodeResults, updatePolicy } from '../policy-update.js';
import type { EpisodeItem, PolicyEpisode, PolicyUpdateOptions } from '../policy-update.js';
import type { QueryOptions, QueryResult } from '../types.js';
import type { Workspace } from '../workspace.js';
import { checkoutWorktree, openRepository } from './git.js';
import type { GitRepository } from './git.js';
import { listCandidates } from './instances.js';
import { historyTasks } from './task-history.js';
import type { CandidateOptions, EvalCandidate, EvalInstance, SkipReason } from './instances.js';
import { answer, EVAL_TIME_MS, instanceAt } from './answer.js';
import type { AnswerSettings, EvalQuery } from './answer.js';

/** The cut-off of the score that picks the policy (file Acc@k; ties by MRR). */
export const LEARN_K = 5;
/** The share of candidates held out by default (the most recent ones). */
export const DEFAULT_HOLDOUT = 0.2;
/**
 * Wrong files at the top of a ranking that an episode counts as irrelevant, beside wrong symbols (which move
 * their files at half strength). None by default: on ky (values only, tested on 40 later commits) counting
 * the top 5 lost one instance of file Acc@5 and some MRR.
 */
const FILE_NEGATIVES = 0;
/** How much one irrelevant item counts against a relevant one (a commit has few relevant items). */
const NEGATIVE_WEIGHT = 0.5;

/** Where learning is. */
export interface LearnProgress {
  phase: 'train' | 'holdout';
  epoch: number;
  /** Candidates done in this phase, of total. */
  done: number;
  total: number;
  commit: string;
  subject: string;
}

/** A policy's score on the held-out slice. */
export interface HeldOutScore {
  /** Mean file Acc@5 (0 to 1). */
  acc: number;
  mrr: number;
  /** Held-out instances scored. */
  instances: number;
}

/** The worktree and index that the parent trees are indexed in, one after another. @internal */
export interface ParentIndex {
  repo: GitRepository;
  worktree: string;
  dbDir: string;
  index?: Pick<IndexOptions, 'workers' | 'maxFileBytes' | 'onProgress'>;
  signal?: AbortSignal;
}

/** Settings of {@link learnOnCandidates}. @internal */
export interface LearnSettings {
  /** Passes over the training candidates (default 1). */
  epochs?: number;
  /** Share of the candidates held out, the most recent (default {@link DEFAULT_HOLDOUT}). */
  holdout?: number;
  /** How queries are asked (seed, limit, budgets, the query function). */
  answer: Omit<AnswerSettings, 'ks' | 'extra' | 'onResult'>;
  onProgress?: (progress: LearnProgress) => void;
  /** How episodes are made and learned from (defaults: {@link historyEpisode}'s, `updatePolicy`'s). */
  episode?: HistoryEpisodeOptions;
  update?: PolicyUpdateOptions;
  /**
   * Past tasks from the history up to the end of the candidates, oldest first (see task-history.ts): the
   * task memory. Those before the held-out slice score each weight of {@link MEMORY_WEIGHTS} on it; the
   * policy kept remembers all of them at the weight that scored best (none when none beat the policy
   * without memory).
   */
  tasks?: readonly RememberedTask[];
}

/** The weights of the task memory that learning tries on the held-out slice. */
export const MEMORY_WEIGHTS: readonly number[] = [1, 0.5, 2, 4];

/** How a commit becomes an episode. */
export interface HistoryEpisodeOptions {
  /** How much one irrelevant item counts against a relevant one (default {@link NEGATIVE_WEIGHT}). */
  negativeWeight?: number;
  /** Wrong files at the top of the ranking counted as irrelevant (default {@link FILE_NEGATIVES}). */
  fileNegatives?: number;
  /** Learn value estimates (default true). */
  values?: boolean;
  /**
   * Also learn reward weights and edge priors from the ranking (default false: on ky, learning them lost 7.5
   * points of file Acc@5 on later commits while value estimates alone tied; bench/README.md).
   */
  ranking?: boolean;
}

/** What learning on a list of candidates did. @internal */
export interface LearnOutcome {
  /** The policy to keep: the best learned one when it is not worse than the start, else the start. */
  policy: RetrievalPolicy;
  /** Whether `policy` is a learned one. */
  improved: boolean;
  /** The epoch whose policy is kept (0: the starting policy). */
  bestEpoch: number;
  /** The task memory's weight in the policy kept (absent: no memory was learned or it did not help). */
  memoryWeight?: number;
  /** Tasks remembered by the policy kept. */
  memoryTasks: number;
  before: HeldOutScore;
  after: HeldOutScore;
  /** The held-out score after each epoch. */
  epochScores: HeldOutScore[];
  training: number;
  heldOut: number;
  /** Updates applied, over all epochs. */
  episodes: number;
  /** Candidates whose gold files were not in their parent's index (counted once). */
  notIndexed: number;
}

/** Indexes a candidate's parent tree and runs `visit` on its instance; false when it makes no instance. */
export async function atParent(
  parentIndex: ParentIndex,
  candidate: EvalCandidate,
  visit: (instance: EvalInstance, workspace: Workspace) => Promise<void>,
): Promise<boolean> {
  const { repo, worktree, dbDir, signal } = parentIndex;
  await checkoutWorktree(repo, worktree, candidate.parent);
  await indexWorkspace(worktree, { dbDir, ...parentIndex.index, ...(signal ? { signal } : {}) });
  const workspace = await openIndex(worktree, { dbDir, refresh: 'never' });
  try {
    const instance = await instanceAt(repo, candidate, workspace);
    if (!instance) return false;
    await visit(instance, workspace);
    return true;
  } finally {
    await workspace.close();
  }
}

/** The held-out count of `total` candidates: at least one, and at least one left to learn from. */
function heldOutCount(total: number, fraction: number): number {
  if (!(fraction > 0 && fraction < 1))
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'The held-out share must be between 0 and 1');
  if (total < 2)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `Too few commits to learn from: ${total} usable (at least 2: one to learn from, one held out)`,
    );
  return Math.min(total - 1, Math.max(1, Math.round(total * fraction)));
}

/** The episode of one instance: the ranking, the gold as relevant, the wrong results as irrelevant. */
export function historyEpisode(
  instance: EvalInstance,
  result: QueryResult,
  options: HistoryEpisodeOptions = {},
): PolicyEpisode {
  const gold = new Set(instance.goldFiles);
  const relevant: EpisodeItem[] = [
    ...instance.goldFunctions.map((fn) => ({ id: fn.id, path: fn.path })),
    ...instance.goldFiles.map((path) => ({ path })),
  ];
  const irrelevant: EpisodeItem[] = [];
  const seen = new Set<string>();
  for (const symbol of result.symbols)
    if (!gold.has(symbol.path) && !seen.has(symbol.id)) {
      seen.add(symbol.id);
      irrelevant.push({ id: symbol.id, path: symbol.path });
    }
  for (const file of result.files.slice(0, options.fileNegatives ?? FILE_NEGATIVES))
    if (!gold.has(file.path)) irrelevant.push({ path: file.path });
  return {
    query: instance.query,
    source: 'history',
    ...(options.ranking === true ? { results: episodeResults(result.symbols) } : {}),
    relevant,
    irrelevant,
    negativeWeight: options.negativeWeight ?? NEGATIVE_WEIGHT,
    // The commits are remembered apart, all of them (task-history.ts), and only when the memory helps.
    remember: false,
    ...(options.values === false ? { values: { relevant: false, irrelevant: false } } : {}),
    at: instance.time * 1000,
  };
}

/** Whether score `a` is better than `b` (Acc@5 first, then MRR). */
function better(a: HeldOutScore, b: HeldOutScore): boolean {
  return a.acc > b.acc || (a.acc === b.acc && a.mrr > b.mrr);
}

/** Whether score `a` is not worse than `b` (Acc@5 first, then MRR). */
function notWorse(a: HeldOutScore, b: HeldOutScore): boolean {
  return a.acc > b.acc || (a.acc === b.acc && a.mrr >= b.mrr);
}

interface HeldOutRow {
  acc: number;
  mrr: number;
}

/** `policy` with the task memory `tasks` (added to what it remembers already) at `weight`. */
function withMemory(
  policy: RetrievalPolicy,
  tasks: readonly RememberedTask[],
  weight: number,
): RetrievalPolicy {
  const memory = rememberTasks(policy.memory, tasks);
  return { ...policy, memory: { tasks: memory.tasks, weight } };
}

function meanScore(rows: HeldOutRow[]): HeldOutScore {
  const n = rows.length;
  if (n === 0) return { acc: 0, mrr: 0, instances: 0 };
  return {
    acc: rows.reduce((sum, row) => sum + row.acc, 0) / n,
    mrr: rows.reduce((sum, row) => sum + row.mrr, 0) / n,
    instances: n,
  };
}

/**
 * Learns from candidates (oldest first; see the module comment), starting from `start`, and returns the
 * policy to keep. The worktree moves forward through the training slice, then the held-out slice, once per
 * epoch.
 * @internal
 */
export async function learnOnCandidates(
  parentIndex: ParentIndex,
  candidates: readonly EvalCandidate[],
  start: RetrievalPolicy,
  settings: LearnSettings,
): Promise<LearnOutcome> {
  const epochs = settings.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Epochs must be a positive integer');
  const held = heldOutCount(candidates.length, settings.holdout ?? DEFAULT_HOLDOUT);
  const training = candidates.slice(0, candidates.length - held);
  const heldOut = candidates.slice(candidates.length - held);
  const ks = [LEARN_K];
  const notIndexed = new Set<string>();
  const ask = async (
    instance: EvalInstance,
    workspace: Workspace,
    policy: RetrievalPolicy,
    onResult?: (result: QueryResult) => void,
  ): Promise<{ acc: number; mrr: number }> => {
    const record = await answer(workspace, instance, 'full', {
      ...settings.answer,
      ks,
      extra: { policy },
      ...(onResult ? { onResult } : {}),
    });
    // A failed query scores 0 and teaches nothing (no result reaches `onResult`).
    return { acc: record.metrics[`fileAcc@${LEARN_K}`] ?? 0, mrr: record.metrics.mrr ?? 0 };
  };

  // The task memory scored on a commit knows only the tasks before it (and never the commit's own).
  const tasks = settings.tasks ?? [];
  const memoryAt = (candidate: EvalCandidate, base: RetrievalPolicy): RememberedTask[] => {
    const from = candidate.time * 1000;
    const before = tasks.filter((task) => task.at < from && task.key !== candidate.commit);
    return before.length === 0 ? [] : rememberTasks(base.memory, before).tasks;
  };

  let current = start;
  let episodes = 0;
  let best: { policy: RetrievalPolicy; epoch: number; score: HeldOutScore; weight?: number } = {
    policy: start,
    epoch: 0,
    score: { acc: 0, mrr: 0, instances: 0 },
  };
  let before: HeldOutScore = { acc: 0, mrr: 0, instances: 0 };
  const epochScores: HeldOutScore[] = [];
  // Replaying the training commits teaches only value estimates, weights and edge priors. Without it,
  // every candidate scores the task memory (each with the tasks before it): a larger slice to pick by.
  const replay = settings.episode?.values !== false || settings.episode.ranking === true;
  const scoring = replay ? heldOut : candidates;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (const [done, candidate] of replay ? training.entries() : []) {
      throwIfCancelled(parentIndex.signal);
      settings.onProgress?.({ phase: 'train', epoch, done, total: training.length, ...about(candidate) });
      const found = await atParent(parentIndex, candidate, async (instance, workspace) => {
        let result: QueryResult | undefined;
        await ask(instance, workspace, current, (r) => (result = r));
        if (!result) return;
        current = updatePolicy(current, historyEpisode(instance, result, settings.episode), settings.update);
        episodes++;
      });
      if (!found) notIndexed.add(candidate.commit);
    }
    // The variants scored: the starting policy (first epoch), the policy of this epoch when the replay
    // taught it something, and each of them with the task memory at every weight tried. A learned variant
    // replaces the starting policy when it scores no worse, and another learned one only when it scores
    // better: ties go to the first in this order (the memory at weight 1 first).
    const bases: { policy: RetrievalPolicy; epoch: number }[] = [];
    if (replay) bases.push({ policy: current, epoch });
    if (epoch === 1) bases.push({ policy: start, epoch: 0 });
    const variants: { base: RetrievalPolicy; epoch: number; weight?: number; rows: HeldOutRow[] }[] = [];
    if (epoch === 1) variants.push({ base: start, epoch: 0, rows: [] });
    if (tasks.length > 0)
      for (const base of bases)
        for (const weight of MEMORY_WEIGHTS)
          variants.push({ base: base.policy, epoch: base.epoch, weight, rows: [] });
    if (replay) variants.push({ base: current, epoch, rows: [] });
    for (const [done, candidate] of scoring.entries()) {
      throwIfCancelled(parentIndex.signal);
      settings.onProgress?.({ phase: 'holdout', epoch, done, total: scoring.length, ...about(candidate) });
      const found = await atParent(parentIndex, candidate, async (instance, workspace) => {
        const memories = new Map<RetrievalPolicy, RememberedTask[]>();
        for (const variant of variants) {
          let policy = variant.base;
          if (variant.weight !== undefined) {
            let memory = memories.get(variant.base);
            if (!memory) memories.set(variant.base, (memory = memoryAt(candidate, variant.base)));
            // Weights share one task list (and so one recall index).
            policy = { ...variant.base, memory: { tasks: memory, weight: variant.weight } };
          }
          variant.rows.push(await ask(instance, workspace, policy));
        }
      });
      if (!found) notIndexed.add(candidate.commit);
    }
    for (const variant of variants) {
      const score = meanScore(variant.rows);
      if (variant.epoch === 0 && variant.weight === undefined) {
        before = score;
        best = { policy: start, epoch: 0, score };
        continue;
      }
      if (variant.weight === undefined) epochScores.push(score);
      const learnedBest = best.epoch > 0 || best.weight !== undefined;
      if (learnedBest ? better(score, best.score) : notWorse(score, best.score))
        best = {
          policy: variant.base,
          epoch: variant.epoch,
          score,
          ...(variant.weight !== undefined ? { weight: variant.weight } : {}),
        };
    }
  }
  // The policy kept remembers every task given, at the weight that scored best.
  // (A new version: the memory changes the policy even when the values did not move.)
  const kept =
    best.weight !== undefined && tasks.length > 0
      ? {
          ...withMemory(best.policy, tasks, best.weight),
          version: Math.max(best.policy.version, start.version) + 1,
        }
      : best.policy;
  return {
    policy: kept,
    improved: best.epoch > 0 || best.weight !== undefined,
    bestEpoch: best.epoch,
    ...(best.weight !== undefined ? { memoryWeight: best.weight } : {}),
    memoryTasks: kept.memory?.tasks.length ?? 0,
    before,
    after: best.score,
    epochScores,
    training: replay ? training.length : 0,
    heldOut: scoring.length,
    episodes,
    notIndexed: notIndexed.size,
  };
}

function about(candidate: EvalCandidate): { commit: string; subject: string } {
  return { commit: candidate.commit, subject: candidate.subject };
}

/** Settings of {@link learnFromGit}. */
export interface LearnOptions extends CandidateOptions {
  /** Share of the candidates held out, the most recent (default 0.2). */
  holdout?: number;
  /** Passes over the training commits (default 1). */
  epochs?: number;
  /** The index folder whose policy is learned and saved (default `<repo>/.rtc`). */
  dbDir?: string;
  /** The worktree and index of the parent commits (default `<repo>/.rtc/eval`, as `rtc eval`). */
  work?: string;
  /** Whether to save a policy that is not worse (default true). */
  save?: boolean;
  /** How commits become episodes (default value estimates only; `{ ranking: true }`: weights and edge priors too). */
  episode?: HistoryEpisodeOptions;
  /** Learn a task memory from the history (default true). */
  memory?: boolean;
  /** The random seed of every query (default 1). */
  seed?: number;
  /** Results asked of each query (default 20). */
  limit?: number;
  iterations?: number;
  /** Graph search time budget (default {@link EVAL_TIME_MS}: the iterations bound the search). */
  timeMs?: number;
  index?: Pick<IndexOptions, 'workers' | 'maxFileBytes' | 'onProgress'>;
  onProgress?: (progress: LearnProgress) => void;
  signal?: AbortSignal;
  /** @internal The query to run (tests); default `Workspace.query`. */
  query?: EvalQuery;
}

/** What `rtc learn --from-git` did. */
export interface LearnReport {
  repo: string;
  range: string;
  work: string;
  /** The policy file (saved or not). */
  policyFile: string;
  commitsScanned: number;
  /** Candidate commits: learned from, and held out. */
  training: number;
  heldOut: number;
  epochs: number;
  episodes: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Held-out file Acc@5 and MRR of the starting policy and of the policy kept. */
  before: HeldOutScore;
  after: HeldOutScore;
  epochScores: HeldOutScore[];
  bestEpoch: number;
  /** Tasks the policy kept remembers, and its memory's weight (absent: no memory learned, or it did not help). */
  memoryTasks: number;
  memoryWeight?: number;
  /** Whether a learned policy was saved. */
  saved: boolean;
  /** The version of the starting policy, and of the policy in use after learning. */
  startVersion: number;
  version: number;
  /** Why the stored policy could not be read (learning then starts from the default one). */
  warning?: string;
}

/**
 * Learns the policy of a repository's index folder from its history and saves it when it scores no worse on
 * the held-out commits than the stored one (see the module comment).
 */
export async function learnFromGit(repoPath: string, options: LearnOptions = {}): Promise<LearnReport> {
  const repo = await openRepository(repoPath);
  const work = resolvePath(options.work ?? join(repo.dir, '.rtc', 'eval'));
  const policyDir = indexDirOf(repo.dir, options.dbDir);
  const loaded = loadPolicy(policyDir);
  const list = await listCandidates(repo, { ...options, history: options.history ?? true });
  // The task memory: the history up to the newest candidate (the range's end), with `since` if given.
  const newest = list.candidates[list.candidates.length - 1];
  const tasks =
    options.memory === false || !newest
      ? []
      : await historyTasks(repo, {
          rev: newest.commit,
          ...(options.since !== undefined ? { since: options.since } : {}),
        });
  const outcome = await learnOnCandidates(
    {
      repo,
      worktree: join(work, 'worktree'),
      dbDir: join(work, 'index'),
      ...(options.index ? { index: options.index } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    list.candidates,
    loaded.policy,
    {
      tasks,
      ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
      ...(options.holdout !== undefined ? { holdout: options.holdout } : {}),
      answer: {
        seed: options.seed ?? 1,
        limit: options.limit ?? 20,
        query: options.query ?? ((workspace, text, query: QueryOptions) => workspace.query(text, query)),
        budgets: {
          ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
          timeMs: options.timeMs ?? EVAL_TIME_MS,
        },
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.episode ? { episode: options.episode } : {}),
    },
  );
  const saved = outcome.improved && options.save !== false;
  if (saved) {
    mkdirSync(policyDir, { recursive: true });
    savePolicy(policyDir, outcome.policy);
  }
  const skipped = { ...list.skipped };
  if (outcome.notIndexed > 0) skipped['not-indexed'] = outcome.notIndexed;
  return {
    repo: repo.dir,
    range: list.range,
    work,
    policyFile: join(policyDir, POLICY_FILE),
    commitsScanned: list.commitsScanned,
    training: outcome.training,
    heldOut: outcome.heldOut,
    epochs: options.epochs ?? 1,
    episodes: outcome.episodes,
    skipped,
    before: outcome.before,
    after: outcome.after,
    epochScores: outcome.epochScores,
    bestEpoch: outcome.bestEpoch,
    memoryTasks: outcome.memoryTasks,
    ...(outcome.memoryWeight !== undefined ? { memoryWeight: outcome.memoryWeight } : {}),
    saved,
    startVersion: loaded.policy.version,
    version: saved ? outcome.policy.version : loaded.policy.version,
    ...(loaded.warning !== undefined ? { warning: loaded.warning } : {}),
  };
}
