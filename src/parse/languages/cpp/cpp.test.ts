/**
 * @module parse/languages/cpp/cpp.test
 * C++ extraction: namespaces, classes with bases, in-class and out-of-class methods, templates, lambdas,
 * calls through objects, pointers and scopes, `new`, includes and `using`, and broken source.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../syntax.js';

function defsOf(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

const SOURCE = [
  '#include <vector>',
  '#include "shape.hpp"',
  'using std::string;',
  'using namespace geo;',
  'namespace fs = std::filesystem;',
  'namespace app {',
  '/// A shape.',
  'class Shape : public Base, private Other<int> {',
  'public:',
  '  Shape(int w) : w_(w) {}',
  '  virtual ~Shape();',
  '  virtual double area() const = 0;',
  '  int width() const { return w_; }',
  'private:',
  '  int w_ = 0;',
  '};',
  '/// Larger of two.',
  'template <typename T>',
  'T maxOf(T a, T b) { return a > b ? a : b; }',
  'using Ints = std::vector<int>;',
  '}',
  'void Shape::draw(Canvas& c) {',
  '  auto twice = [](int k) { return k * 2; };',
  '  Shape* s = new Shape(3);',
  '  s->area();',
  '  this->width();',
  '  c.paint(twice(1));',
  '  app::maxOf<int>(1, 2);',
  '  this->w_ = helper(1);',
  '}',
].join('\n');

describe('cpp extraction', () => {
  it('extracts namespaces, classes, methods and templates', async () => {
    const syntax = await extractFile('shape.cpp', SOURCE);
    expect(defsOf(syntax)).toEqual([
      'namespace app -1',
      'class Shape 0',
      'method Shape 1',
      'parameter w 2',
      'method ~Shape 1',
      'method area 1',
      'method width 1',
      'field w_ 1',
      'function maxOf 0',
      'parameter a 8',
      'parameter b 8',
      'type_alias Ints 0',
      'method draw -1',
      'parameter c 12',
      'function twice 12',
      'parameter k 14',
      'variable s 12',
    ]);
    const shape = syntax.defs[1]!;
    expect(shape.extends).toEqual(['Base', 'Other<int>']);
    expect(shape.doc).toBe('A shape.');
    expect(syntax.defs.find((d) => d.name === 'maxOf')?.doc).toBe('Larger of two.');
    const draw = syntax.defs.find((d) => d.name === 'draw');
    expect(draw?.receiverType).toBe('Shape');
    expect(draw?.signature).toBe('void Shape::draw(Canvas& c)');
    expect(syntax.defs.find((d) => d.name === 'c')?.typeText).toBe('Canvas');
    expect(syntax.defs.find((d) => d.name === 's')?.initType).toBe('Shape');
  });

  it('extracts calls with receivers, constructor calls and flows', async () => {
    const syntax = await extractFile('shape.cpp', SOURCE);
    expect(
      syntax.calls.map(
        (c) => `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver?.kind ?? '-'}:${c.receiver?.name ?? ''}`,
      ),
    ).toEqual([
      'new Shape:-:',
      'area:name:s',
      'width:this:',
      'paint:name:c',
      'twice:-:',
      'maxOf:name:app',
      'helper:-:',
    ]);
    const member = syntax.assigns.find((a) => a.member);
    expect(member?.name).toBe('w_');
    expect(member?.value.calls.map((i) => syntax.calls[i]?.name)).toEqual(['helper']);
    expect(syntax.returns.map((r) => syntax.defs[r.scope]?.name)).toEqual(['width', 'maxOf', 'twice']);
  });

  it('reads includes and using declarations as imports', async () => {
    const syntax = await extractFile('shape.cpp', SOURCE);
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join()}`),
    ).toEqual(['vector:*>*', 'shape.hpp:*>*', 'std:string>string', 'geo:*>*', 'std::filesystem:*>fs']);
  });

  it('reads nested scopes, operators, member initializers and range loops', async () => {
    const source = [
      'struct Point : Base { int x = 0; bool operator==(const Point& o) const; };',
      'double geo::Shape::area() const { return 0; }',
      'bool Point::operator==(const Point& o) const { return x == o.x; }',
      'int main() { for (auto& p : points) { use(p); } return a::b::c(1); }',
    ].join('\n');
    const syntax = await extractFile('m.cpp', source);
    expect(syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent} ${d.receiverType ?? ''}`)).toEqual([
      'struct Point -1 ',
      'field x 0 ',
      'method operator== 0 ',
      'parameter o 2 ',
      'method area -1 Shape',
      'method operator== -1 Point',
      'parameter o 5 ',
      'function main -1 ',
      'variable p 7 ',
    ]);
    expect(syntax.defs[0]?.extends).toEqual(['Base']);
    expect(
      syntax.assigns.map((a) => `${a.name}@${a.scope}<-${a.value.identifiers.map((i) => i.name).join()}`),
    ).toEqual(expect.arrayContaining(['x@0<-', 'p@7<-points']));
    expect(syntax.calls.map((c) => `${c.name}:${c.receiver?.text ?? ''}`)).toEqual(['use:', 'c:b']);
  });

  it('keeps definitions of a file with a syntax error', async () => {
    const syntax = await extractFile(
      'broken.cpp',
      'class A {\n  void f() { int x = ; }\n};\nint g() { return 0; }\n',
    );
    expect(defsOf(syntax)).toEqual(['class A -1', 'method f 0', 'variable x 1', 'function g -1']);
    expect(syntax.diagnostics.map((d) => d.code)).toContain('PARSE_SYNTAX_ERROR');
  });
});
