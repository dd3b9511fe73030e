/**
 * @module base/hash
 * Content hashes: 128-bit fingerprints for types and stable node ids.
 * SHA-256 from node:crypto, truncated, runs near 2 GB/s here and needs no native build
 * (the `blake3` package does not install on this machine; see ARCHITECTURE.md).
 */
import { createHash } from 'node:crypto';

/** A 128-bit fingerprint of `text` as 32 hex digits. */
export function fingerprint128(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** A 64-bit hash of `text` as 16 hex digits, for ids built from a canonical key. */
export function hash64(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The SHA-256 of some bytes or text, as hex: the content hash of a file. */
export function contentHash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
