import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import { selectBackend } from './backend.ts';
import { registerBatchNormGradient, restoreBatchNormGradient } from './batch-norm-gradient.ts';
import { maxRelDiff, randomArray } from './test-helpers.ts';

// Through selectBackend, as the product does (it also keeps tfjs's Node banner quiet).
beforeAll(() => selectBackend({ prefer: 'cpu' }));
afterAll(() => registerBatchNormGradient());

/** Gradients of a training-mode batch norm (moments + batchNorm, as tfjs-layers does it) w.r.t. x, gamma, beta. */
function grads(shape: number[], seed: number): Float32Array[] {
  const rng = Rng.fromSeed(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const c = shape[shape.length - 1]!;
  const x = tf.tensor(randomArray(rng, n), shape);
  const gamma = tf.tensor1d(randomArray(rng, c));
  const beta = tf.tensor1d(randomArray(rng, c));
  const w = tf.tensor(randomArray(rng, n), shape);
  const axes = [...Array(shape.length - 1).keys()];
  const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(xs, axes);
    return tf.sum(tf.mul(tf.batchNorm(xs, mean, variance, b, g, 1e-3), w)) as tf.Scalar;
  };
  const out = tf.tidy(() => tf.grads(f)([x, gamma, beta]).map((t) => t.dataSync() as Float32Array));
  tf.dispose([x, gamma, beta, w]);
  return out;
}

describe('leaner FusedBatchNorm gradient', () => {
  it.each([[[8, 5, 5, 3]], [[4, 7, 7, 16]], [[16, 10]]])('matches tfjs-core\'s gradient for input %j', async (shape) => {
    await tf.setBackend('cpu');
    restoreBatchNormGradient();
    const reference = grads(shape, 1);
    registerBatchNormGradient();
    const before = tf.memory().numTensors;
    const ours = grads(shape, 1);
    expect(tf.memory().numTensors).toBe(before);
    ours.forEach((g, i) => expect(maxRelDiff(g, reference[i]!)).toBeLessThan(1e-4));
  });
});
