/**
 * @module parse/char-codes
 * Character-code tests for scanning source text around nodes without allocating strings (the extractor and
 * the TypeScript adapter read the text before a declaration this way).
 */

/** A space, tab or line break (ASCII). */
export function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** A character of a JavaScript-like identifier (ASCII letters, digits, `_`, `$`). */
export function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36
  );
}
