/**
 * @module interfaces/lsp/session
 * What one LSP session holds: the workspace folders (an engine {@link WorkspaceSet}, opened at `initialize`),
 * and the queue that applies the editor's buffers to it in order. Requests wait for the queue, so a request
 * that follows a change reads the graph with the change in it.
 */
import { dirname, join } from 'node:path';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { Logger } from '../../base/index.js';
import { WorkspaceSet } from '../../engine/index.js';
import type { IndexOptions, LiveWorkspace, PositionOptions } from '../../engine/index.js';
import { uriToPath } from './convert.js';

/** A document of a request: its folder, its repository-relative path, and how to read current texts. */
export interface DocumentTarget {
  live: LiveWorkspace;
  path: string;
  /** The document's text and other buffers' texts, for the engine's position queries. */
  options: PositionOptions;
}

export class LspSession {
  readonly logger: Logger;
  #opening: Promise<WorkspaceSet> | undefined;
  #set: WorkspaceSet | undefined;
  /** Buffer updates, applied one after another. */
  #queue: Promise<void> = Promise.resolve();
  /** The newest version of each open buffer (by absolute path): a queued update of an older one is skipped. */
  readonly #versions = new Map<string, number>();

  constructor(logger: Logger) {
    this.logger = logger;
  }

  /** Opens the workspace folders (indexing them as needed) and starts watching their files. */
  open(roots: readonly string[], options: { watch: boolean; indexing?: IndexOptions }): void {
    this.#opening ??= WorkspaceSet.open(roots, {
      ...options.indexing,
      watch: options.watch,
      logger: this.logger,
    }).then((set) => {
      this.#set = set;
      return set;
    });
    // A failure reaches every request that waits for the folders; here it is only logged.
    this.#opening.catch((error: unknown) => {
      this.logger.error(`The workspace folders could not be opened: ${(error as Error).message}`);
    });
  }

  /** The workspace folders, once open and once every queued buffer update is applied. */
  async workspaces(): Promise<WorkspaceSet> {
    if (!this.#opening)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        'The server is not initialized (send initialize first)',
      );
    const set = await this.#opening;
    await this.#queue;
    return set;
  }

  /** The folder and path of a document URI, with the texts the engine should read. */
  async target(uri: string): Promise<DocumentTarget> {
    const absolute = uriToPath(uri);
    const set = await this.workspaces();
    const located = set.locate(absolute);
    if (!located || located.path === '' || located.path.startsWith('..'))
      throw new EngineError(ERROR_CODES.NOT_FOUND, `${absolute} is in no workspace folder`);
    const live = located.workspace;
    const text = set.document(absolute)?.text;
    return {
      live,
      path: located.path,
      options: {
        ...(text !== undefined ? { text } : {}),
        readText: (path) => set.document(join(live.root, path))?.text,
      },
    };
  }

  /** Applies an editor's buffer (queued after the updates before it; skipped when a newer one is queued). */
  change(uri: string, text: string, version: number): void {
    const path = this.#pathOrLog(uri);
    if (path === undefined) return;
    this.#versions.set(path, version);
    this.#enqueue(`change ${path}`, async (set) => {
      if (this.#versions.get(path) !== version) return;
      if (!this.#inFolder(set, path)) return;
      await set.changeDocument(path, text, version);
    });
  }

  /** Closes a buffer: the graph goes back to the file on disk. */
  close(uri: string): void {
    const path = this.#pathOrLog(uri);
    if (path === undefined) return;
    this.#versions.delete(path);
    this.#enqueue(`close ${path}`, async (set) => {
      if (set.document(path)) await set.closeDocument(path);
    });
  }

  /** Adds and removes workspace folders (`workspace/didChangeWorkspaceFolders`). */
  changeFolders(added: readonly string[], removed: readonly string[]): void {
    this.#enqueue('workspace folders', async (set) => {
      for (const root of removed) await set.remove(root);
      for (const root of added) await set.add(root);
    });
  }

  /** Closes every folder (writing what is pending); the session is unusable after. */
  async shutdown(): Promise<void> {
    if (!this.#opening) return;
    await this.#queue;
    const set = this.#set ?? (await this.#opening.catch(() => undefined));
    await set?.close();
  }

  #enqueue(what: string, apply: (set: WorkspaceSet) => Promise<void>): void {
    const opening = this.#opening;
    if (!opening) {
      this.logger.warn(`Ignored before initialize: ${what}`);
      return;
    }
    this.#queue = this.#queue
      .then(async () => apply(await opening))
      .catch((error: unknown) => {
        this.logger.error(`${what} failed: ${(error as Error).message}`);
      });
  }

  #inFolder(set: WorkspaceSet, path: string): boolean {
    const located = set.locate(path);
    if (located && located.path !== '' && !located.path.startsWith('..')) return true;
    this.logger.debug(`${path} is in no workspace folder (of ${dirname(path)}): not indexed`);
    return false;
  }

  #pathOrLog(uri: string): string | undefined {
    try {
      return uriToPath(uri);
    } catch (error) {
      this.logger.warn((error as Error).message);
      return undefined;
    }
  }
}
