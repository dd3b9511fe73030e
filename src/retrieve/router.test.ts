/**
 * @module retrieve/router.test
 * Routing queries by similarity to the routes' examples; routes from configuration.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, SemanticRouter } from './router.js';

describe('the semantic router', () => {
  const router = new SemanticRouter();
  it('routes each kind of question to its route', () => {
    expect(router.route('fix the crash when the cache file is empty').route.name).toBe('locate-bug');
    expect(router.route('where is validateToken defined').route.name).toBe('find-definition');
    expect(router.route('who calls saveUser').route.name).toBe('find-usages');
    expect(router.route('explain how the storage layer works').route.name).toBe('explain');
    expect(router.route('add an option to configure the retry count').route.name).toBe('implement');
  });
  it('falls back to the default route when nothing is similar', () => {
    expect(router.route('zebra').route).toBe(DEFAULT_ROUTE);
  });
  it('takes routes from configuration, replacing a built-in one by name', () => {
    const custom = new SemanticRouter([
      {
        name: 'security',
        description: 'Security review',
        examples: ['check for sql injection in queries'],
        rewards: { symbol: 0.1 },
      },
      { name: 'find-usages', description: 'mine', examples: ['usages please'] },
    ]);
    expect(custom.route('look for sql injection').route.name).toBe('security');
    expect(custom.routes.filter((r) => r.name === 'find-usages')).toHaveLength(1);
    expect(custom.route('usages please').route.description).toBe('mine');
  });
  it('refuses a route without examples', () => {
    expect(() => new SemanticRouter([{ name: 'x' } as never])).toThrow(/needs a name and examples/);
  });
});
