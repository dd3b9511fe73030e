/**
 * @module index/process-files
 * The per-file work of indexing, the same in a worker thread and in the main thread: read, decode, parse,
 * extract, build the file's graph. Never throws for a bad file: it reports why the file was skipped.
 */
import type { Diagnostic } from '../base/index.js';
import { buildFileGraph } from '../graph/index.js';
import type { FileGraph } from '../graph/index.js';
import type { ParserHost } from '../parse/index.js';
import { readSource } from './read-source.js';
import type { SourceText } from './read-source.js';

export interface FileJob {
  path: string;
  absolutePath: string;
  language: string;
}

export type FileResult =
  | { ok: true; path: string; graph: FileGraph; bytes: number; diagnostics: Diagnostic[] }
  | { ok: false; path: string; reason: 'binary' | 'unreadable' | 'parse-failed'; detail: string };

/** Processes one file. */
export async function processFile(host: ParserHost, job: FileJob): Promise<FileResult> {
  return processSource(host, job, await readSource(job.path, job.absolutePath));
}

/**
 * Processes a batch: all files are read at once (the reads overlap each other and the parsing), then parsed
 * one after the other.
 */
export async function processBatch(host: ParserHost, jobs: readonly FileJob[]): Promise<FileResult[]> {
  const sources = jobs.map((job) => readSource(job.path, job.absolutePath));
  const results: FileResult[] = [];
  for (const [index, job] of jobs.entries())
    results.push(await processSource(host, job, await sources[index]!));
  return results;
}

/** Parses an already read file. */
export async function processSource(host: ParserHost, job: FileJob, source: SourceText): Promise<FileResult> {
  if (!source.ok) return { ok: false, path: job.path, reason: source.reason, detail: source.detail };
  try {
    const syntax = await host.extract(job.path, job.language, source.text);
    const graph = buildFileGraph(syntax);
    return {
      ok: true,
      path: job.path,
      graph,
      bytes: source.bytes,
      diagnostics: [...source.diagnostics, ...syntax.diagnostics],
    };
  } catch (error) {
    return {
      ok: false,
      path: job.path,
      reason: 'parse-failed',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}
