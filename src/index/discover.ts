/**
 * @module index/discover
 * Finds the source files of a workspace: a gitignore-aware walk (.gitignore files at every level,
 * .git/info/exclude, .rtcignore) with default skips (dependencies, build output, VCS folders), that never
 * follows a symlink out of the workspace or around a loop, and records every skipped file with its reason.
 */
import { Stats } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import type { Diagnostic } from '../base/index.js';
import { detectLanguage } from '../parse/index.js';

/** Folders never indexed, wherever they are. */
export const DEFAULT_SKIPPED_DIRS: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  '.rtc',
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'third_party',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  '.next',
  '.nuxt',
  '.cache',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.tox',
  '.gradle',
  '.idea',
  '.vscode',
];

/** Folders read at once during the walk. */
const FOLDERS_AT_ONCE = 8;

/** Files larger than this are skipped unless configured otherwise (1 MB). */
export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

export interface DiscoveredFile {
  /** Repository-relative POSIX path. */
  path: string;
  absolutePath: string;
  language: string;
  size: number;
  /** Modification time (ms since the epoch), as `lstat` reported it during the walk. */
  mtimeMs: number;
}

export interface SkippedFile {
  path: string;
  reason: 'too-large' | 'unreadable' | 'ignored-symlink' | 'symlink-loop' | 'not-a-file';
  detail?: string;
}

export interface DiscoverOptions {
  maxFileBytes?: number;
  /** Index only these languages. */
  languages?: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: SkippedFile[];
  diagnostics: Diagnostic[];
}

/** Walks `root` and returns the files to index, sorted by path. */
export async function discoverFiles(root: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const rootReal = await realpath(root);
  const visitedDirs = new Set<string>([rootReal]);
  const rootRules = ignore();
  for (const name of ['.git/info/exclude', '.rtcignore']) await addRules(rootRules, join(root, name));
  const skipDirs = new Set(DEFAULT_SKIPPED_DIRS);

  // Folders are read several at a time. Real folders first; folders reached through a symlink wait until
  // every real folder is known, then go one by one in path order, so which path of a folder is indexed
  // (the real one) and which is skipped as a loop does not depend on timing.
  // `real`: the folder's real path, known without a syscall for a folder reached through real folders.
  interface Folder {
    dir: string;
    real: string;
    path: string;
    rules: { base: string; ig: Ignore }[];
  }
  const throughSymlinks: Folder[] = [];
  const visit = async (folder: Folder, queue: Folder[]): Promise<void> => {
    const { dir, real: dirReal, rules: parentRules } = folder;
    const relDir = toPosix(relative(root, dir));
    const rules = [...parentRules];
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: relDir || '.', reason: 'unreadable', detail: errorText(error) });
      diagnostics.push({
        severity: 'warning',
        code: 'INDEX_UNREADABLE',
        message: `Cannot read folder: ${errorText(error)}`,
        path: relDir || '.',
      });
      return;
    }
    if (entries.some((entry) => entry.name === '.gitignore')) {
      const local = ignore();
      if (await addRules(local, join(dir, '.gitignore'))) rules.push({ base: relDir, ig: local });
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    // Source files of this folder, whose sizes are read together after the loop.
    const found: { path: string; absolute: string; language: string }[] = [];
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      const path = relDir ? `${relDir}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real: string | undefined;
      if (entry.isSymbolicLink()) {
        // Follow a symlink only when it stays inside the workspace and does not loop.
        let target: string;
        try {
          target = await realpath(absolute);
        } catch (error) {
          skipped.push({ path, reason: 'unreadable', detail: `broken symlink: ${errorText(error)}` });
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          skipped.push({ path, reason: 'ignored-symlink', detail: 'points outside the workspace' });
          continue;
        }
        real = target;
        const info = await stat(absolute).catch(() => undefined);
        isDir = info?.isDirectory() ?? false;
        isFile = info?.isFile() ?? false;
        if (isDir) {
          if (!skipDirs.has(entry.name) && !isIgnored(rules, path, true))
            throughSymlinks.push({ dir: absolute, real: target, path, rules });
          continue;
        }
        if (isFile) {
          skipped.push({
            path,
            reason: 'ignored-symlink',
            detail: 'the target file is indexed under its own path',
          });
          continue;
        }
      }
      if (isDir) {
        if (skipDirs.has(entry.name) || isIgnored(rules, path, true)) continue;
        const childReal = real ?? join(dirReal, entry.name);
        visitedDirs.add(childReal);
        queue.push({ dir: absolute, real: childReal, path, rules });
        continue;
      }
      if (!isFile) continue;
      if (isIgnored(rules, path, false)) continue;
      const language = detectLanguage(path) ?? (await detectByShebang(absolute, entry.name));
      if (!language) continue;
      if (options.languages && !options.languages.has(language.id)) continue;
      found.push({ path, absolute, language: language.id });
    }
    const infos = await Promise.all(found.map((f) => stat(f.absolute).catch((error: unknown) => error)));
    found.forEach((file, i) => {
      const info = infos[i];
      if (!(info instanceof Stats)) {
        skipped.push({ path: file.path, reason: 'unreadable', detail: errorText(info) });
        return;
      }
      if (info.size > maxBytes) {
        skipped.push({ path: file.path, reason: 'too-large', detail: `${info.size} bytes > ${maxBytes}` });
        return;
      }
      files.push({
        path: file.path,
        absolutePath: file.absolute,
        language: file.language,
        size: info.size,
        mtimeMs: info.mtimeMs,
      });
    });
  };
  const walk = async (start: Folder): Promise<void> => {
    const queue = [start];
    const running = new Set<Promise<void>>();
    while (queue.length > 0 || running.size > 0) {
      while (queue.length > 0 && running.size < FOLDERS_AT_ONCE && !options.signal?.aborted) {
        const task = visit(queue.pop()!, queue).finally(() => running.delete(task));
        running.add(task);
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  };
  await walk({ dir: root, real: rootReal, path: '', rules: [{ base: '', ig: rootRules }] });
  while (throughSymlinks.length > 0 && !options.signal?.aborted) {
    throughSymlinks.sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
    const folder = throughSymlinks.pop()!;
    if (visitedDirs.has(folder.real)) {
      skipped.push({
        path: folder.path,
        reason: 'symlink-loop',
        detail: `already indexed as ${toPosix(relative(rootReal, folder.real)) || '.'}`,
      });
      continue;
    }
    visitedDirs.add(folder.real);
    await walk(folder);
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped, diagnostics };
}

/** Adds the rules of an ignore file to `ig`; false when the file cannot be read. */
export async function addRules(ig: Ignore, file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  ig.add(text);
  return true;
}

/** Whether the rules of the ignore files above a path (each with its folder, `''` for the root) ignore it. */
export function isIgnored(rules: { base: string; ig: Ignore }[], path: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const relativePath = base
      ? path.startsWith(`${base}/`)
        ? path.slice(base.length + 1)
        : undefined
      : path;
    if (relativePath === undefined || relativePath === '') continue;
    if (ig.ignores(isDir ? `${relativePath}/` : relativePath)) return true;
  }
  return false;
}

/** The language of an extensionless file, from its `#!` line. */
export async function detectByShebang(
  absolute: string,
  name: string,
): Promise<ReturnType<typeof detectLanguage>> {
  if (name.includes('.')) return undefined;
  // Read only the first line's worth of bytes: extensionless files can be large data files.
  let handle;
  try {
    handle = await open(absolute, 'r');
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('latin1');
    return head.startsWith('#!') ? detectLanguage(name, head.split('\n', 1)[0]) : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String((error as { code: unknown }).code);
  return error instanceof Error ? error.message : String(error);
}
