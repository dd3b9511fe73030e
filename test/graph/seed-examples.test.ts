/**
 * @module test/graph/seed-examples
 * The two Python examples of the seed design, pinned: functions, parameters, return values, call sites,
 * variables, and the data flow between them.
 */
import { describe, expect, it } from 'vitest';
import { asgOf, edgesOf, nodeOf } from '../support/graph.js';

describe('seed example: add', () => {
  const source = 'def add(a, b):\n    return a + b\nc = add(1, 2)\n';

  it('has add with parameters a and b, its return value, the call site and c', async () => {
    const asg = await asgOf({ 'm.py': source });
    const add = nodeOf(asg, 'function', 'add');
    expect(add.signature).toBe('def add(a, b)');
    expect(edgesOf(asg, 'has_parameter', 'returns', 'defines')).toEqual([
      'function add -has_parameter-> parameter add.a',
      'function add -has_parameter-> parameter add.b',
      'function add -returns-> return_value add.<return>',
      'module m -defines-> function add',
      'module m -defines-> variable c',
    ]);
    expect(edgesOf(asg, 'calls')).toEqual(['call add@3 -calls-> function add']);
  });

  it('flows a and b into the return value, and the return value into c', async () => {
    const asg = await asgOf({ 'm.py': source });
    expect(edgesOf(asg, 'data_flow')).toEqual([
      'parameter add.a -data_flow-> return_value add.<return>',
      'parameter add.b -data_flow-> return_value add.<return>',
      'return_value add.<return> -data_flow-> variable c',
    ]);
  });
});

describe('seed example: foo', () => {
  const source = 'def foo(x):\n    y = x + 1\n    print(y)\nfoo(5)\n';

  it('has foo defining y and calling print, and foo(5) resolved to foo', async () => {
    const asg = await asgOf({ 'm.py': source });
    expect(edgesOf(asg, 'defines')).toContain('function foo -defines-> variable foo.y');
    expect(edgesOf(asg, 'contains')).toEqual([
      'function foo -contains-> call print@3',
      'module m -contains-> call foo@4',
    ]);
    expect(edgesOf(asg, 'calls')).toEqual(['call foo@4 -calls-> function foo']);
  });

  it('flows x into y and y into the argument of print', async () => {
    const asg = await asgOf({ 'm.py': source });
    expect(edgesOf(asg, 'data_flow')).toEqual([
      'parameter foo.x -data_flow-> variable foo.y',
      'variable foo.y -data_flow-> call print@3',
    ]);
  });
});

describe('stable ids', () => {
  it('keeps the ids of unchanged code when other code changes', async () => {
    const before = await asgOf({ 'm.py': 'def a():\n    pass\n\ndef b(x):\n    return x\n' });
    const after = await asgOf({
      'm.py': '# a comment\nimport os\n\ndef a():\n    return 1\n\n\ndef b(x):\n    return x\n',
    });
    expect(nodeOf(after, 'function', 'b').id).toBe(nodeOf(before, 'function', 'b').id);
    expect(nodeOf(after, 'parameter', 'b.x').id).toBe(nodeOf(before, 'parameter', 'b.x').id);
    expect(nodeOf(after, 'function', 'a').id).toBe(nodeOf(before, 'function', 'a').id);
  });

  it('deduplicates types by fingerprint across files', async () => {
    const asg = await asgOf({
      'a.ts': 'export function f(m: Map<string, number>) {}',
      'b.ts': 'export const g = (m: Map< string,number >) => 1;',
    });
    const types = [...asg.nodes.values()].filter(
      (n) => n.kind === 'type' && n.qualifiedName === 'Map<string,number>',
    );
    expect(types).toHaveLength(1);
    expect(types[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(edgesOf(asg, 'type_dependency').filter((e) => e.includes('Map'))).toHaveLength(2);
  });
});
