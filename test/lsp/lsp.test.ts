/**
 * @module test/lsp/lsp
 * The LSP server as a child process (test/lsp/server-main.ts, what `rtc lsp --stdio` runs), driven by a real
 * LSP client (vscode-languageserver-protocol) over its stdio, on temporary copies of fixture repositories:
 * initialize, the navigation features, an unsaved buffer changed incrementally and closed again, `rtc/context`,
 * error responses that leave the server up, a workspace folder added, and shutdown/exit with code 0.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CallHierarchyIncomingCallsRequest,
  CallHierarchyOutgoingCallsRequest,
  CallHierarchyPrepareRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ReferencesRequest,
  ResponseError,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import type {
  DocumentSymbol,
  InitializeResult,
  Location,
  Position,
  ProtocolConnection,
  SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCopy } from '../support/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SERVER = join(import.meta.dirname, 'server-main.ts');

let shop: ReturnType<typeof fixtureCopy>;
let library: ReturnType<typeof fixtureCopy>;
let repo: string;
let child: ChildProcessWithoutNullStreams;
let client: ProtocolConnection;
let exited: Promise<number | null>;
let stderr = '';
const logs: string[] = [];

const uri = (path: string, root = repo): string => pathToFileURL(join(root, path)).href;
const doc = (path: string): { textDocument: { uri: string } } => ({ textDocument: { uri: uri(path) } });

/** The position of `|` in the first occurrence of `marked` (without the `|`) in `text`. */
function cursorIn(text: string, marked: string): Position {
  const offset = text.indexOf(marked.replace('|', ''));
  if (offset < 0 || !marked.includes('|')) throw new Error(`'${marked}' not found`);
  const before = text.slice(0, offset + marked.indexOf('|')).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}
const cursor = (path: string, marked: string): Position =>
  cursorIn(readFileSync(join(repo, path), 'utf8'), marked);
const at = (path: string, marked: string) => ({ ...doc(path), position: cursor(path, marked) });
/** `path:line` (one-based) of a location in the first repository. */
const where = (l: Location): string =>
  `${l.uri.slice(pathToFileURL(repo).href.length + 1)}:${l.range.start.line + 1}`;

beforeAll(() => {
  shop = fixtureCopy(['ts-shop']);
  library = fixtureCopy(['py-library']);
  repo = join(shop.dir, 'ts-shop');
  child = spawn(process.execPath, ['--import', 'tsx', SERVER, '--stdio'], { cwd: ROOT });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  exited = new Promise((done) =>
    child.on('exit', (code) => {
      done(code);
    }),
  );
  client = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  client.onNotification(LogMessageNotification.type, ({ message }) => {
    logs.push(message);
  });
  client.listen();
});

afterAll(async () => {
  client.dispose();
  if (child.exitCode === null) child.kill();
  await exited;
  shop.remove();
  library.remove();
});

describe('rtc lsp over stdio', () => {
  it('answers initialize with its capabilities', async () => {
    const result: InitializeResult = await client.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { workspaceFolders: true } },
      workspaceFolders: [{ uri: pathToFileURL(repo).href, name: 'ts-shop' }],
    });
    await client.sendNotification(InitializedNotification.type, {});
    expect(result.capabilities).toMatchObject({
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      callHierarchyProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    });
  });

  it('goes to a definition in another file', async () => {
    const found = (await client.sendRequest(
      DefinitionRequest.type,
      at('src/services/checkout.ts', 'due = dis|count('),
    )) as Location[];
    expect(found.map(where)).toEqual(['src/models/discount.ts:3']);
    expect(found[0]?.range).toEqual({ start: { line: 2, character: 16 }, end: { line: 2, character: 29 } });
  });

  it('finds references by symbol, with or without the declaration', async () => {
    const params = at('src/util/math.ts', 'function ro|und(');
    const without = await client.sendRequest(ReferencesRequest.type, {
      ...params,
      context: { includeDeclaration: false },
    });
    expect(without?.map(where)).toEqual([
      'src/models/discount.ts:1',
      'src/models/discount.ts:5',
      'src/ui/cart-view.tsx:3',
      'src/ui/cart-view.tsx:10',
    ]);
    const withDeclaration = await client.sendRequest(ReferencesRequest.type, {
      ...params,
      context: { includeDeclaration: true },
    });
    expect(withDeclaration?.map(where)).toContain('src/util/math.ts:1');
  });

  it('gives the symbol tree of a file', async () => {
    const symbols = (await client.sendRequest(
      DocumentSymbolRequest.type,
      doc('src/services/checkout.ts'),
    )) as DocumentSymbol[];
    expect(symbols.map((s) => s.name)).toEqual(['logged', 'Checkout', 'checkout']);
    const checkoutClass = symbols[1]!;
    expect(checkoutClass.children?.map((s) => s.name)).toEqual(['constructor', 'cart', 'pay', 'counter']);
    expect(checkoutClass.children?.[2]?.detail).toBe('pay(percent: number): number');
  });

  it('finds workspace symbols', async () => {
    const found = (await client.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'applyDisc',
    })) as SymbolInformation[];
    expect(found[0]).toMatchObject({
      name: 'applyDiscount',
      location: { uri: uri('src/models/discount.ts') },
    });
  });

  it('walks the call hierarchy both ways', async () => {
    const [round] = (await client.sendRequest(
      CallHierarchyPrepareRequest.type,
      at('src/util/math.ts', 'function ro|und('),
    ))!;
    expect(round?.name).toBe('round');
    const incoming = await client.sendRequest(CallHierarchyIncomingCallsRequest.type, { item: round! });
    expect(
      incoming?.map((c) => `${c.from.name}@${c.fromRanges.map((r) => r.start.line + 1).join(',')}`),
    ).toEqual(['applyDiscount@5', 'Price@10']);
    const [pay] = (await client.sendRequest(
      CallHierarchyPrepareRequest.type,
      at('src/services/checkout.ts', 'flow.pa|y(10)'),
    ))!;
    const outgoing = await client.sendRequest(CallHierarchyOutgoingCallsRequest.type, { item: pay! });
    expect(outgoing?.map((c) => c.to.name)).toEqual(['applyDiscount', 'total', 'double']);
  });

  it('hovers with the signature and the doc comment', async () => {
    const hover = (await client.sendRequest(
      HoverRequest.type,
      at('src/services/checkout.ts', 'this.cart.to|tal()'),
    ))!;
    const value = (hover.contents as { kind: string; value: string }).value;
    expect(value).toContain('```typescript\ntotal(): number\n```');
    expect(value).toContain('Overrides Priced.total.');
  });

  it('follows an unsaved buffer changed incrementally, and the disk again once it is closed', async () => {
    const path = 'src/index.ts';
    const disk = readFileSync(join(repo, path), 'utf8');
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uri(path), languageId: 'typescript', version: 1, text: disk },
    });
    const lines = disk.split('\n');
    const end = { line: lines.length - 1, character: lines.at(-1)!.length };
    const callAt = cursorIn(disk, '  |console.log(');
    const zero = (p: Position) => ({ start: p, end: p });
    await client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [
        { range: zero(end), text: '\nexport function freshly(): number {\n  return 41;\n}\n' },
        { range: zero(callAt), text: 'freshly();\n  ' },
      ],
    });
    const edited = disk + '\nexport function freshly(): number {\n  return 41;\n}\n';
    const buffer = edited.replace('  console.log(', '  freshly();\n  console.log(');
    const definition = (await client.sendRequest(DefinitionRequest.type, {
      ...doc(path),
      position: cursorIn(buffer, '  fresh|ly();'),
    })) as Location[];
    expect(definition, logs.join('\n')).toEqual([
      { uri: uri(path), range: rangeOf(buffer, 'function |freshly|(') },
    ]);
    const symbols = (await client.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'freshly',
    })) as SymbolInformation[];
    expect(symbols.map((s) => s.name)).toEqual(['freshly']);
    expect(readFileSync(join(repo, path), 'utf8')).toBe(disk);

    await client.sendNotification(DidCloseTextDocumentNotification.type, doc(path));
    expect(await client.sendRequest(WorkspaceSymbolRequest.type, { query: 'freshly' })).toEqual([]);
  });

  it('answers rtc/context for a query and for a cursor position', async () => {
    const byQuery = await client.sendRequest<{ query: string; text: string; items: { path: string }[] }>(
      'rtc/context',
      { query: 'apply a discount at checkout', budget: 1500 },
    );
    expect(byQuery.text.length).toBeGreaterThan(0);
    expect(byQuery.items.map((item) => item.path)).toContain('src/models/discount.ts');
    const byPosition = await client.sendRequest<{ query: string; tokens: number; budget: number }>(
      'rtc/context',
      at('src/util/math.ts', 'function ro|und('),
    );
    expect(byPosition.query).toContain('round');
    expect(byPosition.tokens).toBeLessThanOrEqual(byPosition.budget);
  });

  it('answers a failing request with an error and stays up', async () => {
    const failure = async (request: Promise<unknown>): Promise<ResponseError<{ rtcCode?: string }>> => {
      const error: unknown = await request.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ResponseError);
      return error as ResponseError<{ rtcCode?: string }>;
    };
    const unknownFile = await failure(
      client.sendRequest(DefinitionRequest.type, {
        textDocument: { uri: pathToFileURL('/nowhere/at/all.ts').href },
        position: { line: 0, character: 0 },
      }),
    );
    expect(unknownFile.code).toBe(-32803); // RequestFailed
    expect(unknownFile.data?.rtcCode).toBe('RTC_NOT_FOUND');
    const badParams = await failure(client.sendRequest('rtc/context', { budget: 'lots' }));
    expect(badParams.code).toBe(-32602); // InvalidParams
    const badItem = await failure(
      client.sendRequest(CallHierarchyIncomingCallsRequest.type, {
        item: {
          name: 'x',
          kind: 12,
          uri: uri('a.ts'),
          range: rangeOf('x', '|x|'),
          selectionRange: rangeOf('x', '|x|'),
        },
      }),
    );
    expect(badItem.code).toBe(-32602);
    const found = (await client.sendRequest(
      DefinitionRequest.type,
      at('src/services/checkout.ts', 'due = dis|count('),
    )) as Location[];
    expect(found).toHaveLength(1);
  });

  it('serves a workspace folder added later', async () => {
    const added = join(library.dir, 'py-library');
    await client.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: pathToFileURL(added).href, name: 'py-library' }], removed: [] },
    });
    const found = (await client.sendRequest(WorkspaceSymbolRequest.type, {
      query: 'find_by_author',
    })) as SymbolInformation[];
    expect(found.map((s) => s.location.uri)).toEqual([uri('src/bookshelf/search.py', added)]);
  });

  it('shuts down and exits with code 0', async () => {
    await client.sendRequest(ShutdownRequest.type);
    await client.sendNotification(ExitNotification.type);
    expect(await exited, stderr).toBe(0);
  });
});

/** The range between the two `|` of `marked` in `text`. */
function rangeOf(text: string, marked: string): { start: Position; end: Position } {
  const [before, inner, after] = marked.split('|') as [string, string, string];
  const start = cursorIn(text, `${before}|${inner}${after}`);
  return { start, end: { line: start.line, character: start.character + inner.length } };
}
