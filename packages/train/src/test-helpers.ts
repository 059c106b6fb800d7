import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from './dataset.ts';

/** Test-only helpers shared by this package's test files (not exported from the package). */

/** Uniform floats in [-1, 1) from a seeded Rng. */
export function randomArray(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** Runs `f` with `backend` active and returns plain arrays (so results survive a backend switch). */
export async function onBackend<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

/** Largest |a−b| relative to the largest |b| (≥ 1). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

/** The first `nTrain` / `nTest` Fashion-MNIST images (Debian's dataset-fashion-mnist), via the real loader. */
export function loadFashionSubset(nTrain: number, nTest: number): Promise<ImageDataset> {
  return loadFashionMnist(undefined, { subset: { train: nTrain, test: nTest } });
}

/** A synthetic dataset of random images (shape tests, memory tests; accuracy meaningless). */
export function randomDataset(rng: Rng, shape: [number, number, number], classes: number, nTrain: number, nTest: number): ImageDataset {
  const make = (n: number) => {
    const images = new Uint8Array(n * shape[0] * shape[1] * shape[2]);
    for (let i = 0; i < images.length; i++) images[i] = rng.int(0, 255);
    return { images, labels: Uint8Array.from({ length: n }, () => rng.int(0, classes - 1)), count: n };
  };
  return { name: 'random', inputShape: shape, numClasses: classes, train: make(nTrain), test: make(nTest) };
}
