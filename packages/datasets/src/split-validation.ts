import prand from 'pure-rand';
import type { ImageSplit } from './image-dataset.ts';

/** How much of a split to hold out: exactly one of `fraction` and `count`, and the seed of the draw. */
export interface ValidationSplitOptions {
  /** Share of the images held out, strictly between 0 and 1. */
  fraction?: number;
  /** Number of images held out, at least 1 and at most count − 1. */
  count?: number;
  /** Seed of the draw (a 32-bit integer): the same split and seed always give the same hold-out. */
  seed: number;
}

/**
 * Holds out a seeded, stratified validation set from `split` (usually a dataset's training split).
 * Each class keeps its share: it gives floor(k·n_c/n) images, and the leftover images of the k held
 * out go to the classes with the largest remainders (ties: lower label first), so every class is
 * within one image of its exact proportion. Which images of a class are held out is a uniform draw
 * from a Mersenne Twister seeded with `seed`; both parts keep the split's original order.
 *
 * Pure: returns fresh copies and leaves `split` alone. The two parts are disjoint and together
 * hold every image once. Throws RangeError for a fraction outside (0, 1), a count outside
 * [1, count − 1], a class with fewer than 2 images, or a class whose share rounds to no
 * validation image (or to all of its images), naming the class and what to change.
 */
export function splitValidation(split: ImageSplit, options: ValidationSplitOptions): { train: ImageSplit; validation: ImageSplit } {
  const n = split.count;
  const k = heldOutCount(n, options);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = split.labels[i] as number;
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const label of classes) {
    const size = (byClass.get(label) as number[]).length;
    if (size < 2) throw new RangeError(`splitValidation: class ${label} has ${size} image; a stratified split needs at least 2 of every class (use more images)`);
  }
  const quota = allocate(classes.map((label) => (byClass.get(label) as number[]).length), k);
  const rng = prand.mersenne(options.seed | 0);
  const held = new Uint8Array(n);
  classes.forEach((label, c) => {
    const members = byClass.get(label) as number[];
    const take = quota[c] as number;
    if (take < 1 || take > members.length - 1) {
      const share = ((k * members.length) / n).toFixed(2);
      throw new RangeError(
        `splitValidation: class ${label} has ${members.length} of ${n} images, so its share of a ${k}-image validation set is ${share}, which rounds to ${take}: ` +
          'every class needs at least one image on each side (hold out more or fewer images, or use more images)',
      );
    }
    // Partial Fisher–Yates: the first `take` positions end up a uniform draw without replacement.
    for (let i = 0; i < take; i++) {
      const j = prand.unsafeUniformIntDistribution(i, members.length - 1, rng);
      [members[i], members[j]] = [members[j] as number, members[i] as number];
      held[members[i] as number] = 1;
    }
  });
  const imageBytes = n > 0 ? split.images.length / n : 0;
  return { train: gather(split, held, 0, n - k, imageBytes), validation: gather(split, held, 1, k, imageBytes) };
}

function heldOutCount(n: number, { fraction, count, seed }: ValidationSplitOptions): number {
  if (!Number.isInteger(seed)) throw new RangeError(`splitValidation: seed must be an integer, got ${seed}`);
  if ((fraction === undefined) === (count === undefined)) {
    throw new RangeError('splitValidation: give exactly one of fraction (a share in (0, 1)) and count (a number of images)');
  }
  if (fraction !== undefined) {
    if (!(fraction > 0 && fraction < 1)) throw new RangeError(`splitValidation: fraction must be strictly between 0 and 1, got ${fraction}`);
    const k = Math.round(fraction * n);
    if (k < 1 || k > n - 1) throw new RangeError(`splitValidation: a fraction of ${fraction} of ${n} images holds out ${k}; it must leave at least one image on each side`);
    return k;
  }
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > n - 1) {
    throw new RangeError(`splitValidation: count must be an integer from 1 to ${n - 1} (the split has ${n} images), got ${count}`);
  }
  return count as number;
}

/** Largest-remainder apportionment of `k` over classes of the given sizes (ties: lower index first). */
function allocate(sizes: number[], k: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (k * s) / n);
  const quota = exact.map(Math.floor);
  let left = k - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    quota[i] = (quota[i] as number) + 1;
    left -= 1;
  }
  return quota;
}

/** Copies the images whose mark is `mark`, in their original order. */
function gather(split: ImageSplit, marks: Uint8Array, mark: number, count: number, imageBytes: number): ImageSplit {
  const images = new Uint8Array(count * imageBytes);
  const labels = new Uint8Array(count);
  let out = 0;
  for (let i = 0; i < split.count; i++) {
    if (marks[i] !== mark) continue;
    images.set(split.images.subarray(i * imageBytes, (i + 1) * imageBytes), out * imageBytes);
    labels[out] = split.labels[i] as number;
    out += 1;
  }
  return { images, labels, count };
}
