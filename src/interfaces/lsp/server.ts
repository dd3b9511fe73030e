/**
 * @module interfaces/lsp/server
 * The LSP server (`rtc lsp`): a connection over two streams (stdio), the lifecycle (initialize opens the
 * workspace folders, shutdown closes them), document sync (incremental) feeding the engine's live index,
 * workspace folder changes, and the feature handlers. Nothing but LSP messages goes to the output stream:
 * the server's log goes to the client (`window/logMessage`) or to the logger it is given.
 */
import {
  createConnection,
  DidChangeWorkspaceFoldersNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resolve } from 'node:path';
import type { Logger } from '../../base/index.js';
import type { IndexOptions } from '../../engine/index.js';
import { registerContextRequest } from './context-request.js';
import { uriToPath } from './convert.js';
import { registerNavigation } from './features.js';
import { LspSession } from './session.js';

export interface LspServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The folder served when the client names none (no workspace folders, no root URI); default: the cwd. */
  repo?: string;
  /** Where the server logs; default: the client's log (`window/logMessage`). */
  logger?: Logger;
  /** Watch the folders' files, so that saves and other tools' changes reach the graph (default true). */
  watch?: boolean;
  /** How the folders are indexed (parser threads, file size limit). */
  indexing?: IndexOptions;
}

/**
 * Runs an LSP server on two streams until the client sends `exit` (the process then exits: 0 after a
 * `shutdown`, 1 without) or closes the input stream.
 */
export function startLspServer(options: LspServerOptions): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, options.input, options.output);
  const logger = options.logger ?? clientLogger(connection);
  const session = new LspSession(logger);
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize((params): InitializeResult => {
    const roots = rootsOf(params, logger, options.repo ?? process.cwd());
    logger.info(`rtc lsp: serving ${roots.join(', ')}`);
    session.open(roots, {
      watch: options.watch ?? true,
      ...(options.indexing ? { indexing: options.indexing } : {}),
    });
    // Registered here, after the library's own workspace-folder feature, so that this handler is the one.
    connection.onNotification(DidChangeWorkspaceFoldersNotification.type, ({ event }) => {
      session.changeFolders(
        event.added.flatMap((folder) => pathOrLog(folder.uri, logger)),
        event.removed.flatMap((folder) => pathOrLog(folder.uri, logger)),
      );
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        definitionProvider: true,
        referencesProvider: true,
        hoverProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        callHierarchyProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        experimental: { rtcContext: true },
      },
      serverInfo: { name: 'rtc' },
    };
  });

  documents.onDidChangeContent(({ document }) => {
    session.change(document.uri, document.getText(), document.version);
  });
  documents.onDidClose(({ document }) => {
    session.close(document.uri);
  });
  documents.listen(connection);

  registerNavigation(connection, session);
  registerContextRequest(connection, session);

  connection.onShutdown(async () => {
    try {
      await session.shutdown();
    } catch (error) {
      logger.error(`Shutting down: ${(error as Error).message}`);
    }
  });
  const exited = new Promise<void>((done) => {
    connection.onExit(() => {
      done();
    });
    options.input.once('end', () => {
      done();
    });
  });
  connection.listen();
  return exited;
}

/** The folders to serve: the client's workspace folders, else its root, else `fallback`. */
function rootsOf(params: InitializeParams, logger: Logger, fallback: string): string[] {
  const folders = (params.workspaceFolders ?? []).flatMap((folder) => pathOrLog(folder.uri, logger));
  if (folders.length > 0) return folders;
  // Clients without workspace folders send a root URI (older ones a root path).
  /* eslint-disable @typescript-eslint/no-deprecated */
  const rootUri = params.rootUri;
  const rootPath = params.rootPath;
  /* eslint-enable @typescript-eslint/no-deprecated */
  if (rootUri) {
    const root = pathOrLog(rootUri, logger);
    if (root.length > 0) return root;
  }
  if (rootPath) return [resolve(rootPath)];
  return [resolve(fallback)];
}

function pathOrLog(uri: string, logger: Logger): string[] {
  try {
    return [uriToPath(uri)];
  } catch (error) {
    logger.warn((error as Error).message);
    return [];
  }
}

/** A logger that writes to the client's log (`window/logMessage`). */
function clientLogger(connection: Connection): Logger {
  return {
    debug: (message) => {
      connection.console.log(message);
    },
    info: (message) => {
      connection.console.info(message);
    },
    warn: (message) => {
      connection.console.warn(message);
    },
    error: (message) => {
      connection.console.error(message);
    },
  };
}
