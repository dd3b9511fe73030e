/**
 * @module base/tokens
 * Code-aware tokens for lexical search: identifiers split on camelCase, PascalCase, snake_case, kebab-case,
 * digits and dots, lowercased, with the whole identifier kept as well (`getUserById` → `getuserbyid get user
 * by id`). The store indexes with it and retrieval queries with it, so both sides split the same way.
 */

const WORD = /[A-Za-z0-9_$]+/g;

/** The parts of one identifier, lowercased (`HTTPServer2` → `http server 2`). */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  for (const chunk of identifier.split(/[_$\-.]+/)) {
    if (chunk === '') continue;
    // Acronyms stay together (`HTTPServer` → HTTP, Server); digits are their own part.
    const found = chunk.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+/g);
    if (found) for (const part of found) parts.push(part.toLowerCase());
  }
  return parts;
}

/**
 * Tokens of a text (code, a name, a question): every identifier-like word lowercased, followed by its
 * parts when it has more than one. Repeats are kept (they weigh in ranking).
 */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.match(WORD) ?? []) {
    const lower = word.toLowerCase();
    tokens.push(lower);
    const parts = splitIdentifier(word);
    if (parts.length > 1 || (parts.length === 1 && parts[0] !== lower)) tokens.push(...parts);
  }
  return tokens;
}
