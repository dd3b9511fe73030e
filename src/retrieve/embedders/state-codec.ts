/**
 * @module retrieve/embedders/state-codec
 * The bytes of a fitted embedder's state: a JSON header (kind, settings, counts) and named typed arrays,
 * each aligned to 8 bytes, little-endian. One format for every fitted embedder.
 */
import { ERROR_CODES, EngineError } from '../../base/index.js';

type ArrayKind = 'u32' | 'u16' | 'f32' | 'i8';
type StateArray = Uint32Array | Uint16Array | Float32Array | Int8Array;

const MAGIC = 0x53435452; // "RTCS"
const CONSTRUCTORS = { u32: Uint32Array, u16: Uint16Array, f32: Float32Array, i8: Int8Array } as const;

function kindOf(array: StateArray): ArrayKind {
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Float32Array) return 'f32';
  return 'i8';
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Encodes a header (plain JSON data) and named arrays. */
export function encodeState(header: Record<string, unknown>, arrays: Record<string, StateArray>): Uint8Array {
  const sections = Object.entries(arrays).map(([name, array]) => ({
    name,
    kind: kindOf(array),
    length: array.length,
  }));
  const json = new TextEncoder().encode(JSON.stringify({ ...header, sections }));
  let size = align8(8 + json.length);
  for (const array of Object.values(arrays)) size += align8(array.byteLength);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  bytes.set(json, 8);
  let offset = align8(8 + json.length);
  for (const array of Object.values(arrays)) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += align8(array.byteLength);
  }
  return bytes;
}

/** Decodes what {@link encodeState} wrote; the arrays are copies (aligned, independent of `bytes`). */
export function decodeState(bytes: Uint8Array): {
  header: Record<string, unknown>;
  arrays: Map<string, StateArray>;
} {
  const fail = (why: string): EngineError =>
    new EngineError(ERROR_CODES.STORE_FAILED, `The stored embedder state is unreadable: ${why}`);
  if (bytes.length < 8) throw fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw fail('bad magic');
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > bytes.length) throw fail('truncated header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength))) as Record<
    string,
    unknown
  > & { sections?: { name: string; kind: ArrayKind; length: number }[] };
  const arrays = new Map<string, StateArray>();
  let offset = align8(8 + jsonLength);
  for (const section of header.sections ?? []) {
    const Kind = CONSTRUCTORS[section.kind];
    const byteLength = section.length * Kind.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.length) throw fail(`truncated section ${section.name}`);
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    arrays.set(section.name, new Kind(copy.buffer));
    offset += align8(byteLength);
  }
  delete header.sections;
  return { header, arrays };
}

/** The array `name` of a decoded state, of the expected kind. */
export function stateArray<K extends ArrayKind>(
  arrays: Map<string, StateArray>,
  name: string,
  kind: K,
): InstanceType<(typeof CONSTRUCTORS)[K]> {
  const array = arrays.get(name);
  if (!array || kindOf(array) !== kind) {
    throw new EngineError(ERROR_CODES.STORE_FAILED, `The stored embedder state lacks its ${name} array`);
  }
  return array as InstanceType<(typeof CONSTRUCTORS)[K]>;
}
