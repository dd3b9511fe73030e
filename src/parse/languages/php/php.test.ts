/**
 * @module parse/languages/php/php.test
 * PHP extraction: namespaces, `use` imports, classes, interfaces, traits, enums, methods, properties,
 * constants, calls (functions, members, static, `new`), flows, doc comments, and broken source.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../syntax.js';

function defsOf(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

const SOURCE = [
  '<?php',
  'namespace App\\Models;',
  '',
  'use App\\Contracts\\Shape;',
  'use App\\Util\\{Str, Arr as A};',
  'use Foo\\Bar as Baz;',
  '',
  '/**',
  ' * A circle.',
  ' */',
  'class Circle extends Base implements Shape, \\JsonSerializable',
  '{',
  '    use HasArea;',
  '    const PI = 3.14;',
  '    private float $radius = 1.0;',
  '',
  '    public function __construct(float $radius, private int $id = 0)',
  '    {',
  '        $this->radius = $radius;',
  '        parent::__construct();',
  '    }',
  '',
  '    /** Area. */',
  '    public function area(): float',
  '    {',
  '        $r = $this->radius;',
  '        $this->log("area");',
  '        $this->repo->save($r);',
  '        $c = new Circle(2.0);',
  '        $twice = fn($y) => $y * 2;',
  '        Str::upper($r);',
  '        return self::PI * $r * $r;',
  '    }',
  '}',
  'interface Named extends Base',
  '{',
  '    public function name(): string;',
  '}',
  'trait HasArea {}',
  'enum Suit: string',
  '{',
  "    case Hearts = 'H';",
  '}',
  'function helper(int $a, $b = null): int',
  '{',
  '    return strlen($a) + $b;',
  '}',
].join('\n');

describe('php extraction', () => {
  it('extracts the namespace and definitions with their parents', async () => {
    const syntax = await extractFile('Circle.php', SOURCE);
    expect(syntax.packageName).toBe('App\\Models');
    expect(defsOf(syntax)).toEqual([
      'class Circle -1',
      'constant PI 0',
      'field radius 0',
      'method __construct 0',
      'parameter radius 3',
      'parameter id 3',
      'method area 0',
      'variable r 6',
      'variable c 6',
      'function twice 6',
      'parameter y 9',
      'interface Named -1',
      'method name 11',
      'trait HasArea -1',
      'enum Suit -1',
      'constant Hearts 14',
      'function helper -1',
      'parameter a 16',
      'parameter b 16',
    ]);
    const circle = syntax.defs[0]!;
    expect(circle.extends).toEqual(['Base']);
    expect(circle.implements).toEqual(['Shape', '\\JsonSerializable', 'HasArea']);
    expect(circle.doc).toBe('A circle.');
    expect(syntax.defs.find((d) => d.name === 'area')?.doc).toBe('Area.');
    expect(syntax.defs.find((d) => d.name === 'area')?.returnTypeText).toBe('float');
    expect(syntax.defs.find((d) => d.name === 'radius' && d.kind === 'field')?.typeText).toBe('float');
    expect(syntax.defs.find((d) => d.name === 'Named')?.extends).toEqual(['Base']);
    expect(syntax.defs.find((d) => d.name === 'a')?.typeText).toBe('int');
  });

  it('extracts calls with receivers and constructor calls', async () => {
    const syntax = await extractFile('Circle.php', SOURCE);
    expect(
      syntax.calls.map(
        (c) => `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver?.kind ?? '-'}:${c.receiver?.name ?? ''}`,
      ),
    ).toEqual([
      '__construct:name:parent',
      'log:this:',
      'save:this-member:repo',
      'new Circle:-:',
      'upper:name:Str',
      'strlen:-:',
    ]);
    expect(syntax.calls.find((c) => c.name === 'save')?.args[0]?.identifiers.map((i) => i.name)).toEqual([
      'r',
    ]);
  });

  it('reads use declarations as imports, and flows', async () => {
    const syntax = await extractFile('Circle.php', SOURCE);
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join()}`),
    ).toEqual(['App\\Contracts:Shape>Shape', 'App\\Util:Str>Str,Arr>A', 'Foo:Bar>Baz']);
    const member = syntax.assigns.find((a) => a.member);
    expect(member?.name).toBe('radius');
    expect(member?.value.identifiers.map((i) => i.name)).toEqual(['radius']);
    expect(syntax.assigns.map((a) => a.name)).toEqual(expect.arrayContaining(['r', 'c', 'radius']));
    expect(
      syntax.returns.map(
        (r) => `${syntax.defs[r.scope]?.name}:${r.value.identifiers.map((i) => i.name).join()}`,
      ),
    ).toEqual(['twice:y', 'area:r,r', 'helper:b']);
  });

  it('keeps definitions of a file with a syntax error', async () => {
    const syntax = await extractFile(
      'broken.php',
      '<?php\nfunction ok() { return 1; }\nfunction bad( { }\nclass C { public function m() {} }\n',
    );
    expect(defsOf(syntax)).toEqual(['function ok -1', 'function bad -1', 'class C -1', 'method m 2']);
    expect(syntax.diagnostics.map((d) => d.code)).toContain('PARSE_SYNTAX_ERROR');
  });
});
