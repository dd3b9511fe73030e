/**
 * @module graph/incremental-resolver
 * Cross-file resolution for the live workspace: keeps the resolver's tables and every stage's results
 * between runs, so that after a one-file edit only what read the changed data is resolved again. What
 * `resolve` returns is exactly what `resolveWorkspace` returns for the same files (in path order), config
 * and targets.
 */
import type { FileGraph } from './file-graph.js';
import type { ProjectConfig } from './project-config.js';
import { ResolverEngine } from './resolver.js';
import type { ResolutionResult, ResolverRunStats } from './resolver.js';

/** A change of the workspace: graphs that replace or add files, paths of files gone, a new configuration. */
export interface ResolverChange {
  upsert?: readonly FileGraph[];
  remove?: readonly string[];
  config?: ProjectConfig;
}

/**
 * Resolves a workspace that changes. Replacing a file updates the tables by taking its old contribution out
 * and putting the new one in where they differ, and marks the facets of the file that changed (its exports,
 * scopes, members, types, signatures) and the entries of the name tables that changed. A file that comes or
 * goes also marks every module specifier whose resolution it changes. `resolve` then computes again only the
 * import targets, structure, inferred types and file resolutions that read a marked key; everything else is
 * kept from the runs before (files never resolved yet are resolved on demand). A new configuration rebuilds
 * everything.
 *
 * The FileResolutions returned are copies: changing them does not change what the resolver keeps.
 */
export class IncrementalResolver {
  #engine: ResolverEngine;

  constructor(files: readonly FileGraph[], config: ProjectConfig) {
    this.#engine = new ResolverEngine(files, config, true);
  }

  /** Replaces or adds the files of `upsert`, drops those of `remove`, and takes a new `config`. */
  update(change: ResolverChange): void {
    if (change.config) {
      const byPath = new Map(this.#engine.files.map((file) => [file.path, file]));
      for (const path of change.remove ?? []) byPath.delete(path);
      for (const file of change.upsert ?? []) byPath.set(file.path, file);
      this.#engine = new ResolverEngine([...byPath.values()], change.config, true);
      return;
    }
    this.#engine.apply(change.upsert ?? [], change.remove ?? []);
  }

  /** What `resolveWorkspace(files, config, { targets })` returns for the current files. */
  resolve(targets?: ReadonlySet<string>): ResolutionResult {
    return this.#engine.resolve(targets);
  }

  /** What the last `resolve` computed again, and how long its stages took. */
  get lastRun(): ResolverRunStats {
    return this.#engine.stats;
  }

  /** The current files, in path order. */
  get files(): readonly FileGraph[] {
    return this.#engine.files;
  }
}
