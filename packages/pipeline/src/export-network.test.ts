import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import * as tf from '@tensorflow/tfjs';
import { loadExportedModel, selectBackend } from '@nasfleet/train';
import { ExportError, exportNetwork } from './export-network.ts';
import { measureTestAccuracy } from './measure-test-accuracy.ts';

let dataset: ImageDataset;
const dir = mkdtempSync(join(tmpdir(), 'nasfleet-export-network-'));
beforeAll(async () => {
  // wasm: seeded training is bit-for-bit reproducible there, which the equality below relies on.
  await selectBackend({ prefer: 'wasm' });
  dataset = await loadFashionMnist(undefined, { subset: { train: 300, test: 200 } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const code = `function buildModel(tf, inputShape, numClasses) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`;

describe('exportNetwork', () => {
  it('trains on the search\'s training images and reports the saved model\'s test accuracy, the one the search report gives', async () => {
    const train = { learningRate: 0.1, epochs: 2, seed: 3, testSubset: 150 };
    const validation = { fraction: 0.1, seed: 1 };
    const saved = await exportNetwork(code, dataset, dir, train, validation);
    const measured = await measureTestAccuracy(code, dataset, { train, validation });
    expect(saved.testAccuracy).toBeGreaterThan(10); // chance is 10%
    expect(saved.testAccuracy).toBe(measured.testAccuracy);
    const metadata = JSON.parse(readFileSync(saved.modelJson, 'utf8')).userDefinedMetadata;
    expect(metadata).toMatchObject({ testAccuracy: saved.testAccuracy, trainImages: 270, validation: { fraction: 0.1, seed: 1 } });
    // What the metadata says of the input is enough to use the saved model: loaded back, it scores what was reported.
    const model = await loadExportedModel(dir);
    const { mean, std } = metadata.input as { mean: number[]; std: number[] };
    const n = 150;
    const x = tf.tensor4d(Float32Array.from(dataset.test.images.subarray(0, n * 784), (v) => (v / 255 - mean[0]!) / std[0]!), [n, 28, 28, 1]);
    const predicted = (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    const correct = [...predicted].filter((p, i) => p === dataset.test.labels[i]).length;
    expect(100 * (correct / n)).toBeCloseTo(saved.testAccuracy, 6);
    x.dispose();
    model.dispose();
  }, 120_000);

  it('refuses code that is not a network', async () => {
    await expect(exportNetwork('no code here', dataset, dir)).rejects.toThrow(ExportError);
  });
});
