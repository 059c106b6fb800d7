import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { selectBackend } from '@nasfleet/train';
import { runCodeSearch } from './run-code-search.ts';
import { classZeroTrainer, shareOfClass, watchTestSplit } from './test-fixtures.ts';

let dataset: ImageDataset;
beforeAll(async () => {
  await selectBackend();
  dataset = await loadFashionMnist(undefined, { subset: { train: 512, test: 300 } });
});
const prompts = ['add-conv', 'add-pooling', 'widen', 'add-normalisation', 'shrink-drastically'].map((intent) => ({ id: intent, intent }));

describe('runCodeSearch', () => {
  it('evolves the tiny seed network in the code space with real training and keeps every candidate\'s provenance', async () => {
    const watched = watchTestSplit(dataset);
    const readsDuringSearch: number[] = [];
    const report = await runCodeSearch({
      dataset: watched.dataset, prompts, crossoverPrompt: { id: 'crossover', intent: 'crossover' }, evaluations: 5,
      config: { strategy: 'llmatic', seed: 3, generationSize: 2, llmatic: { seedNetworks: 2 } },
      evaluator: { train: { trainSubset: 512, testSubset: 300, learningRate: 0.05 } },
      onResult: () => readsDuringSearch.push(watched.reads()),
    });
    // The search never looked at the test split; the returned network was scored on it once, afterwards.
    expect(readsDuringSearch).toEqual([0, 0, 0, 0, 0]);
    expect(watched.reads()).toBeGreaterThan(0);
    const candidates = report.engine.candidates();
    expect(candidates).toHaveLength(5);
    expect(candidates[0]!.artifact).toContain('filters: 1, kernelSize: 1');
    expect(candidates.every((c) => c.result !== null)).toBe(true);
    expect(report.best).not.toBeNull();
    expect(report.best!.validationAccuracy).toBeGreaterThan(10);
    expect(report.best!.testAccuracy).toBeGreaterThan(10);
    expect(report.best!.testFailure).toBeNull();
    expect(report.best!.code).toContain('function buildModel(tf, inputShape, numClasses)');
    expect(report.trained + report.duplicates + Object.values(report.failures).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('reports the test accuracy of the returned network from the test split, after retraining it on the search\'s training images', async () => {
    // A poisoned test split (every label 0) and a stand-in that always answers class 0: 100% on test, ~10% on validation.
    const poisoned = { ...dataset, test: { ...dataset.test, labels: new Uint8Array(dataset.test.count) } };
    const trainer = classZeroTrainer();
    const report = await runCodeSearch({
      dataset: poisoned, prompts, crossoverPrompt: { id: 'crossover', intent: 'crossover' }, evaluations: 4, trainer,
      config: { strategy: 'llmatic', seed: 1, generationSize: 2, llmatic: { seedNetworks: 2 } },
      evaluator: { train: { trainSubset: 400, testSubset: 100, seed: 5 }, validation: { count: 50, seed: 2 } },
    });
    const searchCalls = trainer.calls.slice(0, -1);
    const last = trainer.calls.at(-1)!;
    expect(searchCalls.length).toBeGreaterThan(0);
    expect(searchCalls.every((c) => c.config.evaluate === 'validation' && c.dataset.test.count === 0)).toBe(true);
    const validation = searchCalls[0]!.dataset.validation!;
    expect(validation.count).toBe(50);
    expect(report.best!.validationAccuracy).toBe(100 * shareOfClass(validation, 0));
    expect(report.best!.validationAccuracy).toBeLessThan(30);
    expect(report.best!.testAccuracy).toBe(100);
    // The final training: same config and seed, the search's 350 training images, scored on the test split.
    expect(last.config).toMatchObject({ evaluate: 'test', seed: 5, testSubset: 100, trainSubset: null });
    expect(last.dataset.train.images).toEqual(searchCalls[0]!.dataset.train.images);
    expect(last.dataset.validation).toBeUndefined();
  });
});
