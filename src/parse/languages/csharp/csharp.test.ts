/**
 * @module parse/languages/csharp/csharp.test
 * C# extraction: namespaces and using directives, type declarations with their base lists, members,
 * parameters and locals, calls with receivers, flows, XML doc comments, visibility and broken files.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../index.js';

const SERVICE = [
  'using System;',
  'using System.Collections.Generic;',
  'using Col = System.Collections;',
  '',
  'namespace Acme.Services',
  '{',
  '    /// <summary>',
  '    /// Serves users, see <see cref="Repo"/>.',
  '    /// </summary>',
  '    /// <param name="repo">The store.</param>',
  '    [Serializable]',
  '    public class UserService : BaseService, IRunnable, IComparable<UserService>',
  '    {',
  '        private readonly Repo _repo = new Repo();',
  '        private int a, b = 2;',
  '        public string Name { get; set; } = "x";',
  '',
  '        public UserService(Repo repo) : base(repo)',
  '        {',
  '            this._repo = repo;',
  '        }',
  '',
  '        public List<string> Run(int x, params string[] rest)',
  '        {',
  '            int c = Add(1, 2);',
  '            var list = new List<string>();',
  '            list.Add("a");',
  '            this._repo.Save(c);',
  '            Func<int, int> f = y => y + 1;',
  '            foreach (var s in rest) { Use(s); }',
  '            c = c + x;',
  '            return list;',
  '        }',
  '',
  '        private static int Add(int a, int b) => a + b;',
  '    }',
  '}',
].join('\n');

const TYPES = [
  'namespace Acme.Models;',
  '',
  'public interface IShape : IComparable<IShape>, IDisposable { double Area(); }',
  'struct Point : IEquatable<Point> { public int X; }',
  'public enum Color { Red, Green = 2 }',
  'public record Person(string First) : Base(First), IThing;',
  'class Helper',
  '{',
  '    void M(Repo r)',
  '    {',
  '        r?.Load(1);',
  '        Repo made = new();',
  '        var p = new Acme.Models.Point();',
  '    }',
  '}',
].join('\n');

function defLines(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

describe('c# extraction', () => {
  it('extracts the seed example: a call whose result flows into a local', async () => {
    const syntax = await extractFile(
      'A.cs',
      'class A {\n  int Add(int a, int b) { return a + b; }\n  void M() { int c = Add(1, 2); }\n}\n',
    );
    expect(defLines(syntax)).toEqual([
      'class A -1',
      'method Add 0',
      'parameter a 1',
      'parameter b 1',
      'method M 0',
      'variable c 4',
    ]);
    expect(syntax.defs.find((d) => d.name === 'c')).toMatchObject({ typeText: 'int', signature: 'int c' });
    expect(syntax.calls.map((c) => `${c.name} scope=${c.scope}`)).toEqual(['Add scope=4']);
    expect(syntax.returns[0]?.value.identifiers.map((i) => i.name)).toEqual(['a', 'b']);
    expect(syntax.assigns.map((a) => `${a.name}<-call${a.value.calls.join()} scope=${a.scope}`)).toEqual([
      'c<-call0 scope=4',
    ]);
    expect(syntax.diagnostics).toEqual([]);
  });

  it('reads namespaces and using directives', async () => {
    const syntax = await extractFile('UserService.cs', SERVICE);
    expect(syntax.packageName).toBe('Acme.Services');
    expect(syntax.defs[0]).toMatchObject({ kind: 'namespace', name: 'Acme.Services', parent: -1 });
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join(',')}`),
    ).toEqual(['System:*>*', 'System.Collections.Generic:*>*', 'System.Collections:*>Col']);
    const fileScoped = await extractFile('Types.cs', TYPES);
    expect(fileScoped.packageName).toBe('Acme.Models');
    expect(fileScoped.defs.find((d) => d.name === 'Helper')?.parent).toBe(0);
  });

  it('extracts classes, members, parameters and locals with types', async () => {
    const syntax = await extractFile('UserService.cs', SERVICE);
    expect(defLines(syntax)).toEqual([
      'namespace Acme.Services -1',
      'class UserService 0',
      'field _repo 1',
      'field a 1',
      'field b 1',
      'field Name 1',
      'method UserService 1',
      'parameter repo 6',
      'method Run 1',
      'parameter x 8',
      'parameter rest 8',
      'variable c 8',
      'variable list 8',
      'function f 8',
      'parameter y 13',
      'variable s 8',
      'method Add 1',
      'parameter a 16',
      'parameter b 16',
    ]);
    const byName = (name: string, kind?: string) =>
      syntax.defs.find((d) => d.name === name && (!kind || d.kind === kind));
    expect(byName('UserService', 'class')).toMatchObject({
      extends: ['BaseService'],
      implements: ['IRunnable', 'IComparable<UserService>'],
      decorators: ['Serializable'],
      doc: 'Serves users, see Repo.\nrepo: The store.',
      exported: true,
    });
    expect(byName('_repo')).toMatchObject({
      typeText: 'Repo',
      initType: 'Repo',
      exported: false,
      signature: 'private readonly Repo _repo',
    });
    expect(byName('b')).toMatchObject({ kind: 'field', typeText: 'int' });
    expect(byName('Name')).toMatchObject({ kind: 'field', typeText: 'string', exported: true });
    expect(byName('Run')).toMatchObject({ returnTypeText: 'List<string>', exported: true });
    expect(byName('rest')).toMatchObject({ kind: 'parameter', typeText: 'string[]' });
    expect(byName('Add')).toMatchObject({ returnTypeText: 'int', exported: false });
    // `var` is no type: the constructor in the initializer gives the init type.
    expect(byName('list')?.typeText).toBeUndefined();
    expect(byName('list')?.initType).toBe('List');
  });

  it('classifies calls and their receivers', async () => {
    const syntax = await extractFile('UserService.cs', SERVICE);
    expect(
      syntax.calls.map(
        (c) => `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver?.kind ?? '-'}:${c.receiver?.name ?? ''}`,
      ),
    ).toEqual([
      'new Repo:-:',
      'base:-:',
      'Add:-:',
      'new List:-:',
      'Add:name:list',
      'Save:this-member:_repo',
      'Use:-:',
    ]);
    expect(syntax.calls.find((c) => c.name === 'base')?.args[0]?.identifiers.map((i) => i.name)).toEqual([
      'repo',
    ]);
    expect(
      syntax.calls.find((c) => c.name === 'Save')?.args.map((a) => a.identifiers.map((i) => i.name)),
    ).toEqual([['c']]);
  });

  it('records assignments, returns and references', async () => {
    const syntax = await extractFile('UserService.cs', SERVICE);
    const assigns = syntax.assigns.map((a) => {
      const from = [
        ...a.value.identifiers.map((i) => i.name),
        ...a.value.calls.map((i) => `${syntax.calls[i]?.name ?? '?'}()`),
      ];
      return `${a.member ? 'this.' : ''}${a.name}<-${from.join(',')}`;
    });
    expect(assigns).toEqual([
      '_repo<-Repo()',
      'b<-',
      'Name<-',
      'c<-Add()',
      'list<-List()',
      'this._repo<-repo',
      'c<-c,x',
    ]);
    const addIndex = syntax.defs.findIndex((d) => d.name === 'Add');
    const runIndex = syntax.defs.findIndex((d) => d.name === 'Run');
    expect(
      syntax.returns.map((r) => `${r.scope}:${r.value.identifiers.map((i) => i.name).join(',')}`),
    ).toEqual(expect.arrayContaining([`${runIndex}:list`, `${addIndex}:a,b`]));
    const values = syntax.refs.filter((r) => r.role === 'value').map((r) => r.name);
    expect(values).not.toContain('Save');
    expect(values).not.toContain('Repo');
    expect(syntax.refs.filter((r) => r.role === 'type').map((r) => r.name)).toEqual(
      expect.arrayContaining(['BaseService', 'IComparable', 'Repo', 'List', 'Func']),
    );
  });

  it('extracts interfaces, structs, enums, records and other call forms', async () => {
    const syntax = await extractFile('Types.cs', TYPES);
    expect(defLines(syntax)).toEqual([
      'namespace Acme.Models -1',
      'interface IShape 0',
      'method Area 1',
      'struct Point 0',
      'field X 3',
      'enum Color 0',
      'constant Red 5',
      'constant Green 5',
      'class Person 0',
      'field First 8',
      'class Helper 0',
      'method M 10',
      'parameter r 11',
      'variable made 11',
      'variable p 11',
    ]);
    const byName = (name: string) => syntax.defs.find((d) => d.name === name);
    expect(byName('IShape')).toMatchObject({
      extends: ['IComparable<IShape>', 'IDisposable'],
      implements: [],
      exported: true,
    });
    expect(byName('Area')?.exported).toBe(true);
    expect(byName('Point')).toMatchObject({ extends: [], implements: ['IEquatable<Point>'], exported: true });
    expect(byName('X')).toMatchObject({ typeText: 'int', exported: true });
    expect(byName('Green')?.exported).toBe(true);
    expect(byName('Person')).toMatchObject({ extends: ['Base'], implements: ['IThing'] });
    expect(byName('First')).toMatchObject({ typeText: 'string', exported: true });
    expect(byName('Helper')?.exported).toBe(true);
    expect(byName('M')?.exported).toBe(false);
    expect(
      syntax.calls.map(
        (c) => `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver?.kind ?? '-'}:${c.receiver?.text ?? ''}`,
      ),
    ).toEqual(['Load:name:r', 'new Repo:-:', 'new Point:expr:Acme.Models']);
    expect(byName('p')?.initType).toBe('Acme.Models.Point');
  });

  it('still extracts definitions from a file with syntax errors', async () => {
    const source = [
      'namespace P {',
      '  public class Broken {',
      '    void Ok() { int c = Add(1, 2); }',
      '    void Bad() { int x = ; }',
      '    int Add(int a, int b) { return a + b; }',
      '  }',
      '}',
    ].join('\n');
    const syntax = await extractFile('Broken.cs', source);
    expect(syntax.diagnostics.length).toBeGreaterThan(0);
    expect(syntax.diagnostics.every((d) => d.code === 'PARSE_SYNTAX_ERROR')).toBe(true);
    expect(syntax.defs.filter((d) => d.kind === 'class' || d.kind === 'method').map((d) => d.name)).toEqual([
      'Broken',
      'Ok',
      'Bad',
      'Add',
    ]);
    expect(syntax.assigns.find((a) => a.name === 'c')?.value.calls).toEqual([0]);
  });
});
