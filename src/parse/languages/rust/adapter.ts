/**
 * @module parse/languages/rust/adapter
 * Rust: `use` trees (nested lists, aliases, globs, `self`), `extern crate`, `pub` visibility, and doc
 * comments (`///` and `/** *\/` above an item; `//!` at the top of an inline module's body).
 *
 * Doc comments are read here from the tree rather than paired with declarations by the extractor: this
 * grammar marks them (`outer`/`inner` doc comment markers), and a `///` comment's node ends after its newline,
 * on the declaration's first line, where line-based pairing cannot find it.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LanguageAdapter } from '../../language.js';
import { nodeRange } from '../../node-range.js';
import type { SyntaxImport, SyntaxImportBinding } from '../../syntax.js';

/** The path segments of a use path (`crate::a::b` → crate, a, b; `::std::io` → std, io). */
function pathSegments(node: Node): string[] {
  if (node.type !== 'scoped_identifier') return [node.text];
  const path = node.childForFieldName('path');
  const name = node.childForFieldName('name');
  return [...(path ? pathSegments(path) : []), ...(name ? [name.text] : [])];
}

/** Collects the bindings of one `use` tree, grouped by their source path (`crate::a` → b, c). */
class UseCollector {
  readonly groups = new Map<string, SyntaxImportBinding[]>();

  walk(node: Node, prefix: string[]): void {
    switch (node.type) {
      case 'use_list': {
        for (const child of node.namedChildren) if (child && !isComment(child)) this.walk(child, prefix);
        return;
      }
      case 'scoped_use_list': {
        const path = node.childForFieldName('path');
        const list = node.childForFieldName('list');
        if (list) this.walk(list, path ? [...prefix, ...pathSegments(path)] : prefix);
        return;
      }
      case 'use_as_clause': {
        const path = node.childForFieldName('path');
        const alias = node.childForFieldName('alias');
        if (path) this.path([...prefix, ...pathSegments(path)], alias?.text);
        return;
      }
      case 'use_wildcard': {
        const path = node.namedChildren.find((child) => child !== null && !isComment(child));
        const segments = path ? [...prefix, ...pathSegments(path)] : prefix;
        if (segments.length > 0) this.add(segments.join('::'), '*', '*');
        return;
      }
      default: {
        if (isComment(node)) return;
        this.path([...prefix, ...pathSegments(node)], undefined);
      }
    }
  }

  /**
   * `a::b::c [as d]` binds c (or d) from `a::b`; `a::b::{self [as d]}` binds the module `a::b` itself
   * (imported `self`); a single segment (`use serde;`) binds a crate or module (imported `*`).
   */
  private path(segments: string[], alias: string | undefined): void {
    const last = segments.at(-1);
    if (last === undefined) return;
    if (last === 'self') {
      const module = segments.slice(0, -1);
      const name = module.at(-1);
      if (name !== undefined) this.add(module.join('::'), 'self', alias ?? name);
    } else if (segments.length === 1) {
      this.add(last, '*', alias ?? last);
    } else {
      this.add(segments.slice(0, -1).join('::'), last, alias ?? last);
    }
  }

  private add(source: string, imported: string, local: string): void {
    let bindings = this.groups.get(source);
    if (!bindings) {
      bindings = [];
      this.groups.set(source, bindings);
    }
    if (!bindings.some((b) => b.imported === imported && b.local === local))
      bindings.push({ imported, local });
  }
}

function importsOf(node: Node): SyntaxImport[] {
  const range = nodeRange(node);
  const reexport = visibility(node) !== undefined;
  if (node.type === 'extern_crate_declaration') {
    const name = node.childForFieldName('name')?.text;
    if (!name) return [];
    const local = node.childForFieldName('alias')?.text ?? name;
    return [{ range, source: name, bindings: [{ imported: '*', local }], reexport }];
  }
  if (node.type !== 'use_declaration') return [];
  const argument = node.childForFieldName('argument');
  if (!argument) return [];
  const collector = new UseCollector();
  collector.walk(argument, []);
  return [...collector.groups].map(([source, bindings]) => ({ range, source, bindings, reexport }));
}

/**
 * Items whose visibility modifier, when they have one, is their first child: the grammar puts it before all
 * else, and attributes are siblings. Their first child is enough, where others need all their children.
 */
const VISIBILITY_FIRST: ReadonlySet<string> = new Set([
  'function_item',
  'function_signature_item',
  'struct_item',
  'union_item',
  'enum_item',
  'enum_variant',
  'field_declaration',
  'mod_item',
  'trait_item',
  'const_item',
  'static_item',
  'type_item',
  'use_declaration',
  'extern_crate_declaration',
]);

function visibility(node: Node, type = node.type): Node | undefined {
  if (VISIBILITY_FIRST.has(type)) {
    const first = node.namedChild(0);
    const firstType = first?.type;
    // Error recovery may put skipped tokens (an ERROR) first: then all children are looked at.
    if (firstType !== 'ERROR') return firstType === 'visibility_modifier' ? first! : undefined;
  }
  return node.namedChildren.find((child): child is Node => child?.type === 'visibility_modifier');
}

/** `pub`, `pub(crate)`, `pub(super)`, `pub(in path)` make an item visible outside its module; `pub(self)` does not. */
function hasPub(node: Node, type?: string): boolean {
  const modifier = visibility(node, type);
  return modifier !== undefined && modifier.text.replace(/\s+/g, '') !== 'pub(self)';
}

/** The item whose `declaration_list` or `enum_variant_list` holds this node. */
function owningItem(node: Node): Node | undefined {
  const list = node.parent;
  if (list?.type !== 'declaration_list' && list?.type !== 'enum_variant_list') return undefined;
  return list.parent ?? undefined;
}

/**
 * Definitions with no visibility modifier of their own and never in a `declaration_list` or an
 * `enum_variant_list`: never exported (known without walking up the tree, which starts from the root).
 */
const NEVER_EXPORTED: ReadonlySet<string> = new Set(['parameter', 'identifier', 'closure_expression']);

function isExported(node: Node): boolean {
  const type = node.type;
  if (NEVER_EXPORTED.has(type)) return false;
  if (hasPub(node, type)) return true;
  if (type === 'macro_definition') return hasAttribute(node, 'macro_export');
  // A field's list is a `field_declaration_list`: no owner makes it public.
  if (type === 'field_declaration') return false;
  const owner = owningItem(node);
  if (!owner) return false;
  // Variants of a public enum and items of a public trait are public.
  if (owner.type === 'enum_item' || owner.type === 'trait_item') return hasPub(owner);
  // The items of `impl Trait for Type` are as visible as the trait.
  if (owner.type === 'impl_item') return owner.childForFieldName('trait') !== null;
  return false;
}

/** Whether one of the attributes just above the item (among its doc and other comments) is `#[name…]`. */
function hasAttribute(node: Node, name: string): boolean {
  for (
    let previous = node.previousNamedSibling;
    previous?.type === 'attribute_item' || (previous && isComment(previous));
    previous = previous.previousNamedSibling
  ) {
    if (previous.type === 'attribute_item' && previous.text.replace(/\s+/g, '').startsWith(`#[${name}`))
      return true;
  }
  return false;
}

/** Outer doc comments: `///` lines (not `////`) and `/** … *\/` blocks; other comments are dropped. */
function docFromComment(text: string): string | undefined {
  const lines: string[] = [];
  let inDocBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inDocBlock) {
      const end = line.endsWith('*/');
      lines.push(
        line
          .replace(/\*\/$/, '')
          .replace(/^\*(?!\/)\s?/, '')
          .trimEnd(),
      );
      if (end) inDocBlock = false;
    } else if (line.startsWith('///') && !line.startsWith('////')) {
      lines.push(line.slice(3).replace(/^ /, '').trimEnd());
    } else if (line.startsWith('/**') && !line.startsWith('/***') && line !== '/**/') {
      const body = line.slice(3);
      if (body.endsWith('*/')) lines.push(body.slice(0, -2).trim());
      else {
        if (body.trim()) lines.push(body.trim());
        inDocBlock = true;
      }
    }
  }
  const doc = lines.join('\n').trim();
  return doc || undefined;
}

/** Definitions that take no doc comment: parameters and the names bound by patterns. */
const UNDOCUMENTED_TYPES: ReadonlySet<string> = new Set(['parameter', 'identifier', 'closure_parameters']);

/**
 * The outer doc comments of an item, a field or a variant: the `///` and `/** *\/` comments before it, among
 * its attributes and plain comments, as rustdoc reads them. A closure bound by `let` takes the `let`'s docs.
 */
function outerDoc(node: Node, type: string): string | undefined {
  if (UNDOCUMENTED_TYPES.has(type)) return undefined;
  const anchor =
    type === 'closure_expression' && node.parent?.type === 'let_declaration' ? node.parent : node;
  if (!mayFollowCommentOrAttribute(anchor)) return undefined;
  const parts: string[] = [];
  for (let previous = anchor.previousNamedSibling; previous; previous = previous.previousNamedSibling) {
    if (previous.type === 'attribute_item') continue;
    if (!isComment(previous) || previous.childForFieldName('inner')) break;
    if (previous.childForFieldName('outer')) parts.unshift(previous.text.trimEnd());
  }
  return parts.length > 0 ? docFromComment(parts.join('\n')) : undefined;
}

/** The doc of a definition: a module's inner doc comments, else its outer ones. */
function docOf(node: Node): string | undefined {
  const type = node.type;
  return (type === 'mod_item' ? moduleInnerDoc(node) : undefined) ?? outerDoc(node, type);
}

/**
 * Whether the text just before a node may end a comment or an attribute, which its previous sibling then may
 * be. Before an item, field or variant come spaces and commas, and before them its previous sibling's end:
 * `]` for an attribute, `/` for a block comment, and for a line comment (which ends after its line feed) a
 * line with `//`. When none of these shows, the previous sibling is neither, and the walk to it (which starts
 * from the root) is saved. Only in trees without syntax errors, whose nodes follow the grammar.
 */
function mayFollowCommentOrAttribute(node: Node): boolean {
  const { text, start, clean } = sourceOf(node.tree);
  if (!clean) return true;
  let i = node.startIndex - start - 1;
  for (; i >= 0; i--) {
    const code = text.charCodeAt(i);
    // Spaces, tabs, line ends, form feeds, commas and semicolons; any other whitespace is not skipped.
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12 && code !== 44 && code !== 59)
      break;
  }
  if (i < 0) return false;
  const last = text.charCodeAt(i);
  if (last === 93 || last === 47 || last > 127) return true;
  return text.slice(text.lastIndexOf('\n', i) + 1, i + 1).includes('//');
}

/**
 * The text of each tree, from its root node (which starts at its first token), and whether it has no syntax
 * errors: read once per tree.
 */
const sources = new WeakMap<Tree, { text: string; start: number; clean: boolean }>();

function sourceOf(tree: Tree): { text: string; start: number; clean: boolean } {
  let source = sources.get(tree);
  if (!source) {
    const root = tree.rootNode;
    source = { text: root.text, start: root.startIndex, clean: !root.hasError };
    sources.set(tree, source);
  }
  return source;
}

/** `//!` (and `/*! *\/`) comments at the start of an inline module's body document the module. */
function moduleInnerDoc(node: Node): string | undefined {
  const body = node.childForFieldName('body');
  if (!body) return undefined;
  const lines: string[] = [];
  for (const child of body.namedChildren) {
    if (!child || !isComment(child)) break;
    const text = child.text.trim();
    if (text.startsWith('//!')) lines.push(text.slice(3).replace(/^ /, '').trimEnd());
    else if (text.startsWith('/*!'))
      lines.push(
        ...text
          .slice(3, -2)
          .split('\n')
          .map((line) => line.trim().replace(/^\*\s?/, '')),
      );
    else if (lines.length > 0) break;
  }
  const doc = lines.join('\n').trim();
  return doc || undefined;
}

function isComment(node: Node): boolean {
  return node.type === 'line_comment' || node.type === 'block_comment';
}

export const RUST_ADAPTER: LanguageAdapter = {
  selfNames: ['self'],
  importsOf,
  isExported: (node: Node) => isExported(node),
  // The extractor calls this for every definition without a doc; the query captures no comments.
  innerDoc: docOf,
  docFromComment,
};
