/**
 * @module engine/eval/instances
 * Localization instances from a repository's history. A commit with a descriptive message is a question
 * (its subject and body) whose answer is the source files it modified and the functions whose lines it
 * touched, all as they were in its parent: the index is built from the parent's tree, never from later
 * history. Each instance also carries the changes of the few commits up to and including the parent (history
 * known before the answer), which retrieval reads as "recently changed".
 */
import { detectLanguage } from '../../parse/index.js';
import { DEFAULT_SKIPPED_DIRS } from '../../index/index.js';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { GraphNode } from '../types.js';
import { git, LOG_FORMAT_ARGS, parseLog } from './git.js';
import type { CommitRecord, GitRepository, OldSideLines } from './git.js';

/** A function (or method, or class) the answer commit changed, as it was in the parent's index. */
export interface GoldFunction {
  id: string;
  path: string;
  name: string;
  qualifiedName: string;
  kind: string;
  /** Zero-based first and last line in the parent. */
  lines: [number, number];
}

/** A file changed shortly before the question: history up to and including the parent. */
export interface RecentFileChange {
  path: string;
  /** 1 for the parent's own changes, decaying with each older commit. */
  weight: number;
}

/** An instance before its parent is indexed: what history alone says. */
export interface EvalCandidate {
  /** The answer commit. */
  commit: string;
  parent: string;
  /** Committer time of the commit, seconds since the epoch. */
  time: number;
  subject: string;
  /** The question: subject and body, without trailers (`Signed-off-by:` …). */
  query: string;
  /** Source files the commit modified (they exist in the parent), sorted. */
  goldFiles: string[];
  /** Files the commit changed, all kinds included. */
  changedFiles: number;
  /** Recent changes known at the parent (empty without history). */
  recentChanges: RecentFileChange[];
}

/** An instance: the candidate with the functions it changed in the parent's index. */
export interface EvalInstance extends EvalCandidate {
  goldFunctions: GoldFunction[];
}

/** Why a commit gave no instance. */
export type SkipReason =
  | 'merge'
  | 'root'
  | 'message'
  | 'no-source-files'
  | 'too-many-files'
  | 'over-limit'
  | 'not-indexed';

/** Which commits to read, and which make instances. */
export interface CandidateOptions {
  /** A revision range (`A..B`): the commits reachable from B and not from A. */
  range?: string;
  /** Without a range: walk back from this revision (default `HEAD`). */
  rev?: string;
  /** Read at most this many commits (default 300 without a range or `since`, unlimited with one). */
  maxCommits?: number;
  /** Read only commits made after this date (anything `git log --since` takes). */
  since?: string;
  /** Keep the most recent N instances (default: all). */
  maxInstances?: number;
  /** Keep commits that modify 1 to maxGold source files (default 5). */
  maxGold?: number;
  /** A descriptive subject has at least this many words (default 3). */
  minWords?: number;
  /** Record recent changes (default true). */
  history?: boolean;
  /** Commits of history up to and including the parent (default 5). */
  historyDepth?: number;
}

/** The candidates of a range, oldest first, and what was left out. */
export interface CandidateList {
  /** The range as given to git. */
  range: string;
  commitsScanned: number;
  candidates: EvalCandidate[];
  skipped: Partial<Record<SkipReason, number>>;
}

const DEFAULT_MAX_COMMITS = 300;
/** Recency weight of the k-th commit before the question (k = 0: the parent). */
const HISTORY_DECAY = 0.6;

/** Reads the range's history (one `git log` pass) and turns descriptive commits into candidates. */
export async function listCandidates(
  repo: GitRepository,
  options: CandidateOptions = {},
): Promise<CandidateList> {
  const range = options.range ?? options.rev ?? 'HEAD';
  if (range.startsWith('-')) throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a revision: ${range}`);
  const maxCommits = options.maxCommits ?? (options.range || options.since ? undefined : DEFAULT_MAX_COMMITS);
  const args = ['-C', repo.dir, 'log', ...LOG_FORMAT_ARGS];
  if (maxCommits !== undefined) args.push(`--max-count=${maxCommits}`);
  if (options.since !== undefined) args.push(`--since=${options.since}`);
  args.push('--end-of-options', range, '--');
  const commits = parseLog(await git(args, { code: ERROR_CODES.INVALID_ARGUMENT }));
  const known = new Map(commits.map((c) => [c.hash, c]));
  const skipped: CandidateList['skipped'] = {};
  const skip = (reason: SkipReason): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const maxGold = options.maxGold ?? 5;
  const minWords = options.minWords ?? 3;
  let candidates: EvalCandidate[] = [];
  for (const commit of commits) {
    if (commit.parents.length > 1) {
      skip('merge');
      continue;
    }
    const parent = commit.parents[0];
    if (parent === undefined) {
      skip('root');
      continue;
    }
    const subject = commit.message.split('\n')[0]!.trim();
    if (!isDescriptiveMessage(subject, minWords)) {
      skip('message');
      continue;
    }
    const goldFiles = commit.changes
      .filter((c) => c.status === 'M' && isGoldSourcePath(c.path))
      .map((c) => c.path)
      .sort();
    if (goldFiles.length === 0) {
      skip('no-source-files');
      continue;
    }
    if (goldFiles.length > maxGold) {
      skip('too-many-files');
      continue;
    }
    candidates.push({
      commit: commit.hash,
      parent,
      time: commit.time,
      subject,
      query: queryText(commit.message),
      goldFiles,
      changedFiles: commit.changes.length,
      recentChanges: [],
    });
  }
  if (options.maxInstances !== undefined && candidates.length > options.maxInstances) {
    skipped['over-limit'] = candidates.length - options.maxInstances;
    candidates = candidates.slice(0, options.maxInstances);
  }
  if (options.history ?? true)
    for (const candidate of candidates)
      candidate.recentChanges = await recentChanges(repo, known, candidate.parent, options.historyDepth ?? 5);
  // Oldest first: the worktree then moves forward, and git rewrites only what changed.
  candidates.reverse();
  return { range, commitsScanned: commits.length, candidates, skipped };
}

/**
 * The source files changed by the `depth` commits of the first-parent chain ending at `parent`, weighted
 * by recency; a file removed by a later commit of the chain is left out. Commits outside the range read
 * so far are read with one more `git log`, which also brings the ones before them.
 */
async function recentChanges(
  repo: GitRepository,
  known: Map<string, CommitRecord>,
  parent: string,
  depth: number,
): Promise<RecentFileChange[]> {
  const weights = new Map<string, number>();
  const removed = new Set<string>();
  let hash: string | undefined = parent;
  for (let k = 0; k < depth && hash !== undefined; k++) {
    let commit = known.get(hash);
    if (!commit) {
      const args = ['-C', repo.dir, 'log', ...LOG_FORMAT_ARGS, '--first-parent', `--max-count=${depth}`];
      for (const c of parseLog(await git([...args, '--end-of-options', hash, '--']))) known.set(c.hash, c);
      commit = known.get(hash);
      if (!commit) break;
    }
    const weight = HISTORY_DECAY ** k;
    for (const change of commit.changes) {
      if (change.status === 'D') {
        removed.add(change.path);
        continue;
      }
      if (removed.has(change.path) || !detectLanguage(change.path)) continue;
      if (!weights.has(change.path)) weights.set(change.path, weight);
    }
    hash = commit.parents[0];
  }
  return [...weights].map(([path, weight]) => ({ path, weight }));
}

const TRAILER =
  /^(signed-off-by|co-authored-by|reviewed-by|acked-by|tested-by|reported-by|suggested-by|change-id|cc|reviewed-on|pr-url|git-svn-id):/i;

/** The question of a commit: its subject and body, without trailers and without the blank lines around. */
export function queryText(message: string): string {
  return message
    .split('\n')
    .filter((line) => !TRAILER.test(line.trim()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const CHORES: readonly [RegExp, string][] = [
  [/^merge (branch|pull request|remote-tracking|tag|commit|changes from|.* into )/i, 'merge'],
  [/^revert\b/i, 'revert'],
  [/^(chore|build|ci)(\([^)]*\))?!?:\s*(release|bump|deps?|dependencies|version)/i, 'release or deps'],
  [/^(chore|build)\(deps(-dev)?\)/i, 'deps'],
  [/^(release|prepare release|publish)\b/i, 'release'],
  [/^v?\d+\.\d+(\.\d+)?([-+.\w]*)?$/i, 'version'],
  [/\b(bump|bumped|bumps)\b.*\b(version|v?\d+\.\d+)/i, 'version bump'],
  [/\bversion bump\b/i, 'version bump'],
  [/\b(update|upgrade|bump)s?\b.*\b(dependency|dependencies|deps|lockfile|lock file)\b/i, 'deps'],
  [/\bdependabot\b|\brenovate\b/i, 'deps'],
  [/^style(\([^)]*\))?!?:/i, 'formatting'],
  [/^(format|reformat|run prettier|prettier|black|isort|lint)\b/i, 'formatting'],
  [
    /\b(trailing whitespace|code style|reformat(ted|ting)?)\b|^(fix(es)? |apply |update )?(the )?(code )?formatting\b/i,
    'formatting',
  ],
  [/\btypos?\b|\bspelling\b/i, 'typo'],
  [/^wip\b/i, 'work in progress'],
];

/**
 * Whether a subject describes a change: enough words, and not a release, version bump, merge, revert,
 * formatting, typo or dependency chore.
 */
export function isDescriptiveMessage(subject: string, minWords = 3): boolean {
  const text = subject.trim();
  if (CHORES.some(([pattern]) => pattern.test(text))) return false;
  return (text.match(/[A-Za-z][A-Za-z0-9_'-]*/g) ?? []).length >= minWords;
}

const SKIPPED_DIRS = new Set([...DEFAULT_SKIPPED_DIRS, 'docs', 'doc', 'examples', 'example']);
const TEST_DIRS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  '__mocks__',
  '__fixtures__',
  'fixtures',
  'testdata',
  'e2e',
]);
const TEST_FILE = /\.(test|spec)\.[^.]+$|_test\.go$|^test_.*\.py$|_test\.py$|^conftest\.py$/;
const CONFIG_FILE =
  /(^|\.)config\.[cm]?[jt]s$|^\.[\w-]+rc\.[cm]?[jt]s$|^(setup|noxfile|fabfile)\.py$|^(gulpfile|gruntfile|webpack\..*|rollup\..*|karma\..*)\.[cm]?[jt]s$/i;

/**
 * Whether a changed file can be in an answer: a file of an indexed language that is not a test, a
 * configuration, documentation or an example, and not in a folder the indexer skips.
 */
export function isGoldSourcePath(path: string): boolean {
  if (!detectLanguage(path)) return false;
  const parts = path.split('/');
  const base = parts.pop()!;
  if (parts.some((part) => SKIPPED_DIRS.has(part) || TEST_DIRS.has(part))) return false;
  return !TEST_FILE.test(base) && !CONFIG_FILE.test(base) && !base.endsWith('.d.ts');
}

const FUNCTION_KINDS = new Set(['function', 'method']);
const CLASS_KINDS = new Set(['class', 'interface', 'struct', 'enum', 'trait']);

/**
 * The declarations a commit changed in one file: for every old-side line it touched (or gap it filled), the
 * innermost named function or method around it; when no function is touched, the innermost classes instead.
 */
export function goldFunctionsOf(
  symbols: readonly GraphNode[],
  lines: readonly [number, number][],
): GoldFunction[] {
  // Anonymous functions (`<lambda>`) are no answer a search gives: their named owner is.
  const functions = symbols.filter(
    (s) => FUNCTION_KINDS.has(s.kind) && s.meta?.anonymous !== true && !s.name.startsWith('<'),
  );
  const classes = symbols.filter((s) => CLASS_KINDS.has(s.kind));
  const foundFunctions = new Map<string, GraphNode>();
  const foundClasses = new Map<string, GraphNode>();
  const add = (covers: (s: GraphNode) => boolean): void => {
    const fn = innermost(functions, covers);
    if (fn) foundFunctions.set(fn.id, fn);
    const cls = fn ? undefined : innermost(classes, covers);
    if (cls) foundClasses.set(cls.id, cls);
  };
  for (const [first, last] of lines) {
    if (last < first) {
      // Lines added before old line `first`: inside a declaration that spans both sides of the gap.
      add((s) => s.range.start.line < first && s.range.end.line >= first);
      continue;
    }
    for (let line = first; line <= last; line++)
      add((s) => s.range.start.line <= line && s.range.end.line >= line);
  }
  return [...(foundFunctions.size > 0 ? foundFunctions : foundClasses).values()]
    .sort((a, b) => a.range.start.line - b.range.start.line)
    .map((s) => ({
      id: s.id,
      path: s.path,
      name: s.name,
      qualifiedName: s.qualifiedName,
      kind: s.kind,
      lines: [s.range.start.line, s.range.end.line],
    }));
}

/** The covering symbol with the fewest lines. */
function innermost(symbols: readonly GraphNode[], covers: (s: GraphNode) => boolean): GraphNode | undefined {
  let best: GraphNode | undefined;
  for (const symbol of symbols) {
    if (!covers(symbol)) continue;
    const span = symbol.range.end.line - symbol.range.start.line;
    if (!best || span < best.range.end.line - best.range.start.line) best = symbol;
  }
  return best;
}

/** The gold functions of a candidate, from the parent's symbols of each gold file. */
export function goldFunctions(
  candidate: EvalCandidate,
  lines: OldSideLines,
  fileSymbols: (path: string) => GraphNode[],
): GoldFunction[] {
  return candidate.goldFiles.flatMap((path) => goldFunctionsOf(fileSymbols(path), lines.get(path) ?? []));
}
