/**
 * @module parse/languages/php/adapter
 * php: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const PHP_ADAPTER: LanguageAdapter = {
  selfNames: ['this', 'self'],
};
