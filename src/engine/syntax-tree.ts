/**
 * @module engine/syntax-tree
 * The syntax tree of one file for `rtc ast`: text, JSON or Mermaid.
 */
import { basename } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Diagnostic } from '../base/index.js';
import {
  buildAstView,
  detectLanguage,
  languageById,
  ParserHost,
  renderAstMermaid,
  renderAstText,
} from '../parse/index.js';
import type { AstNodeJson } from '../parse/index.js';
import { packageAssets, readSource } from '../index/index.js';

export interface SyntaxTreeOptions {
  format: 'text' | 'json' | 'mermaid';
  /** Force a language instead of detecting it from the file name. */
  language?: string;
  maxDepth?: number;
  maxNodes?: number;
  /** The file's text (an unsaved buffer) instead of reading it; `file` then only names it. */
  text?: string;
}

export interface SyntaxTreeOutput {
  path: string;
  language: string;
  /** The rendered tree (text or Mermaid), or undefined for JSON. */
  rendered?: string;
  tree?: AstNodeJson;
  nodeCount: number;
  truncated: boolean;
  diagnostics: Diagnostic[];
}

let host: ParserHost | undefined;

/** Parses one file and renders its syntax tree. */
export async function syntaxTree(file: string, options: SyntaxTreeOptions): Promise<SyntaxTreeOutput> {
  const source =
    options.text !== undefined
      ? { ok: true as const, text: options.text, diagnostics: [] as Diagnostic[] }
      : await readSource(basename(file), file);
  if (!source.ok) {
    const code = source.reason === 'binary' ? ERROR_CODES.INVALID_ARGUMENT : ERROR_CODES.NOT_FOUND;
    throw new EngineError(
      code,
      source.reason === 'binary' ? `${file} is a binary file` : `Cannot read ${file}: ${source.detail}`,
    );
  }
  const language = options.language
    ? languageById(options.language)
    : detectLanguage(file, source.text.slice(0, 200).split('\n', 1)[0]);
  if (!language)
    throw new EngineError(
      ERROR_CODES.UNSUPPORTED_LANGUAGE,
      `No supported language for ${file} (use --language)`,
    );
  host ??= new ParserHost(packageAssets());
  return host.withTree(language.id, source.text, (tree) => {
    const view = buildAstView(tree, {
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
      ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}),
    });
    const diagnostics = [...source.diagnostics];
    if (tree.rootNode.hasError) {
      diagnostics.push({
        severity: 'error',
        code: 'PARSE_SYNTAX_ERROR',
        message: 'The file has syntax errors (marked ERROR / MISSING in the tree)',
        path: file,
      });
    }
    return {
      path: file,
      language: language.id,
      ...(options.format === 'text' ? { rendered: renderAstText(view) } : {}),
      ...(options.format === 'mermaid' ? { rendered: renderAstMermaid(view) } : {}),
      ...(options.format === 'json' ? { tree: view.root } : {}),
      nodeCount: view.nodeCount,
      truncated: view.truncated,
      diagnostics,
    };
  });
}
