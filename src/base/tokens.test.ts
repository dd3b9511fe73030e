/**
 * @module base/tokens.test
 * Identifier splitting and code tokens.
 */
import { describe, expect, it } from 'vitest';
import { codeTokens, splitIdentifier } from './tokens.js';

describe('splitIdentifier', () => {
  it('splits camelCase, PascalCase, acronyms, snake_case, digits', () => {
    expect(splitIdentifier('getUserById')).toEqual(['get', 'user', 'by', 'id']);
    expect(splitIdentifier('HTTPServer2')).toEqual(['http', 'server', '2']);
    expect(splitIdentifier('parse_file_graph')).toEqual(['parse', 'file', 'graph']);
    expect(splitIdentifier('__init__')).toEqual(['init']);
    expect(splitIdentifier('kebab-case.name')).toEqual(['kebab', 'case', 'name']);
  });
});

describe('codeTokens', () => {
  it('keeps the whole identifier and adds its parts', () => {
    expect(codeTokens('resolveWorkspace(files)')).toEqual([
      'resolveworkspace',
      'resolve',
      'workspace',
      'files',
    ]);
    expect(codeTokens('How are user ids parsed?')).toEqual(['how', 'are', 'user', 'ids', 'parsed']);
    expect(codeTokens('')).toEqual([]);
  });
});
