/**
 * @module parse/languages/ruby/ruby.test
 * Ruby extraction: classes, modules, methods, parameters, blocks, constants, calls with receivers and
 * `Foo.new`, `require`, flows, doc comments, and broken source.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../syntax.js';

function defsOf(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

const SOURCE = [
  "require 'json'",
  'require_relative "lib/util"',
  '# Greets people.',
  'module Greeting',
  '  VERSION = "1.0"',
  '  # A greeter.',
  '  class Greeter < Base::Thing',
  '    include Comparable',
  '    def initialize(name, greeting = "hi", *rest, key:, **opts, &blk)',
  '      @name = name',
  '      super(name)',
  '    end',
  '',
  '    def self.create(name)',
  '      new(name)',
  '    end',
  '',
  '    def greet',
  '      msg = format(@name)',
  '      @logger.info("greeted")',
  '      self.log(msg)',
  '      items.each { |x| handle(x) }',
  '      other = Greeter.new("a")',
  '      msg',
  '    end',
  '  end',
  '',
  '  def helper(v) = v * 2',
  'end',
  'g = Greeting::Greeter.new "bob"',
  'g.greet',
  'def top; end',
].join('\n');

describe('ruby extraction', () => {
  it('extracts classes, modules, methods and their parts', async () => {
    const syntax = await extractFile('greeting.rb', SOURCE);
    expect(defsOf(syntax)).toEqual([
      'module Greeting -1',
      'constant VERSION 0',
      'class Greeter 0',
      'method initialize 2',
      'parameter name 3',
      'parameter greeting 3',
      'parameter rest 3',
      'parameter key 3',
      'parameter opts 3',
      'parameter blk 3',
      'method create 2',
      'parameter name 10',
      'method greet 2',
      'variable msg 12',
      'lambda <lambda> 12',
      'parameter x 14',
      'variable other 12',
      'method helper 0',
      'parameter v 17',
      'variable g -1',
      'function top -1',
    ]);
    const greeter = syntax.defs[2]!;
    expect(greeter.extends).toEqual(['Base::Thing']);
    expect(greeter.implements).toEqual(['Comparable']);
    expect(greeter.doc).toBe('A greeter.');
    expect(greeter.signature).toBe('class Greeter < Base::Thing');
    expect(syntax.defs[0]?.doc).toBe('Greets people.');
    expect(greeter.exported).toBe(true);
  });

  it('extracts calls with receivers and constructor calls', async () => {
    const syntax = await extractFile('greeting.rb', SOURCE);
    expect(
      syntax.calls.map(
        (c) => `${c.isNew ? 'new ' : ''}${c.name}:${c.receiver?.kind ?? '-'}:${c.receiver?.name ?? ''}`,
      ),
    ).toEqual([
      'require:-:',
      'require_relative:-:',
      'include:-:',
      'super:-:',
      'new:-:',
      'format:-:',
      'info:this-member:logger',
      'log:this:',
      'each:name:items',
      'handle:-:',
      'new Greeter:-:',
      'new Greeter:name:Greeting',
      'greet:name:g',
    ]);
    expect(syntax.calls.find((c) => c.name === 'handle')?.args[0]?.identifiers.map((i) => i.name)).toEqual([
      'x',
    ]);
  });

  it('reads requires as imports and values as flows', async () => {
    const syntax = await extractFile('greeting.rb', SOURCE);
    expect(
      syntax.imports.map((i) => `${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join()}`),
    ).toEqual(['json:*>*', 'lib/util:*>*']);
    expect(
      syntax.assigns.map((a) => `${a.name}<-${a.value.calls.map((i) => syntax.calls[i]?.name).join()}`),
    ).toEqual(expect.arrayContaining(['msg<-format', 'other<-Greeter', 'g<-Greeter']));
    // The last expression of a method (and the body of an endless method) is its return value.
    expect(
      syntax.returns.map(
        (r) => `${syntax.defs[r.scope]?.name}:${r.value.identifiers.map((i) => i.name).join()}`,
      ),
    ).toEqual(['initialize:', 'create:', 'greet:msg', 'helper:v']);
  });

  it('keeps definitions of a file with a syntax error', async () => {
    const syntax = await extractFile(
      'broken.rb',
      'class A\n  def ok\n    x = [1, 2,, 3]\n  end\n  def fine(y); end\nend\n',
    );
    expect(defsOf(syntax)).toEqual([
      'class A -1',
      'method ok 0',
      'variable x 1',
      'method fine 0',
      'parameter y 3',
    ]);
    expect(syntax.diagnostics.map((d) => d.code)).toContain('PARSE_SYNTAX_ERROR');
  });
});
