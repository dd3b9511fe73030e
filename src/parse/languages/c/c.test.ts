/**
 * @module parse/languages/c/c.test
 * C extraction: functions and prototypes, structs, unions, enums, typedefs, macros, variables, calls,
 * includes, flows, doc comments, and broken source.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../syntax.js';

function defsOf(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

const SOURCE = [
  '#include <stdio.h>',
  '#include "util/list.h"',
  '#define MAX 10',
  '#define SQ(x) ((x) * (x))',
  '',
  '/** A point. */',
  'struct point {',
  '  int x;',
  '  int *y;',
  '};',
  'union value { int i; float f; };',
  'enum color { RED, GREEN = 2 };',
  'typedef struct { int a; } anon_t;',
  'typedef unsigned long size_type;',
  'typedef int (*cb_t)(int);',
  '',
  'int add(int a, int b);',
  'static char *dup(const char *s) { return 0; }',
  '',
  '// Sums the point.',
  'int sum(struct point *p, int n) {',
  '  int total = 0, k;',
  '  node_t *cur = make(n);',
  '  total = add(p->x, k);',
  '  cur->ops->run(cur);',
  '  return total;',
  '}',
  'int g = 3;',
  'static int hidden = 1;',
].join('\n');

describe('c extraction', () => {
  it('extracts definitions with their parents', async () => {
    const syntax = await extractFile('m.c', SOURCE);
    expect(defsOf(syntax)).toEqual([
      'constant MAX -1',
      'function SQ -1',
      'parameter x 1',
      'struct point -1',
      'field x 3',
      'field y 3',
      'struct value -1',
      'field i 6',
      'field f 6',
      'enum color -1',
      'constant RED 9',
      'constant GREEN 9',
      'struct anon_t -1',
      'field a 12',
      'type_alias size_type -1',
      'type_alias cb_t -1',
      'function add -1',
      'parameter a 16',
      'parameter b 16',
      'function dup -1',
      'parameter s 19',
      'function sum -1',
      'parameter p 21',
      'parameter n 21',
      'variable total 21',
      'variable k 21',
      'variable cur 21',
      'variable g -1',
      'variable hidden -1',
    ]);
    const sum = syntax.defs.find((d) => d.name === 'sum');
    expect(sum?.signature).toBe('int sum(struct point *p, int n)');
    expect(sum?.returnTypeText).toBe('int');
    expect(sum?.doc).toBe('Sums the point.');
    expect(syntax.defs.find((d) => d.name === 'point')?.doc).toBe('A point.');
    expect(syntax.defs.find((d) => d.name === 'p')?.typeText).toBe('struct point');
    expect(syntax.defs.find((d) => d.name === 'size_type')?.typeText).toBe('unsigned long');
    expect(syntax.defs.every((d) => d.kind !== 'method')).toBe(true);
    // `static` declarations are file-local.
    expect(syntax.defs.filter((d) => d.parent === -1 && !d.exported).map((d) => d.name)).toEqual([
      'dup',
      'hidden',
    ]);
  });

  it('extracts calls, includes and flows', async () => {
    const syntax = await extractFile('m.c', SOURCE);
    expect(syntax.calls.map((c) => `${c.name}:${c.receiver?.kind ?? '-'}:${c.scope}`)).toEqual([
      'make:-:21',
      'add:-:21',
      'run:expr:21',
    ]);
    expect(syntax.calls[2]?.receiver?.text).toBe('cur->ops');
    expect(syntax.calls[1]?.args.map((a) => a.identifiers.map((i) => i.name).join())).toEqual(['p', 'k']);
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join()}`),
    ).toEqual(['stdio.h:*>*', 'util/list.h:*>*']);
    expect(syntax.assigns.map((a) => `${a.name}<-${a.value.calls.length}`)).toEqual(
      expect.arrayContaining(['total<-0', 'cur<-1', 'total<-1', 'g<-0']),
    );
    expect(syntax.returns.at(-1)?.value.identifiers.map((i) => i.name)).toEqual(['total']);
    expect(syntax.refs.some((r) => r.role === 'type' && r.name === 'node_t')).toBe(true);
    expect(syntax.diagnostics).toEqual([]);
  });

  it('keeps definitions of a file with a syntax error', async () => {
    const syntax = await extractFile(
      'broken.c',
      'int ok(void) { return 1; }\nint bad(int x) { return x + ; }\nstruct s { int a; };\n',
    );
    expect(defsOf(syntax)).toEqual([
      'function ok -1',
      'function bad -1',
      'parameter x 1',
      'struct s -1',
      'field a 3',
    ]);
    expect(syntax.diagnostics.map((d) => d.code)).toContain('PARSE_SYNTAX_ERROR');
  });

  it('reads headers: prototypes and plain comments', async () => {
    const syntax = await extractFile(
      'api.h',
      '/* not a doc */\nvoid *alloc(size_t n);\n/// Frees.\nvoid release(void *p);\n',
    );
    expect(defsOf(syntax)).toEqual([
      'function alloc -1',
      'parameter n 0',
      'function release -1',
      'parameter p 2',
    ]);
    expect(syntax.defs[0]?.doc).toBeUndefined();
    expect(syntax.defs[2]?.doc).toBe('Frees.');
  });
});
