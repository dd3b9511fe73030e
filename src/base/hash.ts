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

/**
 * A 64-bit hash of `text` as 16 hex digits, for ids built from a canonical key. Two 32-bit FNV-1a lanes with
 * different offsets and a murmur finaliser: about 20 times faster than SHA-256 on short keys, with no
 * cryptographic claim (ids only need to be stable and collision-free in practice).
 */
export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return hex32(fmix32(a ^ Math.imul(text.length, 0x27d4eb2d))) + hex32(fmix32(b + a));
}

/** The 32-bit finaliser of MurmurHash3: spreads the bits of a 32-bit hash. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The SHA-256 of some bytes or text, as hex: the content hash of a file. */
export function contentHash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
