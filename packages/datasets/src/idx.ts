import { DatasetFormatError } from './errors.ts';

/** A parsed IDX tensor of unsigned bytes (the MNIST family's format). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Parses an IDX buffer (http://yann.lecun.com/exdb/mnist/ format: two zero bytes, a type
 * byte, a dimension count, big-endian u32 sizes, then the data). Only the unsigned-byte
 * type is accepted. Throws DatasetFormatError naming `file` when the magic number, the
 * dimension count (`expectedRank`) or the data length is wrong. `data` is a view.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedRank: number): IdxArray {
  if (bytes.length < 4) throw new DatasetFormatError(file, `too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const rank = bytes[3] ?? 0;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UBYTE) {
    throw new DatasetFormatError(file, `bad IDX magic number 0x${magic.toString(16).padStart(8, '0')} (want 0x000008${rank.toString(16).padStart(2, '0')}: unsigned bytes)`);
  }
  if (rank !== expectedRank) {
    throw new DatasetFormatError(file, `IDX has ${rank} dimensions, expected ${expectedRank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DatasetFormatError(file, `truncated IDX header (${bytes.length} of ${headerBytes} bytes)`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new DatasetFormatError(file, `IDX dims [${dims.join(', ')}] need ${expected} data bytes, file has ${actual}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Encodes an unsigned-byte IDX buffer; the inverse of parseIdx (used to make test files). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
