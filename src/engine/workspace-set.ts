/**
 * @module engine/workspace-set
 * The workspace folders a server serves, each a {@link LiveWorkspace}, and the editors' unsaved buffers
 * (document sync) routed to the folder that holds them. Every interface that serves more than one folder
 * (HTTP `/v1/workspaces`, LSP workspace folders) goes through this one set; paths that leave a folder
 * (`..`, absolute paths, symlinks that lead out) are refused here, once, for all of them.
 */
import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Logger } from '../base/index.js';
import { openLiveWorkspace } from './live-workspace.js';
import type { GraphDelta, LiveWorkspace, LiveWorkspaceOptions } from './live-workspace.js';

export interface WorkspaceSetOptions extends LiveWorkspaceOptions {
  /** Watch every folder's files (default false). */
  watch?: boolean;
  logger?: Logger;
}

/** A workspace folder as interfaces list it. */
export interface WorkspaceFolderInfo {
  root: string;
  /** The folder's base name (unique names are not guaranteed: the root is the key). */
  name: string;
  /** The current version (index generation). */
  version: number;
  files: number;
  watching: boolean;
  /** Unsaved buffers open in this folder. */
  documents: number;
}

/** An unsaved buffer. */
export interface OpenDocument {
  /** Absolute path. */
  path: string;
  root: string;
  /** Repository-relative path. */
  relativePath: string;
  version: number;
  text: string;
}

/** Bytes of a file served at most (a workspace file larger than this is refused). */
export const MAX_SERVED_FILE_BYTES = 8_000_000;

interface Folder {
  workspace: LiveWorkspace;
  watching: boolean;
  unsubscribe: () => void;
}

export class WorkspaceSet {
  readonly #folders = new Map<string, Folder>();
  readonly #opening = new Map<string, Promise<Folder>>();
  readonly #documents = new Map<string, OpenDocument>();
  readonly #listeners = new Set<(root: string, delta: GraphDelta) => void>();
  readonly #options: WorkspaceSetOptions;
  #closed = false;

  private constructor(options: WorkspaceSetOptions) {
    this.#options = options;
  }

  /** Opens (indexing as needed) every folder of `roots`, in order; the first is the default. */
  static async open(roots: readonly string[], options: WorkspaceSetOptions = {}): Promise<WorkspaceSet> {
    const set = new WorkspaceSet(options);
    try {
      for (const root of roots) await set.add(root);
    } catch (error) {
      await set.close();
      throw error;
    }
    return set;
  }

  /** The folders, the default first. */
  list(): WorkspaceFolderInfo[] {
    return [...this.#folders].map(([root, folder]) => this.#info(root, folder));
  }

  /** Adds a folder (indexing it, or bringing its index up to date); adding one already there does nothing. */
  async add(root: string): Promise<WorkspaceFolderInfo> {
    if (this.#closed) throw new EngineError(ERROR_CODES.INTERNAL, 'The workspace set is closed');
    const key = canonicalFolder(root);
    const existing = this.#folders.get(key);
    if (existing) return this.#info(key, existing);
    let opening = this.#opening.get(key);
    if (!opening) {
      opening = this.#openFolder(key);
      this.#opening.set(key, opening);
    }
    try {
      return this.#info(key, await opening);
    } finally {
      this.#opening.delete(key);
    }
  }

  /** Removes a folder (closing its live workspace and dropping its buffers); false when it was not there. */
  async remove(root: string): Promise<boolean> {
    const key = this.#key(root);
    const folder = key === undefined ? undefined : this.#folders.get(key);
    if (key === undefined || !folder) return false;
    this.#folders.delete(key);
    folder.unsubscribe();
    for (const [path, document] of this.#documents) if (document.root === key) this.#documents.delete(path);
    await folder.workspace.close();
    return true;
  }

  /** A folder's live workspace, by root or name; the default (first) folder without one. */
  get(rootOrName?: string): LiveWorkspace {
    if (rootOrName === undefined || rootOrName === '') {
      const first = this.#folders.values().next();
      if (first.done) throw new EngineError(ERROR_CODES.NOT_FOUND, 'No workspace folder is open');
      return first.value.workspace;
    }
    const key = this.#key(rootOrName);
    const folder = key === undefined ? undefined : this.#folders.get(key);
    if (!folder)
      throw new EngineError(
        ERROR_CODES.NOT_FOUND,
        `No workspace folder '${rootOrName}' (open: ${[...this.#folders.keys()].join(', ') || 'none'})`,
      );
    return folder.workspace;
  }

  /**
   * The folder holding an absolute path (the innermost, when folders nest) and the path relative to it,
   * with `/` separators; undefined when no folder holds it.
   */
  locate(path: string): { workspace: LiveWorkspace; path: string } | undefined {
    if (!isAbsolute(path)) return undefined;
    const absolute = resolve(path);
    let best: { root: string; folder: Folder } | undefined;
    for (const [root, folder] of this.#folders) {
      if (absolute !== root && !absolute.startsWith(root + sep)) continue;
      if (!best || root.length > best.root.length) best = { root, folder };
    }
    if (!best) {
      // The path may reach a folder through a symbolic link.
      const real = realpathOrUndefined(absolute);
      return real && real !== absolute ? this.locate(real) : undefined;
    }
    return { workspace: best.folder.workspace, path: relative(best.root, absolute).split(sep).join('/') };
  }

  /** Opens an unsaved buffer: the graph follows its text until it is closed. */
  async openDocument(path: string, text: string, version = 0): Promise<GraphDelta | undefined> {
    return this.#setDocument(path, text, version);
  }

  /** Replaces an open buffer's text (an editor's change; opens it when it was not open). */
  async changeDocument(path: string, text: string, version?: number): Promise<GraphDelta | undefined> {
    const previous = this.#documents.get(resolve(path));
    return this.#setDocument(path, text, version ?? (previous ? previous.version + 1 : 0));
  }

  /** Closes a buffer: the graph goes back to the file on disk (or drops it when there is none). */
  async closeDocument(path: string): Promise<GraphDelta | undefined> {
    const located = this.#locateOrThrow(path);
    const absolute = resolve(path);
    if (!this.#documents.delete(absolute)) return undefined;
    return located.workspace.update([{ path: located.path }]);
  }

  /** The open buffers. */
  documents(): OpenDocument[] {
    return [...this.#documents.values()];
  }

  /** The open buffer of an absolute path, if any. */
  document(path: string): OpenDocument | undefined {
    return this.#documents.get(resolve(path));
  }

  /**
   * The text of a file of a folder, by repository-relative path: the unsaved buffer when one is open, else
   * the file on disk. Refuses paths that leave the folder (`..`, absolute paths, symbolic links that lead
   * out), folders, and files over {@link MAX_SERVED_FILE_BYTES}.
   */
  async readText(
    relativePath: string,
    rootOrName?: string,
  ): Promise<{ path: string; text: string; source: 'buffer' | 'disk' }> {
    const workspace = this.get(rootOrName);
    const file = resolveInside(workspace.root, relativePath);
    const buffer = this.#documents.get(file.absolute);
    if (buffer) return { path: file.relative, text: buffer.text, source: 'buffer' };
    let size: number;
    try {
      const stat = statSync(file.real);
      if (!stat.isFile()) throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a file: ${file.relative}`);
      size = stat.size;
    } catch (error) {
      if (error instanceof EngineError) throw error;
      throw new EngineError(ERROR_CODES.NOT_FOUND, `No such file: ${file.relative}`, { cause: error });
    }
    if (size > MAX_SERVED_FILE_BYTES)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${file.relative} is too large to serve (${size} bytes; at most ${MAX_SERVED_FILE_BYTES})`,
      );
    const text = await readFile(file.real, 'utf8');
    return { path: file.relative, text, source: 'disk' };
  }

  /** Calls `listener` after every update of any folder. */
  onDelta(listener: (root: string, delta: GraphDelta) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled(this.#opening.values());
    const folders = [...this.#folders.values()];
    this.#folders.clear();
    this.#documents.clear();
    for (const folder of folders) folder.unsubscribe();
    await Promise.all(folders.map((folder) => folder.workspace.close()));
  }

  async #openFolder(root: string): Promise<Folder> {
    const { watch, ...options } = this.#options;
    const workspace = await openLiveWorkspace(root, options);
    if (this.#closed) {
      await workspace.close();
      throw new EngineError(ERROR_CODES.INTERNAL, 'The workspace set is closed');
    }
    const unsubscribe = workspace.onDelta((delta) => {
      for (const listener of this.#listeners) {
        try {
          listener(workspace.root, delta);
        } catch (error) {
          this.#options.logger?.warn(`A delta listener failed: ${(error as Error).message}`);
        }
      }
    });
    const folder: Folder = { workspace, watching: false, unsubscribe };
    if (watch) {
      try {
        await workspace.watch({
          onError: (error) => this.#options.logger?.warn(`${workspace.root}: ${error.message}`),
        });
        folder.watching = true;
      } catch (error) {
        this.#options.logger?.warn(`${workspace.root}: not watching (${(error as Error).message})`);
      }
    }
    this.#folders.set(root, folder);
    return folder;
  }

  async #setDocument(path: string, text: string, version: number): Promise<GraphDelta | undefined> {
    const located = this.#locateOrThrow(path);
    const absolute = resolve(path);
    this.#documents.set(absolute, {
      path: absolute,
      root: located.workspace.root,
      relativePath: located.path,
      version,
      text,
    });
    return located.workspace.update([{ path: located.path, text }]);
  }

  #locateOrThrow(path: string): { workspace: LiveWorkspace; path: string } {
    if (!isAbsolute(path))
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `A document path must be absolute: ${path}`);
    const located = this.locate(path);
    if (!located || located.path === '' || located.path.startsWith('..'))
      throw new EngineError(ERROR_CODES.NOT_FOUND, `${path} is in no workspace folder`);
    return located;
  }

  #key(rootOrName: string): string | undefined {
    if (this.#folders.has(rootOrName)) return rootOrName;
    if (isAbsolute(rootOrName)) {
      const absolute = resolve(rootOrName);
      if (this.#folders.has(absolute)) return absolute;
      const real = realpathOrUndefined(absolute);
      return real && this.#folders.has(real) ? real : undefined;
    }
    for (const root of this.#folders.keys()) if (basename(root) === rootOrName) return root;
    return undefined;
  }

  #info(root: string, folder: Folder): WorkspaceFolderInfo {
    let documents = 0;
    for (const document of this.#documents.values()) if (document.root === root) documents++;
    return {
      root,
      name: basename(root),
      version: folder.workspace.version,
      files: folder.workspace.paths().length,
      watching: folder.watching,
      documents,
    };
  }
}

/**
 * Resolves a repository-relative path inside `root`, refusing what leaves it: absolute paths, `..`
 * segments, NUL bytes, and symbolic links (of the path or of a folder on it) that lead out of the root.
 * The file need not exist (then its nearest existing folder is checked).
 */
export function resolveInside(
  root: string,
  requested: string,
): { relative: string; absolute: string; real: string } {
  const outside = (why: string): EngineError =>
    new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Refused path '${requested}': ${why}`);
  if (requested.includes('\0')) throw outside('it contains a NUL byte');
  const normalized = requested.replaceAll('\\', '/');
  if (normalized.startsWith('/') || isAbsolute(requested) || /^[a-zA-Z]:/.test(normalized))
    throw outside('absolute paths are not served; give a path relative to the workspace');
  const parts = normalized.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw outside("'..' is not allowed");
  if (parts.length === 0) throw outside('it names the workspace folder itself');
  const realRoot = realpathOrUndefined(root) ?? resolve(root);
  const absolute = join(resolve(root), ...parts);
  // The real path of the file, or of its nearest existing folder, must stay inside the real root.
  let probe = absolute;
  let real = realpathOrUndefined(probe);
  while (real === undefined) {
    const parent = resolve(probe, '..');
    if (parent === probe) break;
    probe = parent;
    real = realpathOrUndefined(probe);
  }
  if (real === undefined || (real !== realRoot && !real.startsWith(realRoot + sep)))
    throw outside('it leads out of the workspace (a symbolic link)');
  return { relative: parts.join('/'), absolute, real: probe === absolute ? real : absolute };
}

function canonicalFolder(root: string): string {
  const absolute = resolve(root);
  const real = realpathOrUndefined(absolute);
  if (!real) throw new EngineError(ERROR_CODES.NOT_FOUND, `No such folder: ${root}`);
  if (!statSync(real).isDirectory())
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a folder: ${root}`);
  return real;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
