/**
 * @module interfaces/mcp/resources
 * MCP resources: the files of the default workspace folder (`rtc://file/<path>`, listed in pages) and its
 * symbols (`rtc://symbol/<name>`: the declarations of a name, as JSON, each with its source text). File text
 * comes through `WorkspaceSet.readText`, which refuses paths that leave the folder.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type {
  ListResourcesResult,
  ListResourceTemplatesResult,
  ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { GraphNode, WorkspaceSet } from '../../engine/index.js';
import { RESOURCE_NOT_FOUND } from './errors.js';

export const FILE_URI_PREFIX = 'rtc://file/';
export const SYMBOL_URI_PREFIX = 'rtc://symbol/';

/** Lines of a declaration's source text served at most (the rest is cut, and said so). */
const MAX_SNIPPET_LINES = 400;

/** The URI of a workspace file (each path segment percent-encoded, the slashes kept). */
export function fileUri(path: string): string {
  return FILE_URI_PREFIX + path.split('/').map(encodeURIComponent).join('/');
}

/** The URI of a symbol name. */
export function symbolUri(name: string): string {
  return SYMBOL_URI_PREFIX + encodeURIComponent(name);
}

export function resourceTemplates(): ListResourceTemplatesResult {
  return {
    resourceTemplates: [
      {
        uriTemplate: `${FILE_URI_PREFIX}{+path}`,
        name: 'file',
        title: 'Workspace file',
        description: 'The text of a file of the default workspace folder, by repository-relative path',
        mimeType: 'text/plain',
      },
      {
        uriTemplate: `${SYMBOL_URI_PREFIX}{name}`,
        name: 'symbol',
        title: 'Symbol declarations',
        description:
          'The declarations of a symbol name or qualified name (`Class.method`), as JSON with their source text',
        mimeType: 'application/json',
      },
    ],
  };
}

/** One page of the files of the default folder; the cursor is the offset of the page. */
export function listFileResources(
  set: WorkspaceSet,
  cursor: string | undefined,
  pageSize: number,
): ListResourcesResult {
  let offset = 0;
  if (cursor !== undefined) {
    if (!/^\d{1,9}$/.test(cursor)) throw new McpError(ErrorCode.InvalidParams, `Invalid cursor '${cursor}'`);
    offset = Number(cursor);
  }
  const paths = set
    .get()
    .paths()
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const page = paths.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return {
    resources: page.map((path) => ({ uri: fileUri(path), name: path, mimeType: 'text/plain' })),
    ...(next < paths.length ? { nextCursor: String(next) } : {}),
  };
}

/** The contents of a resource URI; an unknown scheme or a name that matches nothing is an error. */
export async function readResource(set: WorkspaceSet, uri: string): Promise<ReadResourceResult> {
  if (uri.startsWith(FILE_URI_PREFIX)) {
    const path = decodePath(uri.slice(FILE_URI_PREFIX.length), uri);
    const file = await set.readText(path);
    return { contents: [{ uri, mimeType: 'text/plain', text: file.text }] };
  }
  if (uri.startsWith(SYMBOL_URI_PREFIX)) {
    const name = decodePath(uri.slice(SYMBOL_URI_PREFIX.length), uri);
    const symbols = await set.get().read((workspace) => workspace.resolveSymbol(name));
    if (symbols.length === 0) throw new McpError(RESOURCE_NOT_FOUND, `No symbol named '${name}'`, { uri });
    const declarations = await withSource(set, symbols);
    return {
      contents: [
        { uri, mimeType: 'application/json', text: JSON.stringify({ name, declarations }, null, 2) },
      ],
    };
  }
  throw new McpError(
    RESOURCE_NOT_FOUND,
    `Unknown resource '${uri}' (rtc://file/<path>, rtc://symbol/<name>)`,
    {
      uri,
    },
  );
}

function decodePath(encoded: string, uri: string): string {
  const clean = encoded.replace(/[?#].*$/s, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(clean);
  } catch {
    throw new McpError(ErrorCode.InvalidParams, `Malformed resource URI '${uri}'`);
  }
  if (decoded === '') throw new McpError(ErrorCode.InvalidParams, `Resource URI '${uri}' names nothing`);
  return decoded;
}

/** The declarations with their source text (from the buffer or the file; omitted when it cannot be read). */
async function withSource(
  set: WorkspaceSet,
  symbols: readonly GraphNode[],
): Promise<(GraphNode & { source?: string })[]> {
  const texts = new Map<string, Promise<string[] | undefined>>();
  const linesOf = (path: string): Promise<string[] | undefined> => {
    let lines = texts.get(path);
    if (!lines) {
      lines = set.readText(path).then(
        (file) => file.text.split(/\r?\n/),
        () => undefined,
      );
      texts.set(path, lines);
    }
    return lines;
  };
  return Promise.all(
    symbols.map(async (symbol) => {
      const lines = await linesOf(symbol.path);
      if (!lines) return symbol;
      const start = symbol.range.start.line;
      const end = Math.min(symbol.range.end.line, start + MAX_SNIPPET_LINES - 1);
      let source = lines.slice(start, end + 1).join('\n');
      if (end < symbol.range.end.line) source += `\n… (${symbol.range.end.line - end} more lines)`;
      return { ...symbol, source };
    }),
  );
}
