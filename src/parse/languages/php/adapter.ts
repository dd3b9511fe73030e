/**
 * @module parse/languages/php/adapter
 * PHP: `use` declarations (plain, aliased, grouped, `use function`/`use const`) as imports, and `/** … *\/`
 * doc comments.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport, SyntaxImportBinding } from '../../syntax.js';

/** Splits `A\B\C` into its namespace `A\B` and last name `C` (a leading `\` is dropped). */
function splitName(text: string): { namespace: string; name: string } {
  const clean = text.replace(/\s+/g, '').replace(/^\\/, '');
  const cut = clean.lastIndexOf('\\');
  return cut < 0
    ? { namespace: '', name: clean }
    : { namespace: clean.slice(0, cut), name: clean.slice(cut + 1) };
}

function joinNamespace(prefix: string, rest: string): string {
  if (!prefix) return rest;
  return rest ? `${prefix}\\${rest}` : prefix;
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** The imported name of a clause (`A\B\C`, or `C` in a group) and its `alias:` field, if any. */
function clauseParts(clause: Node): { path?: string; alias?: string } {
  const aliasNode = clause.childForFieldName('alias');
  let path: string | undefined;
  for (const child of named(clause)) {
    if (aliasNode && child.equals(aliasNode)) continue;
    if (child.type === 'name' || child.type === 'qualified_name' || child.type === 'namespace_name')
      path ??= child.text;
  }
  const alias = aliasNode?.text;
  return { ...(path !== undefined ? { path } : {}), ...(alias !== undefined ? { alias } : {}) };
}

/**
 * `use A\B\C;` imports C from A\B; `use A\B\C as D;` binds it as D; `use A\{B, C\D as E};` imports B from A
 * and D (as E) from A\C. Clauses from the same namespace share one import record.
 */
function useImports(node: Node): SyntaxImport[] {
  const range = nodeRange(node);
  const bySource = new Map<string, SyntaxImportBinding[]>();
  const add = (source: string, imported: string, alias: string | undefined): void => {
    if (!imported) return;
    let bindings = bySource.get(source);
    if (!bindings) bySource.set(source, (bindings = []));
    bindings.push({ imported, local: alias ?? imported });
  };
  const children = named(node);
  const group = children.find((c) => c.type === 'namespace_use_group');
  if (group) {
    const prefix = splitName(children.find((c) => c.type === 'namespace_name')?.text ?? '');
    const base = joinNamespace(prefix.namespace, prefix.name);
    for (const clause of named(group)) {
      const { path, alias } = clauseParts(clause);
      if (!path) continue;
      const { namespace, name } = splitName(path);
      add(joinNamespace(base, namespace), name, alias);
    }
  } else {
    for (const clause of children) {
      if (clause.type !== 'namespace_use_clause') continue;
      const { path, alias } = clauseParts(clause);
      if (!path) continue;
      const { namespace, name } = splitName(path);
      add(namespace, name, alias);
    }
  }
  return [...bySource].map(([source, bindings]) => ({ range, source, bindings, reexport: false }));
}

/** Only `/** … *\/` comments are docs. */
function docFromComment(text: string): string | undefined {
  if (!text.trimStart().startsWith('/**')) return undefined;
  const doc = text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\/\*\*/, '')
        .replace(/\*\/$/, '')
        .replace(/^\*\s?/, '')
        .trimEnd(),
    )
    .join('\n')
    .trim();
  return doc || undefined;
}

export const PHP_ADAPTER: LanguageAdapter = {
  // `static::` and `self::` name the current class as `$this->` names the current object.
  selfNames: ['$this', 'this', 'self', 'static'],
  importsOf: useImports,
  docFromComment,
};
