import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallResNet } from '../arch-fixtures.ts';
import { selectBackend } from '../backend.ts';
import { maxRelDiff, onBackend, randomArray, randomDataset } from '../test-helpers.ts';
import { trainProxy } from '../train-proxy.ts';
import { leadingAxesCount, sumLeadingInto } from './leading-axes-reduce.ts';

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});

describe('Identity and same-dtype Cast without a copy (wasm)', () => {
  it('shares the input buffer, keeps values, and survives disposing either side', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, -2, 3, 4], [2, 2]);
    const before = tf.memory().numTensors;
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId); // the copying kernel gives the clone its own buffer
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 4]);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 4]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('shares the buffer on a float32 → float32 Cast, converts on a real one', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1.5, -2, 0]);
    const same = tf.cast(x, 'float32');
    const int = tf.cast(x, 'int32');
    expect(same.dataId).toBe(x.dataId);
    expect(int.dataId).not.toBe(x.dataId);
    expect(Array.from(int.dataSync())).toEqual([1, -2, 0]);
    tf.dispose([x, same, int]);
  });
});

describe('one-pass Sum / Mean over the leading axes (wasm)', () => {
  it('recognises exactly the leading-axes reductions', () => {
    expect(leadingAxesCount([0, 1, 2], [4, 5, 6, 7])).toBe(3);
    expect(leadingAxesCount([2, 0, 1], [4, 5, 6, 7])).toBe(3);
    expect(leadingAxesCount([-4, -3], [4, 5, 6, 7])).toBe(2);
    expect(leadingAxesCount(0, [9, 5])).toBe(1);
    expect(leadingAxesCount([1, 2], [4, 5, 6])).toBe(0); // innermost: wasm's own is direct
    expect(leadingAxesCount([0, 2], [4, 5, 6])).toBe(0);
    expect(leadingAxesCount([0, 1, 2], [4, 5, 6])).toBe(0); // everything: no transpose either
  });

  it('sums columns exactly, over blocks of eight rows and the rows left over', () => {
    for (const outer of [1, 7, 8, 9, 21]) {
      const inner = 3;
      const x = Float32Array.from({ length: outer * inner }, (_, i) => (i % inner) + 0.25 * Math.floor(i / inner));
      const out = new Float32Array(inner);
      sumLeadingInto(x, outer, inner, out, 2);
      // column j: Σ_r (j + r/4) / 2
      const expected = [0, 1, 2].map((j) => (outer * j + (0.25 * outer * (outer - 1)) / 2) / 2);
      expect(Array.from(out)).toEqual(expected);
    }
  });

  const cases: [string, number[], number[] | number, boolean][] = [
    ['NHWC per channel', [4, 5, 6, 7], [0, 1, 2], false],
    ['NHWC per channel, keepDims', [3, 4, 4, 5], [0, 1, 2], true],
    ['dense bias gradient', [9, 5], 0, false],
    ['negative axes', [3, 4, 6], [-3, -2], true],
    ['not leading (falls back)', [3, 4, 6], [0, 2], false],
    ['innermost (falls back)', [3, 4, 6], [1, 2], false],
  ];
  it.each(cases)('%s matches the cpu backend', async (_name, shape, axis, keepDims) => {
    const values = randomArray(Rng.fromSeed(shape.length * 7 + shape[0]!), shape.reduce((a, b) => a * b, 1));
    for (const op of [tf.sum, tf.mean]) {
      const run = () => tf.tidy(() => {
        const out = op(tf.tensor(values, shape), axis, keepDims);
        return { shape: out.shape, data: out.dataSync() };
      });
      const wasm = await onBackend('wasm', run);
      const cpu = await onBackend('cpu', run);
      expect(wasm.shape).toEqual(cpu.shape);
      expect(maxRelDiff(wasm.data, cpu.data)).toBeLessThan(1e-5);
    }
  });

  it('leaves int32 sums to wasm\'s own kernel', async () => {
    await tf.setBackend('wasm');
    const s = tf.tidy(() => tf.sum(tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0));
    expect(s.dtype).toBe('int32');
    expect(Array.from(s.dataSync())).toEqual([9, 12]);
    s.dispose();
  });
});

describe('training with and without the fast paths', () => {
  it('gives the same losses and weights on the ResNet-ish fixture (wasm)', async () => {
    const data = randomDataset(Rng.fromSeed(4), [12, 12, 3], 10, 48, 8);
    const arch = smallResNet([12, 12, 3], 10, 6);
    const train = async (fast: boolean) => {
      const off = { identity: false, leadingReduce: false };
      await selectBackend({ prefer: 'wasm', wasmKernels: fast ? {} : off });
      const r = await trainProxy(arch, data, { batchSize: 16, learningRate: 0.05, augment: false }, { keepModel: true });
      expect(r.outcome.status).toBe('ok');
      const weights = r.model!.getWeights().map((w) => w.dataSync().slice());
      r.model!.dispose();
      return { loss: r.metrics.trainLoss!, weights };
    };
    const slow = await train(false);
    const fast = await train(true);
    expect(fast.loss).toBeCloseTo(slow.loss, 4);
    expect(fast.weights.length).toBe(slow.weights.length);
    fast.weights.forEach((w, i) => expect(maxRelDiff(w, slow.weights[i]!)).toBeLessThan(1e-4));
  }, 120_000);
});
