import { describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import { writeBatch } from './batch-writer.ts';
import { channelStats } from './dataset.ts';

/** Two 4×4×2 images whose pixel values encode their position: channel 0 = 10·y + x, channel 1 = 100 + image. */
const split = (() => {
  const images = new Uint8Array(2 * 4 * 4 * 2);
  for (let i = 0; i < 2; i++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) {
    const o = ((i * 4 + y) * 4 + x) * 2;
    images[o] = 10 * y + x;
    images[o + 1] = 100 + i;
  }
  return { images, labels: Uint8Array.of(0, 1), count: 2 };
})();
const identity = { shape: [4, 4, 2] as [number, number, number], mean: [0, 0], std: [1 / 255, 1 / 255], cropPad: 2 };
const pixel = (out: Float32Array, b: number, y: number, x: number, ch: number) => out[((b * 4 + y) * 4 + x) * 2 + ch]!;

describe('writeBatch', () => {
  it('normalises with the channel statistics and copies images in index order', () => {
    const out = new Float32Array(2 * 32);
    writeBatch(split, [1, 0], out, { ...identity, augment: false });
    expect(pixel(out, 0, 2, 3, 0)).toBeCloseTo(23);
    expect(pixel(out, 0, 2, 3, 1)).toBeCloseTo(101);
    expect(pixel(out, 1, 0, 0, 1)).toBeCloseTo(100);
    const stats = channelStats(split, 2);
    const norm = new Float32Array(2 * 32);
    writeBatch(split, [0, 1], norm, { ...identity, mean: stats.mean, std: stats.std, augment: false });
    const ch0 = Array.from({ length: 32 }, (_, i) => norm[i * 2]!);
    expect(ch0.reduce((a, b) => a + b, 0) / 32).toBeCloseTo(0, 5);
    expect(Math.sqrt(ch0.reduce((a, b) => a + b * b, 0) / 32)).toBeCloseTo(1, 4);
  });

  it('augments with a random crop from a zero-padded image and a horizontal flip, reproducibly', () => {
    const seen = new Set<string>();
    let flipped = 0;
    for (let seed = 0; seed < 40; seed++) {
      const out = new Float32Array(32);
      writeBatch(split, [0], out, { ...identity, augment: true }, Rng.fromSeed(seed));
      const again = new Float32Array(32);
      writeBatch(split, [0], again, { ...identity, augment: true }, Rng.fromSeed(seed));
      expect(again).toEqual(out);
      // Every output pixel is either padding (black: 0 here) or a source pixel shifted by the same (dy, dx), maybe mirrored.
      const values = Array.from({ length: 16 }, (_, i) => pixel(out, 0, Math.floor(i / 4), i % 4, 0));
      const inside = Array.from({ length: 16 }, (_, i) => pixel(out, 0, Math.floor(i / 4), i % 4, 1)).map((v) => v > 0);
      expect(inside.some(Boolean)).toBe(true);
      const source = values.filter((_, i) => inside[i]).map((v) => [Math.floor(v / 10), v % 10]);
      const rows = source.map(([y]) => y!);
      expect(Math.max(...rows) - Math.min(...rows)).toBeLessThanOrEqual(3);
      seen.add(values.join(','));
      // Within a row, source columns run backwards exactly when the image was flipped.
      const row = [0, 1, 2, 3].map((y) => [0, 1, 2, 3].filter((x) => inside[y * 4 + x]).map((x) => values[y * 4 + x]! % 10)).find((r) => r.length >= 2)!;
      if (row[1]! < row[0]!) flipped += 1;
      else expect(row[1]! - row[0]!).toBe(1);
    }
    expect(seen.size).toBeGreaterThan(20); // many different crops and flips
    expect(flipped).toBeGreaterThan(8); // about half of 40
    expect(flipped).toBeLessThan(32);
  });
});
