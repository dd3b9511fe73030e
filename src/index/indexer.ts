/**
 * @module index/indexer
 * Indexes a repository into its store: walk, hash, parse what changed on all cores, re-resolve what changed
 * and what depends on it, and commit the new generation in one transaction. A run with nothing changed
 * writes nothing.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { ERROR_CODES, EngineError, fingerprint128, throwIfCancelled } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import { addResolutionCounts, CsrGraph, emptyResolutionCounts, resolveWorkspace } from '../graph/index.js';
import type { AsgEdge, AsgNode, FileGraph, ResolutionCounts } from '../graph/index.js';
import {
  acquireWriteLock,
  beginLexicalWrite,
  encodeSnapshot,
  IndexStore,
  LexicalIndex,
  lexicalFile,
} from '../store/index.js';
import type { FileRecord, SkippedRecord } from '../store/index.js';
import { discoverFiles } from './discover.js';
import type { DiscoveredFile, DiscoverOptions } from './discover.js';
import { dependentsOf } from './dependents.js';
import { parseFiles } from './parse-pool.js';
import { readProjectConfig } from './project-manifests.js';

/** The default index folder of a repository. */
export const DEFAULT_INDEX_DIR = '.rtc';

/** What an index run is doing, for progress displays. */
export type IndexPhase = 'discover' | 'hash' | 'parse' | 'load' | 'resolve' | 'write';

export interface IndexProgress {
  phase: IndexPhase;
  done: number;
  total: number;
  bytes?: number;
}

export interface IndexOptions extends DiscoverOptions {
  /** The index folder (default `<root>/.rtc`). */
  dbDir?: string;
  workers?: number;
  /** Ignore the previous index: parse and resolve everything. */
  full?: boolean;
  onProgress?: (progress: IndexProgress) => void;
  /** Fail the write after this many steps (tests of failing writes; also `RTC_FAULT=write:N`). */
  failWriteAfter?: number;
}

/** What an index run did. */
export interface IndexReport {
  root: string;
  dbDir: string;
  generation: number;
  /** Nothing changed: nothing was written. */
  upToDate: boolean;
  cold: boolean;
  files: {
    total: number;
    parsed: number;
    unchanged: number;
    removed: number;
    skipped: number;
    /** Files re-resolved: the parsed ones and those that depend on them. */
    resolved: number;
    /** Of the re-resolved files, those re-resolved only because they depend on a changed file. */
    dependents: number;
  };
  bytesParsed: number;
  nodes: number;
  edges: number;
  resolution: ResolutionCounts;
  diagnostics: number;
  timings: Record<
    | 'discoverMs'
    | 'hashMs'
    | 'parseMs'
    | 'loadMs'
    | 'resolveMs'
    | 'writeMs'
    | 'buildMs'
    | 'storeMs'
    | 'lexicalMs'
    | 'totalMs',
    number
  >;
}

/** Indexes the repository at `root` into its store. */
export async function indexRepository(root: string, options: IndexOptions = {}): Promise<IndexReport> {
  const t0 = performance.now();
  const absolute = resolvePath(root);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new EngineError(ERROR_CODES.NOT_FOUND, `No such folder: ${root}`, { cause });
  });
  if (!info.isDirectory()) throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a folder: ${root}`);
  const dbDir = resolvePath(options.dbDir ?? join(absolute, DEFAULT_INDEX_DIR));
  const release = acquireWriteLock(dbDir);
  let store: IndexStore | undefined;
  let lexical: LexicalIndex | undefined;
  try {
    store = IndexStore.open(dbDir);
    lexical = LexicalIndex.open(dbDir);
    return await runIndex(absolute, dbDir, store, lexical, options, t0);
  } finally {
    lexical?.close();
    await store?.close();
    release();
  }
}

async function runIndex(
  root: string,
  dbDir: string,
  store: IndexStore,
  lexical: LexicalIndex,
  options: IndexOptions,
  t0: number,
): Promise<IndexReport> {
  const progress = options.onProgress;
  const reader = store.read();
  try {
    const previousMeta = options.full ? undefined : reader.meta();
    const previous = new Map<string, FileRecord>();
    if (previousMeta) for (const record of reader.files()) previous.set(record.path, record);

    // 1. Walk.
    progress?.({ phase: 'discover', done: 0, total: 0 });
    const discovery = await discoverFiles(root, options);
    throwIfCancelled(options.signal);
    const insideDb = relative(root, dbDir);
    const candidates = discovery.files.filter(
      (f) => insideDb.startsWith('..') || !(f.path === insideDb || f.path.startsWith(insideDb + sep)),
    );
    const skipped: SkippedRecord[] = discovery.skipped.map((s) => ({
      path: s.path,
      reason: s.reason,
      ...(s.detail ? { detail: s.detail } : {}),
    }));
    const diagnostics: Diagnostic[] = [...discovery.diagnostics];
    const t1 = performance.now();

    // 2. Hash: what changed since the last run. A file whose size and mtime are those recorded, and whose
    // mtime is well before the last run wrote the index, kept its hash (git's "racy" rule: a file modified
    // in the same clock tick as the index was written is hashed again).
    progress?.({ phase: 'hash', done: 0, total: candidates.length });
    const trustBefore = previousMeta ? Date.parse(previousMeta.indexedAt) - RACY_MARGIN_MS : -Infinity;
    const toHash: DiscoveredFile[] = [];
    const known = new Map<string, string>();
    for (const file of candidates) {
      const record = previous.get(file.path);
      if (
        record &&
        record.bytes === file.size &&
        record.mtimeMs === file.mtimeMs &&
        file.mtimeMs < trustBefore
      )
        known.set(file.path, record.hash);
      else toHash.push(file);
    }
    const hashed = await hashFiles(toHash, (done) =>
      progress?.({ phase: 'hash', done, total: toHash.length }),
    );
    const hashes = new Map<string, { hash: string } | { error: string }>(
      toHash.map((file, i) => [file.path, hashed[i]!]),
    );
    const present: (DiscoveredFile & { hash: string })[] = [];
    for (const file of candidates) {
      const h = known.has(file.path) ? { hash: known.get(file.path)! } : hashes.get(file.path)!;
      if ('error' in h) skipped.push({ path: file.path, reason: 'unreadable', detail: h.error });
      else present.push({ ...file, hash: h.hash });
    }
    const { config, diagnostics: manifestDiagnostics } = await readProjectConfig(
      root,
      present.map((f) => f.path),
    );
    diagnostics.push(...manifestDiagnostics);
    const configFingerprint = fingerprint128(JSON.stringify(config));
    const changed = present.filter((f) => previous.get(f.path)?.hash !== f.hash);
    const presentPaths = new Set(present.map((f) => f.path));
    const removed = [...previous.keys()].filter((path) => !presentPaths.has(path));
    const t2 = performance.now();

    // 3. Parse what changed.
    const results = await parseFiles(
      changed.map((f) => ({ path: f.path, absolutePath: f.absolutePath, language: f.language })),
      {
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (done, total, bytes) => progress?.({ phase: 'parse', done, total, bytes }),
      },
    );
    const t3 = performance.now();
    const byPath = new Map(changed.map((f) => [f.path, f]));
    const parsed: { record: FileRecord; graph: FileGraph }[] = [];
    let bytesParsed = 0;
    for (const result of results) {
      if (!result.ok) {
        skipped.push({ path: result.path, reason: result.reason, detail: result.detail });
        diagnostics.push({
          severity: 'warning',
          code: `INDEX_${result.reason.toUpperCase().replace('-', '_')}`,
          message: `Skipped: ${result.reason} (${result.detail})`,
          path: result.path,
        });
        // A file that was indexed before and cannot be now is removed from the index.
        if (previous.has(result.path)) removed.push(result.path);
        continue;
      }
      const file = byPath.get(result.path)!;
      bytesParsed += result.bytes;
      diagnostics.push(...result.diagnostics);
      parsed.push({
        graph: result.graph,
        record: {
          path: result.path,
          language: result.graph.language,
          hash: file.hash,
          bytes: result.bytes,
          lines: result.graph.lineCount,
          mtimeMs: file.mtimeMs,
          nodes: result.graph.nodes.length,
          diagnostics: result.diagnostics,
          counts: emptyResolutionCounts(),
        },
      });
    }
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const configChanged = previousMeta?.configFingerprint !== configFingerprint;
    const lexicalBehind = lexical.generation() !== (previousMeta?.generation ?? 0);
    if (parsed.length === 0 && removed.length === 0 && !configChanged && previousMeta && !lexicalBehind) {
      // Nothing to do, but perhaps a new file to skip (a binary file added).
      for (const record of previous.values()) diagnostics.push(...record.diagnostics);
      if (JSON.stringify(skipped) !== JSON.stringify(previousMeta.skipped)) store.updateSkipped(skipped);
      return report({ upToDate: true, generation: previousMeta.generation, cold: false });
    }

    // The lexical index of the parsed files is written meanwhile (a worker thread for large runs), and
    // committed after the LMDB generation. When it is behind (a crash between the two commits), it is
    // rebuilt from every file at the end instead.
    const lexicalFiles = lexicalBehind ? [] : parsed.map((p) => lexicalFile(p.graph.path, p.graph.nodes));
    const lexicalWriter = lexicalBehind
      ? undefined
      : beginLexicalWrite(dbDir, {
          removed,
          all: !previousMeta,
          symbols: lexicalFiles.reduce((n, f) => n + f.nodes.length, 0),
          root,
        });
    lexicalWriter?.add(lexicalFiles);
    try {
      // 4. Load the graphs of unchanged files.
      const graphs = new Map<string, FileGraph>();
      const parsedPaths = new Set(parsed.map((p) => p.record.path));
      const removedSet = new Set(removed);
      const keptRecords: FileRecord[] = [];
      let loaded = 0;
      for (const record of previous.values()) {
        if (parsedPaths.has(record.path) || removedSet.has(record.path)) continue;
        const graph = reader.fileGraph(record.path);
        if (!graph) continue;
        graphs.set(record.path, graph);
        keptRecords.push(record);
        diagnostics.push(...record.diagnostics);
        if (++loaded % 500 === 0) progress?.({ phase: 'load', done: loaded, total: previous.size });
      }
      for (const { graph } of parsed) graphs.set(graph.path, graph);
      const ordered = [...graphs.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const t4 = performance.now();

      // 5. Resolve the changed files and their dependents.
      progress?.({ phase: 'resolve', done: 0, total: ordered.length });
      const cold = !previousMeta || configChanged;
      const targets = cold
        ? new Set(ordered.map((g) => g.path))
        : dependentsOf({
            changed: parsed.map((p) => p.graph),
            before: [...parsedPaths, ...removed]
              .map((path) => (previous.has(path) ? reader.fileGraph(path) : undefined))
              .filter((g): g is FileGraph => g !== undefined),
            files: ordered,
          });
      const resolution = resolveWorkspace(ordered, config, { targets });
      const t5 = performance.now();
      const readTimings = {
        discoverMs: t1 - t0,
        hashMs: t2 - t1,
        parseMs: t3 - t2,
        loadMs: t4 - t3,
        resolveMs: t5 - t4,
      };

      // 6. The new graph: local edges of every file, then the resolved edges (new for targets, saved for others).
      progress?.({ phase: 'write', done: 0, total: 1 });
      const resolvedEdges: AsgEdge[] = [];
      const nodes: AsgNode[] = [];
      const localEdges: AsgEdge[] = [];
      const totals = emptyResolutionCounts();
      const records = new Map<string, FileRecord>();
      for (const record of keptRecords) records.set(record.path, record);
      for (const { record } of parsed) records.set(record.path, record);
      const updatedRecords: FileRecord[] = [];
      for (const graph of ordered) {
        for (const node of graph.nodes) nodes.push(node);
        for (const edge of graph.edges) localEdges.push(edge);
        const own = resolution.byFile.get(graph.path);
        const edges = own ? own.edges : reader.resolvedEdges(graph.path);
        for (const edge of edges) resolvedEdges.push(edge);
        const record = records.get(graph.path)!;
        if (own) {
          record.counts = { calls: own.calls, references: own.references, imports: own.imports };
          if (!parsedPaths.has(graph.path)) updatedRecords.push(record);
        }
        addResolutionCounts(totals, record.counts);
      }
      // The local edges of every file, then the resolved ones (the order a clean run gives).
      for (const edge of resolvedEdges) localEdges.push(edge);
      const csr = CsrGraph.build(nodes, localEdges, { dedupe: true });
      const snapshot = encodeSnapshot(csr);
      const tBuild = performance.now();
      reader.done();
      throwIfCancelled(options.signal);
      const generation = store.write({
        meta: {
          root,
          indexedAt: new Date().toISOString(),
          configFingerprint,
          skipped,
          nodes: csr.nodeCount,
          edges: csr.edgeCount,
          lastRun: {
            cold,
            files: ordered.length,
            parsed: parsed.length,
            removed: removed.length,
            resolved: targets.size,
            bytesParsed,
            timings: readTimings,
          },
        },
        parsed,
        records: updatedRecords,
        removed,
        edges: [...resolution.byFile].map(([path, own]) => [path, own.edges]),
        snapshot,
        ...(options.failWriteAfter !== undefined ? { failAfter: options.failWriteAfter } : faultFromEnv()),
      });
      const tStore = performance.now();
      // The lexical index follows the committed generation; after a crash between the two it is rebuilt.
      if (process.env.RTC_FAULT === 'kill:lexical') process.kill(process.pid, 'SIGKILL');
      if (lexicalWriter) await lexicalWriter.commit(generation);
      else {
        // Graphs loaded from the store have thin nodes: the lexical index needs their details.
        const details = store.read();
        try {
          const fresh = new Set(parsed.map((p) => p.graph.path));
          lexical.update({
            all: true,
            files: ordered.map((g) =>
              lexicalFile(
                g.path,
                fresh.has(g.path)
                  ? g.nodes
                  : g.nodes
                      .map((n) => (n.path === '' ? n : details.node(n.id)))
                      .filter((n) => n !== undefined),
              ),
            ),
            removed: [],
            generation,
            root,
          });
        } finally {
          details.done();
        }
      }
      const t6 = performance.now();
      return {
        ...report({ upToDate: false, generation, cold }),
        nodes: csr.nodeCount,
        edges: csr.edgeCount,
        resolution: totals,
        files: {
          total: ordered.length,
          parsed: parsed.length,
          unchanged: ordered.length - parsed.length,
          removed: removed.length,
          skipped: skipped.length,
          resolved: targets.size,
          dependents: [...targets].filter((p) => !parsedPaths.has(p)).length,
        },
        timings: {
          ...readTimings,
          writeMs: t6 - t5,
          buildMs: tBuild - t5,
          storeMs: tStore - tBuild,
          lexicalMs: t6 - tStore,
          totalMs: t6 - t0,
        },
      };
    } catch (error) {
      // Nothing was committed to LMDB (or the lexical commit failed): the lexical write goes too.
      await lexicalWriter?.rollback();
      throw error;
    }

    function report(fields: { upToDate: boolean; generation: number; cold: boolean }): IndexReport {
      const now = performance.now();
      const totalsNow = emptyResolutionCounts();
      for (const record of previous.values()) addResolutionCounts(totalsNow, record.counts);
      const meta = fields.upToDate ? reader.meta() : undefined;
      return {
        root,
        dbDir,
        ...fields,
        files: {
          total: previous.size,
          parsed: 0,
          unchanged: previous.size,
          removed: 0,
          skipped: skipped.length,
          resolved: 0,
          dependents: 0,
        },
        bytesParsed,
        nodes: meta?.nodes ?? 0,
        edges: meta?.edges ?? 0,
        resolution: totalsNow,
        diagnostics: diagnostics.length,
        timings: {
          discoverMs: t1 - t0,
          hashMs: t2 - t1,
          parseMs: t3 - t2,
          loadMs: 0,
          resolveMs: 0,
          writeMs: 0,
          buildMs: 0,
          storeMs: 0,
          lexicalMs: 0,
          totalMs: now - t0,
        },
      };
    }
  } finally {
    reader.done();
  }
}

/**
 * Faults for tests of failing writes and crashes, from `RTC_FAULT`: `write:N` fails the store's write after
 * N steps; `kill:write` kills the process inside the write transaction; `kill:lexical` kills it after the
 * LMDB commit, before the lexical index follows.
 */
function faultFromEnv(): { failAfter?: number; killInside?: boolean } {
  const fault = process.env.RTC_FAULT ?? '';
  const match = /^write:(\d+)$/.exec(fault);
  if (match) return { failAfter: Number(match[1]) };
  return fault === 'kill:write' ? { killInside: true } : {};
}

/** How long before the last write a file's mtime must be for its size and mtime to vouch for its hash. */
const RACY_MARGIN_MS = 2000;

/** Reads and hashes files, a few at a time. */
async function hashFiles(
  files: readonly DiscoveredFile[],
  onProgress: (done: number) => void,
): Promise<({ hash: string } | { error: string })[]> {
  const results: ({ hash: string } | { error: string })[] = Array.from({ length: files.length });
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index]!;
      try {
        const bytes = await readFile(file.absolutePath);
        results[index] = { hash: createHash('sha256').update(bytes).digest('hex') };
      } catch (error) {
        results[index] = { error: error instanceof Error ? error.message : String(error) };
      }
      if (++done % 256 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  onProgress(done);
  return results;
}
