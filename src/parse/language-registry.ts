/**
 * @module parse/language-registry
 * The languages the engine parses, keyed by id, file extension and shebang interpreter.
 * Adding a language: a grammar in tree-sitter-wasms, a `languages/<dir>/queries.scm`, an adapter, a line here.
 */
import type { GrammarRef, LanguageAdapter, LanguageSpec } from './language.js';
import { C_ADAPTER, CPP_ADAPTER } from './languages/c/adapter.js';
import { CSHARP_ADAPTER } from './languages/csharp/adapter.js';
import { GO_ADAPTER } from './languages/go/adapter.js';
import { JAVA_ADAPTER } from './languages/java/adapter.js';
import { PHP_ADAPTER } from './languages/php/adapter.js';
import { PYTHON_ADAPTER } from './languages/python/adapter.js';
import { RUBY_ADAPTER } from './languages/ruby/adapter.js';
import { RUST_ADAPTER } from './languages/rust/adapter.js';
import { JAVASCRIPT_ADAPTER, TYPESCRIPT_ADAPTER } from './languages/typescript/adapter.js';

function VSCODE(name: string): GrammarRef {
  return { package: '@vscode/tree-sitter-wasm', name };
}

function spec(
  id: string,
  displayName: string,
  grammar: GrammarRef,
  queryDir: string | string[],
  extensions: string[],
  support: LanguageSpec['support'],
  adapter: LanguageAdapter,
  shebangs: string[] = [],
): LanguageSpec {
  return {
    id,
    displayName,
    grammar,
    queryDirs: typeof queryDir === 'string' ? [queryDir] : queryDir,
    extensions,
    shebangs,
    support,
    adapter,
  };
}

/** Every registered language. The first seven have full ASG support. */
export const LANGUAGES: readonly LanguageSpec[] = [
  spec(
    'typescript',
    'TypeScript',
    VSCODE('typescript'),
    'typescript',
    ['.ts', '.mts', '.cts'],
    'full',
    TYPESCRIPT_ADAPTER,
    ['ts-node', 'tsx', 'deno'],
  ),
  spec('tsx', 'TSX', VSCODE('tsx'), ['typescript', 'tsx'], ['.tsx'], 'full', TYPESCRIPT_ADAPTER),
  spec(
    'javascript',
    'JavaScript',
    VSCODE('javascript'),
    'javascript',
    ['.js', '.mjs', '.cjs', '.jsx'],
    'full',
    JAVASCRIPT_ADAPTER,
    ['node', 'nodejs', 'bun'],
  ),
  spec('python', 'Python', VSCODE('python'), 'python', ['.py', '.pyi', '.pyw'], 'full', PYTHON_ADAPTER, [
    'python',
    'python3',
    'python2',
    'pypy',
    'pypy3',
  ]),
  spec('rust', 'Rust', VSCODE('rust'), 'rust', ['.rs'], 'full', RUST_ADAPTER),
  spec('go', 'Go', VSCODE('go'), 'go', ['.go'], 'full', GO_ADAPTER),
  spec('java', 'Java', VSCODE('java'), 'java', ['.java'], 'full', JAVA_ADAPTER),
  spec('c', 'C', { package: 'tree-sitter-wasms', name: 'c' }, 'c', ['.c', '.h'], 'basic', C_ADAPTER),
  spec(
    'cpp',
    'C++',
    VSCODE('cpp'),
    'cpp',
    ['.cc', '.cpp', '.cxx', '.c++', '.hh', '.hpp', '.hxx', '.h++', '.ipp'],
    'basic',
    CPP_ADAPTER,
  ),
  spec('csharp', 'C#', VSCODE('c-sharp'), 'csharp', ['.cs'], 'basic', CSHARP_ADAPTER),
  spec('ruby', 'Ruby', VSCODE('ruby'), 'ruby', ['.rb', '.rake', '.gemspec'], 'basic', RUBY_ADAPTER, ['ruby']),
  spec('php', 'PHP', VSCODE('php'), 'php', ['.php', '.phtml'], 'basic', PHP_ADAPTER, ['php']),
];

const BY_ID = new Map(LANGUAGES.map((language) => [language.id, language]));
const BY_EXTENSION = new Map(
  LANGUAGES.flatMap((language) => language.extensions.map((ext) => [ext, language] as const)),
);
const BY_INTERPRETER = new Map(
  LANGUAGES.flatMap((language) => language.shebangs.map((name) => [name, language] as const)),
);

/** The language with this id. */
export function languageById(id: string): LanguageSpec | undefined {
  return BY_ID.get(id);
}

/**
 * The language of a file, from its extension, or else from a `#!` line at the start of its text.
 * `.d.ts` files count as TypeScript.
 */
export function detectLanguage(path: string, firstLine?: string): LanguageSpec | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  if (dot > 0) {
    const byExtension = BY_EXTENSION.get(base.slice(dot));
    if (byExtension) return byExtension;
  }
  if (firstLine?.startsWith('#!')) {
    const words = firstLine.slice(2).trim().split(/\s+/);
    let interpreter = words[0]?.split('/').pop() ?? '';
    if (interpreter === 'env')
      interpreter = words.find((word, index) => index > 0 && !word.startsWith('-')) ?? '';
    interpreter = interpreter.replace(/[\d.]+$/, (version) =>
      BY_INTERPRETER.has(interpreter) ? version : '',
    );
    return BY_INTERPRETER.get(interpreter) ?? BY_INTERPRETER.get(interpreter.replace(/[\d.]+$/, ''));
  }
  return undefined;
}
