/**
 * @module index/watcher
 * Watches a workspace for the live index (`rtc watch`): reports, in debounced and serialized batches, which
 * source files and project manifests were created, modified or removed, with the ignore rules of discovery
 * (.gitignore at every level, .git/info/exclude, .rtcignore, default skipped folders, the size limit,
 * symlinks that leave the workspace or loop). A periodic scan comparing size and mtime with the last known
 * state catches what events missed, and replaces them when watching fails.
 *
 * Why one non-recursive `fs.watch` per folder instead of `fs.watch(root, { recursive: true })`: on Linux,
 * Node 20's recursive watch is emulated in JavaScript, and measured (Node 20.20, bench/watch-latency.mjs) it
 * (1) puts an inotify watch on every file and folder, ignored ones included: 3,153 watches for 1,000 source
 * files in 52 folders beside a node_modules of 2,000 files, against 52 here (the user's inotify limit is
 * often 8,192); (2) reads the whole tree with synchronous readdir on the main thread at start (350 ms there,
 * against 100 ms for this walk, which is asynchronous); (3) lost the events of a folder moved in from
 * outside and then renamed. One watch per folder that discovery walks reports the changes of its files,
 * never enters an ignored folder, and an event naming a folder (new, moved, deleted, made again) re-walks
 * that folder's subtree with new watches, so nothing depends on a watch following a renamed folder or on an
 * inode number (a folder deleted and made again can get the same one).
 *
 * inotify does not see a write made through a hard link in another folder, nor events dropped when its queue
 * overflows: the periodic scan is there for those.
 *
 * Paths are resolved when a batch is built, from their state on disk then: an event only says "look here".
 * A path named by an event is reported changed whenever it is a reportable file, even with the same size and
 * mtime (two writes within one clock tick keep the mtime); scans report what differs from the known state.
 */
import { watch } from 'node:fs';
import type { FSWatcher, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { ERROR_CODES, EngineError, isEngineError, throwIfCancelled } from '../base/index.js';
import type { ErrorCode } from '../base/index.js';
import { detectLanguage } from '../parse/index.js';
import { addRules, DEFAULT_SKIPPED_DIRS, detectByShebang, isIgnored } from './discover.js';
import type { DiscoverOptions } from './discover.js';
import { DEFAULT_INDEX_DIR } from './indexer.js';
import { MANIFEST_NAMES } from './project-manifests.js';

export interface WatchBatch {
  /** Repository-relative paths ('/' separators) of source files and project manifests created or modified. */
  changed: string[];
  /** Paths that were such files and are gone (deleted, renamed away, now ignored). */
  removed: string[];
  /**
   * What found them: file events, or a scan comparing the files with the last known state (periodic, asked
   * for, or after a change to an ignore file, whose rules can hide or reveal any file below it).
   */
  source: 'events' | 'scan';
}

export interface WatchOptions extends DiscoverOptions {
  /** The index folder: never reported (default `<root>/.rtc`). */
  dbDir?: string;
  /** Quiet time before a batch is emitted (default 30 ms). */
  debounceMs?: number;
  /** The longest a batch waits under a continuous stream of events (default 300 ms). */
  maxWaitMs?: number;
  /** Period of the fallback scan (default 30 s; 0: none while events work). */
  scanIntervalMs?: number;
  /** Receives the batches, one at a time: the next batch waits until the promise returned settles. */
  onBatch: (batch: WatchBatch) => void | Promise<void>;
  /** Receives watching failures (once; the watcher then scans periodically) and the errors of onBatch. */
  onError?: (error: EngineError) => void;
}

export interface RepositoryWatcher {
  /** Runs a scan now and emits (when not empty) and returns its batch. */
  scan(): Promise<WatchBatch>;
  /** Stops watching and every timer; no batch is emitted after it is called. */
  close(): Promise<void>;
}

const DEFAULT_DEBOUNCE_MS = 30;
const DEFAULT_MAX_WAIT_MS = 300;
const DEFAULT_SCAN_INTERVAL_MS = 30_000;
/** Without working events, scans run this often at least, or ten times their own duration. */
const FALLBACK_SCAN_MS = 2000;
/** Folders read at once during a walk (as in discovery). */
const FOLDERS_AT_ONCE = 8;
/** Errors that say nothing about a folder's content: its files are kept as they were known. */
const TRANSIENT_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM', 'EBUSY', 'EIO']);

interface Rule {
  base: string;
  ig: Ignore;
}

/** A folder that discovery would walk, with the rules that apply inside it and its watch. */
interface Folder {
  abs: string;
  real: string;
  ino: number;
  rules: Rule[];
  watcher: FSWatcher | undefined;
}

interface FileState {
  size: number;
  mtimeMs: number;
}

interface Changes {
  changed: Set<string>;
  removed: Set<string>;
}

/** Starts watching `root`; resolves once events are received and the current files are known. */
export async function watchRepository(root: string, options: WatchOptions): Promise<RepositoryWatcher> {
  const absolute = resolvePath(root);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new EngineError(ERROR_CODES.NOT_FOUND, `No such folder: ${root}`, { cause });
  });
  if (!info.isDirectory()) throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a folder: ${root}`);
  const watcher = new Watcher(absolute, options);
  await watcher.start();
  return watcher;
}

class Watcher implements RepositoryWatcher {
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly scanIntervalMs: number;
  private readonly skipDirs = new Set(DEFAULT_SKIPPED_DIRS);
  /** The index folder relative to the root, when it is inside. */
  private readonly dbRel: string | undefined;
  private rootReal = '';
  private rootIno = -1;
  private readonly folders = new Map<string, Folder>();
  private readonly files = new Map<string, FileState>();
  /** Paths named by events since the last batch. */
  private pending = new Set<string>();
  private firstEventAt = 0;
  private lastEventAt = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushQueued = false;
  private scanTimer: NodeJS.Timeout | undefined;
  private lastScanMs = 0;
  /** The tail of the serialized work (batches are built and emitted one at a time). */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Events cannot be trusted any more: fallback scans run until close. */
  private degraded = false;
  private readonly abortListener = (): void => void this.close();

  constructor(
    private readonly root: string,
    private readonly options: WatchOptions,
  ) {
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.maxWaitMs = Math.max(options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, this.debounceMs);
    this.scanIntervalMs = options.scanIntervalMs ?? DEFAULT_SCAN_INTERVAL_MS;
    const dbRel = relative(root, resolvePath(options.dbDir ?? join(root, DEFAULT_INDEX_DIR)));
    this.dbRel = dbRel === '' || dbRel.startsWith('..') || dbRel.startsWith(sep) ? undefined : toPosix(dbRel);
  }

  async start(): Promise<void> {
    throwIfCancelled(this.options.signal);
    await this.walk('', new Set());
    if (this.options.signal?.aborted) {
      await this.close();
      throwIfCancelled(this.options.signal);
    }
    this.options.signal?.addEventListener('abort', this.abortListener, { once: true });
    this.scheduleScan();
  }

  scan(): Promise<WatchBatch> {
    if (this.closed) return Promise.reject(new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Watcher closed'));
    return this.enqueue(() => this.runScan());
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.scanTimer);
    this.flushTimer = this.scanTimer = undefined;
    for (const folder of this.folders.values()) folder.watcher?.close();
    this.folders.clear();
    this.pending.clear();
    this.options.signal?.removeEventListener('abort', this.abortListener);
    return Promise.resolve();
  }

  // --- Events and batches ---

  private onEvent(dirRel: string, name: string | null): void {
    if (this.closed) return;
    // Without a name, the folder itself is looked at again.
    const path = name ? (dirRel ? `${dirRel}/${name}` : name) : dirRel;
    const now = performance.now();
    if (this.pending.size === 0) this.firstEventAt = now;
    this.lastEventAt = now;
    this.pending.add(path);
    this.flushTimer ??= setTimeout(this.onFlushTimer, this.debounceMs);
  }

  /** Re-armed instead of reset on every event: a burst of thousands of events sets one timer. */
  private readonly onFlushTimer = (): void => {
    this.flushTimer = undefined;
    if (this.closed || this.pending.size === 0 || this.flushQueued) return;
    const due = Math.min(this.lastEventAt + this.debounceMs, this.firstEventAt + this.maxWaitMs);
    const wait = due - performance.now();
    if (wait > 0.5) {
      this.flushTimer = setTimeout(this.onFlushTimer, wait);
      return;
    }
    this.flushQueued = true;
    this.background(async () => {
      this.flushQueued = false;
      // Taken when the work starts, so what arrived while the previous batch was handled comes along.
      const paths = this.takePending();
      if (paths.size > 0) await this.emit(await this.resolveEvents(paths));
    });
  };

  private takePending(): Set<string> {
    const paths = this.pending;
    this.pending = new Set();
    return paths;
  }

  /** Runs `task` after every earlier one. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.then(noop, noop);
    return run;
  }

  /** Work nobody awaits: its failure goes to onError, never into an unhandled rejection. */
  private background(task: () => Promise<unknown>): void {
    this.enqueue(task).catch((error: unknown) => {
      this.report(error, ERROR_CODES.INTERNAL);
    });
  }

  private async emit(batch: WatchBatch): Promise<void> {
    if (this.closed || (batch.changed.length === 0 && batch.removed.length === 0)) return;
    try {
      await this.options.onBatch(batch);
    } catch (error) {
      this.report(error, ERROR_CODES.INTERNAL);
    }
  }

  private report(error: unknown, code: ErrorCode, message?: string): void {
    if (this.closed) return;
    const engineError = isEngineError(error)
      ? error
      : new EngineError(code, message ?? (error instanceof Error ? error.message : String(error)), {
          cause: error,
        });
    try {
      this.options.onError?.(engineError);
    } catch {
      // The error handler's own failure has nowhere to go.
    }
  }

  /** Watching failed: reported the first time, then periodic scans stand in for the events. */
  private fail(error: unknown, message: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.report(error, ERROR_CODES.IO_ERROR, `${message}: falling back to periodic scans`);
    this.scheduleScan();
  }

  private scheduleScan(): void {
    clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    if (this.closed) return;
    const interval = this.degraded ? Math.max(FALLBACK_SCAN_MS, 10 * this.lastScanMs) : this.scanIntervalMs;
    if (interval <= 0) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      this.background(() => this.runScan());
    }, interval);
  }

  private async runScan(): Promise<WatchBatch> {
    const t0 = performance.now();
    try {
      // Pending event paths come along: a file rewritten within one mtime tick is still reported.
      const changes = await this.walk('', this.takePending());
      const batch = this.toBatch(changes, 'scan');
      await this.emit(batch);
      return batch;
    } finally {
      this.lastScanMs = performance.now() - t0;
      this.scheduleScan();
    }
  }

  // --- Resolving paths against the disk ---

  private async resolveEvents(paths: Set<string>): Promise<WatchBatch> {
    if (!(await this.rootIsHere())) return this.toBatch({ changed: new Set(), removed: new Set() }, 'events');
    // New ignore rules can hide or reveal any file below: a scan applies them.
    for (const path of paths)
      if (path === '.rtcignore' || path === '.gitignore' || path.endsWith('/.gitignore')) {
        return this.toBatch(await this.walk('', paths), 'scan');
      }
    const changes: Changes = { changed: new Set(), removed: new Set() };
    const sorted = [...paths].sort();
    const infos = await Promise.all(
      sorted.map((path) => lstat(join(this.root, path)).catch(() => undefined)),
    );
    const subtrees = new Set<string>();
    for (let i = 0; i < sorted.length; i++) {
      const path = sorted[i]!;
      // Sorted, so a folder comes before its content, which its walk covers.
      if (subtrees.has('') || ancestors(path).some((dir) => subtrees.has(dir))) continue;
      const slash = path.lastIndexOf('/');
      const parent = this.folders.get(slash < 0 ? '' : path.slice(0, slash));
      const name = path.slice(slash + 1);
      let info: Stats | undefined = infos[i];
      if (info?.isSymbolicLink()) info = await stat(join(this.root, path)).catch(() => undefined);
      if (path === '') {
        subtrees.add('');
        continue;
      }
      if (info?.isDirectory()) {
        if (parent && !this.ignoredFolder(path, name, parent.rules)) subtrees.add(path);
        else this.drop(path, changes);
        continue;
      }
      this.drop(path, changes);
      const state =
        parent && infos[i]?.isFile() ? await this.reportable(path, name, parent.rules, infos[i]!) : undefined;
      if (state) {
        this.files.set(path, state);
        changes.changed.add(path);
      } else if (this.files.delete(path)) changes.removed.add(path);
    }
    for (const dir of subtrees) {
      const sub = await this.walk(dir, paths, true);
      for (const path of sub.changed) changes.changed.add(path);
      for (const path of sub.removed) changes.removed.add(path);
    }
    return this.toBatch(changes, 'events');
  }

  /** Each path goes to the list its final state says: known now, changed; not known, removed. */
  private toBatch(changes: Changes, source: WatchBatch['source']): WatchBatch {
    return {
      changed: [...changes.changed].filter((path) => this.files.has(path)).sort(),
      removed: [...changes.removed].filter((path) => !this.files.has(path)).sort(),
      source,
    };
  }

  /** Whether the root is still the folder watched; when not, watching has failed. */
  private async rootIsHere(): Promise<boolean> {
    const info = await stat(this.root).catch(() => undefined);
    if (info?.isDirectory() && info.ino === this.rootIno) return true;
    // A vanished root says nothing about the files: they are kept until a scan sees the root again.
    for (const folder of this.folders.values()) folder.watcher?.close();
    this.folders.clear();
    this.fail(
      new Error(`${this.root}: ${info ? 'replaced' : 'deleted'}`),
      `The workspace folder was ${info ? 'replaced' : 'deleted'}`,
    );
    return false;
  }

  /** Forgets a folder that is gone or ignored now, and the files below it. */
  private drop(dir: string, changes: Changes): void {
    if (!this.folders.has(dir)) return;
    for (const [rel, folder] of this.folders)
      if (isUnder(rel, dir)) {
        folder.watcher?.close();
        this.folders.delete(rel);
      }
    for (const path of this.files.keys())
      if (isUnder(path, dir)) {
        this.files.delete(path);
        changes.removed.add(path);
      }
  }

  private ignoredFolder(path: string, name: string, rules: Rule[]): boolean {
    return this.skipDirs.has(name) || path === this.dbRel || isIgnored(rules, path, true);
  }

  /**
   * The state of a regular file when discovery would list it, or skip it as too large (the live index then
   * records why it is not indexed), or it is a manifest; else undefined.
   */
  private async reportable(
    path: string,
    name: string,
    rules: Rule[],
    info: Stats,
  ): Promise<FileState | undefined> {
    if (isIgnored(rules, path, false)) return undefined;
    if (!isManifest(name)) {
      const language = detectLanguage(path) ?? (await detectByShebang(join(this.root, path), name));
      if (!language || (this.options.languages && !this.options.languages.has(language.id))) return undefined;
    }
    return { size: info.size, mtimeMs: info.mtimeMs };
  }

  /**
   * Walks the folder `start` (a folder discovery would walk; '' for the root, with fresh root rules) as
   * discovery does, watching every folder it enters, and updates the known files below it. A known file is
   * reported when its size or mtime differ or an event named it (`named`); a known file or folder not seen
   * again is forgotten. A folder's watch is kept when the folder has the same inode, unless `renew`: an
   * event on a folder can mean it was deleted and made again, and a new folder can get the inode number of
   * the one deleted, whose watch is dead.
   */
  private async walk(start: string, named: ReadonlySet<string>, renew = false): Promise<Changes> {
    const changes: Changes = { changed: new Set(), removed: new Set() };
    let rules: Rule[];
    let startAbs = join(this.root, start);
    let startReal: string;
    if (start === '') {
      try {
        this.rootReal = await realpath(this.root);
        this.rootIno = (await stat(this.root)).ino;
      } catch (error) {
        this.fail(error, 'Cannot read the workspace folder');
        return changes;
      }
      const rootRules = ignore();
      for (const name of ['.git/info/exclude', '.rtcignore'])
        await addRules(rootRules, join(this.root, name));
      rules = [{ base: '', ig: rootRules }];
      startReal = this.rootReal;
      startAbs = this.root;
    } else {
      const parent = this.folders.get(start.slice(0, Math.max(0, start.lastIndexOf('/'))));
      if (!parent) return changes;
      rules = parent.rules;
      const real = await realpath(startAbs).catch(() => undefined);
      // A folder reached through a symlink that leaves the workspace or leads to a folder walked already.
      if (
        !real ||
        !(real === this.rootReal || real.startsWith(this.rootReal + sep)) ||
        this.isWalked(real, start)
      ) {
        this.drop(start, changes);
        return changes;
      }
      startReal = real;
    }
    interface Visit {
      path: string;
      abs: string;
      real: string;
      rules: Rule[];
    }
    const seenFolders = new Set<string>();
    const visitedReals = new Set<string>();
    if (start !== '')
      for (const [rel, folder] of this.folders) if (!isUnder(rel, start)) visitedReals.add(folder.real);
    /** Folders whose content could not be read for a passing reason: what was known below them stays. */
    const unknown: string[] = [];
    const found = new Map<string, FileState>();
    const throughSymlinks: Visit[] = [];

    const visit = async (
      { path: dirRel, abs: dir, real: dirReal, rules: parentRules }: Visit,
      queue: Visit[],
    ) => {
      if (this.closed) return;
      let dirInfo: Stats;
      try {
        dirInfo = await stat(dir);
      } catch {
        return;
      }
      if (this.closed) return;
      const folder: Folder = {
        abs: dir,
        real: dirReal,
        ino: dirInfo.ino,
        rules: parentRules,
        watcher: undefined,
      };
      this.watchFolder(dirRel, folder, renew);
      seenFolders.add(dirRel);
      visitedReals.add(dirReal);
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (TRANSIENT_CODES.has(errorCode(error))) {
          unknown.push(dirRel);
          this.fail(error, `Cannot read ${dirRel || 'the workspace folder'}`);
        }
        return;
      }
      if (this.closed) return;
      const folderRules = [...parentRules];
      if (entries.some((entry) => entry.name === '.gitignore')) {
        const local = ignore();
        if (await addRules(local, join(dir, '.gitignore'))) folderRules.push({ base: dirRel, ig: local });
      }
      folder.rules = folderRules;
      const candidates: { path: string; name: string; abs: string }[] = [];
      for (const entry of entries) {
        const abs = join(dir, entry.name);
        const path = dirRel ? `${dirRel}/${entry.name}` : entry.name;
        if (entry.isSymbolicLink()) {
          // As discovery: a symlinked folder inside the workspace is walked unless its target is; a
          // symlinked file is listed under its target's path only.
          const target = await realpath(abs).catch(() => undefined);
          if (!target || (target !== this.rootReal && !target.startsWith(this.rootReal + sep))) continue;
          const info = await stat(abs).catch(() => undefined);
          if (info?.isDirectory() && !this.ignoredFolder(path, entry.name, folderRules))
            throughSymlinks.push({ path, abs, real: target, rules: folderRules });
          continue;
        }
        if (entry.isDirectory()) {
          if (!this.ignoredFolder(path, entry.name, folderRules))
            queue.push({ path, abs, real: join(dirReal, entry.name), rules: folderRules });
        } else if (entry.isFile()) candidates.push({ path, name: entry.name, abs });
      }
      const infos = await Promise.all(candidates.map((file) => stat(file.abs).catch(() => undefined)));
      await Promise.all(
        candidates.map(async (file, i) => {
          const info = infos[i];
          const state = info && (await this.reportable(file.path, file.name, folderRules, info));
          if (state) found.set(file.path, state);
        }),
      );
    };
    const walkFrom = async (first: Visit): Promise<void> => {
      const queue = [first];
      const running = new Set<Promise<void>>();
      while (queue.length > 0 || running.size > 0) {
        while (queue.length > 0 && running.size < FOLDERS_AT_ONCE) {
          const task = visit(queue.pop()!, queue).finally(() => running.delete(task));
          running.add(task);
        }
        if (running.size === 0) break;
        await Promise.race(running);
      }
    };

    await walkFrom({ path: start, abs: startAbs, real: startReal, rules });
    while (throughSymlinks.length > 0) {
      throughSymlinks.sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
      const folder = throughSymlinks.pop()!;
      if (!visitedReals.has(folder.real)) await walkFrom(folder);
    }
    if (this.closed) return changes;

    const keep = (path: string): boolean => unknown.some((dir) => isUnder(path, dir) && path !== dir);
    for (const [rel, folder] of this.folders)
      if (isUnder(rel, start) && !seenFolders.has(rel) && !keep(rel)) {
        folder.watcher?.close();
        this.folders.delete(rel);
      }
    for (const path of this.files.keys())
      if (isUnder(path, start) && !found.has(path) && !keep(path)) {
        this.files.delete(path);
        changes.removed.add(path);
      }
    for (const [path, state] of found) {
      const known = this.files.get(path);
      if (!known || known.size !== state.size || known.mtimeMs !== state.mtimeMs || named.has(path))
        changes.changed.add(path);
      this.files.set(path, state);
    }
    return changes;
  }

  /** Whether a folder other than `rel` and those below it has this real path. */
  private isWalked(real: string, rel: string): boolean {
    for (const [other, folder] of this.folders) if (folder.real === real && !isUnder(other, rel)) return true;
    return false;
  }

  /** Records a folder and watches it, keeping its watch when allowed and the folder is the same inode. */
  private watchFolder(rel: string, folder: Folder, renew: boolean): void {
    if (this.closed) return;
    const known = this.folders.get(rel);
    this.folders.set(rel, folder);
    if (!renew && known?.watcher && known.ino === folder.ino && known.abs === folder.abs) {
      folder.watcher = known.watcher;
      return;
    }
    try {
      const watcher = watch(folder.abs, { persistent: true }, (_event, name) => {
        this.onEvent(rel, name);
      });
      watcher.on('error', (error) => {
        watcher.close();
        const current = this.folders.get(rel);
        if (current?.watcher === watcher) current.watcher = undefined;
        this.fail(error, `Cannot watch ${rel || 'the workspace folder'}`);
      });
      folder.watcher = watcher;
    } catch (error) {
      // ENOSPC: the inotify watch limit (fs.inotify.max_user_watches); EMFILE: too many inotify instances.
      this.fail(error, `Cannot watch ${rel || 'the workspace folder'} (${errorCode(error)})`);
    } finally {
      // Closed after the new watch exists: no moment without one.
      known?.watcher?.close();
    }
  }
}

function isManifest(name: string): boolean {
  // Any tsconfig*.json: `extends` often names tsconfig.base.json and the like.
  return MANIFEST_NAMES.includes(name) || (name.startsWith('tsconfig') && name.endsWith('.json'));
}

/** The folders above a path, nearest last ('' excluded). */
function ancestors(path: string): string[] {
  const dirs: string[] = [];
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1))
    dirs.push(path.slice(0, slash));
  return dirs;
}

function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

function noop(): void {
  // Nothing to do.
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function errorCode(error: unknown): string {
  return error && typeof error === 'object' && 'code' in error
    ? String((error as { code: unknown }).code)
    : '';
}
