/**
 * @module parse/languages/c/adapter
 * C and C++: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const C_ADAPTER: LanguageAdapter = {
  selfNames: [],
};

export const CPP_ADAPTER: LanguageAdapter = {
  selfNames: ['this'],
};
