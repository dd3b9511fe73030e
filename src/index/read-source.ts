/**
 * @module index/read-source
 * Reads a source file as text, with the checks that keep bad input out of the parser: binary content
 * (a NUL byte near the start) is skipped; invalid UTF-8 is decoded with replacement characters and reported.
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../base/index.js';

export type SourceText =
  | { ok: true; text: string; bytes: number; diagnostics: Diagnostic[] }
  | { ok: false; reason: 'binary' | 'unreadable'; detail: string };

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false });

/** Decodes file bytes: binary → not ok; invalid UTF-8 → text with U+FFFD and a diagnostic. */
export function decodeSource(path: string, bytes: Uint8Array): SourceText {
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  try {
    return { ok: true, text: stripBom(strictDecoder.decode(bytes)), bytes: bytes.length, diagnostics: [] };
  } catch {
    return {
      ok: true,
      text: stripBom(lenientDecoder.decode(bytes)),
      bytes: bytes.length,
      diagnostics: [
        {
          severity: 'warning',
          code: 'INDEX_INVALID_UTF8',
          message: 'File is not valid UTF-8; invalid bytes were replaced',
          path,
        },
      ],
    };
  }
}

/** Reads and decodes a source file. Never throws. */
export async function readSource(path: string, absolutePath: string): Promise<SourceText> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolutePath);
  } catch (error) {
    const code =
      error && typeof error === 'object' && 'code' in error
        ? String((error as { code: unknown }).code)
        : String(error);
    return { ok: false, reason: 'unreadable', detail: code };
  }
  return decodeSource(path, bytes);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
