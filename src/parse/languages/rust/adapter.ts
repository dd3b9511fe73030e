/**
 * @module parse/languages/rust/adapter
 * rust: extraction hooks beyond the queries.
 */
import type { LanguageAdapter } from '../../language.js';

export const RUST_ADAPTER: LanguageAdapter = {
  selfNames: ['this', 'self'],
};
