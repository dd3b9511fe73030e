/**
 * @module interfaces/http/routes/files
 * Files of a folder (`/v1/files`: the indexed paths, one file's text, symbols, syntax tree or graph), the
 * editors' unsaved buffers (`/v1/documents`: open, change, close, list) and the workspace folders
 * (`/v1/workspaces`: list, add, remove). Every path goes through the engine's `resolveInside`, which refuses
 * `..`, absolute paths and symbolic links that lead out of the folder.
 */
import { isAbsolute } from 'node:path';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import { resolveInside, syntaxTree } from '../../../engine/index.js';
import type { GraphDelta, JsonSchema, LiveWorkspace, WorkspaceSet } from '../../../engine/index.js';
import type { RouteSpec } from '../route-table.js';
import { WORKSPACE_PROPERTY, WORKSPACE_QUERY, workspaceOption } from './shared.js';

const PATH_PROPERTY = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  description: 'Absolute path, or a path relative to the workspace folder',
} as const;

const DOCUMENT_BODY: JsonSchema = {
  type: 'object',
  properties: {
    path: PATH_PROPERTY,
    text: { type: 'string', description: 'The buffer text' },
    version: { type: 'integer', minimum: 0, description: "The editor's version of the buffer" },
    workspace: WORKSPACE_PROPERTY,
  },
  required: ['path', 'text'],
  additionalProperties: false,
};

const CLOSE_BODY: JsonSchema = {
  type: 'object',
  properties: { path: PATH_PROPERTY, workspace: WORKSPACE_PROPERTY },
  required: ['path'],
  additionalProperties: false,
};

const ROOT_BODY: JsonSchema = {
  type: 'object',
  properties: {
    root: { type: 'string', minLength: 1, maxLength: 4096, description: 'Absolute path of the folder' },
  },
  additionalProperties: false,
};

const VIEWS = ['text', 'symbols', 'ast', 'asg'] as const;
type FileView = (typeof VIEWS)[number];

/** The path after `/v1/files/`, percent-decoded (so `%2e%2e%2f` is seen as `../` and refused). */
function requestedPath(url: string): string {
  const pathname = new URL(url).pathname;
  const raw = pathname.slice('/v1/files/'.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Malformed percent-encoding in the path '${raw}'`);
  }
}

/** An absolute buffer path for a request's path (absolute, or relative to its folder), checked. */
function documentPath(set: WorkspaceSet, path: string, workspace: string | undefined): string {
  if (isAbsolute(path)) {
    const located = set.locate(path);
    if (!located || located.path === '' || located.path.startsWith('..'))
      throw new EngineError(ERROR_CODES.NOT_FOUND, `${path} is in no workspace folder`);
    return resolveInside(located.workspace.root, located.path).absolute;
  }
  return resolveInside(set.get(workspace).root, path).absolute;
}

function deltaBody(live: LiveWorkspace | undefined, delta: GraphDelta | undefined): unknown {
  return {
    version: delta?.version ?? live?.version ?? null,
    delta: { files: (delta?.files ?? []).map((file) => ({ path: file.path, kind: file.kind })) },
  };
}

function folderOf(set: WorkspaceSet, absolute: string): LiveWorkspace | undefined {
  return set.locate(absolute)?.workspace;
}

export function fileRoutes(): RouteSpec[] {
  const setDocument =
    (change: boolean): RouteSpec['handle'] =>
    async ({ state, body }) => {
      const input = body as { path: string; text: string; version?: number; workspace?: string };
      const path = documentPath(state.set, input.path, workspaceOption(input.workspace));
      const delta = change
        ? await state.set.changeDocument(path, input.text, input.version)
        : await state.set.openDocument(path, input.text, input.version);
      return deltaBody(folderOf(state.set, path), delta);
    };
  return [
    {
      method: 'GET',
      path: '/v1/files',
      tag: 'files',
      summary: 'The indexed files of a workspace folder',
      query: [WORKSPACE_QUERY],
      returns: '{files: [{path}]}',
      handle: ({ state, query }) => ({
        files: state.set
          .get(workspaceOption(query.workspace))
          .paths()
          .sort()
          .map((path) => ({ path })),
      }),
    },
    {
      method: 'GET',
      path: '/v1/files/*',
      openapiPath: '/v1/files/{path}',
      tag: 'files',
      summary:
        'One file of a folder: its text (the unsaved buffer when one is open), symbols, syntax tree or graph',
      query: [
        { name: 'view', description: 'text (default), symbols, ast or asg', schema: { enum: [...VIEWS] } },
        WORKSPACE_QUERY,
      ],
      returns:
        'text: {path, source: buffer|disk, text}; symbols: {path, symbols}; ast: {path, language, tree, nodeCount, truncated, diagnostics}; asg: {path, version, nodes, edges}',
      handle: async ({ c, state, query }) => {
        const view = (query.view ?? 'text') as FileView;
        if (!VIEWS.includes(view))
          throw new EngineError(
            ERROR_CODES.INVALID_ARGUMENT,
            `Unknown view '${view}' (views: ${VIEWS.join(', ')})`,
          );
        const workspace = workspaceOption(query.workspace);
        const requested = requestedPath(c.req.url);
        const live = state.set.get(workspace);
        const file = resolveInside(live.root, requested);
        switch (view) {
          case 'text':
            return state.set.readText(file.relative, workspace);
          case 'ast': {
            const { text } = await state.set.readText(file.relative, workspace);
            const tree = await syntaxTree(file.relative, { format: 'json', text });
            return {
              path: file.relative,
              language: tree.language,
              tree: tree.tree,
              nodeCount: tree.nodeCount,
              truncated: tree.truncated,
              diagnostics: tree.diagnostics,
            };
          }
          case 'symbols':
          case 'asg': {
            if (!live.paths().includes(file.relative))
              throw new EngineError(ERROR_CODES.NOT_FOUND, `${file.relative} is not indexed`);
            return live.read((snapshot, version) =>
              view === 'symbols'
                ? { path: file.relative, version, symbols: snapshot.fileSymbols(file.relative) }
                : { path: file.relative, version, ...snapshot.asgData({ path: file.relative }) },
            );
          }
        }
      },
    },
    {
      method: 'GET',
      path: '/v1/documents',
      tag: 'documents',
      summary: 'The open unsaved buffers',
      returns: '{documents: [{path, root, relativePath, version}]}',
      handle: ({ state }) => ({
        documents: state.set.documents().map(({ path, root, relativePath, version }) => ({
          path,
          root,
          relativePath,
          version,
        })),
      }),
    },
    {
      method: 'POST',
      path: '/v1/documents',
      tag: 'documents',
      summary: 'Opens an unsaved buffer: the graph follows its text until it is closed',
      body: DOCUMENT_BODY,
      returns: '{version, delta: {files: [{path, kind}]}}',
      handle: setDocument(false),
    },
    {
      method: 'PUT',
      path: '/v1/documents',
      tag: 'documents',
      summary: "Changes an open buffer's text (opens it when it was not open)",
      body: DOCUMENT_BODY,
      returns: '{version, delta: {files: [{path, kind}]}}',
      handle: setDocument(true),
    },
    {
      method: 'DELETE',
      path: '/v1/documents',
      tag: 'documents',
      summary: 'Closes a buffer: the graph goes back to the file on disk',
      body: CLOSE_BODY,
      returns: '{closed, version, delta: {files: [{path, kind}]}}',
      handle: async ({ state, body }) => {
        const input = body as { path: string; workspace?: string };
        const path = documentPath(state.set, input.path, workspaceOption(input.workspace));
        const closed = state.set.document(path) !== undefined;
        const delta = await state.set.closeDocument(path);
        return { closed, ...(deltaBody(folderOf(state.set, path), delta) as object) };
      },
    },
    {
      method: 'GET',
      path: '/v1/workspaces',
      tag: 'workspaces',
      summary: 'The workspace folders, the default first',
      returns: '{workspaces: [{root, name, version, files, watching, documents}]}',
      handle: ({ state }) => ({ workspaces: state.set.list() }),
    },
    {
      method: 'POST',
      path: '/v1/workspaces',
      tag: 'workspaces',
      summary: 'Adds a workspace folder (indexing it, or bringing its index up to date)',
      body: { ...ROOT_BODY, required: ['root'] },
      status: 201,
      returns: '{root, name, version, files, watching, documents}',
      handle: async ({ state, body }) => {
        const { root } = body as { root: string };
        if (!isAbsolute(root))
          throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `A workspace root must be absolute: ${root}`);
        return state.set.add(root);
      },
    },
    {
      method: 'DELETE',
      path: '/v1/workspaces',
      tag: 'workspaces',
      summary: 'Removes a workspace folder (root in the body, or the query parameter root)',
      body: ROOT_BODY,
      bodyRequired: false,
      query: [{ name: 'root', description: 'The root or name of the folder (instead of the body)' }],
      returns: '{removed: boolean}',
      handle: async ({ state, body, query }) => {
        const root = (body as { root?: string }).root ?? query.root;
        if (!root)
          throw new EngineError(
            ERROR_CODES.INVALID_ARGUMENT,
            'Give the folder to remove: {"root": "/abs/path"} or ?root=',
          );
        return { removed: await state.set.remove(root) };
      },
    },
  ];
}
