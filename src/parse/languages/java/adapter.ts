/**
 * @module parse/languages/java/adapter
 * Java: import declarations (single type, on demand, static), visibility (`public`, interface members) and
 * Javadoc comments.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport } from '../../syntax.js';

/** Bodies whose members are implicitly public. */
const PUBLIC_MEMBER_BODIES: ReadonlySet<string> = new Set(['interface_body', 'annotation_type_body']);

/**
 * `import a.b.C;` → `a.b` binding `C`; `import a.b.*;` → `a.b` binding `*`;
 * `import static a.b.C.m;` → `a.b.C` binding `m`; `import static a.b.C.*;` → `a.b.C` binding `*`.
 */
function importsOf(node: Node): SyntaxImport[] {
  if (node.type !== 'import_declaration') return [];
  const path = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
  if (!path) return [];
  const dotted = path.text.replace(/\s+/g, '');
  const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
  const range = nodeRange(node);
  if (wildcard)
    return [{ range, source: dotted, bindings: [{ imported: '*', local: '*' }], reexport: false }];
  const dot = dotted.lastIndexOf('.');
  const name = dotted.slice(dot + 1);
  return [
    {
      range,
      source: dot > 0 ? dotted.slice(0, dot) : '',
      bindings: [{ imported: name, local: name }],
      reexport: false,
    },
  ];
}

/** The declaration that owns a definition node: a declarator's field or constant declaration, or the node. */
function declarationOf(node: Node): Node {
  if (node.type === 'variable_declarator' && node.parent) return node.parent;
  return node;
}

function hasModifier(declaration: Node, keyword: string): boolean {
  const modifiers = declaration.namedChildren.find((c) => c?.type === 'modifiers');
  return modifiers?.children.some((c) => c?.type === keyword) ?? false;
}

/** The type declaration a member belongs to (`class_body` → `class_declaration`), or null. */
function ownerType(declaration: Node): Node | null {
  const body = declaration.parent;
  if (body?.type === 'enum_body_declarations') return body.parent?.parent ?? null;
  return body?.parent ?? null;
}

function isExported(node: Node): boolean {
  const declaration = declarationOf(node);
  if (hasModifier(declaration, 'public')) return true;
  const parentType = declaration.parent?.type ?? '';
  if (PUBLIC_MEMBER_BODIES.has(parentType)) return true;
  // Enum constants and record components are as visible as their type.
  if (declaration.type === 'enum_constant') {
    const owner = ownerType(declaration);
    return owner !== null && isExported(owner);
  }
  if (declaration.type === 'formal_parameter' && declaration.parent?.parent?.type === 'record_declaration') {
    return isExported(declaration.parent.parent);
  }
  return false;
}

/** Javadoc (`/** … *\/`) to plain text: markers, inline tags and HTML tags removed; block tags kept. */
function docFromComment(text: string): string | undefined {
  const start = text.indexOf('/**');
  if (start < 0 || text.startsWith('/**/', start)) return undefined;
  const body = text.slice(start);
  const end = body.indexOf('*/');
  return (end >= 0 ? body.slice(0, end) : body)
    .replace(/^\/\*\*/, '')
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\*(?!\/)\s?/, '')
        .trimEnd(),
    )
    .join('\n')
    .replace(/\{@(?:code|literal|link|linkplain|value)\s+([^}]*)\}/g, '$1')
    .replace(/<\/?(?:p|br|b|i|em|strong|code|pre|tt|ul|ol|li|a|blockquote|h[1-6])\b[^>]*>/gi, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const JAVA_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
  importsOf,
  isExported: (node: Node) => isExported(node),
  docFromComment,
};
