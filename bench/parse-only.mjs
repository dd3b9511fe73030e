/**
 * The floor under our indexing time: tree-sitter parsing alone (no query, no graph), in one thread, over the
 * files discovery finds. Prints one JSON line. Usage: node bench/parse-only.mjs DIR
 */
import { readFile } from 'node:fs/promises';
import { discoverFiles, packageAssets } from '../dist/index/index.js';
import { ParserHost } from '../dist/parse/index.js';

const dir = process.argv[2];
const { files } = await discoverFiles(dir);
const host = new ParserHost(packageAssets());
// Load every grammar first, so that loading is not timed.
for (const language of new Set(files.map((f) => f.language)))
  await host.withTree(language, '', () => undefined);
let bytes = 0;
let parseMs = 0;
for (const file of files) {
  const text = await readFile(file.absolutePath, 'utf8');
  const start = performance.now();
  await host.withTree(file.language, text, () => undefined);
  parseMs += performance.now() - start;
  bytes += Buffer.byteLength(text);
}
console.log(JSON.stringify({ files: files.length, bytes, parseMs, mbps: bytes / 1e6 / (parseMs / 1000) }));
