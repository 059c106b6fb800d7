import { beforeAll, describe, expect, it } from 'vitest';
import { labelHistogram, loadFashionMnist, takeFirst } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { selectBackend, trainProxy } from '@nasfleet/train';
import type { Trainer, TrainResult } from '@nasfleet/train';
import type { CandidateRequest } from '@nasfleet/contracts';
import { SearchEngine } from '@nasfleet/search';
import { runLocalSearch } from '@nasfleet/steps';
import type { CodeSpace } from './code-space.ts';
import { createCodeSpace } from './code-space.ts';
import { classZeroTrainer, shareOfClass, watchTestSplit } from './test-fixtures.ts';

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

/** check then evaluate, as the local driver does (without de-duplication). */
async function evaluate(space: CodeSpace, id: string, answer: string) {
  const checked = await space.check(answer);
  if (!checked.ok) return { outcome: { status: 'failed' as const, failure: checked.failure }, metrics: checked.metrics, descriptors: undefined };
  const evaluation = await space.evaluate(checked, id);
  return { ...evaluation, metrics: { ...checked.metrics, ...evaluation.metrics }, descriptors: checked.descriptors };
}

describe('code space', () => {
  // How fast a broken answer is classified is a benchmark figure, not a timed assertion (a loaded machine stalls anything).
  it('classifies broken answers before any training, recording how long the checks took', async () => {
    const trainer = countingTrainer();
    const space = await createCodeSpace(dataset, { caps: { maxParams: 100_000 } }, trainer);
    const cases: [string, string][] = [
      ['extraction', 'import torch\nclass Net(torch.nn.Module):\n    pass'],
      ['syntax', 'function buildModel(tf, inputShape, numClasses) { return tf.sequential( }'],
      ['timeout', 'function buildModel(tf) { while (true) {} }'],
      ['unsupported-layer', 'function buildModel(tf, inputShape, numClasses) { const m = tf.sequential(); m.add(tf.layers.lstm({ units: 4, inputShape })); return m; }'],
      ['output', 'function buildModel(tf, inputShape, numClasses) { const m = tf.sequential(); m.add(tf.layers.conv2d({ inputShape, filters: 4, kernelSize: 3 })); return m; }'],
      ['over-budget', 'function buildModel(tf, inputShape, numClasses) { const m = tf.sequential(); m.add(tf.layers.flatten({ inputShape })); m.add(tf.layers.dense({ units: 4096 })); m.add(tf.layers.dense({ units: numClasses })); return m; }'],
    ];
    for (const [cls, answer] of cases) {
      const result = await evaluate(space, 'c1', answer);
      expect(result.outcome, cls).toMatchObject({ status: 'failed', failure: { class: cls } });
      if (result.outcome.status === 'failed') expect(result.outcome.failure.message.length).toBeGreaterThan(10);
      expect(result.metrics?.checkMs, cls).toBeGreaterThanOrEqual(0);
    }
    expect(trainer.calls).toBe(0);
  });

  it('never trains the same architecture twice (canonical hash in the engine\'s state), whatever the code looks like', async () => {
    const trainer = countingTrainer();
    const space = await createCodeSpace(dataset, {}, trainer);
    const renamed = cnn.replace('const model', 'const net').replaceAll('model.add', 'net.add').replace('return model', 'return net');
    const answers = [cnn, renamed, cnn];
    const engine = SearchEngine.create(
      { strategy: 'random', networkArchive: { niches: 10, seed: 0, bounds: space.descriptorBounds } },
      { prompts: [{ id: 'improve', intent: 'improve' }], crossoverPrompt: { id: 'crossover', intent: 'crossover' }, initialArtifact: null },
    );
    const told: { id: string; outcome: unknown; dup: number | undefined }[] = [];
    await runLocalSearch({
      engine, space, evaluations: 3, batch: 3,
      generate: async (request: CandidateRequest) => ({ id: request.id, answer: answers[request.index]!, feedback: null, calls: [] }),
      onResult: (r) => told.push({ id: r.id, outcome: r.outcome, dup: r.metrics?.duplicateOfIndex }),
    });
    expect(trainer.calls).toBe(1);
    expect(told.map((t) => t.dup)).toEqual([undefined, 0, 0]);
    expect(told[1]!.outcome).toEqual(told[0]!.outcome);
    // The index is in the engine's durable state: a restored search still knows the architecture.
    const restored = SearchEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    const [next] = restored.ask(1);
    const again = await space.check(renamed);
    if (!again.ok) throw new Error('the renamed network failed its check');
    expect(restored.claimHash(next!.id, again.canonicalHash)).toEqual({ duplicateOf: 'c000000' });
  });

  it('scores each candidate on a seeded, stratified hold-out of the training images and never reads the test split', async () => {
    const { dataset: guarded } = watchTestSplit(dataset, { forbid: true });
    const trainer = classZeroTrainer();
    const config = { train: { trainSubset: 500, seed: 9 }, validation: { fraction: 0.2, seed: 4 } };
    const space = await createCodeSpace(guarded, config, trainer);
    const result = await evaluate(space, 'c1', cnn);
    expect(trainer.calls).toHaveLength(1);
    const { dataset: seen, config: trainConfig } = trainer.calls[0]!;
    expect(trainConfig).toMatchObject({ evaluate: 'validation', trainSubset: null, seed: 9 });
    // The hold-out is drawn from the first 500 training images (trainSubset): 100 held out, 400 trained on, no test images.
    const validation = seen.validation!;
    expect([validation.count, seen.train.count, seen.test.count]).toEqual([100, 400, 0]);
    const pool = labelHistogram(takeFirst(dataset.train, 784, 500), 10);
    labelHistogram(validation, 10).forEach((held, c) => expect(Math.abs(held - 0.2 * pool[c]!)).toBeLessThan(1));
    // The fitness is the trainer's validation score, in percent.
    expect(result.outcome).toEqual({ status: 'ok', fitness: 100 * shareOfClass(validation, 0) });
    // The same seed draws the same hold-out; another seed another one.
    expect((await createCodeSpace(guarded, config, trainer)).data.validation!.images).toEqual(validation.images);
    const other = (await createCodeSpace(guarded, { ...config, validation: { fraction: 0.2, seed: 5 } }, trainer)).data.validation!;
    expect(other.images).not.toEqual(validation.images);
  });

  it('refuses a hold-out that cannot be drawn, at creation, saying why', async () => {
    // 3 of 100 images: most classes' share of the hold-out rounds to none.
    await expect(createCodeSpace(dataset, { train: { trainSubset: 100 }, validation: { count: 3 } })).rejects.toThrow(/class \d+ has \d+ of 100 images.*rounds to 0/);
    await expect(createCodeSpace(dataset, { validation: { fraction: 1.5 } })).rejects.toThrow(/fraction/);
  });

  it('trains a valid answer on real Fashion-MNIST above chance, scored without the test split, with descriptors and metrics', async () => {
    // lr 0.05: the 8 steps of 1,024 images at SPEC's 0.01 barely move a fresh network.
    const { dataset: guarded } = watchTestSplit(dataset, { forbid: true });
    const space = await createCodeSpace(guarded, { train: { trainSubset: 1024, learningRate: 0.05 } }, trainProxy);
    const result = await evaluate(space, 'c1', cnn);
    expect(result.outcome.status).toBe('ok');
    if (result.outcome.status !== 'ok') return;
    expect(result.outcome.fitness).toBeGreaterThan(40); // chance is 10%
    expect(result.descriptors).toHaveLength(2);
    expect(result.metrics).toMatchObject({ params: 8 * 9 + 8 + 13 * 13 * 8 * 10 + 10 });
  }, 120_000);
});
