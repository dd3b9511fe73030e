/**
 * @module parse/languages/go/adapter
 * Go: import declarations (aliases, blank and dot imports), export by capitalisation, and doc comments.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport } from '../../syntax.js';

/**
 * The name a package is bound to when imported without an alias, guessed from its path as `goimports` does:
 * the last element, skipping a major version suffix (`…/y/v2` → y), without a `go-` prefix and cut at the
 * first character that cannot be in an identifier (`gopkg.in/yaml.v3` → yaml).
 */
export function assumedPackageName(importPath: string): string {
  const parts = importPath.split('/').filter((part) => part !== '');
  let base = parts.at(-1) ?? importPath;
  if (/^v\d+$/.test(base) && parts.length > 1) base = parts.at(-2)!;
  base = base.replace(/^go-/, '');
  const cut = /[^\p{L}\p{Nd}_]/u.exec(base);
  return cut ? base.slice(0, cut.index) : base;
}

function importSpecs(node: Node): Node[] {
  return node.namedChildren.flatMap((child) => {
    if (child?.type === 'import_spec') return [child];
    if (child?.type === 'import_spec_list')
      return child.namedChildren.filter((c): c is Node => c?.type === 'import_spec');
    return [];
  });
}

function importsOf(node: Node): SyntaxImport[] {
  return importSpecs(node).flatMap((spec) => {
    const path = spec.childForFieldName('path');
    if (!path) return [];
    const source = path.text.replace(/^["`]|["`]$/g, '');
    const name = spec.childForFieldName('name');
    const record: SyntaxImport = { range: nodeRange(spec), source, bindings: [], reexport: false };
    // `_` imports only for side effects; `.` brings every exported name into the file's scope.
    if (name?.type === 'dot' || name?.text === '.') record.bindings.push({ imported: '*', local: '*' });
    else if (name?.text !== '_')
      record.bindings.push({ imported: '*', local: name?.text ?? assumedPackageName(source) });
    return [record];
  });
}

/** Node types of members whose capitalised names are exported even though they are not top level. */
const MEMBER_TYPES: ReadonlySet<string> = new Set([
  'method_elem',
  'field_declaration',
  'field_identifier',
  'method_declaration',
]);

function isExported(node: Node, name: string, topLevel: boolean): boolean {
  return /^\p{Lu}/u.test(name) && (topLevel || MEMBER_TYPES.has(node.type));
}

/** Comment lines above a declaration, without markers and without directives (`//go:generate …`). */
function docFromComment(text: string): string | undefined {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^\/\/(?:[a-z0-9]+:\S|line )/.test(line)) continue;
    if (line.startsWith('//')) lines.push(line.replace(/^\/\/\s?/, '').trimEnd());
    else
      lines.push(
        line
          .replace(/^\/\*+\s?/, '')
          .replace(/\s*\*\/$/, '')
          .replace(/^\*(?!\/)\s?/, '')
          .trimEnd(),
      );
  }
  const doc = lines.join('\n').trim();
  return doc || undefined;
}

export const GO_ADAPTER: LanguageAdapter = {
  selfNames: [],
  importsOf,
  isExported,
  docFromComment,
};
