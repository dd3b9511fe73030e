/**
 * @module engine/policy-store.test
 * The policy's JSON: one line per remembered task, and it reads back as the same policy.
 */
import { describe, expect, it } from 'vitest';
import { emptyPolicy, parsePolicy } from '../retrieve/index.js';
import { policyText } from './policy-store.js';

describe('policyText', () => {
  it('writes each remembered task on one line and reads back the same policy', () => {
    const tasks = [
      { terms: ['router', 'wildcard'], files: ['src/router.ts'], source: 'history', at: 1, key: 'abc' },
      { terms: ['cookie'], files: ['src/cookie.ts', 'src/util.ts'], source: 'explicit', at: 2 },
    ];
    for (const memory of [undefined, { tasks: [], weight: 1 }, { tasks, weight: 2 }]) {
      const policy = {
        ...emptyPolicy(3),
        files: { 'a.ts': { value: 1, count: 1, at: 5 } },
        ...(memory ? { memory } : {}),
      };
      const text = policyText(policy);
      expect(parsePolicy(JSON.parse(text))).toEqual(policy);
      expect(text.endsWith('}\n')).toBe(true);
    }
    const lines = policyText({ ...emptyPolicy(1), memory: { tasks, weight: 2 } }).split('\n');
    expect(lines.filter((line) => line.includes('"terms"'))).toEqual([
      '   {"terms":["router","wildcard"],"files":["src/router.ts"],"source":"history","at":1,"key":"abc"},',
      '   {"terms":["cookie"],"files":["src/cookie.ts","src/util.ts"],"source":"explicit","at":2}',
    ]);
  });
});
