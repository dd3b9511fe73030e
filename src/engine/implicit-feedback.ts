/**
 * @module engine/implicit-feedback
 * Implicit feedback: what the user edits after a query says which of its results mattered. A live
 * workspace remembers the results of its recent queries and contexts (the symbols and files shown, with the
 * time); when a later update touches one of them within the window (30 minutes by default), that item is a
 * positive for that query, learned at once. When the window closes (checked lazily, at the next query or
 * update, and when the workspace closes), the items of a query that had at least one positive and were
 * never touched count as weak negatives, and the query's ranking is learned from as a whole (the pairwise
 * step of the reward weights and edge priors). A query none of whose results was touched teaches nothing:
 * the user may have been reading, not working on it.
 */
import type { GraphDelta } from '../index/index.js';
import type { FeedbackInput } from './feedback.js';
import { episodeResults } from './policy-update.js';
import type { EpisodeItem, EpisodeResult } from './policy-update.js';
import type { QuerySymbol } from './types.js';

/** How long after a query an edit counts for it. */
export const IMPLICIT_WINDOW_MS = 30 * 60_000;
/** How much an untouched item counts as a negative, against 1 for a touched one. */
export const IMPLICIT_NEGATIVE_WEIGHT = 0.3;
/** Queries remembered at most (the oldest are closed first). */
const MAX_QUERIES = 64;

/** What the tracker hands to learning: the feedback to record, the query's ranking, and how to learn. */
export interface ImplicitLesson {
  input: FeedbackInput;
  results: EpisodeResult[];
  /** For a closing window: the items touched (already learned as positives). */
  learned?: EpisodeItem[];
  negativeWeight?: number;
}

export interface ImplicitFeedbackOptions {
  windowMs?: number;
  /** Learns from one lesson (records it and updates the policy); must not throw. */
  learn: (lesson: ImplicitLesson) => void;
  now?: () => number;
}

/** One remembered result: a symbol (id, qualified name, lines when shown) or a file. */
interface TrackedItem {
  id?: string;
  path: string;
  qualifiedName?: string;
  /** Zero-based, inclusive. */
  lines?: [number, number];
}

interface RememberedQuery {
  query: string;
  at: number;
  version: number | undefined;
  items: TrackedItem[];
  results: EpisodeResult[];
  /** Indices of the items touched so far. */
  touched: Set<number>;
}

/** The results of recent queries, and what later edits said about them. */
export class ImplicitFeedback {
  readonly #windowMs: number;
  readonly #learn: (lesson: ImplicitLesson) => void;
  readonly #now: () => number;
  #queries: RememberedQuery[] = [];

  constructor(options: ImplicitFeedbackOptions) {
    this.#windowMs = options.windowMs ?? IMPLICIT_WINDOW_MS;
    this.#learn = options.learn;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Remembers what a query showed: its symbols (best first) and files. A query asked again replaces the
   * older one and opens its window anew; what was touched of the older one's items stays learned (those
   * items are not positives twice).
   */
  remember(
    query: string,
    shown: { symbols: readonly QuerySymbol[]; files: readonly string[]; version?: number },
  ): void {
    this.expire();
    const at = this.#now();
    const same = this.#queries.findIndex((q) => q.query === query);
    const older = same >= 0 ? this.#queries.splice(same, 1)[0] : undefined;
    const learned = new Set(older ? [...older.touched].map((index) => itemKey(older.items[index]!)) : []);
    if (this.#queries.length >= MAX_QUERIES) this.#close(this.#queries.shift()!);
    const items: TrackedItem[] = [];
    const seenFiles = new Set<string>();
    for (const symbol of shown.symbols)
      items.push({
        id: symbol.id,
        path: symbol.path,
        qualifiedName: symbol.qualifiedName,
        lines: [symbol.range.start.line, symbol.range.end.line],
      });
    for (const path of shown.files)
      if (!seenFiles.has(path)) {
        seenFiles.add(path);
        items.push({ path });
      }
    if (items.length === 0) return;
    const touched = new Set<number>();
    items.forEach((item, index) => {
      if (learned.has(itemKey(item))) touched.add(index);
    });
    this.#queries.push({
      query,
      at,
      version: shown.version,
      items,
      results: episodeResults(shown.symbols),
      touched,
    });
  }

  /** The ranking a recent query returned (for explicit feedback on it), or undefined. */
  resultsOf(query: string | undefined): EpisodeResult[] | undefined {
    if (query === undefined) return undefined;
    return this.#queries.find((q) => q.query === query)?.results;
  }

  /** An update: the remembered items it touches are positives for their queries, learned now. */
  observe(delta: GraphDelta): void {
    this.expire();
    if (this.#queries.length === 0) return;
    const ids = new Set([...delta.nodes.updated, ...delta.nodes.added]);
    const byPath = new Map(delta.files.filter((f) => f.kind !== 'removed').map((f) => [f.path, f]));
    if (byPath.size === 0 && ids.size === 0) return;
    for (const query of this.#queries) {
      const touched: TrackedItem[] = [];
      query.items.forEach((item, index) => {
        if (query.touched.has(index)) return;
        const file = byPath.get(item.path);
        const hit =
          item.id === undefined
            ? file !== undefined
            : ids.has(item.id) ||
              (file !== undefined &&
                (file.symbols.updated.includes(item.qualifiedName ?? '') ||
                  file.symbols.added.includes(item.qualifiedName ?? '') ||
                  overlaps(item.lines, file.lines)));
        if (!hit) return;
        query.touched.add(index);
        touched.push(item);
      });
      if (touched.length === 0) continue;
      this.#learn({
        input: {
          query: query.query,
          items: touched.map((item) => ({ ...itemRef(item), useful: true })),
          source: 'implicit',
          version: delta.version,
        },
        // Positives alone move values only: the ranking is learned from when the window closes.
        results: [],
      });
    }
  }

  /** Closes the windows that have run out (or all of them, with `all`). */
  expire(all = false): void {
    const now = this.#now();
    const open: RememberedQuery[] = [];
    const closing: RememberedQuery[] = [];
    for (const query of this.#queries) (all || now - query.at >= this.#windowMs ? closing : open).push(query);
    this.#queries = open;
    for (const query of closing) this.#close(query);
  }

  /** Queries remembered and open. */
  get size(): number {
    return this.#queries.length;
  }

  /** A closed window: untouched items are weak negatives, when something of the query was touched. */
  #close(query: RememberedQuery): void {
    if (query.touched.size === 0) return;
    const untouched = query.items.filter((_, index) => !query.touched.has(index));
    if (untouched.length === 0) return;
    this.#learn({
      input: {
        query: query.query,
        items: untouched.map((item) => ({ ...itemRef(item), useful: false })),
        source: 'implicit',
        ...(query.version !== undefined ? { version: query.version } : {}),
      },
      results: query.results,
      learned: query.items.filter((_, index) => query.touched.has(index)).map(itemRef),
      negativeWeight: IMPLICIT_NEGATIVE_WEIGHT,
    });
  }
}

function itemKey(item: TrackedItem): string {
  return item.id ?? `file:${item.path}`;
}

function itemRef(item: TrackedItem): EpisodeItem & { path: string } {
  return { ...(item.id !== undefined ? { id: item.id } : {}), path: item.path };
}

function overlaps(lines: [number, number] | undefined, ranges: readonly [number, number][]): boolean {
  if (!lines) return false;
  for (const [start, end] of ranges) if (start <= lines[1] && end >= lines[0]) return true;
  return false;
}
