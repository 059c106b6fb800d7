import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '@nasfleet/datasets';
import type { ImageDataset } from '@nasfleet/datasets';
import { selectBackend } from '@nasfleet/train';
import { runCodeSearch } from './run-code-search.ts';

let dataset: ImageDataset;
beforeAll(async () => {
  await selectBackend();
  dataset = await loadFashionMnist(undefined, { subset: { train: 512, test: 300 } });
});
const prompts = ['add-conv', 'add-pooling', 'widen', 'add-normalisation', 'shrink-drastically'].map((intent) => ({ id: intent, intent }));

describe('runCodeSearch', () => {
  it('evolves the tiny seed network in the code space with real training and keeps every candidate\'s provenance', async () => {
    const report = await runCodeSearch({
      dataset, prompts, crossoverPrompt: { id: 'crossover', intent: 'crossover' }, evaluations: 5,
      config: { strategy: 'llmatic', seed: 3, generationSize: 2, llmatic: { seedNetworks: 2 } },
      evaluator: { train: { trainSubset: 512, testSubset: 300, learningRate: 0.05 } },
    });
    const candidates = report.engine.candidates();
    expect(candidates).toHaveLength(5);
    expect(candidates[0]!.artifact).toContain('filters: 1, kernelSize: 1');
    expect(candidates.every((c) => c.result !== null)).toBe(true);
    expect(report.best).not.toBeNull();
    expect(report.best!.accuracy).toBeGreaterThan(10);
    expect(report.best!.code).toContain('function buildModel(tf, inputShape, numClasses)');
    expect(report.trained + report.duplicates + Object.values(report.failures).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
