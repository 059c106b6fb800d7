import * as tf from '@tensorflow/tfjs';
import { Rng } from '@nasfleet/search';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallResNet } from '../arch-fixtures.ts';
import { selectBackend } from '../backend.ts';
import { sgdMomentumStep } from '../sgd-momentum.ts';
import { maxRelDiff, onBackend, randomArray, randomDataset } from '../test-helpers.ts';
import { trainProxy } from '../train-proxy.ts';
import { leadingAxesCount, sumLeadingInto } from './leading-axes-reduce.ts';
import { RELU_GRAD_KERNEL } from './relu-grad.ts';
import { SGD_MOMENTUM_KERNEL } from './sgd-momentum-kernel.ts';

/** Kernels run by `f` on the active backend (tf.profile's list, in order). */
async function kernelsOf(f: () => tf.TensorContainer): Promise<string[]> {
  const info = await tf.profile(f);
  return info.kernelNames;
}

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});

describe('Identity without a copy (wasm)', () => {
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
    const out = new Float32Array(3);
    sumLeadingInto(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3, out, 2);
    expect(Array.from(out)).toEqual([2.5, 3.5, 4.5]);
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

describe('fused ReLU gradient (wasm)', () => {
  it('equals mul(dy, step(x)) in one kernel, zero at x = 0 as tfjs-core\'s', async () => {
    const x = Float32Array.from([-2, -0, 0, 1e-8, 3, -1e-8, 5, 0.5]);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const grad = () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.tensor(dy))))(tf.tensor(x)).dataSync());
    const wasm = await onBackend('wasm', grad);
    const cpu = await onBackend('cpu', grad);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
    expect(Array.from(wasm)).toEqual([0, 0, 0, 4, 5, 0, 7, 8]);
    await tf.setBackend('wasm');
    const kernels = await kernelsOf(() => tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x)));
    expect(kernels).toContain(RELU_GRAD_KERNEL);
    expect(kernels).not.toContain('Step');
  });
});

describe('fused SGD-momentum step', () => {
  it.each([[0], [5e-4]])('matches the op chain (weight decay %s) in one kernel on wasm', async (weightDecay) => {
    const rng = Rng.fromSeed(11);
    const [v, g, vel] = [randomArray(rng, 300), randomArray(rng, 300), randomArray(rng, 300)];
    const attrs = { learningRate: 0.05, momentum: 0.9, weightDecay };
    const step = () => tf.tidy(() => sgdMomentumStep(tf.tensor(v, [10, 30]), tf.tensor(g, [10, 30]), tf.tensor(vel, [10, 30]), attrs).map((t) => t.dataSync()));
    const fused = await onBackend('wasm', step);
    const chain = await onBackend('cpu', step); // no fused kernel there: the op chain
    expect(maxRelDiff(fused[0]!, chain[0]!)).toBeLessThan(1e-6);
    expect(maxRelDiff(fused[1]!, chain[1]!)).toBeLessThan(1e-6);
    // By hand for one element: vel' = m·vel + g + wd·v, v' = v − lr·vel'.
    const vel0 = 0.9 * vel[0]! + g[0]! + weightDecay * v[0]!;
    expect(fused[1]![0]).toBeCloseTo(vel0, 5);
    expect(fused[0]![0]).toBeCloseTo(v[0]! - 0.05 * vel0, 5);
    await tf.setBackend('wasm');
    expect(await kernelsOf(() => sgdMomentumStep(tf.zeros([4]), tf.ones([4]), tf.zeros([4]), attrs))).toEqual([SGD_MOMENTUM_KERNEL]);
  });

  it('rejects tensors of different shapes, saying which', async () => {
    await tf.setBackend('wasm');
    const [a, b] = [tf.zeros([2, 3]), tf.zeros([3, 2])];
    expect(() => sgdMomentumStep(a, b, a, { learningRate: 0.1, momentum: 0.9, weightDecay: 0 })).toThrow(/gradient \[3,2\]/);
    tf.dispose([a, b]);
  });
});

describe('training with and without the fast paths', () => {
  it('gives the same losses and weights on the ResNet-ish fixture (wasm)', async () => {
    const data = randomDataset(Rng.fromSeed(4), [12, 12, 3], 10, 48, 8);
    const arch = smallResNet([12, 12, 3], 10, 6);
    const train = async (fast: boolean) => {
      const off = { identity: false, leadingReduce: false, reluGrad: false, sgdMomentum: false };
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
