import type { ImageSplit } from '@nasfleet/datasets';

/** The dataset shapes this package trains on are the loaders' (`@nasfleet/datasets`). */
export type { ImageDataset, ImageSplit } from '@nasfleet/datasets';

/** Per-channel mean and standard deviation (0..1 scale) over the first `count` images. */
export function channelStats(split: ImageSplit, channels: number, count = split.count): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const n = Math.min(count, split.count);
  const pixels = n > 0 ? split.images.length / split.count : 0;
  const len = n * pixels;
  for (let i = 0; i < len; i++) {
    const v = (split.images[i] as number) / 255;
    const c = i % channels;
    sum[c] = (sum[c] as number) + v;
    sq[c] = (sq[c] as number) + v * v;
  }
  const per = len / channels || 1;
  const mean = Array.from(sum, (s) => s / per);
  const std = Array.from(sq, (s, c) => Math.sqrt(Math.max(1e-12, s / per - (mean[c] as number) ** 2)));
  return { mean, std };
}
