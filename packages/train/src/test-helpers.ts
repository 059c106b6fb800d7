import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/search';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
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

/** Reads one IDX file (gzip) of Debian's dataset-fashion-mnist, keeping the first `limit` items. */
function readIdx(file: string, limit: number): { data: Uint8Array; count: number } {
  const raw = gunzipSync(readFileSync(file));
  const dims = raw[3] as number;
  const count = Math.min(raw.readUInt32BE(4), limit);
  let itemSize = 1;
  for (let d = 1; d < dims; d++) itemSize *= raw.readUInt32BE(4 + 4 * d);
  const offset = 4 + 4 * dims;
  return { data: new Uint8Array(raw.subarray(offset, offset + count * itemSize)), count };
}

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** The first `nTrain` / `nTest` Fashion-MNIST images as an ImageDataset (28×28×1). */
export function loadFashionSubset(nTrain: number, nTest: number): ImageDataset {
  const split = (prefix: string, n: number) => {
    const images = readIdx(`${FASHION_DIR}/${prefix}-images-idx3-ubyte.gz`, n);
    const labels = readIdx(`${FASHION_DIR}/${prefix}-labels-idx1-ubyte.gz`, n);
    return { images: images.data, labels: labels.data, count: images.count };
  };
  return { name: 'fashion-mnist', inputShape: [28, 28, 1], numClasses: 10, train: split('train', nTrain), test: split('t10k', nTest) };
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
