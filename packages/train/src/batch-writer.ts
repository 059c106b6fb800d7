import type { Rng } from '@nasfleet/contracts';
import type { ImageSplit } from './dataset.ts';

/**
 * Fills float batches from uint8 images: normalisation, and for CIFAR-like data the proxy's
 * augmentation (random crop from a 4-pixel zero-padded image + horizontal flip), done in
 * plain loops while copying, so augmentation costs no extra tensors.
 */
export interface BatchWriterOptions {
  shape: [number, number, number];
  mean: number[];
  std: number[];
  /** Random crop (pad `cropPad`) and horizontal flip. */
  augment: boolean;
  cropPad: number;
}

/** Writes images `indices` of `split` into `out` (length indices.length·H·W·C), normalised. */
export function writeBatch(split: ImageSplit, indices: ArrayLike<number>, out: Float32Array, opts: BatchWriterOptions, rng?: Rng): void {
  const [h, w, c] = opts.shape;
  const size = h * w * c;
  const scale = opts.std.map((s) => 1 / (255 * s));
  const shift = opts.mean.map((m, i) => -m / (opts.std[i] as number));
  for (let b = 0; b < indices.length; b++) {
    const src = (indices[b] as number) * size;
    const dst = b * size;
    let dy = 0;
    let dx = 0;
    let flip = false;
    if (opts.augment && rng) {
      dy = rng.int(-opts.cropPad, opts.cropPad);
      dx = rng.int(-opts.cropPad, opts.cropPad);
      flip = rng.chance(0.5);
    }
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sx = (flip ? w - 1 - x : x) + dx;
        const o = dst + (y * w + x) * c;
        if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
          // Zero padding in pixel space, i.e. black, as torchvision's RandomCrop(padding=4).
          for (let ch = 0; ch < c; ch++) out[o + ch] = shift[ch] as number;
        } else {
          const s = src + (sy * w + sx) * c;
          for (let ch = 0; ch < c; ch++) out[o + ch] = (split.images[s + ch] as number) * (scale[ch] as number) + (shift[ch] as number);
        }
      }
    }
  }
}
