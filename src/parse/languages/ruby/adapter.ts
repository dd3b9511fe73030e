/**
 * @module parse/languages/ruby/adapter
 * ruby: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const RUBY_ADAPTER: LanguageAdapter = {
  selfNames: ['this', 'self'],
};
