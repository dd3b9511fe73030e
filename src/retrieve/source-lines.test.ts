/**
 * @module retrieve/source-lines.test
 * `SourceLines` reads the same lines as `split('\n')`, with `\r\n` ends, empty lines and a missing last newline.
 */
import { describe, expect, it } from 'vitest';
import { SourceLines } from './source-lines.js';

describe('SourceLines', () => {
  it.each(['', 'one', 'one\n', 'one\ntwo', 'one\n\nthree\n', 'a\r\nb\r\n\r\nd', '\n\n'])(
    'reads %j as split does',
    (text) => {
      const expected = text.replace(/\r\n/g, '\n').split('\n');
      const lines = new SourceLines(text);
      expect(lines.has(expected.length)).toBe(false);
      expect(lines.has(-1)).toBe(false);
      for (let first = 0; first < expected.length; first++) {
        expect(lines.has(first)).toBe(true);
        for (let last = first; last < expected.length; last++)
          expect(lines.slice(first, last)).toBe(expected.slice(first, last + 1).join('\n'));
      }
    },
  );

  it('reads nothing outside the text', () => {
    const lines = new SourceLines('one\ntwo');
    expect(lines.slice(5, 6)).toBe('');
    expect(lines.slice(1, 0)).toBe('');
  });
});
