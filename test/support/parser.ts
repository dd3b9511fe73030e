/**
 * @module test/support/parser
 * A parser host over the package's real grammars and query files, shared by tests.
 */
import { packageAssets } from '../../src/index/package-assets.js';
import { ParserHost, detectLanguage } from '../../src/parse/index.js';
import type { FileSyntax } from '../../src/parse/index.js';

let host: ParserHost | undefined;

/** The shared parser host. */
export function testParserHost(): ParserHost {
  host ??= new ParserHost(packageAssets());
  return host;
}

/** Extracts the syntax summary of `text` as if it were the file at `path` (language from the extension). */
export async function extractFile(path: string, text: string): Promise<FileSyntax> {
  const language = detectLanguage(path, text.split('\n', 1)[0]);
  if (!language) throw new Error(`No language for ${path}`);
  return testParserHost().extract(path, language.id, text);
}
