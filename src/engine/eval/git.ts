/**
 * @module engine/eval/git
 * The `git` command line as the evaluation harness uses it (execFile, no shell): the repository (work tree
 * or bare), commits with the files they changed in one `git log` pass, the old-side lines of a diff, and
 * one detached worktree moved from commit to commit.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { ErrorCode } from '../../base/index.js';

/** Runs git and returns its standard output; a failure becomes an {@link EngineError} with `code`. */
export function git(
  args: readonly string[],
  options: { cwd?: string; code?: ErrorCode } = {},
): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      'git',
      args,
      {
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        maxBuffer: 1 << 30,
        encoding: 'utf8',
        // Plain, stable output whatever the user's settings: no pager, prompts, colours or translations.
        env: {
          ...process.env,
          LC_ALL: 'C',
          GIT_TERMINAL_PROMPT: '0',
          GIT_PAGER: 'cat',
          GIT_OPTIONAL_LOCKS: '0',
        },
      },
      (error, stdout, stderr) => {
        if (!error) {
          done(stdout);
          return;
        }
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const detail = stderr.trim().split('\n')[0] ?? error.message;
        fail(
          new EngineError(
            missing ? ERROR_CODES.IO_ERROR : (options.code ?? ERROR_CODES.IO_ERROR),
            missing
              ? 'git is not installed (the evaluation reads history with it)'
              : `git ${subcommand(args)}: ${detail}`,
            { cause: error },
          ),
        );
      },
    );
  });
}

/** The git command of an argument list (`log` in `-C dir log …`). */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-C' || args[i] === '-c') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return '';
}

/** A repository as git sees it. */
export interface GitRepository {
  /** Where git commands run (`git -C`): the top of the work tree, or the git directory of a bare repository. */
  dir: string;
  /** The common git directory (absolute, real path). */
  commonDir: string;
  bare: boolean;
}

/** The repository at or above `path` (a work tree or a bare repository, such as a mirror). */
export async function openRepository(path: string): Promise<GitRepository> {
  const absolute = resolvePath(path);
  if (!existsSync(absolute)) throw new EngineError(ERROR_CODES.NOT_FOUND, `No such folder: ${absolute}`);
  const invalid = { code: ERROR_CODES.INVALID_ARGUMENT };
  const [bare, common] = (
    await git(
      ['-C', absolute, 'rev-parse', '--is-bare-repository', '--path-format=absolute', '--git-common-dir'],
      invalid,
    )
  ).split('\n');
  const commonDir = realpathSync(common ?? absolute);
  if (bare === 'true') return { dir: absolute, commonDir, bare: true };
  const top = (await git(['-C', absolute, 'rev-parse', '--show-toplevel'], invalid)).trim();
  return { dir: top, commonDir, bare: false };
}

/** A file a commit changed (renames are seen as a removal and an addition). */
export interface FileChange {
  /** `A` added, `M` modified, `D` deleted, `T` type changed. */
  status: string;
  path: string;
}

/** One commit and what it changed against its first parent. */
export interface CommitRecord {
  hash: string;
  parents: string[];
  /** Committer time, seconds since the epoch. */
  time: number;
  /** The full message (subject, blank line, body), trimmed. */
  message: string;
  changes: FileChange[];
}

const RECORD = '\u001e';
const FIELD = '\u001f';
/** The arguments of `git log` that {@link parseLog} reads: hash, parents, time, message, then the changes. */
export const LOG_FORMAT_ARGS: readonly string[] = [
  '--no-renames',
  '--diff-merges=first-parent',
  '--name-status',
  '-z',
  '--no-color',
  `--format=${RECORD}%H${FIELD}%P${FIELD}%ct${FIELD}%B${FIELD}`,
];

/** Commits of `git log` (newest first) with {@link LOG_FORMAT_ARGS}. */
export function parseLog(text: string): CommitRecord[] {
  const commits: CommitRecord[] = [];
  for (const record of text.split(RECORD)) {
    if (record.length === 0) continue;
    const fields = record.split(FIELD);
    if (fields.length < 5) continue;
    const [hash, parents, time, message] = fields as [string, string, string, string];
    const tokens = fields.slice(4).join(FIELD).split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const status = tokens[i]!.trim();
      if (!/^[ACDMRTUX]\d*$/.test(status)) continue;
      // Copies and renames (when detection is on) name two paths: the new one is the second.
      const twoPaths = status.startsWith('R') || status.startsWith('C');
      const path = tokens[twoPaths ? i + 2 : i + 1];
      i += twoPaths ? 2 : 1;
      if (path !== undefined && path !== '') changes.push({ status: status[0]!, path });
    }
    commits.push({
      hash: hash.trim(),
      parents: parents.trim() === '' ? [] : parents.trim().split(' '),
      time: Number(time),
      message: message.trim(),
      changes,
    });
  }
  return commits;
}

/**
 * The old-side lines a diff touched, per file, zero-based: `[first, last]` for lines changed or removed;
 * for lines only added, `[g, g - 1]`, the gap before old line `g`.
 */
export type OldSideLines = Map<string, [number, number][]>;

/** Reads the hunks of `git diff -U0` (with `a/` and `b/` prefixes). */
export function parseOldSideLines(diff: string): OldSideLines {
  const found: OldSideLines = new Map();
  let current: [number, number][] | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
      continue;
    }
    if (line.startsWith('--- ')) {
      const path = unquote(line.slice(4));
      if (path.startsWith('a/')) {
        current = [];
        found.set(path.slice(2), current);
      }
      continue;
    }
    if (!current || !line.startsWith('@@ ')) continue;
    const hunk = /^@@ -(\d+)(?:,(\d+))? /.exec(line);
    if (!hunk) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    // `-s,0`: nothing removed; the new lines come after old line s (one-based), before zero-based line s.
    if (count === 0) current.push([start, start - 1]);
    else current.push([start - 1, start - 2 + count]);
  }
  return found;
}

/** A path as git prints it, quoted C-style when it has unusual characters. */
function unquote(text: string): string {
  if (!text.startsWith('"')) return text.replace(/\t$/, '');
  try {
    return JSON.parse(
      text.replace(
        /\\([0-7]{3})/g,
        (_, octal: string) => `\\u00${Number.parseInt(octal, 8).toString(16).padStart(2, '0')}`,
      ),
    ) as string;
  } catch {
    return text.slice(1, -1);
  }
}

/** The old-side lines of the files `paths` changed between `parent` and `commit`. */
export async function oldSideLines(
  repo: GitRepository,
  parent: string,
  commit: string,
  paths: readonly string[],
): Promise<OldSideLines> {
  if (paths.length === 0) return new Map();
  const diff = await git([
    '-C',
    repo.dir,
    '-c',
    'core.quotePath=false',
    'diff',
    '-U0',
    '--no-renames',
    '--no-color',
    '--no-ext-diff',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    parent,
    commit,
    '--',
    ...paths.map((path) => `:(literal)${path}`),
  ]);
  return parseOldSideLines(diff);
}

/**
 * Puts the tree of `commit` in `worktree`, a detached worktree of the repository: added once (`git worktree
 * add --detach`), then moved with `git checkout --detach`, which rewrites only the files that differ. The
 * folder is the harness's own: local changes there are discarded.
 */
export async function checkoutWorktree(repo: GitRepository, worktree: string, commit: string): Promise<void> {
  const path = resolvePath(worktree);
  if (await isWorktreeOf(repo, path)) {
    await git(['-C', path, 'checkout', '--detach', '--force', '--quiet', commit]);
    return;
  }
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  await git(['-C', repo.dir, 'worktree', 'prune']);
  await git(['-C', repo.dir, 'worktree', 'add', '--detach', '--force', '--quiet', path, commit]);
}

async function isWorktreeOf(repo: GitRepository, path: string): Promise<boolean> {
  if (!existsSync(resolvePath(path, '.git'))) return false;
  try {
    const common = await git(['-C', path, 'rev-parse', '--path-format=absolute', '--git-common-dir']);
    return realpathSync(common.trim()) === repo.commonDir;
  } catch {
    return false;
  }
}
