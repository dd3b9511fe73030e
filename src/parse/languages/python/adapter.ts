/**
 * @module parse/languages/python/adapter
 * Python: import statements (dotted and relative modules, aliases, wildcards) and docstrings.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport } from '../../syntax.js';

/** Definition nodes that have no `body` (nor `definition`) field, so no docstring. */
const NO_BODY: ReadonlySet<string> = new Set([
  'identifier',
  'typed_parameter',
  'default_parameter',
  'typed_default_parameter',
  'list_splat_pattern',
  'dictionary_splat_pattern',
  'assignment',
  'with_item',
]);

export const PYTHON_ADAPTER: LanguageAdapter = {
  selfNames: ['self', 'cls'],
  importsOf(node: Node): SyntaxImport[] {
    const range = nodeRange(node);
    if (node.type === 'import_statement') {
      // `import a.b` binds `a` to package a; `import a.b as c` binds c to module a.b.
      return node.childrenForFieldName('name').flatMap((name) => {
        if (!name) return [];
        if (name.type === 'aliased_import') {
          const module = name.childForFieldName('name')?.text ?? '';
          const alias = name.childForFieldName('alias')?.text ?? module;
          return [{ range, source: module, bindings: [{ imported: '*', local: alias }], reexport: false }];
        }
        const module = name.text;
        const head = module.split('.')[0] ?? module;
        return [{ range, source: head, bindings: [{ imported: '*', local: head }], reexport: false }];
      });
    }
    if (node.type === 'import_from_statement') {
      const source = node.childForFieldName('module_name')?.text.replace(/\s+/g, '') ?? '';
      const bindings = node.childrenForFieldName('name').flatMap((name) => {
        if (!name) return [];
        if (name.type === 'aliased_import') {
          const imported = name.childForFieldName('name')?.text ?? '';
          return [{ imported, local: name.childForFieldName('alias')?.text ?? imported }];
        }
        return [{ imported: name.text, local: name.text }];
      });
      if (node.namedChildren.some((c) => c?.type === 'wildcard_import'))
        bindings.push({ imported: '*', local: '*' });
      return [{ range, source, bindings, reexport: false }];
    }
    return [];
  },
  isExported(_node: Node, name: string, topLevel: boolean): boolean {
    return topLevel && !name.startsWith('__');
  },
  innerDoc(node: Node): string | undefined {
    // Parameters and assignments have neither field: two calls into wasm saved for most definitions.
    if (NO_BODY.has(node.type)) return undefined;
    const body =
      node.childForFieldName('body') ?? node.childForFieldName('definition')?.childForFieldName('body');
    const first = body?.namedChild(0);
    const string = first?.type === 'expression_statement' ? first.namedChild(0) : undefined;
    if (string?.type !== 'string') return undefined;
    return string.text
      .replace(/^[rRuUbB]*("""|'''|"|')/, '')
      .replace(/("""|'''|"|')$/, '')
      .trim();
  },
  docFromComment: (text: string) =>
    text
      .split('\n')
      .map((line) => line.replace(/^\s*#\s?/, ''))
      .join('\n')
      .trim(),
};
