import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nasfleet/contracts';
import { selectBackend } from '../backend.ts';
import { maxRelDiff, onBackend, randomArray } from '../test-helpers.ts';

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});

describe('explicit-transpose BatchMatMul on wasm', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['plain', [7, 5], [5, 3], false, false],
    ['transposeA (dense dW)', [9, 6], [9, 4], true, false],
    ['transposeB (dense dx)', [8, 4], [6, 4], false, true],
    ['both', [5, 7], [3, 5], true, true],
    ['batched transposeA', [2, 6, 3], [2, 6, 4], true, false],
    ['batched transposeB', [3, 4, 5], [3, 2, 5], false, true],
  ];
  it.each(cases)('%s matches the cpu backend', async (_name, aShape, bShape, ta, tb) => {
    const rng = Rng.fromSeed(aShape.length * 31 + bShape[0]!);
    const a = randomArray(rng, aShape.reduce((x, y) => x * y, 1));
    const b = randomArray(rng, bShape.reduce((x, y) => x * y, 1));
    const run = () => tf.tidy(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb).dataSync());
    const before = tf.memory().numTensors;
    const wasm = run();
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await onBackend('cpu', run);
    expect(maxRelDiff(wasm, cpu)).toBeLessThan(1e-5);
  });

  it('keeps a dense layer\'s gradients equal to the cpu backend\'s', async () => {
    const rng = Rng.fromSeed(5);
    const x = randomArray(rng, 16 * 40);
    const w = randomArray(rng, 40 * 8);
    const grads = () => tf.tidy(() => {
      const g = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.relu(tf.matMul(xs, ws))));
      return g([tf.tensor(x, [16, 40]), tf.tensor(w, [40, 8])]).map((t) => t.dataSync());
    });
    const wasm = grads();
    const cpu = await onBackend('cpu', grads);
    expect(maxRelDiff(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
    expect(maxRelDiff(wasm[1]!, cpu[1]!)).toBeLessThan(1e-5);
  });
});

