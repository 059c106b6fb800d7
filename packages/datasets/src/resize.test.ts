import { describe, expect, it } from 'vitest';
import { fitImage, resizeImage } from './resize.ts';

function image(w: number, h: number, c: number, f: (x: number, y: number, ch: number) => number): Uint8Array {
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = f(x, y, k);
  return out;
}

describe('resizeImage', () => {
  it('returns the same pixels at the same size', () => {
    const src = image(5, 4, 3, (x, y, c) => x * 40 + y * 10 + c);
    expect([...resizeImage(src, 5, 4, 3, 5, 4)]).toEqual([...src]);
  });

  it('keeps a constant image constant at any size', () => {
    const src = image(37, 23, 3, (_x, _y, c) => [12, 130, 250][c] ?? 0);
    for (const [w, h] of [[8, 8], [60, 41], [1, 1]] as const) {
      const out = resizeImage(src, 37, 23, 3, w, h);
      expect(out.length).toBe(w * h * 3);
      for (let i = 0; i < out.length; i += 3) expect([out[i], out[i + 1], out[i + 2]]).toEqual([12, 130, 250]);
    }
  });

  it('averages when shrinking instead of sampling one pixel (antialiasing)', () => {
    // 1-pixel black/white stripes shrunk 4× must come out mid-grey, not black or white.
    const src = image(16, 4, 1, (x) => (x % 2 === 0 ? 0 : 255));
    const out = resizeImage(src, 16, 4, 1, 4, 1);
    for (const v of out) expect(Math.abs(v - 127.5)).toBeLessThan(20);
  });

  it('preserves a horizontal gradient order when enlarging', () => {
    const src = image(4, 1, 1, (x) => x * 80);
    const out = resizeImage(src, 4, 1, 1, 12, 1);
    for (let i = 1; i < out.length; i++) expect(out[i] ?? 0).toBeGreaterThanOrEqual(out[i - 1] ?? 0);
    expect(out[0]).toBe(0);
    expect(out[11]).toBe(240);
  });
});

describe('fitImage', () => {
  it('short-side-crop keeps the centre of a wide image', () => {
    // 30×10: left third 0, middle third 100, right third 200; the centre 10×10 is all 100.
    const src = image(30, 10, 3, (x) => (x < 10 ? 0 : x < 20 ? 100 : 200));
    const out = fitImage(src, 30, 10, 3, 10, 'short-side-crop');
    expect(out.length).toBe(300);
    expect(new Set(out)).toEqual(new Set([100]));
  });

  it('short-side-crop scales the short side then crops a tall image', () => {
    // 20×60 → short side 10 → 10×30, centre 10×10 comes from source rows 20..40.
    const src = image(20, 60, 1, (_x, y) => (y >= 20 && y < 40 ? 200 : 0));
    const out = fitImage(src, 20, 60, 1, 10, 'short-side-crop');
    expect(out.length).toBe(100);
    // Inner rows are pure; the first/last rows may blend with the neighbouring band.
    for (let y = 1; y < 9; y++) for (let x = 0; x < 10; x++) expect(out[y * 10 + x]).toBe(200);
  });

  it('stretch squeezes the whole image in', () => {
    const src = image(30, 10, 1, (x) => (x < 10 ? 0 : x < 20 ? 100 : 200));
    const out = fitImage(src, 30, 10, 1, 9, 'stretch');
    expect(out[0]).toBe(0);
    expect(out[4]).toBe(100);
    expect(out[8]).toBe(200);
  });
});
