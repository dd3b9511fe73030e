/**
 * @module store/lexical-writer.test
 * The lexical write in a worker thread: what is committed is found, what is rolled back leaves no trace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LexicalIndex } from './lexical-index.js';
import type { LexicalFile } from './lexical-index.js';
import { beginLexicalWrite } from './lexical-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'rtc-lexical-'));
const root = join(dir, 'repo');
mkdirSync(root);
// One function per line, whose text is its body: the index reads it back from the file.
writeFileSync(
  join(root, 'a.ts'),
  'function parseUserId() { return decodeBase64(token) }\nfunction formatDate() {}\n',
);
writeFileSync(join(root, 'b.ts'), 'function renderCart() { drawBasket() }\n');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(path: string, names: string[]): LexicalFile {
  return {
    path,
    nodes: names.map((name, line) => ({
      id: `${path}#${name}`,
      path,
      name,
      qualifiedName: name,
      kind: 'function',
      line,
      endLine: line,
    })),
  };
}

describe('a lexical write in a worker', () => {
  it('commits what it was given, stamped with the generation', async () => {
    const writer = beginLexicalWrite(dir, { removed: [], all: true, symbols: 10_000, root });
    writer.add([file('a.ts', ['parseUserId', 'formatDate']), file('b.ts', ['renderCart'])]);
    await writer.commit(7);
    const lexical = LexicalIndex.open(dir, { readOnly: true });
    expect(lexical.generation()).toBe(7);
    expect(lexical.search('user id').map((h) => h.name)).toEqual(['parseUserId']);
    // Words of the body are found too, and read back with the symbol.
    expect(lexical.search('basket').map((h) => h.name)).toEqual(['renderCart']);
    const documents = lexical.documents({ since: 6 });
    expect(documents.map((d) => d.name)).toEqual(['parseUserId', 'formatDate', 'renderCart']);
    expect(documents[0]!.text).toContain('decode base 64');
    expect(lexical.documents({ since: 7 })).toEqual([]);
  });

  it('leaves nothing when rolled back', async () => {
    const writer = beginLexicalWrite(dir, { removed: ['a.ts'], all: false, symbols: 10_000, root });
    writer.add([file('c.ts', ['shipOrder'])]);
    await writer.rollback();
    const lexical = LexicalIndex.open(dir, { readOnly: true });
    expect(lexical.generation()).toBe(7);
    expect(lexical.search('ship order')).toEqual([]);
    expect(lexical.search('user id').map((h) => h.name)).toEqual(['parseUserId']);
  });
});
