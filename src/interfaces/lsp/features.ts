/**
 * @module interfaces/lsp/features
 * The navigation features, each a thin layer over one engine query on one version of a folder: go to
 * definition, find references, document and workspace symbols, call hierarchy, hover.
 */
import type {
  CallHierarchyIncomingCall,
  CallHierarchyItem,
  CallHierarchyOutgoingCall,
  Connection,
  DocumentSymbol,
  Hover,
  Location,
  SymbolInformation,
} from 'vscode-languageserver/node';
import {
  definitionAt,
  documentSymbols,
  hoverAt,
  incomingCalls,
  outgoingCalls,
  referencesAt,
  symbolAt,
  workspaceSymbols,
} from '../../engine/index.js';
import {
  callItemData,
  nameRange,
  toCallHierarchyItem,
  toDocumentSymbol,
  toLocation,
  toSymbolInformation,
} from './convert.js';
import { guard } from './errors.js';
import type { LspSession } from './session.js';

/** Symbols a workspace/symbol request answers at most. */
const WORKSPACE_SYMBOL_LIMIT = 200;

/** Registers the navigation handlers on a connection. */
export function registerNavigation(connection: Connection, session: LspSession): void {
  const { logger } = session;

  connection.onDefinition(
    guard(logger, async ({ textDocument, position }): Promise<Location[]> => {
      const { live, path, options } = await session.target(textDocument.uri);
      return live.read((workspace) =>
        definitionAt(workspace, path, position, options)
          .filter((node) => node.path !== '')
          .map((node) => toLocation(live.root, { path: node.path, range: nameRange(node) })),
      );
    }),
  );

  connection.onReferences(
    guard(logger, async ({ textDocument, position, context }): Promise<Location[]> => {
      const { live, path, options } = await session.target(textDocument.uri);
      return live.read((workspace) =>
        referencesAt(workspace, path, position, {
          ...options,
          includeDeclaration: context.includeDeclaration,
        }).map((location) => toLocation(live.root, location)),
      );
    }),
  );

  connection.onHover(
    guard(logger, async ({ textDocument, position }): Promise<Hover | null> => {
      const { live, path, options } = await session.target(textDocument.uri);
      const hover = await live.read((workspace) => hoverAt(workspace, path, position, options));
      return hover ? { contents: { kind: 'markdown', value: hover.markdown }, range: hover.range } : null;
    }),
  );

  connection.onDocumentSymbol(
    guard(logger, async ({ textDocument }): Promise<DocumentSymbol[]> => {
      const { live, path } = await session.target(textDocument.uri);
      return live.read((workspace) => documentSymbols(workspace, path).map(toDocumentSymbol));
    }),
  );

  connection.onWorkspaceSymbol(
    guard(logger, async ({ query }): Promise<SymbolInformation[]> => {
      const set = await session.workspaces();
      const found: SymbolInformation[] = [];
      for (const folder of set.list()) {
        const live = set.get(folder.root);
        const limit = WORKSPACE_SYMBOL_LIMIT - found.length;
        if (limit <= 0) break;
        found.push(
          ...(await live.read((workspace) =>
            workspaceSymbols(workspace, query, limit).map((node) => toSymbolInformation(live.root, node)),
          )),
        );
      }
      return found;
    }),
  );

  connection.languages.callHierarchy.onPrepare(
    guard(logger, async ({ textDocument, position }): Promise<CallHierarchyItem[] | null> => {
      const { live, path, options } = await session.target(textDocument.uri);
      const at = await live.read((workspace) => symbolAt(workspace, path, position, options));
      const items = (at?.targets ?? [])
        .filter((node) => node.path !== '')
        .map((node) => toCallHierarchyItem(live.root, node));
      return items.length > 0 ? items : null;
    }),
  );

  connection.languages.callHierarchy.onIncomingCalls(
    guard(logger, async ({ item }): Promise<CallHierarchyIncomingCall[]> => {
      const { root, id } = callItemData(item);
      const live = (await session.workspaces()).get(root);
      return live.read((workspace) =>
        incomingCalls(workspace, id).map((group) => ({
          from: toCallHierarchyItem(live.root, group.node),
          fromRanges: group.ranges,
        })),
      );
    }),
  );

  connection.languages.callHierarchy.onOutgoingCalls(
    guard(logger, async ({ item }): Promise<CallHierarchyOutgoingCall[]> => {
      const { root, id } = callItemData(item);
      const live = (await session.workspaces()).get(root);
      return live.read((workspace) =>
        outgoingCalls(workspace, id)
          .filter((group) => group.node.path !== '')
          .map((group) => ({ to: toCallHierarchyItem(live.root, group.node), fromRanges: group.ranges })),
      );
    }),
  );
}
