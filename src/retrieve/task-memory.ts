/**
 * @module retrieve/task-memory
 * The task memory of a retrieval policy: past tasks (a commit's message, a query someone gave feedback on)
 * and the files that turned out to matter for them. A new query recalls the past tasks most like it (BM25
 * over their words) and the files those tasks touched, each scored by how alike the task is and how few
 * files it touched; retrieval takes the best of them as entry points and gives their nodes a bounded reward
 * bonus, scaled by the memory's weight (which `rtc learn` picks on held-out history, 0 when recall does
 * not help). It is the query-dependent half of what the policy learns: the value estimates say which code
 * matters in general, the memory which code mattered for tasks like this one (the idea of "similar bug
 * reports" in bug localization).
 * Plain data, part of the policy's JSON; the recall index is derived on first use and kept per task list
 * (treat a memory's `tasks` as immutable: {@link rememberTasks} makes a new list).
 */
import { codeTokens } from '../base/index.js';

/** One past task: its words and the files that mattered. */
export interface RememberedTask {
  /** Its words as {@link taskTerms} makes them (repeats kept: they weigh). */
  terms: string[];
  /** Repository-relative paths that mattered (changed by the commit, marked useful, edited). */
  files: string[];
  /** Where it comes from: `history` (a commit), `explicit` (feedback), `implicit` (edits after a query). */
  source: string;
  /** When it happened (ms since the epoch). */
  at: number;
  /** What identifies it (a commit hash): a task with the key of one remembered already replaces it. */
  key?: string;
}

/** Past tasks, oldest first, and how much what they recall counts. */
export interface TaskMemory {
  tasks: RememberedTask[];
  /** Multiplier of the recall bonus and entry points (0: remembered but not used). */
  weight: number;
}

/** Tasks kept at most (the oldest go first). */
export const MAX_TASKS = 5000;
/** Words kept per task. */
export const MAX_TASK_TERMS = 64;
/** A task that touched more files than this says little about any of them, and is not remembered. */
export const MAX_TASK_FILES = 20;
/** Past tasks a query recalls. */
export const RECALLED_TASKS = 10;
/** The largest reward bonus a recalled file gives its nodes at weight 1 (rewards are in [0, 1]). */
export const RECALL_SCALE = 0.1;

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be by can do does for from has have how if in into is it its not of on or ' +
    'so that the then this to was we were when where which while will with you your should would ' +
    'also add adds added fix fixes fixed feat chore refactor use uses used make makes allow allows ' +
    'support supports update updates updated change changes changed new now more remove removes removed ' +
    'pr issue issues closes close see https http www com github'
  ).split(' '),
);

/** The words of a task or query: code-aware tokens, lowercased, without stop words and numbers. */
export function taskTerms(text: string): string[] {
  const terms: string[] = [];
  for (const token of codeTokens(text)) {
    if (token.length < 2 || STOP_WORDS.has(token) || /^[0-9]+$/.test(token)) continue;
    terms.push(token);
    if (terms.length >= MAX_TASK_TERMS) break;
  }
  return terms;
}

/** An empty memory at weight 1. */
export function emptyMemory(): TaskMemory {
  return { tasks: [], weight: 1 };
}

/**
 * The memory with `tasks` added (a new object; `memory` is not changed): tasks without words or files, or
 * with more than {@link MAX_TASK_FILES} files, are left out; one with a known key replaces the old one;
 * past {@link MAX_TASKS} the oldest go.
 */
export function rememberTasks(memory: TaskMemory | undefined, tasks: readonly RememberedTask[]): TaskMemory {
  const base = memory ?? emptyMemory();
  const kept = tasks.filter(
    (task) => task.terms.length > 0 && task.files.length > 0 && task.files.length <= MAX_TASK_FILES,
  );
  if (kept.length === 0) return base;
  const keys = new Set(kept.flatMap((task) => (task.key === undefined ? [] : [task.key])));
  let all = base.tasks.filter((task) => task.key === undefined || !keys.has(task.key));
  all = all.concat(
    kept.map((task) => ({
      terms: task.terms.slice(0, MAX_TASK_TERMS),
      files: [...new Set(task.files)],
      source: task.source,
      at: task.at,
      ...(task.key !== undefined ? { key: task.key } : {}),
    })),
  );
  all.sort((a, b) => a.at - b.at);
  if (all.length > MAX_TASKS) all = all.slice(all.length - MAX_TASKS);
  return { tasks: all, weight: base.weight };
}

/** Whether a memory can change a ranking. */
export function isActiveMemory(memory: TaskMemory | undefined): memory is TaskMemory {
  return memory !== undefined && memory.weight > 0 && memory.tasks.length > 0;
}

/** The inverted index of a memory's tasks (built on first recall, kept while the memory object lives). */
interface RecallIndex {
  /** term → [task, term frequency] pairs. */
  postings: Map<string, number[]>;
  lengths: Float64Array;
  averageLength: number;
}

/** Kept by task list: memories that differ only in weight share it. */
const indexes = new WeakMap<readonly RememberedTask[], RecallIndex>();

function recallIndex(memory: TaskMemory): RecallIndex {
  const known = indexes.get(memory.tasks);
  if (known) return known;
  const postings = new Map<string, number[]>();
  const lengths = new Float64Array(memory.tasks.length);
  let total = 0;
  memory.tasks.forEach((task, i) => {
    lengths[i] = task.terms.length;
    total += task.terms.length;
    const counts = new Map<string, number>();
    for (const term of task.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      const list = postings.get(term);
      if (list) list.push(i, count);
      else postings.set(term, [i, count]);
    }
  });
  const index = { postings, lengths, averageLength: total / Math.max(1, memory.tasks.length) };
  indexes.set(memory.tasks, index);
  return index;
}

/** A past task recalled by a query, with its BM25 score. */
export interface RecalledTask {
  task: RememberedTask;
  score: number;
}

/** The past tasks most like `text`, best first (BM25, k1 1.2, b 0.75); `limit` defaults to {@link RECALLED_TASKS}. */
export function recallTasks(memory: TaskMemory, text: string, limit = RECALLED_TASKS): RecalledTask[] {
  if (memory.tasks.length === 0) return [];
  const index = recallIndex(memory);
  const n = memory.tasks.length;
  const scores = new Map<number, number>();
  for (const term of new Set(taskTerms(text))) {
    const list = index.postings.get(term);
    if (!list) continue;
    const df = list.length / 2;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < list.length; i += 2) {
      const task = list[i]!;
      const tf = list[i + 1]!;
      const norm = 1.2 * (0.25 + (0.75 * index.lengths[task]!) / (index.averageLength || 1));
      scores.set(task, (scores.get(task) ?? 0) + (idf * tf * 2.2) / (tf + norm));
    }
  }
  return [...scores]
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, limit)
    .map(([task, score]) => ({ task: memory.tasks[task]!, score }));
}

/**
 * The files the past tasks most like `text` touched, scored in (0, 1] (the best 1): the sum over the
 * recalled tasks of their score relative to the best task, divided by the square root of their file count
 * (a task that touched one file says more about it than one that touched ten). Empty when nothing is recalled.
 */
export function recallFiles(memory: TaskMemory, text: string, limit = RECALLED_TASKS): Map<string, number> {
  const recalled = recallTasks(memory, text, limit);
  const files = new Map<string, number>();
  const best = recalled[0]?.score ?? 0;
  if (!(best > 0)) return files;
  for (const { task, score } of recalled) {
    const share = score / best / Math.sqrt(task.files.length);
    for (const path of task.files) files.set(path, (files.get(path) ?? 0) + share);
  }
  let top = 0;
  for (const value of files.values()) top = Math.max(top, value);
  for (const [path, value] of files) files.set(path, value / top);
  return new Map([...files].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
