/**
 * @module index/process-files
 * The per-file work of indexing, the same in a worker thread and in the main thread: read, decode, parse,
 * extract, build the file's graph. Never throws for a bad file: it reports why the file was skipped.
 */
import type { Diagnostic, Range } from '../base/index.js';
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

// ---- transfer between threads

/** A range on the wire: `[startLine, startCharacter, endLine, endCharacter]`. */
type WireRange = [number, number, number, number];

function packRange(range: Range): WireRange {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

function unpackRange(wire: WireRange): Range {
  return { start: { line: wire[0], character: wire[1] }, end: { line: wire[2], character: wire[3] } };
}

/** Records that hold a range, for the in-place swaps of the wire format. */
interface WithRange {
  range?: Range | WireRange;
}

/**
 * Encodes a batch's results as text for another thread. JSON, made about a third smaller by packing each
 * range into an array and writing a node's `path` and `language` as `0` when they are its file's: the
 * receiver ({@link decodeResults}) swaps the values back in place, so every object keeps its keys in the same
 * order and the decoded results equal the originals. Consumes the results: their graphs are changed in place.
 */
export function encodeResults(results: FileResult[]): string {
  for (const result of results) {
    if (!result.ok) continue;
    const graph = result.graph;
    for (const node of graph.nodes) {
      const wire = node as unknown as {
        range: WireRange;
        selectionRange?: WireRange;
        path: string | 0;
        language: string | 0;
      };
      // (A record listed twice is packed once.)
      if (Array.isArray(wire.range)) continue;
      wire.range = packRange(node.range);
      if (node.selectionRange) wire.selectionRange = packRange(node.selectionRange);
      if (node.path === graph.path) wire.path = 0;
      if (node.language === graph.language) wire.language = 0;
    }
    packRanges(graph.edges);
    packRanges(graph.calls);
    packRanges(graph.names);
    packRanges(graph.imports);
  }
  return JSON.stringify(results);
}

/** Decodes the text of {@link encodeResults}. */
export function decodeResults(text: string): FileResult[] {
  const results = JSON.parse(text) as FileResult[];
  for (const result of results) {
    if (!result.ok) continue;
    const graph = result.graph;
    const { path, language } = graph;
    for (const node of graph.nodes) {
      const wire = node as unknown as {
        range: WireRange;
        selectionRange?: WireRange;
        path: string | 0;
        language: string | 0;
      };
      if (!Array.isArray(wire.range)) continue;
      node.range = unpackRange(wire.range);
      if (wire.selectionRange) node.selectionRange = unpackRange(wire.selectionRange);
      if (wire.path === 0) node.path = path;
      if (wire.language === 0) node.language = language;
    }
    unpackRanges(graph.edges);
    unpackRanges(graph.calls);
    unpackRanges(graph.names);
    unpackRanges(graph.imports);
  }
  return results;
}

function packRanges(records: readonly WithRange[]): void {
  for (const record of records)
    if (record.range && !Array.isArray(record.range)) record.range = packRange(record.range);
}

function unpackRanges(records: readonly WithRange[]): void {
  for (const record of records) if (Array.isArray(record.range)) record.range = unpackRange(record.range);
}
