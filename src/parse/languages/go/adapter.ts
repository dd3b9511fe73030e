/**
 * @module parse/languages/go/adapter
 * go: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const GO_ADAPTER: LanguageAdapter = {
  selfNames: ['this', 'self'],
};
