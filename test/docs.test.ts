/**
 * @module test/docs
 * The README's descriptions of the wire surfaces are generated from the code that defines them, and checked
 * here so that the two cannot drift apart: the MCP tools (and `/v1/tools`) from the engine's tool catalogue,
 * the HTTP routes from the HTTP server's route table. `UPDATE_EXPECT=1` rewrites the README's blocks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS, WorkspaceSet } from '../src/engine/index.js';
import { createHttpApp } from '../src/interfaces/http/index.js';
import type { HttpApp } from '../src/interfaces/http/index.js';

const README = join(import.meta.dirname, '..', 'README.md');
let set: WorkspaceSet;
let app: HttpApp;

beforeAll(async () => {
  set = await WorkspaceSet.open([]);
  app = createHttpApp(set, {});
});

afterAll(async () => {
  app.close();
  await set.close();
});

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function toolsTable(): string {
  const rows = TOOLS.map((tool) => {
    const schema = tool.inputSchema as { properties?: Record<string, unknown>; required?: string[] };
    const args = Object.keys(schema.properties ?? {})
      .filter((name) => name !== 'workspace')
      .map((name) => (schema.required?.includes(name) ? name : `${name}?`))
      .join(', ');
    return `| \`${tool.name}\` | \`{${args}}\` | ${cell(tool.description)} |`;
  });
  return ['| tool | input | what it returns |', '| --- | --- | --- |', ...rows].join('\n');
}

function routesTable(): string {
  const rows = app.routes.map((route) => `| \`${route.method} ${route.path}\` | ${cell(route.summary)} |`);
  return [
    '| route | what it does |',
    '| --- | --- |',
    ...rows,
    '| `* /mcp` | MCP over Streamable HTTP |',
  ].join('\n');
}

/** A markdown table with its cells trimmed and its separator rows reduced (prettier pads tables). */
function normalized(table: string): string {
  return table
    .split('\n')
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
        .join('|'),
    )
    .join('\n');
}

/** The text between `<!-- name:begin … -->` and `<!-- name:end -->`. */
function block(text: string, name: string): { start: number; end: number; body: string } {
  const begin = new RegExp(`<!-- ${name}:begin[^>]*-->\\n`).exec(text);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  if (!begin || end < 0) throw new Error(`README.md has no ${name} block`);
  const start = begin.index + begin[0].length;
  return { start, end, body: text.slice(start, end).trim() };
}

describe('README wire surfaces', () => {
  it.each([
    ['mcp-tools', toolsTable],
    ['http-routes', routesTable],
  ])('%s matches the code', (name, generate) => {
    let text = readFileSync(README, 'utf8');
    const expected = generate();
    const found = block(text, name);
    if (process.env.UPDATE_EXPECT === '1' && normalized(found.body) !== normalized(expected)) {
      text = `${text.slice(0, found.start)}${expected}\n${text.slice(found.end)}`;
      writeFileSync(README, text);
      return;
    }
    expect(
      normalized(found.body),
      `README.md's ${name} block is stale: run UPDATE_EXPECT=1 npx vitest run test/docs.test.ts`,
    ).toBe(normalized(expected));
  });
});
