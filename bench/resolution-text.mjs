/**
 * Source text helpers for the resolution benchmark: zero-based line/UTF-16 column positions, and the one
 * textual rule that decides, for both SCIP and our ASG, whether an occurrence of a name is a call.
 *
 * The rule: an occurrence of a name is a call when the name is directly followed by an argument list `(`
 * (blanks allowed in between; in TypeScript/JavaScript also `?.(`, a non-null `!(` and type arguments
 * `<…>(`), or, in TypeScript/JavaScript, when the keyword `new` stands right before it (`new Foo`,
 * `new Foo()`). Decorators without parentheses, tagged templates, getters and `super(…)` are not counted,
 * nor is a name right after `def`, `class` or `function` (scip-python records the second and later
 * `@overload` definitions as references) or an object-literal method `name(…) { … }` (scip-typescript
 * records it as a reference to the interface member it implements).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One file's text with a line index. */
export class SourceText {
  constructor(text) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The string offset of a zero-based (line, UTF-16 column) position. */
  offset(line, character) {
    const start = this.lineStarts[line];
    return start === undefined ? -1 : start + character;
  }

  /** The text between two positions ({line, character}). */
  slice(start, end) {
    return this.text.slice(this.offset(start.line, start.character), this.offset(end.line, end.character));
  }
}

/** Reads and caches the files of one repository. */
export class SourceCache {
  constructor(root) {
    this.root = root;
    this.files = new Map();
  }

  /** The file's SourceText, or undefined when it cannot be read. */
  get(path) {
    if (!this.files.has(path)) {
      let source;
      try {
        source = new SourceText(readFileSync(join(this.root, path), 'utf8'));
      } catch {
        source = undefined;
      }
      this.files.set(path, source);
    }
    return this.files.get(path);
  }
}

const IDENT = /[\p{L}\p{N}_$]/u;
const BLANK = /[ \t]/;

/**
 * Whether the name at `range` ({start, end}, zero-based) is called: see the rule in this file's comment.
 * `jsLike` turns on the TypeScript/JavaScript forms (`new`, `?.(`, `!(`, `<…>(`).
 */
export function isCallAt(source, range, jsLike) {
  const text = source.text;
  let i = source.offset(range.end.line, range.end.character);
  if (i < 0) return false;
  while (i < text.length && BLANK.test(text[i])) i++;
  const start = source.offset(range.start.line, range.start.character);
  if (/\b(def|class|function)\s+$/.test(text.slice(Math.max(0, start - 12), start))) return false;
  if (text[i] === '(') return !(jsLike && isMethodDefinition(source, range, i));
  if (jsLike) {
    if (text.startsWith('?.(', i) || text.startsWith('!(', i)) return true;
    if (text[i] === '<' && typeArgumentsThenParen(text, i)) return true;
    let j = start - 1;
    while (j >= 0 && /\s/.test(text[j])) j--;
    if (j >= 2 && text.slice(j - 2, j + 1) === 'new' && (j < 3 || !IDENT.test(text[j - 3]))) return true;
  }
  return false;
}

/** From a `<` at `i`: a balanced `<…>` (no statement punctuation, bounded length) followed by `(`. */
function typeArgumentsThenParen(text, i) {
  let depth = 0;
  const limit = Math.min(text.length, i + 400);
  for (let k = i; k < limit; k++) {
    const c = text[k];
    if (c === '<') depth++;
    else if (c === '>' && text[k - 1] !== '=') {
      depth--;
      if (depth === 0) {
        k++;
        while (k < text.length && BLANK.test(text[k])) k++;
        return text[k] === '(';
      }
    } else if (c === ';' || c === '{' || c === '}' || c === '\n') return false;
  }
  return false;
}

/**
 * Whether `name(` at `open` starts an object-literal method definition: the matching `)` is followed by
 * `{`, or by `:` (a return type) when the name starts a member (after `{`, `,`, `;`, `}`, `*`, a line
 * break or a modifier such as `async`).
 */
function isMethodDefinition(source, range, open) {
  const text = source.text;
  let depth = 0;
  let k = open;
  const limit = Math.min(text.length, open + 5000);
  for (; k < limit; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) break;
  }
  if (depth !== 0) return false;
  k++;
  while (k < text.length && /\s/.test(text[k])) k++;
  if (text[k] === '{') return true;
  if (text[k] !== ':') return false;
  const before = text.slice(
    Math.max(0, source.offset(range.start.line, range.start.character) - 40),
    source.offset(range.start.line, range.start.character),
  );
  return /(^|[{,;}*\n]|\b(async|static|get|set|public|private|protected|override))\s*$/.test(before);
}
