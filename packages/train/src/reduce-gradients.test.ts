import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { registerReduceGradients, restoreReduceGradients } from './reduce-gradients.ts';
import { maxRelDiff, randomArray } from './test-helpers.ts';

beforeAll(() => selectBackend({ prefer: 'wasm' }));
afterAll(() => registerReduceGradients());

type Case = [string, number[], number | number[], boolean];
const CASES: Case[] = [
  ['BatchNorm moments (NHWC, per channel)', [4, 5, 5, 3], [0, 1, 2], false],
  ['global average pool', [2, 4, 4, 6], [1, 2], false],
  ['keepDims, negative axis', [3, 7], -1, true],
  ['everything', [2, 3, 4], [0, 1, 2], false],
];

/** d/dx Σ w·op(x) for op = sum / mean over `axis`, as plain arrays. */
function grads(shape: number[], axis: number | number[], keepDims: boolean): Float32Array[] {
  const rng = Rng.fromSeed(shape.length * 13 + shape[0]!);
  const x = tf.tensor(randomArray(rng, shape.reduce((a, b) => a * b, 1)), shape);
  const out = [tf.sum, tf.mean].map((op) => tf.tidy(() => {
    const y = op(x, axis, keepDims);
    const w = tf.tensor(randomArray(rng, y.size), y.shape);
    return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t, axis, keepDims), w)))(x).dataSync() as Float32Array;
  }));
  x.dispose();
  return out;
}

describe('Sum and Mean gradients without a JS-side ones tensor', () => {
  it.each(CASES)('%s: matches tfjs-core\'s gradient on wasm and cpu', async (_name, shape, axis, keepDims) => {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      restoreReduceGradients();
      const reference = grads(shape, axis, keepDims);
      registerReduceGradients();
      const before = tf.memory().numTensors;
      const ours = grads(shape, axis, keepDims);
      expect(tf.memory().numTensors).toBe(before);
      ours.forEach((g, i) => expect(maxRelDiff(g, reference[i]!)).toBeLessThan(1e-6));
    }
  });

  it('builds the full-size operand with the backend\'s Fill kernel', async () => {
    await tf.setBackend('wasm');
    registerReduceGradients();
    const x = tf.ones([2, 3, 3, 4]);
    const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mean(t, [0, 1, 2])))(x));
    expect(info.kernelNames).toContain('Fill'); // tfjs-core's makes a JS ones array instead (no kernel)
    x.dispose();
  });
});
