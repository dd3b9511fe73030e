/**
 * @module index/workspace-graph
 * Builds the ASG of a folder in memory: discover files, read manifests, parse on all cores, resolve across
 * files. The persistent store of a later stage will keep what this computes.
 */
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { ERROR_CODES, EngineError, throwIfCancelled } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import { assembleAsg } from '../graph/index.js';
import { detectLanguage } from '../parse/index.js';
import type { Asg, FileGraph, ProjectConfig, ResolutionResult } from '../graph/index.js';
import { DEFAULT_MAX_FILE_BYTES, discoverFiles } from './discover.js';
import type { DiscoverOptions, SkippedFile } from './discover.js';
import { parseFiles } from './parse-pool.js';
import type { ParseOptions } from './parse-pool.js';
import { readProjectConfig } from './project-manifests.js';

export interface WorkspaceGraphOptions extends DiscoverOptions {
  workers?: number;
  onProgress?: ParseOptions['onProgress'];
}

export interface IndexedFile {
  path: string;
  language: string;
  bytes: number;
  lines: number;
}

export interface WorkspaceGraph {
  root: string;
  asg: Asg;
  resolution: ResolutionResult;
  config: ProjectConfig;
  files: IndexedFile[];
  fileGraphs: FileGraph[];
  skipped: (SkippedFile | { path: string; reason: 'binary' | 'parse-failed'; detail?: string })[];
  diagnostics: Diagnostic[];
  timings: { discoverMs: number; parseMs: number; resolveMs: number };
}

/** Indexes a folder (or one file) into an in-memory ASG. */
export async function buildWorkspaceGraph(
  target: string,
  options: WorkspaceGraphOptions = {},
): Promise<WorkspaceGraph> {
  const absolute = resolvePath(target);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new EngineError(ERROR_CODES.NOT_FOUND, `No such file or folder: ${target}`, { cause });
  });
  const t0 = performance.now();
  let root = absolute;
  let discovery;
  if (info.isDirectory()) {
    discovery = await discoverFiles(absolute, options);
  } else {
    const slash = absolute.lastIndexOf('/');
    root = absolute.slice(0, slash);
    const name = absolute.slice(slash + 1);
    const language = detectLanguage(name);
    if (!language)
      throw new EngineError(ERROR_CODES.UNSUPPORTED_LANGUAGE, `No supported language for ${target}`);
    const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (info.size > limit) {
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${target} has ${info.size} bytes, more than the limit of ${limit} (raise it with --max-file-size)`,
      );
    }
    discovery = {
      files: [{ path: name, absolutePath: absolute, language: language.id, size: info.size }],
      skipped: [],
      diagnostics: [],
    };
  }
  throwIfCancelled(options.signal);
  const t1 = performance.now();
  const { config, diagnostics: manifestDiagnostics } = await readProjectConfig(
    root,
    discovery.files.map((f) => f.path),
  );
  const results = await parseFiles(
    discovery.files.map((f) => ({ path: f.path, absolutePath: f.absolutePath, language: f.language })),
    {
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  const t2 = performance.now();
  const fileGraphs: FileGraph[] = [];
  const files: IndexedFile[] = [];
  const skipped: WorkspaceGraph['skipped'] = [...discovery.skipped];
  const diagnostics: Diagnostic[] = [...discovery.diagnostics, ...manifestDiagnostics];
  for (const result of results) {
    if (result.ok) {
      fileGraphs.push(result.graph);
      files.push({
        path: result.path,
        language: result.graph.language,
        bytes: result.bytes,
        lines: result.graph.lineCount,
      });
      diagnostics.push(...result.diagnostics);
    } else {
      skipped.push({
        path: result.path,
        reason: result.reason === 'unreadable' ? 'unreadable' : result.reason,
        detail: result.detail,
      });
      diagnostics.push({
        severity: 'warning',
        code: `INDEX_${result.reason.toUpperCase().replace('-', '_')}`,
        message: `Skipped: ${result.reason} (${result.detail})`,
        path: result.path,
      });
    }
  }
  const { asg, resolution } = assembleAsg(fileGraphs, config);
  const t3 = performance.now();
  return {
    root,
    asg,
    resolution,
    config,
    files,
    fileGraphs,
    skipped,
    diagnostics,
    timings: { discoverMs: t1 - t0, parseMs: t2 - t1, resolveMs: t3 - t2 },
  };
}
