/**
 * @module parse
 * tree-sitter parsing for every registered language: the registry, the parser host, the language-neutral
 * syntax summary the graph layer builds on, and the syntax-tree views of `rtc ast`.
 */
export { ParserHost } from './parser-host.js';
export type { AssetLoader } from './parser-host.js';
export type { LanguageHandle } from './parser-host.js';
export { DocumentParser } from './document-parser.js';
export type { DocumentParse, DocumentParserOptions, TextEdit } from './document-parser.js';
export { LANGUAGES, languageById, detectLanguage } from './language-registry.js';
export type { LanguageSpec, LanguageAdapter, SupportLevel, GrammarRef } from './language.js';
export { buildAstView, renderAstText, renderAstMermaid, mermaidEscape } from './ast-view.js';
export type { AstView, AstNodeJson, AstViewOptions } from './ast-view.js';
export { baseTypeName } from './extract.js';
export { DEF_KINDS, SCOPE_KINDS } from './syntax.js';
export type {
  DefKind,
  FileSyntax,
  SyntaxDef,
  SyntaxCall,
  SyntaxRef,
  SyntaxAssign,
  SyntaxReturn,
  SyntaxImport,
  SyntaxImportBinding,
  SyntaxFlow,
  SyntaxReceiver,
} from './syntax.js';
