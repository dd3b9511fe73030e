/**
 * @module engine/feedback
 * Explicit feedback on a query's results (`/v1/feedback`, the MCP `feedback` tool): which items were useful
 * and which were not. Records are appended, one JSON line each, to `feedback.jsonl` in the index folder;
 * a line is written whole by one append, and a reader skips a line it cannot parse (a torn write after a
 * crash), so the log is never left unreadable. The learning step (issue 7) reads it.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';

export const FEEDBACK_FILE = 'feedback.jsonl';

/** One judged item: a symbol (by id) or a file (by path). */
export interface FeedbackItem {
  id?: string;
  path?: string;
  useful: boolean;
}

export interface FeedbackInput {
  /** The query or task the items were retrieved for. */
  query?: string;
  items: FeedbackItem[];
  /** Who sent it (`http`, `mcp`, `cli`, `lsp`…). */
  source?: string;
  /** The version the results came from. */
  version?: number;
}

export interface FeedbackRecord extends FeedbackInput {
  /** When it was recorded (ms since the epoch). */
  at: number;
}

/** Items per record at most. */
const MAX_ITEMS = 500;

/** Validates and appends one record. */
export function recordFeedback(dbDir: string, input: FeedbackInput): FeedbackRecord {
  if (!Array.isArray(input.items) || input.items.length === 0)
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'Feedback needs at least one item');
  if (input.items.length > MAX_ITEMS)
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Feedback takes at most ${MAX_ITEMS} items`);
  for (const [i, item] of input.items.entries()) {
    if (typeof item.useful !== 'boolean')
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `items[${i}].useful must be true or false`);
    if (typeof item.id !== 'string' && typeof item.path !== 'string')
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `items[${i}] needs an id or a path`);
  }
  const record: FeedbackRecord = {
    at: Date.now(),
    ...(input.query !== undefined ? { query: input.query } : {}),
    items: input.items.map((item) => ({
      ...(item.id !== undefined ? { id: item.id } : {}),
      ...(item.path !== undefined ? { path: item.path } : {}),
      useful: item.useful,
    })),
    ...(input.source !== undefined ? { source: input.source } : {}),
    ...(input.version !== undefined ? { version: input.version } : {}),
  };
  try {
    appendFileSync(join(dbDir, FEEDBACK_FILE), `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw new EngineError(
      ERROR_CODES.STORE_FAILED,
      `The feedback was not recorded: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return record;
}

/** The recorded feedback, oldest first (lines that cannot be parsed are skipped). */
export function readFeedback(dbDir: string): FeedbackRecord[] {
  let text: string;
  try {
    text = readFileSync(join(dbDir, FEEDBACK_FILE), 'utf8');
  } catch {
    return [];
  }
  const records: FeedbackRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as FeedbackRecord;
      if (Array.isArray(record.items) && typeof record.at === 'number') records.push(record);
    } catch {
      // A torn line (a crash during an append): skipped.
    }
  }
  return records;
}
