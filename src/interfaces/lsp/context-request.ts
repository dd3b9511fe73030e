/**
 * @module interfaces/lsp/context-request
 * The custom request `rtc/context`: the packed context (the engine's `ContextResult`) for a query, or for
 * the symbol under a cursor when no query is given (its qualified name and file become the query).
 */
import { RequestType } from 'vscode-languageserver/node';
import type { Connection, Position, TextDocumentIdentifier } from 'vscode-languageserver/node';
import { ERROR_CODES, EngineError } from '../../base/index.js';
import { symbolAt, validateInput, wordAt } from '../../engine/index.js';
import type { ContextResult, JsonSchema, LiveWorkspace } from '../../engine/index.js';
import { guard, signalOf } from './errors.js';
import type { LspErrorData } from './errors.js';
import type { LspSession } from './session.js';

export interface ContextParams {
  /** The task or question; without it, the symbol under `position` in `textDocument` is the query. */
  query?: string;
  textDocument?: TextDocumentIdentifier;
  position?: Position;
  /** Token budget (default: the route's). */
  budget?: number;
}

/** What `rtc/context` answers: the engine's result, with the folder it comes from. */
export type ContextResponse = ContextResult & { root: string };

export const CONTEXT_REQUEST = new RequestType<ContextParams, ContextResponse, LspErrorData>('rtc/context');

const POSITION: JsonSchema = {
  type: 'object',
  properties: { line: { type: 'integer', minimum: 0 }, character: { type: 'integer', minimum: 0 } },
  required: ['line', 'character'],
};

export const CONTEXT_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1 },
    textDocument: {
      type: 'object',
      properties: { uri: { type: 'string', minLength: 1 } },
      required: ['uri'],
    },
    position: POSITION,
    budget: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
  anyOf: [{ required: ['query'] }, { required: ['textDocument', 'position'] }],
};

/** Registers `rtc/context`. */
export function registerContextRequest(connection: Connection, session: LspSession): void {
  connection.onRequest(
    CONTEXT_REQUEST,
    guard(
      session.logger,
      async (params: ContextParams | null | undefined, token): Promise<ContextResponse> => {
        validateInput(CONTEXT_PARAMS_SCHEMA, params ?? {}, 'rtc/context params');
        const { query, textDocument, position, budget } = params ?? {};
        let live: LiveWorkspace;
        let text = query;
        if (textDocument) {
          const target = await session.target(textDocument.uri);
          live = target.live;
          if (text === undefined && position) {
            const at = await live.read((workspace) =>
              symbolAt(workspace, target.path, position, target.options),
            );
            const symbol = at?.targets[0] ?? at?.node;
            const word =
              target.options.text === undefined ? undefined : wordAt(target.options.text, position);
            text = symbol ? `${symbol.qualifiedName} in ${symbol.path || target.path}` : word?.text;
            if (!text)
              throw new EngineError(
                ERROR_CODES.INVALID_ARGUMENT,
                `No symbol at ${target.path}:${position.line + 1}:${position.character}; give a query`,
              );
          }
        } else {
          live = (await session.workspaces()).get();
        }
        const result = await live.context(text!, {
          ...(budget !== undefined ? { budget } : {}),
          signal: signalOf(token),
        });
        return { ...result, root: live.root };
      },
    ),
  );
}
