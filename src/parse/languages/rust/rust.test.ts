/**
 * @module parse/languages/rust/rust.test
 * Rust extraction: definitions (items, impl blocks, traits, modules), calls with receivers, `use` trees,
 * visibility, doc comments and flows.
 */
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../../test/support/parser.js';
import type { FileSyntax } from '../../syntax.js';

function defLines(syntax: FileSyntax): string[] {
  return syntax.defs.map((d) => `${d.kind} ${d.name} ${d.parent}`);
}

function importLines(syntax: FileSyntax): string[] {
  return syntax.imports.map(
    (i) =>
      `${i.reexport ? 'pub ' : ''}${i.source}:${i.bindings.map((b) => `${b.imported}>${b.local}`).join(',')}`,
  );
}

describe('rust extraction', () => {
  it('extracts the seed example', async () => {
    const source = [
      'fn add(a: i32, b: i32) -> i32 {',
      '    a + b',
      '}',
      'fn main() {',
      '    let c = add(1, 2);',
      '}',
      '',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(defLines(syntax)).toEqual([
      'function add -1',
      'parameter a 0',
      'parameter b 0',
      'function main -1',
      'variable c 3',
    ]);
    expect(syntax.defs[0]).toMatchObject({
      signature: 'fn add(a: i32, b: i32) -> i32',
      returnTypeText: 'i32',
      exported: false,
    });
    expect(syntax.defs[1]?.typeText).toBe('i32');
    expect(syntax.calls.map((c) => `${c.name} ${c.scope}`)).toEqual(['add 3']);
    // The tail expression of a function with a return type is its returned value.
    expect(
      syntax.returns.map((r) => `${r.scope}:${r.value.identifiers.map((i) => i.name).join(',')}`),
    ).toEqual(['0:a,b']);
    expect(syntax.assigns.map((a) => `${a.name}@${a.scope}<-call${a.value.calls.join()}`)).toEqual([
      'c@3<-call0',
    ]);
    expect(syntax.diagnostics).toEqual([]);
  });

  it('reads structs, enums, traits and impl blocks', async () => {
    const source = [
      '/// A point.',
      '#[derive(Debug, Clone)]',
      'pub struct Point<T> {',
      '    pub x: i32,',
      '    y: Vec<T>,',
      '}',
      'pub enum Shape { Circle(f64), Empty = 3 }',
      'pub trait Area: Display + Into<String> {',
      '    fn area(&self) -> f64;',
      '    fn name(&self) -> String { String::new() }',
      '}',
      'impl<T> Point<T> {',
      '    /// Makes one.',
      '    pub fn new(x: i32, y: Vec<T>) -> Self {',
      '        Point { x, y }',
      '    }',
      '    fn helper(&self) {}',
      '}',
      'impl Area for Shape {',
      '    fn area(&self) -> f64 { 0.0 }',
      '}',
      "impl<'a> From<&'a str> for &'a mut Wrapper<'a> {}",
      'const MAX: u32 = 10;',
      'pub static NAME: &str = "n";',
      'pub type Map = HashMap<String, i32>;',
      'mod outer;',
      'pub(crate) mod inner {',
      '    //! Inner module.',
      '    pub fn f() {}',
      '}',
      'macro_rules! square { ($x:expr) => { $x * $x }; }',
    ].join('\n');
    const syntax = await extractFile('src/lib.rs', source);
    expect(defLines(syntax)).toEqual([
      'struct Point -1',
      'field x 0',
      'field y 0',
      'enum Shape -1',
      'constant Circle 3',
      'constant Empty 3',
      'trait Area -1',
      'method area 6',
      'method name 6',
      'impl Point -1',
      'method new 9',
      'parameter x 10',
      'parameter y 10',
      'method helper 9',
      'impl Shape -1',
      'method area 14',
      'impl Wrapper -1',
      'constant MAX -1',
      'constant NAME -1',
      'type_alias Map -1',
      'module outer -1',
      'module inner -1',
      'function f 21',
      'function square -1',
    ]);
    const byName = (kind: string, name: string, parent?: number) =>
      syntax.defs.find(
        (d) => d.kind === kind && d.name === name && (parent === undefined || d.parent === parent),
      );
    expect(byName('struct', 'Point')).toMatchObject({
      doc: 'A point.',
      exported: true,
      signature: 'pub struct Point<T>',
    });
    expect(byName('field', 'x')).toMatchObject({ typeText: 'i32', exported: true });
    expect(byName('field', 'y')).toMatchObject({ typeText: 'Vec<T>', exported: false });
    expect(byName('constant', 'Circle')?.exported).toBe(true);
    expect(byName('trait', 'Area')).toMatchObject({
      extends: expect.arrayContaining(['Display', 'Into']) as unknown,
      exported: true,
    });
    expect(byName('trait', 'Area')?.extends).toHaveLength(2);
    expect(byName('method', 'area', 6)).toMatchObject({ returnTypeText: 'f64', exported: true });
    expect(byName('impl', 'Point')).toMatchObject({
      receiverType: 'Point',
      implements: [],
      signature: 'impl<T> Point<T>',
    });
    expect(byName('method', 'new')).toMatchObject({
      receiverType: 'Point',
      returnTypeText: 'Self',
      doc: 'Makes one.',
      exported: true,
    });
    expect(byName('method', 'helper')).toMatchObject({ receiverType: 'Point', exported: false });
    expect(byName('impl', 'Shape')).toMatchObject({ receiverType: 'Shape', implements: ['Area'] });
    expect(byName('method', 'area', 14)).toMatchObject({ receiverType: 'Shape', exported: true });
    expect(byName('impl', 'Wrapper')).toMatchObject({
      receiverType: 'Wrapper',
      implements: ["From<&'a str>"],
    });
    expect(byName('constant', 'MAX')).toMatchObject({ typeText: 'u32', exported: false });
    expect(byName('constant', 'NAME')).toMatchObject({ typeText: '&str', exported: true });
    expect(byName('type_alias', 'Map')).toMatchObject({ typeText: 'HashMap<String, i32>', exported: true });
    expect(byName('module', 'outer')?.exported).toBe(false);
    expect(byName('module', 'inner')).toMatchObject({ doc: 'Inner module.', exported: true });
    // `Point { x, y }` constructs a Point; the impl's tail expression is the method's return.
    const construct = syntax.calls.find((c) => c.isNew);
    expect(construct).toMatchObject({ name: 'Point', scope: 10 });
    expect(construct?.args.map((a) => a.identifiers.map((i) => i.name).join())).toEqual(['x', 'y']);
    expect(syntax.returns.find((r) => r.scope === 10)?.value.calls).toEqual([
      syntax.calls.indexOf(construct!),
    ]);
    expect(syntax.refs.some((r) => r.role === 'type' && r.name === 'HashMap')).toBe(true);
  });

  it('classifies call receivers and macro calls', async () => {
    const source = [
      'impl Counter {',
      '    fn bump(&mut self, by: u32) {',
      '        self.count += by;',
      '        self.log(by);',
      '        self.inner.flush();',
      '        let mut v = Vec::new();',
      '        v.push(by);',
      '        crate::util::trace(v.len());',
      '        self::local(1);',
      '        println!("{}", by);',
      '        parse::<u32>(by);',
      '        let f = |x: u32, y| x + y;',
      '        f(1, 2);',
      '    }',
      '}',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    const calls = syntax.calls.map(
      (c) => `${c.name}:${c.receiver ? `${c.receiver.kind}(${c.receiver.name ?? c.receiver.text})` : '-'}`,
    );
    expect(calls).toEqual([
      'log:this(self)',
      'flush:this-member(inner)',
      'new:name(Vec)',
      'push:name(v)',
      'trace:expr(crate::util)',
      'len:name(v)',
      'local:-',
      'println:-',
      'parse:-',
      'f:-',
    ]);
    expect(syntax.calls.find((c) => c.name === 'println')).toMatchObject({
      calleeText: 'println',
      isNew: false,
    });
    expect(
      syntax.calls
        .find((c) => c.name === 'println')
        ?.args.map((a) => a.identifiers.map((i) => i.name).join()),
    ).toEqual(['', 'by']);
    expect(syntax.calls.find((c) => c.name === 'trace')?.args[0]?.calls).toEqual([5]);
    expect(syntax.defs.find((d) => d.name === 'v')).toMatchObject({ kind: 'variable', initType: 'Vec' });
    // A closure bound by `let` becomes a function with the binding's name, with its parameters.
    const f = syntax.defs.findIndex((d) => d.name === 'f');
    expect(syntax.defs[f]?.kind).toBe('function');
    expect(
      syntax.defs.filter((d) => d.parent === f).map((d) => `${d.kind} ${d.name} ${d.typeText ?? ''}`),
    ).toEqual(['parameter x u32', 'parameter y ']);
    expect(syntax.returns.find((r) => r.scope === f)?.value.identifiers.map((i) => i.name)).toEqual([
      'x',
      'y',
    ]);
    expect(syntax.assigns.find((a) => a.name === 'count')).toMatchObject({ member: true });
    expect(syntax.assigns.find((a) => a.name === 'count')?.value.identifiers.map((i) => i.name)).toEqual([
      'by',
    ]);
  });

  it('reads use trees, extern crates and re-exports', async () => {
    const source = [
      'use crate::a::{b, c as d, e::*};',
      'use super::x;',
      'use self::y;',
      'pub use std::collections::HashMap;',
      'use std::io::{self, Read as R};',
      'use serde;',
      'use ::log::warn;',
      'use tokio::*;',
      'pub(crate) use a::b as _;',
      'extern crate core as kernel;',
      'use m::{self as n, p::{q::{r as s}}};',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(importLines(syntax)).toEqual([
      'crate::a:b>b,c>d',
      'crate::a::e:*>*',
      'super:x>x',
      'self:y>y',
      'pub std::collections:HashMap>HashMap',
      'std::io:self>io,Read>R',
      'serde:*>serde',
      'log:warn>warn',
      'tokio:*>*',
      'pub a:b>_',
      'core:*>kernel',
      'm:self>n',
      'm::p::q:r>s',
    ]);
    expect(syntax.imports[0]?.range.start).toEqual({ line: 0, character: 0 });
  });

  it('reads returns, assignments and bindings', async () => {
    const source = [
      'fn run(items: &[Item]) -> Option<u32> {',
      '    let (a, b) = split(items);',
      '    let mut total: u32 = 0;',
      '    for item in items {',
      '        total += item.size();',
      '    }',
      '    total = total * 2;',
      '    if total > 10 {',
      '        return Some(total);',
      '    }',
      '    None',
      '}',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(defLines(syntax)).toEqual([
      'function run -1',
      'parameter items 0',
      'variable a 0',
      'variable b 0',
      'variable total 0',
      'variable item 0',
    ]);
    expect(syntax.defs.find((d) => d.name === 'items')?.typeText).toBe('&[Item]');
    expect(syntax.defs.find((d) => d.name === 'total')?.typeText).toBe('u32');
    expect(
      syntax.assigns.map(
        (a) => `${a.name}<-${a.value.identifiers.map((i) => i.name).join(',')}|${a.value.calls.join(',')}`,
      ),
    ).toEqual(['total<-|', 'total<-|1', 'total<-total|']);
    expect(syntax.calls.map((c) => c.name)).toEqual(['split', 'size', 'Some']);
    expect(
      syntax.returns.map(
        (r) => `${r.scope}:${r.value.identifiers.map((i) => i.name).join(',')}|${r.value.calls.join(',')}`,
      ),
    ).toEqual(['0:|2', '0:None|']);
  });

  it('takes only outer doc comments as docs', async () => {
    const source = [
      '//! Crate doc.',
      'fn a() {}',
      '',
      '/**',
      ' * Block doc.',
      ' * More.',
      ' */',
      'fn b() {}',
      '// plain',
      '/// Doc c.',
      '#[inline]',
      'fn c() {}',
      '// only plain',
      'fn d() {}',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(syntax.defs.map((d) => `${d.name}:${d.doc ?? '-'}`)).toEqual([
      'a:-',
      'b:Block doc.\nMore.',
      'c:Doc c.',
      'd:-',
    ]);
  });

  it('reads doc comments among attributes, on fields, variants and closures', async () => {
    const source = [
      '/// A shape.',
      '',
      '// (a plain comment)',
      '#[derive(Debug)]',
      '/// More.',
      'pub enum Shape {',
      '    /// A circle.',
      '    Circle(f64),',
      '}',
      'pub struct P {',
      '    /// The x.',
      '    #[serde(default)]',
      '    pub x: i32,',
      '}',
      'fn g() {',
      '    /// Adds.',
      '    let add = |a: u8| a + 1;',
      '}',
      '//! Inner doc, not for h.',
      'fn h() {}',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(syntax.defs.map((d) => `${d.name}:${d.doc ?? '-'}`)).toEqual([
      'Shape:A shape.\nMore.',
      'Circle:A circle.',
      'P:-',
      'x:The x.',
      'g:-',
      'add:Adds.',
      'a:-',
      'h:-',
    ]);
  });

  it('takes identifiers where they are read, not path segments, lifetimes or labels', async () => {
    const source = [
      "fn f<'a>(x: &'a str, &r: &u8) -> usize {",
      '    let n = std::cmp::max(x.len(), LIMIT);',
      "    'outer: loop { break 'outer; }",
      '    let o = Ordering::Less;',
      '    let p = Point { n, y: r };',
      '    match o { Some(z) => z, MAX => parse::<u8>(n), _ => Self::zero() }',
      '}',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(syntax.refs.filter((r) => r.role === 'value').map((r) => r.name)).toEqual([
      'x',
      'LIMIT',
      'n',
      'r',
      'o',
      'Some',
      'z',
      'z',
      'MAX',
      'parse',
      'n',
    ]);
    expect(syntax.defs.find((d) => d.name === 'r')).toMatchObject({ kind: 'parameter', typeText: '&u8' });
    expect(syntax.calls.map((c) => `${c.name}:${c.receiver?.text ?? '-'}`)).toEqual([
      'max:std::cmp',
      'len:x',
      'Point:-',
      'parse:-',
      'zero:Self',
    ]);
  });

  it('keeps definitions of a file with syntax errors', async () => {
    const source = [
      'pub struct S { a: i32 }',
      'fn broken( { let x = ; }',
      'pub fn ok() -> i32 { 1 }',
      '',
    ].join('\n');
    const syntax = await extractFile('m.rs', source);
    expect(syntax.defs.map((d) => d.name)).toEqual(expect.arrayContaining(['S', 'a', 'broken', 'ok']));
    expect(syntax.defs.find((d) => d.name === 'ok')).toMatchObject({
      kind: 'function',
      exported: true,
      parent: -1,
    });
    expect(syntax.diagnostics.length).toBeGreaterThan(0);
    expect(syntax.diagnostics.every((d) => d.code === 'PARSE_SYNTAX_ERROR')).toBe(true);
  });
});
