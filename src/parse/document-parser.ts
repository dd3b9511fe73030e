/**
 * @module parse/document-parser
 * Incremental parsing for the live workspace. Keeps the text and the tree-sitter tree of open and recently
 * changed files (least recently used first out), and re-parses a changed file by editing its kept tree, so that
 * tree-sitter reuses every subtree outside the change. Trees live in wasm memory, outside the garbage collector:
 * each tree that leaves the cache (eviction, forget, dispose, replacement) is deleted exactly once, here.
 *
 * Offsets and columns are UTF-16 code units throughout: web-tree-sitter parses JS strings as UTF-16, and its
 * indexes, columns and edits are in code units, like LSP positions and JS string indexes.
 */
import type { Edit, Point, Tree, Range as TreeRange } from 'web-tree-sitter';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Position, Range } from '../base/index.js';
import type { LanguageHandle, ParserHost } from './parser-host.js';
import type { FileSyntax } from './syntax.js';

/** An editor's change (LSP `didChange` content change): replace `range` of the current text with `text`. */
export interface TextEdit {
  /** Zero-based lines and UTF-16 characters, as LSP: lines end at `\n`, `\r\n` or a lone `\r`. */
  readonly range: Range;
  readonly text: string;
}

/** The result of parsing one version of a file. */
export interface DocumentParse {
  /** Exactly what `ParserHost.extract(path, languageId, text)` returns for the same text. */
  syntax: FileSyntax;
  /** The new full text. */
  text: string;
  /**
   * Whether the tree was made by reusing the kept tree of the previous version. False for a first parse, and
   * for text with syntax errors, which is parsed afresh (see {@link DocumentParserOptions.freshOnErrors}).
   */
  incremental: boolean;
  /**
   * The ranges whose syntactic structure changed since the kept tree, from tree-sitter; empty when no tree was
   * kept.
   */
  changedRanges: Range[];
  /** Time spent parsing (both parses when broken text is parsed afresh). */
  parseMs: number;
  /** Time spent extracting the syntax summary from the tree. */
  extractMs: number;
}

export interface DocumentParserOptions {
  /** How many trees to keep (least recently used out first). Default 64. */
  maxTrees?: number;
  /** Parse time limit per parse; default that of {@link ParserHost}. */
  parseTimeoutMs?: number;
  /**
   * Whether text with syntax errors is parsed afresh after its incremental parse (default true), so that its
   * syntax is exactly that of a fresh parse: tree-sitter's error recovery can differ between the two. False
   * saves the second parse while the text is broken, at the price of error regions that may differ.
   */
  freshOnErrors?: boolean;
}

interface Kept {
  languageId: string;
  text: string;
  tree: Tree;
}

const DEFAULT_MAX_TREES = 64;

/**
 * Keeps the trees of open and recently changed files and re-parses them incrementally. Calls run one at a time,
 * in the order they were made, so editor changes apply in order even while a grammar is still loading.
 */
export class DocumentParser {
  readonly #host: ParserHost;
  readonly #maxTrees: number;
  readonly #timeoutMs: number | undefined;
  readonly #freshOnErrors: boolean;
  /** In least recently used order: a touched entry is moved to the end. */
  readonly #kept = new Map<string, Kept>();
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(host: ParserHost, options: DocumentParserOptions = {}) {
    const maxTrees = options.maxTrees ?? DEFAULT_MAX_TREES;
    if (!Number.isInteger(maxTrees) || maxTrees < 1)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `maxTrees must be a positive integer, not ${maxTrees}`,
      );
    this.#host = host;
    this.#maxTrees = maxTrees;
    this.#timeoutMs = options.parseTimeoutMs;
    this.#freshOnErrors = options.freshOnErrors ?? true;
  }

  /**
   * Parses the new full text of a file (from disk or an editor). When a tree of the file is kept, the change is
   * the span between the common prefix and suffix of the old and new text, and the kept tree is reused.
   */
  update(path: string, languageId: string, text: string): Promise<DocumentParse> {
    return this.#enqueue(async () => {
      const handle = await this.#host.language(languageId);
      this.#checkOpen();
      let kept = this.#kept.get(path);
      if (kept && kept.languageId !== languageId) {
        this.#drop(path);
        kept = undefined;
      }
      if (!kept) return this.#parse(path, languageId, handle, text, undefined);
      const edit = treeEditBetween(kept.text, text);
      if (!edit) return this.#unchanged(path, kept, handle);
      kept.tree.edit(edit);
      return this.#parse(path, languageId, handle, text, kept);
    });
  }

  /**
   * Applies editor edits, in order (each against the text the previous ones made), to the kept text of a file
   * and re-parses it with the kept tree. Fails with an EngineError, leaving the kept text and tree as they were,
   * when no text of `path` is kept (`RTC_NOT_FOUND`) or a range does not lie in the text (`RTC_INVALID_ARGUMENT`).
   */
  applyEdits(path: string, edits: readonly TextEdit[]): Promise<DocumentParse> {
    return this.#enqueue(async () => {
      const languageId = this.#kept.get(path)?.languageId;
      if (languageId === undefined) throw notKept(path);
      const handle = await this.#host.language(languageId);
      this.#checkOpen();
      const kept = this.#kept.get(path);
      if (!kept) throw notKept(path);
      // Every edit is checked before the tree is touched, so that a bad one changes nothing.
      let text = kept.text;
      const treeEdits: Edit[] = [];
      for (const [index, edit] of edits.entries()) {
        const where = `Edit ${index + 1} of ${edits.length} to ${path}`;
        if (typeof edit.text !== 'string')
          throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `${where} has no replacement text`);
        const start = offsetAt(text, edit.range.start, where);
        const end = offsetAt(text, edit.range.end, where);
        if (end < start)
          throw new EngineError(
            ERROR_CODES.INVALID_ARGUMENT,
            `${where}: the range ends (${formatPosition(edit.range.end)}) before it starts (${formatPosition(edit.range.start)})`,
          );
        if (start === end && edit.text === '') continue;
        treeEdits.push(treeEditAt(text, start, end, edit.text));
        text = text.slice(0, start) + edit.text + text.slice(end);
      }
      if (treeEdits.length === 0) return this.#unchanged(path, kept, handle);
      for (const edit of treeEdits) kept.tree.edit(edit);
      return this.#parse(path, languageId, handle, text, kept);
    });
  }

  /** Whether a tree (and text) of `path` is kept. */
  has(path: string): boolean {
    return this.#kept.has(path);
  }

  /** How many trees are kept. */
  get size(): number {
    return this.#kept.size;
  }

  /** Deletes the kept tree of `path`, if any: the next update parses it afresh. */
  forget(path: string): void {
    this.#drop(path);
  }

  /** Deletes every kept tree. Later calls fail with `RTC_CANCELLED`. */
  dispose(): void {
    this.#disposed = true;
    for (const kept of this.#kept.values()) kept.tree.delete();
    this.#kept.clear();
  }

  /** Parses `text`, reusing the tree of `old` (already edited to match it) when given, and keeps the new tree. */
  #parse(
    path: string,
    languageId: string,
    handle: LanguageHandle,
    text: string,
    old: Kept | undefined,
  ): DocumentParse {
    const started = performance.now();
    let tree: Tree | undefined;
    let incremental = old !== undefined;
    try {
      tree = handle.parse(text, old?.tree, this.#timeoutMs);
      if (incremental && this.#freshOnErrors && tree.rootNode.hasError) {
        // tree-sitter's error recovery depends on which subtrees it reuses, so an incremental parse of broken
        // text can differ from a fresh one (tree-sitter#4001); the syntax must be the same either way.
        const incrementalTree = tree;
        tree = undefined;
        incrementalTree.delete();
        tree = handle.parse(text, null, this.#timeoutMs);
        incremental = false;
      }
    } catch (error) {
      tree?.delete();
      // The kept tree is already edited to a text that has no tree: it is of no more use.
      this.#drop(path);
      throw error;
    }
    const parseMs = performance.now() - started;
    const changedRanges = old ? old.tree.getChangedRanges(tree).map(editorRange) : [];
    this.#drop(path);
    this.#kept.set(path, { languageId, text, tree });
    this.#evict();
    return this.#extract(path, handle, tree, text, { incremental, changedRanges, parseMs });
  }

  /** The same text again: the kept tree is still right. */
  #unchanged(path: string, kept: Kept, handle: LanguageHandle): DocumentParse {
    this.#touch(path, kept);
    return this.#extract(path, handle, kept.tree, kept.text, {
      incremental: true,
      changedRanges: [],
      parseMs: 0,
    });
  }

  #extract(
    path: string,
    handle: LanguageHandle,
    tree: Tree,
    text: string,
    parse: Pick<DocumentParse, 'incremental' | 'changedRanges' | 'parseMs'>,
  ): DocumentParse {
    const started = performance.now();
    let syntax: FileSyntax;
    try {
      syntax = handle.extract(tree, path, text);
    } catch (error) {
      this.#drop(path);
      throw error;
    }
    return { syntax, text, ...parse, extractMs: performance.now() - started };
  }

  #touch(path: string, kept: Kept): void {
    this.#kept.delete(path);
    this.#kept.set(path, kept);
  }

  #drop(path: string): void {
    const kept = this.#kept.get(path);
    if (!kept) return;
    this.#kept.delete(path);
    kept.tree.delete();
  }

  #evict(): void {
    for (const path of this.#kept.keys()) {
      if (this.#kept.size <= this.#maxTrees) return;
      this.#drop(path);
    }
  }

  #checkOpen(): void {
    if (this.#disposed) throw new EngineError(ERROR_CODES.CANCELLED, 'The document parser was disposed');
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      this.#checkOpen();
      return operation();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function notKept(path: string): EngineError {
  return new EngineError(
    ERROR_CODES.NOT_FOUND,
    `No text of ${path} is kept: update() it before applying edits`,
  );
}

/** The tree-sitter edit (UTF-16 offsets, rows ended by `\n`) that replaces `text[start, end)` with `inserted`. */
export function treeEditAt(text: string, start: number, end: number, inserted: string): Edit {
  const startPosition = pointAt(text, start);
  return {
    startIndex: start,
    oldEndIndex: end,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition: advance(startPosition, text, start, end),
    newEndPosition: advance(startPosition, inserted, 0, inserted.length),
  };
}

/**
 * The one tree-sitter edit that turns `before` into `after`: the span between their common prefix and common
 * suffix, or undefined when they are equal.
 */
export function treeEditBetween(before: string, after: string): Edit | undefined {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix === before.length && prefix === after.length) return undefined;
  // tree-sitter decodes code points, so the change must not start or end inside a surrogate pair.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const maxSuffix = shorter - prefix;
  while (
    suffix < maxSuffix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return treeEditAt(before, prefix, before.length - suffix, after.slice(prefix, after.length - suffix));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd8_00 && code <= 0xdb_ff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc_00 && code <= 0xdf_ff;
}

/** The tree-sitter point of an offset: tree-sitter ends rows at `\n` only (a `\r` is a column). */
function pointAt(text: string, offset: number): Point {
  return advance({ row: 0, column: 0 }, text, 0, offset);
}

/** The point reached from `from` (the point of `text[start]`) after `text[start, end)`. */
function advance(from: Point, text: string, start: number, end: number): Point {
  let row = from.row;
  let lineStart = -1;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return lineStart < 0 ? { row, column: from.column + (end - start) } : { row, column: end - lineStart };
}

/** The offset of an LSP position in `text`; fails when the position is not in the text. */
function offsetAt(text: string, position: Position, where: string): number {
  const { line, character } = position;
  if (!isCount(line) || !isCount(character))
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `${where}: ${JSON.stringify(position)} is not a position (lines and characters are integers ≥ 0)`,
    );
  // LSP also ends lines at a lone `\r`; without any `\r` the native search for `\n` is much faster.
  const crs = text.includes('\r');
  let lineStart = 0;
  for (let current = 0; current < line; current++) {
    const next = crs ? nextLineStart(text, lineStart) : text.indexOf('\n', lineStart) + 1;
    if (next <= 0)
      throw new EngineError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${where}: line ${line} of ${formatPosition(position)} is past the end of the text (lines 0 to ${current})`,
      );
    lineStart = next;
  }
  const lineEnd = crs ? lineEndAt(text, lineStart) : indexOrEnd(text, text.indexOf('\n', lineStart));
  if (character > lineEnd - lineStart)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `${where}: character ${character} of ${formatPosition(position)} is past the end of line ${line} ` +
        `(${lineEnd - lineStart} characters)`,
    );
  return lineStart + character;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function indexOrEnd(text: string, index: number): number {
  return index < 0 ? text.length : index;
}

/** Where the line starting at `from` ends: its `\r` or `\n`, or the end of the text. */
function lineEndAt(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return text.length;
}

/** Where the line after the one starting at `from` starts, or -1 when it is the last line. */
function nextLineStart(text: string, from: number): number {
  const end = lineEndAt(text, from);
  if (end === text.length) return -1;
  return text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
}

function formatPosition(position: Position): string {
  return `${position.line}:${position.character}`;
}

function editorRange(range: TreeRange): Range {
  return {
    start: { line: range.startPosition.row, character: range.startPosition.column },
    end: { line: range.endPosition.row, character: range.endPosition.column },
  };
}
