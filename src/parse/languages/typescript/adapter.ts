/**
 * @module parse/languages/typescript/adapter
 * TypeScript and TSX (and, through JAVASCRIPT_ADAPTER, JavaScript): what is exported, and JSDoc comments.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { isAsciiSpace, isWordChar } from '../../char-codes.js';

/**
 * Definitions that the grammars never put directly in an `export` statement or a variable declaration
 * (members, parameters, enum members, destructured names): not exported, known without walking up the tree.
 */
const NEVER_EXPORTED: ReadonlySet<string> = new Set([
  'required_parameter',
  'optional_parameter',
  'method_definition',
  'method_signature',
  'abstract_method_signature',
  'public_field_definition',
  'field_definition',
  'property_signature',
  'enum_assignment',
  'property_identifier',
  'shorthand_property_identifier_pattern',
  'assignment_pattern',
  'rest_pattern',
]);

/** Function values: exported only as the value of an exported variable (`export const f = () => …`). */
const FUNCTION_VALUES: ReadonlySet<string> = new Set([
  'arrow_function',
  'function_expression',
  'generator_function',
]);

/**
 * Definitions whose parent the text before them tells (see {@link ruledOutByTextBefore}): declarations, which
 * an `export` statement holds right after its `export` or `default` keyword (or `=`), variable declarators
 * and names, right after `const`, `let`, `var`, `using` or `,`, and values, right after `=`.
 */
const TOLD_BY_TEXT: ReadonlySet<string> = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_signature',
  'class_declaration',
  'abstract_class_declaration',
  'class',
  'interface_declaration',
  'enum_declaration',
  'type_alias_declaration',
  'internal_module',
  'module',
  'lexical_declaration',
  'variable_declaration',
  'variable_declarator',
  'identifier',
  ...FUNCTION_VALUES,
]);

function isExported(node: Node): boolean {
  // A declaration is exported when it sits in an `export` statement, directly or through its variable
  // declaration (`export const a = …`, `export const f = () => …`). Class members are not.
  // (Each `type` is a call into wasm: read once per node; `parent` walks down from the root.)
  const type = node.type;
  if (NEVER_EXPORTED.has(type)) return false;
  if (TOLD_BY_TEXT.has(type) && ruledOutByTextBefore(node, type)) return false;
  let current: Node | null = node.parent;
  if (type === 'arrow_function' || type === 'function_expression' || type === 'generator_function') {
    current = current?.type === 'variable_declarator' ? current.parent : null;
  }
  let currentType = current?.type;
  while (
    current &&
    (currentType === 'variable_declarator' ||
      currentType === 'lexical_declaration' ||
      currentType === 'variable_declaration')
  ) {
    current = current.parent;
    currentType = current?.type;
  }
  return currentType === 'export_statement';
}

/** The source of a tree (its root node's text, from `start`), and whether it parsed without errors. */
interface Source {
  text: string;
  start: number;
  clean: boolean;
}

const sources = new WeakMap<Tree, Source>();

function sourceOf(tree: Tree): Source {
  let source = sources.get(tree);
  if (!source) {
    const root = tree.rootNode;
    source = { text: root.text, start: root.startIndex, clean: !root.hasError };
    sources.set(tree, source);
  }
  return source;
}

/** The word or the character before an index (ASCII spaces aside), or none, or unknown: maybe a comment. */
type Before = { word: string; start: number } | { char: number } | 'none' | 'unknown';

function before(source: Source, index: number): Before {
  const text = source.text;
  let i = index - source.start - 1;
  while (i >= 0 && isAsciiSpace(text.charCodeAt(i))) i--;
  if (i < 0) return 'none';
  const code = text.charCodeAt(i);
  // `*/`, `-->`, a line comment's line, an escaped line end, or what ASCII spaces do not tell.
  if (code === 47 || code === 62 || code === 92 || code > 127) return 'unknown';
  if (text.slice(text.lastIndexOf('\n', i) + 1, i + 1).includes('//')) return 'unknown';
  if (!isWordChar(code)) return { char: code };
  let start = i;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  return { word: text.slice(start, i + 1), start: start + source.start };
}

/**
 * Whether the text before a definition rules out its being exported, in a tree without syntax errors (whose
 * nodes follow the grammar), saving the walk up the tree: an `export` statement's declaration follows
 * `export`, `default` or `=`; a variable declarator or its name follows `const`, `let`, `var` or `using`
 * (then `export` must come before those), or `,`; a function value follows the `=` of its declarator.
 */
function ruledOutByTextBefore(node: Node, type: string): boolean {
  const source = sourceOf(node.tree);
  if (!source.clean) return false;
  const previous = before(source, node.startIndex);
  if (previous === 'unknown') return false;
  if (previous === 'none') return true;
  if ('char' in previous) {
    if (FUNCTION_VALUES.has(type)) return previous.char !== 61;
    // `=`, `,` and `:` may come before a variable's value, next declarator or type: the tree tells.
    return previous.char !== 61 && previous.char !== 44 && previous.char !== 58;
  }
  if (FUNCTION_VALUES.has(type)) return true;
  const word = previous.word;
  if (word === 'export' || word === 'default') return false;
  if (word === 'const' || word === 'let' || word === 'var' || word === 'using') {
    const beforeKeyword = before(source, previous.start);
    if (beforeKeyword === 'unknown') return false;
    return !(typeof beforeKeyword === 'object' && 'word' in beforeKeyword && beforeKeyword.word === 'export');
  }
  return true;
}

function docFromComment(text: string): string | undefined {
  if (!text.startsWith('/**') && !text.startsWith('//')) return undefined;
  return text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\/\*\*?/, '')
        .replace(/\*\/$/, '')
        .replace(/^\*\s?/, '')
        .replace(/^\/\/\s?/, ''),
    )
    .join('\n')
    .trim();
}

export const TYPESCRIPT_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  isExported: (node: Node) => isExported(node),
  docFromComment,
};

export const JAVASCRIPT_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  // CommonJS files export through `module.exports`, which the queries list as export names.
  isExported: (node: Node) => isExported(node),
  docFromComment,
};
