/**
 * @module interfaces/lsp/convert
 * Engine data → LSP data: URIs and paths, locations, symbol kinds, document symbols, call hierarchy items.
 * Ranges need no conversion: the engine's are LSP's (zero-based lines, UTF-16 columns).
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SymbolKind } from 'vscode-languageserver/node';
import type {
  CallHierarchyItem,
  DocumentSymbol,
  Location,
  Range,
  SymbolInformation,
} from 'vscode-languageserver/node';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import type { DocumentSymbolNode, GraphNode } from '../../engine/index.js';

/** The absolute path of a `file:` URI; other schemes are refused. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:'))
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Only file: URIs are served, not ${uri}`);
  try {
    return fileURLToPath(uri);
  } catch (error) {
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a file URI: ${uri}`, { cause: error });
  }
}

/** The URI of a repository-relative path of a workspace folder. */
export function pathToUri(root: string, path: string): string {
  return pathToFileURL(join(root, path)).href;
}

const SYMBOL_KINDS: Readonly<Record<string, SymbolKind>> = {
  module: SymbolKind.Module,
  namespace: SymbolKind.Namespace,
  class: SymbolKind.Class,
  interface: SymbolKind.Interface,
  struct: SymbolKind.Struct,
  enum: SymbolKind.Enum,
  trait: SymbolKind.Interface,
  function: SymbolKind.Function,
  method: SymbolKind.Method,
  parameter: SymbolKind.Variable,
  variable: SymbolKind.Variable,
  field: SymbolKind.Field,
  constant: SymbolKind.Constant,
  type_alias: SymbolKind.TypeParameter,
  type: SymbolKind.TypeParameter,
  import: SymbolKind.Module,
  call_site: SymbolKind.Function,
};

/** The LSP kind of an engine node. */
export function symbolKind(node: Pick<GraphNode, 'kind' | 'name'>): SymbolKind {
  if (
    node.kind === 'method' &&
    (node.name === 'constructor' || node.name === '__init__' || node.name === 'new')
  )
    return SymbolKind.Constructor;
  return SYMBOL_KINDS[node.kind] ?? SymbolKind.Variable;
}

/** Where a node's name is (its whole range when it has no name range). */
export function nameRange(node: GraphNode): Range {
  if (node.kind === 'module') return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return node.selectionRange ?? node.range;
}

export function toLocation(root: string, node: { path: string; range: Range }): Location {
  return { uri: pathToUri(root, node.path), range: node.range };
}

export function toDocumentSymbol(symbol: DocumentSymbolNode): DocumentSymbol {
  return {
    name: symbol.name,
    kind: symbolKind(symbol.node),
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    children: symbol.children.map(toDocumentSymbol),
  };
}

export function toSymbolInformation(root: string, node: GraphNode): SymbolInformation {
  const dot = node.qualifiedName.lastIndexOf('.');
  return {
    name: node.name,
    kind: symbolKind(node),
    location: { uri: pathToUri(root, node.path), range: nameRange(node) },
    ...(dot > 0 ? { containerName: node.qualifiedName.slice(0, dot) } : {}),
  };
}

/** What a call hierarchy item carries back to the server: its folder and node id. */
export interface CallItemData {
  root: string;
  id: string;
}

export function toCallHierarchyItem(root: string, node: GraphNode): CallHierarchyItem {
  const data: CallItemData = { root, id: node.id };
  const selectionRange = nameRange(node);
  return {
    name: node.name,
    kind: symbolKind(node),
    uri: pathToUri(root, node.path),
    range: node.range,
    selectionRange,
    ...(node.signature ? { detail: node.signature } : {}),
    data,
  };
}

/** The {@link CallItemData} of an item sent back by the client, checked. */
export function callItemData(item: { data?: unknown } | undefined): CallItemData {
  const data = item?.data as Partial<CallItemData> | undefined;
  if (typeof data?.root !== 'string' || typeof data.id !== 'string')
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, 'The call hierarchy item has no rtc data (root, id)');
  return { root: data.root, id: data.id };
}
