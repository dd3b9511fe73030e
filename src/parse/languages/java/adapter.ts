/**
 * @module parse/languages/java/adapter
 * java: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const JAVA_ADAPTER: LanguageAdapter = {
  selfNames: ['this', 'self'],
};
