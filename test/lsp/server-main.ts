/**
 * @module test/lsp/server-main
 * The LSP server on stdio, as `rtc lsp --stdio` runs it, spawned by test/lsp/lsp.test.ts
 * (`node --import tsx test/lsp/server-main.ts [--repo DIR] --stdio`); the folders come from `initialize`.
 * Its log goes to the client (`window/logMessage`); stdout carries LSP messages only.
 */
import { startLspServer } from '../../src/interfaces/lsp/index.js';

const at = process.argv.indexOf('--repo');
const repo = at >= 0 ? process.argv[at + 1] : undefined;
await startLspServer({ input: process.stdin, output: process.stdout, ...(repo ? { repo } : {}) });
