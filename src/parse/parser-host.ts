/**
 * @module parse/parser-host
 * Owns the tree-sitter runtime: loads each grammar and its queries once (through an injected
 * {@link AssetLoader}, so this layer does no IO of its own), parses text, and frees every tree it makes.
 */
import { Language, Parser, Query } from 'web-tree-sitter';
import type { Tree } from 'web-tree-sitter';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import { collectSyntaxDiagnostics } from './diagnostics.js';
import { extractSyntax } from './extract.js';
import type { GrammarRef, LanguageSpec } from './language.js';
import { languageById } from './language-registry.js';
import type { FileSyntax } from './syntax.js';

/** Where grammars and query files come from. The composition root reads them from the package. */
export interface AssetLoader {
  /** The bytes of a grammar's wasm file. */
  grammar(grammar: GrammarRef): Promise<Uint8Array>;
  /** The text of `parse/languages/<queryDir>/queries.scm`. */
  queries(queryDir: string): Promise<string>;
}

interface LoadedLanguage {
  spec: LanguageSpec;
  parser: Parser;
  query: Query;
  handle: LanguageHandle;
}

/**
 * A loaded language, for callers that keep trees themselves (the incremental {@link DocumentParser}): once
 * loaded, parsing and extraction need no await, so an edit, its parse and the swap of trees happen at once.
 */
export interface LanguageHandle {
  readonly spec: LanguageSpec;
  /**
   * Parses `text`, reusing `oldTree` when given (it must already be edited to match `text`). The caller owns
   * the new tree and must delete it. Fails with an EngineError when parsing runs past `timeoutMs`.
   */
  parse(text: string, oldTree?: Tree | null, timeoutMs?: number): Tree;
  /** The language-neutral summary of a tree of `text` (syntax errors become diagnostics). */
  extract(tree: Tree, path: string, text: string): FileSyntax;
}

/** Parse time limit per file, so that no input can hang the engine. */
const PARSE_TIMEOUT_MS = 20_000;

let runtimeReady: Promise<void> | undefined;

/** Parses files of every registered language. Not thread-safe: use one host per worker. */
export class ParserHost {
  readonly #assets: AssetLoader;
  readonly #loaded = new Map<string, Promise<LoadedLanguage>>();

  constructor(assets: AssetLoader) {
    this.#assets = assets;
  }

  /** Parses `text` and hands the tree to `use`; the tree is deleted afterwards, whatever happens. */
  async withTree<T>(
    languageId: string,
    text: string,
    use: (tree: Tree, spec: LanguageSpec) => T,
  ): Promise<T> {
    const loaded = await this.#load(languageId);
    const tree = loaded.handle.parse(text);
    try {
      return use(tree, loaded.spec);
    } finally {
      tree.delete();
    }
  }

  /** Parses a file and extracts its language-neutral summary. Never throws for broken source. */
  async extract(path: string, languageId: string, text: string): Promise<FileSyntax> {
    const { handle } = await this.#load(languageId);
    const tree = handle.parse(text);
    try {
      return handle.extract(tree, path, text);
    } finally {
      tree.delete();
    }
  }

  /** Loads a language (once) and gives its {@link LanguageHandle}. */
  async language(languageId: string): Promise<LanguageHandle> {
    return (await this.#load(languageId)).handle;
  }

  /** Frees parsers and queries. */
  async dispose(): Promise<void> {
    for (const pending of this.#loaded.values()) {
      const loaded = await pending.catch(() => undefined);
      loaded?.parser.delete();
      loaded?.query.delete();
    }
    this.#loaded.clear();
  }

  #load(languageId: string): Promise<LoadedLanguage> {
    let pending = this.#loaded.get(languageId);
    if (!pending) {
      pending = this.#loadUncached(languageId);
      this.#loaded.set(languageId, pending);
    }
    return pending;
  }

  async #loadUncached(languageId: string): Promise<LoadedLanguage> {
    const spec = languageById(languageId);
    if (!spec) throw new EngineError(ERROR_CODES.UNSUPPORTED_LANGUAGE, `Unknown language: ${languageId}`);
    runtimeReady ??= Parser.init();
    await runtimeReady;
    let language: Language;
    try {
      language = await Language.load(await this.#assets.grammar(spec.grammar));
    } catch (cause) {
      throw new EngineError(ERROR_CODES.GRAMMAR_LOAD_FAILED, `Cannot load the ${spec.displayName} grammar`, {
        cause,
      });
    }
    let query: Query;
    try {
      const sources = await Promise.all(spec.queryDirs.map((dir) => this.#assets.queries(dir)));
      query = new Query(language, sources.join('\n'));
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new EngineError(ERROR_CODES.QUERY_INVALID, `Invalid ${spec.displayName} queries: ${detail}`, {
        cause,
      });
    }
    const parser = new Parser();
    parser.setLanguage(language);
    const handle: LanguageHandle = {
      spec,
      parse: (text, oldTree, timeoutMs) => parseWithTimeout(parser, text, oldTree ?? null, timeoutMs),
      extract: (tree, path, text) => {
        const diagnostics: Diagnostic[] = collectSyntaxDiagnostics(tree, path);
        return extractSyntax({ tree, text, path, spec, query, diagnostics });
      },
    };
    return { spec, parser, query, handle };
  }
}

function parseWithTimeout(
  parser: Parser,
  text: string,
  oldTree: Tree | null,
  timeoutMs = PARSE_TIMEOUT_MS,
): Tree {
  const deadline = performance.now() + timeoutMs;
  const tree = parser.parse(text, oldTree, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    // A cancelled parser resumes where it stopped unless reset, and the next text is another document.
    parser.reset();
    throw new EngineError(ERROR_CODES.INTERNAL, `Parsing took longer than ${timeoutMs} ms`);
  }
  return tree;
}
