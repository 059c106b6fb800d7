import { describe, expect, it } from 'vitest';
import type { ImageSplit } from './image-dataset.ts';
import { labelHistogram } from './image-dataset.ts';
import { splitValidation } from './split-validation.ts';

/** `count` 2×1×1 images whose two bytes spell the image's index, so every image is identifiable. */
function indexedSplit(labels: number[]): ImageSplit {
  const images = new Uint8Array(labels.length * 2);
  labels.forEach((_, i) => images.set([i >> 8, i & 255], 2 * i));
  return { images, labels: Uint8Array.from(labels), count: labels.length };
}
const ids = (s: ImageSplit): number[] => Array.from({ length: s.count }, (_, i) => ((s.images[2 * i] as number) << 8) | (s.images[2 * i + 1] as number));

// Imbalanced on purpose: 500, 300, 150 and 50 images of classes 0..3, interleaved.
const labels = Array.from({ length: 1000 }, (_, i) => (i % 20 < 10 ? 0 : i % 20 < 16 ? 1 : i % 20 < 19 ? 2 : 3));
const split = indexedSplit(labels);

describe('splitValidation', () => {
  it('keeps every class\'s share, and its two parts are disjoint and hold every image once, with its own label', () => {
    const { train, validation } = splitValidation(split, { fraction: 0.1, seed: 7 });
    expect(labelHistogram(validation, 4)).toEqual([50, 30, 15, 5]);
    expect(labelHistogram(train, 4)).toEqual([450, 270, 135, 45]);
    const held = ids(validation);
    const kept = ids(train);
    expect(new Set([...held, ...kept]).size).toBe(1000);
    expect(held.length + kept.length).toBe(1000);
    for (const part of [train, validation]) ids(part).forEach((id, i) => expect(part.labels[i]).toBe(labels[id]));
    // Both parts keep the original order.
    expect(held).toEqual([...held].sort((a, b) => a - b));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it('apportions a count that does not divide evenly by largest remainder: every class within one image of its share', () => {
    const { validation } = splitValidation(split, { count: 37, seed: 1 });
    const got = labelHistogram(validation, 4);
    expect(got.reduce((a, b) => a + b, 0)).toBe(37);
    // Exact shares 18.5, 11.1, 5.55, 1.85: floors 18, 11, 5, 1 and the two leftovers to the largest remainders (1.85, 5.55).
    expect(got).toEqual([18, 11, 6, 2]);
  });

  it('is deterministic for a seed and draws other images for another seed', () => {
    const a = splitValidation(split, { fraction: 0.2, seed: 3 });
    const b = splitValidation(split, { fraction: 0.2, seed: 3 });
    const c = splitValidation(split, { fraction: 0.2, seed: 4 });
    expect(ids(b.validation)).toEqual(ids(a.validation));
    expect(b.train.images).toEqual(a.train.images);
    expect(ids(c.validation)).not.toEqual(ids(a.validation));
    expect(labelHistogram(c.validation, 4)).toEqual(labelHistogram(a.validation, 4));
  });

  it('returns copies and leaves its input alone', () => {
    const before = split.images.slice();
    const { train, validation } = splitValidation(split, { fraction: 0.5, seed: 0 });
    train.images.fill(0);
    validation.labels.fill(9);
    expect(split.images).toEqual(before);
    expect(split.labels).toEqual(Uint8Array.from(labels));
  });

  it('refuses bad sizes, a lone image of a class, and a class whose share rounds to nothing, saying what is wrong', () => {
    for (const fraction of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => splitValidation(split, { fraction, seed: 0 })).toThrow(/fraction must be strictly between 0 and 1/);
    }
    for (const count of [0, 1000, 2.5]) expect(() => splitValidation(split, { count, seed: 0 })).toThrow(/count must be an integer from 1 to 999/);
    expect(() => splitValidation(split, { seed: 0 })).toThrow(/exactly one of fraction/);
    expect(() => splitValidation(split, { fraction: 0.1, count: 10, seed: 0 })).toThrow(/exactly one of fraction/);
    expect(() => splitValidation(split, { fraction: 0.1, seed: 0.5 })).toThrow(/seed must be an integer/);
    expect(() => splitValidation(indexedSplit([0, 0, 1, 1, 2]), { count: 2, seed: 0 })).toThrow(/class 2 has 1 image; a stratified split needs at least 2/);
    // 0.4% of 1,000 is 4 images: class 3 (5% of the images) would give 0.2 of one.
    expect(() => splitValidation(split, { fraction: 0.004, seed: 0 })).toThrow(/class 3 has 50 of 1000 images, so its share of a 4-image validation set is 0.20, which rounds to 0/);
    expect(() => splitValidation(indexedSplit([0, 1]), { fraction: 0.1, seed: 0 })).toThrow(/holds out 0; it must leave at least one image on each side/);
  });
});
