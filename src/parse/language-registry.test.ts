/**
 * @module parse/language-registry.test
 * Languages are found by file extension, and by `#!` line for files without one.
 */
import { describe, expect, it } from 'vitest';
import { detectLanguage, LANGUAGES } from './language-registry.js';

describe('language registry', () => {
  it.each([
    ['src/a.ts', 'typescript'],
    ['types/a.d.ts', 'typescript'],
    ['App.tsx', 'tsx'],
    ['lib/a.mjs', 'javascript'],
    ['Button.jsx', 'javascript'],
    ['pkg/__init__.py', 'python'],
    ['src/lib.rs', 'rust'],
    ['cmd/main.go', 'go'],
    ['src/main/java/App.java', 'java'],
    ['x.c', 'c'],
    ['x.h', 'c'],
    ['x.hpp', 'cpp'],
    ['Program.cs', 'csharp'],
    ['Rakefile.rake', 'ruby'],
    ['index.php', 'php'],
  ])('detects %s as %s', (path, id) => {
    expect(detectLanguage(path)?.id).toBe(id);
  });

  it.each([
    ['#!/usr/bin/env python3', 'python'],
    ['#!/usr/bin/python3.11', 'python'],
    ['#!/usr/bin/env node', 'javascript'],
    ['#!/usr/bin/env -S node --enable-source-maps', 'javascript'],
    ['#!/usr/bin/ruby', 'ruby'],
  ])('detects a script starting with %s', (line, id) => {
    expect(detectLanguage('bin/tool', line)?.id).toBe(id);
  });

  it('knows nothing of other files', () => {
    expect(detectLanguage('README.md')).toBeUndefined();
    expect(detectLanguage('bin/tool', '#!/bin/sh')).toBeUndefined();
  });

  it('registers twelve languages, seven with full support', () => {
    expect(LANGUAGES).toHaveLength(12);
    expect(LANGUAGES.filter((l) => l.support === 'full').map((l) => l.id)).toEqual([
      'typescript',
      'tsx',
      'javascript',
      'python',
      'rust',
      'go',
      'java',
    ]);
  });
});
