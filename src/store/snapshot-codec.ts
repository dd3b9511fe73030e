/**
 * @module store/snapshot-codec
 * The binary form of a {@link CsrGraph}: a small JSON header, then each array as a section aligned to 8
 * bytes, so that opening an index turns the saved bytes back into typed arrays with one copy at most.
 */
import { CsrGraph } from '../graph/index.js';
import type { CsrArrays } from '../graph/index.js';
import { ERROR_CODES, EngineError } from '../base/index.js';

const MAGIC = 0x47435452; // "RTCG", little-endian
const FORMAT = 3;

type TypedName =
  | 'nodeKind'
  | 'nodeFile'
  | 'edgeSource'
  | 'edgeTarget'
  | 'edgeKind'
  | 'edgeFlags'
  | 'edgeConfidence'
  | 'edgeRange'
  | 'edgeSlot'
  | 'outStart'
  | 'inStart'
  | 'inEdges';
type JsonName = 'ids' | 'names' | 'files' | 'edgeMeta';

const TYPED: Record<TypedName, 'u8' | 'i32' | 'f32'> = {
  nodeKind: 'u8',
  nodeFile: 'i32',
  edgeSource: 'i32',
  edgeTarget: 'i32',
  edgeKind: 'u8',
  edgeFlags: 'u8',
  edgeConfidence: 'f32',
  edgeRange: 'i32',
  edgeSlot: 'i32',
  outStart: 'i32',
  inStart: 'i32',
  inEdges: 'i32',
};
const JSON_SECTIONS: JsonName[] = ['ids', 'names', 'files', 'edgeMeta'];

interface Section {
  name: string;
  offset: number;
  length: number;
}

/** Encodes a graph's arrays as one buffer. */
export function encodeSnapshot(graph: CsrGraph): Buffer {
  const arrays = graph.arrays;
  const parts: { name: string; bytes: Uint8Array }[] = [];
  for (const name of JSON_SECTIONS)
    parts.push({ name, bytes: Buffer.from(JSON.stringify(arrays[name]), 'utf8') });
  for (const name of Object.keys(TYPED) as TypedName[]) {
    const array = arrays[name];
    parts.push({ name, bytes: new Uint8Array(array.buffer, array.byteOffset, array.byteLength) });
  }
  const sections: Section[] = [];
  let offset = 0;
  for (const part of parts) {
    sections.push({ name: part.name, offset, length: part.bytes.byteLength });
    offset = align8(offset + part.bytes.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ format: FORMAT, sections }), 'utf8');
  const bodyStart = align8(12 + header.byteLength);
  const out = Buffer.alloc(bodyStart + offset);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(header.byteLength, 8);
  header.copy(out, 12);
  parts.forEach((part, i) => {
    out.set(part.bytes, bodyStart + sections[i]!.offset);
  });
  return out;
}

/** Decodes a buffer written by {@link encodeSnapshot}. */
export function decodeSnapshot(buffer: Uint8Array): CsrGraph {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.byteLength < 12 || bytes.readUInt32LE(0) !== MAGIC)
    throw new EngineError(
      ERROR_CODES.STORE_FAILED,
      'The saved graph is not a graph snapshot (corrupt index?)',
    );
  const format = bytes.readUInt32LE(4);
  if (format !== FORMAT)
    throw new EngineError(
      ERROR_CODES.INDEX_TOO_NEW,
      `The saved graph has format ${format}; this rtc reads ${FORMAT}`,
    );
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as { sections: Section[] };
  const bodyStart = align8(12 + headerLength);
  const sections = new Map(header.sections.map((s) => [s.name, s]));
  const raw = (name: string): Uint8Array => {
    const section = sections.get(name);
    if (!section)
      throw new EngineError(ERROR_CODES.STORE_FAILED, `The saved graph lacks its ${name} section`);
    return bytes.subarray(bodyStart + section.offset, bodyStart + section.offset + section.length);
  };
  const json = (name: string): unknown => JSON.parse(Buffer.from(raw(name)).toString('utf8'));
  const typed = (name: TypedName): Uint8Array | Int32Array | Float32Array => {
    const section = raw(name);
    const kind = TYPED[name];
    if (kind === 'u8') return new Uint8Array(section.buffer, section.byteOffset, section.byteLength);
    // Typed arrays need aligned starts; copy when the buffer we were given is not aligned.
    const aligned = section.byteOffset % 4 === 0 ? section : new Uint8Array(section);
    return kind === 'i32'
      ? new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4)
      : new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  };
  const arrays: CsrArrays = {
    ids: json('ids') as string[],
    names: json('names') as string[],
    files: json('files') as string[],
    edgeMeta: json('edgeMeta') as CsrArrays['edgeMeta'],
    nodeKind: typed('nodeKind') as Uint8Array,
    nodeFile: typed('nodeFile') as Int32Array,
    edgeSource: typed('edgeSource') as Int32Array,
    edgeTarget: typed('edgeTarget') as Int32Array,
    edgeKind: typed('edgeKind') as Uint8Array,
    edgeFlags: typed('edgeFlags') as Uint8Array,
    edgeConfidence: typed('edgeConfidence') as Float32Array,
    edgeRange: typed('edgeRange') as Int32Array,
    edgeSlot: typed('edgeSlot') as Int32Array,
    outStart: typed('outStart') as Int32Array,
    inStart: typed('inStart') as Int32Array,
    inEdges: typed('inEdges') as Int32Array,
  };
  return new CsrGraph(arrays);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
