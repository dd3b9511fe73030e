/**
 * @module base/range
 * Positions and ranges in editor terms: zero-based lines and UTF-16 columns, as LSP uses them.
 */

/** A zero-based line and column (UTF-16 code units, as in LSP). */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A half-open range `[start, end)`. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Builds a range from four numbers. */
export function makeRange(
  startLine: number,
  startCharacter: number,
  endLine: number,
  endCharacter: number,
): Range {
  return {
    start: { line: startLine, character: startCharacter },
    end: { line: endLine, character: endCharacter },
  };
}

/** Whether `outer` contains `inner` (inclusive at both ends). */
export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

/** Orders positions: negative when `a` comes first. */
export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** `12:4-14:1` with one-based lines, for people. */
export function formatRange(range: Range): string {
  return `${range.start.line + 1}:${range.start.character}-${range.end.line + 1}:${range.end.character}`;
}
