/**
 * @module parse/languages/csharp/adapter
 * csharp: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const CSHARP_ADAPTER: LanguageAdapter = {
  selfNames: ['this', 'self'],
};
