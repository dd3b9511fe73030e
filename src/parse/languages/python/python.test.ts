/**
 * @module parse/languages/python/python.test
 * Python extraction: definitions, calls with receivers, imports, flows.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';

describe('python extraction', () => {
  it('extracts the seed example', async () => {
    const syntax = await extractFile('m.py', 'def add(a, b):\n    return a + b\nc = add(1, 2)\n');
    expect(syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`)).toEqual([
      'function add -1',
      'parameter a 0',
      'parameter b 0',
      'variable c -1',
    ]);
    expect(syntax.calls.map((c) => c.name)).toEqual(['add']);
    expect(syntax.returns[0]?.value.identifiers.map((i) => i.name)).toEqual(['a', 'b']);
    expect(syntax.assigns.map((a) => `${a.name}<-call${a.value.calls.join()}`)).toEqual(['c<-call0']);
  });

  it('reads imports, docstrings and receivers', async () => {
    const source = [
      'from ..pkg.mod import a, b as c',
      'import os.path as osp',
      'class Foo(Base):',
      '    """Doc."""',
      '    def run(self):',
      '        self.svc.go(1)',
      '        return super().run()',
    ].join('\n');
    const syntax = await extractFile('m.py', source);
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join(',')}`),
    ).toEqual(['..pkg.mod:a>a,b>c', 'os.path:*>osp']);
    const foo = syntax.defs.find((d) => d.name === 'Foo');
    expect(foo?.doc).toBe('Doc.');
    expect(foo?.extends).toEqual(['Base']);
    expect(syntax.defs.find((d) => d.name === 'run')?.kind).toBe('method');
    const go = syntax.calls.find((c) => c.name === 'go');
    expect(go?.receiver).toMatchObject({ kind: 'this-member', name: 'svc' });
    expect(syntax.calls.find((c) => c.name === 'run')?.receiver?.kind).toBe('super');
  });
});
