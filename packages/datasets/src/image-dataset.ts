/**
 * One split of an image dataset: `count` images stored back to back as N×H×W×C bytes
 * (HWC, row-major, 0..255) and one class index byte per image.
 */
export interface ImageSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * A loaded image-classification dataset. `inputShape` is [height, width, channels] of
 * every image; labels are class indices in [0, numClasses). Loaders fill `train` and `test`;
 * `validation` is present only where a caller held it out of `train` (`splitValidation`).
 */
export interface ImageDataset {
  name: string;
  inputShape: [number, number, number];
  numClasses: number;
  classNames?: string[];
  train: ImageSplit;
  test: ImageSplit;
  validation?: ImageSplit;
}

/** How many images to keep per split; omitted means all. */
export interface SubsetOption {
  train?: number;
  test?: number;
}

/**
 * The first `n` images of a split (all of them when `n` is undefined or ≥ count).
 * The returned arrays are views, not copies, so this is O(1).
 */
export function takeFirst(split: ImageSplit, imageBytes: number, n: number | undefined): ImageSplit {
  if (n === undefined || n >= split.count) return split;
  const count = Math.max(0, Math.floor(n));
  return {
    images: split.images.subarray(0, count * imageBytes),
    labels: split.labels.subarray(0, count),
    count,
  };
}

/** Number of images of each class in a split (index = class). */
export function labelHistogram(split: ImageSplit, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of split.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}
