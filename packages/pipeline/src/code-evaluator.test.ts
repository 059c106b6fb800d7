import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { selectBackend, trainProxy } from '@nasfleet/train';
import type { TrainResult } from '@nasfleet/train';
import { createCodeEvaluator } from './code-evaluator.ts';
import type { Trainer } from './code-evaluator.ts';

let dataset: ImageDataset;
beforeAll(async () => {
  await selectBackend();
  dataset = await loadFashionMnist(undefined, { subset: { train: 1024, test: 500 } });
});

const cnn = `Here is the network:
\`\`\`js
function buildModel(tf, inputShape, numClasses) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 8, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}
\`\`\``;

/** A trainer stand-in that counts calls and answers with the real TrainResult contract. */
function countingTrainer(): Trainer & { calls: number } {
  const t = Object.assign(
    async (): Promise<TrainResult> => {
      t.calls += 1;
      return { outcome: { status: 'ok', fitness: 0.5 }, metrics: { testAccuracy: 0.5, steps: 1, wallMs: 1 }, backend: 'fake' };
    },
    { calls: 0 },
  );
  return t;
}

describe('code evaluator', () => {
  it('classifies broken answers in milliseconds, before any training', async () => {
    const trainer = countingTrainer();
    const evaluator = createCodeEvaluator(dataset, { caps: { maxParams: 100_000 } }, trainer);
    const cases: [string, string][] = [
      ['extraction', 'import torch\nclass Net(torch.nn.Module):\n    pass'],
      ['syntax', 'function buildModel(tf, inputShape, numClasses) { return tf.sequential( }'],
      ['timeout', 'function buildModel(tf) { while (true) {} }'],
      ['unsupported-layer', 'function buildModel(tf, inputShape, numClasses) { const m = tf.sequential(); m.add(tf.layers.lstm({ units: 4, inputShape })); return m; }'],
      ['output', 'function buildModel(tf, inputShape, numClasses) { const m = tf.sequential(); m.add(tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3 })); return m; }'],
      ['over-budget', 'function buildModel(tf, inputShape, numClasses) { const m = tf.sequential(); m.add(tf.layers.flatten({ inputShape })); m.add(tf.layers.dense({ units: 4096 })); m.add(tf.layers.dense({ units: numClasses })); return m; }'],
    ];
    for (const [cls, answer] of cases) {
      const result = await evaluator.evaluate('c1', answer);
      expect(result.outcome, cls).toMatchObject({ status: 'failed', failure: { class: cls } });
      if (result.outcome.status === 'failed') expect(result.outcome.failure.message.length).toBeGreaterThan(10);
      if (cls !== 'timeout') expect(result.metrics?.checkMs ?? 0).toBeLessThan(500);
    }
    expect(trainer.calls).toBe(0);
  });

  it('never trains the same architecture twice (canonical hash), whatever the code looks like', async () => {
    const trainer = countingTrainer();
    const evaluator = createCodeEvaluator(dataset, {}, trainer);
    const first = await evaluator.evaluate('c000001', cnn);
    const renamed = cnn.replace('const model', 'const net').replaceAll('model.add', 'net.add').replace('return model', 'return net');
    const second = await evaluator.evaluate('c000002', renamed);
    expect(trainer.calls).toBe(1);
    expect(second.outcome).toEqual(first.outcome);
    expect(second.metrics?.duplicateOfIndex).toBe(1);
    expect(second.id).toBe('c000002');
  });

  it('trains a valid answer on real Fashion-MNIST above chance, with descriptors and metrics', async () => {
    // lr 0.05: the 8 steps of 1,024 images at SPEC's 0.01 barely move a fresh network.
    const evaluator = createCodeEvaluator(dataset, { train: { trainSubset: 1024, testSubset: 500, learningRate: 0.05 } }, trainProxy);
    const result = await evaluator.evaluate('c1', cnn);
    expect(result.outcome.status).toBe('ok');
    if (result.outcome.status !== 'ok') return;
    expect(result.outcome.fitness).toBeGreaterThan(40); // chance is 10%
    expect(result.descriptors).toHaveLength(2);
    expect(result.metrics).toMatchObject({ params: 8 * 9 + 8 + 13 * 13 * 8 * 10 + 10 });
  }, 60_000);
});
