/**
 * @module parse/languages/csharp/adapter
 * C#: using directives, visibility (`public`/`internal`, implicit for top-level types and interface members)
 * and XML documentation comments (`///`).
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport } from '../../syntax.js';

const TYPE_DECLARATIONS: ReadonlySet<string> = new Set([
  'class_declaration',
  'struct_declaration',
  'interface_declaration',
  'enum_declaration',
  'record_declaration',
  'delegate_declaration',
]);
const NAMESPACE_LEVEL: ReadonlySet<string> = new Set([
  'compilation_unit',
  'file_scoped_namespace_declaration',
  'namespace_declaration',
]);
const ACCESS_MODIFIERS: ReadonlySet<string> = new Set(['public', 'internal', 'protected', 'private']);

/**
 * `using A.B;` → source `A.B`, binding `*`; `using X = A.B;` → source `A.B`, binding `*` as `X`;
 * `using static A.B;` → source `A.B`, binding `*` (its static members).
 */
function importsOf(node: Node): SyntaxImport[] {
  if (node.type !== 'using_directive') return [];
  // The alias is the `name:` field; the target is the other named child.
  const aliasNode = node.childForFieldName('name');
  let target: Node | undefined;
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment' || (aliasNode && child.equals(aliasNode))) continue;
    target ??= child;
  }
  if (!target) return [];
  const alias = aliasNode?.text;
  return [
    {
      range: nodeRange(node),
      source: target.text.replace(/\s+/g, ''),
      bindings: [{ imported: '*', local: alias ?? '*' }],
      reexport: false,
    },
  ];
}

/** The declaration that owns a definition node (a declarator's field declaration, or the node). */
function declarationOf(node: Node): Node {
  if (node.type === 'variable_declarator') return node.parent?.parent ?? node;
  return node;
}

function accessOf(declaration: Node): string[] {
  return declaration.namedChildren
    .filter((c): c is Node => c?.type === 'modifier' && ACCESS_MODIFIERS.has(c.text))
    .map((c) => c.text);
}

/** Visible outside its file: `public`/`internal` (types without an access modifier are internal). */
function isExported(node: Node): boolean {
  const declaration = declarationOf(node);
  const access = accessOf(declaration);
  if (access.includes('public') || access.includes('internal')) return true;
  const parent = declaration.parent;
  if (access.length === 0 && TYPE_DECLARATIONS.has(declaration.type) && parent) {
    if (NAMESPACE_LEVEL.has(parent.type) || parent.parent?.type === 'namespace_declaration') return true;
  }
  // Interface members are public; enum members and positional record properties are as visible as their type.
  if (parent?.type === 'declaration_list' && parent.parent?.type === 'interface_declaration')
    return access.length === 0;
  if (declaration.type === 'enum_member_declaration') {
    const owner = parent?.parent;
    return owner?.type === 'enum_declaration' && isExported(owner);
  }
  if (declaration.type === 'parameter' && parent?.parent?.type === 'record_declaration')
    return isExported(parent.parent);
  return false;
}

/** `<see cref="X"/>` → X, `<param name="a">text</param>` → `a: text`; every other tag removed. */
function xmlDocToText(xml: string): string {
  return xml
    .split('\n')
    .filter((line) => !/^\s*(<\/?(?:summary|remarks|para|example|code|list|item)\s*>\s*)+$/.test(line))
    .join('\n')
    .replace(/<(?:see|seealso)\s+(?:cref|href|langword)\s*=\s*"([^"]*)"\s*\/>/g, (_m, ref: string) =>
      ref.replace(/^[A-Z]:/, ''),
    )
    .replace(/<(?:paramref|typeparamref)\s+name\s*=\s*"([^"]*)"\s*\/>/g, '$1')
    .replace(/<(?:param|typeparam)\s+name\s*=\s*"([^"]*)"\s*>/g, '$1: ')
    .replace(/<returns>/g, 'Returns: ')
    .replace(
      /<exception\s+cref\s*=\s*"([^"]*)"\s*>/g,
      (_m, ref: string) => `Throws ${ref.replace(/^[A-Z]:/, '')}: `,
    )
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** XML documentation: `///` lines (or a `/** … *\/` block), tags stripped. Plain `//` comments are not docs. */
function docFromComment(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim());
  const docLines = lines.filter((line) => line.startsWith('///') && !line.startsWith('////'));
  if (docLines.length > 0)
    return xmlDocToText(docLines.map((line) => line.replace(/^\/\/\/\s?/, '')).join('\n')) || undefined;
  const start = text.indexOf('/**');
  if (start < 0 || text.startsWith('/**/', start)) return undefined;
  const block = text.slice(start + 3);
  const end = block.indexOf('*/');
  const inner = (end >= 0 ? block.slice(0, end) : block)
    .split('\n')
    .map((line) => line.trim().replace(/^\*\s?/, ''))
    .join('\n');
  return xmlDocToText(inner) || undefined;
}

export const CSHARP_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  superNames: ['base'],
  importsOf,
  isExported: (node: Node) => isExported(node),
  docFromComment,
};
