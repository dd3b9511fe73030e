/**
 * @module engine/live-workspace
 * A workspace that stays live: file-system events (the watcher), editors' unsaved buffers and scans all go
 * through one update path ({@link LiveIndex.apply}), and every query reads one version of the graph. The
 * change tracker records when, how and how much each file changed (the history is kept in the index, so
 * `rtc changes` in another process sees it), starting from the working tree's uncommitted changes in git;
 * the change-proximity reward reads it.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Logger } from '../base/index.js';
import { discoverFiles, LiveIndex, watchRepository } from '../index/index.js';
import type {
  GraphDelta,
  LiveChange,
  LiveIndexOptions,
  LiveSnapshot,
  RepositoryWatcher,
  WatchBatch,
  WatchOptions,
} from '../index/index.js';
import { createEmbedder, openVectors, SemanticRouter, updateVectors } from '../retrieve/index.js';
import { emptyPolicy } from '../retrieve/index.js';
import type { Embedder, RecentChange, RetrievalPolicy, VectorSearch } from '../retrieve/index.js';
import { IndexStore, StoredGraph } from '../store/index.js';
import type { ChangeRecord } from '../store/index.js';
import type { FeedbackInput, FeedbackRecord } from './feedback.js';
import { ImplicitFeedback } from './implicit-feedback.js';
import type { ImplicitLesson } from './implicit-feedback.js';
import { learnFromFeedback, PolicyStore } from './policy-store.js';
import { readerBacking, retrievalOver } from './indexed-workspace.js';
import { readRetrievalConfig, recentChanges, workingTreeChanges } from './retrieval.js';
import type { RetrievalConfig, WorkingChange } from './retrieval.js';
import { Workspace } from './workspace.js';
import type { ContextResult } from './workspace.js';
import type { QueryOptions, QueryResult } from './types.js';

export type { GraphDelta, LiveChange };

export interface LiveWorkspaceOptions extends LiveIndexOptions {
  logger?: Logger;
  /**
   * Implicit feedback (edits after a query teach the policy): on by default; `windowMs` is how long after
   * a query an edit counts for it (default 30 minutes); `false` turns it off.
   */
  implicitFeedback?: { windowMs?: number } | false;
}

/** One entry of the change history (`rtc changes`). */
export interface ChangeEntry {
  path: string;
  kind: 'added' | 'edited' | 'removed';
  /** When (ms since the epoch). */
  at: number;
  /** Zero-based line ranges of the new text. */
  lines: [number, number][];
  /** Nodes added, removed and updated, when the change went through the live index. */
  nodes?: { added: number; removed: number; updated: number };
  /** The declarations added, removed and updated, by qualified name (live changes). */
  symbols?: { added: string[]; removed: string[]; updated: string[] };
  /** The version it produced (live changes). */
  version?: number;
  /** `git` (uncommitted in the working tree when the history was read) or what applied it. */
  source: string;
}

/** Results of a query that count as shown (for implicit feedback): the first symbols and files. */
const SHOWN = 10;
/** How long a live change counts fully for the change-proximity reward; it then decays to half. */
const FRESH_MS = 10 * 60_000;

/** Opens the live workspace of a repository: brings its index up to date and keeps it so. */
export async function openLiveWorkspace(
  repo: string,
  options: LiveWorkspaceOptions = {},
): Promise<LiveWorkspace> {
  const live = await LiveIndex.open(repo, options);
  try {
    const config = readRetrievalConfig(live.root, live.dbDir);
    const working = await workingTreeChanges(live.root, [relativeFolder(live.root, live.dbDir)]);
    const history = await recentChanges(live.root);
    let embedder: Embedder | undefined;
    if (config.embedding) {
      // The vectors of every symbol whose text changed since the last run (the live index holds the lock).
      embedder = await createEmbedder(config.embedding, { root: live.root });
      await updateVectors(live.dbDir, embedder, { documents: live.lexical.documents(), all: true });
    }
    return new LiveWorkspace(live, config, working, history, embedder, options);
  } catch (error) {
    await live.close();
    throw error;
  }
}

export class LiveWorkspace {
  readonly #live: LiveIndex;
  readonly #config: RetrievalConfig;
  readonly #router: SemanticRouter;
  readonly #working: WorkingChange[];
  /** Git's view at open (uncommitted lines, untracked files, recent commits). */
  readonly #history: RecentChange[];
  readonly #embedder: Embedder | undefined;
  #vectors: VectorSearch | undefined;
  readonly #logger: Logger | undefined;
  readonly #views = new WeakMap<LiveSnapshot, Workspace>();
  /** Live changes of this session, newest last. */
  readonly #changes: ChangeEntry[] = [];
  /** The repository's retrieval policy, read again when it changes. */
  readonly #policy: PolicyStore;
  /** Recent queries' results, and what later edits said about them. */
  readonly #implicit: ImplicitFeedback | undefined;
  #watcher: RepositoryWatcher | undefined;
  #closed = false;

  constructor(
    live: LiveIndex,
    config: RetrievalConfig,
    working: WorkingChange[],
    history: RecentChange[],
    embedder: Embedder | undefined,
    options: LiveWorkspaceOptions,
  ) {
    this.#live = live;
    this.#config = config;
    this.#router = new SemanticRouter(config.routes ?? []);
    this.#working = working;
    this.#history = history;
    this.#embedder = embedder;
    this.#logger = options.logger;
    if (embedder) this.#vectors = openVectors(live.dbDir, embedder);
    this.#policy = new PolicyStore(live.dbDir, options.logger ? { logger: options.logger } : {});
    const implicit = options.implicitFeedback;
    this.#implicit =
      implicit === false
        ? undefined
        : new ImplicitFeedback({
            ...(implicit?.windowMs !== undefined ? { windowMs: implicit.windowMs } : {}),
            learn: (lesson) => {
              this.#learnImplicit(lesson);
            },
          });
    live.onDelta((delta) => {
      this.#implicit?.observe(delta);
      for (const file of delta.files)
        this.#changes.push({
          path: file.path,
          kind: file.kind,
          at: Date.now(),
          lines: file.lines,
          nodes: file.nodes,
          symbols: file.symbols,
          version: delta.version,
          source: 'live',
        });
      if (this.#changes.length > 10_000) this.#changes.splice(0, this.#changes.length - 10_000);
    });
  }

  get root(): string {
    return this.#live.root;
  }

  get dbDir(): string {
    return this.#live.dbDir;
  }

  /** The current version (index generation). */
  get version(): number {
    return this.#live.version;
  }

  /** The vector search and its embedder, when embeddings are configured (kept up to date by updates). */
  get vectors(): { search: VectorSearch; embedder: Embedder } | undefined {
    return this.#vectors && this.#embedder ? { search: this.#vectors, embedder: this.#embedder } : undefined;
  }

  /** Repository-relative paths of the indexed files. */
  paths(): string[] {
    return this.#live.paths();
  }

  /** Whether the file watcher runs. */
  get watching(): boolean {
    return this.#watcher !== undefined;
  }

  /** What the index run at open did. */
  get opening(): LiveIndex['opening'] {
    return this.#live.opening;
  }

  /**
   * Runs `use` on the current version: everything it reads comes from that version, whatever updates happen
   * meanwhile; the version is released when `use` settles.
   */
  async read<T>(use: (workspace: Workspace, version: number) => T | Promise<T>): Promise<T> {
    const { snapshot, release } = this.#live.acquire();
    try {
      return await use(this.#view(snapshot), snapshot.version);
    } finally {
      release();
    }
  }

  /** A query on the current version (its result says which). */
  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    const changes = options.recentChanges ?? this.recentChanges();
    const result = await this.read((workspace) =>
      workspace.query(text, { ...options, recentChanges: changes }),
    );
    // What a query shows is what later edits can confirm: its first symbols and files.
    this.#implicit?.remember(text, {
      symbols: result.symbols.slice(0, SHOWN),
      files: result.files.slice(0, SHOWN).map((f) => f.path),
      ...(result.version !== undefined ? { version: result.version } : {}),
    });
    return result;
  }

  /** Context within a token budget, from the current version. */
  async context(text: string, options: Parameters<Workspace['context']>[1] = {}): Promise<ContextResult> {
    const changes = options.recentChanges ?? this.recentChanges();
    let ranking: QueryResult | undefined;
    const result = await this.read((workspace) =>
      workspace.context(text, {
        ...options,
        recentChanges: changes,
        onQuery: (query) => {
          ranking = query;
          options.onQuery?.(query);
        },
      }),
    );
    if (ranking && this.#implicit) {
      // The symbols the context shows (bodies or signatures), and their files.
      const shown = new Set(
        result.items.flatMap((item) => item.names.map((name) => `${item.path}\0${name}`)),
      );
      this.#implicit.remember(text, {
        symbols: ranking.symbols.filter((s) => shown.has(`${s.path}\0${s.qualifiedName}`)),
        files: [...new Set(result.items.map((item) => item.path))],
        ...(result.version !== undefined ? { version: result.version } : {}),
      });
    }
    return result;
  }

  /** The repository's retrieval policy (the default one while nothing was learned). */
  get policy(): RetrievalPolicy {
    return this.#policy.current() ?? emptyPolicy(this.#policy.version);
  }

  /** Applies changes (editors' buffers: give `text`; saved files: the path alone). */
  async update(changes: readonly LiveChange[]): Promise<GraphDelta | undefined> {
    if (this.#closed) throw new EngineError(ERROR_CODES.INTERNAL, 'The live workspace is closed');
    const delta = await this.#live.apply(changes);
    if (delta && this.#embedder) await this.#updateVectors(delta);
    return delta;
  }

  /**
   * Brings the graph up to date with the disk: the given paths, or every file (discovery runs again; files
   * whose content did not change cost a hash). Open buffers are not touched when paths are given.
   */
  async reindex(paths?: readonly string[]): Promise<GraphDelta | undefined> {
    if (paths) return this.update(paths.map((path) => ({ path })));
    const discovery = await discoverFiles(this.root);
    const all = new Set(this.#live.paths());
    for (const file of discovery.files) all.add(file.path);
    return this.update([...all].map((path) => ({ path })));
  }

  /**
   * Records feedback on a query's results (appended to `feedback.jsonl` in the index folder) and learns
   * from it: the judged nodes and files move the policy's values; when the query is one of the recent ones,
   * its ranking moves the reward weights and edge priors too.
   */
  feedback(input: FeedbackInput): FeedbackRecord {
    const results = this.#implicit?.resultsOf(input.query);
    return learnFromFeedback(this.dbDir, input, {
      ...(results ? { results } : {}),
      pathOf: (id) => this.#pathOf(id),
      ...(this.#logger ? { logger: this.#logger } : {}),
    }).record;
  }

  /** Calls `listener` after every update. */
  onDelta(listener: (delta: GraphDelta) => void): () => void {
    return this.#live.onDelta(listener);
  }

  /**
   * Starts watching the repository: every batch of the watcher becomes one update. Errors of an update are
   * reported through `onError` (the watch goes on).
   */
  async watch(
    options: Omit<WatchOptions, 'onBatch'> & {
      onBatch?: (batch: WatchBatch, delta: GraphDelta | undefined) => void;
    } = {},
  ): Promise<RepositoryWatcher> {
    if (this.#watcher) return this.#watcher;
    const { onBatch, ...rest } = options;
    this.#watcher = await watchRepository(this.root, {
      ...rest,
      dbDir: this.dbDir,
      onBatch: async (batch) => {
        try {
          const delta = await this.update([...batch.changed, ...batch.removed].map((path) => ({ path })));
          onBatch?.(batch, delta);
        } catch (error) {
          const failure =
            error instanceof EngineError
              ? error
              : new EngineError(ERROR_CODES.INTERNAL, `An update failed: ${(error as Error).message}`, {
                  cause: error,
                });
          if (options.onError) options.onError(failure);
          else this.#logger?.error(failure.message);
        }
      },
    });
    return this.#watcher;
  }

  /**
   * The change history: the working tree's uncommitted changes (git, at open) and every live change since,
   * oldest first; `since` in ms since the epoch.
   */
  changes(options: { since?: number } = {}): ChangeEntry[] {
    const since = options.since ?? -Infinity;
    const entries: ChangeEntry[] = this.#working
      .filter((c) => c.at >= since)
      .map((c) => ({ ...c, source: 'git' }));
    for (const change of this.#changes) if (change.at >= since) entries.push(change);
    return entries.sort((a, b) => a.at - b.at);
  }

  /**
   * What the change-proximity reward reads: this session's changes (weight 1 while fresh, then decaying to
   * 0.5 over the next hours), then git's (uncommitted, untracked, the last commits), by path.
   */
  recentChanges(now = Date.now()): RecentChange[] {
    const byPath = new Map<string, RecentChange>();
    for (let i = this.#changes.length - 1; i >= 0; i--) {
      const change = this.#changes[i]!;
      if (change.kind === 'removed' || byPath.has(change.path)) continue;
      const age = Math.max(0, now - change.at - FRESH_MS);
      const weight = 0.5 + 0.5 * Math.exp(-age / (6 * FRESH_MS));
      byPath.set(change.path, { path: change.path, lines: change.lines, weight });
    }
    for (const change of this.#history) if (!byPath.has(change.path)) byPath.set(change.path, change);
    return [...byPath.values()];
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The session ends: the windows of its queries close now.
    this.#implicit?.expire(true);
    await this.#watcher?.close();
    await this.#live.close();
    await this.#embedder?.close?.();
  }

  /** The file of a node of the current version. */
  #pathOf(id: string): string | undefined {
    const { snapshot, release } = this.#live.acquire();
    try {
      return this.#view(snapshot).graphReader.node(id)?.path;
    } finally {
      release();
    }
  }

  /** Learns from implicit feedback; a failure is a warning (learning never breaks an update). */
  #learnImplicit(lesson: ImplicitLesson): void {
    try {
      learnFromFeedback(this.dbDir, lesson.input, {
        results: lesson.results,
        ...(lesson.learned ? { learned: lesson.learned } : {}),
        ...(lesson.negativeWeight !== undefined ? { negativeWeight: lesson.negativeWeight } : {}),
        ...(this.#logger ? { logger: this.#logger } : {}),
      });
    } catch (error) {
      this.#logger?.warn(`Implicit feedback was not learned: ${(error as Error).message}`);
    }
  }

  #view(snapshot: LiveSnapshot): Workspace {
    let view = this.#views.get(snapshot);
    if (view) return view;
    const graph = new StoredGraph(snapshot.reader, snapshot.csr);
    const lexical = this.#live.lexical;
    const retrieval = retrievalOver(graph, {
      root: this.root,
      config: this.#config,
      router: this.#router,
      // The lexical index follows the newest version: behind the snapshot only after a failed update.
      ...(lexical.generation() >= snapshot.version ? { lexical } : {}),
      ...(this.#vectors && this.#embedder
        ? { vectors: { search: this.#vectors, embedder: this.#embedder } }
        : {}),
      policy: this.#policy,
    });
    view = new Workspace({
      ...readerBacking(snapshot.reader, graph, this.dbDir),
      retrieval: () => Promise.resolve(retrieval),
      // A view lives as long as its snapshot: the live index releases it.
      close: () => Promise.resolve(),
    });
    this.#views.set(snapshot, view);
    return view;
  }

  async #updateVectors(delta: GraphDelta): Promise<void> {
    const embedder = this.#embedder!;
    const paths = delta.files.filter((f) => f.kind !== 'removed').map((f) => f.path);
    try {
      await updateVectors(this.dbDir, embedder, {
        documents: this.#live.lexical.documents({ paths }),
        files: paths,
        removed: delta.nodes.removed,
      });
      this.#vectors = openVectors(this.dbDir, embedder);
    } catch (error) {
      this.#logger?.warn(`The vectors were not updated: ${(error as Error).message}`);
    }
  }
}

/** `folder` relative to `root` with `/` separators ('' when it is outside). */
export function relativeFolder(root: string, folder: string): string {
  const path = relative(root, folder);
  return path.startsWith('..') || isAbsolute(path) ? '' : path.split(sep).join('/');
}

/** The change history recorded in an index (by live sessions), from `since` on. */
export function storedChanges(dbDir: string, options: { since?: number } = {}): ChangeRecord[] {
  let store: IndexStore;
  try {
    store = IndexStore.open(dbDir, { readOnly: true });
  } catch {
    return [];
  }
  const reader = store.read();
  try {
    return reader.changes(options.since !== undefined ? { since: options.since } : {});
  } finally {
    reader.done();
    void store.close();
  }
}
