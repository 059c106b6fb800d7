import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from './errors.ts';
import { encodeIdx, parseIdx } from './idx.ts';

describe('parseIdx', () => {
  it('round-trips dims and data', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 5);
    const parsed = parseIdx(encodeIdx([2, 3, 4], data), 'x.idx', 3);
    expect(parsed.dims).toEqual([2, 3, 4]);
    expect([...parsed.data]).toEqual([...data]);
  });

  it('rejects a bad magic number, naming the file', () => {
    const bytes = encodeIdx([2], Uint8Array.of(1, 2));
    bytes[2] = 0x0d; // float type
    expect(() => parseIdx(bytes, 'labels.idx', 1)).toThrow(/labels\.idx: bad IDX magic number 0x00000d01/);
  });

  it('rejects the wrong rank', () => {
    expect(() => parseIdx(encodeIdx([2, 1], Uint8Array.of(1, 2)), 'a.idx', 1)).toThrow(/2 dimensions, expected 1/);
  });

  it('rejects truncated and over-long data', () => {
    const ok = encodeIdx([4], Uint8Array.of(1, 2, 3, 4));
    expect(() => parseIdx(ok.subarray(0, ok.length - 1), 'b.idx', 1)).toThrow(/need 4 data bytes, file has 3/);
    const long = new Uint8Array(ok.length + 2);
    long.set(ok);
    expect(() => parseIdx(long, 'b.idx', 1)).toThrow(DatasetFormatError);
    expect(() => parseIdx(Uint8Array.of(0, 0), 'c.idx', 1)).toThrow(/too short/);
    expect(() => parseIdx(Uint8Array.of(0, 0, 8, 3, 0, 0), 'd.idx', 3)).toThrow(/truncated IDX header/);
  });
});
