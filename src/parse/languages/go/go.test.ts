/**
 * @module parse/languages/go/go.test
 * Go extraction: package, definitions (functions, methods with receivers, struct and interface types),
 * calls with receivers, composite literals, imports, export by capitalisation, doc comments and flows.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../syntax.js';
import { assumedPackageName } from './adapter.js';

function defLines(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

function flowText(flow: { identifiers: { name: string }[]; calls: number[] }): string {
  return `${flow.identifiers.map((i) => i.name).join(',')}|${flow.calls.join(',')}`;
}

describe('go extraction', () => {
  it('extracts the seed example', async () => {
    const source = [
      'package main',
      '',
      'func add(a, b int) int {',
      '\treturn a + b',
      '}',
      '',
      'func main() {',
      '\tc := add(1, 2)',
      '\t_ = c',
      '}',
      '',
    ].join('\n');
    const syntax = await extractFile('main.go', source);
    expect(syntax.packageName).toBe('main');
    expect(defLines(syntax)).toEqual([
      'function add -1',
      'parameter a 0',
      'parameter b 0',
      'function main -1',
      'variable c 3',
    ]);
    expect(syntax.defs[0]).toMatchObject({
      signature: 'func add(a, b int) int',
      returnTypeText: 'int',
      exported: false,
    });
    expect(syntax.defs.filter((d) => d.kind === 'parameter').map((d) => d.typeText)).toEqual(['int', 'int']);
    expect(syntax.calls.map((c) => `${c.name} ${c.scope}`)).toEqual(['add 3']);
    expect(syntax.returns.map((r) => `${r.scope}:${flowText(r.value)}`)).toEqual(['0:a,b|']);
    // `_ = c` assigns nothing.
    expect(syntax.assigns.map((a) => `${a.name}@${a.scope}<-${flowText(a.value)}`)).toEqual(['c@3<-|0']);
    expect(syntax.diagnostics).toEqual([]);
  });

  it('reads types, methods with receivers and embedded types', async () => {
    const source = [
      'package server',
      '',
      '// Server serves requests.',
      '//go:generate stringer',
      'type Server struct {',
      '\tName string',
      '\t*Base',
      '\tio.Reader',
      '\tport, host int',
      '}',
      '',
      'type Handler interface {',
      '\tio.Closer',
      '\tServe(port int) (n int, err error)',
      '}',
      '',
      'type ID int',
      'type Alias = string',
      '',
      '// NewServer makes one.',
      'func NewServer(name string, opts ...Option) *Server {',
      '\treturn &Server{Name: name}',
      '}',
      '',
      'func (s *Server) Start(port int) error {',
      '\ts.port = port',
      '\treturn nil',
      '}',
      '',
      'func (Server) Stop() {}',
      '',
      'func (s *Stack[T]) Push(v T) {}',
    ].join('\n');
    const syntax = await extractFile('server.go', source);
    expect(defLines(syntax)).toEqual([
      'struct Server -1',
      'field Name 0',
      'field port 0',
      'field host 0',
      'interface Handler -1',
      'method Serve 4',
      'parameter port 5',
      'parameter n 5',
      'parameter err 5',
      'type_alias ID -1',
      'type_alias Alias -1',
      'function NewServer -1',
      'parameter name 11',
      'parameter opts 11',
      'method Start -1',
      'parameter s 14',
      'parameter port 14',
      'method Stop -1',
      'method Push -1',
      'parameter s 18',
      'parameter v 18',
    ]);
    const def = (name: string, kind?: string) =>
      syntax.defs.find((d) => d.name === name && (kind === undefined || d.kind === kind));
    expect(def('Server')).toMatchObject({
      doc: 'Server serves requests.',
      exported: true,
      extends: ['Base', 'io.Reader'],
      signature: 'Server struct',
    });
    expect(def('Name')).toMatchObject({ typeText: 'string', exported: true });
    expect(def('host')).toMatchObject({ typeText: 'int', exported: false });
    expect(def('Handler')).toMatchObject({ kind: 'interface', extends: ['io.Closer'], exported: true });
    expect(def('Serve')).toMatchObject({ returnTypeText: '(n int, err error)', exported: true });
    expect(def('ID')).toMatchObject({ typeText: 'int', exported: true });
    expect(def('NewServer')).toMatchObject({
      doc: 'NewServer makes one.',
      returnTypeText: '*Server',
      exported: true,
    });
    expect(def('Start')).toMatchObject({
      kind: 'method',
      receiverType: 'Server',
      returnTypeText: 'error',
      exported: true,
    });
    expect(def('Stop')).toMatchObject({ kind: 'method', receiverType: 'Server' });
    expect(def('Push')).toMatchObject({ kind: 'method', receiverType: 'Stack', exported: true });
    // The receiver is a typed parameter, so that `s.port` can be typed by the graph builder.
    expect(def('s')).toMatchObject({ kind: 'parameter', typeText: '*Server', exported: false });
    expect(syntax.calls).toHaveLength(1);
    expect(syntax.calls[0]).toMatchObject({ name: 'Server', isNew: true, scope: 11 });
    expect(syntax.calls[0]?.args.map(flowText)).toEqual(['Name,name|']);
    expect(syntax.returns.find((r) => r.scope === 11)?.value.calls).toEqual([0]);
    expect(syntax.refs.some((r) => r.role === 'type' && r.name === 'Option')).toBe(true);
    expect(syntax.refs.some((r) => r.role === 'type' && r.name === 'io.Reader')).toBe(true);
  });

  it('classifies call receivers and composite literals', async () => {
    const source = [
      'package main',
      '',
      'func run(s *Server) {',
      '\ts.Start(80)',
      '\ts.handler.Serve(1)',
      '\tfmt.Println(s.Name)',
      '\tp := &Server{}',
      '\tq := pkg.Config{Port: 1}',
      '\tr := NewServer()',
      '\tlist := List[int]{}',
      '\tf := func(x int) int { return x + 1 }',
      '\tf(2)',
      '}',
    ].join('\n');
    const syntax = await extractFile('main.go', source);
    const calls = syntax.calls.map(
      (c) =>
        `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver ? `${c.receiver.kind}(${c.receiver.name ?? c.receiver.text})` : '-'}`,
    );
    expect(calls).toEqual([
      'Start:name(s)',
      'Serve:expr(s.handler)',
      'Println:name(fmt)',
      'new Server:-',
      'new Config:name(pkg)',
      'NewServer:-',
      'new List:-',
      'f:-',
    ]);
    const def = (name: string) => syntax.defs.find((d) => d.name === name);
    expect(def('p')?.initType).toBe('Server');
    expect(def('q')?.initType).toBe('pkg.Config');
    expect(def('list')?.initType).toBe('List');
    // A function literal bound by `:=` becomes a function with the variable's name.
    const f = syntax.defs.findIndex((d) => d.name === 'f');
    expect(syntax.defs[f]).toMatchObject({ kind: 'function', returnTypeText: 'int', parent: 0 });
    expect(syntax.defs.filter((d) => d.parent === f).map((d) => `${d.kind} ${d.name} ${d.typeText}`)).toEqual(
      ['parameter x int'],
    );
    expect(syntax.returns.find((r) => r.scope === f)?.value.identifiers.map((i) => i.name)).toEqual(['x']);
  });

  it('reads imports', async () => {
    const source = [
      'package main',
      '',
      'import "fmt"',
      'import (',
      '\t"net/http"',
      '\tstr "strings"',
      '\t_ "embed"',
      '\t. "math"',
      '\t"github.com/x/y/v2"',
      '\t"gopkg.in/yaml.v3"',
      ')',
    ].join('\n');
    const syntax = await extractFile('main.go', source);
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join(',')}`),
    ).toEqual([
      'fmt:*>fmt',
      'net/http:*>http',
      'strings:*>str',
      'embed:',
      'math:*>*',
      'github.com/x/y/v2:*>y',
      'gopkg.in/yaml.v3:*>yaml',
    ]);
    expect(syntax.imports.every((i) => !i.reexport)).toBe(true);
    expect(syntax.imports[1]?.range.start).toEqual({ line: 4, character: 1 });
    expect(assumedPackageName('github.com/mattn/go-sqlite3')).toBe('sqlite3');
  });

  it('reads variables, constants and assignments', async () => {
    const source = [
      'package main',
      '',
      'const Max = 10',
      'const (',
      '\tA, B = 1, 2',
      '\tC int = 3',
      ')',
      'var (',
      '\tw int',
      '\tu, t = load()',
      ')',
      '',
      'func g() {',
      '\ta, err := load()',
      '\tx, y := a, err',
      '\tx, y = y, x',
      '\tx += 1',
      '\tfor i, k := range items {',
      '\t}',
      '\t_, e := load()',
      '}',
    ].join('\n');
    const syntax = await extractFile('main.go', source);
    expect(defLines(syntax)).toEqual([
      'constant Max -1',
      'constant A -1',
      'constant B -1',
      'constant C -1',
      'variable w -1',
      'variable u -1',
      'variable t -1',
      'function g -1',
      'variable a 7',
      'variable err 7',
      'variable x 7',
      'variable y 7',
      'variable i 7',
      'variable k 7',
      'variable e 7',
    ]);
    const def = (name: string) => syntax.defs.find((d) => d.name === name);
    expect(def('Max')?.exported).toBe(true);
    expect(def('C')?.typeText).toBe('int');
    expect(def('w')).toMatchObject({ typeText: 'int', exported: false });
    expect(syntax.assigns.map((a) => `${a.name}<-${flowText(a.value)}`)).toEqual([
      'Max<-|',
      'C<-|',
      'A<-|',
      'B<-|',
      'u<-|0',
      't<-|0',
      'a<-|1',
      'err<-|1',
      'x<-a|',
      'y<-err|',
      'x<-y|',
      'y<-x|',
      'x<-|',
      'e<-|2',
    ]);
  });

  it('skips parameters of function types and members of anonymous types', async () => {
    const source = [
      'package p',
      '',
      'type H struct {',
      '\tHandle func(w int, r string) error',
      '}',
      '',
      'var cfg struct{ Port int }',
      '',
      'func Map(xs []int, fn func(x int) int) (out []int) { return }',
      '',
      'func TestMap(t *testing.T) {',
      '\ttests := []struct{ name string }{{name: "a"}}',
      '\tvar i interface{ M(q int) }',
      '}',
    ].join('\n');
    const syntax = await extractFile('p_test.go', source);
    expect(defLines(syntax)).toEqual([
      'struct H -1',
      'field Handle 0',
      'variable cfg -1',
      'function Map -1',
      'parameter xs 3',
      'parameter fn 3',
      'parameter out 3',
      'function TestMap -1',
      'parameter t 7',
      'variable tests 7',
      'variable i 7',
    ]);
    expect(syntax.defs.find((d) => d.name === 'Handle')?.typeText).toBe('func(w int, r string) error');
  });

  it('reads calls with explicit type arguments and interface type sets', async () => {
    const source = [
      'package p',
      '',
      'type Number interface {',
      '\t~int | ~float64',
      '}',
      '',
      'type RW interface {',
      '\tio.Reader',
      '\tWriter',
      '}',
      '',
      'func g(xs []int) {',
      '\ta := Map[int, string](xs, f)',
      '\tb := Empty[int]()',
      '\tc := lo.Filter[int](xs, pred)',
      '\td := Ident[int](x)',
      '\te := pkg.Conv[int, string](y)',
      '\th := fns[0](x)',
      '\tk := []byte(s)',
      '}',
    ].join('\n');
    const syntax = await extractFile('p.go', source);
    const def = (name: string) => syntax.defs.find((d) => d.name === name);
    expect(def('Number')).toMatchObject({ kind: 'interface', extends: [] });
    expect(def('RW')).toMatchObject({ kind: 'interface', extends: ['io.Reader', 'Writer'] });
    expect(
      syntax.calls.map(
        (c) =>
          `${c.name}:${c.receiver?.name ?? '-'}:${c.calleeText}:${c.args.map((a) => a.identifiers.map((i) => i.name).join()).join('|')}`,
      ),
    ).toEqual([
      'Map:-:Map:xs|f',
      'Empty:-:Empty:',
      'Filter:lo:lo.Filter:xs|pred',
      // With one argument the grammar reads a conversion to a generic type: the call has no argument list.
      'Ident:-:Ident:',
      'Conv:pkg:pkg.Conv:',
    ]);
    expect(syntax.diagnostics).toEqual([]);
  });

  it('keeps definitions of a file with syntax errors', async () => {
    const source = [
      'package p',
      'type S struct { A int }',
      'func (s *S) Run( {',
      '\treturn',
      '}',
      'func Ok() int { return 1 }',
      '',
    ].join('\n');
    const syntax = await extractFile('p.go', source);
    expect(syntax.packageName).toBe('p');
    expect(syntax.defs.map((d) => d.name)).toEqual(expect.arrayContaining(['S', 'A', 'Ok']));
    expect(syntax.defs.find((d) => d.name === 'Ok')).toMatchObject({
      kind: 'function',
      exported: true,
      parent: -1,
    });
    expect(syntax.diagnostics.length).toBeGreaterThan(0);
    expect(syntax.diagnostics.every((d) => d.code === 'PARSE_SYNTAX_ERROR')).toBe(true);
  });
});
