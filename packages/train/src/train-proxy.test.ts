import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Architecture } from '@nasfleet/arch';
import { takeFirst } from '@nasfleet/datasets';
import { Rng } from '@nasfleet/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { separableConcatNet, smallResNet, twoConvNet } from './arch-fixtures.ts';
import { selectBackend } from './backend.ts';
import type { ImageDataset } from './dataset.ts';
import { loadFashionSubset, randomDataset } from './test-helpers.ts';
import { cosineLr } from './train-config.ts';
import { classifyTrainingError, trainProxy } from './train-proxy.ts';

const run = promisify(execFile);
const fashion = await loadFashionSubset(2048, 1000);

describe('trainProxy on real Fashion-MNIST (wasm)', () => {
  beforeAll(async () => {
    expect((await selectBackend({ prefer: 'wasm' })).kind).toBe('wasm');
  });

  // 16 steps of batch 128: a higher lr than the proxy's 0.01 so that so short a run shows learning.
  // Seeded init and shuffling make these runs deterministic (measured: 0.586, 0.436, 0.668; chance is 0.1).
  it.each([
    ['sequential (2 conv + softmax head)', () => twoConvNet([28, 28, 1], 10), 0.1, 1, 0.5],
    ['residual with BatchNorm', () => smallResNet([28, 28, 1], 10, 8), 0.1, 2, 0.4],
    ['separable + depthwise + concat + avg-pool same', () => separableConcatNet([28, 28, 1], 10, 8), 0.1, 1, 0.5],
  ] as const)('%s learns well above chance', async (_name, arch, learningRate, epochs, minAccuracy) => {
    const before = tf.memory().numTensors;
    const r = await trainProxy(arch(), fashion, { learningRate, epochs, trainSubset: 2048, testSubset: 1000 });
    expect(r.outcome.status).toBe('ok');
    expect(r.metrics.testAccuracy).toBeGreaterThan(minAccuracy);
    expect(r.outcome.status === 'ok' && r.outcome.fitness).toBe(r.metrics.testAccuracy);
    expect(r.metrics.steps).toBe(16 * epochs);
    expect(r.metrics.imagesPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(r.metrics.trainLoss)).toBe(true);
    expect(r.backend).toBe('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);

  it('a diverging run (huge lr) stops early with training-nan', async () => {
    const r = await trainProxy(twoConvNet([28, 28, 1], 10), fashion, { learningRate: 1e6, momentum: 0.9, trainSubset: 2048, testSubset: 100 });
    expect(r.outcome.status).toBe('failed');
    if (r.outcome.status === 'failed') {
      expect(r.outcome.failure.class).toBe('training-nan');
      expect(r.outcome.failure.message).toMatch(/loss became (NaN|Infinity|-Infinity) at step \d+/);
    }
    expect(r.metrics.steps).toBeLessThan(16);
  });
});

describe('trainProxy failures and bookkeeping', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
  });

  it('a network too big for the wasm heap fails as training-oom, and the restarted backend trains the next one', async () => {
    const script = fileURLToPath(new URL('./fixtures/wasm-oom-recovery.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { timeout: 540_000, maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(r.failed).toMatchObject({ status: 'failed', failure: { class: 'training-oom' } });
    expect(r.backendAfterAbort).toBe('wasm');
    expect(r.next.status).toBe('ok');
    expect(r.nextAccuracy).toBeGreaterThan(0.2);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
  }, 600_000);

  it('stops at the time budget with training-timeout', async () => {
    let t = 0;
    const ds = randomDataset(Rng.fromSeed(1), [8, 8, 1], 3, 256, 32);
    const r = await trainProxy(twoConvNet([8, 8, 1], 3, 4), ds, { batchSize: 32, timeBudgetMs: 35 }, { now: () => (t += 10) });
    expect(r.outcome.status === 'failed' && r.outcome.failure.class).toBe('training-timeout');
    expect(r.metrics.steps).toBeGreaterThan(0);
    expect(r.metrics.steps).toBeLessThan(8);
  });

  it('reports a dataset/model mismatch as a shape failure, and an unbuildable network too', async () => {
    const ds = randomDataset(Rng.fromSeed(2), [8, 8, 1], 3, 32, 8);
    const wrongInput = await trainProxy(twoConvNet([16, 16, 1], 3, 4), ds);
    expect(wrongInput.outcome.status === 'failed' && wrongInput.outcome.failure.class).toBe('shape');
    const wrongClasses = await trainProxy(twoConvNet([8, 8, 1], 5, 4), ds);
    expect(wrongClasses.outcome.status === 'failed' && wrongClasses.outcome.failure.class).toBe('output');
  });

  it('classifies out-of-memory and unsupported-gradient errors, and leaves others alone', () => {
    expect(classifyTrainingError(new RangeError('Array buffer allocation failed'))?.class).toBe('training-oom');
    expect(classifyTrainingError(new Error('Aborted(OOM). Build with -sASSERTIONS'))?.class).toBe('training-oom');
    // What the wasm backend throws after XNNPACK fails to allocate an operator (status 6) and goes on with a null one.
    const trap = Object.assign(new Error('null function or function signature mismatch'), { name: 'RuntimeError' });
    expect(classifyTrainingError(trap)).toEqual({ class: 'training-oom', message: expect.stringContaining('the wasm module trapped') });
    expect(classifyTrainingError(new Error('null function or function signature mismatch'))).toBeUndefined();
    expect(classifyTrainingError(new Error('Error in gradient of conv2D: dilation rates greater than 1 are not yet supported'))?.class).toBe('unsupported-layer');
    expect(classifyTrainingError(new TypeError('x is undefined'))).toBeUndefined();
  });

  it('a dilated conv2d (no gradient in tfjs) comes back as unsupported-layer, not a crash', async () => {
    const ds = randomDataset(Rng.fromSeed(4), [8, 8, 1], 3, 32, 8);
    const arch = Architecture.parse({
      format: 'nasfleet.arch/v1',
      nodes: [
        { id: 'in', inputs: [], op: 'input', config: { shape: [8, 8, 1] } },
        { id: 'c', inputs: ['in'], op: 'conv2d', config: { filters: 2, kernelSize: [3, 3], strides: [1, 1], padding: 'same', dilationRate: [2, 2], activation: 'relu', useBias: true } },
        { id: 'g', inputs: ['c'], op: 'globalAveragePooling2d', config: {} },
        { id: 'out', inputs: ['g'], op: 'dense', config: { units: 3, activation: 'linear', useBias: true } },
      ],
      output: 'out',
    });
    const before = tf.memory().numTensors;
    const r = await trainProxy(arch, ds, { batchSize: 16 });
    expect(r.outcome.status === 'failed' && r.outcome.failure.class).toBe('unsupported-layer');
    expect(r.outcome.status === 'failed' && r.outcome.failure.message).toMatch(/dilationRate/);
    expect(r.metrics.steps).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible: the same seed gives the same loss and accuracy, another seed does not', async () => {
    const ds = randomDataset(Rng.fromSeed(6), [8, 8, 3], 4, 96, 32);
    const run = (seed: number) => trainProxy(smallResNet([8, 8, 3], 4, 4), ds, { batchSize: 32, seed, learningRate: 0.05 });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(b.metrics.trainLoss).toBe(a.metrics.trainLoss);
    expect(b.metrics.testAccuracy).toBe(a.metrics.testAccuracy);
    expect(c.metrics.trainLoss).not.toBe(a.metrics.trainLoss);
  });

  it('is reproducible with dropout too: its masks come from the seed', async () => {
    const ds = randomDataset(Rng.fromSeed(7), [8, 8, 1], 4, 128, 32);
    const withDropout = Architecture.parse({
      format: 'nasfleet.arch/v1', output: 'out', nodes: [
        { id: 'in', op: 'input', inputs: [], config: { shape: [8, 8, 1] } },
        { id: 'f', op: 'flatten', inputs: ['in'], config: {} },
        { id: 'h', op: 'dense', inputs: ['f'], config: { units: 32, activation: 'relu', useBias: true } },
        { id: 'd', op: 'dropout', inputs: ['h'], config: { rate: 0.5 } },
        { id: 'out', op: 'dense', inputs: ['d'], config: { units: 4, activation: 'linear', useBias: true } },
      ],
    });
    const run = (seed: number) => trainProxy(withDropout, ds, { batchSize: 16, seed, learningRate: 0.05 });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(a.outcome.status).toBe('ok');
    expect(b.metrics.trainLoss).toBe(a.metrics.trainLoss);
    expect(b.metrics.testAccuracy).toBe(a.metrics.testAccuracy);
    expect(c.metrics.trainLoss).not.toBe(a.metrics.trainLoss);
  });

  it('the cosine schedule starts at lr0, halves at mid-run and decays towards 0', () => {
    expect(cosineLr(0.01, 0, 100)).toBeCloseTo(0.01, 12);
    expect(cosineLr(0.01, 50, 100)).toBeCloseTo(0.005, 12);
    expect(cosineLr(0.01, 99, 100)).toBeLessThan(1e-5);
  });

  it('20 candidates in one process leave tf.memory().numTensors where it was', async () => {
    const rng = Rng.fromSeed(9);
    const ds = randomDataset(rng, [8, 8, 1], 4, 64, 16);
    const archs = [() => twoConvNet([8, 8, 1], 4, 2), () => smallResNet([8, 8, 1], 4, 2), () => separableConcatNet([8, 8, 1], 4, 2)];
    const baseline = tf.memory().numTensors;
    const statuses: string[] = [];
    for (let i = 0; i < 20; i++) {
      const arch = (archs[i % 3] as () => Architecture)();
      // Every 5th candidate diverges, every 7th keeps its model (and disposes it), to cover all exits.
      const r = await trainProxy(arch, ds, { batchSize: 32, learningRate: i % 5 === 4 ? 1e8 : 0.05, seed: i }, { keepModel: i % 7 === 6 });
      statuses.push(r.outcome.status === 'ok' ? 'ok' : r.outcome.failure.class);
      r.model?.dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    }
    expect(statuses.filter((s) => s === 'ok').length).toBeGreaterThanOrEqual(12);
  });
});

describe('the scored split is an explicit input (config.evaluate)', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm' });
  });

  it("'validation' scores the dataset's validation split and never reads its test split", async () => {
    const base = { name: fashion.name, inputShape: fashion.inputShape, numClasses: 10, train: takeFirst(fashion.train, 784, 512) };
    const heldOut = takeFirst(fashion.test, 784, 300);
    const config = { learningRate: 0.1, epochs: 2, seed: 1 };
    const asTest = await trainProxy(twoConvNet([28, 28, 1], 10), { ...base, test: heldOut }, { ...config, evaluate: 'test' });
    const poisoned = Object.defineProperty({ ...base, validation: heldOut }, 'test', {
      get() {
        throw new Error('the test split was read');
      },
    }) as ImageDataset;
    const asValidation = await trainProxy(twoConvNet([28, 28, 1], 10), poisoned, { ...config, evaluate: 'validation' });
    // Same seed, same training images: the same weights, so the same score on the same images (measured: 0.607).
    expect(asTest.metrics.testAccuracy).toBeGreaterThan(0.4);
    expect(asValidation.outcome).toEqual({ status: 'ok', fitness: asTest.metrics.testAccuracy });
    expect(asValidation.metrics.validationAccuracy).toBe(asTest.metrics.testAccuracy);
    expect(asValidation.metrics.testAccuracy).toBeUndefined();
    // The score comes from the validation labels: the same images, every label moved to the next class, score near nothing (measured: 0.013).
    const shifted = { ...heldOut, labels: heldOut.labels.map((l) => (l + 1) % 10) };
    const wrong = await trainProxy(twoConvNet([28, 28, 1], 10), { ...base, test: heldOut, validation: shifted }, { ...config, evaluate: 'validation' });
    expect(wrong.metrics.validationAccuracy).toBeLessThan(0.2);
  }, 120_000);

  it('refuses to score a split the dataset lacks, saying which, and frees the model', async () => {
    const ds = randomDataset(Rng.fromSeed(5), [8, 8, 1], 3, 32, 8);
    const before = tf.memory().numTensors;
    await expect(trainProxy(twoConvNet([8, 8, 1], 3, 4), ds, { evaluate: 'validation' })).rejects.toThrow(
      /scores the validation split, but the dataset has no validation images: hold one out of the training split/,
    );
    const noTest = { ...ds, test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 } };
    await expect(trainProxy(twoConvNet([8, 8, 1], 3, 4), noTest)).rejects.toThrow(/scores the test split, but the dataset has no test images/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
