/**
 * @module engine/retrieval
 * What retrieval needs from outside the graph: the configuration (`rtc.config.json` at the repository root,
 * or `config.json` in the index folder: routes, embedding, search constants), the recent changes of the
 * working tree (git: uncommitted lines, the last commits; weights decay with age), and the mapping of
 * retrieval results to the engine's plain data.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type {
  EmbeddingConfig,
  MctsOptions,
  RecentChange,
  RetrievedSymbol,
  Route,
} from '../retrieve/index.js';
import type { QuerySymbol } from './types.js';

/** The retrieval part of the configuration. */
export interface RetrievalConfig {
  /** Routes added to (or replacing, by name) the built-in ones. */
  routes?: Route[];
  embedding?: EmbeddingConfig;
  /** Search budgets and UCT constants. */
  search?: Pick<
    MctsOptions,
    'iterations' | 'timeMs' | 'c' | 'alpha' | 'beta' | 'gamma' | 'rolloutDepth' | 'maxDepth'
  >;
}

/** Reads the configuration: `<root>/rtc.config.json`, then `<indexDir>/config.json` (which wins). */
export function readRetrievalConfig(root: string, indexDir: string): RetrievalConfig {
  let config: RetrievalConfig = {};
  for (const path of [join(root, 'rtc.config.json'), join(indexDir, 'config.json')]) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${path} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `${path} must hold a JSON object`);
    const object = parsed as RetrievalConfig;
    if (object.routes !== undefined && !Array.isArray(object.routes))
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `${path}: "routes" must be an array of routes`);
    config = {
      ...config,
      ...object,
      ...(object.search || config.search ? { search: { ...config.search, ...object.search } } : {}),
    };
  }
  return config;
}

function git(root: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['-C', root, ...args], { maxBuffer: 32 * 1024 * 1024 }, (error, stdout) => {
      resolve(error ? '' : stdout);
    });
  });
}

/** The new-side line ranges (zero-based, inclusive) of a `git diff -U0` output, by path. */
export function diffLines(diff: string): Map<string, [number, number][]> {
  const byPath = new Map<string, [number, number][]>();
  let path: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      path = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && path) {
      const start = Number(hunk[1]) - 1;
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      const list = byPath.get(path) ?? [];
      list.push([Math.max(0, start), Math.max(0, start + Math.max(count, 1) - 1)]);
      byPath.set(path, list);
    }
  }
  return byPath;
}

/**
 * The working tree's recent changes: uncommitted edits (weight 1, with their lines), untracked files (1),
 * then the files of the last `commits` commits (0.8, 0.56, …). Empty outside a git repository.
 */
export async function recentChanges(root: string, commits = 5): Promise<RecentChange[]> {
  const [diff, untracked, log] = await Promise.all([
    git(root, ['diff', '-U0', '--no-color', '--no-ext-diff', 'HEAD']),
    git(root, ['ls-files', '--others', '--exclude-standard']),
    git(root, ['log', `-${commits}`, '--name-only', '--format=%x00', '--no-renames']),
  ]);
  const changes: RecentChange[] = [];
  const seen = new Set<string>();
  for (const [path, lines] of diffLines(diff)) {
    changes.push({ path, lines, weight: 1 });
    seen.add(path);
  }
  for (const path of untracked.split('\n')) {
    if (path === '' || seen.has(path)) continue;
    changes.push({ path, weight: 1 });
    seen.add(path);
  }
  let weight = 0.8;
  for (const block of log.split('\0').slice(1)) {
    for (const path of block.split('\n')) {
      if (path === '' || seen.has(path)) continue;
      changes.push({ path, weight });
      seen.add(path);
    }
    weight *= 0.7;
  }
  return changes;
}

/** A retrieved symbol as engine data. */
export function toQuerySymbol(
  symbol: RetrievedSymbol,
  detail: { qualifiedName: string; range: QuerySymbol['range'] } | undefined,
): QuerySymbol {
  const lines = symbol.lines ?? [0, 0];
  return {
    id: symbol.id,
    path: symbol.path,
    name: symbol.name,
    qualifiedName: detail?.qualifiedName ?? symbol.name,
    kind: symbol.kind,
    range: detail?.range ?? {
      start: { line: lines[0], character: 0 },
      end: { line: lines[1], character: 0 },
    },
    score: Math.round(symbol.score * 1e4) / 1e4,
    reason: symbol.reason,
  };
}

/** A change of the working tree against HEAD, as `rtc changes` shows it. */
export interface WorkingChange {
  path: string;
  kind: 'added' | 'edited' | 'removed';
  /** Zero-based line ranges of the new text (edited files). */
  lines: [number, number][];
  /** When it changed: the file's modification time (now, for a removed file). */
  at: number;
}

/**
 * The uncommitted changes of the working tree (empty outside a git repository), without what lies in the
 * folders of `exclude` (repository-relative: the index folder).
 */
export async function workingTreeChanges(
  root: string,
  exclude: readonly string[] = [],
): Promise<WorkingChange[]> {
  const excluded = (path: string): boolean =>
    exclude.some((folder) => folder !== '' && (path === folder || path.startsWith(`${folder}/`)));
  const [status, diff, untracked] = await Promise.all([
    git(root, ['diff', '--name-status', '--no-renames', 'HEAD']),
    git(root, ['diff', '-U0', '--no-color', '--no-ext-diff', 'HEAD']),
    git(root, ['ls-files', '--others', '--exclude-standard']),
  ]);
  const lines = diffLines(diff);
  const changes: WorkingChange[] = [];
  const entries: [string, WorkingChange['kind']][] = [];
  for (const line of status.split('\n')) {
    const [code, path] = line.split('\t');
    if (!code || !path) continue;
    entries.push([path, code.startsWith('A') ? 'added' : code.startsWith('D') ? 'removed' : 'edited']);
  }
  for (const path of untracked.split('\n')) if (path !== '') entries.push([path, 'added']);
  for (let i = entries.length - 1; i >= 0; i--) if (excluded(entries[i]![0])) entries.splice(i, 1);
  await Promise.all(
    entries.map(async ([path, kind]) => {
      const at = await stat(join(root, path)).then(
        (info) => info.mtimeMs,
        () => Date.now(),
      );
      changes.push({ path, kind, lines: lines.get(path) ?? [], at });
    }),
  );
  return changes.sort((a, b) => a.at - b.at || (a.path < b.path ? -1 : 1));
}
