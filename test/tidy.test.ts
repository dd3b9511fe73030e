/**
 * @module test/tidy
 * Repository hygiene: every source file starts with a module doc comment, file names are kebab-case, and every
 * layer has a README.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('tidy', () => {
  const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'test'))];

  it('starts every source file with a module doc comment', () => {
    const missing = files.filter((file) => {
      const text = readFileSync(file, 'utf8').replace(/^#!.*\n/, '');
      return !/^\/\*\*[\s\S]*?@module [\w/.-]+[\s\S]*?\*\//.test(text);
    });
    expect(missing.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('names files in kebab-case', () => {
    const bad = files.filter(
      (file) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.test)?\.ts$/.test(file.slice(file.lastIndexOf('/') + 1)),
    );
    expect(bad.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('gives every layer a README', () => {
    const layers = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter(
      (e) => e.isDirectory() && e.name !== 'bin',
    );
    const missing = layers.filter((layer) => !existsSync(join(ROOT, 'src', layer.name, 'README.md')));
    expect(missing.map((layer) => layer.name)).toEqual([]);
  });
});
