/**
 * @module parse/languages/java/java.test
 * Java extraction: package and imports, type declarations with their supertypes, members, parameters and
 * locals, calls with receivers, flows, Javadoc, visibility and broken files.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../index.js';

const SERVICE = [
  'package com.example.app;',
  '',
  'import java.util.List;',
  'import java.util.*;',
  'import static java.util.Collections.emptyList;',
  '',
  '/**',
  ' * Serves users, see {@link Repo}.',
  ' * @author me',
  ' */',
  '@Service',
  'public class UserService<T> extends BaseService<T> implements Runnable, Comparable<UserService> {',
  '    private final Repo repo = new Repo();',
  '    static int a, b = 2;',
  '',
  '    /** Creates it. */',
  '    public UserService(Repo repo) {',
  '        super(repo);',
  '        this.repo = repo;',
  '    }',
  '',
  '    @Override',
  '    public List<String> run(int x, String... rest) {',
  '        int c = add(1, 2);',
  '        var list = new java.util.ArrayList<String>();',
  '        list.add("a");',
  '        this.repo.save(c);',
  '        super.run();',
  '        Function<Integer, Integer> f = (y) -> y + 1;',
  '        list.forEach(v -> use(v));',
  '        for (String s : rest) { use(s); }',
  '        c = c + x;',
  '        return list;',
  '    }',
  '',
  '    int add(int a, int b) { return a + b; }',
  '}',
].join('\n');

const TYPES = [
  'interface Shape extends Comparable<Shape>, Cloneable {',
  '    int SIDES = 3;',
  '    double area();',
  '}',
  'public enum Color implements Paintable {',
  '    RED, GREEN("g");',
  '    Color() {}',
  '    Color(String s) { this(); }',
  '}',
  'record Point(int x, int y) implements Serializable {',
  '    int sum() { return x + y; }',
  '}',
  '@interface Marker { String value() default ""; }',
  'class Outer {',
  '    Runnable r = new Runnable() { public void run() {} };',
  '}',
].join('\n');

function defLines(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

describe('java extraction', () => {
  it('extracts the seed example: a call whose result flows into a local', async () => {
    const syntax = await extractFile(
      'A.java',
      'class A {\n  int add(int a, int b) { return a + b; }\n  void m() { int c = add(1, 2); }\n}\n',
    );
    expect(defLines(syntax)).toEqual([
      'class A -1',
      'method add 0',
      'parameter a 1',
      'parameter b 1',
      'method m 0',
      'variable c 4',
    ]);
    expect(syntax.defs.find((d) => d.name === 'c')).toMatchObject({ typeText: 'int', signature: 'int c' });
    expect(syntax.calls.map((c) => `${c.name} scope=${c.scope}`)).toEqual(['add scope=4']);
    expect(syntax.returns[0]?.value.identifiers.map((i) => i.name)).toEqual(['a', 'b']);
    expect(syntax.assigns.map((a) => `${a.name}<-call${a.value.calls.join()} scope=${a.scope}`)).toEqual([
      'c<-call0 scope=4',
    ]);
    expect(syntax.diagnostics).toEqual([]);
  });

  it('reads the package and imports', async () => {
    const syntax = await extractFile('UserService.java', SERVICE);
    expect(syntax.packageName).toBe('com.example.app');
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join(',')}`),
    ).toEqual(['java.util:List>List', 'java.util:*>*', 'java.util.Collections:emptyList>emptyList']);
  });

  it('extracts classes, members, parameters and locals with types', async () => {
    const syntax = await extractFile('UserService.java', SERVICE);
    expect(defLines(syntax)).toEqual([
      'class UserService -1',
      'field repo 0',
      'field a 0',
      'field b 0',
      'method UserService 0',
      'parameter repo 4',
      'method run 0',
      'parameter x 6',
      'parameter rest 6',
      'variable c 6',
      'variable list 6',
      'function f 6',
      'parameter y 11',
      'lambda <lambda> 6',
      'parameter v 13',
      'variable s 6',
      'method add 0',
      'parameter a 16',
      'parameter b 16',
    ]);
    const byName = (name: string, kind?: string) =>
      syntax.defs.find((d) => d.name === name && (!kind || d.kind === kind));
    expect(byName('UserService', 'class')).toMatchObject({
      extends: ['BaseService<T>'],
      implements: ['Runnable', 'Comparable<UserService>'],
      decorators: ['@Service'],
      doc: 'Serves users, see Repo.\n@author me',
      exported: true,
      signature:
        '@Service public class UserService<T> extends BaseService<T> implements Runnable, Comparable<UserService>',
    });
    expect(byName('repo', 'field')).toMatchObject({
      typeText: 'Repo',
      initType: 'Repo',
      exported: false,
      signature: 'private final Repo repo',
    });
    expect(byName('b')).toMatchObject({ kind: 'field', typeText: 'int' });
    expect(byName('UserService', 'method')).toMatchObject({ doc: 'Creates it.', exported: true });
    expect(byName('run')).toMatchObject({
      returnTypeText: 'List<String>',
      decorators: ['@Override'],
      exported: true,
    });
    expect(byName('rest')).toMatchObject({ kind: 'parameter', typeText: 'String' });
    expect(byName('add')).toMatchObject({ returnTypeText: 'int', exported: false });
    // `var` is no type: the constructor in the initializer gives the init type.
    expect(byName('list')?.typeText).toBeUndefined();
    expect(byName('list')?.initType).toBe('java.util.ArrayList');
    expect(byName('s')).toMatchObject({ kind: 'variable', typeText: 'String' });
  });

  it('classifies calls and their receivers', async () => {
    const syntax = await extractFile('UserService.java', SERVICE);
    expect(
      syntax.calls.map(
        (c) => `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver?.kind ?? '-'}:${c.receiver?.name ?? ''}`,
      ),
    ).toEqual([
      'new Repo:-:',
      'super:-:',
      'add:-:',
      'new ArrayList:expr:',
      'add:name:list',
      'save:this-member:repo',
      'run:super:',
      'forEach:name:list',
      'use:-:',
      'use:-:',
    ]);
    const save = syntax.calls.find((c) => c.name === 'save');
    expect(save?.args.map((a) => a.identifiers.map((i) => i.name))).toEqual([['c']]);
    const superCall = syntax.calls.find((c) => c.name === 'super');
    expect(superCall?.args[0]?.identifiers.map((i) => i.name)).toEqual(['repo']);
    expect(syntax.calls.find((c) => c.name === 'ArrayList')?.calleeText).toBe('java.util.ArrayList');
  });

  it('records assignments, returns and value references', async () => {
    const syntax = await extractFile('UserService.java', SERVICE);
    const assigns = syntax.assigns.map((a) => {
      const from = [
        ...a.value.identifiers.map((i) => i.name),
        ...a.value.calls.map((i) => `${syntax.calls[i]?.name ?? '?'}()`),
      ];
      return `${a.member ? 'this.' : ''}${a.name}<-${from.join(',')}`;
    });
    expect(assigns).toEqual([
      'repo<-Repo()',
      'b<-',
      'c<-add()',
      'list<-ArrayList()',
      'this.repo<-repo',
      'c<-c,x',
    ]);
    const runIndex = syntax.defs.findIndex((d) => d.name === 'run');
    const fIndex = syntax.defs.findIndex((d) => d.name === 'f');
    expect(
      syntax.returns.map((r) => `${r.scope}:${r.value.identifiers.map((i) => i.name).join(',')}`),
    ).toEqual(expect.arrayContaining([`${runIndex}:list`, `${fIndex}:y`]));
    // Member names after a dot are not value references; declared names are not either.
    const values = syntax.refs.filter((r) => r.role === 'value').map((r) => r.name);
    expect(values).not.toContain('save');
    expect(values).not.toContain('forEach');
    expect(values).toContain('list');
    expect(syntax.refs.filter((r) => r.role === 'type').map((r) => r.name)).toEqual(
      expect.arrayContaining(['BaseService', 'Runnable', 'Repo', 'List', 'Function']),
    );
    expect(syntax.refs.some((r) => r.role === 'type' && r.name === 'var')).toBe(false);
  });

  it('extracts interfaces, enums, records, annotation types and anonymous classes', async () => {
    const syntax = await extractFile('Types.java', TYPES);
    expect(defLines(syntax)).toEqual([
      'interface Shape -1',
      'constant SIDES 0',
      'method area 0',
      'enum Color -1',
      'constant RED 3',
      'constant GREEN 3',
      'method Color 3',
      'method Color 3',
      'parameter s 7',
      'class Point -1',
      'field x 9',
      'field y 9',
      'method sum 9',
      'interface Marker -1',
      'method value 13',
      'class Outer -1',
      'field r 15',
      'impl <impl> 15',
      'method run 17',
    ]);
    const byName = (name: string) => syntax.defs.find((d) => d.name === name);
    expect(byName('Shape')).toMatchObject({
      extends: ['Comparable<Shape>', 'Cloneable'],
      implements: [],
      exported: false,
    });
    expect(byName('area')).toMatchObject({ returnTypeText: 'double', exported: true });
    expect(byName('SIDES')).toMatchObject({ typeText: 'int', exported: true });
    expect(byName('Color')).toMatchObject({ kind: 'enum', implements: ['Paintable'], exported: true });
    expect(byName('RED')?.exported).toBe(true);
    expect(byName('Point')).toMatchObject({ implements: ['Serializable'] });
    expect(byName('x')).toMatchObject({ kind: 'field', typeText: 'int' });
    expect(byName('<impl>')?.extends).toEqual(['Runnable']);
    expect(syntax.calls.map((c) => `${c.name}:${c.scope}`)).toEqual(['this:7', 'Runnable:15']);
  });

  it('still extracts definitions from a file with syntax errors', async () => {
    const source = [
      'package p;',
      'public class Broken {',
      '  void ok() { int c = add(1, 2); }',
      '  void bad( { int x = ; }',
      '  int add(int a, int b) { return a + b; }',
      '}',
    ].join('\n');
    const syntax = await extractFile('Broken.java', source);
    expect(syntax.diagnostics.length).toBeGreaterThan(0);
    expect(syntax.diagnostics.every((d) => d.code === 'PARSE_SYNTAX_ERROR')).toBe(true);
    expect(syntax.defs.filter((d) => d.kind === 'class' || d.kind === 'method').map((d) => d.name)).toEqual([
      'Broken',
      'ok',
      'bad',
      'add',
    ]);
    expect(syntax.assigns.find((a) => a.name === 'c')?.value.calls).toEqual([0]);
  });
});
