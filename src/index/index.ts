/**
 * @module index
 * Indexing: file discovery, reading with bad-input checks, manifests, parsing on all cores, and the
 * in-memory workspace graph.
 */
export { discoverFiles, DEFAULT_SKIPPED_DIRS, DEFAULT_MAX_FILE_BYTES } from './discover.js';
export type { DiscoveredFile, SkippedFile, Discovery, DiscoverOptions } from './discover.js';
export { readSource, decodeSource } from './read-source.js';
export type { SourceText } from './read-source.js';
export { readProjectConfig, parseJsonc } from './project-manifests.js';
export { parseFiles } from './parse-pool.js';
export type { ParseOptions } from './parse-pool.js';
export type { FileJob, FileResult } from './process-files.js';
export { packageAssets } from './package-assets.js';
export { buildWorkspaceGraph } from './workspace-graph.js';
export type { WorkspaceGraph, WorkspaceGraphOptions, IndexedFile } from './workspace-graph.js';
export { indexRepository, DEFAULT_INDEX_DIR } from './indexer.js';
export type { IndexOptions, IndexReport, IndexProgress, IndexPhase } from './indexer.js';
export { dependentsOf } from './dependents.js';
export { DependentsIndex } from './dependents.js';
export { LiveIndex, LiveSnapshot, changedLines } from './live-index.js';
export type { FileDelta, GraphDelta, LiveChange, LiveIndexOptions } from './live-index.js';
export { MANIFEST_NAMES } from './project-manifests.js';
export { watchRepository } from './watcher.js';
export type { RepositoryWatcher, WatchBatch, WatchOptions } from './watcher.js';
